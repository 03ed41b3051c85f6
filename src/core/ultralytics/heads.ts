/**
 * Ultralytics' detection heads (release 8.3.253) as hand-written ModuleDefs: Detect (anchor-free, DFL over
 * reg_max = 16 bins), Segment, Pose, OBB, v10Detect, WorldDetect, YOLOEDetect and YOLOESegment.
 *
 * Why not descriptions: a head takes a variable number of levels, its class branch depends on a class attribute
 * parse_model sets (`legacy`), v10Detect deep-copies whole branches (a copy has its own activation instance), and
 * its eval output is assembled across levels and decoded with the model's strides. Everything inside a level
 * (Conv, DWConv, DFL, Proto) is an ordinary module, and the decoding steps are primitive operations (graph.ts).
 *
 * One file on purpose: the heads share their per-level branches and the decoding.
 */
import { msg } from '../messages/index.ts';
import { BuildError, type ArgSpec, type ModuleDef, type Pair, type Scope, type Value } from '../graph.ts';
import { textIn, translations, type Text } from '../text.ts';
import { textColumns } from './special.ts';

const HEAD = 'ultralytics.nn.modules.head';

/** A head of head.py: its description (English and Chinese), its arguments, a list of inputs (parse_model's 'detect' rule). */
function head(name: string, description: Text, args: ArgSpec[], build: ModuleDef['build']): ModuleDef {
  const descriptions = translations(description);
  return {
    name,
    torchPath: `${HEAD}.${name}`,
    category: 'head',
    description: textIn(description),
    ...(descriptions ? { descriptions } : {}),
    parse: 'detect',
    multiInput: true,
    args,
    build,
  };
}
export const REG_MAX = 16;

/** The heads whose class attribute `legacy` parse_model sets (the others inherit Detect's). */
export const LEGACY_HEADS = new Set(['Detect', 'YOLOEDetect', 'Segment', 'YOLOESegment', 'Pose', 'OBB']);

interface Levels {
  /** Per level [no, h, w] after cat(box branch, class branch). */
  outs: Value[];
  /** All levels flattened and concatenated: [no, anchors]. */
  flat: Value;
  levels: Pair[];
  anchors: number;
}

function checkHead(a: Record<string, any>, xs: Value[]): number[] {
  const ch: number[] = a.ch;
  if (!Number.isInteger(a.nc) || a.nc < 1) throw new BuildError('bad-nc', msg('ul.head-nc', { got: String(a.nc) }));
  if (!Array.isArray(ch) || ch.length !== xs.length || !ch.length)
    throw new BuildError('bad-args', msg('ul.head-channels'));
  return ch;
}

/**
 * Sequential(Conv(x, c, 3), Conv(c, c, 3), nn.Conv2d(c, out, 1)): the box branch, the legacy class branch and
 * the extra branches of Segment, Pose and OBB.
 */
function branch(list: Scope, i: number, x: Value, cin: number, c: number, out: number): Value {
  const seq = list.container(String(i), 'Sequential');
  let y = seq.call('0', 'Conv', [cin, c, 3], [x]);
  y = seq.call('1', 'Conv', [c, c, 3], [y]);
  return seq.conv2d('2', y, { cin: c, cout: out, k: 1, bias: true });
}

/** The class branch of Detect when not legacy: (DWConv 3x3, Conv 1x1) twice, then nn.Conv2d to `out`. */
function lightBranch(list: Scope, i: number, x: Value, cin: number, c3: number, out: number, grouped = false): Value {
  const seq = list.container(String(i), 'Sequential');
  // v10Detect writes the depth-wise convolutions as Conv(x, x, 3, g=x): the same parameters as DWConv
  const dw = (s: Scope, name: string, c: number, v: Value) =>
    grouped ? s.call(name, 'Conv', [c, c, 3, 1, null, c], [v]) : s.call(name, 'DWConv', [c, c, 3], [v]);
  const a = seq.container('0', 'Sequential');
  let y = dw(a, '0', cin, x);
  y = a.call('1', 'Conv', [cin, c3, 1], [y]);
  const b = seq.container('1', 'Sequential');
  y = dw(b, '0', c3, y);
  y = b.call('1', 'Conv', [c3, c3, 1], [y]);
  return seq.conv2d('2', y, { cin: c3, cout: out, k: 1, bias: true });
}

