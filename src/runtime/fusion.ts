/**
 * The fusion planner: which of a layer's primitive ops the tfjs network runs as one step. Pure (no tfjs,
 * no weights): it only decides the structure, the steps (steps.ts) fold the numbers.
 *
 * - batch norm straight after a convolution folds into its weights and bias (and a following activation
 *   fuses into the convolution when tfjs can, else runs right after it in the same step);
 * - batch norm after a concatenation of convolutions (BottleneckCSP) folds into each branch;
 * - an activation straight after a bare convolution joins it;
 * - parallel branches summed (RepConv's 3x3 + 1x1 + identity batch norm, RepVGGDW's 7x7 + 3x3): convolutions with
 *   folded batch norms on the same input, same stride, groups and centre, become one convolution whose kernel is
 *   the sum of theirs, each padded to the largest (and the identity as a centre tap), the activation after the
 *   sum in the same step: what Ultralytics' RepConv.fuse_convs and RepVGGDW.fuse do at inference;
 * - a concatenation read only by ungrouped convolutions is never built: conv(cat(a, b), W) = conv(a, Wa) +
 *   conv(b, Wb) (tfjs-wasm copies NHWC channels row by row, slower than the extra adds);
 * - an ungrouped convolution read only by slices of its channels (C2f's and C3k2's chunk(2, 1)) runs as one
 *   convolution per slice with that slice's filters: no full output, no strided copies (batch norm and activation
 *   act per channel, so they go with each part).
 */
import { opInputs, type ActSpec, type Op } from '../core/index.ts';
import type { PlanLayer } from './model.ts';

/** A batch norm folded into a convolution: its state_dict name, channels, and where this conv's outputs start. */
export interface FoldedNorm {
  name: string;
  c: number;
  offset: number;
}

/** Branches summed into a convolution: their kernels padded (centred) to its size and added to it. */
export interface MergedBranches {
  /** Other convolutions on the same input, each with its folded batch norm. */
  convs: { op: Conv2d; bn?: FoldedNorm }[];
  /** Batch norms of the input itself (RepConv's identity branch): a centre tap per channel. */
  identity: { name: string; c: number }[];
}

type Conv2d = Extract<Op, { kind: 'conv2d' }>;

export interface ConvFusion {
  bn?: FoldedNorm;
  act?: ActSpec;
  merged?: MergedBranches;
  /** The value the fused step writes (the conv's own output, or the batch norm's / activation's). */
  out: number;
}

/** A concatenation that is never built: its parts and their channels. */
export interface VirtualConcat {
  ids: number[];
  cs: number[];
}

/** One slice of a convolution's output channels, written by a convolution of its own. */
export interface ConvSlice {
  start: number;
  end: number;
  /** The slice's value. */
  y: number;
}

export interface FusionPlan {
  /** Convolutions that absorb a batch norm and/or an activation. */
  conv: Map<Op, ConvFusion>;
  /** Convolutions run as one convolution per channel slice that reads them (the slices absorbed). */
  slices: Map<Op, ConvSlice[]>;
  /** Ops that run inside another op's step (or not at all). */
  absorbed: Set<Op>;
  /** Concatenations whose branches took their batch norm (and activation): the concat now produces this value. */
  concatOut: Map<Op, number>;
  /** Values that are concatenations never built, read as parts by every reader. */
  virtual: Map<number, VirtualConcat>;
}

export interface FusionOptions {
  /** Replace concatenations read only by convolutions with per-part convolutions (default true). */
  splitConcat?: boolean;
  /** Merge summed parallel branches (RepConv, RepVGGDW) into one convolution (default true). */
  mergeBranches?: boolean;
  /** Run a convolution read only by channel slices as one convolution per slice (default true). */
  splitSlices?: boolean;
}

/** Channels of every value of a layer (from the core's shapes). */
export function channelsOf(L: PlanLayer): Map<number, number> {
  const ch = new Map<number, number>();
  for (const [id, shape] of L.shapes) ch.set(id, shape[0]);
  return ch;
}

