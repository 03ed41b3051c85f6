/**
 * The runtime's entry points, for the CLI and the app's worker: build a config's network with weights
 * (seeded init, strict or transfer load), run an image or a tensor, get detections in the original
 * image's pixels. Everything crossing this API is plain data (no tensors), so it can be posted between
 * a worker and the page.
 */
import { MessageError, msg } from '../core/messages/index.ts';
import * as tf from '@tensorflow/tfjs-core';
import type { Limits, ModelSource, Registry } from '../core/index.ts';
import { letterbox, scaleBoxes, toFloatInput, type Letterboxed, type RgbImage } from './letterbox.ts';
import { checkRunMemory } from './memory.ts';
import { planModel, type ModelPlan } from './model.ts';
import { Network, type ForwardOptions, type ForwardOutput, type TensorData } from './network.ts';
import { nonMaxSuppression, processMasks, type Detection } from './nms.ts';
import type { AnchorFreeHead } from './ultralytics/head.ts';
import { classifyInput } from './ultralytics/classify.ts';
import { ulDetections, ulTopClasses, type UlResult } from './ultralytics/predict.ts';
import {
  describeTransfer,
  initStateDict,
  loadStrict,
  loadTransfer,
  readStateDict,
  type IndexMap,
  type StateDict,
  type TransferReport,
} from './weights.ts';

export interface LoadOptions {
  /** Input size the model is analysed at (default 640). */
  imgsz?: number | [number, number];
  /** A .safetensors state_dict or a .pt file (bytes); none: PyTorch-style initialisation. */
  weights?: Uint8Array | StateDict;
  /** 'strict' (default): every tensor by name and shape, or an error naming all problems. */
  mode?: 'strict' | 'transfer';
  /** Transfer: old layer index -> new (the edit commands' mapping). */
  map?: IndexMap;
  /** Transfer: keep the file's anchors (YOLOv5's train.py takes the config's). */
  keepAnchors?: boolean;
  /** Seed of the initialisation (default 0). */
  seed?: number;
  /** Class names (else the weights' metadata `names`). */
  names?: string[];
  file?: string;
  /** Modules beyond the built-ins (module libraries: the default one, the user's, NAME.modules.yaml). */
  registry?: Registry;
  /** Called after each layer is built (for a progress bar). */
  onLayer?: (done: number, total: number) => void;
  /** Most bytes the weights and activations may take (default LIMITS.runMemory, 2 GiB): checked before allocating. */
  maxMemory?: number;
  /** Analysis limits raised (or lowered): work, repeats, ... (core/limits.ts; the CLI's --limit NAME=N). */
  limits?: Partial<Limits>;
}

/** A .safetensors state_dict or a PyTorch .pt checkpoint (read by core/checkpoint), told apart by content. */
export function readWeightsFile(bytes: Uint8Array): { state: StateDict; names?: string[] } {
  return readStateDict(bytes);
}

export interface LoadedModel {
  net: Network;
  plan: ModelPlan;
  names?: string[];
  /** What loading did: 'initialised', 'loaded' or a transfer report. */
  weights: { kind: 'initialised' | 'loaded' | 'transfer'; report?: TransferReport; summary: string };
  dispose(): void;
}

/** Build a config's tfjs network on the current backend. Throws ModelError / WeightsError. */
export function loadModel(config: string | ModelSource, opts: LoadOptions = {}): LoadedModel {
  const plan = planModel(config, {
    imgsz: opts.imgsz ?? 640,
    file: opts.file,
    registry: opts.registry,
    limits: opts.limits,
  });
  checkRunMemory(plan, opts.maxMemory);
  let state: StateDict;
  let names = opts.names;
  let weights: LoadedModel['weights'];
  if (!opts.weights) {
    state = initStateDict(plan, opts.seed ?? 0);
    weights = { kind: 'initialised', summary: `initialised (seed ${opts.seed ?? 0})` };
  } else {
    let file: StateDict;
    if (opts.weights instanceof Map) file = opts.weights;
    else {
      const w = readWeightsFile(opts.weights);
      file = w.state;
      names ??= w.names;
    }
    if (opts.mode === 'transfer') {
      const t = loadTransfer(plan, file, { map: opts.map, seed: opts.seed, keepAnchors: opts.keepAnchors });
      state = t.state;
      weights = { kind: 'transfer', report: t.report, summary: describeTransfer(t.report) };
    } else {
      state = loadStrict(plan, file);
      weights = { kind: 'loaded', summary: `${plan.tensors.length} tensors loaded` };
    }
  }
  const net = new Network(plan, state, { onLayer: opts.onLayer });
  return { net, plan, names, weights, dispose: () => net.dispose() };
}

