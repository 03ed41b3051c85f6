/** "Save changes to NAME?" with Save, Don't save and Cancel; Escape cancels, Enter saves. */
import { useRef } from 'react';
import { AlertDialog } from '../chrome/AlertDialog.tsx';
import { useT } from '../i18n.ts';
import { useUnsaved } from './ask.ts';
import './unsaved.css';

export function UnsavedDialog() {
  const t = useT();
  const q = useUnsaved((s) => s.question);
  const saveButton = useRef<HTMLButtonElement>(null);
  if (!q) return null;
  // Save has the focus (Enter saves)
  return (
    <AlertDialog
      id="unsaved"
      question={q}
      title={t('unsavedQuestion').replace('{name}', q.name)}
      detail={t('unsavedDetail')}
      focus={saveButton}
      onEscape={() => q.answer('cancel')}
      className="unsaved-dialog"
      actions={
        <>
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
        </>
      }
    />
  );
}
