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
