import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FileError, readBinaryFile, readTextFile, saveTextFile, writeFilesInto } from './files.ts';
import { AutosaveStore, AutosaveTimer } from './autosave.ts';
import { PathGrants, check, isTrustedSender } from './access.ts';
import { companionPath, readCompanion, readUserModules, saveModulesFile, userModulesPath } from './modules.ts';
import { accelerators, menuTemplate } from './menu.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'ya-files-'));

describe('file service', () => {
  it('keeps CRLF line endings and the BOM of the file it saves back', async () => {
    const d = tmp();
    const f = join(d, 'm.yaml');
    writeFileSync(f, '\ufeffnc: 80\r\nanchors: 3\r\n');
    const snap = await readTextFile(f);
    expect(snap).toMatchObject({ text: 'nc: 80\nanchors: 3\n', eol: '\r\n', bom: true });
    await saveTextFile(f, 'nc: 3\nanchors: 3\n', { eol: snap.eol, bom: snap.bom, expected: snap.stamp });
    expect(readFileSync(f, 'utf8')).toBe('\ufeffnc: 3\r\nanchors: 3\r\n');
  });

  it('saves atomically: no temporary file is left and the mode is kept', async () => {
    const d = tmp();
    const f = join(d, 'm.yaml');
    writeFileSync(f, 'a\n');
    chmodSync(f, 0o600);
    const snap = await readTextFile(f);
    await saveTextFile(f, 'b\n', { eol: '\n', bom: false, expected: snap.stamp });
    expect(readdirSync(d)).toEqual(['m.yaml']);
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite a file changed on disk since it was opened, unless forced', async () => {
    const d = tmp();
    const f = join(d, 'm.yaml');
    writeFileSync(f, 'a\n');
    const snap = await readTextFile(f);
    writeFileSync(f, 'changed elsewhere\n');
    await expect(saveTextFile(f, 'mine\n', { eol: '\n', bom: false, expected: snap.stamp })).rejects.toMatchObject({
      code: 'changed-on-disk',
    });
    expect(readFileSync(f, 'utf8')).toBe('changed elsewhere\n');
    await saveTextFile(f, 'mine\n', { eol: '\n', bom: false, expected: snap.stamp, force: true });
    expect(readFileSync(f, 'utf8')).toBe('mine\n');
  });

  it('a failed save leaves the old file whole', async () => {
    const d = tmp();
    const f = join(d, 'sub', 'm.yaml');
    await expect(saveTextFile(f, 'x', { eol: '\n', bom: false, expected: null })).rejects.toBeTruthy();
    expect(readdirSync(d)).toEqual([]);
  });

  it('clear errors for missing, binary and huge files', async () => {
    const d = tmp();
    await expect(readTextFile(join(d, 'nope.yaml'))).rejects.toMatchObject({ code: 'not-found' });
    writeFileSync(join(d, 'b.yaml'), Buffer.from([0x6e, 0x00, 0x63]));
    await expect(readTextFile(join(d, 'b.yaml'))).rejects.toMatchObject({
      code: 'not-text',
      message: 'b.yaml is not a text file',
    });
    expect(new FileError('io', 'x')).toBeInstanceOf(Error);
  });

  it('reads a .pt checkpoint as bytes, with the same clear errors and a size limit', async () => {
    const d = tmp();
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]);
    writeFileSync(join(d, 'best.pt'), bytes);
    expect(Buffer.compare(await readBinaryFile(join(d, 'best.pt')), bytes)).toBe(0);
    await expect(readBinaryFile(join(d, 'best.pt'), 4)).rejects.toMatchObject({ code: 'too-large' });
    await expect(readBinaryFile(join(d, 'gone.pt'))).rejects.toMatchObject({ code: 'not-found' });
    await expect(readBinaryFile(d)).rejects.toMatchObject({ code: 'not-a-file' });
  });
});

