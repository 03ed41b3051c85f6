/** Bottlenecks and CSP blocks: Bottleneck, BottleneckCSP, C3 and its variants, GhostBottleneck, the transformer block. */
import { BuildError, type ArgSpec, type ModuleDef, type Scope, type Value } from '../graph.ts';
import { PyFloat } from '../py.ts';

const c1c2: ArgSpec[] = [
  { name: 'c1', type: 'int', required: true, doc: 'input channels' },
  { name: 'c2', type: 'int', required: true, doc: 'output channels (before the width multiple)' },
];
const cspArgs: ArgSpec[] = [
  ...c1c2,
  { name: 'n', type: 'int', default: 1, doc: "number of inner blocks (the row's number, after the depth multiple)" },
  { name: 'shortcut', type: 'bool', default: true, doc: 'residual connections in the inner blocks' },
  { name: 'g', type: 'int', default: 1, doc: 'groups' },
  { name: 'e', type: 'float', default: new PyFloat(0.5), doc: 'hidden channel expansion' },
];

export const Bottleneck: ModuleDef = {
  name: 'Bottleneck',
  torchPath: 'models.common.Bottleneck',
  category: 'csp',
  description: 'A 1x1 Conv then a 3x3 Conv, plus the input when c1 == c2 and shortcut is on.',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'shortcut', type: 'bool', default: true, doc: 'add the input (only when c1 == c2)' },
    { name: 'g', type: 'int', default: 1, doc: 'groups' },
    { name: 'e', type: 'float', default: new PyFloat(0.5), doc: 'hidden channel expansion' },
  ],
  build(s, a, [x]) {
    const c_ = Math.trunc(a.c2 * a.e);
    const y = s.call('cv2', 'Conv', [c_, a.c2, 3, 1, null, a.g], [s.call('cv1', 'Conv', [a.c1, c_, 1, 1], [x])]);
    if (a.shortcut && a.c1 === a.c2) return s.add(x, y);
    if (a.shortcut)
      s.note(
        'info',
        'residual-dropped',
        `Bottleneck(${a.c1}, ${a.c2}) has shortcut=True but c1 != c2, so YOLOv5 silently drops the residual`,
      );
    return y;
  },
};

/** C3's frame: cv1 -> inner(m) ; cv2 ; cat ; cv3. `inner` builds `m` from the hidden width. */
function c3(s: Scope, a: Record<string, any>, x: Value, inner: (s: Scope, c_: number, y: Value) => Value): Value {
  const c_ = Math.trunc(a.c2 * a.e);
  const y1 = s.call('cv1', 'Conv', [a.c1, c_, 1, 1], [x]);
  const y2 = s.call('cv2', 'Conv', [a.c1, c_, 1, 1], [x]);
  const m = inner(s, c_, y1);
  return s.call('cv3', 'Conv', [2 * c_, a.c2, 1], [s.cat([m, y2])]);
}

/** nn.Sequential named `name` of n blocks built by `block`. */
export function repeat(
  s: Scope,
  name: string,
  n: number,
  x: Value,
  block: (seq: Scope, i: string, y: Value) => Value,
): Value {
  const seq = s.container(name, 'Sequential');
  let y = x;
  for (let i = 0; i < n; i++) y = block(seq, String(i), y);
  return y;
}

export const C3: ModuleDef = {
  name: 'C3',
  torchPath: 'models.common.C3',
  category: 'csp',
  description: 'CSP bottleneck with 3 convolutions: n Bottlenecks on half the channels, concatenated with a bypass.',
  parse: 'channelsRepeat',
  args: cspArgs,
  build: (s, a, [x]) =>
    c3(s, a, x, (s, c_, y) =>
      repeat(s, 'm', a.n, y, (m, i, z) => m.call(i, 'Bottleneck', [c_, c_, a.shortcut, a.g, 1.0], [z])),
    ),
};

export const C3x: ModuleDef = {
  name: 'C3x',
  torchPath: 'models.common.C3x',
  category: 'csp',
  description: 'C3 with cross convolutions (CrossConv) as its inner blocks.',
  parse: 'channelsRepeat',
  args: cspArgs,
  build: (s, a, [x]) =>
    c3(s, a, x, (s, c_, y) =>
      repeat(s, 'm', a.n, y, (m, i, z) => m.call(i, 'CrossConv', [c_, c_, 3, 1, a.g, 1.0, a.shortcut], [z])),
    ),
};

export const C3Ghost: ModuleDef = {
  name: 'C3Ghost',
  torchPath: 'models.common.C3Ghost',
  category: 'csp',
  description: 'C3 with Ghost bottlenecks as its inner blocks.',
  parse: 'channelsRepeat',
  args: cspArgs,
  build: (s, a, [x]) =>
    c3(s, a, x, (s, c_, y) => repeat(s, 'm', a.n, y, (m, i, z) => m.call(i, 'GhostBottleneck', [c_, c_], [z]))),
};

export const C3TR: ModuleDef = {
  name: 'C3TR',
  torchPath: 'models.common.C3TR',
  category: 'attention',
  description: 'C3 with a transformer block (4 heads, n layers) as its inside.',
  parse: 'channelsRepeat',
  args: cspArgs,
  build: (s, a, [x]) => c3(s, a, x, (s, c_, y) => s.call('m', 'TransformerBlock', [c_, c_, 4, a.n], [y])),
};

