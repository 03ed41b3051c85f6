/**
 * The diagnostics catalog against what src/core really says: a corpus of configs (the bundled ones, the
 * reference configs when present, and configs broken on purpose, one or more per message), module
 * libraries, edits, trials and checkpoints. Every message must come back in Chinese with its numbers and
 * quoted names intact, English must come back byte for byte, and every catalog entry must be reached.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analyze,
  analyzeDoc,
  buildAnalyzedLayer,
  command,
  crc32,
  defaultLibrary,
  deleteLayers,
  loadLibraryChain,
  moduleCommand,
  openDoc,
  parseModelText,
  parseModuleLibrary,
  readCheckpoint,
  setLibraryEntry,
  tryModule,
  type ModuleSpec,
  type EditSpec,
  type ModuleEdit,
  type Registry,
} from '../src/core/index.ts';
import { hasReference, PROJECT_DIR, referencePath } from '../src/testing/reference-paths.ts';
import {
  catalogEntries,
  CHECKPOINT_ERROR,
  EDIT_FAILED,
  entriesUsed,
  EXPORT_REFUSED,
  LIBRARY_EDIT_ERROR,
  LIBRARY_FILE,
  localizeMessage,
  MODULE_EDIT_FAILED,
} from './diagnostics-i18n.ts';

interface Sample {
  code: string | undefined;
  message: string;
  /** Where it came from, for failure reports. */
  from: string;
}

const CJK = /[\u4e00-\u9fff]/;

// ---------------------------------------------------------------- the corpus

const yamlFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });

const defaultRegistry = loadLibraryChain([], [defaultLibrary()]).registry;

/** A small valid model around the given rows (backbone) and head, header lines replaceable. */
function tiny(
  backbone: string[],
  head: string[] = ['[[1], 1, Detect, [nc, anchors]]'],
  header: Record<string, string | null> = {},
): string {
  const h: Record<string, string | null> = {
    nc: '2',
    depth_multiple: '1.0',
    width_multiple: '1.0',
    anchors: '[[10, 13, 16, 30, 33, 23]]',
    ...header,
  };
  const lines = Object.entries(h)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\n')}\nbackbone:\n  [\n${backbone.map((r) => `    ${r},`).join('\n')}\n  ]\nhead:\n  [\n${head.map((r) => `    ${r},`).join('\n')}\n  ]\n`;
}
const TWO = ['[-1, 1, Conv, [16, 3, 2]]', '[-1, 1, Conv, [32, 3, 2]]'];
/** Two convolutions, then the rows under test, then no head (rows under test read layer 1, 32 channels at 160x160). */
const rows = (...r: string[]) => tiny([...TWO, ...r], []);

