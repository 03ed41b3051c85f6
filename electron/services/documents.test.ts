import { mkdtempSync, readFileSync, readdirSync, writeFileSync, symlinkSync, lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentService } from './documents.ts';
import { writeFilesInto } from './files.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'ya-docs-'));

/** A desktop session: its user-data folder, and a folder of the user's files. */
function session(userData = tmp()) {
  const docs = new DocumentService({ userData });
  return { docs, userData };
}

const entry = (id: string, path: string | null, text = 'nc: 7\n') => ({ id, path, title: 'm.yaml', text, savedAt: 1 });

describe('paths the page can reach', () => {
  it('an autosave entry cannot grant its path: a path never opened or chosen is stored as null and stays refused', async () => {
    const { docs } = session();
    const secret = join(tmp(), '.bashrc');
    writeFileSync(secret, 'export SECRET=1\n');
    await docs.writeAutosave(entry('s1-1', secret));
    const [stored] = await docs.recoverable();
    expect(stored.path).toBeNull();
    expect(stored.text).toBe('nc: 7\n');
    await expect(docs.openGranted(secret)).rejects.toThrow('not opened or chosen');
    await expect(docs.save(secret, 'pwned', true)).rejects.toThrow('not opened or chosen');
    expect(readFileSync(secret, 'utf8')).toBe('export SECRET=1\n');
  });

  it('a path read back from an autosave file is not granted, in this run or the next', async () => {
    const userData = tmp();
    const secret = join(tmp(), 'id_rsa');
    writeFileSync(secret, 'key\n');
    // a planted (or old) entry naming a file the user never opened
    mkdirSync(join(userData, 'autosave'));
    writeFileSync(join(userData, 'autosave', 'old-1.json'), JSON.stringify(entry('old-1', secret)));
    const { docs } = session(userData);
    await docs.loadRecent();
    const listed = await docs.recoverable();
    expect(listed.map((e) => e.path)).toEqual([secret]);
    await expect(docs.openGranted(secret)).rejects.toThrow('not opened or chosen');
    await expect(docs.save(secret, 'x', true)).rejects.toThrow('not opened or chosen');
    // restoring it keeps the text, not the path
    expect(await docs.restoreAutosave('old-1', entry('new-1', secret))).toEqual({ path: null });
    await expect(docs.save(secret, 'x', true)).rejects.toThrow('not opened or chosen');
    expect(readFileSync(secret, 'utf8')).toBe('key\n');
  });

  it('a file the user opened is kept with its path in the autosave entry', async () => {
    const { docs } = session();
    const f = join(tmp(), 'm.yaml');
    writeFileSync(f, 'nc: 80\n');
    expect((await docs.openChosen(f)).ok).toBe(true);
    await docs.writeAutosave(entry('s1-1', f));
    expect((await docs.recoverable())[0].path).toBe(f);
  });

  it('recent files of the last run are granted again (the user chose them then)', async () => {
    const userData = tmp();
    const f = join(tmp(), 'm.yaml');
    writeFileSync(f, 'nc: 80\n');
    const first = session(userData);
    await first.docs.openChosen(f);
    await first.docs.flush(); // recent.json is written in the background
    const next = session(userData);
    await next.docs.loadRecent();
    expect(next.docs.recent).toEqual([f]);
    expect((await next.docs.openGranted(f)).ok).toBe(true);
  });
});

