/**
 * Layer references across an edit. `-1` is positional (the row above, whatever it now is); every other
 * reference (absolute, or -2 and below) keeps pointing at the same layer and is renumbered. A reference
 * to a removed layer becomes a marker naming it (`deleted_6_Conv`), which the diagnostics report:
 * nothing is rewired silently.
 */
import { isInt, type Py } from '../py.ts';
import type { RowSource } from '../document.ts';
import { formatValue } from './text.ts';

/** Old layer index -> new index, or null when the layer was removed. */
export type IndexMap = (number | null)[];

const DELETED = /^deleted_(\d+)_?(.*)$/;

export const deletedMarker = (index: number, module: string): string =>
  `deleted_${index}_${module.replace(/[^\w.]/g, '')}`;

/** A `from` item that marks a removed layer: its old index and module. */
export function parseDeletedMarker(v: Py): { index: number; module: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const m = DELETED.exec(v);
  return m ? { index: Number(m[1]), module: m[2] } : undefined;
}

/**
 * The `from` of old row `k`, now at new index `m`, after an edit described by `map`.
 * `rows` are the old rows (for the module names of removed layers).
 */
export function renumberFrom(from: Py, k: number, m: number, map: IndexMap, rows: readonly RowSource[]): Py {
  const one = (j: Py): Py => {
    if (!isInt(j) || j === -1) return j;
    const t = j < 0 ? k + j : j;
    if (t < 0 || t >= map.length) return j; // already pointing at nothing: left as written
    const nt = map[t];
    if (nt === null) {
      const mv = rows[t]?.module?.value;
      return deletedMarker(t, typeof mv === 'string' ? mv : 'layer');
    }
    if (j >= 0) return nt;
    return nt < m ? nt - m : nt; // relative while it points back; absolute (and reported) when it would point forward
  };
  return Array.isArray(from) ? from.map(one) : one(from);
}

/**
 * Write a new `from` over its old text, changing only the numbers that changed
 * (`[-1, 6]` -> `[-1, 7]` keeps its spacing). Falls back to the canonical form.
 */
export function rewriteFromText(oldText: string, oldValue: Py, value: Py): string {
  if (isInt(oldValue) && !Array.isArray(value)) return formatValue(value);
  if (Array.isArray(oldValue) && Array.isArray(value) && oldValue.length === value.length) {
    const tokens = [...oldText.matchAll(/[^\s[\],]+/g)];
    if (tokens.length === value.length && !oldText.includes('#')) {
      let out = '';
      let pos = 0;
      tokens.forEach((t, i) => {
        out += oldText.slice(pos, t.index) + (value[i] === oldValue[i] ? t[0] : formatValue(value[i]));
        pos = t.index! + t[0].length;
      });
      return out + oldText.slice(pos);
    }
  }
  return formatValue(value);
}

/** Compose two edits' maps: first `a`, then `b`. */
export const composeMaps = (a: IndexMap, b: IndexMap): IndexMap => a.map((x) => (x === null ? null : (b[x] ?? null)));

/** The map that undoes `a` (over `newCount` layers). */
export function invertMap(a: IndexMap, newCount: number): IndexMap {
  const inv: IndexMap = new Array(newCount).fill(null);
  a.forEach((x, i) => {
    if (x !== null && x < newCount) inv[x] = i;
  });
  return inv;
}