/** Configs broken on purpose: [what, text, imgsz?]. */
const BROKEN: [string, string, number?][] = [
  ['file too large', `#${' '.repeat(4 * 1024 * 1024)}`],
  ['yaml: flow sequence not closed', 'nc: 80\nbackbone:\n  [[-1, 1, Conv, [64, 3]]\n'],
  ['yaml: nested mapping', 'a: b: c\n'],
  ['yaml: multi-line key', 'nc: 80\n  depth: 1\n'],
  ['yaml: missing quote', 'nc: "abc\n'],
  ['yaml: tab', 'nc: 80\n\tdepth_multiple: 1\n'],
  ['yaml: sequence then mapping', '- a\nb: c\n'],
  ['yaml: unaligned sequence', 'backbone:\n  - [-1, 1, Conv, [64]]\n   - [-1, 1, Conv, [64]]\n'],
  ['yaml: directive', 'nc: 80\n%YAML 1.1\n'],
  ['yaml: reserved character', 'nc: @bad\n'],
  ['yaml: unaligned mapping', 'a:\n  - b\n  c: d\n'],
  ['yaml: stray bracket', '[a, b]]\n'],
  ['yaml: two documents', 'nc: 3\n---\nnc: 4\n'],
  ['yaml: double comma', 'nc: [1, 2,, 3]\n'],
  ['yaml: double comma in map', 'nc: {a: 1,, b: 2}\n'],
  ['yaml: bad escape', 'nc: "a\\q"\n'],
  ['yaml: block scalar header', 'nc: |x\n  a\n'],
  ['yaml: key then sequence', 'key: value\n- item\n'],
  ['yaml: missing comma', 'nc: [1 2: 3, 4: 5 6]\n'],
  ['yaml: unknown tag', tiny(TWO, undefined, { nc: '!foo 3' })],
  ['empty file', ''],
  ['a list, not a mapping', '- a\n- b\n'],
  ['duplicate key', tiny(TWO, undefined, { nc: '2\nnc: 3' })],
  [
    'aliases expanding too far',
    `x: &a [${'1, '.repeat(99)}1]\ny: &b [${'*a, '.repeat(99)}*a]\nanchors: [${'*b, '.repeat(29)}*b]\n`,
  ],
  ['backbone not a list', 'nc: 2\ndepth_multiple: 1\nwidth_multiple: 1\nanchors: 3\nbackbone: 3\nhead: []\n'],
  ['row with three items', rows('[-1, 1, Conv]')],
  ['row a single value', rows('5')],
  ['arguments not a list', rows('[-1, 1, Conv, 64]')],
  ['missing nc', tiny(TWO, undefined, { nc: null })],
  ['missing head', 'nc: 2\ndepth_multiple: 1\nwidth_multiple: 1\nanchors: 3\nbackbone: [[-1, 1, Conv, [16, 3, 2]]]\n'],
  ['bad depth_multiple', tiny(TWO, undefined, { depth_multiple: 'abc' })],
  ['nc 0', tiny(TWO, undefined, { nc: '0' })],
  ['ch 0', tiny(TWO, undefined, { ch: '0' })],
  ['channel_multiple 5000', tiny(TWO, undefined, { channel_multiple: '5000' })],
  ['bad activation', tiny(TWO, undefined, { activation: 'foo' })],
  ['anchors odd', tiny(TWO, undefined, { anchors: '[[10, 13, 16], [1, 2, 3]]' })],
  ['anchors a word', tiny(TWO, undefined, { anchors: 'foo' })],
  [
    'too many rows',
    tiny(
      Array.from({ length: 2001 }, () => '[-1, 1, nn.Identity, []]'),
      [],
    ),
  ],
  ['unknown module with a hint', rows('[-1, 3, C3x9, [128]]')],
  ['unknown module', rows('[-1, 1, Zzzqqq, [128]]')],
  ['module spelled without nn.', rows('[-1, 1, Upsample, [None, 2]]')],
  ['bad from', rows('[x, 1, Conv, [16]]')],
  ['from forward', rows('[5, 1, Conv, [16]]')],
  ['from itself at layer 0', tiny(['[0, 1, Conv, [16, 3, 2]]'], [])],
  ['from out of range at 0', tiny(['[-2, 1, Conv, [16, 3, 2]]'], [])],
  ['from out of range', rows('[-5, 1, Conv, [16]]')],
  ['repeats 0', rows('[-1, 0, Conv, [16]]')],
  ['repeats 5000', rows('[-1, 5000, Conv, [16]]')],
  ['Concat repeated', rows('[[-1, 0], 2, Concat, [1]]')],
  ['argument not Python', rows("[-1, 1, Conv, ['1 +']]")],
  ['argument fails', rows("[-1, 1, Conv, ['1 / 0']]")],
  ['two inputs for Conv', rows('[[-1, 0], 1, Conv, [16]]')],
  ['Conv without arguments', rows('[-1, 1, Conv, []]')],
  ['C3 without arguments', rows('[-1, 1, C3, []]')],
  ['Conv channels a boolean', rows('[-1, 1, Conv, [True]]')],
  ['Concat from one layer', rows('[-1, 1, Concat, [1]]')],
  ['Detect from one layer', tiny(TWO, ['[-1, 1, Detect, [nc, anchors]]'])],
  ['Detect without anchors', tiny(TWO, ['[[1], 1, Detect, [nc]]'])],
  ['Segment without nm', tiny(TWO, ['[[1], 1, Segment, [nc, anchors]]'])],
  ['Segment npr a word', tiny(TWO, ['[[1], 1, Segment, [nc, anchors, 32, abc]]'])],
  ['Contract without gain', rows('[-1, 1, Contract, []]')],
  ['Conv with too many arguments', rows('[-1, 1, Conv, [16, 3, 1, None, 1, 1, True, 9]]')],
  ['Upsample with too many arguments', rows('[-1, 1, nn.Upsample, [None, 2, nearest, False, False, 1]]')],
  ['MaxPool2d without kernel', rows('[-1, 1, nn.MaxPool2d, []]')],
  ['TransformerBlock without arguments', rows('[-1, 1, TransformerBlock, []]')],
  ['TransformerLayer without arguments', rows('[-1, 1, TransformerLayer, []]')],
  ['Bottle2neck without shortcut', rows('[-1, 1, Bottle2neck, [32]]')],
  ['ZeroPad2d without padding', rows('[-1, 1, nn.ZeroPad2d, []]')],
  ['Conv kernel a word', rows('[-1, 1, Conv, [16, abc]]')],
  ['Conv groups a word', rows('[-1, 1, Conv, [16, 3, 1, None, abc]]')],
  ['C3 e a word', rows('[-1, 1, C3, [16, True, 1, abc]]')],
  ['Conv padding a word', rows('[-1, 1, Conv, [16, 3, 1, abc]]')],
  ['SPP k a word', rows('[-1, 1, SPP, [16, abc]]')],
  ['ZeroPad2d a word', rows('[-1, 1, nn.ZeroPad2d, [abc]]')],
  ['Upsample mode a number', rows('[-1, 1, nn.Upsample, [None, 2, 5]]')],
  ['Conv act a number', rows('[-1, 1, Conv, [16, 3, 1, None, 1, 1, 5]]')],
  ['MaxPool2d stride a word', rows('[-1, 1, nn.MaxPool2d, [2, abc]]')],
  ['Upsample size a word', rows('[-1, 1, nn.Upsample, [abc, 2]]')],
  ['absurd channels', rows('[-1, 1, Conv, [2000000]]')],
  ['impossible channels', rows('[-1, 1, Conv, [-64]]')],
  ['channel bookkeeping', rows('[-1, 1, TransformerBlock, [32, 64, 4, 1]]')],
  ['no head', rows()],
  [
    'Detect not last',
    tiny(['[-1, 1, Conv, [16, 3, 2]]', '[[0], 1, Detect, [nc, anchors]]', '[-1, 1, Conv, [16, 3, 2]]'], []),
  ],
  ['input size rounded', tiny(TWO), 600],
  ['input size 0', tiny(TWO), 0],
  ['convolution vanishes', tiny(['[-1, 1, Conv, [16, 5, 1, 0]]'], []), 3],
  ['max pooling vanishes', rows('[-1, 1, nn.MaxPool2d, [300]]')],
  ['upsampling vanishes', rows('[-1, 1, nn.Upsample, [None, 0.001]]')],
  ['padding vanishes', rows('[-1, 1, nn.ZeroPad2d, [-100]]')],
  ['transposed convolution vanishes', rows('[-1, 1, nn.ConvTranspose2d, [16, 1, 1, 200]]')],
  ['kernel 0', rows('[-1, 1, Conv, [16, 0]]')],
  ['output padding too big', rows('[-1, 1, nn.ConvTranspose2d, [16, 2, 2, 0, 3]]')],
  ['attention heads do not divide', rows('[-1, 1, TransformerBlock, [32, 32, 3, 1]]')],
  ['pool padding too big', rows('[-1, 1, nn.MaxPool2d, [3, 1, 5]]')],
  ['pool kernel 0', rows('[-1, 1, nn.MaxPool2d, [0]]')],
  ['Concat of different sizes', rows('[[-1, 0], 1, Concat, [1]]')],
  ['Bottle2neck residual', rows('[-1, 1, Bottle2neck, [64, True]]')],
  ['GhostBottleneck residual', rows('[-1, 1, GhostBottleneck, [64, 3, 1]]')],
  ['Focus on an odd size', tiny(['[-1, 1, Focus, [16, 3]]'], []), 63],
  ['Contract on an odd size', tiny(['[-1, 1, Contract, [2]]'], []), 63],
  ['Expand of 6 channels', tiny(['[-1, 1, Expand, [2]]'], [], { ch: '6' })],
  ['channel mismatch', rows('[-1, 1, TransformerBlock, [64, 64, 4, 1]]')],
  ['convolution of 0 channels', rows('[-1, 1, nn.ConvTranspose2d, [0, 3]]')],
  ['Bottle2neck group width 0', rows('[-1, 1, Bottle2neck, [2, False, 1]]')],
  ['groups do not divide', rows('[-1, 1, Conv, [16, 3, 1, None, 5]]')],
  ['Detect anchors a word', tiny(TWO, ["[[1], 1, Detect, [nc, 'foo']]"])],
  ['Detect anchors uneven', tiny(TWO, ['[[0, 1], 1, Detect, [nc, [[1, 2, 3, 4], [1, 2]]]]'])],
  ['Detect nc 0', tiny(TWO, ['[[1], 1, Detect, [0, anchors]]'])],
  ['anchor levels', tiny(TWO, ['[[0, 1], 1, Detect, [nc, anchors]]'])],
  ['Segment masks 0', tiny(TWO, ['[[1], 1, Segment, [nc, anchors, 0, 64]]'])],
  ['Bottle2neck scale 0', rows('[-1, 1, Bottle2neck, [32, True, 26, 0]]')],
  ['MixConv2d without kernels', rows('[-1, 1, MixConv2d, [32, []]]')],
  ['MaxPool2d return_indices', rows('[-1, 1, nn.MaxPool2d, [2, 2, 0, 1, True]]')],
  ['Upsample bicubic', rows('[-1, 1, nn.Upsample, [None, 2, bicubic]]')],
  ['Upsample align_corners', rows('[-1, 1, nn.Upsample, [None, 2, nearest, True]]')],
  ['Upsample size and scale', rows('[-1, 1, nn.Upsample, [4, 2]]')],
  ['Upsample neither', rows('[-1, 1, nn.Upsample, [None, None]]')],
  ['Upsample negative scale', rows('[-1, 1, nn.Upsample, [None, -1]]')],
  ['Upsample scale factor a list of three', rows('[-1, 1, nn.Upsample, [None, [1, 2, 3]]]')],
  ['Concat along dimension 2', rows('[[-1, 1], 1, Concat, [2]]')],
  ['Bottleneck drops its residual', rows('[-1, 1, Bottleneck, [64]]')],
  ['CrossConv drops its residual', rows('[-1, 1, CrossConv, [64, 3, 1, 1, 1.0, True]]')],
  ['SE changes channels', rows('[-1, 1, SE, [64]]')],
];

