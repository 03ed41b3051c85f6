/** Every problem with a config, in plain words, with where it is (1-based line and column). */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  /** Layer index the problem belongs to, when it belongs to one. */
  layer?: number;
  /** Source offsets [start, end) of the text the problem is about, for editors. */
  range?: [number, number];
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

/** Codes of the problems that leave a file unreadable: nothing in it can be checked or edited further. */
export const UNREADABLE_CODES: readonly string[] = [
  'yaml-syntax',
  'yaml-too-large',
  'file-too-large',
  'not-a-mapping',
  'too-deep',
  'yaml-character',
];

/** The problem that leaves a file unreadable, if it has one. */
export const unreadableProblem = (ds: readonly Diagnostic[]): Diagnostic | undefined =>
  ds.find((d) => d.severity === 'error' && UNREADABLE_CODES.includes(d.code));

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => a.line - b.line || a.column - b.column || ORDER[a.severity] - ORDER[b.severity]);
}
