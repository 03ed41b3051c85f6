/**
 * Ultralytics' building blocks (release 8.3.253), each one description in the module format users write
 * (src/core/custom/spec.ts): arguments as the Python constructor takes them, hidden widths, and the inside as
 * nodes. Parameters, FLOPs, shapes and the "look inside" view all come from these. Written from reading
 * ultralytics/nn/modules/{conv,block}.py (nothing copied); the inner attribute names are the state_dict names.
 *
 * Module registration order inside a block does not always follow the Python class (counts and names do).
 *
 * Long on purpose: one description per block, in block.py's order.
 */
import { parseModuleLibrary, type ModuleLibrary } from '../custom/library.ts';
import { at } from '../modules/define.ts';
import { argSpecs } from '../custom/interpret.ts';
import { withArgHelp } from './args.ts';

const M = 'ultralytics.nn.modules';
/** The Python module each description's class lives in (block.py unless listed). */
const CONV = new Set(['ConvTranspose', 'Conv2', 'RepConv', 'LightConv']);
const HEAD = new Set(['Classify']);
const home = (name: string) => `${M}.${CONV.has(name) ? 'conv' : HEAD.has(name) ? 'head' : 'block'}`;

/** C3 and C3x, which differ only in their bottlenecks' kernels (C3x is C3 with its m replaced). */
const c3 = (name: string, description: string, zh: string, kernels: string) => `${name}:
  description:
    en: ${description}
    zh: ${zh}
  family: csp
  parse: channelsRepeat
  args: [c1, c2, n=1, shortcut=True, g=1, e=0.5]
  vars: {c_: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv1}
    - {id: b, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv2}
    - {id: m, op: Bottleneck, args: [c_, c_, shortcut, g, ${kernels}, 1.0], in: a, repeat: n}
    - {id: cat, op: cat, in: [m, b]}
    - {id: y, op: Conv, args: [2 * c_, c2, 1], name: cv3}
`;

/** Bottleneck and RepBottleneck, which differ only in their first convolution (RepBottleneck's is a RepConv). */
const bottleneck = (name: string, first: string, description: string, zh: string, internal = false) => `${name}:
  description:
    en: ${description}
    zh: ${zh}
  family: csp${internal ? '\n  internal: true' : ''}
  args: [c1, c2, shortcut=True, g=1, 'k=(3, 3)', e=0.5]
  vars: {c_: int(c2 * e)}
  body:
    - {id: a, op: ${first}, args: [c1, c_, 'k[0]', 1], in: x, name: cv1}
    - {id: b, op: Conv, args: [c_, c2, 'k[1]', 1, None, g], name: cv2}
    - {id: y, op: add, in: [x, b], when: shortcut and c1 == c2}
`;

