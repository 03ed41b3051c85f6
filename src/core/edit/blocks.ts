/**
 * Edits on several rows at once, as pure plans the command engine (commands.ts) carries out:
 * layers as YAML text (copy) and back (paste, renumbering references inside the pasted block and leaving
 * outside references pointing where they pointed), several rows moved as one block, and a layer inserted
 * on an edge (between a layer and one of the layers it reads).
 */
import type { RowSource } from '../document.ts';
import { msg, type Message } from '../messages/index.ts';
import { isInt, type Py } from '../py.ts';
import { commentNumber, renumberComment } from './comments.ts';
import { rewriteFromText } from './refs.ts';
import type { Section, Slot } from './restructure.ts';
import { parseRowSnippet, type EditDoc } from './source.ts';
import { formatValue, rowLayout } from './text.ts';

/** A row on the clipboard: its text, the index it had where it was copied (when known), its line comment. */
export interface PastedRow {
  text: string;
  index: number | null;
  /** The comment after the row (`# 4 P3/8`), written with it; its leading number follows the row. */
  comment?: string;
}

/** At most this many rows are read from pasted text (hostile input stays bounded). */
export const MAX_PASTED_ROWS = 1000;
const MAX_PASTE_TEXT = 256 * 1024;

/**
 * Layers as YAML rows, one per line, as a config writes them (`[-1, 3, C3, [128]], # 2`): each row keeps
 * its own comment, and a comment that does not start with the row's index gets it in front, so the text
 * says where every row came from (paste reads it back).
 */
