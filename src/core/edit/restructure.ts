/**
 * The one operation under insert, delete, move and duplicate: a new order of rows, written into the text
 * with the fewest changes. Rows that stay keep their text (only `from` numbers that must change are
 * rewritten); removed and moved rows take their whole line with them (comment included); new and moved
 * rows are written in the style of the row they land next to (indentation, `- ` or trailing comma).
 */
import type { RowSource } from '../document.ts';
import { msg, type Message } from '../messages/index.ts';
import { pyEqual, type Py } from '../py.ts';
import { renumberFrom, rewriteFromText, type IndexMap } from './refs.ts';
import { applySplices, type EditDoc, type Splice, type SpliceOutcome } from './source.ts';
import { lineEndOf, lineStartOf, rowLayout, type RowLayout } from './text.ts';
import { commentNumberRange, renumberComment } from './comments.ts';

export type Section = 'backbone' | 'head';

/** One row of the result, in order. */
export type Slot =
  /** an old row that stays where its text is */
  | { kind: 'keep'; old: number }
  /** an old row whose text moves here (its line and comment with it) */
  | { kind: 'move'; old: number; section: Section }
  /** a copy of an old row (its references renumbered for the new place) */
  | { kind: 'copy'; old: number; section: Section }
  /**
   * a new row, its text as given (references as they will be read at its new index), with an optional
   * comment for its line (e.g. ` # 4`, written as given)
   */
  | { kind: 'new'; text: string; section: Section; comment?: string };

export interface Restructured {
  outcome?: SpliceOutcome;
  mapping: IndexMap;
  error?: Message;
}

const sectionOf = (rows: readonly RowSource[], s: Slot): Section =>
  s.kind === 'keep' ? rows[s.old].section : s.section;

