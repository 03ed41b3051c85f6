/** Every diagnostic of the document; a click selects its layer and shows its line. */
import { sortDiagnostics } from '../../src/core/index.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { useT } from '../i18n.ts';

export function ProblemsPanel() {
  const t = useT();
  const analysis = useEditor((s) => s.analysis);
  const ds = sortDiagnostics([...analysis.diagnostics]);
  return (
    <section className="pane problems" aria-label={t('problems')}>
      <h2 className="pane-title">
        {t('problems')} <span className="count">{ds.length}</span>
      </h2>
      {ds.length === 0 ? (
        <p className="empty">{t('noProblems')}</p>
      ) : (
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
                <span className="msg">{d.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
