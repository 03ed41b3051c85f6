/**
 * What a pickle becomes (pickle.ts makes them): Python's containers and references as inert JavaScript values
 * (PyDict with Python's key equality, bounded by a work budget; PyTuple, PySet, PyGlobal, PyObject records),
 * torch's storages and tensors as references to the archive's entries, and what a value is, said in a message.
 */
import { LIMITS } from '../limits.ts';
import { MessageError, msg, type Message } from '../messages/index.ts';
import { PyFloat } from '../py.ts';
import type { Dtype } from './dtype.ts';

/** A pickle that is refused: its message ('pickle.*'). */
export class PickleError extends MessageError {
  override name = 'PickleError';
}

/** A reference to a class or function by name (`GLOBAL module name`); never resolved. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export class PySet {
  constructor(
    readonly items: PyValue[],
    readonly frozen = false,
  ) {}
}

/** An instance of a class the unpickler does not rebuild: only its name and data. */
export class PyObject {
  /** State from BUILD (usually the instance __dict__ as a PyDict). */
  state: PyValue | undefined = undefined;
  /** Items added by SETITEM(S)/APPEND(S) to an instance of a dict or list subclass. */
  dictItems: PyDict | undefined = undefined;
  listItems: PyValue[] | undefined = undefined;
  constructor(
    readonly cls: PyGlobal,
    readonly args: PyValue[],
    /** How the pickle made it: NEWOBJ(_EX) (cls.__new__) or an allowlisted REDUCE recorded inertly. */
    readonly via: 'newobj' | 'reduce',
    readonly kwargs?: PyDict,
  ) {}
  get className(): string {
    return this.cls.qualified;
  }
  /** An attribute from the BUILD state (`__dict__`), when the state is a dict. */
  attr(name: string): PyValue | undefined {
    const s = this.state instanceof PyTuple ? this.state.items[0] : this.state;
    return s instanceof PyDict ? s.get(name) : undefined;
  }
}

/** The dtypes PyTorch's pickled storages have (STORAGE_TYPES in pickle.ts). */
export type StorageDtype = Exclude<Dtype, 'U16' | 'U32' | 'U64'>;

/** A tensor storage named by a persistent id: its bytes are the archive's `data/<key>`. */
export class StorageRef {
  constructor(
    readonly key: string,
    readonly dtype: StorageDtype,
    readonly numel: number,
    readonly location: string,
  ) {}
}

