/**
 * Choosing the tfjs backend: WebGPU, WebGL, wasm (threaded where the page is cross-origin isolated), cpu,
 * the first that starts, with the reason each one before it did not. Worker-safe: the wasm files'
 * location is passed in (a URL prefix in the app, a directory in Node), and the GPU backends are
 * registered by the caller (`import '@tensorflow/tfjs-backend-webgl'` / `-webgpu` in the app's worker).
 */
import * as tf from '@tensorflow/tfjs-core';
import { joinMessages, MessageError, msg, type Message } from '../core/messages/index.ts';
import { softwareName } from '../desktop/software-gpu.ts';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** The order the app tries them in. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendOptions {
  /** Where tfjs-backend-wasm's .wasm files are (URL prefix or directory, ending in '/'). */
  wasmPath?: string;
  /** Threads for wasm where the page can have them (cross-origin isolated); set before wasm starts. */
  wasmThreads?: number;
  /**
   * Skip a GPU backend that is drawn in software (SwiftShader, llvmpipe, a fallback WebGPU adapter): the app's
   * automatic choice. There tfjs-wasm on the CPU is faster, and the GPU process stays free to draw the page.
   */
  avoidSoftware?: boolean;
}

export interface BackendStart {
  backend: BackendName;
  /** Threads the wasm backend runs on (1 without cross-origin isolation); undefined for the others. */
  threads?: number;
  /** The backends tried before it, and why each did not start. */
  skipped: { backend: BackendName; reason: Message }[];
}

let wasmPathSet: string | undefined;
let wasmThreadsSet: number | undefined;

/** The WebGL context calls the detection reads (a WebGL1/2 context, or a stub in tests). */
export interface GLInfo {
  getExtension(name: string): unknown;
  getParameter(p: number): unknown;
}
const GL_RENDERER = 0x1f01;
const UNMASKED_RENDERER_WEBGL = 0x9246;

/** The software renderer a WebGL context draws with (e.g. 'SwiftShader'), or undefined for a hardware GPU. */
export function softwareWebGL(gl: GLInfo): string | undefined {
  const debug = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_RENDERER_WEBGL?: number } | null;
  const unmasked = debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL ?? UNMASKED_RENDERER_WEBGL) : undefined;
  return softwareName(unmasked, gl.getParameter(GL_RENDERER));
}

/** What the detection reads of a WebGPU adapter (GPUAdapter; `info` since Chrome 127, `requestAdapterInfo` before). */
export interface AdapterInfo {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  requestAdapterInfo?(): Promise<AdapterInfo['info']>;
}

/**
 * The software renderer a WebGPU adapter is, as a message (SwiftShader by its name; a fallback or CPU adapter in
 * the user's language), or undefined for a GPU.
 */
export async function softwareWebGPU(adapter: AdapterInfo): Promise<Message | undefined> {
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined));
  const named = softwareName(info?.architecture, info?.description, info?.device, info?.vendor);
  if (named) return msg('backend.renderer', { name: named });
  if (adapter.isFallbackAdapter || info?.isFallbackAdapter) return msg('backend.fallback-adapter');
  if (/^cpu$/i.test(info?.architecture ?? '') || /\bcpu\b/i.test(info?.description ?? ''))
    return msg('backend.cpu-adapter');
  return undefined;
}

const softwareFound = new Map<BackendName, Promise<Message | undefined>>();
/** The software renderer behind a GPU backend here (found once: the GPU does not change under a page). */
function softwareGPU(name: BackendName): Promise<Message | undefined> {
  let found = softwareFound.get(name);
  if (!found) {
    found = (async () => {
      const g = globalThis as {
        navigator?: { gpu?: { requestAdapter(): Promise<AdapterInfo | null> } };
        OffscreenCanvas?: new (w: number, h: number) => { getContext(t: string): unknown };
      };
      if (name === 'webgpu') {
        const adapter = await g.navigator?.gpu?.requestAdapter().catch(() => null);
        return adapter ? softwareWebGPU(adapter) : undefined;
      }
      if (name === 'webgl' && g.OffscreenCanvas) {
        const canvas = new g.OffscreenCanvas(1, 1);
        const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as GLInfo | null;
        if (!gl) return undefined;
        const soft = softwareWebGL(gl);
        (gl.getExtension('WEBGL_lose_context') as { loseContext(): void } | null)?.loseContext();
        return soft === undefined ? undefined : msg('backend.renderer', { name: soft });
      }
      return undefined;
    })().catch(() => undefined);
    softwareFound.set(name, found);
  }
  return found;
}

