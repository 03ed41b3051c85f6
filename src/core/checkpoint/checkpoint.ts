/**
 * YOLOv5 checkpoints (`torch.save({'model': model.half(), 'ema': ..., ...})`) read as data: the model is
 * taken as YOLOv5 takes it (`ckpt.get('ema') or ckpt['model']`), and from its inert record come the
 * architecture (its `yaml` attribute, the config dict), the weights as a state_dict (walking the module
 * records' `_parameters`, `_buffers` and `_modules` as `Module.state_dict` does, fp16 converted to fp32),
 * its class `names` and `stride`. Pure: bytes in, data out.
 *
 * One file on purpose: reading the archive's storages, walking the module tree and materialising its tensors share the
 * storages' table and the limits.
 */
import { LIMITS } from '../limits.ts';
import { MessageError, msg } from '../messages/index.ts';
import { PyFloat } from '../py.ts';
import { utf8 } from './text.ts';
import { isZip, readZip, ZipError, type ZipArchive } from './zip.ts';
import { DTYPE_SIZE, elementReader, elementsAsFloat32 } from './dtype.ts';
import {
  kind,
  PickleError,
  PyDict,
  PyObject,
  PySet,
  PyTuple,
  StorageRef,
  TensorRef,
  torchStorageId,
  unpickle,
  type PyValue,
  type StorageDtype,
} from './pickle.ts';

/** A checkpoint that cannot be read: its message ('checkpoint.*', or the archive's 'zip.*' and the pickle's 'pickle.*'). */
export class CheckpointError extends MessageError {
  override name = 'CheckpointError';
}

/** A config value as PyYAML gave it to YOLOv5 (floats kept as PyFloat so `1.0` stays a float). */
export type ConfigValue = null | boolean | number | PyFloat | string | ConfigValue[] | { [key: string]: ConfigValue };
export type ModelConfig = { [key: string]: ConfigValue };

export interface CheckpointTensor {
  shape: number[];
  data: Float32Array;
  /** The dtype stored in the file (F16 for a `model.half()` checkpoint). */
  dtype: StorageDtype;
}
/** A state_dict with PyTorch's names (`model.0.conv.weight`), every tensor as float32. */
export type CheckpointState = Map<string, CheckpointTensor>;

export interface CheckpointLimits {
  /** Largest data.pkl read (default LIMITS.pickleBytes). */
  maxPickleBytes?: number;
  /** Most tensor elements materialised in total (default 2^28, 1 GiB of float32). */
  maxElements?: number;
  /** Deepest module nesting walked (default 64). */
  maxDepth?: number;
}

export interface Checkpoint {
  /** Which entry the model came from: 'ema', 'model', or the whole file when it is a module itself. */
  from: 'ema' | 'model' | 'file';
  /** The model's class, e.g. `models.yolo.DetectionModel`. */
  className: string;
  /** The architecture: the model's `yaml` attribute. Absent when the checkpoint carries none. */
  config?: ModelConfig;
  /** The model's `yaml_file` attribute, else its config's (the config's file name when it was built from one). */
  yamlFile?: string;
  names?: string[];
  stride?: number[];
  /** The state_dict's tensors as stored (read with `state()`). */
  tensors: Map<string, TensorRef>;
  /** Names of the state_dict entries that are parameters (the rest are buffers). */
  parameters: Set<string>;
  /** Total elements of the parameters (what YOLOv5 reports as parameters). */
  parameterCount: number;
  /** Buffers left out of the state_dict: Detect's `anchor_grid` in YOLOv5 before v6 (anchors x stride, derived). */
  skipped: string[];
  /** Simple top-level values: epoch, best_fitness, date, ... */
  meta: Record<string, string | number | boolean | null>;
  /** The unpickled top-level value, for inspection. */
  root: PyValue;
  /** Materialise the state_dict as float32 (fp16 and int64 converted). */
  state(): CheckpointState;
}

const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/** Read a checkpoint's pickle and module tree; tensors are read lazily by `state()`. */
export function readCheckpoint(bytes: Uint8Array, limits: CheckpointLimits = {}): Checkpoint {
  if (!isZip(bytes)) {
    if (LEGACY_MAGIC.every((b, i) => bytes[i] === b)) throw new CheckpointError(msg('checkpoint.legacy'));
    throw new CheckpointError(msg('checkpoint.not-zip'));
  }
  return guard(() => read(bytes, limits));
}

