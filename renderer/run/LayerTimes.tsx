/** Per-layer time of a run as bars with their values in milliseconds; a row selects its layer. */
import { useRunT } from './messages.ts';
import type { RunSummary } from './protocol.ts';

export function LayerTimes({
  timings,
  selected,
  onSelect,
}: {
  timings: RunSummary['timings'];
  selected: number | null;
  onSelect(i: number): void;
}) {
  const t = useRunT();
  const max = Math.max(1e-6, ...timings.map((x) => x.ms));
  const total = timings.reduce((a, x) => a + x.ms, 0);
  const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ${t('ms')}`;
  return (
    <div className="layer-times-wrap">
      <div className="lt-head" aria-hidden>
        <span>{t('layer')}</span>
        <span>{t('timeAxis')}</span>
        <span className="lt-ms">{ms(max)}</span>
      </div>
      <ol className="layer-times" aria-label="Layer times">
        {timings.map((x) => (
          <li
            key={x.i}
            title={`layer ${x.i} ${x.module}: ${x.ms.toFixed(3)} ms`}
            aria-current={selected === x.i ? 'true' : undefined}
          >
            <button type="button" className="lt-row" onClick={() => onSelect(x.i)} aria-label={`layer ${x.i} time`}>
              <span className="lt-label">
                {x.i} {x.module}
              </span>
              <span className="lt-track">
                <span className="lt-bar" style={{ width: `${(100 * x.ms) / max}%` }} />
              </span>
              <span className="lt-ms">{ms(x.ms)}</span>
            </button>
          </li>
        ))}
      </ol>
      <p className="lt-total">
        {t('total')}: {ms(total)}
      </p>
    </div>
  );
}
