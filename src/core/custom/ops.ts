/**
 * The primitives a module description is built from: functions applied in forward (add, cat, split, ...),
 * torch.nn modules (nn.Conv2d, nn.BatchNorm2d, activations, ...) and `activation` (what a Conv-like module
 * makes of its act argument). One entry per primitive: its arguments (positional order and defaults, as the
 * core fills them in), how it builds through the Scope (parameters, FLOPs, shapes, the ops tfjs runs), and
 * its PyTorch form for generated code. Adding a primitive is one entry here (and, when it records a new kind
 * of Op, that Op's step in src/runtime/network.ts).
 *
 * Long on purpose: the table is the one list of primitives.
 */
import { BuildError, isActSpec, type ActSpec, type Pair, type Scope, type Value } from '../graph.ts';
import { isPyModule, num as pyNum, repr, toJs, truthy, type Py } from '../py.ts';
import { MessageError, msg } from '../messages/index.ts';

/** One use of a primitive: where, with which bound arguments and inputs. */
export interface OpCall {
  s: Scope;
  /** Attribute name of the module it makes (nn primitives). */
  name: string;
  /** Applied as the module itself (a description's `base`): no child module of its own. */
  self: boolean;
  /** Arguments bound to the primitive's names (defaults filled in; JS values). */
  a: Record<string, unknown>;
  xs: Value[];
  /** The node's id, for messages. */
  id: string;
  /** The description the node belongs to (a class's own default activation is one per class). */
  owner?: string;
}

export interface PrimitiveArg {
  name: string;
  /** The core's default when a node leaves the argument out (undefined: the input decides, or required). */
  default?: unknown;
}

/** How generated PyTorch writes a primitive. */
export type PyForm =
  /** A function in forward: the Python expression from the first input, all inputs and the written arguments. */
  | { forward: (x: string, inputs: string[], arg: (name: string) => string | undefined) => string }
  /**
   * An nn module: its constructor call from the written positional and keyword arguments (Python source);
   * throws a message when PyTorch cannot be given what the core assumes.
   */
  | {
      ctor: (args: string[], kwargs: [string, string][]) => string;
      /** An attribute that is a tensor, not a module (nn.Parameter): how forward reads it instead of calling it. */
      read?: (ref: string, arg: (name: string) => string | undefined) => string;
    };

export interface Primitive {
  /** 'fn': applied in forward, no module; 'nn': a torch.nn module (counted, named in the state_dict). */
  kind: 'fn' | 'nn';
  args: PrimitiveArg[];
  /** Inputs it needs at least (default 1). */
  inputs?: number;
  /** Reads all its inputs (add, mul, cat): a new wire in the module editor adds an input. */
  multiInput?: boolean;
  /** Makes several values (id.0, id.1, ...). */
  multiOutput?: boolean;
  /** Help (the module editor's list of primitives). */
  doc: string;
  build(c: OpCall): Value | Value[];
  py: PyForm;
}

/**
 * A number as Python takes it (True and False are 1 and 0), `d` when the argument is not given at all; any
 * other value is passed on as it is, so the build's own check names it (groups=abc, kernel None).
 */
const num = (v: unknown, d: number): number =>
  v === undefined ? d : typeof v === 'boolean' ? Number(v) : (v as number);
const intOrPair = (v: unknown, d: number | number[]): number | number[] =>
  Array.isArray(v) ? (v as unknown[]).map((x) => num(x, NaN)) : num(v, d as number);
const pairOf = (v: unknown, what: 'size' | 'scale'): Pair => {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
  throw new BuildError('bad-args', what === 'size' ? msg('upsample-size-pair') : msg('upsample-scale-pair'));
};
/** torch.nn takes sizes as tuples: Python's `(a, b)` for a list argument. */
const nnCall = (cls: string) => (args: string[], kwargs: [string, string][]) =>
  `nn.${cls}(${[...args, ...kwargs.map(([k, v]) => `${k}=${v}`)].join(', ')})`;
