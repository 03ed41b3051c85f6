/**
 * Ultralytics 8.3.253's parse_model (ultralytics/nn/tasks.py) as a model family: the scale (from the file name,
 * or chosen), the header, string arguments looked up among parse_model's locals, each row's arguments and output
 * channels by the module sets parse_model tests, and the heads' strides. The rules in words, with their traps:
 * src/core/ultralytics/README.md.
 *
 * Long on purpose: parse_model's rules for each module set, the header and string arguments read in tasks.py's order,
 * one family in one file as parse-model/yolov5.ts is the other.
 */
import type { ModelSource, Range } from '../document.ts';
import type { Severity } from '../diagnostics.ts';
import type { ActSpec, ModuleDef, Shape } from '../graph.ts';
import { PyEvalError, PyNameError, PySyntaxError, evalPy, parseExpr } from '../pyexpr.ts';
import { PyFloat, isPyModule, makeDivisible, num, pyRound, repr, truthy, type Py } from '../py.ts';
import { LEGACY_HEADS } from '../ultralytics/heads.ts';
import { ultralyticsModules } from '../ultralytics/modules.ts';
import type { ArgContext, ModelFamily, ModelHeader, Resolution, RowContext } from './family.ts';
import { actFromModule, HEADER_MAX, inRange } from './values.ts';
import { msg, type Message } from '../messages/index.ts';

/** parse_model's `base_modules`: c1 from the input, c2 = args[0] scaled, args = [c1, c2, *args[1:]]. */
export const BASE_MODULES = new Set([
  'Classify',
  'Conv',
  'ConvTranspose',
  'GhostConv',
  'Bottleneck',
  'GhostBottleneck',
  'SPP',
  'SPPF',
  'C2fPSA',
  'C2PSA',
  'DWConv',
  'Focus',
  'BottleneckCSP',
  'C1',
  'C2',
  'C2f',
  'C3k2',
  'RepNCSPELAN4',
  'ELAN1',
  'ADown',
  'AConv',
  'SPPELAN',
  'C2fAttn',
  'C3',
  'C3TR',
  'C3Ghost',
  'nn.ConvTranspose2d',
  'DWConvTranspose2d',
  'C3x',
  'RepC3',
  'PSA',
  'SCDown',
  'C2fCIB',
  'A2C2f',
]);
/** parse_model's `repeat_modules`: n inserted as the third argument, built once. */
export const REPEAT_MODULES = new Set([
  'BottleneckCSP',
  'C1',
  'C2',
  'C2f',
  'C3k2',
  'C2fAttn',
  'C3',
  'C3TR',
  'C3Ghost',
  'C3x',
  'RepC3',
  'C2fPSA',
  'C2fCIB',
  'C2PSA',
  'A2C2f',
]);
/** Heads whose stride comes from a forward pass (subclasses of Detect). */
export const DETECT_HEADS = new Set([
  'Detect',
  'WorldDetect',
  'YOLOEDetect',
  'Segment',
  'YOLOESegment',
  'Pose',
  'OBB',
  'v10Detect',
]);
/** Heads given the list of their inputs' channels: the Detect family, and the world models' ImagePoolingAttn. */
export const CHANNEL_LIST_HEADS = new Set([...DETECT_HEADS, 'ImagePoolingAttn']);
/** What ends a model: a Detect-family head, RT-DETR's decoder or a classifier. */
export const OUTPUT_HEADS = new Set([...DETECT_HEADS, 'RTDETRDecoder', 'Classify']);

/** The scale letter Ultralytics reads from a model file's name ('' when it names none). */
export function scaleFromName(file: string): string {
  let stem = file.slice(file.replace(/\\/g, '/').lastIndexOf('/') + 1);
  const dot = stem.lastIndexOf('.');
  if (dot > 0) stem = stem.slice(0, dot);
  return /yolo(e-)?v?\d+([nslmx])/.exec(stem)?.[2] ?? '';
}

