/**
 * A generated class's constructor: the modules its description builds (in containers where their names say
 * so), its vars and checks, with loops and conditions kept as Python `for` and `if` on the constructor's
 * arguments; or, for a module with a base, the base's constructor called with its arguments.
 */
import { defaultValue } from '../custom/interpret.ts';
import { PRIMITIVES } from '../custom/ops.ts';
import type { ModuleCheck, ModuleNode, ModuleSpec } from '../custom/spec.ts';
import { errorMessage, msg, type Message } from '../messages/index.ts';
import { isPyModule, repr } from '../py.ts';
import { textIn } from '../text.ts';
import { MODULE_ATTRS, isFn, opKind, type ClassWriter, type Frame, type Template } from './class-writer.ts';
import { parse, printNode, pyComment, pyString } from './pyprint.ts';

/** The nodes that build modules, and how their containers are filled. */
export interface ModuleLayout {
  /** Every node that builds a module, with the loops and conditions around it. */
  moduleNodes: { node: ModuleNode; frames: Frame[] }[];
  /** Containers filled with append (one creating node, keyed by the only loop's range(n) variable, unconditional). */
  appendMode: Set<string>;
  /** The class's top-level module attributes. */
  topAttrs: Set<string>;
}

export function layoutModules(w: ClassWriter): ModuleLayout {
  const containerNodes = new Map<string, { node: ModuleNode; frames: Frame[] }[]>();
  const moduleNodes: { node: ModuleNode; frames: Frame[] }[] = [];
  const walk = (nodes: ModuleNode[], frames: Frame[]) => {
    for (const node of nodes) {
      let fr = frames;
      if (node.for) {
        const entries = Object.entries(node.for);
        if (entries.length !== 1) w.fail(msg('codegen.one-loop-var', { names: entries.map(([k]) => k).join(', ') }));
        const [[v, r]] = entries;
        fr = [...fr, { kind: 'for', v, range1: /^\s*range\(([^,]*)\)\s*$/.test(String(r)) }];
      }
      if (node.when !== undefined) fr = [...fr, { kind: 'when' }];
      if (node.body) walk(node.body, fr);
      else if (node.op !== undefined && node.use === undefined && !isFn(node.op)) {
        moduleNodes.push({ node, frames: fr });
        const a = w.attrOf(node.name ?? node.id ?? '');
        if (a.key) containerNodes.set(a.top, [...(containerNodes.get(a.top) ?? []), { node, frames: fr }]);
      }
    }
  };
  walk(w.spec.body, []);
  const appendMode = new Set<string>();
  for (const [top, list] of containerNodes) {
    if (list.length !== 1) continue;
    const { node, frames } = list[0];
    const key = w.attrOf(node.name ?? node.id!).key!;
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
  const topAttrs = new Set(moduleNodes.map((m) => w.attrOf(m.node.name ?? m.node.id!).top));
  for (const t of topAttrs) if (MODULE_ATTRS.has(t)) w.fail(msg('codegen.attribute-clash', { name: t }));
  return { moduleNodes, appendMode, topAttrs };
}

/** A constructor call for a node that builds a module (repeated in an nn.Sequential when it says so). */
function ctor(w: ClassWriter, node: ModuleNode, known: Set<string>): string {
  const op = node.op!;
  const k = opKind(op, w.ctx);
  const where = msg('at.node', { node: String(node.id) });
  if (k.kind === 'fn') return w.fail(msg('codegen.function-not-module', { where, op }));
  // torch.nn takes sizes as tuples
  const args = (node.args ?? []).map((a) => w.argument(a, known, where, k.kind === 'nn'));
  const kwargs = Object.entries(node.kwargs ?? {}).map(([kw, v]): [string, string] => [
    kw,
    w.argument(v, known, where, k.kind === 'nn'),
  ]);
  let call: string;
  if (k.kind === 'nn') {
    const prim = PRIMITIVES[op] ?? PRIMITIVES[`nn.${k.cls}`];
    if (op === 'activation') {
      // Conv's default activation, from where the family's Conv lives
      const conv = w.ctx.lookup('Conv');
      const at = conv?.torchPath.slice(0, conv.torchPath.lastIndexOf('.'));
      if (!at) w.fail(msg('codegen.activation-needs-conv', { where }));
      w.importFrom(at!, 'Conv');
    }
    try {
      call =
        prim && 'ctor' in prim.py
          ? prim.py.ctor(args, kwargs)
          : `nn.${k.cls}(${[...args, ...kwargs.map(([kw, v]) => `${kw}=${v}`)].join(', ')})`;
    } catch (e) {
      return w.fail(msg('codegen.at', { where, problem: errorMessage(e) }));
    }
  } else {
    if (k.from) w.importFrom(k.from, k.cls);
    else w.uses.add(k.cls);
    call = `${k.cls}(${[...args, ...kwargs.map(([kw, v]) => `${kw}=${v}`)].join(', ')})`;
  }
  if (node.repeat !== undefined) {
    const reps =
      typeof node.repeat === 'number'
        ? String(node.repeat)
        : w.expr(node.repeat, known, msg('at.node-part', { node: String(node.id), part: 'repeat' }));
    return `nn.Sequential(*(${call} for _ in range(${reps})))`;
  }
  return call;
}

const builds = (n: ModuleNode): boolean =>
  n.body ? n.body.some(builds) : n.op !== undefined && n.use === undefined && !isFn(n.op);
const isCheck = (n: ModuleNode) => n.assert !== undefined && (n.severity ?? 'error') === 'error';
const emits = (n: ModuleNode): boolean => (n.body ? n.body.some(emits) : builds(n) || isCheck(n));

/**
 * The constructor's lines: its signature, super().__init__(), vars and checks, then (without a base) every
 * module the body builds.
 */
export function writeInit(w: ClassWriter, layout: ModuleLayout): string[] {
  const { spec } = w;
  const { appendMode } = layout;
  // a default is what the core makes of it: a Python literal, or else the text as a string
  const sig = spec.args.map((a) => {
    if (a.default === undefined) return a.name;
    const v = defaultValue(a.default)!;
    return `${a.name}=${isPyModule(v) ? printNode(parse(a.default, msg('at.nothing'))) : repr(v)}`;
  });
  const init: string[] = [`    def __init__(self, ${sig.join(', ')}):`, '        super().__init__()'];
  const known0 = new Set(w.argNames);
  for (const [k, e] of spec.vars ?? []) {
    init.push(`        ${k} = ${w.expr(e, known0, msg('at.var', { name: k }))}`);
    known0.add(k);
  }
  /** A check PyTorch makes: raise when it fails (notes about what PyTorch silently does are the core's only). */
  const raise = (c: ModuleCheck, ind: string, known: Set<string>) => {
    if ((c.severity ?? 'error') !== 'error') return;
    init.push(`${ind}if not (${w.expr(c.assert, known, msg('at.check'))}):`);
    init.push(`${ind}    raise ValueError(${message(c)})`);
  };
  /**
   * The check's English message as a plain string literal: its {expr} parts stay as written (nothing but the
   * description's own conditions and sizes becomes code in the generated file).
   */
  const message = (c: ModuleCheck): string =>
    pyString(`${c.code === undefined ? `${w.name}: ` : ''}${textIn(c.message)}`);
  for (const c of spec.check ?? []) raise(c, '        ', known0);
  if (spec.base) return init;
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
      const a = w.attrOf(n.name ?? n.id!);
      if (a.key && !out.includes(a.top)) out.push(a.top);
    }
    return out;
  };
  for (const node of spec.body) {
    const first = firstBuilt(node, []);
    for (const c of containersIn(node)) {
      if (declared.has(c) || lazy.has(c)) continue;
      const a = first && w.attrOf(first.node.name ?? first.node.id!);
      if (a?.top === c && !first!.frames.some((f) => f.kind === 'when')) declared.add(c);
      else lazy.add(c);
    }
  }
  const containerCtor = (c: string) => `nn.${spec.containers?.[c] ?? 'ModuleList'}()`;
  const fstring = (t: Template, known: Set<string>, where: Message) =>
    `f'${t.parts.map((p, i) => p + (i < t.exprs.length ? `{${w.expr(t.exprs[i], known, where)}}` : '')).join('')}'`;
  const keyExpr = (t: Template, known: Set<string>, where: Message) =>
    t.exprs.length ? w.expr(t.exprs[0], known, where) : t.parts[0];
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
        init.push(
          `${i}for ${w.loopVar(v)} in ${w.loopExpr(String(r), kn, msg('at.node-part', { node: String(node.id ?? v), part: 'loop' }))}:`,
        );
        i += '    ';
        kn = new Set([...kn, v]);
      }
      if (node.when !== undefined) {
        init.push(`${i}if ${w.expr(node.when, kn, msg('at.node-part', { node: String(node.id), part: 'when' }))}:`);
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
      const a = w.attrOf(node.name ?? node.id!);
      // an nn.Parameter is set on the module itself (a tensor: no Sequential, no add_module)
      if (node.op === 'param' && (a.key || node.repeat !== undefined))
        w.fail(msg('codegen.param-attribute', { name: node.name ?? node.id! }));
      const c = ctor(w, node, kn);
      const where = msg('at.node-part', { node: String(node.id), part: 'name' });
      if (a.key) {
        if (lazy.has(a.top))
          init.push(`${i}if not hasattr(self, '${a.top}'):`, `${i}    self.${a.top} = ${containerCtor(a.top)}`);
        if (appendMode.has(a.top)) init.push(`${i}self.${a.top}.append(${c})`);
        else init.push(`${i}self.${a.top}.add_module(str(${keyExpr(a.key, kn, where)}), ${c})`);
      } else if (a.dyn) init.push(`${i}setattr(self, ${fstring(a.dyn, kn, where)}, ${c})`);
      else init.push(`${i}self.${a.top} = ${c}`);
    }
  };
  initNodes(spec.body, '        ', known0);
  return init;
}

