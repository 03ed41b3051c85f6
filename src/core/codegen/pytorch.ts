/**
 * PyTorch classes from module descriptions (src/core/custom/spec.ts): the same data the core interprets
 * becomes an nn.Module whose state_dict names, parameter shapes and forward pass are those the core computes.
 *
 * __init__ mirrors the nodes that build modules (loops and conditions kept as Python `for` and `if` on the
 * constructor's arguments), forward mirrors every node: `use` calls the same module again, split is
 * torch.split, cat torch.cat(dim=1), mean_c/max_c torch.mean/amax over channels, pass an alias. Values whose
 * ids are templated ('c{i}') live in dicts (`c[i]`); a node without `in` reads the previous node's value.
 */
import { defaultValue } from '../custom/interpret.ts';
import { MODULE_OPS, PRIMITIVES, isPrimitive } from '../custom/ops.ts';
import type { ModuleCheck, ModuleNode, ModuleSpec } from '../custom/spec.ts';
import type { ModuleDef } from '../graph.ts';
import { IDENT, isIdentifier, isPlainAttribute, PY_KEYWORDS, splitLines, visible } from '../names.ts';
import { isPyModule, repr, reprFloat, reprStr, type Py } from '../py.ts';
import { textIn } from '../text.ts';
import { CodegenError, namesOf, parse, printNode, type PyNode } from './pyprint.ts';

/** What an op is, as far as the generated Python is concerned. */
export type OpKind =
  | { kind: 'fn' }
  | { kind: 'nn'; cls: string }
  /** A class: YOLOv5's own (imported from `from`) or generated in the same file (`from` undefined). */
  | { kind: 'class'; cls: string; from?: string; multiInput: boolean };

export interface ClassContext {
  /** Classes generated in the same file, by name, with their input counts. */
  generated: Map<string, ModuleSpec>;
  /** Registered modules (built-ins), for ops that are not generated. */
  lookup(name: string): ModuleDef | undefined;
}

export interface GeneratedClass {
  name: string;
  code: string;
  /** Imports it needs: module -> names. */
  imports: Map<string, Set<string>>;
  /** Generated classes it uses (they must come first in the file). */
  uses: Set<string>;
}

const KEYWORDS = PY_KEYWORDS;
/** Names the generated code itself uses: never available for values or arguments. */
const RESERVED = new Set([
  'self',
  'torch',
  'nn',
  'F',
  'math',
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
  'isinstance',
  'ValueError',
  'inputs',
  '_last',
]);
/** nn.Module members, and what parse_model sets on every layer (m_.i, m_.f, m_.type, m_.np). */
const MODULE_ATTRS = new Set([
  'i',
  'f',
  'type',
  'np',
  'training',
  'forward',
  'parameters',
  'modules',
  'children',
  'state_dict',
  'to',
  'cuda',
  'cpu',
  'half',
  'float',
  'double',
  'eval',
  'train',
  'apply',
  'register_buffer',
  'register_parameter',
  'add_module',
  'named_modules',
  'named_parameters',
  'buffers',
  'zero_grad',
  'requires_grad_',
  'load_state_dict',
  'extra_repr',
  'dump_patches',
  'call_super_init',
]);

const isFn = (op: string) => isPrimitive(op) && PRIMITIVES[op].kind === 'fn';

/** Resolve an op to what the Python calls. */
export function opKind(op: string, ctx: ClassContext): OpKind {
  if (isFn(op)) return { kind: 'fn' };
  if (isPrimitive(op)) return { kind: 'nn', cls: op.replace(/^(torch\.)?nn\./, '') };
  if (/^(torch\.)?nn\./.test(op)) {
    const cls = op.replace(/^(torch\.)?nn\./, '');
    // only torch.nn classes the core knows (and identifiers: the name is written into the generated code)
    if (
      !isIdentifier(cls) ||
      (!MODULE_OPS.includes(`nn.${cls}`) && ctx.lookup(op)?.torchPath.startsWith('torch.nn.') !== true)
    )
      throw new CodegenError(`unknown torch.nn module ${reprStr(op)}`);
    return { kind: 'nn', cls };
  }
  const spec = ctx.generated.get(op);
  if (spec) return { kind: 'class', cls: op, multiInput: (spec.inputs ?? ['x']).length > 1 };
  const def = ctx.lookup(op);
  if (!def) throw new CodegenError(`unknown module '${op}'`);
  const dot = def.torchPath.lastIndexOf('.');
  const mod = def.torchPath.slice(0, dot);
  const cls = def.torchPath.slice(dot + 1);
  if (!isIdentifier(cls)) throw new CodegenError(`${reprStr(op)} has no Python class name`);
  if (mod.startsWith('torch.nn')) return { kind: 'nn', cls };
  // YOLOv5's classes, or Ultralytics' (imported from where the package defines them)
  if (mod === 'models.common' || mod === 'models.experimental' || /^ultralytics\.nn\.modules\.\w+$/.test(mod))
    return { kind: 'class', cls, from: mod, multiInput: !!def.multiInput };
  throw new CodegenError(`${op} (${def.torchPath}) cannot be used inside a module`);
}

