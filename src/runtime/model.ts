/**
 * From a config to the network the runtime executes: every layer's primitive operations (from the
 * core's module descriptions), the state_dict tensors it declares, and the head. Pure (no tfjs).
 */
import {
  analyze,
  argToJs,
  joinMessages,
  MessageError,
  msg,
  type Message,
  buildAnalyzedLayer,
  parseModelText,
  type ActSpec,
  type Limits,
  type Registry,
  type ModelAnalysis,
  type ModelSource,
  type ModNode,
  type Op,
  type Shape,
  type TensorDecl,
} from '../core/index.ts';

import { anchorFreeHead, headOutputs, type AnchorFreeHead } from './ultralytics/head.ts';

export interface PlanLayer {
  i: number;
  /** Module name as the config writes it. */
  module: string;
  /** Absolute input layer indices (-1: the image). */
  inputs: number[];
  /** Operations on layer-local value ids. */
  ops: Op[];
  /** Value ids of the layer's inputs, in `inputs` order. */
  inputIds: number[];
  outId: number;
  /** Output [C, H, W] at the analysed size (for Detect/Segment [N, no]). */
  shape: Shape;
  /** Parameters the core counts for this layer. */
  params: number;
  root: ModNode;
  /** Every value's shape [C, H, W] by id, as the core computed it. */
  shapes: Map<number, Shape>;
  /** Local values kept after the layer has run (a head's other outputs). */
  outputs?: number[];
}

export interface HeadInfo {
  layer: number;
  kind: 'Detect' | 'Segment';
  nc: number;
  na: number;
  no: number;
  nm: number;
  nl: number;
  /** Anchors in pixels as configured (per level [w0, h0, w1, h1, ...]). */
  anchors: number[][];
  stride: number[];
}

export interface ExpectedTensor extends TensorDecl {
  /** Full state_dict name: model.3.cv1.conv.weight */
  key: string;
  layer: number;
}

export interface ModelPlan {
  /** An Ultralytics head (anchor-free Detect and its kin, Classify): its outputs and task. */
  anchorFree?: AnchorFreeHead;
  analysis: ModelAnalysis;
  imgsz: [number, number];
  layers: PlanLayer[];
  /** Every tensor of the state_dict, in PyTorch's order. */
  tensors: ExpectedTensor[];
  head?: HeadInfo;
  /** Total parameters (the core's count). */
  params: number;
  /** Layers whose outputs later layers read (YOLOv5's `save`). */
  save: number[];
  /**
   * Batch norm epsilon the framework leaves on the model's BatchNorm2d layers (not in a state_dict): 1e-3, set by
   * YOLOv5's and Ultralytics' initialize_weights, except for an Ultralytics classifier (ClassificationModel never
   * calls it), which keeps PyTorch's 1e-5.
   */
  bnEps: number;
}

export class ModelError extends MessageError {
  constructor(
    said: Message,
    readonly diagnostics: { code: string; message: Message; layer?: number }[] = [],
  ) {
    super(said);
  }
}

export { argToJs };

/** Analyse config text (or a parsed source) and build the plan; throws ModelError on any error. */
export function planModel(
  src: string | ModelSource,
  opts: { imgsz?: number | [number, number]; file?: string; registry?: Registry; limits?: Partial<Limits> } = {},
): ModelPlan {
  const source = typeof src === 'string' ? parseModelText(src, opts.file ?? 'model.yaml') : src;
  return planFromAnalysis(analyze(source, { imgsz: opts.imgsz ?? 640, registry: opts.registry, limits: opts.limits }));
}

export function planFromAnalysis(a: ModelAnalysis): ModelPlan {
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    throw new ModelError(
      msg('model-has-errors', {
        count: errors.length,
        problems: joinMessages(errors.slice(0, 3).map((d) => d.message)),
      }),
      errors.map((d) => ({ code: d.code, message: d.message, layer: d.layer })),
    );
  }
  const layers: PlanLayer[] = [];
  const tensors: ExpectedTensor[] = [];
  let head: HeadInfo | undefined;
  let anchorFree: AnchorFreeHead | undefined;
  for (const L of a.layers) {
    if (!L.def || !L.args || !L.shape) throw new ModelError(msg('layer-cannot-be-built', { layer: L.i }));
    const b = buildAnalyzedLayer(a, L.i);
    if (!b || b.error || !b.root)
      throw new ModelError(
        b?.error
          ? msg('layer-problem', { layer: L.i, module: L.module, problem: b.error.msg })
          : msg('layer-module-cannot-be-built', { layer: L.i, module: L.module }),
      );
    layers.push({
      i: L.i,
      module: L.module,
      inputs: L.inputs,
      ops: b.ops,
      inputIds: b.inputValues.map((v) => v.id),
      outId: b.out.id,
      shape: b.out.shape,
      params: b.params,
      root: b.root,
      shapes: b.shapes,
    });
    collect(b.root, `model.${L.i}.`, L.i, tensors);
    const af = anchorFreeHead(layers[layers.length - 1]);
    if (af) {
      anchorFree = af;
      layers[layers.length - 1].outputs = headOutputs(af);
    }
    const det = b.ops.find((o) => o.kind === 'detect');
    if (det && det.kind === 'detect') {
      head = {
        layer: L.i,
        kind: det.nm ? 'Segment' : 'Detect',
        nc: det.nc,
        na: det.na,
        no: det.no,
        nm: det.nm,
        nl: det.xs.length,
        anchors: det.anchors,
        stride: a.stride ?? [],
      };
    }
  }
  const save = [...new Set(layers.flatMap((l, k) => l.inputs.filter((j) => j !== -1 && j !== k - 1)))].sort(
    (x, y) => x - y,
  );
  const bnEps = anchorFree?.task === 'classify' ? 1e-5 : 1e-3;
  return { analysis: a, imgsz: a.imgsz, layers, tensors, head, anchorFree, params: a.params, save, bnEps };
}

function collect(node: ModNode, prefix: string, layer: number, out: ExpectedTensor[]) {
  for (const t of node.tensors) out.push({ ...t, key: `${prefix}${t.name}`, layer });
  for (const c of node.children) collect(c, `${prefix}${c.name}.`, layer, out);
}

/** state_dict key of a tensor of an op named `name` ('' is the layer itself) in layer i. */
export const keyOf = (i: number, name: string, t: string) => (name ? `model.${i}.${name}.${t}` : `model.${i}.${t}`);

export type { ActSpec };
