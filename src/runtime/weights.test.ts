/** Weights: seeded initialisation, strict loading that names every problem, transfer loading across edits. */
import { describe, expect, it } from 'vitest';
import { planModel } from './model.ts';
import { readSafetensors, writeSafetensors } from './safetensors.ts';
import {
  anchorsPerStride,
  initStateDict,
  loadStrict,
  loadTransfer,
  readStateDict,
  WeightsError,
  type StateDict,
} from './weights.ts';

const config = (extra = '') => `nc: 2
depth_multiple: 1.0
width_multiple: 1.0
anchors:
  - [10, 13, 16, 30]
  - [30, 61, 62, 45]
backbone:
  [
    [-1, 1, Conv, [16, 3, 2]],
    [-1, 1, Conv, [32, 3, 2]],
    [-1, 1, C3, [32]],${extra}
    [-1, 1, Conv, [64, 3, 2]],
  ]
head:
  [[[-2, -1], 1, Detect, [nc, anchors]]]
`;

describe('initialisation', () => {
  it('is deterministic for a seed and different across seeds', () => {
    const plan = planModel(config(), { imgsz: 64 });
    const a = initStateDict(plan, 7);
    const b = initStateDict(plan, 7);
    const c = initStateDict(plan, 8);
    expect([...a.keys()]).toEqual(plan.tensors.map((t) => t.key));
    expect(a.get('model.0.conv.weight')!.data).toEqual(b.get('model.0.conv.weight')!.data);
    expect(a.get('model.0.conv.weight')!.data).not.toEqual(c.get('model.0.conv.weight')!.data);
  });

  it('uses PyTorch defaults: conv weights within 1/sqrt(fan_in), BN (1, 0, 0, 1), Detect biases as _initialize_biases', () => {
    const plan = planModel(config(), { imgsz: 64 });
    const s = initStateDict(plan, 1);
    const w = s.get('model.1.conv.weight')!.data; // fan_in 16 * 3 * 3
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(144));
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 / Math.sqrt(144));
    expect([...s.get('model.1.bn.weight')!.data].every((v) => v === 1)).toBe(true);
    expect([...s.get('model.1.bn.running_var')!.data].every((v) => v === 1)).toBe(true);
    const bias = s.get('model.4.m.1.bias')!.data; // level 1 reads layer 3 (stride 8, 64 channels: bound 1/8)
    const stride = plan.head!.stride[1];
    expect(stride).toBe(8);
    expect(Math.abs(bias[4] - Math.log(8 / (640 / stride) ** 2))).toBeLessThanOrEqual(1 / 8 + 1e-6);
    expect(Math.abs(bias[5] - Math.log(0.6 / (2 - 0.99999)))).toBeLessThanOrEqual(1 / 8 + 1e-6);
    expect([...s.get('model.4.anchors')!.data]).toEqual(
      anchorsPerStride(plan.head!.anchors, plan.head!.stride).flat().map(Math.fround),
    );
  });

  it('flips anchor levels whose areas run against the strides (check_anchor_order)', () => {
    expect(
      anchorsPerStride(
        [
          [100, 100],
          [10, 10],
        ],
        [8, 16],
      ),
    ).toEqual([
      [10 / 16, 10 / 16],
      [100 / 8, 100 / 8],
    ]);
  });
});

