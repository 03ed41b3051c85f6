/** After a crash or a kill: offers the unsaved work of earlier sessions back. */
import { useEffect, useState } from 'react';
import { useLang } from '../i18n.ts';
import { editorStore } from '../store/editor.ts';
import { libraryStore } from '../modules/library.ts';
import type { AutosaveController, AutosaveEntry, RecoveryStore } from './autosave.ts';
import './recovery.css';

const WORDS = {
  en: {
    title: 'Recovered work',
    unsaved: (t: string, when: string) => `Unsaved changes to ${t} (${when})`,
    restore: 'Restore',
    discard: 'Discard',
  },
  zh: {
    title: '恢复的工作',
    unsaved: (t: string, when: string) => `${t} 的未保存更改（${when}）`,
    restore: '恢复',
    discard: '丢弃',
  },
};

/**
 * Restore an entry as an unsaved document: its text, its file, marked as changed since the last save. With
 * `autosave`, the document's own recovery entry is written before the old entry is deleted, and the document
 * keeps the path only where the host allows it (desktop: a file the user opened or chose).
 */
export async function restoreEntry(e: AutosaveEntry, autosave?: AutosaveController): Promise<void> {
  libraryStore.getState().setModel(e.modules ? { file: e.modules.name, text: e.modules.text } : null);
  editorStore.getState().openDocument({ name: e.title, ...(e.path ? { path: e.path } : {}), text: e.text });
  editorStore.setState({ savedText: '', savedParams: null });
  if (!autosave) return;
  const { path } = await autosave.adopt(e.id);
  const s = editorStore.getState();
  if (!path && s.file.path && s.file.name === e.title) editorStore.setState({ file: { name: s.file.name } });
}

export function RecoveryBanner({
  recovery,
  sessionId,
  autosave,
}: {
  recovery: RecoveryStore;
  sessionId: string;
  autosave: AutosaveController;
}) {
  const lang = useLang((s) => s.lang);
  const w = WORDS[lang];
  const [entries, setEntries] = useState<AutosaveEntry[]>([]);
  useEffect(() => {
    let alive = true;
    void recovery.list().then((l) => alive && setEntries(l.filter((e) => !e.id.startsWith(sessionId))));
    return () => {
      alive = false;
    };
  }, [recovery, sessionId]);
  if (!entries.length) return null;
  const forget = (e: AutosaveEntry) => setEntries((l) => l.filter((x) => x.id !== e.id));
  const drop = (e: AutosaveEntry) => {
    void recovery.discard(e.id);
    forget(e);
  };
  return (
    <section className="recovery" aria-label={w.title}>
      <h2>{w.title}</h2>
      <ul>
        {entries.map((e) => (
          <li key={e.id}>
            <span>{w.unsaved(e.title, new Date(e.savedAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US'))}</span>{' '}
            <button
              type="button"
              onClick={() => {
                forget(e);
                void restoreEntry(e, autosave);
              }}
            >
              {w.restore}
            </button>{' '}
            <button type="button" onClick={() => drop(e)}>
              {w.discard}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
