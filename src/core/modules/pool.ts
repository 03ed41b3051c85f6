/** Pooling and resampling: SPP, SPPF, MaxPool2d, Upsample, ZeroPad2d, Contract, Expand. */
import { BuildError, type ModuleDef, type Pair } from '../graph.ts';

export const SPP: ModuleDef = {
  name: 'SPP',
  torchPath: 'models.common.SPP',
  category: 'pool',
  description: 'Spatial pyramid pooling: max pools of several sizes in parallel, concatenated, between two Convs.',
  parse: 'channels',
  args: [
    { name: 'c1', type: 'int', required: true, doc: 'input channels' },
    { name: 'c2', type: 'int', required: true, doc: 'output channels' },
    { name: 'k', type: 'ints', default: [5, 9, 13], doc: 'pooling kernel sizes' },
  ],
  build(s, a, [x]) {
    const ks: number[] = Array.isArray(a.k) ? a.k : [a.k];
    const c_ = Math.floor(a.c1 / 2);
    const y = s.call('cv1', 'Conv', [a.c1, c_, 1, 1], [x]);
    const m = s.container('m', 'ModuleList');
    const pools = ks.map((k, i) => m.maxPool(String(i), y, { k, s: 1, p: Math.floor(k / 2) }));
    return s.call('cv2', 'Conv', [c_ * (ks.length + 1), a.c2, 1, 1], [s.cat([y, ...pools])]);
  },
};

export const SPPF: ModuleDef = {
  name: 'SPPF',
  torchPath: 'models.common.SPPF',
  category: 'pool',
  description: 'Fast SPP: one max pool applied three times in a row, the four stages concatenated, between two Convs.',
  parse: 'channels',
  args: [
    { name: 'c1', type: 'int', required: true, doc: 'input channels' },
    { name: 'c2', type: 'int', required: true, doc: 'output channels' },
    { name: 'k', type: 'int', default: 5, doc: 'pooling kernel size' },
  ],
  build(s, a, [x]) {
    const c_ = Math.floor(a.c1 / 2);
    const y = s.call('cv1', 'Conv', [a.c1, c_, 1, 1], [x]);
    // one MaxPool2d module used three times
    const pool = { k: a.k, s: 1, p: Math.floor(a.k / 2) };
    const y1 = s.maxPool('m', y, pool);
    const y2 = s.maxPool('m', y1, pool, true);
    const y3 = s.maxPool('m', y2, pool, true);
    return s.call('cv2', 'Conv', [c_ * 4, a.c2, 1, 1], [s.cat([y, y1, y2, y3])]);
  },
};

const pairOf = (v: unknown, what: string): Pair => {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
  throw new BuildError('bad-args', `${what} must be a number or a pair of numbers`);
};

export const MaxPool2d: ModuleDef = {
  name: 'nn.MaxPool2d',
  torchPath: 'torch.nn.modules.pooling.MaxPool2d',
  category: 'pool',
  description: 'Max pooling (stride defaults to the kernel size).',
  parse: 'passthrough',
  args: [
    { name: 'kernel_size', type: 'intOrPair', required: true, doc: 'kernel size' },
    { name: 'stride', type: 'pairOrNone', default: null, doc: 'stride (None: the kernel size)' },
    { name: 'padding', type: 'intOrPair', default: 0, doc: 'padding' },
    { name: 'dilation', type: 'intOrPair', default: 1, doc: 'dilation' },
    { name: 'return_indices', type: 'bool', default: false, doc: 'must be False' },
    { name: 'ceil_mode', type: 'bool', default: false, doc: 'round the output size up' },
  ],
  build(s, a, [x]) {
    if (a.return_indices)
      throw new BuildError(
        'bad-args',
        'MaxPool2d with return_indices=True returns a tuple, which the next layer cannot take',
      );
    return s.maxPool('', x, { k: a.kernel_size, s: a.stride, p: a.padding, d: a.dilation, ceil: !!a.ceil_mode }, true);
  },
};

