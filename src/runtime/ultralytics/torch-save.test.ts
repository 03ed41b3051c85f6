/**
 * Checkpoints written by real torch.save (PyTorch 1.13, fixtures/make-torch-fixtures.py: a tiny Ultralytics-layout
 * classifier with our own seeded weights, saved as Ultralytics 8.3's trainer writes last.pt and as strip_optimizer
 * leaves best.pt) read as data by the restricted unpickler, and the test generator (src/testing/ultralytics-
 * checkpoint.ts) writing what the reader reads as it reads torch.save's own.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkpointYaml, PyDict, PyObject, readCheckpoint, type Checkpoint } from '../../core/checkpoint/index.ts';
import { parseModelText } from '../../core/index.ts';
import { ultralyticsCheckpoint } from '../../testing/ultralytics-checkpoint.ts';
import { planModel } from '../model.ts';

const fixture = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url));
const expected: {
  parameters: string[];
  tensors: Record<string, { dtype: string; shape: number[]; sum: number; first: number[] }>;
} = JSON.parse(fixture('torch-ul-expect.json').toString('utf8'));
const DTYPES: Record<string, string> = { float16: 'F16', float32: 'F32', int64: 'I64' };

/** The config the fixtures' model was built from (make-torch-fixtures.py), as its YAML. */
const CONFIG = `nc: 2
scales:
  n: [1.0, 1.0, 1024]
backbone:
  - [-1, 1, Conv, [8, 3, 2]]
head:
  - [-1, 1, Classify, [nc]]
`;

function expectAsStored(cp: Checkpoint) {
  expect(cp.className).toBe('ultralytics.nn.tasks.ClassificationModel');
  expect(cp.names).toEqual(['disc', 'ring']);
  expect(cp.stride).toEqual([1]);
  expect(cp.config?.scale).toBe('n');
  expect(cp.yamlFile).toBe('tiny-cls-n.yaml');
  expect([...cp.parameters].sort()).toEqual([...expected.parameters].sort());
  expect(cp.parameterCount).toBe(15_594);
  const state = cp.state();
  expect([...state.keys()].sort()).toEqual(Object.keys(expected.tensors).sort());
  for (const [name, want] of Object.entries(expected.tensors)) {
    const t = state.get(name)!;
    expect(t.dtype, name).toBe(DTYPES[want.dtype]);
    expect(t.shape, name).toEqual(want.shape);
    // fp16 values are exact in float32
    expect(Array.from(t.data.subarray(0, 3)), name).toEqual(want.first);
    const sum = t.data.reduce((a, v) => a + v, 0);
    expect(Math.abs(sum - want.sum), name).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want.sum)) * t.data.length);
  }
}

describe('checkpoints written by real torch.save (PyTorch 1.13)', () => {
  it("best.pt as strip_optimizer leaves it: the half model from ckpt['model'], every tensor as stored", () => {
    const cp = readCheckpoint(fixture('torch-ul-best.pt'));
    expect(cp.from).toBe('model');
    expectAsStored(cp);
    expect(cp.meta).toMatchObject({ epoch: -1, version: '8.3.253', best_fitness: null });
  });

  it("last.pt as the trainer saves it: ckpt['ema'] (model None), args an IterableSimpleNamespace, the optimizer's fp16 state", () => {
    const cp = readCheckpoint(fixture('torch-ul-last.pt'));
    expect(cp.from).toBe('ema');
    expectAsStored(cp);
    expect(cp.meta).toMatchObject({ epoch: 2, updates: 30, best_fitness: 0.5 });
    // the namespace is REDUCE'd with no arguments, then BUILD sets its dict: an inert record holding the data
    const root = cp.root as PyDict;
    const ema = root.get('ema') as PyObject;
    const args = ema.attr('args') as PyObject;
    expect(args.className).toBe('ultralytics.utils.IterableSimpleNamespace');
    expect(args.attr('task')).toBe('classify');
    expect(args.attr('imgsz')).toBe(32);
    // the optimizer's momentum buffers are tensors outside the model: recorded, not part of the state_dict
    expect(root.get('optimizer')).toBeInstanceOf(PyDict);
  });

  it('opens as an Ultralytics classifier with the parameters PyTorch counts', () => {
    const cp = readCheckpoint(fixture('torch-ul-best.pt'));
    const text = checkpointYaml(cp, 'best.pt');
    expect(text).toContain('built from tiny-cls-n.yaml');
    const plan = planModel(parseModelText(text, 'best.pt'), { imgsz: 32 });
    expect(plan.analysis.family.id).toBe('ultralytics');
    expect(plan.params).toBe(15_594);
  });

  it("the test generator's checkpoint reads as torch.save's does (class, config, names, stride, tensors, YAML)", () => {
    const real = readCheckpoint(fixture('torch-ul-best.pt'));
    const plan = planModel(parseModelText(CONFIG, 'tiny-cls-n.yaml'), { imgsz: 32 });
    // num_batches_tracked stays int64 as PyTorch keeps it
    const state = new Map<string, { shape: number[]; data: Float32Array | BigInt64Array }>();
    for (const [k, t] of real.state())
      state.set(k, { shape: t.shape, data: t.dtype === 'I64' ? BigInt64Array.from(t.data, BigInt) : t.data });
    const made = readCheckpoint(
      ultralyticsCheckpoint({
        config: CONFIG,
        scale: 'n',
        yamlFile: 'tiny-cls-n.yaml',
        names: ['disc', 'ring'],
        stride: [1],
        task: 'classify',
        modelClass: 'ClassificationModel',
        layers: plan.layers.map((L) => L.root),
        state,
      }),
    );
    expect(made.from).toBe(real.from);
    expect(made.className).toBe(real.className);
    expect(made.config).toEqual(real.config);
    expect(made.yamlFile).toBe(real.yamlFile);
    expect(made.names).toEqual(real.names);
    expect(made.stride).toEqual(real.stride);
    expect([...made.parameters].sort()).toEqual([...real.parameters].sort());
    expect(made.parameterCount).toBe(real.parameterCount);
    const a = made.state();
    const b = real.state();
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [k, t] of b) {
      expect(a.get(k)!.shape, k).toEqual(t.shape);
      expect(a.get(k)!.data, k).toEqual(t.data);
    }
    expect(checkpointYaml(made, 'best.pt')).toBe(checkpointYaml(real, 'best.pt'));
  });
});
