/**
 * Module library files (NAME.modules.yaml beside a model, modules.yaml in the user's folder): read as YAML,
 * checked, compiled to ModuleDefs. Never throws: problems are diagnostics with file, line and column.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YNode } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import { errorMessage, msg, yamlProblem, type Message } from '../messages/index.ts';
import type { ArgType, ModuleDef } from '../graph.ts';
import { LIMITS } from '../limits.ts';
import { CATEGORY_NAMES, isCategory } from '../modules/categories.ts';
import { hasLineBreak, IDENT, isIdentifier, isPlainAttribute, isTemplatedIdentifier, PY_KEYWORDS } from '../names.ts';
import { nestingTooDeep } from '../nesting.ts';
import { parseExpr, understands } from '../pyexpr.ts';
import { reprFloat, reprStr, type Py } from '../py.ts';
import { Registry } from '../registry.ts';
import { BUILTIN_MODULES } from '../modules/index.ts';
import { isText } from '../text.ts';
import { compileModule, DESCRIPTION_FUNCTION_NAMES } from './interpret.ts';
import { FUNCTION_OPS, MODULE_OPS } from './ops.ts';
import { usedOps, type ModuleArg, type ModuleCheck, type ModuleNode, type ModuleSpec } from './spec.ts';

export interface ModuleLibrary {
  file: string;
  specs: ModuleSpec[];
  defs: ModuleDef[];
  diagnostics: Diagnostic[];
  /** Where each module's name is written (for problems found later, such as a cycle across libraries). */
  keys?: Record<string, { line: number; column: number; range: [number, number] }>;
}

/** Where a problem is inside one module's description: keys and list indices from the module's mapping. */
export type SpecPath = (string | number)[];
/** Report a problem; `key` puts it on the last key of `path` (a name) rather than on its value. */
type SpecError = (message: Message, path?: SpecPath, opts?: { key?: boolean; code?: string }) => void;

