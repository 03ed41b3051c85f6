/**
 * The YAML pane (CodeMirror 6): typing edits the document (one undo step per burst, through the store),
 * the analysis's diagnostics show as inline marks, and the selected layer's lines are highlighted; moving
 * the cursor into a row selects its layer.
 */
import { useEffect, useRef } from 'react';
import { EditorView, Decoration, keymap, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { EditorState, StateEffect, StateField, Annotation, Prec, type Extension } from '@codemirror/state';
import { basicSetup } from 'codemirror';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import type { ModelAnalysis } from '../../src/core/index.ts';
import { minimalChange } from '../../src/core/edit/index.ts';
import { editorStore, layerAtOffset } from '../store/editor.ts';
import { useLang, type Lang } from '../i18n.ts';
import { messageText } from '../messages.ts';

/** Marks a transaction as coming from the store (not the user), so it is not echoed back. */
const external = Annotation.define<boolean>();

const setSelectedRange = StateEffect.define<[number, number] | null>();
const selectedLine = Decoration.line({ class: 'cm-selected-layer' });

const selectedField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setSelectedRange)) {
        if (!e.value) return Decoration.none;
        const [from, to] = e.value;
        const doc = tr.state.doc;
        const lines = [];
        for (
          let l = doc.lineAt(Math.min(from, doc.length)).number;
          l <= doc.lineAt(Math.min(to, doc.length)).number;
          l++
        )
          lines.push(selectedLine.range(doc.line(l).from));
        return Decoration.set(lines);
      }
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/**
 * Typing in the pane: the editor's changes go to the document as one editText command (core's, as every other
 * edit), so which layer became which is exact. Only when the pane's text is not the document's (CodeMirror
 * writes CRLF files with LF) is the whole text handed over.
 */
function typed(u: ViewUpdate) {
  const s = editorStore.getState();
  if (u.startState.doc.toString() !== s.text) {
    s.setText(u.state.doc.toString(), 'yaml');
    return;
  }
  const changes: { from: number; to: number; insert: string }[] = [];
  u.changes.iterChanges((from, to, _fromB, _toB, inserted) => changes.push({ from, to, insert: inserted.toString() }));
  s.editText(changes, 'yaml');
}

export function toCmDiagnostics(a: ModelAnalysis, docLength: number, lang: Lang = 'en'): CmDiagnostic[] {
  return a.diagnostics.map((d) => {
    let [from, to] = d.range ?? [0, 0];
    from = Math.max(0, Math.min(from, docLength));
    to = Math.max(from, Math.min(to, docLength));
    return { from, to, severity: d.severity, message: messageText(d.message, lang), source: d.code };
  });
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '12.5px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace' },
  '.cm-selected-layer': { backgroundColor: 'rgba(47, 111, 222, 0.12)' },
});

export function YamlPane({ label }: { label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);

  /** The editor in `host`, kept in step with the store; gives back what takes it down. */
  const makeEditor = (): (() => void) => {
    const s = editorStore.getState();
    const extensions: Extension[] = [
      basicSetup,
      yaml(),
      lintGutter(),
      selectedField,
      theme,
      // long rows and comments wrap: no sideways scrolling, so no line start is ever scrolled out of view
      EditorView.lineWrapping,
      // Undo and redo are the document's (one history for text and graph edits), not CodeMirror's own.
      Prec.highest(
        keymap.of([
          { key: 'Mod-z', run: () => (editorStore.getState().undo(), true), preventDefault: true },
          { key: 'Mod-Shift-z', run: () => (editorStore.getState().redo(), true), preventDefault: true },
          { key: 'Mod-y', run: () => (editorStore.getState().redo(), true), preventDefault: true },
        ]),
      ),
      EditorView.contentAttributes.of({ 'aria-label': `${label} editor` }),
      EditorView.updateListener.of((u) => {
        const fromStore = u.transactions.some((tr) => tr.annotation(external));
        if (u.docChanged && !fromStore) typed(u);
        if (u.selectionSet && !fromStore && u.view.hasFocus) {
          const st = editorStore.getState();
          const layer = layerAtOffset(st.source, u.state.selection.main.head);
          if (layer !== null) st.select(layer, 'yaml');
        }
      }),
    ];
    const view = new EditorView({ state: EditorState.create({ doc: s.text, extensions }), parent: host.current! });
    viewRef.current = view;
    const sync = (st: ReturnType<typeof editorStore.getState>, prev?: ReturnType<typeof editorStore.getState>) => {
      const cur = view.state.doc.toString();
      const effects: StateEffect<unknown>[] = [];
      const changes = cur !== st.text ? minimalChange(cur, st.text) : undefined;
      if (!prev || st.selected !== prev.selected || changes) {
        const row = st.selected !== null ? st.source.rows[st.selected] : undefined;
        effects.push(setSelectedRange.of(row ? row.range : null));
      }
      if (changes || effects.length) {
        const sel =
          st.selected !== null &&
          st.selectionOrigin !== 'yaml' &&
          st.source.rows[st.selected] &&
          (!prev || st.selected !== prev.selected);
        view.dispatch({
          changes,
          effects,
          annotations: external.of(true),
        });
        // the pane follows the selection made elsewhere (canvas, problems, find): its row comes into view
        if (sel) {
          const at = Math.min(st.source.rows[st.selected!].range[0], view.state.doc.length);
          view.dispatch({
            selection: { anchor: at },
            effects: EditorView.scrollIntoView(at, { y: 'nearest', yMargin: 48 }),
            annotations: external.of(true),
          });
        }
      }
      if (!prev || st.analysis !== prev.analysis || changes)
        view.dispatch(
          setDiagnostics(view.state, toCmDiagnostics(st.analysis, view.state.doc.length, useLang.getState().lang)),
        );
      if (prev && st.reveal !== prev.reveal && st.reveal.offset !== null) {
        const at = Math.min(st.reveal.offset, view.state.doc.length);
        view.dispatch({
          selection: { anchor: at },
          effects: EditorView.scrollIntoView(at, { y: 'center' }),
          annotations: external.of(true),
        });
      }
    };
    sync(editorStore.getState());
    const unsub = editorStore.subscribe(sync);
    // the marks' messages follow the UI language
    const unsubLang = useLang.subscribe((l, prev) => {
      if (l.lang !== prev.lang)
        view.dispatch(
          setDiagnostics(view.state, toCmDiagnostics(editorStore.getState().analysis, view.state.doc.length, l.lang)),
        );
    });
    return () => {
      unsub();
      unsubLang();
      view.destroy();
      viewRef.current = null;
    };
  };

  useEffect(() => {
    // Made once the screen it opens with is drawn and the page is idle (at most 400 ms later): building the
    // editor (the YAML parse, the measuring) was ~70 ms of the ~350 ms from opening a model to its drawn canvas.
    let destroy: (() => void) | null = null;
    const make = () => (destroy = makeEditor());
    const idle = typeof requestIdleCallback === 'function' ? requestIdleCallback(make, { timeout: 400 }) : null;
    const timer = idle === null ? setTimeout(make, 0) : undefined;
    return () => {
      if (idle !== null) cancelIdleCallback(idle);
      clearTimeout(timer);
      destroy?.();
    };
  }, [label]);

  return <div className="yaml-editor" ref={host} />;
}
