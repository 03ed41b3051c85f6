/**
 * The thresholds a family's own predictor uses when none is given: YOLOv5 v7.0's detect.py (conf 0.25, IoU 0.45)
 * and Ultralytics 8.3.253's predictor (conf 0.25, IoU 0.7). One place, read by the NMS of each family, `run`'s
 * flags and usage line, and the app's run panel. No imports but a type: the CLI's help reads it without tfjs.
 */
import type { FamilyId } from '../core/index.ts';

export interface PredictDefaults {
  conf: number;
  iou: number;
}

export const PREDICT_DEFAULTS: Readonly<Record<FamilyId, Readonly<PredictDefaults>>> = {
  yolov5: { conf: 0.25, iou: 0.45 },
  ultralytics: { conf: 0.25, iou: 0.7 },
};
