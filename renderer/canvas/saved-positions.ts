/**
 * Nodes the user placed by hand, kept per file (localStorage) with the rows they belonged to, so they come
 * back where they were on reopening, also after the file was edited elsewhere (rows matched by text), and
 * follow the file when it is saved under a new name.
 */
import type { XY } from './xy.ts';
import { rowMapping } from '../store/row-mapping.ts';

const KEY = 'yolo-architect.positions';
const MAX_FILES = 30;

interface Saved {
  /** The rows' texts when the positions were kept (whitespace removed). */
  rows: string[];
  /** Hand-placed nodes by row index. */
  pinned: Record<number, XY>;
  at: number;
}

function readAll(): Record<string, Saved> {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

function writeAll(all: Record<string, Saved>) {
  const names = Object.keys(all).sort((a, b) => all[b].at - all[a].at);
  for (const n of names.slice(MAX_FILES)) delete all[n];
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(all));
  } catch {
    // storage full or disabled: positions are a convenience
  }
}

const isXY = (p: unknown): p is XY =>
  !!p && typeof p === 'object' && Number.isFinite((p as XY).x) && Number.isFinite((p as XY).y);

/** Keep the hand-placed nodes of `file` (none: forget them). */
export function savePinned(file: string, rows: string[], pinned: Record<number, XY>) {
  const all = readAll();
  if (!Object.keys(pinned).length) delete all[file];
  else all[file] = { rows, pinned, at: Date.now() };
  writeAll(all);
}

/** The hand-placed nodes kept for `file`, moved to the rows they belong to now (matched by text). */
export function loadPinned(file: string, rows: string[]): Record<number, XY> {
  const s = readAll()[file];
  if (!s || !Array.isArray(s.rows) || !s.pinned || typeof s.pinned !== 'object') return {};
  const map = rowMapping(
    s.rows.map((r) => String(r)),
    rows,
  );
  const out: Record<number, XY> = {};
  for (const [k, p] of Object.entries(s.pinned)) {
    const to = map[Number(k)];
    if (to !== null && to !== undefined && isXY(p)) out[to] = { x: p.x, y: p.y };
  }
  return out;
}

export function forgetPinned(file: string) {
  savePinned(file, [], {});
}