describe('strict loading', () => {
  it('loads a state_dict saved as safetensors', () => {
    const plan = planModel(config(), { imgsz: 64 });
    const s = initStateDict(plan, 1);
    const bytes = writeSafetensors(s, { names: '["cat", "dog"]' });
    const back = readStateDict(bytes);
    expect(back.names).toEqual(['cat', 'dog']);
    expect(loadStrict(plan, back.state).size).toBe(plan.tensors.length);
    expect(readSafetensors(bytes).tensors.get('model.0.conv.weight')!.shape).toEqual([16, 3, 3, 3]);
  });

  it('names every missing, unexpected and wrongly shaped tensor with shapes, and loads nothing', () => {
    const plan = planModel(config(), { imgsz: 64 });
    const s: StateDict = new Map(initStateDict(plan, 1));
    s.delete('model.1.bn.running_var');
    s.set('model.9.conv.weight', { shape: [2, 2], data: new Float32Array(4) });
    s.set('model.0.conv.weight', { shape: [16, 3, 5, 5], data: new Float32Array(16 * 75) });
    let err: WeightsError | undefined;
    try {
      loadStrict(plan, s);
    } catch (e) {
      err = e as WeightsError;
    }
    expect(err).toBeInstanceOf(WeightsError);
    expect(err!.missing).toEqual([{ name: 'model.1.bn.running_var', expected: [32] }]);
    expect(err!.unexpected).toEqual([{ name: 'model.9.conv.weight', actual: [2, 2] }]);
    expect(err!.misshaped).toEqual([{ name: 'model.0.conv.weight', expected: [16, 3, 3, 3], actual: [16, 3, 5, 5] }]);
    expect(err!.message).toContain('model.0.conv.weight: expected [16, 3, 3, 3], got [16, 3, 5, 5]');
    expect(err!.message).toContain('nothing was loaded');
  });
});

describe('transfer loading', () => {
  it('follows an inserted layer (model.3.* -> model.4.*), initialises the new one and reports what it did', () => {
    const oldPlan = planModel(config(), { imgsz: 64 });
    const old = initStateDict(oldPlan, 11);
    const plan = planModel(config('\n    [-1, 1, Conv, [32, 1, 1]],'), { imgsz: 64 });
    // the edit inserted a row at 3: old 0..2 stay, old i >= 3 moves to i + 1
    const { state, report } = loadTransfer(plan, old, { map: (i) => (i >= 3 ? i + 1 : i), seed: 5 });
    expect(state.get('model.4.conv.weight')!.data).toBe(old.get('model.3.conv.weight')!.data);
    expect(state.get('model.5.m.0.weight')!.data).toBe(old.get('model.4.m.0.weight')!.data);
    // anchors come from the config (train.py excludes them), unless asked to keep the file's
    expect(report.initialised).toContain('model.5.anchors');
    expect(
      loadTransfer(plan, old, { map: (i) => (i >= 3 ? i + 1 : i), keepAnchors: true }).state.get('model.5.anchors')!
        .data,
    ).toBe(old.get('model.4.anchors')!.data);
    expect(report.loaded).toContainEqual({ from: 'model.3.conv.weight', to: 'model.4.conv.weight' });
    expect(report.initialised.filter((k) => k.startsWith('model.3.'))).toEqual([
      'model.3.conv.weight',
      'model.3.bn.weight',
      'model.3.bn.bias',
      'model.3.bn.running_mean',
      'model.3.bn.running_var',
      'model.3.bn.num_batches_tracked',
    ]);
    expect(report.initialised.every((k) => k.startsWith('model.3.') || k === 'model.5.anchors')).toBe(true);
    expect(report.unused).toEqual(['model.4.anchors']);
    expect(state.size).toBe(plan.tensors.length);
  });

  it('skips tensors whose shape changed and initialises them instead', () => {
    const oldPlan = planModel(config(), { imgsz: 64 });
    const old = initStateDict(oldPlan, 11);
    const plan = planModel(config().replace('[-1, 1, Conv, [64, 3, 2]]', '[-1, 1, Conv, [48, 3, 2]]'), { imgsz: 64 });
    const { report } = loadTransfer(plan, old);
    expect(report.misshaped).toContainEqual({
      name: 'model.3.conv.weight',
      expected: [48, 32, 3, 3],
      actual: [64, 32, 3, 3],
    });
    expect(report.initialised).toContain('model.4.m.1.weight');
    expect(report.loaded.some((l) => l.to === 'model.4.m.0.weight')).toBe(true);
  });
});