/** A string with {expr} parts. */
interface Template {
  parts: string[];
  exprs: string[];
}
function template(s: string): Template {
  const parts: string[] = [];
  const exprs: string[] = [];
  let at = 0;
  for (const m of s.matchAll(/\{([^{}]+)\}/g)) {
    parts.push(s.slice(at, m.index));
    exprs.push(m[1]);
    at = m.index! + m[0].length;
  }
  parts.push(s.slice(at));
  return { parts, exprs };
}
const shapeKey = (t: Template) => t.parts.join('\u0000');
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Frame = { kind: 'for'; v: string; range1: boolean } | { kind: 'when' };

/** Generate one class. Throws CodegenError when the description cannot be written as PyTorch. */
export function generateClass(spec: ModuleSpec, ctx: ClassContext): GeneratedClass {
  const name = spec.name;
  const fail = (m: string): never => {
    throw new CodegenError(`${name}: ${m}`);
  };
  if (!isIdentifier(name)) fail('not a valid Python class name');
  /** A loop variable, checked where it is written: an identifier the generated code does not use itself. */
  const loopVar = (v: string): string => {
    if (!isIdentifier(v) || RESERVED.has(v))
      fail(`loop variable ${reprStr(v)} cannot be a Python name here; rename it`);
    return v;
  };
  const imports = new Map<string, Set<string>>();
  const uses = new Set<string>();
  const argNames = spec.args.map((a) => a.name);
  const varNames = (spec.vars ?? []).map(([k]) => k);
  const inputs = spec.inputs ?? ['x'];
  for (const n of [...argNames, ...varNames])
    if (!isIdentifier(n) || RESERVED.has(n))
      fail(`${reprStr(n)} cannot be a Python name in the generated class; rename it`);
  for (const n of inputs)
    if (!isIdentifier(n) || RESERVED.has(n))
      fail(`input ${reprStr(n)} cannot be a Python name in the generated class; rename it`);

  // ---------- expressions ----------
  const expr = (src: string, known: Set<string>, where: string): string => {
    const n = parse(src, `${name}: ${where}`);
    checkNames(n, known, where, src);
    return printNode(n);
  };
  const checkNames = (n: PyNode, known: Set<string>, where: string, src: string) => {
    for (const id of namesOf(n))
      if (!known.has(id)) fail(`${where}: name '${id}' in '${src}' is not an argument, a var or a loop variable`);
  };
  /** A node argument: literals, expressions, and bare unknown names as strings (as the core leaves 'nearest'). */
  const argument = (v: Py, known: Set<string>, where: string, tuple = false): string => {
    if (v === null) return 'None';
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : reprFloat(v);
    if (Array.isArray(v)) {
      const items = v.map((x) => argument(x, known, where));
      return tuple ? `(${items.join(', ')}${items.length === 1 ? ',' : ''})` : `[${items.join(', ')}]`;
    }
    if (typeof v === 'string') {
      const n = parse(v, `${name}: ${where}`);
      if (n.t === 'name' && !known.has(n.id) && IDENT.test(v.trim())) return pyString(v.trim());
      checkNames(n, known, where, v);
      return printNode(n);
    }
    return printNode(parse(String(v), where));
  };

  // ---------- attributes (module names) ----------
  interface Attr {
    /** Top-level attribute (a module, or a ModuleList holding keyed modules). */
    top: string;
    /** ModuleList key (template), when the name is 'top.key'. */
    key?: Template;
    /** Templated top-level name ('cv{i}'), set with setattr. */
    dyn?: Template;
  }
  const attrOf = (raw: string): Attr => {
    const segs = raw.split('.');
    if (!isPlainAttribute(raw))
      fail(`module name ${reprStr(raw)} starts with two underscores (Python would rename it inside the class)`);
    if (segs.length > 2) fail(`module name '${raw}': at most one level of container ('convs.{i}') is supported`);
    if (segs.length === 2) {
      if (!isIdentifier(segs[0])) fail(`module name ${reprStr(raw)}: the container name must be a plain name`);
      const key = template(segs[1]);
      if (!key.exprs.length && !/^\d+$/.test(segs[1]))
        fail(`module name '${raw}': a container key must be a number or {expression}`);
      if (key.exprs.length && (key.exprs.length !== 1 || key.parts[0] !== '' || key.parts[1] !== ''))
        fail(`module name '${raw}': a container key must be a number or a single {expression}`);
      return { top: segs[0], key };
    }
    const t = template(raw);
    if (t.exprs.length) {
      if (!IDENT.test(t.parts.join('x'))) fail(`module name ${reprStr(raw)} is not a valid attribute name`);
      return { top: raw, dyn: t };
    }
    if (!isIdentifier(raw)) fail(`module name ${reprStr(raw)} is not a valid attribute name`);
    return { top: raw };
  };
  const fstring = (t: Template, known: Set<string>, where: string) =>
    `f'${t.parts.map((p, i) => p + (i < t.exprs.length ? `{${expr(t.exprs[i], known, where)}}` : '')).join('')}'`;
  const keyExpr = (t: Template, known: Set<string>, where: string) =>
    t.exprs.length ? expr(t.exprs[0], known, where) : t.parts[0];

  // which containers can use append (one creating node, key = the only loop's range(n) variable, unconditional)
  const containerNodes = new Map<string, { node: ModuleNode; frames: Frame[] }[]>();
  const moduleNodes: { node: ModuleNode; frames: Frame[] }[] = [];
  const walk = (nodes: ModuleNode[], frames: Frame[]) => {
    for (const node of nodes) {
      let fr = frames;
      if (node.for) {
        const entries = Object.entries(node.for);
        if (entries.length !== 1) fail(`a node loops over one variable (got ${entries.map(([k]) => k).join(', ')})`);
        const [[v, r]] = entries;
        fr = [...fr, { kind: 'for', v, range1: /^\s*range\(([^,]*)\)\s*$/.test(String(r)) }];
      }
      if (node.when !== undefined) fr = [...fr, { kind: 'when' }];
      if (node.body) walk(node.body, fr);
      else if (node.op !== undefined && node.use === undefined && !isFn(node.op)) {
        moduleNodes.push({ node, frames: fr });
        const a = attrOf(node.name ?? node.id ?? '');
        if (a.key) containerNodes.set(a.top, [...(containerNodes.get(a.top) ?? []), { node, frames: fr }]);
      }
    }
  };
  walk(spec.body, []);
  const appendMode = new Set<string>();
  for (const [top, list] of containerNodes) {
    if (list.length !== 1) continue;
    const { node, frames } = list[0];
    const key = attrOf(node.name ?? node.id!).key!;
    const loops = frames.filter((f) => f.kind === 'for');
    const last = frames.findLastIndex((f) => f.kind === 'for');
    if (
      loops.length === 1 &&
      key.exprs.length === 1 &&
      key.exprs[0].trim() === (loops[0] as { v: string }).v &&
      (loops[0] as { range1: boolean }).range1 &&
      !frames.slice(last).some((f) => f.kind === 'when')
    )
      appendMode.add(top);
  }
  const topAttrs = new Set(moduleNodes.map((m) => attrOf(m.node.name ?? m.node.id!).top));
  for (const t of topAttrs)
    if (MODULE_ATTRS.has(t)) fail(`module name '${t}' clashes with an nn.Module or YOLOv5 attribute; rename it`);

  // ---------- module constructors ----------
  const ctor = (node: ModuleNode, known: Set<string>): string => {
    const op = node.op!;
    const k = opKind(op, ctx);
    const where = `node '${node.id}'`;
    if (k.kind === 'fn') return fail(`${where}: ${op} is a function, not a module`);
    // torch.nn takes sizes as tuples
    const args = (node.args ?? []).map((a) => argument(a, known, where, k.kind === 'nn'));
    const kwargs = Object.entries(node.kwargs ?? {}).map(([kw, v]): [string, string] => [
      kw,
      argument(v, known, where, k.kind === 'nn'),
    ]);
    let call: string;
    if (k.kind === 'nn') {
      const prim = PRIMITIVES[op] ?? PRIMITIVES[`nn.${k.cls}`];
      if (op === 'activation') {
        // Conv's default activation, from where the family's Conv lives
        const conv = ctx.lookup('Conv');
        const at = conv?.torchPath.slice(0, conv.torchPath.lastIndexOf('.'));
        if (!at) fail(`${where}: activation needs the family's Conv (its default_act)`);
        (imports.get(at!) ?? imports.set(at!, new Set()).get(at!)!).add('Conv');
      }
      try {
        call =
          prim && 'ctor' in prim.py
            ? prim.py.ctor(args, kwargs)
            : `nn.${k.cls}(${[...args, ...kwargs.map(([kw, v]) => `${kw}=${v}`)].join(', ')})`;
      } catch (e) {
        return fail(`${where}: ${(e as Error).message}`);
      }
    } else {
      if (k.from) (imports.get(k.from) ?? imports.set(k.from, new Set()).get(k.from)!).add(k.cls);
      else uses.add(k.cls);
      call = `${k.cls}(${[...args, ...kwargs.map(([kw, v]) => `${kw}=${v}`)].join(', ')})`;
    }
    if (node.repeat !== undefined) {
      const reps = typeof node.repeat === 'number' ? String(node.repeat) : expr(node.repeat, known, `${where} repeat`);
      return `nn.Sequential(*(${call} for _ in range(${reps})))`;
    }
    return call;
  };

  // ---------- __init__ ----------
  // a default is what the core makes of it: a Python literal, or else the text as a string
  const sig = spec.args.map((a) => {
    if (a.default === undefined) return a.name;
    const v = defaultValue(a.default)!;
    return `${a.name}=${isPyModule(v) ? printNode(parse(a.default, '')) : repr(v)}`;
  });
  const init: string[] = [`    def __init__(self, ${sig.join(', ')}):`, '        super().__init__()'];
  const known0 = new Set(argNames);
  for (const [k, e] of spec.vars ?? []) {
    init.push(`        ${k} = ${expr(e, known0, `var ${k}`)}`);
    known0.add(k);
  }
  /** A check PyTorch makes: raise when it fails (notes about what PyTorch silently does are the core's only). */
  const raise = (c: ModuleCheck, ind: string, known: Set<string>) => {
    if ((c.severity ?? 'error') !== 'error') return;
    init.push(`${ind}if not (${expr(c.assert, known, 'check')}):`);
    init.push(`${ind}    raise ValueError(${message(c)})`);
  };
  /**
   * The check's English message as a plain string literal: its {expr} parts stay as written (nothing but the
   * description's own conditions and sizes becomes code in the generated file).
   */
  const message = (c: ModuleCheck): string =>
    pyString(`${c.code === undefined ? `${name}: ` : ''}${textIn(c.message)}`);
  for (const c of spec.check ?? []) raise(c, '        ', known0);
  if (spec.base) return subclass(spec.base);
  const builds = (n: ModuleNode): boolean =>
    n.body ? n.body.some(builds) : n.op !== undefined && n.use === undefined && !isFn(n.op);
  const isCheck = (n: ModuleNode) => n.assert !== undefined && (n.severity ?? 'error') === 'error';
  const emits = (n: ModuleNode): boolean => (n.body ? n.body.some(emits) : builds(n) || isCheck(n));
  // A ModuleList is created where the core creates it: before the top-level node whose first module goes
  // into it when that is certain (no condition on the way; loops assumed to run), else lazily at each use.
  const declared = new Set<string>();
  const lazy = new Set<string>();
  const firstBuilt = (n: ModuleNode, frames: Frame[]): { node: ModuleNode; frames: Frame[] } | undefined => {
    const fr: Frame[] = [
      ...frames,
      ...(n.for ? [{ kind: 'for' as const, v: '', range1: true }] : []),
      ...(n.when !== undefined ? [{ kind: 'when' as const }] : []),
    ];
    if (!n.body) return builds(n) ? { node: n, frames: fr } : undefined;
    for (const c of n.body) {
      const f = firstBuilt(c, fr);
      if (f) return f;
    }
    return undefined;
  };
  const containersIn = (n: ModuleNode, out: string[] = []): string[] => {
    if (n.body) n.body.forEach((c) => containersIn(c, out));
    else if (builds(n)) {
      const a = attrOf(n.name ?? n.id!);
      if (a.key && !out.includes(a.top)) out.push(a.top);
    }
    return out;
  };
  for (const node of spec.body) {
    const first = firstBuilt(node, []);
    for (const c of containersIn(node)) {
      if (declared.has(c) || lazy.has(c)) continue;
      const a = first && attrOf(first.node.name ?? first.node.id!);
      if (a?.top === c && !first!.frames.some((f) => f.kind === 'when')) declared.add(c);
      else lazy.add(c);
    }
  }
  const containerCtor = (c: string) => `nn.${spec.containers?.[c] ?? 'ModuleList'}()`;
  const hoisted = new Set<string>();
  const initNodes = (nodes: ModuleNode[], ind: string, known: Set<string>) => {
    for (const node of nodes) {
      if (!emits(node)) continue;
      if (ind === '        ') {
        for (const c of containersIn(node)) {
          if (!declared.has(c) || hoisted.has(c)) continue;
          hoisted.add(c);
          init.push(`${ind}self.${c} = ${containerCtor(c)}`);
        }
      }
      let i = ind;
      let kn = known;
      if (node.for) {
        const [[v, r]] = Object.entries(node.for);
        init.push(`${i}for ${loopVar(v)} in ${loopExpr(String(r), kn, `node '${node.id ?? v}' loop`)}:`);
        i += '    ';
        kn = new Set([...kn, v]);
      }
      if (node.when !== undefined) {
        init.push(`${i}if ${expr(node.when, kn, `node '${node.id}' when`)}:`);
        i += '    ';
      }
      if (node.body) {
        initNodes(node.body, i, kn);
        continue;
      }
      if (node.assert !== undefined) {
        raise(node as ModuleCheck, i, kn);
        continue;
      }
      const a = attrOf(node.name ?? node.id!);
      const c = ctor(node, kn);
      const where = `node '${node.id}' name`;
      if (a.key) {
        if (lazy.has(a.top))
          init.push(`${i}if not hasattr(self, '${a.top}'):`, `${i}    self.${a.top} = ${containerCtor(a.top)}`);
        if (appendMode.has(a.top)) init.push(`${i}self.${a.top}.append(${c})`);
        else init.push(`${i}self.${a.top}.add_module(str(${keyExpr(a.key, kn, where)}), ${c})`);
      } else if (a.dyn) init.push(`${i}setattr(self, ${fstring(a.dyn, kn, where)}, ${c})`);
      else init.push(`${i}self.${a.top} = ${c}`);
    }
  };
  /** A loop's values: range(a) / range(a, b), or a list expression, as the core's loops take them. */
  const loopExpr = (r: string, known: Set<string>, where: string, record = false): string => {
    const n = parse(r, `${name}: ${where}`);
    const isRange = n.t === 'call' && n.fn.t === 'name' && n.fn.id === 'range';
    const parts = isRange ? n.args : [n];
    if (isRange && (n.args.length < 1 || n.args.length > 2 || n.kwargs.length))
      fail(`${where}: range() takes one or two arguments here`);
    for (const a of parts) {
      checkNames(a, known, where, r);
      if (record) for (const id of namesOf(a)) if (fwdKnown.has(id) && !loopScope.has(id)) stored.add(id);
    }
    const py = parts.map((a) => printNode(a)).join(', ');
    return isRange ? `range(${py})` : py;
  };
  initNodes(spec.body, '        ', known0);

  /** A module that extends another (DWConv extends Conv): its constructor calls the base's; forward is the base's. */
  function subclass(base: NonNullable<ModuleSpec['base']>): GeneratedClass {
    const k = opKind(base.op, ctx);
    const where = 'base';
    if (k.kind === 'fn') return fail(`${where}: ${base.op} is a function, not a module`);
    const args = [
      ...(base.args ?? []).map((a) => argument(a, known0, where, k.kind === 'nn')),
      ...Object.entries(base.kwargs ?? {}).map(([kw, v]) => `${kw}=${argument(v, known0, where, k.kind === 'nn')}`),
    ];
    let cls: string;
    if (k.kind === 'nn') cls = `nn.${k.cls}`;
    else {
      if (k.from) (imports.get(k.from) ?? imports.set(k.from, new Set()).get(k.from)!).add(k.cls);
      else uses.add(k.cls);
      cls = k.cls;
    }
    init.splice(1, 1);
    init.push(`        super().__init__(${args.join(', ')})`);
    const lines = [...pyComment(textIn(spec.description)), `class ${name}(${cls}):`, ...init];
    return { name, code: `${lines.join('\n')}\n`, imports, uses };
  }

  // ---------- forward: values ----------
  // checks are the constructor's: forward sees the nodes that make values
  const valueNodes = (nodes: ModuleNode[]): ModuleNode[] =>
    nodes.filter((n) => n.assert === undefined).map((n) => (n.body ? { ...n, body: valueNodes(n.body) } : n));
  const fbody = valueNodes(spec.body);
  const plain = new Map<string, { py: string; split: boolean }>();
  const templated = new Map<string, { t: Template; py: string; split: boolean }>();
  const taken = new Set<string>([...KEYWORDS, ...RESERVED]);
  // names forward reads from the constructor (args and vars), loop variables
  const stored = new Set<string>();
  const loopVars = new Set<string>();
  const collectIds = (nodes: ModuleNode[]) => {
    for (const n of nodes) {
      if (n.for) loopVars.add(Object.keys(n.for)[0]);
      if (n.body) collectIds(n.body);
      for (const r of typeof n.in === 'string' ? [n.in] : (n.in ?? [])) {
        const m = /^(.*) for (\w+) in (.+)$/.exec(r);
        if (m) loopVars.add(m[2]);
      }
    }
  };
  collectIds(fbody);
  for (const v of loopVars) loopVar(v);
  for (const n of [...argNames, ...varNames, ...loopVars]) taken.add(n);
  const alloc = (want: string): string => {
    let s = IDENT.test(want) ? want : want.replace(/\W/g, '_').replace(/^(\d)/, '_$1') || 'v';
    while (taken.has(s)) s += '_';
    taken.add(s);
    return s;
  };
  for (const n of inputs) {
    plain.set(n, { py: n, split: false });
    taken.add(n);
  }
  const defineIds = (nodes: ModuleNode[]) => {
    for (const n of nodes) {
      if (n.body) {
        defineIds(n.body);
        continue;
      }
      if (n.id === undefined) continue;
      const split = n.op === 'split' || n.op === 'chunk';
      const t = template(n.id);
      if (!t.exprs.length) {
        const prev = plain.get(n.id);
        if (prev) {
          if (prev.split !== split) fail(`id '${n.id}' is both a split and a single value`);
          continue;
        }
        plain.set(n.id, { py: alloc(n.id), split });
        continue;
      }
      const key = shapeKey(t);
      const prev = templated.get(key);
      if (prev) {
        if (prev.split !== split) fail(`id '${n.id}' is both a split and a single value`);
        continue;
      }
      templated.set(key, { t, py: alloc(t.parts.find((p) => IDENT.test(p)) ?? 'v'), split });
    }
  };
  defineIds(fbody);

  const fwd: string[] = [];
  const fwdKnown = new Set([...argNames, ...varNames]);
  let loopScope = new Set<string>();
  /** Expression in forward: reads constructor values (recorded for storing) and loop variables. */
  const fexpr = (src: string, known: Set<string>, where: string): string => {
    const n = parse(src, `${name}: ${where}`);
    checkNames(n, known, where, src);
    for (const id of namesOf(n)) if (fwdKnown.has(id) && !loopScope.has(id)) stored.add(id);
    return printNode(n);
  };

  /** The Python for a reference (an input, an id, 'id.K' of a split, templated 'c{i-1}', literal 'c0'). */
  const ref = (r: string, known: Set<string>, where: string): { py: string; split: boolean } => {
    const p = plain.get(r);
    if (p) return p;
    const sm = /^(.*)\.(\d+|\{[^{}]+\})$/.exec(r);
    if (sm) {
      const base = tryRef(sm[1], known, where);
      if (base?.split) {
        const k = sm[2].startsWith('{') ? fexpr(sm[2].slice(1, -1), known, where) : sm[2];
        return { py: `${base.py}[${k}]`, split: false };
      }
    }
    const v = tryRef(r, known, where);
    if (!v) return fail(`${where} reads '${r}', which no node defines`);
    return v;
  };
  const tryRef = (r: string, known: Set<string>, where: string): { py: string; split: boolean } | undefined => {
    const p = plain.get(r);
    if (p) return p;
    for (const { t, py, split } of templated.values()) {
      const re = new RegExp(`^${t.parts.map(escapeRe).join('(\\{[^{}]+\\}|-?\\d+)')}$`);
      const m = re.exec(r);
      if (!m) continue;
      const keys = m.slice(1).map((g) => (g.startsWith('{') ? fexpr(g.slice(1, -1), known, where) : g));
      return { py: `${py}[${keys.length === 1 ? keys[0] : `(${keys.join(', ')})`}]`, split };
    }
    return undefined;
  };
  /** Where a node's value goes. */
  const target = (id: string, known: Set<string>, where: string): string => {
    const t = template(id);
    if (!t.exprs.length) return plain.get(id)!.py;
    const slot = templated.get(shapeKey(t))!;
    const keys = t.exprs.map((e) => fexpr(e, known, where));
    return `${slot.py}[${keys.length === 1 ? keys[0] : `(${keys.join(', ')})`}]`;
  };
  const moduleRef = (raw: string, known: Set<string>, where: string): string => {
    const a = attrOf(raw);
    if (a.key) {
      const k = a.key.exprs.length ? fexpr(a.key.exprs[0], known, where) : a.key.parts[0];
      return appendMode.has(a.top) ? `self.${a.top}[${k}]` : `getattr(self.${a.top}, str(${k}))`;
    }
    if (a.dyn)
      return `getattr(self, f'${a.dyn.parts.map((p, i) => p + (i < a.dyn!.exprs.length ? `{${fexpr(a.dyn!.exprs[i], known, where)}}` : '')).join('')}')`;
    return `self.${a.top}`;
  };

  // does any node depend on the previous value at run time (first in a loop or conditional block, or after one)?
  let dynamicLast = false;
  const simple = (n: ModuleNode) => !n.body && !n.for && n.when === undefined;
  const needsLast = (nodes: ModuleNode[], top: boolean) => {
    nodes.forEach((n, k) => {
      if (n.body) needsLast(n.body, false);
      else if (n.in === undefined && ((k === 0 && !top) || (k > 0 && !simple(nodes[k - 1])))) dynamicLast = true;
    });
    if (spec.out === undefined && top && nodes.length && !simple(nodes[nodes.length - 1])) dynamicLast = true;
  };
  needsLast(fbody, true);
  const lastOf = (n: ModuleNode, known: Set<string>, where: string): string => {
    const v = target(n.id!, known, where);
    return plain.get(n.id!)?.split || templated.get(shapeKey(template(n.id!)))?.split ? `${v}[-1]` : v;
  };
  // the module a `use` node applies again: op of the node that built it
  const builtOp = new Map<string, string>();
  for (const { node } of moduleNodes) builtOp.set(node.name ?? node.id!, node.op!);
  const useOp = (use: string): string => {
    const direct = builtOp.get(use);
    if (direct) return direct;
    for (const [n, op] of builtOp) {
      const t = template(n);
      if (new RegExp(`^${t.parts.map(escapeRe).join('(\\{[^{}]+\\}|-?\\d+)')}$`).test(use)) return op;
    }
    return fail(`a node uses module '${use}', which no node builds`);
  };

  // YOLOv5's initialize_weights sets inplace=True on every Hardswish, LeakyReLU, ReLU, ReLU6 and SiLU module.
  // Such a module may then overwrite its input: it gets a copy when that input (or an alias of it: a pass, a
  // split piece, the module's own input) is read again later, or when it runs inside a loop.
  const INPLACE = new Set(['Hardswish', 'LeakyReLU', 'ReLU', 'ReLU6', 'SiLU']);
  const slotOf = (r: string): string | undefined => {
    const m = /^(.*) for (\w+) in (.+)$/.exec(r);
    if (m) return slotOf(m[1]);
    if (plain.has(r)) return `p:${r}`;
    const sm = /^(.*)\.(\d+|\{[^{}]+\})$/.exec(r);
    if (sm) {
      const b = slotOf(sm[1]);
      if (b) return b;
    }
    for (const [key, { t }] of templated)
      if (new RegExp(`^${t.parts.map(escapeRe).join('(\\{[^{}]+\\}|-?\\d+)')}$`).test(r)) return `t:${key}`;
    return undefined;
  };
  const slotOfId = (id: string) => (template(id).exprs.length ? `t:${shapeKey(template(id))}` : `p:${id}`);
  const flat: { node: ModuleNode; loop: boolean; reads: string[]; write?: string }[] = [];
  const flatten = (nodes: ModuleNode[], loop: boolean) => {
    for (const n of nodes) {
      const inLoop = loop || !!n.for;
      if (n.body) {
        flatten(n.body, inLoop);
        continue;
      }
      const refs = n.in === undefined ? null : Array.isArray(n.in) ? n.in : [n.in];
      const prev = flat.length ? flat[flat.length - 1].write : `p:${inputs[0]}`;
      const reads = refs ? refs.map(slotOf).filter((x): x is string => !!x) : prev ? [prev] : [];
      flat.push({ node: n, loop: inLoop, reads, write: n.id === undefined ? undefined : slotOfId(n.id) });
    }
  };
  flatten(fbody, false);
  const parent = new Map<string, string>();
  const find = (x: string): string => (parent.has(x) && parent.get(x) !== x ? find(parent.get(x)!) : x);
  for (const f of flat) if (f.node.op === 'pass' && f.write && f.reads[0]) parent.set(find(f.write), find(f.reads[0]));
  const outSlot = spec.out !== undefined ? slotOf(spec.out) : undefined;
  const copyInput = new Set<ModuleNode>();
  flat.forEach((f, k) => {
    const op = f.node.use !== undefined ? useOp(f.node.use) : f.node.op;
    if (!op || !/^(torch\.)?nn\./.test(op) || !INPLACE.has(op.replace(/^(torch\.)?nn\./, '')) || !f.reads[0]) return;
    const cls = find(f.reads[0]);
    const later =
      flat.slice(k + 1).some((g) => g.reads.some((r) => find(r) === cls)) ||
      (outSlot !== undefined && find(outSlot) === cls);
    if (f.loop || later || inputs.some((n) => find(`p:${n}`) === cls)) copyInput.add(f.node);
  });

  const fwdNodes = (nodes: ModuleNode[], ind: string, known: Set<string>, top: boolean) => {
    nodes.forEach((node, k) => {
      let i = ind;
      let kn = known;
      const saved = loopScope;
      if (node.for) {
        const [[v, r]] = Object.entries(node.for);
        const rangeSrc = loopExpr(String(r), kn, `node '${node.id ?? v}' loop`, true);
        fwd.push(`${i}for ${loopVar(v)} in ${rangeSrc}:`);
        i += '    ';
        kn = new Set([...kn, v]);
        loopScope = new Set([...loopScope, v]);
      }
      if (node.when !== undefined) {
        fwd.push(`${i}if ${fexpr(node.when, kn, `node '${node.id}' when`)}:`);
        i += '    ';
      }
      if (node.body) {
        const before = fwd.length;
        fwdNodes(node.body, i, kn, false);
        if (fwd.length === before) fwd.push(`${i}pass`);
        loopScope = saved;
        return;
      }
      const where = `node '${node.id}'`;
      const refs = node.in === undefined ? null : Array.isArray(node.in) ? node.in : [node.in];
      const items: string[] = [];
      if (refs) {
        for (const r of refs) {
          const m = /^(.*) for (\w+) in (.+)$/.exec(r);
          if (m) {
            const inner = new Set([...kn, m[2]]);
            const saved2 = loopScope;
            loopScope = new Set([...loopScope, m[2]]);
            const body = ref(m[1], inner, where).py;
            loopScope = saved2;
            items.push(`*[${body} for ${loopVar(m[2])} in ${loopExpr(m[3], kn, `${where} input`, true)}]`);
          } else items.push(ref(r, kn, where).py);
        }
      } else if (dynamicLast && !(top && k === 0)) items.push('_last');
      else if (k === 0) items.push(inputs[0]);
      else items.push(lastOf(nodes[k - 1], kn, where));
      const x = items[0].startsWith('*') ? `[${items[0]}][0]` : items[0];
      const out = target(node.id!, kn, where);
      let rhs: string;
      if (node.use !== undefined || !isFn(node.op!)) {
        const op = node.use !== undefined ? useOp(node.use) : node.op!;
        const kind = opKind(op, ctx);
        const mref = moduleRef(node.use ?? node.name ?? node.id!, kn, where);
        const multi = kind.kind === 'class' && kind.multiInput;
        rhs = `${mref}(${multi ? `[${items.join(', ')}]` : copyInput.has(node) ? `${x}.clone()` : x})`;
        // Linear and LayerNorm act on each position's channel vector (the core's meaning), PyTorch's on the last axis
        if (kind.kind === 'nn' && (kind.cls === 'Linear' || kind.cls === 'LayerNorm'))
          rhs = `${mref}(${copyInput.has(node) ? `${x}.clone()` : x}.movedim(1, -1)).movedim(-1, 1)`;
      } else {
        const prim = PRIMITIVES[node.op!];
        const min = prim.inputs ?? 1;
        if (items.length < min && !items.some((s) => s.startsWith('*')))
          fail(`${where} (${node.op}) needs ${min} inputs`);
        const arg = (n: string): string | undefined => {
          const k = prim.args.findIndex((a) => a.name === n);
          const v = node.kwargs?.[n] ?? (k >= 0 ? node.args?.[k] : undefined);
          return v === undefined ? undefined : fargument(v, kn, where);
        };
        if (!('forward' in prim.py)) return fail(`${where}: unknown function ${node.op}`);
        try {
          rhs = prim.py.forward(x, items, arg);
        } catch (e) {
          rhs = fail(`${where}: ${(e as Error).message}`);
        }
      }
      fwd.push(`${i}${out} = ${rhs}`);
      if (dynamicLast) fwd.push(`${i}_last = ${lastOf(node, kn, where)}`);
      loopScope = saved;
    });
  };
  const fargument = (v: Py, known: Set<string>, where: string): string => {
    if (typeof v === 'string') {
      const n = parse(v, `${name}: ${where}`);
      checkNames(n, known, where, v);
      for (const id of namesOf(n)) if (fwdKnown.has(id) && !loopScope.has(id)) stored.add(id);
      return printNode(n);
    }
    if (Array.isArray(v)) return `[${v.map((x) => fargument(x, known, where)).join(', ')}]`;
    return argument(v, known, where);
  };

  fwdNodes(fbody, '        ', fwdKnown, true);
  const outPy =
    spec.out !== undefined
      ? ref(spec.out, fwdKnown, 'out').py
      : dynamicLast
        ? '_last'
        : lastOf(fbody[fbody.length - 1], fwdKnown, 'out');

  // ---------- assemble ----------
  const storedList = [...argNames, ...varNames].filter((n) => stored.has(n));
  const attrName = new Map<string, string>();
  for (const s of storedList) {
    let a = s;
    while (topAttrs.has(a) || MODULE_ATTRS.has(a) || (a.startsWith('_') && topAttrs.has(a.slice(1)))) a = `_${a}`;
    attrName.set(s, a);
  }
  // the description as comment lines: split at every line-breaking character, so none can end a comment early
  const lines = [...pyComment(textIn(spec.description)), `class ${name}(nn.Module):`, ...init];
  if (storedList.length)
    lines.push(`        ${storedList.map((s) => `self.${attrName.get(s)}`).join(', ')} = ${storedList.join(', ')}`);
  lines.push('');
  const param = inputs.length > 1 ? 'inputs' : inputs[0];
  lines.push(`    def forward(self, ${param}):`);
  if (inputs.length > 1)
    lines.push(`        ${inputs.join(', ')} = ${inputs.map((_, j) => `inputs[${j}]`).join(', ')}`);
  if (storedList.length)
    lines.push(`        ${storedList.join(', ')} = ${storedList.map((s) => `self.${attrName.get(s)}`).join(', ')}`);
  const dicts = [...templated.values()].map((t) => t.py);
  if (dicts.length) lines.push(`        ${dicts.join(', ')} = ${dicts.map(() => '{}').join(', ')}`);
  if (dynamicLast) lines.push(`        _last = ${inputs[0]}`);
  lines.push(...fwd, `        return ${outPy}`);
  return { name, code: `${lines.join('\n')}\n`, imports, uses };
}

/** A Python string literal of any text: Python's own repr (every line break and control character escaped). */
export const pyString = (s: string): string => reprStr(s);

/** Comment lines for any text: one `# ...` line per line of it, whatever character breaks its lines. */
export function pyComment(text: string): string[] {
  return splitLines(text).map((l) => `# ${visible(l)}`.trimEnd());
}
