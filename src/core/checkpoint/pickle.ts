/**
 * A restricted unpickler: it rebuilds data and nothing else. Dicts, lists, tuples, sets, numbers,
 * strings and bytes become their JavaScript counterparts; tensors are rebuilt (as references to their
 * storages) only through an allowlist of torch's rebuild functions; every other class or function is an
 * inert record (its name, the arguments it would have been called with, the state BUILD would have set).
 * Nothing named in the pickle is ever executed, imported or looked up. Opcodes that call things in ways
 * data cannot describe (INST, OBJ, the extension registry, REDUCE on a function that is not on the
 * allowlist) are refused with a PickleError, and so is anything malformed, truncated or too large.
 *
 * The loop is iterative and every opcode consumes at least one byte, so work is linear in the input.
 *
 * Long on purpose: one loop with a case per opcode, sharing the bounds that make it safe (bytes, values, memo, marks,
 * dict-key work); the allowlist of rebuild functions sits beside it, so what a pickle can make is read in one place.
 * The values it makes (containers, records, storages and tensors) are values.ts.
 */
import { LIMITS } from '../limits.ts';
import { msg, type Message } from '../messages/index.ts';
import { PyFloat } from '../py.ts';
import { latin1, utf8 } from './text.ts';
import {
  kind,
  PickleError,
  PyDict,
  PyGlobal,
  PyObject,
  PySet,
  PyTuple,
  StorageRef,
  TensorRef,
  withKeyWork,
  type PyValue,
  type StorageDtype,
} from './values.ts';

export * from './values.ts';

/** What a truncated or malformed part of the pickle is, said in a message. */
const PART = {
  'opcode-argument': msg('pickle.part.opcode-argument'),
  frame: msg('pickle.part.frame'),
  int: msg('pickle.part.int'),
  'long-length': msg('pickle.part.long-length'),
  'long-integer': msg('pickle.part.long-integer'),
  float: msg('pickle.part.float'),
  string: msg('pickle.part.string'),
  bytes: msg('pickle.part.bytes'),
  bytearray: msg('pickle.part.bytearray'),
  INT: msg('pickle.part.INT'),
  LONG: msg('pickle.part.LONG'),
  FLOAT: msg('pickle.part.FLOAT'),
  'global-module': msg('pickle.part.global-module'),
  'global-name': msg('pickle.part.global-name'),
  PUT: msg('pickle.part.PUT'),
  GET: msg('pickle.part.GET'),
};

export interface UnpickleOptions {
  /** Resolve a persistent id (BINPERSID). Default: refuse. */
  persistentLoad?: (pid: PyValue) => PyValue;
  /** Largest pickle accepted, in bytes (default 256 MiB). */
  maxBytes?: number;
  /** Most memo entries (default 8 million). */
  maxMemo?: number;
  /** Deepest MARK nesting (default 1,000). */
  maxMarks?: number;
  /**
   * Values the pickle may make (default LIMITS.pickleValues): every value pushed or memoised costs one, a dict,
   * set or object three more (they are larger). A pickle of 20 MB of empty dicts stops here, not at 4 GB.
   */
  maxValues?: number;
  /** Characters of dict-key identities built (default LIMITS.pickleKeyWork; see KeyWork). */
  maxKeyWork?: number;
}

const STORAGE_TYPES: Record<string, StorageDtype> = {
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  FloatStorage: 'F32',
  DoubleStorage: 'F64',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
  UntypedStorage: 'U8',
};

/** Persistent ids as torch.save writes them: ('storage', torch.XStorage, key, location, numel). */
export function torchStorageId(pid: PyValue): StorageRef {
  const t = pid instanceof PyTuple ? pid.items : null;
  if (!t || t.length !== 5 || t[0] !== 'storage') throw new PickleError(msg('pickle.persistent-id'));
  const [, type, key, location, numel] = t;
  if (!(type instanceof PyGlobal) || type.module !== 'torch' || !(type.name in STORAGE_TYPES))
    throw new PickleError(
      msg('pickle.storage-type', { type: type instanceof PyGlobal ? type.qualified : typeof type }),
    );
  if (typeof key !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(key))
    throw new PickleError(msg('pickle.storage-key', { key: String(key).slice(0, 40) }));
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0)
    throw new PickleError(msg('pickle.storage-count', { key }));
  return new StorageRef(
    key,
    STORAGE_TYPES[type.name],
    numel,
    typeof location === 'string' ? location : String(location),
  );
}

