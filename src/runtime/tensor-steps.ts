/**
 * Steps of the tensor primitives Ultralytics' modules and heads are built from (reshape, permute, softmax, matmul,
 * pooling variants, layer norm, learned tensors) and of the anchor-free heads' decoding (anchorDecode,
 * keypointDecode, v10Detect's top-k).
 *
 * Layout: a value the core shapes [C, H, W] (rank 3) is a feature map and lives NHWC ([1, H, W, C]) like every
 * other step's; a value of any other rank lives in PyTorch's layout with the batch in front ([1, ...shape]). A step
 * that needs PyTorch's axis order takes a rank-3 value to NCHW and back (`torchOf`, `fromTorch`). A rank-3 value
 * that only tensor steps make and read (C2PSA's attention: heads x channels x positions) carries PyTorch's layout
 * instead (`torchValues`, the context's `torch`), so no step transposes it to NCHW and back.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Op, Shape } from '../core/index.ts';
import { keyOf } from './model.ts';
import { concat, slice } from './slice.ts';
import type { Step, StepContext } from './step-kit.ts';

type T = tf.Tensor;
type T4 = tf.Tensor4D;
type OpOf<K extends Op['kind']> = Extract<Op, { kind: K }>;

/** The core's shape of a local value (rank decides the layout). */
function shapeOf(ctx: StepContext, id: number): Shape {
  const s = ctx.shapes?.get(id);
  if (!s) throw new Error(`layer ${ctx.layer}: value ${id} has no shape`);
  return s;
}

/**
 * tf.transpose, or a reshape where the permutation moves only axes of size 1 (the other axes keep their order, so
 * the memory order is the same: DFL's [1, 4, A, 1] to [1, 1, 4, A]).
 */
export function transposed(x: T, perm: number[]): T {
  const kept = perm.filter((a) => x.shape[a] !== 1);
  if (kept.every((a, k) => k === 0 || kept[k - 1] < a))
    return tf.reshape(
      x,
      perm.map((a) => x.shape[a]),
    );
  return tf.transpose(x, perm);
}

/** A value in PyTorch's axis order with the batch: [1, ...shape] (`torch`: it is already). */
export function torchOf(x: T, rank: number, torch = false): T {
  return rank === 3 && !torch ? transposed(x, [0, 3, 1, 2]) : x;
}

/** A value from PyTorch's order back to the network's layout (`torch`: a value kept in PyTorch's). */
export function fromTorch(x: T, rank: number, torch = false): T {
  return rank === 3 && !torch ? transposed(x, [0, 2, 3, 1]) : x;
}

/** The tensor axis of core axis `axis` of a value of rank `rank` (the batch is tensor axis 0). */
export function physicalAxis(axis: number, rank: number, torch = false): number {
  if (rank === 3 && !torch) return axis === 0 ? 3 : axis;
  return axis + 1;
}

/** Whether a layer's value carries PyTorch's layout (a rank-3 value only tensor steps make and read). */
const isTorch = (ctx: StepContext, id: number) => !!ctx.torch?.has(id);

/** Ops that take any layout in and make any out (they reorder axes anyway). */
const REORDERING = new Set<Op['kind']>(['reshape', 'permute', 'matmul']);
/** Ops whose output has their input's layout (they cut, scale or normalise along an axis of it). */
const KEEPING = new Set<Op['kind']>(['slice', 'scale', 'softmax']);

/**
 * The rank-3 values of a layer to keep in PyTorch's layout: those made and read only by reordering steps (and the
 * steps that keep a layout, as long as their input and output can both be kept), never the layer's inputs or
 * outputs or a value some other step (or a fused one: `absorbed`) reads.
 */
export function torchValues(
  ops: readonly Op[],
  shapes: Map<number, Shape>,
  fixed: Iterable<number>,
  absorbed: Set<Op>,
): Set<number> {
  const ins = (o: Op): number[] =>
    'xs' in o && Array.isArray(o.xs) ? (o.xs as number[]) : 'x' in o && typeof o.x === 'number' ? [o.x] : [];
  const made = new Map<number, Op>();
  const readers = new Map<number, Op[]>();
  for (const o of ops) {
    if ('y' in o && typeof o.y === 'number') made.set(o.y, o);
    for (const id of ins(o)) readers.set(id, [...(readers.get(id) ?? []), o]);
  }
  const ok = (o: Op) => !absorbed.has(o) && (REORDERING.has(o.kind) || KEEPING.has(o.kind));
  const torch = new Set<number>();
  const never = new Set(fixed);
  for (const [id, o] of made)
    if (!never.has(id) && shapes.get(id)?.length === 3 && ok(o) && (readers.get(id) ?? []).every(ok)) torch.add(id);
  // a step keeping its layout: its input and output both kept in PyTorch's, or neither
  for (let changed = true; changed;) {
    changed = false;
    for (const o of ops) {
      if (!KEEPING.has(o.kind) || !('y' in o)) continue;
      const [x] = ins(o);
      const y = o.y as number;
      if (torch.has(x) !== torch.has(y)) {
        torch.delete(x);
        torch.delete(y);
        changed = true;
      }
    }
  }
  return torch;
}