export function parseModuleLibrary(
  text: string,
  file = 'modules.yaml',
  known: (name: string) => boolean = (n) => !!new Registry().get(n),
  /** A model family's own built-in descriptions (never a user's file): they may take YOLOv5's module names. */
  opts: { builtin?: boolean } = {},
): ModuleLibrary {
  const lc = new LineCounter();
  const out: ModuleLibrary = { file, specs: [], defs: [], diagnostics: [] };
  const diag = (
    message: Message,
    node?: unknown,
    severity: Diagnostic['severity'] = 'error',
    code = 'module-library',
  ) => {
    const r = (node as { range?: [number, number, number] } | undefined)?.range;
    const at = r ? lc.linePos(r[0]) : { line: 1, col: 1 };
    out.diagnostics.push({
      code,
      severity,
      message,
      file,
      line: at.line,
      column: at.col,
      ...(r ? { range: [r[0], r[1]] as [number, number] } : {}),
    });
  };
  if (text.length > LIMITS.libraryBytes) {
    diag(msg('library.too-large', { max: LIMITS.libraryBytes / 1048576 }));
    return out;
  }
  const deep = nestingTooDeep(text);
  if (deep) {
    const { message, line, column, offset } = deep;
    out.diagnostics.push({
      code: 'too-deep',
      severity: 'error',
      message,
      file,
      line,
      column,
      range: [offset, offset + 1],
    });
    return out;
  }
  // YAML 1.2: our own format, where `n` and `y` are names, not booleans as in YAML 1.1
  const doc = parseDocument(text, { version: '1.2', lineCounter: lc, uniqueKeys: true });
  for (const e of doc.errors)
    diag(
      msg('yaml-syntax', { problem: yamlProblem(e.message.split('\n')[0]) }),
      { range: [e.pos[0], e.pos[1]] },
      'error',
      'yaml-syntax',
    );
  if (doc.errors.length) return out;
  const root = doc.contents as YNode | null;
  if (root === null) return out;
  if (!isMap(root)) {
    diag(msg('library.not-a-mapping'), root);
    return out;
  }
  let js: Record<string, any>;
  try {
    js = doc.toJS({ maxAliasCount: 50 }) as Record<string, any>;
  } catch (e) {
    diag(msg('yaml-unreadable', { problem: yamlProblem((e as Error).message) }));
    return out;
  }
  const names = new Set(Object.keys(js));
  for (const pair of root.items) {
    const keyNode = pair.key as YNode;
    const valueNode = pair.value as YNode | null;
    const name = isScalar(keyNode) ? String(keyNode.value) : '';
    const v = js[name];
    /** The YAML node at `path` inside this module's mapping (or its key), for the problem's line. */
    const locate = (path: SpecPath, key: boolean): unknown => {
      if (!path.length || !valueNode || !(isMap(valueNode) || isSeq(valueNode))) return keyNode;
      const parent = path.length > 1 ? valueNode.getIn(path.slice(0, -1), true) : valueNode;
      const last = path[path.length - 1];
      if (key && isMap(parent)) {
        const p = parent.items.find((i) => isScalar(i.key) && String(i.key.value) === String(last));
        if (p) return p.key;
      }
      const n = valueNode.getIn(path, true);
      return (n as { range?: unknown } | undefined)?.range ? n : (parent ?? keyNode);
    };
    const err: SpecError = (m, path = [], o = {}) =>
      diag(
        msg('library.in-module', { module: name, problem: m }),
        locate(path, !!o.key),
        'error',
        o.code ?? 'module-library',
      );
    if (!isIdentifier(name)) {
      // (a Python keyword is refused too)
      diag(msg('library.bad-module-name', { name: reprStr(name) }), keyNode);
      continue;
    }
    if (!opts.builtin && BUILTIN_MODULES.some((d) => d.name === name)) {
      err(msg('library.builtin-name', { name }));
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      err(msg('library.not-a-description'));
      continue;
    }
    const before = out.diagnostics.length;
    const spec = readSpec(name, v, err);
    if (!spec) continue;
    // every op must exist: a function, a torch.nn module, a built-in or a module of this library
    const knownOp = (op: string) =>
      (FUNCTION_OPS as readonly string[]).includes(op) || MODULE_OPS.includes(op) || known(op) || names.has(op);
    const check = (nodes: ModuleNode[], path: SpecPath) => {
      nodes.forEach((n, k) => {
        const at = [...path, k];
        if (n.body) check(n.body, [...at, 'body']);
        if (n.op && !knownOp(n.op)) {
          err(
            msg('library.unknown-op', {
              node: String(n.id),
              op: reprStr(n.op),
              functions: FUNCTION_OPS.join(', '),
              modules: MODULE_OPS.slice(0, 7).join(', '),
            }),
            [...at, 'op'],
          );
        }
      });
    };
    check(spec.body, ['body']);
    if (spec.base && !knownOp(spec.base.op))
      err(msg('library.base-unknown', { op: reprStr(spec.base.op) }), ['base', 'op']);
    if (out.diagnostics.length === before) out.specs.push(spec);
  }
  // a module may use another custom module, but not itself through any path
  const uses = new Map(out.specs.map((s) => [s.name, new Set(usedOps(s).filter((o) => names.has(o)))]));
  const cyclic = (start: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(uses.get(start) ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      if (n === start) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(uses.get(n) ?? []));
    }
    return false;
  };
  out.specs = out.specs.filter((s) => {
    if (!cyclic(s.name)) return true;
    diag(
      msg('library.cycle', { name: s.name }),
      root.items.find((p) => isScalar(p.key) && String((p.key as { value: unknown }).value) === s.name)?.key,
    );
    return false;
  });
  out.defs = out.specs.map((s) => compileModule(s));
  out.keys = {};
  for (const p of root.items) {
    const r = (p.key as { range?: [number, number, number] } | null)?.range;
    if (!isScalar(p.key) || !r) continue;
    const at = lc.linePos(r[0]);
    out.keys[String(p.key.value)] = { line: at.line, column: at.col, range: [r[0], r[1]] };
  }
  return out;
}

