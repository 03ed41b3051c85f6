/**
 * The editor's state. The YAML text is the truth; the parsed source and the analysis (shapes, parameters,
 * diagnostics) are derived from it by src/core on every change. Everything on screen reads from here.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { analyze, parseModelText, type ModelAnalysis, type ModelSource } from '../../src/core/index.ts';
import { TextHistory } from './history.ts';

export interface FileRef {
  name: string;
  path?: string;
}

export interface XY {
  x: number;
  y: number;
}

/** Who changed the text or the selection (so a pane does not echo its own change back). */
export type Origin = 'yaml' | 'canvas' | 'problems' | 'inspector' | 'palette' | 'history' | 'load' | 'find';

export interface EditorState {
  /** Start screen or editor. */
  screen: 'start' | 'editor';
  file: FileRef;
  text: string;
  /** Text at the last open or save (the "unsaved" mark and the change since save compare to it). */
  savedText: string;
  savedParams: number | null;
  imgsz: number;
  source: ModelSource;
  analysis: ModelAnalysis;
  /** Selected layer index. */
  selected: number | null;
  selectionOrigin: Origin;
  /** A request to bring a layer (and a text offset) into view; seq changes on every request. */
  reveal: { layer: number | null; offset: number | null; seq: number };
  /** Canvas positions by layer index (manual drags and layout results). */
  positions: Record<number, XY>;
  /** Bumped to ask the canvas for a fresh automatic layout. */
  layoutSeq: number;
  /** Layer whose inside is shown (look inside), or null for the model graph. */
  inside: number | null;
  canUndo: boolean;
  canRedo: boolean;
  /** Last change's origin, so the YAML pane knows not to re-apply its own typing. */
  textOrigin: Origin;

  openDocument(file: FileRef & { text: string }, opts?: { imgsz?: number }): void;
  /** Replace the text (typing, or the result of an edit command). `mapping[old] = new` (-1: gone). */
  setText(text: string, origin: Origin, mapping?: number[]): void;
  undo(): void;
  redo(): void;
  select(layer: number | null, origin: Origin): void;
  revealLayer(layer: number | null, offset?: number | null): void;
  markSaved(file: FileRef): void;
  setImgsz(imgsz: number): void;
  setPositions(positions: Record<number, XY>): void;
  relayout(): void;
  lookInside(layer: number | null): void;
  closeDocument(): void;
}

export function derive(text: string, file: string, imgsz: number) {
  const source = parseModelText(text, file);
  const analysis = analyze(source, { imgsz });
  return { source, analysis };
}

/** Ms of quiet after which the next keystroke starts a new undo step. */
export const TYPING_BURST_MS = 800;

export function createEditorStore(now: () => number = () => Date.now()): StoreApi<EditorState> {
  const history = new TextHistory(TYPING_BURST_MS, now);
  const initial = derive('', 'untitled.yaml', 640);
  return createStore<EditorState>((set, get) => {
    const apply = (text: string, origin: Origin, mapping?: number[]) => {
      const s = get();
      const { source, analysis } = derive(text, s.file.name, s.imgsz);
      const positions: Record<number, XY> = {};
      if (mapping) {
        for (const [k, p] of Object.entries(s.positions)) {
          const to = mapping[Number(k)];
          if (to !== undefined && to >= 0) positions[to] = p;
        }
      }
      let selected = s.selected;
      if (selected !== null && mapping) selected = mapping[selected] ?? null;
      if (selected !== null && (selected < 0 || selected >= analysis.layers.length)) selected = null;
      set({
        text,
        source,
        analysis,
        textOrigin: origin,
        positions: mapping ? positions : s.positions,
        selected,
        canUndo: history.canUndo,
        canRedo: history.canRedo,
      });
    };
    return {
      screen: 'start',
      file: { name: 'untitled.yaml' },
      text: '',
      savedText: '',
      savedParams: null,
      imgsz: 640,
      source: initial.source,
      analysis: initial.analysis,
      selected: null,
      selectionOrigin: 'load',
      reveal: { layer: null, offset: null, seq: 0 },
      positions: {},
      layoutSeq: 0,
      inside: null,
      canUndo: false,
      canRedo: false,
      textOrigin: 'load',

      openDocument(file, opts) {
        history.reset();
        const imgsz = opts?.imgsz ?? get().imgsz;
        const { source, analysis } = derive(file.text, file.name, imgsz);
        set({
          screen: 'editor',
          file: { name: file.name, ...(file.path ? { path: file.path } : {}) },
          text: file.text,
          savedText: file.text,
          savedParams: analysis.params,
          imgsz,
          source,
          analysis,
          selected: null,
          selectionOrigin: 'load',
          positions: {},
          layoutSeq: get().layoutSeq + 1,
          inside: null,
          canUndo: false,
          canRedo: false,
          textOrigin: 'load',
        });
      },

      setText(text, origin, mapping) {
        const s = get();
        if (text === s.text) return;
        history.record(s.text, text, origin === 'yaml' ? 'typing' : 'step', mapping);
        apply(text, origin, mapping);
      },

      undo() {
        const step = history.undo(get().text);
        if (step) apply(step.text, 'history', step.mapping);
      },

      redo() {
        const step = history.redo(get().text);
        if (step) apply(step.text, 'history', step.mapping);
      },

      select(layer, origin) {
        if (get().selected === layer) return;
        set({ selected: layer, selectionOrigin: origin });
      },

      revealLayer(layer, offset = null) {
        set({ reveal: { layer, offset, seq: get().reveal.seq + 1 } });
      },

      markSaved(file) {
        set({ file: { name: file.name, ...(file.path ? { path: file.path } : {}) }, savedText: get().text, savedParams: get().analysis.params });
      },

      setImgsz(imgsz) {
        const s = get();
        const { source, analysis } = derive(s.text, s.file.name, imgsz);
        set({ imgsz, source, analysis });
      },

      setPositions(positions) {
        set({ positions: { ...get().positions, ...positions } });
      },

      relayout() {
        set({ positions: {}, layoutSeq: get().layoutSeq + 1 });
      },

      lookInside(layer) {
        set({ inside: layer });
      },

      closeDocument() {
        history.reset();
        set({ screen: 'start', inside: null, selected: null });
      },
    };
  });
}

export const editorStore = createEditorStore();

export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(editorStore, selector);
}

/** The layer whose row contains a text offset, or null. */
export function layerAtOffset(source: ModelSource, offset: number): number | null {
  for (const r of source.rows) if (offset >= r.range[0] && offset <= r.range[1]) return r.index;
  return null;
}
