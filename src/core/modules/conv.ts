/** Convolution modules of YOLOv5 (models/common.py), written as data: Conv, DWConv, GhostConv, Focus, CrossConv. */
import type { ModuleArg } from '../custom/spec.ts';
import { describeModule } from './define.ts';

export const c1c2: ModuleArg[] = [
  {
    name: 'c1',
    type: 'int',
    doc: { en: 'input channels (from the layer it reads)', zh: '输入通道数（来自它读取的层）' },
  },
  {
    name: 'c2',
    type: 'int',
    doc: { en: 'output channels (before the width multiple)', zh: '输出通道数（乘宽度系数之前）' },
  },
];
const k1: ModuleArg = { name: 'k', type: 'intOrPair', default: '1', doc: { en: 'kernel size', zh: '卷积核大小' } };
const s1: ModuleArg = { name: 's', type: 'intOrPair', default: '1', doc: { en: 'stride', zh: '步长' } };
const g1: ModuleArg = { name: 'g', type: 'int', default: '1', doc: { en: 'groups', zh: '分组数' } };
const d1: ModuleArg = { name: 'd', type: 'int', default: '1', doc: { en: 'dilation', zh: '膨胀率' } };
const act: ModuleArg = {
  name: 'act',
  type: 'act',
  default: 'True',
  doc: {
    en: 'activation: True for the default, False for none',
    zh: '激活函数：True 为默认激活，False 为不用激活',
  },
};

export const Conv = describeModule({
  name: 'Conv',
  category: 'conv',
  description: {
    en: 'Convolution + batch norm + activation (SiLU), the basic YOLOv5 block.',
    zh: '卷积 + 批归一化 + 激活（SiLU），YOLOv5 的基本模块。',
  },
  parse: 'channels',
  args: [
    ...c1c2,
    k1,
    s1,
    {
      name: 'p',
      type: 'pairOrNone',
      default: 'None',
      doc: { en: 'padding (None: same)', zh: '填充（None：保持尺寸）' },
    },
    g1,
    d1,
    act,
  ],
  body: [
    { id: 'y', op: 'nn.Conv2d', args: ['c1', 'c2', 'k', 's', 'autopad(k, p, d)', 'd', 'g', false], name: 'conv' },
    { id: 'b', op: 'nn.BatchNorm2d', args: ['c2'], name: 'bn' },
    { id: 'a', op: 'activation', args: ['act'], name: 'act' },
  ],
});

export const DWConv = describeModule({
  name: 'DWConv',
  category: 'conv',
  description: {
    en: 'Depth-wise convolution: a Conv with groups = gcd(c1, c2).',
    zh: '深度卷积：分组数为 gcd(c1, c2) 的 Conv。',
  },
  parse: 'channels',
  args: [...c1c2, k1, s1, d1, { ...act, doc: { en: 'activation', zh: '激活函数' } }],
  base: { op: 'Conv', args: ['c1', 'c2', 'k', 's', null, 'gcd(c1, c2)', 'd', 'act'] },
  body: [],
});

export const GhostConv = describeModule({
  name: 'GhostConv',
  category: 'conv',
  description: {
    en: 'Ghost convolution: half the channels from a Conv, half from a cheap 5x5 depth-wise Conv of them.',
    zh: 'Ghost 卷积：一半通道来自一个 Conv，另一半来自对它们的廉价 5x5 深度卷积。',
  },
  parse: 'channels',
  args: [...c1c2, k1, s1, g1, { ...act, doc: { en: 'activation', zh: '激活函数' } }],
  vars: [['c_', 'c2 // 2']],
  body: [
    { id: 'y', op: 'Conv', args: ['c1', 'c_', 'k', 's', null, 'g', 1, 'act'], name: 'cv1' },
    { id: 'z', op: 'Conv', args: ['c_', 'c_', 5, 1, null, 'c_', 1, 'act'], name: 'cv2' },
    { id: 'o', op: 'cat', in: ['y', 'z'] },
  ],
});

export const Focus = describeModule({
  name: 'Focus',
  category: 'conv',
  description: {
    en: 'Slices every second pixel into channels (4x channels, half the size), then a Conv.',
    zh: '把每隔一个像素切片到通道中（通道 4 倍，尺寸减半），再接一个 Conv。',
  },
  parse: 'channels',
  args: [
    ...c1c2,
    k1,
    s1,
    { name: 'p', type: 'pairOrNone', default: 'None', doc: { en: 'padding', zh: '填充' } },
    g1,
    { ...act, doc: { en: 'activation', zh: '激活函数' } },
  ],
  inChannels: 'c1',
  body: [
    { id: 'f', op: 'focus', in: 'x' },
    { id: 'y', op: 'Conv', args: ['c1 * 4', 'c2', 'k', 's', 'p', 'g', 1, 'act'], name: 'conv' },
  ],
});

export const CrossConv = describeModule({
  name: 'CrossConv',
  category: 'conv',
  description: {
    en: 'Cross convolution: a 1xk Conv then a kx1 Conv, with an optional residual.',
    zh: '交叉卷积：先 1xk Conv 再 kx1 Conv，可选残差连接。',
  },
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'int', default: '3', doc: { en: 'kernel size', zh: '卷积核大小' } },
    { name: 's', type: 'int', default: '1', doc: { en: 'stride', zh: '步长' } },
    g1,
    {
      name: 'e',
      type: 'float',
      default: '1.0',
      doc: { en: 'expansion of the hidden channels', zh: '隐藏通道的扩展比例' },
    },
    {
      name: 'shortcut',
      type: 'bool',
      default: 'False',
      doc: { en: 'add the input (only when c1 == c2)', zh: '加上输入（仅当 c1 == c2 时）' },
    },
  ],
  vars: [['c_', 'int(c2 * e)']],
  body: [
    { id: 'y', op: 'Conv', args: ['c1', 'c_', [1, 'k'], [1, 's']], name: 'cv1' },
    { id: 'z', op: 'Conv', args: ['c_', 'c2', ['k', 1], ['s', 1], null, 'g'], name: 'cv2' },
    { id: 'r', op: 'add', in: ['x', 'z'], when: 'shortcut and c1 == c2' },
    {
      assert: 'not shortcut or c1 == c2',
      severity: 'info',
      code: 'residual-dropped',
      message: {
        en: 'CrossConv({c1}, {c2}) has shortcut=True but c1 != c2, so YOLOv5 silently drops the residual',
        zh: 'CrossConv({c1}, {c2}) 设置了 shortcut=True 但 c1 != c2，YOLOv5 会悄悄去掉残差连接',
      },
    },
  ],
});