const MAX_DIMS = 16;
const MAX_DIM = 2 ** 31;

function intTuple(v: PyValue, what: Message): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
  if (!items) throw new PickleError(msg('pickle.not-int-tuple', { what }));
  if (items.length > MAX_DIMS)
    throw new PickleError(msg('pickle.too-many-dims', { what, dims: items.length, max: MAX_DIMS }));
  return items.map((x) => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > MAX_DIM)
      throw new PickleError(msg('pickle.not-a-size', { what, value: String(x) }));
    return x;
  });
}

function rebuildTensor(args: PyValue[], parameter = false): TensorRef {
  const [storage, offset, size, stride, requiresGrad] = args;
  if (!(storage instanceof StorageRef)) throw new PickleError(msg('pickle.rebuild-not-storage'));
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0)
    throw new PickleError(msg('pickle.rebuild-bad-offset'));
  const shape = intTuple(size, msg('pickle.part.tensor-size'));
  const strides = intTuple(stride, msg('pickle.part.tensor-stride'));
  if (shape.length !== strides.length)
    throw new PickleError(msg('pickle.sizes-strides', { sizes: shape.length, strides: strides.length }));
  // the view must lie inside its storage (also bounds what materialising it allocates)
  let last = offset;
  let numel = 1;
  for (let i = 0; i < shape.length; i++) {
    numel *= shape[i];
    if (shape[i] > 0) last += (shape[i] - 1) * strides[i];
  }
  if (numel > 0 && (last >= storage.numel || numel > storage.numel))
    throw new PickleError(
      msg('pickle.tensor-outside', {
        shape: shape.join(', '),
        offset,
        strides: strides.join(', '),
        numel: storage.numel,
      }),
    );
  return new TensorRef(storage, offset, shape, strides, requiresGrad === true, parameter);
}

const asTensor = (v: PyValue, what: string): TensorRef => {
  if (!(v instanceof TensorRef)) throw new PickleError(msg('pickle.expected-tensor', { fn: what }));
  return v;
};

type Reducer = (args: PyValue[]) => PyValue;
/** Functions REDUCE may apply: each rebuilds data from data and cannot reach anything else. */
const REDUCERS: Record<string, Reducer> = {
  'torch._utils._rebuild_tensor_v2': (a) => rebuildTensor(a),
  'torch._utils._rebuild_tensor': (a) => rebuildTensor(a),
  'torch._utils._rebuild_parameter': (a) => {
    const t = asTensor(a[0], '_rebuild_parameter');
    return new TensorRef(t.storage, t.offset, t.shape, t.stride, a[1] === true, true);
  },
  'torch._utils._rebuild_parameter_with_state': (a) => {
    const t = asTensor(a[0], '_rebuild_parameter_with_state');
    return new TensorRef(t.storage, t.offset, t.shape, t.stride, a[1] === true, true);
  },
  'collections.OrderedDict': (a) => {
    const d = new PyDict();
    if (a.length > 1) throw new PickleError(msg('pickle.ordereddict-args'));
    if (a.length === 1) {
      const items = a[0] instanceof PyTuple ? a[0].items : Array.isArray(a[0]) ? a[0] : null;
      if (!items) throw new PickleError(msg('pickle.ordereddict-not-pairs'));
      for (const p of items) {
        const kv = p instanceof PyTuple ? p.items : Array.isArray(p) ? p : null;
        if (!kv || kv.length !== 2) throw new PickleError(msg('pickle.ordereddict-item'));
        d.set(kv[0], kv[1]);
      }
    }
    return d;
  },
  'builtins.set': (a) => new PySet(seqArg(a, 'set')),
  'builtins.frozenset': (a) => new PySet(seqArg(a, 'frozenset'), true),
  'builtins.bytearray': (a) => latin1Bytes(a, 'bytearray'),
  'builtins.bytes': (a) => latin1Bytes(a, 'bytes'),
  '_codecs.encode': (a) => latin1Bytes(a, '_codecs.encode'),
  'torch.Size': (a) => new PyTuple(intTuple(a[0] ?? new PyTuple([]), msg('pickle.part.named', { name: 'torch.Size' }))),
  // tensor subclasses: (function, type, args, state); only the allowlisted functions run
  'torch._tensor._rebuild_from_type_v2': (a) => {
    const [fn, , args] = a;
    if (!(fn instanceof PyGlobal) || fn.qualified === 'torch._tensor._rebuild_from_type_v2')
      throw new PickleError(msg('pickle.rebuild-from-type'));
    return callReducer(fn, args instanceof PyTuple ? args.items : []);
  },
};