type Diag = (code: string, severity: Severity, message: Message, range?: Range) => void;

/** The header as Ultralytics reads it, and parse_model's variables that rows change for the rows after them. */
export interface UltralyticsHeader extends ModelHeader {
  /** The scale parse_model uses ('' with no scales). */
  scale: string;
  /** Where it came from. */
  scaleFrom: 'option' | 'name' | 'first' | 'none';
  /** The scales the file defines, in order. */
  scales: string[];
  /** Infinity without scales. */
  maxChannels: number;
  /** kpt_shape as written (1.0 when absent, as parse_model's d.get default). */
  kptShape: Py;
  walk: {
    /** False once a C3k2, A2C2f or C2fCIB row was read (the Detect heads' class branch). */
    legacy: boolean;
    /** parse_model's c1 as the last row that set it left it. */
    c1?: Py;
    /** CBLinear rows' channel groups, by layer. */
    groups: Map<number, Py>;
    /** The world models' class-prompt embeddings [K, 512] as ImagePoolingAttn leaves them. */
    text: Shape;
  };
}

/** The header as parse_model and the model classes read it. */
function readHeader(src: ModelSource, diag: Diag, fatal: boolean, opts: { scale?: string } = {}): UltralyticsHeader {
  const h = src.header;
  const out: UltralyticsHeader = {
    scale: '',
    scaleFrom: 'none',
    scales: [],
    depthMultiple: 1,
    widthMultiple: 1,
    channelMultiple: 8,
    maxChannels: Infinity,
    nc: null,
    kptShape: new PyFloat(1),
    defaultAct: { type: 'SiLU' },
    inputChannels: 3,
    anchors: null,
    na: null,
    no: null,
    walk: { legacy: true, groups: new Map(), text: [80, 512] },
  };
  const number = (key: 'depth_multiple' | 'width_multiple'): number => {
    const v = h[key];
    if (!v) return 1;
    const x = num(v.value);
    if (x === undefined || !(x > 0) || x > 100) {
      diag('bad-value', 'error', msg('bad-multiple', { key, got: repr(v.value) }), v.range);
      return 1;
    }
    return x;
  };

  if (h.scales && h.scales.value !== null) {
    const sv = h.scales.value;
    const table = new Map<string, [number, number, number]>();
    const pairs = Array.isArray(sv) && sv.every((p) => Array.isArray(p) && p.length === 2) ? (sv as Py[][]) : null;
    if (!pairs) diag('bad-scales', 'error', msg('ul.bad-scales', { got: repr(sv) }), h.scales.range);
    for (const [k, v] of pairs ?? []) {
      const vals = Array.isArray(v) ? v.map((x) => num(x)) : [];
      if (vals.length !== 3 || vals.some((x) => x === undefined || !(x > 0)))
        diag('bad-scales', 'error', msg('ul.bad-scale', { scale: String(k), got: repr(v) }), h.scales.range);
      else table.set(String(k), vals as [number, number, number]);
    }
    out.scales = [...table.keys()];
    const named = scaleFromName(src.file);
    let scale = opts.scale ?? named;
    out.scaleFrom = opts.scale ? 'option' : named ? 'name' : 'first';
    if (!scale && out.scales.length) {
      scale = out.scales[0];
      diag('scale-assumed', 'info', msg('ul.scale-assumed', { scale }), h.scales.range);
    }
    out.scale = scale;
    const row = table.get(scale);
    if (row) [out.depthMultiple, out.widthMultiple, out.maxChannels] = row;
    else if (table.size)
      diag(
        'unknown-scale',
        'error',
        msg('ul.unknown-scale', { scale, fromName: out.scaleFrom === 'name', scales: out.scales.join(', ') }),
        h.scales.range,
      );
    for (const key of ['depth_multiple', 'width_multiple'] as const)
      if (h[key]) diag('ignored-key', 'info', msg('ul.multiple-ignored', { key }), h[key]!.range);
  } else {
    out.scale = scaleFromName(src.file);
    if (opts.scale) diag('unknown-scale', 'error', msg('ul.no-scales', { scale: opts.scale }));
    out.depthMultiple = number('depth_multiple');
    out.widthMultiple = number('width_multiple');
  }

  if (!fatal)
    for (const section of ['backbone', 'head'] as const)
      if (!src.sections[section]) diag('missing-section', 'error', msg('missing-section', { section }));
  if (!h.nc) {
    if (!fatal) diag('missing-key', 'error', msg('ul.missing-nc'));
  } else if (inRange(h.nc.value, HEADER_MAX.nc)) out.nc = h.nc.value;
  else diag('bad-value', 'error', msg('nc-out-of-range', { max: HEADER_MAX.nc, got: repr(h.nc.value) }), h.nc.range);
  if (h.kpt_shape) out.kptShape = h.kpt_shape.value;

  if (h.activation && truthy(h.activation.value)) {
    const v = h.activation.value;
    const spec = typeof v === 'string' ? parseActivation(v) : undefined;
    if (spec) out.defaultAct = spec;
    else diag('bad-activation', 'error', msg('ul.bad-activation', { got: repr(v) }), h.activation.range);
  }
  const chKey = h.channels ? 'channels' : h.ch ? 'ch' : undefined;
  if (chKey) {
    const v = h[chKey]!;
    if (inRange(v.value, HEADER_MAX.channels)) {
      out.inputChannels = v.value;
      if (v.value !== 3) diag('input-channels', 'info', msg('ul.input-channels', { channels: v.value }), v.range);
    } else
      diag(
        'bad-value',
        'error',
        msg('ch-out-of-range', { key: chKey, max: HEADER_MAX.channels, got: repr(v.value) }),
        v.range,
      );
  }
  for (const key of ['anchors', 'channel_multiple'] as const)
    if (h[key])
      diag(
        'ignored-key',
        'warning',
        key === 'anchors' ? msg('ul.anchors-ignored') : msg('ul.channel-multiple-ignored'),
        h[key]!.range,
      );
  out.walk.text = [out.nc ?? 80, 512];
  return out;
}

