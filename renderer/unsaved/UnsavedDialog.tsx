/** "Save changes to NAME?" with Save, Don't save and Cancel; Escape cancels, Enter saves. */
import { useEffect, useRef } from 'react';
import { useT } from '../i18n.ts';
import { useUnsaved } from './ask.ts';
import './unsaved.css';

export function UnsavedDialog() {
  const t = useT();
  const q = useUnsaved((s) => s.question);
  const saveButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!q) return;
    const previous = document.activeElement as HTMLElement | null;
    saveButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        q.answer('cancel');
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, [q]);
  if (!q) return null;
  // the look of the window's other dialogs (chrome/Modal.tsx), but an alert: Save has the focus, and a click
  // beside it does not answer
  return (
    <div className="modal-backdrop">
      <div
        className="modal unsaved-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="unsaved-title"
        aria-describedby="unsaved-detail"
      >
        <header className="modal-head">
          <h2 id="unsaved-title">{t('unsavedQuestion').replace('{name}', q.name)}</h2>
        </header>
        <p id="unsaved-detail">{t('unsavedDetail')}</p>
        <div className="modal-actions">
          <button type="button" onClick={() => q.answer('discard')}>
            {t('dontSave')}
          </button>
          <span className="spacer" />
          <button type="button" onClick={() => q.answer('cancel')}>
            {t('cancel')}
          </button>
          <button type="button" className="primary" ref={saveButton} onClick={() => q.answer('save')}>
            {t('save')}
          </button>
        </div>
      </div>
    </div>
  );
}
