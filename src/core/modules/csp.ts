/**
 * Bottlenecks and CSP blocks of YOLOv5 (models/common.py), written as data: Bottleneck, GhostBottleneck,
 * BottleneckCSP, and C3 with its variants (C3x, C3Ghost, C3SPP, C3TR: C3's frame around another inside).
 */
import type { ModuleArg, ModuleNode } from '../custom/spec.ts';
import { describeModule } from './define.ts';

export const c1c2: ModuleArg[] = [
  { name: 'c1', type: 'int', doc: { en: 'input channels', zh: '输入通道数' } },
  {
    name: 'c2',
    type: 'int',
    doc: { en: 'output channels (before the width multiple)', zh: '输出通道数（乘宽度系数之前）' },
  },
];

const e05: ModuleArg = {
  name: 'e',
  type: 'float',
  default: '0.5',
  doc: { en: 'hidden channel expansion', zh: '隐藏通道的扩展比例' },
};
const g1: ModuleArg = { name: 'g', type: 'int', default: '1', doc: { en: 'groups', zh: '分组数' } };
const cspArgs: ModuleArg[] = [
  ...c1c2,
  {
    name: 'n',
    type: 'int',
    default: '1',
    doc: {
      en: "number of inner blocks (the row's number, after the depth multiple)",
      zh: '内部模块的个数（该行的 number，乘深度系数之后）',
    },
  },
  {
    name: 'shortcut',
    type: 'bool',
    default: 'True',
    doc: { en: 'residual connections in the inner blocks', zh: '内部模块中的残差连接' },
  },
  g1,
  e05,
];

/** C3's frame: cv1 and cv2 from the input, `inner` (the m nodes) on cv1's output, concat, cv3. */
const c3 = (inner: ModuleNode): ModuleNode[] => [
  { id: 'a', op: 'Conv', args: ['c1', 'c_', 1, 1], in: 'x', name: 'cv1' },
  { id: 'b', op: 'Conv', args: ['c1', 'c_', 1, 1], in: 'x', name: 'cv2' },
  { ...inner, id: 'm', in: 'a' },
  { id: 'c', op: 'cat', in: ['m', 'b'] },
  { id: 'y', op: 'Conv', args: ['2 * c_', 'c2', 1], name: 'cv3' },
];

export const Bottleneck = describeModule({
  name: 'Bottleneck',
  category: 'csp',
  description: {
    en: 'A 1x1 Conv then a 3x3 Conv, plus the input when c1 == c2 and shortcut is on.',
    zh: '1x1 Conv 后接 3x3 Conv，当 c1 == c2 且开启 shortcut 时加上输入。',
  },
  parse: 'channels',
  args: [
    ...c1c2,
    {
      name: 'shortcut',
      type: 'bool',
      default: 'True',
      doc: { en: 'add the input (only when c1 == c2)', zh: '加上输入（仅当 c1 == c2 时）' },
    },
    g1,
    e05,
  ],
  vars: [['c_', 'int(c2 * e)']],
  body: [
    { id: 'h', op: 'Conv', args: ['c1', 'c_', 1, 1], name: 'cv1' },
    { id: 'y', op: 'Conv', args: ['c_', 'c2', 3, 1, null, 'g'], name: 'cv2' },
    { id: 'r', op: 'add', in: ['x', 'y'], when: 'shortcut and c1 == c2' },
    {
      assert: 'not shortcut or c1 == c2',
      severity: 'info',
      code: 'residual-dropped',
      message: {
        en: 'Bottleneck({c1}, {c2}) has shortcut=True but c1 != c2, so YOLOv5 silently drops the residual',
        zh: 'Bottleneck({c1}, {c2}) 设置了 shortcut=True 但 c1 != c2，YOLOv5 会悄悄去掉残差连接',
      },
    },
  ],
});

export const C3 = describeModule({
  name: 'C3',
  category: 'csp',
  description: {
    en: 'CSP bottleneck with 3 convolutions: n Bottlenecks on half the channels, concatenated with a bypass.',
    zh: '带 3 个卷积的 CSP 瓶颈：在一半通道上堆叠 n 个 Bottleneck，再与旁路拼接。',
  },
  parse: 'channelsRepeat',
  args: cspArgs,
  vars: [['c_', 'int(c2 * e)']],
  body: c3({ op: 'Bottleneck', args: ['c_', 'c_', 'shortcut', 'g', 1.0], repeat: 'n' }),
});

export const C3x = describeModule({
  name: 'C3x',
  category: 'csp',
  description: {
    en: 'C3 with cross convolutions (CrossConv) as its inner blocks.',
    zh: '内部模块为交叉卷积（CrossConv）的 C3。',
  },
  parse: 'channelsRepeat',
  args: cspArgs,
  vars: [['c_', 'int(c2 * e)']],
  body: c3({ op: 'CrossConv', args: ['c_', 'c_', 3, 1, 'g', 1.0, 'shortcut'], repeat: 'n' }),
});

export const C3Ghost = describeModule({
  name: 'C3Ghost',
  category: 'csp',
  description: { en: 'C3 with Ghost bottlenecks as its inner blocks.', zh: '内部模块为 Ghost 瓶颈的 C3。' },
  parse: 'channelsRepeat',
  args: cspArgs,
  vars: [['c_', 'int(c2 * e)']],
  body: c3({ op: 'GhostBottleneck', args: ['c_', 'c_'], repeat: 'n' }),
});

