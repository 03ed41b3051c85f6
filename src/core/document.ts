/**
 * Reading a model config as PyYAML (YAML 1.1) reads it, keeping where every value stands in the text.
 * Never throws: problems become diagnostics.
 */
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YNode } from 'yaml';
import { PyFloat, type Py } from './py.ts';
import type { Diagnostic, Severity } from './diagnostics.ts';
import { lineColumn, nestingTooDeep } from './nesting.ts';
import { LIMITS } from './limits.ts';
import { msg, yamlProblem, type Message } from './messages/index.ts';

/** Offsets [start, end) into the text. */
export type Range = [number, number];

export interface Located<T> {
  value: T;
  range: Range;
}

export interface RowSource {
  /** Global layer index (backbone rows first, then head rows). */
  index: number;
  section: 'backbone' | 'head';
  /** Position of this row within its section. */
  position: number;
  range: Range;
  from?: Located<Py>;
  n?: Located<Py>;
  module?: Located<Py>;
  args?: Located<Py[]> & { items: Range[] };
  /** The row as written has the wrong shape (not a 4-item list); already reported. */
  malformed: boolean;
}

/** The top-level keys of a model config in either family (families.ts says which family reads which). */
export const HEADER_KEYS = [
  'nc',
  'depth_multiple',
  'width_multiple',
  'anchors',
  'activation',
  'channel_multiple',
  'ch',
  'scales',
  'kpt_shape',
  'channels',
] as const;
export type HeaderKey = (typeof HEADER_KEYS)[number];

export interface ModelSource {
  file: string;
  text: string;
  header: Partial<Record<HeaderKey, Located<Py>>>;
  sections: Partial<Record<'backbone' | 'head', Located<null>>>;
  rows: RowSource[];
  /** Class names, when the file has `names:` (a dataset YAML, or a model with names). */
  names?: string[];
  /** Top-level keys other than the known ones (kept, reported as info). */
  extraKeys: string[];
  diagnostics: Diagnostic[];
  lineCounter: LineCounter;
}

export const MAX_TEXT_LENGTH = LIMITS.modelBytes;
const MAX_NODES = LIMITS.yamlValues;

class TooBig extends Error {}

export function makeDiag(
  src: { file: string; lineCounter: LineCounter },
  code: string,
  severity: Severity,
  message: Message,
  range: Range | undefined,
  layer?: number,
): Diagnostic {
  const at = range ? src.lineCounter.linePos(range[0]) : { line: 1, col: 1 };
  return {
    code,
    severity,
    message,
    file: src.file,
    line: at.line,
    column: at.col,
    ...(layer !== undefined ? { layer } : {}),
    ...(range ? { range } : {}),
  };
}

