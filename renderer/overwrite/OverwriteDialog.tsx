/** "Replace N files in FOLDER?" listing them; Cancel has the focus, Escape cancels. */
import { useRef } from 'react';
import { AlertDialog } from '../chrome/AlertDialog.tsx';
import { useT } from '../i18n.ts';
import { useOverwrite } from './plan.ts';
import './overwrite.css';

export function OverwriteDialog() {
  const t = useT();
  const q = useOverwrite((s) => s.question);
  const cancel = useRef<HTMLButtonElement>(null);
  if (!q) return null;
  return (
    <AlertDialog
      id="overwrite"
      question={q}
      title={t('overwriteQuestion').replace('{folder}', q.folder)}
      detail={t('overwriteDetail')}
      focus={cancel}
      onEscape={() => q.answer(false)}
      className="overwrite-dialog"
      backdropClassName="overwrite-backdrop"
      actions={
        <>
          <button type="button" ref={cancel} onClick={() => q.answer(false)}>
            {t('cancel')}
          </button>
          <button type="button" className="danger" onClick={() => q.answer(true)}>
            {t('replace')}
          </button>
        </>
      }
    >
      <ul className="overwrite-files" aria-label={t('overwriteFiles')}>
        {q.changed.map((f) => (
          <li key={f} className="mono">
            {f}
          </li>
        ))}
      </ul>
    </AlertDialog>
  );
}
