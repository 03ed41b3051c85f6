/**
 * Ultralytics 8.3.253's prediction post-processing: NMS (class-aware, rotated Fast-NMS with probabilistic IoU,
 * end-to-end), boxes, keypoints and oriented boxes back to the image, masks cropped and upsampled, RLE.
 */
import { describe, expect, it } from 'vitest';
import { bilinear, rleDecode, rleEncode, ulProcessMasks, ulScaleMask } from './masks.ts';
import { probIou, ulNonMaxSuppression } from './nms.ts';
import { ulDetections, ulTopClasses } from './predict.ts';
import { rboxCorners, regularizeRbox, ulScaleBoxes, ulScaleCoords } from './scale.ts';

const rows = (r: number[][]) => Float32Array.from(r.flat());

describe('non_max_suppression (Ultralytics)', () => {
  it('keeps the best class per box above conf (strictly), suppresses IoU > 0.7 within a class only', () => {
    // x, y, w, h, cls0, cls1
    const p = rows([
      [50, 50, 20, 20, 0.9, 0.1], // class 0
      [51, 50, 20, 20, 0.8, 0.1], // IoU 0.905 with the first: suppressed
      [54, 50, 20, 20, 0.7, 0.1], // IoU 0.667 with the first: kept at 0.7
      [50, 50, 20, 20, 0.1, 0.6], // class 1 over the same place: kept
      [90, 90, 10, 10, 0.25, 0.2], // best score exactly 0.25: not above conf
    ]);
    const d = ulNonMaxSuppression(p, 6);
    expect(d.map((x) => [x.class, x.row])).toEqual([
      [0, 0],
      [0, 2],
      [1, 3],
    ]);
    expect(d[0].box).toEqual([40, 40, 60, 60]);
    expect(d[0].confidence).toBeCloseTo(0.9, 6);
    expect(ulNonMaxSuppression(p, 6, { agnostic: true }).map((x) => x.row)).toEqual([0, 2]);
    expect(ulNonMaxSuppression(p, 6, { maxDet: 2 }).map((x) => x.row)).toEqual([0, 2]);
    expect(ulNonMaxSuppression(p, 6, { iou: 0.6 }).map((x) => x.row)).toEqual([0, 3]);
    expect(ulNonMaxSuppression(p, 6, { classes: [1] }).map((x) => x.row)).toEqual([3]);
  });

  it('with multiLabel gives a box once per class above conf', () => {
    const d = ulNonMaxSuppression(rows([[50, 50, 20, 20, 0.9, 0.5]]), 6, { multiLabel: true });
    expect(d.map((x) => [x.class, x.confidence])).toEqual([
      [0, Math.fround(0.9)],
      [1, 0.5],
    ]);
  });

  it('passes the values after the classes along (mask coefficients, keypoints)', () => {
    const d = ulNonMaxSuppression(rows([[50, 50, 20, 20, 0.9, 7, -3]]), 7, { nc: 1 });
    expect([...d[0].extra]).toEqual([7, -3]);
  });

  it('filters end-to-end rows by confidence only, in their order', () => {
    const p = rows([
      [1, 2, 3, 4, 0.9, 2],
      [1, 2, 3, 4, 0.2, 0],
      [1, 2, 3, 4, 0.8, 1],
    ]);
    expect(ulNonMaxSuppression(p, 6, { end2end: true }).map((x) => [x.class, x.box])).toEqual([
      [2, [1, 2, 3, 4]],
      [1, [1, 2, 3, 4]],
    ]);
  });
});

