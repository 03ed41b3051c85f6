/**
 * The bad-input corpus: configs broken on purpose (one or more per message), module libraries with
 * problems, edits and module edits refused, checkpoints that cannot be read, and CLI runs over them.
 * The golden test (messages.golden.test.ts) holds what every one of them says in English, captured from
 * main before messages became data, so the English text stays byte for byte what it was.
 *
 * Long on purpose: one list per source of messages, whose order is the golden file's order.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyze,
  analyzeDoc,
  buildAnalyzedLayer,
  buildLayer,
  compileModule,
  command,
  defaultLibrary,
  deleteLayers,
  describeEdit,
  loadLibraryChain,
  moduleCommand,
  msg,
  openDoc,
  parseModelText,
  parseModuleLibrary,
  parseRowsText,
  readCheckpoint,
  setLibraryEntry,
  tryModule,
  errorMessage,
  type ModuleSpec,
  type EditSpec,
  type Message,
  type ModuleEdit,
  Registry,
  type Limits,
} from '../core/index.ts';
import { decodeImage } from '../runtime/image-node.ts';
import { checkRunMemory } from '../runtime/memory.ts';
import { planModel } from '../runtime/model.ts';
import { readSafetensors, writeSafetensors } from '../runtime/safetensors.ts';
import { loadStrict } from '../runtime/weights.ts';
import { PROJECT_DIR } from './reference-paths.ts';
import { codegenSamples } from './codegen-corpus.ts';
import { BROKEN_DESCRIPTIONS, MORE_FAILING_LIBRARY, MORE_FAILING_ROWS } from './failing-modules.ts';
import { ULTRALYTICS_BROKEN } from './message-corpus-ultralytics.ts';
import { zip as zipFiles } from './torch-save.ts';
import { moreCheckpointBytes } from './bad-checkpoints.ts';

/** One message: where it came from, its code (diagnostics) or kind (errors), and what it says. */
export interface Sample {
  from: string;
  code: string;
  said: Message;
}

// The message of each error (an error that is not a MessageError is said as an unexpected one: a bug).
const errorSaid = (e: unknown): Message => errorMessage(e);

const yamlFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });

const defaultRegistry = loadLibraryChain([], [defaultLibrary()]).registry;

