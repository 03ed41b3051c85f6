/**
 * A slow, direct interpreter of the core's ops in NCHW float64, written from PyTorch's definitions and
 * nothing else of the runtime (no folding, fusing, NHWC or tfjs). Tests compare the tfjs network with
 * it for modules the PyTorch fixtures do not cover (grouped and transposed convolutions, Focus,
 * Contract/Expand, attention, pooling variants).
 *
 * Long on purpose: one case per Op kind, the reference every runtime step is checked against.
 */
import type { ActSpec, Op, Shape } from '../core/index.ts';
import { runTensorOp, type Fm, type TensorEnv } from './naive-tensor.ts';
import { keyOf, type ModelPlan } from '../runtime/model.ts';
import type { StateDict } from '../runtime/weights.ts';

export type { Fm };

const fm = (c: number, h: number, w: number): Fm => ({ c, h, w, d: new Float64Array(c * h * w) });

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 refined by a series for small |x|
  if (Math.abs(x) < 2) {
    let sum = x;
    let term = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return Math.sign(x) * y;
}

export function act(v: number, a: ActSpec): number {
  switch (a.type) {
    case 'SiLU':
      return v / (1 + Math.exp(-v));
    case 'ReLU':
      return Math.max(v, 0);
    case 'ReLU6':
      return Math.min(Math.max(v, 0), 6);
    case 'LeakyReLU':
      return v >= 0 ? v : v * (a.alpha ?? 0.01);
    case 'Hardswish':
      return (v * Math.min(Math.max(v + 3, 0), 6)) / 6;
    case 'Hardsigmoid':
      return Math.min(Math.max(v + 3, 0), 6) / 6;
    case 'Sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'Tanh':
      return Math.tanh(v);
    case 'Mish':
      return v * Math.tanh(v > 20 ? v : Math.log1p(Math.exp(v)));
    case 'GELU':
      return 0.5 * v * (1 + erf(v / Math.SQRT2));
    case 'ELU':
      return v > 0 ? v : (a.alpha ?? 1) * (Math.exp(v) - 1);
    default:
      return v;
  }
}

