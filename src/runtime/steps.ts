/**
 * One executable step per op kind (convolutions in conv-step.ts), and a layer compiled into its steps
 * after the fusion planner (fusion.ts) has decided which ops run together. NHWC throughout.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Op } from '../core/index.ts';
import { applyAct } from './activations.ts';
import { convSteps } from './conv-step.ts';
import { planFusion, type FusionOptions, type FusionPlan } from './fusion.ts';
import { keyOf, type PlanLayer } from './model.ts';
import { foldNorm, type Step, type StepContext } from './step-kit.ts';
import { batchMatMul, concatStep, sliceStep, TENSOR_BUILDERS, torchValues } from './tensor-steps.ts';

export type { Step, StepContext };

type T = tf.Tensor;
type T4 = tf.Tensor4D;
type OpOf<K extends Op['kind']> = Extract<Op, { kind: K }>;

/** The head's inputs: its level maps (and Segment's prototypes), handed to the head decoder. */
export interface HeadStep {
  xs: number[];
  proto?: number;
}

export interface CompiledLayer {
  layer: PlanLayer;
  steps: Step[];
  head?: HeadStep;
}

type Builder<K extends Op['kind']> = (o: OpOf<K>, ctx: StepContext, fusion: FusionPlan) => Step;

/**
 * Every op kind but the head's (which the head decoder takes) and the convolution (conv-step.ts); the tensor
 * primitives and anchor-free decoding come from tensor-steps.ts. Kinds without a step (RT-DETR's decoder, the
 * open-vocabulary heads' contrastive scoring, AIFI's position embedding) say so when a model using them is built.
 */
const BUILDERS: { [K in Exclude<Op['kind'], 'detect' | 'conv2d'>]?: Builder<K> } = {
  convTranspose2d: convTransposeStep,
  batchNorm: (o, ctx) => {
    const p = foldNorm(ctx, o.name, o.c);
    const s = ctx.keep(tf.tensor1d(Float32Array.from(p.scale)));
    const b = ctx.keep(tf.tensor1d(Float32Array.from(p.shift)));
    return { ins: [o.x], out: o.y, run: ([x]) => tf.tidy(() => tf.add(tf.mul(x, s), b)) };
  },
  act: (o) => ({ ins: [o.x], out: o.y, run: ([x]) => applyAct(x, o.act) }),
  concat: (o, ctx, f) => concatStep(o, ctx, f.concatOut.get(o) ?? o.y),
  add: (o) => ({ ins: o.xs, out: o.y, run: ([a, b]) => tf.add(a, b) }),
  mul: (o) => ({ ins: o.xs, out: o.y, run: ([a, b]) => tf.mul(a, b) }),
  slice: sliceStep,
  maxPool: (o) => ({ ins: [o.x], out: o.y, run: ([x]) => maxPool(x as T4, o) }),
  avgPoolGlobal: (o) => ({ ins: [o.x], out: o.y, run: ([x]) => tf.mean(x, [1, 2], true) }),
  reduce: (o) => {
    // NHWC: channels are axis 3, height 1, width 2
    const axes = { c: [3], h: [1], w: [2], hw: [1, 2] }[o.axis];
    return { ins: [o.x], out: o.y, run: ([x]) => (o.op === 'mean' ? tf.mean(x, axes, true) : tf.max(x, axes, true)) };
  },
  upsample: (o) => ({
    ins: [o.x],
    out: o.y,
    run: ([x]) => {
      const size: [number, number] = [Math.floor(x.shape[1]! * o.scale[0]), Math.floor(x.shape[2]! * o.scale[1])];
      return o.mode === 'nearest'
        ? tf.image.resizeNearestNeighbor(x as T4, size, false, false)
        : tf.image.resizeBilinear(x as T4, size, false, true);
    },
  }),
  zeroPad: (o) => ({ ins: [o.x], out: o.y, run: ([x]) => zeroPad(x as T4, o.pad) }),
  focus: (o) => ({
    ins: [o.x],
    out: o.y,
    run: ([x]) =>
      tf.tidy(() => {
        const [, h, w, c] = x.shape as number[];
        const at = (dy: number, dx: number) => tf.stridedSlice(x, [0, dy, dx, 0], [1, h, w, c], [1, 2, 2, 1]);
        return tf.concat([at(0, 0), at(1, 0), at(0, 1), at(1, 1)], 3);
      }),
  }),
  contract: (o) => ({
    ins: [o.x],
    out: o.y,
    run: ([x]) =>
      tf.tidy(() => {
        const [, h, w, c] = x.shape as number[];
        const s = o.gain;
        return tf.reshape(tf.transpose(tf.reshape(x, [h / s, s, w / s, s, c]), [0, 2, 1, 3, 4]), [
          1,
          h / s,
          w / s,
          s * s * c,
        ]);
      }),
  }),
  expand: (o) => ({ ins: [o.x], out: o.y, run: ([x]) => tf.depthToSpace(x as T4, o.gain, 'NHWC') }),
  linear: linearStep,
  attention: attentionStep,
  ...TENSOR_BUILDERS,
};

