/**
 * The rows of a model, one after another as parse_model walks them: each row read (module, inputs,
 * repeats, arguments evaluated), resolved by its family's rule, checked against its module's signature,
 * and built; the channels and shapes it leaves are what the next rows read.
 */
import type { Range, RowSource } from '../document.ts';
import type { Shape, WorkBudget } from '../graph.ts';
import { LIMITS, type Limits } from '../limits.ts';
import { errorMessage, msg, type Message } from '../messages/index.ts';
import { PyNameError, PySyntaxError, evalPy, understands } from '../pyexpr.ts';
import { isInt, repr, type Py } from '../py.ts';
import type { Registry } from '../registry.ts';
import { cachedBuild, type LayerBuild } from './build.ts';
import type { ModelFamily, ModelHeader, Report, RowContext } from './family.ts';
import { checkSignature } from './signature.ts';
import type { LayerResult } from './types.ts';
import { argToJs } from './values.ts';

/** A bare name (not one of Python's words the reader knows) that `scope` lacks: evalPy would raise PyNameError. */
const unknownName = (a: string, scope: object) =>
  /^[A-Za-z_]\w{0,99}$/.test(a) && !PY_WORDS.has(a) && !Object.prototype.hasOwnProperty.call(scope, a);
const PY_WORDS = new Set(['None', 'True', 'False', 'and', 'or', 'not', 'if', 'else', 'for', 'in', 'is', 'lambda']);

export const MAX_REPEATS = LIMITS.repeats;
export const MAX_ROWS = LIMITS.rows;

/** What every row's analysis shares: the model's header, its modules and the channels and shapes so far. */
export interface RowWalk {
  family: ModelFamily;
  limits: Limits;
  /** The work all the rows' builds may do together. */
  budget: WorkBudget;
  /** Repeats of the rows so far, after the depth gain. */
  repeatsSoFar: number;
  header: ModelHeader;
  registry: Registry;
  imgsz: [number, number];
  report: Report;
  /** parse_model's ch list: the image's channels until layer 0, then every layer's c2. */
  ch: number[];
  /** Every layer's output [C, H, W] (NaN where unknown). */
  outShapes: Shape[];
  /** parse_model's c2 variable after the last row. */
  lastC2: number | null;
  /** Shared modules (the default activation) met in any layer, counted once. */
  shared: Set<string>;
}

/** parse_model's ch[j] (negative j from the end; NaN when unknown). */
export function channelsAt(ch: number[], j: number): number {
  const v = j < 0 ? ch[ch.length + j] : ch[j];
  return v === undefined ? NaN : v;
}

/** What a string argument YOLO Architect does not understand would do in YOLOv5 (the 'string-argument' warning). */
export function stringArgumentRisk(a: string): Message {
  return msg('string-argument', { arg: repr(a) });
}

/** The rows of the model analysed in order (at most MAX_ROWS; more are said and left out). */
export function analyzeRows(rows: RowSource[], walk: RowWalk): LayerResult[] {
  if (rows.length > MAX_ROWS)
    walk.report(
      'too-many-rows',
      'error',
      msg('too-many-rows', { rows: rows.length, max: MAX_ROWS }),
      rows[MAX_ROWS].range,
    );
  return rows.slice(0, MAX_ROWS).map((row) => analyzeRow(row, walk));
}

