import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyze,
  buildLayer,
  defaultLibrary,
  defaultRegistry,
  formatMessage,
  parseModelText,
  parseModuleLibrary,
  registryWith,
  type ModNode,
  type ModuleLibrary,
  type Py,
  type Registry as R,
} from '../index.ts';
import { evalPy } from '../pyexpr.ts';
import { PROJECT_DIR, describeReference, readSummary } from '../../testing/reference.ts';
import { exportForYolov5, libraryText, modulesFile } from './export.ts';
import { MODULES_FILE, YOLOV5_TARGETS, yolov5Patch } from './patch.ts';
import { moduleTypes, paramCount, Readback, stateShapes } from '../../testing/readback.ts';

const seedText = readFileSync(`${PROJECT_DIR}/configs/yolov5s-res2net.yaml`, 'utf8');

/** The core's module tree of one module instance (what the app shows, what the runtime builds). */
function coreTree(registry: R, module: string, args: Py[], c1: number): ModNode {
  const r = buildLayer(
    registry.get(module)!,
    args.map((a) => (typeof a === 'object' && a !== null && 'v' in a ? (a as { v: number }).v : a)),
    1,
    [[c1, 64, 64]],
    { mode: 'graph', defaultAct: { type: 'SiLU' }, registry },
  );
  expect(r.error, r.error?.message).toBeUndefined();
  return r.root!;
}

/** Same state_dict names and shapes, same modules in the same order, same parameter count. */
/** The core's output shape of one module instance. */
function coreOut(registry: R, module: string, args: Py[], input: number[]): number[] {
  const r = buildLayer(registry.get(module)!, args, 1, [input], {
    mode: 'summary',
    defaultAct: { type: 'SiLU' },
    registry,
  });
  expect(r.error, r.error?.message).toBeUndefined();
  return r.out.shape;
}

function expectSameTree(generated: ModNode, core: ModNode) {
  expect(stateShapes(generated)).toEqual(stateShapes(core));
  expect(moduleTypes(generated)).toEqual(moduleTypes(core));
  expect(paramCount(generated)).toBe(paramCount(core));
}

