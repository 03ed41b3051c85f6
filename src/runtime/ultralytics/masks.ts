/**
 * Segmentation masks as Ultralytics 8.3.253's SegmentationPredictor makes them (utils/ops.py, read not copied):
 * process_mask(upsample=True) - the coefficients times the prototypes, cropped to the box scaled to the prototype
 * size (crop_mask's per-mask slicing for fewer than 50 detections, Python's negative indices included: a box whose
 * rounded corner is below 0 clears all but the far rows or columns, as there), bilinearly upsampled to the network
 * input (F.interpolate, align_corners=False) and thresholded at 0. Detections whose mask ends up empty are dropped
 * by the predictor. scale_masks takes a mask to the image's pixels (padding cut, bilinear; a pixel is in the mask
 * where the interpolation reaches 0.5), and rleEncode writes COCO's column-major run lengths.
 */
import { pyRound } from '../../core/index.ts';

const f = Math.fround;

/**
 * masks = coefficients @ prototypes, cropped; upsampled to the input size [h, w] when `upsample`.
 * Returns one 0/1 byte mask per detection (input size, or the prototype size without upsample).
 */
export function ulProcessMasks(
  proto: Float32Array,
  nm: number,
  mh: number,
  mw: number,
  coefficients: Float32Array[],
  boxes: number[][],
  input: [number, number],
  upsample = true,
): Uint8Array[] {
  const hw = mh * mw;
  const [ih, iw] = input;
  const rx = f(mw / iw);
  const ry = f(mh / ih);
  const vectorised = coefficients.length >= 50;
  return coefficients.map((co, n) => {
    const m = new Float32Array(hw);
    for (let p = 0; p < hw; p++) {
      let v = 0;
      for (let k = 0; k < nm; k++) v += co[k] * proto[k * hw + p];
      m[p] = v;
    }
    const b = [f(boxes[n][0] * rx), f(boxes[n][1] * ry), f(boxes[n][2] * rx), f(boxes[n][3] * ry)];
    if (vectorised) {
      // (r >= x1) * (r < x2) * (c >= y1) * (c < y2)
      for (let y = 0; y < mh; y++)
        for (let x = 0; x < mw; x++) if (!(x >= b[0] && x < b[2] && y >= b[1] && y < b[3])) m[y * mw + x] = 0;
    } else {
      // masks[i, :y1] = 0; masks[i, y2:] = 0; masks[i, :, :x1] = 0; masks[i, :, x2:] = 0 (boxes.round().int())
      const [x1, y1, x2, y2] = b.map((v) => Math.trunc(roundHalfEven(v)));
      const rows = (a: number, z: number) => {
        for (let y = a; y < z; y++) m.fill(0, y * mw, (y + 1) * mw);
      };
      const cols = (a: number, z: number) => {
        for (let y = 0; y < mh; y++) m.fill(0, y * mw + a, y * mw + z);
      };
      rows(...pySlice(0, y1, mh));
      rows(...pySlice(y2, mh, mh));
      cols(...pySlice(0, x1, mw));
      cols(...pySlice(x2, mw, mw));
    }
    const out = upsample ? bilinear(m, mh, mw, ih, iw) : m;
    const bytes = new Uint8Array(out.length);
    for (let p = 0; p < out.length; p++) bytes[p] = out[p] > 0 ? 1 : 0;
    return bytes;
  });
}

/** torch.round: halves to even. */
const roundHalfEven = (v: number) => {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
};

/** Python's slice a:b over a length n, as [start, end) (negative bounds count from the end). */
function pySlice(a: number, b: number, n: number): [number, number] {
  const norm = (v: number) => (v < 0 ? Math.max(v + n, 0) : Math.min(v, n));
  return [norm(a), Math.max(norm(a), norm(b))];
}

