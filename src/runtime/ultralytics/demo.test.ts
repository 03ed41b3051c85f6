/**
 * The shipped YOLO11n-layout demo (configs/demo/demo-yolo11n-shapes.yaml, weights-11.safetensors) finds on the sample
 * image what Ultralytics' own predictor found there (configs/demo/sample-11.json): every detection with the same
 * class, IoU >= 0.9 and confidence within 0.01, and no other.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, matchDetections, readSample, runDemo } from '../../testing/demo-detections.ts';
import { useNodeBackend } from '../backend-node.ts';

describe('the YOLO11n demo on sample.png', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it("finds PyTorch's detections (class, IoU >= 0.9, confidence within 0.01) and no other, leaking no tensors", async () => {
    const sample = readSample('sample-11.json');
    const model = loadDemo('demo-yolo11n-shapes.yaml', 'weights-11.safetensors', sample);
    expect(model.plan.anchorFree?.task).toBe('detect');
    // Ultralytics' defaults: conf 0.25, IoU 0.7 (not passed: the runtime's own defaults for this head)
    const r = await runDemo(model, sample.image, { auto: sample.auto });
    expect([1, 3, ...r.input]).toEqual(sample.input_shape);
    expect(matchDetections(r.detections, sample.pytorch_detections)).toEqual([]);
  });
});