export interface ImageRunOptions extends ForwardOptions {
  /** Network input size (square or [h, w]); default the size the model was loaded at. */
  size?: number | [number, number];
  /** Letterbox to the minimal rectangle (YOLOv5's auto=True) instead of the full square. */
  auto?: boolean;
  conf?: number;
  iou?: number;
  maxDet?: number;
  agnostic?: boolean;
  /** Segment: compute masks (at the prototype resolution). */
  masks?: boolean;
}

export interface NamedDetection extends Detection {
  name?: string;
  /** An Ultralytics OBB head: centre, size, angle (radians in [0, pi/2)) and corners in the image's pixels. */
  obb?: UlResult['obb'];
  /** An Ultralytics Pose head: per keypoint [x, y(, visibility)] in the image's pixels. */
  keypoints?: number[][];
  /** An Ultralytics Segment head: the mask in the image's pixels (COCO RLE, column-major). */
  mask?: UlResult['mask'];
}

export interface ImageRunResult {
  detections: NamedDetection[];
  /** Boxes as on the network input (before scale_boxes). */
  inputDetections: Detection[];
  /** Network input [h, w] after letterbox; the original image [h, w]. */
  input: [number, number];
  original: [number, number];
  output: ForwardOutput;
  masks?: Uint8Array[];
  /** A classifier (Ultralytics' Classify): its five most probable classes, best first (Results.probs.top5). */
  probs?: { class: number; confidence: number; name?: string }[];
  backend: string;
  ms: number;
}

/** One forward of an image made ready for the network (letterboxed or cropped, HWC bytes). */
async function forwardImage(
  model: LoadedModel,
  lb: Pick<Letterboxed, 'data' | 'height' | 'width'>,
  opts: ImageRunOptions,
): Promise<ForwardOutput> {
  const x = tf.tensor4d(toFloatInput(lb.data), [1, lb.height, lb.width, 3]);
  try {
    return await model.net.forward(x, { raw: false, ...opts });
  } finally {
    x.dispose();
  }
}

/** Letterbox an image, run it, NMS, map boxes back to the image. */
export async function runImage(
  model: LoadedModel,
  image: RgbImage,
  opts: ImageRunOptions = {},
): Promise<ImageRunResult> {
  if (model.plan.anchorFree) return runAnchorFree(model, model.plan.anchorFree, image, opts);
  const t0 = performance.now();
  const size = opts.size ?? model.plan.imgsz;
  const stride = Math.max(32, ...(model.plan.head?.stride ?? [32]));
  const lb = letterbox(image, { size: typeof size === 'number' ? size : [size[0], size[1]], auto: opts.auto, stride });
  const output = await forwardImage(model, lb, opts);
  const r = detectionsFrom(model, output, {
    conf: opts.conf,
    iou: opts.iou,
    maxDet: opts.maxDet,
    agnostic: opts.agnostic,
  });
  const input: [number, number] = [lb.height, lb.width];
  const scaled = r.map((d) => ({ ...d, xyxy: [...d.xyxy] as Detection['xyxy'] }));
  scaleBoxes(
    input,
    scaled.map((d) => d.xyxy),
    lb.original,
  );
  const detections = scaled.map((d) => ({ ...d, name: model.names?.[d.class] }));
  let masks: Uint8Array[] | undefined;
  const h = model.plan.head;
  if (opts.masks && h?.nm && output.proto) {
    const [, nm, mh, mw] = output.proto.shape;
    masks = processMasks(output.proto.data, nm, mh, mw, r, input);
  }
  return {
    detections,
    inputDetections: r,
    input,
    original: lb.original,
    output,
    masks,
    backend: output.backend,
    ms: performance.now() - t0,
  };
}

/**
 * An Ultralytics head's image run, as its predictor: letterbox, forward, the task's post-processing
 * (ultralytics/predict.ts: NMS with its defaults, masks, keypoints, oriented boxes) in the image's pixels.
 */
