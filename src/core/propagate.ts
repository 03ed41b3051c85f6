/**
 * parse_model, exactly: from a parsed config to every layer's resolved arguments, output channels and
 * shape, parameters, FLOPs and YOLOv5's module count, plus every problem as a diagnostic.
 * Pure and total: bad input yields diagnostics and everything that can still be computed.
 */
import { makeDiag, type ModelSource, type Range, type RowSource } from './document.ts';
import type { Diagnostic, Severity } from './diagnostics.ts';
import { sortDiagnostics } from './diagnostics.ts';
import {
  BuildError,
  Builder,
  Scope,
  className,
  type ActSpec,
  type ArgSpec,
  type ModNode,
  type ModuleDef,
  type Note,
  type Op,
  type Shape,
  type Value,
} from './graph.ts';
import { PyNameError, PySyntaxError, evalPy } from './pyexpr.ts';
import {
  PyFloat,
  isInt,
  isPyModule,
  makeDivisible,
  num,
  pyRound,
  repr,
  toJs,
  truthy,
  type Py,
  type PyModule,
} from './py.ts';
import { defaultRegistry, type Registry } from './registry.ts';

export interface AnalyzeOptions {
  /** Input size (square, or [height, width]); default 640. */
  imgsz?: number | [number, number];
  registry?: Registry;
}

export interface LayerResult {
  i: number;
  row: RowSource;
  /** `from` as written (ints), or null when unreadable. */
  from: number | number[] | null;
  /** Absolute indices of the inputs (-1: the image). */
  inputs: number[];
  /** Repeats after the depth multiple (parse_model's n_). */
  n: number;
  /** Module name as written. */
  module: string;
  def?: ModuleDef;
  /** Arguments as parse_model passes them to the module. */
  args: Py[] | null;
  /** Output channels as parse_model records them (ch[i]). */
  c2: number | null;
  /** Output [C, H, W] (NaN where unknown); for Detect/Segment [predictions, outputs]. */
  shape: Shape | null;
  /** Detect/Segment: per level [na, h, w, no]; Segment's prototypes [nm, h, w]. */
  detect?: { levels: number[][]; proto?: Shape; strides?: number[] };
  params: number;
  macs: number;
  /** Modules in this layer's tree (its own module included, shared default activation excluded). */
  modules: number;
  shared: string[];
  /** Built without a construction or forward error. */
  ok: boolean;
}

export interface ModelAnalysis {
  source: ModelSource;
  imgsz: [number, number];
  nc: number | null;
  depthMultiple: number;
  widthMultiple: number;
  channelMultiple: number;
  inputChannels: number;
  anchors: Py;
  na: number | null;
  no: number | null;
  defaultAct: ActSpec;
  /** The modules the config was read with (built-ins plus module libraries). */
  registry: Registry;
  layers: LayerResult[];
  params: number;
  modules: number;
  gflops: number;
  stride: number[] | null;
  diagnostics: Diagnostic[];
}

const MAX_CHANNELS = 1 << 20;
const MAX_REPEATS = 1000;
const MAX_ROWS = 2000;
const MAX_IMG = 16384;

interface LayerBuild {
  out: Value;
  params: number;
  macs: number;
  modules: number;
  shared: string[];
  notes: Note[];
  detect?: LayerResult['detect'];
  error?: BuildError;
}

