/**
 * Ultralytics' modules and heads in tfjs equal a direct float64 interpreter of PyTorch's and Ultralytics'
 * definitions (naive.ts, naive-tensor.ts) on seeded weights whose batch norms are far from identity: every layer,
 * the prediction, the head's level maps and its other outputs (proto, mc, kpt, angle), on cpu and wasm.
 * (YOLOv8n and YOLO11n are checked against PyTorch itself in parity.reference.test.ts.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../backend-node.ts';
import { tensorCount } from '../backend.ts';
import { planModel } from '../model.ts';
import { farWeights } from '../../testing/far-weights.ts';
import { runNaive } from '../../testing/naive.ts';
import { loadModel, runTensor } from '../runtime.ts';

const HEADER = `nc: 3
scales:
  n: [1.0, 1.0, 1024]
`;
const STEM = ['[-1, 1, Conv, [32, 3, 2]]']; // 16 x 16 at a 32 x 32 input

/** Rows after the stem (layer 0), per case. */
const CASES: Record<string, string[]> = {
  C2f: ['[-1, 2, C2f, [32, True]]'],
  'C3k2 (Bottleneck)': ['[-1, 2, C3k2, [32, False, 0.25]]'],
  'C3k2 (C3k)': ['[-1, 1, C3k2, [32, True]]'],
  C2PSA: ['[-1, 1, Conv, [128, 1, 1]]', '[-1, 1, C2PSA, [128]]'],
  A2C2f: ['[-1, 1, Conv, [128, 1, 1]]', '[-1, 1, A2C2f, [128, True, 4]]'],
  SCDown: ['[-1, 1, SCDown, [64, 3, 2]]'],
  C2fCIB: ['[-1, 1, C2fCIB, [32, True, True]]'],
  RepNCSPELAN4: ['[-1, 1, RepNCSPELAN4, [32, 32, 16, 1]]'],
  // RepConv's branches merged into one kernel (fusion.ts): with the identity batch norm, grouped, strided
  'RepConv (identity batch norm)': ['[-1, 1, RepConv, [32, 32, 3, 1, 1, 1, 1, True, True]]'],
  'RepConv (groups 4, identity)': ['[-1, 1, RepConv, [32, 32, 3, 1, 1, 4, 1, True, True]]'],
  'RepConv (stride 2, no activation)': ['[-1, 1, RepConv, [32, 48, 3, 2, 1, 1, 1, False]]'],
  RepC3: ['[-1, 2, RepC3, [32, 0.5]]'],
  RepVGGDW: ['[-1, 1, RepVGGDW, [32]]'],
  ADown: ['[-1, 1, ADown, [32]]'],
  AConv: ['[-1, 1, AConv, [32]]'],
  ELAN1: ['[-1, 1, ELAN1, [32, 32, 16]]'],
  SPPELAN: ['[-1, 1, SPPELAN, [32, 16]]'],
  'CBLinear, CBFuse': ['[-1, 1, CBLinear, [[16, 32]]]', '[[1, 0], 1, CBFuse, [[1]]]'],
  ResNetLayer: ['[-1, 1, ResNetLayer, [32, 16, 1, False, 2]]'],
  'HGStem, HGBlock': ['[-1, 1, HGStem, [16, 32]]', '[-1, 2, HGBlock, [16, 64, 3]]'],
  Detect: ['[-1, 1, Conv, [32, 3, 2]]', '[-1, 1, Conv, [64, 3, 2]]', '[[0, 1, 2], 1, Detect, [nc]]'],
  Segment: ['[-1, 1, Conv, [32, 3, 2]]', '[-1, 1, Conv, [64, 3, 2]]', '[[0, 1, 2], 1, Segment, [nc, 8, 16]]'],
  Pose: ['[-1, 1, Conv, [32, 3, 2]]', '[-1, 1, Conv, [64, 3, 2]]', '[[0, 1, 2], 1, Pose, [nc, [5, 3]]]'],
  OBB: ['[-1, 1, Conv, [32, 3, 2]]', '[-1, 1, Conv, [64, 3, 2]]', '[[0, 1, 2], 1, OBB, [nc, 1]]'],
  v10Detect: ['[-1, 1, Conv, [32, 3, 2]]', '[-1, 1, Conv, [64, 3, 2]]', '[[0, 1, 2], 1, v10Detect, [nc]]'],
  Classify: ['[-1, 1, Classify, [nc]]'],
};

const relErr = (got: Float32Array, want: ArrayLike<number>) => {
  expect(got.length).toBe(want.length);
  let m = 0;
  for (let k = 0; k < want.length; k++) m = Math.max(m, Math.abs(got[k] - want[k]) / Math.max(1, Math.abs(want[k])));
  return m;
};

const configOf = (rows: string[]) =>
  `${HEADER}backbone:\n${[...STEM, ...rows].map((r) => `  - ${r}\n`).join('')}head: []\n`;

