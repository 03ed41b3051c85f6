/**
 * Resampling, written as data: torch.nn's Upsample, ConvTranspose2d and ZeroPad2d as rows of a config (each
 * extends the primitive of the same name), and YOLOv5's DWConvTranspose2d.
 */
import { c1c2 } from './conv.ts';
import { describeModule } from './define.ts';

export const Upsample = describeModule({
  name: 'nn.Upsample',
  category: 'resample',
  description: {
    en: 'Upsampling by a scale factor (or to a size), nearest neighbour by default.',
    zh: '按缩放倍数（或到指定尺寸）上采样，默认最近邻。',
  },
  parse: 'passthrough',
  example: "[None, 2, 'nearest']",
  args: [
    {
      name: 'size',
      type: 'pairOrNone',
      default: 'None',
      doc: { en: 'output size (None: use the scale factor)', zh: '输出尺寸（None：使用缩放倍数）' },
    },
    { name: 'scale_factor', type: 'any', default: 'None', doc: { en: 'scale factor', zh: '缩放倍数' } },
    {
      name: 'mode',
      type: 'str',
      default: "'nearest'",
      doc: { en: "'nearest' or 'bilinear'", zh: "'nearest' 或 'bilinear'" },
    },
    {
      name: 'align_corners',
      type: 'any',
      default: 'None',
      doc: { en: 'must be None or False', zh: '必须为 None 或 False' },
    },
    { name: 'recompute_scale_factor', type: 'any', default: 'None', doc: { en: 'unused', zh: '未使用' } },
  ],
  base: { op: 'nn.Upsample', args: ['size', 'scale_factor', 'mode', 'align_corners', 'recompute_scale_factor'] },
  body: [],
});

export const ConvTranspose2d = describeModule({
  name: 'nn.ConvTranspose2d',
  category: 'resample',
  description: {
    en: 'Transposed convolution (learned upsampling), with a bias.',
    zh: '转置卷积（可学习的上采样），带偏置。',
  },
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'kernel_size', type: 'intOrPair', doc: { en: 'kernel size', zh: '卷积核大小' } },
    { name: 'stride', type: 'intOrPair', default: '1', doc: { en: 'stride', zh: '步长' } },
    { name: 'padding', type: 'intOrPair', default: '0', doc: { en: 'padding', zh: '填充' } },
    {
      name: 'output_padding',
      type: 'intOrPair',
      default: '0',
      doc: { en: 'extra size on one side', zh: '一侧额外增加的尺寸' },
    },
    { name: 'groups', type: 'int', default: '1', doc: { en: 'groups', zh: '分组数' } },
    { name: 'bias', type: 'bool', default: 'True', doc: { en: 'learn a bias', zh: '学习偏置' } },
    { name: 'dilation', type: 'intOrPair', default: '1', doc: { en: 'dilation', zh: '膨胀率' } },
  ],
  base: {
    op: 'nn.ConvTranspose2d',
    args: ['c1', 'c2', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation'],
  },
  body: [],
});

export const DWConvTranspose2d = describeModule({
  name: 'DWConvTranspose2d',
  category: 'resample',
  description: {
    en: 'Depth-wise transposed convolution: groups = gcd(c1, c2), with a bias.',
    zh: '深度转置卷积：分组数为 gcd(c1, c2)，带偏置。',
  },
  parse: 'channels',
  args: [
    ...c1c2,
    { name: 'k', type: 'intOrPair', default: '1', doc: { en: 'kernel size', zh: '卷积核大小' } },
    { name: 's', type: 'intOrPair', default: '1', doc: { en: 'stride', zh: '步长' } },
    { name: 'p1', type: 'intOrPair', default: '0', doc: { en: 'padding', zh: '填充' } },
    { name: 'p2', type: 'intOrPair', default: '0', doc: { en: 'output padding', zh: '输出填充' } },
  ],
  base: { op: 'nn.ConvTranspose2d', args: ['c1', 'c2', 'k', 's', 'p1', 'p2', 'gcd(c1, c2)'] },
  body: [],
});

export const ZeroPad2d = describeModule({
  name: 'nn.ZeroPad2d',
  category: 'resample',
  description: {
    en: 'Zero padding: one number for all sides, or (left, right, top, bottom).',
    zh: '零填充：一个数用于四边，或 (左, 右, 上, 下)。',
  },
  parse: 'passthrough',
  args: [
    {
      name: 'padding',
      type: 'padding',
      doc: { en: 'padding, or [left, right, top, bottom]', zh: '填充，或 [左, 右, 上, 下]' },
    },
  ],
  base: { op: 'nn.ZeroPad2d', args: ['padding'] },
  body: [],
});
