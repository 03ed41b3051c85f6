/**
 * One module description read and checked (a library file's entry, as parseModuleLibrary hands it over): its
 * keys, names, arguments, widths, checks, containers and body nodes, every expression parsed and limited to
 * what the core evaluates and the generator writes. Each problem is reported at its path inside the entry
 * (library.* messages); what passes is a ModuleSpec. Long on purpose: readSpec is the one checklist of the
 * description format, key by key, beside the format's own definition (spec.ts).
 */
import { errorMessage, msg, type Message } from '../messages/index.ts';
import type { ArgType } from '../graph.ts';
import { CATEGORY_NAMES, isCategory } from '../modules/categories.ts';
import { hasLineBreak, IDENT, isIdentifier, isPlainAttribute, isTemplatedIdentifier, PY_KEYWORDS } from '../names.ts';
import { parseExpr, understands } from '../pyexpr.ts';
import { reprFloat, reprStr, type Py } from '../py.ts';
import { isText } from '../text.ts';
import { DESCRIPTION_FUNCTION_NAMES } from './interpret.ts';
import type { ModuleArg, ModuleCheck, ModuleNode, ModuleSpec } from './spec.ts';

/** Where a problem is inside one module's description: keys and list indices from the module's mapping. */
export type SpecPath = (string | number)[];
/** Report a problem; `key` puts it on the last key of `path` (a name) rather than on its value. */
export type SpecError = (message: Message, path?: SpecPath, opts?: { key?: boolean; code?: string }) => void;

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

export function readSpec(name: string, v: Record<string, any>, err: SpecError): ModuleSpec | null {
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