describe('generated PyTorch (read back by structure)', () => {
  const seedPy = modulesFile(['C3_Res2Block'], []).text;
  const rb = new Readback(seedPy, defaultRegistry);

  it('writes the seed classes with the seed signatures, dependencies first', () => {
    expect(seedPy).toContain(
      'class Bottle2neck(nn.Module):\n    def __init__(self, inplanes, planes, shortcut, baseWidth=26, scale=4):',
    );
    expect(seedPy).toContain(
      'class C3_Res2Block(nn.Module):\n    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):',
    );
    expect(seedPy.indexOf('class Bottle2neck')).toBeLessThan(seedPy.indexOf('class C3_Res2Block'));
    expect(seedPy).toMatch(/^from models\.common import Conv$/m);
    expect(seedPy).not.toMatch(/[ \t]$/m);
  });

  it('Bottle2neck: module names and parameter shapes of the interpreter, for several scales', () => {
    for (const args of [
      [64, 64, true],
      [64, 64, false, 26, 1],
      [96, 48, false, 13, 2],
      [128, 128, true, 26, 8],
    ]) {
      const tree = rb.build('Bottle2neck', args);
      expectSameTree(tree, coreTree(defaultRegistry, 'Bottle2neck', args, args[0] as number));
      expect(rb.forward(tree, [args[0] as number, 20, 12])).toEqual(
        coreOut(defaultRegistry, 'Bottle2neck', args, [args[0] as number, 20, 12]),
      );
    }
    expect(() => rb.forward(rb.build('Bottle2neck', [64, 64, true]), [32, 8, 8])).toThrow(
      'built for 64 input channels but receives 32',
    );
    expect(
      Object.keys(stateShapes(rb.build('Bottle2neck', [64, 64, true]))).filter((k) => k.endsWith('.weight')),
    ).toEqual([
      'conv1.conv.weight',
      'conv1.bn.weight',
      'convs.0.conv.weight',
      'convs.0.bn.weight',
      'convs.1.conv.weight',
      'convs.1.bn.weight',
      'convs.2.conv.weight',
      'convs.2.bn.weight',
      'conv3.conv.weight',
      'conv3.bn.weight',
    ]);
    expect(() => rb.build('Bottle2neck', [64, 32, true])).toThrow(
      'Bottle2neck({inplanes}, {planes}) adds its {inplanes}-channel input to {planes} channels: PyTorch fails (out += residual); use inplanes == planes or shortcut=False',
    );
  });

  describeReference('against YOLOv5 v7.0 (yolov5s-res2net summary)', () => {
    it("every C3_Res2Block layer has YOLOv5's parameter count and the interpreter's state_dict names and shapes", () => {
      const ref = readSummary('yolov5s-res2net');
      const layers = ref.layers.filter((l) => l.module.endsWith('.C3_Res2Block'));
      expect(layers.length).toBe(8);
      for (const l of layers) {
        const args = evalPy(l.args) as Py[];
        const tree = rb.build('C3_Res2Block', args);
        expect(paramCount(tree), `layer ${l.i} ${l.args}`).toBe(l.params);
        expectSameTree(tree, coreTree(defaultRegistry, 'C3_Res2Block', args, args[0] as number));
        // forward, read back on shapes: YOLOv5's output shape for the previous layer's output
        const input = (ref.layers[l.i - 1].shape as number[]).slice(1);
        expect(rb.forward(tree, input)).toEqual((l.shape as number[]).slice(1));
      }
      // the whole model: the generated layers plus YOLOv5's own as the core counts them
      const a = analyze(parseModelText(seedText, 'seed.yaml'));
      const total = a.layers.reduce(
        (s, l) => s + (l.module === 'C3_Res2Block' ? paramCount(rb.build('C3_Res2Block', l.args!)) : l.params),
        0,
      );
      expect(total).toBe(ref.params);
    });
  });

  it('SE, CBAM and CoordAtt: the core numbers, names and shapes', () => {
    const lib = defaultLibrary();
    const reg = registryWith(lib);
    const py = modulesFile(['SE', 'CBAM', 'CoordAtt'], [lib]).text;
    const att = new Readback(py, reg);
    const expected: Record<string, number> = {
      SE: 64 * 8 + 8 + 8 * 64 + 64,
      CBAM: 64 * 4 + 4 * 64 + 2 * 49,
      CoordAtt: 64 * 8 + 8 + 2 * 8 + 2 * (8 * 64 + 64),
    };
    for (const [m, params] of Object.entries(expected)) {
      const tree = att.build(m, [64, 64]);
      expect(paramCount(tree), m).toBe(params);
      expectSameTree(tree, coreTree(reg, m, [64, 64], 64));
      expectSameTree(att.build(m, [256, 256, 4]), coreTree(reg, m, [256, 256, 4], 256));
      expect(att.forward(tree, [64, 13, 7])).toEqual(coreOut(reg, m, [64, 64], [64, 13, 7]));
    }
    expect(() => att.build('SE', [64, 32])).toThrow('SE: SE keeps its channels');
  });

  it('loops, conditions, containers, templated names, shared modules and inputs read back as the interpreter builds them', () => {
    const lib = parseModuleLibrary(
      `
Inner:
  description: two inputs
  args: [c1, c2]
  inputs: [a, b]
  body:
    - {id: s, op: add, in: [a, b]}
    - {id: y, op: nn.Conv2d, args: [c1, c2, 1], in: s, name: proj}
Fancy:
  description: "A test block: 'quotes' and \\\\ backslashes"
  args: [c1, c2, n=2, deep=True]
  vars: {h: c2 // 2}
  body:
    - {id: a, op: Conv, args: [c1, c2, 1], name: stem}
    - for: {i: "range(1, n + 1)"}
      body:
        - {id: "b{i}", op: nn.Conv2d, args: [c2, c2, 3, 1, 1, 1, 1, False], name: "cv{i}"}
        - {id: "n{i}", op: nn.BatchNorm2d, args: [c2], name: "bns.{i}", when: deep}
    - {id: p, op: chunk, args: [2]}
    - {id: q, op: cat, in: [p.0, p.1]}
    - {id: r, op: Inner, args: [c2, c2], in: [q, a], name: inner}
    - {id: t, use: cv1, in: r}
    - {id: u, op: nn.Identity, name: "blocks.0"}
    - {id: v, op: C3, args: [c2, c2, 1], name: "blocks.1"}
    - {id: w, op: nn.MaxPool2d, args: [3, 1, 1], in: v}
    - {id: y, op: nn.Upsample, args: [None, 1, nearest], when: h > 0}
`,
      'test.modules.yaml',
    );
    expect(lib.diagnostics).toEqual([]);
    const reg = registryWith(lib);
    const py = modulesFile(['Fancy'], [lib]).text;
    expect(py.indexOf('class Inner')).toBeLessThan(py.indexOf('class Fancy'));
    expect(py).toContain("# A test block: 'quotes' and \\ backslashes");
    const fancy = new Readback(py, reg);
    for (const args of [
      [16, 32],
      [16, 32, 3, false],
      [8, 8, 1],
    ]) {
      const tree = fancy.build('Fancy', args);
      expectSameTree(tree, coreTree(reg, 'Fancy', args, args[0] as number));
      expect(fancy.forward(tree, [args[0] as number, 9, 6])).toEqual(
        coreOut(reg, 'Fancy', args, [args[0] as number, 9, 6]),
      );
    }
  });
});

