/**
 * The page's side of the read worker: every file the user opens is read there first, under a time limit.
 * A file that takes longer is not opened: the worker is ended (with whatever the file made it allocate) and
 * the user is told why, while the window stays responsive throughout. Where there is no Worker (unit tests
 * in Node), the same reading runs in place.
 */
import { msg, type Message } from '../../src/core/index.ts';
import { answer, type ModelFacts, type ReadModelRequest, type ReadRequest, type ReadResponse } from './read.ts';

/**
 * How long reading a model YAML may take: the shipped configs take 30 to 50 ms (median; 360 ms at worst on
 * a loaded 2-core machine), so 3 s is a safety limit, not a budget. The editor then reads an accepted file
 * again on the page's thread, so this is also the longest the window can stall on opening one.
 */
export const MODEL_READ_LIMIT_MS = 3000;

/**
 * A checkpoint's limit grows with its size (a 4 MB yolov5n.pt reads in about 140 ms): 20 s + 0.1 s per MiB,
 * in whole seconds.
 */
export const checkpointReadLimitMs = (bytes: number) => 1000 * Math.ceil(20 + (0.1 * bytes) / 1048576);

export type ReadFailure =
  { ok: false; reason: 'too-slow'; limitMs: number } | { ok: false; reason: 'failed'; message: Message };

export type CheckpointRead = { ok: true; text: string; names?: string[]; bytes: Uint8Array; ms: number } | ReadFailure;
export type ModelRead = ({ ok: true } & ModelFacts) | ReadFailure;

interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as number),
};

type Pending = { resolve(r: ReadResponse | ReadFailure): void; timer: unknown };

export class ReadClient {
  private worker: WorkerLike | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly make: (() => WorkerLike) | null = typeof Worker === 'undefined'
      ? null
      : () => new Worker(new URL('./read-worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Read a model YAML as the editor will (its libraries and input size). */
  async model(req: Omit<ReadModelRequest, 'type' | 'id'>, limitMs = MODEL_READ_LIMIT_MS): Promise<ModelRead> {
    const r = await this.send({ type: 'model', id: this.nextId++, ...req }, [], limitMs);
    if (!r.ok) return 'reason' in r ? r : { ok: false, reason: 'failed', message: r.message };
    if (!('dataset' in r)) return { ok: false, reason: 'failed', message: msg('read.unexpected-answer') };
    const { id: _id, type: _type, ...facts } = r;
    return facts;
  }

  /**
   * Read a .pt checkpoint into its architecture's YAML. The bytes move to the worker and back (no copy of a
   * large file); after a failure they are gone with the worker.
   */
  async checkpoint(
    name: string,
    bytes: Uint8Array,
    limitMs = checkpointReadLimitMs(bytes.byteLength),
  ): Promise<CheckpointRead> {
    const own =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
        ? bytes
        : bytes.slice();
    const r = await this.send(
      { type: 'checkpoint', id: this.nextId++, name, bytes: own },
      [own.buffer as ArrayBuffer],
      limitMs,
    );
    if (!r.ok) return 'reason' in r ? r : { ok: false, reason: 'failed', message: r.message };
    if (!('text' in r)) return { ok: false, reason: 'failed', message: msg('read.unexpected-answer') };
    return { ok: true, text: r.text, ...(r.names ? { names: r.names } : {}), bytes: r.bytes, ms: r.ms };
  }

  private send(req: ReadRequest, transfer: Transferable[], limitMs: number): Promise<ReadResponse | ReadFailure> {
    if (!this.make) return Promise.resolve(answer(req).response);
    const w = this.ensure();
    return new Promise((resolve) => {
      const timer = this.timers.setTimeout(() => {
        // too slow: end the worker (and what the file made it do); every read in it fails the same way
        this.stop({ ok: false, reason: 'too-slow', limitMs });
      }, limitMs);
      this.pending.set(req.id, { resolve, timer });
      w.postMessage(req, transfer);
    });
  }

  private ensure(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.make!();
    w.onmessage = (ev: MessageEvent<ReadResponse>) => {
      const p = this.pending.get(ev.data.id);
      if (!p) return;
      this.timers.clearTimeout(p.timer);
      this.pending.delete(ev.data.id);
      p.resolve(ev.data);
    };
    w.onerror = (ev) =>
      this.stop({
        ok: false,
        reason: 'failed',
        message: ev.message ? msg('unexpected-error', { text: ev.message }) : msg('read.stopped'),
      });
    this.worker = w;
    return w;
  }

  private stop(failure: ReadFailure) {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) {
      this.timers.clearTimeout(p.timer);
      p.resolve(failure);
    }
    this.pending.clear();
  }
}

/** The failure as a message, for the toast. */
export function readFailureMessage(name: string, f: ReadFailure): Message {
  return f.reason === 'too-slow'
    ? msg('read.too-slow', { file: name, seconds: f.limitMs / 1000 })
    : msg('read.failed', { file: name, problem: f.message });
}