/** Why a GPU backend cannot start here, found before tfjs tries (tfjs only logs a warning). */
async function unavailable(name: BackendName): Promise<Message | undefined> {
  const nav = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator;
  if (name === 'webgpu') {
    if (!nav?.gpu) return msg('backend.no-webgpu');
    try {
      if (!(await nav.gpu.requestAdapter())) return msg('backend.no-webgpu-adapter');
    } catch (e) {
      return msg('backend.webgpu-adapter-error', { error: (e as Error).message });
    }
  }
  if (name === 'webgl') {
    const Canvas = (
      globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(t: string): unknown } }
    ).OffscreenCanvas;
    if (!Canvas) return msg('backend.no-offscreen-canvas');
    const gl = (new Canvas(1, 1).getContext('webgl2') ?? new Canvas(1, 1).getContext('webgl')) as {
      getExtension(n: string): { loseContext(): void } | null;
    } | null;
    if (!gl) return msg('backend.no-webgl');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
  return undefined;
}

/**
 * tfjs-wasm sizes its thread pool at most half of navigator.hardwareConcurrency (it assumes two hardware
 * threads per core, which a VM's vCPUs or an efficiency core are not): while it starts, it is shown a
 * count that lets it have `threads`. Nothing else reads the count meanwhile (tfjs-wasm's own threads are
 * made at that moment).
 */
async function withCores<R>(threads: number, start: () => Promise<R>): Promise<R> {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (!nav || !('hardwareConcurrency' in nav)) return start();
  Object.defineProperty(nav, 'hardwareConcurrency', { value: threads * 2, configurable: true });
  try {
    return await start();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/** Why each backend before the one in use was not used, as one message ("webgpu: ...; webgl: ..."). */
export const skippedMessage = (skipped: readonly { backend: string; reason: Message }[]): Message =>
  joinMessages(skipped.map((s) => msg('backend-skipped', { backend: s.backend, reason: s.reason })));

/** Start the first backend of `prefer` that initialises, saying why the earlier ones did not. */
export async function startBackend(
  prefer: BackendName | readonly BackendName[],
  opts: BackendOptions = {},
): Promise<BackendStart> {
  const list = typeof prefer === 'string' ? [prefer] : prefer;
  const skipped: BackendStart['skipped'] = [];
  for (const name of list) {
    try {
      if (name === 'wasm') {
        if (opts.wasmPath && wasmPathSet !== opts.wasmPath) {
          setWasmPaths(opts.wasmPath);
          wasmPathSet = opts.wasmPath;
        }
        if (opts.wasmThreads && wasmThreadsSet === undefined) {
          setThreadsCount(opts.wasmThreads);
          wasmThreadsSet = opts.wasmThreads;
        }
      }
      if (!tf.findBackendFactory(name)) {
        skipped.push({ backend: name, reason: (await unavailable(name)) ?? msg('backend.not-in-build') });
        continue;
      }
      const software = opts.avoidSoftware && name !== 'wasm' && name !== 'cpu' ? await softwareGPU(name) : undefined;
      if (software) {
        skipped.push({ backend: name, reason: msg('backend.software-gpu', { renderer: software }) });
        continue;
      }
      if (tf.getBackend() !== name) {
        const why = await unavailable(name);
        if (why) {
          skipped.push({ backend: name, reason: why });
          continue;
        }
        const started =
          name === 'wasm' && opts.wasmThreads
            ? await withCores(opts.wasmThreads, () => tf.setBackend(name))
            : await tf.setBackend(name);
        if (!started) {
          skipped.push({ backend: name, reason: msg('backend.failed-to-start') });
          continue;
        }
      }
      await tf.ready();
      return { backend: name, threads: name === 'wasm' ? getThreadsCount() : undefined, skipped };
    } catch (e) {
      skipped.push({ backend: name, reason: msg('unexpected-error', { text: (e as Error).message }) });
    }
  }
  throw new MessageError(msg('backend-none', { problems: skippedMessage(skipped) }));
}

/**
 * Use the first backend of `prefer` that initialises (the GPU ones need their package registered by the
 * caller). Returns the backend in use.
 */
export async function useBackend(prefer: BackendName | BackendName[], opts: BackendOptions = {}): Promise<BackendName> {
  return (await startBackend(prefer, opts)).backend;
}

/** The backend tfjs is using now. */
export const currentBackend = (): string => tf.getBackend();

/** Live tensors (for leak checks). */
export const tensorCount = (): number => tf.memory().numTensors;
