/**
 * Comparing two analysed models layer by layer: which layers match, which were added, removed or
 * changed, and the differences in parameters, GFLOPs and output shapes, per layer and in total.
 *
 * Rows are aligned by a minimum-cost alignment (Needleman-Wunsch) over what a layer is, independent of
 * its index: its module, resolved arguments, repeats and the shapes it reads. Adding or removing a row
 * costs 1; pairing two rows costs 0 when they are the same, 0.5 for the same module with other
 * arguments or shapes, 0.8 for another module in the same place (same input shapes), 1.5 otherwise. So
 * an inserted layer shows as one added row while the rows after it still match, and a module replaced
 * in place (C3 -> C3_Res2Block) shows as one changed row.
 */
import type { ModelAnalysis, LayerResult } from './propagate.ts';
import { repr, type Py } from './py.ts';
import { thousands } from './format.ts';

export type DiffStatus = 'same' | 'changed' | 'added' | 'removed';

/** What differs in a changed row. */
export type DiffChange = 'module' | 'args' | 'n' | 'inputs' | 'input shape' | 'shape' | 'params';

export interface LayerSide {
  i: number;
  from: number | number[] | null;
  n: number;
  module: string;
  args: string | null;
  params: number;
  gflops: number;
  shape: (number | null)[] | null;
}

export interface LayerDiff {
  status: DiffStatus;
  a?: LayerSide;
  b?: LayerSide;
  changes: DiffChange[];
  /** b - a (a missing side counts as 0). */
  params: number;
  gflops: number;
}

export interface ModelSummary {
  file: string;
  rows: number;
  params: number;
  gflops: number;
  modules: number;
  imgsz: [number, number];
  errors: number;
}

export interface ModelDiff {
  a: ModelSummary;
  b: ModelSummary;
  /** Header values that differ (nc, depth_multiple, width_multiple, anchors, activation, ch). */
  header: { key: string; a: string | null; b: string | null }[];
  layers: LayerDiff[];
  counts: Record<DiffStatus, number>;
  params: { a: number; b: number; delta: number };
  gflops: { a: number; b: number; delta: number };
}

const gf = (macs: number) => (2 * macs) / 1e9;
const shapeJson = (s: number[] | null) => (s ? s.map((v) => (Number.isNaN(v) ? null : v)) : null);
const argsText = (l: LayerResult) => (l.args ? repr(l.args as Py) : null);

function inputShapes(m: ModelAnalysis, l: LayerResult): string {
  return l.inputs
    .map((j) => (j === -1 ? `img${m.inputChannels}x${m.imgsz.join('x')}` : JSON.stringify(m.layers[j]?.shape ?? null)))
    .join('|');
}

function side(l: LayerResult): LayerSide {
  return {
    i: l.i,
    from: l.from,
    n: l.n,
    module: l.module,
    args: argsText(l),
    params: l.params,
    gflops: gf(l.macs),
    shape: shapeJson(l.shape),
  };
}

interface RowKey {
  module: string;
  args: string | null;
  n: number;
  inputs: string;
  shape: string;
}

function keys(m: ModelAnalysis): RowKey[] {
  return m.layers.map((l) => ({
    module: l.module,
    args: argsText(l),
    n: l.n,
    inputs: inputShapes(m, l),
    shape: JSON.stringify(l.shape),
  }));
}

function pairCost(x: RowKey, y: RowKey): number {
  if (x.module === y.module)
    return x.args === y.args && x.n === y.n && x.inputs === y.inputs && x.shape === y.shape ? 0 : 0.5;
  return x.inputs === y.inputs ? 0.8 : 1.5;
}

