/**
 * A layer node's size follows its text: the layout asks for it before the node is drawn, so the text is
 * measured as the node's CSS will set it (fonts and sizes below match styles.css `.layer-node`). In a
 * browser the canvas 2D context measures with the page's fonts; elsewhere (tests) a per-character estimate.
 */
import type { LayerNodeData } from './model-graph.ts';

/** Font sizes of a layer node (px at zoom 1). Every text on a node is at least NODE_MIN_FONT. */
export const NODE_FONT = { module: 16, text: 15 } as const;
export const NODE_MIN_FONT = 15;
/** The zoom at which the smallest node text is 12 px on screen: the canvas never opens below it. */
export const READABLE_ZOOM = 12 / NODE_MIN_FONT;

const SANS = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";
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
