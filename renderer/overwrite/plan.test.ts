import { describe, expect, it } from 'vitest';
import { askOverwrite, confirmOverwrites, overwriteStore } from './plan.ts';
import { ElectronHost } from '../host/electron.ts';
import type { DesktopApi, ExistingFile } from '../../src/desktop/contract.ts';
import { existingFiles, type DirectoryHandle, type FileHandle } from '../host/browser-files.ts';

const files = [
  { path: 'm.yaml', text: 'nc: 3\n' },
  { path: 'm.modules.yaml', text: 'A: {}\n' },
  { path: 'yolov5-v7.0.patch', text: 'diff\n' },
];

describe('Export for YOLOv5 into a folder that already has files', () => {
  it('asks only when a file would get different content, listing those files; the same text is left alone', async () => {
    const asked: string[][] = [];
    const ask = async (folder: string, changed: string[]) => (asked.push([folder, ...changed]), true);
    const plan = confirmOverwrites(files, ask);
    expect(await plan([], 'm-yolov5')).toEqual(files);
    expect(await plan([{ path: 'm.yaml', text: 'nc: 3\n' }], 'm-yolov5')).toEqual(files.slice(1));
    expect(asked).toEqual([]);
    const existing: ExistingFile[] = [
      { path: 'm.yaml', text: 'nc: 80\n' },
      { path: 'm.modules.yaml', text: null },
      { path: 'yolov5-v7.0.patch', text: 'diff\n' },
    ];
    expect(await plan(existing, 'm-yolov5')).toEqual(files.slice(0, 2));
    expect(asked).toEqual([['m-yolov5', 'm.yaml', 'm.modules.yaml']]);
  });

  it('a module library there is merged: its other modules stay', async () => {
    const plan = confirmOverwrites(files, async () => true);
    const written = await plan([{ path: 'm.modules.yaml', text: 'B: {}\n' }], 'm-yolov5');
    expect(written?.find((f) => f.path === 'm.modules.yaml')?.text).toBe('B: {}\nA: {}\n');
  });

  it('Cancel writes nothing', async () => {
    const plan = confirmOverwrites(files, async () => false);
    expect(await plan([{ path: 'm.yaml', text: 'mine\n' }], 'm-yolov5')).toBeNull();
  });

  it('the question is answered once; a new one cancels the one before', async () => {
    const first = askOverwrite('a', ['x']);
    const second = askOverwrite('b', ['y']);
    expect(await first).toBe(false);
    expect(overwriteStore.getState().question?.folder).toBe('b');
    overwriteStore.getState().question!.answer(true);
    expect(await second).toBe(true);
    expect(overwriteStore.getState().question).toBeNull();
  });

  it('desktop: main picks the folder and says what is there; nothing is written when the plan cancels', async () => {
    const writes: unknown[] = [];
    const api = {
      pickExportFolder: async (_f: string, names: string[]) => ({
        folder: '/home/u/m-yolov5',
        existing: names.includes('m.yaml') ? [{ path: 'm.yaml', text: 'nc: 80\n' }] : [],
      }),
      writeExportFiles: async (folder: string, fs: unknown) => (writes.push([folder, fs]), { ok: true as const }),
    } as unknown as DesktopApi;
    const host = new ElectronHost(api);
    expect(
      await host.writeExport(
        'folder',
        'm-yolov5',
        files,
        confirmOverwrites(files, async () => false),
      ),
    ).toBeNull();
    expect(writes).toEqual([]);
    const w = await host.writeExport(
      'folder',
      'm-yolov5',
      files,
      confirmOverwrites(files, async () => true),
    );
    expect(w).toEqual({
      target: 'folder',
      folder: '/home/u/m-yolov5',
      files: files.map((f) => f.path),
      replaced: ['m.yaml'],
    });
    expect(writes).toEqual([['/home/u/m-yolov5', files]]);
  });

  it('desktop: a failed write is an error with main’s message', async () => {
    const api = {
      pickExportFolder: async () => ({ folder: '/f', existing: [] }),
      writeExportFiles: async () => ({ ok: false as const, message: 'disk full' }),
    } as unknown as DesktopApi;
    await expect(new ElectronHost(api).writeExport('folder', 'f', files, confirmOverwrites(files))).rejects.toThrow(
      'disk full',
    );
  });

  it('browser: the folder’s files are read as text where they can be (a binary or huge one counts as unreadable)', async () => {
    const file = (name: string, body: string | null): FileHandle => ({
      kind: 'file',
      name,
      createWritable: async () => ({ write: async () => {}, close: async () => {} }),
      getFile: async () => new File([body ?? new Uint8Array([1, 0, 2])], name),
    });
    const dir: DirectoryHandle = {
      kind: 'directory',
      name: 'm-yolov5',
      getFileHandle: async (n: string) => {
        if (n === 'm.yaml') return file(n, 'nc: 80\n');
        if (n === 'yolov5-v7.0.patch') return file(n, null);
        throw new DOMException('not found', 'NotFoundError');
      },
    };
    expect(
      await existingFiles(
        dir,
        files.map((f) => f.path),
      ),
    ).toEqual([
      { path: 'm.yaml', text: 'nc: 80\n' },
      { path: 'yolov5-v7.0.patch', text: null },
    ]);
  });
});
