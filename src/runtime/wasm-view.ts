/**
 * What our own kernels read of tfjs-backend-wasm's backend (its Emscripten module and tensor table), and how one is
 * registered on it.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface WasmBackendView {
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/**
 * The backend's memory: the single-threaded build exports it, the threaded one imports a shared memory it makes
 * itself (undefined where neither is found).
 */
export const wasmMemoryOf = (b: WasmBackendView): WebAssembly.Memory | undefined =>
  b.wasm?.asm?.memory ?? b.wasm?.wasmMemory;

/** Whether a memory is shared (the threaded build's: its buffer is a SharedArrayBuffer). */
export const isShared = (memory: WebAssembly.Memory) =>
  typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

/** A kernel module's bytes from the base64 its generated file holds. */
export const wasmBytes = (base64: string) => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));

/**
 * Registers a kernel of ours on the wasm backend, once (later calls return at once): `kernelFunc` gets the inputs,
 * the backend as our view of it and the attributes as the kernel's caller passed them; `disposeFunc`, where the
 * kernel keeps anything per backend, runs when that backend ends.
 */
export function registerWasmKernel<A = unknown>(
  kernelName: string,
  kernelFunc: (inputs: tf.NamedTensorInfoMap, b: WasmBackendView, attrs: A) => tf.TensorInfo,
  disposeFunc?: (backend: object) => void,
): void {
  if (tf.getKernel(kernelName, 'wasm')) return;
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    ...(disposeFunc && { disposeFunc }),
    kernelFunc: ({ inputs, backend, attrs }) =>
      kernelFunc(inputs, backend as unknown as WasmBackendView, attrs as unknown as A),
  });
}
