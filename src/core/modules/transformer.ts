/**
 * YOLOv5's transformer (models/common.py: TransformerLayer, TransformerBlock, used by C3TR), hand-written: it
 * works on the H*W positions as tokens (flatten, permute) with nn.Linear and nn.MultiheadAttention, which
 * take q, k and v and return a tuple; the description format's primitives work on [C, H, W] feature maps.
 */
import { c1c2 } from './csp.ts';
import { handWritten } from './define.ts';
import { msg } from '../messages/index.ts';

export const TransformerLayer = handWritten({
  name: 'TransformerLayer',
  category: 'attention',
  internal: true,
  description: {
    en: 'Transformer layer without LayerNorm: q, k, v projections, multi-head attention, two linear layers, residuals.',
    zh: '不带 LayerNorm 的 Transformer 层：q、k、v 投影，多头注意力，两个线性层，残差连接。',
  },
  parse: 'passthrough',
  args: [
    { name: 'c', type: 'int', doc: { en: 'width', zh: '宽度' } },
    { name: 'num_heads', type: 'int', doc: { en: 'attention heads', zh: '注意力头数' } },
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
});

export const TransformerBlock = handWritten({
  name: 'TransformerBlock',
  category: 'attention',
  internal: true,
  description: {
    en: 'Vision transformer block: optional Conv to c2, a learned position embedding, then transformer layers.',
    zh: '视觉 Transformer 模块：可选的 Conv 到 c2，可学习的位置嵌入，然后若干 Transformer 层。',
  },
  parse: 'passthrough',
  args: [
    ...c1c2,
    { name: 'num_heads', type: 'int', doc: { en: 'attention heads', zh: '注意力头数' } },
    { name: 'num_layers', type: 'int', doc: { en: 'transformer layers', zh: 'Transformer 层数' } },
  ],
  build(s, a, [x]) {
    let y = x;
    if (a.c1 !== a.c2) y = s.call('conv', 'Conv', [a.c1, a.c2], [y]);
    const p = s.add(y, s.linear('linear', y, a.c2, a.c2, true), msg('part.position-embedding'));
    const seq = s.container('tr', 'Sequential');
    let z = p;
    for (let i = 0; i < a.num_layers; i++) z = seq.call(String(i), 'TransformerLayer', [a.c2, a.num_heads], [z]);
    return z;
  },
});