describe('rotated NMS', () => {
  it('probabilistic IoU: about 1 for the same box, symmetric, 0 far apart, smaller when turned', () => {
    const a = [100, 100, 40, 20, 0.3];
    expect(probIou(a, a)).toBeGreaterThan(0.999);
    const b = [104, 101, 38, 22, 0.5];
    expect(probIou(a, b)).toBeCloseTo(probIou(b, a), 12);
    expect(probIou(a, [400, 400, 40, 20, 0.3])).toBeLessThan(1e-6);
    expect(probIou(a, [100, 100, 40, 20, 0.3 + Math.PI / 2])).toBeLessThan(probIou(a, [100, 100, 40, 20, 0.4]));
  });

  it('is Fast-NMS: a box is dropped by any better box reaching the threshold, even one itself dropped', () => {
    // x, y, w, h, score, angle: A overlaps B, B overlaps C, A and C barely touch
    const A = [100, 100, 40, 40, 0.9, 0];
    const B = [116, 100, 40, 40, 0.8, 0];
    const C = [132, 100, 40, 40, 0.7, 0];
    const iou = (p: number[], q: number[]) => probIou([...p.slice(0, 4), p[5]], [...q.slice(0, 4), q[5]]);
    const thr = (iou(A, B) + iou(A, C)) / 2;
    expect(iou(B, C)).toBeGreaterThan(thr);
    expect(iou(A, C)).toBeLessThan(thr);
    const d = ulNonMaxSuppression(rows([A, B, C]), 6, { nc: 1, rotated: true, iou: thr });
    // greedy NMS would keep A and C; Fast-NMS drops C because B (dropped itself) overlaps it
    expect(d.map((x) => x.row)).toEqual([0]);
    expect(d[0].box).toEqual([100, 100, 40, 40]);
  });

  it('regularises angles into [0, pi/2), swapping the sides past pi/2, and gives the corners', () => {
    const r = regularizeRbox([10, 20, 40, 10, 2]);
    expect(r[2]).toBe(10);
    expect(r[3]).toBe(40);
    expect(r[4]).toBeCloseTo(2 - Math.PI / 2, 12);
    expect(regularizeRbox([0, 0, 4, 2, -0.3])).toEqual([0, 0, 2, 4, -0.3 + Math.PI / 2]);
    const c = rboxCorners([0, 0, 4, 2, 0]);
    expect(c.map((p) => p.map((v) => Math.round(v * 1e9) / 1e9 + 0))).toEqual([
      [2, 1],
      [2, -1],
      [-2, -1],
      [-2, 1],
    ]);
  });
});

describe('back to the image', () => {
  it('scale_boxes pads by whole pixels (round(pad - 0.1)) and clips', () => {
    // 241x300 into 320x320: gain 320/300, padding (320 - 257.07) / 2 = 31.47 -> 31 px
    const [b] = ulScaleBoxes([320, 320], [[31, 0, 200, 330]], [300, 241]);
    expect(b[0]).toBe(0);
    expect(b[1]).toBe(0);
    expect(b[2]).toBeCloseTo((200 - 31) / (320 / 300), 4);
    expect(b[3]).toBe(300);
  });

  it('scale_coords keeps the fractional padding, clips x and y, leaves visibility', () => {
    const pad = (320 - 241 * (320 / 300)) / 2; // 31.47, not rounded
    const [k] = ulScaleCoords([320, 320], [[pad + 100, 10, 0.7]], [300, 241]);
    expect(k[0]).toBeCloseTo(100 * (300 / 320), 4);
    expect(k[1]).toBeCloseTo(10 / (320 / 300), 4);
    expect(k[2]).toBe(0.7);
    expect(ulScaleCoords([320, 320], [[-5, 400]], [300, 241])[0]).toEqual([0, 300]);
  });
});

