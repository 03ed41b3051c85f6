/**
 * UI gestures as the editing engine's commands (src/core/edit). This file only chooses which command and
 * with which arguments; the edits themselves (splicing, renumbering, mappings, history) are the engine's.
 */
import { defaultRegistry, isInt, msg, repr, type ModelAnalysis, type Registry } from '../src/core/index.ts';
import {
  addInput,
  batch,
  changeModule,
  command,
  copyRowsText,
  deleteLayers,
  duplicateLayer,
  insertLayer,
  insertOnEdge,
  moveLayers,
  parseRowsText,
  removeInput,
  setArg,
  setFrom,
  setHeader,
  setRepeats,
  applyScale,
  newRowText as coreNewRowText,
  type Scale,
} from '../src/core/edit/index.ts';
import type { HeaderKey } from '../src/core/index.ts';
import { editorStore, type Origin } from './store/editor.ts';

/** The YAML row a new layer of `module` gets when placed after layer `after` (reading it through -1). */
export function newRowText(
  module: string,
  a: ModelAnalysis,
  after: number | null,
  registry: Registry = defaultRegistry,
): string {
  const def = registry.get(module);
  if (!def) return `[-1, 1, ${module}, []]`;
  const prev = after !== null ? a.layers[after] : undefined;
  // channels as written in the config (before the width multiple): keep the input's width
  const prevWritten = prev?.row.args?.value?.[0];
  const widthIn =
    typeof prevWritten === 'number' && isInt(prevWritten)
      ? prevWritten
      : prev?.c2
        ? Math.round(prev.c2 / (a.widthMultiple || 1))
        : 64;
  return coreNewRowText(def, widthIn, a.family.id);
}

const run = (cmd: Parameters<ReturnType<typeof editorStore.getState>['perform']>[0], origin: Origin) =>
  editorStore.getState().perform(cmd, origin);

/** Insert a module so that it becomes layer `at` (between `at - 1` and the old `at`). */
export function insertModuleAt(module: string, at: number, origin: Origin = 'palette') {
  const s = editorStore.getState();
  const r = run(insertLayer(at, newRowText(module, s.analysis, at > 0 ? at - 1 : null, s.analysis.registry)), origin);
  if (r.ok && r.added.length) s.select(r.added[0], origin);
  return r;
}

export const deleteLayer = (i: number, origin: Origin = 'canvas') => run(deleteLayers(i), origin);
export const deleteMany = (layers: number[], origin: Origin = 'canvas') => run(deleteLayers(...layers), origin);

/**
 * The layers' clipboard: their rows as YAML text (copyRowsText: one row a line, each saying its index),
 * and which document they came from (pasting into the same one moves references to later layers along).
 */
let clipboard: { text: string; doc: number } | null = null;

/** Copy the rows of `layers` as YAML text (also what the system clipboard gets). */
export function copyLayers(layers: number[]): string {
  const s = editorStore.getState();
  const text = copyRowsText(s.doc, layers);
  clipboard = { text, doc: s.docSerial };
  return text;
}

/**
 * Paste rows (YAML text from the canvas, the YAML pane or another document) after layer `after` (at the
 * end when null): one undo step; references inside the pasted block follow it, outside ones keep their layer.
 */
export function pasteLayers(
  after: number | null,
  text: string | null = clipboard?.text ?? null,
  origin: Origin = 'canvas',
) {
  if (!text) return null;
  const s = editorStore.getState();
  const read = parseRowsText(text);
  if ('error' in read) {
    s.notify(msg('toast.paste-failed', { problem: read.error }), true);
    return null;
  }
  const N = s.analysis.layers.length;
  const at = after === null ? N : after + 1;
  const section = after === null ? undefined : s.source.rows[after]?.section;
  const sameDocument = clipboard !== null && clipboard.text === text && clipboard.doc === s.docSerial;
  const r = run(command({ type: 'paste', at, rows: read.rows, sameDocument, ...(section ? { section } : {}) }), origin);
  if (r.ok && r.added.length) s.setMulti(r.added);
  return r;
}

/** Drop onto a layer: replace its module, keeping from and n, arguments carried over by name. */
export const replaceLayer = (i: number, module: string, origin: Origin = 'canvas') => {
  const r = run(changeModule(i, module), origin);
  if (r.ok) editorStore.getState().select(i, origin);
  return r;
};

