/**
 * Every module the core knows builds in tfjs, runs, and gives the core's shapes and parameter counts
 * (the parameters the tfjs build reads from the weights, counted before folding).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultLibrary, defaultRegistry, registryWith } from '../core/index.ts';
import { useNodeBackend } from './backend-node.ts';
import { tensorCount } from './backend.ts';
import { farWeights } from '../testing/far-weights.ts';
import { runNaive } from '../testing/naive.ts';
import { loadModel, runTensor } from './runtime.ts';
import { initStateDict, rng } from './weights.ts';
import { planModel } from './model.ts';

const HEADER = `nc: 2
depth_multiple: 1.0
width_multiple: 1.0
anchors:
  - [10, 13, 16, 30]
  - [30, 61, 62, 45]
`;

/** Rows after a stem Conv to 16 channels at 1/2 of a 32x32 input, per module (several for branches). */
const CASES: Record<string, string[][]> = {
  Conv: [
    ['[-1, 1, Conv, [16, 3, 2]]'],
    ['[-1, 1, Conv, [24, [1, 3], 1, None, 2, 1, nn.LeakyReLU(0.1)]]'],
    ['[-1, 1, Conv, [16, 3, 1, None, 1, 2]]'],
  ],
  DWConv: [['[-1, 1, DWConv, [16, 3, 1]]'], ['[-1, 1, DWConv, [32, 5, 2]]'], ['[-1, 1, DWConv, [24, 3, 1]]']],
  GhostConv: [['[-1, 1, GhostConv, [32, 3, 2]]']],
  Focus: [['[-1, 1, Focus, [16, 3]]']],
  CrossConv: [['[-1, 1, CrossConv, [16, 3, 1, 1, 1.0, True]]'], ['[-1, 1, CrossConv, [32, 3, 2, 2]]']],
  MixConv2d: [['[-1, 1, MixConv2d, [24, [1, 3, 5], 1]]'], ['[-1, 1, MixConv2d, [32, [3, 5], 2, False]]']],
  Bottleneck: [['[-1, 1, Bottleneck, [16]]'], ['[-1, 2, Bottleneck, [16, False, 2, 0.5]]']],
  BottleneckCSP: [['[-1, 2, BottleneckCSP, [16]]']],
  C3: [['[-1, 2, C3, [16]]'], ['[-1, 1, C3, [32, False]]']],
  C3x: [['[-1, 1, C3x, [16]]']],
  C3TR: [['[-1, 1, C3TR, [16]]']],
  C3SPP: [['[-1, 1, C3SPP, [16, [3, 5]]]']],
  C3Ghost: [['[-1, 1, C3Ghost, [16]]']],
  GhostBottleneck: [['[-1, 1, GhostBottleneck, [16, 3, 1]]'], ['[-1, 1, GhostBottleneck, [32, 3, 2]]']],
  Bottle2neck: [['[-1, 1, Bottle2neck, [16, True]]'], ['[-1, 1, Bottle2neck, [32, False, 26, 3]]']],
  C3_Res2Block: [['[-1, 1, C3_Res2Block, [16]]']],
  SPP: [['[-1, 1, SPP, [16, [3, 5, 7]]]']],
  SPPF: [['[-1, 1, SPPF, [16, 5]]']],
  MaxPool2d: [
    ['[-1, 1, nn.MaxPool2d, [3, 2, 1]]'],
    ['[-1, 1, nn.MaxPool2d, [3, 2, 0, 1, False, True]]'],
    ['[-1, 1, nn.MaxPool2d, [2]]'],
  ],
  Upsample: [['[-1, 1, nn.Upsample, [None, 2, "nearest"]]'], ['[-1, 1, nn.Upsample, [None, 2, "bilinear"]]']],
  ConvTranspose2d: [
    ['[-1, 1, nn.ConvTranspose2d, [16, 4, 2, 1]]'],
    ['[-1, 1, nn.ConvTranspose2d, [8, 3, 2, 1, 1, 2]]'],
  ],
  DWConvTranspose2d: [['[-1, 1, DWConvTranspose2d, [16, 4, 2, 1, 0]]']],
  ZeroPad2d: [['[-1, 1, nn.ZeroPad2d, [[1, 2, 0, 1]]]']],
  Contract: [['[-1, 1, Contract, [2]]']],
  Expand: [['[-1, 1, Expand, [2]]']],
  Concat: [['[-1, 1, Conv, [8, 1, 1]]', '[[-1, -2], 1, Concat, [1]]']],
  BatchNorm2d: [['[-1, 1, nn.BatchNorm2d, []]']],
  Detect: [['[-1, 1, Conv, [16, 3, 2]]', '[[-2, -1], 1, Detect, [nc, anchors]]']],
  Segment: [['[-1, 1, Conv, [16, 3, 2]]', '[[-2, -1], 1, Segment, [nc, anchors, 8, 16]]']],
  TransformerLayer: [['[-1, 1, TransformerLayer, [16, 4]]']],
  TransformerBlock: [['[-1, 1, TransformerBlock, [16, 32, 4, 2]]']],
  Proto: [['[-1, 1, Proto, [16, 16, 8]]']],
};

const bare = (n: string) => n.replace(/^nn\./, '');

