/**
 * Slicing and concatenating on the wasm backend within its memory: the same values as tfjs's own Slice and Concat,
 * for any rank, cut and axis.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from './backend-node.ts';
import { concat, CONCAT_KERNEL, slice, SLICE_KERNEL } from './slice.ts';

describe('slice within the wasm memory', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it("equals tfjs's Slice for ranks 1 to 5, every kind of cut, -1 sizes, and keeps its input", () => {
    let seed = 5;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n) >>> 0;
    for (let t = 0; t < 300; t++) {
      const rank = 1 + (t % 5);
      const shape = Array.from({ length: rank }, () => 1 + rnd(6));
      const begin = shape.map((d) => rnd(d));
      const size = shape.map((d, k) => (rnd(4) === 0 ? -1 : 1 + rnd(d - begin[k])));
      const x = tf.randomNormal(shape, 0, 1, 'float32', t);
      const before = x.dataSync().slice();
      const want = tf.slice(x, begin, size);
      const got = slice(x, begin, size);
      expect(got.shape, `${shape} ${begin} ${size}`).toEqual(want.shape);
      expect(got.dataSync(), `${shape} ${begin} ${size}`).toEqual(want.dataSync());
      expect(x.dataSync()).toEqual(before);
      tf.dispose([x, want, got]);
    }
  });

  it("is one kernel of ours (Detect's cut of its [1, 144, 8400] rows), and tfjs's elsewhere", async () => {
    const x = tf.randomNormal([1, 144, 8400]);
    const p = await tf.profile(() => slice(x, [0, 64, 0], [1, 80, -1]));
    expect(p.kernelNames).toEqual([SLICE_KERNEL]);
    const y = p.result as tf.Tensor;
    expect(y.shape).toEqual([1, 80, 8400]);
    expect(y.dataSync()).toEqual(x.dataSync().subarray(64 * 8400));
    // int32 (not ours) and an empty cut
    const i = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32');
    expect(Array.from(slice(i, [1, 0], [1, 2]).dataSync())).toEqual([3, 4]);
    expect(slice(x, [0, 3, 0], [1, 0, -1]).shape).toEqual([1, 0, 8400]);
    tf.dispose([x, y, i]);
  });

  it("concatenates as tfjs's Concat for ranks 1 to 5, any axis (negative too), 2 to 4 inputs, empty ones, and keeps its inputs", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n) >>> 0;
    for (let t = 0; t < 300; t++) {
      const rank = 1 + (t % 5);
      const axis = rnd(rank);
      const shape = Array.from({ length: rank }, () => 1 + rnd(5));
      const xs = Array.from({ length: 2 + rnd(3) }, (_, k) => {
        const s = [...shape];
        s[axis] = rnd(6) === 0 ? 0 : 1 + rnd(5);
        return tf.randomNormal(s, 0, 1, 'float32', 100 * t + k);
      });
      const before = xs.map((x) => x.dataSync().slice());
      const ax = t % 7 === 0 ? axis - rank : axis;
      const want = tf.concat(xs, ax);
      const got = concat(xs, ax);
      const what = `${xs.map((x) => `[${x.shape}]`).join(' ')} axis ${ax}`;
      expect(got.shape, what).toEqual(want.shape);
      expect(got.dataSync(), what).toEqual(want.dataSync());
      xs.forEach((x, k) => expect(x.dataSync()).toEqual(before[k]));
      tf.dispose([...xs, want, got]);
    }
  });

  it("is one kernel of ours (a head's concatenation of channels at 80x80), and tfjs's elsewhere", async () => {
    const a = tf.randomNormal([1, 80, 80, 64]);
    const b = tf.randomNormal([1, 80, 80, 32]);
    const p = await tf.profile(() => concat([a, b], 3));
    expect(p.kernelNames).toEqual([CONCAT_KERNEL]);
    const y = p.result as tf.Tensor;
    const want = tf.concat([a, b], 3);
    expect(y.dataSync()).toEqual(want.dataSync());
    // int32 and mismatched shapes: tfjs's (with its own error)
    const i = tf.tensor1d([1, 2], 'int32');
    expect(Array.from(concat([i, i], 0).dataSync())).toEqual([1, 2, 1, 2]);
    expect(() => concat([a, tf.zeros([1, 80, 79, 32])], 3)).toThrow();
    tf.dispose([a, b, y, want, i]);
  });
});
