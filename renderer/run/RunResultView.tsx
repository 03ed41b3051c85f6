/**
 * The run result in its own large view (a dialog over the editor): the image fitted with its boxes, the
 * detections, the output shapes, per-layer time bars in milliseconds and the selected layer's feature
 * maps, all visible at once. Esc or Close returns to the editor; the docked panel reopens it.
 */
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { editorStore, useEditor } from '../store/editor.ts';
import { FeatureMaps } from './FeatureMaps.tsx';
import { LayerTimes } from './LayerTimes.tsx';
import { useRunT } from './messages.ts';
import type { RunSummary } from './protocol.ts';
import { RunImage } from './RunImage.tsx';
import { BackendLine } from './BackendLine.tsx';

export function RunResultView({
  result,
  imageUrl,
  source,
  onClose,
}: {
  result: RunSummary;
  imageUrl: string;
  /** The file and time of the run. */
  source: string;
  onClose(): void;
}) {
  const t = useRunT();
  const selected = useEditor((s) => s.selected);
  const picked = selected !== null ? result.layers?.find((l) => l.i === selected) : undefined;
  // nothing picked: the first layer's maps, so they are there without hunting
  const layer = picked ?? result.layers?.reduce((a, l) => (l.i < a.i ? l : a), result.layers[0]);
  const layerModule = useEditor((s) => (layer ? (s.analysis.layers[layer.i]?.module ?? '') : ''));
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return createPortal(
    <div className="run-view-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="run-view" role="dialog" aria-modal="true" aria-label={t('resultTitle')}>
        <header className="run-view-head">
          <h2>
            {t('resultTitle')} <span className="run-view-source">{source}</span>
          </h2>
          <BackendLine result={result} />
          <button ref={closeRef} type="button" onClick={onClose} aria-label="Close run result">
            {t('close')}
          </button>
        </header>
        <div className="run-view-body">
          <div className="run-view-left">
            <RunImage url={imageUrl} result={result} className="run-view-image" />
            <div className="run-view-maps">
              {layer && !picked && <p className="empty">{t('firstLayerShown', { i: layer.i })}</p>}
              {layer && <FeatureMaps layer={layer} module={layerModule} source={source} />}
            </div>
          </div>
          <div className="run-view-right">
            {result.probs && (
              <>
                <h3>{t('classes')}</h3>
                <ol className="run-probs" aria-label="Class probabilities">
                  {result.probs.map((p) => (
                    <li key={p.class} aria-label={`${p.name ?? p.class} ${p.confidence.toFixed(4)}`}>
                      <span className="run-prob-name">{p.name ?? p.class}</span>
                      <span className="run-prob-bar" role="presentation">
                        <span style={{ width: `${(p.confidence * 100).toFixed(2)}%` }} />
                      </span>
                      <span className="run-prob-value" title={t('probability')}>
                        {(p.confidence * 100).toFixed(1)}%
                      </span>
                    </li>
                  ))}
                </ol>
              </>
            )}
            {!result.probs && (
              <h3>
                {t('detections')} ({result.detections.length})
              </h3>
            )}
            {result.probs ? null : result.detections.length ? (
              <table aria-label="Detections">
                <thead>
                  <tr>
                    <th>{t('class')}</th>
                    <th>{t('confidence')}</th>
                    <th>{t('box')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.detections.map((d, k) => (
                    <tr key={k}>
                      <td>{d.name ?? d.class}</td>
                      <td>{d.confidence.toFixed(3)}</td>
                      <td>{d.xyxy.map((v) => v.toFixed(0)).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="empty">{t('none')}</p>
            )}
            <h3>{t('outputs')}</h3>
            <ul aria-label="Output shapes">
              {result.outputs.map((o) => (
                <li key={o.name}>
                  {o.name}: [{o.shape.join(', ')}]
                </li>
              ))}
            </ul>
            {result.timings.length > 0 && (
              <>
                <h3>{t('layerTimes')}</h3>
                <LayerTimes
                  timings={result.timings}
                  selected={selected}
                  onSelect={(i) => editorStore.getState().select(i, 'inspector')}
                />
              </>
            )}
          </div>
        </div>
      </div>
    </div>,
    document.body,
  );
}
