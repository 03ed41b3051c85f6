// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor.ts';
import {
  AutosaveController,
  LocalRecoveryStore,
  type AutosaveEntry,
  type RecoveryStore,
  type Timers,
} from './autosave.ts';

class FakeTimers implements Timers {
  t = 0;
  queue: { at: number; fn: () => void; id: number }[] = [];
  private n = 0;
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.n;
    this.queue.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown) {
    this.queue = this.queue.filter((q) => q.id !== h);
  }
  now() {
    return this.t;
  }
  async advance(ms: number) {
    this.t += ms;
    const due = this.queue.filter((q) => q.at <= this.t);
    this.queue = this.queue.filter((q) => q.at > this.t);
    for (const q of due) q.fn();
    await new Promise((r) => setTimeout(r, 0));
  }
}

class MemoryStore implements RecoveryStore {
  entries = new Map<string, AutosaveEntry>();
  async write(e: AutosaveEntry) {
    this.entries.set(e.id, e);
  }
  async discard(id: string) {
    this.entries.delete(id);
  }
  async list() {
    return [...this.entries.values()];
  }
}

const TEXT =
  'nc: 80\ndepth_multiple: 1\nwidth_multiple: 1\nanchors: 3\nbackbone:\n  [[-1, 1, Conv, [16, 3, 2]]]\nhead: []\n';

describe('autosave and recovery', () => {
  it('writes unsaved edits after the interval, at most once per interval, and discards them on save', async () => {
    const store = createEditorStore();
    const rec = new MemoryStore();
    const timers = new FakeTimers();
    const stop = new AutosaveController(store, rec, 3000, timers).start();
    store.getState().openDocument({ name: 'm.yaml', text: TEXT });
    store.getState().setText(TEXT.replace('nc: 80', 'nc: 3'), 'yaml');
    store.getState().setText(TEXT.replace('nc: 80', 'nc: 4'), 'yaml');
    await timers.advance(2999);
    expect(rec.entries.size).toBe(0);
    await timers.advance(1);
    expect([...rec.entries.values()].map((e) => [e.title, e.text.slice(0, 5)])).toEqual([['m.yaml', 'nc: 4']]);
    store.getState().markSaved({ name: 'm.yaml' });
    await timers.advance(0);
    expect(rec.entries.size).toBe(0);
    stop();
  });

  it('typing back to the saved text needs no recovery', async () => {
    const store = createEditorStore();
    const rec = new MemoryStore();
    const timers = new FakeTimers();
    new AutosaveController(store, rec, 3000, timers).start();
    store.getState().openDocument({ name: 'm.yaml', text: TEXT });
    store.getState().setText(TEXT + '# x\n', 'yaml');
    await timers.advance(3000);
    expect(rec.entries.size).toBe(1);
    store.getState().setText(TEXT, 'yaml');
    await timers.advance(0);
    expect(rec.entries.size).toBe(0);
  });

  it('the browser store keeps entries across page loads (localStorage), newest first', async () => {
    localStorage.clear();
    const a = new LocalRecoveryStore();
    await a.write({ id: 'a', path: null, title: 'a.yaml', text: 'x', savedAt: 1 });
    await a.write({ id: 'b', path: null, title: 'b.yaml', text: 'y', savedAt: 2 });
    const b = new LocalRecoveryStore();
    expect((await b.list()).map((e) => e.id)).toEqual(['b', 'a']);
    await b.discard('b');
    expect((await new LocalRecoveryStore().list()).map((e) => e.id)).toEqual(['a']);
    localStorage.setItem('yolo-architect.autosave', '{broken');
    expect(await new LocalRecoveryStore().list()).toEqual([]);
  });

  it("keeps the model's own module library with its text, and a restore brings both back", async () => {
    const { restoreEntry } = await import('./RecoveryBanner.tsx');
    const { libraryStore } = await import('../modules/library.ts');
    const { editorStore } = await import('../store/editor.ts');
    const store = createEditorStore();
    const rec = new MemoryStore();
    const timers = new FakeTimers();
    const lib = 'Twice:\n  description: x + x\n  args: [c1, c2]\n  body: [{id: y, op: add, in: [x, x]}]\n';
    new AutosaveController(store, rec, 3000, timers, () => ({ name: 'm.modules.yaml', text: lib })).start();
    store.getState().openDocument({ name: 'm.yaml', text: TEXT });
    const edited = TEXT.replace('[[-1, 1, Conv, [16, 3, 2]]]', '[[-1, 1, Conv, [16, 3, 2]], [-1, 1, Twice, [16]]]');
    store.getState().setText(edited, 'yaml');
    await timers.advance(3000);
    const [entry] = [...rec.entries.values()];
    expect(entry.modules).toEqual({ name: 'm.modules.yaml', text: lib });
    libraryStore.getState().setModel(null);
    restoreEntry(entry);
    expect(libraryStore.getState().model).toEqual({ file: 'm.modules.yaml', text: lib });
    const l = editorStore.getState().analysis.layers[1];
    expect([l.module, l.ok, l.shape]).toEqual(['Twice', true, [16, 320, 320]]);
  });
});

