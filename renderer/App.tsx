/** The editor window: toolbar, palette, canvas, inspector, YAML pane, problems, run, status bar. */
import { useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas.tsx';
import { InsideView } from './canvas/InsideView.tsx';
import { YamlPane } from './yaml/YamlPane.tsx';
import { ProblemsPanel } from './panels/Problems.tsx';
import { StatusBar } from './panels/StatusBar.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { Palette } from './panels/Palette.tsx';
import { RunPanel } from './run/RunPanel.tsx';
import { ModuleEditor } from './modules/ModuleEditor.tsx';
import { useModuleEditor } from './modules/module-editor.ts';
import { CompareView } from './compare/CompareView.tsx';
import { useCompare } from './compare/compare-store.ts';
import { StartScreen, openTemplate } from './StartScreen.tsx';
import { TEMPLATES, templateById } from './templates.ts';
import { editorStore, useEditor } from './store/editor.ts';
import { useLang, useT } from './i18n.ts';
import { getHost } from './host/index.ts';
import { confirmUnsaved, onShortcutKey, openDropped, openFile, runMenuCommand } from './commands.ts';
import { UnsavedDialog } from './unsaved/UnsavedDialog.tsx';
import { OverwriteDialog } from './overwrite/OverwriteDialog.tsx';
import { autosave } from './recovery/index.ts';
import { Toolbar } from './chrome/Toolbar.tsx';
import { Workspace } from './chrome/Workspace.tsx';
import { Dialogs } from './chrome/Dialogs.tsx';
import { useView } from './chrome/view-store.ts';
import { libraryStore } from './modules/library.ts';
import { useMessageText } from './messages.ts';

function Toast() {
  const message = useEditor((s) => s.message);
  const words = useMessageText();
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (!message) return;
    setVisible(true);
    const id = setTimeout(() => setVisible(false), message.error ? 5000 : 2200);
    return () => clearTimeout(id);
  }, [message]);
  if (!message || !visible) return null;
  return (
    <div className={`toast${message.error ? ' error' : ''}`} role={message.error ? 'alert' : 'status'}>
      {words(message.message)}
    </div>
  );
}

/** Ctrl+F: find a layer by number or module name; Enter goes to the next match, Esc closes. */
export function findLayers(query: string, layers: { i: number; module: string }[]): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  if (/^\d+$/.test(q)) return layers.filter((l) => l.i === Number(q)).map((l) => l.i);
  return layers.filter((l) => l.module.toLowerCase().includes(q)).map((l) => l.i);
}

function FindBox({ onClose }: { onClose(): void }) {
  const t = useT();
  const [q, setQ] = useState('');
  const [k, setK] = useState(0);
  const layers = useEditor((s) => s.analysis.layers);
  const hits = findLayers(q, layers);
  const go = (n: number) => {
    if (!hits.length) return;
    const i = hits[((n % hits.length) + hits.length) % hits.length];
    const s = editorStore.getState();
    s.select(i, 'find');
    s.revealLayer(i, s.source.rows[i]?.range[0] ?? null);
  };
  return (
    <div className="find-box" role="search">
      <input
        autoFocus
        type="search"
        aria-label={t('find')}
        placeholder={t('findPlaceholder')}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setK(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            go(k);
            setK(k + 1);
          } else if (e.key === 'Escape') onClose();
        }}
      />
      <span className="hint">
        {q ? (hits.length ? `${Math.min(k, hits.length) || 1}/${hits.length}` : t('noMatch')) : ''}
      </span>
      <button className="link" onClick={onClose} aria-label="close">
        ×
      </button>
    </div>
  );
}

