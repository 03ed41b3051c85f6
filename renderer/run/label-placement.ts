/**
 * Where the run result's box labels go, and in which colour their text is drawn. Pure: the image's size, the
 * boxes and each label's size in, rectangles out (image pixels), so it is unit-tested without a page.
 *
 * A label sits inside the image, above its box when there is room (an oriented box's: above its highest corner),
 * else just inside its top edge; where that would cover a label already placed or cross another box's outline
 * (a "triangle 0.98" over a small triangle's box), the next place is tried: below the box, inside its bottom
 * edge, then the same places right-aligned with the box. The first place that covers no earlier label and
 * crosses no other box's outline wins; where none is free, the one covering the fewest labels, then crossing
 * the fewest outlines. Boxes are placed in the order given (the run's detections: most confident first), so a
 * likelier box gets its place first.
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

/** An outline's corners in order (a closed polygon), image pixels. */
export type Outline = [number, number][];

const rectOutline = ([x1, y1, x2, y2]: Box): Outline => [
  [x1, y1],
  [x2, y1],
  [x2, y2],
  [x1, y2],
];

/** Whether the segment a-b passes through the rectangle's inside (Liang-Barsky; touching its border is not). */
function segmentCrosses([ax, ay]: [number, number], [bx, by]: [number, number], r: Rect): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  const sides: [number, number][] = [
    [-dx, ax - r.x],
    [dx, r.x + r.width - ax],
    [-dy, ay - r.y],
    [dy, r.y + r.height - ay],
  ];
  for (const [p, q] of sides) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 >= t1) return false;
  }
  return true;
}

/**
 * Whether a label crosses a box's outline, drawn `stroke` wide: an axis-aligned box [x1, y1, x2, y2] or an
 * oriented box's corners. A label wholly inside or outside the outline crosses nothing.
 */
export function crossesOutline(label: Rect, outline: Box | Outline, stroke: number): boolean {
  const corners = typeof outline[0] === 'number' ? rectOutline(outline as Box) : (outline as Outline);
  const s = stroke / 2;
  const r = { x: label.x - s, y: label.y - s, width: label.width + 2 * s, height: label.height + 2 * s };
  return corners.some((c, i) => segmentCrosses(c, corners[(i + 1) % corners.length], r));
}

/**
 * The places tried for one box's label, in order of preference, each inside the image. An oriented box's label
 * is tried first above its highest corner, centred on it (its axis-aligned box's corners may be far from it).
 */
function candidates(
  box: Box,
  corners: Outline | undefined,
  size: { width: number; height: number },
  image: [number, number],
): Rect[] {
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
  if (corners?.length) {
    const [tx, ty] = corners.reduce((a, c) => (c[1] < a[1] || (c[1] === a[1] && c[0] < a[0]) ? c : a));
    if (ty - height >= 0) out.push({ x: clampX(tx - width / 2), y: ty - height, width, height });
  }
  for (const x of [clampX(x1), clampX(x2 - width)])
    for (const y of ys) if (!out.some((r) => r.x === x && r.y === y)) out.push({ x, y, width, height });
  return out;
}

/**
 * Each box's label rectangle (image pixels), in the boxes' order. `sizes[k]` is the room box k's text takes;
 * `stroke` the width the boxes' outlines are drawn with; `corners[k]`, where given, box k's oriented outline
 * (an OBB head's), drawn instead of its axis-aligned box.
 */
export function placeLabels(
  boxes: Box[],
  sizes: { width: number; height: number }[],
  image: [number, number],
  stroke = 0,
  corners: (Outline | undefined)[] = [],
): Rect[] {
  const outlines = boxes.map((b, k) => corners[k] ?? rectOutline(b));
  const placed: Rect[] = [];
  boxes.forEach((box, k) => {
    let best: Rect | null = null;
    let bestScore = [Infinity, Infinity];
    for (const c of candidates(box, corners[k], sizes[k], image)) {
      const labels = placed.filter((p) => overlaps(c, p)).length;
      const crossed = outlines.filter((o, j) => j !== k && crossesOutline(c, o, stroke)).length;
      if (labels < bestScore[0] || (labels === bestScore[0] && crossed < bestScore[1])) {
        best = c;
        bestScore = [labels, crossed];
        if (labels === 0 && crossed === 0) break;
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