export const concatStep = (o: OpOf<'concat'>, ctx: StepContext, out: number): Step => {
  const rank = shapeOf(ctx, o.y).length;
  const ax = physicalAxis(o.axis ?? 0, rank);
  return { ins: o.xs, out, run: (xs) => (xs.length === 1 ? tf.clone(xs[0]) : concat(xs, ax)) };
};

export const sliceStep = (o: OpOf<'slice'>, ctx: StepContext): Step => {
  const rank = shapeOf(ctx, o.y).length;
  const ax = physicalAxis(o.axis ?? 0, rank, isTorch(ctx, o.x));
  const begin = new Array(rank + 1).fill(0);
  const size = new Array(rank + 1).fill(-1);
  begin[ax] = o.start;
  size[ax] = o.end - o.start;
  return { ins: [o.x], out: o.y, run: ([x]) => slice(x, begin, size) };
};

const reshapeStep = (o: OpOf<'reshape'>, ctx: StepContext): Step => {
  const rin = shapeOf(ctx, o.x).length;
  const rout = o.shape.length;
  return {
    ins: [o.x],
    out: o.y,
    run: ([x]) =>
      tf.tidy(() =>
        fromTorch(tf.reshape(torchOf(x, rin, isTorch(ctx, o.x)), [1, ...o.shape]), rout, isTorch(ctx, o.y)),
      ),
  };
};

/** The permutation of transpose(transpose(x, a), b) as one: axis k of the result is axis a[b[k]] of x. */
const thenPerm = (a: number[], b: number[]) => b.map((k) => a[k]);

/** torch.permute: to PyTorch's order, the permutation and back, as one transpose (a reshape if they cancel). */
const permuteStep = (o: OpOf<'permute'>, ctx: StepContext): Step => {
  const r = o.dims.length;
  const nhwc = (id: number) => r === 3 && !isTorch(ctx, id);
  let perm = [...Array(r + 1).keys()];
  if (nhwc(o.x)) perm = thenPerm(perm, [0, 3, 1, 2]);
  perm = thenPerm(perm, [0, ...o.dims.map((d) => d + 1)]);
  if (nhwc(o.y)) perm = thenPerm(perm, [0, 2, 3, 1]);
  return { ins: [o.x], out: o.y, run: ([x]) => transposed(x, perm) };
};

/** Softmax along any axis: tfjs's runs along the last, so the axis is moved there and back. */
function softmaxAlong(x: T, ax: number): T {
  const r = x.rank;
  if (ax === r - 1) return tf.softmax(x);
  return tf.tidy(() => {
    const perm = [...Array(r).keys()];
    perm[ax] = r - 1;
    perm[r - 1] = ax;
    return tf.transpose(tf.softmax(tf.transpose(x, perm)), perm);
  });
}

const softmaxStep = (o: OpOf<'softmax'>, ctx: StepContext): Step => {
  const ax = physicalAxis(o.axis, shapeOf(ctx, o.x).length, isTorch(ctx, o.x));
  return { ins: [o.x], out: o.y, run: ([x]) => softmaxAlong(x, ax) };
};

/**
 * tf.matMul over leading batch axes. tfjs-wasm takes XNNPACK only for one untransposed pair; a batch of pairs, or a
 * transposed operand, runs a plain loop (about 1 GMAC/s: C2PSA's attention at 640 took ~60 ms). There the operands
 * are transposed first (a copy) and multiplied pair by pair.
 */
