/**
 * The minimap's geometry, pure: where it may sit (a corner no layer, image or title is in), what it draws (the
 * nodes' rectangles as one path per colour, in flow units) and its view box (the nodes and the view, fitted to the
 * minimap's size, as React Flow's <MiniMap> fitted them), and the viewport a click or a drag on it asks for.
 * CanvasMinimap.tsx draws it: the rectangles once per change of the nodes, the view box and the mask per pan step.
 */
import type { PanelPosition } from '@xyflow/react';

export const MINIMAP_W = 132;
export const MINIMAP_H = 88;
/** React Flow's panels sit 15 px from the edges. */
const MARGIN = 15;
/**
 * Bottom left is the zoom buttons' corner (React Flow's <Controls>, 26 px wide): there the minimap sits beside them,
 * this much further in (chrome.css moves it as much).
 */
export const BESIDE_CONTROLS = 36;
const CORNERS: PanelPosition[] = ['bottom-right', 'top-right', 'top-left', 'bottom-left'];

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** The minimap's box in a corner of a `width` x `height` canvas. */
export function cornerRect(corner: PanelPosition, width: number, height: number): Rect {
  const right = corner.endsWith('right');
  const bottom = corner.startsWith('bottom');
  return {
    x: right ? width - MARGIN - MINIMAP_W : corner === 'bottom-left' ? MARGIN + BESIDE_CONTROLS : MARGIN,
    y: bottom ? height - MARGIN - MINIMAP_H : MARGIN,
    w: MINIMAP_W,
    h: MINIMAP_H,
  };
}

/** A viewport transform: the flow's offset on screen and its zoom. */
export type Transform = readonly [number, number, number];

/**
 * The first corner of a `width` x `height` canvas whose box nothing covers, or null when every corner has something
 * in it. `things` are in flow units, seen under the transform `t` (screen pixels when it is the identity): each
 * corner's box is taken into the flow instead, so a pan step checks without making a rectangle per node.
 */
export function freeCorner(
  things: Rect[],
  width: number,
  height: number,
  [tx, ty, zoom]: Transform = [0, 0, 1],
): PanelPosition | null {
  for (const c of CORNERS) {
    const b = cornerRect(c, width, height);
    const box = { x: (b.x - tx) / zoom, y: (b.y - ty) / zoom, w: b.w / zoom, h: b.h / zoom };
    if (!things.some((n) => overlaps(n, box))) return c;
  }
  return null;
}

/** What the corner choice and the drawing read of a node (React Flow's internal node has these). */
export interface MapNode {
  type?: string;
  hidden?: boolean;
  /** its top-left in flow units */
  x: number;
  y: number;
  w: number;
  h: number;
  /** a section's label (BACKBONE, HEAD) */
  label?: string;
}

/**
 * A scale column's title ("P3/8") keeps its lower edge where it stands and grows upwards when zoomed out
 * (styles.css, `.canvas-fill.overview .column-node`): its lower edge is this far below the node's top, whatever
 * its measured height.
 */
const COLUMN_TITLE_FOOT = 24;
/**
 * A section's label sits at its frame's top-left, 12 px in, in the room above the section's first row
 * (SECTION_PAD + 18 flow px); zoomed out its font grows to 38 flow px at most (styles.css, `.section-label`).
 * Its width is taken at that largest font, 0.8 em a letter (upper case, bold): a little more than it draws.
 */
const SECTION_LABEL = { left: 12, room: 42, maxFont: 38, em: 0.8 };

/**
 * What the minimap must not cover, in flow units: layers and the image, the scale columns' titles and the
 * sections' labels. A section's frame is a background (a minimap over it hides nothing) and a column title's node
 * is only its title.
 */
