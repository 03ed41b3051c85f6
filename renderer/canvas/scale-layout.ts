/**
 * The layout by scale: every layer in the column of its output stride (P1/2 ... P5/32, P6/64; the image
 * at stride 1 on the far left; Detect/Segment in a column of their own at the end), rows going down in
 * model order. A layer sits level with an input in another column (a stride change is a horizontal step)
 * and below an input in its own column, so the backbone steps down to the right, the neck's top-down
 * path (FPN) steps back to the left and its bottom-up path (PAN) to the right again: the pyramid and its
 * ladder of lateral connections are what you see. The head starts below the backbone. Pure and fast
 * (no ELK): it runs on every open and "tidy" and places new nodes after an edit.
 */
import type { XY } from './xy.ts';

export interface ScaleLayer {
  i: number;
  /** Layer indices read (-1: the image). */
  inputs: number[];
  section: 'backbone' | 'head';
  /** Output stride (input size / output height), or null when unknown (an error, a head). */
  stride: number | null;
  /** A detection head (Detect, Segment): drawn in the last column. */
  head: boolean;
  width: number;
  height: number;
}

export interface ScaleColumn {
  /** log2 of the stride (0: the image, 3: P3/8); the heads' column is one past the last scale. */
  level: number;
  /** 'P3/8', or '' for the image's and the heads' columns. */
  label: string;
  x: number;
  width: number;
}

export interface ScaleLayoutResult {
  positions: Record<number, XY>;
  /** The image node's place. */
  input: XY;
  columns: ScaleColumn[];
  /** Column (its `level`) of every layer. */
  columnOf: Record<number, number>;
  /** Top of the layout (column labels sit above it). */
  top: number;
}

export const GAP_X = 80;
export const GAP_Y = 40;
/** Extra room between the backbone's last row and the head's first (section frames and their titles). */
export const SECTION_GAP = 56;

const log2 = (s: number) => Math.round(Math.log2(s));

/** The column of each layer: its stride's, else its first input's, else the row above's; heads after the rest. */
export function scaleColumns(layers: readonly ScaleLayer[]): Record<number, number> {
  const col: Record<number, number> = {};
  let max = 1;
  for (const l of layers) {
    if (l.head) continue;
    let c: number | undefined;
    if (l.stride !== null && Number.isFinite(l.stride) && l.stride >= 1) c = Math.min(log2(l.stride), 12);
    if (c === undefined) {
      const j = l.inputs.find((x) => x >= 0 && col[x] !== undefined);
      c = j !== undefined ? col[j] : l.inputs.includes(-1) ? 1 : (col[l.i - 1] ?? 1);
    }
    col[l.i] = c;
    max = Math.max(max, c);
  }
  for (const l of layers) if (l.head) col[l.i] = max + 1;
  return col;
}

