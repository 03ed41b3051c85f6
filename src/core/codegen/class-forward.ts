/**
 * A generated class's forward: every node of the description that makes a value, in order (`use` calls the
 * same module again, split is torch.split, cat torch.cat(dim=1), mean_c/max_c torch.mean/amax over
 * channels, pass an alias). Values whose ids are templated ('c{i}') live in dicts (`c[i]`); a node without
 * `in` reads the previous node's value; an in-place activation gets a copy of an input read again later.
 */
import { PRIMITIVES } from '../custom/ops.ts';
import type { ModuleNode } from '../custom/spec.ts';
import { IDENT, PY_KEYWORDS } from '../names.ts';
import { errorMessage, msg, type Message } from '../messages/index.ts';
import type { Py } from '../py.ts';
import type { ModuleLayout } from './class-init.ts';
import {
  RESERVED,
  isFn,
  opKind,
  shapeKey,
  template,
  templateMatcher,
  type ClassWriter,
  type Template,
} from './class-writer.ts';
import { namesOf, parse, printNode, type PyNode } from './pyprint.ts';

/** What forward needs from the constructor, and its lines. */
export interface Forward {
  /** The constructor's arguments and vars forward reads (the class stores them). */
  stored: Set<string>;
  /** The dicts holding templated values. */
  dicts: string[];
  /** Whether a `_last` variable carries the previous value (set from the first input before `lines`). */
  dynamicLast: boolean;
  /** The body's lines and what forward returns. */
  lines: string[];
  out: string;
}