/** A library with modules that fail when built, and the rows that use them. */
const FAILING_LIBRARY = `
DivZero:
  args: [c1, c2]
  vars: {c_: c1 // 0}
  body: [{id: y, op: Conv, args: [c1, c2, 1]}]
NameErr:
  args: [c1, c2]
  vars: {c_: foo + 1}
  body: [{id: y, op: Conv, args: [c1, c2, 1]}]
BadRepeat:
  args: [c1, c2]
  body: [{id: y, op: Conv, args: [c1, c1, 1], repeat: c1 / 3}]
BadLoop:
  args: [c1, c2]
  body: [{for: {i: c1 * 1.5}, body: [{id: 'y{i}', op: pass}]}]
LongLoop:
  args: [c1, c2]
  body: [{for: {i: range(100000)}, body: [{id: 'y{i}', op: pass}]}]
SplitZero:
  args: [c1, c2]
  body: [{id: s, op: split, args: [0]}]
SplitSum:
  args: [c1, c2]
  body: [{id: s, op: split, args: [[1, 2]]}]
PoolOut:
  args: [c1, c2]
  body: [{id: p, op: nn.AdaptiveAvgPool2d, args: [2]}]
ReadsNothing:
  args: [c1, c2]
  body: [{id: y, op: Conv, args: [c1, c2, 1], in: nope}]
UsesNothing:
  args: [c1, c2]
  body: [{id: y, use: nothing}]
OutNothing:
  args: [c1, c2]
  body: [{id: y, op: Conv, args: [c1, c2, 1]}]
  out: zzz
AddOne:
  args: [c1, c2]
  body: [{id: y, op: add, in: x}]
AddMismatch:
  args: [c1, c2]
  body: [{id: c, op: Conv, args: [c1, c2, 1]}, {id: y, op: add, in: [x, c]}]
MulMismatch:
  args: [c1, c2]
  body: [{id: c, op: Conv, args: [c1, c2, 1]}, {id: y, op: mul, in: [x, c]}]
WrongInput:
  args: [c1, c2]
  body: [{id: y, op: nn.Conv2d, args: [c2, c2, 1]}]
NeedsK:
  args: [c1, c2, k]
  body: [{id: y, op: Conv, args: [c1, c2, k]}]
OwnCheck:
  args: [c1, c2]
  check: [[c1 == c2, "my block wants c1 == c2"]]
  body: [{id: y, op: Conv, args: [c1, c2, 1]}]
`;
const FAILING_ROWS = [
  'DivZero',
  'NameErr',
  'BadRepeat',
  'BadLoop',
  'LongLoop',
  'SplitZero',
  'SplitSum',
  'PoolOut',
  'ReadsNothing',
  'UsesNothing',
  'OutNothing',
  'AddOne',
  'AddMismatch',
  'MulMismatch',
  'WrongInput',
  'NeedsK',
  'OwnCheck',
];

