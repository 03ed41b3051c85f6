/**
 * The runtime as a message service, for the app's Web Worker (and any other host): requests in, plain
 * data out (no tensors, nothing tied to a DOM or Node). The worker does
 *   const service = createRuntimeService({ wasmPath: new URL('./wasm/', location.href).href });
 *   self.onmessage = async (e) => self.postMessage(await service.handle(e.data));
 * after `import '@tensorflow/tfjs-backend-webgl'` so webgl is offered; when WebGL is missing or its
 * context is lost, `backend` requests fall back to wasm, then cpu, and the model is rebuilt there.
 */
import { useBackend, type BackendName } from './backend.ts';
import type { RgbImage } from './letterbox.ts';
import type { TensorData } from './network.ts';
import type { Detection } from './nms.ts';
import { detectionsFrom, loadModel, runImage, runTensor, type LoadedModel, type LoadOptions } from './runtime.ts';
import type { TransferReport, TensorProblem } from './weights.ts';
import { WeightsError } from './weights.ts';
import { ModelError } from './model.ts';

export type RuntimeRequest =
  | { id: number; type: 'backend'; prefer: BackendName[] }
  | { id: number; type: 'load'; config: string; options?: Omit<LoadOptions, 'weights'> & { weights?: Uint8Array } }
  | { id: number; type: 'runImage'; image: RgbImage; options?: { size?: number | [number, number]; auto?: boolean; conf?: number; iou?: number; timing?: boolean; masks?: boolean } }
  | { id: number; type: 'runTensor'; images: TensorData; options?: { timing?: boolean; layers?: boolean | number[] } }
  | { id: number; type: 'dispose' };

export type RuntimeReply =
  | { id: number; ok: true; type: 'backend'; backend: BackendName }
  | { id: number; ok: true; type: 'load'; backend: string; params: number; names?: string[]; weights: string; report?: TransferReport }
  | {
      id: number;
      ok: true;
      type: 'run';
      backend: string;
      ms: number;
      detections: (Detection & { name?: string })[];
      outputs: Record<string, number[]>;
      timings?: { i: number; module: string; ms: number }[];
      masks?: Uint8Array[];
      layers?: [number, TensorData][];
    }
  | { id: number; ok: true; type: 'dispose' }
  | { id: number; ok: false; error: string; kind: 'model' | 'weights' | 'run'; problems?: { missing: TensorProblem[]; unexpected: TensorProblem[]; misshaped: TensorProblem[] } };

export interface RuntimeService {
  handle(req: RuntimeRequest): Promise<RuntimeReply>;
}

export function createRuntimeService(opts: { wasmPath?: string } = {}): RuntimeService {
  let model: LoadedModel | undefined;
  let last: { config: string; options?: LoadOptions } | undefined;
  const fail = (id: number, e: unknown): RuntimeReply => {
    if (e instanceof WeightsError) return { id, ok: false, kind: 'weights', error: e.message, problems: { missing: e.missing, unexpected: e.unexpected, misshaped: e.misshaped } };
    if (e instanceof ModelError) return { id, ok: false, kind: 'model', error: e.message };
    return { id, ok: false, kind: 'run', error: (e as Error).message };
  };
  return {
    async handle(req) {
      try {
        switch (req.type) {
          case 'backend': {
            const b = await useBackend(req.prefer, { wasmPath: opts.wasmPath });
            // weights live on the old backend's memory: rebuild there
            if (model && last) {
              model.dispose();
              model = loadModel(last.config, last.options);
            }
            return { id: req.id, ok: true, type: 'backend', backend: b };
          }
          case 'load': {
            const options: LoadOptions = { ...req.options };
            const next = loadModel(req.config, options);
            model?.dispose();
            model = next;
            last = { config: req.config, options };
            return { id: req.id, ok: true, type: 'load', backend: next.net.backendName, params: next.plan.params, names: next.names, weights: next.weights.summary, report: next.weights.report };
          }
          case 'runImage':
          case 'runTensor': {
            if (!model) throw new Error('no model loaded');
            if (req.type === 'runImage') {
              const r = await runImage(model, req.image, req.options);
              return { id: req.id, ok: true, type: 'run', backend: r.backend, ms: r.ms, detections: r.detections, outputs: outputShapes(r.output), timings: r.output.timings, masks: r.masks };
            }
            const t0 = performance.now();
            const out = await runTensor(model, req.images, req.options);
            const m = model;
            const detections = detectionsFrom(m, out).map((d) => ({ ...d, name: m.names?.[d.class] }));
            return { id: req.id, ok: true, type: 'run', backend: out.backend, ms: performance.now() - t0, detections, outputs: outputShapes(out), timings: out.timings, layers: [...out.layers] };
          }
          case 'dispose':
            model?.dispose();
            model = undefined;
            last = undefined;
            return { id: req.id, ok: true, type: 'dispose' };
        }
      } catch (e) {
        return fail(req.id, e);
      }
    },
  };
}

function outputShapes(o: { pred?: TensorData; raw: TensorData[]; proto?: TensorData }): Record<string, number[]> {
  const r: Record<string, number[]> = {};
  if (o.pred) r.pred = o.pred.shape;
  o.raw.forEach((t, k) => (r[`raw.${k}`] = t.shape));
  if (o.proto) r.proto = o.proto.shape;
  return r;
}
