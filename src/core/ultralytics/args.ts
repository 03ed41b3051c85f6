/**
 * What each argument of Ultralytics' blocks (blocks.ts) is: its type (checked before the build, as the module
 * would fail in PyTorch) and its help in English and Chinese, shown in the inspector as YOLOv5's modules' are.
 * One table: the meaning most blocks share by argument name, then what a block means otherwise.
 * Written from reading ultralytics/nn/modules/{conv,block,head}.py (release 8.3.253).
 */
import type { ArgSpec, ArgType } from '../graph.ts';
import type { ModuleArg, ModuleSpec } from '../custom/spec.ts';

interface Help {
  type: ArgType;
  en: string;
  zh: string;
}

const h = (type: ArgType, en: string, zh: string): Help => ({ type, en, zh });

/** The meaning an argument name has in most blocks. */
const COMMON = {
  c1: h('int', 'input channels (from the layer it reads)', '输入通道数（来自它读取的层）'),
  c2: h('int', 'output channels (before the width multiple)', '输出通道数（乘宽度系数之前）'),
  n: h(
    'int',
    "number of inner blocks (the row's number, after the depth multiple)",
    '内部模块的个数（该行的 number，乘深度系数之后）',
  ),
  shortcut: h('bool', 'residual connections in the inner blocks', '内部模块中的残差连接'),
  g: h('int', 'groups of the inner convolutions', '内部卷积的分组数'),
  e: h('float', 'hidden channel expansion (hidden = int(c2 * e))', '隐藏通道的扩展比例（隐藏通道 = int(c2 * e)）'),
  k: h('intOrPair', 'kernel size', '卷积核大小'),
  s: h('intOrPair', 'stride', '步长'),
  p: h('pairOrNone', 'padding (None: same)', '填充（None：保持尺寸）'),
  d: h('int', 'dilation', '膨胀率'),
  act: h(
    'act',
    'activation: True for the default (SiLU), False for none, or a module',
    '激活函数：True 为默认（SiLU），False 为不用激活，或一个模块',
  ),
  dim: h('int', 'channels (in and out)', '通道数（输入与输出）'),
  num_heads: h('int', 'attention heads', '注意力头数'),
  attn_ratio: h('float', "key width as a fraction of a head's width", '键的宽度占每个头宽度的比例'),
  area: h(
    'int',
    'areas the feature map is cut into for attention (1: the whole map)',
    '注意力时特征图切分的区域数（1：整张图）',
  ),
  mlp_ratio: h('float', 'MLP hidden width as a multiple of the channels', 'MLP 隐藏宽度为通道数的倍数'),
  lk: h(
    'bool',
    'a large-kernel RepVGGDW (7x7 and 3x3 depth-wise) in the middle',
    '中间用大核 RepVGGDW（7x7 与 3x3 深度卷积）',
  ),
  cm: h('int', 'middle channels', '中间通道数'),
} satisfies Record<string, Help>;

const bottleneckK = h('intOrPair', 'kernel sizes of the two convolutions (a pair)', '两个卷积的核大小（一对）');
const elanC3 = h('int', 'channels of the first 1x1 Conv (split in two)', '第一个 1x1 Conv 的通道数（一分为二）');

