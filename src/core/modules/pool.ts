/** Pooling, written as data: YOLOv5's SPP and SPPF, and torch.nn's MaxPool2d as a row of a config. */
import type { ModuleArg } from '../custom/spec.ts';
import { describeModule } from './define.ts';

const c1c2: ModuleArg[] = [
  { name: 'c1', type: 'int', doc: { en: 'input channels', zh: '输入通道数' } },
  { name: 'c2', type: 'int', doc: { en: 'output channels', zh: '输出通道数' } },
];

export const SPP = describeModule({
  name: 'SPP',
  category: 'pool',
  description: {
    en: 'Spatial pyramid pooling: max pools of several sizes in parallel, concatenated, between two Convs.',
    zh: '空间金字塔池化：多个尺寸的最大池化并行后拼接，前后各一个 Conv。',
  },
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'ints', default: '[5, 9, 13]', doc: { en: 'pooling kernel sizes', zh: '池化核大小' } },
  ],
  vars: [['c_', 'c1 // 2']],
  body: [
    { id: 'y', op: 'Conv', args: ['c1', 'c_', 1, 1], name: 'cv1' },
    {
      for: { i: 'range(len(k))' },
      body: [{ id: 'p{i}', op: 'nn.MaxPool2d', args: ['k[i]', 1, 'k[i] // 2'], in: 'y', name: 'm.{i}' }],
    },
    { id: 'c', op: 'cat', in: ['y', 'p{i} for i in range(len(k))'] },
    { id: 'z', op: 'Conv', args: ['c_ * (len(k) + 1)', 'c2', 1, 1], name: 'cv2' },
  ],
});

export const SPPF = describeModule({
  name: 'SPPF',
  category: 'pool',
  description: {
    en: 'Fast SPP: one max pool applied three times in a row, the four stages concatenated, between two Convs.',
    zh: '快速空间金字塔池化（SPPF）：同一个最大池化连续应用三次，四个阶段拼接，前后各一个 Conv。',
  },
  parse: 'channels',
  args: [...c1c2, { name: 'k', type: 'int', default: '5', doc: { en: 'pooling kernel size', zh: '池化核大小' } }],
  vars: [['c_', 'c1 // 2']],
  body: [
    { id: 'y', op: 'Conv', args: ['c1', 'c_', 1, 1], name: 'cv1' },
    // one MaxPool2d module used three times
    { id: 'y1', op: 'nn.MaxPool2d', args: ['k', 1, 'k // 2'], name: 'm' },
    { id: 'y2', use: 'm', in: 'y1' },
    { id: 'y3', use: 'm', in: 'y2' },
    { id: 'c', op: 'cat', in: ['y', 'y1', 'y2', 'y3'] },
    { id: 'z', op: 'Conv', args: ['c_ * 4', 'c2', 1, 1], name: 'cv2' },
  ],
});

export const MaxPool2d = describeModule({
  name: 'nn.MaxPool2d',
  category: 'pool',
  description: {
    en: 'Max pooling (stride defaults to the kernel size).',
    zh: '最大池化（步长默认等于核大小）。',
  },
  parse: 'passthrough',
  args: [
    { name: 'kernel_size', type: 'intOrPair', doc: { en: 'kernel size', zh: '核大小' } },
    {
      name: 'stride',
      type: 'pairOrNone',
      default: 'None',
      doc: { en: 'stride (None: the kernel size)', zh: '步长（None：等于核大小）' },
    },
    { name: 'padding', type: 'intOrPair', default: '0', doc: { en: 'padding', zh: '填充' } },
    { name: 'dilation', type: 'intOrPair', default: '1', doc: { en: 'dilation', zh: '膨胀率' } },
    { name: 'return_indices', type: 'bool', default: 'False', doc: { en: 'must be False', zh: '必须为 False' } },
    {
      name: 'ceil_mode',
      type: 'bool',
      default: 'False',
      doc: { en: 'round the output size up', zh: '输出尺寸向上取整' },
    },
  ],
  base: {
    op: 'nn.MaxPool2d',
    args: ['kernel_size', 'stride', 'padding', 'dilation', 'return_indices', 'ceil_mode'],
  },
  body: [],
});