/** Pad positional arguments up to index i with None, then put `d` there when nothing is written there. */
const padTo = (args: string[], i: number, d: string) => {
  while (args.length < i) args.push('None');
  if (args.length === i) args.push(d);
};
const has = (kwargs: [string, string][], k: string) => kwargs.some(([n]) => n === k);
/** nn.Conv2d / nn.ConvTranspose2d as PyTorch takes them: both channel counts written, the kernel 1 where left out. */
const convCtor = (cls: 'Conv2d' | 'ConvTranspose2d') => (args: string[], kwargs: [string, string][]) => {
  if (args.length < 2 && !(has(kwargs, 'in_channels') && has(kwargs, 'out_channels')))
    throw new MessageError(msg('codegen.conv-needs-channels', { cls }));
  if (args.length < 3 && !has(kwargs, 'kernel_size')) padTo(args, 2, '1');
  return nnCall(cls)(args, kwargs);
};

export const ACT_TYPES = [
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
] as const;

function actSpec(type: string, a: Record<string, unknown>): ActSpec {
  const spec: ActSpec = { type: type as ActSpec['type'] };
  if (type === 'LeakyReLU') spec.alpha = num(a.negative_slope ?? undefined, 0.01);
  if (type === 'ELU') spec.alpha = num(a.alpha ?? undefined, 1);
  return spec;
}

/** An nn.X(...) value written in a description or a config as the activation it constructs. */
export function actFromValue(v: unknown): ActSpec | unknown {
  if (!isPyModule(v)) return v;
  const type = v.module.replace(/^(torch\.)?nn\./, '');
  if (!(ACT_TYPES as readonly string[]).includes(type) && type !== 'Identity') return v;
  const first = v.args[0] ?? null;
  const kw = v.kwargs ?? {};
  const alpha = (kw.negative_slope ?? kw.alpha ?? first) as Py;
  const spec = actSpec(type, { negative_slope: toJs(alpha), alpha: toJs(alpha) });
  return v.shared ? { ...spec, shared: v.shared } : spec;
}

const need = (c: OpCall, op: string, n: number) => {
  if (c.xs.length < n) throw new BuildError('custom-ref', msg('custom.needs-inputs', { node: c.id, op, n }));
};

/** An axis argument of a value without its batch axis (negative counts from the end). */
function axisOf(c: OpCall, x: Value, key = 'dim'): number {
  const d = c.a[key] ?? 0;
  if (!Number.isInteger(d)) throw new BuildError('custom-expression', msg('custom.whole-axis', { node: c.id, key }));
  const axis = (d as number) < 0 ? x.shape.length + (d as number) : (d as number);
  if (axis < 0 || axis >= x.shape.length)
    throw new BuildError(
      'custom-expression',
      msg('custom.not-an-axis', { node: c.id, key, axis: d as number, rank: x.shape.length }),
    );
  return axis;
}
/** A description's axis (no batch) as PyTorch's dim (the batch first): non-negative axes move up by one. */
function pyDim(d: string | undefined): string {
  if (d === undefined) return '1';
  const n = Number(d);
  if (Number.isInteger(n)) return String(n < 0 ? n : n + 1);
  return `(${d}) + ((${d}) >= 0)`;
}
function ints(v: unknown, c: OpCall, what: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x)))
    throw new BuildError('custom-expression', msg('custom.whole-list', { node: c.id, what }));
  return v as number[];
}
const pyList = (v: string | undefined, what: string): string => {
  if (v === undefined) throw new MessageError(msg('codegen.needs-list', { what }));
  return v;
};

const activations: Record<string, Primitive> = Object.fromEntries(
  ACT_TYPES.map((t) => [
    `nn.${t}`,
    {
      kind: 'nn',
      args:
        t === 'LeakyReLU'
          ? [{ name: 'negative_slope', default: 0.01 }, { name: 'inplace' }]
          : t === 'ELU'
            ? [{ name: 'alpha', default: 1 }, { name: 'inplace' }]
            : [{ name: 'inplace' }],
      doc: `torch.nn.${t}`,
      build: (c) => c.s.act(c.name, c.xs[0], actSpec(t, c.a)),
      py: { ctor: nnCall(t) },
    } satisfies Primitive,
  ]),
);

/** An activation called as a function (torch.sigmoid(x)), without a module. */
const activationFn = (name: string, type: ActSpec['type'], py: string): Primitive => ({
  kind: 'fn',
  args: [],
  doc: `${name}, without a module`,
  build: (c) => c.s.fn(c.xs[0], { type }),
  py: { forward: (x) => `${py}(${x})` },
});

