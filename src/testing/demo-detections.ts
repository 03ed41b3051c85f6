/**
 * The shipped demo detectors checked against what PyTorch detected on their sample image (configs/demo/sample*.json):
 * one way to load a demo, run it on the sample and match every PyTorch detection (same class, IoU >= 0.9, confidence
 * within 0.01), shared by the YOLOv5 and the Ultralytics demo tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { tensorCount } from '../runtime/backend.ts';
import { readImage } from '../runtime/image-node.ts';
import { boxIou } from '../runtime/nms.ts';
import {
  loadModel,
  runImage,
  type ImageRunOptions,
  type LoadedModel,
  type NamedDetection,
} from '../runtime/runtime.ts';
import { PROJECT_DIR } from './reference-paths.ts';

export const demoFile = (f: string) => join(PROJECT_DIR, 'configs', 'demo', f);

export interface DemoSample {
  image: string;
  imgsz: number;
  conf: number;
  iou: number;
  auto: boolean;
  input_shape: number[];
  pytorch_detections: { class: string; confidence: number; xyxy: number[] }[];
}

/** The demo `config` with its `weights` at the sample's size, its names checked. */
export function loadDemo(config: string, weights: string, sample: DemoSample, imgsz = sample.imgsz): LoadedModel {
  const model = loadModel(readFileSync(demoFile(config), 'utf8'), {
    imgsz,
    file: config,
    weights: readFileSync(demoFile(weights)),
  });
  expect(model.names).toEqual(['circle', 'square', 'triangle']);
  return model;
}

export const readSample = (name: string): DemoSample => JSON.parse(readFileSync(demoFile(name), 'utf8'));

/** Run a demo on an image of configs/demo (disposed after), checking no tensor is left behind. */
export async function runDemo(model: LoadedModel, image: string, opts: ImageRunOptions) {
  const before = tensorCount();
  const r = await runImage(model, readImage(demoFile(image)), opts);
  expect(tensorCount()).toBe(before);
  model.dispose();
  return r;
}

/** Every PyTorch detection found (same class, IoU >= 0.9, confidence within 0.01); the detections left over. */
export function matchDetections(got: NamedDetection[], want: DemoSample['pytorch_detections']) {
  const unmatched = [...got];
  for (const w of want) {
    const k = unmatched.findIndex(
      (d) => d.name === w.class && boxIou(d.xyxy, w.xyxy) >= 0.9 && Math.abs(d.confidence - w.confidence) <= 0.01,
    );
    expect(
      k,
      `PyTorch's ${w.class} ${w.confidence} at [${w.xyxy}] has no match in ${JSON.stringify(unmatched)}`,
    ).toBeGreaterThanOrEqual(0);
    unmatched.splice(k, 1);
  }
  return unmatched;
}