/** A small valid model around the given rows (backbone) and head, header lines replaceable. */
export function tiny(
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
export const TWO = ['[-1, 1, Conv, [16, 3, 2]]', '[-1, 1, Conv, [32, 3, 2]]'];
/** Two convolutions, then the rows under test, then no head (rows under test read layer 1, 32 channels at 160x160). */
export const rows = (...r: string[]) => tiny([...TWO, ...r], []);

/** Configs broken on purpose: [what, text, imgsz?]. */
export const BROKEN: [string, string, number?][] = [
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
  ['argument a string over two lines', rows(`[-1, 1, Conv, [16, "'a\\nb'"]]`)],
];

/** A library with modules that fail when built, and the rows that use them. */
export const FAILING_LIBRARY = `
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
export const BROKEN_LIBRARIES: [string, string][] = [
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
  '[0] * 20000',
  'c1[0]',
  '[1][0.5]',
  '[1][5]',
  '"\\x4"',
  '"\\U00110000"',
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

export function checkpointBytes(): [string, Uint8Array][] {
  const enc = new TextEncoder();
  const zip = (files: [string, Uint8Array][], method = 0): Uint8Array => zipFiles(files, { method });
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

/** Every message src/core says over the corpus, in a fixed order. */
export function coreSamples(): Sample[] {
  const out: Sample[] = [];
  const add = (from: string, ds: readonly { code: string; message: Message }[]) =>
    out.push(...ds.map((d) => ({ from, code: d.code, said: d.message })));
  const model = (from: string, text: string, registry: Registry = defaultRegistry, imgsz?: number, scale?: string) => {
    const a = analyze(parseModelText(text, `${from}.yaml`), {
      registry,
      ...(imgsz !== undefined ? { imgsz } : {}),
      ...(scale !== undefined ? { scale } : {}),
    });
    add(from, a.diagnostics);
    // the look-inside view shows a failing layer's own message
    for (const l of a.layers) {
      if (l.ok || !l.def || !l.args) continue;
      const b = buildAnalyzedLayer(a, l.i);
      if (b?.error) out.push({ from: `${from}, inside layer ${l.i}`, code: b.error.code, said: b.error.msg });
    }
    return a;
  };
  const relative = (f: string) => f.slice(PROJECT_DIR.length + 1);

  for (const f of yamlFiles(join(PROJECT_DIR, 'configs'))) model(relative(f), readFileSync(f, 'utf8'));
  for (const [what, text, imgsz] of BROKEN) model(what, text, defaultRegistry, imgsz);
  for (const [what, text, imgsz, scale] of ULTRALYTICS_BROKEN) model(what, text, defaultRegistry, imgsz, scale);

  const failing = loadLibraryChain([{ file: 'failing.modules.yaml', text: FAILING_LIBRARY }], [defaultLibrary()]);
  add('failing library', failing.diagnostics);
  // the rows read 32 channels and ask for 64
  for (const name of FAILING_ROWS) model(name, rows(`[-1, 1, ${name}, [64]]`), failing.registry);
  const more = loadLibraryChain([{ file: 'more.modules.yaml', text: MORE_FAILING_LIBRARY }], [defaultLibrary()]);
  add('more failing modules', more.diagnostics);
  add('broken descriptions', parseModuleLibrary(BROKEN_DESCRIPTIONS, 'broken.modules.yaml').diagnostics);
  const across = (other: string) => `{args: [c1, c2], body: [{id: y, op: ${other}, args: [c1, c2]}]}`;
  const chain = loadLibraryChain(
    [
      { file: 'ping.modules.yaml', text: `Pong: ${across('Conv')}\nPing: ${across('Pong')}\n` },
      { file: 'pong.modules.yaml', text: `Pong: ${across('Ping')}\n` },
    ],
    [defaultLibrary()],
  );
  add('a module cycle across two libraries', chain.libraries[chain.libraries.length - 1].diagnostics);
  for (const name of MORE_FAILING_ROWS) model(name, rows(`[-1, 1, ${name}, [64]]`), more.registry);
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

  // edits: a reference to a deleted layer, and edits refused (with their labels)
  const s = openDoc(readFileSync(join(PROJECT_DIR, 'configs/yolov5s.yaml'), 'utf8'), 'yolov5s.yaml');
  add('layer 6 deleted', analyzeDoc(deleteLayers(6).perform(s).doc).diagnostics);
  add('layers 4 and 6 deleted', analyzeDoc(deleteLayers(4, 6).perform(s).doc).diagnostics);
  const refused = (from: string, x: { ok: boolean; error?: Message }) => {
    if (!x.ok && x.error) out.push({ from, code: 'edit-refused', said: x.error });
  };
  for (const [what, spec] of edits()) {
    out.push({ from: `label: ${what}`, code: 'edit-label', said: describeEdit(spec) });
    refused(`edit: ${what}`, command(spec).perform(s));
  }
  for (const spec of LABELLED) out.push({ from: `label: ${spec.type}`, code: 'edit-label', said: describeEdit(spec) });
  refused('edit of unreadable YAML', deleteLayers(0).perform(openDoc('nc: [1\n', 'broken.yaml')));
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
  ] as EditSpec[])
    refused(`edit of a row missing parts: ${spec.type}`, command(spec).perform(parts));
  const one = openDoc(tiny(['[-1, 1, Conv, [16, 3, 2]]'], []), 'one.yaml');
  for (const spec of [
    { type: 'setModule', layer: 0, module: 'SE' },
    { type: 'addInput', layer: 0, ref: -1 },
  ] as EditSpec[])
    refused(`edit of one layer: ${spec.type}`, command(spec).perform(one));

  // the module editor's edits refused
  for (const edit of MODULE_EDITS) {
    const x = moduleCommand(edit).perform(MODULE);
    if (!x.ok && x.error) out.push({ from: `module edit ${edit.type}`, code: 'module-edit-refused', said: x.error });
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
      out.push({ from: `library edit: ${what}`, code: 'library-edit', said: errorSaid(e) });
    }
  }

  // a reference to a deleted layer whose module is not known; an inserted text that is two rows
  add('unnamed deleted layer', analyzeDoc(openDoc(rows('[[-1, deleted_1], 1, Concat, [1]]'), 'x.yaml')).diagnostics);
  refused(
    'insert two rows',
    command({ type: 'insert', at: 1, row: '[-1, 1, Conv, [16]], [-1, 1, Conv, [16]]' }).perform(s),
  );

  out.push(...runtimeSamples());

  // checkpoints
  for (const [what, bytes] of [...checkpointBytes(), ...moreCheckpointBytes()]) {
    try {
      readCheckpoint(bytes);
    } catch (e) {
      out.push({ from: `checkpoint: ${what}`, code: 'checkpoint', said: errorSaid(e) });
    }
  }

  // added after the first capture: block edits (paste, move many, insert on an edge), pasted text, a string
  // argument YOLOv5 would eval(), a module library nested too deep
  for (const [what, spec] of BLOCK_EDITS) {
    out.push({ from: `label: ${what}`, code: 'edit-label', said: describeEdit(spec, s) });
    refused(`edit: ${what}`, command(spec).perform(s));
  }
  for (const [what, text] of PASTED_TEXTS) {
    const r = parseRowsText(text);
    if ('error' in r) out.push({ from: `pasted text: ${what}`, code: 'edit-refused', said: r.error });
  }
  model('a string argument', rows(`[-1, 1, nn.Upsample, [None, 2, "os.system('id')"]]`));
  add('library: nested too deep', parseModuleLibrary(`A: ${'['.repeat(150)}\n`, 'deep.modules.yaml').diagnostics);
  // characters PyYAML refuses or reads as line breaks; limits of one analysis (passed small, to reach them cheaply)
  model('a character PyYAML refuses', `${rows()}# \x0b\n`);
  model('a line break only PyYAML sees', `${rows()}# a\u2028b\n`);
  const yolov5s = readFileSync(join(PROJECT_DIR, 'configs/yolov5s.yaml'), 'utf8');
  const limited = (from: string, text: string, limits: Partial<Limits>) =>
    add(from, analyze(parseModelText(text, `${from}.yaml`), { registry: defaultRegistry, limits }).diagnostics);
  limited('repeats over the limit after depth_multiple', yolov5s.replace('depth_multiple: 0.33', 'depth_multiple: 3'), {
    repeats: 4,
  });
  limited('too many repeats in all', yolov5s, { totalRepeats: 5 });
  limited('the work budget spent', yolov5s, { work: 40 });
  limited('the work budget spent inside modules', yolov5s, { work: 400 });
  model('a kernel beyond any image', rows('[-1, 1, nn.MaxPool2d, ["10**9"]]'));
  // modules nested deeper than the limit (a cycle built by hand: a library could not say it)
  const cycle = new Registry();
  const pingPong = (name: string, inner: string): ModuleSpec => ({
    name,
    description: 'nests',
    args: [{ name: 'c1' }, { name: 'c2' }],
    body: [{ id: 'a', op: inner, args: ['c1', 'c2'], name: 'm' }],
  });
  cycle.add(compileModule(pingPong('Ping', 'Pong')));
  cycle.add(compileModule(pingPong('Pong', 'Ping')));
  const deep = buildLayer(cycle.get('Ping')!, [8, 8], 1, [[8, 16, 16]], {
    mode: 'summary',
    defaultAct: { type: 'SiLU' },
    registry: cycle,
  });
  if (deep.error) out.push({ from: 'modules nested too deep', code: deep.error.code, said: deep.error.msg });
  try {
    checkRunMemory(planModel(tiny(['[-1, 1, Conv, [16, 3, 2]]'], [])), 1024);
  } catch (e) {
    out.push({ from: 'run memory over the limit', code: 'runtime', said: errorSaid(e) });
  }
  out.push(...codegenSamples());
  return out;
}

