/** App-level commands shared by the toolbar, the keyboard and the host's menu (src/desktop/contract.ts lists them). */
import { useOpenedWeights } from './run/opened-weights.ts';
import { setHeader } from '../src/core/edit/index.ts';
import { getHost, type MenuCommand, type OpenedFile } from './host/index.ts';
import { editorStore, shownAnalysis } from './store/editor.ts';
import { libraryStore } from './modules/library.ts';
import { modelLibraryName, newModule, saveModule } from './modules/actions.ts';
import { moduleEditorStore } from './modules/module-editor.ts';
import { openYolov5Export } from './chrome/export-dialog.ts';
import { compareStore } from './compare/compare-store.ts';
import { unsavedStore } from './unsaved/ask.ts';
import { autosave } from './recovery/index.ts';
import { librariesWith, reader, readFailureMessage } from './open/index.ts';
import { msg } from '../src/core/index.ts';

/** What became of the open document's unsaved changes before it is replaced or closed. */
export type UnsavedDecision = 'clean' | 'saved' | 'discarded' | 'cancelled';
import { isShown, useView, type PanelId } from './chrome/view-store.ts';
import { commandForKey, isTyping } from './chrome/shortcuts.ts';
import { reachCommand } from './chrome/command-targets.ts';
import { deleteMany } from './edits.ts';
import { selection } from './canvas/canvas-actions.ts';

/**
 * Before the open document is replaced (New, Open, a template, a recent file, a file from the OS or the
 * command line) or its window closed: with unsaved changes, ask Save / Don't save / Cancel. The recovery copy
 * is written first and kept until the user chose: Cancel keeps it, Save and Don't save let it go once the
 * document is saved or replaced. A save that is cancelled or fails is a Cancel.
 */
export async function confirmUnsaved(): Promise<UnsavedDecision> {
  const s = editorStore.getState();
  if (s.screen !== 'editor' || s.text === s.savedText) return 'clean';
  await autosave.flush().catch(() => undefined);
  const choice = await unsavedStore.getState().ask(s.file.name);
  if (choice === 'cancel') return 'cancelled';
  if (choice === 'discard') return 'discarded';
  return (await save(false)) ? 'saved' : 'cancelled';
}

/** true when the open document may be replaced now (nothing unsaved, or the user saved or discarded it). */
export async function mayReplaceDocument(): Promise<boolean> {
  return (await confirmUnsaved()) !== 'cancelled';
}

export interface OpenOptions {
  /** The user already agreed to lose the unsaved changes (the "changed on disk, reload?" question). */
  asked?: boolean;
}

/**
 * Open a file: a model config replaces the document (after asking about unsaved changes); a dataset YAML
 * (`names:` and no layers) with a model open sets the model's `nc` (one undo step) and its class names; a
 * NAME.modules.yaml becomes the model's module library. Every file is read in the read worker first, under a
 * time limit: one that would hang or exhaust the reader is not opened, and the window stays responsive.
 * false when nothing was opened.
 */
export async function openFile(f: OpenedFile, opts: OpenOptions = {}): Promise<boolean> {
  if (f.bytes) return openCheckpoint(f.name, f.bytes, opts);
  const s = editorStore.getState();
  if (/\.modules\.ya?ml$/i.test(f.name)) {
    // the library as the editor will use it: with the open model, which is analysed again with it
    const lib = { file: f.name, text: f.text };
    const r = await reader.model({ name: s.file.name, text: s.text, libraries: librariesWith(lib), imgsz: s.imgsz });
    if (!r.ok) {
      s.notify(readFailureMessage(f.name, r), true);
      return false;
    }
    openModuleLibrary(f.name, f.text);
    return true;
  }
  const model = f.modules ? { file: f.modules.name, text: f.modules.text } : null;
  const r = await reader.model({ name: f.name, text: f.text, libraries: librariesWith(model), imgsz: s.imgsz });
  if (!r.ok) {
    editorStore.getState().notify(readFailureMessage(f.name, r), true);
    return false;
  }
  const now = editorStore.getState();
  if (r.dataset && now.screen === 'editor') {
    const names = r.names ?? [];
    const nc = names.length;
    now.setClassNames(names);
    if (now.analysis.nc !== nc) now.perform(setHeader('nc', String(nc)), 'load');
    now.notify(msg('toast.dataset', { file: f.name, nc }));
    return true;
  }
  if (!opts.asked && !(await mayReplaceDocument())) return false;
  useOpenedWeights.getState().set(null);
  // the model's own modules (NAME.modules.yaml beside it) are read before the model
  libraryStore.getState().setModel(model);
  editorStore.getState().openDocument(f);
  if (r.names) editorStore.getState().setClassNames(r.names);
  return true;
}

