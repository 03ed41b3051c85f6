/**
 * Ultralytics modules written by hand (release 8.3.253), each saying why it is not a description:
 * - CBLinear returns a tuple of channel groups and CBFuse picks one group of each input: the picking needs the
 *   groups' widths, which parse_model keeps in its channel list, not in the module's arguments.
 * - Index and TorchVision take the row's first argument away (their widths are what the YAML says).
 * - AIFI, C2fAttn and ImagePoolingAttn use a second input (AIFI a fixed position embedding; the world models'
 *   text embeddings) and default activation instances shared between rows.
 * The text embeddings of the world models are values [K, dims] as PyTorch holds them (K = nc class prompts);
 * the modules read them as [dims, K, 1], one column per prompt, for their Linear layers.
 *
 * One file on purpose: the few modules the description format cannot express, each with its reason.
 */
import { BuildError, type ActSpec, type ModuleDef, type Pair, type Scope, type Value } from '../graph.ts';
import { isPyModule } from '../py.ts';
import { msg } from '../messages/index.ts';
import { commonArg } from './args.ts';

const M = 'ultralytics.nn.modules';

/** Text embeddings [K, dims] as [dims, K, 1] columns (Linear layers act on axis 0). */
export function textColumns(s: Scope, text: Value): Value {
  return s.reshape(s.permute(text, [1, 0]), [text.shape[1], text.shape[0], 1]);
}

export const CBLinear: ModuleDef = {
  name: 'CBLinear',
  torchPath: `${M}.block.CBLinear`,
  category: 'conv',
  description:
    "YOLOv9-e's auxiliary branch: one convolution whose output is split into groups of the given widths, for CBFuse rows to pick.",
  descriptions: { zh: 'YOLOv9-e 的辅助分支：一个卷积，其输出按给定宽度分组，供 CBFuse 行选取。' },
  parse: 'passthrough',
  args: [
    commonArg('c1', { required: true }),
    {
      name: 'c2s',
      type: 'ints',
      required: true,
      doc: 'the widths of the groups (not scaled)',
      docs: { zh: '各组的宽度（不乘宽度系数）' },
    },
    commonArg('k', { default: 1 }),
    commonArg('s', { default: 1 }),
    commonArg('p', { default: null }),
    { name: 'g', type: 'int', default: 1, doc: 'groups', docs: { zh: '分组数' } },
  ],
  build(s, a, [x]) {
    const c2s: number[] = Array.isArray(a.c2s) ? a.c2s : [a.c2s];
    const k = typeof a.k === 'number' ? a.k : a.k[0];
    const total = c2s.reduce((p, c) => p + c, 0);
    // the tuple of groups travels as one value; CBFuse slices the group it needs
    return s.conv2d('conv', x, {
      cin: a.c1,
      cout: total,
      k: a.k,
      s: a.s,
      p: a.p === null || a.p === undefined ? Math.floor(k / 2) : a.p,
      groups: a.g,
      bias: true,
    });
  },
};

export const CBFuse: ModuleDef = {
  name: 'CBFuse',
  torchPath: `${M}.block.CBFuse`,
  category: 'merge',
  description:
    "YOLOv9-e's fusion: from each CBLinear input the group idx[i], resized (nearest) to the last input's size, summed with the last input.",
  descriptions: {
    zh: 'YOLOv9-e 的融合：从每个 CBLinear 输入取第 idx[i] 组，按最近邻缩放到最后一个输入的尺寸，与最后一个输入相加。',
  },
  parse: 'passthrough',
  multiInput: true,
  args: [
    {
      name: 'idx',
      type: 'ints',
      required: true,
      doc: 'which group of each CBLinear input',
      docs: { zh: '从每个 CBLinear 输入中取哪一组' },
    },
    {
      name: 'groups',
      type: 'any',
      default: [],
      doc: "the CBLinear inputs' widths (from parse_model's channel list)",
      docs: { zh: 'CBLinear 输入的各组宽度（来自 parse_model 的通道列表）' },
    },
  ],
  build(s, a, xs) {
    const idx: number[] = a.idx;
    const groups: unknown[] = a.groups;
    const last = xs[xs.length - 1];
    const size: Pair = [last.shape[1], last.shape[2]];
    const picked = xs.slice(0, -1).map((x, i) => {
      const widths = groups[i];
      if (!Array.isArray(widths)) throw new BuildError('bad-from', msg('ul.cbfuse-not-cblinear', { input: i }));
      const j = idx[i];
      if (!Number.isInteger(j) || j < 0 || j >= widths.length)
        throw new BuildError('bad-args', msg('ul.cbfuse-group', { group: String(j), groups: widths.length }));
      const start = widths.slice(0, j).reduce((p: number, c: number) => p + c, 0);
      return s.resize(s.slice(x, start, start + widths[j]), size);
    });
    return [...picked, last].reduce((acc, v) => s.add(acc, v, msg('ul.part.cbfuse-sum')));
  },
};

