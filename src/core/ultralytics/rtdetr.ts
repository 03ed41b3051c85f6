/**
 * RT-DETR's decoder head (RTDETRDecoder, Ultralytics 8.3.253) as a hand-written ModuleDef: every module it
 * registers (the input projections, the deformable decoder layers, the query and box MLPs), the FLOPs of one eval
 * forward (its Linear layers on the tokens and queries; attention's products and the deformable sampling not
 * counted), and its output [nq, 4 + nc]. Why not a description: it selects its queries with a top-k over the
 * tokens and refines boxes layer by layer, which is one composite operation (graph.ts, 'rtdetrDecoder').
 */
import { msg } from '../messages/index.ts';
import { BuildError, type ActSpec, type ModuleDef, type Scope, type Value } from '../graph.ts';

const HEAD = 'ultralytics.nn.modules.head';

/** Ultralytics' MLP(input, hidden, output, num_layers): Linear layers, a ReLU between, an Identity out_norm. */
function mlp(s: Scope, name: string, x: Value, dims: [number, number, number], layers: number): Value {
  const m = s.child(name, 'MLP');
  const list = m.container('layers', 'ModuleList');
  const widths = [dims[0], ...new Array(layers - 1).fill(dims[1]), dims[2]];
  let y = x;
  for (let i = 0; i < layers; i++) y = list.linear(String(i), y, widths[i], widths[i + 1], true);
  m.child('act', 'ReLU');
  m.child('out_norm', 'Identity');
  return y;
}

