/**
 * YOLOv5's non_max_suppression (utils/general.py, v7.0) on decoded predictions, and Segment's masks
 * (process_mask). Pure JS on float32 arrays: runs anywhere.
 */
import { PREDICT_DEFAULTS } from './predict-defaults.ts';

export interface Detection {
  /** x1, y1, x2, y2 (network input pixels, or the original image's after scaleBoxes). */
  xyxy: [number, number, number, number];
  confidence: number;
  class: number;
  /** Segment: mask coefficients (as YOLOv5 keeps them: multiplied by the objectness). */
  coefficients?: Float32Array;
}

export interface NmsOptions {
  conf?: number;
  iou?: number;
  /** Keep only these classes. */
  classes?: number[];
  agnostic?: boolean;
  multiLabel?: boolean;
  maxDet?: number;
  /** Mask coefficients per prediction (Segment: nm). */
  nm?: number;
}

const f = Math.fround;

/** non_max_suppression for one image: pred is [N, no] row-major (x, y, w, h, obj, classes..., masks...). */
export function nonMaxSuppression(pred: Float32Array, no: number, opts: NmsOptions = {}): Detection[] {
  const conf = opts.conf ?? PREDICT_DEFAULTS.yolov5.conf;
  const iouThr = opts.iou ?? PREDICT_DEFAULTS.yolov5.iou;
  const nm = opts.nm ?? 0;
  const nc = no - nm - 5;
  const maxWh = 7680;
  const maxNms = 30000;
  const maxDet = opts.maxDet ?? 300;
  const multi = !!opts.multiLabel && nc > 1;
  const n = pred.length / no;
  interface Cand {
    box: [number, number, number, number];
    score: number;
    cls: number;
    row: number;
    obj: number;
  }
  let cands: Cand[] = [];
  for (let r = 0; r < n; r++) {
    const o = r * no;
    const obj = pred[o + 4];
    if (!(obj > conf)) continue;
    const x = pred[o];
    const y = pred[o + 1];
    const w2 = f(pred[o + 2] / 2);
    const h2 = f(pred[o + 3] / 2);
    const box: [number, number, number, number] = [f(x - w2), f(y - h2), f(x + w2), f(y + h2)];
    if (multi) {
      for (let c = 0; c < nc; c++) {
        const s = f(pred[o + 5 + c] * obj);
        if (s > conf) cands.push({ box, score: s, cls: c, row: r, obj });
      }
    } else {
      let best = -Infinity;
      let bc = 0;
      for (let c = 0; c < nc; c++) {
        const s = f(pred[o + 5 + c] * obj);
        if (s > best) [best, bc] = [s, c];
      }
      if (best > conf) cands.push({ box, score: best, cls: bc, row: r, obj });
    }
  }
  if (opts.classes) cands = cands.filter((c) => opts.classes!.includes(c.cls));
  if (!cands.length) return [];
  cands.sort((a, b) => b.score - a.score);
  if (cands.length > maxNms) cands = cands.slice(0, maxNms);
  // torchvision.ops.nms on class-offset boxes
  const off = (c: Cand) => (opts.agnostic ? 0 : c.cls * maxWh);
  const bx = cands.map((c) => {
    const d = off(c);
    return [c.box[0] + d, c.box[1] + d, c.box[2] + d, c.box[3] + d];
  });
  const area = bx.map((b) => (b[2] - b[0]) * (b[3] - b[1]));
  const removed = new Uint8Array(cands.length);
  const keep: number[] = [];
  for (let i = 0; i < cands.length; i++) {
    if (removed[i]) continue;
    keep.push(i);
    const a = bx[i];
    for (let j = i + 1; j < cands.length; j++) {
      if (removed[j]) continue;
      const b = bx[j];
      const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
      const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
      const inter = iw * ih;
      if (inter / (area[i] + area[j] - inter) > iouThr) removed[j] = 1;
    }
  }
  return keep.slice(0, maxDet).map((k) => {
    const c = cands[k];
    const d: Detection = { xyxy: [...c.box], confidence: c.score, class: c.cls };
    if (nm) {
      const co = new Float32Array(nm);
      for (let m = 0; m < nm; m++) co[m] = f(pred[c.row * no + 5 + nc + m] * c.obj);
      d.coefficients = co;
    }
    return d;
  });
}

/** Intersection over union of two xyxy boxes. */
export function boxIou(a: number[], b: number[]): number {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/**
 * Segment masks as YOLOv5's process_mask(upsample=False): sigmoid(coefficients @ protos), cropped to the
 * box (scaled to the prototype size), thresholded at 0.5. proto is [nm, mh, mw]; boxes in input pixels
 * (input size ih x iw). Returns one mh x mw byte mask per detection.
 */
export function processMasks(
  proto: Float32Array,
  nm: number,
  mh: number,
  mw: number,
  dets: Detection[],
  input: [number, number],
): Uint8Array[] {
  const [ih, iw] = input;
  const sx = mw / iw;
  const sy = mh / ih;
  const hw = mh * mw;
  return dets.map((d) => {
    const m = new Uint8Array(hw);
    const co = d.coefficients;
    if (!co) return m;
    const x1 = d.xyxy[0] * sx;
    const y1 = d.xyxy[1] * sy;
    const x2 = d.xyxy[2] * sx;
    const y2 = d.xyxy[3] * sy;
    for (let y = 0; y < mh; y++) {
      if (!(y >= y1 && y < y2)) continue;
      for (let x = 0; x < mw; x++) {
        if (!(x >= x1 && x < x2)) continue;
        let v = 0;
        for (let k = 0; k < nm; k++) v += co[k] * proto[k * hw + y * mw + x];
        // sigmoid(v) > 0.5  <=>  v > 0
        m[y * mw + x] = v > 0 ? 1 : 0;
      }
    }
    return m;
  });
}
