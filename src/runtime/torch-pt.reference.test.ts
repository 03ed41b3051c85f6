/** PyTorch .pt files: a YOLOv5 checkpoint (model.half() in a zip pickle) reads as its state_dict, by PyTorch's names. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeReference, referencePath } from '../testing/reference.ts';
import { planModel } from './model.ts';
import { readTorchFile } from './torch-pt.ts';
import { loadStrict, readStateDict } from './weights.ts';

describeReference('reading .pt checkpoints', () => {
  it('reads yolov5n-160/model.pt: every tensor of the safetensors state_dict, equal to half precision, strictly loadable', () => {
    const pt = readTorchFile(readFileSync(referencePath('parity', 'yolov5n-160', 'model.pt')));
    const sd = readStateDict(readFileSync(referencePath('parity', 'yolov5n-160', 'weights.safetensors'))).state;
    expect(pt.source).toBe('model');
    expect([...pt.state.keys()].sort()).toEqual([...sd.keys()].sort());
    expect(pt.names?.length).toBe(80);
    let worst = 0;
    for (const [k, t] of sd) {
      const p = pt.state.get(k)!;
      expect(p.data.length, k).toBe(t.data.length);
      for (let i = 0; i < t.data.length; i++) worst = Math.max(worst, Math.abs(p.data[i] - t.data[i]) / Math.max(1, Math.abs(t.data[i])));
    }
    expect(worst).toBeLessThan(1e-3); // float16 rounding
    const plan = planModel(readFileSync(referencePath('configs', 'ultralytics', 'yolov5n.yaml'), 'utf8'), { imgsz: 160 });
    expect(loadStrict(plan, pt.state).size).toBe(plan.tensors.length);
  });
});