export function restructure(doc: EditDoc, slots: Slot[]): Restructured {
  const rows = doc.source.rows;
  const text = doc.text;
  const N = rows.length;
  const mapping: IndexMap = new Array(N).fill(null);
  let lastKeep = -1;
  let seenHead = false;
  for (let m = 0; m < slots.length; m++) {
    const s = slots[m];
    const sec = sectionOf(rows, s);
    if (sec === 'backbone' && seenHead) return { mapping, error: msg('backbone-before-head') };
    if (sec === 'head') seenHead = true;
    if (s.kind === 'keep' || s.kind === 'move') {
      if (mapping[s.old] !== null) return { mapping, error: msg('layer-twice', { layer: s.old }) };
      mapping[s.old] = m;
    }
    if (s.kind === 'keep') {
      if (s.old <= lastKeep) return { mapping, error: msg('rows-keep-order') };
      lastKeep = s.old;
    }
  }
  for (const s of slots)
    if (s.kind !== 'new' && (s.old < 0 || s.old >= N)) return { mapping, error: msg('no-such-row', { layer: s.old }) };

  const layouts = new Map<number, RowLayout>();
  const layout = (k: number) => {
    let l = layouts.get(k);
    if (!l) layouts.set(k, (l = rowLayout(text, rows[k])));
    return l;
  };
  const splices: Splice[] = [];

  /** The text of old row k placed at new index m: its `from` renumbered. */
  const rowTextAt = (k: number, m: number): string => {
    const r = rows[k];
    const rt = text.slice(r.range[0], r.range[1]);
    if (!r.from) return rt;
    const nv = renumberFrom(r.from.value, k, m, mapping, rows);
    if (pyEqual(nv, r.from.value) && sameStrings(nv, r.from.value)) return rt;
    const ft = rewriteFromText(text.slice(r.from.range[0], r.from.range[1]), r.from.value, nv);
    return rt.slice(0, r.from.range[0] - r.range[0]) + ft + rt.slice(r.from.range[1] - r.range[0]);
  };

  // rows that stay: rewrite the references that must change, and their layer-number comment
  slots.forEach((s, m) => {
    if (s.kind !== 'keep') return;
    const r = rows[s.old];
    if (m !== s.old) {
      const c = commentNumberRange(text, r, layout(s.old));
      if (c && text.slice(c[0], c[1]) === String(s.old)) splices.push({ start: c[0], end: c[1], text: String(m) });
    }
    if (!r.from) return;
    const nv = renumberFrom(r.from.value, s.old, m, mapping, rows);
    if (pyEqual(nv, r.from.value) && sameStrings(nv, r.from.value)) return;
    splices.push({
      start: r.from.range[0],
      end: r.from.range[1],
      text: rewriteFromText(text.slice(r.from.range[0], r.from.range[1]), r.from.value, nv),
      patch: { field: 'from', value: nv },
    });
  });

  // rows written anew, grouped by the row they are written next to
  interface Group {
    where: 'before' | 'after' | 'empty';
    anchor: number; // old index of the anchor row (or -1 for an empty section)
    section: Section;
    items: { text: string; comment: string; old?: number; lead?: string }[];
  }
  const groups: Group[] = [];
  for (let m = 0; m < slots.length; m++) {
    const s = slots[m];
    if (s.kind === 'keep') continue;
    const sec = sectionOf(rows, s);
    let where: Group['where'] = 'empty';
    let anchor = -1;
    for (let j = m + 1; j < slots.length && sectionOf(rows, slots[j]) === sec; j++) {
      const t = slots[j];
      if (t.kind === 'keep') {
        [where, anchor] = ['before', t.old];
        break;
      }
    }
    if (where === 'empty') {
      for (let j = m - 1; j >= 0 && sectionOf(rows, slots[j]) === sec; j--) {
        const t = slots[j];
        if (t.kind === 'keep') {
          [where, anchor] = ['after', t.old];
          break;
        }
      }
    }
    const item =
      s.kind === 'new'
        ? { text: s.text, comment: s.comment ?? '' }
        : {
            text: rowTextAt(s.old, m),
            comment: s.kind === 'move' ? renumberComment(layout(s.old).comment, s.old, m) : '',
            ...(s.kind === 'move' ? { old: s.old } : {}),
          };
    const g = groups[groups.length - 1];
    if (g && g.where === where && g.anchor === anchor && g.section === sec) g.items.push(item);
    else groups.push({ where, anchor, section: sec, items: [item] });
  }

  const eol = doc.eol;
  // a moved row takes the comment lines above it where it lands on lines of its own
  const writesLines = (g: Group) => {
    if (g.where === 'empty') return false;
    const L = layout(g.anchor);
    return g.where === 'before'
      ? L.kind === 'line' || (L.kind === 'inline' && /^[ \t]*$/.test(L.prefix))
      : L.kind === 'line';
  };
  const carried = new Set<number>();
  for (const g of groups) {
    if (!writesLines(g)) continue;
    const indent = layout(g.anchor).indent;
    for (const it of g.items) {
      const lead = it.old !== undefined ? layout(it.old).lead : null;
      if (!lead || it.old === undefined) continue;
      carried.add(it.old);
      it.lead = text
        .slice(lead[0], lead[1])
        .split(/\r?\n/)
        .filter((l) => l.trim())
        .map((l) => `${indent}${l.trimStart()}${eol}`)
        .join('');
    }
  }
  // removed rows take their comment lines with them, moved rows where the comments go along
  const deletions: [number, number][] = [];
  rows.forEach((r, k) => {
    if (mapping[k] !== null && slots[mapping[k]!].kind !== 'move') return;
    const L = layout(k);
    const withLead = L.lead && (mapping[k] === null || carried.has(k));
    deletions.push([withLead ? L.lead![0] : L.unit[0], L.unit[1]]);
  });
  // merge overlapping removals (rows sharing a line share a comma)
  deletions.sort((a, b) => a[0] - b[0]);
  for (const d of deletions) {
    const last = splices.find((x) => x.text === '' && x.start <= d[0] && d[0] < x.end);
    if (last) last.end = Math.max(last.end, d[1]);
    else splices.push({ start: d[0], end: d[1], text: '' });
  }

  for (const g of groups) {
    const rowsAt: NonNullable<Splice['rows']> = [];
    let out = '';
    const add = (before: string, rowText: string, after: string) => {
      out += before;
      rowsAt.push({ section: g.section, at: out.length, length: rowText.length });
      out += rowText + after;
    };
    if (g.where === 'empty') {
      const sec = doc.source.sections[g.section];
      if (!sec) return { mapping, error: msg('no-section-to-insert', { section: g.section }) };
      const after = text.slice(sec.range[1]);
      const flowEmpty = /^[ \t]*:[ \t]*\[\s*\]/.exec(after);
      const nothing = /^[ \t]*:[ \t]*(?=#|\r?\n|$)/.exec(after);
      if (flowEmpty) {
        const open = sec.range[1] + flowEmpty[0].indexOf('[') + 1;
        g.items.forEach((it, i) => add(i ? ', ' : '', it.text, ''));
        splices.push({ start: open, end: sec.range[1] + flowEmpty[0].length - 1, text: out, rows: rowsAt });
      } else if (nothing) {
        out = ' [';
        g.items.forEach((it, i) => add(i ? ', ' : '', it.text, ''));
        out += ']';
        splices.push({
          start: sec.range[1] + nothing[0].length,
          end: sec.range[1] + nothing[0].length,
          text: out,
          rows: rowsAt,
        });
      } else return { mapping, error: msg('no-place-for-rows', { section: g.section }) };
      continue;
    }
    const a = rows[g.anchor];
    const L = layout(g.anchor);
    const comma = L.block ? '' : ',';
    if (g.where === 'before') {
      if (L.kind === 'first') {
        // `  [[new],\n   [anchor],`: the new row takes the bracket's line, the anchor moves to the next
        g.items.forEach((it) => add('', it.text, `,${it.comment}${eol}${L.indent}`));
        splices.push({ start: a.range[0], end: a.range[0], text: out, rows: rowsAt });
      } else if (L.kind === 'inline' && !/^[ \t]*$/.test(L.prefix)) {
        g.items.forEach((it) => add('', it.text, ', '));
        splices.push({ start: a.range[0], end: a.range[0], text: out, rows: rowsAt });
      } else {
        g.items.forEach((it) => {
          out += it.lead ?? '';
          add(L.indent, it.text, `${comma}${it.comment}${eol}`);
        });
        // above the anchor's own comment lines, which stay with it
        const ls = L.lead ? L.lead[0] : lineStartOf(text, a.range[0]);
        splices.push({ start: ls, end: ls, text: out, rows: rowsAt });
      }
    } else if (L.kind === 'line' || L.kind === 'first') {
      // after the section's last row: the last written row mirrors whether that row had a trailing comma
      const lastComma = L.block ? '' : L.comma ? ',' : '';
      if (!L.block && !L.comma) splices.push({ start: a.range[1], end: a.range[1], text: ',' });
      if (!L.hasEol) out += eol;
      g.items.forEach((it, i) => {
        out += it.lead ?? '';
        add(
          L.indent,
          it.text,
          `${i === g.items.length - 1 ? lastComma : comma}${it.comment}${i === g.items.length - 1 && !L.hasEol ? '' : eol}`,
        );
      });
      const at = L.hasEol ? lineEndOf(text, a.range[1]) : text.length;
      splices.push({ start: at, end: at, text: out, rows: rowsAt });
    } else if (L.kind === 'last') {
      // `   [anchor],\n   [new]]`
      g.items.forEach((it) => add(`,${eol}${L.indent}`, it.text, ''));
      splices.push({ start: a.range[1], end: a.range[1], text: out, rows: rowsAt });
    } else {
      g.items.forEach((it) => add(', ', it.text, ''));
      splices.push({ start: a.range[1], end: a.range[1], text: out, rows: rowsAt });
    }
  }

  const outcome = applySplices(doc, splices);
  if (outcome.problem) return { mapping, error: outcome.problem };
  if (outcome.doc.source.rows.length !== slots.length) return { mapping, error: msg('rows-not-read-back') };
  return { outcome, mapping };
}

/** pyEqual treats a marker string and a number as different already; this also tells 'a' from 'b'. */
function sameStrings(a: Py, b: Py): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameStrings(x, b[i]));
  return typeof a === typeof b;
}