/** Keys a node may have (a check in the body has assert, message, code, severity). */
export const NODE_KEYS = [
  'id',
  'op',
  'args',
  'kwargs',
  'in',
  'name',
  'when',
  'for',
  'repeat',
  'use',
  'body',
  'assert',
  'message',
  'code',
  'severity',
] as const;
const SPEC_KEYS = [
  'description',
  'category',
  'family',
  'parse',
  'args',
  'vars',
  'check',
  'inputs',
  'containers',
  'base',
  'body',
  'out',
  'internal',
  'example',
];
const PARSE_RULES = ['channels', 'channelsRepeat', 'passthrough'];
const ARG_TYPES: readonly ArgType[] = [
  'int',
  'float',
  'bool',
  'intOrPair',
  'intOrNone',
  'pairOrNone',
  'ints',
  'padding',
  'str',
  'act',
  'any',
];
const SEVERITIES = ['error', 'warning', 'info'];
/** A problem's code: lower-case words joined by '-' (residual-mismatch). */
const CODE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** A YAML scalar as the Python literal text a default is kept as. */
function literalText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : reprFloat(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  return undefined;
}
/** An op: a function or module name, optionally `nn.` / `torch.nn.` qualified. */
const OP_NAME = /^(?:(?:torch\.)?nn\.)?[A-Za-z_][A-Za-z0-9_]*$/;
const ARG = /^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?:=[ \t]*(.+?))?[ \t]*$/;

/** Descriptions' expressions may index lists (`k[i]`). */
const SUB = { subscripts: true };
/** What a description's expression may use: what the interpreter evaluates (any torch.nn class is said later). */
const UNDERSTOOD = { anyNnClass: true, subscripts: true, functions: DESCRIPTION_FUNCTION_NAMES };
const parses = (e: string): boolean => {
  try {
    parseExpr(e, SUB);
    return true;
  } catch {
    return false;
  }
};

/** A path of module attributes ('cv1', 'convs.{i}', 'm.0'): a templated identifier, then identifiers, numbers or {expr}. */
export function isNamePath(s: string): boolean {
  if (typeof s !== 'string' || !s) return false;
  const segs = s.split('.');
  if (segs.length > 8) return false;
  return segs.every(
    (seg, i) => (isTemplatedIdentifier(seg, parses) && isPlainAttribute(seg)) || (i > 0 && /^\d+$/.test(seg)),
  );
}

/** A value a node reads: an id ('c{i}'), a split piece ('spx.0', 'spx.{i}'), or 'ITEM for VAR in LIST'. */
export function isValueRef(s: string): boolean {
  if (typeof s !== 'string' || hasLineBreak(s)) return false;
  const m = /^(.*) for (\S+) in (.+)$/.exec(s);
  if (m) return isIdentifier(m[2]) && parses(m[3]) && isValueRef(m[1]);
  const segs = s.split('.');
  return (
    segs.length <= 2 &&
    isTemplatedIdentifier(segs[0], parses) &&
    (segs.length === 1 || /^\d+$/.test(segs[1]) || isTemplatedIdentifier(segs[1], parses))
  );
}

