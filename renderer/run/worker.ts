/**
 * The run worker: builds the edited network in TensorFlow.js (WebGPU where the browser has an adapter,
 * else WebGL through OffscreenCanvas, else wasm, threaded when the page is cross-origin isolated, else
 * cpu), warms it up in the background and runs an image, posting back plain results, so the editor never
 * freezes. Requests run one at a time in arrival order; a warm-up that a newer request supersedes is skipped.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WASM_THREADS } from './tfjs-setup.ts';
import {
  loadModel,
  runImage,
  skippedMessage,
  startBackend,
  tensorCount,
  type BackendStart,
  type LoadedModel,
} from '../../src/runtime/index.ts';
import { decodeImageInBrowser } from '../../src/runtime/image-web.ts';
import {
  defaultLibrary,
  errorMessage,
  loadLibraryChain,
  MessageError,
  msg,
  type Registry,
} from '../../src/core/index.ts';
import type {
  BackendInfo,
  ModelRequest,
  Progress,
  RunRequest,
  RunSummary,
  WarmRequest,
  WarmSummary,
  WorkerMessage,
  WorkerRequest,
} from './protocol.ts';

const post = (m: WorkerMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

/** The network last built, and whether it has run once at its size (shaders compiled, operators made). */
let cached: { key: string; model: LoadedModel; ran: boolean } | null = null;

function kindOf(e: unknown): Extract<WorkerMessage, { type: 'error' }>['kind'] {
  const name = (e as Error)?.name ?? '';
  const msg = String((e as Error)?.message ?? e);
  if (name === 'ModelError') return 'model';
  if (name === 'WeightsError' || name === 'SafetensorsError') return 'weights';
  if (name === 'BackendError') return 'backend';
  if (/out of memory|OOM|allocation/i.test(msg)) return 'memory';
  if (/webgl|webgpu|context|backend|device/i.test(msg)) return 'backend';
  return 'other';
}

let registryCache: { key: string; registry: Registry } | null = null;
/** The same registry the editor reads the model with: the default library, then the user's and the model's. */
function registryFor(key: string, sources: ModelRequest['libraries']): Registry {
  if (registryCache?.key !== key)
    registryCache = { key, registry: loadLibraryChain(sources, [defaultLibrary()]).registry };
  return registryCache.registry;
}

async function backendFor(req: ModelRequest, progress: (p: Progress) => void): Promise<BackendInfo> {
  progress({ stage: 'backend' });
  let start: BackendStart;
  try {
    start = await startBackend(req.prefer, { wasmThreads: WASM_THREADS, avoidSoftware: req.avoidSoftware });
  } catch (e) {
    throw Object.assign(new MessageError(errorMessage(e)), { name: 'BackendError' });
  }
  return { backend: start.backend, threads: start.threads, skipped: start.skipped, isolated: self.crossOriginIsolated };
}

/** The network of this request, built now unless the last one built is the same. */
function modelFor(req: ModelRequest, info: BackendInfo, progress: (p: Progress) => void) {
  const libs = JSON.stringify(req.libraries);
  const key = `${info.backend}|${req.imgsz}|${req.weightsKey}|${req.weightsMode}|${req.map?.join(',') ?? ''}|${libs}|${req.text}`;
  if (cached?.key === key) return { entry: cached, buildMs: 0 };
  const t0 = performance.now();
  progress({ stage: 'build', done: 0 });
  cached?.model.dispose();
  cached = null;
  const model = loadModel(req.text, {
    imgsz: req.imgsz,
    file: req.file,
    weights: req.weights ?? undefined,
    mode: req.weightsMode,
    map: req.map,
    names: req.names,
    registry: registryFor(libs, req.libraries),
    onLayer: (done, total) => progress({ stage: 'build', done, total }),
  });
  cached = { key, model, ran: false };
  return { entry: cached, buildMs: performance.now() - t0 };
}

