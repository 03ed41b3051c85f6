/**
 * The run worker: builds the edited network in TensorFlow.js (WebGL through OffscreenCanvas, else wasm,
 * else cpu), runs an image and posts back plain results, so the editor never freezes.
 */
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import {
  currentBackend,
  loadModel,
  runImage,
  tensorCount,
  useBackend,
  type BackendName,
  type LoadedModel,
} from '../../src/runtime/index.ts';
import { decodeImageInBrowser } from '../../src/runtime/image-web.ts';
import { defaultLibrary, loadLibraryChain, type Registry } from '../../src/core/index.ts';
import type { RunRequest, RunSummary, WorkerMessage } from './protocol.ts';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);
let cached: { key: string; model: LoadedModel } | null = null;

function kindOf(e: unknown): Extract<WorkerMessage, { type: 'error' }>['kind'] {
  const name = (e as Error)?.name ?? '';
  const msg = String((e as Error)?.message ?? e);
  if (name === 'ModelError') return 'model';
  if (name === 'WeightsError' || name === 'SafetensorsError') return 'weights';
  if (/out of memory|OOM|allocation/i.test(msg)) return 'memory';
  if (/webgl|context|backend/i.test(msg)) return 'backend';
  return 'other';
}

let registryCache: { key: string; registry: Registry } | null = null;
/** The same registry the editor reads the model with: the default library, then the user's and the model's. */
function registryFor(key: string, sources: RunRequest['libraries']): Registry {
  if (registryCache?.key !== key)
    registryCache = { key, registry: loadLibraryChain(sources, [defaultLibrary()]).registry };
  return registryCache.registry;
}

async function run(req: RunRequest): Promise<RunSummary> {
  const t0 = performance.now();
  post({ type: 'progress', id: req.id, stage: 'backend' });
  let fallback: string | undefined;
  let backend: BackendName;
  try {
    backend = await useBackend(req.prefer);
  } catch (e) {
    throw Object.assign(new Error(String((e as Error).message)), { name: 'BackendError' });
  }
  if (backend !== req.prefer[0]) fallback = `${req.prefer[0]} is not available here; ran on ${backend}`;
  const libs = JSON.stringify(req.libraries);
  const key = `${currentBackend()}|${req.imgsz}|${req.weightsKey}|${req.weightsMode}|${req.map?.join(',') ?? ''}|${libs}|${req.text}`;
  if (cached?.key !== key) {
    post({ type: 'progress', id: req.id, stage: 'build' });
    cached?.model.dispose();
    cached = null;
    cached = {
      key,
      model: loadModel(req.text, {
        imgsz: req.imgsz,
        file: req.file,
        weights: req.weights ?? undefined,
        mode: req.weightsMode,
        map: req.map,
        names: req.names,
        registry: registryFor(libs, req.libraries),
      }),
    };
  }
  post({ type: 'progress', id: req.id, stage: 'decode' });
  const image = await decodeImageInBrowser(req.image);
  post({ type: 'progress', id: req.id, stage: 'run' });
  const before = tensorCount();
  const r = await runImage(cached.model, image, {
    size: req.imgsz,
    conf: req.conf,
    iou: req.iou,
    timing: req.timing,
    layers: req.layerOutputs,
  });
  const after = tensorCount();
  const outputs = [
    ...(r.output.pred ? [{ name: 'pred', shape: r.output.pred.shape }] : []),
    ...r.output.raw.map((t, k) => ({ name: `raw.${k}`, shape: t.shape })),
    ...(r.output.proto ? [{ name: 'proto', shape: r.output.proto.shape }] : []),
  ];
  return {
    backend: r.backend,
    fallback,
    ms: performance.now() - t0,
    forwardMs: r.output.ms,
    detections: r.detections.map((d) => ({ class: d.class, name: d.name, confidence: d.confidence, xyxy: d.xyxy })),
    outputs,
    timings: r.output.timings ?? [],
    weights: cached.model.weights.summary,
    input: r.input,
    original: r.original,
    tensors: [before, after],
    ...(req.layerOutputs
      ? { layers: [...r.output.layers].map(([i, t]) => ({ i, shape: t.shape, data: t.data })) }
      : {}),
  };
}

self.onmessage = async (ev: MessageEvent<RunRequest>) => {
  const req = ev.data;
  try {
    const result = await run(req);
    // layer outputs move to the page without a copy
    (self as unknown as Worker).postMessage(
      { type: 'result', id: req.id, result } satisfies WorkerMessage,
      (result.layers ?? []).map((l) => l.data.buffer as ArrayBuffer),
    );
  } catch (e) {
    // a lost WebGL context or a failing GPU: retry once on wasm, and say so
    if (kindOf(e) === 'backend' && req.prefer[0] === 'webgl') {
      try {
        cached?.model.dispose();
        cached = null;
        const result = await run({ ...req, prefer: ['wasm', 'cpu'] });
        post({
          type: 'result',
          id: req.id,
          result: { ...result, fallback: `WebGL failed (${(e as Error).message}); ran on ${result.backend}` },
        });
        return;
      } catch (e2) {
        e = e2;
      }
    }
    post({ type: 'error', id: req.id, kind: kindOf(e), message: String((e as Error)?.message ?? e) });
  }
};
