/** non_max_suppression as YOLOv5 v7.0: confidence = objectness x class, per-class NMS, best class only. */
import { describe, expect, it } from 'vitest';
import { nonMaxSuppression, processMasks } from './nms.ts';

/** rows of (x, y, w, h, obj, cls0, cls1) */
const pred = (rows: number[][]) => Float32Array.from(rows.flat());

describe('non_max_suppression', () => {
  it('keeps the best of overlapping boxes of a class, both of different classes, and drops low confidence', () => {
    const p = pred([
      [50, 50, 20, 20, 0.9, 0.9, 0.1], // class 0, conf 0.81
      [52, 50, 20, 20, 0.8, 0.9, 0.1], // overlaps the first (IoU 0.82): suppressed
      [51, 50, 20, 20, 0.9, 0.1, 0.8], // class 1: kept
      [10, 10, 4, 4, 0.9, 0.2, 0.2], // conf 0.18 < 0.25
      [90, 90, 10, 10, 0.2, 1.0, 0.0], // objectness below the threshold
    ]);
    const d = nonMaxSuppression(p, 7, { conf: 0.25, iou: 0.45 });
    expect(d.map((x) => x.class)).toEqual([0, 1]);
    expect(d[0].confidence).toBeCloseTo(0.81, 6);
    expect(d[0].xyxy).toEqual([40, 40, 60, 60]);
  });

  it('suppresses across classes when agnostic, and caps at maxDet', () => {
    const p = pred([
      [50, 50, 20, 20, 0.9, 0.9, 0.1],
      [51, 50, 20, 20, 0.9, 0.1, 0.8],
      [150, 150, 20, 20, 0.9, 0.1, 0.8],
    ]);
    expect(nonMaxSuppression(p, 7, { agnostic: true }).length).toBe(2);
    expect(nonMaxSuppression(p, 7, { maxDet: 1 }).length).toBe(1);
  });

  it('keeps mask coefficients multiplied by the objectness, and makes masks inside the box', () => {
    const p = pred([[8, 8, 8, 8, 0.5, 1.0, 2, -4]]); // nc 1, nm 2
    const d = nonMaxSuppression(p, 8, { nm: 2 });
    expect([...d[0].coefficients!]).toEqual([1, -2]);
    const proto = new Float32Array(2 * 4 * 4).fill(1); // both prototypes 1: v = 1 - 2 < 0 everywhere
    proto.fill(3, 0, 16); // first prototype 3: v = 3 - 2 > 0
    const [m] = processMasks(proto, 2, 4, 4, d, [16, 16]);
    // box 4..12 in a 16x16 input is 1..3 at the 4x4 prototype size
    expect([...m]).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  });
});