/** Module libraries with problems of their own. */
const BROKEN_LIBRARIES: [string, string][] = [
  ['too large', `#${' '.repeat(1024 * 1024)}`],
  ['yaml syntax', 'SE: {args: [c1\n'],
  ['not a mapping', '- a\n- b\n'],
  ['unresolved alias', 'A: *x\n'],
  ['bad name', '1abc: {args: [c1, c2], body: [{id: y, op: pass}]}\n'],
  ['built-in name', 'Conv: {args: [c1, c2], body: [{id: y, op: pass}]}\n'],
  ['module not a mapping', 'Foo: 5\n'],
  ['unknown op', 'Foo: {args: [c1, c2], body: [{id: y, op: Nope}]}\n'],
  ['bad when', "Foo: {args: [c1, c2], body: [{id: y, op: pass, when: 'c1 +'}]}\n"],
  ['bad var', "Foo: {args: [c1, c2], vars: {k: 'c1 )'}, body: [{id: y, op: pass}]}\n"],
  ['bad check', "Foo: {args: [c1, c2], check: [['1 1', 'msg']], body: [{id: y, op: pass}]}\n"],
  ['bad check number', "Foo: {args: [c1, c2], check: [['1.2.3', 'msg']], body: [{id: y, op: pass}]}\n"],
  ['bad ternary', "Foo: {args: [c1, c2], vars: {k: '1 if c1'}, body: [{id: y, op: pass}]}\n"],
  ['bad attribute', "Foo: {args: [c1, c2], vars: {k: 'nn.1'}, body: [{id: y, op: pass}]}\n"],
  ['expected bracket', "Foo: {args: [c1, c2], vars: {k: '(1, 2'}, body: [{id: y, op: pass}]}\n"],
  ['invalid character', "Foo: {args: [c1, c2], vars: {k: 'c1 $ 2'}, body: [{id: y, op: pass}]}\n"],
  ['missing comma', "Foo: {args: [c1, c2], vars: {k: 'min(1 2)'}, body: [{id: y, op: pass}]}\n"],
  ['no name after a dot', "Foo: {args: [c1, c2], vars: {k: 'x.('}, body: [{id: y, op: pass}]}\n"],
  ['leading zero', "Foo: {args: [c1, c2], vars: {k: '09'}, body: [{id: y, op: pass}]}\n"],
  ['matrix product', "Foo: {args: [c1, c2], vars: {k: '1 @ 2'}, body: [{id: y, op: pass}]}\n"],
  ['too long', `Foo: {args: [c1, c2], vars: {k: '${'1+'.repeat(1100)}1'}, body: [{id: y, op: pass}]}\n`],
  [
    'too deep',
    `Foo: {args: [c1, c2], vars: {k: '${'('.repeat(120)}1${')'.repeat(120)}'}, body: [{id: y, op: pass}]}\n`,
  ],
  ['unknown key', 'Foo: {args: [c1, c2], colour: red, body: [{id: y, op: pass}]}\n'],
  ['args not a list', 'Foo: {args: c1, body: [{id: y, op: pass}]}\n'],
  ['bad argument', "Foo: {args: ['1x'], body: [{id: y, op: pass}]}\n"],
  ['no body', 'Foo: {args: [c1, c2], body: []}\n'],
  ['bad family', 'Foo: {args: [c1, c2], family: odd, body: [{id: y, op: pass}]}\n'],
  ['bad parse', 'Foo: {args: [c1, c2], parse: odd, body: [{id: y, op: pass}]}\n'],
  ['vars a list', 'Foo: {args: [c1, c2], vars: [1], body: [{id: y, op: pass}]}\n'],
  ['check not a pair', 'Foo: {args: [c1, c2], check: [1], body: [{id: y, op: pass}]}\n'],
  ['node without op', 'Foo: {args: [c1, c2], body: [{id: y}]}\n'],
  ['uses itself', 'Foo: {args: [c1, c2], body: [{id: y, op: Foo, args: [c1, c2]}]}\n'],
];

/** Expressions that fail when a custom module evaluates them (pyexpr's evaluation errors, through custom-expression). */
const FAILING_EXPRESSIONS = [
  'abs([1])',
  '-[1]',
  'min()',
  'len(3)',
  'abs(nn)',
  'nn.Conv9(1)',
  'nn.SiLU(1, 2)',
  'nn.LeakyReLU(slope=1)',
  '[1] + 1',
  '5 % 0',
  '1 if c1 else',
];

