/**
 * YOLOv5's image pipeline, exactly: letterbox (utils/augmentations.py) with OpenCV's INTER_LINEAR resize
 * on uint8 (fixed-point, as cv2.resize computes it), padding 114, and scale_boxes back. Pure (no tfjs,
 * no DOM): images are RGB(A) bytes.
 */
import { pyRound } from '../core/index.ts';

export interface RgbImage {
  width: number;
  height: number;
  /** Interleaved bytes, `channels` per pixel (3: RGB, 4: RGBA; alpha is dropped). */
  data: Uint8Array | Uint8ClampedArray;
  channels: 3 | 4;
}

export interface Letterboxed {
  /** RGB, height x width x 3. */
  data: Uint8Array;
  width: number;
  height: number;
  /** The scale applied (min(new/h, new/w)). */
  ratio: number;
  /** Float padding (dw, dh) on each side, as letterbox returns it. */
  pad: [number, number];
  /** Original size [h, w]. */
  original: [number, number];
}

const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS;
const f32 = Math.fround;

/** cvRound of a float: round half to even. */
function cvRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}
const toShort = (v: number) => Math.max(-32768, Math.min(32767, cvRound(v)));

/** Source offsets and fixed-point weights of cv2's linear resize along one axis. */
function linearTable(
  src: number,
  dst: number,
  clampFraction: boolean,
): { ofs: Int32Array; a0: Int32Array; a1: Int32Array } {
  const scale = 1 / (dst / src); // OpenCV: scale_x = 1. / inv_scale_x
  const ofs = new Int32Array(dst);
  const a0 = new Int32Array(dst);
  const a1 = new Int32Array(dst);
  for (let d = 0; d < dst; d++) {
    let fx = f32((d + 0.5) * scale - 0.5);
    let sx = Math.floor(fx);
    fx = f32(fx - sx);
    if (clampFraction) {
      if (sx < 0) {
        fx = 0;
        sx = 0;
      }
      if (sx >= src - 1) {
        fx = 0;
        sx = src - 1;
      }
    }
    ofs[d] = sx;
    a0[d] = toShort(f32(1 - fx) * COEF_SCALE);
    a1[d] = toShort(fx * COEF_SCALE);
  }
  return { ofs, a0, a1 };
}

/**
 * cv2.resize(src, (dw, dh), interpolation=INTER_LINEAR) for 8-bit images with `cn` channels:
 * a horizontal pass with 11-bit weights into ints, a vertical pass with 11-bit weights, (v + 2^21) >> 22.
 */
export function resizeLinearU8(
  src: Uint8Array,
  sw: number,
  sh: number,
  cn: number,
  dw: number,
  dh: number,
): Uint8Array {
  const out = new Uint8Array(dw * dh * cn);
  const X = linearTable(sw, dw, true);
  const Y = linearTable(sh, dh, false);
  // horizontally resized rows, computed once per source row
  const rows = new Map<number, Int32Array>();
  const hrow = (sy: number): Int32Array => {
    const y = Math.min(Math.max(sy, 0), sh - 1);
    let r = rows.get(y);
    if (!r) {
      r = new Int32Array(dw * cn);
      const base = y * sw * cn;
      for (let x = 0; x < dw; x++) {
        const s0 = X.ofs[x];
        const s1 = Math.min(s0 + 1, sw - 1);
        for (let c = 0; c < cn; c++)
          r[x * cn + c] = src[base + s0 * cn + c] * X.a0[x] + src[base + s1 * cn + c] * X.a1[x];
      }
      if (rows.size > 4) rows.delete(rows.keys().next().value as number);
      rows.set(y, r);
    }
    return r;
  };
  for (let y = 0; y < dh; y++) {
    const r0 = hrow(Y.ofs[y]);
    const r1 = hrow(Y.ofs[y] + 1);
    const b0 = Y.a0[y];
    const b1 = Y.a1[y];
    const o = y * dw * cn;
    for (let k = 0; k < dw * cn; k++) {
      const v = (r0[k] * b0 + r1[k] * b1 + (1 << 21)) >> 22;
      out[o + k] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

/** RGB bytes of an image (alpha dropped). */
export function toRgb(im: RgbImage): Uint8Array {
  if (im.channels === 3) return im.data instanceof Uint8Array ? im.data : new Uint8Array(im.data);
  const n = im.width * im.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[3 * i] = im.data[4 * i];
    out[3 * i + 1] = im.data[4 * i + 1];
    out[3 * i + 2] = im.data[4 * i + 2];
  }
  return out;
}

export interface LetterboxOptions {
  /** Target size: square, or [height, width]. */
  size: number | [number, number];
  /** YOLOv5's auto=True: the minimal rectangle (padding only up to a multiple of `stride`). */
  auto?: boolean;
  stride?: number;
  /** Allow scaling up (YOLOv5's default). */
  scaleup?: boolean;
  color?: number;
}

/** letterbox(im, new_shape, auto=...) as YOLOv5 computes it. */
export function letterbox(im: RgbImage, opts: LetterboxOptions): Letterboxed {
  const [nh, nw] = typeof opts.size === 'number' ? [opts.size, opts.size] : opts.size;
  const { width: w, height: h } = im;
  let r = Math.min(nh / h, nw / w);
  if (opts.scaleup === false) r = Math.min(r, 1);
  const uw = Math.trunc(pyRound(w * r));
  const uh = Math.trunc(pyRound(h * r));
  let dw = nw - uw;
  let dh = nh - uh;
  if (opts.auto) {
    const s = opts.stride ?? 32;
    dw = ((dw % s) + s) % s;
    dh = ((dh % s) + s) % s;
  }
  dw /= 2;
  dh /= 2;
  const rgb = toRgb(im);
  const resized = uw !== w || uh !== h ? resizeLinearU8(rgb, w, h, 3, uw, uh) : rgb;
  const top = Math.trunc(pyRound(dh - 0.1));
  const bottom = Math.trunc(pyRound(dh + 0.1));
  const left = Math.trunc(pyRound(dw - 0.1));
  const right = Math.trunc(pyRound(dw + 0.1));
  const W = uw + left + right;
  const H = uh + top + bottom;
  const out = new Uint8Array(W * H * 3).fill(opts.color ?? 114);
  for (let y = 0; y < uh; y++) out.set(resized.subarray(y * uw * 3, (y + 1) * uw * 3), ((y + top) * W + left) * 3);
  return { data: out, width: W, height: H, ratio: r, pad: [dw, dh], original: [h, w] };
}

/** HWC uint8 to HWC float32 in [0, 1] (the NHWC input the network takes). */
export function toFloatInput(data: Uint8Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] / 255;
  return out;
}

/**
 * scale_boxes: from the network input (h1, w1) back to the original (h0, w0), gain and padding
 * recomputed from the sizes as YOLOv5 does, then clipped. Boxes xyxy, modified in place.
 */
export function scaleBoxes(input: [number, number], boxes: number[][], original: [number, number]): number[][] {
  const [h1, w1] = input;
  const [h0, w0] = original;
  const gain = Math.min(h1 / h0, w1 / w0);
  const px = (w1 - w0 * gain) / 2;
  const py = (h1 - h0 * gain) / 2;
  for (const b of boxes) {
    b[0] = clip((b[0] - px) / gain, w0);
    b[1] = clip((b[1] - py) / gain, h0);
    b[2] = clip((b[2] - px) / gain, w0);
    b[3] = clip((b[3] - py) / gain, h0);
  }
  return boxes;
}
const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