describe('autosave and recovery', () => {
  it('entries written before a crash are listed newest first at the next start, and discarded on save', async () => {
    const dir = join(tmp(), 'autosave');
    const a = new AutosaveStore(dir);
    await a.write({ id: 'doc1', path: '/x/m.yaml', title: 'm.yaml', text: 'nc: 3\n', savedAt: 1 });
    await a.write({ id: 'doc2', path: null, title: 'Untitled', text: 'nc: 5\n', savedAt: 2 });
    writeFileSync(join(dir, 'junk.json'), '{half');
    const next = new AutosaveStore(dir); // a new process
    expect((await next.list()).map((e) => e.id)).toEqual(['doc2', 'doc1']);
    await next.discard('doc2');
    expect((await next.list()).map((e) => e.id)).toEqual(['doc1']);
    await expect(next.write({ id: '../evil', path: null, title: '', text: '', savedAt: 0 })).rejects.toThrow(
      /bad autosave id/,
    );
  });

  it('the timer writes at most once per interval and flushes on stop', async () => {
    vi.useFakeTimers();
    const flush = vi.fn(async () => {});
    const t = new AutosaveTimer(flush, 3000);
    t.changed();
    t.changed();
    await vi.advanceTimersByTimeAsync(2999);
    expect(flush).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(flush).toHaveBeenCalledTimes(1);
    t.changed();
    await t.stop();
    expect(flush).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});

describe('IPC validation', () => {
  it('only paths the user chose are touched', () => {
    const g = new PathGrants();
    expect(() => g.check('/etc/passwd')).toThrow('that file was not opened or chosen by the user');
    g.grant('/home/u/models/m.yaml');
    expect(g.check('/home/u/models/../models/m.yaml')).toBe('/home/u/models/m.yaml');
    expect(() => g.check('relative.yaml')).toThrow('absolute');
    expect(() => g.check(42)).toThrow('absolute');
  });
  it('only our own page may call: its exact URL, not any file: page', () => {
    const page = 'file:///opt/YOLO%20Architect/resources/app.asar/.vite/renderer/main_window/index.html';
    expect(isTrustedSender(page, page)).toBe(true);
    expect(isTrustedSender(`${page}?template=yolov5s#x`, page)).toBe(true);
    expect(isTrustedSender(page.replace('%20', ' '), page)).toBe(true);
    expect(isTrustedSender('file:///tmp/evil.html', page)).toBe(false);
    expect(
      isTrustedSender('file:///opt/YOLO%20Architect/resources/app.asar/.vite/renderer/main_window/x.html', page),
    ).toBe(false);
    expect(isTrustedSender('https://evil.example/', page)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedSender('http://localhost:5173/other.html', 'http://localhost:5173/')).toBe(false);
    expect(isTrustedSender('http://localhost:9999/', 'http://localhost:5173/')).toBe(false);
    expect(isTrustedSender(undefined, page)).toBe(false);
    expect(isTrustedSender('not a url', page)).toBe(false);
  });
  it('arguments are checked by type and size', () => {
    expect(check.name('m.yaml', 'name')).toBe('m.yaml');
    expect(() => check.name('../m.yaml', 'name')).toThrow('name must be a plain file name');
    expect(() => check.string(5, 'text')).toThrow('text must be text');
    expect(() => check.id('a b', 'id')).toThrow('id must be an id');
    expect(check.oneOf('save', 'cmd', ['save', 'open'] as const)).toBe('save');
  });
});

describe('module libraries', () => {
  it("the user's modules.yaml follows the CLI's rule: $YOLO_ARCHITECT_MODULES, then $XDG_CONFIG_HOME, then ~/.config", () => {
    const home = '/home/u';
    expect(userModulesPath({ YOLO_ARCHITECT_MODULES: '/lib/mine.yaml', XDG_CONFIG_HOME: '/xdg' }, home)).toBe(
      '/lib/mine.yaml',
    );
    expect(userModulesPath({ XDG_CONFIG_HOME: '/xdg' }, home)).toBe('/xdg/yolo-architect/modules.yaml');
    expect(userModulesPath({ YOLO_ARCHITECT_MODULES: '', XDG_CONFIG_HOME: '' }, home)).toBe(
      '/home/u/.config/yolo-architect/modules.yaml',
    );
    expect(userModulesPath({}, home)).toBe('/home/u/.config/yolo-architect/modules.yaml');
  });

  it("the user's modules.yaml reads as '' when absent, and is saved atomically into a folder created for it", async () => {
    const f = join(tmp(), 'config', 'yolo-architect', 'modules.yaml');
    expect(await readUserModules(f)).toBe('');
    await saveModulesFile(f, 'modules:\n  - name: Mine\n');
    expect(await readUserModules(f)).toBe('modules:\n  - name: Mine\n');
    expect(readdirSync(join(f, '..'))).toEqual(['modules.yaml']);
  });

  it('an unreadable library is an error, not an empty one a save would overwrite', async () => {
    const f = join(tmp(), 'modules.yaml');
    writeFileSync(f, Buffer.from([0x6d, 0x00]));
    await expect(readUserModules(f)).rejects.toMatchObject({ code: 'not-text' });
  });

  it('a saved library keeps the line endings and BOM of the file it replaces', async () => {
    const f = join(tmp(), 'm.modules.yaml');
    writeFileSync(f, '\ufeffa: 1\r\n');
    await saveModulesFile(f, 'a: 2\nb: 3\n');
    expect(readFileSync(f, 'utf8')).toBe('\ufeffa: 2\r\nb: 3\r\n');
  });

  it("a model's own library is NAME.modules.yaml beside NAME.yaml or NAME.yml", () => {
    expect(companionPath('/m/yolov5s.yaml')).toBe('/m/yolov5s.modules.yaml');
    expect(companionPath('/m/yolov5s.YML')).toBe('/m/yolov5s.modules.yaml');
    expect(companionPath('/m/my.model.yaml')).toBe('/m/my.model.modules.yaml');
  });

  it('opening a model reads its companion when there is one, and nothing when there is none or it is too big', async () => {
    const d = tmp();
    writeFileSync(join(d, 'a.yaml'), 'nc: 3\n');
    writeFileSync(join(d, 'a.modules.yaml'), 'modules: []\r\n');
    expect(await readCompanion(join(d, 'a.yaml'))).toEqual({
      name: 'a.modules.yaml',
      path: join(d, 'a.modules.yaml'),
      text: 'modules: []\n',
    });
    writeFileSync(join(d, 'b.yml'), 'nc: 3\n');
    expect(await readCompanion(join(d, 'b.yml'))).toBeNull();
    writeFileSync(join(d, 'c.yaml'), 'nc: 3\n');
    writeFileSync(join(d, 'c.modules.yaml'), '#'.repeat(1024 * 1024));
    expect(await readCompanion(join(d, 'c.yaml'))).toBeNull();
    mkdirSync(join(d, 'e.modules.yaml'));
    expect(await readCompanion(join(d, 'e.yaml'))).toBeNull();
  });
});

describe('saving several files into a folder', () => {
  const files = (...names: string[]) => names.map((path) => ({ path, text: `# ${path}\n` }));
  it('accepts plain names only', () => {
    expect(check.files(files('yolov5s.yaml', 'common.py'), 'files')).toEqual(files('yolov5s.yaml', 'common.py'));
    for (const bad of ['../x', 'a/b', 'a\\b', '.hidden', '..', 'a..b', '', 'a\0b', 'c:d', 'NUL.txt', 'x.'])
      expect(() => check.files(files(bad), 'files'), JSON.stringify(bad)).toThrow('must be a plain file name');
    expect(() => check.files(files('x'.repeat(256)), 'files')).toThrow('files[0].path is too long');
    expect(check.fileName('x'.repeat(255), 'n')).toHaveLength(255);
  });
  it('refuses too many files, none, duplicates and texts that are not strings', () => {
    expect(() => check.files(files(...Array.from({ length: 65 }, (_, i) => `f${i}.py`)), 'files')).toThrow(
      'at most 64 files',
    );
    expect(check.files(files(...Array.from({ length: 64 }, (_, i) => `f${i}.py`)), 'files')).toHaveLength(64);
    expect(() => check.files([], 'files')).toThrow('must be a list of files');
    expect(() => check.files('a.py', 'files')).toThrow('must be a list of files');
    expect(() => check.files(files('a.py', 'A.py'), 'files')).toThrow('listed twice');
    expect(() => check.files([{ path: 'a.py', text: 3 }], 'files')).toThrow('files[0].text must be text');
    expect(() => check.files([null], 'files')).toThrow('files[0] must be an object');
  });
  it('writes every file atomically into the folder and nowhere else', async () => {
    const d = tmp();
    const out = join(d, 'export');
    mkdirSync(out);
    writeFileSync(join(out, 'common.py'), 'old\n');
    await writeFilesInto(out + '/', files('yolov5s.yaml', 'common.py', 'README.md'));
    expect(readdirSync(out).sort()).toEqual(['README.md', 'common.py', 'yolov5s.yaml']);
    expect(readFileSync(join(out, 'common.py'), 'utf8')).toBe('# common.py\n');
    expect(readdirSync(d)).toEqual(['export']);
    await expect(writeFilesInto(out, files('../x'))).rejects.toMatchObject({ code: 'io' });
    await expect(writeFilesInto(join(d, 'missing'), files('a.py'))).rejects.toMatchObject({ code: 'not-found' });
    expect(readdirSync(d)).toEqual(['export']);
  });
});

describe('menu template', () => {
  const t = menuTemplate({
    platform: 'linux',
    appName: 'YOLO Architect',
    recent: ['/a/yolov5s.yaml'],
    templates: [{ id: 'yolov5s', label: 'YOLOv5s' }],
  });
  it('has File, Edit, View, Run, Help with the usual accelerators and no duplicates', () => {
    expect(t.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Run', 'Help']);
    const acc = accelerators(t);
    for (const a of [
      'CmdOrCtrl+N',
      'CmdOrCtrl+O',
      'CmdOrCtrl+S',
      'CmdOrCtrl+Shift+S',
      'CmdOrCtrl+Z',
      'CmdOrCtrl+Y',
      'CmdOrCtrl+F',
      'F5',
    ])
      expect(acc).toContain(a);
    expect(new Set(acc).size).toBe(acc.length);
  });
  it('lists recent files by name and templates, and adds the app menu on macOS', () => {
    const file = t[0].submenu!;
    expect(file.find((i) => i.label === 'Open Recent')!.submenu![0]).toEqual({
      label: 'yolov5s.yaml',
      action: { openRecent: '/a/yolov5s.yaml' },
    });
    expect(file[0].submenu![0].action).toEqual({ newFromTemplate: 'yolov5s' });
    const mac = menuTemplate({ platform: 'darwin', appName: 'YOLO Architect', recent: [], templates: [] });
    expect(mac[0].label).toBe('YOLO Architect');
    expect(accelerators(mac)).toContain('CmdOrCtrl+Shift+Z');
  });
});

describe('external links', () => {
  it('opens only the fixed list, with the literal URL', async () => {
    const { openExternalLink } = await import('./links.ts');
    const opened: string[] = [];
    const shell = { openExternal: async (u: string) => void opened.push(u) };
    expect(openExternalLink('https://github.com/ultralytics/yolov5', shell)).toBe(true);
    expect(openExternalLink('https://evil.example/', shell)).toBe(false);
    expect(openExternalLink('file:///etc/passwd', shell)).toBe(false);
    expect(opened).toEqual(['https://github.com/ultralytics/yolov5']);
  });
});
