/** Tensor steps: the batched matrix product taken pair by pair on wasm equals tfjs's own; permute in either layout. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from './backend-node.ts';
import type { StepContext } from './step-kit.ts';
import { batchMatMul, TENSOR_BUILDERS, transposed } from './tensor-steps.ts';

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

describe('torch.permute as one step', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it("equals PyTorch's permute for every order of a rank-3 value in either layout in and out, and of rank 4", () => {
    const perms = (n: number): number[][] =>
      n === 1
        ? [[0]]
        : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
    const core = [2, 3, 4];
    const torch = tf.randomNormal([1, ...core], 0, 1, 'float32', 1);
    const nhwc = (t: tf.Tensor) => tf.transpose(t, [0, 2, 3, 1]);
    let cases = 0;
    for (const dims of perms(3))
      for (const tx of [false, true])
        for (const ty of [false, true]) {
          const o = { kind: 'permute' as const, x: 1, y: 2, dims };
          const shapes = new Map([
            [1, core],
            [2, dims.map((d) => core[d])],
          ]);
          const ctx = { shapes, torch: new Set([...(tx ? [1] : []), ...(ty ? [2] : [])]) } as unknown as StepContext;
          const step = TENSOR_BUILDERS.permute!(o, ctx);
          const x = tx ? torch.clone() : nhwc(torch);
          const y = step.run([x]);
          const want = tf.transpose(torch, [0, ...dims.map((d) => d + 1)]);
          expect(Array.from(y.dataSync()), `${dims} ${tx} ${ty}`).toEqual(
            Array.from((ty ? want : nhwc(want)).dataSync()),
          );
          tf.dispose([x, y, want]);
          cases++;
        }
    expect(cases).toBe(24);
    const t4 = tf.randomNormal([1, 2, 3, 4, 5], 0, 1, 'float32', 2);
    const o4 = { kind: 'permute' as const, x: 1, y: 2, dims: [2, 0, 3, 1] };
    const ctx4 = {
      shapes: new Map([
        [1, [2, 3, 4, 5]],
        [2, [4, 2, 5, 3]],
      ]),
    } as unknown as StepContext;
    const y4 = TENSOR_BUILDERS.permute!(o4, ctx4).run([t4]);
    expect(Array.from(y4.dataSync())).toEqual(Array.from(tf.transpose(t4, [0, 3, 1, 4, 2]).dataSync()));
    tf.dispose([torch, t4, y4]);
  });

  it('takes one Transpose kernel, none where the orders cancel', async () => {
    // [C, H, W] -> [H, W, C] from NHWC into PyTorch's layout: the same memory order
    const o = { kind: 'permute' as const, x: 1, y: 2, dims: [1, 2, 0] };
    const shapes = new Map([
      [1, [2, 3, 4]],
      [2, [3, 4, 2]],
    ]);
    const step = (torch: number[]) =>
      TENSOR_BUILDERS.permute!(o, { shapes, torch: new Set(torch) } as unknown as StepContext);
    const x = tf.zeros([1, 3, 4, 2]);
    const kernels = async (torch: number[]) =>
      (await tf.profile(() => step(torch).run([x]))).kernelNames.filter((k) => k === 'Transpose').length;
    expect(await kernels([2])).toBe(0);
    expect(await kernels([])).toBe(1);
    x.dispose();
  });
});

describe('a transpose that moves only axes of size 1', () => {
  it('is a reshape (no Transpose kernel), with the same values as the transpose', async () => {
    await useNodeBackend('wasm');
    const x = tf.randomNormal([1, 4, 7, 1], 0, 1, 'float32', 3);
    const p = await tf.profile(() => transposed(x, [0, 3, 1, 2]));
    expect(p.kernelNames).not.toContain('Transpose');
    const y = p.result as tf.Tensor;
    expect(y.shape).toEqual([1, 1, 4, 7]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(tf.transpose(x, [0, 3, 1, 2]).dataSync()));
    // the other axes out of order: a transpose
    const q = await tf.profile(() => transposed(x, [0, 2, 1, 3]));
    expect(q.kernelNames).toContain('Transpose');
    tf.dispose([x, y, q.result as tf.Tensor]);
  });
});
