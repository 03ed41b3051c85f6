/** Node only: where the wasm backend's .wasm files are (node_modules/@tensorflow/tfjs-backend-wasm/dist). */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendName } from './backend.ts';

export function nodeWasmPath(): string {
  const req = createRequire(import.meta.url);
  return `${dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`;
}

/**
 * Node 20 compiles WebAssembly's relaxed SIMD (the convolution kernel's fused multiply-add, conv-gemm.ts) only
 * behind this V8 flag (Chromium has it on); set before any module using it is compiled, it takes effect.
 */
export function enableRelaxedSimd() {
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/** Start a backend in Node (wasm or cpu). */
export function useNodeBackend(prefer: BackendName | BackendName[] = ['wasm', 'cpu']): Promise<BackendName> {
  enableRelaxedSimd();
  // quiet the cpu backend's "install tfjs-node" banner (tfjs-node cannot be used here)
  tf.env().set('PROD', true);
  return useBackend(prefer, { wasmPath: nodeWasmPath() });
}
