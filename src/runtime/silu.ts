/**
 * SiLU in one pass on tfjs's wasm backend: tfjs has no SiLU kernel, so x * sigmoid(x) was a Sigmoid and a
 * Multiply, each reading and writing every activation (about a fifth of yolov5n's forward). A 2 KB WebAssembly
 * SIMD module (silu.wat, made by scripts/build-silu-wasm.mjs) shares the backend's memory and writes the result
 * once, as a kernel of our own on the wasm backend: the single-threaded build's memory, or the threaded build's
 * shared memory through the same code declaring a shared memory (SILU_SHARED_WASM_BASE64). There a large map is
 * split into chunks that the calling thread and helper workers (one fewer than tfjs's threads, idle while a
 * kernel of ours runs) take in turns; the calling thread never waits for a helper to start, only for a chunk a
 * helper has taken. The helpers end with the backend (the kernel's disposeFunc) or with the page or worker that
 * started them. Where it cannot run (no SIMD, another backend) SiLU stays tf.mul(x, tf.sigmoid(x)).
 * Worker-safe: no Node APIs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { SILU_SHARED_WASM_BASE64, SILU_WASM_BASE64 } from './silu-wasm.ts';
import { isShared, wasmBytes, wasmMemoryOf, type WasmBackendView } from './wasm-view.ts';

/** The kernel's name in tfjs's registry (and in tf.profile's list). */
export const SILU_KERNEL = 'YaSiLU';

type SiluFn = (x: number, y: number, n: number) => void;

/** Elements per chunk of a split map (a multiple of 16, the kernel's unrolled step: 128 KiB). */
export const SILU_CHUNK = 1 << 15;

/**
 * The control words the calling thread and the helpers share (one SharedArrayBuffer): as Int32 [0] the job's
 * number (1 to 2^30 - 1; the helpers wait on it), [2] chunks the helpers have finished, [3] set when the helpers
 * are stopped, then the job's x, y, n in one of two slots by the job's parity; as one BigInt64 at byte 40 the next
 * chunk to take, with the job's number above bit 32. A chunk is taken by one compare-exchange of that word
 * against the job the helper read, so a helper late from an earlier job (asleep while later jobs ran, whatever
 * slot values it read) takes nothing of another: it cannot write into memory an earlier job's tensors had.
 */
const HELPER_SOURCE = `onmessage = (e) => {
  const { module, memory, ctrl, chunk } = e.data;
  const silu = new WebAssembly.Instance(module, { env: { memory } }).exports.silu;
  const c = new Int32Array(ctrl);
  const next = new BigInt64Array(ctrl, 40, 1);
  let seen = 0;
  for (;;) {
    Atomics.wait(c, 0, seen);
    if (Atomics.load(c, 3)) return close();
    const s = (seen = Atomics.load(c, 0));
    const slot = 4 + (s & 1) * 3;
    const x = Atomics.load(c, slot), y = Atomics.load(c, slot + 1), n = Atomics.load(c, slot + 2);
    const chunks = Math.ceil(n / chunk);
    const first = BigInt(s) << 32n;
    for (;;) {
      const v = Atomics.load(next, 0);
      const i = Number(v - first);
      if (i < 0 || i >= chunks || Atomics.load(c, 3)) break;
      if (Atomics.compareExchange(next, 0, v, v + 1n) !== v) continue;
      const b = i * chunk;
      silu(x + 4 * b, y + 4 * b, Math.min(chunk, n - b));
      Atomics.add(c, 2, 1);
    }
  }
};`;

interface Helpers {
  ctrl: Int32Array;
  next: BigInt64Array;
  workers: Worker[];
  seq: number;
  /** Chunks the helpers have done, all jobs together (tests and benchmarks read it). */
  helped: number;
}

interface OnBackend {
  fn: SiluFn;
  helpers?: Helpers;
}

const instances = new WeakMap<object, OnBackend | null>();

const moduleFor = (shared: boolean) =>
  new WebAssembly.Module(wasmBytes(shared ? SILU_SHARED_WASM_BASE64 : SILU_WASM_BASE64));

/** The kernel's function instantiated on a memory (the module declaring a shared memory for a shared one). */
export function siluOnMemory(memory: WebAssembly.Memory): SiluFn {
  return new WebAssembly.Instance(moduleFor(isShared(memory)), { env: { memory } }).exports.silu as SiluFn;
}

