/**
 * The convolution step: PyTorch weights [cout, cin/g, kh, kw] folded with their batch norm into tfjs
 * filters (NHWC), bias and activation fused where tfjs can; ungrouped, depthwise, grouped, and over the
 * parts of a concatenation that is never built. Explicit PyTorch padding everywhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Op } from '../core/index.ts';
import { applyActDispose, fusedAct, type FusedAct } from './activations.ts';
import { gemmConv, packConv, runPacked } from './conv-gemm.ts';
import type { ConvFusion, ConvSlice, VirtualConcat } from './fusion.ts';
import { keyOf } from './model.ts';
import { foldNorm, type Step, type StepContext } from './step-kit.ts';

type T = tf.Tensor;
type T4 = tf.Tensor4D;
type Conv2d = Extract<Op, { kind: 'conv2d' }>;

/**
 * A convolution's steps: one, or one per slice of its output channels (`slices`: each writes only channels
 * start..end, as that slice's value; fusion.ts, ungrouped only), its kernel folded once for all of them.
 */
export function convSteps(
  ctx: StepContext,
  o: Conv2d,
  fusion?: ConvFusion,
  parts?: VirtualConcat,
  slices?: readonly ConvSlice[],
): Step[] {
  const kernel = foldedKernel(ctx, o, fusion);
  return (slices ?? [undefined]).map((slice) => convStep(ctx, o, kernel, fusion, parts, slice));
}

function convStep(
  ctx: StepContext,
  o: Conv2d,
  kernel: FoldedKernel,
  fusion?: ConvFusion,
  parts?: VirtualConcat,
  slice?: ConvSlice,
): Step {
  const i = ctx.layer;
  const { w: wd, b, hasBias } = kernel;
  const act = fusion?.act;
  const out = slice?.y ?? fusion?.out ?? o.y;
  const { cin, cout, groups: g } = o;
  if (slice && g !== 1) throw new Error(`layer ${i} ${o.name}: only an ungrouped convolution runs by slices`);
  // the output channels this step writes
  const oc0 = slice?.start ?? 0;
  const ocs = slice ? slice.end - slice.start : cout;
  const [kh, kw] = o.k;
  const cig = cin / g;
  const cog = cout / g;
  const fused = fusedAct(act);
  const post = fused ? undefined : act;
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [o.p[0], o.p[0]],
    [o.p[1], o.p[1]],
    [0, 0],
  ];
  const strides: [number, number] = o.s;
  const dilations: [number, number] = o.d;
  if (o.s.some((v) => v > 1) && o.d.some((v) => v > 1))
    throw new Error(
      `layer ${i} ${o.name}: tfjs cannot run a convolution with both stride ${o.s} and dilation ${o.d} > 1`,
    );
  const activation: FusedAct = fused?.act ?? 'linear';
  const leakyreluAlpha = fused?.alpha;
  const finish = (y: T) => (post ? applyActDispose(y, post) : y);
  /** tfjs filter [kh, kw, c, n] of output channels oc0.. and input channels ic0.. of PyTorch's weights */
  const filter = (ic0: number, c: number, oc0: number, n: number, cinW: number) => {
    const f = new Float32Array(kh * kw * c * n);
    for (let q = 0; q < n; q++) {
      const oc = oc0 + q;
      for (let ic = 0; ic < c; ic++)
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            f[((y * kw + x) * c + ic) * n + q] = wd[((oc * cinW + ic0 + ic) * kh + y) * kw + x];
    }
    return ctx.keep(tf.tensor4d(f, [kh, kw, c, n]));
  };
  const biasTensor = () => (hasBias ? ctx.keep(tf.tensor1d(Float32Array.from(b.subarray(oc0, oc0 + ocs)))) : undefined);

  const partCs = parts ? parts.cs : [cin];
  if (g === 1 && gemmConv()) {
    // our GEMM kernel (conv-gemm.ts): weights packed now, bias and ReLU or SiLU in its store, parts summed in place
    const inStore = act?.type === 'ReLU' ? ('relu' as const) : act?.type === 'SiLU' ? ('silu' as const) : undefined;
    const after = act && act.type !== 'Identity' && !inStore ? act : undefined;
    const geometry = { kh, kw, sh: o.s[0], sw: o.s[1], ph: o.p[0], pw: o.p[1], dh: o.d[0], dw: o.d[1], act: inStore };
    const packed = packConv(wd, hasBias ? b : undefined, { cin, kh, kw }, partCs, oc0, ocs, geometry, ctx.keep);
    return {
      ins: parts ? parts.ids : [o.x],
      out,
      run: (xs) => {
        const y = runPacked(packed, xs);
        return after ? applyActDispose(y, after) : y;
      },
    };
  }
  if (g === 1 && parts) {
    // one convolution per concatenated part, summed; bias and activation after the sum
    let off = 0;
    const filters = parts.cs.map((c) => {
      const f = filter(off, c, oc0, ocs, cin);
      off += c;
      return f;
    });
    const bt = biasTensor();
    const last = filters.length - 1;
    return {
      ins: parts.ids,
      out,
      run: (xs) => {
        let acc: T | undefined;
        for (let k = 0; k <= last; k++) {
          const y = tf.fused.conv2d({
            x: xs[k] as T4,
            filter: filters[k],
            strides,
            pad,
            dilations,
            bias: k === last ? bt : undefined,
          });
          if (acc) {
            const sum = tf.add(acc, y);
            acc.dispose();
            y.dispose();
            acc = sum;
          } else acc = y;
        }
        return act && act.type !== 'Identity' ? applyActDispose(acc!, act) : acc!;
      },
    };
  }
  if (g === 1) {
    const f = filter(0, cin, oc0, ocs, cin);
    const bt = biasTensor();
    return {
      ins: [o.x],
      out,
      run: ([x]) =>
        finish(
          tf.fused.conv2d({ x: x as T4, filter: f, strides, pad, dilations, bias: bt, activation, leakyreluAlpha }),
        ),
    };
  }
  if (g === cin && cig === 1) {
    // depthwise: PyTorch out channel c*mult + m reads input c; tfjs the same order
    const mult = cout / cin;
    const fd = new Float32Array(kh * kw * cin * mult);
    for (let c = 0; c < cin; c++)
      for (let m = 0; m < mult; m++) {
        const oc = c * mult + m;
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++) fd[((y * kw + x) * cin + c) * mult + m] = wd[(oc * kh + y) * kw + x];
      }
    const f = ctx.keep(tf.tensor4d(fd, [kh, kw, cin, mult]));
    const bt = biasTensor();
    // tfjs depthwise takes only a symmetric number as padding
    const symmetric = o.p[0] === o.p[1];
    return {
      ins: [o.x],
      out,
      run: ([x]) => {
        const xp = (symmetric ? x : tf.pad(x, pad)) as T4;
        const y = tf.fused.depthwiseConv2d({
          x: xp,
          filter: f,
          strides,
          pad: symmetric ? o.p[0] : 0,
          dilations,
          bias: bt,
          activation,
          leakyreluAlpha,
        });
        if (xp !== x) xp.dispose();
        return finish(y);
      },
    };
  }
  // general groups: one convolution per group
  const filters: tf.Tensor4D[] = [];
  const biases: (T | undefined)[] = [];
  for (let gi = 0; gi < g; gi++) {
    filters.push(filter(0, cig, gi * cog, cog, cig));
    biases.push(hasBias ? ctx.keep(tf.tensor1d(Float32Array.from(b.subarray(gi * cog, (gi + 1) * cog)))) : undefined);
  }
  return {
    ins: [o.x],
    out,
    run: ([x]) =>
      finish(
        tf.tidy(() => {
          const xs = tf.split(x, g, 3);
          return tf.concat(
            xs.map((p, gi) =>
              tf.fused.conv2d({
                x: p as T4,
                filter: filters[gi],
                strides,
                pad,
                dilations,
                bias: biases[gi],
                activation,
                leakyreluAlpha,
              }),
            ),
            3,
          );
        }),
      ),
  };
}

