/**
 * Reading PyTorch `.pt` files (torch.save's zip of a pickle plus raw storages) without Python: a
 * state_dict, or a YOLOv5 checkpoint (`{'model': DetectionModel, 'ema': ...}`) whose module tree is walked
 * for its parameters and buffers under PyTorch's own names. Only data is read: pickled classes become
 * plain records, nothing is executed. Pure (bytes in, arrays out).
 */
import type { StateDict } from './weights.ts';

export class TorchFileError extends Error {}

// ---------------------------------------------------------------- zip (stored entries, as torch.save writes)

function readZip(buf: Uint8Array): Map<string, Uint8Array> {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65557); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new TorchFileError('not a PyTorch .pt file (no zip directory; legacy pre-1.6 files are not supported)');
  let count = dv.getUint16(eocd + 10, true);
  let cdOff = dv.getUint32(eocd + 16, true);
  if (cdOff === 0xffffffff || count === 0xffff) {
    // zip64 end of central directory
    const loc = eocd - 20;
    if (loc >= 0 && dv.getUint32(loc, true) === 0x07064b50) {
      const z64 = Number(dv.getBigUint64(loc + 8, true));
      count = Number(dv.getBigUint64(z64 + 32, true));
      cdOff = Number(dv.getBigUint64(z64 + 48, true));
    }
  }
  const files = new Map<string, Uint8Array>();
  let p = cdOff;
  for (let k = 0; k < count; k++) {
    if (dv.getUint32(p, true) !== 0x02014b50) throw new TorchFileError('corrupt zip directory');
    const method = dv.getUint16(p + 10, true);
    let size = dv.getUint32(p + 20, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let local = dv.getUint32(p + 42, true);
    const name = new TextDecoder().decode(buf.subarray(p + 46, p + 46 + nameLen));
    // zip64 extra field
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 1) {
        let q = e + 4;
        if (dv.getUint32(p + 24, true) === 0xffffffff) q += 8;
        if (size === 0xffffffff) {
          size = Number(dv.getBigUint64(q, true));
          q += 8;
        }
        if (local === 0xffffffff) local = Number(dv.getBigUint64(q, true));
      }
      e += 4 + len;
    }
    if (method !== 0) throw new TorchFileError(`${name} is compressed (method ${method}); torch.save stores entries uncompressed`);
    const lNameLen = dv.getUint16(local + 26, true);
    const lExtraLen = dv.getUint16(local + 28, true);
    const start = local + 30 + lNameLen + lExtraLen;
    files.set(name, buf.subarray(start, start + size));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

// ---------------------------------------------------------------- pickle (the opcodes torch.save uses)

interface Global {
  kind: 'global';
  module: string;
  name: string;
}
interface Obj {
  kind: 'object';
  cls: Global;
  args: unknown[];
  state?: unknown;
}
interface Storage {
  kind: 'storage';
  dtype: string;
  key: string;
}
export interface TorchTensor {
  kind: 'tensor';
  storage: Storage;
  offset: number;
  size: number[];
  stride: number[];
}

const MARK = Symbol('mark');

