/** YOLOv5's Proto (the segmentation head's mask prototypes), written as data. */
import { describeModule } from './define.ts';

export const Proto = describeModule({
  name: 'Proto',
  category: 'head',
  internal: true,
  description: {
    en: 'Mask prototypes: a 3x3 Conv, 2x upsampling, a 3x3 Conv and a 1x1 Conv to the mask count.',
    zh: '掩码原型：3x3 Conv、2 倍上采样、3x3 Conv，再用 1x1 Conv 到掩码个数。',
  },
  parse: 'passthrough',
  args: [
    { name: 'c1', type: 'int', doc: { en: 'input channels', zh: '输入通道数' } },
    { name: 'c_', type: 'int', default: '256', doc: { en: 'prototype width', zh: '原型宽度' } },
    { name: 'c2', type: 'int', default: '32', doc: { en: 'masks', zh: '掩码个数' } },
  ],
  body: [
    { id: 'a', op: 'Conv', args: ['c1', 'c_', 3], name: 'cv1' },
    { id: 'u', op: 'nn.Upsample', args: [null, 2, 'nearest'], name: 'upsample' },
    { id: 'b', op: 'Conv', args: ['c_', 'c_', 3], name: 'cv2' },
    { id: 'y', op: 'Conv', args: ['c_', 'c2'], name: 'cv3' },
  ],
});