/** Parse a model config. `file` is used in messages. */
export function parseModelText(text: string, file = 'model.yaml'): ModelSource {
  const lineCounter = new LineCounter();
  const src: ModelSource = {
    file,
    text,
    header: {},
    sections: {},
    rows: [],
    extraKeys: [],
    diagnostics: [],
    lineCounter,
  };
  const diag = (code: string, severity: Severity, message: Message, range?: Range, layer?: number) =>
    src.diagnostics.push(makeDiag(src, code, severity, message, range, layer));

  if (text.length > MAX_TEXT_LENGTH) {
    diag(
      'file-too-large',
      'error',
      msg('file-too-large', { size: (text.length / 1048576).toFixed(1), max: MAX_TEXT_LENGTH / 1048576 }),
    );
    return src;
  }
  // PyYAML refuses some characters outright, and breaks lines where the yaml package does not (a bare \r,
  // \x85, U+2028, U+2029): read the text as PyYAML does, so a comment cannot hide a key YOLOv5 would see
  // (no parser has counted lines yet: these say their line themselves)
  const early = (code: string, severity: Severity, message: Message, at: number) => {
    const { line, column } = lineColumn(text, at);
    src.diagnostics.push({ code, severity, message, file, line, column, range: [at, at + 1] });
  };
  const codePoint = (c: string) => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  const bad = PYYAML_REFUSES.exec(text);
  if (bad) {
    early('yaml-character', 'error', msg('yaml-character', { code: codePoint(bad[0]) }), bad.index);
    return src;
  }
  const odd = PYYAML_ONLY_BREAK.exec(text);
  const yamlText = odd ? text.replace(PYYAML_ONLY_BREAKS, '\n') : text;
  if (odd) early('yaml-line-break', 'warning', msg('yaml-line-break', { code: codePoint(odd[0]) }), odd.index);
  const deep = nestingTooDeep(yamlText);
  if (deep) {
    early('too-deep', 'error', deep.message, deep.offset);
    return src;
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(yamlText, {
      version: '1.1',
      lineCounter,
      uniqueKeys: false,
      prettyErrors: false,
      keepSourceTokens: false,
    });
  } catch (e) {
    diag('yaml-syntax', 'error', msg('yaml-unreadable', { problem: yamlProblem((e as Error).message) }));
    return src;
  }
  for (const e of doc.errors) {
    const r: Range = [e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)];
    // (the nesting scan keeps the parser's recursion far from the stack's end; this is a second guard)
    if (/call stack/i.test(e.message)) {
      diag('too-deep', 'error', msg('yaml-stack'), r);
      return src;
    }
    diag('yaml-syntax', 'error', msg('yaml-syntax', { problem: yamlProblem(firstLine(e.message)) }), r);
  }
  if (doc.errors.length) return src;
  for (const w of doc.warnings)
    diag('yaml-warning', 'warning', msg('yaml-warning', { problem: yamlProblem(firstLine(w.message)) }), [
      w.pos[0],
      w.pos[1],
    ]);

  let budget = MAX_NODES;
  // each alias resolved once: the yaml package walks the whole document to resolve one (an alias bomb
  // resolves the same few aliases hundreds of thousands of times)
  const targets = new Map<unknown, unknown>();
  const resolve = (n: unknown): YNode | null => {
    let cur = n;
    for (let hops = 0; isAlias(cur); hops++) {
      if (hops > 100) throw new TooBig();
      const alias = cur;
      cur = targets.has(alias) ? targets.get(alias) : alias.resolve(doc);
      targets.set(alias, cur);
    }
    return (cur as YNode) ?? null;
  };
  const rangeOf = (n: unknown, fallback: Range): Range => {
    const r = (n as { range?: [number, number, number] } | null)?.range;
    return r ? [r[0], r[1]] : fallback;
  };
  const toPy = (n: unknown): Py => {
    if (--budget < 0) throw new TooBig();
    const node = resolve(n);
    if (node === null || node === undefined) return null;
    if (isScalar(node))
      return scalarToPy(
        node.value,
        node.source ?? yamlText.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0),
        node.type,
      );
    if (isSeq(node)) return node.items.map(toPy);
    if (isMap(node)) return node.items.map((p) => [toPy(p.key), toPy(p.value)]);
    return null;
  };

  try {
    const root = resolve(doc.contents);
    if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
      diag('missing-section', 'error', msg('empty-file'));
      return src;
    }
    if (!isMap(root)) {
      diag('not-a-mapping', 'error', msg('not-a-mapping'), rangeOf(root, [0, 1]));
      return src;
    }
    // a key written twice: the last one counts, as PyYAML builds the dict; each earlier one is ignored (and said)
    const keyOf = (pair: { key: unknown }) => {
      const keyNode = resolve(pair.key);
      return isScalar(keyNode) ? String(keyNode.value) : '';
    };
    const last = new Map<string, number>();
    root.items.forEach((pair, k) => last.set(keyOf(pair), k));
    for (const [k, pair] of root.items.entries()) {
      const keyNode = resolve(pair.key);
      const key = keyOf(pair);
      const krange = rangeOf(keyNode, [0, 1]);
      if (last.get(key) !== k) {
        diag('duplicate-key', 'warning', msg('duplicate-key', { key }), krange);
        continue;
      }
      const vnode = resolve(pair.value);
      const vrange = rangeOf(vnode, krange);
      if ((HEADER_KEYS as readonly string[]).includes(key)) {
        src.header[key as HeaderKey] = { value: toPy(vnode), range: vrange };
      } else if (key === 'backbone' || key === 'head') {
        src.sections[key] = { value: null, range: krange };
        readSection(key, vnode, vrange);
      } else if (key === 'names') {
        const v = toPy(vnode);
        if (Array.isArray(v)) src.names = v.map((x) => (Array.isArray(x) ? String(x[1]) : String(x)));
      } else {
        src.extraKeys.push(key);
      }
    }
  } catch (e) {
    if (e instanceof TooBig) {
      src.rows = [];
      src.header = {};
      diag('yaml-too-large', 'error', msg('yaml-too-large', { max: MAX_NODES }));
      return src;
    }
    throw e;
  }

  // Rows are numbered after both sections are read: backbone first, then head, whatever their order in the file.
  src.rows.sort((a, b) => (a.section === b.section ? a.position - b.position : a.section === 'backbone' ? -1 : 1));
  src.rows.forEach((r, i) => (r.index = i));
  return src;

  function readSection(section: 'backbone' | 'head', node: YNode | null, range: Range) {
    if (!isSeq(node)) {
      diag('bad-section', 'error', msg('bad-section', { section }), range);
      return;
    }
    node.items.forEach((item, position) => {
      const rn = resolve(item);
      const rrange = rangeOf(rn, range);
      const row: RowSource = { index: -1, section, position, range: rrange, malformed: false };
      src.rows.push(row);
      if (!isSeq(rn) || rn.items.length !== 4) {
        row.malformed = true;
        const problem = isSeq(rn)
          ? msg('row-wrong-length', { section, items: rn.items.length })
          : msg('row-single-value', { section });
        diag('bad-row', 'error', problem, rrange);
        if (!isSeq(rn)) return;
      }
      const [f, n, m, a] = rn.items.map((x) => resolve(x));
      if (f !== undefined) row.from = { value: toPy(f), range: rangeOf(f, rrange) };
      if (n !== undefined) row.n = { value: toPy(n), range: rangeOf(n, rrange) };
      if (m !== undefined) row.module = { value: toPy(m), range: rangeOf(m, rrange) };
      if (a !== undefined) {
        const arange = rangeOf(a, rrange);
        if (isSeq(a)) {
          row.args = {
            value: a.items.map(toPy),
            range: arange,
            items: a.items.map((x) => rangeOf(resolve(x), arange)),
          };
        } else {
          row.args = { value: [toPy(a)], range: arange, items: [arange] };
          row.malformed = true;
          diag('bad-args', 'error', msg('args-not-a-list', { got: JSON.stringify(toPy(a)) }), arange);
        }
      }
    });
  }
}