export const Index: ModuleDef = {
  name: 'Index',
  torchPath: `${M}.conv.Index`,
  category: 'merge',
  description: 'Picks one output of a layer that returns several (a TorchVision backbone with split=True).',
  descriptions: { zh: '从返回多个输出的层中取出一个（split=True 的 TorchVision 主干）。' },
  parse: 'passthrough',
  args: [{ name: 'index', type: 'int', default: 0, doc: 'which output', docs: { zh: '取第几个输出' } }],
  build() {
    throw new BuildError('not-supported', msg('ul.index-not-computed'));
  },
};

/** Shared default activation instance of a module's signature (`act=nn.GELU()`). */
function defaultAct(v: unknown, fallback: ActSpec): ActSpec {
  if (v && typeof v === 'object' && 'type' in v) return v as ActSpec;
  if (isPyModule(v))
    return {
      type: v.module.replace(/^(torch\.)?nn\./, '') as ActSpec['type'],
      ...(v.shared ? { shared: v.shared } : {}),
    };
  return fallback;
}

export const AIFI: ModuleDef = {
  name: 'AIFI',
  torchPath: `${M}.transformer.AIFI`,
  category: 'attention',
  description:
    "RT-DETR's intra-scale interaction: a transformer encoder layer over the map's positions, with a fixed 2-D sin-cos position embedding.",
  descriptions: {
    zh: 'RT-DETR 的尺度内交互：在特征图各位置上的一层 Transformer 编码器，使用固定的二维正余弦位置编码。',
  },
  parse: 'passthrough',
  args: [
    {
      name: 'c1',
      type: 'int',
      required: true,
      doc: 'channels (parse_model gives the input channels)',
      docs: { zh: '通道数（parse_model 给出输入通道数）' },
    },
    { name: 'cm', type: 'int', default: 2048, doc: 'feed-forward width', docs: { zh: '前馈层宽度' } },
    commonArg('num_heads', { default: 8 }),
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
      default: { module: 'nn.GELU', args: [], shared: 'AIFI.act' },
      doc: 'feed-forward activation (one GELU shared by every AIFI)',
      docs: { zh: '前馈层的激活函数（所有 AIFI 共用一个 GELU）' },
    },
    {
      name: 'normalize_before',
      type: 'bool',
      default: false,
      doc: 'layer norm before (True) or after each step',
      docs: { zh: '层归一化在每一步之前（True）或之后' },
    },
  ],
  build(s, a, [x]) {
    const c: number = a.c1;
    s.expectChannels(x, c);
    const act = defaultAct(a.act, { type: 'GELU' });
    const pos = s.posEmbed(c, x.shape[1], x.shape[2]);
    // registration order: ma, fc1, fc2, norm1, norm2, dropout, dropout1, dropout2, act
    const attend = (v: Value) => {
      const q = s.add(v, pos, msg('part.position-embedding'));
      return s.attention('ma', q, q, v, c, a.num_heads);
    };
    const ffn = (v: Value, first: boolean) => {
      const h = s.linear('fc1', v, c, a.cm, true);
      const y = s.linear('fc2', s.act('act', h, act), a.cm, c, true);
      if (first) ['dropout', 'dropout1', 'dropout2'].forEach((n) => s.module(n, 'Dropout'));
      return y;
    };
    if (a.normalize_before) {
      const n1 = s.layerNorm('norm1', x, c);
      const x1 = s.add(x, attend(n1));
      const n2 = s.layerNorm('norm2', x1, c);
      return s.add(x1, ffn(n2, true));
    }
    const x1 = s.layerNorm('norm1', s.add(x, attend(x)), c);
    const f = ffn(x1, true);
    return s.layerNorm('norm2', s.add(x1, f), c);
  },
};