/** Seeded weights with batch norm statistics far from (1, 0, 0, 1), so folding mistakes show. */
function weightsFor(text: string) {
  const plan = planModel(text, { imgsz: 32 });
  return { plan, sd: farWeights(plan) };
}

const naiveCache = new Map<string, ReturnType<typeof runNaive>>();

const relErr = (got: Float32Array, want: ArrayLike<number>) => {
  let m = 0;
  for (let k = 0; k < want.length; k++) m = Math.max(m, Math.abs(got[k] - want[k]) / Math.max(1, Math.abs(want[k])));
  return m;
};

for (const backend of ['cpu', 'wasm'] as const)
  describe(`every module of the registry in tfjs (${backend})`, () => {
    beforeAll(async () => {
      expect(await useNodeBackend(backend)).toBe(backend);
    });

    it('has a case for every registered module', () => {
      expect(
        defaultRegistry
          .all()
          .map((d) => bare(d.name))
          .filter((n) => !CASES[n]),
      ).toEqual([]);
    });

    for (const [name, cases] of Object.entries(CASES)) {
      cases.forEach((rows, k) => {
        it(`${name}${cases.length > 1 ? ` #${k + 1}` : ''} builds, runs, and matches the core's shapes and parameters`, async () => {
          const first = name === 'Focus' ? [] : ['[-1, 1, Conv, [16, 3, 2]]'];
          const text = `${HEADER}backbone:\n  [\n${[...first, ...rows].map((r) => `    ${r},`).join('\n')}\n  ]\nhead: []\n`;
          const before = tensorCount();
          const model = loadModel(text, { imgsz: 32, seed: 3 });
          const a = model.plan.analysis;
          const images = {
            shape: [1, 3, 32, 32],
            data: Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => ((i * 7919) % 255) / 255),
          };
          const out = await runTensor(model, images, { layers: true });
          for (const L of a.layers) {
            if (L.def?.parse === 'detect') {
              expect(out.pred!.shape).toEqual([1, ...L.shape!]);
              expect(out.raw.map((r) => r.shape)).toEqual(L.detect!.levels.map((lv) => [1, ...lv]));
              if (L.detect!.proto) expect(out.proto!.shape).toEqual([1, ...L.detect!.proto]);
            } else expect(out.layers.get(L.i)!.shape, `layer ${L.i} ${L.module}`).toEqual([1, ...L.shape!]);
          }
          for (const t of [...out.layers.values(), ...(out.pred ? [out.pred] : []), ...out.raw])
            expect(t.data.every(Number.isFinite)).toBe(true);
          expect(model.net.paramCount).toBe(a.params);
          model.dispose();
          expect(tensorCount()).toBe(before);

          // numerics: the same weights through a direct NCHW float64 interpreter of PyTorch's definitions
          const { plan, sd } = weightsFor(text);
          const m2 = loadModel(text, { imgsz: 32, weights: sd });
          const got = await runTensor(m2, images, { layers: true });
          m2.dispose();
          const want =
            naiveCache.get(text) ??
            naiveCache
              .set(text, runNaive(plan, sd, { c: 3, h: 32, w: 32, d: Float64Array.from(images.data) }))
              .get(text)!;
          for (const [i, t] of got.layers)
            expect(relErr(t.data, want.layers.get(i)!.d), `layer ${i}`).toBeLessThan(1e-4);
          got.raw.forEach((t, l) => expect(relErr(t.data, want.raw[l].d), `raw.${l}`).toBeLessThan(1e-4));
          if (got.proto) expect(relErr(got.proto.data, want.proto!.d), 'proto').toBeLessThan(1e-4);
        });
      });
    }
  });

/** Modules written as data (the default library, and the seed's blocks in the custom format) run the same way. */
describe('custom modules (module libraries) in tfjs', () => {
  beforeAll(async () => {
    expect(await useNodeBackend('cpu')).toBe('cpu');
  });
  const registry = registryWith(defaultLibrary());
  for (const row of ['[-1, 1, SE, [16, 4]]', '[-1, 1, CBAM, [16, 4, 3]]', '[-1, 1, CoordAtt, [16, 4]]']) {
    it(`${row} builds, matches the core's parameters and PyTorch's definitions`, async () => {
      const text = `${HEADER}backbone:\n  [\n    [-1, 1, Conv, [16, 3, 2]],\n    ${row},\n  ]\nhead: []\n`;
      const plan = planModel(text, { imgsz: 32, registry });
      const sd = initStateDict(plan, 3);
      const r = rng(5);
      for (const [k, t] of sd) if (k.endsWith('running_var')) t.data.forEach((_, j) => (t.data[j] = 0.3 + r()));
      const before = tensorCount();
      const model = loadModel(text, { imgsz: 32, weights: sd, registry });
      expect(model.net.paramCount).toBe(plan.analysis.params);
      const images = {
        shape: [1, 3, 32, 32],
        data: Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => ((i * 7919) % 255) / 255),
      };
      const got = await runTensor(model, images, { layers: true });
      model.dispose();
      expect(tensorCount()).toBe(before);
      const want = runNaive(plan, sd, { c: 3, h: 32, w: 32, d: Float64Array.from(images.data) });
      for (const [i, t] of got.layers) expect(relErr(t.data, want.layers.get(i)!.d), `layer ${i}`).toBeLessThan(1e-4);
    });
  }
});
