/** Messages between the page and the run worker: plain data only. */
import type { BackendName } from '../../src/runtime/backend.ts';
import type { Message } from '../../src/core/index.ts';

/** What builds a network: the worker keeps the last one built and rebuilds only when this changes. */
export interface ModelRequest {
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
  /** Backends in the order to try (the first that starts runs). */
  prefer: BackendName[];
  /** Skip a software-rendered GPU (SwiftShader, llvmpipe...): set for the automatic choice, not an explicit one. */
  avoidSoftware: boolean;
}

/** Build and run the network once on a blank input of the run's size, so the next run is one forward pass. */
export interface WarmRequest extends ModelRequest {
  type: 'warm';
}

export interface RunRequest extends ModelRequest {
  type: 'run';
  /** The image file (PNG/JPEG) to decode in the worker. */
  image: Blob;
  conf: number;
  iou: number;
  timing: boolean;
  /** Also return every layer's output (NCHW), for the feature-map view. */
  layerOutputs: boolean;
}

export type WorkerRequest = WarmRequest | RunRequest;

/** Where the worker is: starting tfjs, building the network, the first run (GPU shaders compile), a run. */
export type Stage = 'backend' | 'build' | 'decode' | 'first' | 'run';

export interface Progress {
  stage: Stage;
  /** Layers done of all, where the stage goes layer by layer. */
  done?: number;
  total?: number;
}

export interface BackendInfo {
  backend: string;
  /** wasm: the threads it runs on. */
  threads?: number;
  /** Why the backends before it did not start (one line each). */
  skipped: { backend: string; reason: Message }[];
  /** The page is cross-origin isolated (wasm can have threads). */
  isolated: boolean;
}

export interface WarmSummary extends BackendInfo {
  /** Milliseconds: building the network and its first run. */
  buildMs: number;
  firstMs: number;
}

export interface RunSummary extends BackendInfo {
  /** Why the run did not use the first backend (WebGL missing or its context lost). */
  fallback?: Message;
  ms: number;
  forwardMs: number;
  /** The network was already built and run once (warm): the run was one forward pass. */
  warm: boolean;
  detections: {
    class: number;
    name?: string;
    confidence: number;
    xyxy: [number, number, number, number];
    /** An oriented box's four corners (OBB), in the image's pixels. */
    corners?: [number, number][];
    /** Keypoints [x, y(, visibility)] (Pose), in the image's pixels. */
    keypoints?: number[][];
    /** The mask (Segment) as COCO RLE in the image's pixels, column-major counts starting with zeros. */
    mask?: { size: [number, number]; counts: number[] };
  }[];
  /** A classifier's most probable classes, best first (Ultralytics' Results.probs.top5). */
  probs?: { class: number; name?: string; confidence: number }[];
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
  | ({ type: 'progress'; id: number } & Progress)
  | { type: 'result'; id: number; result: RunSummary }
  | { type: 'warmed'; id: number; result: WarmSummary }
  /** A warm-up that a newer request made pointless. */
  | { type: 'skipped'; id: number }
  | {
      type: 'error';
      id: number;
      kind: 'model' | 'weights' | 'image' | 'memory' | 'backend' | 'other';
      message: Message;
    };