/** A layer's steps: fused as planned, each local value freed after its last reader. */
export function compileLayer(L: PlanLayer, base: StepContext, opts: FusionOptions = {}): CompiledLayer {
  const fusion = planFusion(L, opts);
  const fixed = [...L.inputIds, L.outId, ...(L.outputs ?? [])];
  const ctx: StepContext = { ...base, shapes: L.shapes, torch: torchValues(L.ops, L.shapes, fixed, fusion.absorbed) };
  const steps: Step[] = [];
  let head: HeadStep | undefined;
  for (const o of L.ops) {
    if (fusion.absorbed.has(o)) continue;
    if (o.kind === 'detect') head = { xs: o.xs, proto: o.proto };
    else if (o.kind === 'conv2d') {
      steps.push(...convSteps(ctx, o, fusion.conv.get(o), fusion.virtual.get(o.x), fusion.slices.get(o)));
    } else {
      const build = BUILDERS[o.kind] as Builder<typeof o.kind> | undefined;
      if (!build) throw new Error(`the TensorFlow.js network cannot run '${o.kind}' (layer ${L.i}) yet`);
      steps.push(build(o, ctx, fusion));
    }
  }
  // eager freeing: each local value dies after its last reader (never the layer's inputs or output)
  const last = new Map<number, number>();
  steps.forEach((s, k) => s.ins.forEach((id) => last.set(id, k)));
  const keep = new Set([
    ...L.inputIds,
    L.outId,
    ...(L.outputs ?? []),
    ...(head ? [...head.xs, ...(head.proto !== undefined ? [head.proto] : [])] : []),
  ]);
  steps.forEach((s) => (s.free = []));
  for (const [id, k] of last) if (!keep.has(id)) steps[k].free!.push(id);
  // a value nothing reads (v10Detect's one-to-many branches in eval) dies as soon as it is made
  steps.forEach((s) => {
    if (!last.has(s.out) && !keep.has(s.out)) s.free!.push(s.out);
  });
  return { layer: L, steps, head };
}

function convTransposeStep(o: OpOf<'convTranspose2d'>, ctx: StepContext): Step {
  const i = ctx.layer;
  const wd = ctx.get(keyOf(i, o.name, 'weight')).data; // [cin, cout/g, kh, kw]
  const bias = o.bias ? ctx.keep(tf.tensor1d(ctx.get(keyOf(i, o.name, 'bias')).data)) : undefined;
  const { cin, cout, groups: g } = o;
  const cig = cin / g;
  const cog = cout / g;
  const [kh, kw] = o.k;
  const [dh, dw] = o.d;
  const ekh = dh * (kh - 1) + 1;
  const ekw = dw * (kw - 1) + 1;
  const filters: tf.Tensor4D[] = [];
  for (let gi = 0; gi < g; gi++) {
    // tfjs conv2dTranspose filter [kh, kw, outC, inC]; dilation by spreading the kernel
    const f = new Float32Array(ekh * ekw * cog * cig);
    for (let ic = 0; ic < cig; ic++)
      for (let q = 0; q < cog; q++)
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            f[((y * dh * ekw + x * dw) * cog + q) * cig + ic] = wd[(((gi * cig + ic) * cog + q) * kh + y) * kw + x];
    filters.push(ctx.keep(tf.tensor4d(f, [ekh, ekw, cog, cig])));
  }
  return {
    ins: [o.x],
    out: o.y,
    run: ([x]) =>
      tf.tidy(() => {
        const [, h, w] = x.shape as number[];
        const fh = (h - 1) * o.s[0] + ekh;
        const fw = (w - 1) * o.s[1] + ekw;
        const parts = g === 1 ? [x] : tf.split(x, g, 3);
        let y: T = tf.concat(
          parts.map((p, gi) => tf.conv2dTranspose(p as T4, filters[gi], [1, fh, fw, cog], o.s, 'valid')),
          3,
        );
        const oh = fh - 2 * o.p[0] + o.outPad[0];
        const ow = fw - 2 * o.p[1] + o.outPad[1];
        if (o.outPad[0] || o.outPad[1])
          y = tf.pad(y, [
            [0, 0],
            [0, o.outPad[0]],
            [0, o.outPad[1]],
            [0, 0],
          ]);
        if (o.p[0] || o.p[1] || o.outPad[0] || o.outPad[1]) y = tf.slice(y, [0, o.p[0], o.p[1], 0], [1, oh, ow, cout]);
        return bias ? tf.add(y, bias) : y;
      }),
  };
}

function linearStep(o: OpOf<'linear'>, ctx: StepContext): Step {
  const i = ctx.layer;
  const w = ctx.get(keyOf(i, o.name, 'weight')).data; // [cout, cin]
  const wt = ctx.keep(tf.tidy(() => tf.transpose(tf.tensor2d(w, [o.cout, o.cin]))));
  const b = o.bias ? ctx.keep(tf.tensor1d(ctx.get(keyOf(i, o.name, 'bias')).data)) : undefined;
  return {
    ins: [o.x],
    out: o.y,
    run: ([x]) =>
      tf.tidy(() => {
        const [, h, ww, c] = x.shape as number[];
        const y = tf.fused.matMul({ a: tf.reshape(x, [h * ww, c]) as tf.Tensor2D, b: wt as tf.Tensor2D, bias: b });
        return tf.reshape(y, [1, h, ww, o.cout]);
      }),
  };
}

