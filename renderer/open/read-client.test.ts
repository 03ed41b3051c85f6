import { describe, expect, it } from 'vitest';
import { formatMessage } from '../../src/core/index.ts';
import { ReadClient, checkpointReadLimitMs, readFailureMessage, type Timers } from './read-client.ts';
import { answer, readModel, type ReadRequest } from './read.ts';
import { templateById } from '../templates.ts';

/** A worker that answers with read.ts in place, or never (a file that hangs it). */
class FakeWorker {
  static made = 0;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  terminated = false;
  transfers: Transferable[][] = [];
  constructor(private readonly hang: (req: ReadRequest) => boolean) {
    FakeWorker.made++;
  }
  postMessage(req: ReadRequest, transfer: Transferable[] = []) {
    this.transfers.push(transfer);
    if (this.hang(req)) return;
    const { response } = answer(req);
    queueMicrotask(() => this.onmessage?.({ data: response } as MessageEvent));
  }
  terminate() {
    this.terminated = true;
  }
}

class HandTimers implements Timers {
  queue: { fn: () => void; ms: number; live: boolean }[] = [];
  setTimeout(fn: () => void, ms: number) {
    const t = { fn, ms, live: true };
    this.queue.push(t);
    return t;
  }
  clearTimeout(h: unknown) {
    (h as { live: boolean }).live = false;
  }
  fire() {
    for (const t of this.queue.splice(0)) if (t.live) t.fn();
  }
}

const yolov5s = templateById('yolov5s')!;

describe('reading opened files in the read worker', () => {
  it('a model YAML is read as the editor will read it: dataset or model, class names, errors', async () => {
    const c = new ReadClient(() => new FakeWorker(() => false));
    const r = await c.model({ name: 'yolov5s.yaml', text: yolov5s.text, libraries: [], imgsz: 640 });
    expect(r).toMatchObject({ ok: true, dataset: false, errors: 0 });
    const d = await c.model({ name: 'd.yaml', text: 'names:\n  0: a\n  1: b\n', libraries: [], imgsz: 640 });
    expect(d).toMatchObject({ ok: true, dataset: true, names: ['a', 'b'] });
    const bad = await c.model({
      name: 'b.yaml',
      text: 'nc: 80\nbackbone:\n  - [-1, 1, Nope, [1]]\nhead: []\n',
      libraries: [],
      imgsz: 640,
    });
    expect(bad.ok && bad.errors).toBeGreaterThan(0);
  });

  it('a file that keeps the reader busy past the limit is not opened: the worker is ended and the next read gets a new one', async () => {
    const timers = new HandTimers();
    const workers: FakeWorker[] = [];
    const c = new ReadClient(() => {
      const w = new FakeWorker((req) => req.type === 'model' && req.name === 'hang.yaml');
      workers.push(w);
      return w;
    }, timers);
    const pending = c.model({ name: 'hang.yaml', text: 'nc: 1\n', libraries: [], imgsz: 640 }, 3000);
    expect(timers.queue.map((t) => t.ms)).toEqual([3000]);
    timers.fire();
    expect(await pending).toEqual({ ok: false, reason: 'too-slow', limitMs: 3000 });
    expect(workers[0].terminated).toBe(true);
    const next = await c.model({ name: 'fine.yaml', text: yolov5s.text, libraries: [], imgsz: 640 });
    expect(next.ok).toBe(true);
    expect(workers).toHaveLength(2);
  });

  it('a worker that dies (out of memory) fails the read with its message', async () => {
    let w: FakeWorker | null = null;
    const c = new ReadClient(() => (w = new FakeWorker(() => true)), new HandTimers());
    const pending = c.model({ name: 'x.yaml', text: '', libraries: [], imgsz: 640 });
    w!.onerror!({ message: 'Out of memory' } as ErrorEvent);
    expect(await pending).toEqual({
      ok: false,
      reason: 'failed',
      message: { code: 'unexpected-error', params: { text: 'Out of memory' } },
    });
  });

  it('a checkpoint’s bytes move to the worker and back without a copy; a broken one fails with the reader’s message', async () => {
    let w: FakeWorker | null = null;
    const c = new ReadClient(() => (w = new FakeWorker(() => false)));
    const bytes = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    const r = await c.checkpoint('x.pt', bytes);
    expect(w!.transfers[0]).toEqual([bytes.buffer]);
    expect(r).toMatchObject({ ok: false, reason: 'failed' });
    // a view into a larger buffer is copied first (the rest of that buffer is not the file's to move)
    const big = new Uint8Array(64);
    const view = big.subarray(8, 40);
    await c.checkpoint('y.pt', view);
    expect(w!.transfers[1][0]).not.toBe(big.buffer);
  });

  it('without a Worker (Node) it reads in place', async () => {
    const c = new ReadClient(null);
    expect(await c.model({ name: 'yolov5s.yaml', text: yolov5s.text, libraries: [], imgsz: 640 })).toMatchObject({
      ok: true,
      errors: 0,
    });
  });

  it('the limits and the words the user reads', () => {
    expect(checkpointReadLimitMs(4 * 1048576)).toBe(21_000);
    expect(checkpointReadLimitMs(30_000)).toBe(21_000);
    expect(checkpointReadLimitMs(1024 * 1048576)).toBe(123_000);
    expect(formatMessage(readFailureMessage('m.yaml', { ok: false, reason: 'too-slow', limitMs: 3000 }))).toBe(
      'm.yaml was not opened: reading it took longer than 3 s, the limit that keeps a file from freezing the app',
    );
    expect(readModel({ name: 'e.yaml', text: '', libraries: [], imgsz: 640 }).dataset).toBe(false);
  });
});