/** Helper workers on a shared memory: tfjs's thread count less one (none where there are no workers). */
function startHelpers(memory: WebAssembly.Memory, threads: number): Helpers | undefined {
  if (threads < 2 || typeof Worker === 'undefined' || typeof Blob === 'undefined') return undefined;
  const ctrl = new Int32Array(new SharedArrayBuffer(48));
  const module = moduleFor(true);
  const url = URL.createObjectURL(new Blob([HELPER_SOURCE], { type: 'text/javascript' }));
  const workers: Worker[] = [];
  try {
    for (let k = 1; k < threads; k++) {
      const w = new Worker(url);
      w.postMessage({ module, memory, ctrl: ctrl.buffer, chunk: SILU_CHUNK });
      workers.push(w);
    }
  } catch {
    // no worker may start here (a policy): the calling thread does every chunk
  } finally {
    URL.revokeObjectURL(url);
  }
  return workers.length ? { ctrl, next: new BigInt64Array(ctrl.buffer, 40, 1), workers, seq: 0, helped: 0 } : undefined;
}

/** Stop the helpers: none takes another chunk (none is inside one: the calling thread waited for those), all end. */
function stopHelpers(h: Helpers) {
  Atomics.store(h.ctrl, 3, 1);
  Atomics.store(h.ctrl, 0, -1);
  Atomics.notify(h.ctrl, 0);
  for (const w of h.workers) w.terminate();
  h.workers = [];
}

/**
 * Forget the kernel on a backend and end its helper workers: the kernel's disposeFunc, which tfjs calls when it
 * disposes the backend (tf.removeBackend, tf.engine().reset()). A page or worker that ends takes its helpers with it.
 */
export function releaseSilu(backend: object) {
  const on = instances.get(backend);
  instances.delete(backend);
  if (on?.helpers) stopHelpers(on.helpers);
}

/** The module instantiated on this backend's memory, or null where it cannot be (no memory found, no SIMD). */
function siluOn(backend: WasmBackendView): OnBackend | null {
  let on = instances.get(backend);
  if (on !== undefined) return on;
  on = null;
  const memory = wasmMemoryOf(backend);
  if (memory) {
    registerSilu(); // before helpers start: its disposeFunc ends them with the backend
    try {
      on = { fn: siluOnMemory(memory) };
      if (isShared(memory)) on.helpers = startHelpers(memory, getThreadsCount());
    } catch {
      on = null;
    }
  }
  instances.set(backend, on);
  return on;
}

/** SiLU of n floats at byte offsets x and y, split into chunks with the helpers where it pays. */
function runSplit(on: OnBackend, x: number, y: number, n: number) {
  const h = on.helpers;
  if (!h || mode !== 'split' || n < 2 * SILU_CHUNK) return on.fn(x, y, n);
  const c = h.ctrl;
  const s = (h.seq = (h.seq % 0x3fffffff) + 1);
  const slot = 4 + (s & 1) * 3;
  Atomics.store(c, slot, x);
  Atomics.store(c, slot + 1, y);
  Atomics.store(c, slot + 2, n);
  Atomics.store(c, 2, 0);
  const first = BigInt(s) << 32n;
  Atomics.store(h.next, 0, first);
  Atomics.store(c, 0, s);
  Atomics.notify(c, 0);
  const chunks = Math.ceil(n / SILU_CHUNK);
  let mine = 0;
  for (;;) {
    const v = Atomics.load(h.next, 0);
    const i = Number(v - first);
    if (i >= chunks) break;
    if (Atomics.compareExchange(h.next, 0, v, v + 1n) !== v) continue;
    const b = i * SILU_CHUNK;
    on.fn(x + 4 * b, y + 4 * b, Math.min(SILU_CHUNK, n - b));
    mine++;
  }
  // only the chunks a helper has taken are waited for (a few tens of microseconds each)
  while (Atomics.load(c, 2) + mine < chunks);
  h.helped += chunks - mine;
}

function registerSilu() {
  if (tf.getKernel(SILU_KERNEL, 'wasm')) return;
  tf.registerKernel({
    kernelName: SILU_KERNEL,
    backendName: 'wasm',
    disposeFunc: releaseSilu,
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as WasmBackendView;
      const x = inputs.x as tf.TensorInfo;
      const on = siluOn(b)!;
      const out = b.makeOutput(x.shape, 'float32');
      const n = tf.util.sizeFromShape(x.shape);
      // offsets read after makeOutput (which may grow the memory; the module sees the same Memory object)
      if (n) runSplit(on, b.dataIdMap.get(x.dataId)!.memoryOffset, b.dataIdMap.get(out.dataId)!.memoryOffset, n);
      return out;
    },
  });
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
  return siluOn((backend ?? tf.backend()) as unknown as WasmBackendView)?.helpers?.helped ?? 0;
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