describe('masks', () => {
  it('bilinear upsampling as F.interpolate(align_corners=False)', () => {
    expect([...bilinear(Float32Array.from([0, 1]), 1, 2, 1, 4)]).toEqual([0, 0.25, 0.75, 1]);
  });

  it('crop to the box at the prototype size, upsample to the input, threshold at 0', () => {
    // one prototype of ones, coefficient 1: the mask is the box, here 8..24 of a 32 input at 1/4 size = 2..6
    const proto = new Float32Array(8 * 8).fill(1);
    const [m] = ulProcessMasks(proto, 1, 8, 8, [Float32Array.from([1])], [[8, 8, 24, 24]], [32, 32]);
    const ones = [...m].reduce((a, b) => a + b, 0);
    expect(m[16 * 32 + 16]).toBe(1);
    expect(m[2 * 32 + 2]).toBe(0);
    // cells 2..5 upsampled 4x: above 0 from 6 to 25 (the interpolation reaches half a cell past each edge)
    expect(ones).toBe(20 * 20);
    expect(m[6 * 32 + 6]).toBe(1);
    expect(m[5 * 32 + 6]).toBe(0);
  });

  it("keeps crop_mask's Python slicing: a corner rounding below 0 clears all but the last rows, for < 50 masks", () => {
    const proto = new Float32Array(8 * 8).fill(1);
    const few = ulProcessMasks(proto, 1, 8, 8, [Float32Array.from([1])], [[-4, 8, 24, 24]], [32, 32], false);
    // x1 = round(-1) = -1: masks[:, :, :-1] = 0 leaves only the last column, then x2 = 6 clears it
    expect([...few[0]].every((v) => v === 0)).toBe(true);
    const many = ulProcessMasks(
      proto,
      1,
      8,
      8,
      Array.from({ length: 50 }, () => Float32Array.from([1])),
      Array.from({ length: 50 }, () => [-4, 8, 24, 24]),
      [32, 32],
      false,
    );
    expect([...many[0]].reduce((a, b) => a + b, 0)).toBe(6 * 4);
  });

  it('a mask back in the image: the padding cut, then resized', () => {
    // input 4x4 with a 1-row band of padding above and below an image 2 rows high and 4 wide (gain 1)
    const m = Uint8Array.from([0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect([...ulScaleMask(m, [4, 4], [2, 4])]).toEqual([1, 1, 0, 0, 1, 1, 0, 0]);
  });

  it('RLE counts run down the columns, starting with zeros', () => {
    const m = Uint8Array.from([1, 0, 1, 1, 0, 0]); // 2 rows x 3 columns
    const r = rleEncode(m, 2, 3);
    expect(r).toEqual({ size: [2, 3], counts: [0, 2, 2, 1, 1] });
    expect([...rleDecode(r)]).toEqual([...m]);
  });
});

describe('predictions of each task', () => {
  it('detect: NMS, boxes to the image', () => {
    const p = rows([[160, 160, 40, 40, 0.9, 0.1]]);
    const [d] = ulDetections(p, 6, { task: 'detect', nc: 2 }, [320, 320], [480, 640]);
    expect(d.xyxy).toEqual([280, 200, 360, 280]);
    expect(d.inputXyxy).toEqual([140, 140, 180, 180]);
  });

  it('pose: keypoints scaled back with their visibility', () => {
    const p = rows([[160, 160, 40, 40, 0.9, 150, 170, 0.8, 0, 0, 0.1]]);
    const [d] = ulDetections(p, 11, { task: 'pose', nc: 1, kptShape: [2, 3] }, [320, 320], [480, 640]);
    expect(d.keypoints![0][0]).toBeCloseTo(300, 4);
    expect(d.keypoints![0][1]).toBeCloseTo(260, 4);
    expect(d.keypoints![0][2]).toBeCloseTo(0.8, 6);
    expect(d.keypoints![1].slice(0, 2)).toEqual([0, 0]);
  });

  it('obb: the angle is the last value; regularised, scaled, with corners', () => {
    const p = rows([[160, 160, 40, 20, 0.9, 0]]);
    const [d] = ulDetections(p, 6, { task: 'obb', nc: 1 }, [320, 320], [480, 640]);
    expect(d.obb!.xywhr).toEqual([320, 240, 80, 40, 0]);
    expect(d.xyxy).toEqual([280, 220, 360, 260]);
  });

  it('segment: a detection whose mask is empty is dropped, the others get an RLE in the image', () => {
    const proto = { data: new Float32Array(1 * 8 * 8).fill(1), shape: [1, 1, 8, 8] };
    const p = rows([
      [16, 16, 16, 16, 0.9, 1], // coefficient 1: a mask
      [4, 28, 4, 4, 0.8, -1], // coefficient -1: nothing above 0, dropped
    ]);
    const d = ulDetections(p, 6, { task: 'segment', nc: 1, nm: 1 }, [32, 32], [32, 32], { proto });
    expect(d.length).toBe(1);
    const m = rleDecode(d[0].mask!);
    expect(m[16 * 32 + 16]).toBe(1);
    expect(m[0]).toBe(0);
  });

  it('classify: the top classes by probability', () => {
    expect(ulTopClasses(Float32Array.from([0.1, 0.6, 0.3]), 2).map((c) => c.class)).toEqual([1, 2]);
  });
});
