/** Every problem with a config, as a message (words from the catalogs), with where it is (1-based line and column). */
import { formatMessage, type Lang, type Message } from './messages/index.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** What kind of problem (stable: tools and the JSON output read it). */
  code: string;
  severity: Severity;
  /** What to say, as data; `diagnosticText` puts it in words. */
  message: Message;
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

/** A diagnostic's message in words (English unless asked). */
export const diagnosticText = (d: Pick<Diagnostic, 'message'>, lang: Lang = 'en'): string =>
  formatMessage(d.message, lang);

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${diagnosticText(d)}`;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => a.line - b.line || a.column - b.column || ORDER[a.severity] - ORDER[b.severity]);
}
