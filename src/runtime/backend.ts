/**
 * Choosing the tfjs backend: webgl in the app's worker, wasm and cpu in Node and as the fallback.
 * Worker-safe: the wasm files' location is passed in (a URL prefix in the app, a directory in Node).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgl' | 'wasm' | 'cpu';

export interface BackendOptions {
  /** Where tfjs-backend-wasm's .wasm files are (URL prefix or directory, ending in '/'). */
  wasmPath?: string;
}

let wasmPathSet: string | undefined;

/**
 * Use the first backend of `prefer` that initialises (webgl needs its package registered by the caller,
 * e.g. `import '@tensorflow/tfjs-backend-webgl'` in the worker). Returns the backend in use.
 */
export async function useBackend(prefer: BackendName | BackendName[], opts: BackendOptions = {}): Promise<BackendName> {
  const list = Array.isArray(prefer) ? prefer : [prefer];
  const errors: string[] = [];
  for (const name of list) {
    try {
      if (name === 'wasm' && opts.wasmPath && wasmPathSet !== opts.wasmPath) {
        setWasmPaths(opts.wasmPath);
        wasmPathSet = opts.wasmPath;
      }
      if (!tf.findBackendFactory(name)) {
        errors.push(`${name}: not registered`);
        continue;
      }
      if (tf.getBackend() === name) return name;
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
      errors.push(`${name}: failed to initialise`);
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no tfjs backend could start (${errors.join('; ')})`);
}

/** The backend tfjs is using now. */
export const currentBackend = (): string => tf.getBackend();

/** Live tensors (for leak checks). */
export const tensorCount = (): number => tf.memory().numTensors;