/** Detect's two branches per level and their flattened concatenation; `cls` builds a level's class branch. */
function levelsOf(
  s: Scope,
  xs: Value[],
  ch: number[],
  c2: number,
  names: [string, string],
  cls: (list: Scope, i: number, x: Value, cin: number) => Value,
  copies = false,
): Levels {
  // a deep copy of a branch list has its own instance of every shared activation (one per copy)
  const scopeOf = (name: string) => (copies ? s.deepCopy(name) : s);
  const box = scopeOf(names[0]).container(names[0], 'ModuleList');
  const boxes = xs.map((x, i) => branch(box, i, x, ch[i], c2, 4 * REG_MAX));
  const clsList = scopeOf(names[1]).container(names[1], 'ModuleList');
  const classes = xs.map((x, i) => cls(clsList, i, x, ch[i]));
  const outs = boxes.map((b, i) => s.cat([b, classes[i]]));
  return flatten(s, outs);
}

function flatten(s: Scope, outs: Value[]): Levels {
  const flat = s.cat(
    outs.map((o) => s.reshape(o, [o.shape[0], -1])),
    1,
  );
  return {
    outs,
    flat,
    levels: outs.map((o) => [o.shape[1], o.shape[2]] as Pair),
    anchors: flat.shape[1],
  };
}

/** Detect's eval output from [4 * reg_max + k, anchors]: boxes decoded through DFL, then k sigmoid scores. */
function inference(s: Scope, l: Levels, k: number, angle?: Value): Value {
  const [box, cls] = s.split(l.flat, [4 * REG_MAX, k], 0);
  const dist = s.call('dfl', 'DFL', [REG_MAX], [box]);
  const boxes = s.decode(
    { kind: 'anchorDecode', x: dist.id, levels: l.levels, ...(angle ? { angle: angle.id } : {}) },
    [4, l.anchors],
  );
  return s.cat([boxes, s.fn(cls, { type: 'Sigmoid' })], 0);
}

function widths(a: Record<string, any>, ch: number[]) {
  return { c2: Math.max(16, Math.floor(ch[0] / 4), 4 * REG_MAX), c3: Math.max(ch[0], Math.min(a.nc, 100)) };
}

/** Detect's modules and forward, shared by its subclasses: cv2, cv3 (per `legacy`), dfl. */
function detect(s: Scope, a: Record<string, any>, xs: Value[]): Levels {
  const ch = checkHead(a, xs);
  const { c2, c3 } = widths(a, ch);
  const legacy = !!s.b.opts.attrs?.legacy;
  return levelsOf(s, xs, ch, c2, ['cv2', 'cv3'], (list, i, x, cin) =>
    legacy ? branch(list, i, x, cin, c3, a.nc) : lightBranch(list, i, x, cin, c3, a.nc),
  );
}

/** A per-level extra branch (Segment's masks, Pose's keypoints, OBB's angle) as [out, anchors]. */
function extra(s: Scope, name: string, xs: Value[], ch: number[], c4: number, out: number): Value {
  const list = s.container(name, 'ModuleList');
  const ys = xs.map((x, i) => branch(list, i, x, ch[i], c4, out));
  return s.cat(
    ys.map((y) => s.reshape(y, [out, -1])),
    1,
  );
}

const chArg = {
  name: 'ch',
  type: 'channels' as const,
  default: [],
  doc: 'input channels per level (set by parse_model)',
  docs: { zh: '每层的输入通道数（由 parse_model 设置）' },
};
const ncArg = { name: 'nc', type: 'int' as const, default: 80, doc: 'number of classes', docs: { zh: '类别数' } };
/** Segment's and YOLOESegment's mask arguments. */
const maskArgs: ArgSpec[] = [
  { name: 'nm', type: 'int', default: 32, doc: 'number of masks', docs: { zh: '掩码个数' } },
  {
    name: 'npr',
    type: 'int',
    default: 256,
    doc: 'prototype width (scaled by parse_model)',
    docs: { zh: '原型宽度（由 parse_model 缩放）' },
  },
];

