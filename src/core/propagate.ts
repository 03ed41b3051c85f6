/**
 * parse_model, exactly: from a parsed config to every layer's resolved arguments, output channels and
 * shape, parameters, FLOPs and YOLOv5's module count, plus every problem as a diagnostic.
 * Pure and total: bad input yields diagnostics and everything that can still be computed.
 *
 * The steps live in parse-model/: the family's header (yolov5.ts), the rows read, resolved by the family's
 * rule, checked against their module's signature and built (rows.ts, signature.ts, build.ts), and the
 * head's strides and totals (totals.ts). A model family plugs in through family.ts.
 */
import { makeDiag, type ModelSource } from './document.ts';
import { sortDiagnostics, unreadableProblem, type Diagnostic } from './diagnostics.ts';
import { msg } from './messages/index.ts';
import { isInt } from './py.ts';
import { WorkBudget } from './graph.ts';
import { LIMITS, limitsWith } from './limits.ts';
import { defaultRegistry } from './registry.ts';
import type { ModelHeader, Report } from './parse-model/family.ts';
import { analyzeRows } from './parse-model/rows.ts';
import { modelTotals } from './parse-model/totals.ts';
import type { AnalyzeOptions, ModelAnalysis } from './parse-model/types.ts';
import { familyOf } from './families.ts';
import type { UltralyticsHeader } from './parse-model/ultralytics.ts';

export { buildAnalyzedLayer, buildLayer, clearBuildCache, type LayerBuild } from './parse-model/build.ts';
export type { HeadOutputs, ModelFamily, ModelHeader, Resolution, RowContext } from './parse-model/family.ts';
export type { AnalyzeOptions, LayerResult, ModelAnalysis } from './parse-model/types.ts';
export { actFromModule, argToJs } from './parse-model/values.ts';
export { stringArgumentRisk } from './parse-model/rows.ts';
export { yolov5Family } from './parse-model/yolov5.ts';
export { ultralyticsFamily, scaleFromName } from './parse-model/ultralytics.ts';
export { FAMILIES, familyById, familyOf, type FamilyGuess } from './families.ts';
export type { FamilyId } from './parse-model/family.ts';

const MAX_IMG = LIMITS.imageSize;

/** Analyse a parsed config: every layer as its family's parse_model (YOLOv5's by default) would build it. */
export function analyze(src: ModelSource, options: AnalyzeOptions = {}): ModelAnalysis {
  const guess = options.family ? { family: options.family, why: 'chosen' } : familyOf(src);
  const { family } = guess;
  // module libraries (the registry's additions) over the family's own built-ins
  const registry = (options.registry ?? defaultRegistry).rebase(family.modules());
  const diagnostics: Diagnostic[] = [...src.diagnostics];
  const report: Report = (code, severity, message, range, layer) =>
    diagnostics.push(makeDiag(src, code, severity, message, range, layer));

  let imgsz: [number, number] = Array.isArray(options.imgsz)
    ? options.imgsz
    : [options.imgsz ?? 640, options.imgsz ?? 640];
  if (!imgsz.every((v) => isInt(v) && v >= 1 && v <= MAX_IMG)) {
    report('bad-img-size', 'error', msg('bad-img-size', { max: MAX_IMG, got: imgsz.join('x') }));
    imgsz = [640, 640];
  }
  // an unreadable file has nothing worth checking further (no key or head is said to be missing)
  const fatal = !!unreadableProblem(src.diagnostics);
  const header = family.readHeader(src, report, fatal, options.scale !== undefined ? { scale: options.scale } : {});
  const shared = new Set<string>();
  const limits = limitsWith(options.limits);
  const layers = analyzeRows(src.rows, {
    limits,
    budget: new WorkBudget(limits),
    repeatsSoFar: 0,
    family,
    header,
    registry,
    imgsz,
    report,
    ch: [header.inputChannels],
    outShapes: [],
    lastC2: header.inputChannels,
    shared,
  });
  const totals = modelTotals(layers, {
    family,
    imgsz,
    inputChannels: header.inputChannels,
    defaultAct: header.defaultAct,
    registry,
    shared,
    fatal,
    report,
    budget: new WorkBudget(limits),
  });
  const {
    walk: _walk,
    scale: _scale,
    scales,
    scaleFrom,
    maxChannels,
    kptShape: _kpt,
    ...rest
  } = header as Partial<UltralyticsHeader> & ModelHeader;
  return {
    source: src,
    family,
    familyWhy: guess.why,
    ...rest,
    ...(scales
      ? {
          scale: {
            name: (header as UltralyticsHeader).scale,
            from: scaleFrom ?? 'none',
            scales,
            maxChannels: maxChannels ?? Infinity,
          },
        }
      : {}),
    imgsz,
    registry,
    limits,
    layers,
    ...totals,
    diagnostics: sortDiagnostics(diagnostics),
  };
}