/** Every failure reading a file is a CheckpointError with the reader's message. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ZipError || e instanceof PickleError) throw new CheckpointError(e.msg);
    if (e instanceof RangeError) throw new CheckpointError(msg('checkpoint.malformed', { detail: e.message }));
    throw e;
  }
}

function read(bytes: Uint8Array, limits: CheckpointLimits): Checkpoint {
  const zip = readZip(bytes);
  const pkls = [...zip.entries.keys()].filter((k) => /^(?:[^/]+\/)?data\.pkl$/.test(k));
  if (pkls.length !== 1)
    throw new CheckpointError(
      pkls.length ? msg('checkpoint.many-data-pkl', { count: pkls.length }) : msg('checkpoint.no-data-pkl'),
    );
  const prefix = pkls[0].slice(0, pkls[0].length - 'data.pkl'.length);
  const bo = zip.entries.has(`${prefix}byteorder`) ? utf8(zip.read(`${prefix}byteorder`), false).trim() : 'little';
  if (bo !== 'little') throw new CheckpointError(msg('checkpoint.byte-order', { order: bo }));

  const storages = new Map<string, StorageRef>();
  const root = unpickle(zip.read(pkls[0]), {
    maxBytes: limits.maxPickleBytes ?? LIMITS.pickleBytes,
    persistentLoad: (pid) => {
      const s = torchStorageId(pid);
      const seen = storages.get(s.key);
      if (seen) {
        if (seen.dtype !== s.dtype || seen.numel !== s.numel)
          throw new CheckpointError(msg('checkpoint.storage-twice', { key: s.key }));
        return seen;
      }
      if (!zip.entries.has(`${prefix}data/${s.key}`))
        throw new CheckpointError(msg('checkpoint.storage-missing', { key: s.key }));
      const size = zip.read(`${prefix}data/${s.key}`).byteLength; // checks the entry's header, method and extent
      if (size < s.numel * DTYPE_SIZE[s.dtype])
        throw new CheckpointError(
          msg('checkpoint.storage-holds-less', {
            key: s.key,
            elements: s.numel,
            bytes: s.numel * DTYPE_SIZE[s.dtype],
            holds: size,
          }),
        );
      storages.set(s.key, s);
      return s;
    },
  });

  let model: PyValue | undefined;
  let from: Checkpoint['from'];
  const meta: Checkpoint['meta'] = {};
  if (root instanceof PyDict) {
    const ema = root.get('ema');
    if (truthy(ema)) {
      model = ema;
      from = 'ema';
    } else {
      if (!root.has('model'))
        throw new CheckpointError(
          msg('checkpoint.no-model', { keys: [...root.keys].map(String).slice(0, 12).join(', ') }),
        );
      model = root.get('model');
      from = 'model';
    }
    for (const [k, v] of root.entries()) {
      if (typeof k !== 'string' || k === 'model' || k === 'ema') continue;
      const s = simple(v);
      if (s !== undefined) meta[k] = s;
    }
  } else {
    model = root;
    from = 'file';
  }
  if (!(model instanceof PyObject))
    throw new CheckpointError(
      from === 'file'
        ? msg('checkpoint.content-not-model', { kind: kind(model) })
        : msg('checkpoint.entry-not-model', { entry: from, kind: kind(model) }),
    );

  const maxDepth = limits.maxDepth ?? 64;
  const tensors = new Map<string, TensorRef>();
  const parameters = new Set<string>();
  let parameterCount = 0;
  const skipped: string[] = [];
  const ancestors = new Set<PyObject>();
  let visits = 0;
  const walk = (m: PyObject, prefix: string, depth: number) => {
    if (depth > maxDepth)
      throw new CheckpointError(
        prefix
          ? msg('checkpoint.modules-too-deep', { max: maxDepth, at: prefix })
          : msg('checkpoint.modules-too-deep-top', { max: maxDepth }),
      );
    // shared submodules are walked once per name, as state_dict does: bound the total
    if (++visits > LIMITS.checkpointModules)
      throw new CheckpointError(msg('checkpoint.too-many-modules', { max: LIMITS.checkpointModules }));
    if (ancestors.has(m)) throw new CheckpointError(msg('checkpoint.module-loop', { at: prefix }));
    ancestors.add(m);
    const params = m.attr('_parameters');
    const buffers = m.attr('_buffers');
    const skip = m.attr('_non_persistent_buffers_set');
    const children = m.attr('_modules');
    const add = (d: PyValue | undefined, isParam: boolean) => {
      if (!(d instanceof PyDict)) return;
      for (const [k, t] of d.entries()) {
        if (t === null) continue;
        const name = `${prefix}${String(k)}`;
        if (!isParam && skip instanceof PySet && skip.items.includes(k)) continue;
        if (!isParam && k === 'anchor_grid' && /\.(Detect|Segment)$/.test(m.className)) {
          skipped.push(name);
          continue;
        }
        if (!(t instanceof TensorRef))
          throw new CheckpointError(msg('checkpoint.not-a-tensor', { name, kind: kind(t) }));
        if (tensors.size >= LIMITS.checkpointTensors)
          throw new CheckpointError(msg('checkpoint.too-many-tensors', { max: LIMITS.checkpointTensors }));
        tensors.set(name, t);
        if (isParam) {
          parameters.add(name);
          parameterCount += t.numel;
        }
      }
    };
    add(params, true);
    add(buffers, false);
    if (children instanceof PyDict) {
      for (const [k, c] of children.entries()) {
        if (c === null) continue;
        if (!(c instanceof PyObject))
          throw new CheckpointError(msg('checkpoint.not-a-module', { name: `${prefix}${String(k)}`, kind: kind(c) }));
        walk(c, `${prefix}${String(k)}.`, depth + 1);
      }
    }
    ancestors.delete(m);
  };
  walk(model, '', 0);

  const yaml = model.attr('yaml');
  let config: ModelConfig | undefined;
  if (yaml instanceof PyDict) {
    const c = toConfig(yaml, 'yaml', 0, { left: LIMITS.checkpointConfigValues });
    config = c as ModelConfig;
  } else if (yaml !== undefined && yaml !== null)
    throw new CheckpointError(msg('checkpoint.yaml-not-dict', { kind: kind(yaml) }));
  // YOLOv5 keeps it as the model's attribute, Ultralytics in its yaml dict (yaml_model_load adds it)
  const yamlFile = model.attr('yaml_file') ?? config?.yaml_file;
  const names = namesOf(model.attr('names'));
  const strideT = model.attr('stride');

  const maxElements = limits.maxElements ?? 2 ** 28;
  const cp: Checkpoint = {
    from,
    className: model.className,
    config,
    yamlFile: typeof yamlFile === 'string' ? yamlFile : undefined,
    names,
    tensors,
    parameters,
    parameterCount,
    skipped,
    meta,
    root,
    state: () =>
      guard(() => {
        let total = 0;
        for (const t of tensors.values()) total += t.numel;
        if (total > maxElements)
          throw new CheckpointError(msg('checkpoint.too-many-elements', { total, max: maxElements }));
        const out: CheckpointState = new Map();
        for (const [k, t] of tensors)
          out.set(k, { shape: [...t.shape], data: materialise(zip, prefix, t), dtype: t.storage.dtype });
        return out;
      }),
  };
  if (strideT instanceof TensorRef && strideT.numel <= 16) cp.stride = Array.from(materialise(zip, prefix, strideT));
  return cp;
}

function truthy(v: PyValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyDict) return v.size > 0;
  return true;
}

/** A top-level value worth showing: numbers, strings, numpy scalars. */
function simple(v: PyValue): string | number | boolean | null | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof PyFloat) return v.v;
  if (v instanceof PyObject) return numpyScalar(v);
  return undefined;
}

