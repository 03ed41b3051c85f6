/**
 * Ultralytics' building blocks (release 8.3.253), each one description in the module format users write
 * (src/core/custom/spec.ts): arguments as the Python constructor takes them, hidden widths, and the inside as
 * nodes. Parameters, FLOPs, shapes and the "look inside" view all come from these. Written from reading
 * ultralytics/nn/modules/{conv,block}.py (nothing copied); the inner attribute names are the state_dict names.
 *
 * Module registration order inside a block does not always follow the Python class (counts and names do).
 */
import { parseModuleLibrary, type ModuleLibrary } from '../custom/library.ts';
import { at } from '../modules/define.ts';

const M = 'ultralytics.nn.modules';
/** The Python module each description's class lives in (block.py unless listed). */
const CONV = new Set(['ConvTranspose', 'Conv2', 'RepConv', 'LightConv']);
const HEAD = new Set(['Classify']);
const home = (name: string) => `${M}.${CONV.has(name) ? 'conv' : HEAD.has(name) ? 'head' : 'block'}`;

/** C3 and C3x, which differ only in their bottlenecks' kernels (C3x is C3 with its m replaced). */
const c3 = (name: string, description: string, kernels: string) => `${name}:
  description: ${description}
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

export const ULTRALYTICS_BLOCKS_YAML = `
Bottleneck:
  description: Two convolutions with kernels k[0] and k[1] on int(c2 * e) hidden channels; the input is added when shortcut is on and c1 == c2.
  family: csp
  args: [c1, c2, shortcut=True, g=1, 'k=(3, 3)', e=0.5]
  vars: {c_: int(c2 * e)}
  body:
    - {id: a, op: Conv, args: [c1, c_, 'k[0]', 1], in: x, name: cv1}
    - {id: b, op: Conv, args: [c_, c2, 'k[1]', 1, None, g], name: cv2}
    - {id: y, op: add, in: [x, b], when: shortcut and c1 == c2}

C1:
  description: One 1x1 Conv, then n 3x3 Convs added back to it.
  family: csp
  parse: channelsRepeat
  args: [c1, c2, n=1]
  body:
    - {id: a, op: Conv, args: [c1, c2, 1, 1], in: x, name: cv1}
    - {id: m, op: Conv, args: [c2, c2, 3], repeat: n}
    - {id: y, op: add, in: [m, a]}

