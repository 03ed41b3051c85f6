/**
 * What the canvas's menus, keys and clipboard do: each entry one gesture of renderer/edits.ts (the editing
 * engine's commands), the same the palette, the inspector and the toolbar use.
 */
import { editorStore, shownAnalysis } from '../store/editor.ts';
import {
  copyLayers,
  deleteMany,
  disconnectInput,
  duplicate,
  insertModuleAt,
  insertOnEdgeAt,
  moveRows,
  pasteLayers,
  replaceLayer,
} from '../edits.ts';
import type { MenuItem, MenuTarget } from './ContextMenu.tsx';

/** The layers a gesture on layer `i` acts on: the whole selection when `i` is part of it. */
export function targetsOf(i: number): number[] {
  const { multi } = editorStore.getState();
  return multi.length > 1 && multi.includes(i) ? multi : [i];
}

/** Selected layers, the primary one first. */
export function selection(): number[] {
  const { selected, multi } = editorStore.getState();
  return multi.length ? multi : selected !== null ? [selected] : [];
}

/** Put text on the system clipboard (where the page may), keeping it for this page in any case. */
async function toClipboard(text: string) {
  try {
    await globalThis.navigator?.clipboard?.writeText(text);
  } catch {
    // the page may not write the clipboard: the canvas keeps its own copy (copyLayers)
  }
}

/** Text from the system clipboard, else what this page copied last. */
async function fromClipboard(): Promise<string | null> {
  try {
    const text = await globalThis.navigator?.clipboard?.readText();
    if (text) return text;
  } catch {
    // not allowed: fall back to the canvas's own copy
  }
  return null;
}

const afterSelection = () => {
  const sel = selection();
  return sel.length ? Math.max(...sel) : null;
};

export function pasteFromClipboard() {
  void fromClipboard().then((text) => pasteLayers(afterSelection(), text ?? undefined));
}

export const selectInputs = (i: number) => {
  const a = shownAnalysis(editorStore.getState());
  const ins = (a.layers[i]?.inputs ?? []).filter((j) => j >= 0);
  if (ins.length) editorStore.getState().setMulti(ins);
};
export const selectOutputs = (i: number) => {
  const a = shownAnalysis(editorStore.getState());
  const outs = a.layers.filter((l) => l.inputs.includes(i)).map((l) => l.i);
  if (outs.length) editorStore.getState().setMulti(outs);
};

export function menuItems(target: MenuTarget, view: { fit(): void }): MenuItem[] {
  const s = editorStore.getState();
  const stale = s.stale;
  if (target.kind === 'node') {
    const i = target.layer;
    const many = targetsOf(i);
    const N = shownAnalysis(s).layers.length;
    return [
      { key: 'menuReplace', pick: true, disabled: stale, run: (m) => m && replaceLayer(i, m) },
      { key: 'menuInsertBefore', pick: true, disabled: stale, run: (m) => m && insertModuleAt(m, i, 'canvas') },
      { key: 'menuInsertAfter', pick: true, disabled: stale, run: (m) => m && insertModuleAt(m, i + 1, 'canvas') },
      { key: 'menuDuplicate', keys: 'Ctrl+D', disabled: stale, run: () => duplicate(i) },
      { key: 'menuDelete', keys: 'Del', disabled: stale, run: () => deleteMany(many) },
      { key: 'menuMoveUp', keys: 'Alt+↑', disabled: stale || Math.min(...many) === 0, run: () => moveRows(many, -1) },
      {
        key: 'menuMoveDown',
        keys: 'Alt+↓',
        disabled: stale || Math.max(...many) >= N - 1,
        run: () => moveRows(many, 1),
      },
      { key: 'menuLookInside', keys: 'Enter', run: () => editorStore.getState().lookInside(i) },
      { key: 'menuCopyRow', keys: 'Ctrl+C', disabled: stale, run: () => void toClipboard(copyLayers(many)) },
      { key: 'menuSelectInputs', run: () => selectInputs(i) },
      { key: 'menuSelectOutputs', run: () => selectOutputs(i) },
    ];
  }
  if (target.kind === 'edge') {
    const { source, target: to, position } = target;
    const reads = shownAnalysis(s).layers[to]?.inputs.length ?? 0;
    return [
      { key: 'menuInsert', pick: true, disabled: stale, run: (m) => m && insertOnEdgeAt(m, source, to, position) },
      { key: 'menuRemoveInput', disabled: stale || reads < 2, run: () => disconnectInput(to, position) },
    ];
  }
  return [
    { key: 'menuPaste', keys: 'Ctrl+V', disabled: stale, run: pasteFromClipboard },
    { key: 'relayout', run: () => editorStore.getState().relayout() },
    { key: 'fitView', run: view.fit },
    {
      key: 'layoutByScale',
      checked: s.layoutMode === 'scale',
      run: () => editorStore.getState().setLayoutMode('scale'),
    },
    {
      key: 'layoutCompact',
      checked: s.layoutMode === 'compact',
      run: () => editorStore.getState().setLayoutMode('compact'),
    },
  ];
}

/** The canvas's keys (outside text fields): delete, duplicate, move rows, look inside, clear the selection. */
export function canvasKey(e: React.KeyboardEvent, openMenu: () => void): void {
  if ((e.target as HTMLElement).closest('input, textarea, select, .cm-editor, .context-menu')) return;
  const s = editorStore.getState();
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
    e.preventDefault();
    openMenu();
    return;
  }
  if (e.key === 'Escape') {
    s.select(null, 'canvas');
    return;
  }
  const sel = selection();
  if (!sel.length || s.stale) return;
  if (e.key === 'Delete' || e.key === 'Backspace') deleteMany(sel);
  else if (mod && key === 'd') duplicate(s.selected ?? sel[0]);
  else if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) moveRows(sel, e.key === 'ArrowUp' ? -1 : 1);
  else if (e.key === 'Enter') s.lookInside(s.selected ?? sel[0]);
  else return;
  e.preventDefault();
}

/** Copy / cut: the selected layers as YAML rows on the clipboard (the browser's copy event carries them). */
export function canvasCopy(e: React.ClipboardEvent, cut: boolean) {
  if ((e.target as HTMLElement).closest('input, textarea, .cm-editor')) return;
  const sel = selection();
  if (!sel.length || editorStore.getState().stale) return;
  e.preventDefault();
  e.clipboardData.setData('text/plain', copyLayers(sel));
  if (cut) deleteMany(sel);
}

/** Paste: YAML rows from the clipboard (this canvas, the YAML pane, another document) after the selection. */
export function canvasPaste(e: React.ClipboardEvent) {
  if ((e.target as HTMLElement).closest('input, textarea, .cm-editor')) return;
  if (editorStore.getState().stale) return;
  const text = e.clipboardData.getData('text/plain');
  e.preventDefault();
  pasteLayers(afterSelection(), text || undefined);
}