export type StringArg = { value: Py; warning?: Message } | { error: Message };

/**
 * A string argument as parse_model resolves it: the value of a local variable of that name, else
 * ast.literal_eval, else (ValueError) the string itself. A SyntaxError is not caught there: the build fails.
 */
function resolveString(a: string, c: ArgContext): StringArg {
  const h = c.header as UltralyticsHeader;
  const locals: Record<string, Py> = {
    nc: h.nc,
    kpt_shape: h.kptShape,
    depth: new PyFloat(h.depthMultiple),
    width: new PyFloat(h.widthMultiple),
    max_channels: Number.isFinite(h.maxChannels) ? h.maxChannels : new PyFloat(Infinity),
    scale: h.scale,
    legacy: h.walk.legacy,
    verbose: true,
    i: c.i,
    f: c.from as Py,
    n: c.n,
    j: c.j,
    a,
    c2: c.lastC2,
    ...(h.walk.c1 !== undefined ? { c1: h.walk.c1 } : {}),
  };
  if (Object.prototype.hasOwnProperty.call(locals, a)) return { value: locals[a] };
  const internal = ['d', 'ch', 'ast', 'act', 'scales', 'layers', 'save', 'base_modules', 'repeat_modules', 'm', 'args'];
  if (internal.includes(a) || (['n_', 'cm', 't', 'm_'].includes(a) && c.i > 0))
    return { error: msg('ul.arg-internal', { name: a }) };
  const r = literalEval(a);
  if ('value' in r && typeof r.value === 'string' && /^(torch\.)?nn\.\w+\(.*\)$/.test(r.value.trim()))
    return {
      value: r.value,
      warning: msg('ul.arg-stays-string', { arg: repr(a) }),
    };
  return r;
}

