import { describe, expect, it } from 'vitest';
import type { CloseAnswer, DesktopApi } from '../../src/desktop/contract.ts';
import { ElectronHost } from './electron.ts';

/** The preload API with only what closing uses: main's close request and the page's answers. */
function fakeApi() {
  const answers: CloseAnswer[] = [];
  const dirty: boolean[] = [];
  let request: () => void = () => {};
  const api = {
    onCloseRequest: (l: () => void) => {
      request = l;
      return () => {};
    },
    answerClose: (a: CloseAnswer) => answers.push(a),
    setDirty: (d: boolean) => dirty.push(d),
  } as unknown as DesktopApi;
  return { api, answers, dirty, request: () => request() };
}

describe('closing the desktop window', () => {
  it('with unsaved changes the page says at once that it asks, then proceeds or cancels as the user chose', async () => {
    for (const choice of [true, false]) {
      const f = fakeApi();
      let decide: (v: boolean) => void = () => {};
      new ElectronHost(f.api).onCloseRequest(
        () => true,
        () => new Promise((r) => (decide = r)),
      );
      f.request();
      expect(f.answers).toEqual(['asking']);
      f.request(); // main asking again while the dialog is open changes nothing
      decide(choice);
      await new Promise((r) => setTimeout(r, 0));
      expect(f.answers).toEqual(['asking', 'asking', choice ? 'proceed' : 'cancel']);
    }
  });

  it('without unsaved changes it lets the window close without asking', () => {
    const f = fakeApi();
    let asked = false;
    new ElectronHost(f.api).onCloseRequest(
      () => false,
      async () => (asked = true),
    );
    f.request();
    expect(f.answers).toEqual(['proceed']);
    expect(asked).toBe(false);
  });

  it('a failed question is a Cancel (the window stays)', async () => {
    const f = fakeApi();
    new ElectronHost(f.api).onCloseRequest(
      () => true,
      () => Promise.reject(new Error('boom')),
    );
    f.request();
    await new Promise((r) => setTimeout(r, 0));
    expect(f.answers).toEqual(['asking', 'cancel']);
  });

  it('tells main about unsaved changes when they change, not once a second', () => {
    const f = fakeApi();
    const host = new ElectronHost(f.api);
    host.setDirty(true);
    host.setDirty(false);
    expect(f.dirty).toEqual([true, false]);
  });
});