describe('generated forward', () => {
  it("copies an activation's input when YOLOv5's in-place activations would overwrite a value still needed", () => {
    const lib = parseModuleLibrary(
      `
Acts:
  description: activations in every position
  args: [c1, c2]
  body:
    - {id: a, op: nn.ReLU, in: x, name: r0}
    - {id: b, op: nn.Conv2d, args: [c1, c2, 1], in: a, name: cv}
    - {id: c, op: nn.SiLU, in: b, name: s1}
    - {id: d, op: nn.Conv2d, args: [c2, c2, 1], in: c, name: cv2}
    - {id: e, op: pass, in: d}
    - {id: f, op: nn.Hardswish, in: e, name: hs}
    - {id: g, op: add, in: [f, d]}
    - {id: h, op: nn.SiLU, in: g, name: s2}
`,
      'acts.modules.yaml',
    );
    expect(lib.diagnostics).toEqual([]);
    const py = modulesFile(['Acts'], [lib]).text;
    expect(py).toContain('a = self.r0(x.clone())'); // the caller's tensor
    expect(py).toContain('c = self.s1(b)'); // read by nothing else
    expect(py).toContain('f = self.hs(e.clone())'); // e is d, which the add reads afterwards
    expect(py).toContain('h = self.s2(g)');
    expect(modulesFile(['C3_Res2Block'], []).text).not.toContain('.clone()');
  });
});

/** Hunks of a patch, checked: every header's counts match its lines. */
function hunks(patch: string) {
  const files: { path: string; hunks: { oldStart: number; newStart: number; lines: string[] }[] }[] = [];
  const lines = patch.split('\n');
  expect(lines.pop()).toBe('');
  let i = lines.findIndex((l) => l.startsWith('diff --git '));
  while (i < lines.length) {
    const m = /^diff --git a\/(\S+) b\/(\S+)$/.exec(lines[i]);
    expect(m, lines[i]).not.toBeNull();
    const file = { path: m![2], hunks: [] as { oldStart: number; newStart: number; lines: string[] }[] };
    files.push(file);
    i++;
    while (i < lines.length && !lines[i].startsWith('@@')) i++;
    while (i < lines.length && lines[i].startsWith('@@')) {
      const h = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[i]);
      expect(h, lines[i]).not.toBeNull();
      const [oldStart, oldN, newStart, newN] = h!.slice(1).map(Number);
      const body: string[] = [];
      i++;
      while (i < lines.length && /^[ +-]/.test(lines[i])) body.push(lines[i++]);
      expect(body.filter((l) => !l.startsWith('+')).length, `old count of ${lines[i - body.length - 1]}`).toBe(oldN);
      expect(body.filter((l) => !l.startsWith('-')).length, 'new count').toBe(newN);
      file.hunks.push({ oldStart, newStart, lines: body });
    }
  }
  return files;
}

