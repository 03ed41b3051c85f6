/** The summary as parse_model prints it, and as JSON for tools. */
import { diagnosticText, type Diagnostic } from './diagnostics.ts';
import type { ModelAnalysis } from './propagate.ts';
import { repr, toJson } from './py.ts';

export interface SummaryJson {
  layers: {
    i: number;
    from: number | number[] | null;
    n: number;
    params: number;
    module: string;
    args: unknown[] | null;
    shape: number[] | null;
  }[];
  params: number;
  modules: number;
  gflops: number;
  stride: number[] | null;
  imgsz: [number, number];
  diagnostics: DiagnosticJson[];
  /** Present for a model read as another family than YOLOv5 (absent: YOLOv5, as every file was before). */
  family?: string;
  /** Ultralytics: the scale used ('' when the file has none), where it came from, the file's scales. */
  scale?: { name: string; from: string; scales: string[] };
}

/** A diagnostic as the JSON output gives it: its message in English words, no source range. */
export type DiagnosticJson = Omit<Diagnostic, 'message' | 'range'> & { message: string };

export const diagnosticJson = (d: Diagnostic): DiagnosticJson => ({
  code: d.code,
  severity: d.severity,
  message: diagnosticText(d),
  file: d.file,
  line: d.line,
  column: d.column,
  ...(d.layer !== undefined ? { layer: d.layer } : {}),
});

const shapeJson = (s: number[] | null) => (s ? s.map((v) => (Number.isNaN(v) ? null : v)) : null) as number[] | null;

export function summaryJson(a: ModelAnalysis): SummaryJson {
  return {
    layers: a.layers.map((l) => ({
      i: l.i,
      from: l.from,
      n: l.n,
      params: l.params,
      module: l.module,
      args: l.args ? (l.args.map(toJson) as unknown[]) : null,
      shape: shapeJson(l.shape),
    })),
    params: a.params,
    modules: a.modules,
    gflops: Math.round(a.gflops * 1e4) / 1e4,
    stride: a.stride,
    imgsz: a.imgsz,
    diagnostics: a.diagnostics.map(diagnosticJson),
    ...(a.family.id !== 'yolov5' ? { family: a.family.id } : {}),
    ...(a.scale ? { scale: { name: a.scale.name, from: a.scale.from, scales: a.scale.scales } } : {}),
  };
}

/** How the file was read, for a family other than YOLOv5: 'Ultralytics 8.3.253, scale s (from the file name)'. */
export function familyLine(a: ModelAnalysis): string | undefined {
  if (a.family.id === 'yolov5') return undefined;
  const s = a.scale;
  const from = { option: 'chosen', name: 'from the file name', first: 'the first in scales', none: '' };
  return `${a.family.name} ${a.family.release}${s?.name ? `, scale ${s.name} (${from[s.from]})` : ''}`;
}

/**
 * Thousands separators, as the app shows numbers: 7,235,389 (the same text as toLocaleString('en-US') for
 * integers, without starting ICU's number formatting, which costs a CLI call ~30 ms).
 */
export const thousands = (n: number) =>
  Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US');

export const shapeText = (s: number[] | null) =>
  s ? s.map((v) => (Number.isNaN(v) ? '?' : String(v))).join(' x ') : '-';

export function summaryTable(a: ModelAnalysis): string {
  const out: string[] = [];
  const line = familyLine(a);
  if (line) out.push(line, '');
  const row = (i: string, f: string, n: string, p: string, m: string, args: string, shape: string) =>
    `${i.padStart(3)}${f.padStart(18)}${n.padStart(3)}${p.padStart(12)}  ${m.padEnd(18)}${shape.padEnd(20)}${args}`;
  out.push(row('', 'from', 'n', 'params', 'module', 'arguments', 'output'));
  for (const l of a.layers) {
    const f = l.from === null ? '?' : Array.isArray(l.from) ? `[${l.from.join(', ')}]` : String(l.from);
    out.push(
      row(
        String(l.i),
        f,
        String(l.n),
        thousands(l.params),
        l.module || '?',
        l.args ? repr(l.args) : '?',
        shapeText(l.shape),
      ),
    );
  }
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  out.push('');
  out.push(
    `${a.layers.length} rows, ${thousands(a.modules)} layers (modules), ${thousands(a.params)} parameters, ${a.gflops.toFixed(1)} GFLOPs at ${a.imgsz[0]}x${a.imgsz[1]}` +
      (a.stride ? `, strides ${a.stride.join(', ')}` : ''),
  );
  if (a.diagnostics.length) {
    out.push('');
    for (const d of a.diagnostics)
      out.push(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${diagnosticText(d)} [${d.code}]`);
  }
  if (errors) out.push(`\n${errors} error${errors > 1 ? 's' : ''}`);
  return out.join('\n');
}
