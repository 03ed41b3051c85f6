/**
 * The edited document: its text (the state) and the parse of that text, kept up to date after a splice
 * without re-reading the whole document. Untouched rows, header values and diagnostics keep their parse
 * and shift by the splice; only rows and values whose text changed are read again, each on its own.
 * Whatever the fast path cannot handle safely (aliases, multi-line values, a document that does not
 * parse) falls back to a full parse, so the result always equals `parseModelText(newText)`.
 */
import { LineCounter } from 'yaml';
import {
  HEADER_KEYS,
  parseModelText,
  type HeaderKey,
  type Located,
  type ModelSource,
  type Range,
  type RowSource,
} from '../document.ts';
import { unreadableProblem, type Diagnostic } from '../diagnostics.ts';
import { msg, type Message } from '../messages/index.ts';
import type { Py } from '../py.ts';
import { detectEol } from './text.ts';

export interface EditDoc {
  readonly file: string;
  /** The state: the config's text, byte for byte (BOM and CRLF kept). */
  readonly text: string;
  /** The parse of `text` (equal to parseModelText(text, file)). */
  readonly source: ModelSource;
  /** Line ending new lines are written with. */
  readonly eol: string;
}

/** Open a config for editing. Never throws. */
export function openDoc(text: string, file = 'model.yaml'): EditDoc {
  return { file, text, source: parseModelText(text, file), eol: detectEol(text) };
}

/** The text as it is saved: exactly the document's text. */
export const exportText = (doc: EditDoc): string => doc.text;

/** A replacement of text[start, end) by `text`; `rows` / `header` say which new values it writes. */
export interface Splice {
  start: number;
  end: number;
  text: string;
  /** New rows written inside `text`: their section and offset/length within `text`. */
  rows?: { section: 'backbone' | 'head'; at: number; length: number }[];
  /**
   * The splice replaces exactly a row's `from`, `n` or `module` with `text`, which reads as `value`:
   * the row is updated without reading it again.
   */
  patch?: { field: 'from' | 'n' | 'module'; value: Py };
  /** A header value (or a whole new `key: value` line) written inside `text`. */
  header?: { key: HeaderKey; at: number; length: number };
}

export interface SpliceOutcome {
  doc: EditDoc;
  /** 'incremental': only changed rows were read; 'full': the whole text was parsed again. */
  parse: 'incremental' | 'full';
  /** A changed row or value no longer reads as one row/value (the edit should be refused). */
  problem?: Message;
}

/** The document is safe for the fast path: it parses without errors that hide its rows, and has no aliases. */
function incrementalOk(doc: EditDoc): boolean {
  const s = doc.source;
  if (unreadableProblem(s.diagnostics) || s.diagnostics.some((d) => d.code === 'bad-section')) return false;
  return !/(^|[\s[,:-])[&*!][^\s,\]]/.test(doc.text); // anchors, aliases, tags
}

