/** YOLOv5's letterbox and scale_boxes, with cv2's fixed-point INTER_LINEAR resize on uint8. */
import { describe, expect, it } from 'vitest';
import { letterbox, resizeLinearU8, scaleBoxes, type RgbImage } from './letterbox.ts';

const image = (w: number, h: number, f: (x: number, y: number, c: number) => number): RgbImage => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = f(x, y, c);
  return { width: w, height: h, data, channels: 3 };
};

describe('cv2 INTER_LINEAR on uint8', () => {
  it('upsamples [0, 100] to [0, 25, 75, 100] (half-pixel centres, edge clamping)', () => {
    expect([...resizeLinearU8(new Uint8Array([0, 100]), 2, 1, 1, 4, 1)]).toEqual([0, 25, 75, 100]);
  });

  it('halves an image as the rounded mean of each 2x2 block', () => {
    const im = image(8, 6, (x, y, c) => (x * 37 + y * 91 + c * 53) % 256);
    const out = resizeLinearU8(im.data as Uint8Array, 8, 6, 3, 4, 3);
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 4; x++)
        for (let c = 0; c < 3; c++) {
          const at = (xx: number, yy: number) => im.data[(yy * 8 + xx) * 3 + c];
          expect(out[(y * 4 + x) * 3 + c]).toBe(
            (at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1) + 2) >> 2,
          );
        }
  });

  it('keeps a constant image constant at any scale', () => {
    const out = resizeLinearU8(new Uint8Array(7 * 5).fill(201), 7, 5, 1, 13, 3);
    expect(out.every((v) => v === 201)).toBe(true);
  });
});

describe('letterbox', () => {
  it('fits a 640x480 image into 320x320 (auto=False): ratio 0.5, 40 rows of 114 above and below', () => {
    const lb = letterbox(
      image(640, 480, () => 7),
      { size: 320 },
    );
    expect([lb.width, lb.height, lb.ratio]).toEqual([320, 320, 0.5]);
    expect(lb.pad).toEqual([0, 40]);
    expect(lb.data[(39 * 320 + 5) * 3]).toBe(114);
    expect(lb.data[(40 * 320 + 5) * 3]).toBe(7);
    expect(lb.data[(279 * 320 + 5) * 3]).toBe(7);
    expect(lb.data[(280 * 320 + 5) * 3]).toBe(114);
  });

  it('splits odd padding as round(d - 0.1) above and round(d + 0.1) below', () => {
    const lb = letterbox(
      image(100, 49, () => 7),
      { size: 64 },
    ); // 64x31 inside, dh = 16.5
    expect(lb.height).toBe(64);
    expect(lb.data[15 * 64 * 3]).toBe(114);
    expect(lb.data[16 * 64 * 3]).toBe(7);
    expect(lb.data[46 * 64 * 3]).toBe(7);
    expect(lb.data[47 * 64 * 3]).toBe(114);
  });

  it('pads only to a multiple of the stride with auto=True (the minimal rectangle)', () => {
    const lb = letterbox(
      image(640, 480, () => 7),
      { size: 640, auto: true, stride: 32 },
    );
    expect([lb.width, lb.height]).toEqual([640, 480]);
    const lb2 = letterbox(
      image(500, 300, () => 7),
      { size: 640, auto: true, stride: 32 },
    );
    expect([lb2.width, lb2.height]).toEqual([640, 384]);
  });

  it('maps boxes back to the original image with scale_boxes, clipped', () => {
    const boxes = [
      [0, 40, 320, 280],
      [-5, 30, 100, 300],
    ];
    scaleBoxes([320, 320], boxes, [480, 640]);
    expect(boxes).toEqual([
      [0, 0, 640, 480],
      [0, 0, 200, 480],
    ]);
  });
});