export const ULTRALYTICS_BLOCKS_YAML = `
${bottleneck(
  'Bottleneck',
  'Conv',
  'Two convolutions with kernels k[0] and k[1] on int(c2 * e) hidden channels; the input is added when shortcut is on and c1 == c2.',
  '两个卷积（核为 k[0] 和 k[1]），隐藏通道为 int(c2 * e)；shortcut 打开且 c1 == c2 时加上输入。',
)}
C1:
  description:
    en: One 1x1 Conv, then n 3x3 Convs added back to it.
    zh: 一个 1x1 Conv，再接 n 个 3x3 Conv，结果与 1x1 Conv 的输出相加。
  family: csp
  parse: channelsRepeat
  args: [c1, c2, n=1]
  body:
    - {id: a, op: Conv, args: [c1, c2, 1, 1], in: x, name: cv1}
    - {id: m, op: Conv, args: [c2, c2, 3], repeat: n}
    - {id: y, op: add, in: [m, a]}

C2:
  description:
    en: CSP bottleneck with 2 convolutions; n bottlenecks on one half of the channels.
    zh: 两个卷积的 CSP 瓶颈：n 个瓶颈块作用在一半通道上。
  family: csp
  parse: channelsRepeat
  args: [c1, c2, n=1, shortcut=True, g=1, e=0.5]
  vars: {c: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, 2 * c, 1, 1], in: x, name: cv1}
    - {id: p, op: chunk, args: [2]}
    - {id: m, op: Bottleneck, args: [c, c, shortcut, g, [[3, 3], [3, 3]], 1.0], in: p.0, repeat: n}
    - {id: cat, op: cat, in: [m, p.1]}
    - {id: y, op: Conv, args: [2 * c, c2, 1], name: cv2}

C2f:
  description:
    en: Faster CSP bottleneck (YOLOv8) - the 1x1 Conv's output split in two, n bottlenecks chained on the second half, every piece concatenated into a 1x1 Conv.
    zh: 更快的 CSP 瓶颈（YOLOv8）：1x1 Conv 的输出一分为二，n 个瓶颈块串联在后一半上，所有部分拼接后进入 1x1 Conv。
  family: csp
  parse: channelsRepeat
  args: [c1, c2, n=1, shortcut=False, g=1, e=0.5]
  vars: {c: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, 2 * c, 1, 1], in: x, name: cv1}
    - {id: p, op: chunk, args: [2]}
    - {id: 'b{i}', op: Bottleneck, args: [c, c, shortcut, g, [[3, 3], [3, 3]], 1.0], name: 'm.{i}', for: {i: range(n)}}
    - {id: cat, op: cat, in: [p.0, p.1, 'b{i} for i in range(n)']}
    - {id: y, op: Conv, args: [(2 + n) * c, c2, 1], name: cv2}

${c3(
  'C3',
  'CSP bottleneck with 3 convolutions - n bottlenecks on one branch, a 1x1 Conv on the other, concatenated into a 1x1 Conv.',
  '三个卷积的 CSP 瓶颈：一条分支上 n 个瓶颈块，另一条为 1x1 Conv，拼接后进入 1x1 Conv。',
  '[[1, 1], [3, 3]]',
)}
${c3('C3x', 'C3 whose bottlenecks are cross convolutions (1x3 then 3x1).', '瓶颈块为交叉卷积（先 1x3 再 3x1）的 C3。', '[[1, 3], [3, 1]]')}
C3k:
  description:
    en: C3 with k x k bottlenecks (the inner block of C3k2 and A2C2f).
    zh: 瓶颈块为 k x k 卷积的 C3（C3k2 和 A2C2f 的内部模块）。
  family: csp
  internal: true
  args: [c1, c2, n=1, shortcut=True, g=1, e=0.5, k=3]
  vars: {c_: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv1}
    - {id: b, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv2}
    - {id: m, op: Bottleneck, args: [c_, c_, shortcut, g, [k, k], 1.0], in: a, repeat: n}
    - {id: cat, op: cat, in: [m, b]}
    - {id: y, op: Conv, args: [2 * c_, c2, 1], name: cv3}

C3k2:
  description:
    en: C2f (YOLO11) whose inner blocks are Bottlenecks, or C3k blocks when c3k is on (forced on for scales m, l and x).
    zh: YOLO11 的 C2f：内部模块为 Bottleneck，c3k 打开时为 C3k（m、l、x 规模强制打开）。
  family: csp
  parse: channelsRepeat
  args: [c1, c2, n=1, c3k=False, e=0.5, g=1, shortcut=True]
  vars: {c: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, 2 * c, 1, 1], in: x, name: cv1}
    - {id: p, op: chunk, args: [2]}
    - {id: 'b{i}', op: C3k, args: [c, c, 2, shortcut, g], name: 'm.{i}', for: {i: range(n)}, when: c3k}
    - {id: 'b{i}', op: Bottleneck, args: [c, c, shortcut, g], name: 'm.{i}', for: {i: range(n)}, when: not c3k}
    - {id: cat, op: cat, in: [p.0, p.1, 'b{i} for i in range(n)']}
    - {id: y, op: Conv, args: [(2 + n) * c, c2, 1], name: cv2}

BottleneckCSP:
  description:
    en: The original CSP bottleneck - n bottlenecks and a plain 1x1 conv bypass, batch norm and SiLU over both, then a Conv.
    zh: 最初的 CSP 瓶颈：n 个瓶颈块加一条 1x1 卷积旁路，两者经批归一化和 SiLU，再接一个 Conv。
  family: csp
  parse: channelsRepeat
  args: [c1, c2, n=1, shortcut=True, g=1, e=0.5]
  vars: {c_: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv1}
    - {id: m, op: Bottleneck, args: [c_, c_, shortcut, g, [3, 3], 1.0], repeat: n}
    - {id: y1, op: nn.Conv2d, args: [c_, c_, 1, 1, 0, 1, 1, False], name: cv3}
    - {id: y2, op: nn.Conv2d, args: [c1, c_, 1, 1, 0, 1, 1, False], in: x, name: cv2}
    - {id: cat, op: cat, in: [y1, y2]}
    - {id: bn, op: nn.BatchNorm2d, args: [2 * c_], name: bn}
    - {id: act, op: nn.SiLU, name: act}
    - {id: y, op: Conv, args: [2 * c_, c2, 1, 1], name: cv4}

ConvTranspose:
  description:
    en: Transposed convolution + batch norm + activation (SiLU, ConvTranspose's own default).
    zh: 转置卷积 + 批归一化 + 激活（SiLU，ConvTranspose 自己的默认激活）。
  family: resample
  args: [c1, c2, k=2, s=2, p=0, bn=True, act=True]
  body:
    - {id: t, op: nn.ConvTranspose2d, args: [c1, c2, k, s, p, 0, 1, not bn], in: x, name: conv_transpose}
    - {id: b, op: nn.BatchNorm2d, args: [c2], name: bn, when: bn}
    - {id: b, op: nn.Identity, name: bn, when: not bn}
    - {id: y, op: activation, args: [act, nn.SiLU()], name: act}

Conv2:
  description:
    en: Conv plus a parallel 1x1 convolution, summed before the batch norm (RepConv-style, fusable).
    zh: Conv 加一条并行的 1x1 卷积，在批归一化之前相加（RepConv 式，可融合）。
  family: conv
  args: [c1, c2, k=3, s=1, p=None, g=1, d=1, act=True]
  body:
    - {id: a, op: nn.Conv2d, args: [c1, c2, k, s, '(d * (k - 1) + 1) // 2 if p == None else p', d, g, False], in: x, name: conv}
    - {id: c, op: nn.Conv2d, args: [c1, c2, 1, s, '0 if p == None else p', d, g, False], in: x, name: cv2}
    - {id: sum, op: add, in: [a, c]}
    - {id: n, op: nn.BatchNorm2d, args: [c2], name: bn}
    - {id: y, op: activation, args: [act], name: act}

RepConv:
  description:
    en: RepVGG block - a 3x3 and a 1x1 Conv (and the input's batch norm when bn) summed, then the activation; fused into one 3x3 convolution for inference.
    zh: RepVGG 块：一个 3x3 和一个 1x1 Conv（bn 时再加输入的批归一化）相加后激活；推理时融合为一个 3x3 卷积。
  family: conv
  args: [c1, c2, k=3, s=1, p=1, g=1, d=1, act=True, bn=False, deploy=False]
  check: [[k == 3 and p == 1, "RepConv needs k=3 and p=1 (an assert in Ultralytics)"]]
  vars: {idb: bn and c2 == c1 and s == 1}
  body:
    - {id: i, op: nn.BatchNorm2d, args: [c1], in: x, name: bn, when: idb}
    - {id: a, op: Conv, args: [c1, c2, k, s, p, g, 1, False], in: x, name: conv1}
    - {id: b, op: Conv, args: [c1, c2, 1, s, p - k // 2, g, 1, False], in: x, name: conv2}
    - {id: sum, op: add, in: [a, b, i], when: idb}
    - {id: sum, op: add, in: [a, b], when: not idb}
    - {id: y, op: activation, args: [act, nn.SiLU()], in: sum, name: act}

LightConv:
  description:
    en: A 1x1 Conv without activation, then a depth-wise k x k Conv (HGBlock's light block).
    zh: 一个不带激活的 1x1 Conv，再接一个 k x k 深度卷积（HGBlock 的轻量块）。
  family: conv
  internal: true
  args: [c1, c2, k=1, act=nn.ReLU()]
  body:
    - {id: a, op: Conv, args: [c1, c2, 1, 1, None, 1, 1, False], in: x, name: conv1}
    - {id: y, op: DWConv, args: [c2, c2, k, 1, 1, act], name: conv2}

${bottleneck('RepBottleneck', 'RepConv', 'Bottleneck whose first convolution is a RepConv.', '第一个卷积为 RepConv 的 Bottleneck。', true)}
RepCSP:
  description:
    en: C3 with RepBottlenecks.
    zh: 瓶颈块为 RepBottleneck 的 C3。
  family: csp
  internal: true
  args: [c1, c2, n=1, shortcut=True, g=1, e=0.5]
  vars: {c_: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv1}
    - {id: b, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv2}
    - {id: m, op: RepBottleneck, args: [c_, c_, shortcut, g, [3, 3], 1.0], in: a, repeat: n}
    - {id: cat, op: cat, in: [m, b]}
    - {id: y, op: Conv, args: [2 * c_, c2, 1], name: cv3}

RepC3:
  description:
    en: RT-DETR's CSP block - n RepConvs on one branch added to a 1x1 Conv branch, then a 1x1 Conv when the widths differ.
    zh: RT-DETR 的 CSP 块：一条分支上 n 个 RepConv，与一条 1x1 Conv 分支相加；宽度不同时再接一个 1x1 Conv。
  family: csp
  parse: channelsRepeat
  args: [c1, c2, n=3, e=1.0]
  vars: {c_: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv1}
    - {id: b, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv2}
    - {id: m, op: RepConv, args: [c_, c_], in: a, repeat: n}
    - {id: sum, op: add, in: [m, b]}
    - {id: y, op: Conv, args: [c_, c2, 1, 1], name: cv3, when: c_ != c2}
    - {id: y, op: nn.Identity, name: cv3, when: c_ == c2}

RepNCSPELAN4:
  description:
    en: YOLOv9's GELAN block - a 1x1 Conv split in two, two RepCSP + 3x3 Conv stages chained on the second half, all four pieces concatenated into a 1x1 Conv.
    zh: YOLOv9 的 GELAN 块：1x1 Conv 的输出一分为二，后一半上串联两段 RepCSP + 3x3 Conv，四部分拼接后进入 1x1 Conv。
  family: csp
  args: [c1, c2, c3, c4, n=1]
  containers: {cv2: Sequential, cv3: Sequential}
  body:
    - {id: a, op: Conv, args: [c1, c3, 1, 1], in: x, name: cv1}
    - {id: p, op: chunk, args: [2]}
    - {id: b1, op: RepCSP, args: [c3 // 2, c4, n], in: p.1, name: cv2.0}
    - {id: b, op: Conv, args: [c4, c4, 3, 1], name: cv2.1}
    - {id: c1_, op: RepCSP, args: [c4, c4, n], name: cv3.0}
    - {id: c, op: Conv, args: [c4, c4, 3, 1], name: cv3.1}
    - {id: cat, op: cat, in: [p.0, p.1, b, c]}
    - {id: y, op: Conv, args: [c3 + 2 * c4, c2, 1, 1], name: cv4}

ELAN1:
  description:
    en: YOLOv9-t's light ELAN block - as RepNCSPELAN4 with plain 3x3 Convs for its two stages.
    zh: YOLOv9-t 的轻量 ELAN 块：同 RepNCSPELAN4，两段都是普通 3x3 Conv。
  family: csp
  args: [c1, c2, c3, c4]
  body:
    - {id: a, op: Conv, args: [c1, c3, 1, 1], in: x, name: cv1}
    - {id: p, op: chunk, args: [2]}
    - {id: b, op: Conv, args: [c3 // 2, c4, 3, 1], in: p.1, name: cv2}
    - {id: c, op: Conv, args: [c4, c4, 3, 1], name: cv3}
    - {id: cat, op: cat, in: [p.0, p.1, b, c]}
    - {id: y, op: Conv, args: [c3 + 2 * c4, c2, 1, 1], name: cv4}

AConv:
  description:
    en: YOLOv9's downsampling - a 2x2 average pool (stride 1), then a 3x3 stride-2 Conv.
    zh: YOLOv9 的下采样：2x2 平均池化（步长 1），再接 3x3 步长 2 的 Conv。
  family: conv
  args: [c1, c2]
  body:
    - {id: p, op: avg_pool2d, args: [2, 1, 0, False, True], in: x}
    - {id: y, op: Conv, args: [c1, c2, 3, 2, 1], name: cv1}

ADown:
  description:
    en: YOLOv9's downsampling - a 2x2 average pool, then one half through a 3x3 stride-2 Conv and the other through a 3x3 stride-2 max pool and a 1x1 Conv.
    zh: YOLOv9 的下采样：2x2 平均池化后一分为二，一半经 3x3 步长 2 的 Conv，另一半经 3x3 步长 2 的最大池化和 1x1 Conv。
  family: conv
  args: [c1, c2]
  vars: {c: c2 // 2}
  body:
    - {id: p, op: avg_pool2d, args: [2, 1, 0, False, True], in: x}
    - {id: h, op: chunk, args: [2]}
    - {id: a, op: Conv, args: [c1 // 2, c, 3, 2, 1], in: h.0, name: cv1}
    - {id: m, op: max_pool2d, args: [3, 2, 1], in: h.1}
    - {id: b, op: Conv, args: [c1 // 2, c, 1, 1, 0], name: cv2}
    - {id: y, op: cat, in: [a, b]}

SPPELAN:
  description:
    en: YOLOv9's SPP-ELAN - a 1x1 Conv, three chained k x k max pools, the four concatenated into a 1x1 Conv.
    zh: YOLOv9 的 SPP-ELAN：一个 1x1 Conv，三个串联的 k x k 最大池化，四者拼接后进入 1x1 Conv。
  family: pool
  args: [c1, c2, c3, k=5]
  body:
    - {id: a, op: Conv, args: [c1, c3, 1, 1], in: x, name: cv1}
    - {id: b, op: nn.MaxPool2d, args: [k, 1, k // 2], name: cv2}
    - {id: c, op: nn.MaxPool2d, args: [k, 1, k // 2], name: cv3}
    - {id: d, op: nn.MaxPool2d, args: [k, 1, k // 2], name: cv4}
    - {id: cat, op: cat, in: [a, b, c, d]}
    - {id: y, op: Conv, args: [4 * c3, c2, 1, 1], name: cv5}

SCDown:
  description:
    en: YOLOv10's downsampling - a 1x1 Conv, then a depth-wise k x k Conv of stride s.
    zh: YOLOv10 的下采样：一个 1x1 Conv，再接步长 s 的 k x k 深度卷积。
  family: conv
  args: [c1, c2, k, s]
  body:
    - {id: a, op: Conv, args: [c1, c2, 1, 1], in: x, name: cv1}
    - {id: y, op: Conv, args: [c2, c2, k, s, None, c2, 1, False], name: cv2}

RepVGGDW:
  description:
    en: Depth-wise 7x7 and 3x3 Convs summed, then SiLU (YOLOv10's large-kernel block).
    zh: 7x7 与 3x3 深度卷积相加后接 SiLU（YOLOv10 的大核块）；推理时融合为一个 7x7 卷积。
  family: conv
  args: [ed]
  body:
    - {id: a, op: Conv, args: [ed, ed, 7, 1, 3, ed, 1, False], in: x, name: conv}
    - {id: b, op: Conv, args: [ed, ed, 3, 1, 1, ed, 1, False], in: x, name: conv1}
    - {id: sum, op: add, in: [a, b]}
    - {id: y, op: nn.SiLU, name: act}

CIB:
  description:
    en: YOLOv10's compact inverted block - depth-wise 3x3, 1x1, depth-wise 3x3 (or RepVGGDW), 1x1, depth-wise 3x3; the input added when shortcut and c1 == c2.
    zh: YOLOv10 的紧凑倒置块：3x3 深度卷积、1x1、3x3 深度卷积（或 RepVGGDW）、1x1、3x3 深度卷积；shortcut 且 c1 == c2 时加上输入。
  family: csp
  internal: true
  args: [c1, c2, shortcut=True, e=0.5, lk=False]
  vars: {c_: int(c2 * e)}
  containers: {cv1: Sequential}
  body:
    - {id: a, op: Conv, args: [c1, c1, 3, 1, None, c1], in: x, name: cv1.0}
    - {id: b, op: Conv, args: [c1, 2 * c_, 1], name: cv1.1}
    - {id: c, op: RepVGGDW, args: [2 * c_], name: cv1.2, when: lk}
    - {id: c, op: Conv, args: [2 * c_, 2 * c_, 3, 1, None, 2 * c_], name: cv1.2, when: not lk}
    - {id: d, op: Conv, args: [2 * c_, c2, 1], name: cv1.3}
    - {id: e, op: Conv, args: [c2, c2, 3, 1, None, c2], name: cv1.4}
    - {id: y, op: add, in: [x, e], when: shortcut and c1 == c2}

C2fCIB:
  description:
    en: C2f whose inner blocks are CIBs (YOLOv10).
    zh: 内部模块为 CIB 的 C2f（YOLOv10）。
  family: csp
  parse: channelsRepeat
  args: [c1, c2, n=1, shortcut=False, lk=False, g=1, e=0.5]
  vars: {c: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, 2 * c, 1, 1], in: x, name: cv1}
    - {id: p, op: chunk, args: [2]}
    - {id: 'b{i}', op: CIB, args: [c, c, shortcut, 1.0, lk], name: 'm.{i}', for: {i: range(n)}}
    - {id: cat, op: cat, in: [p.0, p.1, 'b{i} for i in range(n)']}
    - {id: y, op: Conv, args: [(2 + n) * c, c2, 1], name: cv2}

Attention:
  description:
    en: Multi-head self-attention over the positions, with 1x1 Convs for q, k, v (keys and queries narrower) and a depth-wise 3x3 Conv as position encoding.
    zh: 在各位置上的多头自注意力：q、k、v 由 1x1 Conv 得到（k 和 q 更窄），3x3 深度卷积作位置编码。
  family: attention
  internal: true
  args: [dim, num_heads=8, attn_ratio=0.5]
  check: [[num_heads > 0, "Attention needs at least one head (PSA blocks use c // 64 heads: use 64 channels or more)"]]
  vars:
    head_dim: 'dim // num_heads if num_heads > 0 else 0'
    key_dim: int(head_dim * attn_ratio)
    nh_kd: key_dim * num_heads
    h: dim + nh_kd * 2
  body:
    - {id: qkv, op: Conv, args: [dim, h, 1, 1, None, 1, 1, False], in: x, name: qkv}
    - {id: t, op: reshape, args: [[num_heads, key_dim * 2 + head_dim, -1]]}
    - {id: s, op: split, args: [[key_dim, key_dim, head_dim], 1]}
    - {id: a, op: matmul, args: [True, False], in: [s.0, s.1]}
    - {id: as, op: scale, args: ['key_dim ** -0.5']}
    - {id: p, op: softmax, args: [-1]}
    - {id: o, op: matmul, args: [False, True], in: [s.2, p]}
    - {id: o2, op: view_as, in: [o, x]}
    - {id: v2, op: view_as, in: [s.2, x]}
    - {id: pe, op: Conv, args: [dim, dim, 3, 1, None, dim, 1, False], name: pe}
    - {id: sum, op: add, in: [o2, pe]}
    - {id: y, op: Conv, args: [dim, dim, 1, 1, None, 1, 1, False], name: proj}

PSABlock:
  description:
    en: Attention then a two-Conv feed-forward, each added back to its input when shortcut.
    zh: 注意力再接两层 Conv 的前馈网络，shortcut 时各自加回输入。
  family: attention
  internal: true
  args: [c, attn_ratio=0.5, num_heads=4, shortcut=True]
  containers: {ffn: Sequential}
  body:
    - {id: a, op: Attention, args: [c, num_heads, attn_ratio], in: x, name: attn}
    - {id: a2, op: add, in: [x, a], when: shortcut}
    - {id: f1, op: Conv, args: [c, c * 2, 1], name: ffn.0}
    - {id: f2, op: Conv, args: [c * 2, c, 1, 1, None, 1, 1, False], name: ffn.1}
    - {id: y, op: add, in: [a2, f2], when: shortcut}

PSA:
  description:
    en: Position-sensitive attention (YOLOv10) - a 1x1 Conv split in two, attention and a feed-forward on one half, concatenated back into a 1x1 Conv.
    zh: 位置敏感注意力（YOLOv10）：1x1 Conv 的输出一分为二，一半经注意力和前馈网络，拼接后进入 1x1 Conv。
  family: attention
  args: [c1, c2, e=0.5]
  check: [[c1 == c2, "PSA keeps its channels: its output channels must equal its input channels (an assert in Ultralytics)"]]
  vars: {c: int(c1 * e)}
  containers: {ffn: Sequential}
  body:
    - {id: a, op: Conv, args: [c1, 2 * c, 1, 1], in: x, name: cv1}
    - {id: p, op: split, args: [[c, c]]}
    - {id: t, op: Attention, args: [c, c // 64, 0.5], in: p.1, name: attn}
    - {id: b, op: add, in: [p.1, t]}
    - {id: f1, op: Conv, args: [c, c * 2, 1], name: ffn.0}
    - {id: f2, op: Conv, args: [c * 2, c, 1, 1, None, 1, 1, False], name: ffn.1}
    - {id: b2, op: add, in: [b, f2]}
    - {id: cat, op: cat, in: [p.0, b2]}
    - {id: y, op: Conv, args: [2 * c, c1, 1], name: cv2}

C2PSA:
  description:
    en: YOLO11's attention block - a 1x1 Conv split in two, n PSABlocks on one half, concatenated back into a 1x1 Conv.
    zh: YOLO11 的注意力块：1x1 Conv 的输出一分为二，一半经 n 个 PSABlock，拼接后进入 1x1 Conv。
  family: attention
  parse: channelsRepeat
  args: [c1, c2, n=1, e=0.5]
  check: [[c1 == c2, "C2PSA keeps its channels: its output channels must equal its input channels (an assert in Ultralytics)"]]
  vars: {c: int(c1 * e)}
  body:
    - {id: a, op: Conv, args: [c1, 2 * c, 1, 1], in: x, name: cv1}
    - {id: p, op: split, args: [[c, c]]}
    - {id: m, op: PSABlock, args: [c, 0.5, c // 64], in: p.1, repeat: n}
    - {id: cat, op: cat, in: [p.0, m]}
    - {id: y, op: Conv, args: [2 * c, c1, 1], name: cv2}

C2fPSA:
  description:
    en: C2f whose inner blocks are PSABlocks.
    zh: 内部模块为 PSABlock 的 C2f。
  family: attention
  parse: channelsRepeat
  args: [c1, c2, n=1, e=0.5]
  check: [[c1 == c2, "C2fPSA keeps its channels: its output channels must equal its input channels (an assert in Ultralytics)"]]
  vars: {c: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, 2 * c, 1, 1], in: x, name: cv1}
    - {id: p, op: chunk, args: [2]}
    - {id: 'b{i}', op: PSABlock, args: [c, 0.5, c // 64], name: 'm.{i}', for: {i: range(n)}}
    - {id: cat, op: cat, in: [p.0, p.1, 'b{i} for i in range(n)']}
    - {id: y, op: Conv, args: [(2 + n) * c, c2, 1], name: cv2}

AAttn:
  description:
    en: Area attention (YOLO12) - self-attention within each of 'area' horizontal bands of the map, a 7x7 depth-wise Conv of the values as position encoding.
    zh: 区域注意力（YOLO12）：在特征图的 area 条水平带内各自做自注意力，值经 7x7 深度 Conv 作位置编码。
  family: attention
  internal: true
  args: [dim, num_heads, area=1]
  vars: {head_dim: dim // num_heads, all_head_dim: head_dim * num_heads}
  body:
    - {id: qkv, op: Conv, args: [dim, all_head_dim * 3, 1, 1, None, 1, 1, False], in: x, name: qkv}
    - {id: f, op: reshape, args: [[all_head_dim * 3, -1]]}
    - {id: t, op: permute, args: [[1, 0]]}
    - {id: ar, op: reshape, args: [[area, -1, num_heads, head_dim * 3]]}
    - {id: pm, op: permute, args: [[0, 2, 3, 1]]}
    - {id: s, op: split, args: [[head_dim, head_dim, head_dim], 2]}
    - {id: a, op: matmul, args: [True, False], in: [s.0, s.1]}
    - {id: as, op: scale, args: ['head_dim ** -0.5']}
    - {id: p, op: softmax, args: [-1]}
    - {id: o, op: matmul, args: [False, True], in: [s.2, p]}
    - {id: o1, op: permute, args: [[0, 3, 1, 2]]}
    - {id: o2, op: view_as, args: [[1, 2, 0]], in: [o1, x]}
    - {id: o3, op: permute, args: [[2, 0, 1]]}
    - {id: v1, op: permute, args: [[0, 3, 1, 2]], in: s.2}
    - {id: v2, op: view_as, args: [[1, 2, 0]], in: [v1, x]}
    - {id: v3, op: permute, args: [[2, 0, 1]]}
    - {id: pe, op: Conv, args: [all_head_dim, dim, 7, 1, 3, dim, 1, False], name: pe}
    - {id: sum, op: add, in: [o3, pe]}
    - {id: y, op: Conv, args: [all_head_dim, dim, 1, 1, None, 1, 1, False], name: proj}

ABlock:
  description:
    en: Area-attention block - area attention and a two-Conv MLP, each added back to its input.
    zh: 区域注意力块：区域注意力和两层 Conv 的 MLP，各自加回输入。
  family: attention
  internal: true
  args: [dim, num_heads, mlp_ratio=1.2, area=1]
  vars: {hidden: int(dim * mlp_ratio)}
  containers: {mlp: Sequential}
  body:
    - {id: a, op: AAttn, args: [dim, num_heads, area], in: x, name: attn}
    - {id: a2, op: add, in: [x, a]}
    - {id: m1, op: Conv, args: [dim, hidden, 1], name: mlp.0}
    - {id: m2, op: Conv, args: [hidden, dim, 1, 1, None, 1, 1, False], name: mlp.1}
    - {id: y, op: add, in: [a2, m2]}

A2C2f:
  description:
    en: YOLO12's residual ELAN with area attention - a 1x1 Conv, n stages of two ABlocks (or C3k when a2 is off) chained, all concatenated into a 1x1 Conv; with residual, added to the input scaled by a learned gamma.
    zh: YOLO12 带区域注意力的残差 ELAN：一个 1x1 Conv，n 段两个 ABlock（a2 关闭时为 C3k）串联，全部拼接后进入 1x1 Conv；residual 时乘以可学习的 gamma 后加回输入。
  family: attention
  parse: channelsRepeat
  args: [c1, c2, n=1, a2=True, area=1, residual=False, mlp_ratio=2.0, e=0.5, g=1, shortcut=True]
  vars: {c_: int(c2 * e)}
  check: [["c_ % 32 == 0", "A2C2f's hidden width int(c2 * e) must be a multiple of 32 (an assert in Ultralytics)"]]
  body:
    - {id: a, op: Conv, args: [c1, c_, 1, 1], in: x, name: cv1}
    - {id: 'b{i}', op: ABlock, args: [c_, c_ // 32, mlp_ratio, area], name: 'm.{i}', repeat: 2, for: {i: range(n)}, when: a2}
    - {id: 'b{i}', op: C3k, args: [c_, c_, 2, shortcut, g], name: 'm.{i}', for: {i: range(n)}, when: not a2}
    - {id: cat, op: cat, in: [a, 'b{i} for i in range(n)']}
    - {id: y, op: Conv, args: [(1 + n) * c_, c2, 1], name: cv2}
    - {id: gm, op: param, args: [[c2, 1, 1], [c2], 0.01], name: gamma, when: a2 and residual}
    - {id: gy, op: mul, in: [gm, y], when: a2 and residual}
    - {id: out, op: add, in: [x, gy], when: a2 and residual}

HGStem:
  description:
    en: PPHGNetV2's stem (RT-DETR) - a stride-2 Conv, a max-pool branch and a two-Conv branch concatenated, then two more Convs; ReLU throughout.
    zh: PPHGNetV2 的主干起始块（RT-DETR）：步长 2 的 Conv，一条最大池化分支和一条两层 Conv 分支拼接，再接两个 Conv；全部使用 ReLU。
  family: conv
  args: [c1, cm, c2]
  body:
    - {id: a, op: Conv, args: [c1, cm, 3, 2, None, 1, 1, nn.ReLU()], in: x, name: stem1}
    - {id: ap, op: pad, args: [[0, 1, 0, 1]]}
    - {id: b, op: Conv, args: [cm, cm // 2, 2, 1, 0, 1, 1, nn.ReLU()], name: stem2a}
    - {id: bp, op: pad, args: [[0, 1, 0, 1]]}
    - {id: c, op: Conv, args: [cm // 2, cm, 2, 1, 0, 1, 1, nn.ReLU()], name: stem2b}
    - {id: p, op: nn.MaxPool2d, args: [2, 1, 0, 1, False, True], in: ap, name: pool}
    - {id: cat, op: cat, in: [p, c]}
    - {id: d, op: Conv, args: [cm * 2, cm, 3, 2, None, 1, 1, nn.ReLU()], name: stem3}
    - {id: y, op: Conv, args: [cm, c2, 1, 1, None, 1, 1, nn.ReLU()], name: stem4}

HGBlock:
  description:
    en: PPHGNetV2's block (RT-DETR) - n k x k Convs (or LightConvs) chained, every output and the input concatenated, squeezed and excited by two 1x1 Convs; the input added when shortcut and c1 == c2.
    zh: PPHGNetV2 的块（RT-DETR）：n 个 k x k Conv（或 LightConv）串联，所有输出与输入拼接，经两个 1x1 Conv 压缩和激励；shortcut 且 c1 == c2 时加上输入。
  family: csp
  args: [c1, cm, c2, k=3, n=6, lightconv=False, shortcut=False, act=nn.ReLU()]
  body:
    - {id: 'b{i}', op: LightConv, args: ['c1 if i == 0 else cm', cm, k, act], name: 'm.{i}', for: {i: range(n)}, when: lightconv}
    - {id: 'b{i}', op: Conv, args: ['c1 if i == 0 else cm', cm, k, 1, None, 1, 1, act], name: 'm.{i}', for: {i: range(n)}, when: not lightconv}
    - {id: cat, op: cat, in: [x, 'b{i} for i in range(n)']}
    - {id: s, op: Conv, args: [c1 + n * cm, c2 // 2, 1, 1, None, 1, 1, act], name: sc}
    - {id: e, op: Conv, args: [c2 // 2, c2, 1, 1, None, 1, 1, act], name: ec}
    - {id: y, op: add, in: [e, x], when: shortcut and c1 == c2}

ResNetBlock:
  description:
    en: ResNet's bottleneck - 1x1, 3x3 (stride s) and 1x1 Convs to e * c2, plus the input (projected when the size or width changes), then ReLU.
    zh: ResNet 的瓶颈块：1x1、3x3（步长 s）和 1x1 Conv 到 e * c2 通道，加上输入（尺寸或宽度变化时先投影），再接 ReLU。
  family: csp
  internal: true
  args: [c1, c2, s=1, e=4]
  vars: {c3: e * c2, proj: s != 1 or c1 != e * c2}
  body:
    - {id: a, op: Conv, args: [c1, c2, 1, 1], in: x, name: cv1}
    - {id: b, op: Conv, args: [c2, c2, 3, s, 1], name: cv2}
    - {id: c, op: Conv, args: [c2, c3, 1, 1, None, 1, 1, False], name: cv3}
    - {id: sc, op: Conv, args: [c1, c3, 1, s, None, 1, 1, False], in: x, name: shortcut, repeat: 1, when: proj}
    - {id: sc, op: nn.Identity, in: x, name: shortcut, when: not proj}
    - {id: sum, op: add, in: [c, sc]}
    - {id: y, op: relu}

ResNetLayer:
  description:
    en: A ResNet stage - the stem (7x7 stride-2 Conv and a 3x3 max pool) when is_first, else n ResNetBlocks, the first of stride s.
    zh: ResNet 的一个阶段：is_first 时为起始块（7x7 步长 2 的 Conv 和 3x3 最大池化），否则为 n 个 ResNetBlock，第一个步长为 s。
  family: csp
  args: [c1, c2, s=1, is_first=False, n=1, e=4]
  containers: {layer: Sequential}
  body:
    - {id: a, op: Conv, args: [c1, c2, 7, 2, 3], in: x, name: layer.0, when: is_first}
    - {id: y, op: nn.MaxPool2d, args: [3, 2, 1], name: layer.1, when: is_first}
    - {id: b0, op: ResNetBlock, args: [c1, c2, s, e], in: x, name: layer.0, when: not is_first}
    - {id: 'b{i}', op: ResNetBlock, args: [e * c2, c2, 1, e], name: 'layer.{i}', for: {i: 'range(1, n)'}, when: not is_first}

Proto:
  description:
    en: Mask prototypes (Segment) - a 3x3 Conv, a 2x2 stride-2 transposed convolution, a 3x3 Conv and a 1x1 Conv to the mask count.
    zh: 掩码原型（Segment）：3x3 Conv、2x2 步长 2 的转置卷积、3x3 Conv，再以 1x1 Conv 输出掩码个数的通道。
  family: head
  internal: true
  args: [c1, c_=256, c2=32]
  body:
    - {id: a, op: Conv, args: [c1, c_, 3], in: x, name: cv1}
    - {id: u, op: nn.ConvTranspose2d, args: [c_, c_, 2, 2, 0, 0, 1, True], name: upsample}
    - {id: b, op: Conv, args: [c_, c_, 3], name: cv2}
    - {id: y, op: Conv, args: [c_, c2], name: cv3}

DFL:
  description:
    en: Distribution focal loss integral - a softmax over each box side's c1 bins and their expected value, through a fixed 1x1 convolution with weights 0..c1-1 (a parameter without gradient).
    zh: 分布焦点损失的积分：对每条边的 c1 个区间做 softmax 并取期望，通过权重固定为 0..c1-1 的 1x1 卷积实现（不求梯度的参数）。
  family: head
  internal: true
  args: [c1=16]
  body:
    - {id: v, op: reshape, args: [[4, c1, -1]], in: x}
    - {id: t, op: permute, args: [[1, 0, 2]]}
    - {id: s, op: softmax, args: [0]}
    - {id: c, op: nn.Conv2d, args: [c1, 1, 1, 1, 0, 1, 1, False], name: conv}
    - {id: y, op: reshape, args: [[4, -1]]}

Classify:
  description:
    en: Classification head - a Conv to 1280 channels, global average pooling, dropout and a Linear layer to nc classes, softmax in inference.
    zh: 分类头：Conv 到 1280 通道、全局平均池化、dropout 和到 nc 类的 Linear 层，推理时做 softmax。
  family: head
  args: [c1, c2, k=1, s=1, p=None, g=1]
  body:
    - {id: a, op: Conv, args: [c1, 1280, k, s, p, g], in: x, name: conv}
    - {id: b, op: nn.AdaptiveAvgPool2d, args: [1], name: pool}
    - {id: c, op: nn.Dropout, args: [0.0], name: drop}
    - {id: l, op: nn.Linear, args: [1280, c2], name: linear}
    - {id: s, op: softmax, args: [0]}
    - {id: y, op: reshape, args: [[c2]]}
`;

let cached: ModuleLibrary | undefined;
/** The descriptions, compiled (parsed once). */
export function ultralyticsBlocks(known: (name: string) => boolean): ModuleLibrary {
  if (!cached) {
    const lib = parseModuleLibrary(ULTRALYTICS_BLOCKS_YAML, 'ultralytics-blocks.yaml', known, { builtin: true });
    // the arguments' types and help (args.ts); a spec and its def are at the same index, and the def's
    // arguments keep their compiled defaults (an activation's shared instance)
    const specs = lib.specs.map(withArgHelp);
    const defs = lib.defs.map((d, k) => {
      const helped = argSpecs(specs[k]);
      const args = d.args.map((a, j) => ({ ...a, type: helped[j].type, doc: helped[j].doc, docs: helped[j].docs }));
      return { ...at(home(d.name), d), args };
    });
    cached = { ...lib, specs, defs };
  }
  return cached;
}