/** Apply non-overlapping splices and bring the parse up to date. */
export function applySplices(doc: EditDoc, input: Splice[], forceFull = false): SpliceOutcome {
  const splices = [...input].sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start));
  const old = doc.text;
  let text = '';
  let pos = 0;
  const newStart: number[] = [];
  for (const s of splices) {
    if (s.start < pos || s.end < s.start || s.end > old.length)
      return { doc, parse: 'incremental', problem: msg('overlapping-splices') };
    text += old.slice(pos, s.start);
    newStart.push(text.length);
    text += s.text;
    pos = s.end;
  }
  text += old.slice(pos);
  // Text written between new rows and values (indentation, commas, `- `, moved comments) must not glue a
  // comment onto a token; anything unexpected there is left to a full parse (which reports it).
  let glueOk = true;
  splices.forEach((s, k) => {
    for (let i = s.text.indexOf('#'); i >= 0; i = s.text.indexOf('#', i + 1)) {
      const inValue =
        (s.rows ?? []).some((r) => i >= r.at && i < r.at + r.length) ||
        (s.header && i >= s.header.at && i < s.header.at + s.header.length);
      if (inValue) continue;
      const prev = text[newStart[k] + i - 1];
      if (prev !== undefined && !/\s/.test(prev)) glueOk = false;
    }
  });
  const full = (): SpliceOutcome => ({ doc: { ...doc, text, source: parseModelText(text, doc.file) }, parse: 'full' });
  if (forceFull || !glueOk || !incrementalOk(doc)) return full();

  /** Shift of an offset that no splice covers; `after` puts it after an insertion made exactly there. */
  const shift = (p: number, after: boolean): number => {
    let d = 0;
    for (const s of splices) {
      if (s.end < p || (s.end === p && (s.start < p || after))) d += s.text.length - (s.end - s.start);
      else break;
    }
    return d;
  };
  /** How a splice relates to a range: 0 untouched, 1 inside it, 2 covering or crossing it. */
  const relation = (r: Range): 0 | 1 | 2 => {
    let rel: 0 | 1 | 2 = 0;
    for (const s of splices) {
      if (s.start === s.end) {
        if (s.start > r[0] && s.start < r[1]) rel = 1;
        continue;
      }
      if (s.end <= r[0] || s.start >= r[1]) continue;
      if (s.start >= r[0] && s.end <= r[1]) rel = rel === 2 ? 2 : 1;
      else return 2;
    }
    return rel;
  };

  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  const src: ModelSource = { ...doc.source, text, header: {}, sections: {}, rows: [], diagnostics: [], lineCounter };
  const diags: Diagnostic[] = [];
  const relocate = (d: Diagnostic, delta: number): Diagnostic => {
    if (!d.range) return d;
    const range: Range = [d.range[0] + delta, d.range[1] + delta];
    const at = lineCounter.linePos(range[0]);
    return { ...d, range, line: at.line, column: at.col };
  };

  // diagnostics of untouched text keep their place (those of rows and values read again are made anew)
  const reread: Range[] = [];
  for (const r of doc.source.rows) if (relation(r.range) !== 0) reread.push(r.range);
  for (const h of Object.values(doc.source.header)) if (h && relation(h.range) !== 0) reread.push(h.range);
  for (const d of doc.source.diagnostics) {
    if (!d.range) diags.push(d);
    else if (relation(d.range) === 0 && !reread.some((r) => d.range![0] >= r[0] && d.range![1] <= r[1]))
      diags.push(relocate(d, shift(d.range[0], true)));
  }
  for (const key of ['backbone', 'head'] as const) {
    const s = doc.source.sections[key];
    if (!s) continue;
    if (relation(s.range) !== 0) return full();
    const d = shift(s.range[0], true);
    src.sections[key] = { value: null, range: [s.range[0] + d, s.range[1] + d] };
  }

  // header values
  for (const key of HEADER_KEYS) {
    const h = doc.source.header[key];
    if (!h) continue;
    const rel = relation(h.range);
    if (rel === 0) {
      const d = shift(h.range[0], true);
      src.header[key] = { value: h.value, range: [h.range[0] + d, h.range[1] + d] };
    } else if (rel === 1) {
      const a = h.range[0] + shift(h.range[0], true);
      const b = h.range[1] + shift(h.range[1], false);
      const got = readHeaderValue(key, text.slice(a, b), a, src, diags);
      if (got === 'multi-line') return full();
      if ('params' in got) return { doc, parse: 'incremental', problem: got };
      src.header[key] = got;
    }
    // rel 2: the key's line was removed or rewritten whole (a splice's `header` then says what it holds)
  }

  // rows: untouched ones shift, edited ones are read again, removed ones go
  for (const r of doc.source.rows) {
    const rel = relation(r.range);
    if (rel === 2) continue;
    if (rel === 0) {
      src.rows.push(shiftRow(r, shift(r.range[0], true)));
      continue;
    }
    const patched = patchRow(r, shift(r.range[0], true), splices, doc.source.diagnostics);
    if (patched) {
      src.rows.push(patched);
      continue;
    }
    const a = r.range[0] + shift(r.range[0], true);
    const b = r.range[1] + shift(r.range[1], false);
    const got = readRow(r.section, text.slice(a, b), a, src, diags);
    if (got === 'multi-line') return full();
    if ('params' in got) return { doc, parse: 'incremental', problem: got };
    src.rows.push(got);
  }
  // new rows and header lines written by the splices
  for (let k = 0; k < splices.length; k++) {
    const s = splices[k];
    for (const nr of s.rows ?? []) {
      const a = newStart[k] + nr.at;
      const got = readRow(nr.section, text.slice(a, a + nr.length), a, src, diags);
      if (got === 'multi-line') return full();
      if ('params' in got) return { doc, parse: 'incremental', problem: got };
      src.rows.push(got);
    }
    if (s.header) {
      const a = newStart[k] + s.header.at;
      const got = readHeaderValue(s.header.key, text.slice(a, a + s.header.length), a, src, diags);
      if (got === 'multi-line') return full();
      if ('params' in got) return { doc, parse: 'incremental', problem: got };
      src.header[s.header.key] = got;
    }
  }

  // header keys in the order the text has them, as the parser gives them
  src.header = Object.fromEntries(Object.entries(src.header).sort((x, y) => x[1]!.range[0] - y[1]!.range[0]));
  // number the rows as the parser does: by section, then by place in the text
  src.rows.sort((x, y) => (x.section === y.section ? x.range[0] - y.range[0] : x.section === 'backbone' ? -1 : 1));
  let pb = 0;
  let ph = 0;
  src.rows.forEach((r, i) => {
    r.index = i;
    r.position = r.section === 'backbone' ? pb++ : ph++;
  });
  // keep the parser's order of diagnostics (by place in the text, file-level first as found)
  src.diagnostics = diags.sort((x, y) => (x.range?.[0] ?? -1) - (y.range?.[0] ?? -1));
  return { doc: { ...doc, text, source: src }, parse: 'incremental' };
}