export const Detect = head(
  'Detect',
  {
    en: 'Anchor-free detection head: per level a box branch (4 x 16 distance bins, read through DFL) and a class branch; boxes decoded around the cell centres.',
    zh: '无锚框检测头：每层一个框分支（4 x 16 个距离区间，经 DFL 读出）和一个类别分支；框围绕网格中心解码。',
  },
  [ncArg, chArg],
  (s, a, xs) => {
    return inference(s, detect(s, a, xs), a.nc);
  },
);

export const Segment = head(
  'Segment',
  {
    en: 'Segmentation head: Detect plus 32 mask coefficients per anchor and a Proto module (prototype masks at twice the first level).',
    zh: '分割头：Detect 加上每个锚点 32 个掩码系数和一个 Proto 模块（在第一层两倍分辨率上生成原型掩码）。',
  },
  [ncArg, ...maskArgs, chArg],
  (s, a, xs) => {
    if (!Number.isInteger(a.nm) || a.nm < 1)
      throw new BuildError('bad-args', msg('ul.segment-nm', { got: String(a.nm) }));
    const ch = checkHead(a, xs);
    const l = detect(s, a, xs);
    const det = inference(s, l, a.nc);
    s.call('proto', 'Proto', [ch[0], a.npr, a.nm], [xs[0]]);
    const mc = extra(s, 'cv4', xs, ch, Math.max(Math.floor(ch[0] / 4), a.nm), a.nm);
    return s.cat([det, mc], 0);
  },
);

export const Pose = head(
  'Pose',
  {
    en: 'Pose head: Detect plus kpt_shape[0] x kpt_shape[1] keypoint values per anchor (x, y and visibility).',
    zh: '姿态头：Detect 加上每个锚点 kpt_shape[0] x kpt_shape[1] 个关键点数值（x、y 和可见度）。',
  },
  [
    ncArg,
    {
      name: 'kpt_shape',
      type: 'ints',
      default: [17, 3],
      doc: 'keypoints, values per keypoint',
      docs: { zh: '关键点数、每个关键点的数值个数' },
    },
    chArg,
  ],
  (s, a, xs) => {
    const kpt = a.kpt_shape;
    if (!Array.isArray(kpt) || kpt.length !== 2 || !kpt.every((v) => Number.isInteger(v) && v > 0))
      throw new BuildError('bad-args', msg('ul.pose-kpt-shape', { got: String(JSON.stringify(kpt)) }));
    const ch = checkHead(a, xs);
    const nk = kpt[0] * kpt[1];
    const l = detect(s, a, xs);
    const k = extra(s, 'cv4', xs, ch, Math.max(Math.floor(ch[0] / 4), nk), nk);
    const det = inference(s, l, a.nc);
    const pred = s.decode({ kind: 'keypointDecode', x: k.id, levels: l.levels, ndim: kpt[1] }, [nk, l.anchors]);
    return s.cat([det, pred], 0);
  },
);

export const OBB = head(
  'OBB',
  {
    en: 'Oriented-box head: Detect plus an angle per anchor; boxes decoded rotated.',
    zh: '旋转框头：Detect 加上每个锚点一个角度；框按旋转解码。',
  },
  [
    ncArg,
    {
      name: 'ne',
      type: 'int',
      default: 1,
      doc: 'extra values per anchor (the angle)',
      docs: { zh: '每个锚点的额外数值（角度）' },
    },
    chArg,
  ],
  (s, a, xs) => {
    const ch = checkHead(a, xs);
    const l = detect(s, a, xs);
    const logits = extra(s, 'cv4', xs, ch, Math.max(Math.floor(ch[0] / 4), a.ne), a.ne);
    const angle = s.scale(s.fn(logits, { type: 'Sigmoid' }), Math.PI, -0.25 * Math.PI);
    const det = inference(s, l, a.nc, angle);
    return s.cat([det, angle], 0);
  },
);

