/**
 * What a layer's build produces (graph.ts's Builder and Scope make it): values of known [C, H, W] shape, the
 * primitive operations on them (Op: the vocabulary src/runtime executes, the "look inside" view draws and the
 * FLOPs are counted on), the module tree's nodes and their tensors (parameters, state_dict names), and notes.
 * Data only: no building here.
 */
import type { Message } from './messages/index.ts';

/** [C, H, W] for feature maps (NaN where a size is unknown because an input failed). */
export type Shape = number[];

export interface Value {
  readonly id: number;
  readonly shape: Shape;
}

/** An activation function, as PyTorch constructs it. */
export interface ActSpec {
  type:
    | 'SiLU'
    | 'ReLU'
    | 'ReLU6'
    | 'LeakyReLU'
    | 'Hardswish'
    | 'Hardsigmoid'
    | 'Sigmoid'
    | 'Tanh'
    | 'Mish'
    | 'GELU'
    | 'ELU'
    | 'Identity';
  /** LeakyReLU's negative_slope, ELU's alpha. */
  alpha?: number;
  /** One instance shared by every module holding it (a default argument's module): counted once per model. */
  shared?: string;
}

export type Pair = [number, number];

export type Op =
  | {
      kind: 'conv2d';
      name: string;
      x: number;
      y: number;
      cin: number;
      cout: number;
      k: Pair;
      s: Pair;
      p: Pair;
      d: Pair;
      groups: number;
      bias: boolean;
    }
  | {
      kind: 'convTranspose2d';
      name: string;
      x: number;
      y: number;
      cin: number;
      cout: number;
      k: Pair;
      s: Pair;
      p: Pair;
      outPad: Pair;
      d: Pair;
      groups: number;
      bias: boolean;
    }
  | { kind: 'batchNorm'; name: string; x: number; y: number; c: number; eps: number }
  | { kind: 'act'; name: string; x: number; y: number; act: ActSpec }
  /** Concatenation along `axis` (0, the channels, when absent). */
  | { kind: 'concat'; xs: number[]; y: number; axis?: number }
  | { kind: 'add'; xs: number[]; y: number }
  /** Elementwise product; sizes of 1 broadcast. */
  | { kind: 'mul'; xs: number[]; y: number }
  /** Indices [start, end) of `axis` (0, the channels, when absent): torch.split / chunk pieces. */
  | { kind: 'slice'; x: number; y: number; start: number; end: number; axis?: number }
  /** Row-major reshape of the value (the batch stays in front: [B, *x] -> [B, *shape]). */
  | { kind: 'reshape'; x: number; y: number; shape: number[] }
  /** y.shape[i] = x.shape[dims[i]] (the batch axis stays first). */
  | { kind: 'permute'; x: number; y: number; dims: number[] }
  /** Softmax along `axis` (torch.softmax(dim=axis + 1) with the batch). */
  | { kind: 'softmax'; x: number; y: number; axis: number }
  /**
   * Batched matrix product over the last two axes, leading axes equal: (a or a^T) @ (b or b^T). Not counted in
   * FLOPs: the reference figures count Conv2d, ConvTranspose2d and Linear modules only.
   */
  | { kind: 'matmul'; xs: [number, number]; y: number; transA: boolean; transB: boolean }
  /** x * factor + offset, constants (attention's 1/sqrt(d); OBB's (sigmoid - 0.25) * pi). */
  | { kind: 'scale'; x: number; y: number; factor: number; offset?: number }
  /** F.avg_pool2d(x, k, s, p, ceil, count_include_pad) over [C, H, W]. */
  | {
      kind: 'avgPool';
      x: number;
      y: number;
      k: Pair;
      s: Pair;
      p: Pair;
      ceil: boolean;
      countIncludePad: boolean;
    }
  /** F.interpolate(x, size=[h, w], mode='nearest') over [C, H, W]: source index floor(i * in / out). */
  | { kind: 'resize'; x: number; y: number; size: Pair }
  /**
   * Adaptive max or average pooling of [C, H, W] to [C, size[0], size[1]]: output cell i covers input rows
   * floor(i * H / out) to ceil((i + 1) * H / out) (and likewise columns), as PyTorch's AdaptiveMax/AvgPool2d.
   */
  | { kind: 'adaptivePool'; x: number; y: number; op: 'max' | 'avg'; size: Pair }
  /** F.normalize(x, p=2, dim=axis): x / max(||x||, 1e-12) along the axis. */
  | { kind: 'normalize'; x: number; y: number; axis: number }
  /** nn.LayerNorm(c) over the channel vector at every position of a [C, ...] value (weight, bias, eps). */
  | { kind: 'layerNorm'; name: string; x: number; y: number; c: number; eps: number }
  /** A learned tensor read as a value (A2C2f's gamma [c2] as [c2, 1, 1]): state_dict entry `name`. */
  | { kind: 'param'; name: string; y: number; shape: number[] }
  /**
   * YOLO-World's (BN)ContrastiveHead: `x` [e, h, w] (L2-normalised over e unless it went through the head's batch
   * norm), `text` [e, K, 1] L2-normalised over e; y[k, h, w] = (text[:, k] . x[:, h, w]) * exp(logit_scale) + bias,
   * with the scalars `${name}.logit_scale` and `${name}.bias`.
   */
  | { kind: 'contrastive'; name: string; x: number; text: number; y: number; normalizeX: boolean }
  /**
   * AIFI's fixed 2-D sin-cos position embedding for a [c, h, w] map, as a [c, h, w] value: with d = c / 4,
   * omega_k = 1 / temperature^(k / d), and for the token t = row * w + col of x.flatten(2), i = floor(t / h),
   * j = t mod h: channels [sin(i omega), cos(i omega), sin(j omega), cos(j omega)] (Ultralytics' own
   * meshgrid order, which transposes a square map).
   */
  | { kind: 'posEmbed'; y: number; c: number; h: number; w: number; temperature: number }
  /**
   * Ultralytics' anchor-free box decoding (dist2bbox / dist2rbox): `x` is [4, A] distances (left, top, right,
   * bottom) from the anchor points (cell centres + 0.5 of every level, levels in order, row-major), in grid
   * units; boxes (cx, cy, w, h) or, with `angle` [1, A], rotated (cx, cy, w, h) are multiplied by the level's
   * stride (the model's strides). `levels` are each level's [h, w].
   */
  | { kind: 'anchorDecode'; x: number; y: number; levels: Pair[]; angle?: number }
  /**
   * Pose keypoints [nk, A] decoded in place: x, y as (v * 2 + anchor - 0.5) * stride, a third value (visibility)
   * through a sigmoid (kpt_shape [k, ndim]).
   */
  | { kind: 'keypointDecode'; x: number; y: number; levels: Pair[]; ndim: number }
  /**
   * RT-DETR's decoder in inference, as RTDETRDecoder.forward does it with the module weights under `name`: the
   * levels projected (input_proj), flattened to A tokens; enc_output, scores and the top `nq` tokens as queries with
   * boxes from enc_bbox_head plus the anchors; `ndl` deformable decoder layers up to `evalIdx`; y is [nq, 4 + nc]
   * (sigmoid boxes cx, cy, w, h and sigmoid scores).
   */
  | {
      kind: 'rtdetrDecoder';
      name: string;
      xs: number[];
      y: number;
      nc: number;
      hd: number;
      nq: number;
      nh: number;
      ndp: number;
      ndl: number;
      evalIdx: number;
    }
  /** v10Detect's postprocess of [A, 4 + nc] predictions: the best min(k, A) as [x1, y1, x2, y2, score, class]. */
  | { kind: 'topk'; x: number; y: number; k: number; nc: number }
  | { kind: 'maxPool'; name: string; x: number; y: number; k: Pair; s: Pair; p: Pair; d: Pair; ceil: boolean }
  | { kind: 'avgPoolGlobal'; x: number; y: number }
  /** Mean or max over channels ('c', keeps 1 channel), height ('h'), width ('w') or both ('hw'), keeping dims. */
  | { kind: 'reduce'; x: number; y: number; op: 'mean' | 'max'; axis: 'c' | 'h' | 'w' | 'hw' }
  | { kind: 'upsample'; name: string; x: number; y: number; scale: Pair; mode: 'nearest' | 'bilinear' }
  | { kind: 'zeroPad'; name: string; x: number; y: number; pad: [number, number, number, number] }
  | { kind: 'focus'; x: number; y: number }
  | { kind: 'contract'; x: number; y: number; gain: number }
  | { kind: 'expand'; x: number; y: number; gain: number }
  /** nn.Linear applied to the channel vector at every position (tokens of a transformer). */
  | { kind: 'linear'; name: string; x: number; y: number; cin: number; cout: number; bias: boolean }
  /** nn.MultiheadAttention over the H*W positions (row-major tokens). */
  | { kind: 'attention'; name: string; q: number; k: number; v: number; y: number; embed: number; heads: number }
  /** Detect/Segment decoding: per level [na * no] channel maps to predictions. */
  | {
      kind: 'detect';
      name: string;
      xs: number[];
      y: number;
      nc: number;
      na: number;
      no: number;
      nm: number;
      anchors: number[][];
      proto?: number;
    };

