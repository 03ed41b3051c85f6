/**
 * Descriptions the PyTorch generator refuses, one per refusal: given straight to generateClass (most are
 * refused earlier, where a library is read, so no library text reaches them) and through the exports.
 * Part of the bad-input corpus (message-corpus.ts's coreSamples).
 */
import { CodegenError } from '../core/codegen/pyprint.ts';
import { generateClass } from '../core/codegen/pytorch.ts';
import { yolov5Patch, YOLOV5_TARGETS } from '../core/codegen/patch.ts';
import { ultralyticsPatch } from '../core/codegen/ultralytics-patch.ts';
import { exportForUltralytics, exportForYolov5 } from '../core/codegen/export.ts';
import type { ModuleNode, ModuleSpec } from '../core/custom/spec.ts';
import { defaultRegistry, parseModuleLibrary, type Message, type ModuleLibrary } from '../core/index.ts';

interface Sample {
  from: string;
  code: string;
  said: Message;
}

const conv = (id: string, extra: Partial<ModuleNode> = {}): ModuleNode => ({
  id,
  op: 'Conv',
  args: ['c1', 'c2', 1],
  ...extra,
});
const spec = (body: ModuleNode[], extra: Partial<ModuleSpec> = {}): ModuleSpec => ({
  name: 'Block',
  description: 'x',
  args: [{ name: 'c1' }, { name: 'c2' }],
  body,
  ...extra,
});

const REFUSED: [string, ModuleSpec][] = [
  ['a class name that is not an identifier', spec([conv('y')], { name: '1Block' })],
  ['an argument named as the code', spec([conv('y')], { args: [{ name: 'self' }, { name: 'c2' }] })],
  ['an input named as the code', spec([conv('y')], { inputs: ['torch'] })],
  ['a loop variable named as the code', spec([conv('y{F}', { for: { F: 'range(2)' } })])],
  ['a name that is not an argument', spec([conv('y', { args: ['c1', 'c3 * 2', 1] })])],
  ['an expression that does not parse', spec([conv('y', { args: ['c1', 'c2 +', 1] })])],
  ['an attribute', spec([conv('y', { args: ['c1', 'c2.real', 1] })])],
  ['a call of a call', spec([conv('y', { args: ['c1', 'max(c1, c2)(1)', 1] })])],
  ['an unknown function', spec([conv('y', { args: ['c1', 'hex(c2)', 1] })])],
  ['an unknown keyword', spec([conv('y', { args: ['c1', 'max(c1, c2, key=1)', 1] })])],
  ['an unknown torch.nn module', spec([{ id: 'y', op: 'nn.Frobnicate' }])],
  ['an unknown module', spec([{ id: 'y', op: 'Frobnicate' }])],
  ['a module YOLOv5 cannot import', spec([{ id: 'y', op: 'Detect' }])],
  ['a module name with two underscores', spec([conv('__y')])],
  ['containers two deep', spec([conv('a.b.c')])],
  ['a container that is not a plain name', spec([conv('a{i}.0', { for: { i: 'range(2)' } })])],
  ['a container key that is a word', spec([conv('a.b')])],
  ['a container key of two parts', spec([conv('a.x{i}', { for: { i: 'range(2)' } })])],
  ['an attribute that is not a name', spec([conv('a-{i}', { for: { i: 'range(2)' } })])],
  ['a plain name that is not a name', spec([conv('a-b')])],
  ['a loop over two variables', spec([conv('y{i}', { for: { i: 'range(2)', j: 'range(2)' } })])],
  ['a module attribute', spec([conv('training')])],
  ['an unknown name in a check', spec([conv('y')], { check: [{ assert: 'c3 > 0', message: 'x' }] })],
  ['an unknown name in a var', spec([conv('y')], { vars: [['h', 'c3']] })],
  ['an output that no node makes', spec([conv('y')], { out: 'nope' })],
  ['an unknown repeat count', spec([conv('y', { repeat: 'n' })])],
  ['an unknown condition', spec([conv('y', { when: 'c3' })])],
  ['an unknown container key', spec([conv('cv.{k}')])],
  ['an unknown range of inputs', spec([conv('y'), { id: 'z', op: 'cat', in: ['y for i in range(c3)'] }])],
  ['batch norm without channels', spec([{ id: 'y', op: 'nn.BatchNorm2d' }])],
  ['range() with three arguments', spec([conv('y{i}', { for: { i: 'range(0, 4, 2)' } })])],
  ['a split that is also a value', spec([{ id: 'y', op: 'split', args: [2] }, conv('y')])],
  ['a read of nothing', spec([conv('y', { in: 'nope' })])],
  ['a use of a module not built', spec([conv('y'), { id: 'z', use: 'nope' }])],
  ['an add of one input', spec([conv('y'), { id: 'z', op: 'add', in: ['y'] }])],
  ['a split without a size', spec([conv('y'), { id: 'z', op: 'split' }])],
  ['a permute without its list', spec([conv('y'), { id: 'z', op: 'permute' }])],
  ['nn.Conv2d without channels', spec([{ id: 'y', op: 'nn.Conv2d' }])],
  ['nn.ConvTranspose2d without channels', spec([{ id: 'y', op: 'nn.ConvTranspose2d' }])],
  ['a learned parameter repeated', spec([conv('y'), { id: 'p', op: 'param', args: [['c2', 1, 1]], repeat: 2 }])],
  [
    'a learned parameter in a container',
    spec([conv('y'), { id: 'p', op: 'param', args: [['c2', 1, 1]], name: 'ps.0' }]),
  ],
  [
    'a loop variable in forward named as the code',
    spec([conv('y'), { id: 'z', op: 'cat', in: ['y for F in range(2)'] }]),
  ],
  ['a base that is a function', spec([], { base: { op: 'add' } })],
];