describe('YOLOv5 patches', () => {
  it('are well-formed: a new models/architect_modules.py and a yolo.py change whose only context is module-name lines', () => {
    const py = modulesFile(['C3_Res2Block'], []).text;
    for (const t of YOLOV5_TARGETS) {
      const patch = yolov5Patch(
        t,
        py,
        ['Bottle2neck', 'C3_Res2Block'],
        [
          { name: 'Bottle2neck', parse: 'channels' },
          { name: 'C3_Res2Block', parse: 'channelsRepeat' },
        ],
      );
      const [file, yolo] = hunks(patch);
      expect(file.path).toBe(MODULES_FILE);
      expect(patch).toContain(`--- /dev/null\n+++ b/${MODULES_FILE}\n@@ -0,0 +1,${py.split('\n').length - 1} @@\n`);
      expect(file.hunks[0].lines.map((l) => l.slice(1)).join('\n') + '\n').toBe(py);
      expect(yolo.path).toBe('models/yolo.py');
      const context = yolo.hunks.flatMap((h) => h.lines.filter((l) => l.startsWith(' ')).map((l) => l.slice(1)));
      expect(context).toEqual([t.importBefore.text, t.channelsAfter.text, t.channelsBefore.text, t.repeatBefore.text]);
      expect(yolo.hunks.every((h) => h.lines.every((l) => !l.startsWith('-')))).toBe(true);
      // new positions follow the lines added above them
      let shift = 0;
      for (const h of yolo.hunks) {
        expect(h.newStart).toBe(h.oldStart + shift);
        shift += h.lines.filter((l) => l.startsWith('+')).length;
      }
      const added = yolo.hunks.map((h) => h.lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1)));
      expect(added[0]).toEqual(['from models.architect_modules import Bottle2neck, C3_Res2Block  # YOLO Architect']);
      expect(added[1].join(' ').replace(/\s+/g, ' ').trim()).toBe('Bottle2neck, C3_Res2Block,');
      expect(added[2][0]).toMatch(/^ {12}if m in \{C3_Res2Block\}:/);
    }
  });

  it("registers 'channels' modules like Conv, 'channelsRepeat' also like C3, 'passthrough' nowhere", () => {
    const regs = [
      { name: 'A', parse: 'channels' as const },
      { name: 'B', parse: 'channelsRepeat' as const },
      { name: 'P', parse: 'passthrough' as const },
    ];
    for (const t of YOLOV5_TARGETS) {
      const [, yolo] = hunks(yolov5Patch(t, '# nothing\n', ['A', 'B', 'P'], regs));
      const added = yolo.hunks.map((h) => h.lines.filter((l) => l.startsWith('+')).join('\n'));
      expect(added[0]).toContain('import A, B, P');
      expect(added[1]).toMatch(/\bA,[\s+]*B,$/);
      expect(added[2]).toContain('if m in {B}:');
      const onlyPass = hunks(yolov5Patch(t, '# nothing\n', ['P'], [regs[2]]))[1];
      expect(onlyPass.hunks.length).toBe(1);
    }
  });
});

