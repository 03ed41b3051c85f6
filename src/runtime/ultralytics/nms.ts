/**
 * Ultralytics 8.3.253's `non_max_suppression` (utils/nms.py) as its predictors call it, written from reading that
 * code: candidates whose best class score is above `conf` (no objectness: the scores are the classes' sigmoids),
 * boxes from centre-size to corners, the best class only (or every class above `conf` with multiLabel), at most
 * max_nms by score, class-aware NMS by offsetting each class's boxes by class x 7680 (torchvision's nms: a box is
 * dropped when its IoU with a kept, higher-scoring box is above the threshold); the first max_det kept.
 * Oriented boxes (OBB) keep their centre-size form with the angle (the last extra value) and go through Fast-NMS
 * with the probabilistic IoU (a box is dropped when any higher-scoring box, kept or not, reaches the threshold).
 * End-to-end heads (v10Detect's [k, 6]) are only filtered by confidence.
 *
 * Arithmetic is float32 where PyTorch's is (coordinates, offsets, IoU), so ties and thresholds fall as there.
 * Pure JS on plain arrays: runs anywhere.
 */

import { PREDICT_DEFAULTS } from '../predict-defaults.ts';

const f = Math.fround;

export interface UlNmsOptions {
  /** Number of classes (default: every value after the box, as for a plain Detect head). */
  nc?: number;
  /** Confidence threshold (predict's default 0.25). */
  conf?: number;
  /** IoU threshold (predict's default 0.7). */
  iou?: number;
  classes?: number[];
  agnostic?: boolean;
  multiLabel?: boolean;
  /** Most detections kept (300). */
  maxDet?: number;
  /** Most boxes entering NMS (30000). */
  maxNms?: number;
  /** Class offset (7680). */
  maxWh?: number;
  /** OBB: boxes are (cx, cy, w, h) with the angle as the last extra value; probabilistic-IoU Fast-NMS. */
  rotated?: boolean;
  /** v10Detect: rows are already [x1, y1, x2, y2, score, class]; keep those above conf. */
  end2end?: boolean;
}

export interface UlDetection {
  /** x1, y1, x2, y2 (rotated: cx, cy, w, h), network input pixels until scaled back. */
  box: number[];
  confidence: number;
  class: number;
  /** The row's values after the classes (mask coefficients, keypoints, the angle), as predicted. */
  extra: Float32Array;
  /** Its row (anchor) in the predictions. */
  row: number;
}

/**
 * NMS over predictions laid out [A, no] row-major (one row per anchor: x, y, w, h, nc class scores, extra values),
 * the transpose of PyTorch's [no, A] (non_max_suppression transposes first too).
 */
export function ulNonMaxSuppression(pred: Float32Array, no: number, opts: UlNmsOptions = {}): UlDetection[] {
  const conf = opts.conf ?? PREDICT_DEFAULTS.ultralytics.conf;
  const iouThr = opts.iou ?? PREDICT_DEFAULTS.ultralytics.iou;
  if (!(conf >= 0 && conf <= 1)) throw new Error(`the confidence threshold must be between 0 and 1, got ${conf}`);
  if (!(iouThr >= 0 && iouThr <= 1)) throw new Error(`the IoU threshold must be between 0 and 1, got ${iouThr}`);
  const maxDet = opts.maxDet ?? 300;
  const n = Math.floor(pred.length / no);
  if (opts.end2end) {
    const out: UlDetection[] = [];
    for (let r = 0; r < n && out.length < maxDet; r++) {
      const o = r * no;
      if (!(pred[o + 4] > conf)) continue;
      out.push({
        box: [pred[o], pred[o + 1], pred[o + 2], pred[o + 3]],
        confidence: pred[o + 4],
        class: pred[o + 5],
        extra: pred.slice(o + 6, o + no),
        row: r,
      });
    }
    return opts.classes ? out.filter((d) => opts.classes!.includes(d.class)) : out;
  }
  const nc = opts.nc || no - 4;
  const extra = no - 4 - nc;
  if (nc < 1 || extra < 0) throw new Error(`predictions of ${no} values per anchor cannot hold ${nc} classes`);
  const maxNms = opts.maxNms ?? 30000;
  const maxWh = opts.maxWh ?? 7680;
  const multi = !!opts.multiLabel && nc > 1;

  let cands: UlDetection[] = [];
  for (let r = 0; r < n; r++) {
    const o = r * no;
    let best = -Infinity;
    let bc = 0;
    for (let c = 0; c < nc; c++) {
      const s = pred[o + 4 + c];
      if (s > best) [best, bc] = [s, c];
    }
    if (!(best > conf)) continue;
    let box: number[];
    if (opts.rotated) box = [pred[o], pred[o + 1], pred[o + 2], pred[o + 3]];
    else {
      const w2 = f(pred[o + 2] / 2);
      const h2 = f(pred[o + 3] / 2);
      box = [f(pred[o] - w2), f(pred[o + 1] - h2), f(pred[o] + w2), f(pred[o + 1] + h2)];
    }
    const ex = pred.slice(o + 4 + nc, o + no);
    if (multi) {
      for (let c = 0; c < nc; c++) {
        const s = pred[o + 4 + c];
        if (s > conf) cands.push({ box, confidence: s, class: c, extra: ex, row: r });
      }
    } else cands.push({ box, confidence: best, class: bc, extra: ex, row: r });
  }
  if (opts.classes) cands = cands.filter((d) => opts.classes!.includes(d.class));
  if (!cands.length) return [];
  if (cands.length > maxNms) cands = stableByScore(cands).slice(0, maxNms);
  const keep = opts.rotated
    ? fastNmsRotated(cands, iouThr, opts.agnostic ? 0 : maxWh)
    : nms(cands, iouThr, opts.agnostic ? 0 : maxWh);
  return keep.slice(0, maxDet).map((k) => cands[k]);
}

