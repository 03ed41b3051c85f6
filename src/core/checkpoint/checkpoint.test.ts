/**
 * Checkpoints built byte by byte: a small valid one (the pipeline end to end), then hostile and broken
 * ones, each of which must give a clear CheckpointError (never a hang, a crash or anything executed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseModelText } from '../document.ts';
import { PyFloat } from '../py.ts';
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
  u32,
  zip,
  type Desc,
} from '../../testing/torch-save.ts';
import {
  checkpointYaml,
  configToYaml,
  CheckpointError,
  PickleError,
  PyDict,
  PyObject,
  PySet,
  PyTuple,
  readCheckpoint,
  readZip,
  unpickle,
  ZipError,
  type PyValue,
} from './index.ts';

const f16 = (xs: number[]) => {
  // exact halves only: 1, -2, 0.5, 3
  const table: Record<number, number> = { 1: 0x3c00, [-2]: 0xc000, 0.5: 0x3800, 3: 0x4200 };
  return new Uint8Array(xs.flatMap((x) => [table[x] & 255, table[x] >> 8]));
};
const i64 = (n: number) => new Uint8Array([...u32(n), 0, 0, 0, 0]);

const CONFIG: Desc = od([
  ['nc', 2],
  ['depth_multiple', new PyFloat(1)],
  ['width_multiple', new PyFloat(0.25)],
  ['anchors', [[10, 13, 16, 30, 33, 23]]],
  ['backbone', [[-1, 1, 'Conv', [16, 3, 2]]]],
  ['head', [[-1, 1, 'nn.Upsample', ['None', 2, 'nearest']]]],
  ['ch', 3],
]);

function validPickle(model: Desc = tinyModel()): Uint8Array {
  return pickle(
    od([
      ['epoch', -1],
      ['best_fitness', null],
      ['model', model],
      ['ema', null],
      ['date', '2026-11-28'],
    ]),
  );
}

function tinyModel(extra: [string, Desc][] = []): Desc {
  const w = param(tensor(storage('HalfStorage', '0', 4), [2, 2], [2, 1]));
  const n = tensor(storage('LongStorage', '1', 1), [], []);
  const conv = module(
    'torch.nn.modules.conv.Conv2d',
    [
      ['weight', w],
      ['bias', null],
    ],
    [['num_batches_tracked', n]],
  );
  const seq = module('torch.nn.modules.container.Sequential', [], [], [['0', conv]]);
  return module(
    'models.yolo.DetectionModel',
    [],
    [],
    [['model', seq]],
    [['yaml_file', 'tiny.yaml'], ['yaml', CONFIG], ['names', ['cat', 'dog']], ...extra],
  );
}

const validFiles = (pkl = validPickle()): [string, Uint8Array][] => [
  ['tiny/data.pkl', pkl],
  ['tiny/data/0', f16([1, -2, 0.5, 3])],
  ['tiny/data/1', i64(7)],
  ['tiny/version', enc.encode('3\n')],
];

const fails = (bytes: Uint8Array, message: RegExp) => {
  let err: unknown;
  try {
    readCheckpoint(bytes).state();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CheckpointError);
  expect((err as Error).message).toMatch(message);
};

// ---------------------------------------------------------------- tests

describe('a checkpoint built byte by byte', () => {
  it('reads the model, its config, names and state_dict (fp16 and int64 to float32)', () => {
    const cp = readCheckpoint(zip(validFiles()));
    expect(cp.from).toBe('model');
    expect(cp.className).toBe('models.yolo.DetectionModel');
    expect(cp.yamlFile).toBe('tiny.yaml');
    expect(cp.names).toEqual(['cat', 'dog']);
    expect(cp.meta).toEqual({ epoch: -1, best_fitness: null, date: '2026-11-28' });
    expect([...cp.tensors.keys()]).toEqual(['model.0.weight', 'model.0.num_batches_tracked']);
    expect(cp.parameterCount).toBe(4);
    const st = cp.state();
    expect(st.get('model.0.weight')).toEqual({ shape: [2, 2], data: new Float32Array([1, -2, 0.5, 3]), dtype: 'F16' });
    expect(st.get('model.0.num_batches_tracked')).toEqual({ shape: [], data: new Float32Array([7]), dtype: 'I64' });
    expect(cp.config?.depth_multiple).toEqual(new PyFloat(1));
  });

  it('reads the same archive written with zip64 records', () => {
    const cp = readCheckpoint(zip(validFiles(), { zip64: true }));
    expect(cp.state().get('model.0.weight')!.data).toEqual(new Float32Array([1, -2, 0.5, 3]));
  });

  it('prefers ckpt["ema"] when it is set, as YOLOv5 does', () => {
    const pkl = pickle(
      od([
        ['model', null],
        ['ema', tinyModel()],
      ]),
    );
    expect(readCheckpoint(zip(validFiles(pkl))).from).toBe('ema');
  });

  it('reads a transposed (strided) view of a storage in row-major order', () => {
    const w = param(tensor(storage('HalfStorage', '0', 4), [2, 2], [1, 2]));
    const m = module('models.yolo.DetectionModel', [['w', w]]);
    const cp = readCheckpoint(zip(validFiles(pickle(od([['model', m]])))));
    expect(cp.state().get('w')!.data).toEqual(new Float32Array([1, 0.5, -2, 3]));
  });

  it('skips non-persistent buffers and None entries, as state_dict does', () => {
    const n = tensor(storage('LongStorage', '1', 1), [], []);
    const m = module(
      'models.yolo.DetectionModel',
      [['p', null]],
      [
        ['kept', n],
        ['dropped', n],
      ],
      [],
      [['_non_persistent_buffers_set', { reduce: 'builtins.set', args: [['dropped']] }]],
    );
    expect([...readCheckpoint(zip(validFiles(pickle(od([['model', m]]))))).tensors.keys()]).toEqual(['kept']);
  });

  it("leaves out old YOLOv5's Detect.anchor_grid buffer (derived from anchors) and says so", () => {
    const n = tensor(storage('LongStorage', '1', 1), [], []);
    const det = module(
      'models.yolo.Detect',
      [],
      [
        ['anchors', n],
        ['anchor_grid', n],
      ],
    );
    const m = module(
      'models.yolo.Model',
      [],
      [],
      [['model', module('torch.nn.modules.container.Sequential', [], [], [['24', det]])]],
    );
    const cp = readCheckpoint(zip(validFiles(pickle(od([['model', m]])))));
    expect([...cp.tensors.keys()]).toEqual(['model.24.anchors']);
    expect(cp.skipped).toEqual(['model.24.anchor_grid']);
  });

  it('writes the config as YAML that reads back to the same values', () => {
    const cp = readCheckpoint(zip(validFiles()));
    const text = checkpointYaml(cp, 'tiny.pt');
    expect(text).toContain("names: ['cat', 'dog']");
    expect(text).toContain('depth_multiple: 1.0\n');
    expect(text).toContain("    [-1, 1, nn.Upsample, [None, 2, 'nearest']], # 1\n");
    expect(text).not.toContain('ch: 3');
    const src = parseModelText(text, 'tiny.yaml');
    expect(src.names).toEqual(['cat', 'dog']);
    expect(src.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a yaml_file, file name, class name or string with line breaks never becomes a row of the YAML written', () => {
    const BREAKS = ['\n', '\r', '\r\n', '\x0b', '\x0c', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029'];
    for (const br of BREAKS) {
      const evil = `x${br}head: [[-1, 1, Evil, []]]${br}nc: 999`;
      const m = tinyModel();
      const state = (m as { state: { dict: [Desc, Desc][] } }).state.dict;
      state[state.findIndex(([k]) => k === 'yaml_file')] = ['yaml_file', evil];
      state[state.findIndex(([k]) => k === 'names')] = ['names', ['cat', evil]];
      const cfg = (state.find(([k]) => k === 'yaml')![1] as { dict: [string, Desc][] }).dict;
      cfg[cfg.findIndex(([k]) => k === 'head')] = ['head', [[-1, 1, 'nn.Upsample', ['None', 2, evil]]]];
      const text = checkpointYaml(readCheckpoint(zip(validFiles(validPickle(m)))), `m${br}backbone: []${br}.pt`);
      // every line (as any reader splits them) is a comment, a key of the config or one of its rows
      const lines = text.split(/\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]/);
      expect(text.split('\n').length, JSON.stringify(br)).toBe(lines.length);
      for (const l of lines)
        expect(l, JSON.stringify(br)).toMatch(
          /^(#.*|nc: 2|depth_multiple: .*|width_multiple: .*|anchors:|  - \[.*|backbone:|head:|  # .*|  \[|  \]|    \[.*\], # \d|names: \[.*\]|)$/,
        );
      const src = parseModelText(text, 'm.yaml');
      expect(src.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(src.names).toEqual([
        'cat',
        evil.replace(/\r\n/g, ' ').replace(/[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]/g, ' '),
      ]);
      // the string argument is kept exactly (escaped in double quotes)
      expect(text).not.toContain('Evil, []]]\n');
      expect(JSON.stringify(src.rows.at(-1)?.args ?? null)).toContain(JSON.stringify(evil).slice(1, -1));
    }
  });

  it('takes names given as a dict {0: name, ...}, as newer YOLOv5 saves them', () => {
    const m = tinyModel();
    const state = (m as { state: { dict: [Desc, Desc][] } }).state.dict;
    state[state.findIndex(([k]) => k === 'names')] = [
      'names',
      {
        dict: [
          [1, 'dog'],
          [0, 'cat'],
        ],
      },
    ];
    expect(readCheckpoint(zip(validFiles(validPickle(m)))).names).toEqual(['cat', 'dog']);
  });

  it('quotes strings YAML 1.1 would read as something else', () => {
    const text = configToYaml({
      nc: 1,
      activation: 'nn.LeakyReLU(0.1)',
      odd: 'yes',
      head: [[-1, 1, 'on', ['off', 'x y', new PyFloat(1e-5)]]],
    });
    expect(text).toContain("activation: 'nn.LeakyReLU(0.1)'");
    expect(text).toContain("odd: 'yes'");
    expect(text).toContain("[-1, 1, 'on', ['off', 'x y', 1.0e-05]], # 0");
  });

  it('keeps numpy scalars and unknown classes as inert records', () => {
    const dtype: Desc = { reduce: 'numpy.dtype', args: ['f8', false, true] };
    const bytes: Desc = {
      reduce: '_codecs.encode',
      args: ['\u0000\u0000\u0000\u0000\u0000\u0000\u00e0\u003f', 'latin1'],
    };
    const scalar: Desc = { reduce: 'numpy.core.multiarray.scalar', args: [dtype, bytes] };
    const cp = readCheckpoint(
      zip(
        validFiles(
          pickle(
            od([
              ['model', tinyModel()],
              ['best_fitness', scalar],
              ['opt', { newobj: 'os.system', state: 'rm -rf /' }],
            ]),
          ),
        ),
      ),
    );
    expect(cp.meta.best_fitness).toBe(0.5);
    const root = cp.root as PyDict;
    const opt = root.get('opt') as PyObject;
    expect(opt).toBeInstanceOf(PyObject);
    expect(opt.className).toBe('os.system');
    expect(opt.state).toBe('rm -rf /');
  });
});

describe('hostile and broken checkpoints get a clear error', () => {
  const good = zip(validFiles());

  it('refuses a file that is not a zip, and names the legacy format', () => {
    fails(new Uint8Array([1, 2, 3]), /not a PyTorch checkpoint/);
    fails(
      new Uint8Array([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]),
      /legacy/,
    );
  });

  it('refuses every truncation of a valid checkpoint', () => {
    for (let n = 4; n < good.length; n += 7) fails(good.subarray(0, n), /./);
  });

  it('refuses compressed (deflated) entries', () => {
    fails(zip(validFiles(), { method: 8 }), /compressed \(method 8, deflate\)/);
  });

  it('refuses a central directory whose sizes and offsets lie', () => {
    fails(
      zip(validFiles(), { lie: (n) => (n === 'tiny/data/0' ? { size: 1 << 30 } : undefined) }),
      /sizes differ|run past|beyond|outside|declares/,
    );
    fails(
      zip(validFiles(), { lie: (n) => (n === 'tiny/data/0' ? { offset: 5 } : undefined) }),
      /no local header|run past|shorter/,
    );
    fails(
      zip(validFiles(), { lie: (n) => (n === 'tiny/data.pkl' ? { offset: 0x7fffffff } : undefined) }),
      /outside the archive/,
    );
    fails(zip(validFiles(), { zip64: true, lie: (n) => (n === 'tiny/data/0' ? { size: 2 ** 52 } : undefined) }), /./);
  });

  it('refuses an end record claiming more entries than it can hold', () => {
    const b = good.slice();
    const eocd = b.length - 22;
    b[eocd + 10] = 0xfe;
    b[eocd + 11] = 0xff;
    fails(b, /too small for its 65534 entries/);
    const c = good.slice();
    c[c.length - 22 + 16] = 0xff; // central directory offset far beyond the file
    c[c.length - 22 + 19] = 0x7f;
    fails(c, /beyond the end of the archive/);
  });

  it('refuses a missing data.pkl or storage, and storages smaller than they declare', () => {
    fails(zip([['x/other', new Uint8Array(1)]]), /no data\.pkl/);
    fails(zip(validFiles().filter(([n]) => n !== 'tiny/data/0')), /storage 0 is missing/);
    const files = validFiles();
    files[1] = ['tiny/data/0', new Uint8Array(2)];
    fails(zip(files), /storage 0 declares 4 elements \(8 bytes\) but holds 2 bytes/);
  });

  it('refuses tensor views outside their storage (no huge allocations through sizes or strides)', () => {
    const big = module('m.M', [['w', tensor(storage('HalfStorage', '0', 4), [1 << 30, 1 << 30], [0, 0])]]);
    fails(zip(validFiles(pickle(od([['model', big]])))), /does not fit its storage of 4 elements/);
    const off = module('m.M', [['w', tensor(storage('HalfStorage', '0', 4), [2, 2], [2, 1], 3)]]);
    fails(zip(validFiles(pickle(od([['model', off]])))), /does not fit its storage/);
    const huge = module('m.M', [['w', tensor(storage('HalfStorage', '0', 2 ** 40), [2], [1])]]);
    fails(zip(validFiles(pickle(od([['model', huge]])))), /declares 1099511627776 elements/);
  });

  it('caps the size of data.pkl', () => {
    expect(() => readCheckpoint(good, { maxPickleBytes: 100 })).toThrow(
      /the pickle is \d+ bytes; at most 100 are read/,
    );
  });

  it('caps the elements materialised', () => {
    const cp = readCheckpoint(good, { maxElements: 3 });
    expect(() => cp.state()).toThrow(/5 elements; at most 3/);
  });

  it('refuses REDUCE on functions that are not on the allowlist, without calling them', () => {
    for (const fn of [
      'os.system',
      'builtins.eval',
      'posix.system',
      'subprocess.Popen',
      'torch.load',
      'builtins.getattr',
    ]) {
      const p = pickle(od([['model', { reduce: fn, args: ['touch /tmp/pwned'] }]]));
      fails(zip(validFiles(p)), new RegExp(`refusing to call ${fn.replace('.', '\\.')}`));
    }
    // STACK_GLOBAL (protocol 4) goes the same way
    const sg = new Uint8Array([0x80, 0x04, ...str('os'), ...str('system'), 0x93, ...str('id'), 0x85, 0x52, 0x2e]);
    expect(() => unpickle(sg)).toThrow(/refusing to call os\.system/);
    // REDUCE on something that is not a named function (e.g. a record)
    const rec = new Uint8Array([0x80, 0x02, ...globalOp('os.system'), 0x29, 0x81, 0x29, 0x52, 0x2e]);
    expect(() => unpickle(rec)).toThrow(/refusing to call a os\.system object/);
  });

  it('refuses INST, OBJ, EXT1/2/4, PERSID and out-of-band buffers', () => {
    const cases: [number[], RegExp][] = [
      [[0x28, 0x69, ...enc.encode('os\nsystem\n')], /INST/],
      [[0x28, ...globalOp('os.system'), 0x6f], /OBJ/],
      [[0x82, 1], /EXT1/],
      [[0x83, 1, 0], /EXT2/],
      [[0x84, 1, 0, 0, 0], /EXT4/],
      [[0x50, ...enc.encode('x\n')], /PERSID/],
      [[0x97], /NEXT_BUFFER/],
    ];
    for (const [ops, re] of cases) expect(() => unpickle(new Uint8Array([0x80, 0x05, ...ops, 0x2e]))).toThrow(re);
  });

  it('refuses lengths beyond the data (no allocation from a lying length)', () => {
    const cases: number[][] = [
      [0x58, 0xff, 0xff, 0xff, 0xff], // BINUNICODE 4 GiB
      [0x8d, 0, 0, 0, 0, 0, 0, 0, 0x10], // BINUNICODE8 2^60
      [0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], // BINBYTES8
      [0x96, 0, 0, 0, 0, 1, 0, 0, 0], // BYTEARRAY8
      [0x42, 0, 0, 0, 0x40], // BINBYTES 1 GiB
      [0x8b, 0xff, 0xff, 0xff, 0x7f], // LONG4 2 GiB
      [0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // FRAME
    ];
    for (const ops of cases) expect(() => unpickle(new Uint8Array([0x80, 0x04, ...ops]))).toThrow(PickleError);
    expect(() =>
      unpickle(new Uint8Array([0x80, 0x02, 0x8b, 0x00, 0x20, 0x00, 0x00, ...new Array(0x2000).fill(1), 0x2e])),
    ).toThrow(/8192 bytes is too large/);
  });

  it('refuses deep nesting, in the pickle and in what is built from it', () => {
    const marks = new Uint8Array([0x80, 0x02, ...new Array(5000).fill(0x28), 0x2e]);
    expect(() => unpickle(marks)).toThrow(/nests deeper than 1000 levels/);
    // 100,000 lists each inside the next (built without MARK), as the model's yaml: no stack overflow
    const n = 100_000;
    const nested = [...new Array(n).fill(0x5d), ...new Array(n - 1).fill(0x61)];
    const deep = module('models.yolo.DetectionModel', [], [], [], [['yaml', od([['backbone', { raw: nested }]])]]);
    fails(zip(validFiles(pickle(od([['model', deep]])))), /nests deeper than 32 levels/);
    // modules nested 100 deep (the pickle itself is within its limits)
    let m: Desc = module('m.Leaf', []);
    for (let i = 0; i < 100; i++) m = module('m.M', [], [], [['c', m]]);
    fails(zip(validFiles(pickle(od([['model', m]])))), /modules nest deeper than 64 levels/);
  });

  it('refuses exponential sharing (a "billion laughs" of shared lists, modules or dict keys) instead of expanding it', () => {
    // yaml: L0 = [0]; Li = [L(i-1), L(i-1)] for 30 levels: 2^30 values if copied
    const laughs = module(
      'models.yolo.DetectionModel',
      [],
      [],
      [],
      [['yaml', od([['head', { raw: sharedLists(30) }]])]],
    );
    fails(zip(validFiles(pickle(od([['model', laughs]])))), /more than 200,000 values/);
    // modules: Mi has children a and b, both M(i-1), for 40 levels
    fails(zip(validFiles(pickle(od([['model', { raw: sharedModules(40) }]])))), /more than 100,000 modules/);
    // dict keys: T0 = (1,); Ti = (T(i-1), T(i-1)); {T30: 1}
    const keys: number[] = [0x80, 0x02, 0x7d, 0x4b, 1, 0x85, 0x71, 0];
    for (let i = 1; i <= 30; i++) keys.push(0x30, 0x68, i - 1, 0x68, i - 1, 0x86, 0x71, i);
    keys.push(0x4b, 1, 0x73, 0x2e);
    expect(() => unpickle(new Uint8Array(keys))).toThrow(/dict key is too large/);
  });

  it('caps the memo', () => {
    expect(() =>
      unpickle(new Uint8Array([0x80, 0x02, 0x4e, 0x71, 0, 0x71, 1, 0x71, 2, 0x71, 3, 0x2e]), { maxMemo: 3 }),
    ).toThrow(/memoises more than 3 values/);
  });

  it('refuses a module tree or config that loops back on itself', () => {
    // a list that contains itself, as the yaml
    const selfList: Desc = { raw: [0x5d, 0x71, 0x63, 0x68, 0x63, 0x61] }; // [] PUT 99 GET 99 APPEND
    const cyc = module('models.yolo.DetectionModel', [], [], [], [['yaml', od([['head', selfList]])]]);
    fails(zip(validFiles(pickle(od([['model', cyc]])))), /nests deeper than 32 levels/);
    // a module whose _modules holds itself
    const loop: Desc = {
      raw: [
        ...globalOp('m.M'),
        0x29,
        0x81,
        0x71,
        0x05,
        0x7d,
        0x28,
        ...str('_modules'),
        0x7d,
        0x28,
        ...str('self'),
        0x68,
        0x05,
        0x75,
        0x75,
        0x62,
      ],
    };
    fails(zip(validFiles(pickle(od([['model', loop]])))), /loops back on itself at self\./);
  });

  it('refuses malformed opcode sequences', () => {
    const cases: [number[], RegExp][] = [
      [[0x80, 0x02], /no STOP/],
      [[0x80, 0x06, 0x4e, 0x2e], /protocol 6/],
      [[0x80, 0x02, 0x2e], /STOP with a stack/],
      [[0x80, 0x02, 0x4e, 0x4e, 0x2e], /STOP with a stack/],
      [[0x80, 0x02, 0x68, 0x07, 0x2e], /memo entry 7 was never stored/],
      [[0x80, 0x02, 0x61, 0x2e], /stack is empty/],
      [[0x80, 0x02, 0x4e, 0x4e, 0x61, 0x2e], /APPEND on a None/],
      [[0x80, 0x02, 0x5d, 0x7d, 0x4e, 0x4e, 0x73, 0x62, 0x2e], /BUILD on a list/],
      [[0x80, 0x02, 0x5d, 0x5d, 0x5d, 0x73, 0x2e], /unhashable dict key \(list\)|SETITEM on a list/],
      [[0x80, 0x02, 0x7d, 0x5d, 0x4e, 0x73, 0x2e], /unhashable dict key \(list\)/],
      [[0x80, 0x02, 0x75, 0x2e], /no MARK/],
      [[0x80, 0x02, 0xff, 0x2e], /unsupported pickle opcode 0xff/],
      [[0x80, 0x02, 0x58, 0x02, 0, 0, 0, 0xc3, 0x28, 0x2e], /not UTF-8/],
      [[0x80, 0x02, 0x63, ...new Array(2000).fill(0x41)], /no end of line/],
      [[0x80, 0x02, ...str('storage'), 0x51, 0x2e], /external data/],
    ];
    for (const [b, re] of cases) expect(() => unpickle(new Uint8Array(b))).toThrow(re);
  });

  it('refuses persistent ids that are not torch storages', () => {
    const bad = (pid: Desc) =>
      fails(
        zip(validFiles(pickle(od([['model', { persid: pid }]])))),
        /persistent id|storage type|storage key|element count/,
      );
    bad('storage');
    bad({ tuple: ['storage', { global: 'os.system' }, '0', 'cpu', 4] });
    bad({ tuple: ['storage', { global: 'torch.HalfStorage' }, '../../etc/passwd', 'cpu', 4] });
    bad({ tuple: ['storage', { global: 'torch.HalfStorage' }, '0', 'cpu', -1] });
  });

  it('says what is wrong when the checkpoint holds no model or no architecture', () => {
    fails(zip(validFiles(pickle(od([['epoch', 1]])))), /has no 'model' \(its keys: epoch\)/);
    fails(zip(validFiles(pickle(od([['model', 3]])))), /'model' is a int, not a model/);
    const noYaml = readCheckpoint(zip(validFiles(pickle(od([['model', module('m.M', [])]])))));
    expect(() => checkpointYaml(noYaml, 'w.pt')).toThrow(/w\.pt holds weights but no architecture/);
    const weird = module('m.M', [], [], [], [['yaml', od([['nc', { newobj: 'os.system' }]])]]);
    fails(zip(validFiles(pickle(od([['model', weird]])))), /config holds a os\.system object \(at yaml\.nc\)/);
  });

  it('never fails other than with a CheckpointError on corrupted bytes, zip or zip64 (property)', () => {
    const good64 = zip(validFiles(), { zip64: true });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good64.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (edits) => {
          const b = good64.slice();
          for (const [at, v] of edits) b[at] = v;
          try {
            readCheckpoint(b).state();
          } catch (e) {
            if (!(e instanceof CheckpointError)) throw e;
          }
        },
      ),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (edits) => {
          const b = good.slice();
          for (const [at, v] of edits) b[at] = v;
          try {
            readCheckpoint(b).state();
          } catch (e) {
            if (!(e instanceof CheckpointError)) throw e;
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('the zip reader', () => {
  it('lists stored entries and reads them as views', () => {
    const z = readZip(
      zip([
        ['a/b', new Uint8Array([1, 2, 3])],
        ['c', new Uint8Array(0)],
      ]),
    );
    expect([...z.entries.keys()]).toEqual(['a/b', 'c']);
    expect([...z.read('a/b')]).toEqual([1, 2, 3]);
    expect(z.read('c').length).toBe(0);
    expect(() => z.read('nope')).toThrow(ZipError);
  });
});

describe('the unpickler', () => {
  // pickle.dumps({'a': [1, 2.5, 'x', b'yz', -70000, 2**70], 'b': (None, True), 'c': OrderedDict([('k', {1, 2})]),
  //               'd': frozenset([3]), 'e': bytearray(b'q')}, protocol=P) by CPython 3
  const DUMPS: Record<number, string> = {
    2: '80027d71002858010000006171015d7102284b014740040000000000005801000000787103635f636f646563730a656e636f64650a71045802000000797a710558060000006c6174696e3171068671075271084a90eefeff8a090000000000000000406558010000006271094e8886710a580100000063710b63636f6c6c656374696f6e730a4f726465726564446963740a710c2952710d58010000006b710e635f5f6275696c74696e5f5f0a7365740a710f5d7110284b014b0265857111527112735801000000647113635f5f6275696c74696e5f5f0a66726f7a656e7365740a71145d71154b03618571165271175801000000657118635f5f6275696c74696e5f5f0a6279746561727261790a71196804580100000071711a680686711b52711c85711d52711e752e',
    4: '80049599000000000000007d94288c0161945d94284b014740040000000000008c0178944302797a944a90eefeff8a09000000000000000040658c0162944e8886948c0163948c0b636f6c6c656374696f6e73948c0b4f726465726564446963749493942952948c016b948f94284b014b0290738c016494284b0391948c0165948c086275696c74696e73948c096279746561727261799493944301719485945294752e',
    5: '80059583000000000000007d94288c0161945d94284b014740040000000000008c0178944302797a944a90eefeff8a09000000000000000040658c0162944e8886948c0163948c0b636f6c6c656374696f6e73948c0b4f726465726564446963749493942952948c016b948f94284b014b0290738c016494284b0391948c0165949601000000000000007194752e',
  };
  const plain = (v: PyValue): unknown => {
    if (v instanceof PyDict) return [...v.entries()].map(([k, x]) => [plain(k), plain(x)]);
    if (v instanceof PyTuple) return { tuple: v.items.map(plain) };
    if (v instanceof PySet) return { set: v.items.map(plain), frozen: v.frozen };
    if (v instanceof PyFloat) return { float: v.v };
    if (v instanceof Uint8Array) return { bytes: [...v] };
    if (Array.isArray(v)) return v.map(plain);
    return v;
  };
  it('reads what CPython writes with protocols 2, 4 and 5 (FRAME, MEMOIZE, STACK_GLOBAL, sets, bytes, big ints) alike', () => {
    const want = [
      ['a', [1, { float: 2.5 }, 'x', { bytes: [0x79, 0x7a] }, -70000, 2n ** 70n]],
      ['b', { tuple: [null, true] }],
      ['c', [['k', { set: [1, 2], frozen: false }]]],
      ['d', { set: [3], frozen: true }],
      ['e', { bytes: [0x71] }],
    ];
    for (const [p, hex] of Object.entries(DUMPS)) {
      const bytes = new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));
      expect(plain(unpickle(bytes)), `protocol ${p}`).toEqual(want);
    }
  });

  it('rebuilds data: dicts keep Python key equality, tuples and floats keep their kind', () => {
    const v = unpickle(pickle(od([['a', { tuple: [1, new PyFloat(2)] }]])));
    expect(v).toBeInstanceOf(PyDict);
    const t = (v as PyDict).get('a') as PyTuple;
    expect(t.items).toEqual([1, new PyFloat(2)]);
    const d = unpickle(
      pickle({
        dict: [
          [1, 'int'],
          [true, 'bool'],
          [new PyFloat(1), 'float'],
        ],
      }),
    ) as PyDict;
    expect(d.size).toBe(1);
    expect(d.get(1)).toBe('float');
    const big = unpickle(new Uint8Array([0x80, 0x02, 0x8a, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x2e])) as PyValue;
    expect(big).toBe(-(2n ** 71n));
  });
});
