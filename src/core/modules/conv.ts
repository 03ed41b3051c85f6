/** Convolution modules: Conv and its relatives, transposed convolutions, batch norm. */
import { BuildError, autopad, type ArgSpec, type ModuleDef, type Scope, type Value } from '../graph.ts';
import { PyFloat, gcd } from '../py.ts';

const c1c2: ArgSpec[] = [
  { name: 'c1', type: 'int', required: true, doc: 'input channels (from the layer it reads)' },
  { name: 'c2', type: 'int', required: true, doc: 'output channels (before the width multiple)' },
];

/** Conv(c1, c2, k, s, p, g, d, act): Conv2d (no bias) + BatchNorm2d + activation. */
export function conv(
  s: Scope,
  x: Value,
  c1: number,
  c2: number,
  k: number | number[] = 1,
  st: number | number[] = 1,
  p: number | number[] | null = null,
  g = 1,
  d = 1,
  act: unknown = true,
): Value {
  let y = s.conv2d('conv', x, { cin: c1, cout: c2, k, s: st, p: autopad(k, p, d), d, groups: g, bias: false });
  y = s.batchNorm('bn', y, c2);
  return s.act('act', y, act);
}

export const Conv: ModuleDef = {
  name: 'Conv',
  torchPath: 'models.common.Conv',
  category: 'conv',
  description: 'Convolution + batch norm + activation (SiLU), the basic YOLOv5 block.',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'intOrPair', default: 1, doc: 'kernel size' },
    { name: 's', type: 'intOrPair', default: 1, doc: 'stride' },
    { name: 'p', type: 'pairOrNone', default: null, doc: 'padding (None: same)' },
    { name: 'g', type: 'int', default: 1, doc: 'groups' },
    { name: 'd', type: 'int', default: 1, doc: 'dilation' },
    { name: 'act', type: 'act', default: true, doc: 'activation: True for the default, False for none' },
  ],
  build: (s, a, [x]) => conv(s, x, a.c1, a.c2, a.k, a.s, a.p, a.g, a.d, a.act),
};

export const DWConv: ModuleDef = {
  name: 'DWConv',
  torchPath: 'models.common.DWConv',
  category: 'conv',
  description: 'Depth-wise convolution: a Conv with groups = gcd(c1, c2).',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'intOrPair', default: 1, doc: 'kernel size' },
    { name: 's', type: 'intOrPair', default: 1, doc: 'stride' },
    { name: 'd', type: 'int', default: 1, doc: 'dilation' },
    { name: 'act', type: 'act', default: true, doc: 'activation' },
  ],
  build: (s, a, [x]) => conv(s, x, a.c1, a.c2, a.k, a.s, null, gcd(a.c1, a.c2), a.d, a.act),
};

export const GhostConv: ModuleDef = {
  name: 'GhostConv',
  torchPath: 'models.common.GhostConv',
  category: 'conv',
  description: 'Ghost convolution: half the channels from a Conv, half from a cheap 5x5 depth-wise Conv of them.',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'intOrPair', default: 1, doc: 'kernel size' },
    { name: 's', type: 'intOrPair', default: 1, doc: 'stride' },
    { name: 'g', type: 'int', default: 1, doc: 'groups' },
    { name: 'act', type: 'act', default: true, doc: 'activation' },
  ],
  build(s, a, [x]) {
    const c_ = Math.floor(a.c2 / 2);
    const y = s.call('cv1', 'Conv', [a.c1, c_, a.k, a.s, null, a.g, 1, a.act], [x]);
    const z = s.call('cv2', 'Conv', [c_, c_, 5, 1, null, c_, 1, a.act], [y]);
    return s.cat([y, z]);
  },
};

