/**
 * The fusion planner: which of a layer's primitive ops the tfjs network runs as one step. Pure (no tfjs,
 * no weights): it only decides the structure, the steps (steps.ts) fold the numbers.
 *
 * - batch norm straight after a convolution folds into its weights and bias (and a following activation
 *   fuses into the convolution when tfjs can, else runs right after it in the same step);
 * - batch norm after a concatenation of convolutions (BottleneckCSP) folds into each branch;
 * - an activation straight after a bare convolution joins it;
 * - a concatenation read only by ungrouped convolutions is never built: conv(cat(a, b), W) = conv(a, Wa) +
 *   conv(b, Wb) (tfjs-wasm copies NHWC channels row by row, slower than the extra adds).
 */
import { opInputs, type ActSpec, type Op } from '../core/index.ts';
import type { PlanLayer } from './model.ts';

/** A batch norm folded into a convolution: its state_dict name, channels, and where this conv's outputs start. */
export interface FoldedNorm {
  name: string;
  c: number;
  offset: number;
}

export interface ConvFusion {
  bn?: FoldedNorm;
  act?: ActSpec;
  /** The value the fused step writes (the conv's own output, or the batch norm's / activation's). */
  out: number;
}

/** A concatenation that is never built: its parts and their channels. */
export interface VirtualConcat {
  ids: number[];
  cs: number[];
}

export interface FusionPlan {
  /** Convolutions that absorb a batch norm and/or an activation. */
  conv: Map<Op, ConvFusion>;
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
        const cv = producer.get(id) as Extract<Op, { kind: 'conv2d' }>;
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
  return { conv, absorbed, concatOut, virtual };
}
