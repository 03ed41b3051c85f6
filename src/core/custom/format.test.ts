/**
 * The description format's general additions, as a user's library writes them: typed and documented
 * arguments, texts in two languages, keyword arguments, subscripts, checks with codes and severities (before
 * the body and at a point in it), containers that are an nn.Sequential, and a module that extends another.
 */
import { describe, expect, it } from 'vitest';
import {
  analyze,
  buildLayer,
  diagnosticText,
  formatMessage,
  parseModelText,
  type ModNode,
  type Py,
  type Registry,
} from '../index.ts';
import { exportForYolov5, libraryText, modulesFile } from '../codegen/export.ts';
import { Readback, moduleTypes, paramCount, stateShapes } from '../../testing/readback.ts';
import { parseModuleLibrary, registryWith } from './library.ts';

const LIB = `
Gated:
  description: {en: "A Conv without its activation, then a gate.", zh: "不带激活的 Conv，然后一个门控。"}
  category: attention
  args:
    - c1
    - c2
    - {name: k, type: int, default: 3, doc: {en: kernel size, zh: 卷积核大小}}
    - {name: e, type: float, default: '0.5', doc: hidden expansion}
  vars: {c_: int(c2 * e)}
  check:
    - {assert: c_ >= 1, code: bad-channels, message: {en: "Gated({c1}, {c2}) has no hidden channels ({c_})", zh: "Gated({c1}, {c2}) 没有隐藏通道（{c_}）"}}
    - {assert: k % 2 == 1, severity: info, code: even-kernel, message: "an even kernel {k} shifts the output"}
  containers: {m: Sequential}
  body:
    - {id: a, op: Conv, args: [c1, c_, k], kwargs: {act: False}, name: "m.0"}
    - {id: b, op: nn.Conv2d, args: [c_, c2, 1], kwargs: {bias: False}, name: "m.1"}
    - {assert: c2 <= 4 * c1, code: bad-args, message: "Gated widens at most 4x: {c2} > 4 * {c1}"}
    - {id: g, op: sigmoid, in: b}
    - {id: y, op: mul, in: [b, g]}

Pyramid:
  description: max pools of the given sizes side by side
  args: [c1, c2, {name: ks, type: ints, default: '[3, 5]'}]
  body:
    - for: {j: "range(len(ks))"}
      body:
        - {id: "p{j}", op: nn.MaxPool2d, args: ["ks[j]", 1, "ks[j] // 2"], in: x, name: "m.{j}"}
    - {id: y, op: cat, in: [x, "p{j} for j in range(len(ks))"]}
    - {id: z, op: nn.Conv2d, args: ["c1 * (len(ks) + 1)", c2, 1]}

DeepConv:
  description: A Conv with groups = gcd(c1, c2), as YOLOv5's DWConv
  args: [c1, c2, k=1, s=1]
  base: {op: Conv, args: [c1, c2, k, s], kwargs: {g: "gcd(c1, c2)"}}
`;

const lib = () => {
  const l = parseModuleLibrary(LIB, 'format.modules.yaml');
  expect(l.diagnostics).toEqual([]);
  return l;
};

function layer(row: string, registry: Registry) {
  const text = `nc: 1\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\nch: 16\nbackbone:\n  [${row}]\nhead: []\n`;
  const a = analyze(parseModelText(text, 't.yaml'), { imgsz: 32, registry });
  return { l: a.layers[0], diags: a.diagnostics.filter((d) => d.layer === 0) };
}

function tree(registry: Registry, module: string, args: unknown[], c1: number): ModNode {
  const r = buildLayer(registry.get(module)!, args, 1, [[c1, 32, 32]], {
    mode: 'graph',
    defaultAct: { type: 'SiLU' },
    registry,
  });
  expect(r.error?.message).toBeUndefined();
  return r.root!;
}