/** Minimum-cost alignment of two row sequences: pairs [i, j], [i, -1] (removed) and [-1, j] (added). */
export function alignRows<T>(a: T[], b: T[], cost: (x: T, y: T) => number, gap = 1): [number, number][] {
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const D = new Float64Array((n + 1) * w);
  for (let i = 1; i <= n; i++) D[i * w] = i * gap;
  for (let j = 1; j <= m; j++) D[j] = j * gap;
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      D[i * w + j] = Math.min(
        D[(i - 1) * w + j - 1] + cost(a[i - 1], b[j - 1]),
        D[(i - 1) * w + j] + gap,
        D[i * w + j - 1] + gap,
      );
  const out: [number, number][] = [];
  let i = n;
  let j = m;
  const eq = (x: number, y: number) => Math.abs(x - y) < 1e-9;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && eq(D[i * w + j], D[(i - 1) * w + j - 1] + cost(a[i - 1], b[j - 1]))) out.push([--i, --j]);
    else if (i > 0 && eq(D[i * w + j], D[(i - 1) * w + j] + gap)) out.push([--i, -1]);
    else out.push([-1, --j]);
  }
  return out.reverse();
}

const HEADER = ['nc', 'depth_multiple', 'width_multiple', 'anchors', 'activation', 'channel_multiple', 'ch'] as const;

/** Compare model A with model B (B's view: added rows are in B only). */
export function diffModels(A: ModelAnalysis, B: ModelAnalysis): ModelDiff {
  const ka = keys(A);
  const kb = keys(B);
  const pairs = alignRows(ka, kb, pairCost);
  const a2b = new Map<number, number>();
  for (const [i, j] of pairs) if (i >= 0 && j >= 0) a2b.set(i, j);
  const addedB = new Set(pairs.filter(([i]) => i < 0).map(([, j]) => j));
  const removedA = new Set(pairs.filter(([, j]) => j < 0).map(([i]) => i));
  // an input through rows only one side has (a layer inserted or deleted in between) is the same wiring
  const through = (m: ModelAnalysis, extra: Set<number>, j: number) => {
    for (let hops = 0; j >= 0 && extra.has(j) && m.layers[j].inputs.length === 1 && hops < 10_000; hops++)
      j = m.layers[j].inputs[0];
    return j;
  };

  const layers: LayerDiff[] = pairs.map(([i, j]) => {
    const la = i >= 0 ? A.layers[i] : undefined;
    const lb = j >= 0 ? B.layers[j] : undefined;
    const params = (lb?.params ?? 0) - (la?.params ?? 0);
    const gflops = gf(lb?.macs ?? 0) - gf(la?.macs ?? 0);
    if (!la) return { status: 'added', b: side(lb!), changes: [], params, gflops };
    if (!lb) return { status: 'removed', a: side(la), changes: [], params, gflops };
    const x = ka[i];
    const y = kb[j];
    const changes: DiffChange[] = [];
    if (x.module !== y.module) changes.push('module');
    if (x.args !== y.args) changes.push('args');
    if (x.n !== y.n) changes.push('n');
    const wiredA = la.inputs.map((k) => {
      const r = through(A, removedA, k);
      return r < 0 ? r : (a2b.get(r) ?? -2);
    });
    const wiredB = lb.inputs.map((k) => through(B, addedB, k));
    if (wiredA.join() !== wiredB.join()) changes.push('inputs');
    if (x.inputs !== y.inputs) changes.push('input shape');
    if (x.shape !== y.shape) changes.push('shape');
    if (la.params !== lb.params) changes.push('params');
    return { status: changes.length ? 'changed' : 'same', a: side(la), b: side(lb), changes, params, gflops };
  });

  const header: ModelDiff['header'] = [];
  for (const k of HEADER) {
    const va = A.source.header[k]?.value;
    const vb = B.source.header[k]?.value;
    const sa = va === undefined ? null : repr(va);
    const sb = vb === undefined ? null : repr(vb);
    if (sa !== sb) header.push({ key: k, a: sa, b: sb });
  }
  const counts: Record<DiffStatus, number> = { same: 0, changed: 0, added: 0, removed: 0 };
  for (const l of layers) counts[l.status]++;
  const sum = (m: ModelAnalysis): ModelSummary => ({
    file: m.source.file,
    rows: m.layers.length,
    params: m.params,
    gflops: m.gflops,
    modules: m.modules,
    imgsz: m.imgsz,
    errors: m.diagnostics.filter((d) => d.severity === 'error').length,
  });
  return {
    a: sum(A),
    b: sum(B),
    header,
    layers,
    counts,
    params: { a: A.params, b: B.params, delta: B.params - A.params },
    gflops: { a: A.gflops, b: B.gflops, delta: B.gflops - A.gflops },
  };
}