/** MaxSigmoidAttnBlock: per head, the maximum over the text prompts of the embedding's agreement gates the map. */
function maxSigmoidAttn(
  s: Scope,
  x: Value,
  text: Value,
  o: { c1: number; c2: number; nh: number; ec: number; gc: number; scale: boolean },
): Value {
  const hc = Math.floor(o.c2 / o.nh);
  let embed = x;
  if (o.c1 !== o.ec) embed = s.call('ec', 'Conv', [o.c1, o.ec, 1, 1, null, 1, 1, false], [x]);
  const guide = s.linear('gl', text, o.gc, o.ec, true);
  const bias = s.param('bias', [o.nh, 1, 1], [o.nh]);
  const proj = s.call('proj_conv', 'Conv', [o.c1, o.c2, 3, 1, null, 1, 1, false], [x]);
  const scale = o.scale ? s.param('scale', [o.nh, 1, 1], [1, o.nh, 1, 1]) : undefined;
  const [h, w] = [x.shape[1], x.shape[2]];
  // aw[m, hw] = max_k (embed[m, :, hw] . guide[m, :, k]) / sqrt(hc) + bias[m]
  const e = s.reshape(embed, [o.nh, hc, h * w]);
  const g = s.reshape(guide, [o.nh, hc, -1]);
  let aw = s.reduce(s.matmul(e, g, true, false), 'max', 'w');
  aw = s.add(s.scale(aw, 1 / Math.sqrt(hc)), bias, msg('ul.part.attention-bias'), true);
  aw = s.fn(aw, { type: 'Sigmoid' });
  if (scale) aw = s.mul(aw, scale);
  const gated = s.mul(s.reshape(proj, [o.nh, -1, h * w]), s.permute(aw, [0, 2, 1]));
  return s.reshape(gated, [o.c2, h, w]);
}

export const C2fAttn: ModuleDef = {
  name: 'C2fAttn',
  torchPath: `${M}.block.C2fAttn`,
  category: 'attention',
  description:
    "YOLO-World's C2f with max-sigmoid attention: C2f's pieces plus one more, the last piece gated by its agreement with the class-prompt text embeddings.",
  descriptions: {
    zh: 'YOLO-World 带最大 sigmoid 注意力的 C2f：在 C2f 的各部分之外多一部分，由它与类别提示文本嵌入的匹配程度加权。',
  },
  parse: 'channelsRepeat',
  args: [
    commonArg('c1', { required: true }),
    commonArg('c2', { required: true }),
    commonArg('n', { default: 1 }),
    {
      name: 'ec',
      type: 'int',
      default: 128,
      doc: 'embedding channels (scaled by parse_model)',
      docs: { zh: '嵌入通道数（由 parse_model 缩放）' },
    },
    {
      name: 'nh',
      type: 'int',
      default: 1,
      doc: 'heads (scaled by parse_model)',
      docs: { zh: '头数（由 parse_model 缩放）' },
    },
    { name: 'gc', type: 'int', default: 512, doc: 'text embedding width', docs: { zh: '文本嵌入宽度' } },
    commonArg('shortcut', { default: false }),
    commonArg('g', { default: 1 }),
    commonArg('e', { default: 0.5 }),
  ],
  build(s, a, [x, prompts]) {
    if (!prompts) throw new BuildError('needs-text', msg('ul.c2fattn-needs-text'));
    const text = textColumns(s, prompts);
    const c = Math.trunc(a.c2 * a.e);
    const y = s.call('cv1', 'Conv', [a.c1, 2 * c, 1, 1], [x]);
    const pieces = s.split(y, [c, c]);
    const m = s.container('m', 'ModuleList');
    for (let i = 0; i < a.n; i++)
      pieces.push(
        m.call(
          String(i),
          'Bottleneck',
          [
            c,
            c,
            a.shortcut,
            a.g,
            [
              [3, 3],
              [3, 3],
            ],
            1.0,
          ],
          [pieces[pieces.length - 1]],
        ),
      );
    const attn = s.child('attn', 'MaxSigmoidAttnBlock');
    pieces.push(
      maxSigmoidAttn(attn, pieces[pieces.length - 1], text, {
        c1: c,
        c2: c,
        nh: a.nh,
        ec: a.ec,
        gc: a.gc,
        scale: false,
      }),
    );
    return s.call('cv2', 'Conv', [(3 + a.n) * c, a.c2, 1], [s.cat(pieces)]);
  },
};