/** The full layout by scale of a model. */
export function scaleLayout(
  layers: readonly ScaleLayer[],
  inputSize: { width: number; height: number },
): ScaleLayoutResult {
  const columnOf = scaleColumns(layers);
  // levels: below the last row of the same column, below an input in the same column, level with one elsewhere
  const level: Record<number, number> = {};
  const lastInColumn = new Map<number, number>();
  lastInColumn.set(0, 0); // the image, at level 0 of column 0
  let backboneEnd = -1;
  let headStart = 0;
  let firstHead = true;
  for (const l of layers) {
    if (l.section === 'head' && firstHead) {
      firstHead = false;
      headStart = backboneEnd + 1;
    }
    const c = columnOf[l.i];
    let lv = l.section === 'head' ? headStart : 0;
    const last = lastInColumn.get(c);
    if (last !== undefined) lv = Math.max(lv, last + 1);
    for (const j of l.inputs) {
      if (j < 0) lv = Math.max(lv, c === 0 ? 1 : 0);
      else if (level[j] !== undefined) lv = Math.max(lv, level[j] + (columnOf[j] === c ? 1 : 0));
    }
    level[l.i] = lv;
    lastInColumn.set(c, lv);
    if (l.section === 'backbone') backboneEnd = Math.max(backboneEnd, lv);
  }
  // level tops: each level as tall as its tallest node
  const maxLevel = Math.max(0, ...Object.values(level));
  const heights = new Array(maxLevel + 1).fill(inputSize.height);
  for (const l of layers) heights[level[l.i]] = Math.max(heights[level[l.i]], l.height);
  const tops: number[] = [];
  let y = 0;
  for (let k = 0; k <= maxLevel; k++) {
    if (k === headStart && k > 0 && !firstHead) y += SECTION_GAP;
    tops.push(y);
    y += heights[k] + GAP_Y;
  }
  // columns: as wide as their widest node, left to right by stride
  const widths = new Map<number, number>([[0, inputSize.width]]);
  for (const l of layers) widths.set(columnOf[l.i], Math.max(widths.get(columnOf[l.i]) ?? 0, l.width));
  const headColumn = layers.some((l) => l.head)
    ? Math.max(...layers.filter((l) => l.head).map((l) => columnOf[l.i]))
    : -1;
  const columns: ScaleColumn[] = [];
  let x = 0;
  for (const c of [...widths.keys()].sort((a, b) => a - b)) {
    const w = widths.get(c)!;
    columns.push({ level: c, label: c === 0 || c === headColumn ? '' : `P${c}/${2 ** c}`, x, width: w });
    x += w + GAP_X;
  }
  const colX = new Map(columns.map((c) => [c.level, c]));
  const positions: Record<number, XY> = {};
  for (const l of layers) {
    const c = colX.get(columnOf[l.i])!;
    positions[l.i] = { x: c.x + (c.width - l.width) / 2, y: tops[level[l.i]] };
  }
  const c0 = colX.get(0)!;
  return {
    positions,
    input: { x: c0.x + (c0.width - inputSize.width) / 2, y: 0 },
    columns,
    columnOf,
    top: 0,
  };
}

interface Box extends XY {
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box, margin: number) =>
  a.x < b.x + b.width + margin &&
  b.x < a.x + a.width + margin &&
  a.y < b.y + b.height + margin &&
  b.y < a.y + a.height + margin;

/**
 * Places the layers that have no position yet (new or restored by an edit) without moving any other:
 * in the column the ideal layout gives them, at the height of their row (below an input in the same column,
 * level with one in another, below the row before them in their column), then down past any node in the way.
 */
export function placeMissing(
  layers: readonly ScaleLayer[],
  current: Record<number, XY>,
  ideal: ScaleLayoutResult,
): Record<number, XY> | null {
  const added: Record<number, XY> = {};
  const at = (i: number) => current[i] ?? added[i];
  const sizeOf = new Map(layers.map((l) => [l.i, l]));
  const boxes: Box[] = [];
  for (const l of layers) if (current[l.i]) boxes.push({ ...current[l.i], width: l.width, height: l.height });
  const step = (h: number) => h + GAP_Y;
  for (const l of layers) {
    if (at(l.i)) continue;
    const c = ideal.columnOf[l.i];
    let y = ideal.positions[l.i].y;
    const placedInputs = l.inputs.filter((j) => j >= 0 && at(j));
    if (placedInputs.length) {
      y = Math.max(
        ...placedInputs.map((j) => {
          const p = at(j)!;
          const s = sizeOf.get(j)!;
          return ideal.columnOf[j] === c ? p.y + step(s.height) : p.y;
        }),
      );
    }
    // below the row before it in its column
    for (let k = l.i - 1; k >= 0; k--) {
      if (ideal.columnOf[k] !== c || !at(k)) continue;
      y = Math.max(y, at(k)!.y + step(sizeOf.get(k)!.height));
      break;
    }
    const box: Box = { x: ideal.positions[l.i].x, y, width: l.width, height: l.height };
    for (let tries = 0; tries < 200 && boxes.some((b) => overlaps(b, box, 8)); tries++) box.y += step(l.height) / 2;
    added[l.i] = { x: box.x, y: box.y };
    boxes.push(box);
  }
  return Object.keys(added).length ? added : null;
}