/**
 * A module that extends another (DWConv extends Conv): its constructor (`init`, from writeInit) calls the
 * base's; forward is the base's.
 */
export function writeSubclass(w: ClassWriter, base: NonNullable<ModuleSpec['base']>, init: string[]): string {
  const known0 = new Set([...w.argNames, ...w.varNames]);
  const k = opKind(base.op, w.ctx);
  const where = msg('at.base');
  if (k.kind === 'fn') return w.fail(msg('codegen.function-not-module', { where, op: base.op }));
  const args = [
    ...(base.args ?? []).map((a) => w.argument(a, known0, where, k.kind === 'nn')),
    ...Object.entries(base.kwargs ?? {}).map(([kw, v]) => `${kw}=${w.argument(v, known0, where, k.kind === 'nn')}`),
  ];
  let cls: string;
  if (k.kind === 'nn') cls = `nn.${k.cls}`;
  else {
    if (k.from) w.importFrom(k.from, k.cls);
    else w.uses.add(k.cls);
    cls = k.cls;
  }
  const lines = [
    ...pyComment(textIn(w.spec.description)),
    `class ${w.name}(${cls}):`,
    init[0],
    ...init.slice(2),
    `        super().__init__(${args.join(', ')})`,
  ];
  return `${lines.join('\n')}\n`;
}
