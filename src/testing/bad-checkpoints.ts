/**
 * Checkpoints broken on purpose, one or more per message the checkpoint reader says (src/core/checkpoint: the
 * pickle's 'pickle.*', the module tree's and config's 'checkpoint.*'), beside message-corpus.ts's
 * checkpointBytes (which the CLI runs also read). Each is a torch.save-style zip whose data.pkl is written
 * opcode by opcode here.
 */
import { zip } from './torch-save.ts';

const enc = new TextEncoder();
const bytes = (s: string): number[] => [...enc.encode(s)];
/** BINUNICODE: a string. */
const str = (s: string): number[] => {
  const b = bytes(s);
  return [0x58, b.length & 0xff, (b.length >> 8) & 0xff, 0, 0, ...b];
};
/** GLOBAL module name. */
const global = (qualified: string): number[] => {
  const k = qualified.lastIndexOf('.');
  return [0x63, ...bytes(`${qualified.slice(0, k)}\n${qualified.slice(k + 1)}\n`)];
};
/** An object of class `cls` (NEWOBJ with no arguments) whose state is the dict built by `state` (BUILD). */
const object = (cls: string, state: number[]): number[] => [...global(cls), 0x29, 0x81, 0x7d, ...state, 0x62];
/** A dict's items, each key a string: `}` then key, value, SETITEM. */
const items = (...kv: [string, number[]][]): number[] => kv.flatMap(([k, v]) => [...str(k), ...v, 0x73]);
/** {'model': value}. */
const model = (value: number[]): number[] => [0x7d, ...str('model'), ...value, 0x73];
const K = (n: number): number[] => [0x4b, n];
const N = [0x4e];
/** REDUCE: the function called with these arguments (a tuple of them). */
const call = (fn: string, args: number[]): number[] => [...global(fn), 0x28, ...args, 0x74, 0x52];
/** BINPERSID of ('storage', type, key, 'cpu', numel), as torch.save writes a storage. */
const storage = (type: number[], key: string, numel: number[]): number[] => [
  0x28,
  ...str('storage'),
  ...type,
  ...str(key),
  ...str('cpu'),
  ...numel,
  0x74,
  0x51,
];

/** A checkpoint archive holding this pickle (protocol 2 unless the ops say otherwise). */
const ckpt = (ops: number[], proto = 2): Uint8Array =>
  zip([['archive/data.pkl', Uint8Array.from([0x80, proto, ...ops, 0x2e])]], { method: 0 });
/** An archive whose data.pkl is exactly these bytes (no protocol, no STOP added). */
const raw = (ops: number[]): Uint8Array => zip([['archive/data.pkl', Uint8Array.from(ops)]], { method: 0 });

const M = 'models.yolo.DetectionModel';