export const Focus: ModuleDef = {
  name: 'Focus',
  torchPath: 'models.common.Focus',
  category: 'conv',
  description: 'Slices every second pixel into channels (4x channels, half the size), then a Conv.',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'intOrPair', default: 1, doc: 'kernel size' },
    { name: 's', type: 'intOrPair', default: 1, doc: 'stride' },
    { name: 'p', type: 'pairOrNone', default: null, doc: 'padding' },
    { name: 'g', type: 'int', default: 1, doc: 'groups' },
    { name: 'act', type: 'act', default: true, doc: 'activation' },
  ],
  build(s, a, [x]) {
    s.expectChannels(x, a.c1);
    const y = s.focus(x);
    return s.call('conv', 'Conv', [a.c1 * 4, a.c2, a.k, a.s, a.p, a.g, 1, a.act], [y]);
  },
};

export const CrossConv: ModuleDef = {
  name: 'CrossConv',
  torchPath: 'models.common.CrossConv',
  category: 'conv',
  description: 'Cross convolution: a 1xk Conv then a kx1 Conv, with an optional residual.',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'int', default: 3, doc: 'kernel size' },
    { name: 's', type: 'int', default: 1, doc: 'stride' },
    { name: 'g', type: 'int', default: 1, doc: 'groups' },
    { name: 'e', type: 'float', default: new PyFloat(1), doc: 'expansion of the hidden channels' },
    { name: 'shortcut', type: 'bool', default: false, doc: 'add the input (only when c1 == c2)' },
  ],
  build(s, a, [x]) {
    const c_ = Math.trunc(a.c2 * a.e);
    const y = s.call('cv1', 'Conv', [a.c1, c_, [1, a.k], [1, a.s]], [x]);
    const z = s.call('cv2', 'Conv', [c_, a.c2, [a.k, 1], [a.s, 1], null, a.g], [y]);
    if (a.shortcut && a.c1 === a.c2) return s.add(x, z);
    if (a.shortcut)
      s.note(
        'info',
        'residual-dropped',
        `CrossConv(${a.c1}, ${a.c2}) has shortcut=True but c1 != c2, so YOLOv5 silently drops the residual`,
      );
    return z;
  },
};

/** torch.linspace(0, n - 1e-6, c2).floor() counts, computed as PyTorch does in float32. */
function mixChannels(n: number, c2: number, k: number[], equal: boolean): number[] {
  if (equal) {
    const f = Math.fround;
    const end = f(n - 1e-6);
    const step = c2 > 1 ? f(end / (c2 - 1)) : 0;
    const half = Math.floor(c2 / 2);
    const counts = new Array(n).fill(0);
    for (let i = 0; i < c2; i++) {
      const v = i < half ? f(i * step) : f(end - f((c2 - 1 - i) * step));
      counts[Math.floor(v)]++;
    }
    return counts;
  }
  // equal weight.numel() per group: least squares of a (n+1)xn system, rounded half to even
  const a: number[][] = [];
  for (let r = 0; r <= n; r++) a.push(new Array(n).fill(0));
  for (let r = 1; r <= n; r++) a[r][r - 1] = 1;
  const rolled = a.map((row) => row.map((_, j) => row[(j - 1 + n) % n]));
  for (let r = 0; r <= n; r++) for (let j = 0; j < n; j++) a[r][j] = (a[r][j] - rolled[r][j]) * k[j] ** 2;
  a[0] = new Array(n).fill(1);
  const b = [c2, ...new Array(n).fill(0)];
  // normal equations (A^T A) x = A^T b
  const ata = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => a.reduce((acc, row) => acc + row[i] * row[j], 0)),
  );
  const atb = Array.from({ length: n }, (_, i) => a.reduce((acc, row, r) => acc + row[i] * b[r], 0));
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(ata[r][c]) > Math.abs(ata[piv][c])) piv = r;
    [ata[c], ata[piv]] = [ata[piv], ata[c]];
    [atb[c], atb[piv]] = [atb[piv], atb[c]];
    for (let r = 0; r < n; r++) {
      if (r === c || ata[c][c] === 0) continue;
      const m = ata[r][c] / ata[c][c];
      for (let j = c; j < n; j++) ata[r][j] -= m * ata[c][j];
      atb[r] -= m * atb[c];
    }
  }
  return atb.map((v, i) => {
    const x = v / ata[i][i];
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
  });
}

