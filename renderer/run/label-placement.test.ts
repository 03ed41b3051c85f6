import { describe, expect, it } from 'vitest';
import { contrastRatio, crossesOutline, labelTextColor, placeLabels, type Box, type Rect } from './label-placement.ts';
import { BOX_COLORS } from './RunImage.tsx';

const FONT = 16;
/** A label's room as RunImage gives it, with a fixed 0.6 em per character instead of a measurement. */
const size = (text: string) => ({ width: text.length * FONT * 0.6 + FONT * 0.5, height: FONT * 1.25 });
const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inImage = (r: Rect, [w, h]: [number, number]) =>
  r.x >= 0 && r.y >= 0 && r.x + r.width <= w && r.y + r.height <= h;

describe('a box label goes above its box when there is room, else inside its top edge, always in the image', () => {
  it('puts a lone label above its box, left-aligned with it', () => {
    const [l] = placeLabels([[100, 200, 300, 400]], [size('circle 0.98')], [640, 480], 2);
    expect(l).toMatchObject({ x: 100, y: 200 - FONT * 1.25 });
  });
  it('puts the label of a box touching the top of the image just inside its top edge', () => {
    const [l] = placeLabels([[50, 3, 250, 195]], [size('square 0.98')], [640, 480], 2);
    expect(l).toMatchObject({ x: 50, y: 3 });
  });
  it('shifts a label left at the right edge and keeps it inside the image at the bottom', () => {
    const [l] = placeLabels([[600, 0, 640, 480]], [size('triangle 0.99')], [640, 480], 2);
    expect(inImage(l, [640, 480])).toBe(true);
    expect(l.x + l.width).toBeCloseTo(640);
    // a label wider than the image is as wide as the image
    const [wide] = placeLabels([[0, 0, 40, 40]], [{ width: 900, height: 20 }], [640, 480], 2);
    expect(wide).toMatchObject({ x: 0, width: 640 });
  });
});

describe("a label covers neither another box's outline nor an earlier label where it can help it", () => {
  // the demo's detections on its sample image (640 x 480), most confident first, as the run returns them
  const demo: [string, Box][] = [
    ['triangle 1.00', [464, 260, 601, 399]],
    ['triangle 0.99', [529, 120, 637, 227]],
    ['triangle 0.98', [15, 269, 153, 406]],
    ['square 0.98', [47, 104, 129, 186]],
    ['square 0.98', [222, 3, 413, 195]],
    ['circle 0.98', [251, 296, 399, 444]],
    ['triangle 0.91', [58, 214, 108, 264]],
  ];
  const image: [number, number] = [640, 480];
  const stroke = 640 / 300;

  it("moves the demo's 'triangle 0.98' off the small triangle's box: inside its own top edge", () => {
    const boxes = demo.map(([, b]) => b);
    const labels = placeLabels(
      boxes,
      demo.map(([t]) => size(t)),
      image,
      stroke,
    );
    // above its box (the first place tried) it would run across the small triangle's box
    const above = { x: 15, y: 269 - FONT * 1.25, ...size('triangle 0.98') };
    expect(crossesOutline(above, boxes[6], stroke)).toBe(true);
    expect(labels[2]).toMatchObject({ x: 15, y: 269 });
    // every label in the image, none over another, none across another box's outline
    labels.forEach((l, k) => {
      expect(inImage(l, image)).toBe(true);
      for (let j = 0; j < labels.length; j++) if (j !== k) expect(overlap(l, labels[j])).toBe(false);
      boxes.forEach((b, j) => j !== k && expect(crossesOutline(l, b, stroke), `${k} over box ${j}`).toBe(false));
    });
  });
  it("keeps two labels of boxes side by side off each other and off the neighbour's box", () => {
    // two boxes 10 px apart at the same height, each label wider than its box: above-left, the first would run
    // along the second's top edge, so it ends at its own box's right edge instead; the second goes above-left
    const boxes: Box[] = [
      [100, 100, 160, 200],
      [170, 100, 230, 200],
    ];
    const [a, b] = placeLabels(boxes, [size('person 0.91'), size('person 0.88')], image, 2);
    expect(a.x + a.width).toBeCloseTo(160);
    expect(a.y).toBeCloseTo(80);
    expect(b).toMatchObject({ x: 170, y: 80 });
    expect(overlap(a, b)).toBe(false);
    expect(crossesOutline(a, boxes[1], 2)).toBe(false);
    expect(crossesOutline(b, boxes[0], 2)).toBe(false);
  });
  it('keeps a label inside a larger box that holds its own (crossing no outline there)', () => {
    // a phone in a person's hand: the phone's label above the phone lies inside the person's box
    const boxes: Box[] = [
      [100, 50, 400, 470],
      [200, 200, 260, 240],
    ];
    const [, phone] = placeLabels(boxes, [size('person 0.95'), size('cell phone 0.7')], image, 2);
    expect(phone).toMatchObject({ x: 200, y: 200 - FONT * 1.25 });
  });
  it('where every place is taken, takes the one covering the fewest labels, still in the image', () => {
    // five boxes on one spot: the labels spread over the places there are before any two share one
    const boxes: Box[] = Array.from({ length: 5 }, () => [300, 200, 340, 260] as Box);
    const labels = placeLabels(
      boxes,
      boxes.map(() => size('dog 0.50')),
      image,
      2,
    );
    for (const l of labels) expect(inImage(l, image)).toBe(true);
    const distinct = new Set(labels.map((l) => `${l.x},${l.y}`));
    expect(distinct.size).toBeGreaterThanOrEqual(4);
  });
});