function runOp(
  o: Op,
  env: Map<number, Fm>,
  i: number,
  sd: StateDict,
  out: { raw: Fm[]; proto?: Fm },
  ctx: { shapes: Map<number, Shape>; strides: number[]; bnEps: number },
) {
  const W = (name: string, t: string) => sd.get(keyOf(i, name, t))!.data;
  const get = (id: number) => env.get(id)!;
  const tensorEnv: TensorEnv = {
    get,
    set: (id, v) => env.set(id, v),
    shape: (id) => ctx.shapes.get(id)!,
    tensor: (name) => sd.get(name)!.data,
    weight: W,
    strides: ctx.strides,
  };
  if (runTensorOp(o, tensorEnv)) return;
  switch (o.kind) {
    case 'conv2d': {
      const x = get(o.x);
      const w = W(o.name, 'weight');
      const b = o.bias ? W(o.name, 'bias') : undefined;
      const [kh, kw] = o.k;
      const oh = Math.floor((x.h + 2 * o.p[0] - o.d[0] * (kh - 1) - 1) / o.s[0]) + 1;
      const ow = Math.floor((x.w + 2 * o.p[1] - o.d[1] * (kw - 1) - 1) / o.s[1]) + 1;
      const y = fm(o.cout, oh, ow);
      const cig = o.cin / o.groups;
      const cog = o.cout / o.groups;
      for (let oc = 0; oc < o.cout; oc++) {
        const g = Math.floor(oc / cog);
        for (let yy = 0; yy < oh; yy++)
          for (let xx = 0; xx < ow; xx++) {
            let s = b ? b[oc] : 0;
            for (let ic = 0; ic < cig; ic++)
              for (let ky = 0; ky < kh; ky++) {
                const iy = yy * o.s[0] - o.p[0] + ky * o.d[0];
                if (iy < 0 || iy >= x.h) continue;
                for (let kx = 0; kx < kw; kx++) {
                  const ix = xx * o.s[1] - o.p[1] + kx * o.d[1];
                  if (ix < 0 || ix >= x.w) continue;
                  s += x.d[((g * cig + ic) * x.h + iy) * x.w + ix] * w[((oc * cig + ic) * kh + ky) * kw + kx];
                }
              }
            y.d[(oc * oh + yy) * ow + xx] = s;
          }
      }
      env.set(o.y, y);
      return;
    }
    case 'convTranspose2d': {
      const x = get(o.x);
      const w = W(o.name, 'weight');
      const b = o.bias ? W(o.name, 'bias') : undefined;
      const [kh, kw] = o.k;
      const oh = (x.h - 1) * o.s[0] - 2 * o.p[0] + o.d[0] * (kh - 1) + o.outPad[0] + 1;
      const ow = (x.w - 1) * o.s[1] - 2 * o.p[1] + o.d[1] * (kw - 1) + o.outPad[1] + 1;
      const y = fm(o.cout, oh, ow);
      const cig = o.cin / o.groups;
      const cog = o.cout / o.groups;
      for (let ic = 0; ic < o.cin; ic++) {
        const g = Math.floor(ic / cig);
        for (let q = 0; q < cog; q++) {
          const oc = g * cog + q;
          for (let yy = 0; yy < x.h; yy++)
            for (let xx = 0; xx < x.w; xx++) {
              const v = x.d[(ic * x.h + yy) * x.w + xx];
              for (let ky = 0; ky < kh; ky++) {
                const ty = yy * o.s[0] - o.p[0] + ky * o.d[0];
                if (ty < 0 || ty >= oh) continue;
                for (let kx = 0; kx < kw; kx++) {
                  const tx = xx * o.s[1] - o.p[1] + kx * o.d[1];
                  if (tx < 0 || tx >= ow) continue;
                  y.d[(oc * oh + ty) * ow + tx] += v * w[((ic * cog + q) * kh + ky) * kw + kx];
                }
              }
            }
        }
      }
      if (b) for (let oc = 0; oc < o.cout; oc++) for (let k = 0; k < oh * ow; k++) y.d[oc * oh * ow + k] += b[oc];
      env.set(o.y, y);
      return;
    }
    case 'batchNorm': {
      const x = get(o.x);
      const [w, b, m, v] = ['weight', 'bias', 'running_mean', 'running_var'].map((t) => W(o.name, t));
      const y = fm(x.c, x.h, x.w);
      const hw = x.h * x.w;
      for (let c = 0; c < x.c; c++)
        for (let k = 0; k < hw; k++)
          y.d[c * hw + k] = ((x.d[c * hw + k] - m[c]) / Math.sqrt(v[c] + ctx.bnEps)) * w[c] + b[c];
      env.set(o.y, y);
      return;
    }
    case 'act': {
      const x = get(o.x);
      env.set(o.y, { ...x, d: x.d.map((v) => act(v, o.act)) });
      return;
    }
    case 'concat': {
      const xs = o.xs.map(get);
      const y = fm(
        xs.reduce((a, x) => a + x.c, 0),
        xs[0].h,
        xs[0].w,
      );
      let off = 0;
      for (const x of xs) {
        y.d.set(x.d, off);
        off += x.d.length;
      }
      env.set(o.y, y);
      return;
    }
    case 'add':
    case 'mul': {
      const [a, b] = o.xs.map(get);
      if (o.kind === 'mul' && (a.c !== b.c || a.h !== b.h || a.w !== b.w)) {
        // broadcasting (sizes equal or 1), as torch's x * g
        const c = Math.max(a.c, b.c),
          h = Math.max(a.h, b.h),
          w = Math.max(a.w, b.w);
        const y = fm(c, h, w);
        const at = (t: typeof a, cc: number, yy: number, xx: number) =>
          t.d[((t.c === 1 ? 0 : cc) * t.h + (t.h === 1 ? 0 : yy)) * t.w + (t.w === 1 ? 0 : xx)];
        for (let cc = 0; cc < c; cc++)
          for (let yy = 0; yy < h; yy++)
            for (let xx = 0; xx < w; xx++) y.d[(cc * h + yy) * w + xx] = at(a, cc, yy, xx) * at(b, cc, yy, xx);
        env.set(o.y, y);
        return;
      }
      env.set(o.y, { ...a, d: a.d.map((v, k) => (o.kind === 'add' ? v + b.d[k] : v * b.d[k])) });
      return;
    }
    case 'reduce': {
      const x = get(o.x);
      const c = o.axis === 'c' ? 1 : x.c,
        h = o.axis === 'h' || o.axis === 'hw' ? 1 : x.h,
        w = o.axis === 'w' || o.axis === 'hw' ? 1 : x.w;
      const y = fm(c, h, w);
      const acc = new Float64Array(c * h * w).fill(o.op === 'max' ? -Infinity : 0);
      let n = 0;
      for (let cc = 0; cc < x.c; cc++)
        for (let yy = 0; yy < x.h; yy++)
          for (let xx = 0; xx < x.w; xx++) {
            const k = ((c === 1 ? 0 : cc) * h + (h === 1 ? 0 : yy)) * w + (w === 1 ? 0 : xx);
            const v = x.d[(cc * x.h + yy) * x.w + xx];
            acc[k] = o.op === 'max' ? Math.max(acc[k], v) : acc[k] + v;
          }
      n = (x.c * x.h * x.w) / (c * h * w);
      for (let k = 0; k < acc.length; k++) y.d[k] = o.op === 'max' ? acc[k] : acc[k] / n;
      env.set(o.y, y);
      return;
    }
    case 'slice': {
      const x = get(o.x);
      const hw = x.h * x.w;
      env.set(o.y, { c: o.end - o.start, h: x.h, w: x.w, d: x.d.slice(o.start * hw, o.end * hw) });
      return;
    }
    case 'maxPool': {
      const x = get(o.x);
      const size = (n: number, i: 0 | 1) => {
        const num = n + 2 * o.p[i] - o.d[i] * (o.k[i] - 1) - 1;
        let v = (o.ceil ? Math.ceil(num / o.s[i]) : Math.floor(num / o.s[i])) + 1;
        if (o.ceil && (v - 1) * o.s[i] >= n + o.p[i]) v--;
        return v;
      };
      const oh = size(x.h, 0);
      const ow = size(x.w, 1);
      const y = fm(x.c, oh, ow);
      for (let c = 0; c < x.c; c++)
        for (let yy = 0; yy < oh; yy++)
          for (let xx = 0; xx < ow; xx++) {
            let m = -Infinity;
            for (let ky = 0; ky < o.k[0]; ky++)
              for (let kx = 0; kx < o.k[1]; kx++) {
                const iy = yy * o.s[0] - o.p[0] + ky * o.d[0];
                const ix = xx * o.s[1] - o.p[1] + kx * o.d[1];
                if (iy >= 0 && iy < x.h && ix >= 0 && ix < x.w) m = Math.max(m, x.d[(c * x.h + iy) * x.w + ix]);
              }
            y.d[(c * oh + yy) * ow + xx] = m;
          }
      env.set(o.y, y);
      return;
    }
    case 'avgPoolGlobal': {
      const x = get(o.x);
      const y = fm(x.c, 1, 1);
      const hw = x.h * x.w;
      for (let c = 0; c < x.c; c++) {
        let s = 0;
        for (let k = 0; k < hw; k++) s += x.d[c * hw + k];
        y.d[c] = s / hw;
      }
      env.set(o.y, y);
      return;
    }
    case 'upsample': {
      const x = get(o.x);
      const oh = Math.floor(x.h * o.scale[0]);
      const ow = Math.floor(x.w * o.scale[1]);
      const y = fm(x.c, oh, ow);
      for (let c = 0; c < x.c; c++)
        for (let yy = 0; yy < oh; yy++)
          for (let xx = 0; xx < ow; xx++) {
            let v: number;
            if (o.mode === 'nearest')
              v =
                x.d[
                  (c * x.h + Math.min(Math.floor(yy / o.scale[0]), x.h - 1)) * x.w +
                    Math.min(Math.floor(xx / o.scale[1]), x.w - 1)
                ];
            else {
              const sy = Math.max((yy + 0.5) / o.scale[0] - 0.5, 0);
              const sx = Math.max((xx + 0.5) / o.scale[1] - 0.5, 0);
              const y0 = Math.min(Math.floor(sy), x.h - 1);
              const x0 = Math.min(Math.floor(sx), x.w - 1);
              const y1 = Math.min(y0 + 1, x.h - 1);
              const x1 = Math.min(x0 + 1, x.w - 1);
              const fy = sy - y0;
              const fx = sx - x0;
              const at = (a: number, b: number) => x.d[(c * x.h + a) * x.w + b];
              v = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
            }
            y.d[(c * oh + yy) * ow + xx] = v;
          }
      env.set(o.y, y);
      return;
    }
    case 'zeroPad': {
      const x = get(o.x);
      const [l, r, t, b] = o.pad;
      const oh = x.h + t + b;
      const ow = x.w + l + r;
      const y = fm(x.c, oh, ow);
      for (let c = 0; c < x.c; c++)
        for (let yy = 0; yy < oh; yy++)
          for (let xx = 0; xx < ow; xx++) {
            const iy = yy - t;
            const ix = xx - l;
            if (iy >= 0 && iy < x.h && ix >= 0 && ix < x.w)
              y.d[(c * oh + yy) * ow + xx] = x.d[(c * x.h + iy) * x.w + ix];
          }
      env.set(o.y, y);
      return;
    }
    case 'focus': {
      // cat(x[..., ::2, ::2], x[..., 1::2, ::2], x[..., ::2, 1::2], x[..., 1::2, 1::2])
      const x = get(o.x);
      const oh = x.h / 2;
      const ow = x.w / 2;
      const y = fm(4 * x.c, oh, ow);
      [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ].forEach(([dy, dx], q) => {
        for (let c = 0; c < x.c; c++)
          for (let yy = 0; yy < oh; yy++)
            for (let xx = 0; xx < ow; xx++)
              y.d[((q * x.c + c) * oh + yy) * ow + xx] = x.d[(c * x.h + 2 * yy + dy) * x.w + 2 * xx + dx];
      });
      env.set(o.y, y);
      return;
    }
    case 'contract': {
      // x.view(b, c, h//s, s, w//s, s).permute(0, 3, 5, 1, 2, 4).view(b, c*s*s, h//s, w//s)
      const x = get(o.x);
      const s = o.gain;
      const oh = x.h / s;
      const ow = x.w / s;
      const y = fm(x.c * s * s, oh, ow);
      for (let c = 0; c < x.c; c++)
        for (let yy = 0; yy < oh; yy++)
          for (let sy = 0; sy < s; sy++)
            for (let xx = 0; xx < ow; xx++)
              for (let sx = 0; sx < s; sx++)
                y.d[(((sy * s + sx) * x.c + c) * oh + yy) * ow + xx] = x.d[(c * x.h + yy * s + sy) * x.w + xx * s + sx];
      env.set(o.y, y);
      return;
    }
    case 'expand': {
      // x.view(b, s, s, c//s^2, h, w).permute(0, 3, 4, 1, 5, 2).view(b, c//s^2, h*s, w*s)
      const x = get(o.x);
      const s = o.gain;
      const c2 = x.c / (s * s);
      const oh = x.h * s;
      const ow = x.w * s;
      const y = fm(c2, oh, ow);
      for (let sy = 0; sy < s; sy++)
        for (let sx = 0; sx < s; sx++)
          for (let c = 0; c < c2; c++)
            for (let yy = 0; yy < x.h; yy++)
              for (let xx = 0; xx < x.w; xx++)
                y.d[(c * oh + yy * s + sy) * ow + xx * s + sx] = x.d[(((sy * s + sx) * c2 + c) * x.h + yy) * x.w + xx];
      env.set(o.y, y);
      return;
    }
    case 'linear': {
      const x = get(o.x);
      const w = W(o.name, 'weight');
      const b = o.bias ? W(o.name, 'bias') : undefined;
      const hw = x.h * x.w;
      const y = fm(o.cout, x.h, x.w);
      for (let p = 0; p < hw; p++)
        for (let oc = 0; oc < o.cout; oc++) {
          let s = b ? b[oc] : 0;
          for (let ic = 0; ic < o.cin; ic++) s += w[oc * o.cin + ic] * x.d[ic * hw + p];
          y.d[oc * hw + p] = s;
        }
      env.set(o.y, y);
      return;
    }
    case 'attention': {
      const [q, k, v] = [o.q, o.k, o.v].map(get);
      const E = o.embed;
      const H = o.heads;
      const dh = E / H;
      const L = q.h * q.w;
      const inW = W(o.name, 'in_proj_weight');
      const inB = W(o.name, 'in_proj_bias');
      const ow = W(`${o.name}.out_proj`, 'weight');
      const ob = W(`${o.name}.out_proj`, 'bias');
      const proj = (x: Fm, part: number) => {
        const r = new Float64Array(L * E);
        for (let t = 0; t < L; t++)
          for (let e = 0; e < E; e++) {
            let s = inB[part * E + e];
            for (let j = 0; j < E; j++) s += inW[(part * E + e) * E + j] * x.d[j * L + t];
            r[t * E + e] = s;
          }
        return r;
      };
      const Q = proj(q, 0);
      const K = proj(k, 1);
      const V = proj(v, 2);
      const ctx = new Float64Array(L * E);
      for (let h = 0; h < H; h++)
        for (let t = 0; t < L; t++) {
          const sc = new Float64Array(L);
          let mx = -Infinity;
          for (let u = 0; u < L; u++) {
            let s = 0;
            for (let j = 0; j < dh; j++) s += Q[t * E + h * dh + j] * K[u * E + h * dh + j];
            sc[u] = s / Math.sqrt(dh);
            mx = Math.max(mx, sc[u]);
          }
          let z = 0;
          for (let u = 0; u < L; u++) z += sc[u] = Math.exp(sc[u] - mx);
          for (let j = 0; j < dh; j++) {
            let s = 0;
            for (let u = 0; u < L; u++) s += (sc[u] / z) * V[u * E + h * dh + j];
            ctx[t * E + h * dh + j] = s;
          }
        }
      const y = fm(E, q.h, q.w);
      for (let t = 0; t < L; t++)
        for (let e = 0; e < E; e++) {
          let s = ob[e];
          for (let j = 0; j < E; j++) s += ow[e * E + j] * ctx[t * E + j];
          y.d[e * L + t] = s;
        }
      env.set(o.y, y);
      return;
    }
    case 'detect': {
      // raw levels [na, h, w, no] from conv channel a * no + k
      for (const id of o.xs) {
        const x = get(id);
        const r = fm(o.na, x.h * x.w, o.no);
        for (let a = 0; a < o.na; a++)
          for (let p = 0; p < x.h * x.w; p++)
            for (let kk = 0; kk < o.no; kk++)
              r.d[(a * x.h * x.w + p) * o.no + kk] = x.d[(a * o.no + kk) * x.h * x.w + p];
        out.raw.push(r);
      }
      if (o.proto !== undefined) out.proto = get(o.proto);
      return;
    }
  }
}

