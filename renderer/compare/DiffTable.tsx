/** The comparison as a table: one row per aligned layer, then the totals. A row click picks the layer. */
import { memo, useEffect, useRef } from 'react';
import { thousands, type DiffChange, type DiffStatus } from '../../src/core/index.ts';
import { useT, type MessageKey } from '../i18n.ts';
import {
  shapeChange,
  signedFixed,
  signedPercent,
  signedThousands,
  visibleRows,
  whatChanged,
  type Comparison,
} from './compare-model.ts';

export const STATUS_KEY: Record<DiffStatus, MessageKey> = {
  same: 'statusSame',
  changed: 'statusChanged',
  added: 'statusAdded',
  removed: 'statusRemoved',
};
export const CHANGE_KEY: Record<DiffChange, MessageKey> = {
  module: 'chgModule',
  args: 'chgArgs',
  n: 'chgN',
  inputs: 'chgInputs',
  'input shape': 'chgInputShape',
  shape: 'chgShape',
  params: 'chgParams',
};

export interface DiffTableProps {
  cmp: Comparison;
  changedOnly: boolean;
  selectedRow: number | null;
  /** Changes when the selection should scroll into view (it came from a graph or the editor). */
  scrollSeq: number;
  onPick(row: number): void;
}

/** Memoised: panning the graphs re-renders the view, not the table. */
export const DiffTable = memo(function DiffTable({ cmp, changedOnly, selectedRow, scrollSeq, onPick }: DiffTableProps) {
  const t = useT();
  const d = cmp.diff;
  const rows = visibleRows(d, changedOnly);
  const body = useRef<HTMLTableSectionElement>(null);
  const label = (c: DiffChange) => t(CHANGE_KEY[c]);

  useEffect(() => {
    if (selectedRow === null) return;
    body.current?.querySelector(`[data-row="${selectedRow}"]`)?.scrollIntoView?.({ block: 'nearest' });
    // only when asked (a pick in a graph or the editor): a click in the table itself must not scroll it
  }, [scrollSeq]);

  const move = (from: number, by: number) => {
    const k = rows.indexOf(from) + by;
    if (k < 0 || k >= rows.length) return;
    onPick(rows[k]);
    const tr = body.current?.querySelector<HTMLElement>(`[data-row="${rows[k]}"]`);
    tr?.focus();
    tr?.scrollIntoView?.({ block: 'nearest' });
  };

  return (
    <div className="diff-table-wrap">
      <table className="diff-table" aria-label={t('differences')}>
        <thead>
          <tr>
            <th scope="col">A</th>
            <th scope="col">B</th>
            <th scope="col">{t('status')}</th>
            <th scope="col" className="num">
              {t('parameters')} A
            </th>
            <th scope="col" className="num">
              {t('parameters')} B
            </th>
            <th scope="col" className="num">
              {t('deltaParams')}
            </th>
            <th scope="col" className="num">
              {t('deltaGflops')}
            </th>
            <th scope="col">{t('output')}</th>
            <th scope="col">{t('whatChanged')}</th>
          </tr>
        </thead>
        <tbody ref={body}>
          {rows.length === 0 && (
            <tr>
              <td colSpan={9} className="empty">
                {t('noDifferences')}
              </td>
            </tr>
          )}
          {rows.map((k) => {
            const l = d.layers[k];
            // parameters and shapes have their own columns
            const what = whatChanged(l, label, ['params', 'shape']);
            return (
              <tr
                key={k}
                data-row={k}
                className={`diff-row diff-${l.status}${selectedRow === k ? ' selected' : ''}`}
                aria-current={selectedRow === k ? 'true' : undefined}
                tabIndex={0}
                onClick={() => onPick(k)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onPick(k);
                  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                    e.preventDefault();
                    move(k, e.key === 'ArrowDown' ? 1 : -1);
                  }
                }}
              >
                <td className="mono">{l.a ? `${l.a.i} ${l.a.module}` : ''}</td>
                <td className="mono">{l.b ? `${l.b.i} ${l.b.module}` : ''}</td>
                <td>
                  <span className={`diff-badge ${l.status}`}>{t(STATUS_KEY[l.status])}</span>
                </td>
                <td className="num">{l.a ? thousands(l.a.params) : ''}</td>
                <td className="num">{l.b ? thousands(l.b.params) : ''}</td>
                <td className={`num${l.params < 0 ? ' down' : l.params > 0 ? ' up' : ''}`}>
                  {signedThousands(l.params)}
                </td>
                <td className="num">{signedFixed(l.gflops, 3)}</td>
                <td className="mono">{shapeChange(l)}</td>
                <td className="what" title={what.join('\n') || undefined}>
                  {what.join('; ')}
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr className="diff-totals">
            <th scope="row" colSpan={3}>
              {t('total')}
            </th>
            <td className="num" aria-label={`${t('total')} ${t('parameters')} A`}>
              {thousands(d.params.a)}
            </td>
            <td className="num" aria-label={`${t('total')} ${t('parameters')} B`}>
              {thousands(d.params.b)}
            </td>
            <td
              className={`num${d.params.delta < 0 ? ' down' : d.params.delta > 0 ? ' up' : ''}`}
              aria-label={`${t('total')} ${t('deltaParams')}`}
            >
              {signedThousands(d.params.delta)}
            </td>
            <td className="num" aria-label={`${t('total')} ${t('deltaGflops')}`}>
              {signedFixed(d.gflops.delta, 1)}
            </td>
            <td colSpan={2}>
              {d.gflops.a.toFixed(1)} → {d.gflops.b.toFixed(1)} {t('gflops')}
              {d.params.a ? ` · ${signedPercent(d.params.delta, d.params.a)} ${t('parameters')}` : ''}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
});
