/** Node only: where the wasm backend's .wasm files are (node_modules/@tensorflow/tfjs-backend-wasm/dist). */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { useBackend, type BackendName } from './backend.ts';

export function nodeWasmPath(): string {
  const req = createRequire(import.meta.url);
  return `${dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`;
}

/** Start a backend in Node (wasm or cpu). */
export function useNodeBackend(prefer: BackendName | BackendName[] = ['wasm', 'cpu']): Promise<BackendName> {
  return useBackend(prefer, { wasmPath: nodeWasmPath() });
}
