/**
 * Decoding a head's level maps into predictions: one place per head kind. The network hands the head
 * its level maps (NHWC, as the head's convolutions wrote them); the head says what to download and
 * decodes on the host, or decodes entirely in tfjs for callers that keep tensors.
 *
 * YOLOv5's Detect and Segment (anchor-based) are here; a new head kind is one more HeadRuntime in HEADS.
 */
import * as tf from '@tensorflow/tfjs-core';
import { detectOnDevice } from './detect.ts';
import type { HeadInfo, ModelPlan } from './model.ts';
import type { StateTensor } from './weights.ts';

type T = tf.Tensor;

export interface TensorData {
  shape: number[];
  data: Float32Array;
}

export interface HeadRuntime {
  /**
   * On the device, before download: `host` the tensors decodeHost reads, `raw` the levels as the head's
   * convolutions wrote them (NHWC) when asked (or needed by the host decoding). New tensors; the caller
   * disposes them. No layout changes on the device: decodeHost and rawLayout gather on the host; or `pred`, the
   * predictions decoded on the device (detect.ts's kernel), with no `host` tensors.
   */
  forHost(xs: T[], opts: { raw: boolean }): { host: T[]; raw: T[]; pred?: T };
  /** On the host: predictions [1, N, no] from the downloaded `host` and `raw` tensors. */
  decodeHost(host: TensorData[], raw: TensorData[]): TensorData;
  /** On the host: the downloaded raw levels in PyTorch's layout. */
  rawLayout(raw: TensorData[]): TensorData[];
  /** Entirely in tfjs: the decoded predictions and the raw levels in PyTorch's layout (new tensors). */
  decode(xs: T[]): { pred: T; raw: T[] };
  dispose(): void;
}

/** The head runtime of a plan's head (none for a backbone without one). */
export function headRuntime(plan: ModelPlan, get: (key: string) => StateTensor): HeadRuntime | undefined {
  const h = plan.head;
  return h ? HEADS[h.kind](plan, h, get) : undefined;
}

const HEADS: Record<
  HeadInfo['kind'],
  (plan: ModelPlan, h: HeadInfo, get: (key: string) => StateTensor) => HeadRuntime
> = {
  Detect: anchorHead,
  Segment: anchorHead,
};

/**
 * YOLOv5 v7.0's Detect/Segment in eval mode: xy = (2 s - 0.5 + grid) * stride, wh = (2 s)^2 * anchor,
 * objectness and classes s = sigmoid; Segment's mask coefficients pass through raw.
 */