export function batchMatMul(a: T, b: T, transA = false, transB = false): T {
  const lead = a.shape.slice(0, -2);
  const n = lead.reduce((p, d) => p * d, 1);
  const same = b.rank === a.rank && b.shape.slice(0, -2).every((d, k) => d === lead[k]);
  if ((n <= 1 && !transA && !transB) || !same || tf.getBackend() !== 'wasm') return tf.matMul(a, b, transA, transB);
  return tf.tidy(() => {
    const last2 = (x: T, t: boolean) => {
      const m = tf.reshape(x, [n, ...x.shape.slice(-2)]);
      return t ? tf.transpose(m, [0, 2, 1]) : m;
    };
    // the pairs cut out within the memory (tf.unstack on wasm copies the whole batch out once per pair)
    const pairs = (m: T) =>
      Array.from({ length: n }, (_, k) => tf.reshape(slice(m, [k, 0, 0], [1, -1, -1]), m.shape.slice(1)));
    const as = pairs(last2(a, transA));
    const bs = pairs(last2(b, transB));
    const ys = as.map((x, k) => tf.matMul(x as tf.Tensor2D, bs[k] as tf.Tensor2D));
    return tf.reshape(tf.stack(ys), [...lead, ...ys[0].shape]);
  });
}

const matmulStep = (o: OpOf<'matmul'>, ctx: StepContext): Step => {
  const r = shapeOf(ctx, o.y).length;
  return {
    ins: o.xs,
    out: o.y,
    run: ([a, b]) =>
      tf.tidy(() => {
        // [1, ..., m, k] @ [1, ..., k, n]: tfjs's batched product over the leading axes
        const [ia, ib] = o.xs;
        const y = batchMatMul(torchOf(a, r, isTorch(ctx, ia)), torchOf(b, r, isTorch(ctx, ib)), o.transA, o.transB);
        return fromTorch(y, r, isTorch(ctx, o.y));
      }),
  };
};

const scaleStep = (o: OpOf<'scale'>): Step => ({
  ins: [o.x],
  out: o.y,
  run: ([x]) => tf.tidy(() => (o.offset ? tf.add(tf.mul(x, o.factor), o.offset) : tf.mul(x, o.factor))),
});

/**
 * F.avg_pool2d with padding, ceil mode and count_include_pad: the sum over each window of the zero-padded map,
 * divided by the sum of a mask of what PyTorch counts (the padded map, or the map alone).
 */
const avgPoolStep = (o: OpOf<'avgPool'>, ctx: StepContext): Step => {
  const [, H, W] = shapeOf(ctx, o.x);
  const [, OH, OW] = shapeOf(ctx, o.y);
  const [kh, kw] = o.k;
  const plain = o.p[0] === 0 && o.p[1] === 0 && (OH - 1) * o.s[0] + kh <= H && (OW - 1) * o.s[1] + kw <= W;
  if (plain) return { ins: [o.x], out: o.y, run: ([x]) => tf.avgPool(x as T4, o.k, o.s, 'valid') };
  const needH = (OH - 1) * o.s[0] + kh;
  const needW = (OW - 1) * o.s[1] + kw;
  const padding: [number, number][] = [
    [0, 0],
    [o.p[0], needH - H - o.p[0]],
    [o.p[1], needW - W - o.p[1]],
    [0, 0],
  ];
  // the divisor per output cell (the same for every channel)
  const mask = new Float32Array(needH * needW);
  for (let y = 0; y < needH; y++)
    for (let x = 0; x < needW; x++) {
      const inside = o.countIncludePad
        ? y < H + 2 * o.p[0] && x < W + 2 * o.p[1]
        : y >= o.p[0] && y < H + o.p[0] && x >= o.p[1] && x < W + o.p[1];
      mask[y * needW + x] = inside ? 1 : 0;
    }
  const div = ctx.keep(tf.tidy(() => tf.avgPool(tf.tensor4d(mask, [1, needH, needW, 1]), o.k, o.s, 'valid')));
  return {
    ins: [o.x],
    out: o.y,
    run: ([x]) => tf.tidy(() => tf.div(tf.avgPool(tf.pad(x, padding) as T4, o.k, o.s, 'valid'), div)),
  };
};

/** F.interpolate(size, mode='nearest'): source index floor(i * in / out), as tfjs without half-pixel centres. */
const resizeStep = (o: OpOf<'resize'>): Step => ({
  ins: [o.x],
  out: o.y,
  run: ([x]) => tf.image.resizeNearestNeighbor(x as T4, o.size, false, false),
});