export function moreCheckpointBytes(): [string, Uint8Array][] {
  return [
    // ---------------------------------------------------------------- the archive
    ['zip: shorter than its end record', Uint8Array.from([0x50, 0x4b, 3, 4, ...bytes('abc')])],
    [
      'zip: data.pkl twice',
      zip(
        [
          ['archive/data.pkl', Uint8Array.from([0x80, 2, 0x4e, 0x2e])],
          ['archive/data.pkl', Uint8Array.from([0x80, 2, 0x4e, 0x2e])],
        ],
        { method: 0 },
      ),
    ],
    // ---------------------------------------------------------------- the pickle's opcodes
    ['pickle: no STOP', raw([0x80, 0x02, 0x4e])],
    ['pickle: STOP with two values', ckpt([0x4e, 0x4e])],
    ['pickle: a memo entry never stored', ckpt([0x68, 0x07])],
    ['pickle: APPEND on None', ckpt([0x4e, 0x4e, 0x61])],
    ['pickle: BUILD on a list', ckpt([0x5d, 0x7d, 0x4e, 0x4e, 0x73, 0x62])],
    ['pickle: a list as a dict key', ckpt([0x7d, 0x5d, 0x4e, 0x73])],
    ['pickle: SETITEMS without MARK', ckpt([0x7d, 0x75])],
    ['pickle: SETITEMS with an odd count', ckpt([0x7d, 0x28, 0x4e, 0x75])],
    ['pickle: SETITEM on a list', ckpt([0x5d, 0x4e, 0x4e, 0x73])],
    ['pickle: APPEND with nothing on the stack', ckpt([0x61])],
    ['pickle: an unknown opcode', ckpt([0xff])],
    ['pickle: text that is not UTF-8', ckpt([0x58, 0x02, 0, 0, 0, 0xc3, 0x28])],
    ['pickle: INST', ckpt([0x28, 0x69, ...bytes('os\nsystem\n')], 5)],
    ['pickle: EXT1', ckpt([0x82, 1], 5)],
    ['pickle: PERSID', ckpt([0x50, ...bytes('x\n')], 5)],
    ['pickle: NEXT_BUFFER', ckpt([0x97], 5)],
    ['pickle: a string of 2^60 bytes', raw([0x80, 0x04, 0x8d, 0, 0, 0, 0, 0, 0, 0, 0x10])],
    ['pickle: a bytearray of 4 GiB', raw([0x80, 0x05, 0x96, 0, 0, 0, 0, 1, 0, 0, 0])],
    ['pickle: bytes of 1 GiB', raw([0x80, 0x03, 0x42, 0, 0, 0, 0x40])],
    ['pickle: a string of 4 GiB', raw([0x80, 0x02, 0x58, 0xff, 0xff, 0xff, 0xff])],
    ['pickle: a frame cut short', raw([0x80, 0x04, 0x95, 0x01])],
    ['pickle: a float cut short', raw([0x80, 0x02, 0x47, 0x00])],
    ['pickle: an int cut short', raw([0x80, 0x02, 0x4a, 0x00])],
    ['pickle: a long length cut short', raw([0x80, 0x02, 0x8b, 0x01])],
    ['pickle: a long cut short', raw([0x80, 0x02, 0x8a, 0x05, 0x01])],
    ['pickle: an opcode without its argument', raw([0x80])],
    ['pickle: an integer of 8 KiB', ckpt([0x8b, 0x00, 0x20, 0, 0, ...new Array(0x2000).fill(1)])],
    ['pickle: a negative LONG4 length', ckpt([0x8b, 0xff, 0xff, 0xff, 0xff])],
    ['pickle: 5,000 MARKs', ckpt(new Array(5000).fill(0x28))],
    ['pickle: INT not a number', ckpt([0x49, ...bytes('abc\n')])],
    ['pickle: LONG not a number', ckpt([0x4c, ...bytes('abc\n')])],
    ['pickle: FLOAT not a number', ckpt([0x46, ...bytes('abc\n')])],
    ['pickle: INT without an end of line', ckpt([0x49, ...new Array(2000).fill(0x31)])],
    ['pickle: LONG without an end of line', ckpt([0x4c, ...new Array(2000).fill(0x31)])],
    ['pickle: FLOAT without an end of line', ckpt([0x46, ...new Array(2000).fill(0x31)])],
    ['pickle: GLOBAL module without an end of line', ckpt([0x63, ...new Array(2000).fill(0x41)])],
    ['pickle: GLOBAL name without an end of line', ckpt([0x63, ...bytes('os\n'), ...new Array(2000).fill(0x41)])],
    ['pickle: PUT not a number', ckpt([0x4e, 0x70, ...bytes('x\n')])],
    ['pickle: GET not a number', ckpt([0x67, ...bytes('x\n')])],
    ['pickle: PUT without an end of line', ckpt([0x4e, 0x70, ...new Array(2000).fill(0x31)])],
    ['pickle: GET without an end of line', ckpt([0x67, ...new Array(2000).fill(0x31)])],
    ['pickle: STACK_GLOBAL of two Nones', ckpt([0x4e, 0x4e, 0x93], 4)],
    ['pickle: REDUCE with None as arguments', ckpt([...global('collections.OrderedDict'), 0x4e, 0x52])],
    ['pickle: REDUCE on an object', ckpt([...global('os.system'), 0x29, 0x81, 0x29, 0x52])],
    ['pickle: NEWOBJ of two Nones', ckpt([0x4e, 0x4e, 0x81])],
    ['pickle: NEWOBJ_EX of three Nones', ckpt([0x4e, 0x4e, 0x4e, 0x92], 4)],
    ['pickle: a persistent id that is a string', ckpt(model([...str('storage'), 0x51]))],
    // ---------------------------------------------------------------- the functions a pickle may call, called wrongly
    ['call: OrderedDict of two arguments', ckpt(call('collections.OrderedDict', [...N, ...N]))],
    ['call: OrderedDict of a number', ckpt(call('collections.OrderedDict', K(3)))],
    ['call: OrderedDict of a list of one', ckpt(call('collections.OrderedDict', [0x5d, 0x5d, ...N, 0x61, 0x61]))],
    ['call: set of a number', ckpt(call('builtins.set', K(3)))],
    ['call: bytes of a number', ckpt(call('builtins.bytes', K(3)))],
    ['call: bytes of text beyond latin-1', ckpt(call('builtins.bytes', str('\u0100')))],
    ['call: torch.Size of a number', ckpt(call('torch.Size', K(3)))],
    ['call: torch.Size of None', ckpt(call('torch.Size', [...N, 0x85]))],
    ['call: torch.Size of 20 sizes', ckpt(call('torch.Size', [0x28, ...new Array(20).fill([0x4b, 1]).flat(), 0x74]))],
    ['call: _rebuild_tensor_v2 of None', ckpt(call('torch._utils._rebuild_tensor_v2', [...N, ...K(0), 0x29, 0x29]))],
    ['call: _rebuild_parameter of a number', ckpt(call('torch._utils._rebuild_parameter', K(3)))],
    ['call: _rebuild_from_type_v2 of nothing', ckpt(call('torch._tensor._rebuild_from_type_v2', []))],
    ['storage: of a number type', ckpt(model(storage(K(3), '0', K(1))))],
    ['storage: a key that is not a name', ckpt(model(storage(global('torch.FloatStorage'), '!!', K(1))))],
    [
      'storage: a negative element count',
      ckpt(model(storage(global('torch.FloatStorage'), '0', [0x4a, 0xff, 0xff, 0xff, 0xff]))),
    ],
    // ---------------------------------------------------------------- the model and its config
    ['checkpoint: a reference to a function', ckpt(global('os.system'))],
    ['checkpoint: model is None', ckpt(model(N))],
    ['checkpoint: yaml is a number', ckpt(model(object(M, items(['yaml', K(3)]))))],
    [
      'checkpoint: a submodule that is a number',
      ckpt(model(object(M, items(['_modules', [0x7d, ...items(['a', K(3)])]])))),
    ],
    [
      'checkpoint: a parameter that is a number',
      ckpt(model(object(M, items(['_parameters', [0x7d, ...items(['w', K(3)])]])))),
    ],
    [
      'checkpoint: a config holding a function',
      ckpt(model(object(M, items(['yaml', [0x7d, ...items(['nc', global('os.system')])]])))),
    ],
    ['checkpoint: a config with a tuple as a key', ckpt(model(object(M, items(['yaml', [0x7d, 0x29, ...N, 0x73]]))))],
    [
      'checkpoint: a config with a 9-byte integer',
      ckpt(model(object(M, items(['yaml', [0x7d, ...items(['nc', [0x8a, 9, ...new Array(9).fill(0x7f)]])]])))),
    ],
  ];
}