export const MixConv2d: ModuleDef = {
  name: 'MixConv2d',
  torchPath: 'models.experimental.MixConv2d',
  category: 'conv',
  description: 'Mixed depth-wise convolution: channel groups with different kernel sizes, then batch norm and SiLU.',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'ints', default: [1, 3], doc: 'kernel sizes, one per group' },
    { name: 's', type: 'int', default: 1, doc: 'stride' },
    { name: 'equal_ch', type: 'bool', default: true, doc: 'equal channels per group (else equal weights)' },
  ],
  build(s, a, [x]) {
    const ks: number[] = Array.isArray(a.k) ? a.k : [a.k];
    if (!ks.length) throw new BuildError('bad-args', 'MixConv2d needs at least one kernel size');
    const cs = mixChannels(ks.length, a.c2, ks, !!a.equal_ch);
    const m = s.container('m', 'ModuleList');
    const ys = ks.map((k, i) =>
      m.conv2d(String(i), x, {
        cin: a.c1,
        cout: cs[i],
        k,
        s: a.s,
        p: Math.floor(k / 2),
        groups: gcd(a.c1, cs[i]),
        bias: false,
      }),
    );
    let y = s.cat(ys);
    y = s.batchNorm('bn', y, a.c2);
    return s.act('act', y, { type: 'SiLU' });
  },
};

export const ConvTranspose2d: ModuleDef = {
  name: 'nn.ConvTranspose2d',
  torchPath: 'torch.nn.modules.conv.ConvTranspose2d',
  category: 'resample',
  description: 'Transposed convolution (learned upsampling), with a bias.',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'kernel_size', type: 'intOrPair', required: true, doc: 'kernel size' },
    { name: 'stride', type: 'intOrPair', default: 1, doc: 'stride' },
    { name: 'padding', type: 'intOrPair', default: 0, doc: 'padding' },
    { name: 'output_padding', type: 'intOrPair', default: 0, doc: 'extra size on one side' },
    { name: 'groups', type: 'int', default: 1, doc: 'groups' },
    { name: 'bias', type: 'bool', default: true, doc: 'learn a bias' },
    { name: 'dilation', type: 'intOrPair', default: 1, doc: 'dilation' },
  ],
  build: (s, a, [x]) =>
    s.convTranspose2d(
      '',
      x,
      {
        cin: a.c1,
        cout: a.c2,
        k: a.kernel_size,
        s: a.stride,
        p: a.padding,
        outPad: a.output_padding,
        groups: a.groups,
        bias: !!a.bias,
        d: a.dilation,
      },
      'ConvTranspose2d',
      true,
    ),
};

export const DWConvTranspose2d: ModuleDef = {
  name: 'DWConvTranspose2d',
  torchPath: 'models.common.DWConvTranspose2d',
  category: 'resample',
  description: 'Depth-wise transposed convolution: groups = gcd(c1, c2), with a bias.',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'intOrPair', default: 1, doc: 'kernel size' },
    { name: 's', type: 'intOrPair', default: 1, doc: 'stride' },
    { name: 'p1', type: 'intOrPair', default: 0, doc: 'padding' },
    { name: 'p2', type: 'intOrPair', default: 0, doc: 'output padding' },
  ],
  build: (s, a, [x]) =>
    s.convTranspose2d(
      '',
      x,
      { cin: a.c1, cout: a.c2, k: a.k, s: a.s, p: a.p1, outPad: a.p2, groups: gcd(a.c1, a.c2), bias: true },
      'DWConvTranspose2d',
      true,
    ),
};

export const BatchNorm2d: ModuleDef = {
  name: 'nn.BatchNorm2d',
  torchPath: 'torch.nn.modules.batchnorm.BatchNorm2d',
  category: 'norm',
  description: 'Batch normalisation of the input channels.',
  parse: 'batchNorm',
  args: [{ name: 'num_features', type: 'int', required: true, doc: 'channels (set from the input by parse_model)' }],
  build: (s, a, [x]) => s.batchNorm('', x, a.num_features, true),
};