interface FoldedKernel {
  /** [cout, cin / groups, kh, kw], float64. */
  w: Float64Array;
  b: Float64Array;
  hasBias: boolean;
}

/**
 * The convolution's kernel in PyTorch's layout [cout, cin / groups, kh, kw] and its bias, in float64, with its batch
 * norm folded in and the branches merged into it (fusion.ts) added: each branch's kernel, scaled by its own batch
 * norm, centred in this one (a 1x1 lands on the middle tap of a 3x3, a 3x3 on the middle of a 7x7), an identity
 * batch norm as a centre tap on each channel's own input (RepConv's id_tensor), the biases summed.
 */
function foldedKernel(ctx: StepContext, o: Conv2d, fusion?: ConvFusion): FoldedKernel {
  const { cout, groups: g } = o;
  const cig = o.cin / g;
  const [kh, kw] = o.k;
  const w = new Float64Array(cout * cig * kh * kw);
  const b = new Float64Array(cout);
  let hasBias = false;
  const add = (c: Conv2d, bn: ConvFusion['bn']) => {
    const wd = ctx.get(keyOf(ctx.layer, c.name, 'weight')).data;
    const bias = c.bias ? ctx.get(keyOf(ctx.layer, c.name, 'bias')).data : undefined;
    const norm = bn ? foldNorm(ctx, bn.name, bn.c) : undefined;
    const [ch, cw] = c.k;
    const dy = (kh - ch) / 2;
    const dx = (kw - cw) / 2;
    for (let oc = 0; oc < cout; oc++) {
      const sc = norm ? norm.scale[bn!.offset + oc] : 1;
      for (let ic = 0; ic < cig; ic++)
        for (let y = 0; y < ch; y++)
          for (let x = 0; x < cw; x++)
            w[((oc * cig + ic) * kh + y + dy) * kw + x + dx] += wd[((oc * cig + ic) * ch + y) * cw + x] * sc;
      b[oc] += (bias ? bias[oc] * sc : 0) + (norm ? norm.shift[bn!.offset + oc] : 0);
    }
    hasBias ||= !!(bias || norm);
  };
  add(o, fusion?.bn);
  for (const m of fusion?.merged?.convs ?? []) add(m.op, m.bn);
  for (const id of fusion?.merged?.identity ?? []) {
    const norm = foldNorm(ctx, id.name, id.c);
    const [cy, cx] = [(kh - 1) / 2, (kw - 1) / 2];
    for (let oc = 0; oc < cout; oc++) {
      w[((oc * cig + (oc % cig)) * kh + cy) * kw + cx] += norm.scale[oc];
      b[oc] += norm.shift[oc];
    }
    hasBias = true;
  }
  return { w, b, hasBias };
}
