/**
 * More module descriptions that fail when built (beside message-corpus.ts's FAILING_LIBRARY, which the CLI
 * runs also read): one per refusal of the interpreter and the primitives (custom/interpret.ts, ops.ts) that
 * one did not reach. Some are refused where the library is read already; the rest fail when a row builds them.
 */
export const MORE_FAILING_LIBRARY = `
ManyRepeats:
  args: [c1, c2]
  body: [{id: y, op: Conv, args: [c1, c1, 1], repeat: c1 * 100000}]
AxisWord:
  args: [c1, c2]
  body: [{id: s, op: softmax, args: [0.5]}]
AxisFar:
  args: [c1, c2]
  body: [{id: s, op: softmax, args: [7]}]
PermuteWord:
  args: [c1, c2]
  body: [{id: p, op: permute, args: [[0, 1.5, 2]]}]
SplitHalf:
  args: [c1, c2]
  body: [{id: s, op: split, args: [2.5]}]
SplitNegative:
  args: [c1, c2]
  body: [{id: s, op: split, args: [[-1, 33]]}]
ChunkZero:
  args: [c1, c2]
  body: [{id: s, op: chunk, args: [0]}]
PadThree:
  args: [c1, c2]
  body: [{id: p, op: pad, args: [[1, 1, 1]]}]
ParamSizes:
  args: [c1, c2]
  body: [{id: p, op: param, args: [[c1, 1, 1], [c1, 2]]}, {id: y, op: mul, in: [x, p]}]
TooManyArgs:
  args: [c1, c2]
  body: [{id: y, op: Conv, args: [c1, c2, 1, 1, None, 1, 1, True, 5, 6]}]
UnknownKeyword:
  args: [c1, c2]
  body: [{id: y, op: Conv, args: [c1, c2], kwargs: {frob: 1}}]
TwiceGiven:
  args: [c1, c2]
  body: [{id: y, op: Conv, args: [c1, c2, 1], kwargs: {k: 3}}]
ViewWrong:
  args: [c1, c2]
  body: [{id: r, op: reshape, args: [[5, 5]]}]
PermuteTwice:
  args: [c1, c2]
  body: [{id: p, op: permute, args: [[0, 0, 1]]}]
MatmulWrong:
  args: [c1, c2]
  body: [{id: a, op: Conv, args: [c1, 3, 1]}, {id: m, op: matmul, in: [x, a]}]
AvgPadding:
  args: [c1, c2]
  body: [{id: p, op: avg_pool2d, args: [2, 2, 2]}]
AddWrong:
  args: [c1, c2]
  body: [{id: a, op: Conv, args: [c1, 3, 1]}, {id: s, op: add, in: [x, a]}]
`;

export const MORE_FAILING_ROWS = [
  'ManyRepeats',
  'AxisWord',
  'AxisFar',
  'PermuteWord',
  'SplitHalf',
  'SplitNegative',
  'ChunkZero',
  'PadThree',
  'ParamSizes',
  'TooManyArgs',
  'UnknownKeyword',
  'TwiceGiven',
  'ViewWrong',
  'PermuteTwice',
  'MatmulWrong',
  'AvgPadding',
  'AddWrong',
];

const CONV = '[{id: y, op: Conv, args: [c1, c2, 1]}]';
const nest = (depth: number): string =>
  depth ? `[{body: ${nest(depth - 1)}}]` : '[{id: y, op: Conv, args: [c1, c2, 1]}]';

