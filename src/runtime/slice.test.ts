/** Slicing on the wasm backend within its memory: the same values as tfjs's own Slice, for any rank and cut. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from './backend-node.ts';
import { slice, SLICE_KERNEL } from './slice.ts';

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
});