describe('recovery', () => {
  it('restoring writes the new entry before it deletes the old one', async () => {
    const { docs, userData } = session();
    await docs.writeAutosave(entry('old-1', null, 'nc: 3\n'));
    const dir = join(userData, 'autosave');
    const seen: string[][] = [];
    const write = docs.autosave.write.bind(docs.autosave);
    const discard = docs.autosave.discard.bind(docs.autosave);
    docs.autosave.write = async (e) => {
      await write(e);
      seen.push(readdirSync(dir).sort());
    };
    docs.autosave.discard = async (id) => {
      seen.push(readdirSync(dir).sort());
      await discard(id);
    };
    await docs.restoreAutosave('old-1', entry('new-1', null, 'nc: 3\n'));
    // after the write both exist; the old one goes only after
    expect(seen).toEqual([
      ['new-1.json', 'old-1.json'],
      ['new-1.json', 'old-1.json'],
    ]);
    expect(readdirSync(dir)).toEqual(['new-1.json']);
  });

  it('a failed write keeps the old entry', async () => {
    const { docs, userData } = session();
    await docs.writeAutosave(entry('old-1', null));
    docs.autosave.write = async () => {
      throw new Error('disk full');
    };
    await expect(docs.restoreAutosave('old-1', entry('new-1', null))).rejects.toThrow('disk full');
    expect(readdirSync(join(userData, 'autosave'))).toEqual(['old-1.json']);
  });

  it('a restored file keeps its disk stamp: a save refuses to overwrite the file changed on disk after the crash', async () => {
    const userData = tmp();
    const f = join(tmp(), 'm.yaml');
    writeFileSync(f, 'nc: 80\r\n');
    // first run: open, edit (autosaved), crash
    const first = session(userData);
    await first.docs.openChosen(f);
    await first.docs.writeAutosave(entry('run1-1', f, 'nc: 7\n'));
    await first.docs.flush();
    // meanwhile someone else changes the file
    writeFileSync(f, 'nc: 99\r\n');
    // next run: restore, then save
    const next = session(userData);
    await next.docs.loadRecent();
    expect(await next.docs.restoreAutosave('run1-1', entry('run2-1', f, 'nc: 7\n'))).toEqual({ path: f });
    const r = await next.docs.save(f, 'nc: 7\n', false);
    expect(r).toMatchObject({ ok: false, reason: 'changed-on-disk' });
    expect(readFileSync(f, 'utf8')).toBe('nc: 99\r\n');
    // the new entry carries the stamp on: a second crash and restore still checks
    const third = session(userData);
    await third.docs.loadRecent();
    await third.docs.restoreAutosave('run2-1', entry('run3-1', f, 'nc: 7\n'));
    expect(await third.docs.save(f, 'nc: 7\n', false)).toMatchObject({ ok: false, reason: 'changed-on-disk' });
    // when the user confirms, the file is written in its own line endings
    expect(await third.docs.save(f, 'nc: 7\n', true)).toMatchObject({ ok: true });
    expect(readFileSync(f, 'utf8')).toBe('nc: 7\r\n');
  });

  it('a restored file unchanged on disk saves without a question', async () => {
    const userData = tmp();
    const f = join(tmp(), 'm.yaml');
    writeFileSync(f, 'nc: 80\n');
    const first = session(userData);
    await first.docs.openChosen(f);
    await first.docs.writeAutosave(entry('run1-1', f, 'nc: 7\n'));
    await first.docs.flush();
    const next = session(userData);
    await next.docs.loadRecent();
    await next.docs.restoreAutosave('run1-1', entry('run2-1', f, 'nc: 7\n'));
    expect(await next.docs.save(f, 'nc: 7\n', false)).toMatchObject({ ok: true });
  });
});

