/**
 * The editor's state. The YAML text is the truth; the parsed source and the analysis (shapes, parameters,
 * diagnostics) are derived from it by src/core on every change. Everything on screen reads from here.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { msg, unreadableProblem, type Message, type ModelSource, type Registry } from '../../src/core/index.ts';
import { libraryStore } from '../modules/library.ts';
import { rowMapping } from './row-mapping.ts';
import { layoutByScale } from '../canvas/arrange.ts';
import {
  forgetPinned,
  keepPinned,
  openingPlacement,
  placementAfterEdit,
  rowTexts,
  saveLayoutMode,
  savedLayoutMode,
  type XY,
} from './positions.ts';
import {
  History,
  analyzeDoc,
  command,
  minimalChange,
  openDoc,
  type EditDoc,
  type IndexMap,
} from '../../src/core/edit/index.ts';
import type { EditorState, FileRef, Origin } from './editor-state.ts';

export type { EditorState, FileRef, Origin, XY };

export function derive(doc: EditDoc, imgsz: number, registry?: Registry, scale?: string | null) {
  const t0 = performance.now();
  const analysis = analyzeDoc(doc, { imgsz, registry, ...(scale ? { scale } : {}) });
  performance.measure?.('ya:analyze', { start: t0, end: performance.now() });
  return { source: doc.source, analysis };
}

/** Ms of quiet after which the next keystroke starts a new undo step. */
export const TYPING_BURST_MS = 800;

export { rowTexts };
/** The analysis the canvas, settings and totals show: the last readable one while the text does not parse. */
export const shownAnalysis = (s: Pick<EditorState, 'stale' | 'lastGood' | 'analysis'>) =>
  s.stale && s.lastGood ? s.lastGood.analysis : s.analysis;