/** A NAME.modules.yaml opened by itself: the open model's module library (its problems go to the toast). */
export function openModuleLibrary(name: string, text: string) {
  const lib = libraryStore.getState();
  lib.setModel({ file: name, text });
  const read = libraryStore.getState().libraries.find((l) => l.file === name);
  const problems = read?.diagnostics ?? [];
  const s = editorStore.getState();
  const said = problems.length
    ? msg('toast.library-problem', {
        file: name,
        line: problems[0].line,
        problem: problems[0].message,
        more: problems.length - 1,
      })
    : msg('toast.library-opened', {
        file: name,
        count: read?.specs.length ?? 0,
        names: read?.specs.map((x) => x.name).join(', ') ?? '',
      });
  s.notify(said, problems.length > 0);
}

/**
 * A YOLOv5 .pt checkpoint opens as its architecture's YAML, with its class names and its weights for runs.
 * It is unpickled in the read worker (the page never runs a file's pickle), then its YAML is read there too.
 */
export async function openCheckpoint(name: string, bytes: Uint8Array, opts: OpenOptions = {}): Promise<boolean> {
  const { notify } = editorStore.getState();
  notify(msg('toast.reading', { file: name }));
  const cp = await reader.checkpoint(name, bytes);
  if (!cp.ok) {
    notify(
      cp.reason === 'failed'
        ? msg('toast.file-problem', { file: name, problem: cp.message })
        : readFailureMessage(name, cp),
      true,
    );
    return false;
  }
  const file = name.replace(/\.pt$/i, '.yaml');
  const s = editorStore.getState();
  const r = await reader.model({ name: file, text: cp.text, libraries: librariesWith(null), imgsz: s.imgsz });
  if (!r.ok) {
    notify(readFailureMessage(name, r), true);
    return false;
  }
  if (!opts.asked && !(await mayReplaceDocument())) return false;
  libraryStore.getState().setModel(null);
  editorStore.getState().openDocument({ name: file, text: cp.text });
  if (cp.names) editorStore.getState().setClassNames(cp.names);
  useOpenedWeights.getState().set({ name, bytes: cp.bytes });
  return true;
}

export async function openWithHost(): Promise<boolean> {
  const f = await getHost().open();
  return f ? openFile(f) : false;
}

export async function openDropped(file: File): Promise<boolean> {
  if (/\.pt$/i.test(file.name)) return openCheckpoint(file.name, new Uint8Array(await file.arrayBuffer()));
  const text = await file.text();
  getHost().addRecent({ name: file.name, text });
  return openFile({ name: file.name, text });
}

/** Save (or Save as); true when the document was written. */
export async function save(as = false): Promise<boolean> {
  const s = editorStore.getState();
  if (s.screen !== 'editor') return false;
  const host = getHost();
  const saved = as ? await host.saveAs(s.file.name, s.text) : await host.save(s.file, s.text);
  if (!saved) return false;
  editorStore.getState().markSaved(saved);
  // the model's modules travel with it: NAME.modules.yaml beside NAME.yaml (a download in a browser)
  const lib = libraryStore.getState().model;
  if (lib && lib.text.trim()) {
    const name = modelLibraryName(saved.name);
    if (saved.path && host.saveModelModules) await host.saveModelModules(saved.path, lib.text);
    else await host.saveFiles(name, [{ path: name, text: lib.text }]);
    libraryStore.getState().setModel({ file: name, text: lib.text });
  }
  return true;
}

/** Export the model graph as SVG or PNG (for papers). */
export async function exportGraph(format: 'svg' | 'png', labels?: { backbone: string; head: string; image: string }) {
  const { graphSvg, svgToPng } = await import('./canvas/export-svg.ts');
  const { download } = await import('./host/browser.ts');
  const s = editorStore.getState();
  const svg = graphSvg(shownAnalysis(s), s.positions, labels, s.layoutMode);
  const base = s.file.name.replace(/\.ya?ml$/i, '');
  const data = format === 'svg' ? new Blob([svg], { type: 'image/svg+xml' }) : await svgToPng(svg);
  const host = getHost();
  const name = `${base}.${format}`;
  if (host.exportFile) await host.exportFile(name, data);
  else download(name, data);
}

/**
 * While the module editor is open, Undo, Redo and Save act on the module being edited (its keys, its
 * buttons' tooltips and the desktop menu all come here, once). true when it took the command.
 */