export const v10Detect = head(
  'v10Detect',
  {
    en: 'YOLOv10 end-to-end head: one-to-many branches for training and deep-copied one-to-one branches whose top 300 predictions are the output (no NMS).',
    zh: 'YOLOv10 端到端检测头：训练用的一对多分支，以及深拷贝的一对一分支，取其前 300 个预测作为输出（无需 NMS）。',
  },
  [ncArg, chArg],
  (s, a, xs) => {
    const ch = checkHead(a, xs);
    const { c2, c3 } = widths(a, ch);
    const cls = (list: Scope, i: number, x: Value, cin: number) => lightBranch(list, i, x, cin, c3, a.nc, true);
    // registration order: cv2, cv3, dfl, one2one_cv2, one2one_cv3; the copies share one activation instance each
    levelsOf(s, xs, ch, c2, ['cv2', 'cv3'], cls);
    const o2o = levelsOf(s, xs, ch, c2, ['one2one_cv2', 'one2one_cv3'], cls, true);
    const y = inference(s, o2o, a.nc);
    const k = Math.min(300, o2o.anchors);
    const pred = s.permute(y, [1, 0]);
    return s.decode({ kind: 'topk', x: pred.id, k, nc: a.nc }, [k, 6]);
  },
);

/** The class-prompt embeddings, the last input of the world and YOLOE heads, as [embed, K, 1] columns. */
function splitText(s: Scope, xs: Value[], name: string): [Value[], Value] {
  const text = xs[xs.length - 1];
  if (!text || xs.length < 2) throw new BuildError('needs-text', msg('ul.needs-text', { module: name }));
  return [xs.slice(0, -1), textColumns(s, text)];
}

/** WorldDetect and YOLOEDetect: Detect whose class branch ends in an embedding, scored against the text. */
function worldHead(
  s: Scope,
  a: Record<string, any>,
  levels: Value[],
  text: Value,
  o: { legacyBranch: boolean; bn: boolean },
): Levels {
  const ch = checkHead(a, levels);
  const { c2, c3 } = widths(a, ch);
  const box = s.container('cv2', 'ModuleList');
  const boxes = levels.map((x, i) => branch(box, i, x, ch[i], c2, 4 * REG_MAX));
  const cls = s.container('cv3', 'ModuleList');
  const embeds = levels.map((x, i) =>
    o.legacyBranch ? branch(cls, i, x, ch[i], c3, a.embed) : lightBranch(cls, i, x, ch[i], c3, a.embed),
  );
  const heads = s.container('cv4', 'ModuleList');
  const scores = embeds.map((e, i) => heads.contrastive(String(i), e, text, o.bn));
  return flatten(
    s,
    boxes.map((b, i) => s.cat([b, scores[i]])),
  );
}

const embedArgs = [
  { name: 'embed', type: 'int' as const, default: 512, doc: 'text embedding width', docs: { zh: '文本嵌入宽度' } },
  {
    name: 'with_bn',
    type: 'bool' as const,
    default: false,
    doc: 'batch norm in the contrastive heads',
    docs: { zh: '对比头中的批归一化' },
  },
];

export const WorldDetect = head(
  'WorldDetect',
  {
    en: "YOLO-World's open-vocabulary head: Detect whose class branch ends in an embedding, scored against each class prompt's text embedding.",
    zh: 'YOLO-World 的开放词汇检测头：类别分支输出嵌入，与每个类别提示的文本嵌入计算得分。',
  },
  [ncArg, ...embedArgs, chArg],
  (s, a, xs) => {
    const [levels, text] = splitText(s, xs, 'WorldDetect');
    const l = worldHead(s, a, levels, text, { legacyBranch: true, bn: !!a.with_bn });
    return inference(s, l, text.shape[1]);
  },
);

