/** torch.nn.BatchNorm2d as a row of a config, written as data (it extends the primitive of the same name). */
import { describeModule } from './define.ts';

export const BatchNorm2d = describeModule({
  name: 'nn.BatchNorm2d',
  category: 'norm',
  description: { en: 'Batch normalisation of the input channels.', zh: '对输入通道做批归一化。' },
  parse: 'batchNorm',
  args: [
    {
      name: 'num_features',
      type: 'int',
      doc: { en: 'channels (set from the input by parse_model)', zh: '通道数（由 parse_model 从输入设置）' },
    },
  ],
  base: { op: 'nn.BatchNorm2d', args: ['num_features'] },
  body: [],
});