const edits = (): [string, EditSpec][] => [
  ['delete a missing layer', { type: 'delete', layers: [99] }],
  ['delete nothing', { type: 'delete', layers: [] }],
  ['insert far away', { type: 'insert', at: 99, row: '[-1, 1, Conv, [16]]' }],
  ['insert two lines', { type: 'insert', at: 1, row: '[-1, 1,\n Conv, [16]]' }],
  ['insert into the head too early', { type: 'insert', at: 1, row: '[-1, 1, Conv, [16]]', section: 'head' }],
  ['insert a bad from', { type: 'insert', at: 1, row: '[x, 1, Conv, [16]]' }],
  ['insert from out of range', { type: 'insert', at: 1, row: '[-5, 1, Conv, [16]]' }],
  ['insert at 0 from out of range', { type: 'insert', at: 0, row: '[3, 1, Conv, [16]]' }],
  ['insert not a row', { type: 'insert', at: 1, row: '[-1, 1, Conv, [16]], [1' }],
  ['move far away', { type: 'move', from: 1, to: 99 }],
  ['move to the wrong section', { type: 'move', from: 1, to: 2, section: 'head' }],
  ['unknown module', { type: 'setModule', layer: 1, module: 'Convv' }],
  ['not a module name', { type: 'setModule', layer: 1, module: '1 2' }],
  ['replace with an unknown module', { type: 'replaceModule', from: 'Conv', to: 'Zzzqqq' }],
  ['replace a module no layer uses', { type: 'replaceModule', from: 'Focus', to: 'Conv' }],
  ['an empty argument', { type: 'setArgs', layer: 1, args: ['16', ' '] }],
  ['a gap in the arguments', { type: 'setArg', layer: 1, index: 7, value: '1' }],
  ['two arguments as one', { type: 'setArg', layer: 1, index: 0, value: '1], [2' }],
  ['an empty argument alone', { type: 'setArg', layer: 1, index: 0, value: ' ' }],
  ['three arguments that are four', { type: 'setArgs', layer: 1, args: ['16', '3', '1], [2'] }],
  ['repeats 0', { type: 'setRepeats', layer: 1, n: 0 }],
  ['from a word', { type: 'setFrom', layer: 1, from: 'x' as unknown as number }],
  ['from out of range', { type: 'setFrom', layer: 1, from: 5 }],
  ['add an input at a missing position', { type: 'addInput', layer: 1, ref: 0, position: 5 }],
  ['remove a missing input', { type: 'removeInput', layer: 1, position: 3 }],
  ['remove the only input', { type: 'removeInput', layer: 1, position: 0 }],
  ['not a header key', { type: 'setHeader', key: 'colour' as 'nc', value: 'red' }],
  ['a two-line header value', { type: 'setHeader', key: 'nc', value: '3\n4' }],
  ['unknown scale', { type: 'scale', scale: 'q' as 'n' }],
  ['unknown edit', { type: 'frobnicate' } as unknown as EditSpec],
  ['a batch that fails', { type: 'batch', edits: [{ type: 'delete', layers: [99] }] }],
  ['a text change outside the text', { type: 'editText', changes: [{ from: 5, to: 999999, insert: '' }] }],
  [
    'overlapping text changes',
    {
      type: 'editText',
      changes: [
        { from: 5, to: 10, insert: '' },
        { from: 8, to: 12, insert: '' },
      ],
    },
  ],
  ['nothing to set', { type: 'setRepeats', layer: 1, n: 1 }],
  ['an edit that breaks the YAML', { type: 'setArgs', layer: 1, args: ['16', '"3'] }],
  ['a quote over two lines', { type: 'setArgs', layer: 1, args: ['16', '"a\nb'] }],
  ['a key over two lines', { type: 'setArgs', layer: 1, args: ['16', 'a\n  b: ['] }],
  ['a bracket over two lines', { type: 'setArg', layer: 1, index: 1, value: '3]\n]' }],
  ['an open mapping', { type: 'setArg', layer: 1, index: 1, value: '{a: 1' }],
  ['two arguments for one', { type: 'setArg', layer: 2, index: 0, value: '1], [2' }],
];

/** Module editor edits refused, on a module (c1, c2, r=16; c_ = c1 // r; cv, y, then s = x + y). */
const MODULE_EDITS: ModuleEdit[] = [
  { type: 'setInfo', key: 'name', value: '1bad' },
  { type: 'setInfo', key: 'description', value: ' ' },
  { type: 'addArg', arg: { name: 'c1' } },
  { type: 'addArg', arg: { name: 'k' } },
  { type: 'addArg', arg: { name: 'a b' } },
  { type: 'setArg', index: 9, arg: { name: 'z' } },
  { type: 'removeArg', index: 9 },
  { type: 'addVar', name: 'h', expr: ' ' },
  { type: 'addVar', name: 'r', expr: '2' },
  { type: 'addVar', name: '9h', expr: '2' },
  { type: 'setVar', index: 9, name: 'h', expr: '2' },
  { type: 'removeVar', index: 9 },
  { type: 'addNode', node: { id: 'cv', op: 'Conv' } },
  { type: 'addNode', node: { id: 'z', op: 'Conv' }, at: 99 },
  { type: 'setNode', index: 9, node: { id: 'z', op: 'Conv' } },
  { type: 'setNode', index: 0, node: { id: '1z', op: 'Conv' } },
  { type: 'setNode', index: 0, node: { id: 'y', op: 'Conv' } },
  { type: 'setNode', index: 0, node: { id: 'cv' } },
  { type: 'setNode', index: 0, node: { id: 'cv', op: 'Conv', in: 'nope' } },
  { type: 'removeNode', index: 9 },
  { type: 'connect', source: 'nope', target: 1 },
  { type: 'connect', source: 'y', target: 0 },
  { type: 'connect', source: 'cv', target: 1 },
  { type: 'connect', source: 'y', target: 2 },
  { type: 'connect', source: 'x', target: 9 },
  { type: 'disconnect', source: 'x', target: 9 },
  { type: 'setOut', value: 'nope' },
  { type: 'setInputs', inputs: [] },
  { type: 'setInputs', inputs: ['a', 'a'] },
  { type: 'setInputs', inputs: ['c1'] },
  { type: 'setInputs', inputs: ['1a'] },
];
const MODULE: ModuleSpec = {
  name: 'Block',
  description: 'A block.',
  args: [{ name: 'c1' }, { name: 'c2' }, { name: 'r', default: '16' }],
  vars: [['c_', 'c1 // r']],
  body: [
    { id: 'cv', op: 'Conv', args: ['c1', 'c_', 1], in: 'x' },
    { id: 'y', op: 'Conv', args: ['c_', 'c2', 1], in: 'cv' },
    { id: 's', op: 'add', in: ['x', 'y'] },
  ],
};