export const C3TR = describeModule({
  name: 'C3TR',
  category: 'attention',
  description: {
    en: 'C3 with a transformer block (4 heads, n layers) as its inside.',
    zh: '内部为 Transformer 模块（4 个注意力头，n 层）的 C3。',
  },
  parse: 'channelsRepeat',
  args: cspArgs,
  vars: [['c_', 'int(c2 * e)']],
  body: c3({ op: 'TransformerBlock', args: ['c_', 'c_', 4, 'n'] }),
});

export const C3SPP = describeModule({
  name: 'C3SPP',
  category: 'pool',
  description: {
    en: 'C3 with spatial pyramid pooling (SPP) as its inside.',
    zh: '内部为空间金字塔池化（SPP）的 C3。',
  },
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'ints', default: '[5, 9, 13]', doc: { en: 'pooling kernel sizes', zh: '池化核大小' } },
    {
      name: 'n',
      type: 'int',
      default: '1',
      doc: {
        en: "unused by the inside (C3SPP is not given the row's number)",
        zh: '内部不使用（C3SPP 不接收该行的 number）',
      },
    },
    { name: 'shortcut', type: 'bool', default: 'True', doc: { en: 'unused', zh: '未使用' } },
    { name: 'g', type: 'int', default: '1', doc: { en: 'unused', zh: '未使用' } },
    e05,
  ],
  vars: [['c_', 'int(c2 * e)']],
  body: c3({ op: 'SPP', args: ['c_', 'c_', 'k'] }),
});

export const BottleneckCSP = describeModule({
  name: 'BottleneckCSP',
  category: 'csp',
  description: {
    en: 'The original CSP bottleneck: n Bottlenecks, a plain-conv bypass, batch norm over both, then a Conv.',
    zh: '最初的 CSP 瓶颈：n 个 Bottleneck、一条普通卷积旁路、对两者做批归一化，再接一个 Conv。',
  },
  parse: 'channelsRepeat',
  args: cspArgs,
  vars: [['c_', 'int(c2 * e)']],
  body: [
    { id: 'a', op: 'Conv', args: ['c1', 'c_', 1, 1], in: 'x', name: 'cv1' },
    { id: 'b', op: 'nn.Conv2d', args: ['c1', 'c_', 1, 1], kwargs: { bias: false }, in: 'x', name: 'cv2' },
    { id: 'm', op: 'Bottleneck', args: ['c_', 'c_', 'shortcut', 'g', 1.0], repeat: 'n', in: 'a' },
    { id: 'd', op: 'nn.Conv2d', args: ['c_', 'c_', 1, 1], kwargs: { bias: false }, name: 'cv3' },
    { id: 'c', op: 'cat', in: ['d', 'b'] },
    { id: 'n_', op: 'nn.BatchNorm2d', args: ['2 * c_'], name: 'bn' },
    { id: 's_', op: 'nn.SiLU', name: 'act' },
    { id: 'y', op: 'Conv', args: ['2 * c_', 'c2', 1, 1], name: 'cv4' },
  ],
});

export const GhostBottleneck = describeModule({
  name: 'GhostBottleneck',
  category: 'csp',
  description: {
    en: 'Ghost bottleneck: GhostConv, (depth-wise Conv when stride 2), GhostConv, plus a shortcut.',
    zh: 'Ghost 瓶颈：GhostConv、（步长为 2 时的深度卷积）、GhostConv，再加上捷径分支。',
  },
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'int', default: '3', doc: { en: 'depth-wise kernel size', zh: '深度卷积的核大小' } },
    { name: 's', type: 'int', default: '1', doc: { en: 'stride (1 or 2)', zh: '步长（1 或 2）' } },
  ],
  vars: [['c_', 'c2 // 2']],
  containers: { conv: 'Sequential', shortcut: 'Sequential' },
  body: [
    { id: 'a', op: 'GhostConv', args: ['c1', 'c_', 1, 1], in: 'x', name: 'conv.0' },
    { id: 'b', op: 'DWConv', args: ['c_', 'c_', 'k', 's', 1, false], in: 'a', name: 'conv.1', when: 's == 2' },
    { id: 'b', op: 'nn.Identity', in: 'a', name: 'conv.1', when: 's != 2' },
    { id: 'y', op: 'GhostConv', args: ['c_', 'c2', 1, 1, 1, false], in: 'b', name: 'conv.2' },
    { id: 'd', op: 'DWConv', args: ['c1', 'c1', 'k', 's', 1, false], in: 'x', name: 'shortcut.0', when: 's == 2' },
    { id: 'sc', op: 'Conv', args: ['c1', 'c2', 1, 1, null, 1, 1, false], in: 'd', name: 'shortcut.1', when: 's == 2' },
    { id: 'sc', op: 'nn.Identity', in: 'x', name: 'shortcut', when: 's != 2' },
    {
      assert: 's == 2 or c1 == 2 * c_',
      code: 'residual-mismatch',
      message: {
        en: 'GhostBottleneck({c1}, {c2}) with stride {s} adds its input ({c1} channels) to {2 * c_} channels: PyTorch fails; use c1 == c2 (even) or stride 2',
        zh: 'GhostBottleneck({c1}, {c2}) 步长为 {s}，把输入（{c1} 通道）加到 {2 * c_} 通道上：PyTorch 会失败；请使 c1 == c2（偶数）或步长为 2',
      },
    },
    { id: 'o', op: 'add', in: ['y', 'sc'] },
  ],
});