function moduleEditorCommand(c: MenuCommand): boolean {
  const m = moduleEditorStore.getState();
  if (!m.open) return false;
  if (c === 'undo') m.undo();
  else if (c === 'redo') m.redo();
  else if (c === 'save') {
    // a field being typed in commits first (on blur), so the module saved is the one shown
    const el = document.activeElement as HTMLElement | null;
    if (el?.closest?.('.module-editor') && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA')) el.blur();
    void saveModule();
  } else return false;
  return true;
}

const inEditor = () => editorStore.getState().screen === 'editor';
/** The focus is in text (a field, the YAML editor): Select All and Delete act on that text. */
const typingNow = () => typeof document !== 'undefined' && isTyping(document.activeElement);
const closeDocument = () => void mayReplaceDocument().then((ok) => ok && editorStore.getState().closeDocument());
const togglePanel = (p: PanelId) => () => useView.getState().toggle(p);
/** A command of the run panel: the panel opens first when it is closed, and carries it out once it is there. */
const inRunPanel = (c: 'run' | 'chooseImage') => () => {
  if (!inEditor()) return;
  if (!isShown(useView.getState(), 'run')) useView.getState().setOpen('run', true);
  reachCommand(c, { wait: true });
};

/**
 * What each command does: one handler per command of the desktop contract's list (a typed record, so a
 * command without a handler does not compile). The menu, the keys and the toolbar all come here.
 */
export const COMMAND_HANDLERS: Record<MenuCommand, () => void> = {
  new: closeDocument,
  open: () => void openWithHost(),
  save: () => void save(false),
  saveAs: () => void save(true),
  exportYolov5: () => inEditor() && openYolov5Export(),
  compareSaved: () => inEditor() && compareStore.getState().open({ kind: 'saved' }),
  newModule: () => inEditor() && newModule(),
  // the model, and on the start screen the window
  close: () => (inEditor() ? closeDocument() : globalThis.close?.()),
  undo: () => editorStore.getState().undo(),
  redo: () => editorStore.getState().redo(),
  delete: () => {
    if (typingNow()) document.execCommand('delete');
    else if (inEditor() && !editorStore.getState().stale && selection().length) deleteMany(selection());
  },
  selectAll: () => {
    if (typingNow()) document.execCommand('selectAll');
    else if (inEditor()) editorStore.getState().setMulti(shownAnalysis(editorStore.getState()).layers.map((l) => l.i));
  },
  find: () => inEditor() && useView.getState().setFinding(true),
  fitView: () => reachCommand('fitView'),
  zoomIn: () => reachCommand('zoomIn'),
  zoomOut: () => reachCommand('zoomOut'),
  relayout: () => editorStore.getState().relayout(),
  togglePalette: togglePanel('palette'),
  toggleYaml: togglePanel('yaml'),
  toggleInspector: togglePanel('inspector'),
  toggleProblems: togglePanel('problems'),
  toggleRun: togglePanel('run'),
  focusCanvas: () => useView.getState().toggleFocus(),
  toggleMinimap: () => useView.getState().toggleMinimap(),
  shortcuts: () => useView.getState().setSheet(!useView.getState().sheet),
  run: inRunPanel('run'),
  chooseImage: inRunPanel('chooseImage'),
  about: () => useView.getState().setAbout(true),
};

export function runMenuCommand(c: MenuCommand) {
  if (moduleEditorCommand(c)) return;
  COMMAND_HANDLERS[c]();
}

/**
 * The window's key handler: the shortcuts of renderer/chrome/shortcuts.ts that have a command. Chords
 * (Ctrl/Cmd) work everywhere except undo/redo inside a text field and Select All in any text (the text's own);
 * single keys only when the focus is not somewhere that takes text.
 */
export function onShortcutKey(e: KeyboardEvent) {
  if (e.defaultPrevented) return;
  const el = e.target as HTMLElement | null;
  const field = !!el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA');
  const typing = field || isTyping(el);
  const c = commandForKey(e, typing);
  // keys that belong to the text being typed in: undo/redo of a field, Select All of any text, the YAML editor's find
  if (!c || (field && (c === 'undo' || c === 'redo')) || (typing && c === 'selectAll')) return;
  if (c === 'find' && el?.closest?.('.cm-editor')) return;
  // single keys act in the editor only (the start screen has no panels)
  if (editorStore.getState().screen !== 'editor' && !['open', 'shortcuts'].includes(c)) return;
  e.preventDefault();
  runMenuCommand(c);
}
