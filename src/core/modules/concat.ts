/**
 * Concat, hand-written: it reads a list of layers of any length (parse_model sums their channels), and a
 * description's inputs are a fixed list of names.
 */
import { BuildError } from '../graph.ts';
import { msg } from '../messages/index.ts';
import { handWritten } from './define.ts';

export const Concat = handWritten({
  name: 'Concat',
  category: 'merge',
  description: { en: 'Concatenates its inputs along the channels.', zh: '沿通道拼接它的输入。' },
  parse: 'concat',
  multiInput: true,
  args: [
    { name: 'dimension', type: 'int', default: '1', doc: { en: 'dimension (1: channels)', zh: '维度（1：通道）' } },
  ],
  build(s, a, xs) {
    if (a.dimension !== 1)
      throw new BuildError('bad-args', msg('concat-dimension', { dimension: String(a.dimension) }));
    return s.cat(xs);
  },
});
