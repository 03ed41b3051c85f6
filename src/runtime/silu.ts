/**
 * SiLU in one pass on tfjs's wasm backend: tfjs has no SiLU kernel, so x * sigmoid(x) was a Sigmoid and a
 * Multiply, each reading and writing every activation (about a fifth of yolov5n's forward). A 2 KB WebAssembly
 * SIMD module (silu.wat, made by scripts/build-silu-wasm.mjs) shares the backend's memory and writes the result
 * once, as a kernel of our own on the wasm backend: the single-threaded build's memory, or the threaded build's
 * shared memory through the same code declaring a shared memory (SILU_SHARED_WASM_BASE64). There a large map is
 * split into chunks that the calling thread and the helper workers of pool.ts take in turns; the helpers end with
 * the backend (the kernel's disposeFunc) or with the page or worker that started them. Where it cannot run (no
 * SIMD, another backend) SiLU stays tf.mul(x, tf.sigmoid(x)).
 * Worker-safe: no Node APIs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineJobKind, kernelInstances, poolFor, runJob, type Pool, type TaskFn } from './pool.ts';
import { SILU_SHARED_WASM_BASE64, SILU_WASM_BASE64 } from './silu-wasm.ts';
import { isShared, registerWasmKernel, wasmBytes, type WasmBackendView } from './wasm-view.ts';

/** The kernel's name in tfjs's registry (and in tf.profile's list). */
export const SILU_KERNEL = 'YaSiLU';

type SiluFn = (x: number, y: number, n: number) => void;

/** Elements per chunk of a split map (a multiple of 16, the kernel's unrolled step: 128 KiB). */
export const SILU_CHUNK = 1 << 15;

/** Chunk i of a map: the job's arguments are x, y, n, SILU_CHUNK (pool.ts's task: self-contained). */
const siluTask: TaskFn = (f, a, o, i) => {
  const b = i * a[o + 3];
  f(a[o] + 4 * b, a[o + 1] + 4 * b, Math.min(a[o + 3], a[o + 2] - b));
};

/** SiLU's jobs in the helper pool (pool.ts). */
const SILU_JOB = defineJobKind('silu', wasmBytes(SILU_SHARED_WASM_BASE64), 'silu', siluTask);

const moduleFor = (shared: boolean) =>
  new WebAssembly.Module(wasmBytes(shared ? SILU_SHARED_WASM_BASE64 : SILU_WASM_BASE64));

/** The kernel's function instantiated on a memory (the module declaring a shared memory for a shared one). */
export function siluOnMemory(memory: WebAssembly.Memory): SiluFn {
  return new WebAssembly.Instance(moduleFor(isShared(memory)), { env: { memory } }).exports.silu as SiluFn;
}

/** The module instantiated on each backend's memory (null where it cannot be: no memory found, no SIMD). */
const silus = kernelInstances(registerSilu, siluOnMemory);
const siluOn = silus.on;

/**
 * Forget the kernel on a backend and end its memory's helper pool: the kernel's disposeFunc, which tfjs calls when
 * it disposes the backend (tf.removeBackend, tf.engine().reset()).
 */
export const releaseSilu = (backend: object) => silus.release(backend);

export function runSiluOn(fn: SiluFn, pool: Pool | null | undefined, x: number, y: number, n: number) {
  if (!pool || mode !== 'split' || n < 2 * SILU_CHUNK) return fn(x, y, n);
  runJob(pool, SILU_JOB, fn, [x, y, n, SILU_CHUNK], Math.ceil(n / SILU_CHUNK));
}

function registerSilu() {
  registerWasmKernel(
    SILU_KERNEL,
    (inputs, b) => {
      const x = inputs.x as tf.TensorInfo;
      const on = siluOn(b)!;
      const out = b.makeOutput(x.shape, 'float32');
      const n = tf.util.sizeFromShape(x.shape);
      // offsets read after makeOutput (which may grow the memory; the module sees the same Memory object)
      const pool = on.shared && poolFor(on.shared);
      if (n)
        runSiluOn(on.fn, pool, b.dataIdMap.get(x.dataId)!.memoryOffset, b.dataIdMap.get(out.dataId)!.memoryOffset, n);
      return out;
    },
    releaseSilu,
  );
}

/** How SiLU runs on wasm: one kernel split with the helpers (the default), one kernel on one thread, two kernels. */
export type SiluMode = 'split' | 'one' | 'two';
let mode: SiluMode = 'split';
/** Benchmarks and tests only: SiLU another way (to time or compare the ways in one run). */
export function setSiluMode(m: SiluMode) {
  mode = m;
}

/** Chunks the helper workers have done on a wasm backend (the one in use by default; 0 without helpers). */
export function siluHelpedChunks(backend?: object): number {
  if (!backend && tf.getBackend() !== 'wasm') return 0;
  const on = siluOn((backend ?? tf.backend()) as unknown as WasmBackendView);
  return (on?.shared && poolFor(on.shared)?.helped[SILU_JOB.id]) || 0;
}

/** Whether SiLU runs as one kernel on the backend in use. */
export function oneKernelSilu(): boolean {
  if (mode === 'two' || tf.getBackend() !== 'wasm') return false;
  return !!siluOn(tf.backend() as unknown as WasmBackendView);
}

/** x * sigmoid(x) (PyTorch's SiLU): one kernel on the wasm backend where it can, Sigmoid and Multiply elsewhere. */
export function silu(x: tf.Tensor): tf.Tensor {
  if (x.dtype === 'float32' && oneKernelSilu()) {
    registerSilu();
    return tf.engine().runKernel(SILU_KERNEL, { x }, {}) as tf.Tensor;
  }
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}