/** AdaptiveMax/AvgPool2d: output cell i covers rows floor(i H / out) to ceil((i + 1) H / out). */
const adaptivePoolStep = (o: OpOf<'adaptivePool'>, ctx: StepContext): Step => {
  const [, H, W] = shapeOf(ctx, o.x);
  const [oh, ow] = o.size;
  const band = (n: number, out: number, i: number) => [Math.floor((i * n) / out), Math.ceil(((i + 1) * n) / out)];
  const reduce = (t: T) => (o.op === 'max' ? tf.max(t, [1, 2], true) : tf.mean(t, [1, 2], true));
  return {
    ins: [o.x],
    out: o.y,
    run: ([x]) =>
      tf.tidy(() => {
        if (oh === 1 && ow === 1) return reduce(x);
        if (H % oh === 0 && W % ow === 0) {
          const k: [number, number] = [H / oh, W / ow];
          return o.op === 'max' ? tf.maxPool(x as T4, k, k, 'valid') : tf.avgPool(x as T4, k, k, 'valid');
        }
        const rows: T[] = [];
        for (let i = 0; i < oh; i++) {
          const [y0, y1] = band(H, oh, i);
          const cells: T[] = [];
          for (let j = 0; j < ow; j++) {
            const [x0, x1] = band(W, ow, j);
            cells.push(reduce(slice(x, [0, y0, x0, 0], [1, y1 - y0, x1 - x0, -1])));
          }
          rows.push(tf.concat(cells, 2));
        }
        return tf.concat(rows, 1);
      }),
  };
};

const normalizeStep = (o: OpOf<'normalize'>, ctx: StepContext): Step => {
  const ax = physicalAxis(o.axis, shapeOf(ctx, o.x).length);
  return {
    ins: [o.x],
    out: o.y,
    run: ([x]) => tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', ax, true), 1e-12))),
  };
};

/** nn.LayerNorm over the channels (core axis 0) at every position. */
const layerNormStep = (o: OpOf<'layerNorm'>, ctx: StepContext): Step => {
  const rank = shapeOf(ctx, o.x).length;
  const ax = physicalAxis(0, rank);
  const i = ctx.layer;
  const bshape = new Array(rank + 1).fill(1);
  bshape[ax] = o.c;
  const w = ctx.keep(tf.tensor(ctx.get(keyOf(i, o.name, 'weight')).data, bshape));
  const b = ctx.keep(tf.tensor(ctx.get(keyOf(i, o.name, 'bias')).data, bshape));
  return {
    ins: [o.x],
    out: o.y,
    run: ([x]) =>
      tf.tidy(() => {
        const { mean, variance } = tf.moments(x, ax, true);
        return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, o.eps))), w), b);
      }),
  };
};

/** A learned tensor as a value: state_dict data (PyTorch's row-major order) in the value's layout. */
const paramStep = (o: OpOf<'param'>, ctx: StepContext): Step => {
  const data = ctx.get(o.name).data;
  const t = ctx.keep(tf.tidy(() => fromTorch(tf.tensor(data, [1, ...o.shape]), o.shape.length)));
  return { ins: [], out: o.y, run: () => tf.clone(t) };
};

/** Anchor points (cell centres, + 0.5) and strides of every level, levels in order, row-major: [1, 2, A], [1, 1, A]. */
function anchorsOf(ctx: StepContext, levels: [number, number][]) {
  const strides = ctx.strides ?? [];
  if (strides.length < levels.length)
    throw new Error(`layer ${ctx.layer}: the head has ${levels.length} levels but the model ${strides.length} strides`);
  const A = levels.reduce((n, [h, w]) => n + h * w, 0);
  const pts = new Float32Array(2 * A);
  const st = new Float32Array(A);
  let a = 0;
  levels.forEach(([h, w], l) => {
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++, a++) {
        pts[a] = x + 0.5;
        pts[A + a] = y + 0.5;
        st[a] = strides[l];
      }
  });
  return {
    A,
    points: ctx.keep(tf.tensor3d(pts, [1, 2, A])),
    strides: ctx.keep(tf.tensor3d(st, [1, 1, A])),
  };
}

/**
 * dist2bbox (xywh) or dist2rbox, times the stride: x [1, 4, A] (left, top, right, bottom), angle [1, 1, A].
 */