function unpickle(data: Uint8Array): unknown {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const td = new TextDecoder();
  const stack: unknown[] = [];
  const memo: unknown[] = [];
  let p = 0;
  const popMark = (): unknown[] => {
    let k = stack.length - 1;
    while (k >= 0 && stack[k] !== MARK) k--;
    const items = stack.splice(k + 1);
    stack.pop();
    return items;
  };
  const setItem = (d: unknown, k: unknown, v: unknown) => {
    if (d instanceof Map) d.set(k, v);
    else if (d && typeof d === 'object' && (d as Obj).kind === 'object') {
      const o = d as Obj & { items?: Map<unknown, unknown> };
      (o.items ??= new Map()).set(k, v);
    }
  };
  const reduce = (f: unknown, args: unknown[]): unknown => {
    const g = f as Global;
    const full = g && g.kind === 'global' ? `${g.module}.${g.name}` : '';
    if (full === 'torch._utils._rebuild_tensor_v2' || full === 'torch._utils._rebuild_tensor') {
      const [storage, offset, size, stride] = args as [Storage, number, number[], number[]];
      return { kind: 'tensor', storage, offset, size: [...size], stride: [...stride] } satisfies TorchTensor;
    }
    if (full === 'torch._utils._rebuild_parameter' || full === 'torch._utils._rebuild_parameter_with_state') return args[0];
    if (full === 'collections.OrderedDict' || full === 'builtins.dict' || full === '__builtin__.dict') return new Map();
    if (full === '__builtin__.set' || full === 'builtins.set') return new Set(Array.isArray(args[0]) ? args[0] : []);
    return { kind: 'object', cls: g, args } satisfies Obj;
  };
  for (;;) {
    if (p >= data.length) throw new TorchFileError('truncated pickle');
    const op = data[p++];
    switch (op) {
      case 0x80: // PROTO
        p++;
        break;
      case 0x95: // FRAME
        p += 8;
        break;
      case 0x2e: // STOP
        return stack.pop();
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(dv.getInt32(p, true));
        p += 4;
        break;
      case 0x4b: // BININT1
        stack.push(data[p++]);
        break;
      case 0x4d: // BININT2
        stack.push(dv.getUint16(p, true));
        p += 2;
        break;
      case 0x8a: {
        // LONG1
        const n = data[p++];
        let v = 0n;
        for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(data[p + k]);
        if (n && data[p + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        p += n;
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT (big endian)
        stack.push(dv.getFloat64(p, false));
        p += 8;
        break;
      case 0x58: {
        // BINUNICODE
        const n = dv.getUint32(p, true);
        stack.push(td.decode(data.subarray(p + 4, p + 4 + n)));
        p += 4 + n;
        break;
      }
      case 0x8c: {
        // SHORT_BINUNICODE
        const n = data[p];
        stack.push(td.decode(data.subarray(p + 1, p + 1 + n)));
        p += 1 + n;
        break;
      }
      case 0x54: // BINSTRING
      case 0x42: {
        // BINBYTES
        const n = dv.getUint32(p, true);
        stack.push(op === 0x54 ? td.decode(data.subarray(p + 4, p + 4 + n)) : data.subarray(p + 4, p + 4 + n));
        p += 4 + n;
        break;
      }
      case 0x55: // SHORT_BINSTRING
      case 0x43: {
        // SHORT_BINBYTES
        const n = data[p];
        stack.push(op === 0x55 ? td.decode(data.subarray(p + 1, p + 1 + n)) : data.subarray(p + 1, p + 1 + n));
        p += 1 + n;
        break;
      }
      case 0x71: // BINPUT
        memo[data[p++]] = stack[stack.length - 1];
        break;
      case 0x72: // LONG_BINPUT
        memo[dv.getUint32(p, true)] = stack[stack.length - 1];
        p += 4;
        break;
      case 0x94: // MEMOIZE
        memo.push(stack[stack.length - 1]);
        break;
      case 0x68: // BINGET
        stack.push(memo[data[p++]]);
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memo[dv.getUint32(p, true)]);
        p += 4;
        break;
      case 0x63: {
        // GLOBAL module\nname\n
        let e = data.indexOf(0x0a, p);
        const module = td.decode(data.subarray(p, e));
        p = e + 1;
        e = data.indexOf(0x0a, p);
        const name = td.decode(data.subarray(p, e));
        p = e + 1;
        stack.push({ kind: 'global', module, name } satisfies Global);
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = stack.pop() as string;
        const module = stack.pop() as string;
        stack.push({ kind: 'global', module, name } satisfies Global);
        break;
      }
      case 0x52: {
        // REDUCE
        const args = stack.pop() as unknown[];
        const f = stack.pop();
        stack.push(reduce(f, args ?? []));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = stack.pop() as unknown[];
        const cls = stack.pop() as Global;
        stack.push(reduce(cls, args ?? []));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        stack.pop();
        const args = stack.pop() as unknown[];
        const cls = stack.pop() as Global;
        stack.push(reduce(cls, args ?? []));
        break;
      }
      case 0x62: {
        // BUILD
        const state = stack.pop();
        const obj = stack[stack.length - 1];
        if (obj && typeof obj === 'object' && (obj as Obj).kind === 'object') (obj as Obj).state = state;
        break;
      }
      case 0x51: {
        // BINPERSID: ('storage', type, key, location, numel)
        const pid = stack.pop() as unknown[];
        const type = pid[1] as Global | string;
        const tname = typeof type === 'string' ? type : type.name;
        stack.push({ kind: 'storage', dtype: tname, key: String(pid[2]) } satisfies Storage);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = stack.pop();
        const k = stack.pop();
        setItem(stack[stack.length - 1], k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const d = stack[stack.length - 1];
        for (let k = 0; k < items.length; k += 2) setItem(d, items[k], items[k + 1]);
        break;
      }
      case 0x61: {
        // APPEND
        const v = stack.pop();
        (stack[stack.length - 1] as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const l = stack[stack.length - 1];
        if (Array.isArray(l)) l.push(...items);
        break;
      }
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = stack[stack.length - 1];
        if (s instanceof Set) items.forEach((v) => s.add(v));
        break;
      }
      case 0x91: // FROZENSET
        stack.push(new Set(popMark()));
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85:
        stack.push([stack.pop()]);
        break;
      case 0x86: {
        const b = stack.pop();
        const a = stack.pop();
        stack.push([a, b]);
        break;
      }
      case 0x87: {
        const c = stack.pop();
        const b = stack.pop();
        const a = stack.pop();
        stack.push([a, b, c]);
        break;
      }
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        const m = new Map();
        for (let k = 0; k < items.length; k += 2) m.set(items[k], items[k + 1]);
        stack.push(m);
        break;
      }
      case 0x30: // POP
        stack.pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(stack[stack.length - 1]);
        break;
      default:
        throw new TorchFileError(`unsupported pickle opcode 0x${op.toString(16)} at ${p - 1}`);
    }
  }
}

// ---------------------------------------------------------------- tensors and module trees

const DTYPES: Record<string, { size: number; read: (dv: DataView, o: number) => number }> = {
  FloatStorage: { size: 4, read: (dv, o) => dv.getFloat32(o, true) },
  HalfStorage: { size: 2, read: (dv, o) => half(dv.getUint16(o, true)) },
  BFloat16Storage: { size: 2, read: (dv, o) => new Float32Array(new Uint32Array([dv.getUint16(o, true) << 16]).buffer)[0] },
  DoubleStorage: { size: 8, read: (dv, o) => dv.getFloat64(o, true) },
  LongStorage: { size: 8, read: (dv, o) => Number(dv.getBigInt64(o, true)) },
  IntStorage: { size: 4, read: (dv, o) => dv.getInt32(o, true) },
  ByteStorage: { size: 1, read: (dv, o) => dv.getUint8(o) },
  BoolStorage: { size: 1, read: (dv, o) => dv.getUint8(o) },
};

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function materialise(t: TorchTensor, files: Map<string, Uint8Array>, prefix: string): Float32Array {
  const bytes = files.get(`${prefix}data/${t.storage.key}`);
  const dt = DTYPES[t.storage.dtype];
  if (!bytes || !dt) throw new TorchFileError(`tensor storage ${t.storage.key} (${t.storage.dtype}) is missing or of an unsupported type`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = t.size.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let contiguous = true;
  for (let d = t.size.length - 1, expect = 1; d >= 0; d--) {
    if (t.size[d] !== 1 && t.stride[d] !== expect) contiguous = false;
    expect *= t.size[d];
  }
  if (contiguous) {
    if (t.storage.dtype === 'FloatStorage' && (bytes.byteOffset + t.offset * 4) % 4 === 0) out.set(new Float32Array(bytes.buffer, bytes.byteOffset + t.offset * 4, n));
    else for (let k = 0; k < n; k++) out[k] = dt.read(dv, (t.offset + k) * dt.size);
    return out;
  }
  const idx = new Array(t.size.length).fill(0);
  for (let k = 0; k < n; k++) {
    let o = t.offset;
    for (let d = 0; d < idx.length; d++) o += idx[d] * t.stride[d];
    out[k] = dt.read(dv, o * dt.size);
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < t.size[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

const attrs = (o: unknown): Map<unknown, unknown> | undefined => {
  const s = (o as Obj)?.state;
  if (s instanceof Map) return s;
  // (state, slotstate) tuples
  if (Array.isArray(s) && s[0] instanceof Map) return s[0];
  return undefined;
};

function walkModule(m: unknown, prefix: string, out: Map<string, TorchTensor>) {
  const a = attrs(m);
  if (!a) return;
  const nonPersistent = a.get('_non_persistent_buffers_set');
  const skip = nonPersistent instanceof Set ? nonPersistent : new Set();
  for (const [k, v] of (a.get('_parameters') as Map<string, TorchTensor | null>) ?? []) if (v) out.set(`${prefix}${k}`, v);
  for (const [k, v] of (a.get('_buffers') as Map<string, TorchTensor | null>) ?? []) if (v && !skip.has(k)) out.set(`${prefix}${k}`, v);
  for (const [k, v] of (a.get('_modules') as Map<string, unknown>) ?? []) if (v) walkModule(v, `${prefix}${k}.`, out);
}

export interface TorchWeights {
  state: StateDict;
  /** Class names of a YOLOv5 checkpoint (model.names). */
  names?: string[];
  /** What the file held: a bare state_dict, or a checkpoint's 'ema' or 'model'. */
  source: string;
}

/** Read a .pt file: a state_dict, or a YOLOv5 checkpoint's model (its EMA when saved). */
export function readTorchFile(bytes: Uint8Array): TorchWeights {
  const files = readZip(bytes);
  const pkl = [...files.keys()].find((k) => k.endsWith('/data.pkl') || k === 'data.pkl');
  if (!pkl) throw new TorchFileError('not a PyTorch .pt file (no data.pkl)');
  const prefix = pkl.slice(0, pkl.length - 'data.pkl'.length);
  const root = unpickle(files.get(pkl)!);
  const tensors = new Map<string, TorchTensor>();
  let names: string[] | undefined;
  let source = 'state_dict';
  const isTensor = (v: unknown): v is TorchTensor => !!v && typeof v === 'object' && (v as TorchTensor).kind === 'tensor';
  if (root instanceof Map && [...root.values()].some(isTensor)) {
    for (const [k, v] of root) if (isTensor(v)) tensors.set(String(k), v);
  } else if (root instanceof Map && (root.get('ema') || root.get('model'))) {
    source = root.get('ema') ? 'ema' : 'model';
    const model = root.get(source);
    walkModule(model, '', tensors);
    const n = attrs(model)?.get('names');
    if (Array.isArray(n)) names = n.map(String);
    else if (n instanceof Map) names = [...n.entries()].sort((x, y) => Number(x[0]) - Number(y[0])).map(([, v]) => String(v));
  } else if (root && typeof root === 'object' && (root as Obj).kind === 'object') {
    source = 'module';
    walkModule(root, '', tensors);
  } else throw new TorchFileError('the .pt file holds neither a state_dict nor a YOLOv5 checkpoint');
  const state: StateDict = new Map();
  for (const [k, t] of tensors) state.set(k, { shape: t.size, data: materialise(t, files, prefix) });
  return { state, names, source };
}
