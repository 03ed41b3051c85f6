/**
 * Checkpoints broken on purpose, one or more per message the checkpoint reader says (src/core/checkpoint: the
 * pickle's 'pickle.*', the module tree's and config's 'checkpoint.*'), beside message-corpus.ts's
 * checkpointBytes (which the CLI runs also read). Each is a torch.save-style zip whose data.pkl is written
 * opcode by opcode here.
 */
import {
  enc,
  globalOp,
  module,
  od,
  param,
  pickle,
  sharedLists,
  sharedModules,
  storage,
  str,
  tensor,
  zip,
  type Desc,
} from './torch-save.ts';

const bytes = (s: string): number[] => [...enc.encode(s)];
/** An object of class `cls` (NEWOBJ with no arguments) whose state is the dict built by `state` (BUILD). */
const object = (cls: string, state: number[]): number[] => [...globalOp(cls), 0x29, 0x81, 0x7d, ...state, 0x62];
/** A dict's items, each key a string: `}` then key, value, SETITEM. */
const items = (...kv: [string, number[]][]): number[] => kv.flatMap(([k, v]) => [...str(k), ...v, 0x73]);
/** {'model': value}. */
const model = (value: number[]): number[] => [0x7d, ...str('model'), ...value, 0x73];
const K = (n: number): number[] => [0x4b, n];
const N = [0x4e];
/** REDUCE: the function called with these arguments (a tuple of them). */
const call = (fn: string, args: number[]): number[] => [...globalOp(fn), 0x28, ...args, 0x74, 0x52];
/** BINPERSID of ('storage', type, key, 'cpu', numel), as torch.save writes a storage. */
const persid = (type: number[], key: string, numel: number[]): number[] => [
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

// ---------------------------------------------------------------- archives built with torch-save.ts's pickler

const DM = 'models.yolo.DetectionModel';
/** A model whose layer 0 holds these parameters. */
const layerWith = (params: [string, Desc][]): Desc =>
  od([['model', module(DM, [], [], [['0', module('torch.nn.modules.conv.Conv2d', params)]])]]);
/** A model whose one weight is this view of a storage. */
const weightOf = (s: Desc, shape: number[], stride: number[], offset = 0): Desc =>
  layerWith([['weight', param(tensor(s, shape, stride, offset))]]);
/** An archive: data.pkl of this value, each storage's bytes (key, length), a byteorder entry when given. */
const archive = (d: Desc, storages: [string, number][], byteorder?: string): Uint8Array =>
  zip(
    [
      ['archive/data.pkl', pickle(d)],
      ...storages.map(([k, n]): [string, Uint8Array] => [`archive/data/${k}`, new Uint8Array(n)]),
      ...(byteorder ? [['archive/byteorder', enc.encode(byteorder)] as [string, Uint8Array]] : []),
    ],
    { method: 0 },
  );
/** Lists nested `depth` deep. */
function nestedList(depth: number): Desc {
  let l: Desc = [1];
  for (let i = 0; i < depth; i++) l = [l];
  return l;
}
/** Modules nested `depth` deep. */
function nested(depth: number): Desc {
  let m: Desc = module('m.Leaf', []);
  for (let i = 0; i < depth; i++) m = module('m.M', [], [], [['c', m]]);
  return m;
}
/** A model whose yaml attribute is this value. */
const withYaml = (yaml: Desc): Desc => od([['model', module(DM, [], [], [], [['yaml', yaml]])]]);

// ---------------------------------------------------------------- archives changed byte by byte

const U32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);
const U16 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint16(at, v, true);
/** Where a 4-byte signature first is. */
function find(b: Uint8Array, sig: number): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i + 4 <= b.length; i++) if (dv.getUint32(i, true) === sig) return i;
  throw new Error(`no signature ${sig.toString(16)}`);
}
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const NONE = Uint8Array.from([0x80, 2, 0x4e, 0x2e]);
/** A one-entry archive (data.pkl of None), zip64 or not, changed by `edit`. */
function changed(edit: (b: Uint8Array) => void, zip64 = false): Uint8Array {
  const b = zip([['archive/data.pkl', NONE]], { method: 0, zip64 });
  edit(b);
  return b;
}
const central = (b: Uint8Array) => find(b, CENTRAL);
const eocd = (b: Uint8Array) => find(b, EOCD);
const z64 = (b: Uint8Array) => find(b, ZIP64_EOCD);
const locator = (b: Uint8Array) => find(b, ZIP64_LOCATOR);
/** The zip64 extra field of the central entry (after its 16-byte name). */
const extra = (b: Uint8Array) => central(b) + 46 + 'archive/data.pkl'.length;