describe("an oriented box's label goes by its outline, not by the axis-aligned box around it", () => {
  // a square turned 45 degrees: its axis-aligned box is [100, 100, 300, 300], its corners far from that box's
  const diamond: [number, number][] = [
    [200, 100],
    [300, 200],
    [200, 300],
    [100, 200],
  ];
  it('crosses its outline only where a label lies over one of its sides', () => {
    // across the axis-aligned box's top edge near its left end, far from the turned square's sides
    expect(crossesOutline({ x: 105, y: 90, width: 40, height: 20 }, diamond, 2)).toBe(false);
    expect(crossesOutline({ x: 105, y: 90, width: 40, height: 20 }, [100, 100, 300, 300], 2)).toBe(true);
    // over its upper-left side, and wholly inside it
    expect(crossesOutline({ x: 130, y: 140, width: 60, height: 20 }, diamond, 2)).toBe(true);
    expect(crossesOutline({ x: 170, y: 190, width: 60, height: 20 }, diamond, 2)).toBe(false);
  });
  it('puts the label above the highest corner, centred on it, where it is free', () => {
    const s = size('square 0.97');
    const [l] = placeLabels([[100, 100, 300, 300]], [s], [640, 480], 2, [diamond]);
    expect(l).toMatchObject({ x: 200 - s.width / 2, y: 100 - s.height });
    // where another box's label took that place, the axis-aligned box's places follow
    const boxes: Box[] = [
      [150, 20, 250, 80],
      [100, 100, 300, 300],
    ];
    const [, l2] = placeLabels(boxes, [{ width: 100, height: 20 }, s], [640, 480], 2, [undefined, diamond]);
    expect(l2.y).not.toBe(100 - s.height);
  });
});

describe('label text reads on its box colour', () => {
  it('is black or white, whichever contrasts more, 4.5:1 or better on every box colour', () => {
    for (const c of BOX_COLORS) {
      const text = labelTextColor(c);
      const other = text === '#000000' ? '#ffffff' : '#000000';
      expect(contrastRatio(c, text)).toBeGreaterThanOrEqual(contrastRatio(c, other));
      expect(contrastRatio(c, text), c).toBeGreaterThanOrEqual(4.5);
    }
    // white on the green and the light blue read at 2.6:1 and 1.9:1: those take black
    expect(labelTextColor('#3cb44b')).toBe('#000000');
    expect(labelTextColor('#42d4f4')).toBe('#000000');
    expect(labelTextColor('#4363d8')).toBe('#ffffff');
  });
  it("measures WCAG's contrast ratio: 21:1 for black on white, 1:1 for a colour on itself", () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21);
    expect(contrastRatio('#4363d8', '#4363d8')).toBeCloseTo(1);
  });
});