const anchorDecodeStep = (o: OpOf<'anchorDecode'>, ctx: StepContext): Step => {
  const { points, strides } = anchorsOf(ctx, o.levels);
  return {
    ins: o.angle !== undefined ? [o.x, o.angle] : [o.x],
    out: o.y,
    run: ([d, angle]) =>
      tf.tidy(() => {
        const lt = slice(d, [0, 0, 0], [1, 2, -1]);
        const rb = slice(d, [0, 2, 0], [1, 2, -1]);
        let box: T;
        if (angle) {
          const cos = tf.cos(angle);
          const sin = tf.sin(angle);
          const half = tf.div(tf.sub(rb, lt), 2);
          const xf = slice(half, [0, 0, 0], [1, 1, -1]);
          const yf = slice(half, [0, 1, 0], [1, 1, -1]);
          const xy = tf.add(
            tf.concat([tf.sub(tf.mul(xf, cos), tf.mul(yf, sin)), tf.add(tf.mul(xf, sin), tf.mul(yf, cos))], 1),
            points,
          );
          box = tf.concat([xy, tf.add(lt, rb)], 1);
        } else {
          const x1y1 = tf.sub(points, lt);
          const x2y2 = tf.add(points, rb);
          box = tf.concat([tf.div(tf.add(x1y1, x2y2), 2), tf.sub(x2y2, x1y1)], 1);
        }
        return tf.mul(box, strides);
      }),
  };
};

/** Pose.kpts_decode: x, y as (v * 2 + anchor - 0.5) * stride, a third value through a sigmoid. x [1, nk, A]. */
const keypointDecodeStep = (o: OpOf<'keypointDecode'>, ctx: StepContext): Step => {
  const { points, strides, A } = anchorsOf(ctx, o.levels);
  const nk = shapeOf(ctx, o.x)[0];
  const k = nk / o.ndim;
  return {
    ins: [o.x],
    out: o.y,
    run: ([x]) =>
      tf.tidy(() => {
        const y = tf.reshape(x, [1, k, o.ndim, A]);
        const xy = slice(y, [0, 0, 0, 0], [1, k, 2, A]);
        const anchor = tf.reshape(tf.sub(points, 0.5), [1, 1, 2, A]);
        const parts: T[] = [tf.mul(tf.add(tf.mul(xy, 2), anchor), tf.reshape(strides, [1, 1, 1, A]))];
        if (o.ndim >= 3) parts.push(tf.sigmoid(slice(y, [0, 0, 2, 0], [1, k, 1, A])));
        if (o.ndim > 3) parts.push(slice(y, [0, 0, 3, 0], [1, k, o.ndim - 3, A]));
        return tf.reshape(tf.concat(parts, 2), [1, nk, A]);
      }),
  };
};

/**
 * v10Detect.postprocess of [1, A, 4 + nc] (boxes cx, cy, w, h): the k anchors with the best class score, then the
 * k best (anchor, class) pairs among them, as [1, k, 6] rows x1, y1, x2, y2, score, class.
 */
const topkStep = (o: OpOf<'topk'>): Step => ({
  ins: [o.x],
  out: o.y,
  run: ([p]) =>
    tf.tidy(() => {
      const A = p.shape[1]!;
      const boxes = tf.reshape(slice(p, [0, 0, 0], [1, A, 4]), [A, 4]);
      const scores = tf.reshape(slice(p, [0, 0, 4], [1, A, o.nc]), [A, o.nc]);
      const best = tf.topk(tf.max(scores, 1), o.k).indices;
      const s = tf.reshape(tf.gather(scores, best), [o.k * o.nc]);
      const top = tf.topk(s, o.k);
      const nc = tf.scalar(o.nc, 'int32');
      const row = tf.floorDiv(top.indices, nc);
      const cls = tf.sub(top.indices, tf.mul(row, nc));
      const b = tf.gather(tf.gather(boxes, best), row);
      const c = slice(b, [0, 0], [o.k, 2]);
      const half = tf.div(slice(b, [0, 2], [o.k, 2]), 2);
      const rows = tf.concat(
        [
          tf.sub(c, half),
          tf.add(c, half),
          tf.reshape(top.values, [o.k, 1]),
          tf.reshape(tf.cast(cls, 'float32'), [o.k, 1]),
        ],
        1,
      );
      return tf.reshape(rows, [1, o.k, 6]);
    }),
});

type Builder<K extends Op['kind']> = (o: OpOf<K>, ctx: StepContext) => Step;

/** The steps of this file, by op kind. */
export const TENSOR_BUILDERS: { [K in Op['kind']]?: Builder<K> } = {
  reshape: reshapeStep,
  permute: permuteStep,
  softmax: softmaxStep,
  matmul: matmulStep,
  scale: scaleStep,
  avgPool: avgPoolStep,
  resize: resizeStep,
  adaptivePool: adaptivePoolStep,
  normalize: normalizeStep,
  layerNorm: layerNormStep,
  param: paramStep,
  anchorDecode: anchorDecodeStep,
  keypointDecode: keypointDecodeStep,
  topk: topkStep,
};
