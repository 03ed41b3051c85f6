/**
 * Where the run result's box labels go, and in which colour their text is drawn. Pure: the image's size, the
 * boxes and each label's size in, rectangles out (image pixels), so it is unit-tested without a page.
 *
 * A label sits inside the image, above its box when there is room, else just inside its top edge; where that
 * would cover a label already placed or cross another box's outline (a "triangle 0.98" over a small
 * triangle's box), the next place is tried: below the box, inside its bottom edge, then the same places
 * right-aligned with the box. The first place that covers no earlier label and crosses no other box's outline
 * wins; where none is free, the one covering the fewest labels, then crossing the fewest outlines. Boxes are
 * placed in the order given (the run's detections: most confident first), so a likelier box gets its place first.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A box as [x1, y1, x2, y2] in image pixels. */
export type Box = [number, number, number, number];

const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const within = (a: Rect, b: Rect) =>
  a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

/** Whether a label crosses a box's outline (drawn `stroke` wide on its edges): over it, yet not inside the box. */
export function crossesOutline(label: Rect, box: Box, stroke: number): boolean {
  const [x1, y1, x2, y2] = box;
  const s = stroke / 2;
  const outer = { x: x1 - s, y: y1 - s, width: x2 - x1 + 2 * s, height: y2 - y1 + 2 * s };
  const inner = { x: x1 + s, y: y1 + s, width: x2 - x1 - 2 * s, height: y2 - y1 - 2 * s };
  return overlaps(label, outer) && !(inner.width > 0 && inner.height > 0 && within(label, inner));
}

/** The places tried for one box's label, in order of preference, each inside the image. */
function candidates(box: Box, size: { width: number; height: number }, image: [number, number]): Rect[] {
  const [w, h] = image;
  const [x1, y1, x2, y2] = box;
  const width = Math.min(w, size.width);
  const height = Math.min(h, size.height);
  const clampX = (x: number) => Math.max(0, Math.min(x, w - width));
  const clampY = (y: number) => Math.max(0, Math.min(y, h - height));
  const ys: number[] = [];
  if (y1 - height >= 0) ys.push(y1 - height); // above
  ys.push(clampY(y1)); // inside the top edge
  if (y2 + height <= h) ys.push(y2); // below
  if (y2 - height >= 0) ys.push(y2 - height); // inside the bottom edge
  const out: Rect[] = [];
  for (const x of [clampX(x1), clampX(x2 - width)])
    for (const y of ys) if (!out.some((r) => r.x === x && r.y === y)) out.push({ x, y, width, height });
  return out;
}

/**
 * Each box's label rectangle (image pixels), in the boxes' order. `sizes[k]` is the room box k's text takes;
 * `stroke` the width the boxes' outlines are drawn with.
 */
export function placeLabels(
  boxes: Box[],
  sizes: { width: number; height: number }[],
  image: [number, number],
  stroke = 0,
): Rect[] {
  const placed: Rect[] = [];
  boxes.forEach((box, k) => {
    let best: Rect | null = null;
    let bestScore = [Infinity, Infinity];
    for (const c of candidates(box, sizes[k], image)) {
      const labels = placed.filter((p) => overlaps(c, p)).length;
      const outlines = boxes.filter((b, j) => j !== k && crossesOutline(c, b, stroke)).length;
      if (labels < bestScore[0] || (labels === bestScore[0] && outlines < bestScore[1])) {
        best = c;
        bestScore = [labels, outlines];
        if (labels === 0 && outlines === 0) break;
      }
    }
    placed.push(best!);
  });
  return placed;
}

/** WCAG's relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG's contrast ratio of two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour for a label on `background`: black or white, whichever contrasts more with it. */
export const labelTextColor = (background: string): '#000000' | '#ffffff' =>
  contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
