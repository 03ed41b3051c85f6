/**
 * Ultralytics' anchor-free networks run in tfjs as in PyTorch: the parity fixtures of YOLOv8n and YOLO11n at 160
 * (real PyTorch outputs of Ultralytics 8.3.253) match on the cpu and wasm backends: pred, the head's level maps
 * and every layer's output within 1e-3 (|got - want| / max(1, |want|)).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtureDir, ULTRALYTICS_PARITY_FIXTURES as FIXTURES } from '../../testing/parity-fixtures.ts';
import { describeReference, referencePath } from '../../testing/reference.ts';
import { useNodeBackend } from '../backend-node.ts';
import { tensorCount } from '../backend.ts';
import { loadModel, runTensor } from '../runtime.ts';
import { readSafetensors, toFloat32 } from '../safetensors.ts';

/** worst |got - want| / max(1, |want|) */
function worst(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length);
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  return m;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describeReference(`Ultralytics PyTorch parity on the ${backend} backend`, () => {
    beforeAll(async () => {
      expect(await useNodeBackend(backend)).toBe(backend);
    });
    afterAll(async () => {
      await useNodeBackend(['wasm', 'cpu']);
    });
    for (const fx of FIXTURES) {
      it(`${fx.name}: pred, raw levels and every layer within 1e-3`, async () => {
        const dir = referencePath(...fixtureDir(fx));
        const text = readFileSync(referencePath(...fx.config), 'utf8');
        const ref = readSafetensors(readFileSync(`${dir}/tensors.safetensors`));
        const want = (k: string) => toFloat32(ref.tensors.get(k)!);
        const before = tensorCount();
        const model = loadModel(text, {
          imgsz: 160,
          file: fx.file,
          weights: readFileSync(`${dir}/weights.safetensors`),
        });
        expect(model.plan.anchorFree?.task).toBe('detect');
        const img = ref.tensors.get('images')!;
        const out = await runTensor(model, { shape: img.shape, data: toFloat32(img) }, { layers: true });
        // the all-tensor path agrees too
        const x = tf.tidy(() =>
          tf.transpose(tf.tensor4d(toFloat32(img), img.shape as [number, number, number, number]), [0, 2, 3, 1]),
        );
        const tensors = await model.net.forwardTensors(x);
        const tensorPred = (await tensors.pred!.data()) as Float32Array;
        [x, tensors.pred!, ...tensors.raw].forEach((t) => t.dispose());
        expect(worst(tensorPred, want('pred'))).toBeLessThanOrEqual(1e-3);
        model.dispose();
        expect(tensorCount()).toBe(before);
        expect(out.backend).toBe(backend);
        const errors: Record<string, number> = { pred: worst(out.pred!.data, want('pred')) };
        expect(out.pred!.shape).toEqual(ref.tensors.get('pred')!.shape);
        out.raw.forEach((r, k) => {
          expect(r.shape).toEqual(ref.tensors.get(`raw.${k}`)!.shape);
          errors[`raw.${k}`] = worst(r.data, want(`raw.${k}`));
        });
        expect(out.raw.length).toBe(3);
        const layerKeys = [...ref.tensors.keys()].filter((k) => /^layer\.\d+$/.test(k));
        expect(out.layers.size).toBe(layerKeys.length);
        for (const k of layerKeys) {
          const i = Number(k.slice(6));
          expect(out.layers.get(i)!.shape).toEqual(ref.tensors.get(k)!.shape);
          errors[k] = worst(out.layers.get(i)!.data, want(k));
        }
        const bad = Object.entries(errors).filter(([, e]) => !(e <= 1e-3));
        expect(bad).toEqual([]);
        console.log(
          `${backend} ${fx.name}: worst pred ${errors.pred.toExponential(2)}, raw ${Math.max(...out.raw.map((_, k) => errors[`raw.${k}`])).toExponential(2)}, layers ${Math.max(...layerKeys.map((k) => errors[k])).toExponential(2)}`,
        );
      });
    }
  });
}