describe('saving', () => {
  it('saving through a symbolic link writes the file it points to and keeps the link', async () => {
    const d = tmp();
    const real = join(d, 'real.yaml');
    const link = join(d, 'link.yaml');
    writeFileSync(real, 'nc: 80\n');
    symlinkSync(real, link);
    const { docs } = session();
    await docs.openChosen(link);
    expect(await docs.save(link, 'nc: 5\n', false)).toMatchObject({ ok: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('nc: 5\n');
    expect(readdirSync(d).sort()).toEqual(['link.yaml', 'real.yaml']);
  });

  it('a chain of links, a relative link and a dangling link all write the file at the end', async () => {
    const d = tmp();
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 'real.yaml'), 'a\n');
    symlinkSync('sub/real.yaml', join(d, 'one.yaml'));
    symlinkSync(join(d, 'one.yaml'), join(d, 'two.yaml'));
    symlinkSync('sub/new.yaml', join(d, 'dangling.yaml'));
    const { docs } = session();
    expect(await docs.saveChosen(join(d, 'two.yaml'), 'b\n')).toMatchObject({ ok: true });
    expect(readFileSync(join(d, 'sub', 'real.yaml'), 'utf8')).toBe('b\n');
    expect(await docs.saveChosen(join(d, 'dangling.yaml'), 'c\n')).toMatchObject({ ok: true });
    expect(readFileSync(join(d, 'sub', 'new.yaml'), 'utf8')).toBe('c\n');
    for (const l of ['one.yaml', 'two.yaml', 'dangling.yaml'])
      expect(lstatSync(join(d, l)).isSymbolicLink()).toBe(true);
  });

  it('a link planted in a shared folder is never followed: not by an export, not by the model’s own library', async () => {
    const outside = join(tmp(), '.bashrc');
    writeFileSync(outside, 'export SECRET=1\n');
    const repo = tmp();
    writeFileSync(join(repo, 'yolov5s.yaml'), 'nc: 80\n');
    symlinkSync(outside, join(repo, 'yolov5s.modules.yaml'));
    symlinkSync(outside, join(repo, 'common.py'));
    // opening the model does not read the link as its library
    const { docs } = session();
    const opened = await docs.openChosen(join(repo, 'yolov5s.yaml'));
    expect(opened.ok && opened.file.modules).toBeUndefined();
    // saving the model's modules replaces the link with the file
    expect(await docs.saveModelModules(join(repo, 'yolov5s.yaml'), 'Mine: {}\n')).toMatchObject({ ok: true });
    expect(lstatSync(join(repo, 'yolov5s.modules.yaml')).isSymbolicLink()).toBe(false);
    // an export into the folder replaces the link too
    await writeFilesInto(repo, [{ path: 'common.py', text: '# ours\n' }]);
    expect(lstatSync(join(repo, 'common.py')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(repo, 'common.py'), 'utf8')).toBe('# ours\n');
    expect(readFileSync(outside, 'utf8')).toBe('export SECRET=1\n');
  });

  it('a link loop is an error, not a hang', async () => {
    const d = tmp();
    symlinkSync(join(d, 'b.yaml'), join(d, 'a.yaml'));
    symlinkSync(join(d, 'a.yaml'), join(d, 'b.yaml'));
    const { docs } = session();
    expect(await docs.saveChosen(join(d, 'a.yaml'), 'x')).toMatchObject({ ok: false, reason: 'error' });
  });
});

describe('exporting into a folder', () => {
  it('lists what the picked folder already holds under the export’s names, reading only plain text files', async () => {
    const d = tmp();
    const outside = join(tmp(), 'secret.txt');
    writeFileSync(outside, 'secret\n');
    writeFileSync(join(d, 'yolov5s.yaml'), 'nc: 80\n');
    writeFileSync(join(d, 'yolov5-v7.0.patch'), Buffer.from([0x64, 0x00, 0x65]));
    symlinkSync(outside, join(d, 'yolov5s.modules.yaml'));
    mkdirSync(join(d, 'yolov5-master.patch'));
    writeFileSync(join(d, 'unrelated.txt'), 'not asked for\n');
    const { docs } = session();
    const names = ['yolov5s.yaml', 'yolov5s.modules.yaml', 'yolov5-v7.0.patch', 'yolov5-master.patch', 'README.md'];
    const r = await docs.exportFolder(d, names);
    expect(r.folder).toBe(d);
    expect(r.existing).toEqual([
      { path: 'yolov5s.yaml', text: 'nc: 80\n' },
      { path: 'yolov5s.modules.yaml', text: null },
      { path: 'yolov5-v7.0.patch', text: null },
      { path: 'yolov5-master.patch', text: null },
    ]);
    await expect(docs.exportFolder(d, ['../secret.txt'])).rejects.toThrow('plain file name');
    await expect(docs.exportFolder(d, [])).rejects.toThrow('list of file names');
  });

  it('writes only into a folder the user picked', async () => {
    const d = tmp();
    const { docs } = session();
    await expect(docs.writeExport(d, [{ path: 'a.yaml', text: 'x' }])).rejects.toThrow('not opened or chosen');
    expect(readdirSync(d)).toEqual([]);
    await docs.exportFolder(d, ['a.yaml']);
    expect(await docs.writeExport(d, [{ path: 'a.yaml', text: 'x' }])).toEqual({ ok: true });
    expect(readFileSync(join(d, 'a.yaml'), 'utf8')).toBe('x');
    // a folder grant is not a file grant
    await expect(docs.save(d, 'x', true)).rejects.toThrow('not opened or chosen');
    await expect(docs.writeExport(d, [{ path: '../b.yaml', text: 'x' }])).rejects.toThrow('plain file name');
  });
});