/** ast.literal_eval: literals only (a ValueError leaves the string; a SyntaxError is an error). */
export function literalEval(a: string): StringArg {
  const text = a.replace(/^[ \t]+/, '');
  let node: ReturnType<typeof parseExpr>;
  try {
    node = parseExpr(text);
  } catch (e) {
    if (e instanceof PySyntaxError) return { error: msg('ul.arg-syntax', { arg: repr(a), problem: e.msg }) };
    throw e;
  }
  const literal = (n: ReturnType<typeof parseExpr>): boolean =>
    n.t === 'lit' ||
    (n.t === 'list' && n.items.every(literal)) ||
    (n.t === 'un' && (n.op === '-' || n.op === '+') && n.x.t === 'lit' && num(n.x.v) !== undefined);
  if (!literal(node)) return { value: a };
  try {
    return { value: evalPy(text) };
  } catch (e) {
    if (e instanceof PyEvalError || e instanceof PyNameError) return { value: a };
    throw e;
  }
}

/**
 * Modules that also take the world models' class-prompt embeddings: the current ones (updated by
 * ImagePoolingAttn), the model's own (WorldDetect), or YOLOE's default prompts (80 zero embeddings of 512).
 */
const TEXT_INPUT: Readonly<Record<string, 'current' | 'original' | 'prompts'>> = {
  C2fAttn: 'current',
  ImagePoolingAttn: 'current',
  WorldDetect: 'original',
  YOLOEDetect: 'prompts',
  YOLOESegment: 'prompts',
};

type RowProblem = { code: string; said: Message; at?: 'from' | 'args' | number };
/** A row resolved (family.ts's Resolution before it is said in its terms), with the c2 parse_model records. */
type Resolved = {
  args: Py[];
  /** A list for CBLinear; undefined: parse_model leaves c2 as the row before set it. */
  c2?: Py;
  once: boolean;
  /** The YAML argument an index of `args` came from (-1: added by parse_model). */
  yamlIndex: (k: number) => number;
  attrs?: { legacy?: boolean; declaredChannels?: number };
  buildArgs?: Py[];
};

const scaleWidth = (c: number, h: UltralyticsHeader) => makeDivisible(Math.min(c, h.maxChannels) * h.widthMultiple, 8);

