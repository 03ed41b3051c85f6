/**
 * From the network input back to the image, as Ultralytics 8.3.253's utils/ops.py does it (written from reading
 * it): scale_boxes (whole-pixel padding: round(pad - 0.1)), clipped to the image; scale_coords for keypoints
 * (fractional padding, clipped); regularize_rboxes for oriented boxes (angle folded into [0, pi/2), sides swapped
 * past pi/2) and their corners. Float32 where PyTorch's tensors are.
 */
import { pyRound } from '../../core/index.ts';

const f = Math.fround;

/** Gain and whole-pixel padding scale_boxes derives from the two sizes ([h, w] each). */
function boxGain(input: [number, number], original: [number, number]) {
  const [h1, w1] = input;
  const [h0, w0] = original;
  const gain = Math.min(h1 / h0, w1 / w0);
  return { gain, padX: pyRound((w1 - w0 * gain) / 2 - 0.1), padY: pyRound((h1 - h0 * gain) / 2 - 0.1) };
}

/** scale_boxes for corner boxes: padding removed, divided by the gain, clipped to the image. New arrays. */
export function ulScaleBoxes(input: [number, number], boxes: number[][], original: [number, number]): number[][] {
  const { gain, padX, padY } = boxGain(input, original);
  const [h0, w0] = original;
  const g = f(gain);
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  return boxes.map((b) => [
    clip(f(f(b[0] - padX) / g), w0),
    clip(f(f(b[1] - padY) / g), h0),
    clip(f(f(b[2] - padX) / g), w0),
    clip(f(f(b[3] - padY) / g), h0),
  ]);
}

/** scale_boxes(xywh=True) for rotated boxes (cx, cy, w, h, angle): the centre unpadded, all four sides scaled, no clip. */
export function ulScaleRboxes(input: [number, number], boxes: number[][], original: [number, number]): number[][] {
  const { gain, padX, padY } = boxGain(input, original);
  const g = f(gain);
  return boxes.map((b) => [f(f(b[0] - padX) / g), f(f(b[1] - padY) / g), f(b[2] / g), f(b[3] / g), b[4]]);
}

/**
 * scale_coords for keypoints [k][ndim] (x, y, and visibility untouched): fractional padding, divided by the gain,
 * x clipped to [0, w] and y to [0, h].
 */
export function ulScaleCoords(input: [number, number], points: number[][], original: [number, number]): number[][] {
  const [h1, w1] = input;
  const [h0, w0] = original;
  const gain = Math.min(h1 / h0, w1 / w0);
  const px = f((w1 - w0 * gain) / 2);
  const py = f((h1 - h0 * gain) / 2);
  const g = f(gain);
  return points.map((p) => {
    const q = [...p];
    q[0] = Math.min(Math.max(f(f(p[0] - px) / g), 0), w0);
    q[1] = Math.min(Math.max(f(f(p[1] - py) / g), 0), h0);
    return q;
  });
}

const PI = Math.PI;

/** regularize_rboxes: the angle modulo pi/2, width and height swapped when it was in [pi/2, pi) modulo pi. */
export function regularizeRbox(b: number[]): number[] {
  const [x, y, w, h, t] = b;
  const swap = pyMod(t, PI) >= PI / 2;
  return [x, y, swap ? h : w, swap ? w : h, pyMod(t, PI / 2)];
}

/** Python's (and torch's) modulo: the sign of the divisor. */
const pyMod = (a: number, m: number) => ((a % m) + m) % m;

/** xywhr2xyxyxyxy: a rotated box's four corners. */
export function rboxCorners(b: number[]): [number, number][] {
  const [cx, cy, w, h, t] = b;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const v1 = [(w / 2) * cos, (w / 2) * sin];
  const v2 = [(-h / 2) * sin, (h / 2) * cos];
  return [
    [cx + v1[0] + v2[0], cy + v1[1] + v2[1]],
    [cx + v1[0] - v2[0], cy + v1[1] - v2[1]],
    [cx - v1[0] - v2[0], cy - v1[1] - v2[1]],
    [cx - v1[0] + v2[0], cy - v1[1] + v2[1]],
  ];
}
