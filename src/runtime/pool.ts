/**
 * Helper workers for our kernels on tfjs's threaded wasm build (its memory is shared). A kernel's call is a job
 * of tasks (SiLU: chunks of a map; a convolution: bands of output rows), each writing its own part of the output;
 * the calling thread and the helpers (one fewer than tfjs's threads, idle while a kernel of ours runs: tfjs's own
 * threads wait for the calling thread) take tasks in turns through one atomic counter. The calling thread never
 * waits for a helper to start, only for a task a helper has taken. One pool per backend, for every kernel of ours.
 * A task is a self-contained function (its source is sent to the helpers), so a task computes on a helper exactly
 * what it computes on the calling thread. Worker-safe: no Node APIs.
 */

import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { isShared, wasmMemoryOf, type WasmBackendView } from './wasm-view.ts';

/** A kernel's function in WebAssembly (byte offsets and sizes). */
export type WasmFn = (...args: number[]) => void;

/**
 * Task i of a job: calls `f` on its part of the work, reading the job's arguments from `a` at `o` on. It must be
 * self-contained (no closure, no import, no inner function): its source runs on the helpers.
 */
export type TaskFn = (f: WasmFn, a: Int32Array, o: number, i: number) => void;

/** A kind of job: the WebAssembly module (declaring a shared memory) and export the helpers call, and the task. */
export interface JobKind {
  /** index in the kinds list (sent to the helpers by position) */
  id: number;
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  exportName: string;
  task: TaskFn;
}

const kinds: JobKind[] = [];

/**
 * A kind of job for the pools started from now on (kernels define theirs when their file loads). `bytes` is the
 * module declaring a shared memory, compiled when a pool starts (a kind whose module this engine cannot compile,
 * relaxed SIMD without the feature, runs on the calling thread alone).
 */
export function defineJobKind(name: string, bytes: Uint8Array<ArrayBuffer>, exportName: string, task: TaskFn): JobKind {
  const kind = { id: kinds.length, name, bytes, exportName, task };
  kinds.push(kind);
  return kind;
}

/** Int32 words of a job's arguments in each of the two slots (longer jobs run on the calling thread alone). */
export const JOB_ARGS = 256;
const SLOT = 2 + JOB_ARGS;
/**
 * The control words (one SharedArrayBuffer): as Int32 [0] the job's number (1 to 2^30 - 1; the helpers wait on
 * it), [2] tasks the helpers have finished, [3] set when the helpers are stopped; as one BigInt64 at byte 16 the
 * next task to take, with the job's number above bit 32; then from Int32 word 6 two slots, the job's kind, task
 * count and arguments in the one of its number's parity.
 */
const HEAD = 6;
const NEXT_BYTE = 16;

/**
 * The helper's source: waits for a job's number, reads its kind and task count from the slot of the job's parity,
 * then takes tasks by one compare-exchange of the next-task word against the job it read: a helper late from an
 * earlier job (asleep while later jobs ran, whatever slot values it read) takes nothing of another, so it cannot
 * write where an earlier job's tensors were. A task's arguments are read once it is taken (the calling thread
 * does not write that slot again before every taken task is done). `tasks` are the kinds' task functions.
 */
const helperSource = (tasks: TaskFn[]) => `const tasks = [${tasks.map((t) => t.toString()).join(',\n')}];
onmessage = (e) => {
  const { modules, memory, ctrl } = e.data;
  const fns = modules.map((m) => m && new WebAssembly.Instance(m[0], { env: { memory } }).exports[m[1]]);
  const c = new Int32Array(ctrl);
  const next = new BigInt64Array(ctrl, ${NEXT_BYTE}, 1);
  let seen = 0;
  for (;;) {
    Atomics.wait(c, 0, seen);
    if (Atomics.load(c, 3)) return close();
    const s = (seen = Atomics.load(c, 0));
    const o = ${HEAD} + (s & 1) * ${SLOT};
    const kind = c[o], count = c[o + 1];
    const task = tasks[kind], fn = fns[kind];
    const first = BigInt(s) << 32n;
    for (;;) {
      const v = Atomics.load(next, 0);
      const i = Number(v - first);
      if (i < 0 || i >= count || Atomics.load(c, 3)) break;
      if (Atomics.compareExchange(next, 0, v, v + 1n) !== v) continue;
      task(fn, c, o + 2, i);
      Atomics.add(c, 2, 1);
    }
  }
};`;

/** The least a worker must do (a browser Worker, or a test's stand-in for one). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
}

export interface Pool {
  ctrl: Int32Array;
  next: BigInt64Array;
  workers: WorkerLike[];
  /** the kinds the helpers run, by kind id (those defined when the pool started, their module compiled) */
  known: boolean[];
  seq: number;
  /** tasks the helpers have done, by kind id (tests and benchmarks read it) */
  helped: number[];
}

/** Starts a worker on a script's source (a blob URL in a browser; tests pass worker_threads). */
export type WorkerFactory = (source: string) => WorkerLike[];

/** Browser workers from a blob of the source, `count` of them (none where workers cannot start). */
export const blobWorkers =
  (count: number): WorkerFactory =>
  (source) => {
    if (typeof Worker === 'undefined' || typeof Blob === 'undefined') return [];
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const workers: Worker[] = [];
    try {
      for (let k = 0; k < count; k++) workers.push(new Worker(url));
    } catch {
      // no worker may start here (a policy): the calling thread does every task
    } finally {
      URL.revokeObjectURL(url);
    }
    return workers;
  };