export function obstacles(nodes: Iterable<MapNode>): Rect[] {
  const out: Rect[] = [];
  for (const n of nodes) {
    if (n.hidden) continue;
    if (n.type === 'section') {
      const w = SECTION_LABEL.left + (n.label?.length ?? 0) * SECTION_LABEL.em * SECTION_LABEL.maxFont;
      out.push({ x: n.x, y: n.y, w: Math.min(n.w, w), h: Math.min(n.h, SECTION_LABEL.room) });
    } else if (n.type === 'column') {
      // both as laid out (its box) and as drawn zoomed out (grown upwards to its foot)
      const top = n.y + Math.min(0, COLUMN_TITLE_FOOT - n.h);
      out.push({ x: n.x, y: top, w: n.w, h: n.y + Math.max(n.h, COLUMN_TITLE_FOOT) - top });
    } else out.push({ x: n.x, y: n.y, w: n.w, h: n.h });
  }
  return out;
}

/** The part of the flow the canvas shows: a `width` x `height` pane under the transform [x, y, zoom]. */
export const viewRect = ([tx, ty, zoom]: Transform, width: number, height: number): Rect => ({
  x: -tx / zoom,
  y: -ty / zoom,
  w: width / zoom,
  h: height / zoom,
});

/** The smallest rectangle holding both (either may be absent: no nodes). */
export function union(a: Rect | null, b: Rect): Rect {
  if (!a) return b;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** The nodes' bounds in flow units (every shown node, as React Flow's minimap bounded them), or null. */
export function bounds(nodes: Iterable<MapNode>): Rect | null {
  let b: Rect | null = null;
  for (const n of nodes) if (!n.hidden) b = union(b, { x: n.x, y: n.y, w: n.w, h: n.h });
  return b;
}

/** The minimap's view box in flow units and its scale (flow units per minimap pixel). */
export interface MapView extends Rect {
  scale: number;
}

/** A margin of at least this many minimap pixels all round (React Flow's offsetScale). */
const OFFSET = 5;

/**
 * The minimap's view box: the nodes' bounds and the view, centred and fitted whole inside a `w` x `h` minimap less
 * OFFSET pixels all round, with one scale for both axes. The box has the minimap's proportions, so a minimap pixel
 * is `scale` flow units across and down.
 */
export function mapView(nodes: Rect | null, view: Rect, w = MINIMAP_W, h = MINIMAP_H): MapView {
  const b = union(nodes, view);
  const scale = Math.max(b.w / (w - 2 * OFFSET), b.h / (h - 2 * OFFSET)) || 1;
  return { x: b.x + b.w / 2 - (scale * w) / 2, y: b.y + b.h / 2 - (scale * h) / 2, w: scale * w, h: scale * h, scale };
}

/** The flow point under a pointer `px`, `py` pixels from the minimap's top-left. */
export const mapPoint = (m: MapView, px: number, py: number) => ({ x: m.x + px * m.scale, y: m.y + py * m.scale });

/** The viewport that centres a `width` x `height` pane on a flow point, at the same zoom. */
export const centredOn = (p: { x: number; y: number }, zoom: number, width: number, height: number) => ({
  x: width / 2 - p.x * zoom,
  y: height / 2 - p.y * zoom,
  zoom,
});

/**
 * The viewport after the pointer moved (dx, dy) pixels over a minimap of this scale: the view's box follows the
 * pointer, so the flow moves the other way, by as many flow units as the pointer's pixels stand for.
 */
export const draggedBy = (
  [tx, ty, zoom]: readonly [number, number, number],
  dx: number,
  dy: number,
  scale: number,
) => ({
  x: tx - dx * scale * zoom,
  y: ty - dy * scale * zoom,
  zoom,
});

/** The zoom a wheel turn asks for (React Flow's minimap: a line is 0.05, a pixel 0.002 of a doubling). */
export const wheelZoom = (zoom: number, deltaY: number, deltaMode: number) =>
  zoom * Math.pow(2, -deltaY * (deltaMode === 1 ? 0.05 : deltaMode ? 1 : 0.002));

