/**
 * YOLOv5's heads (models/yolo.py: Detect, Segment), hand-written: they read a list of layers (parse_model
 * appends the list of their channels), check the anchors, and end in the decoding op that turns every
 * level's maps into boxes with grids and anchors, which the description format has no primitive for.
 * Segment's Proto is data (proto.ts).
 */
import { BuildError, type Scope, type Value } from '../graph.ts';
import { msg } from '../messages/index.ts';
import { handWritten } from './define.ts';

function checkAnchors(anchors: unknown): number[][] {
  if (
    !Array.isArray(anchors) ||
    !anchors.length ||
    !anchors.every(
      (l) => Array.isArray(l) && l.length >= 2 && l.length % 2 === 0 && l.every((v) => typeof v === 'number'),
    )
  ) {
    throw new BuildError('bad-anchors', msg('anchors-per-level'));
  }
  const na = anchors[0].length;
  if (!anchors.every((l) => l.length === na)) throw new BuildError('bad-anchors', msg('anchors-same-count'));
  return anchors as number[][];
}

interface HeadParts {
  outs: Value[];
  anchors: number[][];
  na: number;
  no: number;
  /** predictions over all levels: sum of na * h * w */
  n: number;
}

function head(s: Scope, a: Record<string, any>, xs: Value[], nm: number): HeadParts {
  const anchors = checkAnchors(a.anchors);
  const ch: number[] = a.ch;
  if (!Number.isInteger(a.nc) || a.nc < 1) throw new BuildError('bad-nc', msg('detect-bad-nc', { got: String(a.nc) }));
  if (anchors.length !== xs.length) {
    throw new BuildError('anchor-levels', msg('anchor-levels', { levels: anchors.length, inputs: xs.length }));
  }
  const na = anchors[0].length / 2;
  const no = a.nc + 5 + nm;
  s.tensor('anchors', [anchors.length, na, 2], 'buffer');
  const m = s.container('m', 'ModuleList');
  const outs = xs.map((x, i) => m.conv2d(String(i), x, { cin: ch[i], cout: no * na, k: 1, bias: true }));
  const levels = outs.map((o) => o.shape[1] * o.shape[2] * na);
  const n = levels.reduce((p, c) => p + c, 0);
  return { outs, anchors, na, no, n };
}

/** The head's decode over its level maps: predictions [n, no] (Segment's with its mask prototypes beside). */
function decode(s: Scope, a: Record<string, any>, h: HeadParts, nm: number, proto?: Value): Value {
  const y = s.value([h.n, h.no]);
  s.op({
    kind: 'detect',
    name: s.path.slice(0, -1),
    xs: h.outs.map((o) => o.id),
    y: y.id,
    nc: a.nc,
    na: h.na,
    no: h.no,
    nm,
    anchors: h.anchors,
    ...(proto ? { proto: proto.id } : {}),
  });
  return y;
}

const nc = { name: 'nc', type: 'int' as const, default: '80', doc: { en: 'number of classes', zh: '类别数' } };
const anchors = {
  name: 'anchors',
  type: 'anchors' as const,
  default: '[]',
  doc: { en: 'anchors per level, or a count per level', zh: '每层的锚框，或每层的锚框个数' },
};
const ch = {
  name: 'ch',
  type: 'channels' as const,
  default: '[]',
  doc: { en: 'input channels per level (set by parse_model)', zh: '每层的输入通道数（由 parse_model 设置）' },
};
const inplace = {
  name: 'inplace',
  type: 'bool' as const,
  default: 'True',
  doc: { en: 'in-place decoding', zh: '原地解码' },
};

export const Detect = handWritten({
  name: 'Detect',
  category: 'head',
  description: {
    en: 'Detection head: a 1x1 conv per level to anchors x (5 + classes), decoded to boxes with grids and anchors.',
    zh: '检测头：每层一个 1x1 卷积输出 锚框数 x (5 + 类别数)，再用网格和锚框解码成框。',
  },
  parse: 'detect',
  multiInput: true,
  args: [nc, anchors, ch, inplace],
  build(s, a, xs) {
    return decode(s, a, head(s, a, xs, 0), 0);
  },
});

export const Segment = handWritten({
  name: 'Segment',
  category: 'head',
  description: {
    en: 'Segmentation head: Detect plus mask coefficients per box and a Proto module for mask prototypes.',
    zh: '分割头：Detect 加上每个框的掩码系数，以及生成掩码原型的 Proto 模块。',
  },
  parse: 'detect',
  multiInput: true,
  args: [
    nc,
    anchors,
    { name: 'nm', type: 'int', default: '32', doc: { en: 'number of masks', zh: '掩码个数' } },
    {
      name: 'npr',
      type: 'int',
      default: '256',
      doc: { en: 'prototype width (after the width multiple)', zh: '原型宽度（乘宽度系数之后）' },
    },
    ch,
    inplace,
  ],
  build(s, a, xs) {
    if (!Number.isInteger(a.nm) || a.nm < 1)
      throw new BuildError('bad-args', msg('segment-masks', { got: String(a.nm) }));
    const h = head(s, a, xs, a.nm);
    const proto = s.call('proto', 'Proto', [a.ch[0], a.npr, a.nm], [xs[0]]);
    return decode(s, a, h, a.nm, proto);
  },
});
