/** Analysing an edited document: parse_model's analysis plus what edits leave behind (references to removed layers). */
import { makeDiag } from '../document.ts';
import { sortDiagnostics, type Diagnostic } from '../diagnostics.ts';
import { msg } from '../messages/index.ts';
import { analyze, type AnalyzeOptions, type ModelAnalysis } from '../propagate.ts';
import { parseDeletedMarker } from './refs.ts';
import type { EditDoc } from './source.ts';

/** References to removed layers, one diagnostic each, naming the layer. */
export function editDiagnostics(doc: EditDoc): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of doc.source.rows) {
    if (!r.from) continue;
    const items = Array.isArray(r.from.value) ? r.from.value : [r.from.value];
    for (const v of items) {
      const m = parseDeletedMarker(v);
      if (!m) continue;
      out.push(
        makeDiag(
          doc.source,
          'from-deleted-layer',
          'error',
          m.module
            ? msg('from-deleted-layer', { layer: r.index, from: m.index, module: m.module, marker: String(v) })
            : msg('from-deleted-unnamed-layer', { layer: r.index, from: m.index, marker: String(v) }),
          r.from.range,
          r.index,
        ),
      );
    }
  }
  return out;
}

/** analyze() of the document, with references to removed layers reported as such (instead of a generic bad 'from'). */
export function analyzeDoc(doc: EditDoc, options: AnalyzeOptions = {}): ModelAnalysis {
  const a = analyze(doc.source, options);
  const extra = editDiagnostics(doc);
  if (!extra.length) return a;
  const rowsWithMarkers = new Set(extra.map((d) => d.layer));
  const diagnostics = a.diagnostics.filter((d) => !(d.code === 'bad-from' && rowsWithMarkers.has(d.layer)));
  return { ...a, diagnostics: sortDiagnostics([...diagnostics, ...extra]) };
}
