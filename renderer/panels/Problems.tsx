/**
 * Every diagnostic of the document (a click selects its layer and shows its line), and the problems of the
 * module libraries it is read with (file and line: a module left out there shows as unknown in the model).
 */
import { sortDiagnostics } from '../../src/core/index.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { useT } from '../i18n.ts';
import { useMessageText } from '../messages.ts';
import { useLibrary } from '../modules/library.ts';

export function ProblemsPanel() {
  const t = useT();
  const words = useMessageText();
  const analysis = useEditor((s) => s.analysis);
  const ds = sortDiagnostics([...analysis.diagnostics]);
  const libraries = useLibrary((s) => s.libraries);
  // the default library is ours and tested; the user's and the model's may have been edited by hand
  const lib = libraries.slice(1).flatMap((l) => l.diagnostics);
  return (
    <section className="pane problems" aria-label={t('problems')}>
      <h2 className="pane-title">
        {t('problems')} <span className="count">{ds.length + lib.length}</span>
      </h2>
      {lib.length > 0 && (
        <ul className="problem-list" aria-label={t('libraryProblems')}>
          {lib.map((d, k) => (
            <li key={`lib${k}`}>
              <span className={`problem ${d.severity}`}>
                <span className={`sev ${d.severity}`}>{t(d.severity)}</span>
                <span className="where">
                  {d.file}:{d.line}:{d.column}
                </span>
                <span className="msg">{words(d.message)}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {ds.length === 0 && lib.length === 0 ? (
        <p className="empty">{t('noProblems')}</p>
      ) : ds.length === 0 ? null : (
        <ul className="problem-list">
          {ds.map((d, k) => (
            <li key={k}>
              <button
                className={`problem ${d.severity}`}
                onClick={() => {
                  const s = editorStore.getState();
                  if (d.layer !== undefined) s.select(d.layer, 'problems');
                  s.revealLayer(d.layer ?? null, d.range ? d.range[0] : null);
                }}
              >
                <span className={`sev ${d.severity}`}>{t(d.severity)}</span>
                <span className="where">
                  {d.line}:{d.column}
                  {d.layer !== undefined ? ` · ${t('layer')} ${d.layer}` : ''}
                </span>
                <span className="msg">{words(d.message)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