/** One row through parse_model: its arguments and recorded channels, or why Ultralytics would fail. */
function resolveRow(r: RowContext, chIn: Py[]): Resolved | RowProblem {
  const { def, args } = r;
  const h = r.header as UltralyticsHeader;
  const name = def.name;
  const single = !Array.isArray(r.from);
  const c1 = chIn[0];
  const legacy = h.walk.legacy;
  const rule = ruleOf(def);
  const needOne = (): RowProblem | undefined =>
    single
      ? undefined
      : {
          code: 'needs-one-input',
          said: msg('ul.needs-one-input', { module: name }),
          at: 'from',
        };
  switch (rule) {
    case 'base':
    case 'repeat': {
      const bad = needOne();
      if (bad) return bad;
      if (!args.length)
        return {
          code: 'missing-arg',
          said: msg('needs-out-channels', { module: name, example: name === 'Conv' ? '64, 3, 2' : '128' }),
          at: 'args',
        };
      const a0 = num(args[0]);
      if (a0 === undefined || typeof args[0] === 'boolean')
        return {
          code: 'bad-arg-type',
          said: msg('out-channels-not-number', { module: name, got: repr(args[0]) }),
          at: 0,
        };
      const rest = args.slice(1);
      if (name === 'C2fAttn') {
        const ec = num(rest[0]);
        const nh = num(rest[1]);
        if (ec !== undefined) rest[0] = makeDivisible(Math.min(ec, Math.floor(h.maxChannels / 2)) * h.widthMultiple, 8);
        if (nh !== undefined && nh > 1)
          rest[1] = Math.trunc(
            Math.max(pyRound(Math.min(nh, Math.floor(Math.floor(h.maxChannels / 2) / 32))) * h.widthMultiple, 1),
          );
      }
      const c2 = a0 !== h.nc ? scaleWidth(a0, h) : a0;
      const out: Py[] = [c1, c2, ...rest];
      let once = false;
      let yamlIndex = (k: number) => (k === 0 ? -1 : k - 1);
      if (rule === 'repeat') {
        out.splice(2, 0, r.n);
        once = true;
        yamlIndex = (k) => (k < 2 ? k - 1 : k === 2 ? -1 : k - 2);
      }
      if (name === 'C3k2' && 'mlx'.includes(h.scale) && out.length > 3) out[3] = true;
      if (name === 'A2C2f' && 'lx'.includes(h.scale)) out.push(true, new PyFloat(1.2));
      return { args: out, c2, once, yamlIndex };
    }
    case 'aifi': {
      const bad = needOne();
      if (bad) return bad;
      return { args: [c1, ...args], once: false, yamlIndex: (k) => k - 1 };
    }
    case 'hg': {
      const bad = needOne();
      if (bad) return bad;
      if (args.length < 2) return { code: 'missing-arg', said: msg('ul.hg-needs-args', { module: name }), at: 'args' };
      const out: Py[] = [c1, args[0], args[1], ...args.slice(2)];
      let once = false;
      let yamlIndex = (k: number) => k - 1;
      if (name === 'HGBlock') {
        out.splice(4, 0, r.n);
        once = true;
        yamlIndex = (k) => (k < 4 ? k - 1 : k === 4 ? -1 : k - 2);
      }
      return { args: out, c2: args[1], once, yamlIndex };
    }
    case 'resnet': {
      const bad = needOne();
      if (bad) return bad;
      if (args.length < 4) return { code: 'missing-arg', said: msg('ul.resnet-needs-args'), at: 'args' };
      const w = num(args[1]);
      if (w === undefined) return { code: 'bad-arg-type', said: msg('ul.resnet-c2', { got: repr(args[1]) }), at: 1 };
      return { args, c2: truthy(args[3]) ? w : w * 4, once: false, yamlIndex: (k) => k };
    }
    case 'batchNorm': {
      const bad = needOne();
      if (bad) return bad;
      return { args: [c1], once: false, yamlIndex: () => -1 };
    }
    case 'concat': {
      if (single)
        return {
          code: 'concat-needs-list',
          said: msg('concat-needs-list', { from: String(r.from) }),
          at: 'from',
        };
      if (chIn.some((c) => Array.isArray(c))) return { code: 'bad-from', said: msg('ul.concat-cblinear'), at: 'from' };
      return { args, c2: (chIn as number[]).reduce((a, b) => a + b, 0), once: false, yamlIndex: (k) => k };
    }
    case 'head': {
      if (single)
        return {
          code: 'detect-needs-list',
          said: msg('ul.head-needs-list', { module: name }),
          at: 'from',
        };
      const out: Py[] = [...args, chIn];
      if (name === 'Segment' || name === 'YOLOESegment') {
        const npr = num(out[2]);
        if (out.length < 4)
          return {
            code: 'missing-arg',
            said: msg('ul.segment-needs-args', { module: name }),
            at: 'args',
          };
        if (npr === undefined)
          return { code: 'bad-arg-type', said: msg('ul.segment-npr', { module: name, got: repr(out[2]) }), at: 2 };
        out[2] = scaleWidth(npr, h);
      }
      return {
        args: out,
        once: false,
        yamlIndex: (k) => (k < args.length ? k : -1),
        ...(LEGACY_HEADS.has(name) ? { attrs: { legacy } } : {}),
      };
    }
    case 'rtdetr': {
      if (single)
        return {
          code: 'detect-needs-list',
          said: msg('ul.rtdetr-needs-list'),
          at: 'from',
        };
      const out = [...args];
      out.splice(1, 0, chIn);
      return { args: out, once: false, yamlIndex: (k) => (k === 0 ? 0 : k === 1 ? -1 : k - 1) };
    }
    case 'cbLinear': {
      const bad = needOne();
      if (bad) return bad;
      if (!args.length) return { code: 'missing-arg', said: msg('ul.cblinear-needs-args'), at: 'args' };
      return { args: [c1, ...args], c2: args[0], once: false, yamlIndex: (k) => k - 1 };
    }
    case 'cbFuse': {
      if (single) return { code: 'detect-needs-list', said: msg('ul.cbfuse-needs-list'), at: 'from' };
      return {
        args,
        c2: chIn[chIn.length - 1],
        once: false,
        yamlIndex: (k) => k,
        buildArgs: [args[0] ?? null, r.inputs.slice(0, -1).map((j) => h.walk.groups.get(j) ?? null)],
      };
    }
    case 'channelsFirst': {
      const bad = needOne();
      if (bad) return bad;
      if (!args.length)
        return { code: 'missing-arg', said: msg('ul.needs-channels-first', { module: name }), at: 'args' };
      return {
        args: args.slice(1),
        c2: args[0],
        once: false,
        yamlIndex: (k) => k + 1,
        ...(num(args[0]) !== undefined ? { attrs: { declaredChannels: num(args[0]) } } : {}),
      };
    }
    default: {
      const bad = needOne();
      if (bad) return bad;
      return { args, c2: c1, once: false, yamlIndex: (k) => k };
    }
  }
}

