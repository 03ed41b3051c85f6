/**
 * The helper pool on a shared memory (tfjs's threaded build; here worker_threads stand in for the page's
 * workers): convolutions split into bands of output rows, SiLU into chunks and Detect's decoding by level and
 * anchor are bitwise what one thread writes.
 */
import { Worker as NodeWorker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from './backend-node.ts';
import { CONV_RELAXED_SHARED_WASM_BASE64, CONV_SHARED_WASM_BASE64 } from './conv-wasm.ts';
import { runDetect } from './detect.ts';
import { DETECT_SHARED_WASM_BASE64 } from './detect-wasm.ts';
import { packBias, packFilter, runConv, setConvSplit, type ConvCall, type Instance } from './conv-gemm.ts';
import { startPool, stopPool, type Pool, type WorkerFactory } from './pool.ts';
import { runSiluOn, siluOnMemory } from './silu.ts';
import { wasmBytes } from './wasm-view.ts';

/** worker_threads running the helper's source as a page's worker would (onmessage, then blocked in its loop). */
const nodeWorkers =
  (count: number): WorkerFactory =>
  (source) =>
    Array.from(
      { length: count },
      () =>
        new NodeWorker(
          `const { parentPort } = require('node:worker_threads');\nglobalThis.close = () => process.exit(0);\n${source}\nparentPort.on('message', (data) => onmessage({ data }));`,
          { eval: true },
        ),
    );

const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
let pool: Pool;

/** Bump allocator over the shared memory (16-byte aligned). */
let top = 1024;
function put(v: Float32Array): number {
  const at = top;
  new Float32Array(memory.buffer, at, v.length).set(v);
  top += Math.ceil((4 * v.length) / 16) * 16;
  return at;
}
const alloc = (n: number) => put(new Float32Array(n));
const random = (n: number, seed: number) => tf.randomNormal([n], 0, 1, 'float32', seed).dataSync() as Float32Array;

describe('the helper pool', () => {
  beforeAll(async () => {
    // (relaxed SIMD for the helpers too: the V8 flag useNodeBackend sets is the process's)
    await useNodeBackend('wasm');
    pool = startPool(memory, nodeWorkers(2))!;
  });
  afterAll(async () => {
    await Promise.all(pool?.workers.map((w) => w.terminate()) ?? []);
    setConvSplit(true);
  });

  it('starts its helpers with every kind of job compiled', () => {
    expect(pool.workers).toHaveLength(2);
    expect(pool.known.every(Boolean)).toBe(true);
  });

  it('splits convolutions into bands of output rows with the helpers, bitwise what one thread writes', async () => {
    interface Case {
      H: number;
      W: number;
      cs: number[];
      N: number;
      k: number;
      s: number;
      p: number;
      d?: number;
      batch?: number;
      act?: 'relu' | 'silu';
    }
    const cases: Case[] = [
      { H: 40, W: 40, cs: [32], N: 64, k: 3, s: 1, p: 1, act: 'silu' },
      { H: 41, W: 37, cs: [16], N: 21, k: 3, s: 2, p: 1, act: 'silu' },
      { H: 30, W: 30, cs: [3], N: 16, k: 6, s: 2, p: 2, act: 'silu' },
      { H: 20, W: 24, cs: [24, 40], N: 48, k: 1, s: 1, p: 0 },
      { H: 27, W: 26, cs: [8, 8, 13], N: 35, k: 3, s: 1, p: 2, d: 2, act: 'relu' },
      { H: 17, W: 19, cs: [24], N: 40, k: 5, s: 1, p: 2, batch: 3, act: 'silu' },
    ];
    const plain: Instance = {
      fn: new WebAssembly.Instance(new WebAssembly.Module(wasmBytes(CONV_SHARED_WASM_BASE64)), { env: { memory } })
        .exports.conv as Instance['fn'],
      fma: false,
      shared: memory,
    };
    const relaxed: Instance = {
      fn: new WebAssembly.Instance(new WebAssembly.Module(wasmBytes(CONV_RELAXED_SHARED_WASM_BASE64)), {
        env: { memory },
      }).exports.conv as Instance['fn'],
      fma: true,
      shared: memory,
    };
    let tries = 0;
    const helped0 = pool.helped.slice();
    for (const [n, c] of cases.entries())
      for (const inst of [relaxed, plain]) {
        top = 1024;
        const batch = c.batch ?? 1;
        const d = c.d ?? 1;
        const OH = Math.floor((c.H + 2 * c.p - d * (c.k - 1) - 1) / c.s) + 1;
        const OW = Math.floor((c.W + 2 * c.p - d * (c.k - 1) - 1) / c.s) + 1;
        const cin = c.cs.reduce((a, b) => a + b, 0);
        const w = random(c.N * cin * c.k * c.k, 100 + n);
        let off = 0;
        const parts = c.cs.map((ch, k) => {
          const p = {
            x: put(random(batch * c.H * c.W * ch, 10 * n + k)),
            w: put(packFilter(w, cin, c.k, c.k, off, ch, 0, c.N)),
            c: ch,
          };
          off += ch;
          return p;
        });
        const call: ConvCall = {
          ...{ kh: c.k, kw: c.k, sh: c.s, sw: c.s, ph: c.p, pw: c.p, dh: d, dw: d, act: c.act },
          bias: put(packBias(random(c.N, 7), 0, c.N)),
          zero: alloc(Math.max(c.k * Math.max(...c.cs), Math.ceil(c.N / 8) * 8)),
          parts,
          batch,
          H: c.H,
          W: c.W,
          OH,
          OW,
          cout: c.N,
          y: 0,
        };
        const size = batch * OH * OW * c.N;
        const one = { ...call, y: alloc(size) };
        setConvSplit(false);
        runConv(inst, one, pool);
        const want = new Uint32Array(memory.buffer, one.y, size).slice();
        // split until a helper has taken a band (a helper may still be waking up for the first jobs)
        setConvSplit(true);
        const split = { ...call, y: alloc(size) };
        const got = new Uint32Array(memory.buffer, split.y, size);
        for (let t = 0; t < 50; t++, tries++) {
          got.fill(0xffffffff);
          runConv(inst, split, pool);
          expect(
            got.every((v, i) => v === want[i]),
            JSON.stringify(c),
          ).toBe(true);
          if (pool.helped.some((h, k) => h > helped0[k]) && t >= 2) break;
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    expect(
      pool.helped.reduce((a, b) => a + b, 0),
      `bands by helpers in ${tries} split runs`,
    ).toBeGreaterThan(helped0.reduce((a, b) => a + b, 0));
  });

  it('splits SiLU into chunks with the helpers in the same pool, bitwise', async () => {
    top = 1024;
    const n = 5 * 32768 + 123;
    const x = put(random(n, 3).map((v) => v * 6));
    const fn = siluOnMemory(memory);
    const y1 = alloc(n);
    fn(x, y1, n);
    const want = new Uint32Array(memory.buffer, y1, n).slice();
    const before = pool.helped.reduce((a, b) => a + b, 0);
    const y = alloc(n);
    const got = new Uint32Array(memory.buffer, y, n);
    for (let t = 0; t < 50 && pool.helped.reduce((a, b) => a + b, 0) === before; t++) {
      got.fill(0xffffffff);
      runSiluOn(fn, pool, x, y, n);
      expect(got.every((v, i) => v === want[i])).toBe(true);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(pool.helped.reduce((a, b) => a + b, 0)).toBeGreaterThan(before);
  });

  it("splits YOLOv5 Detect's decoding by level and anchor with the helpers, bitwise", async () => {
    top = 1024;
    const na = 3;
    const no = 85;
    const levels = [
      [32, 24, 8],
      [16, 12, 16],
      [8, 6, 32],
    ];
    const anchors = [
      [10, 13, 16, 30, 33, 23],
      [30, 61, 62, 45, 59, 119],
      [116, 90, 156, 198, 373, 326],
    ];
    const xs = levels.map(([h, w], l) => put(random(h * w * na * no, 20 + l).map((v) => v * 4)));
    const rows = levels.reduce((n, [h, w]) => n + h * w * na, 0);
    const fn = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes(DETECT_SHARED_WASM_BASE64)), {
      env: { memory },
    }).exports.detect as (...a: number[]) => void;
    const callsInto = (y: number) =>
      levels.flatMap(([h, w, stride], l) =>
        Array.from({ length: na }, (_, k) => [
          xs[l] + k * no * 4,
          y + 4 * no * (levels.slice(0, l).reduce((n, [hh, ww]) => n + hh * ww * na, 0) + k * h * w),
          h * w,
          w,
          na * no * 4,
          no,
          stride,
          anchors[l][2 * k],
          anchors[l][2 * k + 1],
        ]),
      );
    const y1 = alloc(rows * no);
    runDetect(fn, null, callsInto(y1));
    const want = new Uint32Array(memory.buffer, y1, rows * no).slice();
    const y2 = alloc(rows * no);
    const got = new Uint32Array(memory.buffer, y2, rows * no);
    const before = pool.helped.reduce((a, b) => a + b, 0);
    for (let t = 0; t < 50 && pool.helped.reduce((a, b) => a + b, 0) === before; t++) {
      got.fill(0xffffffff);
      runDetect(fn, pool, callsInto(y2));
      expect(got.every((v, i) => v === want[i])).toBe(true);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(pool.helped.reduce((a, b) => a + b, 0)).toBeGreaterThan(before);
  });

  it('ends its helpers when stopped, and runs every job on the calling thread from then on', async () => {
    const exited = pool.workers.map((w) => new Promise((r) => (w as NodeWorker).once('exit', r)));
    stopPool(pool);
    expect(await Promise.all(exited)).toHaveLength(2);
    top = 1024;
    const n = 3 * 32768;
    const x = put(random(n, 4));
    const fn = siluOnMemory(memory);
    const [y1, y2] = [alloc(n), alloc(n)];
    fn(x, y1, n);
    const helped = pool.helped.slice();
    runSiluOn(fn, pool, x, y2, n);
    expect(new Uint32Array(memory.buffer, y2, n)).toEqual(new Uint32Array(memory.buffer, y1, n));
    expect(pool.helped).toEqual(helped);
  });
});