function analyzeRow(row: RowSource, walk: RowWalk): LayerResult {
  const { header, report } = walk;
  const i = row.index;
  const layer: LayerResult = {
    i,
    row,
    from: null,
    inputs: [],
    n: 1,
    buildRepeats: 1,
    module: '',
    args: null,
    c2: null,
    shape: null,
    params: 0,
    macs: 0,
    modules: 0,
    shared: [],
    ok: false,
  };
  const at = (part?: { range: Range }) => part?.range ?? row.range;
  const error = (code: string, message: Message, range?: Range) =>
    report(code, 'error', message, range ?? row.range, i);
  /** The row's output channels recorded for the rows that read it. */
  const finish = (c2: number | null): LayerResult => {
    layer.c2 = c2;
    if (i === 0) walk.ch = [];
    walk.ch.push(c2 ?? NaN);
    walk.lastC2 = c2;
    walk.outShapes.push(layer.shape && layer.shape.length === 3 ? layer.shape : [c2 ?? NaN, NaN, NaN]);
    return layer;
  };

  // ---- module, inputs, repeats, arguments ----
  const moduleValue = row.module?.value;
  layer.module = typeof moduleValue === 'string' ? moduleValue : moduleValue === undefined ? '' : repr(moduleValue);
  let def = typeof moduleValue === 'string' ? walk.registry.get(moduleValue) : undefined;
  if (row.module && !def) {
    const hint = typeof moduleValue === 'string' ? walk.registry.suggest(moduleValue) : undefined;
    error('unknown-module', walk.family.unknownModule(layer.module, hint, walk.registry.generated()), at(row.module));
  } else if (def && typeof moduleValue === 'string') {
    const problem = walk.family.moduleProblem(moduleValue, def);
    if (problem?.severity === 'error') {
      error('unknown-module', problem.message, at(row.module));
      def = undefined;
    } else if (problem) report('module-spelling', 'warning', problem.message, at(row.module), i);
  }
  layer.def = def;

  const inputs = readFrom(row, error);
  if (inputs.from !== null) layer.from = inputs.from;
  layer.inputs = inputs.inputs;

  let written = 1;
  const nValue = row.n?.value;
  if (row.n) {
    if (!isInt(nValue) || nValue < 1)
      error('bad-repeats', msg('bad-repeats', { got: repr(nValue ?? null) }), at(row.n));
    else if (nValue > walk.limits.repeats)
      error('bad-repeats', msg('absurd-repeats', { n: nValue, max: walk.limits.repeats }), at(row.n));
    else written = nValue;
  }
  layer.n = walk.family.repeats(written, header);
  layer.buildRepeats = layer.n;
  // the depth gain multiplies repeats: bounded after it, and over the whole model
  let tooMany = false;
  if (layer.n > walk.limits.repeats) {
    error(
      'bad-repeats',
      msg('absurd-repeats-after-depth', {
        written,
        depthMultiple: header.depthMultiple,
        n: layer.n,
        max: walk.limits.repeats,
      }),
      at(row.n),
    );
    tooMany = true;
  } else if ((walk.repeatsSoFar += layer.n) > walk.limits.totalRepeats) {
    error(
      'too-many-repeats',
      msg('too-many-repeats', { n: walk.repeatsSoFar, max: walk.limits.totalRepeats }),
      at(row.n),
    );
    tooMany = true;
  }

  // strings are eval()'d as parse_model does (or resolved as the family does); names it does not know stay strings
  const scope = walk.family.argScope(header, { i, n: written, from: layer.from });
  const args: Py[] = (row.args?.value ?? []).map((a, j) => {
    if (typeof a !== 'string') return a;
    if (walk.family.stringArg) {
      const r = walk.family.stringArg(a, { header, i, n: written, from: layer.from, j, lastC2: walk.lastC2 });
      if ('error' in r) error('bad-arg-expression', r.error, row.args!.items[j]);
      else if (r.warning) report('arg-not-evaluated', 'warning', r.warning, row.args!.items[j], i);
      return 'error' in r ? a : r.value;
    }
    if (understands(a) === 'no') report('string-argument', 'warning', stringArgumentRisk(a), row.args!.items[j], i);
    // a bare name eval() does not know stays a string ('nearest'): said without raising an error, which costs
    if (unknownName(a, scope)) return a;
    try {
      return evalPy(a, scope);
    } catch (e) {
      if (e instanceof PyNameError) return a;
      const problem = errorMessage(e);
      const said =
        e instanceof PySyntaxError
          ? msg('arg-not-python', { arg: repr(a), problem })
          : msg('arg-fails', { arg: repr(a), problem });
      error('bad-arg-expression', said, row.args!.items[j]);
      return a;
    }
  });

  if (!def || !inputs.ok || row.malformed || !row.args || tooMany) {
    if (!row.args && !row.malformed) error('bad-row', msg('row-no-args'), row.range);
    return finish(def && inputs.ok && layer.inputs.length === 1 ? channelsAt(walk.ch, inputs.fromList[0]) : null);
  }
  const argRanges = row.args;

  // ---- parse_model's resolution, by the family's rule ----
  const context: RowContext = {
    i,
    def,
    args,
    from: layer.from!,
    fromList: inputs.fromList,
    inputs: layer.inputs,
    n: layer.n,
    header,
    channels: (j) => channelsAt(walk.ch, j),
    lastC2: walk.lastC2,
    error,
    ranges: { row: row.range, from: at(row.from), args: argRanges.range, argItems: argRanges.items },
  };
  // an input that could not be computed: said once here, not as a cascade of nan arguments; the channels
  // the row writes itself (a Conv's c2) still reach the layers that read it
  const broken = inputs.fromList.find((j) => !(i === 0 && j === -1) && !Number.isFinite(channelsAt(walk.ch, j)));
  if (broken !== undefined) {
    error('input-error', msg('input-error', { layer: broken < 0 ? i + broken : broken }), at(row.from));
    const quiet = walk.family.resolve({ ...context, error: () => undefined });
    return finish(quiet.c2 !== null && Number.isFinite(quiet.c2) ? quiet.c2 : null);
  }
  const resolution = walk.family.resolve(context);
  if (!resolution.ok) return finish(resolution.c2);
  const { c2 } = resolution;
  layer.args = resolution.args;
  layer.buildRepeats = resolution.buildRepeats;
  if (resolution.attrs) layer.attrs = resolution.attrs;
  if (resolution.sideInputs) layer.sideInputs = resolution.sideInputs;
  if (resolution.buildArgs) layer.buildArgs = resolution.buildArgs;

  // ---- arguments against the module's signature ----
  const fits = checkSignature({
    def,
    args: resolution.args,
    c2,
    buildRepeats: resolution.buildRepeats,
    addsInputChannels: resolution.addsInputChannels,
    argRange: (k) => {
      const index = resolution.yamlIndex(k);
      return (index === undefined ? undefined : argRanges.items[index]) ?? argRanges.range;
    },
    ranges: { args: argRanges.range, firstArg: argRanges.items[0] ?? argRanges.range, n: at(row.n) },
    error,
  });
  if (!fits) return finish(c2);

  // ---- build ----
  // the model's work budget is spent: said once, on the row that spent it; later rows are not built
  if (walk.budget.exhausted) return finish(c2);
  const inputShapes = [
    ...layer.inputs.map((j) => (j === -1 ? [header.inputChannels, walk.imgsz[0], walk.imgsz[1]] : walk.outShapes[j])),
    ...(layer.sideInputs ?? []),
  ];
  let built: LayerBuild;
  try {
    built = cachedBuild(
      def,
      (layer.buildArgs ?? resolution.args).map(argToJs),
      resolution.buildRepeats,
      inputShapes,
      header.defaultAct,
      walk.registry,
      walk.budget,
      layer.attrs,
    );
  } catch (e) {
    error('internal-error', msg('internal-error', { error: (e as Error).message }), row.range);
    return finish(c2);
  }
  for (const note of built.notes)
    report(
      note.code,
      note.severity,
      msg('layer-problem', { layer: i, module: def.name, problem: note.message }),
      at(row.module),
      i,
    );
  layer.params = built.params;
  layer.macs = built.macs;
  layer.modules = built.modules;
  layer.shared = built.shared;
  for (const s of built.shared) walk.shared.add(s);
  if (built.error) {
    const e = built.error;
    const where =
      e.code === 'channel-mismatch' ? at(row.from) : e.code.startsWith('bad-') ? argRanges.range : at(row.module);
    const said = { layer: i, module: def.name, problem: e.msg };
    error(
      e.code,
      e.code === 'channel-mismatch' ? msg('layer-channel-mismatch', said) : msg('layer-problem', said),
      where,
    );
    layer.shape = null;
  } else {
    layer.ok = true;
    layer.shape = built.out.shape;
    walk.family.built?.(def, built.out.shape, header);
    if (walk.family.isHead(def)) layer.detect = walk.family.headOutputs(def, resolution.args, inputShapes, header);
  }
  const shape = layer.shape;
  if (
    shape &&
    shape.length === 3 &&
    c2 !== null &&
    shape[0] !== c2 &&
    !Number.isNaN(shape[0]) &&
    !walk.family.isHead(def)
  )
    report(
      'channel-bookkeeping',
      'warning',
      msg('channel-bookkeeping', { layer: i, module: def.name, outputs: shape[0], recorded: c2 }),
      at(row.module),
      i,
    );
  return finish(c2);
}

