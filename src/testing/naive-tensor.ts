/**
 * The float64 reference interpreter (naive.ts) for the tensor primitives and the anchor-free heads' decoding,
 * written from PyTorch's and Ultralytics' definitions: values of any rank, row-major in PyTorch's axis order
 * (the batch left out), their shapes from the core. Nothing of the tfjs runtime is used.
 */
import type { Op, Shape } from '../core/index.ts';

/** [C, H, W] values. */
export interface Fm {
  c: number;
  h: number;
  w: number;
  d: Float64Array;
}

/** A value of shape `shape` (its c, h, w: the first axes, the rest folded into w). */
export function value(shape: Shape, d: Float64Array = new Float64Array(numel(shape))): Fm {
  const c = shape[0] ?? 1;
  const h = shape[1] ?? 1;
  const w = shape.slice(2).reduce((a, b) => a * b, 1);
  return { c, h, w, d };
}

const numel = (s: Shape) => s.reduce((a, b) => a * b, 1);
const sizes = (s: Shape, axis: number) => ({
  outer: numel(s.slice(0, axis)),
  n: s[axis],
  inner: numel(s.slice(axis + 1)),
});

export interface TensorEnv {
  get(id: number): Fm;
  set(id: number, v: Fm): void;
  shape(id: number): Shape;
  /** A state_dict tensor by full name. */
  tensor(name: string): Float32Array;
  /** The layer's state_dict tensor of an op `name`. */
  weight(name: string, t: string): Float32Array;
  strides: number[];
}

