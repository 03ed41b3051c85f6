/**
 * Where the model's nodes go: the layout by scale of an analysis (node sizes from their text), the full
 * layout on open and "tidy", and the places of new nodes after an edit (nothing else moves). The store
 * calls these synchronously, so an opened or edited model is drawn in place in one commit.
 */
import { shapeText, type ModelAnalysis } from '../../src/core/index.ts';
import type { XY } from './xy.ts';
import { layerNodeData, type LayerNodeData } from './model-graph.ts';
import { inputSize, nodeSize, nodeText } from './node-size.ts';
import { GAP_Y, placeMissing, scaleLayout, type ScaleLayer, type ScaleLayoutResult } from './scale-layout.ts';

export type LayoutMode = 'scale' | 'compact';

/** A layer's node data and size, kept per analysis (the canvas draws from the same objects). */
const dataCache = new WeakMap<ModelAnalysis, LayerNodeData[]>();
export function nodeDataOf(a: ModelAnalysis): LayerNodeData[] {
  let d = dataCache.get(a);
  if (!d) dataCache.set(a, (d = a.layers.map((l) => layerNodeData(l, a.diagnostics))));
  return d;
}

export const inputLabel = (a: ModelAnalysis) => shapeText([a.inputChannels, ...a.imgsz]);

/** The layers as the layout sees them: stride, inputs, section, size. */
export function scaleLayers(a: ModelAnalysis): ScaleLayer[] {
  const data = nodeDataOf(a);
  return a.layers.map((l, k) => {
    const h = l.shape && l.shape.length === 3 ? l.shape[1] : NaN;
    const stride = Number.isFinite(h) && h > 0 ? a.imgsz[0] / h : null;
    return {
      i: l.i,
      inputs: l.inputs,
      section: l.row.section,
      stride: l.def?.parse === 'detect' ? null : stride,
      head: l.def?.parse === 'detect',
      ...nodeSize(nodeText(data[k])),
    };
  });
}

const layoutCache = new WeakMap<ModelAnalysis, ScaleLayoutResult>();
/** The full layout by scale of an analysis (cached: the canvas's column labels read it too). */
export function layoutByScale(a: ModelAnalysis, imageLabel = 'image'): ScaleLayoutResult {
  let r = layoutCache.get(a);
  if (!r) layoutCache.set(a, (r = scaleLayout(scaleLayers(a), inputSize(imageLabel, inputLabel(a)))));
  return r;
}

/**
 * Places the layers an edit added or restored (those without a position), leaving every other node where
 * it is. By scale: in their stride's column at their row. Compact: below their first input.
 */
export function placeNewLayers(
  a: ModelAnalysis,
  positions: Record<number, XY>,
  mode: LayoutMode,
): Record<number, XY> | null {
  if (a.layers.every((l) => positions[l.i])) return null;
  const layers = scaleLayers(a);
  if (mode === 'scale') return placeMissing(layers, positions, layoutByScale(a));
  // compact: one column; a new node goes below its first placed input (or the row above)
  const ideal: ScaleLayoutResult = { positions: {}, input: { x: 0, y: 0 }, columns: [], columnOf: {}, top: 0 };
  for (const l of layers) {
    ideal.columnOf[l.i] = 0;
    const j = l.inputs.find((x) => x >= 0 && positions[x]) ?? (positions[l.i - 1] ? l.i - 1 : undefined);
    const p = j !== undefined ? positions[j] : undefined;
    ideal.positions[l.i] = p ? { x: p.x, y: p.y + l.height + GAP_Y } : { x: 0, y: l.i * (l.height + GAP_Y) };
  }
  return placeMissing(layers, positions, ideal);
}