/** Indices by descending score; equal scores keep their order. */
function stableByScore<T extends { confidence: number }>(xs: T[]): T[] {
  return xs
    .map((x, i) => [x, i] as const)
    .sort((a, b) => b[0].confidence - a[0].confidence || a[1] - b[1])
    .map(([x]) => x);
}

function order(cands: UlDetection[]): number[] {
  return cands.map((_, i) => i).sort((a, b) => cands[b].confidence - cands[a].confidence || a - b);
}

/** torchvision.ops.nms on class-offset corner boxes (float32 IoU); indices kept, by descending score. */
function nms(cands: UlDetection[], thr: number, offset: number): number[] {
  const bx = cands.map((c) => {
    const d = f(c.class * offset);
    return c.box.map((v) => f(v + d));
  });
  const area = bx.map((b) => f(f(b[2] - b[0]) * f(b[3] - b[1])));
  const idx = order(cands);
  const removed = new Uint8Array(cands.length);
  const keep: number[] = [];
  for (let a = 0; a < idx.length; a++) {
    const i = idx[a];
    if (removed[i]) continue;
    keep.push(i);
    const p = bx[i];
    for (let b = a + 1; b < idx.length; b++) {
      const j = idx[b];
      if (removed[j]) continue;
      const q = bx[j];
      const w = Math.max(0, f(Math.min(p[2], q[2]) - Math.max(p[0], q[0])));
      const h = Math.max(0, f(Math.min(p[3], q[3]) - Math.max(p[1], q[1])));
      const inter = f(w * h);
      if (f(inter / f(f(area[i] + area[j]) - inter)) > thr) removed[j] = 1;
    }
  }
  return keep;
}

/**
 * TorchNMS.fast_nms with batch_probiou on (cx + offset, cy + offset, w, h, angle): box j survives when no box
 * scoring higher (suppressed or not) has a probabilistic IoU of at least the threshold with it.
 */
function fastNmsRotated(cands: UlDetection[], thr: number, offset: number): number[] {
  const idx = order(cands);
  const boxes = idx.map((i) => {
    const c = cands[i];
    const d = f(c.class * offset);
    return [f(c.box[0] + d), f(c.box[1] + d), c.box[2], c.box[3], c.extra[c.extra.length - 1]];
  });
  const keep: number[] = [];
  for (let j = 0; j < boxes.length; j++) {
    let dropped = false;
    for (let i = 0; i < j && !dropped; i++) if (probIou(boxes[i], boxes[j]) >= thr) dropped = true;
    if (!dropped) keep.push(idx[j]);
  }
  return keep;
}

/** Covariance terms (a, b, c) of a rotated box's Gaussian: w^2/12 and h^2/12 rotated by the angle. */
function covariance(b: number[]): [number, number, number] {
  const a = (b[2] * b[2]) / 12;
  const bb = (b[3] * b[3]) / 12;
  const cos = Math.cos(b[4]);
  const sin = Math.sin(b[4]);
  return [a * cos * cos + bb * sin * sin, a * sin * sin + bb * cos * cos, (a - bb) * cos * sin];
}

/** Probabilistic IoU of two (cx, cy, w, h, angle) boxes (1 - Hellinger distance of their Gaussians), eps 1e-7. */
export function probIou(p: number[], q: number[], eps = 1e-7): number {
  const [a1, b1, c1] = covariance(p);
  const [a2, b2, c2] = covariance(q);
  const A = a1 + a2;
  const B = b1 + b2;
  const C = c1 + c2;
  const den = A * B - C * C + eps;
  const dy = p[1] - q[1];
  const dx = p[0] - q[0];
  const t1 = ((A * dy * dy + B * dx * dx) / den) * 0.25;
  const t2 = ((C * (q[0] - p[0]) * dy) / den) * 0.5;
  const t3 =
    Math.log(
      (A * B - C * C) / (4 * Math.sqrt(Math.max(a1 * b1 - c1 * c1, 0) * Math.max(a2 * b2 - c2 * c2, 0)) + eps) + eps,
    ) * 0.5;
  const bd = Math.min(Math.max(t1 + t2 + t3, eps), 100);
  const hd = Math.sqrt(1 - Math.exp(-bd) + eps);
  return 1 - hd;
}