export const ImagePoolingAttn: ModuleDef = {
  name: 'ImagePoolingAttn',
  torchPath: `${M}.block.ImagePoolingAttn`,
  category: 'attention',
  description:
    "YOLO-World's image-pooling attention: the text embeddings attend to k x k max-pooled patches of each level; its output is the updated text, read by the later C2fAttn rows.",
  descriptions: {
    zh: 'YOLO-World 的图像池化注意力：文本嵌入关注每层 k x k 最大池化后的图块；输出为更新后的文本，供后面的 C2fAttn 行读取。',
  },
  parse: 'detect',
  multiInput: true,
  args: [
    { name: 'ec', type: 'int', default: 256, doc: 'embedding channels', docs: { zh: '嵌入通道数' } },
    {
      name: 'ch',
      type: 'channels',
      default: [],
      doc: 'input channels per level (set by parse_model)',
      docs: { zh: '每个层级的输入通道数（由 parse_model 设定）' },
    },
    { name: 'ct', type: 'int', default: 512, doc: 'text embedding width', docs: { zh: '文本嵌入宽度' } },
    { name: 'nh', type: 'int', default: 8, doc: 'heads', docs: { zh: '头数' } },
    { name: 'k', type: 'int', default: 3, doc: 'pooled patch grid', docs: { zh: '池化后的网格大小（k x k）' } },
    { name: 'scale', type: 'bool', default: false, doc: 'a learned output scale', docs: { zh: '可学习的输出缩放' } },
  ],
  build(s, a, xs) {
    const text = textColumns(s, xs[xs.length - 1]);
    const levels = xs.slice(0, -1);
    const ch: number[] = a.ch;
    if (ch.length !== levels.length) throw new BuildError('bad-args', msg('ul.pooling-channels'));
    const seq = (name: string, c: number, cout: number, v: Value) => {
      const q = s.container(name, 'Sequential');
      return q.linear('1', q.layerNorm('0', v, c), c, cout, true);
    };
    const q = seq('query', a.ct, a.ec, text);
    const projections = s.container('projections', 'ModuleList');
    const pools = s.container('im_pools', 'ModuleList');
    const patches = levels.map((x, i) => {
      const p = projections.conv2d(String(i), x, { cin: ch[i], cout: a.ec, k: 1, bias: true });
      pools.child(String(i), 'AdaptiveMaxPool2d');
      return s.reshape(s.adaptivePool(p, 'max', [a.k, a.k]), [a.ec, -1, 1]);
    });
    const tokens = s.cat(patches, 1);
    const k = seq('key', a.ec, a.ec, tokens);
    const v = seq('value', a.ec, a.ec, tokens);
    const hc = Math.floor(a.ec / a.nh);
    const qh = s.reshape(q, [a.nh, hc, -1]);
    const kh = s.reshape(k, [a.nh, hc, -1]);
    const vh = s.reshape(v, [a.nh, hc, -1]);
    const aw = s.softmax(s.scale(s.matmul(qh, kh, true, false), 1 / Math.sqrt(hc)), -1);
    const att = s.reshape(s.matmul(vh, aw, false, true), [a.ec, -1, 1]);
    let out = s.linear('proj', att, a.ec, a.ct, true);
    if (a.scale) out = s.mul(out, s.param('scale', [1, 1, 1], [1]));
    const y = s.add(out, text, msg('ul.part.text-residual'));
    return s.reshape(s.permute(y, [1, 0, 2]), [y.shape[1], y.shape[0]]);
  },
};

