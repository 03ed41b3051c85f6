/** SiLU in one wasm kernel: the same numbers as x * sigmoid(x) in float64, the committed bytes what the script makes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { siluModuleText, siluWasm, siluWat } from '../../scripts/build-silu-wasm.mjs';
import { PROJECT_DIR } from '../testing/reference.ts';
import { useNodeBackend } from './backend-node.ts';
import { oneKernelSilu, silu, SILU_KERNEL, siluOnMemory } from './silu.ts';
import { isShared } from './wasm-view.ts';

const exact = (x: number) => x / (1 + Math.exp(-x));

/** Values across SiLU's whole range: both tails, the bend, zero, the extremes of float32. */
function samples(n: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.fround(((i - n / 2) / n) * 240);
  const special = [0, -0, 1e-30, -1e-30, 87, -87, 88.8, -88.8, 100, -100, 3.4e38, -3.4e38, 1e-7, -1e-7];
  v.set(special.slice(0, n), 0);
  return v;
}

describe('SiLU in one wasm kernel', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('runs as one kernel on the single-threaded wasm backend in Node', async () => {
    expect(oneKernelSilu()).toBe(true);
    const x = tf.tensor1d([1, -2, 3]);
    const p = await tf.profile(() => silu(x));
    expect(p.kernelNames).toEqual([SILU_KERNEL]);
    tf.dispose([x, p.result as tf.Tensor]);
  });

  it('equals x * sigmoid(x) in float64 within 2e-6 relative, tails and extremes included, any length', () => {
    for (const n of [1, 3, 15, 16, 17, 31, 4099]) {
      const v = samples(n);
      const x = tf.tensor1d(v);
      const y = silu(x);
      const got = y.dataSync();
      for (let i = 0; i < n; i++) {
        const want = exact(v[i]);
        const err = Math.abs(got[i] - want);
        // relative, or absolute 1.5e-36 (x < -87 gives -0: e^x is below float32's normal range, x e^x < 1.5e-36)
        expect(err, `silu(${v[i]})`).toBeLessThanOrEqual(Math.max(2e-6 * Math.abs(want), 1.5e-36));
      }
      tf.dispose([x, y]);
    }
  });

  it('equals the two kernels it replaces on a feature map, and keeps the input', () => {
    const x = tf.randomNormal([1, 13, 11, 7], 0, 4, 'float32', 1) as tf.Tensor4D;
    const before = x.dataSync().slice();
    const y = silu(x);
    const two = tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
    expect(tf.max(tf.abs(tf.sub(y, two))).dataSync()[0]).toBeLessThan(1e-5);
    expect(x.dataSync()).toEqual(before);
    expect(y.shape).toEqual([1, 13, 11, 7]);
    tf.dispose([x, y, two]);
  });

  it('falls back to Sigmoid and Multiply on another backend', async () => {
    await useNodeBackend('cpu');
    try {
      expect(oneKernelSilu()).toBe(false);
      const x = tf.tensor1d([-1, 0, 2]);
      const y = silu(x);
      expect(Array.from(y.dataSync()).map((v) => +v.toFixed(5))).toEqual([-1, 0, 2].map((v) => +exact(v).toFixed(5)));
      tf.dispose([x, y]);
    } finally {
      await useNodeBackend('wasm');
    }
  });

  it("runs on a shared memory (tfjs's threaded build) bitwise as on the single-threaded build's", () => {
    const n = 40_003;
    const v = samples(n);
    // random values too, of every magnitude
    for (let i = 20_000, s = 7; i < n; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      v[i] = Math.fround(((s / 2 ** 32) * 2 - 1) * 10 ** ((i % 9) - 4));
    }
    const run = (memory: WebAssembly.Memory) => {
      new Float32Array(memory.buffer, 64, n).set(v);
      siluOnMemory(memory)(64, 64 + 4 * n + 16, n);
      return new Uint32Array(memory.buffer, 64 + 4 * n + 16, n).slice();
    };
    const plain = new WebAssembly.Memory({ initial: 8 });
    const want = run(plain);
    // any maximum a shared memory can have: tfjs's threaded build declares wasm32's 65536 pages
    for (const maximum of [8, 300, 65536]) {
      const shared = new WebAssembly.Memory({ initial: 8, maximum, shared: true });
      expect(isShared(shared) && !isShared(plain)).toBe(true);
      expect(run(shared)).toEqual(want);
    }
    // and those are the kernel's own numbers (the backend's run of the same values)
    const x = tf.tensor1d(v);
    const y = silu(x);
    expect(new Uint32Array(y.dataSync().buffer.slice(0))).toEqual(want);
    tf.dispose([x, y]);
  });

  it('ships the bytes scripts/build-silu-wasm.mjs makes from its WebAssembly text', async () => {
    const dir = join(PROJECT_DIR, 'src', 'runtime');
    expect(readFileSync(join(dir, 'silu.wat'), 'utf8')).toBe(siluWat());
    expect(siluWat(true)).toBe(siluWat().replace('(memory 1)', '(memory 1 65536 shared)'));
    expect(readFileSync(join(dir, 'silu-wasm.ts'), 'utf8')).toBe(
      siluModuleText(await siluWasm(false), await siluWasm(true)),
    );
  });
});
