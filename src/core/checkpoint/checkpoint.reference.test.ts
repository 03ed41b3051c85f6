/**
 * The real YOLOv5 checkpoint (yolov5n, saved as training saves it: fp16 in a zip) reads as its
 * architecture, names and state_dict, and its YAML analyses like the config it was built from.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { readSafetensors, toFloat32 } from '../../runtime/safetensors.ts';
import { parse } from 'yaml';
import { describeReference, readReference, referencePath, shippedConfigNames } from '../../testing/reference.ts';
import { analyze, parseModelText, repr } from '../index.ts';
import { checkpointYaml, configToYaml, readCheckpoint, type ModelConfig } from './index.ts';

describeReference('yolov5n-160/model.pt', () => {
  const bytes = () => readFileSync(referencePath('parity', 'yolov5n-160', 'model.pt'));

  it("takes ckpt['model'] (ema is None): a DetectionModel with its yaml, names, stride and 349 state_dict tensors", () => {
    const cp = readCheckpoint(bytes());
    expect(cp.from).toBe('model');
    expect(cp.className).toBe('models.yolo.DetectionModel');
    expect(cp.yamlFile).toBe('yolov5n.yaml');
    expect(cp.names).toEqual(Array.from({ length: 80 }, (_, i) => String(i)));
    expect(cp.stride).toEqual([8, 16, 32]);
    expect(cp.tensors.size).toBe(349);
    expect(cp.parameterCount).toBe(1_872_157);
    expect(cp.meta.epoch).toBe(-1);
    expect(cp.config?.nc).toBe(80);
    expect(cp.config?.ch).toBe(3);
  });

  it('has the state_dict of weights.safetensors: same names and shapes, values equal after fp16 rounding', () => {
    const state = readCheckpoint(bytes()).state();
    const ref = readSafetensors(readFileSync(referencePath('parity', 'yolov5n-160', 'weights.safetensors')));
    expect([...state.keys()].sort()).toEqual([...ref.tensors.keys()].sort());
    let worst = 0;
    for (const [k, t] of ref.tensors) {
      const got = state.get(k)!;
      // num_batches_tracked is a 0-d tensor in PyTorch (the fixture's safetensors writes it as [1])
      if (k.endsWith('num_batches_tracked')) expect([got.shape, t.shape], k).toEqual([[], [1]]);
      else expect(got.shape, k).toEqual(t.shape);
      expect(got.dtype, k).toBe(k.endsWith('num_batches_tracked') ? 'I64' : 'F16');
      const want = toFloat32(t);
      for (let i = 0; i < want.length; i++)
        worst = Math.max(worst, Math.abs(got.data[i] - want[i]) / Math.max(Math.abs(want[i]), 2 ** -14));
    }
    // fp16 keeps 11 significant bits: relative rounding error at most 2^-11
    expect(worst).toBeLessThanOrEqual(2 ** -11);
  });

  it('writes a YAML whose analysis matches the checkpoint and yolov5n.yaml row by row (25 rows, 1,872,157 parameters)', () => {
    const cp = readCheckpoint(bytes());
    const text = checkpointYaml(cp, 'model.pt');
    const a = analyze(parseModelText(text, 'model.pt'), { imgsz: 640 });
    expect(a.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(a.layers.length).toBe(25);
    expect(a.params).toBe(cp.parameterCount);
    const b = analyze(parseModelText(readReference('configs', 'ultralytics', 'yolov5n.yaml'), 'yolov5n.yaml'), {
      imgsz: 640,
    });
    const rows = (x: typeof a) =>
      x.layers.map((l) => ({ from: l.from, n: l.n, module: l.module, params: l.params, shape: l.shape }));
    expect(rows(a)).toEqual(rows(b));
    expect(a.gflops).toBeCloseTo(b.gflops, 10);
    expect(text).toMatchInlineSnapshot(`
      "# Architecture of model.pt (models.yolo.DetectionModel, from ckpt['model'], built from yolov5n.yaml).
      # 1,872,157 parameters in the checkpoint.

      nc: 80
      depth_multiple: 0.33
      width_multiple: 0.25
      anchors:
        - [10, 13, 16, 30, 33, 23] # P3/8
        - [30, 61, 62, 45, 59, 119] # P4/16
        - [116, 90, 156, 198, 373, 326] # P5/32

      backbone:
        # [from, number, module, args]
        [
          [-1, 1, Conv, [64, 6, 2, 2]], # 0
          [-1, 1, Conv, [128, 3, 2]], # 1
          [-1, 3, C3, [128]], # 2
          [-1, 1, Conv, [256, 3, 2]], # 3
          [-1, 6, C3, [256]], # 4
          [-1, 1, Conv, [512, 3, 2]], # 5
          [-1, 9, C3, [512]], # 6
          [-1, 1, Conv, [1024, 3, 2]], # 7
          [-1, 3, C3, [1024]], # 8
          [-1, 1, SPPF, [1024, 5]], # 9
        ]

      head:
        [
          [-1, 1, Conv, [512, 1, 1]], # 10
          [-1, 1, nn.Upsample, [None, 2, 'nearest']], # 11
          [[-1, 6], 1, Concat, [1]], # 12
          [-1, 3, C3, [512, False]], # 13
          [-1, 1, Conv, [256, 1, 1]], # 14
          [-1, 1, nn.Upsample, [None, 2, 'nearest']], # 15
          [[-1, 4], 1, Concat, [1]], # 16
          [-1, 3, C3, [256, False]], # 17
          [-1, 1, Conv, [256, 3, 2]], # 18
          [[-1, 14], 1, Concat, [1]], # 19
          [-1, 3, C3, [512, False]], # 20
          [-1, 1, Conv, [512, 3, 2]], # 21
          [[-1, 10], 1, Concat, [1]], # 22
          [-1, 3, C3, [1024, False]], # 23
          [[17, 20, 23], 1, Detect, [nc, anchors]], # 24
        ]
      "
    `);
  });

  it('refuses every truncation of the real file with a clear error', () => {
    const b = bytes();
    for (const n of [0, 10, 100, 1000, 76_000, b.length >> 1, b.length - 23, b.length - 1])
      expect(() => readCheckpoint(b.subarray(0, n)).state(), `${n} bytes`).toThrow(/./);
  });
});

describeReference('configToYaml on the 28 shipped configs', () => {
  it('writes YAML that PyYAML-style reading and analysis give back identically', () => {
    for (const name of shippedConfigNames()) {
      const src = readReference('configs', 'ultralytics', `${name}.yaml`);
      const config = parse(src, { version: '1.1' }) as ModelConfig;
      const again = configToYaml(config);
      expect(parse(again, { version: '1.1' }), name).toEqual(config);
      const a = analyze(parseModelText(src, name));
      const b = analyze(parseModelText(again, name));
      expect(b.params, name).toBe(a.params);
      expect(
        b.layers.map((l) => [l.module, l.args && repr(l.args), l.shape]),
        name,
      ).toEqual(a.layers.map((l) => [l.module, l.args && repr(l.args), l.shape]));
    }
  });
});
