/**
 * The page side of the run worker: runs and background warm-ups, progress, cancel (the worker is
 * replaced). One worker keeps the network it built between requests.
 */
import { MessageError, msg, type Message } from '../../src/core/index.ts';
import type { Progress, RunRequest, RunSummary, WarmRequest, WarmSummary, WorkerMessage } from './protocol.ts';

export class RunError extends MessageError {
  constructor(
    readonly kind: Extract<WorkerMessage, { type: 'error' }>['kind'] | 'cancelled' | 'skipped',
    said: Message,
  ) {
    super(said);
  }
}

type Pending = {
  resolve: (r: RunSummary | WarmSummary) => void;
  reject: (e: RunError) => void;
  progress: (p: Progress) => void;
};

export class RunClient {
  private worker: Worker | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly make: () => Worker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }),
  ) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = this.make();
    w.onmessage = (ev: MessageEvent<WorkerMessage>) => {
      const m = ev.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') {
        const { type: _t, id: _i, ...progress } = m;
        p.progress(progress);
        return;
      }
      this.pending.delete(m.id);
      if (m.type === 'result' || m.type === 'warmed') p.resolve(m.result);
      else if (m.type === 'skipped') p.reject(new RunError('skipped', msg('run.superseded')));
      else p.reject(new RunError(m.kind, m.message));
    };
    w.onerror = (ev) => {
      for (const p of this.pending.values())
        p.reject(
          new RunError('other', ev.message ? msg('unexpected-error', { text: ev.message }) : msg('run.worker-stopped')),
        );
      this.pending.clear();
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = w;
    return w;
  }

  private send<R>(req: Omit<RunRequest, 'id'> | Omit<WarmRequest, 'id'>, progress: (p: Progress) => void) {
    const id = this.nextId++;
    const w = this.ensure();
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject, progress });
      w.postMessage({ ...req, id });
    });
  }

  run(req: Omit<RunRequest, 'id' | 'type'>, progress: (p: Progress) => void = () => {}): Promise<RunSummary> {
    return this.send<RunSummary>({ ...req, type: 'run' }, progress);
  }

  /** Build and run the network once in the background; rejects with kind 'skipped' when a newer request came. */
  warm(req: Omit<WarmRequest, 'id' | 'type'>, progress: (p: Progress) => void = () => {}): Promise<WarmSummary> {
    return this.send<WarmSummary>({ ...req, type: 'warm' }, progress);
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Stop now: the worker is ended (and its GPU memory with it) and a fresh one starts next time. */
  cancel() {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new RunError('cancelled', msg('run.cancelled')));
    this.pending.clear();
  }
}
