// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { BrowserHost } from './browser.ts';
import { systemLang } from '../i18n.ts';

describe('browser host', () => {
  it('keeps recent files (with their text) in localStorage, newest first, and reopens them', async () => {
    localStorage.clear();
    const host = new BrowserHost(localStorage);
    expect(await host.recentFiles()).toEqual([]);
    host.addRecent({ name: 'a.yaml', text: 'nc: 1\n' });
    host.addRecent({ name: 'b.yaml', text: 'nc: 2\n' });
    host.addRecent({ name: 'a.yaml', text: 'nc: 3\n' });
    const recent = await host.recentFiles();
    expect(recent.map((r) => r.name)).toEqual(['a.yaml', 'b.yaml']);
    expect(await host.openRecent(recent[0])).toEqual({ name: 'a.yaml', text: 'nc: 3\n' });
    expect(await host.openRecent({ name: 'gone.yaml', openedAt: 1 })).toBeNull();
  });

  it('survives corrupt storage', async () => {
    localStorage.setItem('yolo-architect.recent', '{not json');
    expect(await new BrowserHost(localStorage).recentFiles()).toEqual([]);
  });

  it('saves through a download', async () => {
    const host = new BrowserHost(localStorage);
    const created: string[] = [];
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      created.push(this.download);
    });
    expect(await host.saveAs('model.yaml', 'nc: 80\n')).toEqual({ name: 'model.yaml' });
    expect(created).toEqual(['model.yaml']);
    click.mockRestore();
  });

  it('asks before closing only with unsaved changes', () => {
    const host = new BrowserHost(localStorage);
    let dirty = false;
    const off = host.onCloseRequest(() => dirty);
    const ev = () => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(ev()).toBe(false);
    dirty = true;
    expect(ev()).toBe(true);
    off();
    expect(ev()).toBe(false);
  });

  it('relays menu commands', () => {
    const host = new BrowserHost(localStorage);
    const got: string[] = [];
    const off = host.onMenu((c) => got.push(c));
    host.emitMenu('undo');
    off();
    host.emitMenu('redo');
    expect(got).toEqual(['undo']);
  });
});

describe('language', () => {
  it('follows the system language', () => {
    expect(systemLang(['zh-CN', 'en'])).toBe('zh');
    expect(systemLang(['zh-Hans'])).toBe('zh');
    expect(systemLang(['en-GB', 'zh-CN'])).toBe('en');
    expect(systemLang(['fr-FR'])).toBe('en');
  });
});