/** The value of an (inert) numpy scalar record `scalar(dtype('f8'), bytes)`, when it is a plain number. */
export function numpyScalar(o: PyObject): number | undefined {
  if (!/^numpy\._?core\.multiarray\.scalar$/.test(o.className)) return undefined;
  const [dt, raw] = o.args;
  if (!(dt instanceof PyObject) || dt.className !== 'numpy.dtype' || !(raw instanceof Uint8Array)) return undefined;
  const code = dt.args[0];
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const readers: Record<string, [number, (o: number) => number]> = {
    f8: [8, (p) => dv.getFloat64(p, true)],
    f4: [4, (p) => dv.getFloat32(p, true)],
    i8: [8, (p) => Number(dv.getBigInt64(p, true))],
    i4: [4, (p) => dv.getInt32(p, true)],
    u1: [1, (p) => dv.getUint8(p)],
    b1: [1, (p) => dv.getUint8(p)],
  };
  const r = typeof code === 'string' ? readers[code] : undefined;
  return r && raw.byteLength === r[0] ? r[1](0) : undefined;
}

function namesOf(v: PyValue | undefined): string[] | undefined {
  if (Array.isArray(v) || v instanceof PyTuple)
    return (Array.isArray(v) ? v : v.items)
      .slice(0, 100_000)
      .map((x) => (typeof x === 'string' ? x : String(simple(x) ?? kind(x))));
  if (v instanceof PyDict) {
    const out: string[] = [];
    for (const [k, x] of v.entries()) {
      if (typeof k !== 'number' || k < 0 || k >= 100_000) return undefined;
      out[k] = typeof x === 'string' ? x : String(simple(x) ?? kind(x));
    }
    return Array.from(out, (x, i) => x ?? String(i));
  }
  return undefined;
}