/**
 * A module instance shared by every module that uses it, counted once per model: a class's `default_act`
 * (Ultralytics' RepConv and ConvTranspose keep their own SiLU), or a default argument that is a module
 * (`HGBlock(act=nn.ReLU())`).
 */
export interface SharedAct {
  key: string;
  spec: ActSpec;
}

/** A head's decoding operation without its output value. */
export type DecodeOp =
  Extract<Op, { kind: 'anchorDecode' | 'keypointDecode' | 'topk' }> extends infer T
    ? T extends { y: number }
      ? Omit<T, 'y'>
      : never
    : never;

export interface TensorDecl {
  name: string;
  shape: number[];
  /** 'param' counts as a parameter; 'buffer' is state (running stats, anchors). */
  kind: 'param' | 'buffer';
  dtype?: 'float32' | 'int64';
  /** The value every element starts at (a description's learned param; default: the module's own init). */
  init?: number;
}

export interface ModNode {
  /** PyTorch class name: Conv, Conv2d, BatchNorm2d, SiLU, Sequential, ModuleList, C3, ... */
  type: string;
  /** Attribute name in the parent (state_dict path segment). */
  name: string;
  children: ModNode[];
  tensors: TensorDecl[];
  /** Set for an instance shared between modules (Conv.default_act), counted once per model. */
  shared?: string;
}

export interface Note {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: Message;
}

/** The values an operation reads. */
export function opInputs(o: Op): number[] {
  if ('xs' in o) return o.kind === 'detect' && o.proto !== undefined ? [...o.xs, o.proto] : o.xs;
  if (o.kind === 'attention') return [o.q, o.k, o.v];
  if (o.kind === 'anchorDecode') return o.angle !== undefined ? [o.x, o.angle] : [o.x];
  if (o.kind === 'contrastive') return [o.x, o.text];
  if ('x' in o) return [o.x];
  return [];
}