function attentionStep(o: OpOf<'attention'>, ctx: StepContext): Step {
  const i = ctx.layer;
  const E = o.embed;
  const H = o.heads;
  const d = E / H;
  const inW = ctx.get(keyOf(i, o.name, 'in_proj_weight')).data; // [3E, E]
  const inB = ctx.get(keyOf(i, o.name, 'in_proj_bias')).data;
  const proj = (k: number) => ({
    w: ctx.keep(tf.tidy(() => tf.transpose(tf.tensor2d(inW.slice(k * E * E, (k + 1) * E * E), [E, E])))),
    b: ctx.keep(tf.tensor1d(inB.slice(k * E, (k + 1) * E))),
  });
  const [pq, pk, pv] = [proj(0), proj(1), proj(2)];
  const owData = ctx.get(keyOf(i, `${o.name}.out_proj`, 'weight')).data;
  const ow = ctx.keep(tf.tidy(() => tf.transpose(tf.tensor2d(owData, [E, E]))));
  const ob = ctx.keep(tf.tensor1d(ctx.get(keyOf(i, `${o.name}.out_proj`, 'bias')).data));
  const scaling = 1 / Math.sqrt(d);
  return {
    ins: [o.q, o.k, o.v],
    out: o.y,
    run: ([q, k, v]) =>
      tf.tidy(() => {
        const [, h, w] = q.shape as number[];
        const L = h * w;
        const heads = (x: T, p: { w: T; b: T }) =>
          tf.transpose(
            tf.reshape(tf.fused.matMul({ a: tf.reshape(x, [L, E]) as tf.Tensor2D, b: p.w as tf.Tensor2D, bias: p.b }), [
              L,
              H,
              d,
            ]),
            [1, 0, 2],
          ) as tf.Tensor3D;
        const Q = tf.mul(heads(q, pq), scaling) as tf.Tensor3D;
        const K = heads(k, pk);
        const V = heads(v, pv);
        const att = tf.softmax(batchMatMul(Q, K, false, true));
        const ctxv = tf.reshape(tf.transpose(batchMatMul(att, V), [1, 0, 2]), [L, E]) as tf.Tensor2D;
        return tf.reshape(tf.fused.matMul({ a: ctxv, b: ow as tf.Tensor2D, bias: ob }), [1, h, w, E]);
      }),
  };
}

function maxPool(x: T4, o: OpOf<'maxPool'>): T {
  const [kh, kw] = o.k;
  const simple =
    !o.ceil && o.d[0] === 1 && o.d[1] === 1 && o.p[0] === o.p[1] && o.p[0] <= Math.floor(Math.min(kh, kw) / 2);
  if (simple) return tf.maxPool(x, [kh, kw], o.s, o.p[0] === 0 ? 'valid' : o.p[0]);
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const out = (n: number, i: 0 | 1) => {
      const num = n + 2 * o.p[i] - o.d[i] * (o.k[i] - 1) - 1;
      let v = (o.ceil ? Math.ceil(num / o.s[i]) : Math.floor(num / o.s[i])) + 1;
      if (o.ceil && (v - 1) * o.s[i] >= n + o.p[i]) v--;
      return v;
    };
    const oh = out(h, 0);
    const ow = out(w, 1);
    const needH = (oh - 1) * o.s[0] + o.d[0] * (kh - 1) + 1;
    const needW = (ow - 1) * o.s[1] + o.d[1] * (kw - 1) + 1;
    const padded = tf.pad(
      x,
      [
        [0, 0],
        [o.p[0], Math.max(0, needH - h - o.p[0])],
        [o.p[1], Math.max(0, needW - w - o.p[1])],
        [0, 0],
      ],
      -3.4e38,
    );
    const y = tf.pool(padded, [kh, kw], 'max', 'valid', o.d, o.s);
    return tf.slice(y, [0, 0, 0, 0], [1, oh, ow, -1]);
  });
}

function zeroPad(x: T4, [l, r, t, b]: [number, number, number, number]): T {
  return tf.tidy(() => {
    let y: T = tf.pad(x, [
      [0, 0],
      [Math.max(t, 0), Math.max(b, 0)],
      [Math.max(l, 0), Math.max(r, 0)],
      [0, 0],
    ]);
    if (l < 0 || r < 0 || t < 0 || b < 0) {
      const [, h, w] = y.shape as number[];
      const t0 = Math.max(-t, 0);
      const l0 = Math.max(-l, 0);
      y = tf.slice(y, [0, t0, l0, 0], [1, h - t0 - Math.max(-b, 0), w - l0 - Math.max(-r, 0), -1]);
    }
    return y;
  });
}