/** A row's `from`: the layers it reads, each checked to be an earlier layer (or the image for layer 0). */
function readFrom(
  row: RowSource,
  error: (code: string, message: Message, range?: Range) => void,
): { from: number | number[] | null; fromList: number[]; inputs: number[]; ok: boolean } {
  const i = row.index;
  const value = row.from?.value;
  const range = row.from?.range ?? row.range;
  const fromList: number[] = [];
  if (isInt(value)) fromList.push(value);
  else if (Array.isArray(value) && value.length && value.every(isInt)) fromList.push(...(value as number[]));
  else {
    if (row.from) error('bad-from', msg('bad-from', { got: repr(value ?? null) }), range);
    return { from: null, fromList, inputs: [], ok: false };
  }
  const inputs: number[] = [];
  let ok = true;
  for (const j of fromList) {
    const abs = j < 0 ? i + j : j;
    if (i === 0 && j === -1) inputs.push(-1);
    else if (j >= i) {
      error(
        'from-forward',
        msg('from-forward', { from: j, layer: i, last: i - 1, itself: j === i, first: i === 0 }),
        range,
      );
      ok = false;
    } else if (abs < 0) {
      error(
        'from-out-of-range',
        i === 0
          ? msg('from-out-of-range-first', { from: j, layer: i })
          : msg('from-out-of-range', { from: j, layer: i, last: i - 1 }),
        range,
      );
      ok = false;
    } else inputs.push(abs);
  }
  return { from: isInt(value) ? value : [...fromList], fromList, inputs, ok };
}
