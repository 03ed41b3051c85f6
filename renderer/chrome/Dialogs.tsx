/** The window's dialogs: the shortcut sheet, About, a download's file name, Export for YOLOv5. */
import { useEffect, useRef, useState } from 'react';
import { Check, Copy, FolderDown, FileArchive } from 'lucide-react';
import { Modal } from './Modal.tsx';
import { useT, type MessageKey } from '../i18n.ts';
import { useMessageText } from '../messages.ts';
import { getHost } from '../host/index.ts';
import { useView } from './view-store.ts';
import { ShortcutSheet } from './ShortcutSheet.tsx';
import { useAsk, yamlFileName, type FileNameRequest } from './ask.ts';
import {
  closeYolov5Export,
  fileRole,
  sizeText,
  useExportDialog,
  ultralyticsSteps,
  writeYolov5Export,
  yolov5Steps,
  type ExportDialogState,
  type ExportFileRole,
  type Step,
} from './export-dialog.ts';

function FileNameDialog({ req }: { req: FileNameRequest }) {
  const t = useT();
  const [value, setValue] = useState(req.suggested);
  const name = yamlFileName(value);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // the name without its extension selected, ready to be typed over
    const dot = req.suggested.lastIndexOf('.');
    input.current?.setSelectionRange(0, dot > 0 ? dot : req.suggested.length);
  }, [req]);
  return (
    <Modal label={t('saveAs').replace(/…$/, '')} onClose={() => req.answer(null)} className="file-name-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name) req.answer(name);
        }}
      >
        <label className="field">
          <span>{t('fileName')}</span>
          <input
            ref={input}
            type="text"
            className="mono"
            value={value}
            aria-label={t('fileName')}
            aria-invalid={!name}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
        <p className={name ? 'hint' : 'field-error'}>{name ? t('saveDownloadHint') : t('badFileName')}</p>
        <div className="modal-actions">
          <button type="button" onClick={() => req.answer(null)}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={!name}>
            {t('save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

const ROLE: Record<ExportFileRole, MessageKey | null> = {
  model: 'fileModel',
  patchV7: 'filePatchV7',
  patchMaster: 'filePatchMaster',
  patchUltralytics: 'filePatchUltralytics',
  modules: 'fileModules',
  other: null,
};
const NOTE: Record<NonNullable<Step['note']>, MessageKey> = {
  unzip: 'stepUnzip',
  checkout: 'stepCheckout',
  applyMaster: 'stepApplyMaster',
  train: 'stepTrain',
  checkoutUltralytics: 'stepCheckoutUltralytics',
  installUltralytics: 'stepInstallUltralytics',
  trainUltralytics: 'stepTrainUltralytics',
};

function Commands({ steps }: { steps: Step[] }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const text = steps.map((s) => s.command).join('\n');
  return (
    <div className="commands">
      <pre aria-label="commands">
        {steps.map((s) => (
          <div key={s.command}>
            <span className="command">{s.command}</span>
            {s.note && <span className="command-note">{`  # ${t(NOTE[s.note])}`}</span>}
          </div>
        ))}
      </pre>
      <button
        className="tool copy"
        aria-label={t('copyCommands')}
        title={t('copyCommands')}
        onClick={() =>
          void navigator.clipboard?.writeText(text).then(
            () => setCopied(true),
            () => undefined,
          )
        }
      >
        {copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
        <span className="tool-label">{copied ? t('copied') : t('copyCommands')}</span>
      </button>
    </div>
  );
}

function ExportDialog({ d }: { d: ExportDialogState }) {
  const t = useT();
  const words = useMessageText();
  const w = d.written;
  const absolute = getHost().kind === 'electron';
  return (
    <Modal
      label={t(d.family === 'ultralytics' ? 'exportUltralytics' : 'exportYolov5').replace(/…$/, '')}
      onClose={closeYolov5Export}
      className="export-dialog"
    >
      <section aria-label={t('exportFiles')}>
        <h3>{t('exportFiles')}</h3>
        <table className="export-files">
          <tbody>
            {d.files.map((f) => {
              const role = ROLE[fileRole(d.model, f.path)];
              return (
                <tr key={f.path}>
                  <td className="mono">{f.path}</td>
                  <td className="num">{sizeText(new TextEncoder().encode(f.text).length)}</td>
                  <td className="hint">{role ? t(role) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {d.notes.map((n) => (
          <p key={n} className="hint">
            {n}
          </p>
        ))}
      </section>
      {!w && (
        <div className="modal-actions">
          {d.targets.includes('folder') && (
            <button className="primary tool" disabled={d.busy} onClick={() => void writeYolov5Export('folder')}>
              <FolderDown size={16} aria-hidden />
              <span className="tool-label">{t('writeFolder')}</span>
            </button>
          )}
          {d.targets.includes('zip') && (
            <button
              className={`tool${d.targets[0] === 'zip' ? ' primary' : ''}`}
              disabled={d.busy}
              onClick={() => void writeYolov5Export('zip')}
            >
              <FileArchive size={16} aria-hidden />
              <span className="tool-label">{`${t('downloadZip')} (${d.folder}.zip)`}</span>
            </button>
          )}
        </div>
      )}
      {d.error && (
        <p className="field-error" role="alert">
          {words(d.error)}
        </p>
      )}
      {w && (
        <div className="export-done" role="status">
          <p>
            <Check size={14} aria-hidden /> {w.target === 'zip' ? t('writtenZip') : t('writtenFolder')}{' '}
            <b className="mono">{w.target === 'zip' ? w.file : w.folder}</b>
            {w.target === 'folder' && w.replaced?.length ? ` (${t('replacedFiles')}: ${w.replaced.join(', ')})` : ''}
          </p>
          <p className="hint">{t(d.family === 'ultralytics' ? 'nextStepsUltralytics' : 'nextSteps')}:</p>
          <Commands
            steps={(d.family === 'ultralytics' ? ultralyticsSteps : yolov5Steps)(
              d.family === 'ultralytics' ? d.model : d.stem,
              d.files.map((f) => f.path),
              w,
              absolute,
            )}
          />
        </div>
      )}
    </Modal>
  );
}

declare const __APP_VERSION__: string | undefined;
/** The app's version (package.json's, set by the build; absent in tests). */
export const appVersion = () => (typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '');

function AboutDialog() {
  const t = useT();
  const close = () => useView.getState().setAbout(false);
  const version = appVersion();
  return (
    <Modal label={t('about')} onClose={close} className="about-dialog">
      {version && <p className="hint">{t('aboutVersion').replace('{version}', version)}</p>}
      <p>{t('aboutText')}</p>
      <div className="modal-actions">
        <button type="button" className="primary" onClick={close} autoFocus>
          OK
        </button>
      </div>
    </Modal>
  );
}

export function Dialogs() {
  const sheet = useView((v) => v.sheet);
  const about = useView((v) => v.about);
  const fileName = useAsk((s) => s.fileName);
  const exporting = useExportDialog((s) => s.dialog);
  return (
    <>
      {sheet && <ShortcutSheet />}
      {about && <AboutDialog />}
      {fileName && <FileNameDialog req={fileName} />}
      {exporting && <ExportDialog d={exporting} />}
    </>
  );
}
