/** Activations as PyTorch computes them, and which of them tfjs can fuse into a convolution. */
import * as tf from '@tensorflow/tfjs-core';
import type { ActSpec } from '../core/index.ts';
import { silu } from './silu.ts';

export type FusedAct = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu';

/** The tfjs fused activation equal to `a` (none: `a` runs after the convolution). */
export function fusedAct(a: ActSpec | undefined): { act: FusedAct; alpha?: number } | undefined {
  if (!a || a.type === 'Identity') return { act: 'linear' };
  switch (a.type) {
    case 'ReLU':
      return { act: 'relu' };
    case 'ReLU6':
      return { act: 'relu6' };
    case 'Sigmoid':
      return { act: 'sigmoid' };
    case 'LeakyReLU':
      return { act: 'leakyrelu', alpha: a.alpha ?? 0.01 };
    case 'ELU':
      return (a.alpha ?? 1) === 1 ? { act: 'elu' } : undefined;
    default:
      return undefined;
  }
}

/** An activation as PyTorch computes it. */
export function applyAct(x: tf.Tensor, a: ActSpec): tf.Tensor {
  return tf.tidy(() => {
    switch (a.type) {
      case 'SiLU':
        return silu(x);
      case 'ReLU':
        return tf.relu(x);
      case 'ReLU6':
        return tf.relu6(x);
      case 'LeakyReLU':
        return tf.leakyRelu(x, a.alpha ?? 0.01);
      case 'Hardswish':
        return tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6);
      case 'Hardsigmoid':
        return tf.div(tf.relu6(tf.add(x, 3)), 6);
      case 'Sigmoid':
        return tf.sigmoid(x);
      case 'Tanh':
        return tf.tanh(x);
      case 'Mish':
        // softplus as PyTorch: x above 20
        return tf.mul(x, tf.tanh(tf.where(tf.greater(x, 20), x, tf.softplus(x))));
      case 'GELU':
        return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
      case 'ELU': {
        const al = a.alpha ?? 1;
        return al === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(tf.sub(tf.exp(x), 1), al));
      }
      default:
        return tf.clone(x);
    }
  });
}

/** applyAct, disposing the input. */
export function applyActDispose(x: tf.Tensor, a: ActSpec): tf.Tensor {
  const y = applyAct(x, a);
  if (y !== x) x.dispose();
  return y;
}
