/**
 * The compare view's state, apart from the editor's: what the document is compared with, the table's
 * filter, whether the two graphs pan together, and a picked layer of A that B does not have (a layer
 * B has is selected in the editor itself). Opening another document or going back to the start screen
 * ends the comparison.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { editorStore, type EditorState } from '../store/editor.ts';

/** What the document is compared with: its last saved text (followed live), a file or a template. */
export type Other = { kind: 'saved' } | { kind: 'file' | 'template'; name: string; text: string };

/** Who picked: the table, one of the graphs, or the editor (YAML pane, inspector, find). */
export type RevealFrom = 'table' | 'a' | 'b' | 'editor';

export interface CompareState {
  other: Other | null;
  changedOnly: boolean;
  /** The two graphs share one viewport (pan and zoom together). */
  linked: boolean;
  /** A layer of A picked in the view (when it has no partner in B, nothing is selected in the editor). */
  pickedA: number | null;
  /** A request to bring the pick into view; `from` is who asked (that one does not move). */
  reveal: { seq: number; from: RevealFrom };
  open(other: Other): void;
  close(): void;
  setChangedOnly(on: boolean): void;
  setLinked(on: boolean): void;
  /** Pick a layer on one side: a layer of B (or A's partner in B) becomes the editor's selection. */
  pick(side: 'a' | 'b', i: number, partnerInB: number | null, from: RevealFrom): void;
  /** Ask the graphs and the table to bring the current pick into view. */
  revealPick(from: RevealFrom): void;
}

export function createCompareStore(editor: StoreApi<EditorState> = editorStore): StoreApi<CompareState> {
  const store = createStore<CompareState>((set, get) => ({
    other: null,
    changedOnly: false,
    linked: true,
    pickedA: null,
    reveal: { seq: 0, from: 'table' },
    open(other) {
      if (editor.getState().inside !== null) editor.getState().lookInside(null);
      set({ other, pickedA: null });
    },
    close() {
      set({ other: null, pickedA: null });
    },
    setChangedOnly(on) {
      set({ changedOnly: on });
    },
    setLinked(on) {
      set({ linked: on });
    },
    pick(side, i, partnerInB, from) {
      const b = side === 'b' ? i : partnerInB;
      set({ pickedA: b === null ? i : null, reveal: { seq: get().reveal.seq + 1, from } });
      editor.getState().select(b, 'canvas');
    },
    revealPick(from) {
      set({ reveal: { seq: get().reveal.seq + 1, from } });
    },
  }));
  editor.subscribe((s, prev) => {
    const st = store.getState();
    // the editor selected a layer some other way (YAML pane, inspector, find): it wins over a picked A layer
    if (st.pickedA !== null && s.selected !== null && s.selected !== prev.selected) store.setState({ pickedA: null });
    if (!st.other) return;
    const opened = s.doc !== prev.doc && s.textOrigin === 'load' && s.text === s.savedText && !s.canUndo;
    if (s.screen !== 'editor' || opened) store.getState().close();
  });
  return store;
}

export const compareStore = createCompareStore();

export function useCompare<T>(selector: (s: CompareState) => T): T {
  return useStore(compareStore, selector);
}