export const RTDETRDecoder: ModuleDef = {
  name: 'RTDETRDecoder',
  torchPath: `${HEAD}.RTDETRDecoder`,
  category: 'head',
  description:
    'RT-DETR decoder: the levels as tokens, the best 300 as queries, refined by 6 deformable-attention decoder layers into boxes and class scores (no NMS).',
  descriptions: {
    zh: 'RT-DETR 解码器：各层展平为 token，取最好的 300 个作查询，经 6 层可变形注意力解码层细化为框和类别分数（无需 NMS）。',
  },
  parse: 'detect',
  multiInput: true,
  args: [
    { name: 'nc', type: 'int', default: 80, doc: 'number of classes', docs: { zh: '类别数' } },
    {
      name: 'ch',
      type: 'channels',
      default: [512, 1024, 2048],
      doc: 'input channels per level (set by parse_model)',
      docs: { zh: '每个层级的输入通道数（由 parse_model 设定）' },
    },
    { name: 'hd', type: 'int', default: 256, doc: 'hidden width', docs: { zh: '隐藏宽度' } },
    { name: 'nq', type: 'int', default: 300, doc: 'queries', docs: { zh: '查询个数' } },
    {
      name: 'ndp',
      type: 'int',
      default: 4,
      doc: 'sampling points per head and level',
      docs: { zh: '每个头每个层级的采样点数' },
    },
    { name: 'nh', type: 'int', default: 8, doc: 'attention heads', docs: { zh: '注意力头数' } },
    { name: 'ndl', type: 'int', default: 6, doc: 'decoder layers', docs: { zh: '解码器层数' } },
    { name: 'd_ffn', type: 'int', default: 1024, doc: 'feed-forward width', docs: { zh: '前馈层宽度' } },
    {
      name: 'dropout',
      type: 'float',
      default: 0,
      doc: 'dropout (inactive at inference)',
      docs: { zh: 'dropout（推理时不起作用）' },
    },
    {
      name: 'act',
      type: 'any',
      default: { module: 'nn.ReLU', args: [] },
      doc: 'decoder activation',
      docs: { zh: '解码器的激活函数' },
    },
    {
      name: 'eval_idx',
      type: 'int',
      default: -1,
      doc: 'the decoder layer whose output is used',
      docs: { zh: '使用其输出的解码器层' },
    },
    {
      name: 'nd',
      type: 'int',
      default: 100,
      doc: 'denoising queries (training)',
      docs: { zh: '去噪查询个数（训练用）' },
    },
    {
      name: 'label_noise_ratio',
      type: 'float',
      default: 0.5,
      doc: 'denoising (training)',
      docs: { zh: '去噪（训练用）' },
    },
    { name: 'box_noise_scale', type: 'float', default: 1, doc: 'denoising (training)', docs: { zh: '去噪（训练用）' } },
    {
      name: 'learnt_init_query',
      type: 'bool',
      default: false,
      doc: 'learned query embeddings',
      docs: { zh: '可学习的查询嵌入' },
    },
  ],
  build(s, a, xs) {
    const ch: number[] = a.ch;
    const { nc, hd, nq, nh, ndp, ndl } = a;
    const nl = ch.length;
    if (!Number.isInteger(nc) || nc < 1) throw new BuildError('bad-nc', msg('ul.rtdetr-nc', { got: String(nc) }));
    if (ch.length !== xs.length) throw new BuildError('bad-args', msg('ul.rtdetr-channels'));
    if (hd % nh) throw new BuildError('bad-attention', msg('ul.attention-width', { width: hd, heads: nh }));
    const evalIdx = a.eval_idx >= 0 ? a.eval_idx : ndl + a.eval_idx;
    const act: ActSpec = { type: 'ReLU' };
    const inner = s.opaque();
    // input_proj: Conv2d(x, hd, 1, bias=False) + BatchNorm2d per level; the levels flattened to A tokens
    const proj = inner.container('input_proj', 'ModuleList');
    const levels = xs.map((x, i) => {
      const q = proj.container(String(i), 'Sequential');
      return q.batchNorm('1', q.conv2d('0', x, { cin: ch[i], cout: hd, k: 1, bias: false }), hd);
    });
    const anchors = levels.reduce((p, v) => p + v.shape[1] * v.shape[2], 0);
    if (anchors < nq) throw new BuildError('size-vanishes', msg('ul.rtdetr-tokens', { queries: nq, tokens: anchors }));
    const tokens = inner.value([hd, anchors, 1]);
    const queries = inner.value([hd, nq, 1]);
    const boxes = inner.value([4, nq, 1]);
    // the decoder layers (clones: each has its own activation instance)
    const dec = inner.child('decoder', 'DeformableTransformerDecoder');
    const layers = dec.container('layers', 'ModuleList');
    for (let i = 0; i < ndl; i++) {
      const L = layers.child(String(i), 'DeformableTransformerDecoderLayer');
      L.attention('self_attn', queries, queries, queries, hd, nh);
      L.module('dropout1', 'Dropout');
      L.layerNorm('norm1', queries, hd);
      const ca = L.child('cross_attn', 'MSDeformAttn');
      const run = i <= evalIdx;
      const q = run ? ca : ca.unused();
      q.linear('sampling_offsets', queries, hd, nh * nl * ndp * 2, true);
      q.linear('attention_weights', queries, hd, nh * nl * ndp, true);
      q.linear('value_proj', tokens, hd, hd, true);
      q.linear('output_proj', queries, hd, hd, true);
      L.module('dropout2', 'Dropout');
      L.layerNorm('norm2', queries, hd);
      const f = run ? L : L.unused();
      f.linear('linear2', f.act('act', f.linear('linear1', queries, hd, a.d_ffn, true), act), a.d_ffn, hd, true);
      ['dropout3', 'dropout4'].forEach((n) => L.module(n, 'Dropout'));
      L.layerNorm('norm3', queries, hd);
    }
    inner.module('denoising_class_embed', 'Embedding', [['weight', [nc, hd]]]);
    if (a.learnt_init_query) inner.module('tgt_embed', 'Embedding', [['weight', [nq, hd]]]);
    // query_pos_head runs once per decoder layer on the reference boxes
    const posHead = (sc: Scope) => mlp(sc, 'query_pos_head', boxes, [4, 2 * hd, hd], 2);
    posHead(inner);
    for (let i = 1; i <= evalIdx; i++) posHead(inner.reuse());
    const enc = inner.container('enc_output', 'Sequential');
    enc.layerNorm('1', enc.linear('0', tokens, hd, hd, true), hd);
    inner.linear('enc_score_head', tokens, hd, nc, true);
    mlp(inner, 'enc_bbox_head', queries, [hd, hd, 4], 3);
    const scores = inner.container('dec_score_head', 'ModuleList');
    for (let i = 0; i < ndl; i++) (i === evalIdx ? scores : scores.unused()).linear(String(i), queries, hd, nc, true);
    const bbox = inner.container('dec_bbox_head', 'ModuleList');
    for (let i = 0; i < ndl; i++) mlp(i <= evalIdx ? bbox : bbox.unused(), String(i), queries, [hd, hd, 4], 3);
    const y = s.value([nq, 4 + nc]);
    s.op({
      kind: 'rtdetrDecoder',
      name: s.path.slice(0, -1),
      xs: xs.map((x) => x.id),
      y: y.id,
      nc,
      hd,
      nq,
      nh,
      ndp,
      ndl,
      evalIdx,
    });
    return y;
  },
};