/** A module whose _modules holds itself (memo 5). */
const selfModule = (): number[] => [
  ...globalOp('m.M'),
  0x29,
  0x81,
  0x71,
  5,
  0x7d,
  0x28,
  ...str('_modules'),
  0x7d,
  0x28,
  ...str('self'),
  0x68,
  5,
  0x75,
  0x75,
  0x62,
];
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
    ['pickle: PUT with nothing on the stack', ckpt([0x71, 0])],
    ['pickle: a dict key 101 tuples deep', ckpt([0x7d, 0x29, ...new Array(101).fill(0x85), 0x4e, 0x73])],
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
    ['pickle: REDUCE with None as arguments', ckpt([...globalOp('collections.OrderedDict'), 0x4e, 0x52])],
    ['pickle: REDUCE on an object', ckpt([...globalOp('os.system'), 0x29, 0x81, 0x29, 0x52])],
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
    ['storage: of a number type', ckpt(model(persid(K(3), '0', K(1))))],
    ['storage: a key that is not a name', ckpt(model(persid(globalOp('torch.FloatStorage'), '!!', K(1))))],
    [
      'storage: a negative element count',
      ckpt(model(persid(globalOp('torch.FloatStorage'), '0', [0x4a, 0xff, 0xff, 0xff, 0xff]))),
    ],
    // ---------------------------------------------------------------- the model and its config
    ['checkpoint: a reference to a function', ckpt(globalOp('os.system'))],
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
      ckpt(model(object(M, items(['yaml', [0x7d, ...items(['nc', globalOp('os.system')])]])))),
    ],
    ['checkpoint: a config with a tuple as a key', ckpt(model(object(M, items(['yaml', [0x7d, 0x29, ...N, 0x73]]))))],
    [
      'checkpoint: a config with a 9-byte integer',
      ckpt(model(object(M, items(['yaml', [0x7d, ...items(['nc', [0x8a, 9, ...new Array(9).fill(0x7f)]])]])))),
    ],
    // ---------------------------------------------------------------- storages and tensors
    ['storage: missing from the archive', archive(weightOf(storage('FloatStorage', '0', 4), [4], [1]), [])],
    ['storage: holds less than it declares', archive(weightOf(storage('FloatStorage', '0', 4), [4], [1]), [['0', 8]])],
    [
      'storage: declared twice',
      archive(
        layerWith([
          ['a', param(tensor(storage('FloatStorage', '0', 4), [4], [1]))],
          ['b', param(tensor(storage('FloatStorage', '0', 8), [8], [1]))],
        ]),
        [['0', 32]],
      ),
    ],
    ['storage: big-endian', archive(weightOf(storage('FloatStorage', '0', 4), [4], [1]), [['0', 16]], 'big')],
    ['tensor: outside its storage', archive(weightOf(storage('FloatStorage', '0', 4), [8], [1]), [['0', 16]])],
    ['tensor: two sizes, one stride', archive(weightOf(storage('FloatStorage', '0', 4), [2, 2], [1]), [['0', 16]])],
    ['tensor: a negative offset', archive(weightOf(storage('FloatStorage', '0', 4), [4], [1], -1), [['0', 16]])],
    // ---------------------------------------------------------------- the module tree and the config
    ['modules: 100 levels deep', archive(od([['model', nested(100)]]), [])],
    ['config: 40 levels deep', archive(withYaml(od([['head', nestedList(40)]])), [])],
    ['modules: a module holding itself', archive(od([['model', { raw: selfModule() }]]), [])],
    ['modules: shared 40 levels deep (2^40 paths)', archive(od([['model', { raw: sharedModules(40) }]]), [])],
    [
      'config: shared lists 30 levels deep (2^30 values)',
      archive(withYaml(od([['head', { raw: sharedLists(30) }]])), []),
    ],
    // ---------------------------------------------------------------- the archive's structure
    ['zip: an encrypted entry', changed((b) => U16(b, central(b) + 8, 1))],
    ['zip: a central entry with a bad signature', changed((b) => U32(b, central(b), 0x12345678))],
    ['zip: a central entry running past the directory', changed((b) => U16(b, central(b) + 28, 200))],
    ['zip: the directory beyond the end', changed((b) => U32(b, eocd(b) + 16, 100_000))],
    ['zip: a directory too small for its entries', changed((b) => U16(b, eocd(b) + 10, 2))],
    ['zip: a multi-part archive', changed((b) => U16(b, eocd(b) + 4, 1))],
    ['zip: an entry whose data lies outside', changed((b) => U32(b, central(b) + 42, 40))],
    ['zip: stored with two sizes', changed((b) => U32(b, central(b) + 20, 3))],
    [
      'zip: no local header where the directory points',
      zip(
        [
          ['archive/version', enc.encode('3\n')],
          ['archive/data.pkl', NONE],
        ],
        { method: 0, lie: (name) => (name.endsWith('data.pkl') ? { offset: 1 } : undefined) },
      ),
    ],
    [
      'zip: an entry longer than the data',
      zip([['archive/data.pkl', NONE]], { method: 0, lie: () => ({ size: 1000 }) }),
    ],
    ['zip64: no locator', changed((b) => U32(b, locator(b), 0), true)],
    ['zip64: its end record missing', changed((b) => U32(b, z64(b), 0), true)],
    ['zip64: its end record outside', changed((b) => U32(b, locator(b) + 8, 100_000), true)],
    ['zip64: an end record offset beyond any file', changed((b) => U32(b, locator(b) + 12, 0x00400000), true)],
    ['zip64: an entry count beyond any file', changed((b) => U32(b, z64(b) + 36, 0x00400000), true)],
    ['zip64: a directory size beyond any file', changed((b) => U32(b, z64(b) + 44, 0x00400000), true)],
    ['zip64: a directory offset beyond any file', changed((b) => U32(b, z64(b) + 52, 0x00400000), true)],
    ['zip64: two million entries', changed((b) => U32(b, z64(b) + 32, 2_000_000), true)],
    ['zip64: an entry size beyond any file', changed((b) => U32(b, extra(b) + 8, 0x00400000), true)],
    ['zip64: an extra field past its header', changed((b) => U16(b, extra(b) + 2, 100), true)],
    ['zip64: an extra field too short', changed((b) => U16(b, extra(b) + 2, 8), true)],
  ];
}