function readSpec(name: string, v: Record<string, any>, err: SpecError): ModuleSpec | null {
  const badName = (m: Message, path: SpecPath, key = false) => err(m, path, { key, code: 'not-an-identifier' });
  for (const k of Object.keys(v))
    if (!SPEC_KEYS.includes(k))
      err(msg('library.unknown-key', { key: reprStr(k), known: SPEC_KEYS.join(', ') }), [k], { key: true });
  if (!Array.isArray(v.args)) {
    err(msg('library.args-not-a-list'), ['args']);
    return null;
  }
  const syntax = (e: unknown, where: Message, path: SpecPath, loop = false): string => {
    const src = typeof e === 'number' || typeof e === 'boolean' ? String(e) : e;
    if (typeof src !== 'string') {
      err(msg('library.not-an-expression', { where, got: e === null ? 'nothing' : typeof e }), path);
      return '';
    }
    try {
      parseExpr(src, SUB);
    } catch (x) {
      err(msg('library.bad-expression', { where, src: reprStr(src), problem: errorMessage(x) }), path);
      return src;
    }
    // a loop's range(a, b) aside, only what the core evaluates (and the generator writes): no attributes,
    // no calls of anything but its pure functions and torch.nn activations
    const inner = loop ? /^\s*range\((.*)\)\s*$/s.exec(src)?.[1] : undefined;
    if (understands(inner !== undefined ? `[${inner}]` : src, UNDERSTOOD) === 'no')
      err(msg('library.not-understood', { where, src: reprStr(src) }), path);
    return src;
  };
  const args: ModuleArg[] = [];
  v.args.forEach((a: unknown, k: number) => {
    if (typeof a === 'object' && a !== null && !Array.isArray(a)) {
      // {name: e, type: float, default: '0.5', doc: {en: hidden channel expansion, zh: ...}}
      const o = a as Record<string, unknown>;
      const d = o.default === undefined ? undefined : literalText(o.default);
      for (const key of Object.keys(o))
        if (!['name', 'type', 'default', 'doc'].includes(key))
          err(msg('library.unknown-arg-key', { key: reprStr(key) }), ['args', k, key], { key: true });
      if (!isIdentifier(o.name)) {
        badName(msg('library.arg-not-a-name', { name: reprStr(String(o.name)) }), ['args', k, 'name']);
        return;
      }
      if (o.default !== undefined && (d === undefined || hasLineBreak(d)))
        err(msg('library.arg-default', { name: o.name }), ['args', k, 'default']);
      if (o.type !== undefined && !ARG_TYPES.includes(o.type as ArgType))
        err(msg('library.arg-type', { name: o.name, types: ARG_TYPES.join(', ') }), ['args', k, 'type']);
      if (o.doc !== undefined && !isText(o.doc)) err(msg('library.arg-doc', { name: o.name }), ['args', k, 'doc']);
      if (args.some((x) => x.name === o.name)) err(msg('library.arg-twice', { name: o.name }), ['args', k]);
      args.push({
        name: o.name,
        ...(d !== undefined && !hasLineBreak(d) ? { default: d } : {}),
        ...(ARG_TYPES.includes(o.type as ArgType) ? { type: o.type as ArgType } : {}),
        ...(isText(o.doc) ? { doc: o.doc } : {}),
      });
      return;
    }
    const m = typeof a === 'string' && !hasLineBreak(a) ? ARG.exec(a) : null;
    if (!m || PY_KEYWORDS.has(m[1])) {
      err(msg('library.bad-arg', { arg: typeof a === 'string' ? reprStr(a) : String(a) }), ['args', k]);
      return;
    }
    if (args.some((x) => x.name === m[1])) err(msg('library.arg-twice', { name: m[1] }), ['args', k]);
    args.push(m[2] === undefined ? { name: m[1] } : { name: m[1], default: m[2] });
  });
  if (v.base === undefined && (!Array.isArray(v.body) || !v.body.length)) {
    err(msg('library.no-body'), ['body']);
    return null;
  }
  const catKey = v.category !== undefined ? 'category' : 'family';
  const category = v[catKey];
  if (category !== undefined && !isCategory(category))
    err(msg('library.bad-category', { key: catKey, names: CATEGORY_NAMES.join(', ') }), [catKey]);
  if (v.parse !== undefined && !PARSE_RULES.includes(v.parse)) err(msg('library.bad-parse'), ['parse']);
  if (v.description !== undefined && !isText(v.description)) err(msg('library.bad-description'), ['description']);
  if (v.internal !== undefined && typeof v.internal !== 'boolean') err(msg('library.bad-internal'), ['internal']);
  if (v.example !== undefined && (typeof v.example !== 'string' || hasLineBreak(v.example)))
    err(msg('library.bad-example'), ['example']);
  const vars: [string, string][] = [];
  if (v.vars !== undefined) {
    if (typeof v.vars !== 'object' || Array.isArray(v.vars) || v.vars === null) err(msg('library.bad-vars'), ['vars']);
    else
      for (const [k, e] of Object.entries(v.vars)) {
        if (!isIdentifier(k)) badName(msg('library.var-not-a-name', { name: reprStr(k) }), ['vars', k], true);
        vars.push([k, syntax(e, msg('at.var', { name: k }), ['vars', k])]);
      }
  }
  /** {assert, message, code?, severity?}: a check before the body or at a point in it. */
  const readCheck = (o: Record<string, unknown>, path: SpecPath): ModuleCheck | null => {
    const assert = syntax(o.assert, msg('at.check'), [...path, 'assert']);
    if (!isText(o.message)) {
      err(msg('library.check-message'), [...path, 'message']);
      return null;
    }
    if (o.code !== undefined && (typeof o.code !== 'string' || !CODE.test(o.code)))
      err(msg('library.check-code'), [...path, 'code']);
    if (o.severity !== undefined && !SEVERITIES.includes(o.severity as string))
      err(msg('library.check-severity'), [...path, 'severity']);
    return {
      assert,
      message: o.message,
      ...(typeof o.code === 'string' && CODE.test(o.code) ? { code: o.code } : {}),
      ...(SEVERITIES.includes(o.severity as string) ? { severity: o.severity as ModuleCheck['severity'] } : {}),
    };
  };
  const check: ModuleCheck[] = [];
  if (v.check !== undefined && !Array.isArray(v.check)) err(msg('library.check-not-a-list'), ['check']);
  (Array.isArray(v.check) ? v.check : []).forEach((c: unknown, k: number) => {
    if (Array.isArray(c) && c.length === 2 && typeof c[1] === 'string')
      check.push({ assert: syntax(c[0], msg('at.check'), ['check', k, 0]), message: c[1] });
    else if (typeof c === 'object' && c !== null && !Array.isArray(c)) {
      for (const key of Object.keys(c))
        if (!['assert', 'message', 'code', 'severity'].includes(key))
          err(msg('library.unknown-check-key', { key: reprStr(key) }), ['check', k, key], { key: true });
      const r = readCheck(c as Record<string, unknown>, ['check', k]);
      if (r) check.push(r);
    } else err(msg('library.bad-check'), ['check', k]);
  });
  const containers: Record<string, 'Sequential' | 'ModuleList'> = {};
  if (v.containers !== undefined) {
    if (typeof v.containers !== 'object' || v.containers === null || Array.isArray(v.containers))
      err(msg('library.bad-containers'), ['containers']);
    else
      for (const [k, t] of Object.entries(v.containers)) {
        if (!isNamePath(k)) badName(msg('library.container-not-a-name', { name: reprStr(k) }), ['containers', k], true);
        else if (t === 'Sequential' || t === 'ModuleList') containers[k] = t;
        else err(msg('library.container-kind', { name: k }), ['containers', k]);
      }
  }
  let inputs: string[] | undefined;
  if (v.inputs !== undefined) {
    if (!Array.isArray(v.inputs) || !v.inputs.length) err(msg('library.bad-inputs'), ['inputs']);
    else {
      inputs = v.inputs.map(String);
      v.inputs.forEach((n: unknown, k: number) => {
        if (!isIdentifier(n)) badName(msg('library.input-not-a-name', { name: reprStr(String(n)) }), ['inputs', k]);
      });
    }
  }
  /** Node arguments: numbers, booleans, None, expressions (text), and lists of them. */
  const argValue = (a: unknown, path: SpecPath, where: Message, depth = 0): Py | undefined => {
    if (a === null || typeof a === 'boolean') return a;
    if (typeof a === 'number') {
      if (Number.isFinite(a)) return a;
      err(msg('library.not-finite', { value: a }), path);
      return undefined;
    }
    if (typeof a === 'string') {
      if (!IDENT.test(a)) syntax(a, where, path);
      return a;
    }
    if (Array.isArray(a) && depth < 4) return a.map((x, k) => argValue(x, [...path, k], where, depth + 1)) as Py[];
    err(msg('library.bad-argument'), path);
    return undefined;
  };
  const nodes = (list: unknown[], path: SpecPath, depth: number): ModuleNode[] =>
    list.map((n, k) => {
      const at = [...path, k];
      const o = (typeof n === 'object' && n !== null && !Array.isArray(n) ? n : {}) as Record<string, any>;
      if (o !== n) err(msg('library.node-not-a-mapping'), at);
      for (const key of Object.keys(o))
        if (!(NODE_KEYS as readonly string[]).includes(key))
          err(msg('library.unknown-node-key', { key: reprStr(key), known: NODE_KEYS.join(', ') }), [...at, key], {
            key: true,
          });
      const node: ModuleNode = {};
      const scalar = (key: string): string | undefined => {
        const x = o[key];
        if (x === undefined) return undefined;
        if (typeof x === 'string' || typeof x === 'number') return String(x);
        err(msg('library.not-text', { key }), [...at, key]);
        return undefined;
      };
      const id = scalar('id');
      const nodeAt = msg('at.node', { node: String(id) });
      if (id !== undefined) {
        node.id = id;
        if (!isTemplatedIdentifier(id, parses)) badName(msg('library.node-id', { id: reprStr(id) }), [...at, 'id']);
      }
      const op = scalar('op');
      if (op !== undefined) {
        node.op = op;
        if (!OP_NAME.test(op)) badName(msg('library.op-not-a-name', { op: reprStr(op), fn: true }), [...at, 'op']);
      }
      if (o.kwargs !== undefined) {
        if (typeof o.kwargs !== 'object' || o.kwargs === null || Array.isArray(o.kwargs))
          err(msg('library.bad-kwargs'), [...at, 'kwargs']);
        else {
          node.kwargs = {};
          for (const [kw, x] of Object.entries(o.kwargs as Record<string, unknown>)) {
            if (!isIdentifier(kw))
              badName(msg('library.keyword-not-a-name', { name: reprStr(kw) }), [...at, 'kwargs', kw], true);
            node.kwargs[kw] = argValue(x, [...at, 'kwargs', kw], nodeAt) as Py;
          }
        }
      }
      if (o.assert !== undefined) {
        const c = readCheck(o, at);
        if (c) Object.assign(node, c);
      }
      const use = scalar('use');
      if (use !== undefined) {
        node.use = use;
        if (!isNamePath(use)) badName(msg('library.bad-use', { name: reprStr(use) }), [...at, 'use']);
      }
      if (o.args !== undefined) {
        const list = Array.isArray(o.args) ? o.args : [o.args];
        node.args = list.map((a: unknown, j: number) =>
          argValue(a, Array.isArray(o.args) ? [...at, 'args', j] : [...at, 'args'], nodeAt),
        ) as Py[];
      }
      if (o.in !== undefined) {
        const refs: unknown[] = Array.isArray(o.in) ? o.in : [o.in];
        refs.forEach((r, j) => {
          if (typeof r !== 'string' || !isValueRef(r))
            badName(
              msg('library.bad-input-ref', { name: reprStr(String(r)) }),
              Array.isArray(o.in) ? [...at, 'in', j] : [...at, 'in'],
            );
        });
        node.in = Array.isArray(o.in) ? o.in.map(String) : String(o.in);
      }
      const nm = scalar('name');
      if (nm !== undefined) {
        node.name = nm;
        if (!isNamePath(nm)) badName(msg('library.bad-name-path', { name: reprStr(nm) }), [...at, 'name']);
      }
      if (o.when !== undefined) node.when = syntax(o.when, nodeAt, [...at, 'when']);
      if (o.repeat !== undefined)
        node.repeat = typeof o.repeat === 'number' ? o.repeat : syntax(o.repeat, nodeAt, [...at, 'repeat']);
      if (o.for !== undefined) {
        const f = o.for;
        if (typeof f !== 'object' || f === null || Array.isArray(f) || Object.keys(f).length !== 1)
          err(msg('library.bad-for'), [...at, 'for']);
        else {
          const [[lv, range]] = Object.entries(f);
          if (!isIdentifier(lv))
            badName(msg('library.loop-var-not-a-name', { name: reprStr(lv) }), [...at, 'for', lv], true);
          node.for = { [lv]: syntax(range, nodeAt, [...at, 'for', lv], true) };
        }
      }
      if (o.body !== undefined) {
        if (!Array.isArray(o.body)) err(msg('library.bad-group-body'), [...at, 'body']);
        else if (depth >= 16) err(msg('library.groups-too-deep', { max: 16 }), [...at, 'body']);
        else node.body = nodes(o.body, [...at, 'body'], depth + 1);
      }
      if (
        !node.body &&
        node.assert === undefined &&
        (node.id === undefined || (node.op === undefined && node.use === undefined))
      )
        err(msg('library.node-needs-op', { node: JSON.stringify(o).slice(0, 200) }), at);
      return node;
    });
  let base: ModuleSpec['base'];
  if (v.base !== undefined) {
    const b = v.base as Record<string, unknown> | null;
    if (typeof b !== 'object' || b === null || Array.isArray(b) || typeof b.op !== 'string') {
      err(msg('library.bad-base'), ['base']);
      return null;
    }
    if (!OP_NAME.test(b.op)) badName(msg('library.op-not-a-name', { op: reprStr(b.op), fn: false }), ['base', 'op']);
    const kw = typeof b.kwargs === 'object' && b.kwargs !== null && !Array.isArray(b.kwargs) ? b.kwargs : undefined;
    for (const k of Object.keys(kw ?? {}))
      if (!isIdentifier(k))
        badName(msg('library.keyword-not-a-name', { name: reprStr(k) }), ['base', 'kwargs', k], true);
    base = {
      op: b.op,
      ...(b.args !== undefined
        ? {
            args: (Array.isArray(b.args) ? b.args : [b.args]).map((a, j) =>
              argValue(a, ['base', 'args', j], msg('at.base')),
            ) as Py[],
          }
        : {}),
      ...(kw
        ? {
            kwargs: Object.fromEntries(
              Object.entries(kw).map(([k, x]) => [k, argValue(x, ['base', 'kwargs', k], msg('at.base')) as Py]),
            ),
          }
        : {}),
    };
    if (v.body !== undefined) err(msg('library.base-and-body'), ['body']);
  }
  const body = base ? [] : nodes(v.body, ['body'], 0);
  if (v.out !== undefined && (typeof v.out !== 'string' || !isValueRef(v.out)))
    badName(msg('library.out-not-a-name', { name: reprStr(String(v.out)) }), ['out']);
  return {
    name,
    description: isText(v.description) ? v.description : '',
    ...(isCategory(category) ? { category } : {}),
    ...(v.parse ? { parse: v.parse } : {}),
    ...(v.internal === true ? { internal: true } : {}),
    ...(typeof v.example === 'string' && !hasLineBreak(v.example) ? { example: v.example } : {}),
    args,
    vars,
    check,
    ...(inputs ? { inputs } : {}),
    ...(Object.keys(containers).length ? { containers } : {}),
    ...(base ? { base } : {}),
    body,
    ...(v.out !== undefined ? { out: String(v.out) } : {}),
  };
}

