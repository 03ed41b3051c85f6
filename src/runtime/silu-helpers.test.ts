/**
 * SiLU's helper workers on a shared memory (tfjs's threaded build), run here on Node's threads: they take chunks of
 * large maps, the split is bitwise what one thread writes, and they end when tfjs disposes the backend.
 */
import { resolveObjectURL } from 'node:buffer';
import { Worker as NodeWorker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useNodeBackend } from './backend-node.ts';
import { silu, SILU_CHUNK, SILU_KERNEL, siluHelpedChunks, siluOnMemory } from './silu.ts';
import type { WasmBackendView } from './wasm-view.ts';

// tfjs's threaded build with 3 threads: 2 helpers
vi.mock('@tensorflow/tfjs-backend-wasm', async (original) => ({
  ...(await original<typeof import('@tensorflow/tfjs-backend-wasm')>()),
  getThreadsCount: () => 3,
}));

/** A browser worker from a blob URL, as a Node thread running the blob's script (onmessage, close). */
const BOOT = `const { parentPort } = require('node:worker_threads');
globalThis.close = () => process.exit(0);
parentPort.once('message', (src) => {
  (0, eval)(src);
  parentPort.on('message', (data) => globalThis.onmessage({ data }));
});`;
class BlobWorker {
  static made: BlobWorker[] = [];
  readonly thread: NodeWorker;
  readonly exited: Promise<number>;
  terminated = false;
  private queue: unknown[] | null = [];
  constructor(url: string) {
    const blob = resolveObjectURL(url);
    if (!blob) throw new Error(`no blob at ${url}`);
    this.thread = new NodeWorker(BOOT, { eval: true });
    this.exited = new Promise((r) => this.thread.once('exit', r));
    void blob.text().then((src) => {
      this.thread.postMessage(src);
      for (const m of this.queue!) this.thread.postMessage(m);
      this.queue = null;
    });
    BlobWorker.made.push(this);
  }
  postMessage(m: unknown) {
    if (this.queue) this.queue.push(m);
    else this.thread.postMessage(m);
  }
  terminate() {
    this.terminated = true;
    void this.thread.terminate();
  }
}

/** The part of tfjs-wasm's backend the kernel reads, on a shared memory: tensors placed one after another. */
function sharedBackend(pages: number) {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });
  const dataIdMap = new Map<object, { memoryOffset: number }>();
  let top = 64;
  const place = (shape: number[]): tf.TensorInfo => {
    const dataId = {};
    dataIdMap.set(dataId, { memoryOffset: top });
    top += 4 * tf.util.sizeFromShape(shape) + 64;
    if (top > memory.buffer.byteLength) throw new Error('fake backend full');
    return { dataId, shape, dtype: 'float32' };
  };
  const view: WasmBackendView & { memory: WebAssembly.Memory } = {
    memory,
    wasm: { wasmMemory: memory },
    dataIdMap,
    makeOutput: (shape) => place(shape),
  };
  const floats = (t: tf.TensorInfo) =>
    new Float32Array(memory.buffer, dataIdMap.get(t.dataId)!.memoryOffset, tf.util.sizeFromShape(t.shape));
  return { view, place, floats };
}

/** Values across SiLU's range, a different set per seed. */
function values(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0, s = seed; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    v[i] = Math.fround(((s / 2 ** 32) * 2 - 1) * 10 ** ((i % 7) - 3));
  }
  return v;
}

/** How many floats differ in their bits (expect's deep equality takes seconds on maps this size). */
function differ(a: Float32Array | Uint32Array, b: Float32Array | Uint32Array): number {
  const u = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const w = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let d = Math.abs(u.length - w.length);
  for (let i = 0; i < Math.min(u.length, w.length); i++) if (u[i] !== w[i]) d++;
  return d;
}

/** One thread's bits for the same values (the single-threaded build's memory). */
function oneThread(v: Float32Array): Uint32Array {
  const memory = new WebAssembly.Memory({ initial: Math.ceil((8 * v.length + 128) / 65536) });
  new Float32Array(memory.buffer, 64, v.length).set(v);
  siluOnMemory(memory)(64, 64 + 4 * v.length, v.length);
  return new Uint32Array(memory.buffer, 64 + 4 * v.length, v.length).slice();
}

