/**
 * What Ultralytics 8.3.253's predictors make of a head's output (models/yolo/{detect,segment,pose,obb,classify}/
 * predict.py, read not copied), for one image: NMS with the predictor's defaults (conf 0.25, IoU 0.7, 300 at most,
 * class-aware; rotated for OBB; none for end-to-end heads), then each task's results in the image's pixels: boxes
 * through scale_boxes, masks from the prototypes (detections left without a mask dropped), keypoints through
 * scale_coords, oriented boxes regularised and scaled, class probabilities sorted.
 */
import { rleEncode, ulProcessMasks, ulScaleMask } from './masks.ts';
import { ulNonMaxSuppression, type UlDetection } from './nms.ts';
import { rboxCorners, regularizeRbox, ulScaleBoxes, ulScaleCoords, ulScaleRboxes } from './scale.ts';

export type UlTask = 'detect' | 'segment' | 'pose' | 'obb' | 'classify';

/** What the post-processing needs to know about the head. */
export interface UlHeadInfo {
  task: UlTask;
  nc: number;
  /** Segment: mask coefficients per anchor. */
  nm?: number;
  /** Pose: [keypoints, values per keypoint]. */
  kptShape?: [number, number];
  /** v10Detect: [k, 6] rows, no NMS. */
  end2end?: boolean;
}

export interface UlPredictOptions {
  conf?: number;
  iou?: number;
  maxDet?: number;
  agnostic?: boolean;
  classes?: number[];
  multiLabel?: boolean;
  /** Segment: compute masks (default true). */
  masks?: boolean;
}

export interface UlResult {
  class: number;
  confidence: number;
  /** Corners in the image's pixels (OBB: the rotated box's bounding corners). */
  xyxy: [number, number, number, number];
  /** The same on the network input. */
  inputXyxy: [number, number, number, number];
  /** OBB: centre, size and angle (radians, in [0, pi/2)) in the image's pixels, and the four corners. */
  obb?: { xywhr: [number, number, number, number, number]; corners: [number, number][] };
  /** Pose: per keypoint [x, y] or [x, y, visibility], in the image's pixels. */
  keypoints?: number[][];
  /** Segment: the mask in the image's pixels (COCO RLE, column-major counts). */
  mask?: { size: [number, number]; counts: number[] };
}

/**
 * Detections of one image from predictions laid out [A, no] row-major (the head's output transposed, as
 * non_max_suppression transposes it), `input` the network input [h, w], `original` the image [h, w].
 */
export function ulDetections(
  pred: Float32Array,
  no: number,
  head: UlHeadInfo,
  input: [number, number],
  original: [number, number],
  opts: UlPredictOptions & { proto?: { data: Float32Array; shape: number[] } } = {},
): UlResult[] {
  const rotated = head.task === 'obb';
  const dets = ulNonMaxSuppression(pred, no, {
    conf: opts.conf,
    iou: opts.iou,
    maxDet: opts.maxDet,
    agnostic: opts.agnostic,
    classes: opts.classes,
    multiLabel: opts.multiLabel,
    rotated,
    end2end: head.end2end,
    // a plain Detect head's classes are every value after the box; the others say how many
    nc: head.task === 'detect' ? 0 : head.nc,
  });
  if (rotated) return dets.map((d) => obbResult(d, input, original));
  let kept = dets;
  let masks: Uint8Array[] | undefined;
  if (head.task === 'segment' && opts.masks !== false && opts.proto && dets.length) {
    const [, nm, mh, mw] = opts.proto.shape;
    masks = ulProcessMasks(
      opts.proto.data,
      nm,
      mh,
      mw,
      dets.map((d) => d.extra.subarray(0, nm)),
      dets.map((d) => d.box),
      input,
    );
    // the predictor keeps only detections whose mask has a pixel
    const has = masks.map((m) => m.some((v) => v));
    kept = dets.filter((_, k) => has[k]);
    masks = masks.filter((_, k) => has[k]);
  }
  const boxes = ulScaleBoxes(
    input,
    kept.map((d) => d.box),
    original,
  );
  return kept.map((d, k) => {
    const r: UlResult = {
      class: d.class,
      confidence: d.confidence,
      xyxy: boxes[k] as UlResult['xyxy'],
      inputXyxy: d.box as UlResult['inputXyxy'],
    };
    if (head.task === 'pose' && head.kptShape) {
      const [nk, ndim] = head.kptShape;
      const pts: number[][] = [];
      for (let j = 0; j < nk; j++) pts.push(Array.from(d.extra.subarray(j * ndim, (j + 1) * ndim)));
      r.keypoints = ulScaleCoords(input, pts, original);
    }
    if (masks) r.mask = rleEncode(ulScaleMask(masks[k], input, original), original[0], original[1]);
    return r;
  });
}

function obbResult(d: UlDetection, input: [number, number], original: [number, number]): UlResult {
  const angle = d.extra[d.extra.length - 1];
  const [rb] = ulScaleRboxes(input, [regularizeRbox([...d.box, angle])], original);
  const corners = rboxCorners(rb);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const inCorners = rboxCorners(regularizeRbox([...d.box, angle]));
  return {
    class: d.class,
    confidence: d.confidence,
    xyxy: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    inputXyxy: [
      Math.min(...inCorners.map((c) => c[0])),
      Math.min(...inCorners.map((c) => c[1])),
      Math.max(...inCorners.map((c) => c[0])),
      Math.max(...inCorners.map((c) => c[1])),
    ],
    obb: { xywhr: rb as [number, number, number, number, number], corners },
  };
}

/** A classifier's probabilities, the top `k` (Results.probs.top5) by descending probability. */
export function ulTopClasses(probs: Float32Array, k = 5): { class: number; confidence: number }[] {
  return Array.from(probs, (p, c) => ({ class: c, confidence: p }))
    .sort((a, b) => b.confidence - a.confidence || a.class - b.class)
    .slice(0, k);
}
