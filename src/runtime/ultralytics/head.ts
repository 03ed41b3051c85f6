/**
 * Which of a built layer's values an Ultralytics head (release 8.3.253) returns besides its prediction, found in
 * the operations the core recorded for it (src/core/ultralytics/heads.ts): the level maps before decoding
 * (`raw.K`), Segment's prototypes and mask coefficients (`proto`, `mc`), Pose's raw keypoints (`kpt`), OBB's
 * decoded angle (`angle`); and what the post-processing needs: the task, classes, masks, keypoint shape, and
 * whether the head already chose its detections (v10Detect's top-k). Pure.
 */
import type { Op, Shape } from '../../core/index.ts';
import type { UlTask } from './predict.ts';

export interface AnchorFreeHead {
  layer: number;
  task: UlTask;
  /** The head's module name (Detect, Segment, Pose, OBB, v10Detect, Classify). */
  module: string;
  nc: number;
  /** Values per prediction row: 4 + nc + extra (v10Detect: 6; Classify: nc). */
  no: number;
  end2end: boolean;
  nm?: number;
  kptShape?: [number, number];
  /** Level maps [no, h, w] before decoding, in level order. */
  raw: number[];
  proto?: number;
  /** Segment's `mc`, Pose's `kpt`, OBB's `angle`: [k, anchors]. */
  extra?: { name: 'mc' | 'kpt' | 'angle'; id: number };
}

const TASKS: Record<string, UlTask> = {
  Detect: 'detect',
  v10Detect: 'detect',
  Segment: 'segment',
  Pose: 'pose',
  OBB: 'obb',
  Classify: 'classify',
};

/** The head a layer is, or undefined (a backbone layer, a YOLOv5 head, an Ultralytics head we do not run). */
export function anchorFreeHead(layer: {
  i: number;
  module: string;
  ops: Op[];
  outId: number;
  shapes: Map<number, Shape>;
}): AnchorFreeHead | undefined {
  const task = TASKS[layer.module];
  if (!task) return undefined;
  const out = layer.shapes.get(layer.outId)!;
  if (task === 'classify')
    return { layer: layer.i, task, module: layer.module, nc: out[0], no: out[0], end2end: false, raw: [] };
  const ops = layer.ops;
  const decode = ops.find((o) => o.kind === 'anchorDecode');
  if (!decode || decode.kind !== 'anchorDecode') return undefined;
  const producer = new Map<number, Op>();
  for (const o of ops) producer.set(o.y, o);
  // the flattened levels: concatenations along the anchors of [k, h * w] views of [k, h, w] maps
  const flats = ops.filter(
    (o): o is Extract<Op, { kind: 'concat' }> =>
      o.kind === 'concat' && o.axis === 1 && o.xs.every((id) => producer.get(id)?.kind === 'reshape'),
  );
  const mapsOf = (c: Extract<Op, { kind: 'concat' }>) =>
    c.xs.map((id) => (producer.get(id) as Extract<Op, { kind: 'reshape' }>).x);
  const raw = flats.length ? mapsOf(flats[0]) : [];
  const head: AnchorFreeHead = {
    layer: layer.i,
    task,
    module: layer.module,
    nc: 0,
    no: out[0],
    end2end: false,
    raw,
  };
  const topk = ops.find((o) => o.kind === 'topk');
  if (topk && topk.kind === 'topk') {
    head.end2end = true;
    head.nc = topk.nc;
    head.no = 6;
    return head;
  }
  head.no = out[0];
  if (task === 'segment' && flats[1]) {
    head.extra = { name: 'mc', id: flats[1].y };
    head.nm = layer.shapes.get(flats[1].y)![0];
    const prefix = 'proto.';
    const last = [...ops].reverse().find((o) => 'name' in o && typeof o.name === 'string' && o.name.startsWith(prefix));
    if (last) head.proto = last.y;
    head.nc = head.no - 4 - head.nm;
  } else if (task === 'pose' && flats[1]) {
    const kd = ops.find((o) => o.kind === 'keypointDecode');
    const nk = layer.shapes.get(flats[1].y)![0];
    const ndim = kd && kd.kind === 'keypointDecode' ? kd.ndim : 3;
    head.extra = { name: 'kpt', id: flats[1].y };
    head.kptShape = [nk / ndim, ndim];
    head.nc = head.no - 4 - nk;
  } else if (task === 'obb' && decode.angle !== undefined) {
    head.extra = { name: 'angle', id: decode.angle };
    head.nc = head.no - 4 - layer.shapes.get(decode.angle)![0];
  } else head.nc = head.no - 4;
  return head;
}

/** The values a head layer must keep alive for its outputs. */
export function headOutputs(h: AnchorFreeHead): number[] {
  return [...h.raw, ...(h.proto !== undefined ? [h.proto] : []), ...(h.extra ? [h.extra.id] : [])];
}