export function planFusion(L: PlanLayer, opts: FusionOptions = {}): FusionPlan {
  const ops = L.ops;
  const consumers = new Map<number, number>();
  const use = (id: number) => consumers.set(id, (consumers.get(id) ?? 0) + 1);
  for (const o of ops) for (const id of opInputs(o)) use(id);
  use(L.outId);
  const producer = new Map<number, Op>();
  for (const o of ops) producer.set(o.y, o);
  /** Read once, and not the layer's output (which later layers read). */
  const private1 = (id: number) => consumers.get(id) === 1 && id !== L.outId;
  const consumerOf = (id: number) => ops.find((o) => opInputs(o).includes(id));

  const conv = new Map<Op, ConvFusion>();
  const absorbed = new Set<Op>();
  const concatOut = new Map<Op, number>();

  for (const bn of ops) {
    if (bn.kind !== 'batchNorm') continue;
    const src = producer.get(bn.x);
    if (!src || !private1(bn.x)) continue;
    const next = private1(bn.y) ? consumerOf(bn.y) : undefined;
    const act = next?.kind === 'act' ? next : undefined;
    const out = act ? act.y : bn.y;
    if (src.kind === 'conv2d' && !conv.has(src)) {
      conv.set(src, { bn: { name: bn.name, c: bn.c, offset: 0 }, act: act?.act, out });
      absorbed.add(bn);
      if (act) absorbed.add(act);
    } else if (
      src.kind === 'concat' &&
      !src.axis &&
      new Set(src.xs).size === src.xs.length &&
      src.xs.every((id) => {
        const p = producer.get(id);
        return private1(id) && p?.kind === 'conv2d' && !conv.has(p);
      })
    ) {
      // batch norm after a concat of convolutions (BottleneckCSP): fold per branch
      let offset = 0;
      for (const id of src.xs) {
        const cv = producer.get(id) as Conv2d;
        conv.set(cv, { bn: { name: bn.name, c: bn.c, offset }, act: act?.act, out: cv.y });
        offset += cv.cout;
      }
      absorbed.add(bn);
      if (act) absorbed.add(act);
      concatOut.set(src, out);
    }
  }
  // activations straight after a bare convolution
  for (const o of ops) {
    if (o.kind !== 'act' || absorbed.has(o)) continue;
    const src = producer.get(o.x);
    if (!src || src.kind !== 'conv2d' || !private1(o.x)) continue;
    const f = conv.get(src);
    if (f && (f.act || f.out !== src.y)) continue;
    if (f) {
      f.act = o.act;
      f.out = o.y;
    } else conv.set(src, { act: o.act, out: o.y });
    absorbed.add(o);
  }

  if (opts.mergeBranches !== false) mergeBranches(ops, conv, absorbed, producer, private1, consumerOf);

  const slices = new Map<Op, ConvSlice[]>();
  if (opts.splitSlices !== false) {
    const kept = new Set([L.outId, ...(L.outputs ?? [])]);
    for (const o of ops) {
      if (o.kind !== 'conv2d' || o.groups !== 1 || absorbed.has(o)) continue;
      const f = conv.get(o);
      const out = f?.out ?? o.y;
      if (f?.merged || kept.has(out) || L.shapes.get(out)?.length !== 3) continue;
      const readers = ops.filter((r) => !absorbed.has(r) && opInputs(r).includes(out));
      const cut = readers.filter((r): r is Extract<Op, { kind: 'slice' }> => r.kind === 'slice' && !r.axis);
      if (!cut.length || cut.length !== readers.length || consumers.get(out) !== readers.length) continue;
      slices.set(
        o,
        cut.map((r) => ({ start: r.start, end: r.end, y: r.y })),
      );
      for (const r of cut) absorbed.add(r);
    }
  }

  const virtual = new Map<number, VirtualConcat>();
  if (opts.splitConcat !== false) {
    const ch = channelsOf(L);
    for (const o of ops) {
      if (o.kind !== 'concat' || o.axis || absorbed.has(o) || o.xs.length < 2) continue;
      const out = concatOut.get(o) ?? o.y;
      if (out === L.outId) continue;
      const readers = ops.filter((r) => !absorbed.has(r) && opInputs(r).includes(out));
      if (!readers.length || !readers.every((r) => r.kind === 'conv2d' && r.groups === 1)) continue;
      virtual.set(out, { ids: o.xs, cs: o.xs.map((id) => ch.get(id)!) });
      absorbed.add(o);
    }
  }
  return { conv, slices, absorbed, concatOut, virtual };
}

