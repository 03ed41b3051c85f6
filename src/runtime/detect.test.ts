/** Detect decoded on the device (YaDetect): the host decoding's predictions, one kernel, the bytes the script makes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectModuleText, detectWasm, detectWat } from '../../scripts/build-detect-wasm.mjs';
import { PROJECT_DIR } from '../testing/reference.ts';
import { useNodeBackend } from './backend-node.ts';
import { allowDeviceDetect, DETECT_KERNEL } from './detect.ts';
import { loadModel } from './runtime.ts';

const config = (name: string) => readFileSync(join(PROJECT_DIR, 'configs', name), 'utf8');

/** Predictions and the forward's kernel names, decoded on the device or on the host. */
async function predict(model: ReturnType<typeof loadModel>, x: tf.Tensor4D, device: boolean) {
  allowDeviceDetect(device);
  try {
    let pred: Float32Array | undefined;
    const prof = await tf.profile(async () => void (pred = (await model.net.forward(x, { raw: false })).pred!.data));
    return { pred: pred!, kernels: prof.kernels.map((k) => k.name) };
  } finally {
    allowDeviceDetect(true);
  }
}

/** The largest difference relative to max(1, |host value|). */
function worst(a: Float32Array, b: Float32Array) {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])));
  return w;
}

describe('Detect decoded on the device', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });
  afterAll(() => allowDeviceDetect(true));

  it("gives the host decoding's predictions (boxes in pixels, scores) in one kernel, on a non-square input", async () => {
    const model = loadModel(config('yolov5n.yaml'), { imgsz: 64, seed: 3 });
    // 96 x 64: levels 12x8, 6x4, 3x2 (a row of the grid is not a column)
    const x = tf.randomUniform([1, 96, 64, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const host = await predict(model, x, false);
    const device = await predict(model, x, true);
    expect(tf.memory().numTensors).toBe(before);
    expect(device.pred.length).toBe(3 * (12 * 8 + 6 * 4 + 3 * 2) * 85);
    expect(device.pred.length).toBe(host.pred.length);
    // the same float32 steps on a sigmoid within 2e-7 of tfjs's: within a few units in the last place
    expect(worst(host.pred, device.pred)).toBeLessThan(2e-6);
    expect(device.kernels.filter((k) => k === DETECT_KERNEL)).toHaveLength(1);
    expect(device.kernels).not.toContain('Sigmoid');
    expect(host.kernels).not.toContain(DETECT_KERNEL);
    // the scores are sigmoids, the boxes within a few strides of the image
    for (let r = 0; r < device.pred.length / 85; r++) {
      const row = device.pred.subarray(r * 85, r * 85 + 85);
      expect(row[0]).toBeGreaterThan(-32);
      expect(row[0]).toBeLessThan(64 + 32);
      expect(row[1]).toBeLessThan(96 + 32);
      for (let c = 4; c < 85; c++) expect(row[c] >= 0 && row[c] <= 1).toBe(true);
    }
    x.dispose();
    model.dispose();
  });

  it("leaves Segment's heads to the host (their mask coefficients pass through)", async () => {
    const model = loadModel(config('yolov5n-seg.yaml'), { imgsz: 64, seed: 3 });
    const x = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const { kernels } = await predict(model, x, true);
    expect(kernels).not.toContain(DETECT_KERNEL);
    expect(kernels).toContain('Sigmoid');
    x.dispose();
    model.dispose();
  });

  it('is the module scripts/build-detect-wasm.mjs makes (committed detect.wat and detect-wasm.ts)', async () => {
    const dir = join(PROJECT_DIR, 'src', 'runtime');
    expect(readFileSync(join(dir, 'detect.wat'), 'utf8')).toBe(detectWat());
    expect(readFileSync(join(dir, 'detect-wasm.ts'), 'utf8')).toBe(
      detectModuleText(await detectWasm(false), await detectWasm(true)),
    );
    expect(detectWat(true)).toBe(detectWat().replace('(memory 1)', '(memory 1 65536 shared)'));
  });
});
