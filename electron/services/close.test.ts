import { describe, expect, it } from 'vitest';
import { CloseGuard } from './close.ts';

/** A guard with recorded effects and a hand-driven clock. */
function guard(nativeAnswer = false) {
  const log: string[] = [];
  const timers: { fn: () => void; ms: number; live: boolean }[] = [];
  const g = new CloseGuard(
    {
      askPage: (id) => log.push(`ask page ${id}`),
      askNatively: async (id) => {
        log.push(`ask natively ${id}`);
        return nativeAnswer;
      },
      close: (id) => log.push(`close ${id}`),
      quit: () => log.push('quit'),
      setTimer: (fn, ms) => {
        const t = { fn, ms, live: true };
        timers.push(t);
        return t;
      },
      clearTimer: (t) => void ((t as { live: boolean }).live = false),
    },
    2000,
  );
  const elapse = async () => {
    for (const t of timers.splice(0)) if (t.live) t.fn();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { g, log, elapse };
}

describe('closing with unsaved changes', () => {
  it('a window without unsaved changes closes at once', () => {
    const { g, log } = guard();
    expect(g.onClose(1)).toBe(true);
    g.setDirty(1, false);
    expect(g.onClose(1)).toBe(true);
    expect(log).toEqual([]);
  });

  it('with unsaved changes the page is asked, and the window closes when the user saved or discarded', async () => {
    const { g, log, elapse } = guard();
    g.setDirty(1, true);
    expect(g.onClose(1)).toBe(false);
    expect(g.onClose(1)).toBe(false); // a second click while asking asks once
    g.onAnswer(1, 'asking');
    await elapse(); // the page answered in time: no native dialog
    g.onAnswer(1, 'proceed');
    expect(log).toEqual(['ask page 1', 'close 1']);
    expect(g.onClose(1)).toBe(true); // the close it started goes through
  });

  it('Cancel keeps the window open, and the next close asks again', () => {
    const { g, log } = guard();
    g.setDirty(1, true);
    g.onClose(1);
    g.onAnswer(1, 'asking');
    g.onAnswer(1, 'cancel');
    expect(g.onClose(1)).toBe(false);
    expect(log).toEqual(['ask page 1', 'ask page 1']);
  });

  it("quitting asks too; after Save or Don't save the app quits, after Cancel it does not", () => {
    const { g, log } = guard();
    g.setDirty(1, true);
    g.beforeQuit();
    expect(g.onClose(1)).toBe(false);
    g.onAnswer(1, 'cancel');
    expect(log).toEqual(['ask page 1']);
    // a later plain close is not a quit
    g.onClose(1);
    g.onAnswer(1, 'proceed');
    expect(log).toEqual(['ask page 1', 'ask page 1', 'close 1']);
    const b = guard();
    b.g.setDirty(2, true);
    b.g.beforeQuit();
    b.g.onClose(2);
    b.g.onAnswer(2, 'proceed');
    expect(b.log).toEqual(['ask page 2', 'quit']);
  });

  it('an answer nobody asked for does not close anything', () => {
    const { g, log } = guard();
    g.setDirty(1, true);
    g.onAnswer(1, 'proceed');
    expect(log).toEqual([]);
    expect(g.onClose(1)).toBe(false);
  });

  it('a page that does not answer (hung by a file, or gone) is asked natively; Close Anyway closes', async () => {
    const { g, log, elapse } = guard(true);
    g.setDirty(1, true);
    g.onClose(1);
    await elapse();
    expect(log).toEqual(['ask page 1', 'ask natively 1', 'close 1']);
  });

  it('and Cancel in the native dialog keeps it open', async () => {
    const { g, log, elapse } = guard(false);
    g.setDirty(1, true);
    g.onClose(1);
    await elapse();
    expect(log).toEqual(['ask page 1', 'ask natively 1']);
    expect(g.onClose(1)).toBe(false);
  });

  it('a reloaded page starts clean: nothing pending, not dirty', () => {
    const { g, log } = guard();
    g.setDirty(1, true);
    g.onClose(1);
    g.pageReset(1);
    g.onAnswer(1, 'proceed');
    expect(log).toEqual(['ask page 1']);
    expect(g.onClose(1)).toBe(true);
  });
});
