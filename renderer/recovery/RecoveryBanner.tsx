/** After a crash or a kill: offers the unsaved work of earlier sessions back. */
import { useEffect, useState } from 'react';
import { useLang } from '../i18n.ts';
import { editorStore } from '../store/editor.ts';
import { libraryStore } from '../modules/library.ts';
import type { AutosaveEntry, RecoveryStore } from './autosave.ts';
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

/** Restore an entry as an unsaved document: its text, its file, marked as changed since the last save. */
export function restoreEntry(e: AutosaveEntry) {
  libraryStore.getState().setModel(e.modules ? { file: e.modules.name, text: e.modules.text } : null);
  editorStore.getState().openDocument({ name: e.title, ...(e.path ? { path: e.path } : {}), text: e.text });
  editorStore.setState({ savedText: '', savedParams: null });
}

export function RecoveryBanner({ recovery, sessionId }: { recovery: RecoveryStore; sessionId: string }) {
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
  const drop = (e: AutosaveEntry) => {
    void recovery.discard(e.id);
    setEntries((l) => l.filter((x) => x.id !== e.id));
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
                restoreEntry(e);
                drop(e);
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