export const PRIMITIVES: Readonly<Record<string, Primitive>> = {
  pass: {
    kind: 'fn',
    args: [],
    doc: 'its input, unchanged (an alias)',
    build: (c) => (need(c, 'pass', 1), c.xs[0]),
    py: { forward: (x) => x },
  },
  add: {
    kind: 'fn',
    args: [],
    inputs: 2,
    multiInput: true,
    doc: 'the sum of its inputs',
    build: (c) => (
      need(c, 'add', 2),
      c.xs.slice(1).reduce((acc, v) => c.s.add(acc, v, msg('part.node', { id: c.id })), c.xs[0])
    ),
    py: {
      forward: (_x, items) => (items.some((s) => s.startsWith('*')) ? `sum([${items.join(', ')}])` : items.join(' + ')),
    },
  },
  mul: {
    kind: 'fn',
    args: [],
    inputs: 2,
    multiInput: true,
    doc: 'the product of its inputs (broadcast: gates)',
    build: (c) => (need(c, 'mul', 2), c.xs.slice(1).reduce((acc, v) => c.s.mul(acc, v), c.xs[0])),
    py: {
      forward: (_x, items) =>
        items.some((s) => s.startsWith('*')) ? `math.prod([${items.join(', ')}])` : items.join(' * '),
    },
  },
  cat: {
    kind: 'fn',
    args: [],
    multiInput: true,
    doc: 'its inputs concatenated along the channels',
    build: (c) => (need(c, 'cat', 1), c.s.cat(c.xs)),
    py: { forward: (_x, items) => `torch.cat([${items.join(', ')}], 1)` },
  },
  split: {
    kind: 'fn',
    args: [{ name: 'split_size_or_sections' }, { name: 'dim', default: 0 }],
    multiOutput: true,
    doc: 'pieces of a size along an axis (the channels by default; the last may be smaller), or of a list of sizes',
    build(c) {
      need(c, 'split', 1);
      const x = c.xs[0];
      const axis = axisOf(c, x);
      const len = x.shape[axis];
      const a = c.a.split_size_or_sections ?? null;
      const sizes: number[] = Array.isArray(a) ? (a as number[]) : [];
      if (!Array.isArray(a)) {
        // torch.split takes a whole chunk size (at least 1 for a tensor that has channels)
        const size = Number(a);
        if (!(size > 0)) throw new BuildError('custom-expression', msg('custom.split-size-positive', { node: c.id }));
        if (!Number.isInteger(size))
          throw new BuildError('custom-expression', msg('custom.split-whole-size', { node: c.id, size }));
        for (let k = 0; k < len; k += size) sizes.push(Math.min(size, len - k));
      } else if (!sizes.every((n) => Number.isInteger(n) && n >= 0))
        throw new BuildError('custom-expression', msg('custom.split-sizes-whole', { node: c.id }));
      if (sizes.reduce((p, k) => p + k, 0) !== len)
        throw new BuildError(
          'custom-expression',
          msg('custom.split-sum', { node: c.id, sizes: sizes.join(', '), total: len, channels: !axis, axis }),
        );
      let at = 0;
      return sizes.map((n) => c.s.slice(x, at, (at += n), axis));
    },
    py: {
      forward: (x, _items, arg) => {
        const a = arg('split_size_or_sections');
        if (a === undefined) throw new MessageError(msg('codegen.split-needs-size'));
        return `torch.split(${x}, ${a}, ${pyDim(arg('dim'))})`;
      },
    },
  },
  chunk: {
    kind: 'fn',
    args: [
      { name: 'chunks', default: 2 },
      { name: 'dim', default: 0 },
    ],
    multiOutput: true,
    doc: 'n nearly equal pieces along an axis (the channels by default)',
    build(c) {
      need(c, 'chunk', 1);
      const x = c.xs[0];
      // torch.chunk takes a whole number of chunks, at least 1
      const n = num(c.a.chunks, 2);
      if (!Number.isInteger(n) || n < 1)
        throw new BuildError('custom-expression', msg('custom.chunk-count', { node: c.id, n: String(n) }));
      const axis = axisOf(c, x);
      const len = x.shape[axis];
      const size = Math.ceil(len / n);
      const out: Value[] = [];
      for (let k = 0; k < len; k += size) out.push(c.s.slice(x, k, Math.min(k + size, len), axis));
      return out;
    },
    py: { forward: (x, _items, arg) => `torch.chunk(${x}, ${arg('chunks') ?? '2'}, ${pyDim(arg('dim'))})` },
  },
  mean_c: {
    kind: 'fn',
    args: [],
    doc: 'the mean over the channels (one channel)',
    build: (c) => c.s.reduce(c.xs[0], 'mean', 'c'),
    py: { forward: (x) => `torch.mean(${x}, 1, keepdim=True)` },
  },
  max_c: {
    kind: 'fn',
    args: [],
    doc: 'the maximum over the channels (one channel)',
    build: (c) => c.s.reduce(c.xs[0], 'max', 'c'),
    py: { forward: (x) => `torch.amax(${x}, 1, keepdim=True)` },
  },
  sigmoid: activationFn('torch.sigmoid', 'Sigmoid', 'torch.sigmoid'),
  relu: activationFn('torch.relu', 'ReLU', 'torch.relu'),
  silu: activationFn('F.silu', 'SiLU', 'F.silu'),
  focus: {
    kind: 'fn',
    args: [],
    doc: 'every second pixel into channels: 4x the channels at half the height and width (YOLOv5 Focus)',
    build: (c) => c.s.focus(c.xs[0]),
    py: {
      forward: (x) =>
        `torch.cat((${x}[..., ::2, ::2], ${x}[..., 1::2, ::2], ${x}[..., ::2, 1::2], ${x}[..., 1::2, 1::2]), 1)`,
    },
  },
  'nn.Conv2d': {
    kind: 'nn',
    args: [
      { name: 'in_channels' },
      { name: 'out_channels' },
      { name: 'kernel_size', default: 1 },
      { name: 'stride', default: 1 },
      { name: 'padding', default: 0 },
      { name: 'dilation', default: 1 },
      { name: 'groups', default: 1 },
      { name: 'bias', default: true },
    ],
    doc: 'torch.nn.Conv2d(in, out, kernel, stride, padding, dilation, groups, bias)',
    build: (c) =>
      c.s.conv2d(
        c.name,
        c.xs[0],
        {
          cin: num(c.a.in_channels, NaN),
          cout: num(c.a.out_channels, NaN),
          k: intOrPair(c.a.kernel_size, 1),
          s: intOrPair(c.a.stride, 1),
          p: intOrPair(c.a.padding, 0),
          d: intOrPair(c.a.dilation, 1),
          groups: num(c.a.groups, 1),
          bias: truthy(c.a.bias),
        },
        c.self,
      ),
    py: { ctor: convCtor('Conv2d') },
  },
  'nn.BatchNorm2d': {
    kind: 'nn',
    args: [{ name: 'num_features' }],
    doc: 'torch.nn.BatchNorm2d(channels) (the channels default to the input’s)',
    build: (c) => c.s.batchNorm(c.name, c.xs[0], num(c.a.num_features, c.xs[0].shape[0]), c.self),
    py: {
      ctor: (args, kwargs) => {
        if (!args.length && !has(kwargs, 'num_features'))
          throw new MessageError(msg('codegen.batchnorm-needs-channels'));
        return nnCall('BatchNorm2d')(args, kwargs);
      },
    },
  },
  'nn.Identity': {
    kind: 'nn',
    args: [],
    doc: 'torch.nn.Identity: counted as a module, passes its input',
    build: (c) => c.s.identity(c.name, c.xs[0]),
    py: { ctor: () => 'nn.Identity()' },
  },
  'nn.MaxPool2d': {
    kind: 'nn',
    args: [
      { name: 'kernel_size', default: 2 },
      { name: 'stride', default: null },
      { name: 'padding', default: 0 },
      { name: 'dilation', default: 1 },
      { name: 'return_indices', default: false },
      { name: 'ceil_mode', default: false },
    ],
    doc: 'torch.nn.MaxPool2d(kernel, stride (None: the kernel), padding, dilation, return_indices, ceil_mode)',
    build(c) {
      if (truthy(c.a.return_indices)) throw new BuildError('bad-args', msg('maxpool-return-indices'));
      const k = intOrPair(c.a.kernel_size, 2);
      const st = c.a.stride;
      return c.s.maxPool(
        c.name,
        c.xs[0],
        {
          k,
          s: st === null || st === undefined ? undefined : intOrPair(st, 1),
          p: intOrPair(c.a.padding, 0),
          d: intOrPair(c.a.dilation, 1),
          ceil: truthy(c.a.ceil_mode),
        },
        c.self,
      );
    },
    py: {
      ctor: (args, kwargs) => {
        if (!args.length && !has(kwargs, 'kernel_size')) padTo(args, 0, '2');
        return nnCall('MaxPool2d')(args, kwargs);
      },
    },
  },
  'nn.AdaptiveAvgPool2d': adaptive('mean'),
  'nn.AdaptiveMaxPool2d': adaptive('max'),
  'nn.Upsample': {
    kind: 'nn',
    args: [
      { name: 'size', default: null },
      { name: 'scale_factor', default: 2 },
      { name: 'mode', default: 'nearest' },
      { name: 'align_corners', default: null },
      { name: 'recompute_scale_factor', default: null },
    ],
    doc: "torch.nn.Upsample(size, scale_factor, mode): 'nearest' or 'bilinear' (2x nearest when left out)",
    build(c) {
      const { size, scale_factor: factor, mode, align_corners: align } = c.a;
      const x = c.xs[0];
      if (mode !== 'nearest' && mode !== 'bilinear')
        throw new BuildError('bad-args', msg('upsample-mode', { mode: String(mode) }));
      if (truthy(align)) throw new BuildError('bad-args', msg('upsample-align-corners'));
      let scale: Pair;
      if (size !== null && size !== undefined) {
        if (factor !== null && factor !== undefined) throw new BuildError('bad-args', msg('upsample-size-and-scale'));
        const [h, w] = pairOf(size, 'size');
        scale = [h / x.shape[1], w / x.shape[2]];
      } else if (factor === null || factor === undefined) {
        throw new BuildError('bad-args', msg('upsample-needs-size'));
      } else scale = pairOf(factor, 'scale');
      if (!(scale[0] > 0 && scale[1] > 0)) throw new BuildError('bad-args', msg('upsample-scale-positive'));
      return c.s.upsample(c.name, x, scale, mode, c.self);
    },
    py: {
      ctor: (args, kwargs) => {
        if (args.length < 2 && !has(kwargs, 'scale_factor') && !has(kwargs, 'size')) padTo(args, 1, '2');
        if (args.length < 3 && !has(kwargs, 'mode')) padTo(args, 2, "'nearest'");
        return nnCall('Upsample')(args, kwargs);
      },
    },
  },
  ...activations,
  activation: {
    kind: 'nn',
    args: [{ name: 'act', default: true }, { name: 'default' }],
    doc: "a Conv-like module's act argument: True for the default activation (the model's, shared by all; or, given a second argument, the class's own: one instance per class), an nn activation of its own, anything else nn.Identity",
    build(c) {
      const act = isActSpec(c.a.act) ? c.a.act : actFromValue(c.a.act);
      const own = isActSpec(c.a.default) ? c.a.default : actFromValue(c.a.default);
      if (act === true && isActSpec(own))
        return c.s.act(c.name, c.xs[0], true, { key: `${c.owner ?? 'module'}.default_act`, spec: own });
      return c.s.act(c.name, c.xs[0], act);
    },
    py: {
      ctor: (args, kwargs) => {
        const act = args[0] ?? kwargs.find(([k]) => k === 'act')?.[1] ?? 'True';
        const own = args[1] ?? kwargs.find(([k]) => k === 'default')?.[1];
        return `(${own ?? 'Conv.default_act'} if ${act} is True else ${act} if isinstance(${act}, nn.Module) else nn.Identity())`;
      },
    },
  },
  'nn.ConvTranspose2d': {
    kind: 'nn',
    args: [
      { name: 'in_channels' },
      { name: 'out_channels' },
      { name: 'kernel_size', default: 1 },
      { name: 'stride', default: 1 },
      { name: 'padding', default: 0 },
      { name: 'output_padding', default: 0 },
      { name: 'groups', default: 1 },
      { name: 'bias', default: true },
      { name: 'dilation', default: 1 },
    ],
    doc: 'torch.nn.ConvTranspose2d(in, out, kernel, stride, padding, output_padding, groups, bias, dilation)',
    build: (c) =>
      c.s.convTranspose2d(
        c.name,
        c.xs[0],
        {
          cin: num(c.a.in_channels, NaN),
          cout: num(c.a.out_channels, NaN),
          k: intOrPair(c.a.kernel_size, 1),
          s: intOrPair(c.a.stride, 1),
          p: intOrPair(c.a.padding, 0),
          outPad: intOrPair(c.a.output_padding, 0),
          groups: num(c.a.groups, 1),
          bias: truthy(c.a.bias),
          d: intOrPair(c.a.dilation, 1),
        },
        'ConvTranspose2d',
        c.self,
      ),
    py: { ctor: convCtor('ConvTranspose2d') },
  },
  'nn.ZeroPad2d': {
    kind: 'nn',
    args: [{ name: 'padding' }],
    doc: 'torch.nn.ZeroPad2d(padding): one number for every side, or (left, right, top, bottom)',
    build(c) {
      const p = c.a.padding;
      const pad: [number, number, number, number] =
        typeof p === 'number'
          ? [p, p, p, p]
          : Array.isArray(p) && p.length === 4
            ? [p[0], p[1], p[2], p[3]]
            : [NaN, NaN, NaN, NaN];
      if (pad.some((v) => !Number.isInteger(v))) throw new BuildError('bad-args', msg('zeropad-padding'));
      return c.s.zeroPad(c.name, c.xs[0], pad, c.self);
    },
    py: { ctor: nnCall('ZeroPad2d') },
  },
  reshape: {
    kind: 'fn',
    args: [{ name: 'shape' }],
    doc: 'the value viewed in another shape (row-major, the batch kept in front; one size may be -1)',
    build: (c) => (need(c, 'reshape', 1), c.s.reshape(c.xs[0], ints(c.a.shape, c, 'reshape'))),
    py: { forward: (x, _i, arg) => `${x}.reshape(${x}.shape[0], *${pyList(arg('shape'), 'reshape')})` },
  },
  permute: {
    kind: 'fn',
    args: [{ name: 'dims' }],
    doc: 'the axes reordered: output axis i is input axis dims[i] (the batch stays first)',
    build: (c) => (need(c, 'permute', 1), c.s.permute(c.xs[0], ints(c.a.dims, c, 'permute'))),
    py: {
      forward: (x, _i, arg) => `${x}.permute(0, *[d + 1 for d in ${pyList(arg('dims'), 'permute')}])`,
    },
  },
  softmax: {
    kind: 'fn',
    args: [{ name: 'dim', default: -1 }],
    doc: 'softmax along an axis (the last by default)',
    build: (c) => (need(c, 'softmax', 1), c.s.softmax(c.xs[0], axisOf(c, c.xs[0]))),
    py: { forward: (x, _i, arg) => `${x}.softmax(${pyDim(arg('dim') ?? '-1')})` },
  },
  matmul: {
    kind: 'fn',
    args: [
      { name: 'trans_a', default: false },
      { name: 'trans_b', default: false },
    ],
    inputs: 2,
    doc: 'the matrix product of its two inputs over their last two axes (each transposed first when asked); not counted in FLOPs',
    build: (c) => (need(c, 'matmul', 2), c.s.matmul(c.xs[0], c.xs[1], truthy(c.a.trans_a), truthy(c.a.trans_b))),
    py: {
      forward: (_x, items, arg) => {
        const t = (v: string, on: string | undefined) => (on && on !== 'False' ? `${v}.transpose(-2, -1)` : v);
        return `(${t(items[0], arg('trans_a'))} @ ${t(items[1], arg('trans_b'))})`;
      },
    },
  },
  scale: {
    kind: 'fn',
    args: [
      { name: 'factor', default: 1 },
      { name: 'offset', default: 0 },
    ],
    doc: 'x * factor + offset (constants)',
    build: (c) => (need(c, 'scale', 1), c.s.scale(c.xs[0], num(c.a.factor, 1), num(c.a.offset, 0))),
    py: {
      forward: (x, _i, arg) => {
        const o = arg('offset');
        return `(${x} * (${arg('factor') ?? '1'})${o && o !== '0' ? ` + (${o})` : ''})`;
      },
    },
  },
  avg_pool2d: {
    kind: 'fn',
    args: [
      { name: 'kernel_size', default: 2 },
      { name: 'stride', default: null },
      { name: 'padding', default: 0 },
      { name: 'ceil_mode', default: false },
      { name: 'count_include_pad', default: true },
    ],
    doc: 'F.avg_pool2d(kernel, stride (None: the kernel), padding, ceil_mode, count_include_pad): no module',
    build: (c) =>
      c.s.avgPool(c.xs[0], {
        k: intOrPair(c.a.kernel_size, 2),
        s: c.a.stride === null || c.a.stride === undefined ? undefined : intOrPair(c.a.stride, 1),
        p: intOrPair(c.a.padding, 0),
        ceil: truthy(c.a.ceil_mode),
        countIncludePad: truthy(c.a.count_include_pad),
      }),
    py: {
      forward: (x, _i, arg) =>
        `F.avg_pool2d(${[x, ...['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad'].map((k, i) => arg(k) ?? ['2', 'None', '0', 'False', 'True'][i])].join(', ')})`,
    },
  },
  max_pool2d: {
    kind: 'fn',
    args: [
      { name: 'kernel_size', default: 2 },
      { name: 'stride', default: null },
      { name: 'padding', default: 0 },
    ],
    doc: 'F.max_pool2d(kernel, stride (None: the kernel), padding): no module',
    build: (c) =>
      c.s.maxPool(
        c.name,
        c.xs[0],
        {
          k: intOrPair(c.a.kernel_size, 2),
          s: c.a.stride === null || c.a.stride === undefined ? undefined : intOrPair(c.a.stride, 1),
          p: intOrPair(c.a.padding, 0),
        },
        'function',
      ),
    py: {
      forward: (x, _i, arg) =>
        `F.max_pool2d(${[x, ...['kernel_size', 'stride', 'padding'].map((k, i) => arg(k) ?? ['2', 'None', '0'][i])].join(', ')})`,
    },
  },
  pad: {
    kind: 'fn',
    args: [{ name: 'pad' }],
    doc: 'F.pad with zeros: [left, right, top, bottom]; no module',
    build(c) {
      const p = ints(c.a.pad, c, 'pad');
      if (p.length !== 4) throw new BuildError('custom-expression', msg('custom.pad-four', { node: c.id }));
      return c.s.zeroPad(c.name, c.xs[0], p as [number, number, number, number], true);
    },
    py: { forward: (x, _i, arg) => `F.pad(${x}, ${pyList(arg('pad'), 'pad')})` },
  },
  param: {
    kind: 'nn',
    args: [{ name: 'shape' }, { name: 'torch_shape', default: null }, { name: 'init', default: 0 }],
    doc: "a learned nn.Parameter of the module (the state_dict's shape torch_shape, read as a value of shape), every element init at first",
    build(c) {
      const shape = ints(c.a.shape, c, 'param');
      const torch =
        c.a.torch_shape === null || c.a.torch_shape === undefined ? shape : ints(c.a.torch_shape, c, 'param');
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      // forward views the parameter in the value's shape: the two must hold as many numbers
      if (size(shape) !== size(torch))
        throw new BuildError(
          'custom-expression',
          msg('custom.param-sizes', { node: c.id, shape: shape.join(', '), torch: torch.join(', ') }),
        );
      // every element starts at init: a finite number (the runtime fills with it, the export writes it)
      const init = c.a.init === undefined ? 0 : pyNum(c.a.init as Py);
      if (init === undefined || !Number.isFinite(init))
        throw new BuildError(
          'bad-args',
          msg('arg-wrong-type', {
            module: 'param',
            name: 'init',
            problem: msg('arg-needs-number'),
            got: repr(c.a.init as Py),
          }),
        );
      return c.s.param(c.name, shape, torch, init);
    },
    py: {
      // nn.Parameter(torch.full(torch_shape or shape, init)), read in forward as a batch of one of shape
      ctor: (args, kwargs) => {
        const arg = (i: number, name: string) => kwargs.find(([k]) => k === name)?.[1] ?? args[i];
        const torchShape = arg(1, 'torch_shape');
        const size = torchShape === undefined || torchShape === 'None' ? arg(0, 'shape') : torchShape;
        return `nn.Parameter(torch.full(${size}, ${arg(2, 'init') ?? '0.0'}, dtype=torch.float32))`;
      },
      read: (ref, arg) => `${ref}.view(1, *${arg('shape')})`,
    },
  },
  view_as: {
    kind: 'fn',
    args: [{ name: 'dims', default: null }],
    inputs: 2,
    doc: "the first input viewed in the second's shape (or in its axes dims, in that order)",
    build(c) {
      need(c, 'view_as', 2);
      const ref = c.xs[1].shape;
      const dims = c.a.dims === null || c.a.dims === undefined ? ref.map((_, k) => k) : ints(c.a.dims, c, 'view_as');
      return c.s.reshape(
        c.xs[0],
        dims.map((d) => ref[d]),
      );
    },
    py: {
      forward: (x, items, arg) => {
        const d = arg('dims');
        return d === undefined || d === 'None'
          ? `${x}.view_as(${items[1]})`
          : `${x}.reshape(${items[1]}.shape[0], *[${items[1]}.shape[d + 1] for d in ${d}])`;
      },
    },
  },
  'nn.Linear': {
    kind: 'nn',
    args: [{ name: 'in_features' }, { name: 'out_features' }, { name: 'bias', default: true }],
    doc: 'torch.nn.Linear(in, out, bias) over the channels at every position',
    build: (c) => c.s.linear(c.name, c.xs[0], num(c.a.in_features, NaN), num(c.a.out_features, NaN), truthy(c.a.bias)),
    py: { ctor: nnCall('Linear') },
  },
  'nn.LayerNorm': {
    kind: 'nn',
    args: [{ name: 'normalized_shape' }, { name: 'eps', default: 1e-5 }],
    doc: 'torch.nn.LayerNorm(channels, eps) over the channels at every position',
    build: (c) => c.s.layerNorm(c.name, c.xs[0], num(c.a.normalized_shape, NaN), num(c.a.eps, 1e-5)),
    py: { ctor: nnCall('LayerNorm') },
  },
  'nn.Dropout': {
    kind: 'nn',
    args: [
      { name: 'p', default: 0.5 },
      { name: 'inplace', default: false },
    ],
    doc: 'torch.nn.Dropout: counted as a module, nothing at inference',
    build: (c) => (c.s.module(c.name, 'Dropout'), c.xs[0]),
    py: { ctor: nnCall('Dropout') },
  },
};

