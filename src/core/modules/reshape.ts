/**
 * Contract and Expand (YOLOv5's space-to-depth and depth-to-space), hand-written: their parse rules compute
 * the output channels from the gain (c1 * gain² and c1 / gain²), which a description's rules (channels,
 * channelsRepeat, passthrough, batchNorm) cannot say, and their pixel shuffles are ops of their own.
 */
import { handWritten } from './define.ts';

const gain = {
  name: 'gain',
  type: 'int' as const,
  default: '2',
  doc: { en: 'block size', zh: '块大小' },
};

export const Contract = handWritten({
  name: 'Contract',
  category: 'resample',
  description: {
    en: 'Space to depth: gain x gain pixel blocks into channels.',
    zh: '空间到深度：把 gain x gain 的像素块移入通道。',
  },
  parse: 'contract',
  args: [gain],
  build: (s, a, [x]) => s.contract(x, a.gain),
});

export const Expand = handWritten({
  name: 'Expand',
  category: 'resample',
  description: {
    en: 'Depth to space: channels into gain x gain pixel blocks.',
    zh: '深度到空间：把通道移回 gain x gain 的像素块。',
  },
  parse: 'expand',
  args: [gain],
  build: (s, a, [x]) => s.expand(x, a.gain),
});