function shiftRow(r: RowSource, d: number): RowSource {
  if (d === 0) return { ...r };
  const sh = (x: Range): Range => [x[0] + d, x[1] + d];
  const loc = <T>(l: Located<T> | undefined) => (l ? { value: l.value, range: sh(l.range) } : undefined);
  const out: RowSource = {
    index: r.index,
    section: r.section,
    position: r.position,
    range: sh(r.range),
    malformed: r.malformed,
  };
  if (r.from) out.from = loc(r.from);
  if (r.n) out.n = loc(r.n);
  if (r.module) out.module = loc(r.module);
  if (r.args) out.args = { value: r.args.value, range: sh(r.args.range), items: r.args.items.map(sh) };
  return out;
}

/**
 * A row whose only changes are whole `from` / `n` / `module` values with known results, updated in place
 * (reading a row again costs a YAML parse). Undefined when the row must be read again.
 */
function patchRow(r: RowSource, base: number, splices: Splice[], diagnostics: Diagnostic[]): RowSource | undefined {
  const inside = splices.filter(
    (s) =>
      (s.start !== s.end || (s.start > r.range[0] && s.start < r.range[1])) &&
      s.start >= r.range[0] &&
      s.end <= r.range[1],
  );
  if (
    !inside.length ||
    !inside.every(
      (s) =>
        s.patch && r[s.patch.field] && r[s.patch.field]!.range[0] === s.start && r[s.patch.field]!.range[1] === s.end,
    )
  )
    return undefined;
  if (diagnostics.some((d) => d.range && d.range[0] < r.range[1] && d.range[1] > r.range[0])) return undefined;
  const at = (p: number): number => {
    let d = base;
    for (const s of inside) if (s.end <= p) d += s.text.length - (s.end - s.start);
    return p + d;
  };
  const mv = (x: Range): Range => [at(x[0]), at(x[1])];
  const out: RowSource = {
    index: r.index,
    section: r.section,
    position: r.position,
    range: [at(r.range[0]), at(r.range[1])],
    malformed: r.malformed,
  };
  for (const f of ['from', 'n', 'module'] as const) {
    const l = r[f];
    if (!l) continue;
    const s = inside.find((x) => x.patch!.field === f);
    out[f] = s
      ? { value: s.patch!.value, range: [at(s.start), at(s.start) + s.text.length] }
      : { value: l.value, range: mv(l.range) };
  }
  if (r.args) out.args = { value: r.args.value, range: mv(r.args.range), items: r.args.items.map(mv) };
  return out;
}

