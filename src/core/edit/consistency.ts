/**
 * A check for tests and debugging: the parse an edit kept up to date equals a full parse of the text.
 * Returns a description of the first difference, or undefined.
 */
import { parseModelText, type ModelSource } from '../document.ts';
import type { EditDoc } from './source.ts';

const view = (s: ModelSource) => ({
  rows: s.rows,
  header: s.header,
  sections: s.sections,
  names: s.names,
  extraKeys: s.extraKeys,
  diagnostics: s.diagnostics.map((d) => JSON.stringify(d)).sort(),
  lineStarts: s.lineCounter.lineStarts,
});

export function parseMismatch(doc: EditDoc): string | undefined {
  const want = view(parseModelText(doc.text, doc.file));
  const got = view(doc.source);
  for (const k of Object.keys(want) as (keyof typeof want)[]) {
    const a = JSON.stringify(got[k]);
    const b = JSON.stringify(want[k]);
    if (a !== b) return `${k} differs from a full parse:\n  kept: ${a.slice(0, 400)}\n  full: ${b.slice(0, 400)}`;
  }
  if (doc.source.text !== doc.text) return 'source.text differs from the text';
  return undefined;
}