/** Build one layer (n copies in an nn.Sequential when n > 1). Exported for the runtime and the views. */
export function buildLayer(
  def: ModuleDef,
  args: unknown[],
  n: number,
  inputs: Shape[],
  opts: { mode: 'summary' | 'graph'; defaultAct: ActSpec; registry?: Registry },
): LayerBuild & { root?: ModNode; ops: Op[]; inputValues: Value[]; shapes: Map<number, Shape> } {
  const registry = opts.registry ?? defaultRegistry;
  const b = new Builder({ mode: opts.mode, defaultAct: opts.defaultAct, resolve: (name) => registry.get(name) });
  const rootNode: ModNode | null = b.graph
    ? { type: n > 1 ? 'Sequential' : className(def), name: '', children: [], tensors: [] }
    : null;
  const root = new Scope(b, rootNode, '');
  b.modules = 1;
  const xs = inputs.map((shape) => root.value(shape));
  let out: Value;
  let error: BuildError | undefined;
  try {
    const bound = bindPositional(def.args, args);
    if (n > 1) {
      let y = xs[0];
      for (let j = 0; j < n; j++) {
        const s = root.child(String(j), className(def));
        y = def.build(s, bound, [y]);
      }
      out = y;
    } else out = def.build(root, bound, xs);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    error = e;
    out = root.value([NaN, NaN, NaN]);
  }
  let detect: LayerResult['detect'];
  const det = b.graph ? b.ops.find((o) => o.kind === 'detect') : undefined;
  if (det && det.kind === 'detect') detect = { levels: [] };
  return {
    out,
    params: b.params,
    macs: b.macs,
    modules: b.modules,
    shared: [...b.shared],
    notes: b.notes,
    error,
    detect,
    root: rootNode ?? undefined,
    ops: b.ops,
    inputValues: xs,
    shapes: b.shapes,
  };
}

/**
 * Layer i of an analysed model built in graph mode (its module tree, operations and every value's shape),
 * exactly as the analysis resolved it: the runtime's network and the "look inside" view both use this.
 */
export function buildAnalyzedLayer(a: ModelAnalysis, i: number) {
  const L = a.layers[i];
  if (!L?.def || !L.args) return null;
  const inputs = L.inputs.map((j) =>
    j === -1 ? [a.inputChannels, a.imgsz[0], a.imgsz[1]] : (a.layers[j]?.shape ?? [NaN, NaN, NaN]),
  );
  const n = L.def.parse === 'channelsRepeat' ? 1 : L.n;
  return buildLayer(L.def, L.args.map(argToJs), n, inputs, {
    mode: 'graph',
    defaultAct: a.defaultAct,
    registry: a.registry,
  });
}

function bindPositional(specs: ArgSpec[], args: unknown[]): Record<string, any> {
  const a: Record<string, any> = {};
  specs.forEach((spec, i) => {
    a[spec.name] = i < args.length ? args[i] : spec.default === undefined ? undefined : toJs(spec.default);
  });
  return a;
}

/** A config's value as a builder sees it: floats unwrapped, nn modules as activations. */
export function argToJs(v: Py): unknown {
  if (isPyModule(v)) return actFromModule(v);
  if (Array.isArray(v)) return v.map(argToJs);
  return toJs(v);
}

const ACTS = new Set([
  'SiLU',
  'ReLU',
  'ReLU6',
  'LeakyReLU',
  'Hardswish',
  'Hardsigmoid',
  'Sigmoid',
  'Tanh',
  'Mish',
  'GELU',
  'ELU',
  'Identity',
]);
export function actFromModule(m: PyModule): ActSpec | undefined {
  const type = m.module.replace(/^nn\./, '');
  if (!ACTS.has(type)) return undefined;
  const spec: ActSpec = { type: type as ActSpec['type'] };
  if (type === 'LeakyReLU') spec.alpha = num(m.kwargs?.negative_slope ?? m.args[0] ?? null) ?? 0.01;
  if (type === 'ELU') spec.alpha = num(m.kwargs?.alpha ?? m.args[0] ?? null) ?? 1;
  return spec;
}

/** Cache of layer builds in summary mode, keyed by everything a build depends on. */
const summaryCache = new Map<string, LayerBuild>();
/** Forget cached layer builds (benchmarks measure the cold path with it). */
export function clearBuildCache() {
  summaryCache.clear();
}
function cachedBuild(
  def: ModuleDef,
  args: unknown[],
  n: number,
  inputs: Shape[],
  defaultAct: ActSpec,
  registry: Registry,
): LayerBuild {
  const key = `${def.name}|${n}|${JSON.stringify(args)}|${JSON.stringify(inputs)}|${defaultAct.type}${defaultAct.alpha ?? ''}|${registry === defaultRegistry ? '' : 'r'}`;
  let hit = registry === defaultRegistry ? summaryCache.get(key) : undefined;
  if (!hit) {
    const r = buildLayer(def, args, n, inputs, { mode: 'summary', defaultAct, registry });
    hit = {
      out: r.out,
      params: r.params,
      macs: r.macs,
      modules: r.modules,
      shared: r.shared,
      notes: r.notes,
      error: r.error,
    };
    if (registry === defaultRegistry) {
      if (summaryCache.size > 20000) summaryCache.clear();
      summaryCache.set(key, hit);
    }
  }
  return hit;
}

