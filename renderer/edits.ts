/**
 * UI gestures as the editing engine's commands (src/core/edit). This file only chooses which command and
 * with which arguments; the edits themselves (splicing, renumbering, mappings, history) are the engine's.
 */
import { defaultRegistry, isInt, repr, type ModelAnalysis, type Registry } from '../src/core/index.ts';
import {
  batch,
  changeModule,
  deleteLayers,
  duplicateLayer,
  insertLayer,
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
  return coreNewRowText(def, widthIn);
}

const run = (cmd: Parameters<ReturnType<typeof editorStore.getState>['perform']>[0], origin: Origin) =>
  editorStore.getState().perform(cmd, origin);

/** Insert a module so that it becomes layer `at` (between `at - 1` and the old `at`). */
export function insertModuleAt(module: string, at: number, origin: Origin = 'palette') {
  const s = editorStore.getState();
  const r = run(insertLayer(at, newRowText(module, s.analysis, at > 0 ? at - 1 : null, s.registry)), origin);
  if (r.ok && r.added.length) s.select(r.added[0], origin);
  return r;
}

export const deleteLayer = (i: number, origin: Origin = 'canvas') => run(deleteLayers(i), origin);
export const deleteMany = (layers: number[], origin: Origin = 'canvas') => run(deleteLayers(...layers), origin);

/** The canvas clipboard: rows as their YAML text (also put on the system clipboard as text). */
let clipboard: string[] = [];

/** Copy the rows of `layers` as written. */
export function copyLayers(layers: number[]): string[] {
  const s = editorStore.getState();
  clipboard = [...layers]
    .sort((a, b) => a - b)
    .map((i) => s.source.rows[i])
    .filter(Boolean)
    .map((r) => s.text.slice(r.range[0], r.range[1]));
  void globalThis.navigator?.clipboard?.writeText(clipboard.join('\n')).catch(() => undefined);
  return clipboard;
}

/** Paste copied rows after layer `after` (at the end when null): one undo step. */
export function pasteLayers(after: number | null, rows: string[] = clipboard, origin: Origin = 'canvas') {
  if (!rows.length) return null;
  const s = editorStore.getState();
  const at = after === null ? s.analysis.layers.length : after + 1;
  const r = run(
    batch(
      rows.map((row, k) => ({ type: 'insert' as const, at: at + k, row })),
      rows.length === 1 ? undefined : `Paste ${rows.length} layers`,
    ),
    origin,
  );
  if (r.ok && r.added.length) s.setMulti(r.added);
  return r;
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