describe('restoring and deciding', () => {
  /** A store that logs every write and delete in order. */
  class LoggingStore extends MemoryStore {
    log: string[] = [];
    override async write(e: AutosaveEntry) {
      this.log.push(`write ${e.id}`);
      await super.write(e);
    }
    override async discard(id: string) {
      this.log.push(`discard ${id}`);
      await super.discard(id);
    }
  }

  it('a restore writes the restored document’s entry before it deletes the old one', async () => {
    const { restoreEntry } = await import('./RecoveryBanner.tsx');
    const { editorStore } = await import('../store/editor.ts');
    const rec = new LoggingStore();
    const old = { id: 'earlier-1', path: null, title: 'm.yaml', text: TEXT.replace('nc: 80', 'nc: 7'), savedAt: 1 };
    await rec.write(old);
    rec.log = [];
    const timers = new FakeTimers();
    const ctl = new AutosaveController(editorStore, rec, 3000, timers);
    const stop = ctl.start();
    await restoreEntry(old, ctl);
    const news = rec.log.filter((l) => l.startsWith('write'));
    expect(news).toHaveLength(1);
    const newId = news[0].slice('write '.length);
    expect(newId).not.toBe('earlier-1');
    expect(rec.log.indexOf(`write ${newId}`)).toBeLessThan(rec.log.indexOf('discard earlier-1'));
    expect([...rec.entries.keys()]).toEqual([newId]);
    expect(rec.entries.get(newId)!.text).toBe(old.text);
    expect(editorStore.getState().text).toBe(old.text);
    stop();
  });

  it('a restored document keeps the path only when the host allows it (desktop: a file the user opened)', async () => {
    const { restoreEntry } = await import('./RecoveryBanner.tsx');
    const { editorStore } = await import('../store/editor.ts');
    const rec = new MemoryStore();
    const refusing: RecoveryStore = {
      ...rec,
      write: rec.write.bind(rec),
      discard: rec.discard.bind(rec),
      list: rec.list.bind(rec),
      replace: async () => ({ path: null }),
    };
    const ctl = new AutosaveController(editorStore, refusing, 3000, new FakeTimers());
    const stop = ctl.start();
    await restoreEntry({ id: 'e-1', path: '/home/u/.bashrc', title: 'm.yaml', text: TEXT, savedAt: 1 }, ctl);
    expect(editorStore.getState().file).toEqual({ name: 'm.yaml' });
    stop();
  });

  it('flush writes the unsaved text at once (before the user is asked about it); discardCurrent drops it', async () => {
    const store = createEditorStore();
    const rec = new MemoryStore();
    const timers = new FakeTimers();
    const ctl = new AutosaveController(store, rec, 3000, timers);
    ctl.start();
    store.getState().openDocument({ name: 'm.yaml', text: TEXT });
    store.getState().setText(TEXT.replace('nc: 80', 'nc: 3'), 'yaml');
    await ctl.flush();
    expect([...rec.entries.values()].map((e) => e.text.slice(0, 5))).toEqual(['nc: 3']);
    expect(timers.queue).toEqual([]); // no second write pending
    await ctl.discardCurrent();
    expect(rec.entries.size).toBe(0);
  });
});
