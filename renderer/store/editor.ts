/**
 * The editor's state. The YAML text is the truth; the parsed source and the analysis (shapes, parameters,
 * diagnostics) are derived from it by src/core on every change. Everything on screen reads from here.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ModelAnalysis, ModelSource, Registry } from '../../src/core/index.ts';
import { libraryStore } from '../modules/library.ts';
import { rowMapping } from './row-mapping.ts';
import {
  History,
  analyzeDoc,
  command,
  openDoc,
  type Command,
  type CommandResult,
  type EditDoc,
  type IndexMap,
} from '../../src/core/edit/index.ts';

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
  /** Selected layer index (the one the inspector and the YAML pane follow). */
  selected: number | null;
  /** Every selected layer (multi-select on the canvas), the primary one included. */
  multi: number[];
  setMulti(layers: number[]): void;
  selectionOrigin: Origin;
  /** A request to bring a layer (and a text offset) into view; seq changes on every request. */
  reveal: { layer: number | null; offset: number | null; seq: number };
  /** Canvas positions by layer index (manual drags and layout results). */
  positions: Record<number, XY>;
  /** Bumped to ask the canvas for a fresh automatic layout. */
  layoutSeq: number;
  /** The last layout request was "tidy layout" (ignore positions saved by hand). */
  tidyLayout: boolean;
  /** Layer whose inside is shown (look inside), or null for the model graph. */
  inside: number | null;
  canUndo: boolean;
  canRedo: boolean;
  /** Last change's origin, so the YAML pane knows not to re-apply its own typing. */
  textOrigin: Origin;
  /** The document as the editing engine holds it (text + parse). */
  doc: EditDoc;
  /** Label of the last edit, or why the last edit could not apply. */
  message: { text: string; error: boolean; seq: number } | null;
  /** Class names from the model or an opened dataset YAML (for the run panel's labels). */
  classNames: string[] | null;
  setClassNames(names: string[] | null): void;
  /** Show a message in the toast (an error stays longer). */
  notify(text: string, error?: boolean): void;
  /**
   * Where each layer of the lineage base (the document as opened, or when weights were last chosen) is now:
   * the edits' mappings composed (null: deleted). The run panel's transfer load moves weights with it.
   */
  lineage: IndexMap;
  /** Start a new lineage at the current document (weights chosen now fit it as it is). */
  resetLineage(): void;
  /** The modules a config can use: built-ins plus the module libraries (renderer/modules/library.ts). */
  registry: Registry;
  /** New libraries: re-analyse the document with them (no undo step: the text did not change). */
  setRegistry(registry: Registry): void;

  openDocument(file: FileRef & { text: string }, opts?: { imgsz?: number }): void;
  /** Replace the text as typed in the YAML pane (one undo step per burst of typing). */
  setText(text: string, origin: Origin): void;
  /** Perform an editing command (src/core/edit) on the document: one undo step. */
  perform(cmd: Command, origin: Origin): CommandResult;
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

export function derive(doc: EditDoc, imgsz: number, registry?: Registry) {
  const t0 = performance.now();
  const analysis = analyzeDoc(doc, { imgsz, registry });
  performance.measure?.('ya:analyze', { start: t0, end: performance.now() });
  return { source: doc.source, analysis };
}

/** Ms of quiet after which the next keystroke starts a new undo step. */
export const TYPING_BURST_MS = 800;

const TYPING = { name: 'typeText', label: 'Typing' };

const rowTexts = (d: EditDoc) => d.source.rows.map((r) => d.text.slice(r.range[0], r.range[1]).replace(/\s+/g, ''));
/** Which layer became which across a typed edit (rows matched by their text). */
const typedMapping = (before: EditDoc, after: EditDoc): IndexMap => rowMapping(rowTexts(before), rowTexts(after));