/** Functions whose calls are kept as inert records (data the checkpoint carries, never run). */
const RECORDED = new Set([
  'numpy.core.multiarray.scalar',
  'numpy._core.multiarray.scalar',
  'numpy.dtype',
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.ndarray',
  'torch.device',
  'pathlib.PosixPath',
  'pathlib.WindowsPath',
  'pathlib.PurePosixPath',
  'pathlib.PureWindowsPath',
  'argparse.Namespace',
  'types.SimpleNamespace',
  // the training arguments Ultralytics keeps on a model (model.args)
  'ultralytics.utils.IterableSimpleNamespace',
  'ultralytics.yolo.utils.IterableSimpleNamespace',
  'datetime.datetime',
  'datetime.date',
  'copyreg._reconstructor',
]);

function seqArg(a: PyValue[], what: string): PyValue[] {
  if (a.length === 0) return [];
  const v = a[0];
  if (Array.isArray(v)) return [...v];
  if (v instanceof PyTuple || v instanceof PySet) return [...v.items];
  throw new PickleError(msg('pickle.not-a-list', { fn: what }));
}

function latin1Bytes(a: PyValue[], what: string): Uint8Array {
  const [s, enc] = a;
  if (s === undefined) return new Uint8Array(0);
  if (s instanceof Uint8Array) return s.slice();
  if (typeof s !== 'string' || (enc !== undefined && enc !== 'latin1' && enc !== 'latin-1'))
    throw new PickleError(msg('pickle.latin1-only', { fn: what }));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new PickleError(msg('pickle.not-latin1', { fn: what }));
    out[i] = c;
  }
  return out;
}

function callReducer(fn: PyGlobal, args: PyValue[]): PyValue {
  const name = fn.qualified;
  const r = REDUCERS[name];
  if (r) return r(args);
  if (name === 'copyreg._reconstructor' && args[0] instanceof PyGlobal)
    return new PyObject(args[0], args.slice(1), 'reduce');
  if (RECORDED.has(name)) return new PyObject(fn, args, 'reduce');
  throw new PickleError(msg('pickle.refuse-call', { name }));
}

/** Python 2 module names pickles may still use. */
const PY2_MODULES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg' };

const OPNAMES: Record<number, string> = {
  0x69: 'INST',
  0x6f: 'OBJ',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x50: 'PERSID',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
};

/** Unpickle `data` (protocol 2 to 5, plus the harmless protocol 0/1 opcodes). */
export function unpickle(data: Uint8Array, opts: UnpickleOptions = {}): PyValue {
  return withKeyWork(opts.maxKeyWork ?? LIMITS.pickleKeyWork, () => unpickleWith(data, opts));
}

