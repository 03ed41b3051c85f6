/**
 * Layer-number comments. YOLOv5's own configs end rows with their index: `# 4`, `# 5 P4/16`, `# 0-P1/2`,
 * `# 24 Detect(P3, P4, P5)`. When an edit renumbers rows, a trailing comment whose leading number is the
 * row's old index follows it to the new index; every other number in comments (one naming another row,
 * a stride, a size) is left as written, and so is every other byte.
 */
import type { RowSource } from '../document.ts';
import { lineEndOf, type RowLayout } from './text.ts';

/** `#`, blanks, the number (not the start of a decimal or a longer number). */
const LEADING = /^([ \t]*#[ \t]*)(\d{1,6})(?![\d.])/;

/** The leading number of a comment (`# 5 P4/16` -> 5), or null. */
export function commentNumber(comment: string): number | null {
  const m = LEADING.exec(comment);
  return m ? Number(m[2]) : null;
}

/** The comment with its leading number changed from `oldIndex` to `newIndex` (unchanged when it names another number). */
export function renumberComment(comment: string, oldIndex: number, newIndex: number): string {
  const m = LEADING.exec(comment);
  if (!m || Number(m[2]) !== oldIndex || m[2] !== String(oldIndex)) return comment;
  return m[1] + String(newIndex) + comment.slice(m[0].length);
}

/**
 * Where the leading number of a row's own trailing comment sits in the text (the comment after the row on
 * its line, for rows alone on their line or first/last in their list), or null. Rows sharing a line with
 * other rows have no comment of their own.
 */
export function commentNumberRange(text: string, row: RowSource, layout: RowLayout): [number, number] | null {
  if (layout.kind === 'inline') return null;
  const end = row.range[1];
  const rest = text.slice(end, lineEndOf(text, end));
  // after the row: a comma, or (the last row of a flow list) the list's closing bracket and its comma
  const m = /^[ \t]*,?[ \t]*(?:\][ \t]*,?[ \t]*)?(?=#)/.exec(rest);
  if (!m) return null;
  const n = LEADING.exec(rest.slice(m[0].length));
  if (!n) return null;
  const start = end + m[0].length + n[1].length;
  return [start, start + n[2].length];
}
