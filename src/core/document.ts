/**
 * Reading a model config as PyYAML (YAML 1.1) reads it, keeping where every value stands in the text.
 * Never throws: problems become diagnostics.
 */
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YNode } from 'yaml';
import { PyFloat, type Py } from './py.ts';
import type { Diagnostic, Severity } from './diagnostics.ts';
import { visible } from './names.ts';

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

export const HEADER_KEYS = [
  'nc',
  'depth_multiple',
  'width_multiple',
  'anchors',
  'activation',
  'channel_multiple',
  'ch',
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

export const MAX_TEXT_LENGTH = 4 * 1024 * 1024;
const MAX_NODES = 200_000;

class TooBig extends Error {}

export function makeDiag(
  src: { file: string; lineCounter: LineCounter },
  code: string,
  severity: Severity,
  message: string,
  range: Range | undefined,
  layer?: number,
): Diagnostic {
  const at = range ? src.lineCounter.linePos(range[0]) : { line: 1, col: 1 };
  return {
    code,
    severity,
    // text from the file in a message cannot break its line or drive a terminal
    message: visible(message),
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
  const diag = (code: string, severity: Severity, message: string, range?: Range, layer?: number) =>
    src.diagnostics.push(makeDiag(src, code, severity, message, range, layer));

  if (text.length > MAX_TEXT_LENGTH) {
    diag(
      'file-too-large',
      'error',
      `the file is ${(text.length / 1048576).toFixed(1)} MiB; a model config is at most ${MAX_TEXT_LENGTH / 1048576} MiB`,
    );
    return src;
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      version: '1.1',
      lineCounter,
      uniqueKeys: false,
      prettyErrors: false,
      keepSourceTokens: false,
    });
  } catch (e) {
    diag('yaml-syntax', 'error', `the YAML cannot be read: ${(e as Error).message}`);
    return src;
  }
  for (const e of doc.errors) {
    const r: Range = [e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)];
    diag('yaml-syntax', 'error', `YAML syntax: ${firstLine(e.message)}`, r);
  }
  if (doc.errors.length) return src;
  for (const w of doc.warnings) diag('yaml-warning', 'warning', `YAML: ${firstLine(w.message)}`, [w.pos[0], w.pos[1]]);

  let budget = MAX_NODES;
  const resolve = (n: unknown): YNode | null => {
    let cur = n;
    for (let hops = 0; isAlias(cur); hops++) {
      if (hops > 100) throw new TooBig();
      cur = cur.resolve(doc);
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
      return scalarToPy(node.value, node.source ?? text.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0), node.type);
    if (isSeq(node)) return node.items.map(toPy);
    if (isMap(node)) return node.items.map((p) => [toPy(p.key), toPy(p.value)]);
    return null;
  };

  try {
    const root = resolve(doc.contents);
    if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
      diag(
        'missing-section',
        'error',
        'the file is empty: a model config needs nc, depth_multiple, width_multiple, anchors, backbone and head',
      );
      return src;
    }
    if (!isMap(root)) {
      diag(
        'not-a-mapping',
        'error',
        'a model config is a mapping of keys (nc, anchors, backbone, head, ...), not a list or a single value',
        rangeOf(root, [0, 1]),
      );
      return src;
    }
    const seen = new Map<string, Range>();
    for (const pair of root.items) {
      const keyNode = resolve(pair.key);
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const krange = rangeOf(keyNode, [0, 1]);
      if (seen.has(key))
        diag('duplicate-key', 'warning', `'${key}' appears twice; the last one counts, as in PyYAML`, krange);
      seen.set(key, krange);
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
      diag(
        'yaml-too-large',
        'error',
        `the YAML expands to more than ${MAX_NODES.toLocaleString('en-US')} values (aliases repeated too often?); it is not read`,
      );
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
      diag('bad-section', 'error', `'${section}' must be a list of [from, number, module, args] rows`, range);
      return;
    }
    node.items.forEach((item, position) => {
      const rn = resolve(item);
      const rrange = rangeOf(rn, range);
      const row: RowSource = { index: -1, section, position, range: rrange, malformed: false };
      src.rows.push(row);
      if (!isSeq(rn) || rn.items.length !== 4) {
        row.malformed = true;
        const got = isSeq(rn) ? `${rn.items.length} items` : 'a single value';
        diag('bad-row', 'error', `a ${section} row is [from, number, module, args]; this one has ${got}`, rrange);
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
          diag(
            'bad-args',
            'error',
            `a row's arguments are a list, e.g. [64, 3, 2]; got ${JSON.stringify(toPy(a))}`,
            arange,
          );
        }
      }
    });
  }
}

const firstLine = (s: string) => s.split('\n')[0].trim();

/** A YAML 1.1 scalar as PyYAML gives it, keeping int vs float (1.0 stays a float). */
function scalarToPy(value: unknown, source: string, type: string | undefined): Py {
  if (value === null || value === undefined) return null;
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