/** What the runtime says: safetensors files, images, models and weights it cannot use. */
function runtimeSamples(): Sample[] {
  const out: Sample[] = [];
  const attempt = (from: string, f: () => unknown) => {
    try {
      f();
    } catch (e) {
      out.push({ from, code: 'runtime', said: errorSaid(e) });
    }
  };
  const enc = new TextEncoder();
  const header = (json: string) => {
    const h = enc.encode(json);
    const b = new Uint8Array(8 + h.length);
    new DataView(b.buffer).setUint32(0, h.length, true);
    b.set(h, 8);
    return b;
  };
  attempt('safetensors: short', () => readSafetensors(new Uint8Array(3)));
  attempt('safetensors: header too long', () => readSafetensors(new Uint8Array([200, 0, 0, 0, 0, 0, 0, 0, 1])));
  attempt('safetensors: not JSON', () => readSafetensors(header('{nope')));
  attempt('safetensors: bad entry', () => readSafetensors(header('{"a": {"dtype": "X"}}')));
  attempt('safetensors: data misfit', () =>
    readSafetensors(header('{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}')),
  );
  attempt('safetensors: values', () => writeSafetensors({ a: { shape: [2, 2], data: new Float32Array(3) } }));
  attempt('image: neither PNG nor JPEG', () => decodeImage(new Uint8Array([1, 2, 3, 4]), 'x.gif'));
  attempt('plan: a model with errors', () => planModel(rows('[-1, 1, Zzz, [16]]', '[-1, 1, Conv, [16, 0]]')));
  const plan = planModel(tiny(['[-1, 1, Conv, [16, 3, 2]]'], []));
  const weights = new Map(plan.tensors.map((t) => [t.key, { shape: t.shape, data: new Float32Array(0) }]));
  weights.delete(plan.tensors[0].key);
  weights.set(plan.tensors[1].key, { shape: [7], data: new Float32Array(7) });
  weights.set('extra.weight', { shape: [1], data: new Float32Array(1) });
  attempt('weights that do not fit', () => loadStrict(plan, weights));
  return out;
}