type Rule =
  | 'base'
  | 'repeat'
  | 'aifi'
  | 'hg'
  | 'resnet'
  | 'batchNorm'
  | 'concat'
  | 'head'
  | 'rtdetr'
  | 'cbLinear'
  | 'cbFuse'
  | 'channelsFirst'
  | 'other';

/** Which branch of parse_model a module takes: by name for Ultralytics' own, by its description's rule else. */
export function ruleOf(def: ModuleDef): Rule {
  const n = def.name;
  if (BASE_MODULES.has(n)) return REPEAT_MODULES.has(n) ? 'repeat' : 'base';
  if (n === 'AIFI') return 'aifi';
  if (n === 'HGStem' || n === 'HGBlock') return 'hg';
  if (n === 'ResNetLayer') return 'resnet';
  if (n === 'nn.BatchNorm2d') return 'batchNorm';
  if (n === 'Concat') return 'concat';
  if (CHANNEL_LIST_HEADS.has(n)) return 'head';
  if (n === 'RTDETRDecoder') return 'rtdetr';
  if (n === 'CBLinear') return 'cbLinear';
  if (n === 'CBFuse') return 'cbFuse';
  if (n === 'TorchVision' || n === 'Index') return 'channelsFirst';
  if (!def.generated && (def.torchPath.startsWith('ultralytics.') || def.torchPath.startsWith('torch.')))
    return 'other';
  // a module Ultralytics does not ship (the seed's, a user's): registered by the export as its rule says
  return def.parse === 'channelsRepeat' ? 'repeat' : def.parse === 'channels' ? 'base' : 'other';
}

/** `activation:` as tasks.py evaluates it (its globals have torch and nn): nn.X(...) or torch.nn.X(...). */
function parseActivation(text: string): ActSpec | undefined {
  try {
    const m = evalPy(text);
    return isPyModule(m) ? actFromModule({ ...m, module: m.module.replace(/^torch\./, '') }) : undefined;
  } catch {
    return undefined;
  }
}

/** Why Ultralytics would not find a row's module under the name written (undefined: it does). */
function ultralyticsName(written: string, def: ModuleDef): Message | undefined {
  if (def.name.startsWith('nn.')) {
    if (written.startsWith('torch.nn.')) return msg('ul.torch-name', { name: def.name, written });
    if (!written.startsWith('nn.')) return msg('ul.module-spelling', { name: def.name });
    return undefined;
  }
  if (written !== def.name) return msg('ul.module-spelling', { name: def.name });
  if (def.internal && def.torchPath.startsWith('ultralytics.')) return msg('ul.inner-block', { name: def.name });
  return undefined;
}

