/**
 * What writing one PyTorch class from a module description needs throughout (pytorch.ts's generateClass):
 * the names the generated code keeps for itself, what an op is in Python, and a ClassWriter holding the
 * class's name, imports and the checks every expression, argument and module name passes before it is
 * written. class-init.ts writes __init__ with it, class-forward.ts forward.
 */
import { MODULE_OPS, PRIMITIVES, isPrimitive } from '../custom/ops.ts';
import type { ModuleSpec } from '../custom/spec.ts';
import type { ModuleDef } from '../graph.ts';
import { IDENT, isIdentifier, isPlainAttribute } from '../names.ts';
import { reprFloat, reprStr, type Py } from '../py.ts';
import { msg, type Message } from '../messages/index.ts';
import { CodegenError, namesOf, parse, printNode, pyString, type PyNode } from './pyprint.ts';

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

/** Names the generated code itself uses: never available for values or arguments. */
export const RESERVED = new Set([
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
export const MODULE_ATTRS = new Set([
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

/** A primitive called as a function (split, cat, ...), not a module. */
export const isFn = (op: string) => isPrimitive(op) && PRIMITIVES[op].kind === 'fn';

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
      throw new CodegenError(msg('codegen.unknown-nn', { op: reprStr(op) }));
    return { kind: 'nn', cls };
  }
  const spec = ctx.generated.get(op);
  if (spec) return { kind: 'class', cls: op, multiInput: (spec.inputs ?? ['x']).length > 1 };
  const def = ctx.lookup(op);
  if (!def) throw new CodegenError(msg('codegen.unknown-module', { op }));
  const dot = def.torchPath.lastIndexOf('.');
  const mod = def.torchPath.slice(0, dot);
  const cls = def.torchPath.slice(dot + 1);
  if (!isIdentifier(cls)) throw new CodegenError(msg('codegen.no-class-name', { op: reprStr(op) }));
  if (mod.startsWith('torch.nn')) return { kind: 'nn', cls };
  // YOLOv5's classes, or Ultralytics' (imported from where the package defines them)
  if (mod === 'models.common' || mod === 'models.experimental' || /^ultralytics\.nn\.modules\.\w+$/.test(mod))
    return { kind: 'class', cls, from: mod, multiInput: !!def.multiInput };
  throw new CodegenError(msg('codegen.not-inside', { op, path: def.torchPath }));
}

/** A string with {expr} parts. */
export interface Template {
  parts: string[];
  exprs: string[];
}
export function template(s: string): Template {
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
export const shapeKey = (t: Template) => t.parts.join('\u0000');
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Matches a name of the template's shape with each {expr} part written as {expression} or a number (c{i-1}, c0). */
export const templateMatcher = (t: Template): RegExp =>
  new RegExp(`^${t.parts.map(escapeRe).join('(\\{[^{}]+\\}|-?\\d+)')}$`);

/** The loops and conditions a node sits in. */
export type Frame = { kind: 'for'; v: string; range1: boolean } | { kind: 'when' };

/** A module's name as the class holds it. */
export interface Attr {
  /** Top-level attribute (a module, or a ModuleList holding keyed modules). */
  top: string;
  /** ModuleList key (template), when the name is 'top.key'. */
  key?: Template;
  /** Templated top-level name ('cv{i}'), set with setattr. */
  dyn?: Template;
}

/** One class being written: its name, what it imports and uses, and the checks on what goes into it. */
export class ClassWriter {
  readonly name: string;
  /** Imports it needs: module -> names. */
  readonly imports = new Map<string, Set<string>>();
  /** Generated classes it uses. */
  readonly uses = new Set<string>();
  readonly argNames: string[];
  readonly varNames: string[];
  readonly inputs: string[];

  constructor(
    readonly spec: ModuleSpec,
    readonly ctx: ClassContext,
  ) {
    this.name = spec.name;
    if (!isIdentifier(this.name)) this.fail(msg('codegen.bad-class-name'));
    this.argNames = spec.args.map((a) => a.name);
    this.varNames = (spec.vars ?? []).map(([k]) => k);
    this.inputs = spec.inputs ?? ['x'];
    for (const n of [...this.argNames, ...this.varNames])
      if (!isIdentifier(n) || RESERVED.has(n)) this.fail(msg('codegen.bad-value-name', { name: reprStr(n) }));
    for (const n of this.inputs)
      if (!isIdentifier(n) || RESERVED.has(n)) this.fail(msg('codegen.bad-input-name', { name: reprStr(n) }));
  }

  /** The description cannot be written as PyTorch: why, after the class's name. */
  fail(problem: Message): never {
    throw new CodegenError(this.at(problem));
  }

  /** A message about this class: its name, then what. */
  at(problem: Message): Message {
    return msg('codegen.in-class', { module: this.name, problem });
  }

  /** `cls` imported from the Python module `from`. */
  importFrom(from: string, cls: string): void {
    (this.imports.get(from) ?? this.imports.set(from, new Set()).get(from)!).add(cls);
  }

  /** A loop variable, checked where it is written: an identifier the generated code does not use itself. */
  loopVar(v: string): string {
    if (!isIdentifier(v) || RESERVED.has(v)) this.fail(msg('codegen.bad-loop-var', { name: reprStr(v) }));
    return v;
  }

  /** An expression of the description, parsed and printed back as Python, reading only `known` names. */
  expr(src: string, known: Set<string>, where: Message): string {
    const n = parse(src, this.at(where));
    this.checkNames(n, known, where, src);
    return printNode(n);
  }

  checkNames(n: PyNode, known: Set<string>, where: Message, src: string): void {
    for (const id of namesOf(n)) if (!known.has(id)) this.fail(msg('codegen.unknown-name', { where, name: id, src }));
  }

  /** A node argument: literals, expressions, and bare unknown names as strings (as the core leaves 'nearest'). */
  argument(v: Py, known: Set<string>, where: Message, tuple = false): string {
    if (v === null) return 'None';
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : reprFloat(v);
    if (Array.isArray(v)) {
      const items = v.map((x) => this.argument(x, known, where));
      return tuple ? `(${items.join(', ')}${items.length === 1 ? ',' : ''})` : `[${items.join(', ')}]`;
    }
    if (typeof v === 'string') {
      const n = parse(v, this.at(where));
      if (n.t === 'name' && !known.has(n.id) && IDENT.test(v.trim())) return pyString(v.trim());
      this.checkNames(n, known, where, v);
      return printNode(n);
    }
    return printNode(parse(String(v), where));
  }

  /** A module name ('cv1', 'convs.{i}', 'cv{i}') as the attribute that holds it, checked. */
  attrOf(raw: string): Attr {
    const segs = raw.split('.');
    if (!isPlainAttribute(raw)) this.fail(msg('codegen.dunder-name', { name: reprStr(raw) }));
    if (segs.length > 2) this.fail(msg('codegen.nested-container', { name: raw }));
    if (segs.length === 2) {
      if (!isIdentifier(segs[0])) this.fail(msg('codegen.container-name', { name: reprStr(raw) }));
      const key = template(segs[1]);
      if (!key.exprs.length && !/^\d+$/.test(segs[1]))
        this.fail(msg('codegen.container-key', { name: raw, single: false }));
      if (key.exprs.length && (key.exprs.length !== 1 || key.parts[0] !== '' || key.parts[1] !== ''))
        this.fail(msg('codegen.container-key', { name: raw, single: true }));
      return { top: segs[0], key };
    }
    const t = template(raw);
    if (t.exprs.length) {
      if (!IDENT.test(t.parts.join('x'))) this.fail(msg('codegen.bad-attribute-name', { name: reprStr(raw) }));
      return { top: raw, dyn: t };
    }
    if (!isIdentifier(raw)) this.fail(msg('codegen.bad-attribute-name', { name: reprStr(raw) }));
    return { top: raw };
  }

  /**
   * A loop's values: range(a) / range(a, b), or a list expression, as the core's loops take them. `seen`
   * is told each part read (forward records the constructor's values it needs).
   */
  loopExpr(r: string, known: Set<string>, where: Message, seen?: (part: PyNode) => void): string {
    const n = parse(r, this.at(where));
    const isRange = n.t === 'call' && n.fn.t === 'name' && n.fn.id === 'range';
    const parts = isRange ? n.args : [n];
    if (isRange && (n.args.length < 1 || n.args.length > 2 || n.kwargs.length))
      this.fail(msg('codegen.range-args', { where }));
    for (const a of parts) {
      this.checkNames(a, known, where, r);
      seen?.(a);
    }
    const py = parts.map((a) => printNode(a)).join(', ');
    return isRange ? `range(${py})` : py;
  }
}