/** Block edits on yolov5s (layer 2 reads 1, layer 12 reads [-1, 6]), refused or not, with their labels. */
const BLOCK_EDITS: [string, EditSpec][] = [
  ['paste one row', { type: 'paste', at: 3, rows: [{ text: '[-1, 1, SE, [64]]', index: null }] }],
  ['paste a row without a module', { type: 'paste', at: 3, rows: [{ text: '[-1]', index: null }] }],
  [
    'paste two rows',
    {
      type: 'paste',
      at: 3,
      rows: [
        { text: '[-1, 1, Conv, [64]]', index: 0 },
        { text: '[-1, 1, Conv, [64]]', index: 1 },
      ],
    },
  ],
  ['paste far away', { type: 'paste', at: 99, rows: [{ text: '[-1, 1, Conv, [64]]', index: null }] }],
  ['paste no rows', { type: 'paste', at: 3, rows: 'x' as unknown as [] }],
  ['paste an empty list', { type: 'paste', at: 3, rows: [] }],
  ['paste two lines', { type: 'paste', at: 3, rows: [{ text: '[-1, 1,\n Conv, [64]]', index: null }] }],
  ['move two layers', { type: 'moveMany', layers: [3, 4], to: 6 }],
  ['move no layers', { type: 'moveMany', layers: 'x' as unknown as number[], to: 6 }],
  ['move an empty list', { type: 'moveMany', layers: [], to: 6 }],
  ['replace one layer', { type: 'setModule', layer: 2, module: 'C3_Res2Block' }],
  ['insert on an edge', { type: 'insertOnEdge', source: 1, target: 2, position: 0, row: '[-1, 1, SE, [64]]' }],
  [
    'insert a row without a module on an edge',
    { type: 'insertOnEdge', source: 1, target: 2, position: 0, row: '[-1]' },
  ],
  ['insert after the image', { type: 'insertOnEdge', source: -1, target: 0, position: 0, row: '[-1, 1, SE, [3]]' }],
  ['insert a bare row after the image', { type: 'insertOnEdge', source: -1, target: 0, position: 0, row: '[-1]' }],
  ['insert on a missing input', { type: 'insertOnEdge', source: 1, target: 2, position: 4, row: '[-1, 1, SE, [64]]' }],
  [
    'insert on an edge from the image',
    { type: 'insertOnEdge', source: 1, target: 0, position: 0, row: '[-1, 1, SE, [3]]' },
  ],
  [
    'insert on an edge from another layer',
    { type: 'insertOnEdge', source: 3, target: 2, position: 0, row: '[-1, 1, SE, [64]]' },
  ],
  [
    'insert two lines on an edge',
    { type: 'insertOnEdge', source: 1, target: 2, position: 0, row: '[-1, 1,\n SE, [64]]' },
  ],
];

