/**
 * The shipped YOLO11n-layout demo (configs/demo/demo-yolo11n-shapes.yaml, weights-11.safetensors) finds on the sample
 * image what Ultralytics' own predictor found there (configs/demo/sample-11.json): every detection with the same
 * class, IoU >= 0.9 and confidence within 0.01, and no other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../testing/reference.ts';
import { useNodeBackend } from '../backend-node.ts';
import { tensorCount } from '../backend.ts';
import { readImage } from '../image-node.ts';
import { boxIou } from '../nms.ts';
import { loadModel, runImage } from '../runtime.ts';

const demo = (f: string) => join(PROJECT_DIR, 'configs', 'demo', f);

describe('the YOLO11n demo on sample.png', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it("finds PyTorch's detections (class, IoU >= 0.9, confidence within 0.01) and no other, leaking no tensors", async () => {
    const sample = JSON.parse(readFileSync(demo('sample-11.json'), 'utf8'));
    const model = loadModel(readFileSync(demo('demo-yolo11n-shapes.yaml'), 'utf8'), {
      imgsz: sample.imgsz,
      file: 'demo-yolo11n-shapes.yaml',
      weights: readFileSync(demo('weights-11.safetensors')),
    });
    expect(model.names).toEqual(['circle', 'square', 'triangle']);
    expect(model.plan.anchorFree?.task).toBe('detect');
    const before = tensorCount();
    // Ultralytics' defaults: conf 0.25, IoU 0.7 (not passed: the runtime's own defaults for this head)
    const r = await runImage(model, readImage(demo(sample.image)), { auto: sample.auto });
    expect(tensorCount()).toBe(before);
    model.dispose();
    expect([1, 3, ...r.input]).toEqual(sample.input_shape);
    const want: { class: string; confidence: number; xyxy: number[] }[] = sample.pytorch_detections;
    const unmatched = [...r.detections];
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
    expect(unmatched).toEqual([]);
  });
});