function anchorHead(plan: ModelPlan, h: HeadInfo, get: (key: string) => StateTensor): HeadRuntime {
  const a = get(`model.${h.layer}.anchors`);
  const anchorsPx: number[][] = [];
  for (let l = 0; l < h.nl; l++)
    anchorsPx.push(Array.from(a.data.subarray(l * h.na * 2, (l + 1) * h.na * 2), (v) => v * h.stride[l]));
  const nd = 5 + h.nc; // decoded channels; mask coefficients pass through
  const gridCache = new Map<string, { Q: T; P: T; C: T }>();

  /** Decoding constants of level l at hh x ww (tfjs decoding), so that dec = s * (s * Q + P) + C. */
  const makeGrid = (l: number, hh: number, ww: number, keep: boolean) => {
    const st = h.stride[l];
    const q = new Float32Array(h.na * nd);
    for (let k = 0; k < h.na; k++) {
      q[k * nd + 2] = 4 * anchorsPx[l][2 * k];
      q[k * nd + 3] = 4 * anchorsPx[l][2 * k + 1];
    }
    const p = new Float32Array(nd);
    p[0] = p[1] = 2 * st;
    for (let c = 4; c < nd; c++) p[c] = 1;
    const c = new Float32Array(hh * ww * nd);
    for (let y = 0; y < hh; y++)
      for (let x = 0; x < ww; x++) {
        c[(y * ww + x) * nd] = (x - 0.5) * st;
        c[(y * ww + x) * nd + 1] = (y - 0.5) * st;
      }
    const k = <X extends T>(t: X) => (keep ? tf.keep(t) : t);
    return { Q: k(tf.tensor(q, [1, h.na, 1, 1, nd])), P: k(tf.tensor1d(p)), C: k(tf.tensor(c, [1, 1, hh, ww, nd])) };
  };
  // constants for the analysed size made once (other sizes make theirs per run, tidied with it)
  plan.layers[h.layer].inputs.slice(0, h.nl).forEach((j, l) => {
    const s = plan.layers[j]?.shape;
    if (s) gridCache.set(`${l}:${s[1]}x${s[2]}`, makeGrid(l, s[1], s[2], true));
  });
  const grid = (l: number, hh: number, ww: number) => gridCache.get(`${l}:${hh}x${ww}`) ?? makeGrid(l, hh, ww, false);
  /** A level [1, h, w, na * no] as PyTorch lays it out: [1, na, h, w, no]. */
  const torchLayout = (x: T) => {
    const [, hh, ww] = x.shape as number[];
    return tf.transpose(tf.reshape(x, [1, hh, ww, h.na, h.no]), [0, 3, 1, 2, 4]);
  };

  return {
    forHost(xs, opts) {
      const keepRaw = opts.raw || !!h.nm;
      // Detect on wasm: decoded in one kernel (Segment's mask coefficients pass through: decoded on the host)
      const pred = h.nm ? undefined : detectOnDevice(xs, { na: h.na, no: h.no, stride: h.stride, anchorsPx });
      if (pred) return { host: [], raw: keepRaw ? xs.map((x) => tf.clone(x)) : [], pred };
      return tf.tidy(() => ({ host: xs.map((x) => tf.sigmoid(x)), raw: keepRaw ? xs.map((x) => tf.clone(x)) : [] }));
    },
    decodeHost(sig, raw) {
      // levels arrive NHWC [1, h, w, na * no]: each prediction row is gathered into PyTorch's order
      // [1, na, h, w, no] as it is decoded, in float32 as PyTorch (every intermediate rounded)
      const f = Math.fround;
      const { no, na } = h;
      const total = sig.reduce((n, t) => n + t.data.length, 0);
      const out = new Float32Array(total);
      let o = 0;
      sig.forEach((t, l) => {
        const [, hh, ww] = t.shape;
        const st = h.stride[l];
        const s = t.data;
        const rw = h.nm ? raw[l].data : undefined;
        for (let k = 0; k < na; k++) {
          const aw = f(anchorsPx[l][2 * k]);
          const ah = f(anchorsPx[l][2 * k + 1]);
          for (let y = 0; y < hh; y++) {
            const gy = f(y - 0.5);
            for (let x = 0; x < ww; x++) {
              const i = ((y * ww + x) * na + k) * no;
              const p = o + ((k * hh + y) * ww + x) * no;
              out[p] = f(f(f(s[i] * 2) + f(x - 0.5)) * st);
              out[p + 1] = f(f(f(s[i + 1] * 2) + gy) * st);
              const w2 = f(s[i + 2] * 2);
              const h2 = f(s[i + 3] * 2);
              out[p + 2] = f(f(w2 * w2) * aw);
              out[p + 3] = f(f(h2 * h2) * ah);
              out.set(s.subarray(i + 4, i + nd), p + 4);
              // mask coefficients pass through raw
              if (rw) out.set(rw.subarray(i + nd, i + no), p + nd);
            }
          }
        }
        o += s.length;
      });
      return { shape: [1, total / no, no], data: out };
    },
    rawLayout(raw) {
      const { no, na } = h;
      return raw.map((t) => {
        const [, hh, ww] = t.shape;
        const out = new Float32Array(t.data.length);
        for (let k = 0; k < na; k++)
          for (let y = 0; y < hh; y++)
            for (let x = 0; x < ww; x++) {
              const i = ((y * ww + x) * na + k) * no;
              out.set(t.data.subarray(i, i + no), ((k * hh + y) * ww + x) * no);
            }
        return { shape: [1, na, hh, ww, no], data: out };
      });
    },
    decode(xs) {
      return tf.tidy(() => {
        const raw: T[] = [];
        const preds: T[] = [];
        xs.forEach((x, l) => {
          const [, hh, ww] = x.shape as number[];
          const r = torchLayout(x);
          raw.push(r);
          const { Q, P, C } = grid(l, hh, ww);
          const box = h.nm ? tf.slice(r, [0, 0, 0, 0, 0], [1, h.na, hh, ww, nd]) : r;
          const s = tf.sigmoid(box);
          let dec: T = tf.add(tf.mul(tf.add(tf.mul(s, Q), P), s), C);
          if (h.nm) dec = tf.concat([dec, tf.slice(r, [0, 0, 0, 0, nd], [1, h.na, hh, ww, h.nm])], 4);
          preds.push(tf.reshape(dec, [1, h.na * hh * ww, h.no]));
        });
        const pred = preds.length === 1 ? preds[0] : tf.concat(preds, 1);
        return { raw, pred };
      });
    },
    dispose() {
      for (const g of gridCache.values()) for (const t of [g.Q, g.P, g.C]) t.dispose();
      gridCache.clear();
    },
  };
}
