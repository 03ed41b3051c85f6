/** Tensor steps: the batched matrix product taken pair by pair on wasm equals tfjs's own. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from './backend-node.ts';
import { batchMatMul } from './tensor-steps.ts';

describe('batchMatMul on wasm', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it("equals tf.matMul for batches of pairs, either operand transposed (C2PSA's and AIFI's attention shapes)", () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[4, 8, 5], [4, 8, 6], true, false], // q^T @ k
      [[4, 7, 6], [4, 9, 6], false, true], // v @ attn^T
      [[2, 3, 5, 4], [2, 3, 4, 6], false, false], // two leading axes
      [[1, 5, 4], [1, 5, 3], true, false], // one transposed pair
      [[3, 4], [4, 2], false, false], // plain 2D
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const a = tf.randomNormal(sa, 0, 1, 'float32', 1);
      const b = tf.randomNormal(sb, 0, 1, 'float32', 2);
      const want = tf.matMul(a, b, ta, tb);
      const got = batchMatMul(a, b, ta, tb);
      expect(got.shape, `${sa} ${sb}`).toEqual(want.shape);
      expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0], `${sa} ${sb}`).toBeLessThan(1e-5);
      tf.dispose([a, b, want, got]);
    }
  });

  it('leaves no tensors behind', () => {
    const a = tf.randomNormal([4, 8, 5]);
    const b = tf.randomNormal([4, 8, 6]);
    const before = tf.memory().numTensors;
    batchMatMul(a, b, true, false).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