for (const backend of ['cpu', 'wasm'] as const)
  describe(`Ultralytics modules and heads in tfjs against float64 definitions (${backend})`, () => {
    beforeAll(async () => {
      expect(await useNodeBackend(backend)).toBe(backend);
    });

    for (const [name, rows] of Object.entries(CASES))
      it(`${name}: every layer and the head's outputs`, async () => {
        const text = configOf(rows);
        const plan = planModel(text, { imgsz: 32, file: 'case.yaml' });
        const sd = farWeights(plan);
        const images = {
          shape: [1, 3, 32, 32],
          data: Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => ((i * 7919) % 255) / 255),
        };
        const before = tensorCount();
        const model = loadModel(text, { imgsz: 32, file: 'case.yaml', weights: sd });
        expect(model.net.paramCount).toBe(plan.analysis.params);
        const got = await runTensor(model, images, { layers: true });
        model.dispose();
        expect(tensorCount()).toBe(before);
        const want = runNaive(plan, sd, { c: 3, h: 32, w: 32, d: Float64Array.from(images.data) });
        const af = plan.anchorFree;
        for (const [i, t] of got.layers) expect(relErr(t.data, want.layers.get(i)!.d), `layer ${i}`).toBeLessThan(1e-4);
        if (!af) return;
        expect(relErr(got.pred!.data, want.pred!.d), 'pred').toBeLessThan(1e-4);
        got.raw.forEach((t, l) => expect(relErr(t.data, want.raw[l].d), `raw.${l}`).toBeLessThan(1e-4));
        if (af.proto !== undefined) expect(relErr(got.proto!.data, want.proto!.d), 'proto').toBeLessThan(1e-4);
        if (af.extra) expect(relErr(got.extra!.data.data, want.extra!.d), af.extra.name).toBeLessThan(1e-4);
      });
  });

describe('the level maps of an Ultralytics head, only when asked for', () => {
  it('raw: false (as the app runs) lays out and downloads none, with the same prediction and nothing left behind', async () => {
    expect(await useNodeBackend('wasm')).toBe('wasm');
    const text = configOf(CASES.Detect);
    const sd = farWeights(planModel(text, { imgsz: 32, file: 'case.yaml' }));
    const images = { shape: [1, 3, 32, 32], data: Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => (i % 17) / 17) };
    const before = tensorCount();
    const model = loadModel(text, { imgsz: 32, file: 'case.yaml', weights: sd });
    const run = async (raw: boolean) => {
      let out!: Awaited<ReturnType<typeof runTensor>>;
      const p = await tf.profile(async () => void (out = await runTensor(model, images, { raw })));
      return { out, transposes: p.kernels.filter((k) => k.name === 'Transpose').length };
    };
    const all = await run(true);
    const lean = await run(false);
    model.dispose();
    expect(tensorCount()).toBe(before);
    // no = 3 classes + 4 sides x 16 bins
    expect(all.out.raw.map((t) => t.shape)).toEqual([
      [1, 67, 16, 16],
      [1, 67, 8, 8],
      [1, 67, 4, 4],
    ]);
    expect(lean.out.raw).toEqual([]);
    expect(lean.out.pred!.data).toEqual(all.out.pred!.data);
    // the three level maps' NHWC -> NCHW only for raw: true
    expect(all.transposes - lean.transposes).toBe(3);
  });
});

describe("C2PSA's attention in PyTorch's layout", () => {
  it('keeps heads x channels x positions as PyTorch lays them out: 5 Transposes where NHWC took 16 (its numbers: the C2PSA case above)', async () => {
    expect(await useNodeBackend('wasm')).toBe('wasm');
    const text = configOf(CASES.C2PSA);
    const sd = farWeights(planModel(text, { imgsz: 32, file: 'case.yaml' }));
    const images = { shape: [1, 3, 32, 32], data: Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => (i % 13) / 13) };
    const model = loadModel(text, { imgsz: 32, file: 'case.yaml', weights: sd });
    const p = await tf.profile(async () => void (await runTensor(model, images)));
    model.dispose();
    const transposes = p.kernels.filter((k) => k.name === 'Transpose').map((k) => k.inputShapes[0]);
    // the image to NHWC; then the qkv map to heads, q for q^T k, the attention for v attn^T, the output and v back
    // to maps (softmax along the last axis as laid out)
    expect(transposes).toEqual([
      [1, 3, 32, 32],
      [1, 16, 16, 128],
      [1, 32, 256],
      [1, 256, 256],
      [1, 64, 16, 16],
      [1, 64, 16, 16],
    ]);
  });
});

describe('the heads as the post-processing reads them', () => {
  it('name their task, classes and other outputs', () => {
    const head = (name: string) => planModel(configOf(CASES[name]), { imgsz: 32, file: 'case.yaml' }).anchorFree!;
    expect(head('Detect')).toMatchObject({ task: 'detect', nc: 3, no: 7, end2end: false });
    expect(head('Segment')).toMatchObject({ task: 'segment', nc: 3, nm: 8, no: 15, extra: { name: 'mc' } });
    expect(head('Segment').proto).toBeDefined();
    expect(head('Pose')).toMatchObject({ task: 'pose', nc: 3, kptShape: [5, 3], extra: { name: 'kpt' } });
    expect(head('OBB')).toMatchObject({ task: 'obb', nc: 3, no: 8, extra: { name: 'angle' } });
    expect(head('v10Detect')).toMatchObject({ task: 'detect', nc: 3, no: 6, end2end: true });
    expect(head('Classify')).toMatchObject({ task: 'classify', nc: 3 });
  });
});
