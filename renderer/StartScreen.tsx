/** Templates, Open and recent files. */
import { useEffect, useState } from 'react';
import { TEMPLATES, type Template } from './templates.ts';
import { getHost, type RecentFile } from './host/index.ts';
import { libraryStore } from './modules/library.ts';
import { editorStore } from './store/editor.ts';
import { useT, type MessageKey } from './i18n.ts';
import { mayReplaceDocument, openFile, openWithHost } from './commands.ts';
import { RecoveryBanner, autosave, recoveryStore } from './recovery/index.ts';

/** A template replaces the open document (after asking about its unsaved changes); false when cancelled. */
export async function openTemplate(tpl: Template): Promise<boolean> {
  if (!(await mayReplaceDocument())) return false;
  libraryStore.getState().setModel(null);
  editorStore.getState().openDocument({ name: tpl.file, text: tpl.text }, { imgsz: tpl.imgsz });
  return true;
}

export function StartScreen() {
  const t = useT();
  const [recent, setRecent] = useState<RecentFile[]>([]);
  useEffect(() => {
    getHost()
      .recentFiles()
      .then(setRecent, () => setRecent([]));
  }, []);
  const groups: Template['group'][] = ['detect', 'p6', 'segment', 'yolo11', 'yolov8', 'other'];
  return (
    <main className="start" aria-label={t('start')}>
      <div className="start-inner">
        <h1>{t('appName')}</h1>
        <RecoveryBanner recovery={recoveryStore} sessionId={autosave.sessionId} autosave={autosave} />
        <div className="start-actions">
          <button className="primary" onClick={() => void openWithHost()}>
            {t('open')}
          </button>
          <span className="hint">{t('dropHint')}</span>
        </div>
        <h2>{t('templates')}</h2>
        <div className="template-groups">
          {groups.map((g) => (
            <div key={g} className="template-group" role="group" aria-label={t(g as MessageKey)}>
              <h3>{t(g as MessageKey)}</h3>
              {TEMPLATES.filter((x) => x.group === g).map((x) => (
                <button key={x.id} className="template" onClick={() => void openTemplate(x)}>
                  {x.label ?? x.id}
                </button>
              ))}
            </div>
          ))}
        </div>
        <h2>{t('recent')}</h2>
        {recent.length === 0 ? (
          <p className="hint">{t('noRecent')}</p>
        ) : (
          <ul className="recent">
            {recent.map((r) => (
              <li key={`${r.name}-${r.openedAt}`}>
                <button
                  className="link"
                  onClick={async () => {
                    const f = await getHost().openRecent(r);
                    if (f) await openFile(f);
                  }}
                >
                  {r.name}
                </button>
                <span className="hint"> {new Date(r.openedAt).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </main>
  );
}