function unpickleWith(data: Uint8Array, opts: UnpickleOptions): PyValue {
  const maxBytes = opts.maxBytes ?? LIMITS.pickleBytes;
  const maxValues = opts.maxValues ?? LIMITS.pickleValues;
  let values = 0;
  const spend = (n: number) => {
    if ((values += n) > maxValues) throw new PickleError(msg('pickle.too-many-values', { max: maxValues }));
  };
  const maxMemo = opts.maxMemo ?? 8_000_000;
  const maxMarks = opts.maxMarks ?? 1000;
  if (data.byteLength > maxBytes)
    throw new PickleError(msg('pickle.too-large', { bytes: data.byteLength, max: maxBytes }));
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = data.byteLength;
  let pos = 0;
  let stack: PyValue[] = [];
  const marks: PyValue[][] = [];
  const memo = new Map<number, PyValue>();

  const need = (k: number, what: Message) => {
    if (k < 0 || pos + k > n)
      throw new PickleError(msg('pickle.truncated', { what, at: pos, needs: k, remain: n - pos }));
  };
  const u8 = () => {
    need(1, PART['opcode-argument']);
    return data[pos++];
  };
  const u16 = () => {
    need(2, PART['opcode-argument']);
    const v = dv.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = () => {
    need(4, PART['opcode-argument']);
    const v = dv.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (what: Message) => {
    need(8, what);
    const v = dv.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(n))
      throw new PickleError(msg('pickle.truncated-length', { what, length: String(v), at: pos - 8, size: n }));
    return Number(v);
  };
  const take = (k: number, what: Message) => {
    need(k, what);
    const b = data.subarray(pos, pos + k);
    pos += k;
    return b;
  };
  const text = (k: number, what: Message) => {
    try {
      return utf8(take(k, what));
    } catch (e) {
      if (e instanceof PickleError) throw e;
      throw new PickleError(msg('pickle.not-utf8', { what, at: pos - k }));
    }
  };
  const line = (what: Message) => {
    const end = data.indexOf(0x0a, pos);
    if (end < 0 || end - pos > 1024) throw new PickleError(msg('pickle.no-end-of-line', { what, at: pos }));
    const s = latin1(data.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const top = (): PyValue => {
    if (!stack.length) throw new PickleError(msg('pickle.stack-empty', { at: pos - 1 }));
    return stack[stack.length - 1];
  };
  const pop = (): PyValue => {
    const v = top();
    stack.pop();
    return v;
  };
  const popMark = (): PyValue[] => {
    const items = stack;
    if (!marks.length) throw new PickleError(msg('pickle.no-mark', { at: pos - 1 }));
    stack = marks.pop()!;
    return items;
  };
  const push = (v: PyValue) => {
    spend(v instanceof PyDict || v instanceof PySet || v instanceof PyObject ? 4 : 1);
    stack.push(v);
  };
  const put = (i: number) => {
    spend(1);
    if (memo.size >= maxMemo && !memo.has(i)) throw new PickleError(msg('pickle.memo-too-many', { max: maxMemo }));
    memo.set(i, top());
  };
  const get = (i: number) => {
    const v = memo.get(i);
    if (v === undefined) throw new PickleError(msg('pickle.memo-missing', { index: i }));
    push(v);
  };
  const int = (v: bigint): number | bigint =>
    v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  const long = (k: number): number | bigint => {
    if (k > 4096) throw new PickleError(msg('pickle.int-too-large', { bytes: k }));
    const b = take(k, PART['long-integer']);
    if (!k) return 0;
    let v = 0n;
    for (let i = k - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b[k - 1] & 0x80) v -= 1n << BigInt(8 * k);
    return int(v);
  };
  const setItems = (target: PyValue, items: PyValue[]) => {
    if (items.length % 2) throw new PickleError(msg('pickle.setitems-odd'));
    let d: PyDict;
    if (target instanceof PyDict) d = target;
    else if (target instanceof PyObject) d = target.dictItems ??= new PyDict();
    else throw new PickleError(msg('pickle.op-on', { op: 'SETITEM', kind: kind(target) }));
    for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
  };
  const append = (target: PyValue, items: PyValue[]) => {
    if (Array.isArray(target)) for (const x of items) target.push(x);
    else if (target instanceof PyObject) (target.listItems ??= []).push(...items);
    else throw new PickleError(msg('pickle.op-on', { op: 'APPEND', kind: kind(target) }));
  };
  const pairDict = (items: PyValue[]) => {
    const d = new PyDict();
    setItems(d, items);
    return d;
  };

  for (;;) {
    if (pos >= n) throw new PickleError(msg('pickle.no-stop'));
    const op = data[pos++];
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) throw new PickleError(msg('pickle.protocol', { protocol: data[pos - 1] }));
        break;
      case 0x95: // FRAME
        u64(PART['frame']);
        break;
      case 0x2e: // STOP
        if (stack.length !== 1 || marks.length) throw new PickleError(msg('pickle.stop-stack'));
        return pop();
      case 0x28: // MARK
        if (marks.length >= maxMarks) throw new PickleError(msg('pickle.too-deep', { max: maxMarks }));
        marks.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        if (!stack.length && marks.length) popMark();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88:
        push(true);
        break;
      case 0x89:
        push(false);
        break;
      case 0x4a: // BININT
        need(4, PART['int']);
        push(dv.getInt32(pos, true));
        pos += 4;
        break;
      case 0x4b:
        push(u8());
        break;
      case 0x4d:
        push(u16());
        break;
      case 0x8a: // LONG1
        push(long(u8()));
        break;
      case 0x8b: {
        // LONG4
        need(4, PART['long-length']);
        const k = dv.getInt32(pos, true);
        pos += 4;
        if (k < 0) throw new PickleError(msg('pickle.negative-long4'));
        push(long(k));
        break;
      }
      case 0x49: {
        // INT (text): I01/I00 are bools
        const s = line(PART['INT']);
        if (s === '01' || s === '00') push(s === '01');
        else if (/^-?\d{1,4000}$/.test(s)) push(int(BigInt(s)));
        else throw new PickleError(msg('pickle.malformed-number', { op: 'INT', text: s.slice(0, 20) }));
        break;
      }
      case 0x4c: {
        // LONG (text)
        const s = line(PART['LONG']).replace(/L$/, '');
        if (!/^-?\d{1,4000}$/.test(s))
          throw new PickleError(msg('pickle.malformed-number', { op: 'LONG', text: s.slice(0, 20) }));
        push(int(BigInt(s)));
        break;
      }
      case 0x46: {
        const s = line(PART['FLOAT']);
        const v = Number(s);
        if (Number.isNaN(v) && !/^-?nan$/i.test(s))
          throw new PickleError(msg('pickle.malformed-number', { op: 'FLOAT', text: s.slice(0, 20) }));
        push(new PyFloat(v));
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8, PART['float']);
        push(new PyFloat(dv.getFloat64(pos, false)));
        pos += 8;
        break;
      case 0x58: // BINUNICODE
        push(text(u32(), PART['string']));
        break;
      case 0x8c:
        push(text(u8(), PART['string']));
        break;
      case 0x8d:
        push(text(u64(PART.string), PART['string']));
        break;
      case 0x42: // BINBYTES
        push(take(u32(), PART['bytes']).slice());
        break;
      case 0x43:
        push(take(u8(), PART['bytes']).slice());
        break;
      case 0x8e:
        push(take(u64(PART.bytes), PART['bytes']).slice());
        break;
      case 0x96:
        push(take(u64(PART.bytearray), PART['bytearray']).slice());
        break;
      case 0x55: // SHORT_BINSTRING (py2 str): latin-1 text
        push(latin1(take(u8(), PART['string'])));
        break;
      case 0x54:
        push(latin1(take(u32(), PART['string'])));
        break;
      case 0x7d:
        push(new PyDict());
        break;
      case 0x64: // DICT
        push(pairDict(popMark()));
        break;
      case 0x5d:
        push([]);
        break;
      case 0x6c: // LIST
        push(popMark());
        break;
      case 0x29:
        push(new PyTuple([]));
        break;
      case 0x74:
        push(new PyTuple(popMark()));
        break;
      case 0x85: {
        const a = pop();
        push(new PyTuple([a]));
        break;
      }
      case 0x86: {
        const b = pop();
        const a = pop();
        push(new PyTuple([a, b]));
        break;
      }
      case 0x87: {
        const c = pop();
        const b = pop();
        const a = pop();
        push(new PyTuple([a, b, c]));
        break;
      }
      case 0x8f:
        push(new PySet([]));
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof PySet) || s.frozen)
          throw new PickleError(msg('pickle.op-on', { op: 'ADDITEMS', kind: kind(s) }));
        s.items.push(...items);
        break;
      }
      case 0x91:
        push(new PySet(popMark(), true));
        break;
      case 0x61: {
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65: {
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x73: {
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x63: {
        // GLOBAL: a name, never imported
        const mod = line(PART['global-module']);
        const name = line(PART['global-name']);
        push(new PyGlobal(PY2_MODULES[mod] ?? mod, name));
        break;
      }
      case 0x93: {
        const name = pop();
        const mod = pop();
        if (typeof mod !== 'string' || typeof name !== 'string') throw new PickleError(msg('pickle.stack-global'));
        push(new PyGlobal(mod, name));
        break;
      }
      case 0x52: {
        // REDUCE: only allowlisted rebuild functions; a few known value types are recorded
        const args = pop();
        const fn = pop();
        if (!(args instanceof PyTuple)) throw new PickleError(msg('pickle.reduce-args'));
        if (!(fn instanceof PyGlobal)) throw new PickleError(msg('pickle.reduce-not-function', { kind: kind(fn) }));
        push(callReducer(fn, args.items));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args) -> an inert record of cls
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PyGlobal) || !(args instanceof PyTuple)) throw new PickleError(msg('pickle.newobj'));
        push(newObject(cls, args.items));
        break;
      }
      case 0x92: {
        const kw = pop();
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PyGlobal) || !(args instanceof PyTuple) || !(kw instanceof PyDict))
          throw new PickleError(msg('pickle.newobj-ex'));
        push(new PyObject(cls, args.items, 'newobj', kw));
        break;
      }
      case 0x62: {
        // BUILD: set state on a record; never calls __setstate__
        const state = pop();
        const obj = top();
        if (obj instanceof PyObject) obj.state = state;
        else if (state === null || (state instanceof PyDict && state.size === 0)) {
          /* nothing to set */
        } else if (obj instanceof TensorRef || obj instanceof PyDict) {
          /* tensor and dict subclasses carry attributes (e.g. OrderedDict _metadata): data, not kept */
        } else throw new PickleError(msg('pickle.op-on', { op: 'BUILD', kind: kind(obj) }));
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (!opts.persistentLoad) throw new PickleError(msg('pickle.no-persistent-data'));
        push(opts.persistentLoad(pid));
        break;
      }
      case 0x71:
        put(u8());
        break;
      case 0x72:
        put(u32());
        break;
      case 0x70: {
        const s = line(PART['PUT']);
        if (!/^\d{1,9}$/.test(s)) throw new PickleError(msg('pickle.malformed-memo-op', { op: 'PUT' }));
        put(Number(s));
        break;
      }
      case 0x94:
        put(memo.size);
        break;
      case 0x68:
        get(u8());
        break;
      case 0x6a:
        get(u32());
        break;
      case 0x67: {
        const s = line(PART['GET']);
        if (!/^\d{1,9}$/.test(s)) throw new PickleError(msg('pickle.malformed-memo-op', { op: 'GET' }));
        get(Number(s));
        break;
      }
      default: {
        const name = OPNAMES[op];
        if (name)
          throw new PickleError(
            msg('pickle.refuse-opcode', {
              name,
              at: pos - 1,
              why: name.startsWith('EXT')
                ? 'extension'
                : name.includes('BUFFER')
                  ? 'buffer'
                  : name === 'PERSID'
                    ? 'persid'
                    : 'class',
            }),
          );
        throw new PickleError(
          msg('pickle.unsupported-opcode', { op: `0x${op.toString(16).padStart(2, '0')}`, at: pos - 1 }),
        );
      }
    }
  }
}

function newObject(cls: PyGlobal, args: PyValue[]): PyValue {
  // a dict subclass such as OrderedDict built by __new__: a dict
  if (cls.qualified === 'collections.OrderedDict' && args.length === 0) return new PyDict();
  return new PyObject(cls, args, 'newobj');
}