C2:
  description: CSP bottleneck with 2 convolutions; n bottlenecks on one half of the channels.
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
  description: Faster CSP bottleneck (YOLOv8) - the 1x1 Conv's output split in two, n bottlenecks chained on the second half, every piece concatenated into a 1x1 Conv.
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
  '[[1, 1], [3, 3]]',
)}
${c3('C3x', 'C3 whose bottlenecks are cross convolutions (1x3 then 3x1).', '[[1, 3], [3, 1]]')}
C3k:
  description: C3 with k x k bottlenecks (the inner block of C3k2 and A2C2f).
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
  description: C2f (YOLO11) whose inner blocks are Bottlenecks, or C3k blocks when c3k is on (forced on for scales m, l and x).
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
  description: The original CSP bottleneck - n bottlenecks and a plain 1x1 conv bypass, batch norm and SiLU over both, then a Conv.
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
  description: Transposed convolution + batch norm + activation (SiLU, ConvTranspose's own default).
  family: resample
  args: [c1, c2, k=2, s=2, p=0, bn=True, act=True]
  body:
    - {id: t, op: nn.ConvTranspose2d, args: [c1, c2, k, s, p, 0, 1, not bn], in: x, name: conv_transpose}
    - {id: b, op: nn.BatchNorm2d, args: [c2], name: bn, when: bn}
    - {id: b, op: nn.Identity, name: bn, when: not bn}
    - {id: y, op: activation, args: [act, nn.SiLU()], name: act}

Conv2:
  description: Conv plus a parallel 1x1 convolution, summed before the batch norm (RepConv-style, fusable).
  family: conv
  args: [c1, c2, k=3, s=1, p=None, g=1, d=1, act=True]
  body:
    - {id: a, op: nn.Conv2d, args: [c1, c2, k, s, '(d * (k - 1) + 1) // 2 if p == None else p', d, g, False], in: x, name: conv}
    - {id: c, op: nn.Conv2d, args: [c1, c2, 1, s, '0 if p == None else p', d, g, False], in: x, name: cv2}
    - {id: sum, op: add, in: [a, c]}
    - {id: n, op: nn.BatchNorm2d, args: [c2], name: bn}
    - {id: y, op: activation, args: [act], name: act}

RepConv:
  description: RepVGG block - a 3x3 and a 1x1 Conv (and the input's batch norm when bn) summed, then the activation; fused into one 3x3 convolution for inference.
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
  description: A 1x1 Conv without activation, then a depth-wise k x k Conv (HGBlock's light block).
  family: conv
  internal: true
  args: [c1, c2, k=1, act=nn.ReLU()]
  body:
    - {id: a, op: Conv, args: [c1, c2, 1, 1, None, 1, 1, False], in: x, name: conv1}
    - {id: y, op: DWConv, args: [c2, c2, k, 1, 1, act], name: conv2}

RepBottleneck:
  description: Bottleneck whose first convolution is a RepConv.
  family: csp
  internal: true
  args: [c1, c2, shortcut=True, g=1, 'k=(3, 3)', e=0.5]
  vars: {c_: int(c2 * e)}
  body:
    - {id: a, op: RepConv, args: [c1, c_, 'k[0]', 1], in: x, name: cv1}
    - {id: b, op: Conv, args: [c_, c2, 'k[1]', 1, None, g], name: cv2}
    - {id: y, op: add, in: [x, b], when: shortcut and c1 == c2}

RepCSP:
  description: C3 with RepBottlenecks.
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
  description: RT-DETR's CSP block - n RepConvs on one branch added to a 1x1 Conv branch, then a 1x1 Conv when the widths differ.
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
  description: YOLOv9's GELAN block - a 1x1 Conv split in two, two RepCSP + 3x3 Conv stages chained on the second half, all four pieces concatenated into a 1x1 Conv.
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
  description: YOLOv9-t's light ELAN block - as RepNCSPELAN4 with plain 3x3 Convs for its two stages.
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
  description: YOLOv9's downsampling - a 2x2 average pool (stride 1), then a 3x3 stride-2 Conv.
  family: conv
  args: [c1, c2]
  body:
    - {id: p, op: avg_pool2d, args: [2, 1, 0, False, True], in: x}
    - {id: y, op: Conv, args: [c1, c2, 3, 2, 1], name: cv1}

ADown:
  description: YOLOv9's downsampling - a 2x2 average pool, then one half through a 3x3 stride-2 Conv and the other through a 3x3 stride-2 max pool and a 1x1 Conv.
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
  description: YOLOv9's SPP-ELAN - a 1x1 Conv, three chained k x k max pools, the four concatenated into a 1x1 Conv.
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
  description: YOLOv10's downsampling - a 1x1 Conv, then a depth-wise k x k Conv of stride s.
  family: conv
  args: [c1, c2, k, s]
  body:
    - {id: a, op: Conv, args: [c1, c2, 1, 1], in: x, name: cv1}
    - {id: y, op: Conv, args: [c2, c2, k, s, None, c2, 1, False], name: cv2}

RepVGGDW:
  description: Depth-wise 7x7 and 3x3 Convs summed, then SiLU (YOLOv10's large-kernel block).
  family: conv
  args: [ed]
  body:
    - {id: a, op: Conv, args: [ed, ed, 7, 1, 3, ed, 1, False], in: x, name: conv}
    - {id: b, op: Conv, args: [ed, ed, 3, 1, 1, ed, 1, False], in: x, name: conv1}
    - {id: sum, op: add, in: [a, b]}
    - {id: y, op: nn.SiLU, name: act}

CIB:
  description: YOLOv10's compact inverted block - depth-wise 3x3, 1x1, depth-wise 3x3 (or RepVGGDW), 1x1, depth-wise 3x3; the input added when shortcut and c1 == c2.
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
  description: C2f whose inner blocks are CIBs (YOLOv10).
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
  description: Multi-head self-attention over the positions, with 1x1 Convs for q, k, v (keys and queries narrower) and a depth-wise 3x3 Conv as position encoding.
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
  description: Attention then a two-Conv feed-forward, each added back to its input when shortcut.
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
  description: Position-sensitive attention (YOLOv10) - a 1x1 Conv split in two, attention and a feed-forward on one half, concatenated back into a 1x1 Conv.
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
  description: YOLO11's attention block - a 1x1 Conv split in two, n PSABlocks on one half, concatenated back into a 1x1 Conv.
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
  description: C2f whose inner blocks are PSABlocks.
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
  description: Area attention (YOLO12) - self-attention within each of 'area' horizontal bands of the map, a 7x7 depth-wise Conv of the values as position encoding.
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
  description: Area-attention block - area attention and a two-Conv MLP, each added back to its input.
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
  description: YOLO12's residual ELAN with area attention - a 1x1 Conv, n stages of two ABlocks (or C3k when a2 is off) chained, all concatenated into a 1x1 Conv; with residual, added to the input scaled by a learned gamma.
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
  description: PPHGNetV2's stem (RT-DETR) - a stride-2 Conv, a max-pool branch and a two-Conv branch concatenated, then two more Convs; ReLU throughout.
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
  description: PPHGNetV2's block (RT-DETR) - n k x k Convs (or LightConvs) chained, every output and the input concatenated, squeezed and excited by two 1x1 Convs; the input added when shortcut and c1 == c2.
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
  description: ResNet's bottleneck - 1x1, 3x3 (stride s) and 1x1 Convs to e * c2, plus the input (projected when the size or width changes), then ReLU.
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
  description: A ResNet stage - the stem (7x7 stride-2 Conv and a 3x3 max pool) when is_first, else n ResNetBlocks, the first of stride s.
  family: csp
  args: [c1, c2, s=1, is_first=False, n=1, e=4]
  containers: {layer: Sequential}
  body:
    - {id: a, op: Conv, args: [c1, c2, 7, 2, 3], in: x, name: layer.0, when: is_first}
    - {id: y, op: nn.MaxPool2d, args: [3, 2, 1], name: layer.1, when: is_first}
    - {id: b0, op: ResNetBlock, args: [c1, c2, s, e], in: x, name: layer.0, when: not is_first}
    - {id: 'b{i}', op: ResNetBlock, args: [e * c2, c2, 1, e], name: 'layer.{i}', for: {i: 'range(1, n)'}, when: not is_first}

Proto:
  description: Mask prototypes (Segment) - a 3x3 Conv, a 2x2 stride-2 transposed convolution, a 3x3 Conv and a 1x1 Conv to the mask count.
  family: head
  internal: true
  args: [c1, c_=256, c2=32]
  body:
    - {id: a, op: Conv, args: [c1, c_, 3], in: x, name: cv1}
    - {id: u, op: nn.ConvTranspose2d, args: [c_, c_, 2, 2, 0, 0, 1, True], name: upsample}
    - {id: b, op: Conv, args: [c_, c_, 3], name: cv2}
    - {id: y, op: Conv, args: [c_, c2], name: cv3}

DFL:
  description: Distribution focal loss integral - a softmax over each box side's c1 bins and their expected value, through a fixed 1x1 convolution with weights 0..c1-1 (a parameter without gradient).
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
  description: Classification head - a Conv to 1280 channels, global average pooling, dropout and a Linear layer to nc classes, softmax in inference.
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
    cached = { ...lib, defs: lib.defs.map((d) => at(home(d.name), d)) };
  }
  return cached;
}