async function runAnchorFree(
  model: LoadedModel,
  head: AnchorFreeHead,
  image: RgbImage,
  opts: ImageRunOptions,
): Promise<ImageRunResult> {
  const t0 = performance.now();
  const size = opts.size ?? model.plan.imgsz;
  const stride = Math.max(32, ...(model.plan.analysis.stride ?? [32]));
  // a classifier's predictor resizes and centre-crops (classify_transforms); the others letterbox
  const lb =
    head.task === 'classify'
      ? classifyInput(image, typeof size === 'number' ? size : [size[0], size[1]])
      : letterbox(image, { size: typeof size === 'number' ? size : [size[0], size[1]], auto: opts.auto, stride });
  const output = await forwardImage(model, lb, opts);
  const input: [number, number] = [lb.height, lb.width];
  const results = anchorFreeResults(head, output, input, lb.original, opts);
  // Classify's output is its softmax (Results.probs): the top 5, best first
  const probs =
    head.task === 'classify' && output.pred
      ? ulTopClasses(output.pred.data, 5).map((c) => ({ ...c, name: model.names?.[c.class] }))
      : undefined;
  const named = (r: UlResult, xyxy: UlResult['xyxy']): NamedDetection => ({
    xyxy,
    confidence: r.confidence,
    class: r.class,
    name: model.names?.[r.class],
    ...(r.obb ? { obb: r.obb } : {}),
    ...(r.keypoints ? { keypoints: r.keypoints } : {}),
    ...(r.mask ? { mask: r.mask } : {}),
  });
  return {
    detections: results.map((r) => named(r, r.xyxy)),
    inputDetections: results.map((r) => ({ xyxy: r.inputXyxy, confidence: r.confidence, class: r.class })),
    input,
    original: lb.original,
    output,
    ...(probs ? { probs } : {}),
    backend: output.backend,
    ms: performance.now() - t0,
  };
}

/** An Ultralytics head's predictions [1, no, A] as the predictor's results (boxes in `original` pixels). */
export function anchorFreeResults(
  head: AnchorFreeHead,
  output: ForwardOutput,
  input: [number, number],
  original: [number, number],
  opts: { conf?: number; iou?: number; maxDet?: number; agnostic?: boolean; masks?: boolean } = {},
): UlResult[] {
  if (!output.pred || head.task === 'classify') return [];
  const p = output.pred;
  // [1, no, A] -> rows [A, no] (non_max_suppression transposes too); v10Detect's [1, k, 6] already is rows
  const rows = head.end2end ? p.data : transposeRows(p.data, p.shape[1], p.shape[2]);
  const no = head.end2end ? 6 : p.shape[1];
  return ulDetections(rows, no, head, input, original, {
    conf: opts.conf,
    iou: opts.iou,
    maxDet: opts.maxDet,
    agnostic: opts.agnostic,
    masks: opts.masks,
    proto: output.proto,
  });
}

function transposeRows(d: Float32Array, no: number, a: number): Float32Array {
  const out = new Float32Array(no * a);
  for (let c = 0; c < no; c++) for (let k = 0; k < a; k++) out[k * no + c] = d[c * a + k];
  return out;
}

/** NMS on a forward's predictions (boxes in network input pixels). */
export function detectionsFrom(
  model: LoadedModel,
  output: ForwardOutput,
  opts: { conf?: number; iou?: number; maxDet?: number; agnostic?: boolean } = {},
): Detection[] {
  const af = model.plan.anchorFree;
  if (af) {
    const [h, w] = model.plan.imgsz;
    return anchorFreeResults(af, output, [h, w], [h, w], { ...opts, masks: false }).map((r) => ({
      xyxy: r.inputXyxy,
      confidence: r.confidence,
      class: r.class,
    }));
  }
  const h = model.plan.head;
  if (!h || !output.pred) return [];
  return nonMaxSuppression(output.pred.data, h.no, {
    conf: opts.conf,
    iou: opts.iou,
    maxDet: opts.maxDet,
    agnostic: opts.agnostic,
    nm: h.nm,
  });
}

/** Run an NCHW [1, C, H, W] float tensor (values 0..1), as in the reference `images`. */
export async function runTensor(
  model: LoadedModel,
  images: TensorData,
  opts: ForwardOptions = {},
): Promise<ForwardOutput> {
  if (images.shape.length !== 4 || images.shape[0] !== 1)
    throw new MessageError(msg('input-shape-nchw', { got: String(images.shape) }));
  const x = tf.tidy(() =>
    tf.transpose(tf.tensor4d(images.data, images.shape as [number, number, number, number]), [0, 2, 3, 1]),
  );
  try {
    return await model.net.forward(x, opts);
  } finally {
    x.dispose();
  }
}
