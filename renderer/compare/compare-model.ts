/**
 * The compare view's model (pure): the other design analysed with the editor's options, the layer-by-layer
 * diff (src/core/diff) as node markings for both graphs, the table's rows and its number formatting.
 */
import {
  analyzeDoc,
  checkpointYaml,
  diffModels,
  errorMessage,
  openDoc,
  parseModelText,
  readCheckpoint,
  shapeText,
  thousands,
  type DiffChange,
  type DiffStatus,
  type LayerDiff,
  type Message,
  type ModelAnalysis,
  type ModelDiff,
  type Registry,
} from '../../src/core/index.ts';

/** One side's layer as the graph marks it. */
export interface NodeMark {
  status: DiffStatus;
  /** Row of the diff (index into ModelDiff.layers). */
  row: number;
  /** The partner layer on the other side, or null (added / removed). */
  partner: number | null;
  changes: DiffChange[];
}

export interface Comparison {
  diff: ModelDiff;
  /** Marks of A's layers, by A's layer index. */
  a: Map<number, NodeMark>;
  /** Marks of B's layers, by B's layer index. */
  b: Map<number, NodeMark>;
}

export type Side = 'a' | 'b';

/** Analyse the other design exactly as the editor analyses the document (input size, module registry). */
export function analyzeOther(text: string, name: string, opts: { imgsz: number; registry?: Registry }): ModelAnalysis {
  return analyzeDoc(openDoc(text, name), { imgsz: opts.imgsz, ...(opts.registry ? { registry: opts.registry } : {}) });
}

/** Compare A (the other design, the baseline) with B (the document): the diff and both sides' node marks. */
export function compareModels(A: ModelAnalysis, B: ModelAnalysis): Comparison {
  const diff = diffModels(A, B);
  const a = new Map<number, NodeMark>();
  const b = new Map<number, NodeMark>();
  diff.layers.forEach((l, row) => {
    if (l.a) a.set(l.a.i, { status: l.status, row, partner: l.b?.i ?? null, changes: l.changes });
    if (l.b) b.set(l.b.i, { status: l.status, row, partner: l.a?.i ?? null, changes: l.changes });
  });
  return { diff, a, b };
}

/** The diff row holding layer i of a side, or null. */
export const rowOf = (c: Comparison, side: Side, i: number): number | null => c[side].get(i)?.row ?? null;

/** Indices of the rows the table shows (all, or only those that are not the same). */
export function visibleRows(d: ModelDiff, changedOnly: boolean): number[] {
  const out: number[] = [];
  d.layers.forEach((l, k) => {
    if (!changedOnly || l.status !== 'same') out.push(k);
  });
  return out;
}

// ---------------------------------------------------------------- formatting

const MINUS = '\u2212';

/** A difference with its sign and thousands separators: +1,234, −2,231, 0 (the status bar's minus). */
export function signedThousands(n: number): string {
  if (n === 0) return '0';
  return `${n > 0 ? '+' : MINUS}${thousands(Math.abs(n))}`;
}

/** A signed decimal: +0.120, −1.3; 0.000 when it rounds to nothing. */
export function signedFixed(n: number, digits: number): string {
  const s = Math.abs(n).toFixed(digits);
  if (Number(s) === 0) return (0).toFixed(digits);
  return `${n > 0 ? '+' : MINUS}${s}`;
}

/** A relative change in percent, one decimal: −7.1%; empty without a base. */
export const signedPercent = (delta: number, base: number) => (base ? `${signedFixed((100 * delta) / base, 1)}%` : '');

export const sideShape = (s: LayerDiff['a']) => (s?.shape ? shapeText(s.shape.map((v) => (v === null ? NaN : v))) : '');

/** Output shapes of a row: one when both sides agree, `A → B` when they differ. */
export function shapeChange(l: LayerDiff): string {
  const sa = sideShape(l.a);
  const sb = sideShape(l.b);
  if (l.a && l.b) return sa === sb ? sa : `${sa} → ${sb}`;
  return sa || sb;
}

/** Module of a row: `C3 → C3_Res2Block` when it changed. */
export function moduleChange(l: LayerDiff): string {
  if (l.a && l.b && l.a.module !== l.b.module) return `${l.a.module} → ${l.b.module}`;
  return (l.b ?? l.a)!.module;
}

export type ChangeLabel = (c: DiffChange) => string;

/**
 * What changed in a row, one short item per kind of change, values from A to B:
 * `module: C3 → C3_Res2Block`, `parameters: 18,816 → 16,585` (labels come from the caller's language).
 */
