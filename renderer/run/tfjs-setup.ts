/**
 * TensorFlow.js as the app's run worker (and the browser benchmark) use it: the GPU backends registered,
 * the wasm binaries from the bundle, and the number of threads wasm gets where the page is cross-origin
 * isolated (as many as the machine has, at most tfjs-wasm's pool of 8).
 */
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/** tfjs-wasm's thread pool has 8 workers; more would not be used. */
export const MAX_WASM_THREADS = 8;
/** The machine's logical processors, capped at tfjs-wasm's pool. */
export const WASM_THREADS = Math.max(1, Math.min(MAX_WASM_THREADS, globalThis.navigator?.hardwareConcurrency ?? 1));
