/**
 * The seed's Res2Net blocks (../shared/seed/res2net-yolov5.txt), written as data: YOLOv5 does not ship them,
 * so exporting a model that uses them writes their PyTorch classes from these same descriptions.
 *
 * Names and signatures are the seed's: Bottle2neck(inplanes, planes, shortcut, baseWidth=26, scale=4) with
 * conv1, convs.0..n-1, conv3, silu; C3_Res2Block(c1, c2, n=1, shortcut=True, g=1, e=0.5) with cv1, cv2, cv3, m.
 */
import { describeModule } from './define.ts';

export const Bottle2neck = describeModule({
  name: 'Bottle2neck',
  category: 'res2net',
  description: {
    en: 'Res2Net block: a 1x1 Conv into `scale` groups, a 3x3 Conv per group fed by the previous group, concat, 1x1 Conv, shortcut, SiLU.',
    zh: 'Res2Net 模块：1x1 Conv 后分成 scale 组，每组一个 3x3 Conv（输入加上前一组的输出），拼接，1x1 Conv，残差连接，SiLU。',
  },
  parse: 'channels',
  args: [
    { name: 'inplanes', type: 'int', doc: { en: 'input channels', zh: '输入通道数' } },
    { name: 'planes', type: 'int', doc: { en: 'output channels', zh: '输出通道数' } },
    {
      name: 'shortcut',
      type: 'bool',
      doc: { en: 'add the input (needs inplanes == planes)', zh: '加上输入（要求 inplanes == planes）' },
    },
    {
      name: 'baseWidth',
      type: 'int',
      default: '26',
      doc: { en: 'group width per 64 channels', zh: '每 64 通道的分组宽度' },
    },
    { name: 'scale', type: 'int', default: '4', doc: { en: 'number of groups', zh: '分组数' } },
  ],
  vars: [
    ['width', 'floor(planes * (baseWidth / 64))'],
    ['nums', '1 if scale == 1 else scale - 1'],
  ],
  check: [
    {
      assert: 'scale >= 1',
      code: 'bad-args',
      message: {
        en: "Bottle2neck's scale must be a whole number of at least 1, got {scale}",
        zh: 'Bottle2neck 的 scale 必须是至少为 1 的整数，实际为 {scale}',
      },
    },
    {
      assert: 'width >= 1',
      code: 'bad-channels',
      message: {
        en: "Bottle2neck's group width floor({planes} * {baseWidth} / 64) is 0: use more channels",
        zh: 'Bottle2neck 的分组宽度 floor({planes} * {baseWidth} / 64) 为 0：请使用更多通道',
      },
    },
    {
      assert: 'not shortcut or inplanes == planes',
      code: 'residual-mismatch',
      message: {
        en: 'Bottle2neck({inplanes}, {planes}) adds its {inplanes}-channel input to {planes} channels: PyTorch fails (out += residual); use inplanes == planes or shortcut=False',
        zh: 'Bottle2neck({inplanes}, {planes}) 把 {inplanes} 通道的输入加到 {planes} 通道上：PyTorch 会失败（out += residual）；请使 inplanes == planes 或 shortcut=False',
      },
    },
  ],
  body: [
    { id: 'out', op: 'Conv', args: ['inplanes', 'width * scale', 1], in: 'x', name: 'conv1' },
    { id: 'spx', op: 'split', args: ['width'], in: 'out' },
    {
      for: { i: 'range(nums)' },
      body: [
        { id: 's{i}', op: 'pass', in: 'spx.0', when: 'i == 0' },
        { id: 's{i}', op: 'add', in: ['c{i-1}', 'spx.{i}'], when: 'i > 0' },
        { id: 'c{i}', op: 'Conv', args: ['width', 'width', 3], in: 's{i}', name: 'convs.{i}' },
      ],
    },
    { id: 'y', op: 'cat', in: ['c{j} for j in range(nums)', 'spx.{nums}'], when: 'scale != 1' },
    { id: 'y', op: 'pass', in: 'c0', when: 'scale == 1' },
    { id: 'z', op: 'Conv', args: ['width * scale', 'planes', 1, 1, null, 1, 1, false], in: 'y', name: 'conv3' },
    { id: 'r', op: 'add', in: ['z', 'x'], when: 'shortcut' },
    { id: 'r', op: 'pass', in: 'z', when: 'not shortcut' },
    { id: 'o', op: 'nn.SiLU', in: 'r', name: 'silu' },
  ],
});

export const C3_Res2Block = describeModule({
  name: 'C3_Res2Block',
  category: 'res2net',
  description: {
    en: "C3 whose inner blocks are Res2Net Bottle2necks (the seed's module).",
    zh: '内部模块为 Res2Net Bottle2neck 的 C3（种子模块）。',
  },
  parse: 'channelsRepeat',
  args: [
    { name: 'c1', type: 'int', doc: { en: 'input channels', zh: '输入通道数' } },
    {
      name: 'c2',
      type: 'int',
      doc: { en: 'output channels (before the width multiple)', zh: '输出通道数（乘宽度系数之前）' },
    },
    {
      name: 'n',
      type: 'int',
      default: '1',
      doc: { en: 'number of Bottle2necks (after the depth multiple)', zh: 'Bottle2neck 的个数（乘深度系数之后）' },
    },
    {
      name: 'shortcut',
      type: 'bool',
      default: 'True',
      doc: { en: 'residual connections in the Bottle2necks', zh: 'Bottle2neck 中的残差连接' },
    },
    {
      name: 'g',
      type: 'int',
      default: '1',
      doc: { en: 'groups (unused by Bottle2neck)', zh: '分组数（Bottle2neck 不使用）' },
    },
    { name: 'e', type: 'float', default: '0.5', doc: { en: 'hidden channel expansion', zh: '隐藏通道的扩展比例' } },
  ],
  vars: [['c_', 'int(c2 * e)']],
  body: [
    { id: 'a', op: 'Conv', args: ['c1', 'c_', 1, 1], in: 'x', name: 'cv1' },
    { id: 'b', op: 'Conv', args: ['c1', 'c_', 1, 1], in: 'x', name: 'cv2' },
    { id: 'm', op: 'Bottle2neck', args: ['c_', 'c_', 'shortcut'], repeat: 'n', in: 'a' },
    { id: 'c', op: 'cat', in: ['m', 'b'] },
    { id: 'y', op: 'Conv', args: ['2 * c_', 'c2', 1], in: 'c', name: 'cv3' },
  ],
});
