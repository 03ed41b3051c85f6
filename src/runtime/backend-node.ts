/** Node only: where the wasm backend's .wasm files are (node_modules/@tensorflow/tfjs-backend-wasm/dist). */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendName } from './backend.ts';

export function nodeWasmPath(): string {
  const req = createRequire(import.meta.url);
  return `${dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`;
}

/** Start a backend in Node (wasm or cpu). */
export function useNodeBackend(prefer: BackendName | BackendName[] = ['wasm', 'cpu']): Promise<BackendName> {
  // quiet the cpu backend's "install tfjs-node" banner (tfjs-node cannot be used here)
  tf.env().set('PROD', true);
  return useBackend(prefer, { wasmPath: nodeWasmPath() });
}
