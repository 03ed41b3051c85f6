/**
 * RepConv's and RepVGGDW's parallel branches merged into one convolution at build time (fusion.ts, conv-step.ts),
 * as Ultralytics' RepConv.fuse_convs and RepVGGDW.fuse do: the planner's decision, fewer steps and tfjs kernels per
 * forward, and the same numbers as the unmerged network. (The merged network against a float64 interpreter of the
 * unfused definitions: modules.test.ts, the RepConv, RepC3, RepVGGDW, RepNCSPELAN4 and C2fCIB cases.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../backend-node.ts';
import { planFusion } from '../fusion.ts';
import { planModel, type PlanLayer } from '../model.ts';
import { Network } from '../network.ts';
import { compileLayer } from '../steps.ts';
import { initStateDict, rng } from '../weights.ts';

const configOf = (rows: string[]) =>
  `nc: 3\nscales:\n  n: [1.0, 1.0, 1024]\nbackbone:\n  - [-1, 1, Conv, [32, 3, 2]]\n${rows
    .map((r) => `  - ${r}\n`)
    .join('')}head: []\n`;

const ROWS = [
  '[-1, 1, RepConv, [32, 32, 3, 1, 1, 1, 1, True, True]]', // 1: 3x3 + 1x1 + identity batch norm
  '[-1, 1, RepVGGDW, [32]]', // 2: depth-wise 7x7 + 3x3
  '[-1, 2, RepC3, [32, 0.5]]', // 3: two RepConvs
  '[-1, 1, RepConv, [32, 32, 3, 2, 1, 4]]', // 4: grouped, strided
  '[-1, 1, RepNCSPELAN4, [32, 32, 16, 1]]', // 5: RepConvs inside RepCSPs
];
const TEXT = configOf(ROWS);
const plan = planModel(TEXT, { imgsz: 32, file: 'case.yaml' });
const layer = (i: number) => plan.layers[i];
const live = (L: PlanLayer, merge = true) => {
  const f = planFusion(L, { mergeBranches: merge });
  return L.ops.filter((o) => !f.absorbed.has(o));
};
const name = (o: PlanLayer['ops'][number]) => ('name' in o ? `${o.kind} ${o.name}` : o.kind);

describe('RepConv and RepVGGDW branches merged by the fusion planner', () => {
  it('RepConv (3x3 + 1x1 + identity batch norm, SiLU) is one convolution step carrying the other branches', () => {
    const L = layer(1);
    expect(live(L, false).map(name)).toEqual([
      'batchNorm bn',
      'conv2d conv1.conv',
      'conv2d conv2.conv',
      'add',
      'add',
      'act act',
    ]);
    expect(live(L).map(name)).toEqual(['conv2d conv1.conv']);
    const [[op, f]] = [...planFusion(L).conv];
    expect(name(op)).toBe('conv2d conv1.conv');
    expect(f.bn?.name).toBe('conv1.bn');
    expect(f.act?.type).toBe('SiLU');
    expect(f.out).toBe(L.outId);
    expect(f.merged?.convs.map((m) => [m.op.name, m.bn?.name])).toEqual([['conv2.conv', 'conv2.bn']]);
    expect(f.merged?.identity).toEqual([{ name: 'bn', c: 32 }]);
  });

  it("RepVGGDW's 3x3 depth-wise branch goes into the 7x7 one", () => {
    const L = layer(2);
    expect(live(L).map(name)).toEqual(['conv2d conv.conv']);
    const f = [...planFusion(L).conv.values()][0];
    expect(f.merged?.convs.map((m) => m.op.k)).toEqual([[3, 3]]);
    expect(f.merged?.identity).toEqual([]);
    expect(f.act?.type).toBe('SiLU');
  });

  it('every RepConv in RepC3, a grouped strided RepConv and RepNCSPELAN4 merge; nothing else does', () => {
    for (const i of [3, 4, 5]) {
      const L = layer(i);
      const f = planFusion(L);
      const merged = [...f.conv].filter(([, c]) => c.merged).map(([o]) => name(o));
      const reps = L.ops.filter((o) => o.kind === 'conv2d' && o.name.endsWith('conv1.conv')).map(name);
      expect(reps.length).toBeGreaterThan(0);
      expect(merged).toEqual(reps);
      expect(
        L.ops.filter((o) => o.kind === 'conv2d' && o.name.endsWith('conv2.conv')).every((o) => f.absorbed.has(o)),
      ).toBe(true);
    }
    // the stem (a plain Conv) has nothing to merge
    expect([...planFusion(layer(0)).conv.values()].some((c) => c.merged)).toBe(false);
  });

  it('a sum of convolutions on different inputs is not merged (ResNetLayer: cv3 + shortcut)', () => {
    const L = planModel(configOf(['[-1, 1, ResNetLayer, [32, 16, 1, False, 1]]']), { imgsz: 32, file: 'case.yaml' })
      .layers[1];
    expect(L.ops.some((o) => o.kind === 'add')).toBe(true);
    expect([...planFusion(L).conv.values()].some((c) => c.merged)).toBe(false);
    expect(live(L).filter((o) => o.kind === 'add').length).toBe(L.ops.filter((o) => o.kind === 'add').length);
  });
});

for (const backend of ['cpu', 'wasm'] as const)
  describe(`merged RepConv and RepVGGDW in tfjs (${backend})`, () => {
    beforeAll(async () => {
      expect(await useNodeBackend(backend)).toBe(backend);
    });

    it('fewer steps and kernels per forward, the same outputs as the branches run apart', async () => {
      const sd = initStateDict(plan, 5);
      const r = rng(11);
      // batch norms far from identity, so a branch folded with the wrong norm shows
      for (const [k, t] of sd)
        if (k.endsWith('running_var')) t.data.forEach((_, j) => (t.data[j] = 0.3 + r()));
        else if (k.endsWith('running_mean') || k.endsWith('bn.bias')) t.data.forEach((_, j) => (t.data[j] = r() - 0.5));
      // compiled inside tidy: the weights it uploads are freed with it
      const steps = (merge: boolean) =>
        plan.layers.map((L) =>
          compileLayer(L, { layer: L.i, get: (k) => sd.get(k)!, keep: (t) => t, eps: 1e-3 }, { mergeBranches: merge }),
        );
      const fused = tf.tidy(() => steps(true).map((c) => c.steps.length));
      const apart = tf.tidy(() => steps(false).map((c) => c.steps.length));
      // RepConv with identity: 6 steps -> 1; RepVGGDW: 4 -> 1
      expect(apart[1]).toBe(6);
      expect(fused[1]).toBe(1);
      expect(apart[2]).toBe(4);
      expect(fused[2]).toBe(1);
      for (const i of [3, 4, 5]) expect(fused[i]).toBeLessThan(apart[i]);

      const x = tf.tidy(() => tf.randomUniform([1, 32, 32, 3], 0, 1, 'float32', 3));
      const run = async (merge: boolean) => {
        const net = new Network(plan, sd, { mergeBranches: merge });
        await net.forward(x, { layers: true }); // warm-up
        let out!: Awaited<ReturnType<Network['forward']>>;
        const prof = await tf.profile(async () => {
          out = await net.forward(x, { layers: true });
        });
        expect(net.paramCount).toBe(plan.analysis.params);
        net.dispose();
        return { out, kernels: prof.kernels.length };
      };
      const m = await run(true);
      const a = await run(false);
      x.dispose();
      console.log(`${backend}: tfjs kernels per forward, merged ${m.kernels}, branches apart ${a.kernels}`);
      expect(m.kernels).toBeLessThan(a.kernels);
      for (const [i, t] of a.out.layers) {
        const g = m.out.layers.get(i)!.data;
        let err = 0;
        t.data.forEach((v, k) => (err = Math.max(err, Math.abs(g[k] - v) / Math.max(1, Math.abs(v)))));
        expect(err, `layer ${i}`).toBeLessThan(1e-4);
      }
    });
  });