/** F.interpolate(x[None, None], size=[oh, ow], mode='bilinear', align_corners=False) of one [h, w] plane, float32. */
export function bilinear(src: Float32Array, h: number, w: number, oh: number, ow: number): Float32Array {
  const out = new Float32Array(oh * ow);
  const sh = f(h / oh);
  const sw = f(w / ow);
  const index = (d: number, scale: number, n: number) => {
    // scale * (d + 0.5) - 0.5 in double, stored as float (PyTorch's area_pixel_compute_source_index)
    const s = Math.max(f(scale * (d + 0.5) - 0.5), 0);
    const i0 = Math.trunc(s);
    const i1 = i0 < n - 1 ? i0 + 1 : i0;
    const l1 = f(s - i0);
    return { i0, i1, l0: f(1 - l1), l1 };
  };
  const xs = Array.from({ length: ow }, (_, x) => index(x, sw, w));
  for (let y = 0; y < oh; y++) {
    const Y = index(y, sh, h);
    const r0 = Y.i0 * w;
    const r1 = Y.i1 * w;
    for (let x = 0; x < ow; x++) {
      const X = xs[x];
      out[y * ow + x] = f(
        f(Y.l0 * f(f(X.l0 * src[r0 + X.i0]) + f(X.l1 * src[r0 + X.i1]))) +
          f(Y.l1 * f(f(X.l0 * src[r1 + X.i0]) + f(X.l1 * src[r1 + X.i1]))),
      );
    }
  }
  return out;
}

/**
 * scale_masks: a 0/1 mask on the network input [h1, w1] to the image [h0, w0] - the letterbox padding cut
 * (round(pad -/+ 0.1)), bilinear to the image size, 1 where it reaches 0.5. (Ultralytics' validator truncates to
 * bytes instead, keeping only pixels interpolated to exactly 1, which depends on the CPU's fused multiply-adds.)
 */
export function ulScaleMask(mask: Uint8Array, input: [number, number], original: [number, number]): Uint8Array {
  const [h1, w1] = input;
  const [h0, w0] = original;
  if (h1 === h0 && w1 === w0) return mask.slice();
  const gain = Math.min(h1 / h0, w1 / w0);
  const pw = (w1 - w0 * gain) / 2;
  const ph = (h1 - h0 * gain) / 2;
  const top = pyRound(ph - 0.1);
  const left = pyRound(pw - 0.1);
  const bottom = h1 - pyRound(ph + 0.1);
  const right = w1 - pyRound(pw + 0.1);
  const ch = bottom - top;
  const cw = right - left;
  const crop = new Float32Array(ch * cw);
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) crop[y * cw + x] = mask[(y + top) * w1 + x + left];
  const up = bilinear(crop, ch, cw, h0, w0);
  const out = new Uint8Array(h0 * w0);
  for (let p = 0; p < out.length; p++) out[p] = up[p] >= 0.5 ? 1 : 0;
  return out;
}

/** COCO's uncompressed RLE of a [h, w] 0/1 mask: run lengths in column-major order, starting with a run of zeros. */
export function rleEncode(mask: Uint8Array, h: number, w: number): { size: [number, number]; counts: number[] } {
  const counts: number[] = [];
  let cur = 0;
  let run = 0;
  for (let x = 0; x < w; x++)
    for (let y = 0; y < h; y++) {
      const v = mask[y * w + x] ? 1 : 0;
      if (v !== cur) {
        counts.push(run);
        run = 0;
        cur = v;
      }
      run++;
    }
  counts.push(run);
  return { size: [h, w], counts };
}

/** The mask back from its RLE (for tests and viewers). */
export function rleDecode(rle: { size: [number, number]; counts: number[] }): Uint8Array {
  const [h, w] = rle.size;
  const out = new Uint8Array(h * w);
  let p = 0;
  rle.counts.forEach((n, i) => {
    for (let k = 0; k < n; k++, p++) if (i % 2) out[(p % h) * w + Math.floor(p / h)] = 1;
  });
  return out;
}
