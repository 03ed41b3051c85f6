// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { BrowserHost } from './browser.ts';
import type { DirectoryHandle, FileHandle, FileSystemAccess } from './browser-files.ts';
import { zipOf } from './browser-files.ts';
import { confirmOverwrites } from '../overwrite/plan.ts';

/** File System Access stand-ins that keep what is written. */
function fakeFsa(answer = 'picked.yaml', existing: Record<string, string> = {}) {
  const writes: { name: string; text: string }[] = [];
  const picks: string[] = [];
  const folder: Record<string, string> = { ...existing };
  const handle = (name: string, onClose: (t: string) => void): FileHandle => ({
    kind: 'file',
    name,
    async createWritable() {
      let text = '';
      return {
        async write(d: string | Blob | Uint8Array) {
          text += typeof d === 'string' ? d : String(d);
        },
        async close() {
          onClose(text);
        },
      };
    },
    async getFile() {
      return new File([folder[name] ?? ''], name);
    },
  });
  const fsa: FileSystemAccess = {
    async showSaveFilePicker(o) {
      picks.push(o.suggestedName ?? '');
      if (answer === '') throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      return handle(answer, (text) => writes.push({ name: answer, text }));
    },
    async showDirectoryPicker() {
      const dir: DirectoryHandle = {
        kind: 'directory',
        name: 'out',
        async getFileHandle(n, o) {
          if (!(n in folder) && !o?.create) throw Object.assign(new Error('no'), { name: 'NotFoundError' });
          return handle(n, (t) => (folder[n] = t));
        },
      };
      return dir;
    },
  };
  return { fsa, writes, picks, folder };
}

function catchDownloads() {
  const got: { name: string; href: string }[] = [];
  URL.createObjectURL = vi.fn(() => 'blob:x');
  URL.revokeObjectURL = vi.fn();
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    got.push({ name: this.download, href: this.href });
  });
  return { got, restore: () => click.mockRestore() };
}

describe('saving in a browser', () => {
  it('with the File System Access API, Save as asks the picker once and Save writes the same file again', async () => {
    const f = fakeFsa('mine.yaml');
    const host = new BrowserHost(localStorage, { fsa: f.fsa });
    const saved = await host.saveAs('yolov5s.yaml', 'nc: 80\n');
    expect(saved?.name).toBe('mine.yaml');
    expect(saved?.path).toMatch(/^browser-file:/);
    expect(await host.save(saved!, 'nc: 3\n')).toEqual(saved);
    expect(f.picks).toEqual(['yolov5s.yaml']);
    expect(f.writes).toEqual([
      { name: 'mine.yaml', text: 'nc: 80\n' },
      { name: 'mine.yaml', text: 'nc: 3\n' },
    ]);
  });

  it('a closed picker saves nothing; a document without a handle asks the picker', async () => {
    const f = fakeFsa('');
    const host = new BrowserHost(localStorage, { fsa: f.fsa });
    expect(await host.saveAs('a.yaml', 'x')).toBeNull();
    expect(await host.save({ name: 'b.yaml' }, 'x')).toBeNull();
    expect(f.picks).toEqual(['a.yaml', 'b.yaml']);
  });

  it('without it, Save as asks for a name and downloads under it; Save downloads under the name', async () => {
    const d = catchDownloads();
    const asked: string[] = [];
    const host = new BrowserHost(localStorage, {
      fsa: null,
      askName: async (s) => (asked.push(s), asked.length === 1 ? 'renamed.yaml' : null),
    });
    expect(await host.saveAs('model.yaml', 'nc: 1\n')).toEqual({ name: 'renamed.yaml' });
    expect(await host.saveAs('model.yaml', 'nc: 1\n')).toBeNull();
    expect(await host.save({ name: 'renamed.yaml' }, 'nc: 2\n')).toEqual({ name: 'renamed.yaml' });
    expect(asked).toEqual(['model.yaml', 'model.yaml']);
    expect(d.got.map((g) => g.name)).toEqual(['renamed.yaml', 'renamed.yaml']);
    d.restore();
  });
});

describe('Export for YOLOv5 in a browser', () => {
  const files = [
    { path: 'net.yaml', text: 'nc: 80\n' },
    { path: 'yolov5-v7.0.patch', text: 'diff\n' },
  ];

  it('offers a folder only where the directory picker exists', () => {
    expect(new BrowserHost(localStorage, { fsa: fakeFsa().fsa }).exportTargets()).toEqual(['folder', 'zip']);
    expect(new BrowserHost(localStorage, { fsa: null }).exportTargets()).toEqual(['zip']);
  });

  it('writes into the folder picked, asking before replacing files there with other content', async () => {
    const f = fakeFsa('x', { 'net.yaml': 'old', 'yolov5-v7.0.patch': 'diff\n' });
    const asked: string[][] = [];
    let yes = false;
    const ask = async (folder: string, changed: string[]) => (asked.push([folder, ...changed]), yes);
    const host = new BrowserHost(localStorage, { fsa: f.fsa });
    expect(await host.writeExport('folder', 'net-yolov5', files, confirmOverwrites(files, ask))).toBeNull();
    expect(f.folder).toEqual({ 'net.yaml': 'old', 'yolov5-v7.0.patch': 'diff\n' });
    yes = true;
    // the patch there is the same: left alone
    expect(await host.writeExport('folder', 'net-yolov5', files, confirmOverwrites(files, ask))).toEqual({
      target: 'folder',
      folder: 'out',
      files: ['net.yaml'],
      replaced: ['net.yaml'],
    });
    expect(f.folder).toEqual({ 'net.yaml': 'nc: 80\n', 'yolov5-v7.0.patch': 'diff\n' });
    expect(asked).toEqual([
      ['out', 'net.yaml'],
      ['out', 'net.yaml'],
    ]);
  });

  it('or downloads one zip that unpacks into one folder', async () => {
    const d = catchDownloads();
    const host = new BrowserHost(localStorage, { fsa: null });
    expect(await host.writeExport('zip', 'net-yolov5', files, confirmOverwrites(files))).toMatchObject({
      target: 'zip',
      file: 'net-yolov5.zip',
    });
    expect(d.got.map((g) => g.name)).toEqual(['net-yolov5.zip']);
    d.restore();
    const z = unzipSync(zipOf('net-yolov5', files));
    expect(Object.fromEntries(Object.entries(z).map(([k, v]) => [k, strFromU8(v)]))).toEqual({
      'net-yolov5/net.yaml': 'nc: 80\n',
      'net-yolov5/yolov5-v7.0.patch': 'diff\n',
    });
  });

  it('never writes a name with a folder in it', async () => {
    const f = fakeFsa();
    const host = new BrowserHost(localStorage, { fsa: f.fsa });
    const evil = [{ path: '../evil.py', text: '' }];
    await expect(host.writeExport('folder', 'x', evil, confirmOverwrites(evil))).rejects.toThrow(/plain file name/);
    expect(f.folder).toEqual({});
  });
});
