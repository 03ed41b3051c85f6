/**
 * A layer node's size follows its text: the layout asks for it before the node is drawn, so the text is
 * measured as the node's CSS will set it (fonts and sizes below match styles.css `.layer-node`). In a
 * browser the canvas 2D context measures with the page's fonts; elsewhere (tests) a per-character estimate.
 */
import type { LayerNodeData } from './model-graph.ts';

/** Font sizes of a layer node (px at zoom 1). Every text on a node is at least NODE_MIN_FONT. */
export const NODE_FONT = { module: 16, text: 15 } as const;
export const NODE_MIN_FONT = 15;
/** The zoom at which the smallest node text is 12 px on screen; below it each layer shows its name alone. */
export const READABLE_ZOOM = 12 / NODE_MIN_FONT;
/**
 * Zoomed out, names and labels are 12 px on screen up to a size in flow units (styles.css: a node's name up to
 * 44 px, the room above a section's first row holds a 38 px label): below this zoom they would be smaller.
 */
export const OVERVIEW_MIN_ZOOM = 12 / 38;

/**
 * The zoom rounded down to a step (steps 10% apart below the readable zoom): zoomed-out texts are sized by it,
 * so on screen they are 12 to 13.2 px and change their size (and the nodes' boxes) only when a step is crossed.
 */
export function zoomStep(zoom: number): number {
  if (zoom >= READABLE_ZOOM) return zoom;
  const k = Math.ceil(Math.log(READABLE_ZOOM / zoom) / Math.log(1.1) - 1e-9);
  return READABLE_ZOOM / 1.1 ** k;
}

/** The UI's sans-serif (styles.css), in which node texts and the run result's box labels are measured. */
export const SANS =
  "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";

/** Node chrome: 5 px family bar + 1 px border + 12 px padding on the left, 10 px padding + 1 px border on the right. */
const CHROME_X = 5 + 1 + 12 + 10 + 1;
/** Two lines (16 px and 15 px text at line height 1.25), 6 px padding and 1 px border above and below, 2 px gap. */
export const NODE_BASE_H = 58;
/** One more line for a problem. */
export const PROBLEM_LINE_H = 20;
/** Gaps between the parts of a line (CSS `gap` and the params' margin). */
const GAP = 6;
const PARAMS_GAP = 16;
const SHAPE_GAP = 12;
/** Measurement slack: sub-pixel rounding and font hinting never push text past the node's edge. */
const SLACK = 6;
export const NODE_MIN_W = 150;

type Measure = (text: string, font: string) => number;

let ctx: { font: string; measureText(t: string): { width: number } } | null | undefined;
function context() {
  if (ctx !== undefined) return ctx;
  ctx = null;
  try {
    if (typeof OffscreenCanvas !== 'undefined') ctx = new OffscreenCanvas(1, 1).getContext('2d') as typeof ctx;
  } catch {
    ctx = null;
  }
  return ctx;
}

const cache = new Map<string, number>();
/** Width of `text` in `font` (a CSS font shorthand), measured when a 2D context exists. */
export const measure: Measure = (text, font) => {
  const key = `${font}|${text}`;
  let w = cache.get(key);
  if (w !== undefined) return w;
  const c = context();
  if (c) {
    c.font = font;
    w = c.measureText(text).width;
  } else {
    // a sans-serif averages ~0.62 em per character (bold ~0.68), a monospace 0.61 em
    const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 15);
    const em = font.includes('monospace') ? 0.61 : font.startsWith('700') ? 0.68 : 0.62;
    w = text.length * size * em;
  }
  if (cache.size > 5000) cache.clear();
  cache.set(key, w);
  return w;
};

export interface NodeText {
  i: number;
  module: string;
  n: number;
  paramsText: string;
  shapeText: string;
  argsText: string;
  problem: boolean;
}

export const nodeText = (d: LayerNodeData): NodeText => ({
  i: d.i,
  module: d.module,
  n: d.n,
  paramsText: d.paramsText,
  shapeText: d.shapeText,
  argsText: d.argsText,
  problem: d.problems.length > 0,
});

/** The size a layer node takes to show its text in full (flow units = px at zoom 1). */
export function nodeSize(t: NodeText, m: Measure = measure): { width: number; height: number } {
  const text = `${NODE_FONT.text}px ${MONO}`;
  const head =
    m(String(t.i), `${NODE_FONT.text}px ${SANS}`) +
    GAP +
    m(t.module, `700 ${NODE_FONT.module}px ${SANS}`) +
    (t.n > 1 ? GAP + m(`×${t.n}`, `${NODE_FONT.text}px ${SANS}`) : 0) +
    PARAMS_GAP +
    m(t.paramsText, text);
  const body = m(t.shapeText, `600 ${NODE_FONT.text}px ${MONO}`) + SHAPE_GAP + m(t.argsText, text);
  return {
    width: Math.max(NODE_MIN_W, Math.ceil(Math.max(head, body) + CHROME_X + SLACK)),
    height: NODE_BASE_H + (t.problem ? PROBLEM_LINE_H : 0),
  };
}

/** The image node (input): label and shape on one line. */
export function inputSize(label: string, shape: string, m: Measure = measure): { width: number; height: number } {
  return {
    width: Math.ceil(
      m(label, `700 ${NODE_FONT.text}px ${SANS}`) + 10 + m(shape, `${NODE_FONT.text}px ${MONO}`) + 24 + SLACK,
    ),
    height: 36,
  };
}

/** Zoomed out below READABLE_ZOOM the canvas shows each layer as its module name alone, 12 px on screen. */
export const overviewText = (t: Pick<NodeText, 'module' | 'n'>) => (t.n > 1 ? `${t.module} ×${t.n}` : t.module);

/**
 * The smallest zoom a model opens at whole: zoomed out, a name is at most 44 px in flow units (styles.css), so
 * here 8 px on screen. Between it and OVERVIEW_MIN_ZOOM the names shrink below 12 px rather than the model being
 * cut at the pane's edge (yolov5s at 1024x768, every panel open: 0.19, names 8.4 px); below it, too small to
 * read, the model opens from its top-left instead.
 */
export const OPEN_MIN_ZOOM = 8 / 44;

/**
 * How a model opens in a view of w x h px (a 24 px margin around it): whole (fitted, centred) when its names
 * stay 8 px or more so (12 px or more wherever the view has the room), in detail or zoomed out to names alone;
 * else, too large for that, from its top-left, as wide as it fits without going below the zoom where names
 * stay 12 px (a tall model: its whole width; a wide one: its first stages). Returns the viewport: the flow
 * point (x0, y0) of the graph's top-left is shown at (x, y).
 */
export function openingView(
  graph: { x: number; y: number; width: number; height: number },
  w: number,
  h: number,
  maxZoom = 1.2,
): { x: number; y: number; zoom: number; whole: boolean } {
  const M = 24;
  const fit = Math.min((w - 2 * M) / graph.width, (h - 2 * M) / graph.height, maxZoom);
  if (fit >= OPEN_MIN_ZOOM)
    return {
      x: (w - graph.width * fit) / 2 - graph.x * fit,
      y: (h - graph.height * fit) / 2 - graph.y * fit,
      zoom: fit,
      whole: true,
    };
  const zoom = Math.min(READABLE_ZOOM, Math.max(OVERVIEW_MIN_ZOOM, (w - 2 * M) / graph.width));
  return { x: M - graph.x * zoom, y: M - graph.y * zoom, zoom, whole: false };
}