export function copyRowsText(doc: EditDoc, layers: number[]): string {
  const rows = doc.source.rows;
  return [...new Set(layers)]
    .filter((i) => rows[i])
    .sort((a, b) => a - b)
    .map((i) => {
      const r = rows[i];
      const own = rowLayout(doc.text, r).kind === 'inline' ? '' : rowLayout(doc.text, r).comment.trim();
      const rest = own.replace(/^#[ \t]*/, '');
      const comment = commentNumber(own) === i ? own : rest ? `# ${i} ${rest}` : `# ${i}`;
      return `${doc.text.slice(r.range[0], r.range[1])}, ${comment}`;
    })
    .join('\n');
}

/** One line holding a row: optional `- `, the row, an optional comma, an optional comment. */
const ROW_LINE = /^[ \t]*(?:-[ \t]+)?(\[.*\])[ \t]*,?[ \t]*(#.*)?$/;

/**
 * Rows from pasted text (copied from the canvas, the YAML pane or another document): every non-blank line
 * that is not a comment must hold one row. The row's index where it came from is its comment's leading
 * number (as copyRowsText writes it and YOLOv5's configs have it), else unknown.
 */
export function parseRowsText(text: string): { rows: PastedRow[] } | { error: Message } {
  if (text.length > MAX_PASTE_TEXT) return { error: msg('paste-too-long', { length: text.length }) };
  const lines = text.split(/\r?\n/).filter((l) => l.trim() && !/^\s*#/.test(l));
  if (!lines.length) return { error: msg('paste-no-rows') };
  if (lines.length > MAX_PASTED_ROWS) return { error: msg('paste-too-many', { max: MAX_PASTED_ROWS }) };
  const rows: PastedRow[] = [];
  for (const line of lines) {
    const m = ROW_LINE.exec(line);
    const s = m ? parseRowSnippet(m[1]) : undefined;
    if (!m || !s || s.rows.length !== 1 || s.rows[0].malformed || s.diagnostics.some((d) => d.severity === 'error'))
      return { error: msg('paste-not-a-row', { line: line.trim().slice(0, 80) }) };
    const comment = m[2]?.trim() ?? '';
    rows.push({ text: m[1], index: commentNumber(comment), ...(comment ? { comment } : {}) });
  }
  // indices that repeat say nothing about where the rows came from
  const seen = rows.map((r) => r.index).filter((x) => x !== null);
  if (new Set(seen).size !== seen.length) for (const r of rows) r.index = null;
  return { rows };
}

/** Where the references of pasted row `k` (now layer `at + k`) point. */
function pastedFrom(from: Py, k: number, at: number, rows: PastedRow[], sameDocument: boolean, count: number): Py {
  const origin = rows[k].index;
  const me = at + k;
  const one = (j: Py): Py => {
    if (!isInt(j)) return j;
    if (origin === null) return j;
    const t = j < 0 ? origin + j : j;
    const m = rows.findIndex((r) => r.index === t);
    if (m >= 0) return j < 0 ? at + m - me : at + m; // inside the block: follows the block
    if (j === -1) return -1; // the row above, whatever it is now
    // outside: the same layer (in this document it may have moved down past the pasted rows)
    const nt = sameDocument && t >= at ? t + count : t;
    return j < 0 && nt < me ? nt - me : nt;
  };
  return Array.isArray(from) ? from.map(one) : one(from);
}

/** The new rows of a paste at `at`, their references renumbered and comments following them. */
export function pasteSlots(rows: PastedRow[], at: number, section: Section, sameDocument: boolean): Slot[] | Message {
  if (!rows.length) return msg('nothing-to-paste');
  if (rows.length > MAX_PASTED_ROWS) return msg('paste-too-many', { max: MAX_PASTED_ROWS });
  return rows.map((r, k): Slot => {
    const text = r.text.trim();
    const s = parseRowSnippet(text);
    const row = s.rows[0];
    let out = text;
    if (row?.from && s.rows.length === 1) {
      const off = row.range[0];
      const nv = pastedFrom(row.from.value, k, at, rows, sameDocument, rows.length);
      const ft = rewriteFromText(text.slice(row.from.range[0] - off, row.from.range[1] - off), row.from.value, nv);
      out = text.slice(0, row.from.range[0] - off) + ft + text.slice(row.from.range[1] - off);
    }
    const comment = r.comment && r.index !== null ? renumberComment(r.comment, r.index, at + k) : (r.comment ?? '');
    return { kind: 'new', text: out, section, ...(comment ? { comment: ` ${comment.trim()}` } : {}) };
  });
}

/**
 * Several rows moved as one block (in their order) so that the first of them is at index `to` afterwards.
 * The block's section: as given, else the section of where it lands (at the boundary: the rows' own).
 */
export function moveManySlots(
  rows: readonly RowSource[],
  layers: number[],
  to: number,
  section?: Section,
): Slot[] | Message {
  const N = rows.length;
  const moving = [...new Set(layers)].sort((a, b) => a - b);
  if (!moving.length) return msg('no-layers-to-move');
  for (const i of moving) if (!isInt(i) || i < 0 || i >= N) return msg('no-such-row', { layer: i });
  const rest: Slot[] = rows
    .map((_, k) => ({ kind: 'keep', old: k }) as Slot)
    .filter((s) => !moving.includes((s as { old: number }).old));
  if (!isInt(to) || to < 0 || to > rest.length) return msg('cannot-move-to', { to: String(to), last: rest.length });
  const nb = rest.filter((s) => rows[(s as { old: number }).old].section === 'backbone').length;
  const own = moving.every((i) => rows[i].section === 'backbone') ? 'backbone' : 'head';
  const sec: Section = section ?? (to < nb ? 'backbone' : to > nb ? 'head' : own);
  rest.splice(to, 0, ...moving.map((old): Slot => ({ kind: 'move', old, section: sec })));
  return rest;
}

/** `from` as a list of references (a single one as a one-item list). */
const fromList = (v: Py | undefined): Py[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/**
 * A layer inserted on the edge from layer `source` to layer `target` (its input at `position` in `from`):
 * the new row becomes layer `target`, reads `source`, and the old target reads the new layer in that input;
 * its other inputs keep the layers they read. Returns the new row's text and the old target's new `from`.
 */
export function edgeInsertPlan(
  rows: readonly RowSource[],
  source: number,
  target: number,
  position: number,
  rowText: string,
): { row: string; targetFrom: Py } | Message {
  const N = rows.length;
  if (!isInt(target) || target < 0 || target >= N) return msg('no-such-row', { layer: target });
  const t = rows[target];
  const list = fromList(t.from?.value);
  if (!list.every(isInt)) return msg('from-not-whole', { layer: target, from: formatValue(t.from?.value ?? null) });
  if (!isInt(position) || position < 0 || position >= list.length)
    return msg('edge-no-input', { layer: target, position: String(position), count: list.length });
  const j = list[position] as number;
  const read = target === 0 && j === -1 ? -1 : j < 0 ? target + j : j;
  if (read !== source)
    return read === -1
      ? msg('edge-reads-image', { layer: target, position: String(position), source: String(source) })
      : msg('edge-reads-layer', { layer: target, position: String(position), read, source: String(source) });
  const text = rowText.trim();
  const s = parseRowSnippet(text);
  const row = s.rows[0];
  if (s.rows.length !== 1 || !row?.from || /[\r\n]/.test(text))
    return msg('row-not-one-line', { got: JSON.stringify(rowText) });
  const off = row.range[0];
  const ref = source === target - 1 || source === -1 ? -1 : source;
  const newRow = text.slice(0, row.from.range[0] - off) + formatValue(ref) + text.slice(row.from.range[1] - off);
  // the old target is now target + 1: the edge's input reads the new layer (-1); the others their old layers
  const me = target + 1;
  const next = list.map((x, k) => {
    if (k === position) return -1;
    const v = x as number;
    const u = target === 0 && v === -1 ? -1 : v < 0 ? target + v : v;
    if (v < 0) return u - me;
    return u >= target ? u + 1 : u; // a reference already pointing forward keeps its layer (and its error)
  });
  return { row: newRow, targetFrom: Array.isArray(t.from?.value) ? next : next[0] };
}
