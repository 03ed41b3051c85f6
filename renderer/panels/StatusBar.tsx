/** Totals of the model: rows, YOLOv5's module count, parameters, GFLOPs, strides, change since save. */
import { thousands } from '../../src/core/index.ts';
import { shownAnalysis, useEditor } from '../store/editor.ts';
import { ErrorIcon } from '../canvas/icons.tsx';
import { useT } from '../i18n.ts';

export function StatusBar() {
  const t = useT();
  // while the text does not parse: the last readable totals, marked stale (never "0 rows")
  const a = useEditor(shownAnalysis);
  const stale = useEditor((s) => s.stale);
  const current = useEditor((s) => s.analysis);
  const dirty = useEditor((s) => s.text !== s.savedText);
  const savedParams = useEditor((s) => s.savedParams);
  const errors = current.diagnostics.filter((d) => d.severity === 'error').length;
  const delta = savedParams === null ? 0 : a.params - savedParams;
  return (
    <footer className={`status-bar${stale ? ' stale' : ''}`} aria-label="status">
      {stale && <span className="stale-mark">{t('stale')}</span>}
      <span aria-label={t('rows')}>
        <b>{a.layers.length}</b> {t('rows')}
      </span>
      <span aria-label={t('modules')}>
        <b>{thousands(a.modules)}</b> {t('modules')}
      </span>
      <span>
        <b aria-label={t('parameters')}>{thousands(a.params)}</b> {t('parameters')}
      </span>
      <span aria-label={t('gflops')}>
        <b>{Number.isFinite(a.gflops) ? a.gflops.toFixed(1) : '–'}</b> {t('gflops')} @ {a.imgsz[0]}
      </span>
      <span aria-label={t('strides')}>
        {t('strides')} <b>{a.stride ? a.stride.join(', ') : '–'}</b>
      </span>
      {errors > 0 && (
        <span className="status-errors">
          <ErrorIcon /> {errors}
        </span>
      )}
      <span className="spacer" />
      <span aria-label={t('sinceSave')} className={dirty ? 'dirty' : 'clean'}>
        {dirty ? `● ${t('unsaved')}` : t('saved')}
        {dirty && delta !== 0
          ? ` · ${delta > 0 ? '+' : '−'}${thousands(Math.abs(delta))} ${t('parameters')} ${t('sinceSave')}`
          : ''}
      </span>
    </footer>
  );
}