export interface NaiveOutput {
  layers: Map<number, Fm>;
  /** Head levels [na, h*w, no] (undecoded), in PyTorch's order; an Ultralytics head's [no, h, w]. */
  raw: Fm[];
  proto?: Fm;
  /** An Ultralytics head's prediction and its other output (mc, kpt, angle). */
  pred?: Fm;
  extra?: Fm;
}

/** Run a plan on an NCHW image [C, H, W]. */
export function runNaive(plan: ModelPlan, sd: StateDict, image: Fm): NaiveOutput {
  const outs: Fm[] = [];
  const res: NaiveOutput = { layers: new Map(), raw: [] };
  for (const L of plan.layers) {
    const env = new Map<number, Fm>();
    L.inputs.forEach((j, k) => env.set(L.inputIds[k], j === -1 ? image : outs[j]));
    const ctx = { shapes: L.shapes, strides: plan.analysis.stride ?? [], bnEps: plan.bnEps };
    for (const o of L.ops) runOp(o, env, L.i, sd, res, ctx);
    outs[L.i] = env.get(L.outId)!;
    const af = plan.anchorFree;
    if (af && af.layer === L.i) {
      res.pred = outs[L.i];
      res.raw = af.raw.map((id) => env.get(id)!);
      if (af.proto !== undefined) res.proto = env.get(af.proto);
      if (af.extra) res.extra = env.get(af.extra.id);
    }
    if (outs[L.i]) res.layers.set(L.i, outs[L.i]);
  }
  return res;
}