function checkpointBytes(): [string, Uint8Array][] {
  const enc = new TextEncoder();
  const u16 = (n: number) => [n & 255, (n >>> 8) & 255];
  const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
  const zip = (files: [string, Uint8Array][], method = 0): Uint8Array => {
    const out: number[] = [];
    const central: number[] = [];
    for (const [name, data] of files) {
      const nb = enc.encode(name);
      const offset = out.length;
      const crc = crc32(data);
      out.push(
        ...u32(0x04034b50),
        ...u16(20),
        ...u16(0),
        ...u16(method),
        ...u16(0),
        ...u16(0),
        ...u32(crc),
        ...u32(data.length),
        ...u32(data.length),
        ...u16(nb.length),
        ...u16(0),
        ...nb,
        ...data,
      );
      central.push(
        ...u32(0x02014b50),
        ...u16(20),
        ...u16(20),
        ...u16(0),
        ...u16(method),
        ...u16(0),
        ...u16(0),
        ...u32(crc),
        ...u32(data.length),
        ...u32(data.length),
        ...u16(nb.length),
        ...u16(0),
        ...u16(0),
        ...u16(0),
        ...u16(0),
        ...u32(0),
        ...u32(offset),
        ...nb,
      );
    }
    const cd = out.length;
    out.push(
      ...central,
      ...u32(0x06054b50),
      ...u16(0),
      ...u16(0),
      ...u16(files.length),
      ...u16(files.length),
      ...u32(central.length),
      ...u32(cd),
      ...u16(0),
    );
    return new Uint8Array(out);
  };
  const pkl = (ops: string) => Uint8Array.from(ops, (c) => c.charCodeAt(0));
  return [
    ['not a zip', enc.encode('hello, this is not a checkpoint at all')],
    [
      'legacy',
      new Uint8Array([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0, 0, 0]),
    ],
    ['PK and nothing', enc.encode('PK\u0003\u0004 and then nothing useful here')],
    ['PK, short', enc.encode('PK')],
    ['no data.pkl', zip([['archive/version', enc.encode('3\n')]])],
    [
      'two data.pkl',
      zip([
        ['a/data.pkl', pkl('N.')],
        ['b/data.pkl', pkl('N.')],
      ]),
    ],
    ['compressed', zip([['archive/data.pkl', pkl('N.')]], 8)],
    ['None', zip([['archive/data.pkl', pkl('N.')]])],
    ['an empty dict', zip([['archive/data.pkl', pkl('}.')]])],
    ['a call to os.system', zip([['archive/data.pkl', pkl('\x80\x02cos\nsystem\nX\x02\x00\x00\x00ls\x85R.')]])],
    ['truncated pickle', zip([['archive/data.pkl', pkl('\x80\x02X\x09\x00\x00\x00ab')]])],
    ['pickle protocol 9', zip([['archive/data.pkl', pkl('\x80\x09N.')]])],
    ['malformed pickle', zip([['archive/data.pkl', pkl('0.')]])],
  ];
}