const ROW_PREFIX = 'backbone: [';

const snippets = new Map<string, ModelSource>();
/**
 * A row's text parsed on its own as the only item of a list (cached by text: the parse is pure; callers copy
 * what they keep, and place its diagnostics in their own file).
 */
export function parseRowSnippet(rowText: string): ModelSource {
  let s = snippets.get(rowText);
  if (!s) {
    s = parseModelText(`${ROW_PREFIX}${rowText}]`, '');
    if (snippets.size > 2000) snippets.clear();
    snippets.set(rowText, s);
  }
  return s;
}

/** Read one row's text on its own (as the item of a one-row list); its ranges placed at `at`. */
function readRow(
  section: 'backbone' | 'head',
  rowText: string,
  at: number,
  into: ModelSource,
  diags: Diagnostic[],
): RowSource | Message | 'multi-line' {
  if (/[\r\n]/.test(rowText)) return 'multi-line';
  const s = parseRowSnippet(rowText);
  const bad = s.diagnostics.find((d) => d.code === 'yaml-syntax' || d.code === 'yaml-warning');
  if (bad || s.rows.length !== 1)
    return bad
      ? msg('not-one-row-problem', { row: rowText, problem: bad.message })
      : msg('not-one-row', { row: rowText });
  const r = s.rows[0];
  const d = at - ROW_PREFIX.length;
  if (r.range[0] !== ROW_PREFIX.length || r.range[1] !== ROW_PREFIX.length + rowText.length)
    return msg('not-one-row', { row: rowText });
  const row = shiftRow(r, d);
  row.section = section;
  for (const x of s.diagnostics) diags.push(relocateInto(x, d, into));
  return row;
}

function readHeaderValue(
  key: HeaderKey,
  valueText: string,
  at: number,
  into: ModelSource,
  diags: Diagnostic[],
): Located<any> | Message | 'multi-line' {
  if (/[\r\n]/.test(valueText)) return 'multi-line';
  const prefix = `${key}: `;
  const s = parseModelText(`${prefix}${valueText}`, into.file);
  const h = s.header[key];
  const bad = s.diagnostics.find((d) => d.code === 'yaml-syntax' || d.code === 'yaml-warning');
  if (bad || !h || h.range[0] !== prefix.length || h.range[1] !== prefix.length + valueText.length)
    return bad
      ? msg('not-a-header-value-problem', { key, value: valueText, problem: bad.message })
      : msg('not-a-header-value', { key, value: valueText });
  const d = at - prefix.length;
  for (const x of s.diagnostics) diags.push(relocateInto(x, d, into));
  return { value: h.value, range: [h.range[0] + d, h.range[1] + d] };
}

function relocateInto(x: Diagnostic, d: number, into: ModelSource): Diagnostic {
  if (!x.range) return { ...x, file: into.file };
  const range: Range = [x.range[0] + d, x.range[1] + d];
  const pos = into.lineCounter.linePos(range[0]);
  return { ...x, file: into.file, range, line: pos.line, column: pos.col };
}