describe("SiLU's helper workers on a shared memory", () => {
  beforeAll(async () => {
    vi.stubGlobal('Worker', BlobWorker);
    await useNodeBackend('wasm');
    // registers the kernel (on the real, unshared backend: no helpers there)
    tf.dispose(silu(tf.tensor1d([1])));
    expect(BlobWorker.made).toHaveLength(0);
  });
  afterAll(() => {
    for (const w of BlobWorker.made) w.terminate();
    vi.unstubAllGlobals();
  });

  const kernel = () => tf.getKernel(SILU_KERNEL, 'wasm')!;
  const run = (view: WasmBackendView, x: tf.TensorInfo) =>
    kernel().kernelFunc({ inputs: { x }, backend: view as unknown as tf.KernelBackend, attrs: {} }) as tf.TensorInfo;

  it('split large maps with 2 helpers, bitwise as one thread, and the helpers end when tfjs disposes the backend', async () => {
    const n = 6 * SILU_CHUNK + 123;
    const jobs = 40;
    const b = sharedBackend(Math.ceil(((jobs + 1) * 2 * (4 * n + 64)) / 65536));
    const inputs: tf.TensorInfo[] = [];
    const outputs: tf.TensorInfo[] = [];
    const want: Uint32Array[] = [];
    let helped = 0;
    // the helpers start on the first kernel call and take chunks once they run: a few jobs until they have
    for (let j = 0; j < jobs; j++) {
      const v = values(n, j + 1);
      const x = b.place([1, n]);
      b.floats(x).set(v);
      inputs.push(x);
      want.push(oneThread(v));
      const h0 = siluHelpedChunks(b.view);
      outputs.push(run(b.view, x));
      // at once: every chunk is written when the kernel returns
      expect(differ(b.floats(outputs[j]), want[j]), `job ${j}`).toBe(0);
      helped += siluHelpedChunks(b.view) - h0;
      if (j < 5 && !helped) await new Promise((r) => setTimeout(r, 20));
    }
    expect(BlobWorker.made).toHaveLength(2);
    expect(helped).toBeGreaterThan(0);
    // no job's output written again by a helper late from it, and no input touched
    for (let j = 0; j < jobs; j++) {
      expect(differ(b.floats(outputs[j]), want[j]), `job ${j}'s output`).toBe(0);
      expect(differ(b.floats(inputs[j]), values(n, j + 1)), `job ${j}'s input`).toBe(0);
    }

    // tfjs disposes a backend through its kernels' disposeFunc (tf.removeBackend, tf.engine().reset())
    kernel().disposeFunc!(b.view);
    expect(BlobWorker.made.every((w) => w.terminated)).toBe(true);
    await Promise.all(BlobWorker.made.map((w) => w.exited));
    // the kernel still runs on that memory afterwards, on fresh helpers, not the ended ones
    const x = b.place([1, 3 * SILU_CHUNK]);
    b.floats(x).set(values(3 * SILU_CHUNK, 99));
    const y = run(b.view, x);
    expect(differ(b.floats(y), oneThread(values(3 * SILU_CHUNK, 99)))).toBe(0);
    expect(BlobWorker.made).toHaveLength(4);
    kernel().disposeFunc!(b.view);
    await Promise.all(BlobWorker.made.map((w) => w.exited));
  });

  it('is the disposeFunc tfjs calls when it disposes the wasm backend', async () => {
    const disposed: object[] = [];
    const k = kernel();
    const spy = vi.spyOn(k, 'disposeFunc').mockImplementation((b) => void disposed.push(b));
    const backend = tf.findBackend('wasm')!;
    try {
      tf.engine().reset();
      expect(disposed).toEqual([backend]);
    } finally {
      spy.mockRestore();
      await useNodeBackend('wasm');
    }
    // and the backend started again runs the kernel
    const y = silu(tf.tensor1d([0, 1]));
    expect(Array.from(y.dataSync()).map((v) => +v.toFixed(4))).toEqual([0, 0.7311]);
  });
});