const firstLine = (s: string) => s.split('\n')[0].trim();

/** Characters PyYAML's reader refuses (anything but tab, line breaks, printable ASCII, NEL and printable Unicode). */
const PYYAML_REFUSES = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** Line breaks of PyYAML that the yaml package does not take for line breaks (a \r not before \n, NEL, LS, PS). */
const PYYAML_ONLY_BREAK = /\r(?!\n)|[\x85\u2028\u2029]/;
const PYYAML_ONLY_BREAKS = new RegExp(PYYAML_ONLY_BREAK.source, 'g');

/** A YAML 1.1 scalar as PyYAML gives it, keeping int vs float (1.0 stays a float). */
function scalarToPy(value: unknown, source: string, type: string | undefined): Py {
  if (value === null || value === undefined) return null;
  // PyYAML's YAML 1.1 booleans leave out the one-letter forms: y and n stay strings (scales' n is the nano scale)
  if (typeof value === 'boolean' && /^[yYnN]$/.test(source.trim())) return source.trim();
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') {
    if (type === 'PLAIN' && isYaml11Int(source.trim())) return value;
    if (Number.isInteger(value) && type === 'PLAIN' && !/[.eE]|inf|nan/i.test(source)) return value;
    return new PyFloat(value);
  }
  return String(value);
}

const isYaml11Int = (s: string) =>
  /^[-+]?(0b[01_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$/.test(s);