/** A pool on a shared memory, its helpers made by `start` (undefined where none started). */
export function startPool(memory: WebAssembly.Memory, start: WorkerFactory): Pool | undefined {
  const modules = kinds.map((k) => {
    try {
      return [new WebAssembly.Module(k.bytes), k.exportName] as const;
    } catch {
      return null;
    }
  });
  const known = modules.map((m) => !!m);
  const workers = start(helperSource(kinds.map((k) => k.task)));
  if (!workers.length) return undefined;
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (HEAD + 2 * SLOT)));
  for (const w of workers) w.postMessage({ modules, memory, ctrl: ctrl.buffer });
  const next = new BigInt64Array(ctrl.buffer, NEXT_BYTE, 1);
  return { ctrl, next, workers, known, seq: 0, helped: kinds.map(() => 0) };
}

/**
 * Stops a pool's helpers: none takes another task (none is inside one: the calling thread waited for those), all
 * end; the pool runs every job on the calling thread from then on.
 */
export function stopPool(pool: Pool) {
  Atomics.store(pool.ctrl, 3, 1);
  Atomics.store(pool.ctrl, 0, -1);
  Atomics.notify(pool.ctrl, 0);
  for (const w of pool.workers) w.terminate();
  pool.workers = [];
  pool.known = pool.known.map(() => false);
}

const pools = new WeakMap<WebAssembly.Memory, Pool | null>();

/**
 * The pool on a backend's shared memory, started on first use with tfjs's thread count less one helper (null
 * with one thread, or where no worker starts).
 */
export function poolFor(memory: WebAssembly.Memory): Pool | null {
  let pool = pools.get(memory);
  if (pool === undefined) {
    pool = startPool(memory, blobWorkers(getThreadsCount() - 1)) ?? null;
    pools.set(memory, pool);
  }
  return pool;
}

/**
 * Ends the pool on a memory (its backend disposed: our kernels' disposeFunc, which tfjs calls on tf.removeBackend
 * and tf.engine().reset()); a later job on the memory starts a fresh one. A page or worker that ends takes its
 * helpers with it.
 */
export function releasePool(memory: WebAssembly.Memory) {
  const pool = pools.get(memory);
  pools.delete(memory);
  if (pool) stopPool(pool);
}

/** A kernel's function on one backend's memory, and that memory where it is shared (its helper pool's). */
export interface KernelOn<F> {
  fn: F;
  shared: WebAssembly.Memory | null;
}

/**
 * One kernel's instances, one per wasm backend: `on` makes it once on the backend's memory (`make`: null where it
 * cannot run there; `register` first, since the kernel's disposeFunc must be known before a pool starts) and
 * `release`, the kernel's disposeFunc, forgets it and ends its memory's helper pool.
 */
export function kernelInstances<F>(register: () => void, make: (memory: WebAssembly.Memory) => F | null) {
  const instances = new WeakMap<object, KernelOn<F> | null>();
  return {
    on(backend: WasmBackendView): KernelOn<F> | null {
      let on = instances.get(backend);
      if (on !== undefined) return on;
      on = null;
      const memory = wasmMemoryOf(backend);
      if (memory) {
        register();
        try {
          const fn = make(memory);
          if (fn) on = { fn, shared: isShared(memory) ? memory : null };
        } catch {
          on = null;
        }
      }
      instances.set(backend, on);
      return on;
    },
    release(backend: object) {
      const on = instances.get(backend);
      instances.delete(backend);
      if (on?.shared) releasePool(on.shared);
    },
  };
}

/**
 * Runs a job: `count` tasks of `kind` on `args` (at most JOB_ARGS words), with `fn` (the kind's function on this
 * thread) and the pool's helpers where there is a pool that knows the kind and more than one task, else here
 * alone, task after task. Returns when every task is done.
 */
export function runJob(
  pool: Pool | null | undefined,
  kind: JobKind,
  fn: WasmFn,
  args: ArrayLike<number>,
  count: number,
) {
  if (!pool?.known[kind.id] || count < 2 || args.length > JOB_ARGS) {
    const a = Int32Array.from(args);
    for (let i = 0; i < count; i++) kind.task(fn, a, 0, i);
    return;
  }
  const c = pool.ctrl;
  const s = (pool.seq = (pool.seq % 0x3fffffff) + 1);
  const o = HEAD + (s & 1) * SLOT;
  c[o] = kind.id;
  c[o + 1] = count;
  c.set(args, o + 2);
  Atomics.store(c, 2, 0);
  const first = BigInt(s) << 32n;
  Atomics.store(pool.next, 0, first);
  // (the stores above are seen by a helper that reads this number)
  Atomics.store(c, 0, s);
  Atomics.notify(c, 0);
  let mine = 0;
  for (;;) {
    const v = Atomics.load(pool.next, 0);
    const i = Number(v - first);
    if (i >= count) break;
    if (Atomics.compareExchange(pool.next, 0, v, v + 1n) !== v) continue;
    kind.task(fn, c, o + 2, i);
    mine++;
  }
  // only the tasks a helper has taken are waited for
  while (Atomics.load(c, 2) + mine < count);
  pool.helped[kind.id] += count - mine;
}
