/** What our own kernels read of tfjs-backend-wasm's backend (its Emscripten module and tensor table). */
import type * as tf from '@tensorflow/tfjs-core';

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