export function writeForward(w: ClassWriter, layout: ModuleLayout): Forward {
  const { spec, inputs } = w;
  const { moduleNodes, appendMode } = layout;
  // checks are the constructor's: forward sees the nodes that make values
  const valueNodes = (nodes: ModuleNode[]): ModuleNode[] =>
    nodes.filter((n) => n.assert === undefined).map((n) => (n.body ? { ...n, body: valueNodes(n.body) } : n));
  const fbody = valueNodes(spec.body);

  // ---------- value names ----------
  const plain = new Map<string, { py: string; split: boolean }>();
  const templated = new Map<string, { t: Template; py: string; split: boolean }>();
  const taken = new Set<string>([...PY_KEYWORDS, ...RESERVED]);
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
  for (const v of loopVars) w.loopVar(v);
  for (const n of [...w.argNames, ...w.varNames, ...loopVars]) taken.add(n);
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
          if (prev.split !== split) w.fail(msg('codegen.split-and-value', { id: String(n.id) }));
          continue;
        }
        plain.set(n.id, { py: alloc(n.id), split });
        continue;
      }
      const key = shapeKey(t);
      const prev = templated.get(key);
      if (prev) {
        if (prev.split !== split) w.fail(msg('codegen.split-and-value', { id: String(n.id) }));
        continue;
      }
      templated.set(key, { t, py: alloc(t.parts.find((p) => IDENT.test(p)) ?? 'v'), split });
    }
  };
  defineIds(fbody);

  // ---------- expressions and references ----------
  const fwd: string[] = [];
  const fwdKnown = new Set([...w.argNames, ...w.varNames]);
  let loopScope = new Set<string>();
  /** Records the constructor's values an expression reads (outside forward's own loops). */
  const record = (n: PyNode) => {
    for (const id of namesOf(n)) if (fwdKnown.has(id) && !loopScope.has(id)) stored.add(id);
  };
  /** Expression in forward: reads constructor values (recorded for storing) and loop variables. */
  const fexpr = (src: string, known: Set<string>, where: Message): string => {
    const n = parse(src, w.at(where));
    w.checkNames(n, known, where, src);
    record(n);
    return printNode(n);
  };

  /** The Python for a reference (an input, an id, 'id.K' of a split, templated 'c{i-1}', literal 'c0'). */
  const ref = (r: string, known: Set<string>, where: Message): { py: string; split: boolean } => {
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
    if (!v) return w.fail(msg('codegen.undefined-ref', { where, ref: r }));
    return v;
  };
  const tryRef = (r: string, known: Set<string>, where: Message): { py: string; split: boolean } | undefined => {
    const p = plain.get(r);
    if (p) return p;
    for (const { t, py, split } of templated.values()) {
      const m = templateMatcher(t).exec(r);
      if (!m) continue;
      const keys = m.slice(1).map((g) => (g.startsWith('{') ? fexpr(g.slice(1, -1), known, where) : g));
      return { py: `${py}[${keys.length === 1 ? keys[0] : `(${keys.join(', ')})`}]`, split };
    }
    return undefined;
  };
  /** Where a node's value goes. */
  const target = (id: string, known: Set<string>, where: Message): string => {
    const t = template(id);
    if (!t.exprs.length) return plain.get(id)!.py;
    const slot = templated.get(shapeKey(t))!;
    const keys = t.exprs.map((e) => fexpr(e, known, where));
    return `${slot.py}[${keys.length === 1 ? keys[0] : `(${keys.join(', ')})`}]`;
  };
  const moduleRef = (raw: string, known: Set<string>, where: Message): string => {
    const a = w.attrOf(raw);
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
  const lastOf = (n: ModuleNode, known: Set<string>, where: Message): string => {
    const v = target(n.id!, known, where);
    return plain.get(n.id!)?.split || templated.get(shapeKey(template(n.id!)))?.split ? `${v}[-1]` : v;
  };
  // the module a `use` node applies again: op of the node that built it
  const builtOp = new Map<string, string>();
  for (const { node } of moduleNodes) builtOp.set(node.name ?? node.id!, node.op!);
  const useOp = (use: string): string => {
    const direct = builtOp.get(use);
    if (direct) return direct;
    for (const [n, op] of builtOp) if (templateMatcher(template(n)).test(use)) return op;
    return w.fail(msg('codegen.unbuilt-module', { name: use }));
  };

  const copyInput = inplaceCopies(fbody, inputs, spec.out, plain, templated, useOp);

  // ---------- the body ----------
  const fwdNodes = (nodes: ModuleNode[], ind: string, known: Set<string>, top: boolean) => {
    nodes.forEach((node, k) => {
      let i = ind;
      let kn = known;
      const saved = loopScope;
      if (node.for) {
        const [[v, r]] = Object.entries(node.for);
        const rangeSrc = w.loopExpr(
          String(r),
          kn,
          msg('at.node-part', { node: String(node.id ?? v), part: 'loop' }),
          record,
        );
        fwd.push(`${i}for ${w.loopVar(v)} in ${rangeSrc}:`);
        i += '    ';
        kn = new Set([...kn, v]);
        loopScope = new Set([...loopScope, v]);
      }
      if (node.when !== undefined) {
        fwd.push(`${i}if ${fexpr(node.when, kn, msg('at.node-part', { node: String(node.id), part: 'when' }))}:`);
        i += '    ';
      }
      if (node.body) {
        const before = fwd.length;
        fwdNodes(node.body, i, kn, false);
        if (fwd.length === before) fwd.push(`${i}pass`);
        loopScope = saved;
        return;
      }
      const where = msg('at.node', { node: String(node.id) });
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
            items.push(
              `*[${body} for ${w.loopVar(m[2])} in ${w.loopExpr(m[3], kn, msg('at.node-part', { node: String(node.id), part: 'input' }), record)}]`,
            );
          } else items.push(ref(r, kn, where).py);
        }
      } else if (dynamicLast && !(top && k === 0)) items.push('_last');
      else if (k === 0) items.push(inputs[0]);
      else items.push(lastOf(nodes[k - 1], kn, where));
      const x = items[0].startsWith('*') ? `[${items[0]}][0]` : items[0];
      const out = target(node.id!, kn, where);
      /** A primitive's argument as written in forward. */
      const argOf = (prim: (typeof PRIMITIVES)[string]) => (n: string) => {
        const k = prim.args.findIndex((a) => a.name === n);
        const v = node.kwargs?.[n] ?? (k >= 0 ? node.args?.[k] : undefined);
        return v === undefined ? undefined : fargument(v, kn, where);
      };
      let rhs: string;
      const held = node.use === undefined ? PRIMITIVES[node.op!] : undefined;
      if (held && 'read' in held.py && held.py.read) {
        // a tensor attribute (nn.Parameter) read, not called
        rhs = held.py.read(moduleRef(node.name ?? node.id!, kn, where), argOf(held));
      } else if (node.use !== undefined || !isFn(node.op!)) {
        const op = node.use !== undefined ? useOp(node.use) : node.op!;
        const kind = opKind(op, w.ctx);
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
          w.fail(msg('codegen.needs-inputs', { where, op: String(node.op), min }));
        const arg = argOf(prim);
        if (!('forward' in prim.py)) return w.fail(msg('codegen.unknown-function-op', { where, op: String(node.op) }));
        try {
          rhs = prim.py.forward(x, items, arg);
        } catch (e) {
          rhs = w.fail(msg('codegen.at', { where, problem: errorMessage(e) }));
        }
      }
      fwd.push(`${i}${out} = ${rhs}`);
      if (dynamicLast) fwd.push(`${i}_last = ${lastOf(node, kn, where)}`);
      loopScope = saved;
    });
  };
  const fargument = (v: Py, known: Set<string>, where: Message): string => {
    if (typeof v === 'string') {
      const n = parse(v, w.at(where));
      w.checkNames(n, known, where, v);
      record(n);
      return printNode(n);
    }
    if (Array.isArray(v)) return `[${v.map((x) => fargument(x, known, where)).join(', ')}]`;
    return w.argument(v, known, where);
  };

  fwdNodes(fbody, '        ', fwdKnown, true);
  const out =
    spec.out !== undefined
      ? ref(spec.out, fwdKnown, msg('at.out')).py
      : dynamicLast
        ? '_last'
        : lastOf(fbody[fbody.length - 1], fwdKnown, msg('at.out'));
  return { stored, dicts: [...templated.values()].map((t) => t.py), dynamicLast, lines: fwd, out };
}

// YOLOv5's initialize_weights sets inplace=True on every Hardswish, LeakyReLU, ReLU, ReLU6 and SiLU module.
// Such a module may then overwrite its input: it gets a copy when that input (or an alias of it: a pass, a
// split piece, the module's own input) is read again later, or when it runs inside a loop.
const INPLACE = new Set(['Hardswish', 'LeakyReLU', 'ReLU', 'ReLU6', 'SiLU']);

/** The nodes whose in-place activation must be given a copy of its input. */
function inplaceCopies(
  fbody: ModuleNode[],
  inputs: string[],
  specOut: string | undefined,
  plain: Map<string, unknown>,
  templated: Map<string, { t: Template }>,
  useOp: (use: string) => string,
): Set<ModuleNode> {
  const slotOf = (r: string): string | undefined => {
    const m = /^(.*) for (\w+) in (.+)$/.exec(r);
    if (m) return slotOf(m[1]);
    if (plain.has(r)) return `p:${r}`;
    const sm = /^(.*)\.(\d+|\{[^{}]+\})$/.exec(r);
    if (sm) {
      const b = slotOf(sm[1]);
      if (b) return b;
    }
    for (const [key, { t }] of templated) if (templateMatcher(t).test(r)) return `t:${key}`;
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
  const outSlot = specOut !== undefined ? slotOf(specOut) : undefined;
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
  return copyInput;
}