/** Drop onto an edge: a new layer between `source` and `target`'s input at `position`. */
export function insertOnEdgeAt(
  module: string,
  source: number,
  target: number,
  position: number,
  origin: Origin = 'canvas',
) {
  const s = editorStore.getState();
  const row = newRowText(module, s.analysis, source >= 0 ? source : null, s.registry);
  const r = run(insertOnEdge(source, target, position, row), origin);
  if (r.ok && r.added.length) s.select(r.added[0], origin);
  return r;
}

/** Where appending to a section puts a new layer: its end (in the head, before a final Detect/Segment). */
export function appendIndex(a: ModelAnalysis, section: 'backbone' | 'head'): number {
  const nb = a.layers.filter((l) => l.row.section === 'backbone').length;
  if (section === 'backbone') return nb;
  const last = a.layers[a.layers.length - 1];
  return last && last.row.section === 'head' && last.def?.parse === 'detect' ? a.layers.length - 1 : a.layers.length;
}

/** Drop onto the empty canvas: append to the section under the pointer. */
export function appendToSection(module: string, section: 'backbone' | 'head', origin: Origin = 'canvas') {
  const s = editorStore.getState();
  const at = appendIndex(s.analysis, section);
  const r = run(insertLayer(at, newRowText(module, s.analysis, at > 0 ? at - 1 : null, s.registry), section), origin);
  if (r.ok && r.added.length) s.select(r.added[0], origin);
  return r;
}

/** Move the selected rows one place up or down (several as one block): one undo step. */
export function moveRows(layers: number[], direction: -1 | 1, origin: Origin = 'canvas') {
  const sorted = [...new Set(layers)].sort((a, b) => a - b);
  if (!sorted.length) return null;
  const to = sorted[0] + direction;
  const s = editorStore.getState();
  if (to < 0 || to + sorted.length > s.analysis.layers.length) return null;
  const r = run(moveLayers(sorted, to), origin);
  if (r.ok) s.setMulti(sorted.map((i) => r.mapping[i]).filter((i): i is number => i !== null));
  return r;
}

/** Rewire by handle drag: `target` reads `source` too (a Concat gets one more input). */
export function connectLayers(source: number, target: number, origin: Origin = 'canvas') {
  if (source >= target || target < 0) return null;
  const ref = source === target - 1 || (target === 0 && source === -1) ? -1 : source;
  return run(addInput(target, ref), origin);
}

/** An input edge dragged away: `target` stops reading its input at `position`. */
export const disconnectInput = (target: number, position: number, origin: Origin = 'canvas') =>
  run(removeInput(target, position), origin);

/** An input edge dragged from one layer's input onto another's: one undo step. */
export function moveInput(
  target: number,
  position: number,
  source: number,
  newTarget: number,
  origin: Origin = 'canvas',
) {
  if (source >= newTarget) return null;
  const ref = source === newTarget - 1 ? -1 : source;
  return run(
    batch(
      [
        { type: 'removeInput', layer: target, position },
        { type: 'addInput', layer: newTarget, ref },
      ],
      msg('label.move-input', { layer: target, to: newTarget }),
    ),
    origin,
  );
}
export const duplicate = (i: number, origin: Origin = 'canvas') => run(duplicateLayer(i), origin);
export const setModule = (i: number, module: string) => run(changeModule(i, module), 'inspector');
export const editArg = (i: number, index: number, value: string) => run(setArg(i, index, value), 'inspector');
export const editRepeats = (i: number, n: number) => run(setRepeats(i, n), 'inspector');
export const rewire = (i: number, from: number | number[], origin: Origin = 'inspector') =>
  run(setFrom(i, from), origin);
export const editHeader = (key: HeaderKey, value: string) => run(setHeader(key, value), 'inspector');
export const scaleTo = (scale: Scale) => run(applyScale(scale), 'inspector');

/** `from` typed in a field: `-1`, `[-1, 6]`, `6, -1`. */
export function parseFrom(text: string): number | number[] | null {
  const parts = text
    .replace(/[[\]\s]/g, '')
    .split(',')
    .filter(Boolean);
  if (!parts.length || parts.some((p) => !/^-?\d+$/.test(p))) return null;
  const ns = parts.map(Number);
  return ns.length === 1 && !text.includes('[') ? ns[0] : ns;
}

export const fromText = (v: unknown) => repr(v as never);