export const Upsample: ModuleDef = {
  name: 'nn.Upsample',
  torchPath: 'torch.nn.modules.upsampling.Upsample',
  category: 'resample',
  description: 'Upsampling by a scale factor (or to a size), nearest neighbour by default.',
  parse: 'passthrough',
  example: "[None, 2, 'nearest']",
  args: [
    { name: 'size', type: 'pairOrNone', default: null, doc: 'output size (None: use the scale factor)' },
    { name: 'scale_factor', type: 'any', default: null, doc: 'scale factor' },
    { name: 'mode', type: 'str', default: 'nearest', doc: "'nearest' or 'bilinear'" },
    { name: 'align_corners', type: 'any', default: null, doc: 'must be None or False' },
    { name: 'recompute_scale_factor', type: 'any', default: null, doc: 'unused' },
  ],
  build(s, a, [x]) {
    if (a.mode !== 'nearest' && a.mode !== 'bilinear')
      throw new BuildError('bad-args', `Upsample mode '${a.mode}' is not supported; use 'nearest' or 'bilinear'`);
    if (a.align_corners) throw new BuildError('bad-args', 'Upsample with align_corners=True is not supported');
    let scale: Pair;
    if (a.size !== null && a.size !== undefined) {
      if (a.scale_factor !== null && a.scale_factor !== undefined)
        throw new BuildError('bad-args', 'Upsample takes either a size or a scale factor, not both');
      const [h, w] = pairOf(a.size, 'Upsample size');
      scale = [h / x.shape[1], w / x.shape[2]];
    } else if (a.scale_factor === null || a.scale_factor === undefined) {
      throw new BuildError('bad-args', 'Upsample needs a size or a scale factor, e.g. [None, 2, "nearest"]');
    } else scale = pairOf(a.scale_factor, 'Upsample scale factor');
    if (!(scale[0] > 0 && scale[1] > 0)) throw new BuildError('bad-args', 'Upsample scale must be positive');
    return s.upsample('', x, scale, a.mode, true);
  },
};

export const ZeroPad2d: ModuleDef = {
  name: 'nn.ZeroPad2d',
  torchPath: 'torch.nn.modules.padding.ZeroPad2d',
  category: 'resample',
  description: 'Zero padding: one number for all sides, or (left, right, top, bottom).',
  parse: 'passthrough',
  args: [{ name: 'padding', type: 'padding', required: true, doc: 'padding, or [left, right, top, bottom]' }],
  build(s, a, [x]) {
    const p = a.padding;
    const pad: [number, number, number, number] =
      typeof p === 'number'
        ? [p, p, p, p]
        : Array.isArray(p) && p.length === 4
          ? [p[0], p[1], p[2], p[3]]
          : [NaN, NaN, NaN, NaN];
    if (pad.some((v) => !Number.isInteger(v)))
      throw new BuildError('bad-args', 'ZeroPad2d takes one whole number or [left, right, top, bottom]');
    return s.zeroPad('', x, pad, true);
  },
};

export const Contract: ModuleDef = {
  name: 'Contract',
  torchPath: 'models.common.Contract',
  category: 'resample',
  description: 'Space to depth: gain x gain pixel blocks into channels.',
  parse: 'contract',
  args: [{ name: 'gain', type: 'int', default: 2, doc: 'block size' }],
  build: (s, a, [x]) => s.contract(x, a.gain),
};

export const Expand: ModuleDef = {
  name: 'Expand',
  torchPath: 'models.common.Expand',
  category: 'resample',
  description: 'Depth to space: channels into gain x gain pixel blocks.',
  parse: 'expand',
  args: [{ name: 'gain', type: 'int', default: 2, doc: 'block size' }],
  build: (s, a, [x]) => s.expand(x, a.gain),
};

export const Concat: ModuleDef = {
  name: 'Concat',
  torchPath: 'models.common.Concat',
  category: 'merge',
  description: 'Concatenates its inputs along the channels.',
  parse: 'concat',
  multiInput: true,
  args: [{ name: 'dimension', type: 'int', default: 1, doc: 'dimension (1: channels)' }],
  build(s, a, xs) {
    if (a.dimension !== 1)
      throw new BuildError(
        'bad-args',
        `Concat along dimension ${a.dimension} is not supported; YOLOv5 configs concatenate channels (1)`,
      );
    return s.cat(xs);
  },
};