/** Analyse a parsed config: every layer as YOLOv5's parse_model would build it. */
export function analyze(src: ModelSource, options: AnalyzeOptions = {}): ModelAnalysis {
  const registry = options.registry ?? defaultRegistry;
  const diags: Diagnostic[] = [...src.diagnostics];
  const diag = (code: string, severity: Severity, message: string, range?: Range, layer?: number) =>
    diags.push(makeDiag(src, code, severity, message, range, layer));

  let imgsz: [number, number] = Array.isArray(options.imgsz)
    ? options.imgsz
    : [options.imgsz ?? 640, options.imgsz ?? 640];
  if (!imgsz.every((v) => isInt(v) && v >= 1 && v <= MAX_IMG)) {
    diag('bad-img-size', 'error', `the input size must be a whole number from 1 to ${MAX_IMG}, got ${imgsz.join('x')}`);
    imgsz = [640, 640];
  }

  // ---- header ----
  const h = src.header;
  const fatal = src.diagnostics.some(
    (d) =>
      d.severity === 'error' && ['yaml-syntax', 'file-too-large', 'yaml-too-large', 'not-a-mapping'].includes(d.code),
  );
  const need = (key: 'nc' | 'depth_multiple' | 'width_multiple' | 'anchors') => {
    if (!h[key] && !fatal) diag('missing-key', 'error', `'${key}' is missing: YOLOv5 reads it (KeyError)`);
  };
  need('nc');
  need('depth_multiple');
  need('width_multiple');
  need('anchors');
  if (!fatal)
    for (const s of ['backbone', 'head'] as const)
      if (!src.sections[s])
        diag('missing-section', 'error', `'${s}:' is missing: a model config needs both backbone and head`);

  const positiveNumber = (key: 'depth_multiple' | 'width_multiple', fallback: number): number => {
    const v = h[key];
    if (!v) return fallback;
    const x = num(v.value);
    if (x === undefined || !(x > 0) || x > 100) {
      diag('bad-value', 'error', `${key} must be a positive number (e.g. 0.33), got ${repr(v.value)}`, v.range);
      return fallback;
    }
    return x;
  };
  const gd = positiveNumber('depth_multiple', 1);
  const gw = positiveNumber('width_multiple', 1);

  let nc: number | null = null;
  if (h.nc) {
    if (isInt(h.nc.value) && h.nc.value >= 1 && h.nc.value <= 100000) nc = h.nc.value;
    else
      diag(
        'bad-value',
        'error',
        `nc (the number of classes) must be a whole number from 1 to 100000, got ${repr(h.nc.value)}`,
        h.nc.range,
      );
  }
  let chIn = 3;
  if (h.ch) {
    if (isInt(h.ch.value) && h.ch.value >= 1 && h.ch.value <= 4096) chIn = h.ch.value;
    else
      diag(
        'bad-value',
        'error',
        `ch (input channels) must be a whole number from 1 to 4096, got ${repr(h.ch.value)}`,
        h.ch.range,
      );
  }
  let chMul = 8;
  if (h.channel_multiple && truthy(h.channel_multiple.value)) {
    const v = h.channel_multiple.value;
    if (isInt(v) && v >= 1 && v <= 1024) chMul = v;
    else
      diag(
        'bad-value',
        'error',
        `channel_multiple must be a whole number from 1 to 1024, got ${repr(v)}`,
        h.channel_multiple.range,
      );
  }
  let defaultAct: ActSpec = { type: 'SiLU' };
  if (h.activation && truthy(h.activation.value)) {
    const v = h.activation.value;
    let ok = false;
    if (typeof v === 'string') {
      try {
        const m = evalPy(v);
        const spec = isPyModule(m) ? actFromModule(m) : undefined;
        if (spec) [defaultAct, ok] = [spec, true];
      } catch {
        /* reported below */
      }
    }
    if (!ok)
      diag(
        'bad-activation',
        'error',
        `activation must construct a torch activation such as nn.LeakyReLU(0.1), nn.SiLU() or nn.ReLU(); got ${repr(v)}`,
        h.activation.range,
      );
  }
  let na: number | null = null;
  let anchors: Py = h.anchors?.value ?? null;
  if (h.anchors) {
    const a = h.anchors.value;
    if (isInt(a) && a >= 1 && a <= 100) na = a;
    else if (Array.isArray(a) && a.length && Array.isArray(a[0]) && a[0].length >= 2) {
      na = Math.floor(a[0].length / 2);
      if (
        !a.every(
          (l) => Array.isArray(l) && l.length === (a[0] as Py[]).length && l.every((x) => num(x) !== undefined),
        ) ||
        a[0].length % 2
      ) {
        diag(
          'bad-anchors',
          'error',
          'anchors must be one list of (width, height) pairs per level, all levels with the same count, e.g. [10, 13, 16, 30, 33, 23]',
          h.anchors.range,
        );
      }
    } else {
      diag(
        'bad-anchors',
        'error',
        `anchors must be a list of per-level lists of (width, height) pairs, or a number of anchors per level; got ${repr(a)}`,
        h.anchors.range,
      );
      anchors = null;
    }
  }
  const no = na !== null && nc !== null ? na * (nc + 5) : null;

  // ---- rows ----
  const rows = src.rows.slice(0, MAX_ROWS);
  if (src.rows.length > MAX_ROWS)
    diag('too-many-rows', 'error', `${src.rows.length} rows; at most ${MAX_ROWS} are read`, src.rows[MAX_ROWS].range);
  const layers: LayerResult[] = [];
  let ch: number[] = [chIn];
  const outShapes: Shape[] = [];
  const allShared = new Set<string>();
  let lastC2: number | null = chIn;

  for (const row of rows) {
    const i = row.index;
    const L: LayerResult = {
      i,
      row,
      from: null,
      inputs: [],
      n: 1,
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
    layers.push(L);
    const at = (r?: { range: Range }) => r?.range ?? row.range;
    const err = (code: string, msg: string, r?: Range) => diag(code, 'error', msg, r ?? row.range, i);
    const finish = (c2: number | null) => {
      L.c2 = c2;
      if (i === 0) ch = [];
      ch.push(c2 ?? NaN);
      lastC2 = c2;
      outShapes.push(L.shape && L.shape.length === 3 ? L.shape : [c2 ?? NaN, NaN, NaN]);
    };

    // module
    const mv = row.module?.value;
    const modName = typeof mv === 'string' ? mv : mv === undefined ? '' : repr(mv);
    L.module = modName;
    const def = typeof mv === 'string' ? registry.get(mv) : undefined;
    if (row.module && !def) {
      const hint = typeof mv === 'string' ? registry.suggest(mv) : undefined;
      err(
        'unknown-module',
        `unknown module '${modName}'${hint ? `; did you mean ${hint}?` : ''} (known: the YOLOv5 modules, Bottle2neck, C3_Res2Block and your own)`,
        at(row.module),
      );
    } else if (def && typeof mv === 'string' && mv !== def.name && !(mv === `torch.${def.name}`)) {
      diag(
        'module-spelling',
        'warning',
        `YOLOv5 evaluates module names, and knows this one only as ${def.name}: write '${def.name}'`,
        at(row.module),
        i,
      );
    }
    L.def = def;

    // from
    const fv = row.from?.value;
    let fromOk = true;
    const fromList: number[] = [];
    if (isInt(fv)) fromList.push(fv);
    else if (Array.isArray(fv) && fv.length && fv.every(isInt)) fromList.push(...(fv as number[]));
    else if (row.from) {
      err(
        'bad-from',
        `'from' must be a layer index (-1 for the previous layer) or a list of them, got ${repr(fv ?? null)}`,
        at(row.from),
      );
      fromOk = false;
    } else fromOk = false;
    if (fromOk) {
      L.from = isInt(fv) ? fv : [...fromList];
      for (const j of fromList) {
        const abs = j < 0 ? i + j : j;
        if (i === 0 && j === -1) {
          L.inputs.push(-1);
        } else if (j >= i) {
          err(
            'from-forward',
            `'from' ${j} points ${j === i ? 'at this layer itself' : 'forward'}: layer ${i} can only read layers 0 to ${i - 1}${i === 0 ? ' (layer 0 reads the image with -1)' : ''}`,
            at(row.from),
          );
          fromOk = false;
        } else if (abs < 0) {
          err(
            'from-out-of-range',
            `'from' ${j} is out of range: layer ${i} ${i === 0 ? 'can only read the image (-1)' : `can read -1 to -${i}, or 0 to ${i - 1}`}`,
            at(row.from),
          );
          fromOk = false;
        } else L.inputs.push(abs);
      }
    }

    // n
    const nv = row.n?.value;
    let n = 1;
    let nRaw = 1;
    if (row.n) {
      if (!isInt(nv) || nv < 1) {
        err(
          'bad-repeats',
          `the number of repeats must be a whole number of at least 1, got ${repr(nv ?? null)}`,
          at(row.n),
        );
      } else if (nv > MAX_REPEATS) {
        err('bad-repeats', `${nv} repeats is absurd; at most ${MAX_REPEATS}`, at(row.n));
      } else {
        nRaw = nv;
        n = nv > 1 ? Math.max(pyRound(nv * gd), 1) : nv;
      }
    }
    L.n = n;

    // args: strings are eval()'d as parse_model does; names it does not know stay strings
    const scope: Record<string, Py> = {
      nc,
      anchors,
      na,
      no,
      gd: new PyFloat(gd),
      gw: new PyFloat(gw),
      ch_mul: chMul,
      i,
      n: nRaw,
      f: L.from as Py,
    };
    let args: Py[] = [];
    if (row.args) {
      args = row.args.value.map((a, j) => {
        if (typeof a !== 'string') return a;
        try {
          return evalPy(a, scope);
        } catch (e) {
          if (e instanceof PyNameError) return a;
          const what = e instanceof PySyntaxError ? 'is not valid Python' : 'fails';
          err(
            'bad-arg-expression',
            `argument ${repr(a)} ${what} when YOLOv5 evaluates it: ${(e as Error).message}`,
            row.args!.items[j],
          );
          return a;
        }
      });
    }

    if (!def || !fromOk || row.malformed || !row.args) {
      if (!row.args && !row.malformed) err('bad-row', 'the row has no arguments list', row.range);
      finish(def && fromOk && L.inputs.length === 1 ? chAt(ch, fromList[0]) : null);
      continue;
    }
    const argRange = (resolvedIndex: number, offset: number): Range =>
      row.args!.items[resolvedIndex - offset] ?? row.args!.range;

    // ---- parse_model's resolution ----
    let resolved: Py[];
    let c2: number | null = null;
    let offset = 0; // resolved index - offset = index in the YAML args (for messages)
    let nBuild = n;
    const single = (): number | null => {
      if (L.inputs.length !== 1 || Array.isArray(L.from)) {
        if (Array.isArray(L.from) && L.from.length === 1) return chAt(ch, L.from[0]);
        err(
          'needs-one-input',
          `${def.name} reads one layer, but 'from' lists ${L.inputs.length}: use Concat first`,
          at(row.from),
        );
        return null;
      }
      return chAt(ch, fromList[0]);
    };
    switch (def.parse) {
      case 'channels':
      case 'channelsRepeat': {
        const c1 = single();
        if (c1 === null) {
          finish(null);
          continue;
        }
        if (!args.length) {
          err(
            'missing-arg',
            `${def.name} needs its output channels as the first argument, e.g. [${def.name === 'Conv' ? '64, 3, 2' : '128'}]`,
            row.args.range,
          );
          finish(null);
          continue;
        }
        const a0 = num(args[0]);
        if (a0 === undefined || typeof args[0] === 'boolean') {
          err(
            'bad-arg-type',
            `${def.name}'s first argument is its output channels, a number; got ${repr(args[0])}`,
            row.args.items[0],
          );
          finish(null);
          continue;
        }
        c2 = a0 !== no ? makeDivisible(a0 * gw, chMul) : a0;
        resolved = [c1, c2, ...args.slice(1)];
        offset = 1;
        if (def.parse === 'channelsRepeat') {
          resolved.splice(2, 0, n);
          nBuild = 1;
        }
        break;
      }
      case 'batchNorm': {
        const c1 = single();
        resolved = [c1];
        c2 = c1;
        break;
      }
      case 'concat': {
        if (!Array.isArray(L.from)) {
          // sum(ch[x] for x in f) over an int fails in YOLOv5
          err(
            'concat-needs-list',
            `Concat reads a list of layers, e.g. [[-1, 6], 1, Concat, [1]]; 'from' is ${L.from}`,
            at(row.from),
          );
          finish(null);
          continue;
        }
        c2 = fromList.reduce((acc, j) => acc + chAt(ch, j), 0);
        resolved = args;
        break;
      }
      case 'detect': {
        const f = Array.isArray(L.from) ? fromList : [fromList[0]];
        if (!Array.isArray(L.from)) {
          err(
            'detect-needs-list',
            `${def.name} reads a list of layers, e.g. [[17, 20, 23], 1, ${def.name}, [nc, anchors]]`,
            at(row.from),
          );
          finish(null);
          continue;
        }
        resolved = [...args, f.map((j) => chAt(ch, j))];
        if (args.length < 2) {
          err(
            'missing-arg',
            `${def.name} needs [nc, anchors${def.name === 'Segment' ? ', nm, npr' : ''}]`,
            row.args.range,
          );
          finish(lastC2);
          continue;
        }
        if (isInt(resolved[1]))
          resolved[1] = new Array(f.length).fill(Array.from({ length: (resolved[1] as number) * 2 }, (_, k) => k));
        if (def.name === 'Segment') {
          if (args.length < 4) {
            err('missing-arg', 'Segment needs [nc, anchors, nm, npr]', row.args.range);
            finish(lastC2);
            continue;
          }
          const npr = num(resolved[3]);
          if (npr === undefined)
            err('bad-arg-type', `Segment's npr must be a number, got ${repr(resolved[3])}`, row.args.items[3]);
          else resolved[3] = makeDivisible(npr * gw, chMul);
        }
        c2 = lastC2; // parse_model leaves c2 as it was
        break;
      }
      case 'contract':
      case 'expand': {
        const c1 = single();
        const gain = num(args[0]);
        if (c1 === null || gain === undefined || !isInt(gain) || gain < 1) {
          if (c1 !== null)
            err(
              'missing-arg',
              `${def.name} needs its gain, a whole number, as the first argument (e.g. [2])`,
              row.args.range,
            );
          finish(null);
          continue;
        }
        c2 = def.parse === 'contract' ? c1 * gain ** 2 : Math.floor(c1 / gain ** 2);
        resolved = args;
        break;
      }
      default: {
        c2 = single();
        resolved = args;
      }
    }
    L.args = resolved;

    // ---- arguments against the module's signature ----
    let argsOk = true;
    if (resolved.length > def.args.length) {
      err(
        'too-many-args',
        `${def.name} takes at most ${def.args.length} arguments (${def.args.map((a) => a.name).join(', ')}); this row gives ${resolved.length}${offset ? ' after parse_model adds the input channels' : ''}`,
        row.args.range,
      );
      argsOk = false;
    }
    def.args.forEach((spec, k) => {
      if (k >= resolved.length) {
        if (spec.required) {
          err(
            'missing-arg',
            `${def.name} needs its argument '${spec.name}' (${spec.doc ?? spec.type}); PyTorch raises without it`,
            row.args!.range,
          );
          argsOk = false;
        }
        return;
      }
      const problem = checkArg(spec, resolved[k]);
      if (problem) {
        err(
          'bad-arg-type',
          `${def.name}'s argument '${spec.name}' ${problem}, got ${repr(resolved[k])}`,
          argRange(k, offset + (def.parse === 'channelsRepeat' && k > 2 ? 1 : 0)),
        );
        argsOk = false;
      }
    });
    if (c2 !== null && (!(c2 > 0) || c2 > MAX_CHANNELS || !Number.isFinite(c2))) {
      err(
        'absurd-channels',
        `${c2.toLocaleString('en-US')} output channels is ${c2 > 0 ? 'absurd' : 'impossible'} (at most ${MAX_CHANNELS.toLocaleString('en-US')})`,
        row.args.items[0] ?? row.args.range,
      );
      argsOk = false;
    }
    if (nBuild > 1 && def.multiInput) {
      err('bad-repeats', `${def.name} takes several inputs, so it cannot be repeated (number must be 1)`, at(row.n));
      argsOk = false;
    }
    if (!argsOk) {
      finish(c2);
      continue;
    }

    // ---- build ----
    const inputs = L.inputs.map((j) => (j === -1 ? [chIn, imgsz[0], imgsz[1]] : outShapes[j]));
    let built: LayerBuild;
    try {
      built = cachedBuild(def, resolved.map(argToJs), nBuild, inputs, defaultAct, registry);
    } catch (e) {
      err(
        'internal-error',
        `YOLO Architect could not compute this layer (${(e as Error).message}); please report it`,
        row.range,
      );
      finish(c2);
      continue;
    }
    for (const note of built.notes)
      diag(note.code, note.severity, `layer ${i} ${def.name}: ${note.message}`, at(row.module), i);
    L.params = built.params;
    L.macs = built.macs;
    L.modules = built.modules;
    L.shared = built.shared;
    for (const s of built.shared) allShared.add(s);
    if (built.error) {
      const e = built.error;
      const where =
        e.code === 'channel-mismatch' ? at(row.from) : e.code.startsWith('bad-') ? row.args.range : at(row.module);
      const msg =
        e.code === 'channel-mismatch'
          ? `${def.name} is ${e.message} (the layer it reads produces a different count; PyTorch fails at forward)`
          : e.message;
      err(e.code, `layer ${i} ${def.name}: ${msg}`, where);
      L.shape = null;
    } else {
      L.ok = true;
      L.shape = built.out.shape;
      if (def.parse === 'detect' && nc !== null) {
        const nm = def.name === 'Segment' ? (num(resolved[2]) ?? 0) : 0;
        const lv = (resolved[1] as Py[]).length;
        const na2 = ((resolved[1] as Py[][])[0]?.length ?? 0) / 2;
        L.detect = { levels: L.inputs.slice(0, lv).map((j) => [na2, outShapes[j][1], outShapes[j][2], nc + 5 + nm]) };
        if (def.name === 'Segment') {
          const p = outShapes[L.inputs[0]];
          L.detect.proto = [nm, p[1] * 2, p[2] * 2];
        }
      }
    }
    if (
      L.shape &&
      L.shape.length === 3 &&
      c2 !== null &&
      L.shape[0] !== c2 &&
      !Number.isNaN(L.shape[0]) &&
      def.parse !== 'detect'
    ) {
      diag(
        'channel-bookkeeping',
        'warning',
        `layer ${i} ${def.name} outputs ${L.shape[0]} channels, but parse_model records ${c2} for the layers that read it`,
        at(row.module),
        i,
      );
    }
    finish(c2);
  }

  // ---- heads, strides, totals ----
  const heads = layers.filter((l) => l.def?.parse === 'detect');
  let stride: number[] | null = null;
  if (!heads.length && layers.length && !fatal) {
    diag(
      'no-head',
      'warning',
      'no Detect or Segment layer: YOLOv5 builds this network but cannot train or run it as a detector',
      layers[layers.length - 1].row.range,
    );
  }
  for (const hd of heads) {
    if (hd !== layers[layers.length - 1])
      diag(
        'head-not-last',
        'error',
        `${hd.def!.name} is layer ${hd.i} but must be the last layer: YOLOv5 treats only the last layer as the head, and its output cannot feed another layer`,
        hd.row.module?.range ?? hd.row.range,
        hd.i,
      );
  }
  const last = layers[layers.length - 1];
  if (last && last.def?.parse === 'detect' && last.ok) {
    stride = strides(layers, last, chIn, defaultAct, registry);
    if (stride && last.detect) last.detect.strides = stride;
    if (stride && stride.every((s) => Number.isFinite(s) && s > 0)) {
      const gs = Math.max(32, Math.max(...stride));
      const rounded = imgsz.map((v) => makeDivisible(v, gs));
      if (rounded.some((v, k) => v !== imgsz[k])) {
        diag(
          'img-size-rounded',
          'info',
          `YOLOv5 would round the input size ${imgsz[0] === imgsz[1] ? imgsz[0] : imgsz.join('x')} up to ${rounded[0] === rounded[1] ? rounded[0] : rounded.join('x')}, a multiple of the largest stride ${gs}; shown here at the exact size`,
        );
      }
    }
  }
  const params = layers.reduce((a, l) => a + l.params, 0);
  const modules = 2 + layers.reduce((a, l) => a + l.modules, 0) + allShared.size;
  const gflops = (2 * layers.reduce((a, l) => a + l.macs, 0)) / 1e9;

  return {
    source: src,
    imgsz,
    nc,
    depthMultiple: gd,
    widthMultiple: gw,
    channelMultiple: chMul,
    inputChannels: chIn,
    anchors,
    na,
    no,
    defaultAct,
    registry,
    layers,
    params,
    modules,
    gflops,
    stride,
    diagnostics: sortDiagnostics(diags),
  };
}

function chAt(ch: number[], j: number): number {
  const v = j < 0 ? ch[ch.length + j] : ch[j];
  return v === undefined ? NaN : v;
}

/** What YOLOv5 does: run a 256x256 probe and divide by each head input's height. */
function strides(
  layers: LayerResult[],
  head: LayerResult,
  chIn: number,
  defaultAct: ActSpec,
  registry: Registry,
): number[] | null {
  const S = 256;
  const shapes: Shape[] = [];
  for (const l of layers) {
    if (l === head) break;
    if (!l.def || !l.args) return null;
    const inputs = l.inputs.map((j) => (j === -1 ? [chIn, S, S] : shapes[j]));
    const b = cachedBuild(
      l.def,
      l.args.map(argToJs),
      l.def.parse === 'channelsRepeat' ? 1 : l.n,
      inputs,
      defaultAct,
      registry,
    );
    if (b.error) return null;
    shapes.push(b.out.shape);
  }
  return head.inputs.map((j) => S / shapes[j][1]);
}

/** Why a value does not fit an argument's type (undefined when it fits). */
function checkArg(spec: ArgSpec, v: Py): string | undefined {
  const isNum = (x: Py) => typeof x === 'number' || x instanceof PyFloat;
  const isWhole = (x: Py) => isInt(x) || (x instanceof PyFloat && Number.isInteger(x.v) && false);
  switch (spec.type) {
    case 'int':
      return isWhole(v) || typeof v === 'boolean' ? undefined : 'must be a whole number';
    case 'float':
      return isNum(v) ? undefined : 'must be a number';
    case 'intOrPair':
      return isWhole(v) || (Array.isArray(v) && v.length === 2 && v.every(isWhole))
        ? undefined
        : 'must be a whole number or a pair of them';
    case 'intOrNone':
      return v === null || isWhole(v) ? undefined : 'must be a whole number or None';
    case 'pairOrNone':
      return v === null || isWhole(v) || (Array.isArray(v) && v.length === 2 && v.every(isWhole))
        ? undefined
        : 'must be None, a whole number or a pair of them';
    case 'ints':
      return isWhole(v) || (Array.isArray(v) && v.length > 0 && v.every(isWhole))
        ? undefined
        : 'must be a list of whole numbers';
    case 'padding':
      return isWhole(v) || (Array.isArray(v) && v.length === 4 && v.every(isWhole))
        ? undefined
        : 'must be a whole number or [left, right, top, bottom]';
    case 'str':
      return typeof v === 'string' ? undefined : 'must be a string';
    case 'act':
      return typeof v === 'boolean' || (isPyModule(v) && actFromModule(v))
        ? undefined
        : 'must be True, False or an activation such as nn.LeakyReLU(0.1)';
    case 'anchors':
      return undefined;
    default:
      return undefined;
  }
}
