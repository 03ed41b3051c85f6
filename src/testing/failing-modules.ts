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
TooManyArgs:
  args: [c1, c2]
  body: [{id: y, op: Conv, args: [c1, c2, 1, 1, None, 1, 1, True, 5, 6]}]
UnknownKeyword:
  args: [c1, c2]
  body: [{id: y, op: Conv, args: [c1, c2], kwargs: {frob: 1}}]
TwiceGiven:
  args: [c1, c2]
  body: [{id: y, op: Conv, args: [c1, c2, 1], kwargs: {k: 3}}]
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
  'TooManyArgs',
  'UnknownKeyword',
  'TwiceGiven',
];
