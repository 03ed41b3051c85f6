/**
 * Where the canvas's nodes are, as the store keeps them: placed automatically (by scale, or compact) or by
 * hand (pinned: kept across edits, saves and reopening, per file). Edits move nodes with their layers
 * (the edit's mapping); new and restored layers get a place of their own; nothing else moves.
 */
import type { ModelAnalysis } from '../../src/core/index.ts';
import type { EditDoc, IndexMap } from '../../src/core/edit/index.ts';
import { layoutByScale, placeNewLayers, type LayoutMode } from '../canvas/arrange.ts';
import { loadPinned, savePinned } from '../canvas/saved-positions.ts';
import type { XY } from '../canvas/xy.ts';

export type { XY };

export interface Placement {
  positions: Record<number, XY>;
  pinned: Record<number, true>;
}

/** Rows as text without blanks (to match rows across typing, saves and reopening). */
export const rowTexts = (d: EditDoc) =>
  d.source.rows.map((r) => d.text.slice(r.range[0], r.range[1]).replace(/\s+/g, ''));

const LAYOUT_MODE_KEY = 'yolo-architect.layout';

/** The layout the user chose last (by scale unless compact was chosen). */
export function savedLayoutMode(): LayoutMode {
  try {
    return globalThis.localStorage?.getItem(LAYOUT_MODE_KEY) === 'compact' ? 'compact' : 'scale';
  } catch {
    return 'scale';
  }
}

export function saveLayoutMode(mode: LayoutMode) {
  try {
    globalThis.localStorage?.setItem(LAYOUT_MODE_KEY, mode);
  } catch {
    // a preference only
  }
}

/** A record keyed by layer index, moved with an edit's mapping (removed layers dropped). */
export function remap<T>(rec: Record<number, T>, mapping: IndexMap): Record<number, T> {
  const out: Record<number, T> = {};
  for (const [k, v] of Object.entries(rec)) {
    const to = mapping[Number(k)];
    if (to !== undefined && to !== null && to >= 0) out[to] = v;
  }
  return out;
}

/**
 * The places after an edit: every node follows its layer; a layer the document had before (undo, redo)
 * goes back where it was shown then; new layers are placed without moving any other.
 */
export function placementAfterEdit(
  prev: Placement,
  analysis: ModelAnalysis,
  mode: LayoutMode,
  mapping: IndexMap | undefined,
  shownBefore: Record<number, XY> | undefined,
): Placement {
  let positions = mapping ? remap(prev.positions, mapping) : prev.positions;
  const pinned = mapping ? remap(prev.pinned, mapping) : prev.pinned;
  if (shownBefore) positions = { ...shownBefore, ...positions };
  const added = placeNewLayers(analysis, positions, mode);
  if (added) positions = { ...positions, ...added };
  return { positions, pinned };
}

/** The places of an opened document: the layout (by scale now; compact: later, by ELK) and the hand-placed nodes kept for the file. */
export function openingPlacement(fileKey: string, doc: EditDoc, analysis: ModelAnalysis, mode: LayoutMode): Placement {
  const saved = loadPinned(fileKey, rowTexts(doc));
  const auto = mode === 'scale' ? layoutByScale(analysis).positions : {};
  const pinned: Record<number, true> = {};
  for (const k of Object.keys(saved)) pinned[Number(k)] = true;
  return { positions: { ...auto, ...saved }, pinned };
}

/** Keep the hand-placed nodes of a file (with its rows, so they find their layers again). */
export function keepPinned(fileKey: string, doc: EditDoc, p: Placement) {
  const at: Record<number, XY> = {};
  for (const k of Object.keys(p.pinned)) if (p.positions[Number(k)]) at[Number(k)] = p.positions[Number(k)];
  savePinned(fileKey, rowTexts(doc), at);
}

export const forgetPinned = (fileKey: string) => savePinned(fileKey, [], {});
