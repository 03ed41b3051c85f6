/**
 * Text helpers for editing a config in place: line boundaries, the layout of a row on its line(s),
 * and Python values written back as YAML the way YOLOv5 configs write them (None, True, "nearest").
 */
import { isPyFloat, isPyModule, reprFloat, type Py } from '../py.ts';
import type { Range, RowSource } from '../document.ts';

/** The document's line ending: CRLF when its first line break is CRLF. */
export function detectEol(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

export const lineStartOf = (text: string, p: number): number => text.lastIndexOf('\n', p - 1) + 1;

/** Offset just after the line break that ends the line holding `p` (text.length on the last line). */
export function lineEndOf(text: string, p: number): number {
  const i = text.indexOf('\n', p);
  return i < 0 ? text.length : i + 1;
}

/** How a row sits in the text. */
export interface RowLayout {
  /**
   * 'line': alone on its line(s) (`    [-1, 1, Conv, [64]], # 0` or `  - [...]`);
   * 'first': right after the list's opening bracket, ending its line (`  [[-1, 1, Conv, [64]],  # 0`);
   * 'last': starting its line, the list's closing bracket after it (`   [[17, 20, 23], 1, Detect, [nc, anchors]]]`);
   * 'inline': sharing its line with other rows.
   */
  kind: 'line' | 'first' | 'last' | 'inline';
  /** Block sequence item (`- [...]`) rather than an item of a flow list (`[...],`). */
  block: boolean;
  /** Text before the row on its line (indentation, `- `, or `head: [`). */
  prefix: string;
  /** Indentation for a new line holding a row written beside this one. */
  indent: string;
  /** A comma follows the row (flow lists). */
  comma: boolean;
  /** The comment after the row on its line, with the spaces before it ('' when none). */
  comment: string;
  /** The text the row takes with it when it is removed or moved: its line(s) and comment, or the row and a comma. */
  unit: Range;
  /** The unit ends with a line break ('line' rows). */
  hasEol: boolean;
  /**
   * Full-line comments directly above a 'line' row that belong to it (the block follows another row or the
   * list's `[`, so it is not a section's heading under `backbone:` such as `# [from, number, module, args]`):
   * removed and moved with the row.
   */
  lead: Range | null;
}

const COMMENT_LINE = /^[ \t]*#[^\r\n]*\r?\n$/;

/** The full-line comments right above the line starting at `ls` when the line above them holds a row. */
function leadingComments(text: string, ls: number): Range | null {
  let start = ls;
  while (start > 0) {
    const prev = lineStartOf(text, start - 1);
    if (!COMMENT_LINE.test(text.slice(prev, start))) break;
    start = prev;
  }
  if (start === ls || start === 0) return null;
  const above = text.slice(lineStartOf(text, start - 1), start);
  // below another row or a list's opening `[`: the row's own; below a key (`backbone:`) or a blank line: a heading
  return /(\]|\[)[ \t]*,?[ \t]*(#[^\r\n]*)?\r?\n$/.test(above) ? [start, ls] : null;
}

const SUFFIX = /^([ \t]*)(,?)([ \t]*#[^\r\n]*)?[ \t]*(\r?\n|$)/;

/** The comment after a row, always with the blank that must separate it from the row. */
const comment = (m: RegExpExecArray): string => {
  const c = m[3] ?? '';
  return !c || /^[ \t]/.test(c) ? c : ` ${c}`;
};

export function rowLayout(text: string, row: RowSource): RowLayout {
  const [start, end] = row.range;
  const ls = lineStartOf(text, start);
  const prefix = text.slice(ls, start);
  const block = /^[ \t]*-[ \t]+$/.test(prefix);
  const lead = /^[ \t]*$/.test(prefix);
  const indent = block || lead ? prefix : ' '.repeat(prefix.length);
  const after = text.slice(end, lineEndOf(text, end));
  const m = SUFFIX.exec(after);
  const base = { block, prefix, indent, comma: false, comment: '', hasEol: false, lead: null };
  if ((block || lead) && m) {
    return {
      ...base,
      kind: 'line',
      comma: m[2] === ',',
      comment: comment(m),
      unit: [ls, end + m[0].length],
      hasEol: m[4] !== '',
      lead: leadingComments(text, ls),
    };
  }
  if (/\[[ \t]*$/.test(prefix) && m && m[2] === ',') {
    // the first row after `[`: removing it pulls the next row up onto the bracket's line
    const lineEnd = end + m[0].length;
    const next = /^[ \t]*(?=\[)/.exec(text.slice(lineEnd));
    return {
      ...base,
      kind: 'first',
      comma: true,
      comment: comment(m),
      unit: [start, next ? lineEnd + next[0].length : end + m[1].length + 1],
      hasEol: m[4] !== '',
    };
  }
  if (lead && /^\s*\]/.test(after)) return { ...base, kind: 'last', unit: [start, end] };
  // Shares its line with other rows: the row plus the comma that separates it from the next one.
  const tail = /^\s*,[ \t]*/.exec(text.slice(end));
  if (tail) return { ...base, kind: 'inline', comma: true, unit: [start, end + tail[0].length] };
  // The last row of an inline list: take the comma before it.
  const before = /,\s*$/.exec(text.slice(Math.max(0, start - 200), start));
  return { ...base, kind: 'inline', unit: [before ? start - before[0].length : start, end] };
}

/** A Python value as a YOLOv5 config writes it (YAML 1.1 that parse_model's eval() reads back). */
export function formatValue(v: Py): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : reprFloat(v);
  if (isPyFloat(v)) return reprFloat(v.v);
  if (typeof v === 'string') return EXPRESSIONS.has(v) || /^deleted_\d+_[\w.]*$/.test(v) ? v : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (isPyModule(v)) {
    const kw = v.kwargs ? Object.entries(v.kwargs).map(([k, x]) => `${k}=${formatValue(x)}`) : [];
    return `${v.module}(${[...v.args.map(formatValue), ...kw].join(', ')})`;
  }
  return JSON.stringify(String(v));
}

/** Names parse_model's eval() gives a value (written plain, as the configs write `nc` and `anchors`); other strings are quoted. */
const EXPRESSIONS = new Set(['nc', 'anchors', 'na', 'no', 'gd', 'gw', 'ch_mul']);

/** A default value as written in a row (a string such as Upsample's mode quoted, as the configs write "nearest"). */
export const formatDefault = (v: Py): string => formatValue(v);

/** The separator the row uses between items (', ' in every shipped config). */
export const itemSeparator = (rowText: string): string => (/,\S/.test(rowText) && !/, /.test(rowText) ? ',' : ', ');

/** A row as YOLOv5 configs write it, e.g. `[-1, 1, Conv, [128, 3, 2]]` (for the palette and the inspector). */
export function formatRow(row: { from: number | number[]; n?: number; module: string; args?: Py[] }): string {
  return `[${formatValue(row.from)}, ${row.n ?? 1}, ${row.module}, ${formatValue(row.args ?? [])}]`;
}

/** The smallest single replacement turning `a` into `b` (an editText change: keeps rows outside it as they are). */
export function minimalChange(a: string, b: string): { from: number; to: number; insert: string } {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  return { from: start, to: endA, insert: b.slice(start, endB) };
}
