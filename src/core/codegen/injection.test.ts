/**
 * No text from a module library or a model's file name can become code in the exported Python: the library
 * reader refuses names that are not identifiers (at their line), and the generator, on its own, writes only
 * identifiers where names go and keeps every comment and string on its line. The property test feeds hostile
 * strings into every text field of real module descriptions and reads what comes out with a Python tokenizer.
 */
import fc from 'fast-check';
import { formatMessage } from '../messages/index.ts';
import { describe, expect, it } from 'vitest';
import { MODULE_OPS } from '../custom/ops.ts';
import { defaultLibrary } from '../custom/defaults.ts';
import { parseModuleLibrary, type ModuleLibrary } from '../custom/library.ts';
import type { ModuleSpec } from '../custom/spec.ts';
import { calls, statements, tokenize, type Statement } from '../../testing/pycheck.ts';
import { analyze } from '../propagate.ts';
import { parseModelText } from '../document.ts';
import { exportForYolov5, libraryText, modulesFile, riskyStrings } from './export.ts';
import { CodegenError } from './pyprint.ts';
import { generateClass } from './pytorch.ts';
import { defaultRegistry } from '../registry.ts';
import { diagnosticText } from '../diagnostics.ts';

/** Every character some reader takes for a line break. */
const BREAKS = ['\n', '\r', '\r\n', '\x0b', '\x0c', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029'];
const PAYLOAD = "__import__('os').system('touch /tmp/pwned')";

const FANCY = `
Inner:
  description: two inputs
  args: [c1, c2]
  inputs: [a, b]
  body:
    - {id: s, op: add, in: [a, b]}
    - {id: y, op: nn.Conv2d, args: [c1, c2, 1], in: s, name: proj}
Fancy:
  description: "A test block"
  args: [c1, c2, n=2, deep=True, mode=nearest]
  vars: {h: c2 // 2}
  check: [[c2 > 0, "Fancy needs channels"]]
  body:
    - {id: a, op: Conv, args: [c1, c2, 1], name: stem}
    - for: {i: "range(1, n + 1)"}
      body:
        - {id: "b{i}", op: nn.Conv2d, args: [c2, c2, 3, 1, 1, 1, 1, False], name: "cv{i}"}
        - {id: "n{i}", op: nn.BatchNorm2d, args: [c2], name: "bns.{i}", when: deep}
    - {id: p, op: chunk, args: [2]}
    - {id: q, op: cat, in: [p.0, p.1]}
    - {id: r, op: Inner, args: [c2, c2], in: [q, a], name: inner}
    - {id: t, use: cv1, in: r}
    - {id: u, op: nn.Identity, name: "blocks.0"}
    - {id: v, op: C3, args: [c2, c2, 1], name: "blocks.1", repeat: n}
    - {id: w, op: nn.MaxPool2d, args: [3, 1, 1], in: v}
    - {id: z, op: cat, in: ["b{j} for j in range(1, n + 1)"]}
    - {id: y, op: nn.Upsample, args: [None, 1, mode], in: w, when: h > 0}
  out: y
`;

function baseLibrary(): ModuleLibrary {
  const lib = parseModuleLibrary(FANCY, 'fancy.modules.yaml');
  expect(lib.diagnostics).toEqual([]);
  return lib;
}

/** A library of the given specs (what the generator reads), with the default library's specs beside them. */
const libraryOf = (specs: ModuleSpec[]): ModuleLibrary => ({
  file: 'hostile.modules.yaml',
  specs,
  defs: [],
  diagnostics: [],
});

// ---------- what the generator means to write ----------

const BUILTIN_CALLS = new Set([
  'super',
  'range',
  'int',
  'float',
  'round',
  'abs',
  'min',
  'max',
  'len',
  'str',
  'getattr',
  'setattr',
  'hasattr',
  'sum',
  'ValueError',
  'math.floor',
  'math.ceil',
  'math.gcd',
  'math.sqrt',
  'math.prod',
  'torch.cat',
  'torch.split',
  'torch.chunk',
  'torch.mean',
  'torch.amax',
  'torch.sigmoid',
  'torch.relu',
  'F.silu',
  'nn.Sequential',
  'nn.ModuleList',
  'super(...).__init__',
  'getattr(...)',
  ...MODULE_OPS,
  ...defaultRegistry
    .all()
    .filter((d) => d.torchPath.startsWith('torch.nn.'))
    .map((d) => `nn.${d.torchPath.slice(d.torchPath.lastIndexOf('.') + 1)}`),
]);
const SELF_CALL = /^self\.[A-Za-z_]\w*(\[\.\.\.\])?(\.(append|add_module))?$/;
const CLONE = /^[A-Za-z_]\w*(\[\.\.\.\])?\.clone$/;

/** The generated module file holds only what the generator writes: imports, the classes, and their bodies. */
function expectOnlyIntendedPython(py: string, classes: string[]) {
  // no character any reader could take for a line break, no control or format character, except '\n' and '\t'
  expect(py).not.toMatch(/(?![\n\t])[\p{C}\p{Zl}\p{Zp}]/u);
  // line 1 declares the encoding itself, so nothing later can (PEP 263)
  expect(py.split('\n')[0]).toBe('# -*- coding: utf-8 -*-');
  expect(py.split('\n')[1]).not.toMatch(/coding[:=]/);
  tokenize(py); // throws on an unterminated string or a stray character
  const st = statements(py);
  const imported = new Set<string>();
  const seenClasses: string[] = [];
  const bad = (s: Statement) => `unexpected statement at line ${s.line} (depth ${s.depth}): ${s.text}`;
  for (const s of st) {
    const t = s.tokens.map((x) => x.text);
    if (s.depth === 0) {
      if (/^import (math|torch|torch \. nn as nn|torch \. nn \. functional as F)$/.test(s.text)) continue;
      const from = /^from models \. (common|experimental) import (.*)$/.exec(s.text);
      if (from) {
        for (const n of from[2].split(' , ')) imported.add(n);
        continue;
      }
      const cls = /^class ([A-Za-z_]\w*) \( nn \. Module \) :$/.exec(s.text);
      if (cls) {
        seenClasses.push(cls[1]);
        continue;
      }
      throw new Error(bad(s));
    }
    if (s.depth === 1) {
      if (/^def (__init__ \( self( , [A-Za-z_]\w*( = .*)?)* \)|forward \( self , [A-Za-z_]\w* \)) :$/.test(s.text))
        continue;
      throw new Error(bad(s));
    }
    if (s.compound) {
      if ((t[0] === 'if' || t[0] === 'for') && t[t.length - 1] === ':') continue;
      throw new Error(bad(s));
    }
    if (['return', 'pass'].includes(t[0])) continue;
    if (s.text === 'super ( ) . __init__ ( )') continue;
    if (t[0] === 'raise' && /^raise ValueError \( ('|")/.test(s.text) && t.length === 5) continue;
    if (t[0] === 'self' && /^self \. [A-Za-z_]\w* \. (append|add_module) \(/.test(s.text)) continue;
    if (t[0] === 'setattr' && t[2] === 'self') continue;
    // an assignment: names, self.NAME, or NAME[...] targets, then '='
    const eq = s.tokens.findIndex((x) => x.type === 'op' && x.text === '=');
    if (
      eq > 0 &&
      /^([A-Za-z_]\w*( \[ .* \])?|self \. [A-Za-z_]\w*)( , ([A-Za-z_]\w*|self \. [A-Za-z_]\w*))*$/.test(
        t.slice(0, eq).join(' '),
      )
    )
      continue;
    throw new Error(bad(s));
  }
  expect(seenClasses).toEqual(classes);
  for (const c of calls(py)) {
    if (BUILTIN_CALLS.has(c.callee) || SELF_CALL.test(c.callee) || CLONE.test(c.callee)) continue;
    if (classes.includes(c.callee) || imported.has(c.callee)) continue;
    throw new Error(`unexpected call at line ${c.line}: ${c.callee}\n${py}`);
  }
  // attribute names: nothing reaches for Python's internals
  const toks = tokenize(py);
  toks.forEach((x, k) => {
    if (x.type === 'op' && x.text === '.' && toks[k + 1]?.text.startsWith('__') && toks[k + 1].text !== '__init__')
      throw new Error(`attribute ${toks[k + 1].text} at line ${x.line}\n${py}`);
  });
}

/** Generate, or refuse with a CodegenError; anything else (or unsafe Python) fails the test. */
function generateOrRefuse(root: string, lib: ModuleLibrary, title?: string): string | null {
  try {
    const r = modulesFile([root], [defaultLibrary(), lib], title);
    expectOnlyIntendedPython(
      r.text,
      r.specs.map((s) => s.name),
    );
    return r.text;
  } catch (e) {
    if (e instanceof CodegenError) return null;
    throw e;
  }
}

// ---------- hostile strings ----------

const FRAGMENTS = [
  ...BREAKS,
  PAYLOAD,
  "'",
  '"',
  "'''",
  '"""',
  '\\',
  '#',
  '{',
  '}',
  '{i}',
  '{j}',
  '):',
  ':',
  '    ',
  '\t',
  'import os',
  'x',
  'c1',
  'i',
  'range(2)',
  ' for j in range(2)',
  '.',
  '.0',
  ', ',
  ';',
  '=',
  '-*- coding: utf-7 -*-',
  '+AAo-',
  '\u202e',
  '\x00',
  '\x1b[2J',
  'é',
  'f"{os}"',
  '__class__',
  'self',
  'None',
  'nn.Conv2d',
];
const hostile = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 6 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** Every place a string sits in a spec: a value (a leaf) or a mapping key (vars, for). */
type Slot = { path: (string | number)[]; key: boolean };
function slotsOf(v: Json, path: (string | number)[] = [], out: Slot[] = []): Slot[] {
  if (typeof v === 'string') out.push({ path, key: false });
  else if (Array.isArray(v)) v.forEach((x, k) => slotsOf(x, [...path, k], out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (path.at(-1) === 'for' || (path.length === 1 && path[0] === 'varsObj'))
        out.push({ path: [...path, k], key: true });
      slotsOf(x, [...path, k], out);
    }
  return out;
}

/** A spec as plain data (vars as a mapping, so its keys are slots too), and back. */
const toJson = (s: ModuleSpec): Json => {
  const { vars, ...rest } = JSON.parse(JSON.stringify(s)) as Record<string, Json>;
  return { ...rest, varsObj: Object.fromEntries((vars as [string, Json][] | undefined) ?? []) };
};
const fromJson = (j: Json): ModuleSpec => {
  const { varsObj, ...rest } = j as Record<string, Json>;
  return { ...(rest as unknown as ModuleSpec), vars: Object.entries(varsObj as Record<string, string>) };
};

/** Fields that hold free text (a description, a check's message): hostile text there must still be generated. */
const isText = (s: Slot) => s.path[0] === 'description' || (s.path[0] === 'check' && s.path[2] === 'message');

function mutate(spec: ModuleSpec, edits: [number, string, number, boolean][], textOnly = false): ModuleSpec {
  const j = toJson(spec);
  for (const [pick, text, at, replace] of edits) {
    const all = slotsOf(j);
    const slots = textOnly && all.some(isText) ? all.filter(isText) : all;
    const slot = slots[pick % slots.length];
    const parent = slot.path.slice(0, -1).reduce<any>((o, k) => o[k], j);
    const last = slot.path[slot.path.length - 1];
    if (slot.key) {
      const old = String(last);
      const name = replace ? text : old.slice(0, at % (old.length + 1)) + text + old.slice(at % (old.length + 1));
      const entries = Object.entries(parent as Record<string, Json>).map(([k, x]) => [k === old ? name : k, x]);
      for (const k of Object.keys(parent)) delete parent[k];
      Object.assign(parent, Object.fromEntries(entries));
    } else {
      const old = String(parent[last]);
      parent[last] = replace ? text : old.slice(0, at % (old.length + 1)) + text + old.slice(at % (old.length + 1));
    }
  }
  return fromJson(j);
}

const edit = fc.tuple(fc.nat(), hostile, fc.nat(), fc.boolean());

describe('no text of a module description becomes code in the exported Python', () => {
  it('the library reader refuses every name that is not an identifier, at its line', () => {
    const cases: [string, string, number][] = [
      // the reported exploit: a loop variable that closes the loop header and runs a command
      [
        `M:\n  args: [c1, c2]\n  body:\n    - for: {"i in range(1):\\n        ${PAYLOAD}\\n    for i": range(2)}\n      body:\n        - {id: a, op: nn.Identity, name: "m{i}"}\n`,
        'loop variable',
        4,
      ],
      [`"M\\rimport os":\n  args: [c1]\n  body: [{id: a, op: pass}]\n`, 'module name', 1],
      [`M:\n  args: [c1, "c2\\rimport os"]\n  body: [{id: a, op: pass}]\n`, 'argument', 2],
      [`M:\n  args: [c1, class]\n  body: [{id: a, op: pass}]\n`, 'argument', 2],
      [`M:\n  args: [c1]\n  vars:\n    "w\\u2028x": c1\n  body: [{id: a, op: pass}]\n`, 'var', 4],
      [`M:\n  args: [c1]\n  body:\n    - {id: "a\\x85b", op: pass}\n`, 'node id', 4],
      [`M:\n  args: [c1]\n  body:\n    - {id: "a{i)}", op: pass}\n`, 'node id', 4],
      [`M:\n  args: [c1]\n  body:\n    - {id: a, op: "nn.Conv2d(1)\\nimport os"}\n`, 'op', 4],
      [`M:\n  args: [c1]\n  body:\n    - {id: a, op: nn.Identity, name: "m; import os"}\n`, 'name', 4],
      [`M:\n  args: [c1]\n  body:\n    - {id: a, op: nn.Identity, name: "m.x\\ny"}\n`, 'name', 4],
      [`M:\n  args: [c1]\n  body:\n    - {id: a, op: nn.Identity}\n    - {id: b, use: "a\\r"}\n`, 'use', 5],
      [`M:\n  args: [c1]\n  inputs: [x, "y z"]\n  body: [{id: a, op: pass}]\n`, 'input', 3],
      [`M:\n  args: [c1]\n  body:\n    - {id: a, op: pass, in: "x\\u2029"}\n`, 'input', 4],
      [`M:\n  args: [c1]\n  body:\n    - {id: a, op: cat, in: ["x for 1j in range(2)"]}\n`, 'input', 4],
      [`M:\n  args: [c1]\n  body: [{id: a, op: pass}]\n  out: "a.b.c"\n`, 'out', 4],
      // Python renames self.__x inside a class (and dunders reach its internals): no attribute starts with __
      [`M:\n  args: [c1]\n  body:\n    - {id: a, op: nn.Identity, name: "__class__bns.{i}"}\n`, 'name', 4],
      // expressions: nothing but what the core evaluates (no attribute, no other function), loops' ranges too
      [`M:\n  args: [c1]\n  vars:\n    h: c1.__class__\n  body: [{id: a, op: pass}]\n`, 'cannot', 4],
      [`M:\n  args: [c1]\n  body:\n    - {id: a, op: pass, when: "exec('1')"}\n`, 'cannot', 4],
      [
        `M:\n  args: [c1]\n  body:\n    - for: {i: "range(c1.__sizeof__())"}\n      body: [{id: a, op: pass}]\n`,
        'cannot',
        4,
      ],
    ];
    for (const [text, what, line] of cases) {
      const lib = parseModuleLibrary(text, 'hostile.modules.yaml');
      expect(lib.specs, what).toEqual([]);
      // (module names and arguments keep the code they always had)
      const d = lib.diagnostics.find((x) => x.code === 'not-an-identifier' || diagnosticText(x).includes(what));
      expect(d, `${what}: ${JSON.stringify(lib.diagnostics)}`).toBeDefined();
      expect(diagnosticText(d!)).toContain(what);
      expect(d!.line, what).toBe(line);
    }
  });

  it('the generator refuses non-identifiers where names go, without the reader', () => {
    const base: ModuleSpec = {
      name: 'M',
      description: 'a block',
      args: [{ name: 'c1' }, { name: 'c2' }],
      vars: [['h', 'c2']],
      body: [
        { for: { i: 'range(2)' }, body: [{ id: 'a', op: 'nn.Identity', name: 'm' }] },
        { id: 'b', op: 'nn.Identity', name: 'n' },
        { id: 'c', op: 'cat', in: ['a', 'b'] },
      ],
    };
    const ctx = (v: ModuleSpec) => ({
      generated: new Map([[v.name, v]]),
      lookup: (n: string) => defaultRegistry.get(n),
    });
    const body = (k: number, node: ModuleSpec['body'][number]) => base.body.map((n, j) => (j === k ? node : n));
    // each variant differs from the base (which generates) by one hostile name only
    expect(() => generateClass(base, ctx(base))).not.toThrow();
    const variants: [string, ModuleSpec][] = [
      ['class name', { ...base, name: 'M\nimport os' }],
      ['argument', { ...base, args: [...base.args, { name: 'e\rimport os' }] }],
      ['var', { ...base, vars: [['h)\n__import__("os")', 'c2']] }],
      ['input', { ...base, inputs: ['x y'] }],
      [
        'loop variable',
        {
          ...base,
          body: body(0, {
            for: { [`i in range(1):\n        ${PAYLOAD}\n    for i`]: 'range(2)' },
            body: [{ id: 'a', op: 'nn.Identity', name: 'm' }],
          }),
        },
      ],
      ['op', { ...base, body: body(1, { id: 'b', op: `nn.Identity(); ${PAYLOAD}`, name: 'n' }) }],
      ['torch.nn class', { ...base, body: body(1, { id: 'b', op: 'nn.Bilinear', name: 'n' }) }],
      ['attribute', { ...base, body: body(1, { id: 'b', op: 'nn.Identity', name: `n\n${PAYLOAD}` }) }],
      ['attribute keyword', { ...base, body: body(1, { id: 'b', op: 'nn.Identity', name: 'class' }) }],
      [
        'attribute with two underscores',
        { ...base, body: body(1, { id: 'b', op: 'nn.Identity', name: '__class__bns' }) },
      ],
      ['templated attribute', { ...base, body: body(1, { id: 'b', op: 'nn.Identity', name: `n{h}\r${PAYLOAD}` }) }],
      ['comprehension variable', { ...base, body: body(2, { id: 'c', op: 'cat', in: ['a for 1 in range(2)', 'b'] }) }],
      ['attribute in an expression', { ...base, vars: [['h', 'c2.__class__']] }],
      ['a function the core does not have', { ...base, vars: [['h', "getattr(c2, 'x')"]] }],
      ['a keyword a function does not take', { ...base, vars: [['h', 'int(c2, base=2)']] }],
    ];
    for (const [what, v] of variants) expect(() => generateClass(v, ctx(v)), what).toThrow(CodegenError);
  });

  it('every line-breaking character in a description, a check message, a default or the file name stays inside its comment or string', () => {
    const base = baseLibrary();
    for (const br of BREAKS) {
      const text = `line one${br}${PAYLOAD}${br}`;
      const fancy = base.specs.find((s) => s.name === 'Fancy')!;
      const spec: ModuleSpec = {
        ...fancy,
        description: text,
        check: [{ assert: 'c2 > 0', message: text }],
        args: fancy.args.map((a) =>
          a.name === 'mode' ? { name: 'mode', default: `'${text.replace(/\\/g, '')}'` } : a,
        ),
      };
      const lib = libraryOf([base.specs[0], spec]);
      const py = generateOrRefuse('Fancy', lib, `model${br}${PAYLOAD}.yaml`);
      expect(py, JSON.stringify(br)).not.toBeNull();
      expect(py).toContain(`# line one`);
      // and the same through the whole export: the patch and the copied library
      const exp = exportForYolov5(`model${br}${PAYLOAD}`, 'nc: 1\n', [defaultLibrary(), lib]);
      expect(exp.errors).toEqual([]);
    }
  });

  it('property: hostile strings in any text field give either a refusal or only the intended statements and calls', () => {
    const base = baseLibrary();
    const BOTTLE2NECK_SPEC = defaultRegistry.get('Bottle2neck')!.spec!;
    const C3_RES2BLOCK_SPEC = defaultRegistry.get('C3_Res2Block')!.spec!;
    const roots = [
      ...base.specs.map((s) => ({ spec: s, others: base.specs.filter((o) => o !== s) })),
      ...defaultLibrary().specs.map((s) => ({ spec: s, others: [] as ModuleSpec[] })),
      { spec: BOTTLE2NECK_SPEC, others: [] },
      { spec: C3_RES2BLOCK_SPEC, others: [BOTTLE2NECK_SPEC] },
    ];
    let generated = 0;
    let viaReader = 0;
    fc.assert(
      fc.property(
        fc.nat(roots.length - 1),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        hostile,
        fc.boolean(),
        (r, edits, title, textOnly) => {
          const { spec, others } = roots[r];
          const m = mutate(spec, edits, textOnly);
          // 1. the generator alone, given the description as it is
          if (generateOrRefuse(m.name, libraryOf([...others, m]), title) !== null) generated++;
          // 2. written as a library and read back: what the reader accepts, the generator writes safely or refuses
          let text: string;
          try {
            text = libraryText([...others, m], 'hostile');
          } catch {
            return; // not even YAML can hold it
          }
          const lib = parseModuleLibrary(text, 'hostile.modules.yaml');
          const back = lib.specs.find((s) => s.name === m.name);
          if (back && generateOrRefuse(back.name, lib, title) !== null) viaReader++;
        },
      ),
      {
        numRuns: Number(process.env.HOSTILE_RUNS ?? 400),
        ...(process.env.HOSTILE_SEED
          ? { seed: Number(process.env.HOSTILE_SEED), path: process.env.HOSTILE_PATH, endOnFailure: true }
          : {}),
      },
    );
    if (process.env.HOSTILE_RUNS) console.log(`generated ${generated}, via the reader ${viaReader}`);
    // the property is not vacuous: hostile text in descriptions, messages and defaults is still generated
    expect(generated).toBeGreaterThan(20);
    expect(viaReader).toBeGreaterThan(10);
  }, 120_000); // a few seconds of work; the machine is shared
});

describe("string arguments, which YOLOv5's parse_model eval()s", () => {
  const config = (arg: string) =>
    `nc: 2\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\nbackbone:\n  [[-1, 1, Conv, [16, 3, 2]],\n   [-1, 1, nn.Upsample, [None, 2, ${JSON.stringify(arg)}]]]\nhead: []\n`;

  it('a string that is neither a name nor an expression the evaluator understands gets a warning naming the risk', () => {
    for (const arg of [
      PAYLOAD,
      "os.system('id')",
      "exec('import os')",
      "open('/etc/passwd')",
      'a.b',
      "getattr(nn, 'Conv2d')",
    ]) {
      const a = analyze(parseModelText(config(arg), 'hostile.yaml'));
      const w = a.diagnostics.filter((d) => d.code === 'string-argument');
      expect(w, arg).toHaveLength(1);
      expect(w[0]).toMatchObject({ severity: 'warning', line: 7, layer: 1 });
      expect(diagnosticText(w[0])).toContain('eval()');
      expect(diagnosticText(w[0])).toContain('execute as Python code');
      expect(riskyStrings(parseModelText(config(arg)))).toEqual([{ layer: 1, text: arg }]);
    }
    for (const arg of [
      'nearest',
      'bilinear',
      'nc',
      'anchors',
      'None',
      "'nearest'",
      '2 * nc',
      'nn.LeakyReLU(0.1)',
      'max(nc, 2)',
    ]) {
      const a = analyze(parseModelText(config(arg), 'fine.yaml'));
      expect(
        a.diagnostics.filter((d) => d.code === 'string-argument'),
        arg,
      ).toEqual([]);
    }
  });

  it('Export for YOLOv5 refuses such a string unless string arguments are allowed', () => {
    const refused = exportForYolov5('m', config(PAYLOAD), [defaultLibrary()]);
    expect(refused.files).toEqual([]);
    expect(formatMessage(refused.errors[0])).toMatch(/^layer 1: argument .*eval\(\).*nothing is exported/);
    const allowed = exportForYolov5('m', config(PAYLOAD), [defaultLibrary()], { allowStrings: true });
    expect(allowed.errors).toEqual([]);
    expect(allowed.files.map((f) => f.path)).toEqual(['m.yaml']);
    expect(exportForYolov5('m', config('nearest'), [defaultLibrary()]).errors).toEqual([]);
  });
});
