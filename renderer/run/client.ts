/** The page side of the run worker: one run at a time, progress, cancel (the worker is replaced). */
import type { RunRequest, RunSummary, WorkerMessage } from './protocol.ts';

export class RunError extends Error {
  constructor(
    readonly kind: Extract<WorkerMessage, { type: 'error' }>['kind'] | 'cancelled',
    message: string,
  ) {
    super(message);
  }
}

type Pending = { resolve: (r: RunSummary) => void; reject: (e: RunError) => void; progress: (stage: string) => void };

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
      if (m.type === 'progress') p.progress(m.stage);
      else {
        this.pending.delete(m.id);
        if (m.type === 'result') p.resolve(m.result);
        else p.reject(new RunError(m.kind, m.message));
      }
    };
    w.onerror = (ev) => {
      for (const p of this.pending.values()) p.reject(new RunError('other', ev.message || 'the run worker stopped'));
      this.pending.clear();
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = w;
    return w;
  }

  run(req: Omit<RunRequest, 'id'>, progress: (stage: string) => void = () => {}): Promise<RunSummary> {
    const id = this.nextId++;
    const w = this.ensure();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      w.postMessage({ ...req, id });
    });
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Stop the run now: the worker is ended (and its GPU memory with it) and a fresh one starts next time. */
  cancel() {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new RunError('cancelled', 'cancelled'));
    this.pending.clear();
  }
}