/** torchvision's ResNets (torchvision.models.resnet): block kind and blocks per stage. */
const RESNETS: Record<string, { bottleneck: boolean; layers: number[]; groups?: number; width?: number }> = {
  resnet18: { bottleneck: false, layers: [2, 2, 2, 2] },
  resnet34: { bottleneck: false, layers: [3, 4, 6, 3] },
  resnet50: { bottleneck: true, layers: [3, 4, 6, 3] },
  resnet101: { bottleneck: true, layers: [3, 4, 23, 3] },
  resnet152: { bottleneck: true, layers: [3, 8, 36, 3] },
  resnext50_32x4d: { bottleneck: true, layers: [3, 4, 6, 3], groups: 32, width: 4 },
  resnext101_32x8d: { bottleneck: true, layers: [3, 4, 23, 3], groups: 32, width: 8 },
  wide_resnet50_2: { bottleneck: true, layers: [3, 4, 6, 3], width: 128 },
  wide_resnet101_2: { bottleneck: true, layers: [3, 4, 23, 3], width: 128 },
};

/** One torchvision ResNet block (BasicBlock or Bottleneck): its modules, in registration order, and its forward. */
function resnetBlock(
  s: Scope,
  x: Value,
  o: { inplanes: number; planes: number; stride: number; bottleneck: boolean; groups: number; width: number },
): Value {
  const exp = o.bottleneck ? 4 : 1;
  const w = o.bottleneck ? Math.floor(o.planes * (o.width / 64)) * o.groups : o.planes;
  const relu: ActSpec = { type: 'ReLU' };
  let y: Value;
  if (o.bottleneck) {
    y = s.batchNorm('bn1', s.conv2d('conv1', x, { cin: o.inplanes, cout: w, k: 1 }), w);
    y = s.act('relu', y, relu);
    y = s.batchNorm('bn2', s.conv2d('conv2', y, { cin: w, cout: w, k: 3, s: o.stride, p: 1, groups: o.groups }), w);
    y = s.reuse().act('relu', y, relu);
    y = s.batchNorm('bn3', s.conv2d('conv3', y, { cin: w, cout: o.planes * exp, k: 1 }), o.planes * exp);
  } else {
    y = s.batchNorm('bn1', s.conv2d('conv1', x, { cin: o.inplanes, cout: w, k: 3, s: o.stride, p: 1 }), w);
    y = s.act('relu', y, relu);
    y = s.batchNorm('bn2', s.conv2d('conv2', y, { cin: w, cout: w, k: 3, p: 1 }), w);
  }
  let id = x;
  if (o.stride !== 1 || o.inplanes !== o.planes * exp) {
    const ds = s.container('downsample', 'Sequential');
    id = ds.batchNorm(
      '1',
      ds.conv2d('0', x, { cin: o.inplanes, cout: o.planes * exp, k: 1, s: o.stride }),
      o.planes * exp,
    );
  }
  return s.reuse().act('relu', s.add(y, id), relu);
}