function adaptive(mode: 'mean' | 'max'): Primitive {
  const cls = mode === 'mean' ? 'AdaptiveAvgPool2d' : 'AdaptiveMaxPool2d';
  return {
    kind: 'nn',
    args: [{ name: 'output_size', default: 1 }],
    doc: `torch.nn.${cls}: output 1 (global), (None, 1) or (1, None) (strips)`,
    build(c) {
      const o = toJs((c.a.output_size ?? 1) as Py);
      const axis =
        o === 1 || (Array.isArray(o) && o[0] === 1 && o[1] === 1)
          ? 'hw'
          : Array.isArray(o) && o[0] === null && o[1] === 1
            ? 'w'
            : Array.isArray(o) && o[0] === 1 && o[1] === null
              ? 'h'
              : null;
      if (!axis) throw new BuildError('custom-expression', msg('custom.adaptive-output', { node: c.id, cls }));
      if (!c.self) c.s.child(c.name, cls);
      return c.s.reduce(c.xs[0], mode, axis);
    },
    py: {
      ctor: (args, kwargs) => {
        if (!args.length && !has(kwargs, 'output_size')) padTo(args, 0, '1');
        return nnCall(cls)(args, kwargs);
      },
    },
  };
}

export const isPrimitive = (op: string): boolean => Object.prototype.hasOwnProperty.call(PRIMITIVES, op);
/** Functions (no module of their own) a body may use. */
export const FUNCTION_OPS = Object.keys(PRIMITIVES).filter((k) => PRIMITIVES[k].kind === 'fn');
/** Module primitives (torch.nn, and `activation`) a body may use directly. */
export const MODULE_OPS = Object.keys(PRIMITIVES).filter((k) => PRIMITIVES[k].kind === 'nn');

/** Arguments bound to names: positional, then keyword, then defaults. Throws on an unknown keyword or too many. */
export function bindTo(
  names: readonly { name: string; default?: unknown }[],
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>> | undefined,
  what: string,
): Record<string, unknown> {
  if (args.length > names.length)
    throw new BuildError('bad-args', msg('py.too-many-args', { what, max: names.length, got: args.length }));
  const a: Record<string, unknown> = {};
  names.forEach((n, i) => (a[n.name] = i < args.length ? args[i] : n.default));
  if (kwargs)
    for (const [k, v] of Object.entries(kwargs)) {
      const i = names.findIndex((n) => n.name === k);
      if (i < 0) throw new BuildError('bad-args', msg('py.unexpected-keyword', { what, keyword: k }));
      if (i < args.length) throw new BuildError('bad-args', msg('custom.multiple-values', { what, keyword: k }));
      a[k] = v;
    }
  return a;
}
