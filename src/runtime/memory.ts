/**
 * What running a model will allocate, estimated from its plan before a single weight is: a config of 16k or 1M
 * channels is refused with the layer that needs the most, instead of taking gigabytes or failing inside tfjs
 * with "Invalid typed array length".
 *
 * The estimate: every state_dict tensor twice (the host copy the weights are loaded into, and the backend's
 * tensor), float32; every layer's output (a run keeps what later layers read, and can keep them all for the
 * feature maps); the largest layer's values, its inputs included (each op's output lives while the layer runs);
 * and the image.
 */
import { LIMITS, msg } from '../core/index.ts';
import { ModelError, type ModelPlan } from './model.ts';

export interface MemoryEstimate {
  /** Bytes in all. */
  bytes: number;
  weights: number;
  activations: number;
  /** The layer that needs the most (its weights and its values together). */
  largest: { layer: number; module: string; bytes: number };
}

const F32 = 4;
const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * (Number.isFinite(b) ? b : 0), 1);

export function estimateRunMemory(plan: ModelPlan): MemoryEstimate {
  const weightsOf = new Map<number, number>();
  for (const t of plan.tensors) weightsOf.set(t.layer, (weightsOf.get(t.layer) ?? 0) + numel(t.shape) * F32);
  let weights = 0;
  let outputs = 0;
  let inside = 0;
  let largest = { layer: -1, module: '', bytes: -1 };
  for (const l of plan.layers) {
    const w = 2 * (weightsOf.get(l.i) ?? 0);
    let values = 0;
    for (const shape of l.shapes.values()) values += numel(shape) * F32;
    weights += w;
    outputs += numel(l.shape) * F32;
    inside = Math.max(inside, values);
    if (w + values > largest.bytes) largest = { layer: l.i, module: l.module, bytes: w + values };
  }
  const [h, w] = plan.imgsz;
  const input = plan.analysis.inputChannels * h * w * F32;
  const activations = outputs + inside + input;
  return { bytes: weights + activations, weights, activations, largest };
}

export const formatBytes = (n: number): string =>
  n >= 1024 ** 4
    ? `${(n / 1024 ** 4).toFixed(1)} TiB`
    : n >= 1024 ** 3
      ? `${(n / 1024 ** 3).toFixed(1)} GiB`
      : `${Math.max(1, Math.round(n / 1024 ** 2)).toLocaleString('en-US')} MiB`;

/** Throws a ModelError ('run-memory') when running the plan would need more than `max` bytes. */
export function checkRunMemory(plan: ModelPlan, max: number = LIMITS.runMemory): MemoryEstimate {
  const e = estimateRunMemory(plan);
  if (e.bytes > max) {
    const message = msg('run-memory', {
      bytes: formatBytes(e.bytes),
      weights: formatBytes(e.weights),
      activations: formatBytes(e.activations),
      max: formatBytes(max),
      layer: e.largest.layer,
      module: e.largest.module,
      largest: formatBytes(e.largest.bytes),
    });
    throw new ModelError(message, [{ code: 'run-memory', message, layer: e.largest.layer }]);
  }
  return e;
}

/** '2GiB', '512M', '1.5G', '4096' (bytes) as bytes; undefined when it is not a size. */
export function parseBytes(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(i?[bB])?\s*$/.exec(s);
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'k'];
  const n = Number(m[1]) * unit;
  return Number.isFinite(n) && n > 0 ? Math.round(n) : undefined;
}