export const C3SPP: ModuleDef = {
  name: 'C3SPP',
  torchPath: 'models.common.C3SPP',
  category: 'pool',
  description: 'C3 with spatial pyramid pooling (SPP) as its inside.',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'ints', default: [5, 9, 13], doc: 'pooling kernel sizes' },
    { name: 'n', type: 'int', default: 1, doc: "unused by the inside (C3SPP is not given the row's number)" },
    { name: 'shortcut', type: 'bool', default: true, doc: 'unused' },
    { name: 'g', type: 'int', default: 1, doc: 'unused' },
    { name: 'e', type: 'float', default: new PyFloat(0.5), doc: 'hidden channel expansion' },
  ],
  build: (s, a, [x]) => c3(s, a, x, (s, c_, y) => s.call('m', 'SPP', [c_, c_, a.k], [y])),
};

export const BottleneckCSP: ModuleDef = {
  name: 'BottleneckCSP',
  torchPath: 'models.common.BottleneckCSP',
  category: 'csp',
  description: 'The original CSP bottleneck: n Bottlenecks, a plain-conv bypass, batch norm over both, then a Conv.',
  parse: 'channelsRepeat',
  args: cspArgs,
  build(s, a, [x]) {
    const c_ = Math.trunc(a.c2 * a.e);
    const y1a = s.call('cv1', 'Conv', [a.c1, c_, 1, 1], [x]);
    const y2 = s.conv2d('cv2', x, { cin: a.c1, cout: c_, k: 1, bias: false });
    const y1b = s.conv2d('cv3', repeatAfter(s, a, c_, y1a), { cin: c_, cout: c_, k: 1, bias: false });
    // registration order: cv1, cv2, cv3, cv4, bn, act, m (the state_dict order); dataflow as forward()
    const cat = s.cat([y1b, y2]);
    const bn = s.batchNorm('bn', cat, 2 * c_);
    const act = s.act('act', bn, { type: 'SiLU' });
    return s.call('cv4', 'Conv', [2 * c_, a.c2, 1, 1], [act]);
  },
};
function repeatAfter(s: Scope, a: Record<string, any>, c_: number, y: Value): Value {
  return repeat(s, 'm', a.n, y, (m, i, z) => m.call(i, 'Bottleneck', [c_, c_, a.shortcut, a.g, 1.0], [z]));
}

export const GhostBottleneck: ModuleDef = {
  name: 'GhostBottleneck',
  torchPath: 'models.common.GhostBottleneck',
  category: 'csp',
  description: 'Ghost bottleneck: GhostConv, (depth-wise Conv when stride 2), GhostConv, plus a shortcut.',
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'int', default: 3, doc: 'depth-wise kernel size' },
    { name: 's', type: 'int', default: 1, doc: 'stride (1 or 2)' },
  ],
  build(s, a, [x]) {
    const c_ = Math.floor(a.c2 / 2);
    const seq = s.container('conv', 'Sequential');
    let y = seq.call('0', 'GhostConv', [a.c1, c_, 1, 1], [x]);
    y = a.s === 2 ? seq.call('1', 'DWConv', [c_, c_, a.k, a.s, 1, false], [y]) : seq.identity('1', y);
    y = seq.call('2', 'GhostConv', [c_, a.c2, 1, 1, 1, false], [y]);
    let sc = x;
    if (a.s === 2) {
      const sh = s.container('shortcut', 'Sequential');
      sc = sh.call('0', 'DWConv', [a.c1, a.c1, a.k, a.s, 1, false], [x]);
      sc = sh.call('1', 'Conv', [a.c1, a.c2, 1, 1, null, 1, 1, false], [sc]);
    } else sc = s.identity('shortcut', x);
    if (a.s !== 2 && a.c1 !== 2 * c_) {
      throw new BuildError(
        'residual-mismatch',
        `GhostBottleneck(${a.c1}, ${a.c2}) with stride ${a.s} adds its input (${a.c1} channels) to ${2 * c_} channels: PyTorch fails; use c1 == c2 (even) or stride 2`,
      );
    }
    return s.add(y, sc, 'the GhostBottleneck shortcut');
  },
};

export const TransformerLayer: ModuleDef = {
  name: 'TransformerLayer',
  torchPath: 'models.common.TransformerLayer',
  category: 'attention',
  internal: true,
  description:
    'Transformer layer without LayerNorm: q, k, v projections, multi-head attention, two linear layers, residuals.',
  parse: 'passthrough',
  args: [
    { name: 'c', type: 'int', required: true, doc: 'width' },
    { name: 'num_heads', type: 'int', required: true, doc: 'attention heads' },
  ],
  build(s, a, [x]) {
    const q = s.linear('q', x, a.c, a.c, false);
    const k = s.linear('k', x, a.c, a.c, false);
    const v = s.linear('v', x, a.c, a.c, false);
    const att = s.attention('ma', q, k, v, a.c, a.num_heads);
    const y = s.add(att, x);
    const f = s.linear('fc2', s.linear('fc1', y, a.c, a.c, false), a.c, a.c, false);
    return s.add(f, y);
  },
};

export const TransformerBlock: ModuleDef = {
  name: 'TransformerBlock',
  torchPath: 'models.common.TransformerBlock',
  category: 'attention',
  internal: true,
  description: 'Vision transformer block: optional Conv to c2, a learned position embedding, then transformer layers.',
  parse: 'passthrough',
  args: [
    ...c1c2,
    { name: 'num_heads', type: 'int', required: true, doc: 'attention heads' },
    { name: 'num_layers', type: 'int', required: true, doc: 'transformer layers' },
  ],
  build(s, a, [x]) {
    let y = x;
    if (a.c1 !== a.c2) y = s.call('conv', 'Conv', [a.c1, a.c2], [y]);
    const p = s.add(y, s.linear('linear', y, a.c2, a.c2, true), 'the position embedding');
    return repeat(s, 'tr', a.num_layers, p, (m, i, z) => m.call(i, 'TransformerLayer', [a.c2, a.num_heads], [z]));
  },
};