/** A library whose every module has one problem of its description, each refused where the library is read. */
export const BROKEN_DESCRIPTIONS = `
BaseUnknown: {args: [c1, c2], base: {op: Frob, args: [c1, c2]}}
NotAnExpression: {args: [c1, c2], vars: {h: [1, 2]}, body: ${CONV}}
NotUnderstood: {args: [c1, c2], vars: {h: c1.real}, body: ${CONV}}
ArgKey: {args: [{name: c1, frob: 1}, c2], body: ${CONV}}
ArgName: {args: [{name: 1x}, c2], body: ${CONV}}
ArgDefault: {args: [c1, {name: c2, default: [1]}], body: ${CONV}}
ArgType: {args: [c1, {name: c2, type: frob}], body: ${CONV}}
ArgDoc: {args: [c1, {name: c2, doc: [1]}], body: ${CONV}}
ArgTwice: {args: [c1, c1], body: ${CONV}}
Description: {description: [1], args: [c1, c2], body: ${CONV}}
Internal: {internal: 3, args: [c1, c2], body: ${CONV}}
Example: {example: [1], args: [c1, c2], body: ${CONV}}
VarName: {args: [c1, c2], vars: {1h: c1}, body: ${CONV}}
CheckMessage: {args: [c1, c2], check: [{assert: c1 > 0, message: [1]}], body: ${CONV}}
CheckCode: {args: [c1, c2], check: [{assert: c1 > 0, message: x, code: Frob}], body: ${CONV}}
CheckSeverity: {args: [c1, c2], check: [{assert: c1 > 0, message: x, severity: loud}], body: ${CONV}}
CheckList: {args: [c1, c2], check: c1 > 0, body: ${CONV}}
CheckKey: {args: [c1, c2], check: [{assert: c1 > 0, message: x, frob: 1}], body: ${CONV}}
Containers: {args: [c1, c2], containers: [m], body: ${CONV}}
ContainerName: {args: [c1, c2], containers: {1m: Sequential}, body: ${CONV}}
ContainerKind: {args: [c1, c2], containers: {m: Frob}, body: ${CONV}}
Inputs: {args: [c1, c2], inputs: [], body: ${CONV}}
InputName: {args: [c1, c2], inputs: [1x], body: ${CONV}}
NotFinite: {args: [c1, c2], body: [{id: y, op: Conv, args: [c1, c2, .inf]}]}
BadArgument: {args: [c1, c2], body: [{id: y, op: Conv, args: [c1, {k: 1}]}]}
NodeMapping: {args: [c1, c2], body: [cv1]}
NodeKey: {args: [c1, c2], body: [{id: y, op: Conv, args: [c1, c2, 1], frob: 1}]}
NotText: {args: [c1, c2], body: [{id: [y], op: Conv, args: [c1, c2, 1]}]}
NodeId: {args: [c1, c2], body: [{id: 1y, op: Conv, args: [c1, c2, 1]}]}
OpName: {args: [c1, c2], body: [{id: y, op: 'Co nv', args: [c1, c2, 1]}]}
Kwargs: {args: [c1, c2], body: [{id: y, op: Conv, args: [c1, c2, 1], kwargs: [1]}]}
KeywordName: {args: [c1, c2], body: [{id: y, op: Conv, args: [c1, c2, 1], kwargs: {1k: 1}}]}
Use: {args: [c1, c2], body: [{id: y, use: 1y}]}
InputRef: {args: [c1, c2], body: [{id: y, op: Conv, args: [c1, c2, 1], in: 1x}]}
NamePath: {args: [c1, c2], body: [{id: y, op: Conv, args: [c1, c2, 1], name: a..b}]}
For: {args: [c1, c2], body: [{id: y, op: Conv, args: [c1, c2, 1], for: [1]}]}
LoopVar: {args: [c1, c2], body: [{id: y, op: Conv, args: [c1, c2, 1], for: {1i: range(2)}}]}
GroupBody: {args: [c1, c2], body: [{body: x}]}
GroupsDeep: {args: [c1, c2], body: ${nest(17)}}
Base: {args: [c1, c2], base: [Conv]}
BaseAndBody: {args: [c1, c2], base: {op: Conv, args: [c1, c2]}, body: ${CONV}}
OutName: {args: [c1, c2], body: ${CONV}, out: 1y}
`;