/** What the generator and the exports refuse, each as the message they give. */
export function codegenSamples(): Sample[] {
  const out: Sample[] = [];
  const generated = new Map<string, ModuleSpec>();
  const ctx = { generated, lookup: (n: string) => defaultRegistry.get(n) };
  for (const [what, s] of REFUSED) {
    try {
      generateClass(s, ctx);
      out.push({
        from: `codegen: ${what}`,
        code: 'codegen',
        said: { code: 'unexpected-error', params: { text: 'written' } },
      });
    } catch (e) {
      if (!(e instanceof CodegenError)) throw e;
      out.push({ from: `codegen: ${what}`, code: 'codegen', said: e.msg });
    }
  }
  const patches: [string, () => unknown][] = [
    ['a YOLOv5 patch for a class that is no name', () => yolov5Patch(YOLOV5_TARGETS[0], '', ['1x'], [])],
    ['an Ultralytics patch for a class that is no name', () => ultralyticsPatch('', ['1x'], [])],
  ];
  for (const [what, f] of patches)
    try {
      f();
    } catch (e) {
      if (!(e instanceof CodegenError)) throw e;
      out.push({ from: `codegen: ${what}`, code: 'codegen', said: e.msg });
    }
  // through the exports: a module using itself, names the frameworks have, a parse rule they cannot be told
  const lib = (text: string) => parseModuleLibrary(text, 'u.modules.yaml', () => true);
  const fine = (name: string) => `${name}:\n  args: [c1, c2]\n  body: [{id: y, op: Conv, args: [c1, c2, 1]}]\n`;
  // what no library file can say (its reader refuses it first), said to the export by changing what was read
  const edited = (l: ModuleLibrary | string, f: (s: ModuleSpec) => ModuleSpec): ModuleLibrary => {
    const read = typeof l === 'string' ? lib(l) : l;
    return { ...read, specs: read.specs.map(f) };
  };
  const model = (m: string) =>
    `nc: 2\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\nbackbone:\n  [[-1, 1, Conv, [16, 3, 2]], [-1, 1, ${m}, [16]]]\nhead:\n  [[-1, 1, Conv, [16, 1, 1]]]\n`;
  const v11 = (m: string) =>
    `nc: 2\nscales:\n  n: [0.5, 0.25, 1024]\nbackbone:\n  - [-1, 1, Conv, [16, 3, 2]]\n  - [-1, 1, ${m}, [16]]\nhead:\n  - [[1], 1, Detect, [nc]]\n`;
  const exports: [string, () => { errors: Sample['said'][] }][] = [
    [
      'a module named as YOLOv5 names one',
      () =>
        exportForYolov5('m', model('Model'), [
          lib('Model:\n  args: [c1, c2]\n  body: [{id: y, op: Conv, args: [c1, c2, 1]}]\n'),
        ]),
    ],
    [
      'a module read like batch norm',
      () => exportForYolov5('m', model('Bn'), [edited(fine('Bn'), (s) => ({ ...s, parse: 'batchNorm' }))]),
    ],
    [
      'two modules using each other',
      () =>
        exportForYolov5('m', model('Ping'), [
          edited(lib(`${fine('Ping')}${fine('Pong')}`), (s) => ({
            ...s,
            body: [{ id: 'y', op: s.name === 'Ping' ? 'Pong' : 'Ping', args: ['c1', 'c2'] }],
          })),
        ]),
    ],
    [
      'a module named as Ultralytics names one',
      () =>
        exportForUltralytics('m', v11('DetectionModel'), [
          lib('DetectionModel:\n  args: [c1, c2]\n  body: [{id: y, op: Conv, args: [c1, c2, 1]}]\n'),
        ]),
    ],
    [
      'a string argument YOLOv5 would eval()',
      () => exportForYolov5('m', model('Conv').replace('[16]]]', `[16, '__import__("os")']]]`), []),
    ],
  ];
  // Conv's default activation where the family has no Conv
  try {
    generateClass(spec([{ id: 'a', op: 'activation' }]), { generated, lookup: () => undefined });
  } catch (e) {
    if (!(e instanceof CodegenError)) throw e;
    out.push({ from: 'codegen: an activation without a Conv', code: 'codegen', said: e.msg });
  }
  for (const [what, f] of exports)
    for (const said of f().errors) out.push({ from: `export: ${what}`, code: 'codegen', said });
  return out;
}
