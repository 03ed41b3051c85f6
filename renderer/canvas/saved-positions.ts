/** Node positions the user arranged by hand, kept per file (localStorage), used instead of the automatic layout on reopening. */
import type { XY } from '../store/editor.ts';

const KEY = 'yolo-architect.positions';
const MAX_FILES = 30;

interface Saved {
  rows: number;
  positions: Record<number, XY>;
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

export function savePositions(file: string, rows: number, positions: Record<number, XY>) {
  const all = readAll();
  all[file] = { rows, positions, at: Date.now() };
  const names = Object.keys(all).sort((a, b) => all[b].at - all[a].at);
  for (const n of names.slice(MAX_FILES)) delete all[n];
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(all));
  } catch {
    // storage full or disabled
  }
}

/** Saved positions when they cover exactly this many rows. */
export function loadPositions(file: string, rows: number): Record<number, XY> | null {
  const s = readAll()[file];
  if (!s || s.rows !== rows) return null;
  for (let i = 0; i < rows; i++) if (!s.positions[i] || typeof s.positions[i].x !== 'number') return null;
  return s.positions;
}

export function forgetPositions(file: string) {
  const all = readAll();
  delete all[file];
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(all));
  } catch {
    // ignore
  }
}