/** parse_model's c1 for the rules that assign it (for a later row's string argument 'c1'). */
const SETS_C1 = new Set(['base', 'repeat', 'hg', 'cbLinear', 'channelsFirst']);
/** The modules after which parse_model's legacy flag is False (the Detect heads' class branch). */
const NOT_LEGACY = new Set(['C3k2', 'A2C2f', 'C2fCIB']);

function resolve(row: RowContext): Resolution {
  const h = row.header as UltralyticsHeader;
  const chIn = row.fromList.map((j) => {
    const abs = j < 0 ? row.i + j : j;
    return h.walk.groups.get(abs) ?? row.channels(j);
  });
  const r = resolveRow(row, chIn);
  if ('code' in r) {
    const { ranges } = row;
    row.error(
      r.code,
      r.said,
      r.at === 'from'
        ? ranges.from
        : r.at === 'args' || r.at === undefined
          ? ranges.args
          : (ranges.argItems[r.at] ?? ranges.args),
    );
    return { ok: false, c2: null };
  }
  const rule = ruleOf(row.def);
  if (SETS_C1.has(rule)) h.walk.c1 = chIn[0];
  if (NOT_LEGACY.has(row.def.name)) h.walk.legacy = false;
  if (row.def.name === 'CBLinear' && r.c2 !== undefined) h.walk.groups.set(row.i, r.c2);
  // a CBLinear's channels are a list of groups (kept in walk.groups); its ch entry is their total width
  const c2 =
    r.c2 === undefined
      ? row.lastC2
      : Array.isArray(r.c2)
        ? r.c2.reduce<number>((sum, c) => sum + (num(c) ?? NaN), 0)
        : (num(r.c2) ?? null);
  const side = TEXT_INPUT[row.def.name];
  return {
    ok: true,
    args: r.args,
    c2,
    buildRepeats: r.once ? 1 : row.n,
    yamlIndex: (k) => {
      const j = r.yamlIndex(k);
      return j < 0 ? undefined : j;
    },
    addsInputChannels: r.args.length !== row.args.length,
    ...(r.attrs ? { attrs: r.attrs } : {}),
    ...(r.buildArgs ? { buildArgs: r.buildArgs } : {}),
    ...(side
      ? { sideInputs: [side === 'current' ? h.walk.text : side === 'original' ? [h.nc ?? 80, 512] : [80, 512]] }
      : {}),
  };
}

export const ultralyticsFamily: ModelFamily = {
  id: 'ultralytics',
  name: 'Ultralytics',
  release: '8.3.253',
  modules: ultralyticsModules,
  headerKeys: ['nc', 'scales', 'depth_multiple', 'width_multiple', 'kpt_shape', 'activation', 'channels'],
  readHeader: (src, report, fatal, options) => readHeader(src, report, fatal, options),
  argScope: () => ({}),
  stringArg: resolveString,
  repeats: (n, header) => (n > 1 ? Math.max(pyRound(n * header.depthMultiple), 1) : n),
  resolve,
  isHead: (def) => OUTPUT_HEADS.has(def.name),
  headOutputs: () => undefined,
  noHeadMessage: msg('ul.no-head'),
  moduleProblem: (written, def) => {
    const message = ultralyticsName(written, def);
    return message ? { severity: 'error', message } : undefined;
  },
  unknownModule: (name, hint, generated) =>
    hint
      ? msg('ul.unknown-module-hint', { name, hint, generated: generated.join(', ') })
      : msg('ul.unknown-module', { name, generated: generated.join(', ') }),
  built: (def, out, header) => {
    if (def.name === 'ImagePoolingAttn') (header as UltralyticsHeader).walk.text = out;
  },
  // a Detect-family head's strides come from a 256x256 forward; RT-DETR's model says 32, a classifier 1
  strides: (last, probe) => (last.def?.name === 'Classify' ? [1] : last.def?.name === 'RTDETRDecoder' ? [32] : probe()),
};