/** torchvision's ResNet children in order: conv1, bn1, relu, maxpool, layer1..4, avgpool, fc. */
function resnet(s: Scope, x: Value, name: string, keep: number): Value {
  const cfg = RESNETS[name];
  const exp = cfg.bottleneck ? 4 : 1;
  const children: ((v: Value) => Value)[] = [
    (v) => s.conv2d('0', v, { cin: 3, cout: 64, k: 7, s: 2, p: 3 }),
    (v) => s.batchNorm('1', v, 64),
    (v) => s.act('2', v, { type: 'ReLU' }),
    (v) => s.maxPool('3', v, { k: 3, s: 2, p: 1 }),
  ];
  let inplanes = 64;
  cfg.layers.forEach((blocks, k) => {
    const planes = 64 * 2 ** k;
    const stride = k === 0 ? 1 : 2;
    const from = inplanes;
    children.push((v) => {
      const layer = s.container(String(4 + k), 'Sequential');
      let y = v;
      for (let b = 0; b < blocks; b++) {
        const blk = layer.child(String(b), cfg.bottleneck ? 'Bottleneck' : 'BasicBlock');
        y = resnetBlock(blk, y, {
          inplanes: b === 0 ? from : planes * exp,
          planes,
          stride: b === 0 ? stride : 1,
          bottleneck: cfg.bottleneck,
          groups: cfg.groups ?? 1,
          width: cfg.width ?? 64,
        });
      }
      return y;
    });
    inplanes = planes * exp;
  });
  children.push((v) => {
    s.child('8', 'AdaptiveAvgPool2d');
    return s.reduce(v, 'mean', 'hw');
  });
  children.push((v) => s.linear('9', v, 512 * exp, 1000, true));
  return children.slice(0, keep).reduce((v, f) => f(v), x);
}

export const TorchVision: ModuleDef = {
  name: 'TorchVision',
  torchPath: `${M}.block.TorchVision`,
  category: 'conv',
  description:
    "A torchvision model as a backbone (its weights come from torchvision, e.g. resnet18's ImageNet weights), its last children cut off.",
  descriptions: {
    zh: '以 torchvision 模型作主干（其权重来自 torchvision，例如 resnet18 的 ImageNet 权重），去掉最后若干子模块。',
  },
  parse: 'passthrough',
  args: [
    {
      name: 'model',
      type: 'str',
      required: true,
      doc: "torchvision model name, e.g. 'resnet18'",
      docs: { zh: "torchvision 模型名，如 'resnet18'" },
    },
    {
      name: 'weights',
      type: 'any',
      default: 'DEFAULT',
      doc: "torchvision weights ('DEFAULT': pretrained)",
      docs: { zh: "torchvision 权重（'DEFAULT'：预训练）" },
    },
    {
      name: 'unwrap',
      type: 'bool',
      default: true,
      doc: 'keep the children as a Sequential',
      docs: { zh: '将子模块保留为 Sequential' },
    },
    {
      name: 'truncate',
      type: 'int',
      default: 2,
      doc: 'children cut off the end',
      docs: { zh: '从末尾去掉的子模块个数' },
    },
    {
      name: 'split',
      type: 'bool',
      default: false,
      doc: 'return every child output (read with Index)',
      docs: { zh: '返回每个子模块的输出（用 Index 读取）' },
    },
  ],
  build(s, a, [x]) {
    const name = String(a.model);
    const c2 = s.b.opts.attrs?.declaredChannels as number | undefined;
    if (a.weights !== null && a.weights !== undefined && a.weights !== false)
      s.note('info', 'torchvision-weights', msg('ul.torchvision-weights', { model: name, weights: String(a.weights) }));
    if (!Object.prototype.hasOwnProperty.call(RESNETS, name) || !a.unwrap || a.split) {
      s.note(
        'warning',
        'torchvision-unknown',
        msg('ul.torchvision-unknown', {
          model: name,
          unwrap: !!a.unwrap,
          split: !!a.split,
          channels: String(c2 ?? '?'),
        }),
      );
      return s.value([c2 ?? NaN, NaN, NaN]);
    }
    s.expectChannels(x, 3);
    const m = s.container('m', 'Sequential');
    const y = resnet(m, x, name, 10 - (a.truncate ?? 0));
    if (c2 !== undefined && y.shape[0] !== c2)
      s.note(
        'warning',
        'channel-bookkeeping',
        msg('ul.torchvision-cut', { model: name, children: 10 - a.truncate, channels: y.shape[0], declared: c2 }),
      );
    return y;
  },
};