/** Pasted text that holds no rows to paste. */
const PASTED_TEXTS: [string, string][] = [
  ['too long', ' '.repeat(256 * 1024 + 1)],
  ['only comments', '# 1\n\n'],
  ['too many rows', '[-1, 1, Conv, [16]]\n'.repeat(1001)],
  ['not a row', '[-1, 1, Conv, [16]]\nhello world\n'],
];

/** Edits that are not refused, for their labels (the undo toast says them). */
const LABELLED: EditSpec[] = [
  { type: 'insert', at: 3, row: '[-1, 1, C3_Res2Block, [128]]' },
  { type: 'insert', at: 3, row: 'nonsense' },
  { type: 'delete', layers: [3] },
  { type: 'delete', layers: [3, 4] },
  { type: 'move', from: 3, to: 5 },
  { type: 'duplicate', layer: 2 },
  { type: 'setModule', layer: 2, module: 'C3_Res2Block' },
  { type: 'setArgs', layer: 2, args: ['64'] },
  { type: 'setArg', layer: 2, index: 0, value: '64' },
  { type: 'setRepeats', layer: 2, n: 3 },
  { type: 'setFrom', layer: 2, from: [-1, 0] },
  { type: 'addInput', layer: 2, ref: 0 },
  { type: 'removeInput', layer: 2, position: 0 },
  { type: 'reorderInput', layer: 2, from: 0, to: 1 },
  { type: 'setHeader', key: 'nc', value: '3' },
  { type: 'setHeader', key: 'activation', value: null },
  { type: 'replaceModule', from: 'C3', to: 'C3_Res2Block' },
  { type: 'scale', scale: 'm' },
  { type: 'editText', changes: [] },
  {
    type: 'batch',
    edits: [
      { type: 'delete', layers: [3] },
      { type: 'scale', scale: 'n' },
    ],
  },
  { type: 'batch', edits: [{ type: 'delete', layers: [3] }], label: msg('label.move-input', { layer: 12, to: 14 }) },
];

// ---------------------------------------------------------------- the CLI over the corpus