/** What an argument means in a block when not what COMMON says. */
const BLOCK: Record<string, Record<string, Help>> = {
  Bottleneck: {
    shortcut: h('bool', 'add the input (when c1 == c2)', '加上输入（c1 == c2 时）'),
    g: h('int', 'groups of the second convolution', '第二个卷积的分组数'),
    k: bottleneckK,
  },
  RepBottleneck: {
    shortcut: h('bool', 'add the input (when c1 == c2)', '加上输入（c1 == c2 时）'),
    g: h('int', 'groups of the second convolution', '第二个卷积的分组数'),
    k: bottleneckK,
  },
  C1: {
    n: h(
      'int',
      "number of 3x3 Convs (the row's number, after the depth multiple)",
      '3x3 Conv 的个数（该行的 number，乘深度系数之后）',
    ),
  },
  C3k: { k: h('int', "the bottlenecks' kernel size", '瓶颈块的卷积核大小') },
  C3k2: {
    c3k: h(
      'bool',
      'C3k blocks inside instead of Bottlenecks (forced on for scales m, l, x)',
      '内部用 C3k 代替 Bottleneck（m、l、x 规模强制打开）',
    ),
  },
  ConvTranspose: {
    k: h('intOrPair', 'kernel size of the transposed convolution', '转置卷积的核大小'),
    s: h('intOrPair', 'stride (the upsampling factor)', '步长（上采样倍数）'),
    p: h('intOrPair', 'padding', '填充'),
    bn: h(
      'bool',
      'batch norm after the transposed convolution (else it has a bias)',
      '转置卷积后接批归一化（否则卷积带偏置）',
    ),
  },
  Conv2: {
    k: h(
      'intOrPair',
      'kernel size of the main convolution (a 1x1 runs beside it)',
      '主卷积的核大小（旁边并行一个 1x1 卷积）',
    ),
  },
  RepConv: {
    k: h(
      'intOrPair',
      'kernel size of the main branch (a 1x1 branch runs beside it)',
      '主分支的核大小（旁边并行一个 1x1 分支）',
    ),
    p: h('pairOrNone', 'padding of the main branch', '主分支的填充'),
    g: h('int', 'groups', '分组数'),
    bn: h(
      'bool',
      'a third, batch-norm-only identity branch (needs c1 == c2 and s == 1)',
      '第三条只有批归一化的恒等分支（需要 c1 == c2 且 s == 1）',
    ),
    deploy: h(
      'bool',
      'unused when building (Ultralytics fuses the branches in fuse())',
      '构建时不使用（Ultralytics 在 fuse() 中融合分支）',
    ),
  },
  LightConv: {
    k: h('intOrPair', "the depth-wise convolution's kernel size", '深度卷积的核大小'),
    act: h('act', 'activation of the depth-wise convolution (default ReLU)', '深度卷积的激活函数（默认 ReLU）'),
  },
  RepC3: {
    n: h(
      'int',
      "number of RepConvs (the row's number, after the depth multiple)",
      'RepConv 的个数（该行的 number，乘深度系数之后）',
    ),
  },
  RepNCSPELAN4: {
    c3: elanC3,
    c4: h('int', 'channels of each RepCSP branch', '每个 RepCSP 分支的通道数'),
    n: h('int', 'bottlenecks in each RepCSP', '每个 RepCSP 中的瓶颈块个数'),
  },
  ELAN1: { c3: elanC3, c4: h('int', 'channels of each 3x3 Conv branch', '每个 3x3 Conv 分支的通道数') },
  SPPELAN: {
    c3: h('int', 'hidden channels (the pooled ones)', '隐藏通道数（被池化的部分）'),
    k: h('int', 'max-pool kernel size', '最大池化的核大小'),
  },
  SCDown: {
    k: h('int', "the depth-wise convolution's kernel size", '深度卷积的核大小'),
    s: h('int', "the depth-wise convolution's stride", '深度卷积的步长'),
  },
  RepVGGDW: { ed: h('int', 'channels (in and out)', '通道数（输入与输出）') },
  CIB: { shortcut: h('bool', 'add the input (when c1 == c2)', '加上输入（c1 == c2 时）') },
  PSABlock: {
    c: h('int', 'channels (in and out)', '通道数（输入与输出）'),
    shortcut: h('bool', 'residual connections around the attention and the feed-forward', '注意力和前馈两处的残差连接'),
  },
  PSA: {
    e: h(
      'float',
      'hidden expansion: cv1 gives 2 * int(c1 * e) channels, one half goes through attention',
      '隐藏通道比例：cv1 输出 2 * int(c1 * e) 个通道，其中一半经过注意力',
    ),
  },
  A2C2f: {
    a2: h('bool', 'area-attention blocks (ABlock) inside instead of C3k', '内部用区域注意力块（ABlock）代替 C3k'),
    residual: h('bool', 'a learned, layer-scaled residual around the blocks', '在内部模块外加可学习缩放的残差'),
    mlp_ratio: h('float', "the ABlocks' MLP width as a multiple of the channels", 'ABlock 中 MLP 宽度为通道数的倍数'),
  },
  HGStem: { cm: h('int', 'channels of the stem convolutions', '起始卷积的通道数') },
  HGBlock: {
    cm: h('int', 'channels of each inner convolution', '每个内部卷积的通道数'),
    k: h('int', 'kernel size of the inner convolutions', '内部卷积的核大小'),
    n: h('int', 'number of inner convolutions', '内部卷积的个数'),
    lightconv: h('bool', 'LightConv inner convolutions instead of Conv', '内部用 LightConv 代替 Conv'),
    shortcut: h('bool', 'add the input (when c1 == c2)', '加上输入（c1 == c2 时）'),
    act: h('act', 'activation of the inner convolutions (default ReLU)', '内部卷积的激活函数（默认 ReLU）'),
  },
  ResNetBlock: {
    s: h('int', 'stride of the 3x3 convolution', '3x3 卷积的步长'),
    e: h('int', 'expansion: the block gives e * c2 channels', '扩展倍数：输出 e * c2 个通道'),
  },
  ResNetLayer: {
    s: h('int', 'stride of the first block', '第一个块的步长'),
    is_first: h(
      'bool',
      'the stem (7x7 Conv and max pool) instead of blocks',
      '起始层（7x7 Conv 和最大池化）而非残差块',
    ),
    n: h('int', 'number of ResNetBlocks', 'ResNetBlock 的个数'),
    e: h('int', 'expansion: each block gives e * c2 channels', '扩展倍数：每个块输出 e * c2 个通道'),
  },
  Proto: {
    c_: h('int', 'hidden channels of the prototype convolutions', '原型卷积的隐藏通道数'),
    c2: h('int', 'number of mask prototypes', '掩码原型的个数'),
  },
  DFL: { c1: h('int', 'bins per box side (reg_max)', '每条边的区间数（reg_max）') },
  Classify: {
    c2: h('int', 'number of classes', '类别数'),
    k: h('intOrPair', "the first Conv's kernel size", '第一个 Conv 的核大小'),
    s: h('intOrPair', "the first Conv's stride", '第一个 Conv 的步长'),
    p: h('pairOrNone', "the first Conv's padding (None: same)", '第一个 Conv 的填充（None：保持尺寸）'),
    g: h('int', "the first Conv's groups", '第一个 Conv 的分组数'),
  },
};

/** An argument's help in a block: the block's own meaning, else the shared one (undefined when neither says). */
export function blockArgHelp(block: string, arg: string): Help | undefined {
  return BLOCK[block]?.[arg] ?? (Object.hasOwn(COMMON, arg) ? (COMMON as Record<string, Help>)[arg] : undefined);
}

/** A description with its arguments' types and help filled from the table (what it says itself is kept). */
export function withArgHelp(spec: ModuleSpec): ModuleSpec {
  const args = spec.args.map((a): ModuleArg => {
    const help = blockArgHelp(spec.name, a.name);
    if (!help) return a;
    return { ...a, type: a.type ?? help.type, doc: a.doc ?? { en: help.en, zh: help.zh } };
  });
  return { ...spec, args };
}

/**
 * An argument of a hand-written module (special.ts) that means what the name means in most blocks: its type and
 * help from COMMON, so that meaning is written once; `rest` gives its default or says it is required.
 */
export function commonArg(name: keyof typeof COMMON, rest: Pick<ArgSpec, 'default' | 'required'> = {}): ArgSpec {
  const help = COMMON[name];
  return { name, type: help.type, ...rest, doc: help.en, docs: { zh: help.zh } };
}
