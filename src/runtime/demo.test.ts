/** The shipped demo detector finds on its sample image what PyTorch found there (configs/demo/sample.json). */
import { beforeAll, expect, it, describe } from 'vitest';
import { loadDemo, matchDetections, readSample, runDemo } from '../testing/demo-detections.ts';
import { useNodeBackend } from './backend-node.ts';

describe('the demo model on sample.png', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('finds the same classes as PyTorch, each box with IoU >= 0.9 and confidence within 0.01, and leaks no tensors', async () => {
    const sample = readSample('sample.json');
    const model = loadDemo('demo-shapes.yaml', 'weights.safetensors', sample);
    const r = await runDemo(model, sample.image, { conf: sample.conf, iou: sample.iou, auto: sample.auto });
    expect([1, 3, ...r.input]).toEqual(sample.input_shape);
    expect(r.detections.length).toBe(sample.pytorch_detections.length);
    expect(matchDetections(r.detections, sample.pytorch_detections)).toEqual([]);
  });

  it('runs at another size than the one it was loaded at (the minimal rectangle at 416 here)', async () => {
    const model = loadDemo('demo-shapes.yaml', 'weights.safetensors', readSample('sample.json'), 320);
    const r = await runDemo(model, 'sample.png', { size: 416, auto: true });
    expect(r.input).toEqual([320, 416]);
    expect(r.output.pred!.shape).toEqual([1, 3 * (40 * 52 + 20 * 26 + 10 * 13), 8]);
    expect(r.detections.length).toBeGreaterThanOrEqual(6);
  });
});