export interface CliRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process, capturing what it writes (no test framework needed). */
export async function runCliCaptured(
  main: (argv: string[]) => Promise<number>,
  args: string[],
): Promise<Omit<CliRun, 'args'>> {
  let stdout = '';
  let stderr = '';
  const o = process.stdout.write;
  const e = process.stderr.write;
  process.stdout.write = ((s: any) => ((stdout += String(s)), true)) as typeof o;
  process.stderr.write = ((s: any) => ((stderr += String(s)), true)) as typeof e;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

/** Library texts for the PyTorch export: modules it refuses to write, and one it writes. */
const CODEGEN_LIBRARIES: [string, string][] = [
  ['a clash with yolo.py', 'Model:\n  args: [c1, c2]\n  body: [{id: y, op: Conv, args: [c1, c2, 1]}]\n'],
  ['a module attribute', 'Clash:\n  args: [c1, c2]\n  body: [{id: training, op: Conv, args: [c1, c2, 1]}]\n'],
  ['a keyword for an argument', 'Kw:\n  args: [c1, c2, lambda=1]\n  body: [{id: y, op: Conv, args: [c1, c2, 1]}]\n'],
  ['a deep container', "Deep:\n  args: [c1, c2]\n  body: [{id: 'a.b.c', op: Conv, args: [c1, c2, 1]}]\n"],
  ['batch norm without channels', 'Bn:\n  args: [c1, c2]\n  body: [{id: y, op: nn.BatchNorm2d}]\n'],
  ['fine', 'Fine:\n  args: [c1, c2]\n  body: [{id: y, op: Conv, args: [c1, c2, 1]}]\n'],
];

/**
 * The CLI's runs over the corpus, with the files they read written into `dir` (emptied first). Paths in
 * what they print are given as <DIR> and <PROJECT> so the result does not depend on where it runs.
 */
export function cliCases(dir: string): { args: string[]; env?: Record<string, string> }[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cases: { args: string[]; env?: Record<string, string> }[] = [];
  const file = (name: string, text: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const project = (p: string) => join(PROJECT_DIR, p);
  BROKEN.forEach(([what, text, imgsz], k) => {
    const p = file(`broken-${k}.yaml`, text);
    const img = imgsz === undefined ? [] : ['--img', String(imgsz)];
    cases.push({ args: ['summary', p, ...img] }, { args: ['summary', p, '--json', ...img] });
    if (what.startsWith('yaml:') || what === 'unknown module') cases.push({ args: ['export', p, '--delete', '0'] });
  });
  const failing = file('failing.modules.yaml', FAILING_LIBRARY);
  const failingRows = file('failing.yaml', rows(...FAILING_ROWS.map((n) => `[-1, 1, ${n}, [64]]`)));
  cases.push({ args: ['summary', failingRows], env: { YOLO_ARCHITECT_MODULES: failing } });
  cases.push({ args: ['summary', failingRows, '--json'], env: { YOLO_ARCHITECT_MODULES: failing } });
  BROKEN_LIBRARIES.forEach(([, text], k) => {
    const lib = file(`lib-${k}.yaml`, text);
    cases.push({ args: ['modules'], env: { YOLO_ARCHITECT_MODULES: lib } });
  });
  for (const [name, args] of [
    ['SE', ['--c1', '64', '--hw', '40']],
    ['SE', ['--c1', '64', '--c2', '32']],
    ['CBAM', ['--c1', '0']],
    ['Frob', []],
  ] as [string, string[]][])
    cases.push({ args: ['modules', '--try', name, ...args] });
  checkpointBytes().forEach(([, bytes], k) => {
    const p = file(`ckpt-${k}.pt`, bytes);
    cases.push({ args: ['summary', p] }, { args: ['export', p] });
  });
  const s = project('configs/yolov5s.yaml');
  for (const args of [
    [s, '--bogus'],
    [s, '--delete', 'x'],
    [s, '--delete', '99'],
    [s, '--delete', '6'],
    [s, '--scale', 'q'],
    [s, '--set', 'foo=1'],
    [s, '--set', 'nc=3\n4'],
    [s, '--insert', '3'],
    [s, '--insert', '3=[-1, 1, Conv'],
    [s, '--insert', '99=[-1, 1, Conv, [16]]'],
    [s, '--move', '1=99'],
    [s, '--replace', 'C3=Nope'],
    [s, '--replace', 'Focus=Conv'],
    [s, '-o', join(dir, 'missing-dir', 'x.yaml')],
    [],
    [join(dir, 'nonexistent.yaml')],
    [s, '--yolov5'],
  ])
    cases.push({ args: ['export', ...args] });
  const seedBad = file(
    'seed-bad.yaml',
    readFileSync(project('configs/yolov5s-res2net.yaml'), 'utf8').replace(
      '[-1, 3, C3_Res2Block, [128]]',
      '[-1, 3, NoSuchBlock, [128]]',
    ),
  );
  cases.push({ args: ['export', seedBad, '--yolov5', join(dir, 'out-bad')] });
  cases.push({ args: ['export', s, '--yolov5', file('a-file', '')] });
  CODEGEN_LIBRARIES.forEach(([, lib], k) => {
    const name = /^(\w+):/.exec(lib)![1];
    const model = file(`codegen-${k}.yaml`, rows(`[-1, 1, ${name}, [64]]`));
    file(`codegen-${k}.modules.yaml`, lib);
    cases.push({ args: ['export', model, '--yolov5', join(dir, `out-codegen-${k}`)] });
  });
  for (const args of [
    ['summary'],
    ['summary', s, '--img', 'big'],
    ['summary', s, '--img', '0'],
    ['summary', join(dir, 'nope.yaml')],
    ['summary', dir],
    ['summary', s, s],
    ['frobnicate'],
    [],
    ['diff', s],
    ['diff', s, join(dir, 'nope.yaml')],
    ['diff', s, project('configs/yolov5s-res2net.yaml'), '--changed'],
    ['diff', s, seedBad, '--json'],
    ['run', project('configs/demo/demo-shapes.yaml')],
    ['run', project('configs/demo/demo-shapes.yaml'), '--image', join(dir, 'nope.png')],
    ['run', project('configs/demo/demo-shapes.yaml'), '--image', file('not-an-image.gif', 'GIF89a...')],
    ['run', project('configs/demo/demo-shapes.yaml'), '--input', file('not-safetensors.safetensors', 'nope')],
    ['run', project('configs/demo/demo-shapes.yaml'), '--image', project('configs/demo/sample.png'), '--conf', '2'],
    [
      'run',
      project('configs/demo/demo-shapes.yaml'),
      '--image',
      project('configs/demo/sample.png'),
      '--backend',
      'gpu',
    ],
    [
      'run',
      project('configs/yolov5n.yaml'),
      '--weights',
      project('configs/demo/weights.safetensors'),
      '--image',
      project('configs/demo/sample.png'),
      '--img',
      '64',
    ],
    ['run', seedBad, '--image', project('configs/demo/sample.png')],
  ])
    cases.push({ args });
  // the Ultralytics family: a few of its broken configs through summary (and --scale)
  const ul = (what: string) => ULTRALYTICS_BROKEN.find(([w]) => w === what)!;
  for (const [what, flags] of [
    ['yolo11n scale asked for, no scales', ['--scale', 's']],
    ['yolo11n unknown module', []],
    ['yolo11n Segment npr a word', ['--json']],
    ['yolo11n C3k, an inner block', []],
  ] as [string, string[]][])
    cases.push({ args: ['summary', file(`${what.replace(/\W+/g, '-')}.yaml`, ul(what)[1]), ...flags] });
  return cases;
}

/** Paths as placeholders (and a temporary file's random name), so a golden result does not depend on where it was made. */
export function placeholders(text: string, dir: string): string {
  return text
    .split(dir)
    .join('<DIR>')
    .split(PROJECT_DIR)
    .join('<PROJECT>')
    .replace(/\.\d+\.[a-z0-9]+\.tmp\b/g, '.<PID>.<RANDOM>.tmp');
}
