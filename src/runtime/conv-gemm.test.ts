/** Our GEMM convolution kernel: tfjs's convolution's numbers on odd shapes, both variants, the bytes the script makes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convModuleText, convVariants, convWat } from '../../scripts/build-conv-wasm.mjs';
import { PROJECT_DIR } from '../testing/reference.ts';
import { useNodeBackend } from './backend-node.ts';
import { silu } from './silu.ts';
import {
  CONV_KERNEL,
  convOn,
  gemmConv,
  packConv,
  packFilter,
  runPacked,
  unpackFilter,
  type ConvGeometry,
} from './conv-gemm.ts';

interface Case {
  H: number;
  W: number;
  /** input channels of each part (one part: an ordinary convolution) */
  cs: number[];
  N: number;
  k: [number, number];
  s?: [number, number];
  p?: [number, number];
  d?: [number, number];
  batch?: number;
  act?: 'relu' | 'silu';
}

const kept: tf.Tensor[] = [];
const keep = <X extends tf.Tensor>(t: X) => (kept.push(t), t);

/** Ours against tf.conv2d of the concatenated parts (+ bias, ReLU), the largest difference over the largest output. */
function compare(c: Case, plain = false): number {
  const { H, W, cs, N, k, s = [1, 1], p = [0, 0], d = [1, 1], batch = 1, act } = c;
  const cin = cs.reduce((a, b) => a + b, 0);
  return tf.tidy(() => {
    const xs = cs.map((ch, i) => tf.randomNormal([batch, H, W, ch], 0, 1, 'float32', 10 + i) as tf.Tensor4D);
    const wt = tf.randomNormal([N, cin, k[0], k[1]], 0, 1, 'float32', 2);
    const bias = tf.randomNormal([N], 0, 1, 'float32', 3);
    const geometry: ConvGeometry = {
      kh: k[0],
      kw: k[1],
      sh: s[0],
      sw: s[1],
      ph: p[0],
      pw: p[1],
      dh: d[0],
      dw: d[1],
      act,
    };
    const pk = packConv(wt.dataSync(), bias.dataSync(), { cin, kh: k[0], kw: k[1] }, cs, 0, N, geometry, keep);
    const ours = runPacked(pk, xs, plain);
    const x = xs.length > 1 ? tf.concat(xs, 3) : xs[0];
    const filter = tf.transpose(wt, [2, 3, 1, 0]) as tf.Tensor4D;
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [p[0], p[0]],
      [p[1], p[1]],
      [0, 0],
    ];
    let want = tf.add(tf.conv2d(x as tf.Tensor4D, filter, s, pad, 'NHWC', d), bias);
    if (act === 'relu') want = tf.relu(want);
    // SiLU: the one-kernel SiLU after tfjs's convolution (silu.ts, bitwise what the store computes)
    if (act === 'silu') want = silu(want);
    expect(ours.shape).toEqual(want.shape);
    return tf.max(tf.abs(tf.sub(ours, want))).dataSync()[0] / Math.max(1, tf.max(tf.abs(want)).dataSync()[0]);
  });
}

/** Edge tails of both blocks (pixels by 4, channels by 8), channels not a multiple of 4, strides, padding. */
const ODD: Case[] = [
  { H: 1, W: 1, cs: [1], N: 1, k: [1, 1] },
  { H: 7, W: 9, cs: [5], N: 11, k: [3, 3], p: [1, 1] },
  { H: 8, W: 8, cs: [16], N: 16, k: [1, 1] },
  { H: 13, W: 11, cs: [3], N: 17, k: [3, 3], s: [2, 2], p: [1, 1] },
  { H: 12, W: 12, cs: [3], N: 16, k: [6, 6], s: [2, 2], p: [2, 2] },
  // window rows inside the input read as one run of kw * C values (and above the input: zeros)
  { H: 16, W: 20, cs: [3], N: 16, k: [6, 6], s: [2, 2], p: [2, 2] },
  { H: 9, W: 10, cs: [2], N: 5, k: [3, 5], p: [1, 2] },
  { H: 5, W: 6, cs: [7], N: 3, k: [3, 3], s: [2, 2] },
  { H: 9, W: 10, cs: [12], N: 9, k: [5, 5], p: [2, 2] },
  { H: 6, W: 7, cs: [9], N: 8, k: [1, 3], p: [0, 1], s: [1, 2] },
  { H: 11, W: 9, cs: [6], N: 10, k: [3, 3], p: [2, 2], d: [2, 2] },
  { H: 4, W: 5, cs: [8], N: 255, k: [1, 1] },
  { H: 6, W: 6, cs: [4], N: 12, k: [3, 3], p: [1, 1], batch: 3 },
  { H: 5, W: 7, cs: [10], N: 13, k: [3, 3], p: [1, 1], act: 'relu' },
  // a concatenation never built: its parts summed
  { H: 7, W: 5, cs: [8, 5, 16], N: 19, k: [1, 1] },
  { H: 6, W: 9, cs: [3, 4], N: 7, k: [3, 3], s: [2, 2], p: [1, 1], act: 'relu' },
  { H: 7, W: 6, cs: [16], N: 21, k: [1, 1], act: 'silu' },
  { H: 9, W: 9, cs: [5, 8], N: 6, k: [3, 3], p: [1, 1], act: 'silu' },
];