function corpus(): Sample[] {
  const out: Sample[] = [];
  const add = (from: string, ds: readonly { code: string; message: string }[]) =>
    out.push(...ds.map((d) => ({ code: d.code, message: d.message, from })));
  const model = (from: string, text: string, registry: Registry = defaultRegistry, imgsz?: number) => {
    const a = analyze(parseModelText(text, `${from}.yaml`), { registry, ...(imgsz !== undefined ? { imgsz } : {}) });
    add(from, a.diagnostics);
    // the look-inside view shows a failing layer's own message, without its code
    for (const l of a.layers) {
      if (l.ok || !l.def || !l.args) continue;
      const b = buildAnalyzedLayer(a, l.i);
      if (b?.error) out.push({ code: undefined, message: b.error.message, from: `${from}, inside layer ${l.i}` });
    }
    return a;
  };

  for (const f of yamlFiles(join(PROJECT_DIR, 'configs'))) model(f, readFileSync(f, 'utf8'));
  if (hasReference) for (const f of yamlFiles(referencePath('configs'))) model(f, readFileSync(f, 'utf8'));
  for (const [what, text, imgsz] of BROKEN) model(what, text, defaultRegistry, imgsz);

  const failing = loadLibraryChain([{ file: 'failing.modules.yaml', text: FAILING_LIBRARY }], [defaultLibrary()]);
  add('failing library', failing.diagnostics);
  // the rows read 32 channels and ask for 64
  for (const name of FAILING_ROWS) model(name, rows(`[-1, 1, ${name}, [64]]`), failing.registry);
  FAILING_EXPRESSIONS.forEach((x, k) => {
    const lib = loadLibraryChain(
      [
        {
          file: 'x.modules.yaml',
          text: `Expr${k}:\n  args: [c1, c2]\n  vars: {k: '${x}'}\n  body: [{id: y, op: pass}]\n`,
        },
      ],
      [defaultLibrary()],
    );
    add(`library for ${x}`, lib.diagnostics);
    model(`expression ${x}`, rows(`[-1, 1, Expr${k}, [32]]`), lib.registry);
  });
  for (const [what, text] of BROKEN_LIBRARIES)
    add(`library: ${what}`, parseModuleLibrary(text, `${what}.modules.yaml`).diagnostics);

  // the module editor's trial
  add('trial of SE', tryModule('SE', defaultRegistry, { c1: 16, hw: 8, rowArgs: '32' }).diagnostics);
  add(
    'trial of a failing module',
    tryModule('SplitSum', failing.registry, { c1: 16, hw: 8, rowArgs: '32' }).diagnostics,
  );

  // edits: a reference to a deleted layer, and edits refused
  const s = openDoc(readFileSync(join(PROJECT_DIR, 'configs/yolov5s.yaml'), 'utf8'), 'yolov5s.yaml');
  const del = deleteLayers(6).perform(s);
  add('layer 6 deleted', analyzeDoc(del.doc).diagnostics);
  add('layers 4 and 6 deleted', analyzeDoc(deleteLayers(4, 6).perform(s).doc).diagnostics);
  for (const [what, spec] of edits()) {
    const r = command(spec).perform(s);
    if (!r.ok && r.error) out.push({ code: EDIT_FAILED, message: r.error, from: `edit: ${what}` });
  }
  const broken = openDoc('nc: [1\n', 'broken.yaml');
  const r = deleteLayers(0).perform(broken);
  if (r.error) out.push({ code: EDIT_FAILED, message: r.error, from: 'edit of unreadable YAML' });
  // rows missing parts: no arguments, no number, no module, a single value, a 'from' that is a word
  const parts = openDoc(
    tiny(['[-1, 1, Conv, [16, 3, 2]]', '[-1, 1, Conv]', '[-1]', '[-1, 1]', '5', '[x, 1, Conv, [16]]'], []),
    'parts.yaml',
  );
  for (const spec of [
    { type: 'setArgs', layer: 1, args: ['16'] },
    { type: 'setRepeats', layer: 2, n: 2 },
    { type: 'setModule', layer: 3, module: 'Conv' },
    { type: 'setFrom', layer: 4, from: -1 },
    { type: 'addInput', layer: 5, ref: 0 },
    { type: 'setArg', layer: 0, index: 0, value: '1], [2' },
  ] as EditSpec[]) {
    const x = command(spec).perform(parts);
    if (!x.ok && x.error)
      out.push({ code: EDIT_FAILED, message: x.error, from: `edit of a row missing parts: ${spec.type}` });
  }
  const one = openDoc(tiny(['[-1, 1, Conv, [16, 3, 2]]'], []), 'one.yaml');
  for (const spec of [
    { type: 'setModule', layer: 0, module: 'SE' },
    { type: 'addInput', layer: 0, ref: -1 },
  ] as EditSpec[]) {
    const x = command(spec).perform(one);
    if (!x.ok && x.error) out.push({ code: EDIT_FAILED, message: x.error, from: `edit of one layer: ${spec.type}` });
  }

  // the module editor's edits refused, as its error line shows them (no code: it shows other texts too)
  for (const edit of MODULE_EDITS) {
    const x = moduleCommand(edit).perform(MODULE);
    if (!x.ok && x.error) {
      out.push({ code: MODULE_EDIT_FAILED, message: x.error, from: `module edit ${edit.type}` });
      out.push({ code: undefined, message: x.error, from: `module editor error line, ${edit.type}` });
    }
  }

  // library edits (the module editor's draft)
  const spec: ModuleSpec = {
    name: 'SE',
    description: '',
    args: [{ name: 'c1' }, { name: 'c2' }],
    body: [{ id: 'y', op: 'pass' }],
  };
  const other: ModuleSpec = { ...spec, name: 'Other' };
  for (const [what, text, s2, replacing] of [
    ['not a mapping', '- a\n', spec, 'SE'],
    ['unreadable', 'SE: {args: [\n', spec, 'SE'],
    ['a clash', setLibraryEntry(setLibraryEntry('', spec), other), other, 'SE'],
  ] as [string, string, ModuleSpec, string][]) {
    try {
      setLibraryEntry(
        text,
        { ...s2, name: s2 === other ? 'SE' : s2.name },
        replacing === 'SE' && s2 === other ? 'Other' : replacing,
      );
    } catch (e) {
      out.push({ code: LIBRARY_EDIT_ERROR, message: (e as Error).message, from: `library edit: ${what}` });
    }
  }

  // checkpoints, as the compare menu says them and as the toast says them (name: message)
  for (const [what, bytes] of checkpointBytes()) {
    try {
      readCheckpoint(bytes);
    } catch (e) {
      out.push({ code: CHECKPOINT_ERROR, message: (e as Error).message, from: `checkpoint: ${what}` });
      out.push({
        code: undefined,
        message: `${what.replace(/\W/g, '_')}.pt: ${(e as Error).message}`,
        from: `toast for checkpoint: ${what}`,
      });
    }
  }

  // a library opened by itself: the toast names its first problem
  const lib = parseModuleLibrary(BROKEN_LIBRARIES.find((x) => x[0] === 'unknown op')![1], 'mine.modules.yaml');
  out.push({
    code: LIBRARY_FILE,
    message: `mine.modules.yaml:${lib.diagnostics[0].line}: ${lib.diagnostics[0].message} (and 2 more)`,
    from: 'toast for a library',
  });
  out.push({
    code: undefined,
    message: `mine.modules.yaml:${lib.diagnostics[0].line}: ${lib.diagnostics[0].message}`,
    from: 'toast for a library, no code',
  });
  // Export for YOLOv5 refused: the toast names the model's first error
  const bad = analyze(parseModelText(rows('[-1, 3, C3x9, [128]]', '[-1, 1, Conv, [16, 0]]')), {
    registry: defaultRegistry,
  }).diagnostics.filter((d) => d.severity === 'error');
  out.push({
    code: EXPORT_REFUSED,
    message: `Export for YOLOv5: Fix the model first: ${bad[0].message} (and ${bad.length - 1} more)`,
    from: 'toast for an export refused',
  });
  out.push({
    code: undefined,
    message: `Export for YOLOv5: Fix the model first: ${bad[1].message}`,
    from: 'toast for an export refused, one error',
  });
  return out;
}

// ---------------------------------------------------------------- the checks

/** Digit runs, with their counts. */
const numbers = (s: string) => {
  const m = new Map<string, number>();
  for (const n of s.match(/\d+/g) ?? []) m.set(n, (m.get(n) ?? 0) + 1);
  return m;
};
/** 'quoted' and "quoted" parts (an apostrophe inside a word is not a quote). */
const quoted = (s: string) =>
  [...s.matchAll(/(?<!\w)'([^'\n]+?)'(?!\w)|"([^"\n]*)"/g)]
    .map((m) => m[1] ?? m[2])
    // a lone quote in a value pairs with the next one across the message's own words: not a name
    .filter((q) => !q.includes(': '));

/** A check message the user wrote in their own library: it stays as written. */
const USER_TEXT = 'my block wants c1 == c2';
/** Messages that stay English on purpose: a broken pickle's byte-level details. */
const STAYS_ENGLISH = /^(\S+\.pt: )?(truncated|malformed) pickle: /;

