/** "Replace N files in FOLDER?" listing them; Cancel has the focus, Escape cancels. */
import { useEffect, useRef } from 'react';
import { useT } from '../i18n.ts';
import { useOverwrite } from './plan.ts';
import './overwrite.css';

export function OverwriteDialog() {
  const t = useT();
  const q = useOverwrite((s) => s.question);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!q) return;
    cancel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        q.answer(false);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [q]);
  if (!q) return null;
  return (
    <div className="modal-backdrop overwrite-backdrop">
      <div
        className="modal overwrite-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="overwrite-title"
        aria-describedby="overwrite-detail"
      >
        <header className="modal-head">
          <h2 id="overwrite-title">{t('overwriteQuestion').replace('{folder}', q.folder)}</h2>
        </header>
        <ul className="overwrite-files" aria-label={t('overwriteFiles')}>
          {q.changed.map((f) => (
            <li key={f} className="mono">
              {f}
            </li>
          ))}
        </ul>
        <p id="overwrite-detail">{t('overwriteDetail')}</p>
        <div className="modal-actions">
          <button type="button" ref={cancel} onClick={() => q.answer(false)}>
            {t('cancel')}
          </button>
          <button type="button" className="danger" onClick={() => q.answer(true)}>
            {t('replace')}
          </button>
        </div>
      </div>
    </div>
  );
}