/**
 * Sums of parallel branches into one convolution (RepConv, RepVGGDW). A sum (a tree of adds, each read once) whose
 * every term is a convolution with its batch norm folded and no activation, or a batch norm of the same input, is
 * one convolution when the branches agree: same input, channels, groups and stride, no dilation, odd kernels all
 * centred alike ((k - 1) / 2 - p equal), the identity only where the output is aligned with the input. The widest
 * kernel's convolution carries the others; an activation right after the sum joins it.
 */
function mergeBranches(
  ops: Op[],
  conv: Map<Op, ConvFusion>,
  absorbed: Set<Op>,
  producer: Map<number, Op>,
  private1: (id: number) => boolean,
  consumerOf: (id: number) => Op | undefined,
) {
  const convByOut = new Map<number, Conv2d>();
  for (const [o, f] of conv) if (o.kind === 'conv2d' && !f.act && f.out !== o.y) convByOut.set(f.out, o);
  const centre = (o: Conv2d, d: 0 | 1) => (o.k[d] - 1) / 2 - o.p[d];
  const odd = (o: Conv2d) => o.k[0] % 2 === 1 && o.k[1] % 2 === 1;
  // outer sums first: a tree's inner adds are absorbed with it
  for (let j = ops.length - 1; j >= 0; j--) {
    const root = ops[j];
    if (root.kind !== 'add' || absorbed.has(root)) continue;
    const adds: Op[] = [];
    const terms: number[] = [];
    const gather = (a: Extract<Op, { kind: 'add' }>) => {
      adds.push(a);
      for (const id of a.xs) {
        const p = producer.get(id);
        if (p?.kind === 'add' && private1(id) && !absorbed.has(p)) gather(p);
        else terms.push(id);
      }
    };
    gather(root);
    if (terms.length < 2 || new Set(terms).size !== terms.length || !terms.every(private1)) continue;
    const convs = terms.map((id) => convByOut.get(id)).filter((o): o is Conv2d => !!o);
    const norms = terms
      .map((id) => producer.get(id))
      .filter((o): o is Extract<Op, { kind: 'batchNorm' }> => o?.kind === 'batchNorm' && !absorbed.has(o));
    if (!convs.length || convs.length + norms.length !== terms.length) continue;
    const [first] = convs;
    const alike = convs.every(
      (o) =>
        o.x === first.x &&
        o.cin === first.cin &&
        o.cout === first.cout &&
        o.groups === first.groups &&
        o.s[0] === first.s[0] &&
        o.s[1] === first.s[1] &&
        o.d[0] === 1 &&
        o.d[1] === 1 &&
        odd(o) &&
        centre(o, 0) === centre(first, 0) &&
        centre(o, 1) === centre(first, 1),
    );
    const main = convs.reduce((a, b) => (b.k[0] * b.k[1] > a.k[0] * a.k[1] ? b : a));
    const identityFits = norms.every(
      (n) =>
        n.x === first.x &&
        n.c === first.cin &&
        first.cin === first.cout &&
        first.s[0] === 1 &&
        first.s[1] === 1 &&
        centre(first, 0) === 0 &&
        centre(first, 1) === 0,
    );
    if (!alike || !identityFits || convs.some((o) => o.k[0] > main.k[0] || o.k[1] > main.k[1])) continue;
    const next = private1(root.y) ? consumerOf(root.y) : undefined;
    const act = next?.kind === 'act' && !absorbed.has(next) ? next : undefined;
    const mf = conv.get(main)!;
    conv.set(main, {
      ...mf,
      act: act?.act,
      out: act ? act.y : root.y,
      merged: {
        convs: convs.filter((o) => o !== main).map((o) => ({ op: o, bn: conv.get(o)!.bn })),
        identity: norms.map((n) => ({ name: n.name, c: n.c })),
      },
    });
    for (const o of convs)
      if (o !== main) {
        conv.delete(o);
        absorbed.add(o);
      }
    for (const o of [...norms, ...adds, ...(act ? [act] : [])]) absorbed.add(o);
  }
}
