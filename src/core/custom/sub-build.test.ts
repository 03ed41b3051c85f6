import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, clearBuildCache, formatMessage, parseModelText, WorkBudget, limitsWith } from '../index.ts';
import type { BuildMemo, ModuleDef } from '../graph.ts';
import { buildLayer } from '../parse-model/build.ts';
import { argToJs } from '../parse-model/values.ts';
import type { ModelAnalysis } from '../parse-model/types.ts';
import { PROJECT_DIR } from '../../testing/reference.ts';
import { parseModuleLibrary, registryWith } from './library.ts';
import { keyText } from './sub-build.ts';

/** Every config the project ships (YOLOv5's and Ultralytics'). */
function shippedConfigs(dir = join(PROJECT_DIR, 'configs')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? shippedConfigs(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );
}

/** Layer i of an analysis built again in summary mode, with a memo of sub-builds or without one. */
function rebuild(a: ModelAnalysis, i: number, memo: BuildMemo | undefined, work?: number) {
  const l = a.layers[i];
  const inputs = [
    ...l.inputs.map((j) => (j === -1 ? [a.inputChannels, a.imgsz[0], a.imgsz[1]] : a.layers[j].shape!)),
    ...(l.sideInputs ?? []),
  ];
  const budget = new WorkBudget(limitsWith(work === undefined ? {} : { work }));
  const b = buildLayer(l.def!, (l.buildArgs ?? l.args!).map(argToJs), l.buildRepeats, inputs, {
    mode: 'summary',
    defaultAct: a.defaultAct,
    registry: a.registry,
    budget,
    ...(memo ? { memo } : {}),
    ...(l.attrs ? { attrs: l.attrs } : {}),
  });
  return {
    shape: b.out.shape,
    params: b.params,
    macs: b.macs,
    modules: b.modules,
    shared: [...b.shared].sort(),
    notes: b.notes,
    error: b.error && formatMessage(b.error.msg),
    used: budget.used,
  };
}

describe('sub-module builds reused (summary mode)', () => {
  it('every shipped config: each layer built with reused sub-builds equals the layer built with none', () => {
    const configs = shippedConfigs();
    expect(configs.length).toBeGreaterThan(20);
    let replayed = 0;
    for (const path of configs) {
      const a = analyze(parseModelText(readFileSync(path, 'utf8'), path));
      const memo: BuildMemo = new Map();
      for (let i = 0; i < a.layers.length; i++) {
        if (!a.layers[i].def || !a.layers[i].args) continue;
        // twice with one memo: the second build replays what the first kept
        const plain = rebuild(a, i, undefined);
        expect(rebuild(a, i, memo), `${path} layer ${i}`).toEqual(plain);
        expect(rebuild(a, i, memo), `${path} layer ${i} again`).toEqual(plain);
      }
      replayed += [...memo.values()].reduce((n, m) => n + m.size, 0);
    }
    expect(replayed).toBeGreaterThan(100);
  });

  it('a work budget running out mid-layer stops at the same module, with the same message, with or without reuse', () => {
    const path = join(PROJECT_DIR, 'configs', 'yolov5x6.yaml');
    const a = analyze(parseModelText(readFileSync(path, 'utf8'), path));
    // layer 2 is a C3 of equal Bottlenecks; every budget from too small to enough
    const full = rebuild(a, 2, undefined).used;
    expect(full).toBeGreaterThan(50);
    const memo: BuildMemo = new Map();
    rebuild(a, 2, memo); // the memo holds the Bottleneck and its Convs
    for (let work = 1; work <= full + 1; work++) {
      const plain = rebuild(a, 2, undefined, work);
      expect(rebuild(a, 2, memo, work), `work ${work}`).toEqual(plain);
      if (work < full) expect(plain.error).toMatch(/work/);
    }
  });

  it('equal sub-modules are interpreted once per analysis and counted every time', () => {
    const lib = parseModuleLibrary(
      `
Leaf:
  args: [c1, c2]
  body:
    - {id: y, op: Conv, args: [c1, c2, 3], in: x, name: conv}
Stack:
  parse: channels
  args: [c1, c2]
  body:
    - {id: m, op: Leaf, args: [c1, c2], repeat: 5, in: x}
`,
      'counted.modules.yaml',
    );
    expect(lib.diagnostics).toEqual([]);
    const registry = registryWith(lib);
    const leaf = registry.get('Leaf')!;
    let builds = 0;
    const counted: ModuleDef = { ...leaf, build: (s, args, xs) => (builds++, leaf.build(s, args, xs)) };
    registry.add(counted);
    const text =
      'nc: 1\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\nch: 8\nbackbone:\n  [[-1, 1, Stack, [8]]]\nhead: []\n';
    clearBuildCache();
    const a = analyze(parseModelText(text, 'counted.yaml'), { registry, imgsz: 64 });
    expect(a.layers[0].ok).toBe(true);
    // interpreted once (a model without a head has no stride probe), counted five times
    expect(builds).toBe(1);
    expect(a.layers[0].params).toBe(5 * (8 * 8 * 9 + 2 * 8));
    const plain = rebuild(a, 0, undefined);
    expect(builds).toBe(6);
    expect(a.layers[0].modules).toBe(plain.modules);
  });

  it('a module that notes something is built again in each layer (its note belongs to every layer it is in)', () => {
    const lib = parseModuleLibrary(
      `
Wide:
  args: [c1, c2]
  check:
    - {assert: c2 < 8, message: "c2 is 8 or more", severity: warning, code: wide-module}
  body:
    - {id: y, op: Conv, args: [c1, c2, 1], in: x, name: conv}
Wrap:
  parse: channels
  args: [c1, c2]
  body:
    - {id: m, op: Wide, args: [c1, c2], in: x}
Wrap2:
  parse: channels
  args: [c1, c2]
  body:
    - {id: m, op: Wide, args: [c1, c2], in: x}
`,
      'wide.modules.yaml',
    );
    expect(lib.diagnostics).toEqual([]);
    const text =
      'nc: 1\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\nch: 8\nbackbone:\n  [[-1, 1, Wrap, [8]], [-1, 1, Wrap2, [8]]]\nhead: []\n';
    clearBuildCache();
    const a = analyze(parseModelText(text, 'wide.yaml'), { registry: registryWith(lib), imgsz: 64 });
    expect(a.layers.map((l) => l.ok)).toEqual([true, true]);
    expect(a.layers[1].shape).toEqual(a.layers[0].shape);
    const wide = a.diagnostics.filter((d) => d.code === 'wide-module').map((d) => d.layer);
    expect(wide).toEqual([0, 1]);
  });

  it('arguments that print alike in JSON (None, NaN, infinities, -0, undefined) are different keys', () => {
    const values = [null, NaN, Infinity, -Infinity, 0, -0, undefined, 'None', 'null', [null], [], {}, { a: null }];
    const keys = values.map((v) => keyText({ p: v }));
    expect(new Set(keys).size).toBe(values.length);
    expect(() => keyText({ p: new Map() })).toThrow();
  });

  it("a key is never made past 2,000 characters (a file's huge list or string is built, not kept), so its work is bounded", () => {
    const big = Array.from({ length: 10_000 }, (_, i) => i);
    expect(() => keyText([big, 1])).toThrow();
    expect(() => keyText([[[big]]])).toThrow();
    expect(() => keyText({ s: 'x'.repeat(5_000) })).toThrow();
    expect(() => keyText(Array.from({ length: 300 }, () => ({ k: 'abcdefgh' })))).toThrow();
    expect(keyText([Array.from({ length: 100 }, (_, i) => i), 'nearest'])).toContain('99,],"nearest"');
  });
});
