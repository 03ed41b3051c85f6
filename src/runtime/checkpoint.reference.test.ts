/**
 * A real YOLOv5 checkpoint runs: yolov5n-160/model.pt (fp16 weights in a zip) opened as its embedded YAML
 * and its state_dict reproduces the PyTorch `pred` of that fixture within fp16 tolerance.
 */
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { checkpointYaml, readCheckpoint } from '../core/checkpoint/index.ts';
import { describeReference, referencePath } from '../testing/reference.ts';
import { useNodeBackend } from './backend-node.ts';
import { tensorCount } from './backend.ts';
import { loadModel, runTensor } from './runtime.ts';
import { readSafetensors, toFloat32 } from './safetensors.ts';

describeReference('model.pt runs in the runtime', () => {
  afterAll(async () => {
    await useNodeBackend(['wasm', 'cpu']);
  });
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`reproduces yolov5n-160's pred from model.pt on ${backend} (worst |got-want|/max(1,|want|) <= 1e-2)`, async () => {
      expect(await useNodeBackend(backend)).toBe(backend);
      const dir = referencePath('parity', 'yolov5n-160');
      const pt = readFileSync(`${dir}/model.pt`);
      const yaml = checkpointYaml(readCheckpoint(pt), 'model.pt');
      const ref = readSafetensors(readFileSync(`${dir}/tensors.safetensors`));
      const before = tensorCount();
      // the .pt bytes go in as weights, as a .safetensors file would
      const model = loadModel(yaml, { imgsz: 160, weights: pt });
      expect(model.weights.summary).toBe('349 tensors loaded');
      expect(model.names).toHaveLength(80);
      const img = ref.tensors.get('images')!;
      const out = await runTensor(model, { shape: img.shape, data: toFloat32(img) });
      model.dispose();
      expect(tensorCount()).toBe(before);
      const want = toFloat32(ref.tensors.get('pred')!);
      expect(out.pred!.shape).toEqual(ref.tensors.get('pred')!.shape);
      let worst = 0;
      for (let i = 0; i < want.length; i++)
        worst = Math.max(worst, Math.abs(out.pred!.data[i] - want[i]) / Math.max(1, Math.abs(want[i])));
      console.log(`${backend} model.pt: worst scaled pred error ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-2);
    });
  }
});
