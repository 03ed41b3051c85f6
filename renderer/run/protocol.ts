/** Messages between the page and the run worker: plain data only. */
import type { BackendName } from '../../src/runtime/backend.ts';

export interface RunRequest {
  id: number;
  /** The model YAML and its file name (for messages). */
  text: string;
  file: string;
  /** The module libraries beyond the default one (user's, model's), in reading order: custom modules build from them. */
  libraries: { file: string; text: string }[];
  imgsz: number;
  /** A .safetensors state_dict, or null for PyTorch-style initialisation. */
  weights: Uint8Array | null;
  /** Changes when the weights change, so the worker rebuilds only when needed. */
  weightsKey: string;
  weightsMode: 'strict' | 'transfer';
  /** Transfer: where each layer of the weights' model is in the edited one (-1: deleted). */
  map?: number[];
  names?: string[];
  /** The image file (PNG/JPEG) to decode in the worker. */
  image: Blob;
  conf: number;
  iou: number;
  timing: boolean;
  /** Also return every layer's output (NCHW), for the feature-map view. */
  layerOutputs: boolean;
  prefer: BackendName[];
}

export interface RunSummary {
  backend: string;
  /** Why the run did not use the first backend (WebGL missing or its context lost). */
  fallback?: string;
  ms: number;
  forwardMs: number;
  detections: { class: number; name?: string; confidence: number; xyxy: [number, number, number, number] }[];
  outputs: { name: string; shape: number[] }[];
  timings: { i: number; module: string; ms: number }[];
  weights: string;
  input: [number, number];
  original: [number, number];
  /** Live tensors before and after the run (they must match). */
  tensors: [number, number];
  /** Every layer's output [1, C, H, W] but the head's, when asked for. */
  layers?: { i: number; shape: number[]; data: Float32Array }[];
}

export type WorkerMessage =
  | { type: 'progress'; id: number; stage: 'backend' | 'build' | 'decode' | 'run' }
  | { type: 'result'; id: number; result: RunSummary }
  | {
      type: 'error';
      id: number;
      kind: 'model' | 'weights' | 'image' | 'memory' | 'backend' | 'other';
      message: string;
    };
