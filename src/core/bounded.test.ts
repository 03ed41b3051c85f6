/**
 * Bounded work inside the core, below the CLI corpus (src/cli/hostile.test.ts): the work budget shared by all
 * layers of one build and its messages, module nesting, the limits as options, list lengths in expressions,
 * kernel sizes, and the unpickler's budgets.
 */
import { describe, expect, it } from 'vitest';
import { compileModule } from './custom/interpret.ts';
import { loadLibraryChain } from './custom/library.ts';
import { defaultLibrary } from './custom/defaults.ts';
import type { ModuleSpec } from './custom/spec.ts';
import { parseModelText } from './document.ts';
import { diagnosticText } from './diagnostics.ts';
import { BuildError, WorkBudget } from './graph.ts';
import { LIMITS } from './limits.ts';
import { analyze, buildLayer } from './propagate.ts';
import { PyEvalError, evalPy, understands } from './pyexpr.ts';
import { Registry } from './registry.ts';
import { PickleError, unpickle } from './checkpoint/pickle.ts';
import { emptyDictsPickle, modelWith, tupleKeysPickle } from '../testing/hostile-files.ts';

const burn = (name: string, steps: number, inner = 'nn.Identity'): ModuleSpec => ({
  name,
  description: 'loops',
  args: [{ name: 'c1' }, { name: 'c2' }],
  body: [
    {
      for: { i: `range(${steps})` },
      body: [{ id: 'a', op: inner, args: inner === 'nn.Identity' ? [] : ['c1', 'c2'], name: 'm' }],
    },
  ],
});

