/** What every step builder shares: the step itself, its context, and folding a batch norm. */
import type * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../core/index.ts';
import { keyOf } from './model.ts';
import type { StateTensor } from './weights.ts';

type T = tf.Tensor;

/** One executable step of a layer: reads local values, writes one. */
export interface Step {
  ins: number[];
  out: number;
  run(xs: T[]): T;
  /** Local values that die after this step. */
  free?: number[];
}

/** What a step builder may use: the layer's weights and a place for the tensors it makes. */
export interface StepContext {
  layer: number;
  /** A state_dict tensor (the network records which parameters it read). */
  get(key: string): StateTensor;
  /** A tensor the network owns from now on (disposed with it). */
  keep<X extends T>(t: X): X;
  /** Batch norm epsilon used to fold (YOLOv5: 1e-3). */
  eps: number;
  /** The core's shape of each local value of the layer (its rank decides the tensor's layout). */
  shapes?: Map<number, Shape>;
  /** Rank-3 values kept in PyTorch's layout instead of NHWC (tensor-steps.ts's torchValues). */
  torch?: Set<number>;
  /** The model's strides per level (anchor-free heads decode with them). */
  strides?: number[];
}

/** A batch norm's scale and shift: y = x * scale + shift (float64 until folded). */
export function foldNorm(ctx: StepContext, name: string, c: number) {
  const w = ctx.get(keyOf(ctx.layer, name, 'weight')).data;
  const b = ctx.get(keyOf(ctx.layer, name, 'bias')).data;
  const m = ctx.get(keyOf(ctx.layer, name, 'running_mean')).data;
  const v = ctx.get(keyOf(ctx.layer, name, 'running_var')).data;
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    scale[k] = w[k] / Math.sqrt(v[k] + ctx.eps);
    shift[k] = b[k] - m[k] * scale[k];
  }
  return { scale, shift };
}