/** Runs one op if it is one of this file's kinds; false otherwise. */
export function runTensorOp(o: Op, e: TensorEnv): boolean {
  switch (o.kind) {
    case 'concat': {
      if (!o.axis) return false;
      const ys = e.shape(o.y);
      const { outer, inner } = sizes(ys, o.axis);
      const y = value(ys);
      let at = 0;
      for (let p = 0; p < outer; p++)
        for (const id of o.xs) {
          const n = e.shape(id)[o.axis] * inner;
          y.d.set(e.get(id).d.subarray(p * n, (p + 1) * n), at);
          at += n;
        }
      e.set(o.y, y);
      return true;
    }
    case 'slice': {
      if (!o.axis) return false;
      const xs = e.shape(o.x);
      const { outer, n, inner } = sizes(xs, o.axis);
      const x = e.get(o.x).d;
      const y = value(e.shape(o.y));
      const m = (o.end - o.start) * inner;
      for (let p = 0; p < outer; p++)
        y.d.set(x.subarray(p * n * inner + o.start * inner, p * n * inner + o.start * inner + m), p * m);
      e.set(o.y, y);
      return true;
    }
    case 'add':
    case 'mul': {
      const [a, b] = o.xs;
      const sa = e.shape(a);
      const sb = e.shape(b);
      if (sa.length === sb.length && sa.every((v, i) => v === sb[i])) return false;
      // broadcasting: sizes equal or 1
      const ys = e.shape(o.y);
      const y = value(ys);
      const A = e.get(a).d;
      const B = e.get(b).d;
      const idx = (s: Shape, coord: number[]) => coord.reduce((k, c, i) => k * s[i] + (s[i] === 1 ? 0 : c), 0);
      const coord = new Array(ys.length).fill(0);
      for (let k = 0; k < y.d.length; k++) {
        let r = k;
        for (let i = ys.length - 1; i >= 0; i--) {
          coord[i] = r % ys[i];
          r = Math.floor(r / ys[i]);
        }
        const va = A[idx(sa, coord)];
        const vb = B[idx(sb, coord)];
        y.d[k] = o.kind === 'add' ? va + vb : va * vb;
      }
      e.set(o.y, y);
      return true;
    }
    case 'reshape':
      e.set(o.y, value(o.shape, e.get(o.x).d.slice()));
      return true;
    case 'permute': {
      const xs = e.shape(o.x);
      const ys = o.dims.map((d) => xs[d]);
      const x = e.get(o.x).d;
      const y = value(ys);
      const xstr = xs.map((_, i) => numel(xs.slice(i + 1)));
      const coord = new Array(ys.length).fill(0);
      for (let k = 0; k < y.d.length; k++) {
        let r = k;
        for (let i = ys.length - 1; i >= 0; i--) {
          coord[i] = r % ys[i];
          r = Math.floor(r / ys[i]);
        }
        let src = 0;
        for (let i = 0; i < ys.length; i++) src += coord[i] * xstr[o.dims[i]];
        y.d[k] = x[src];
      }
      e.set(o.y, y);
      return true;
    }
    case 'softmax': {
      const xs = e.shape(o.x);
      const { outer, n, inner } = sizes(xs, o.axis);
      const x = e.get(o.x).d;
      const y = value(xs);
      for (let p = 0; p < outer; p++)
        for (let q = 0; q < inner; q++) {
          let m = -Infinity;
          for (let j = 0; j < n; j++) m = Math.max(m, x[(p * n + j) * inner + q]);
          let s = 0;
          for (let j = 0; j < n; j++) s += Math.exp(x[(p * n + j) * inner + q] - m);
          for (let j = 0; j < n; j++) y.d[(p * n + j) * inner + q] = Math.exp(x[(p * n + j) * inner + q] - m) / s;
        }
      e.set(o.y, y);
      return true;
    }
    case 'matmul': {
      const [ia, ib] = o.xs;
      const sa = e.shape(ia);
      const sb = e.shape(ib);
      const r = sa.length;
      const batch = numel(sa.slice(0, r - 2));
      const [ar, ac] = [sa[r - 2], sa[r - 1]];
      const [br, bc] = [sb[r - 2], sb[r - 1]];
      const [m, k] = o.transA ? [ac, ar] : [ar, ac];
      const n = o.transB ? br : bc;
      const A = e.get(ia).d;
      const B = e.get(ib).d;
      const y = value(e.shape(o.y));
      for (let t = 0; t < batch; t++)
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let q = 0; q < k; q++) {
              const av = o.transA ? A[t * ar * ac + q * ac + i] : A[t * ar * ac + i * ac + q];
              const bv = o.transB ? B[t * br * bc + j * bc + q] : B[t * br * bc + q * bc + j];
              s += av * bv;
            }
            y.d[(t * m + i) * n + j] = s;
          }
      e.set(o.y, y);
      return true;
    }
    case 'scale': {
      const x = e.get(o.x);
      e.set(o.y, { ...x, d: x.d.map((v) => v * o.factor + (o.offset ?? 0)) });
      return true;
    }
    case 'avgPool': {
      const [C, H, W] = e.shape(o.x);
      const [, OH, OW] = e.shape(o.y);
      const x = e.get(o.x).d;
      const y = value([C, OH, OW]);
      const [kh, kw] = o.k;
      for (let c = 0; c < C; c++)
        for (let i = 0; i < OH; i++)
          for (let j = 0; j < OW; j++) {
            // PyTorch: the window within the padded map counts for the divisor; the map alone for the sum
            const h0 = i * o.s[0] - o.p[0];
            const w0 = j * o.s[1] - o.p[1];
            const h1 = Math.min(h0 + kh, H + o.p[0]);
            const w1 = Math.min(w0 + kw, W + o.p[1]);
            let div = (h1 - h0) * (w1 - w0);
            const ha = Math.max(h0, 0);
            const wa = Math.max(w0, 0);
            const hb = Math.min(h1, H);
            const wb = Math.min(w1, W);
            if (!o.countIncludePad) div = (hb - ha) * (wb - wa);
            let s = 0;
            for (let a = ha; a < hb; a++) for (let b = wa; b < wb; b++) s += x[(c * H + a) * W + b];
            y.d[(c * OH + i) * OW + j] = s / div;
          }
      e.set(o.y, y);
      return true;
    }
    case 'resize': {
      const [C, H, W] = e.shape(o.x);
      const [oh, ow] = o.size;
      const x = e.get(o.x).d;
      const y = value([C, oh, ow]);
      for (let c = 0; c < C; c++)
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++)
            y.d[(c * oh + i) * ow + j] =
              x[(c * H + Math.min(Math.floor((i * H) / oh), H - 1)) * W + Math.min(Math.floor((j * W) / ow), W - 1)];
      e.set(o.y, y);
      return true;
    }
    case 'adaptivePool': {
      const [C, H, W] = e.shape(o.x);
      const [oh, ow] = o.size;
      const x = e.get(o.x).d;
      const y = value([C, oh, ow]);
      for (let c = 0; c < C; c++)
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++) {
            const [h0, h1] = [Math.floor((i * H) / oh), Math.ceil(((i + 1) * H) / oh)];
            const [w0, w1] = [Math.floor((j * W) / ow), Math.ceil(((j + 1) * W) / ow)];
            let acc = o.op === 'max' ? -Infinity : 0;
            for (let a = h0; a < h1; a++)
              for (let b = w0; b < w1; b++) {
                const v = x[(c * H + a) * W + b];
                acc = o.op === 'max' ? Math.max(acc, v) : acc + v;
              }
            y.d[(c * oh + i) * ow + j] = o.op === 'max' ? acc : acc / ((h1 - h0) * (w1 - w0));
          }
      e.set(o.y, y);
      return true;
    }
    case 'normalize': {
      const xs = e.shape(o.x);
      const { outer, n, inner } = sizes(xs, o.axis);
      const x = e.get(o.x).d;
      const y = value(xs);
      for (let p = 0; p < outer; p++)
        for (let q = 0; q < inner; q++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += x[(p * n + j) * inner + q] ** 2;
          const d = Math.max(Math.sqrt(s), 1e-12);
          for (let j = 0; j < n; j++) y.d[(p * n + j) * inner + q] = x[(p * n + j) * inner + q] / d;
        }
      e.set(o.y, y);
      return true;
    }
    case 'layerNorm': {
      const xs = e.shape(o.x);
      const C = xs[0];
      const P = numel(xs.slice(1));
      const x = e.get(o.x).d;
      const w = e.weight(o.name, 'weight');
      const b = e.weight(o.name, 'bias');
      const y = value(xs);
      for (let p = 0; p < P; p++) {
        let m = 0;
        for (let c = 0; c < C; c++) m += x[c * P + p];
        m /= C;
        let v = 0;
        for (let c = 0; c < C; c++) v += (x[c * P + p] - m) ** 2;
        v /= C;
        for (let c = 0; c < C; c++) y.d[c * P + p] = ((x[c * P + p] - m) / Math.sqrt(v + o.eps)) * w[c] + b[c];
      }
      e.set(o.y, y);
      return true;
    }
    case 'param':
      e.set(o.y, value(o.shape, Float64Array.from(e.tensor(o.name))));
      return true;
    case 'anchorDecode': {
      const { pts, st, A } = anchors(o.levels, e.strides);
      const d = e.get(o.x).d;
      const ang = o.angle !== undefined ? e.get(o.angle).d : undefined;
      const y = value([4, A]);
      for (let a = 0; a < A; a++) {
        const [l, t, r, b] = [d[a], d[A + a], d[2 * A + a], d[3 * A + a]];
        let box: number[];
        if (ang) {
          // dist2rbox: the centre offset rotated by the angle, the size lt + rb
          const cos = Math.cos(ang[a]);
          const sin = Math.sin(ang[a]);
          const xf = (r - l) / 2;
          const yf = (b - t) / 2;
          box = [xf * cos - yf * sin + pts[a], xf * sin + yf * cos + pts[A + a], l + r, t + b];
        } else {
          const x1 = pts[a] - l;
          const y1 = pts[A + a] - t;
          const x2 = pts[a] + r;
          const y2 = pts[A + a] + b;
          box = [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1];
        }
        for (let k = 0; k < 4; k++) y.d[k * A + a] = box[k] * st[a];
      }
      e.set(o.y, y);
      return true;
    }
    case 'keypointDecode': {
      const { pts, st, A } = anchors(o.levels, e.strides);
      const x = e.get(o.x).d;
      const nk = e.shape(o.x)[0];
      const y = value([nk, A], x.slice());
      for (let j = 0; j < nk; j++)
        for (let a = 0; a < A; a++) {
          const v = x[j * A + a];
          const m = j % o.ndim;
          if (m === 0) y.d[j * A + a] = (v * 2 + (pts[a] - 0.5)) * st[a];
          else if (m === 1) y.d[j * A + a] = (v * 2 + (pts[A + a] - 0.5)) * st[a];
          else if (m === 2) y.d[j * A + a] = 1 / (1 + Math.exp(-v));
        }
      e.set(o.y, y);
      return true;
    }
    case 'topk': {
      // v10Detect.postprocess, then x, y, w, h to corners
      const [A, no] = e.shape(o.x);
      const p = e.get(o.x).d;
      const best = Array.from({ length: A }, (_, a) => {
        let m = -Infinity;
        for (let c = 0; c < o.nc; c++) m = Math.max(m, p[a * no + 4 + c]);
        return [m, a];
      })
        .sort((u, v) => v[0] - u[0] || u[1] - v[1])
        .slice(0, o.k)
        .map(([, a]) => a);
      const pairs: [number, number, number][] = [];
      best.forEach((a, r) => {
        for (let c = 0; c < o.nc; c++) pairs.push([p[a * no + 4 + c], r, c]);
      });
      pairs.sort((u, v) => v[0] - u[0] || u[1] * o.nc + u[2] - (v[1] * o.nc + v[2]));
      const y = value([o.k, 6]);
      pairs.slice(0, o.k).forEach(([s, r, c], i) => {
        const a = best[r];
        const [cx, cy, w, h] = [0, 1, 2, 3].map((k) => p[a * no + k]);
        y.d.set([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, s, c], i * 6);
      });
      e.set(o.y, y);
      return true;
    }
    default:
      return false;
  }
}

/** Cell centres (+ 0.5) of every level in order, row-major, and each anchor's stride. */
function anchors(levels: [number, number][], strides: number[]) {
  const A = levels.reduce((n, [h, w]) => n + h * w, 0);
  const pts = new Float64Array(2 * A);
  const st = new Float64Array(A);
  let a = 0;
  levels.forEach(([h, w], l) => {
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++, a++) {
        pts[a] = x + 0.5;
        pts[A + a] = y + 0.5;
        st[a] = strides[l];
      }
  });
  return { pts, st, A };
}