/** Build and run once on a blank image of the run's size: the next run of this network is one forward pass. */
async function warm(req: WarmRequest, progress: (p: Progress) => void): Promise<WarmSummary> {
  const info = await backendFor(req, progress);
  const { entry, buildMs } = modelFor(req, info, progress);
  const t0 = performance.now();
  if (!entry.ran) {
    const ch = entry.model.plan.analysis.inputChannels;
    const x = tf.zeros([1, req.imgsz, req.imgsz, ch]);
    try {
      // as a run asks (every layer's output too): the same kernels, shaders and operators get made
      await entry.model.net.forward(x, {
        raw: false,
        timing: true,
        layers: true,
        onLayer: (done, total) => progress({ stage: 'first', done, total }),
      });
    } finally {
      x.dispose();
    }
    entry.ran = true;
  }
  return { ...info, buildMs, firstMs: performance.now() - t0 };
}

async function run(req: RunRequest, progress: (p: Progress) => void): Promise<RunSummary> {
  const t0 = performance.now();
  const info = await backendFor(req, progress);
  const { entry } = modelFor(req, info, progress);
  progress({ stage: 'decode' });
  const image = await decodeImageInBrowser(req.image);
  const warmBefore = entry.ran;
  const stage = warmBefore ? 'run' : 'first';
  progress({ stage, done: 0 });
  const before = tensorCount();
  const r = await runImage(entry.model, image, {
    size: req.imgsz,
    conf: req.conf,
    iou: req.iou,
    timing: req.timing,
    layers: req.layerOutputs,
    onLayer: (done, total) => progress({ stage, done, total }),
  });
  entry.ran = true;
  const after = tensorCount();
  const outputs = [
    ...(r.output.pred ? [{ name: 'pred', shape: r.output.pred.shape }] : []),
    ...r.output.raw.map((t, k) => ({ name: `raw.${k}`, shape: t.shape })),
    ...(r.output.proto ? [{ name: 'proto', shape: r.output.proto.shape }] : []),
  ];
  return {
    ...info,
    fallback: info.skipped.length ? skippedMessage(info.skipped) : undefined,
    ms: performance.now() - t0,
    forwardMs: r.output.ms,
    warm: warmBefore,
    detections: r.detections.map((d) => ({
      class: d.class,
      name: d.name,
      confidence: d.confidence,
      xyxy: d.xyxy,
      ...(d.obb ? { corners: d.obb.corners } : {}),
      ...(d.keypoints ? { keypoints: d.keypoints } : {}),
      ...(d.mask ? { mask: d.mask } : {}),
    })),
    ...(r.probs ? { probs: r.probs } : {}),
    outputs,
    timings: r.output.timings ?? [],
    weights: entry.model.weights.summary,
    input: r.input,
    original: r.original,
    tensors: [before, after],
    ...(req.layerOutputs
      ? { layers: [...r.output.layers].map(([i, t]) => ({ i, shape: t.shape, data: t.data })) }
      : {}),
  };
}

async function handle(req: WorkerRequest) {
  const progress = (p: Progress) => post({ type: 'progress', id: req.id, ...p });
  try {
    if (req.type === 'warm') {
      post({ type: 'warmed', id: req.id, result: await warm(req, progress) });
      return;
    }
    const result = await run(req, progress);
    // layer outputs move to the page without a copy
    post(
      { type: 'result', id: req.id, result },
      (result.layers ?? []).map((l) => l.data.buffer as ArrayBuffer),
    );
  } catch (e) {
    // a lost GPU context or a failing GPU: retry once on wasm, and say so
    if (req.type === 'run' && kindOf(e) === 'backend' && req.prefer[0] !== 'wasm' && req.prefer.includes('wasm')) {
      try {
        cached?.model.dispose();
        cached = null;
        const result = await run({ ...req, prefer: ['wasm', 'cpu'] }, progress);
        post({
          type: 'result',
          id: req.id,
          result: {
            ...result,
            fallback: msg('run.fallback-failed', {
              wanted: req.prefer[0],
              error: errorMessage(e),
              backend: result.backend,
            }),
          },
        });
        return;
      } catch (e2) {
        e = e2;
      }
    }
    post({ type: 'error', id: req.id, kind: kindOf(e), message: errorMessage(e) });
  }
}

// one request at a time, in order; only the newest warm-up is worth doing
let queue: Promise<void> = Promise.resolve();
let newest = 0;
self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  newest = req.id;
  queue = queue.then(() => {
    if (req.type === 'warm' && req.id !== newest) post({ type: 'skipped', id: req.id });
    else return handle(req);
  });
};
