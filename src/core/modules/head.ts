/** Detection heads: Detect, Segment (with Proto). */
import { BuildError, type ModuleDef, type Scope, type Value } from '../graph.ts';

export const Proto: ModuleDef = {
  name: 'Proto',
  torchPath: 'models.common.Proto',
  category: 'head',
  internal: true,
  description: 'Mask prototypes: a 3x3 Conv, 2x upsampling, a 3x3 Conv and a 1x1 Conv to the mask count.',
  parse: 'passthrough',
  args: [
    { name: 'c1', type: 'int', required: true, doc: 'input channels' },
    { name: 'c_', type: 'int', default: 256, doc: 'prototype width' },
    { name: 'c2', type: 'int', default: 32, doc: 'masks' },
  ],
  build(s, a, [x]) {
    let y = s.call('cv1', 'Conv', [a.c1, a.c_, 3], [x]);
    y = s.upsample('upsample', y, [2, 2], 'nearest');
    y = s.call('cv2', 'Conv', [a.c_, a.c_, 3], [y]);
    return s.call('cv3', 'Conv', [a.c_, a.c2], [y]);
  },
};

function checkAnchors(anchors: unknown): number[][] {
  if (
    !Array.isArray(anchors) ||
    !anchors.length ||
    !anchors.every(
      (l) => Array.isArray(l) && l.length >= 2 && l.length % 2 === 0 && l.every((v) => typeof v === 'number'),
    )
  ) {
    throw new BuildError(
      'bad-anchors',
      'anchors must be a list with one list of (width, height) pairs per detection level, e.g. [[10, 13, 16, 30, 33, 23], ...]',
    );
  }
  const na = anchors[0].length;
  if (!anchors.every((l) => l.length === na))
    throw new BuildError('bad-anchors', 'every detection level needs the same number of anchors');
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
  if (!Number.isInteger(a.nc) || a.nc < 1)
    throw new BuildError('bad-nc', `nc (the number of classes) must be a whole number of at least 1, got ${a.nc}`);
  if (anchors.length !== xs.length) {
    throw new BuildError(
      'anchor-levels',
      `${anchors.length} anchor levels but ${xs.length} inputs: Detect needs one anchor list per input layer`,
    );
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

export const Detect: ModuleDef = {
  name: 'Detect',
  torchPath: 'models.yolo.Detect',
  category: 'head',
  description:
    'Detection head: a 1x1 conv per level to anchors x (5 + classes), decoded to boxes with grids and anchors.',
  parse: 'detect',
  multiInput: true,
  args: [
    { name: 'nc', type: 'int', default: 80, doc: 'number of classes' },
    { name: 'anchors', type: 'anchors', default: [], doc: 'anchors per level, or a count per level' },
    { name: 'ch', type: 'channels', default: [], doc: 'input channels per level (set by parse_model)' },
    { name: 'inplace', type: 'bool', default: true, doc: 'in-place decoding' },
  ],
  build(s, a, xs) {
    const h = head(s, a, xs, 0);
    const y = s.value([h.n, h.no]);
    s.op({
      kind: 'detect',
      name: s.path.slice(0, -1),
      xs: h.outs.map((o) => o.id),
      y: y.id,
      nc: a.nc,
      na: h.na,
      no: h.no,
      nm: 0,
      anchors: h.anchors,
    });
    return y;
  },
};

export const Segment: ModuleDef = {
  name: 'Segment',
  torchPath: 'models.yolo.Segment',
  category: 'head',
  description: 'Segmentation head: Detect plus mask coefficients per box and a Proto module for mask prototypes.',
  parse: 'detect',
  multiInput: true,
  args: [
    { name: 'nc', type: 'int', default: 80, doc: 'number of classes' },
    { name: 'anchors', type: 'anchors', default: [], doc: 'anchors per level, or a count per level' },
    { name: 'nm', type: 'int', default: 32, doc: 'number of masks' },
    { name: 'npr', type: 'int', default: 256, doc: 'prototype width (after the width multiple)' },
    { name: 'ch', type: 'channels', default: [], doc: 'input channels per level (set by parse_model)' },
    { name: 'inplace', type: 'bool', default: true, doc: 'in-place decoding' },
  ],
  build(s, a, xs) {
    if (!Number.isInteger(a.nm) || a.nm < 1)
      throw new BuildError('bad-args', `Segment needs a whole number of masks, got ${a.nm}`);
    const h = head(s, a, xs, a.nm);
    const proto = s.call('proto', 'Proto', [a.ch[0], a.npr, a.nm], [xs[0]]);
    const y = s.value([h.n, h.no]);
    s.op({
      kind: 'detect',
      name: s.path.slice(0, -1),
      xs: h.outs.map((o) => o.id),
      y: y.id,
      nc: a.nc,
      na: h.na,
      no: h.no,
      nm: a.nm,
      anchors: h.anchors,
      proto: proto.id,
    });
    return y;
  },
};