describe('exportForYolov5', () => {
  it('the seed model: its YAML as is, and one patch per YOLOv5 release', () => {
    const r = exportForYolov5('yolov5s-res2net', seedText, [defaultLibrary()]);
    expect(r.errors).toEqual([]);
    expect(r.classes).toEqual(['Bottle2neck', 'C3_Res2Block']);
    expect(r.files.map((f) => f.path)).toEqual(['yolov5s-res2net.yaml', 'yolov5-v7.0.patch', 'yolov5-master.patch']);
    expect(r.files[0].text).toBe(seedText);
  });

  it('a model of shipped modules only: just the YAML', () => {
    const text = seedText.replace(/C3_Res2Block/g, 'C3');
    expect(exportForYolov5('m', text, [defaultLibrary()]).files.map((f) => f.path)).toEqual(['m.yaml']);
  });

  it('custom modules: generated with what they use, and their library copied as NAME.modules.yaml (it reads back the same)', () => {
    const user: ModuleLibrary = parseModuleLibrary(
      `
MyRes2:
  description: C3_Res2Block then CBAM.
  parse: channelsRepeat
  args: [c1, c2, n=1]
  body:
    - {id: a, op: C3_Res2Block, args: [c1, c2, n]}
    - {id: y, op: CBAM, args: [c2, c2]}
Unused:
  description: not in the model
  args: [c1, c2]
  body: [{id: y, op: nn.Identity}]
`,
      'user.modules.yaml',
      (n) => !!registryWith(defaultLibrary()).get(n),
    );
    expect(user.diagnostics).toEqual([]);
    const text = seedText
      .replace('[-1, 3, C3_Res2Block, [128]]', '[-1, 3, MyRes2, [128]]')
      .replace('[-1, 1, SPPF, [1024, 5]]', '[-1, 1, SE, [1024]]');
    const r = exportForYolov5('mine', text, [defaultLibrary(), user]);
    expect(r.errors).toEqual([]);
    expect(r.classes).toEqual(['Bottle2neck', 'C3_Res2Block', 'CBAM', 'MyRes2', 'SE']);
    const lib = r.files.find((f) => f.path === 'mine.modules.yaml')!;
    const back = parseModuleLibrary(lib.text, 'mine.modules.yaml');
    expect(back.diagnostics).toEqual([]);
    expect(back.specs.map((s) => s.name)).toEqual(['CBAM', 'MyRes2', 'SE']);
    for (const s of back.specs)
      expect(s).toEqual([...defaultLibrary().specs, ...user.specs].find((x) => x.name === s.name));
    const patch = r.files.find((f) => f.path === 'yolov5-v7.0.patch')!.text;
    expect(patch).toContain('+            if m in {C3_Res2Block, MyRes2}:');
    expect(libraryText([], 'x')).toMatch(/^# Modules used by x/);
  });

  it('a module that would shadow a YOLOv5 name, or cannot be written as PyTorch, is an error and nothing is written', () => {
    const lib = parseModuleLibrary(
      'Model:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: nn.Identity}]\nNoBn:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: nn.BatchNorm2d}]\n',
      'u.modules.yaml',
    );
    const r = exportForYolov5('m', seedText.replace('[-1, 1, SPPF, [1024, 5]]', '[-1, 1, Model, [1024]]'), [lib]);
    expect(r.files).toEqual([]);
    expect(formatMessage(r.errors[0])).toMatch(/^Model: YOLOv5's models\/yolo.py already has a 'Model'/);
    const r2 = exportForYolov5('m', seedText.replace('[-1, 1, SPPF, [1024, 5]]', '[-1, 1, NoBn, [1024]]'), [lib]);
    expect(r2.errors.map((m) => formatMessage(m))).toEqual([
      "NoBn: node 'y': nn.BatchNorm2d needs its channel count as an argument for PyTorch",
    ]);
  });

  it('nn.Conv2d and nn.ConvTranspose2d need both channel counts written, and get kernel 1 where it is left out', () => {
    const lib = parseModuleLibrary(
      [
        'NoCin:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: nn.Conv2d, args: [c1]}]',
        'NoCinT:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: nn.ConvTranspose2d, args: [c1]}]',
        'Kernel1:\n  description: x\n  args: [c1, c2]\n  body: [{id: y, op: nn.ConvTranspose2d, args: [c1, c2]}]',
      ].join('\n') + '\n',
      'u.modules.yaml',
    );
    const errors = (m: string) =>
      exportForYolov5('m', seedText.replace('[-1, 1, SPPF, [1024, 5]]', `[-1, 1, ${m}, [1024]]`), [lib]).errors.map(
        (e) => formatMessage(e),
      );
    expect(errors('NoCin')).toEqual(["NoCin: node 'y': nn.Conv2d needs its input and output channels"]);
    expect(errors('NoCinT')).toEqual(["NoCinT: node 'y': nn.ConvTranspose2d needs its input and output channels"]);
    const r = exportForYolov5('m', seedText.replace('[-1, 1, SPPF, [1024, 5]]', '[-1, 1, Kernel1, [1024]]'), [lib]);
    expect(r.errors).toEqual([]);
    expect(r.files.map((f) => f.text).join('\n')).toContain('nn.ConvTranspose2d(c1, c2, 1)');
  });
});