export function whatChanged(l: LayerDiff, label: ChangeLabel, skip: readonly DiffChange[] = []): string[] {
  if (!l.a || !l.b) return [];
  const a = l.a;
  const b = l.b;
  const out: string[] = [];
  for (const c of l.changes) {
    if (skip.includes(c)) continue;
    switch (c) {
      case 'module':
        out.push(`${label(c)}: ${a.module} → ${b.module}`);
        break;
      case 'args':
        out.push(`${label(c)}: ${argsChange(a.args, b.args)}`);
        break;
      case 'n':
        out.push(`${label(c)}: ${a.n} → ${b.n}`);
        break;
      case 'inputs':
        out.push(`${label(c)}: ${fromText(a.from)} → ${fromText(b.from)}`);
        break;
      case 'input shape':
        out.push(label(c));
        break;
      case 'shape':
        out.push(`${label(c)}: ${sideShape(a) || '-'} → ${sideShape(b) || '-'}`);
        break;
      case 'params':
        out.push(`${label(c)}: ${thousands(a.params)} → ${thousands(b.params)}`);
        break;
    }
  }
  return out;
}

/**
 * The one line a changed node has room for: the module change, else the first other change, then the
 * change in parameters (`C3 → C3_Res2Block · −2,231`). Added, removed and same layers have none.
 */
export function nodeNote(l: LayerDiff, label: ChangeLabel): string {
  if (l.status !== 'changed' || !l.a || !l.b) return '';
  const parts: string[] = [];
  if (l.changes.includes('module')) parts.push(moduleChange(l));
  else {
    const first = whatChanged(l, label, ['params']);
    if (first.length) parts.push(first[0]);
  }
  if (l.params !== 0) parts.push(signedThousands(l.params));
  return parts.join(' · ');
}

/** Elements of a Python list's repr at its top level: `[64, [1, 2], 'a, b']` -> `64`, `[1, 2]`, `'a, b'`. */
export function listItems(repr: string): string[] | null {
  if (!repr.startsWith('[') || !repr.endsWith(']')) return null;
  const body = repr.slice(1, -1);
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let k = 0; k < body.length; k++) {
    const ch = body[k];
    if (quote) {
      if (ch === '\\') k++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(' || ch === '{') depth++;
    else if (ch === ']' || ch === ')' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(body.slice(start, k).trim());
      start = k + 1;
    }
  }
  const last = body.slice(start).trim();
  if (last || out.length) out.push(last);
  return out;
}

/** A text cut to n characters with an ellipsis. */
export const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Changed arguments in short: both lists when they are short, else only the positions that differ
 * (`#0: 80 → 7` for Detect's class count, not its anchors twice).
 */
export function argsChange(a: string | null, b: string | null, max = 60): string {
  const whole = `${a ?? '?'} → ${b ?? '?'}`;
  if (whole.length <= max || a === null || b === null) return whole;
  const xs = listItems(a);
  const ys = listItems(b);
  if (!xs || !ys) return clip(whole, max);
  const parts: string[] = [];
  for (let k = 0; k < Math.max(xs.length, ys.length); k++) {
    if (xs[k] !== ys[k]) parts.push(`#${k}: ${clip(xs[k] ?? '–', 24)} → ${clip(ys[k] ?? '–', 24)}`);
  }
  return parts.join(', ');
}

const fromText = (f: number | number[] | null) =>
  f === null ? '?' : Array.isArray(f) ? `[${f.join(', ')}]` : String(f);

// ---------------------------------------------------------------- the other design from a file

export type OtherText =
  | { ok: true; name: string; text: string }
  | { ok: false; reason: 'not-a-model' }
  | { ok: false; reason: 'bad-checkpoint'; detail: Message };

/**
 * The model config a file holds: a YAML as it is, a YOLOv5 .pt checkpoint as its architecture's YAML.
 * A dataset YAML (class names and no layers) or an unreadable checkpoint is refused with the reason.
 */
export function otherFromFile(f: { name: string; text: string; bytes?: Uint8Array }): OtherText {
  if (f.bytes) {
    try {
      return { ok: true, name: f.name, text: checkpointYaml(readCheckpoint(f.bytes), f.name) };
    } catch (e) {
      return { ok: false, reason: 'bad-checkpoint', detail: errorMessage(e) };
    }
  }
  const src = parseModelText(f.text, f.name);
  if (src.rows.length === 0 && !src.sections.backbone) return { ok: false, reason: 'not-a-model' };
  return { ok: true, name: f.name, text: f.text };
}