function problemsWith(d: Sample): string[] {
  const zh = localizeMessage(d.message, d.code, 'zh');
  const out: string[] = [];
  if (STAYS_ENGLISH.test(d.message)) {
    if (zh !== d.message) out.push('should stay English');
  } else if (d.message.includes(USER_TEXT)) {
    if (!zh.includes(USER_TEXT)) out.push("changed the user's own words");
  } else if (zh === d.message || !CJK.test(zh)) out.push('not translated');
  const en = numbers(d.message);
  const got = numbers(zh);
  for (const [n, k] of en) if ((got.get(n) ?? 0) < k) out.push(`lost the number ${n}`);
  for (const q of quoted(d.message)) if (!zh.includes(q)) out.push(`lost the quoted ${JSON.stringify(q)}`);
  return out.length
    ? [`${d.from} [${d.code ?? 'no code'}]\n    en: ${d.message}\n    zh: ${zh}\n    ${out.join(', ')}`]
    : [];
}

describe('diagnostics in Chinese', () => {
  const samples = corpus();

  it('the corpus is broad: every broken config gives a diagnostic, and every code the catalog translates occurs', () => {
    expect(samples.length).toBeGreaterThan(300);
    const codes = new Set(samples.map((d) => d.code));
    const translated = new Set(
      catalogEntries()
        .flatMap((x) => x.codes)
        .filter((c) => !c.startsWith('@') && c !== '*'),
    );
    // an internal error, and a node the library refuses before it is ever built
    const unreachable = ['internal-error', 'custom-node'];
    const missing = [...translated].filter((c) => !codes.has(c) && !unreachable.includes(c));
    expect(missing).toEqual([]);
  });

  it('translates every message of the corpus, keeping every number and quoted name', () => {
    const problems = samples.flatMap(problemsWith);
    expect(problems.join('\n')).toBe('');
  });

  it('reaches every entry of the catalog (each English pattern matches a message src/core really produces)', () => {
    const used = new Set(samples.flatMap((d) => entriesUsed(d.message, d.code)));
    const entries = catalogEntries();
    // messages src/core guards against but no config can reach through the app (checked before by other rules)
    const unreachable = [
      /^the row has no arguments list$/, // a row without an arguments list is reported as a malformed row first
      /^YOLO Architect could not compute/, // an internal error
      /the body produces no output/, // a module always has its input to return
      /every node needs an id and an op \(or use\)$/, // the library refuses such a node before it is built
      /^unknown module \(\\S\+\)$/, // a library refuses a node using an unknown module
      /must be a number or a pair of numbers$/, // the argument's type is checked before the module sees it
      /ZeroPad2d takes one whole number/, // likewise
      /^\(\.\+\) adds/, // the residuals inside the built-in modules always match; custom nodes are named
      /internal: /, // internal errors of the editing engine
      /there is no layer \(\\S\+\)$/, // the command checks the layer before restructuring
      /appears twice$/,
      /backbone rows must all come before head rows/,
      /section to insert into/,
      /cannot find where to write rows/,
      /does not read back as the intended rows/,
      /is not a valid value/, // a header value is checked before it is written
      /is not one row/, // an inserted row is checked before it is written
      /needs a one-line value/,
      /^an edit failed$/,
      /^internal error in/,
      /^nothing to do$/,
      /^the YAML cannot be read/, // the YAML parser reports problems rather than throwing
      /^the residual$|^the GhostBottleneck shortcut$|^the position embedding$|^the group sum$/, // see "adds" above
      /^input channels \\\(from the layer it reads|^output channels \\\(before the width multiple|^channels \\\(set from the input by parse_model/, // parse_model passes them
      /^expected a value before|^unknown operator/, // pyexpr's parser never gets there
      /^must be a whole number or None$/, // no module has such an argument today
      /^output channels$/, // parse_model passes c2 to every module that has one
      /^\(\\w\+\): every node needs an id and an op/, // refused by the library first
    ];
    const missed = entries
      .map((x, k) => ({ ...x, k }))
      .filter(
        (x) =>
          !used.has(x.k) &&
          !x.codes.some((c) => c === '@yaml' || c === CHECKPOINT_ERROR) &&
          !unreachable.some((u) => u.test(x.pattern.slice(4, -2))),
      )
      .map((x) => `${x.codes.join(',')}: ${x.pattern}`);
    expect(missed).toEqual([]);
  });

  it('gives English back byte for byte, and any message it does not know unchanged', () => {
    for (const d of samples) expect(localizeMessage(d.message, d.code, 'en')).toBe(d.message);
    expect(localizeMessage('something new the core may say one day', 'unknown-module', 'zh')).toBe(
      'something new the core may say one day',
    );
    expect(localizeMessage('layer 3 Conv: something new', 'bad-conv', 'zh')).toBe('layer 3 Conv: something new');
    // without a code a text may be the app's own (a toast): only a message known in every part is translated
    for (const own of [
      'Undo: Delete layer 3',
      'coco.yaml: 80 classes (nc = 80)',
      'Saved MyBlock to your modules',
      'OwnCheck: my block wants c1 == c2',
      'Fix the model first: x',
    ])
      expect(localizeMessage(own, undefined, 'zh')).toBe(own);
  });

  it('puts the captured parts back unchanged', () => {
    expect(
      localizeMessage(
        "unknown module 'C3x9'; did you mean C3x? (known: the YOLOv5 modules, Bottle2neck, C3_Res2Block and your own)",
        'unknown-module',
        'zh',
      ),
    ).toBe("未知模块 'C3x9'；是否想写 C3x？（可用：YOLOv5 自带模块、Bottle2neck、C3_Res2Block 和你自己的模块）");
    expect(
      localizeMessage(
        "layer 4 read layer 2 (C3), which was deleted; choose another input in 'from' (deleted_2_C3 marks the place)",
        'from-deleted-layer',
        'zh',
      ),
    ).toBe("第 4 层读取的第 2 层（C3）已被删除；请在 'from' 中另选输入（deleted_2_C3 标记了该位置）");
    expect(
      localizeMessage(
        'layer 12 Concat: cannot concatenate feature maps of different sizes: 40x40, 20x20',
        'concat-size',
        'zh',
      ),
    ).toBe('第 12 层 Concat：无法拼接尺寸不同的特征图：40x40, 20x20');
  });
});