/** A tensor as `_rebuild_tensor_v2` describes it: a strided view of a storage (data not read yet). */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
    readonly requiresGrad: boolean,
    readonly parameter = false,
  ) {}
  get numel(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | Uint8Array
  | PyTuple
  | PyValue[]
  | PyDict
  | PySet
  | PyGlobal
  | PyObject
  | TensorRef
  | StorageRef;

/** A Python dict (insertion ordered) with Python's key equality for hashable keys. */
export class PyDict {
  readonly keys: PyValue[] = [];
  readonly values: PyValue[] = [];
  // made on the first key: an empty dict stays small (a pickle may make millions)
  private index_: Map<string, number> | undefined;
  private get index(): Map<string, number> {
    return (this.index_ ??= new Map());
  }
  set(k: PyValue, v: PyValue) {
    const id = keyId(k, 0);
    const at = this.index.get(id);
    if (at !== undefined) this.values[at] = v;
    else {
      this.index.set(id, this.keys.length);
      this.keys.push(k);
      this.values.push(v);
    }
  }
  get(k: PyValue): PyValue | undefined {
    const at = this.index.get(keyId(k, 0));
    return at === undefined ? undefined : this.values[at];
  }
  has(k: PyValue): boolean {
    return this.index.has(keyId(k, 0));
  }
  get size(): number {
    return this.keys.length;
  }
  *entries(): IterableIterator<[PyValue, PyValue]> {
    for (let i = 0; i < this.keys.length; i++) yield [this.keys[i], this.values[i]];
  }
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
/** The longest identity string of one dict key (a tuple key's parts together). */
const MAX_KEY_ID = 1 << 20;

/**
 * The work spent making dict keys' identities: every character of every identity built. A tuple's identity is
 * built once (tuples are immutable) and reused, so inserting the same large key again costs its length once
 * more for hashing, and no key can make the reader quadratic: the unpickle stops at `max` characters.
 */
class KeyWork {
  used = 0;
  readonly tuples = new WeakMap<object, string>();
  constructor(readonly max: number) {}
  charge(n: number) {
    this.used += n;
    if (this.used > this.max) throw new PickleError(msg('pickle.key-work', { max: this.max }));
  }
}
/** The key work of the unpickle running now (unbounded for dicts our own code reads afterwards). */
let keyWork = new KeyWork(Infinity);

/** `fn` run with its own dict-key work budget (an unpickle's), the outer one restored after. */
export function withKeyWork<T>(max: number, fn: () => T): T {
  const outer = keyWork;
  keyWork = new KeyWork(max);
  try {
    return fn();
  } finally {
    keyWork = outer;
  }
}

/** Python's key equality as a string; hashable keys only. */
function keyId(k: PyValue, depth: number): string {
  if (depth > LIMITS.pickleKeyDepth) throw new PickleError(msg('pickle.key-too-deep', { max: LIMITS.pickleKeyDepth }));
  if (k === null) return 'N';
  if (typeof k === 'string') {
    keyWork.charge(k.length + 1);
    return `s${k}`;
  }
  if (typeof k === 'boolean') return k ? 'i1' : 'i0';
  if (typeof k === 'number') return Number.isInteger(k) ? `i${k}` : `f${k}`;
  if (typeof k === 'bigint') return `i${k}`;
  if (k instanceof PyFloat) return Number.isInteger(k.v) ? `i${k.v}` : `f${k.v}`;
  if (k instanceof Uint8Array) {
    keyWork.charge(2 * Math.min(k.length, 4096));
    return `b${Array.from(k.subarray(0, 4096), (x) => x.toString(16).padStart(2, '0')).join('')}#${k.length}`;
  }
  if (k instanceof PyTuple || (k instanceof PySet && k.frozen)) {
    let id = keyWork.tuples.get(k);
    if (id === undefined) {
      let length = 0;
      const parts = k.items.map((x) => {
        const p = keyId(x, depth + 1);
        length += p.length + 1;
        if (length > MAX_KEY_ID) throw new PickleError(msg('pickle.key-too-large', { max: MAX_KEY_ID }));
        return p;
      });
      keyWork.charge(length);
      id = k instanceof PyTuple ? `t(${parts.join(',')})` : `z(${parts.sort().join(',')})`;
      keyWork.tuples.set(k, id);
    } else keyWork.charge(id.length);
    return id;
  }
  if (k instanceof PyGlobal) return `g${k.qualified}`;
  if (Array.isArray(k) || k instanceof PyDict || k instanceof PySet)
    throw new PickleError(
      msg('pickle.unhashable-key', { type: Array.isArray(k) ? 'list' : k instanceof PyDict ? 'dict' : 'set' }),
    );
  let id = identities.get(k);
  if (id === undefined) identities.set(k, (id = nextIdentity++));
  return `o${id}`;
}

export function kind(v: PyValue | undefined): Message {
  if (v === undefined) return msg('checkpoint.kind-nothing');
  if (v instanceof PyGlobal) return msg('checkpoint.kind-reference', { name: v.qualified });
  if (v instanceof PyObject) return msg('checkpoint.kind-object', { cls: v.className });
  return msg('checkpoint.kind', { type: typeName(v) });
}

/** The Python type of a value (as `type(v).__name__` says it). */
function typeName(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (v instanceof PyFloat) return 'float';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PySet) return 'set';
  if (v instanceof TensorRef) return 'tensor';
  return 'storage';
}