/** One library file's text and name (for messages). */
export interface LibrarySource {
  file: string;
  text: string;
}

/**
 * Libraries read in order (the default library, the user's modules.yaml, NAME.modules.yaml beside the
 * model): each may use the modules of the ones before it (a user's block may contain SE), later ones win.
 */
export function loadLibraryChain(
  sources: readonly LibrarySource[],
  first: ModuleLibrary[] = [],
): { libraries: ModuleLibrary[]; registry: Registry; diagnostics: Diagnostic[] } {
  const libraries = [...first];
  let registry = registryWith(...libraries);
  for (const s of sources) {
    const known = registry;
    libraries.push(parseModuleLibrary(s.text, s.file, (n) => !!known.get(n)));
    registry = registryWith(...libraries);
  }
  // a later library may redefine a module an earlier one uses: a cycle only the chain as a whole shows.
  // The cycle's modules in the latest library of it are left out (and said), so the earlier ones serve.
  for (let cycle = findCycle(libraries, registry); cycle; cycle = findCycle(libraries, registry)) {
    const at = Math.max(...cycle.map((c) => libraries.indexOf(c.library)));
    const lib = libraries[at];
    const names = cycle.map((c) => c.spec.name);
    const files = [...new Set(cycle.map((c) => c.library.file))].join(' and ');
    const out = cycle.filter((c) => c.library === lib).map((c) => c.spec);
    libraries[at] = {
      ...lib,
      specs: lib.specs.filter((sp) => !out.includes(sp)),
      defs: lib.defs.filter((_, k) => !out.includes(lib.specs[k])),
      diagnostics: [
        ...lib.diagnostics,
        ...out.map((sp): Diagnostic => {
          const k = names.indexOf(sp.name);
          const key = lib.keys?.[sp.name];
          return {
            code: 'module-library',
            severity: 'error',
            message: msg('library.cycle-across', {
              name: sp.name,
              path: [...names.slice(k), ...names.slice(0, k), sp.name].join(' -> '),
              files,
            }),
            file: lib.file,
            line: key?.line ?? 1,
            column: key?.column ?? 1,
            ...(key ? { range: key.range } : {}),
          };
        }),
      ],
    };
    registry = registryWith(...libraries);
  }
  return { libraries, registry, diagnostics: libraries.flatMap((l) => l.diagnostics) };
}