/** Rectangles as one SVG path (rounded to 0.1 flow unit: a minimap pixel is many flow units). */
export function rectsPath(rects: Rect[]): string {
  const r = (v: number) => Math.round(v * 10) / 10;
  let d = '';
  for (const q of rects) if (q.w > 0 && q.h > 0) d += `M${r(q.x)} ${r(q.y)}h${r(q.w)}v${r(q.h)}h${r(-q.w)}z`;
  return d;
}

/**
 * How the minimap shows `m` (the view box it should show) while its drawings stay at `ref` (the view box they
 * were drawn for): the plane holding them is moved and scaled by `plane` (a CSS transform, origin top left;
 * 'none' when the two are the same), and the view's frame (the mask's hole) is `w` x `h` pixels of the plane,
 * moved by `frame`. A pan then changes transforms only: no path and no view box is drawn again
 * (CanvasMinimap.tsx says why).
 */
export function minimapPlane(
  ref: MapView,
  m: MapView,
  view: Rect,
): { plane: string; frame: string; w: number; h: number } {
  const k = ref.scale / m.scale;
  const same = ref.x === m.x && ref.y === m.y && k === 1;
  return {
    plane: same ? 'none' : `translate(${(ref.x - m.x) / m.scale}px, ${(ref.y - m.y) / m.scale}px) scale(${k})`,
    frame: `translate(${(view.x - ref.x) / ref.scale}px, ${(view.y - ref.y) / ref.scale}px)`,
    w: view.w / ref.scale,
    h: view.h / ref.scale,
  };
}

/** The nodes' rectangles grouped by fill colour, in the nodes' order (transparent ones are not drawn). */
export function fills(nodes: Iterable<MapNode & { color: string }>): Map<string, Rect[]> {
  const out = new Map<string, Rect[]>();
  for (const n of nodes) {
    if (n.hidden || n.color === 'transparent') continue;
    const list = out.get(n.color) ?? [];
    list.push({ x: n.x, y: n.y, w: n.w, h: n.h });
    out.set(n.color, list);
  }
  return out;
}

/** A node as the minimap's marks read it: selected, and with an error (a layer drawn `has-error` on the canvas). */
export interface MarkedNode extends MapNode {
  selected?: boolean;
  error?: boolean;
}

/** The selected layers and the layers with errors, as paths in flow units (see marks()). */
export interface Marks {
  /** the selected nodes' rectangles (ringed in the selection colour, chrome.css) */
  selected: string;
  /** the erroneous nodes' rectangles (filled in the error colour) */
  errors: string;
  /** a dot at each erroneous node's centre (see dotsPath) */
  errorDots: string;
  /** how many nodes have an error */
  errorCount: number;
}

/**
 * Points as one path of zero-length lines: with a round cap and a stroke that does not scale (chrome.css), each is
 * a dot as many minimap pixels across as the stroke is wide, however small its node is drawn there.
 */
export function dotsPath(points: { x: number; y: number }[]): string {
  const r = (v: number) => Math.round(v * 10) / 10;
  let d = '';
  for (const p of points) d += `M${r(p.x)} ${r(p.y)}h0`;
  return d;
}

/**
 * The marks over the nodes: the selected ones and the erroneous ones (hidden nodes not), built from the node list
 * alone, so they are drawn again when the nodes or the selection change and never on a pan step (the view box
 * places them, as it places the nodes).
 */
export function marks(nodes: Iterable<MarkedNode>): Marks {
  const selected: Rect[] = [];
  const errors: Rect[] = [];
  for (const n of nodes) {
    if (n.hidden) continue;
    const r = { x: n.x, y: n.y, w: n.w, h: n.h };
    if (n.selected) selected.push(r);
    if (n.error) errors.push(r);
  }
  return {
    selected: rectsPath(selected),
    errors: rectsPath(errors),
    errorDots: dotsPath(errors.map((r) => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 }))),
    errorCount: errors.length,
  };
}
