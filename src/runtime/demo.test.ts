/** The shipped demo detector finds on its sample image what PyTorch found there (configs/demo/sample.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it, describe } from 'vitest';
import { PROJECT_DIR } from '../testing/reference.ts';
import { useNodeBackend } from './backend-node.ts';
import { tensorCount } from './backend.ts';
import { readImage } from './image-node.ts';
import { boxIou } from './nms.ts';
import { loadModel, runImage } from './runtime.ts';

const demo = (f: string) => join(PROJECT_DIR, 'configs', 'demo', f);

describe('the demo model on sample.png', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('finds the same classes as PyTorch, each box with IoU >= 0.9 and confidence within 0.01, and leaks no tensors', async () => {
    const sample = JSON.parse(readFileSync(demo('sample.json'), 'utf8'));
    const model = loadModel(readFileSync(demo('demo-shapes.yaml'), 'utf8'), {
      imgsz: sample.imgsz,
      weights: readFileSync(demo('weights.safetensors')),
    });
    expect(model.names).toEqual(['circle', 'square', 'triangle']);
    const before = tensorCount();
    const r = await runImage(model, readImage(demo(sample.image)), {
      conf: sample.conf,
      iou: sample.iou,
      auto: sample.auto,
    });
    expect(tensorCount()).toBe(before);
    model.dispose();
    expect([1, 3, ...r.input]).toEqual(sample.input_shape);
    const want: { class: string; confidence: number; xyxy: number[] }[] = sample.pytorch_detections;
    expect(r.detections.length).toBe(want.length);
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
  });

  it('runs at another size than the one it was loaded at (the minimal rectangle at 416 here)', async () => {
    const model = loadModel(readFileSync(demo('demo-shapes.yaml'), 'utf8'), {
      imgsz: 320,
      weights: readFileSync(demo('weights.safetensors')),
    });
    const before = tensorCount();
    const r = await runImage(model, readImage(demo('sample.png')), { size: 416, auto: true });
    expect(tensorCount()).toBe(before);
    model.dispose();
    expect(r.input).toEqual([320, 416]);
    expect(r.output.pred!.shape).toEqual([1, 3 * (40 * 52 + 20 * 26 + 10 * 13), 8]);
    expect(r.detections.length).toBeGreaterThanOrEqual(6);
  });
});