// ---------------------------------------------------------------- text

const th = thousands;
const signed = (n: number) => (n > 0 ? `+${th(n)}` : n < 0 ? `-${th(-n)}` : '0');
const signedF = (n: number, d: number) => {
  const s = n.toFixed(d);
  return Number(s) === 0 ? (0).toFixed(d) : n > 0 ? `+${s}` : s;
};
const shapeText = (s: (number | null)[] | null | undefined) =>
  s ? s.map((v) => (v === null ? '?' : String(v))).join(' x ') : '-';

/** The comparison as a table: one line per aligned row, then totals and header differences. */
export function diffTable(d: ModelDiff, opts: { changedOnly?: boolean } = {}): string {
  const out: string[] = [];
  const desc = (s: ModelSummary) =>
    `${th(s.params)} parameters, ${s.gflops.toFixed(1)} GFLOPs, ${s.rows} rows at ${s.imgsz.join('x')}`;
  out.push(`A: ${d.a.file}  (${desc(d.a)})`);
  out.push(`B: ${d.b.file}  (${desc(d.b)})`);
  out.push('');
  const row = (
    a: string,
    b: string,
    st: string,
    mod: string,
    pa: string,
    pb: string,
    dp: string,
    dg: string,
    shape: string,
    what: string,
  ) =>
    `${a.padStart(4)}${b.padStart(4)}  ${st.padEnd(8)}${mod.padEnd(30)}${pa.padStart(12)}${pb.padStart(12)}${dp.padStart(11)}${dg.padStart(10)}  ${shape.padEnd(34)}${what}`.trimEnd();
  out.push(row('A', 'B', 'status', 'module', 'params A', 'params B', 'Δ params', 'Δ GFLOPs', 'output', 'what changed'));
  for (const l of d.layers) {
    if (l.status === 'same' && opts.changedOnly) continue;
    const mod = l.a && l.b && l.a.module !== l.b.module ? `${l.a.module} -> ${l.b.module}` : (l.b ?? l.a)!.module;
    const sa = shapeText(l.a?.shape);
    const sb = shapeText(l.b?.shape);
    const shape = l.a && l.b ? (sa === sb ? sa : `${sa} -> ${sb}`) : l.a ? sa : sb;
    let what = l.changes.filter((c) => c !== 'module' && c !== 'shape' && c !== 'params').join(', ');
    if (l.changes.includes('args') && l.a && l.b)
      what = `args ${l.a.args} -> ${l.b.args}${what.replace(/^args,? ?/, what === 'args' ? '' : '; ')}`;
    out.push(
      row(
        l.a ? String(l.a.i) : '',
        l.b ? String(l.b.i) : '',
        l.status,
        mod,
        l.a ? th(l.a.params) : '',
        l.b ? th(l.b.params) : '',
        l.params ? signed(l.params) : '0',
        signedF(l.gflops, 3),
        shape,
        what,
      ),
    );
  }
  out.push('');
  const pct = d.params.a ? ` (${signedF((100 * d.params.delta) / d.params.a, 1)}%)` : '';
  out.push(`parameters: ${th(d.params.a)} -> ${th(d.params.b)}, ${signed(d.params.delta)}${pct}`);
  out.push(`GFLOPs:     ${d.gflops.a.toFixed(1)} -> ${d.gflops.b.toFixed(1)}, ${signedF(d.gflops.delta, 1)}`);
  out.push(
    `rows:       ${d.counts.same} same, ${d.counts.changed} changed, ${d.counts.added} added, ${d.counts.removed} removed`,
  );
  for (const h of d.header) out.push(`header:     ${h.key}: ${h.a ?? '(unset)'} -> ${h.b ?? '(unset)'}`);
  return out.join('\n');
}