const fileKey = (f: FileRef) => f.path ?? f.name;
/**
 * Which layer became which between the last readable document and a readable one again after unreadable text
 * (rows matched by their text): edits through text that does not parse carry no row identities.
 */
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
    /** Positions each document was shown with (undo and redo put restored nodes back where they were). */
    let shownPositions = new WeakMap<EditDoc, Record<number, XY>>();
    const apply = (doc: EditDoc, origin: Origin, given?: IndexMap) => {
      const s = get();
      const { source, analysis } = derive(doc, s.imgsz, s.registry, s.scale);
      if (unreadableProblem(source.diagnostics)) {
        // keep the picture: the last readable document stays on the canvas (dimmed), its nodes where they are
        set({
          doc,
          text: doc.text,
          source,
          analysis,
          textOrigin: origin,
          stale: true,
          lastGood: s.stale ? s.lastGood : { doc: s.doc, source: s.source, analysis: s.analysis },
          canUndo: history.canUndo,
          canRedo: history.canRedo,
        });
        return;
      }
      // back from unreadable text: rows are matched against the last readable document, not the broken one
      const mapping = s.stale && s.lastGood ? typedMapping(s.lastGood.doc, doc) : given;
      const { positions, pinned } = placementAfterEdit(s, analysis, s.layoutMode, mapping, shownPositions.get(doc));
      shownPositions.set(doc, positions);
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
        positions,
        pinned,
        stale: false,
        lastGood: null,
        selected,
        canUndo: history.canUndo,
        canRedo: history.canRedo,
      });
    };
    const notify = (message: Message, error = false) =>
      set({ message: { message, error, seq: (get().message?.seq ?? 0) + 1 } });
    return {
      screen: 'start',
      file: { name: 'untitled.yaml' },
      docSerial: 0,
      text: '',
      savedText: '',
      savedParams: null,
      imgsz: 640,
      scale: null,
      doc: initialDoc,
      source: initial.source,
      analysis: initial.analysis,
      registry,
      lineage: [],
      ...freshView(),
      reveal: { layer: null, offset: null, seq: 0 },
      layoutSeq: 0,
      layoutMode: savedLayoutMode(),

      setClassNames(names) {
        set({ classNames: names });
      },

      notify,

      resetLineage() {
        lineages = new WeakMap();
        const lineage = get().doc.source.rows.map((_, i) => i);
        lineages.set(get().doc, lineage);
        set({ lineage });
      },

      setRegistry(registry) {
        const s = get();
        if (s.registry === registry) return;
        const { source, analysis } = derive(s.doc, s.imgsz, registry, s.scale);
        set({ registry, source, analysis, ...placementAfterEdit(s, analysis, s.layoutMode, undefined, undefined) });
      },

      openDocument(file, opts) {
        const doc = openDoc(file.text, file.name);
        history = new History(doc);
        typingOpen = false;
        const imgsz = opts?.imgsz ?? get().imgsz;
        lineages = new WeakMap([[doc, doc.source.rows.map((_, i) => i)]]);
        shownPositions = new WeakMap();
        const { source, analysis } = derive(doc, imgsz, get().registry);
        // by scale: laid out now (drawn in place in the first frame); compact: the canvas asks ELK
        const { positions, pinned } = openingPlacement(fileKey(file), doc, analysis, get().layoutMode);
        set({
          screen: 'editor',
          docSerial: get().docSerial + 1,
          file: { name: file.name, ...(file.path ? { path: file.path } : {}) },
          doc,
          text: file.text,
          savedText: file.text,
          savedParams: analysis.params,
          lineage: lineages.get(doc)!,
          imgsz,
          scale: null,
          source,
          analysis,
          ...freshView(),
          positions,
          pinned,
          layoutSeq: get().layoutSeq + 1,
        });
        if (unreadableProblem(source.diagnostics)) set({ stale: false, lastGood: null });
        else shownPositions.set(doc, positions);
      },

      editText(changes, origin) {
        const t = now();
        const t0 = performance.now();
        // a continuing burst of typing folds into its own history entry: one undo step per burst
        const r = history.perform(command({ type: 'editText', changes }), {
          registry: get().analysis.registry,
          merge: typingOpen && t - typingAt <= TYPING_BURST_MS,
        });
        performance.measure?.('ya:parse', { start: t0, end: performance.now() });
        if (!r.ok) {
          notify(r.error ?? msg('toast.not-possible', { label: msg('label.edit-yaml') }), true);
          return;
        }
        if (!r.history) return;
        typingOpen = true;
        typingAt = t;
        apply(r.doc, origin, r.mapping);
      },

      setText(text, origin) {
        const s = get();
        if (text !== s.text) s.editText([minimalChange(s.text, text)], origin);
      },

      perform(cmd, origin) {
        typingOpen = false;
        // the command as handed, naming modules as the analysis did (the model family's modules and the
        // libraries'), labelled for the document it applies to ("Replace layer 4 C3 with C3_Res2Block")
        const r = history.perform(cmd, { registry: get().analysis.registry });
        if (!r.ok) {
          notify(r.error ?? msg('toast.not-possible', { label: cmd.label }), true);
          return r;
        }
        if (r.history) {
          apply(r.doc, origin, r.mapping);
          notify(history.undoLabels[history.undoLabels.length - 1] ?? cmd.label);
        }
        return r;
      },

      undo() {
        typingOpen = false;
        const step = history.undo();
        if (step) {
          apply(step.doc, 'history', step.mapping);
          notify(msg('toast.undo', { label: step.label }));
        }
      },

      redo() {
        typingOpen = false;
        const step = history.redo();
        if (step) {
          apply(step.doc, 'history', step.mapping);
          notify(msg('toast.redo', { label: step.label }));
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
        const s = get();
        // hand-placed nodes follow the file to its new name, for the rows as saved
        if (!s.stale) keepPinned(fileKey(file), s.doc, s);
        set({
          file: { name: file.name, ...(file.path ? { path: file.path } : {}) },
          savedText: get().text,
          savedParams: get().analysis.params,
        });
      },

      setImgsz(imgsz) {
        const s = get();
        const { source, analysis } = derive(s.doc, imgsz, s.registry, s.scale);
        set({ imgsz, source, analysis });
      },

      setScale(scale) {
        const s = get();
        if (s.scale === scale) return;
        const { source, analysis } = derive(s.doc, s.imgsz, s.registry, scale);
        // "since save" compares with the saved text at the same scale
        const saved =
          s.savedText === s.text
            ? analysis
            : derive(openDoc(s.savedText, s.file.name), s.imgsz, s.registry, scale).analysis;
        set({ scale, source, analysis, savedParams: saved.params });
      },

      setPositions(moved, pin = false) {
        const s = get();
        const positions = { ...s.positions, ...moved };
        if (!pin) {
          set({ positions });
          return;
        }
        const pinned = { ...s.pinned };
        for (const k of Object.keys(moved)) pinned[Number(k)] = true;
        set({ positions, pinned });
        if (!s.stale) keepPinned(fileKey(s.file), s.doc, { positions, pinned });
      },

      relayout() {
        const s = get();
        forgetPinned(fileKey(s.file));
        const a = shownAnalysis(s);
        shownPositions = new WeakMap();
        // by scale: now; compact: the canvas asks ELK (layoutSeq also asks it to fit the view)
        set({
          positions: s.layoutMode === 'scale' ? layoutByScale(a).positions : {},
          pinned: {},
          layoutSeq: s.layoutSeq + 1,
        });
      },

      setLayoutMode(mode) {
        saveLayoutMode(mode);
        set({ layoutMode: mode });
        get().relayout();
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
  | 'pinned'
  | 'stale'
  | 'lastGood'
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
    pinned: {},
    stale: false,
    lastGood: null,
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