function toConfig(v: PyValue, path: string, depth: number, budget: { left: number }): ConfigValue {
  if (depth > LIMITS.checkpointConfigDepth)
    throw new CheckpointError(msg('checkpoint.config-too-deep', { max: LIMITS.checkpointConfigDepth, at: path }));
  // shared lists are copied where they are used: bound the copy
  if (--budget.left < 0)
    throw new CheckpointError(msg('checkpoint.config-too-large', { max: LIMITS.checkpointConfigValues }));
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string' || v instanceof PyFloat)
    return v;
  if (typeof v === 'bigint') throw new CheckpointError(msg('checkpoint.config-big-int', { at: path }));
  if (Array.isArray(v) || v instanceof PyTuple)
    return (Array.isArray(v) ? v : v.items).map((x, i) => toConfig(x, `${path}[${i}]`, depth + 1, budget));
  if (v instanceof PyDict) {
    const entries: [string, ConfigValue][] = [];
    for (const [k, x] of v.entries()) {
      if (typeof k !== 'string' && typeof k !== 'number')
        throw new CheckpointError(msg('checkpoint.config-key', { kind: kind(k), at: path }));
      entries.push([String(k), toConfig(x, `${path}.${String(k)}`, depth + 1, budget)]);
    }
    return Object.fromEntries(entries);
  }
  throw new CheckpointError(msg('checkpoint.config-value', { kind: kind(v), at: path }));
}

// ---------------------------------------------------------------- tensor data

/** A tensor's elements in row-major order as float32 (fp16, bf16, fp64 and integers converted). */
function materialise(zip: ZipArchive, prefix: string, t: TensorRef): Float32Array {
  const s = t.storage;
  const raw = zip.read(`${prefix}data/${s.key}`);
  const size = DTYPE_SIZE[s.dtype];
  if (raw.byteLength < s.numel * size) throw new CheckpointError(msg('checkpoint.storage-shorter', { key: s.key }));
  const n = t.numel;
  const dims = t.shape.length;
  // contiguous (row-major strides): a straight run from the offset
  let contiguous = true;
  for (let d = dims - 1, step = 1; d >= 0; step *= t.shape[d], d--)
    if (t.shape[d] !== 1 && t.stride[d] !== step) contiguous = false;
  if (contiguous) return elementsAsFloat32(s.dtype, raw, t.offset, n);
  const get = elementReader(s.dtype, new DataView(raw.buffer, raw.byteOffset, raw.byteLength));
  const out = new Float32Array(n);
  // row-major walk over the strided view (the view was checked to lie inside the storage)
  const idx = new Array(dims).fill(0);
  let at = t.offset;
  for (let k = 0; k < n; k++) {
    out[k] = get(at);
    for (let d = dims - 1; d >= 0; d--) {
      if (++idx[d] < t.shape[d]) {
        at += t.stride[d];
        break;
      }
      at -= (t.shape[d] - 1) * t.stride[d];
      idx[d] = 0;
    }
  }
  return out;
}