/** YOLOE's prompt modules (used with text or visual prompts, not by the plain forward): built idle. */
function yoloePrompts(scope: Scope, ch: number[], c3: number, embed: number, levels: Value[]) {
  const s = scope.unused();
  // reprta = Residual(SwiGLUFFN(embed, embed)): w12 Linear(embed, 4 embed), w3 Linear(2 embed, embed)
  const ffn = s.child('reprta', 'Residual').child('m', 'SwiGLUFFN');
  const tokens = s.value([embed, 1, 1]);
  const [x1, x2] = s.split(ffn.linear('w12', tokens, embed, 4 * embed, true), [2 * embed, 2 * embed]);
  ffn.linear('w3', s.mul(s.fn(x1, { type: 'SiLU' }), x2), 2 * embed, embed, true);
  // savpe = SAVPE(ch, c3, embed)
  const sv = s.child('savpe', 'SAVPE');
  const cv1 = sv.container('cv1', 'ModuleList');
  const cv2 = sv.container('cv2', 'ModuleList');
  levels.forEach((x, i) => {
    const up = i === 1 || i === 2;
    const a = cv1.container(String(i), 'Sequential');
    a.call('1', 'Conv', [c3, c3, 3], [a.call('0', 'Conv', [ch[i], c3, 3], [x])]);
    a.child('2', up ? 'Upsample' : 'Identity');
    const b = cv2.container(String(i), 'Sequential');
    b.call('0', 'Conv', [ch[i], c3, 1], [x]);
    b.child('1', up ? 'Upsample' : 'Identity');
  });
  const probe = (c: number) => s.value([c, 8, 8]);
  sv.conv2d('cv3', probe(3 * c3), { cin: 3 * c3, cout: embed, k: 1, bias: true });
  sv.conv2d('cv4', probe(3 * c3), { cin: 3 * c3, cout: 16, k: 3, p: 1, bias: true });
  sv.conv2d('cv5', probe(1), { cin: 1, cout: 16, k: 3, p: 1, bias: true });
  const cv6 = sv.container('cv6', 'Sequential');
  cv6.conv2d('1', cv6.call('0', 'Conv', [32, 16, 3], [probe(32)]), { cin: 16, cout: 16, k: 3, p: 1, bias: true });
}

function yoloeDetect(s: Scope, a: Record<string, any>, xs: Value[], name: string) {
  const [levels, text] = splitText(s, xs, name);
  const ch = checkHead(a, levels);
  const { c3 } = widths(a, ch);
  if (c3 > a.embed)
    throw new BuildError('bad-args', msg('ul.yoloe-embed', { module: name, width: c3, embed: a.embed }));
  if (!a.with_bn) throw new BuildError('bad-args', msg('ul.needs-with-bn', { module: name }));
  const l = worldHead(s, a, levels, text, { legacyBranch: !!s.b.opts.attrs?.legacy, bn: true });
  yoloePrompts(s, ch, c3, a.embed, levels);
  return { l, ch, levels, k: text.shape[1] };
}

export const YOLOEDetect = head(
  'YOLOEDetect',
  {
    en: "YOLOE's open-vocabulary head: Detect scored against text or visual prompt embeddings, with the modules that make those embeddings.",
    zh: 'YOLOE 的开放词汇检测头：与文本或视觉提示嵌入计算得分的 Detect，带有生成这些嵌入的模块。',
  },
  [ncArg, ...embedArgs, chArg],
  (s, a, xs) => {
    const { l, k } = yoloeDetect(s, a, xs, 'YOLOEDetect');
    return inference(s, l, k);
  },
);

export const YOLOESegment = head(
  'YOLOESegment',
  {
    en: "YOLOE's segmentation head: YOLOEDetect plus mask coefficients and a Proto module.",
    zh: 'YOLOE 的分割头：YOLOEDetect 加上掩码系数和一个 Proto 模块。',
  },
  [ncArg, ...maskArgs, ...embedArgs, chArg],
  (s, a, xs) => {
    const { l, ch, levels, k } = yoloeDetect(s, a, xs, 'YOLOESegment');
    const det = inference(s, l, k);
    s.call('proto', 'Proto', [ch[0], a.npr, a.nm], [levels[0]]);
    const mc = extra(s, 'cv5', levels, ch, Math.max(Math.floor(ch[0] / 4), a.nm), a.nm);
    return s.cat([det, mc], 0);
  },
);
