/**
 * The tfjs network is YOLOv5's network: the parity fixtures (real PyTorch outputs) match on the cpu and
 * wasm backends, pred, every head level, Segment's prototypes and every layer's output. (WebGL and WebGPU:
 * e2e/parity.e2e.ts, in Chromium.)
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compareWithReference, PARITY_FIXTURES, PARITY_TOLERANCE, worstError } from '../testing/parity-fixtures.ts';
import { describeReference, referencePath } from '../testing/reference.ts';
import { useNodeBackend } from './backend-node.ts';
import { tensorCount } from './backend.ts';
import { loadModel, runTensor } from './runtime.ts';
import { readSafetensors, toFloat32 } from './safetensors.ts';

for (const backend of ['cpu', 'wasm'] as const) {
  describeReference(`PyTorch parity on the ${backend} backend`, () => {
    beforeAll(async () => {
      expect(await useNodeBackend(backend)).toBe(backend);
    });
    afterAll(async () => {
      await useNodeBackend(['wasm', 'cpu']);
    });
    for (const fx of PARITY_FIXTURES) {
      it(`${fx.name}: pred, raw levels${fx.proto ? ', proto' : ''} and every layer within 1e-3`, async () => {
        const dir = referencePath('parity', fx.name);
        const text = readFileSync(referencePath(...fx.config), 'utf8');
        const ref = readSafetensors(readFileSync(`${dir}/tensors.safetensors`));
        const before = tensorCount();
        const model = loadModel(text, { imgsz: 160, weights: readFileSync(`${dir}/weights.safetensors`) });
        const img = ref.tensors.get('images')!;
        const out = await runTensor(model, { shape: img.shape, data: toFloat32(img) }, { layers: true });
        // the all-tensor path (decoding in tfjs, for callers that keep tensors) agrees too
        const x = tf.tidy(() =>
          tf.transpose(tf.tensor4d(toFloat32(img), img.shape as [number, number, number, number]), [0, 2, 3, 1]),
        );
        const tensors = await model.net.forwardTensors(x);
        const tensorPred = (await tensors.pred!.data()) as Float32Array;
        [x, tensors.pred!, ...tensors.raw, ...(tensors.proto ? [tensors.proto] : [])].forEach((t) => t.dispose());
        expect(worstError(tensorPred, toFloat32(ref.tensors.get('pred')!))).toBeLessThanOrEqual(PARITY_TOLERANCE);
        model.dispose();
        expect(tensorCount()).toBe(before);
        expect(out.backend).toBe(backend);
        const { errors, mismatched } = compareWithReference(out, ref.tensors, toFloat32);
        expect(mismatched).toEqual([]);
        expect(Object.keys(errors).filter((k) => k.startsWith('layer.')).length).toBeGreaterThan(20);
        const bad = Object.entries(errors).filter(([, e]) => !(e <= PARITY_TOLERANCE));
        expect(bad).toEqual([]);
        const worstOf = (prefix: string) =>
          Math.max(
            ...Object.entries(errors)
              .filter(([k]) => k.startsWith(prefix))
              .map(([, e]) => e),
          );
        console.log(
          `${backend} ${fx.name}: worst pred ${errors.pred.toExponential(2)}, raw ${worstOf('raw.').toExponential(2)}${errors.proto !== undefined ? `, proto ${errors.proto.toExponential(2)}` : ''}, layers ${worstOf('layer.').toExponential(2)}`,
        );
      });
    }
  });
}