function Editor() {
  const t = useT();
  const inside = useEditor((s) => s.inside);
  const editingModule = useModuleEditor((s) => s.open);
  const comparing = useCompare((s) => s.other !== null);
  // Find Layer (Ctrl+F, the Edit menu): the one command path of commands.ts opens it
  const finding = useView((v) => v.finding);
  useEffect(() => () => useView.getState().setFinding(false), []);
  return (
    <div className="editor">
      <Workspace
        palette={<Palette />}
        canvas={
          <div className="canvas-wrap" role="region" aria-label={t('canvas')}>
            <ReactFlowProvider>
              <Canvas />
            </ReactFlowProvider>
            {/* over the canvas, which stays mounted (its layout and hand-placed nodes are kept) */}
            {inside !== null && <InsideView layer={inside} />}
            {comparing && <CompareView />}
            {editingModule && <ModuleEditor />}
            <Toast />
            {finding && <FindBox onClose={() => useView.getState().setFinding(false)} />}
          </div>
        }
        yaml={
          <section className="pane yaml" aria-label={t('yaml')}>
            <h2 className="pane-title">{t('yaml')}</h2>
            <YamlPane label={t('yaml')} />
          </section>
        }
        inspector={<Inspector />}
        problems={<ProblemsPanel />}
        run={<RunPanel />}
      />
    </div>
  );
}

export function App() {
  const screen = useEditor((s) => s.screen);
  const lang = useLang((s) => s.lang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);

  useEffect(() => {
    const host = getHost();
    const offMenu = host.onMenu(runMenuCommand);
    const unsaved = (s = editorStore.getState()) => s.screen === 'editor' && s.text !== s.savedText;
    // closing the window (desktop: also quitting) asks about unsaved changes; Don't save drops the recovery copy
    const offClose = host.onCloseRequest(unsaved, async () => {
      const d = await confirmUnsaved();
      if (d === 'discarded') await autosave.discardCurrent().catch(() => undefined);
      return d !== 'cancelled';
    });
    // desktop: main knows at once whether closing must ask
    host.setDirty?.(unsaved());
    const offDirty = editorStore.subscribe((s, prev) => {
      if (unsaved(s) !== unsaved(prev)) host.setDirty?.(unsaved(s));
    });
    // desktop: files from the OS and the menu, changes on disk, File > New from Template
    host.setTemplates?.(TEMPLATES.map((x) => ({ id: x.id, label: x.label ?? x.id })));
    const offOpen = host.onOpenFile?.((f) => void openFile(f)) ?? (() => {});
    // the user's module library (modules.yaml)
    void host
      .loadUserModules()
      .then((m) => libraryStore.getState().setUser(m.text, m.location))
      .catch(() => undefined);
    const offTpl =
      host.onNewFromTemplate?.((id) => {
        const tpl = templateById(id);
        if (tpl) void openTemplate(tpl);
      }) ?? (() => {});
    const offChanged =
      host.onFileChanged?.(async (path) => {
        const s = editorStore.getState();
        if (s.file.path !== path) return;
        const dirty = s.text !== s.savedText;
        const ask = dirty
          ? `${s.file.name} changed on disk. Reload it and lose your unsaved changes?`
          : `${s.file.name} changed on disk. Reload it?`;
        if (!globalThis.confirm?.(ask)) return;
        const f = await host.openRecent({ name: s.file.name, path, openedAt: Date.now() });
        if (f) await openFile(f, { asked: true });
      }) ?? (() => {});
    window.addEventListener('keydown', onShortcutKey);
    return () => {
      offMenu();
      offClose();
      offDirty();
      offOpen();
      offTpl();
      offChanged();
      window.removeEventListener('keydown', onShortcutKey);
    };
  }, []);

  return (
    <div
      className="app"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        const f = e.dataTransfer.files?.[0];
        if (f) {
          e.preventDefault();
          void openDropped(f);
        }
      }}
    >
      <Toolbar />
      {screen === 'start' ? <StartScreen /> : <Editor />}
      {/* the start screen's messages (a file that could not be opened); the editor has its own over the canvas */}
      {screen === 'start' && <Toast />}
      {screen === 'editor' && <StatusBar />}
      <UnsavedDialog />
      <OverwriteDialog />
      <Dialogs />
    </div>
  );
}