describe('the GEMM convolution kernel', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('runs in Node on the single-threaded wasm backend, with relaxed SIMD fused multiply-add', () => {
    expect(gemmConv()).toMatchObject({ fma: true });
  });

  it("equals tfjs's convolution on odd shapes: edge tails, channels not a multiple of 4, strides, padding, dilation, batches, parts", () => {
    for (const c of ODD) {
      expect(compare(c), JSON.stringify(c)).toBeLessThan(1e-5);
      expect(compare(c, true), `plain SIMD ${JSON.stringify(c)}`).toBeLessThan(1e-5);
    }
  });

  it('is one kernel per convolution, parts included, and frees what it makes', async () => {
    const xs = [tf.ones([1, 5, 5, 8]), tf.ones([1, 5, 5, 9])];
    const w = new Float32Array(4 * 17 * 9).fill(0.5);
    const geometry = { kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1 };
    const pk = packConv(w, undefined, { cin: 17, kh: 3, kw: 3 }, [8, 9], 0, 4, geometry, keep);
    const before = tf.memory().numTensors;
    const p = await tf.profile(() => runPacked(pk, xs));
    expect(p.kernelNames).toEqual([CONV_KERNEL]);
    // the centre pixel sees 9 taps x 17 channels x 0.5
    expect((p.result as tf.Tensor).arraySync() as number[][][][]).toSatisfy(
      (y: number[][][][]) => y[0][2][2][0] === 76.5 && y[0][0][0][3] === 34,
    );
    (p.result as tf.Tensor).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(xs);
  });

  it('applies SiLU in its store with the bits of the one-kernel SiLU run after it', () => {
    const x = tf.randomNormal([1, 9, 7, 12], 0, 2, 'float32', 7) as tf.Tensor4D;
    const w = tf.randomNormal([13, 12, 3, 3], 0, 1, 'float32', 8).dataSync();
    const b = tf.randomNormal([13], 0, 1, 'float32', 9).dataSync();
    const geometry = { kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1 };
    const fused = packConv(w, b, { cin: 12, kh: 3, kw: 3 }, [12], 0, 13, { ...geometry, act: 'silu' }, keep);
    const linear = packConv(w, b, { cin: 12, kh: 3, kw: 3 }, [12], 0, 13, geometry, keep);
    const y = runPacked(fused, [x]);
    const lin = runPacked(linear, [x]);
    const after = silu(lin);
    expect(y.dataSync()).toEqual(after.dataSync());
    tf.dispose([x, y, lin, after]);
  });

  it("runs on the threaded build's shared memory too (pool.test.ts: split with helper threads, bitwise)", () => {
    const view = (memory: WebAssembly.Memory) =>
      ({ wasm: { wasmMemory: memory }, dataIdMap: new Map(), makeOutput: () => undefined }) as unknown as Parameters<
        typeof convOn
      >[0];
    const shared = () => view(new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }));
    const m = shared();
    expect(convOn(m)).toMatchObject({ fma: true, shared: m.wasm.wasmMemory });
    expect(convOn(shared(), true)).toMatchObject({ fma: false });
    expect(convOn(view(new WebAssembly.Memory({ initial: 1 })))).toMatchObject({ shared: null });
    expect(convOn(view(new WebAssembly.Memory({ initial: 1 })))).toMatchObject({ fma: true });
    expect(convOn(view(new WebAssembly.Memory({ initial: 1 })), true)).toMatchObject({ fma: false });
  });

  it('packs filters into panels of 8 output channels and back', () => {
    const w = Float32Array.from({ length: 11 * 3 * 2 * 2 }, (_, i) => i + 1);
    const packed = packFilter(w, 3, 2, 2, 0, 3, 0, 11);
    expect(packed.length).toBe(2 * 2 * 2 * 3 * 8);
    const back = unpackFilter(packed, 2, 2, 3, 11);
    // tfjs's [kh, kw, c, n] from PyTorch's [n, c, kh, kw]
    for (let n = 0; n < 11; n++)
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 2; y++)
          for (let x = 0; x < 2; x++)
            expect(back[((y * 2 + x) * 3 + c) * 11 + n]).toBe(w[((n * 3 + c) * 2 + y) * 2 + x]);
  });

  it('a convolution packed on wasm still runs on the cpu backend (through tfjs)', async () => {
    const c: Case = { H: 6, W: 5, cs: [8, 3], N: 9, k: [3, 3], p: [1, 1], act: 'relu' };
    const xs = c.cs.map((ch, i) => tf.randomNormal([1, c.H, c.W, ch], 0, 1, 'float32', i) as tf.Tensor4D);
    const w = tf.randomNormal([c.N, 11, 3, 3], 0, 1, 'float32', 5).dataSync();
    const geometry = { kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, act: 'relu' as const };
    const pk = packConv(w, undefined, { cin: 11, kh: 3, kw: 3 }, c.cs, 0, c.N, geometry, keep);
    const onWasm = runPacked(pk, xs);
    const want = onWasm.dataSync().slice();
    await useNodeBackend('cpu');
    try {
      const p = await tf.profile(() => runPacked(pk, xs));
      expect(p.kernelNames).not.toContain(CONV_KERNEL);
      const got = (p.result as tf.Tensor).dataSync();
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4);
      (p.result as tf.Tensor).dispose();
    } finally {
      await useNodeBackend('wasm');
    }
    tf.dispose([...xs, onWasm, ...kept.splice(0)]);
  });

  it('ships the bytes scripts/build-conv-wasm.mjs makes from its WebAssembly text', async () => {
    const dir = join(PROJECT_DIR, 'src', 'runtime');
    expect(readFileSync(join(dir, 'conv.wat'), 'utf8')).toBe(convWat({ relaxed: true }));
    expect(readFileSync(join(dir, 'conv-wasm.ts'), 'utf8')).toBe(convModuleText(...(await convVariants())));
    // the shared variants are the same text importing a shared memory
    expect(convWat({ relaxed: true, shared: true })).toBe(
      convWat({ relaxed: true }).replace('(memory 1)', '(memory 1 65536 shared)'),
    );
  });
});
