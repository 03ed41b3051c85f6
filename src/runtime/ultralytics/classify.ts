/**
 * A classifier's input as Ultralytics 8.3.253's ClassificationPredictor makes it (classify_transforms, read not
 * copied): torchvision's Resize of the short side to the size (a square size; an [h, w] one is resized to exactly
 * that), done by Pillow's bilinear resampling (antialiased when it shrinks, 8-bit fixed point, the horizontal pass
 * first), then CenterCrop and ToTensor (values / 255; the mean 0 and std 1 normalisation changes nothing). No
 * letterbox: what is outside the centre square is cut off.
 */
import type { RgbImage } from '../letterbox.ts';
import { toRgb } from '../letterbox.ts';

// Pillow's fixed point for 8-bit images (libImaging/Resample.c: 32 - 8 - 2 bits)
const PRECISION_BITS = 22;

interface Coeffs {
  /** First source index and count per output index. */
  bounds: Int32Array;
  /** ksize fixed-point weights per output index. */
  weights: Int32Array;
  ksize: number;
}

/** Pillow's bilinear (triangle) filter coefficients from `inSize` to `outSize`, as fixed-point integers. */
function coefficients(inSize: number, outSize: number): Coeffs {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = filterscale; // the triangle's support is 1
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) truncates toward zero
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    k.fill(0);
    for (let x = 0; x < xmax; x++) {
      const t = Math.abs((x + xmin - center + 0.5) / filterscale);
      const w = t < 1 ? 1 - t : 0;
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0 ? k[x] / ww : k[x];
      weights[xx * ksize + x] = Math.trunc(v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { bounds, weights, ksize };
}

const clip8 = (ss: number) => {
  const v = Math.floor(ss / (1 << PRECISION_BITS));
  return v < 0 ? 0 : v > 255 ? 255 : v;
};

/** Pillow's Image.resize((w, h), BILINEAR) of interleaved RGB bytes. */
export function pilResizeBilinear(src: Uint8Array, width: number, height: number, w: number, h: number): Uint8Array {
  let cur = src;
  let cw = width;
  if (w !== width) {
    const { bounds, weights, ksize } = coefficients(width, w);
    const out = new Uint8Array(w * height * 3);
    for (let y = 0; y < height; y++)
      for (let xx = 0; xx < w; xx++) {
        const xmin = bounds[xx * 2];
        const n = bounds[xx * 2 + 1];
        for (let c = 0; c < 3; c++) {
          // rounding: half of one unit added before the shift, as Pillow's ss0 starts
          let ss = 1 << (PRECISION_BITS - 1);
          for (let x = 0; x < n; x++) ss += cur[(y * width + xmin + x) * 3 + c] * weights[xx * ksize + x];
          out[(y * w + xx) * 3 + c] = clip8(ss);
        }
      }
    cur = out;
    cw = w;
  }
  if (h !== height) {
    const { bounds, weights, ksize } = coefficients(height, h);
    const out = new Uint8Array(cw * h * 3);
    for (let yy = 0; yy < h; yy++) {
      const ymin = bounds[yy * 2];
      const n = bounds[yy * 2 + 1];
      for (let x = 0; x < cw; x++)
        for (let c = 0; c < 3; c++) {
          let ss = 1 << (PRECISION_BITS - 1);
          for (let y = 0; y < n; y++) ss += cur[((ymin + y) * cw + x) * 3 + c] * weights[yy * ksize + y];
          out[(yy * cw + x) * 3 + c] = clip8(ss);
        }
    }
    cur = out;
  }
  return cur === src ? src.slice() : cur;
}

export interface ClassifyInput {
  /** RGB bytes of the network input, `height` x `width`. */
  data: Uint8Array;
  width: number;
  height: number;
  /** The image [h, w]. */
  original: [number, number];
  /** The resized image [h, w] before the centre crop, and the crop's top-left corner in it. */
  resized: [number, number];
  crop: [number, number];
}

/** Python's round(): halves to even. */
const roundHalfEven = (v: number) => {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
};

/** classify_transforms(size) on an image: resize (short side, or exactly [h, w]), centre crop. */
export function classifyInput(im: RgbImage, size: number | [number, number]): ClassifyInput {
  const [th, tw] = typeof size === 'number' ? [size, size] : size;
  const { width, height } = im;
  let nw: number;
  let nh: number;
  if (th === tw) {
    // torchvision's Resize(int): the short side becomes the size, the long one int(size * long / short)
    const [short, long] = width <= height ? [width, height] : [height, width];
    const newLong = Math.trunc((th * long) / short);
    [nw, nh] = width <= height ? [th, newLong] : [newLong, th];
  } else [nw, nh] = [tw, th];
  const rgb = toRgb(im);
  const resized = nw === width && nh === height ? rgb : pilResizeBilinear(rgb, width, height, nw, nh);
  const top = roundHalfEven((nh - th) / 2);
  const left = roundHalfEven((nw - tw) / 2);
  const data = new Uint8Array(th * tw * 3);
  for (let y = 0; y < th; y++)
    data.set(resized.subarray(((top + y) * nw + left) * 3, ((top + y) * nw + left + tw) * 3), y * tw * 3);
  return { data, width: tw, height: th, original: [height, width], resized: [nh, nw], crop: [top, left] };
}
