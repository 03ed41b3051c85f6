/**
 * SiLU in one pass on tfjs's wasm backend: tfjs has no SiLU kernel, so x * sigmoid(x) was a Sigmoid and a
 * Multiply, each reading and writing every activation (about a fifth of yolov5n's forward). A 2 KB WebAssembly
 * SIMD module (silu.wat, made by scripts/build-silu-wasm.mjs) shares the backend's memory and writes the result
 * once, as a kernel of our own on the wasm backend: the single-threaded build's memory, or the threaded build's
 * shared memory through the same code declaring a shared memory (SILU_SHARED_WASM_BASE64; it runs on the calling
 * thread). Where it cannot run (no SIMD, another backend) SiLU stays tf.mul(x, tf.sigmoid(x)). Worker-safe: no
 * Node APIs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SILU_SHARED_WASM_BASE64, SILU_WASM_BASE64 } from './silu-wasm.ts';
import { wasmMemoryOf, type WasmBackendView } from './wasm-view.ts';

/** The kernel's name in tfjs's registry (and in tf.profile's list). */
export const SILU_KERNEL = 'YaSiLU';

type SiluFn = (x: number, y: number, n: number) => void;

const instances = new WeakMap<object, SiluFn | null>();

/** Whether a memory is shared (the threaded build's: its buffer is a SharedArrayBuffer). */
export const isShared = (memory: WebAssembly.Memory) =>
  typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

/** The kernel's function instantiated on a memory (the module declaring a shared memory for a shared one). */
export function siluOnMemory(memory: WebAssembly.Memory): SiluFn {
  const bytes = Uint8Array.from(atob(isShared(memory) ? SILU_SHARED_WASM_BASE64 : SILU_WASM_BASE64), (ch) =>
    ch.charCodeAt(0),
  );
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.silu as SiluFn;
}

/** The module instantiated on this backend's memory, or null where it cannot be (no memory found, no SIMD). */
function siluOn(backend: WasmBackendView): SiluFn | null {
  let fn = instances.get(backend);
  if (fn !== undefined) return fn;
  fn = null;
  const memory = wasmMemoryOf(backend);
  if (memory) {
    try {
      fn = siluOnMemory(memory);
    } catch {
      fn = null;
    }
  }
  instances.set(backend, fn);
  return fn;
}

function registerSilu() {
  if (tf.getKernel(SILU_KERNEL, 'wasm')) return;
  tf.registerKernel({
    kernelName: SILU_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as WasmBackendView;
      const x = inputs.x as tf.TensorInfo;
      const fn = siluOn(b)!;
      const out = b.makeOutput(x.shape, 'float32');
      const n = tf.util.sizeFromShape(x.shape);
      // offsets read after makeOutput (which may grow the memory; the module sees the same Memory object)
      if (n) fn(b.dataIdMap.get(x.dataId)!.memoryOffset, b.dataIdMap.get(out.dataId)!.memoryOffset, n);
      return out;
    },
  });
}

let allowed = true;
/** Benchmarks only: SiLU as Sigmoid and Multiply even where one kernel can run (both ways in one run). */
export function allowOneKernelSilu(on: boolean) {
  allowed = on;
}

/** Whether SiLU runs as one kernel on the backend in use. */
export function oneKernelSilu(): boolean {
  if (!allowed || tf.getBackend() !== 'wasm') return false;
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
