/** The default module library: the attention blocks this community adds to YOLOv5 most, written as data. */
import { parseModuleLibrary, type ModuleLibrary } from './library.ts';

export const DEFAULT_LIBRARY_YAML = `# YOLO Architect's default module library (the same format as your NAME.modules.yaml).

SE:
  description:
    en: Squeeze-and-excitation channel attention (Hu et al.), global pooling and a bottleneck of two 1x1 convolutions.
    zh: 挤压-激励通道注意力（Hu 等），全局池化后接两个 1x1 卷积组成的瓶颈。
  category: attention
  args:
    - {name: c1, type: int, doc: {en: input channels, zh: 输入通道数}}
    - {name: c2, type: int, doc: {en: output channels (equal to the input's), zh: 输出通道数（与输入相同）}}
    - {name: r, type: int, default: 16, doc: {en: reduction of the bottleneck, zh: 瓶颈的缩减比例}}
  vars:
    c_: max(c1 // r, 8)
  check:
    - assert: c1 == c2
      message:
        en: "SE keeps its channels: its output channels must equal its input channels"
        zh: "SE 不改变通道数：输出通道数必须等于输入通道数"
  body:
    - {id: s, op: nn.AdaptiveAvgPool2d, args: [1], in: x, name: avgpool}
    - {id: f1, op: nn.Conv2d, args: [c1, c_, 1], name: fc1}
    - {id: r, op: nn.ReLU, name: relu}
    - {id: f2, op: nn.Conv2d, args: [c_, c1, 1], name: fc2}
    - {id: g, op: nn.Sigmoid, name: sigmoid}
    - {id: y, op: mul, in: [x, g]}

CBAM:
  description:
    en: Convolutional block attention (Woo et al.), channel attention from average and max pooling, then spatial attention from a 7x7 convolution.
    zh: 卷积块注意力（Woo 等），先由平均池化和最大池化得到通道注意力，再由 7x7 卷积得到空间注意力。
  category: attention
  args:
    - {name: c1, type: int, doc: {en: input channels, zh: 输入通道数}}
    - {name: c2, type: int, doc: {en: output channels (equal to the input's), zh: 输出通道数（与输入相同）}}
    - {name: r, type: int, default: 16, doc: {en: reduction of the channel attention, zh: 通道注意力的缩减比例}}
    - {name: k, type: int, default: 7, doc: {en: kernel size of the spatial attention, zh: 空间注意力的卷积核大小}}
  vars:
    c_: max(c1 // r, 1)
  check:
    - assert: c1 == c2
      message:
        en: "CBAM keeps its channels: its output channels must equal its input channels"
        zh: "CBAM 不改变通道数：输出通道数必须等于输入通道数"
  body:
    - {id: a, op: nn.AdaptiveAvgPool2d, args: [1], in: x, name: avg_pool}
    - {id: m, op: nn.AdaptiveMaxPool2d, args: [1], in: x, name: max_pool}
    - {id: a1, op: nn.Conv2d, args: [c1, c_, 1, 1, 0, 1, 1, False], in: a, name: f1}
    - {id: a2, op: nn.ReLU, name: relu}
    - {id: a3, op: nn.Conv2d, args: [c_, c1, 1, 1, 0, 1, 1, False], name: f2}
    - {id: m1, use: f1, in: m}
    - {id: m2, use: relu, in: m1}
    - {id: m3, use: f2, in: m2}
    - {id: ca, op: add, in: [a3, m3]}
    - {id: cw, op: nn.Sigmoid, name: sigmoid_c}
    - {id: y1, op: mul, in: [x, cw]}
    - {id: sm, op: mean_c, in: y1}
    - {id: sx, op: max_c, in: y1}
    - {id: s, op: cat, in: [sm, sx]}
    - {id: sc, op: nn.Conv2d, args: [2, 1, k, 1, k // 2, 1, 1, False], name: conv}
    - {id: sw, op: nn.Sigmoid, name: sigmoid_s}
    - {id: y, op: mul, in: [y1, sw]}

CoordAtt:
  description:
    en: Coordinate attention (Hou et al.), pooling along height and width, a shared 1x1 conv, then per-direction gates. conv1 and bn1 apply to both strips with shared weights.
    zh: 坐标注意力（Hou 等），沿高和宽分别池化，共享的 1x1 卷积，再按方向生成门控。conv1 和 bn1 以共享权重作用于两个条带。
  category: attention
  args:
    - {name: c1, type: int, doc: {en: input channels, zh: 输入通道数}}
    - {name: c2, type: int, doc: {en: output channels (equal to the input's), zh: 输出通道数（与输入相同）}}
    - {name: r, type: int, default: 32, doc: {en: reduction of the shared conv, zh: 共享卷积的缩减比例}}
  vars:
    mip: max(8, c1 // r)
  check:
    - assert: c1 == c2
      message:
        en: "CoordAtt keeps its channels: its output channels must equal its input channels"
        zh: "CoordAtt 不改变通道数：输出通道数必须等于输入通道数"
  body:
    - {id: xh, op: nn.AdaptiveAvgPool2d, args: [[None, 1]], in: x, name: pool_h}
    - {id: xw, op: nn.AdaptiveAvgPool2d, args: [[1, None]], in: x, name: pool_w}
    - {id: h1, op: nn.Conv2d, args: [c1, mip, 1], in: xh, name: conv1}
    - {id: h2, op: nn.BatchNorm2d, args: [mip], name: bn1}
    - {id: h3, op: nn.Hardswish, name: act}
    - {id: w1, use: conv1, in: xw}
    - {id: w2, use: bn1, in: w1}
    - {id: w3, use: act, in: w2}
    - {id: ah, op: nn.Conv2d, args: [mip, c2, 1], in: h3, name: conv_h}
    - {id: aw, op: nn.Conv2d, args: [mip, c2, 1], in: w3, name: conv_w}
    - {id: gh, op: sigmoid, in: ah}
    - {id: gw, op: sigmoid, in: aw}
    - {id: y1, op: mul, in: [x, gw]}
    - {id: y, op: mul, in: [y1, gh]}
`;

let cached: ModuleLibrary | undefined;
export function defaultLibrary(): ModuleLibrary {
  cached ??= parseModuleLibrary(DEFAULT_LIBRARY_YAML, 'default.modules.yaml');
  return cached;
}