/** A cycle of modules using each other as a build resolves them (by the chain's final registry), if any. */
function findCycle(
  libraries: ModuleLibrary[],
  registry: Registry,
): { spec: ModuleSpec; library: ModuleLibrary }[] | undefined {
  const owner = new Map<ModuleDef, { spec: ModuleSpec; library: ModuleLibrary }>();
  for (const library of libraries) library.defs.forEach((d, k) => owner.set(d, { spec: library.specs[k], library }));
  const state = new Map<ModuleDef, 'open' | 'done'>();
  const path: ModuleDef[] = [];
  const visit = (d: ModuleDef): ModuleDef[] | undefined => {
    if (state.get(d) === 'done') return undefined;
    if (state.get(d) === 'open') return path.slice(path.indexOf(d));
    state.set(d, 'open');
    path.push(d);
    for (const op of usedOps(owner.get(d)!.spec)) {
      const next = registry.get(op);
      if (next && owner.has(next)) {
        const c = visit(next);
        if (c) return c;
      }
    }
    path.pop();
    state.set(d, 'done');
    return undefined;
  };
  for (const d of registry.all()) {
    if (!owner.has(d)) continue;
    const c = visit(d);
    if (c) return c.map((x) => owner.get(x)!);
  }
  return undefined;
}

/** A registry with the built-ins plus library modules (later libraries override earlier ones). */
export function registryWith(...libraries: ModuleLibrary[]): Registry {
  const r = new Registry();
  for (const lib of libraries) for (const d of lib.defs) r.add(d);
  return r;
}