export function createEditorStore(
  now: () => number = () => Date.now(),
  registry: Registry = libraryStore.getState().registry,
): StoreApi<EditorState> {
  let history = new History(openDoc('', 'untitled.yaml'));
  /** The open typing burst: when it was last extended. */
  let typingAt = -Infinity;
  let typingOpen = false;
  const initialDoc = openDoc('', 'untitled.yaml');
  /** Each document's lineage (documents are immutable; history gives the same objects back). */
  let lineages = new WeakMap<EditDoc, IndexMap>();
  const initial = derive(initialDoc, 640, registry);
  return createStore<EditorState>((set, get) => {
    const apply = (doc: EditDoc, origin: Origin, mapping?: IndexMap) => {
      const s = get();
      const { source, analysis } = derive(doc, s.imgsz, s.registry);
      const positions: Record<number, XY> = {};
      if (mapping) {
        for (const [k, p] of Object.entries(s.positions)) {
          const to = mapping[Number(k)];
          if (to !== undefined && to !== null && to >= 0) positions[to] = p;
        }
      }
      let selected = s.selected;
      if (selected !== null && mapping) selected = mapping[selected] ?? null;
      if (selected !== null && (selected < 0 || selected >= analysis.layers.length)) selected = null;
      const multi = (mapping ? s.multi.map((i) => mapping[i] ?? null) : s.multi).filter(
        (i): i is number => i !== null && i >= 0 && i < analysis.layers.length,
      );
      // a document seen before (undo, redo) has its lineage back, deleted layers included
      const lineage =
        lineages.get(doc) ?? (mapping ? s.lineage.map((i) => (i === null ? null : (mapping[i] ?? null))) : s.lineage);
      lineages.set(doc, lineage);
      set({
        lineage,
        multi,
        doc,
        text: doc.text,
        source,
        analysis,
        textOrigin: origin,
        positions: mapping ? positions : s.positions,
        selected,
        canUndo: history.canUndo,
        canRedo: history.canRedo,
      });
    };
    const say = (text: string, error: boolean) => set({ message: { text, error, seq: (get().message?.seq ?? 0) + 1 } });
    return {
      screen: 'start',
      file: { name: 'untitled.yaml' },
      text: '',
      savedText: '',
      savedParams: null,
      imgsz: 640,
      doc: initialDoc,
      source: initial.source,
      analysis: initial.analysis,
      registry,
      lineage: [],
      ...freshView(),
      reveal: { layer: null, offset: null, seq: 0 },
      layoutSeq: 0,

      setClassNames(names) {
        set({ classNames: names });
      },

      notify(text, error = false) {
        say(text, error);
      },

      resetLineage() {
        lineages = new WeakMap();
        const lineage = get().doc.source.rows.map((_, i) => i);
        lineages.set(get().doc, lineage);
        set({ lineage });
      },

      setRegistry(registry) {
        const s = get();
        if (s.registry === registry) return;
        const { source, analysis } = derive(s.doc, s.imgsz, registry);
        set({ registry, source, analysis });
      },

      openDocument(file, opts) {
        const doc = openDoc(file.text, file.name);
        history = new History(doc);
        typingOpen = false;
        const imgsz = opts?.imgsz ?? get().imgsz;
        lineages = new WeakMap([[doc, doc.source.rows.map((_, i) => i)]]);
        const { source, analysis } = derive(doc, imgsz, get().registry);
        set({
          screen: 'editor',
          file: { name: file.name, ...(file.path ? { path: file.path } : {}) },
          doc,
          text: file.text,
          savedText: file.text,
          savedParams: analysis.params,
          lineage: lineages.get(doc)!,
          imgsz,
          source,
          analysis,
          ...freshView(),
          layoutSeq: get().layoutSeq + 1,
        });
      },

      setText(text, origin) {
        const s = get();
        if (text === s.text) return;
        const t = now();
        const t0 = performance.now();
        const doc = openDoc(text, s.file.name);
        performance.measure?.('ya:parse', { start: t0, end: performance.now() });
        const mapping = typedMapping(history.current, doc);
        // a continuing burst of typing folds into its own history entry: one undo step per burst
        history.record(
          TYPING,
          { ok: true, doc, mapping, added: [], history: true },
          { merge: typingOpen && t - typingAt <= TYPING_BURST_MS },
        );
        typingOpen = true;
        typingAt = t;
        apply(doc, origin, mapping);
      },

      perform(cmd, origin) {
        typingOpen = false;
        // commands resolve module names with the editor's registry (custom modules included)
        const r = history.perform({
          ...command(cmd.spec, { registry: get().registry }),
          name: cmd.name,
          label: cmd.label,
        });
        if (!r.ok) {
          say(r.error ?? `${cmd.label}: not possible`, true);
          return r;
        }
        if (r.history) {
          apply(r.doc, origin, r.mapping);
          say(cmd.label, false);
        }
        return r;
      },

      undo() {
        typingOpen = false;
        const step = history.undo();
        if (step) {
          apply(step.doc, 'history', step.mapping);
          say(`Undo: ${step.label}`, false);
        }
      },

      redo() {
        typingOpen = false;
        const step = history.redo();
        if (step) {
          apply(step.doc, 'history', step.mapping);
          say(`Redo: ${step.label}`, false);
        }
      },

      select(layer, origin) {
        if (get().selected === layer) return;
        set({ selected: layer, selectionOrigin: origin, multi: layer === null ? [] : [layer] });
      },

      setMulti(layers) {
        const cur = get().multi;
        const next = [...new Set(layers)].sort((a, b) => a - b);
        if (next.length === cur.length && next.every((v, k) => v === cur[k])) return;
        const s = get();
        set({
          multi: next,
          ...(s.selected !== null && next.includes(s.selected)
            ? {}
            : { selected: next[0] ?? null, selectionOrigin: 'canvas' as Origin }),
        });
      },

      revealLayer(layer, offset = null) {
        set({ reveal: { layer, offset, seq: get().reveal.seq + 1 } });
      },

      markSaved(file) {
        set({
          file: { name: file.name, ...(file.path ? { path: file.path } : {}) },
          savedText: get().text,
          savedParams: get().analysis.params,
        });
      },

      setImgsz(imgsz) {
        const s = get();
        const { source, analysis } = derive(s.doc, imgsz, s.registry);
        set({ imgsz, source, analysis });
      },

      setPositions(positions) {
        set({ positions: { ...get().positions, ...positions } });
      },

      relayout() {
        set({ positions: {}, layoutSeq: get().layoutSeq + 1, tidyLayout: true });
      },

      lookInside(layer) {
        set({ inside: layer });
      },

      closeDocument() {
        history = new History(openDoc('', 'untitled.yaml'));
        typingOpen = false;
        set({ screen: 'start', inside: null, selected: null, multi: [], canUndo: false, canRedo: false });
      },
    };
  });
}

/** What a newly opened (or no) document starts with: no selection, no positions, no history, no messages. */
function freshView(): Pick<
  EditorState,
  | 'selected'
  | 'multi'
  | 'selectionOrigin'
  | 'positions'
  | 'tidyLayout'
  | 'inside'
  | 'canUndo'
  | 'canRedo'
  | 'textOrigin'
  | 'message'
  | 'classNames'
> {
  return {
    selected: null,
    multi: [],
    selectionOrigin: 'load',
    positions: {},
    tidyLayout: false,
    inside: null,
    canUndo: false,
    canRedo: false,
    textOrigin: 'load',
    message: null,
    classNames: null,
  };
}

export const editorStore = createEditorStore();
// the libraries changed (a module saved in the module editor, a NAME.modules.yaml opened): analyse again
libraryStore.subscribe((s, prev) => {
  if (s.registry !== prev.registry) editorStore.getState().setRegistry(s.registry);
});

export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(editorStore, selector);
}

/** The layer whose row contains a text offset, or null. */
export function layerAtOffset(source: ModelSource, offset: number): number | null {
  for (const r of source.rows) if (offset >= r.range[0] && offset <= r.range[1]) return r.index;
  return null;
}