describe('one work budget per model build', () => {
  it('is shared by the layers: rows that each fit spend it together, the row that spends it says so, later rows are not built', () => {
    const registry = new Registry();
    registry.add(compileModule(burn('Burn', 2000)));
    const rows = Array.from({ length: 70 }, () => '[-1, 1, Burn, [8]]');
    const a = analyze(
      parseModelText(modelWith(rows, 'nc: 2\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\nch: 8\n')),
      {
        registry,
        imgsz: 32,
      },
    );
    const spent = a.diagnostics.filter((d) => d.code === 'work-budget');
    expect(spent).toHaveLength(1);
    expect(diagnosticText(spent[0])).toBe(
      `layer ${spent[0].layer} Burn: module Burn: the model needs more than 500,000 steps to build (modules, values and loop steps of all layers together), the limit of one model build; a repeat, loop or nesting of modules multiplies the work`,
    );
    expect(spent[0].layer).toBeGreaterThan(5);
    expect(a.layers.slice(0, spent[0].layer).every((l) => l.ok)).toBe(true);
    expect(a.layers.slice(spent[0].layer).every((l) => !l.ok)).toBe(true);
    // the limit is an option: raised, the same model builds
    const raised = analyze(
      parseModelText(modelWith(rows, 'nc: 2\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\nch: 8\n')),
      {
        registry,
        imgsz: 32,
        limits: { work: 1_000_000 },
      },
    );
    expect(raised.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('real models use a tiny part of it', () => {
    const registry = loadLibraryChain([], [defaultLibrary()]).registry;
    const budget = new WorkBudget();
    const text = `nc: 80\ndepth_multiple: 1.33\nwidth_multiple: 1.25\nanchors: 3\nbackbone:\n  [[-1, 1, Conv, [64, 6, 2, 2]], [-1, 1, Conv, [128, 3, 2]], [-1, 3, C3, [128]], [-1, 1, CBAM, [128]], [-1, 1, C3_Res2Block, [128]]]\nhead: []\n`;
    const a = analyze(parseModelText(text), { registry, imgsz: 1280 });
    for (const l of a.layers)
      buildLayer(
        l.def!,
        l.args!,
        l.buildRepeats,
        l.inputs.map((j) => (j < 0 ? [3, 1280, 1280] : a.layers[j].shape!)),
        {
          mode: 'summary',
          defaultAct: a.defaultAct,
          registry,
          budget,
        },
      );
    expect(budget.used).toBeGreaterThan(100);
    expect(budget.used).toBeLessThan(LIMITS.work / 100);
  });

  it('modules nested deeper than the limit stop with a message, not the engine stack (a cycle built by hand)', () => {
    const registry = new Registry();
    registry.add(compileModule(burn('Ping', 1, 'Pong')));
    registry.add(compileModule(burn('Pong', 1, 'Ping')));
    const r = buildLayer(registry.get('Ping')!, [8, 8], 1, [[8, 16, 16]], {
      mode: 'summary',
      defaultAct: { type: 'SiLU' },
      registry,
    });
    expect(r.error).toBeInstanceOf(BuildError);
    expect(r.error!.code).toBe('module-depth');
    expect(r.error!.message).toMatch(
      /^module Pong \(inside Ping inside Pong inside .*\): modules are nested more than 32 deep/,
    );
  });
});

describe('expressions', () => {
  it('refuse lists longer than the limit, all levels counted, before making them', () => {
    expect(() => evalPy('[1] * 10**9')).toThrow(PyEvalError);
    expect(() => evalPy('[[1] * 1000] * 1000')).toThrow(/1,001,001 elements is too long \(at most 10,000/);
    expect(() => evalPy('[1] * 2.5')).toThrow(PyEvalError);
    expect(evalPy('len([0] * 9999)')).toBe(9999);
    const x = evalPy('[1, 2] * 3');
    expect(x).toEqual([1, 2, 1, 2, 1, 2]);
  });

  it('charge the lists they make to a meter', () => {
    let spent = 0;
    evalPy('[0] * 100 + [1] * 50', {}, {}, { charge: (n) => (spent += n) });
    expect(spent).toBeGreaterThan(150);
  });

  it('know which strings are expressions they understand', () => {
    expect(understands('2 * nc + max(1, 2)')).toBe('yes');
    expect(understands('nn.LeakyReLU(0.1, inplace=True)')).toBe('yes');
    expect(understands('constructor(1)')).toBe('no');
    expect(understands("__import__('os').system('id')")).toBe('no');
    expect(understands('nn.Module.__subclasses__()')).toBe('no');
    expect(understands('[x for x in y]')).toBe('syntax');
  });
});

describe('sizes in the analysis', () => {
  it('a kernel larger than its padded input is an error, as PyTorch refuses it', () => {
    for (const row of ['[-1, 1, Conv, [16, 99, 1, 0]]', '[-1, 1, nn.MaxPool2d, [99, 1, 0]]']) {
      const a = analyze(parseModelText(modelWith([row])), { imgsz: 64 });
      const d = a.diagnostics.find((x) => x.severity === 'error');
      expect(d?.code, row).toBe('size-vanishes');
      expect(d && diagnosticText(d), row).toMatch(
        /would make the feature map -?\d+x-?\d+: the input is too small for it/,
      );
    }
  });

  it('a kernel, stride, padding or dilation beyond LIMITS.kernel is an error (PyTorch could not allocate its weight)', () => {
    for (const row of [
      '[-1, 1, Conv, [16, "10**9", 1]]',
      '[-1, 1, Conv, [16, 3, "10**6"]]',
      '[-1, 1, nn.MaxPool2d, ["10**9"]]',
    ]) {
      const a = analyze(parseModelText(modelWith([row])));
      expect(
        a.diagnostics.some((d) => d.severity === 'error' && /beyond any image/.test(diagnosticText(d))),
        row,
      ).toBe(true);
    }
    const ok = analyze(parseModelText(modelWith(['[-1, 1, Conv, [16, 31, 1]]'])), { imgsz: 64 });
    expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('the unpickler', () => {
  it('stops at its value budget (an option), counting a dict as four', () => {
    expect(() => unpickle(emptyDictsPickle(1000), { maxValues: 2000 })).toThrow(/more than 2,000 values/);
    expect(unpickle(emptyDictsPickle(400), { maxValues: 2000 })).toHaveLength(400);
  });

  it('stops at its key-work budget (an option): a large tuple key inserted again costs its length each time', () => {
    expect(() => unpickle(tupleKeysPickle(1000, 100), { maxKeyWork: 100_000 })).toThrow(PickleError);
    expect(() => unpickle(tupleKeysPickle(1000, 100), { maxKeyWork: 100_000 })).toThrow(/characters of work/);
    const d = unpickle(tupleKeysPickle(1000, 10), { maxKeyWork: 100_000 }) as { size: number };
    expect(d.size).toBe(1);
  });
});