describe('the module description format', () => {
  it('reads typed, documented arguments and texts in two languages', () => {
    const def = registryWith(lib()).get('Gated')!;
    expect(def.description).toBe('A Conv without its activation, then a gate.');
    expect(def.descriptions).toEqual({ zh: '不带激活的 Conv，然后一个门控。' });
    expect(def.category).toBe('attention');
    expect(def.args.map((a) => [a.name, a.type, a.doc, a.docs?.zh])).toEqual([
      ['c1', 'any', 'required', undefined],
      ['c2', 'any', 'required', undefined],
      ['k', 'int', 'kernel size', '卷积核大小'],
      ['e', 'float', 'hidden expansion', undefined],
    ]);
    // a typed argument is checked against the row, as parse_model's module would fail
    expect(layer('[-1, 1, Gated, [16, 1.5]]', registryWith(lib())).diags.map((d) => d.code)).toContain('bad-arg-type');
  });

  it('keyword arguments, containers that are a Sequential, and checks with codes, parameters and severities', () => {
    const reg = registryWith(lib());
    const t = tree(reg, 'Gated', [16, 32], 16);
    expect(t.children.map((c) => [c.name, c.type])).toEqual([['m', 'Sequential']]);
    // act=False: Conv's activation is an nn.Identity of its own; bias=False: no bias
    expect(moduleTypes(t)).toEqual([
      'm: Sequential',
      'm.0: Conv',
      'm.0.conv: Conv2d',
      'm.0.bn: BatchNorm2d',
      'm.0.act: Identity',
      'm.1: Conv2d',
    ]);
    expect(Object.keys(stateShapes(t)).filter((k) => k.endsWith('bias'))).toEqual(['m.0.bn.bias']);

    const { l, diags } = layer('[-1, 1, Gated, [8, 3, 0.1]]', reg);
    expect(l.ok).toBe(false);
    expect(diags.map((d) => [d.code, diagnosticText(d)])).toContainEqual([
      'bad-channels',
      'layer 0 Gated: Gated(16, 8) has no hidden channels (0)',
    ]);
    // an info note does not stop the build
    const even = layer('[-1, 1, Gated, [16, 2]]', reg);
    expect(even.l.ok).toBe(true);
    expect(even.diags.map((d) => [d.severity, d.code, diagnosticText(d)])).toContainEqual([
      'info',
      'even-kernel',
      'layer 0 Gated: an even kernel 2 shifts the output',
    ]);
    // a check in the body, after the modules before it are built
    expect(layer('[-1, 1, Gated, [128]]', reg).diags.map((d) => diagnosticText(d))).toContain(
      'layer 0 Gated: Gated widens at most 4x: 128 > 4 * 16',
    );
    const r = buildLayer(reg.get('Gated')!, [16, 2, 3, 0.25], 1, [[16, 8, 8]], {
      mode: 'summary',
      defaultAct: { type: 'SiLU' },
      registry: reg,
    });
    expect(r.error?.code).toBe('bad-channels');
    expect(r.error && formatMessage(r.error.msg, 'zh')).toBe('Gated(16, 2) 没有隐藏通道（0）');
    // an unknown keyword is what PyTorch raises
    const bad = parseModuleLibrary(
      'K:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: Conv, args: [c1, c2], kwargs: {stride: 2}}]\n',
      'k.modules.yaml',
    );
    expect(layer('[-1, 1, K, [8]]', registryWith(bad)).diags.map((d) => diagnosticText(d))).toContain(
      "layer 0 K: Conv got an unexpected keyword argument 'stride'",
    );
  });

  it('subscripts in loops over a list argument', () => {
    const reg = registryWith(lib());
    const { l } = layer('[-1, 1, Pyramid, [8, [3, 5, 7]]]', reg);
    expect(l.shape).toEqual([8, 32, 32]);
    expect(l.params).toBe(16 * 4 * 8 + 8);
    expect(tree(reg, 'Pyramid', [16, 8, [3, 5, 7]], 16).children.map((c) => c.name)).toEqual(['m', 'z']);
  });

  it('a module extending another is that module built with its arguments (no module of its own inside)', () => {
    const reg = registryWith(lib());
    const t = tree(reg, 'DeepConv', [16, 32, 3], 16);
    expect(t.type).toBe('DeepConv');
    expect(t.children.map((c) => c.name)).toEqual(['conv', 'bn', 'act']);
    expect(stateShapes(t)['conv.weight']).toEqual([32, 1, 3, 3]);
    const py = modulesFile(['DeepConv'], [lib()]).text;
    expect(py).toContain('class DeepConv(Conv):\n    def __init__(self, c1, c2, k=1, s=1):\n');
    expect(py).toContain('        super().__init__(c1, c2, k, s, g=math.gcd(c1, c2))\n');
    expect(py).toMatch(/^from models\.common import Conv$/m);
  });

  it('generated PyTorch reads back with the interpreter’s names, shapes and checks', () => {
    const l = lib();
    const reg = registryWith(l);
    const py = modulesFile(['Gated', 'Pyramid'], [l]).text;
    expect(py).toContain('self.m = nn.Sequential()');
    expect(py).toContain("raise ValueError('Gated({c1}, {c2}) has no hidden channels ({c_})')");
    expect(py).not.toContain('even kernel');
    const rb = new Readback(py, reg);
    const cases: [string, Py[]][] = [
      ['Gated', [16, 32]],
      ['Gated', [16, 8, 5, 1.0]],
      ['Pyramid', [16, 8, [3, 5, 7]]],
    ];
    for (const [m, args] of cases) {
      const built = rb.build(m, args);
      const core = tree(reg, m, args, 16);
      expect(stateShapes(built)).toEqual(stateShapes(core));
      expect(paramCount(built)).toBe(paramCount(core));
    }
    expect(() => rb.build('Gated', [16, 1, 3, 0.25])).toThrow('Gated({c1}, {c2}) has no hidden channels ({c_})');
  });

  it('a library with the new fields is written and read back the same', () => {
    const l = lib();
    const back = parseModuleLibrary(libraryText(l.specs, 'x'), 'x.modules.yaml');
    expect(back.diagnostics).toEqual([]);
    expect(back.specs).toEqual(l.specs);
  });

  it('refuses what it cannot read, saying where', () => {
    const msgs = (text: string) =>
      parseModuleLibrary(text, 'bad.modules.yaml').diagnostics.map((d) => diagnosticText(d));
    expect(msgs('A:\n  description: x\n  args: [{name: 3}]\n  body: [{id: y, op: pass}]\n')).toEqual([
      "A: argument name '3' is not a name",
    ]);
    expect(msgs('A:\n  description: x\n  args: [{name: k, type: number}]\n  body: [{id: y, op: pass}]\n')).toEqual([
      "A: argument 'k': type must be one of int, float, bool, intOrPair, intOrNone, pairOrNone, ints, padding, str, act, any",
    ]);
    expect(
      msgs('A:\n  description: x\n  args: [c1]\n  check: [{assert: c1 > 1}]\n  body: [{id: y, op: pass}]\n'),
    ).toEqual(['A: a check needs a message: text, or {en: ..., zh: ...}']);
    expect(msgs('A:\n  description: x\n  args: [c1]\n  base: {op: Conv}\n  body: [{id: y, op: pass}]\n')).toEqual([
      "A: a module with a 'base' has no 'body' (it is the base module, built with its arguments)",
    ]);
    expect(exportForYolov5('m', 'nc: 1\n', [lib()]).errors).toEqual([]);
  });
});
