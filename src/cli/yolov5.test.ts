import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModuleLibrary } from '../core/index.ts';
import { runCli } from '../testing/cli.ts';
import './export.ts';
import { PROJECT_DIR } from '../testing/reference.ts';

const run = (...args: string[]) => runCli(['export', ...args]);

const seed = join(PROJECT_DIR, 'configs/yolov5s-res2net.yaml');
const seedText = readFileSync(seed, 'utf8');

it('export CONFIG --yolov5 DIR writes the YAML and the two patches (DIR created), listing them, exit 0', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'ya-y5-')), 'out');
  const r = await run(seed, '--yolov5', dir);
  expect(r.code, r.err).toBe(0);
  expect(r.out.trim().split('\n')).toEqual(
    ['yolov5s-res2net.yaml', 'yolov5-v7.0.patch', 'yolov5-master.patch'].map((f) => join(dir, f)),
  );
  expect(readdirSync(dir).sort()).toEqual(['yolov5-master.patch', 'yolov5-v7.0.patch', 'yolov5s-res2net.yaml']);
  expect(readFileSync(join(dir, 'yolov5s-res2net.yaml'), 'utf8')).toBe(seedText);
  expect(readFileSync(join(dir, 'yolov5-v7.0.patch'), 'utf8')).toContain('+class C3_Res2Block(nn.Module):');
});

it('with edits and -o: the edited YAML goes to OUT and into DIR; custom modules travel as NAME.modules.yaml', async () => {
  const base = mkdtempSync(join(tmpdir(), 'ya-y5-'));
  const config = join(base, 'mine.yaml');
  writeFileSync(config, seedText);
  writeFileSync(
    join(base, 'mine.modules.yaml'),
    'Gate:\n  description: sigmoid gate\n  args: [c1, c2]\n  body:\n    - {id: g, op: nn.Conv2d, args: [c1, c2, 1], name: proj}\n    - {id: s, op: sigmoid}\n    - {id: y, op: mul, in: [x, s]}\n',
  );
  const dir = join(base, 'y5');
  const out = join(base, 'edited.yaml');
  const r = await run(config, '--insert', '10=[-1, 1, Gate, [1024]]', '-o', out, '--yolov5', dir);
  expect(r.code, r.err).toBe(0);
  const edited = readFileSync(out, 'utf8');
  expect(edited).toContain('Gate');
  expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toBe(edited);
  const lib = parseModuleLibrary(readFileSync(join(dir, 'mine.modules.yaml'), 'utf8'));
  expect(lib.diagnostics).toEqual([]);
  expect(lib.specs.map((s) => s.name)).toEqual(['Gate']);
  expect(readFileSync(join(dir, 'yolov5-master.patch'), 'utf8')).toMatch(/^\+ {12}Gate,$/m);
});

it('a model with errors writes nothing and exits 1; a missing DIR value or a file as DIR is usage (2)', async () => {
  const base = mkdtempSync(join(tmpdir(), 'ya-y5-'));
  const bad = join(base, 'bad.yaml');
  writeFileSync(bad, seedText.replace('[-1, 3, C3_Res2Block, [128]]', '[-1, 3, NoSuchBlock, [128]]'));
  const r = await run(bad, '--yolov5', join(base, 'out'));
  expect(r.code).toBe(1);
  expect(r.err).toContain('nothing written');
  expect(existsSync(join(base, 'out'))).toBe(false);
  expect((await run(seed, '--yolov5')).code).toBe(2);
  const file = join(base, 'file');
  writeFileSync(file, '');
  const f = await run(seed, '--yolov5', file);
  expect(f.code).toBe(2);
  expect(f.err).toContain('not a directory');
});

it('a string argument YOLOv5 would eval() as code: a warning on summary, export --yolov5 refuses it (exit 1) unless --allow-strings', async () => {
  const base = mkdtempSync(join(tmpdir(), 'ya-y5-'));
  const config = join(base, 'evil.yaml');
  // a module whose extra argument takes anything: the string reaches parse_model's eval() untouched
  writeFileSync(
    join(base, 'evil.modules.yaml'),
    'Gate:\n  description: sigmoid gate\n  args: [c1, c2, tag=None]\n  body:\n    - {id: g, op: nn.Conv2d, args: [c1, c2, 1], name: proj}\n    - {id: s, op: sigmoid}\n',
  );
  writeFileSync(
    config,
    seedText.replace(
      '[-1, 1, SPPF, [1024, 5]]',
      `[-1, 1, Gate, [1024, "__import__('os').system('touch /tmp/pwned')"]]`,
    ),
  );
  expect(readFileSync(config, 'utf8')).toContain('__import__');
  const s = await runCli(['summary', config]);
  expect(s.code, s.out).toBe(0);
  expect(s.out).toMatch(/evil\.yaml:26:\d+: warning: argument .*__import__.*eval\(\).* \[string-argument\]/);
  const out = join(base, 'out');
  const r = await run(config, '--yolov5', out);
  expect(r.code).toBe(1);
  expect(r.err).toContain('unless string arguments are allowed');
  expect(existsSync(join(out, 'evil.yaml'))).toBe(false);
  const ok = await run(config, '--yolov5', out, '--allow-strings');
  expect(ok.code, ok.err).toBe(0);
  expect(readFileSync(join(out, 'evil.yaml'), 'utf8')).toContain('__import__');
  expect((await run(config, '--allow-strings')).code).toBe(2);
});

describe('export --yolov5 into a folder that already has files', () => {
  const GATE =
    'Gate:\n  description: sigmoid gate\n  args: [c1, c2]\n  body:\n    - {id: g, op: nn.Conv2d, args: [c1, c2, 1], name: proj}\n    - {id: s, op: sigmoid}\n    - {id: y, op: mul, in: [x, s]}\n';
  /** A model using the custom Gate, exported once into DIR. */
  async function exportedOnce() {
    const base = mkdtempSync(join(tmpdir(), 'ya-y5-'));
    const config = join(base, 'mine.yaml');
    writeFileSync(config, seedText.replace('[-1, 1, SPPF, [1024, 5]]', '[-1, 1, Gate, [1024]]'));
    writeFileSync(join(base, 'mine.modules.yaml'), GATE);
    const dir = join(base, 'y5');
    const r = await run(config, '--yolov5', dir);
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'mine.modules.yaml',
      'mine.yaml',
      'yolov5-master.patch',
      'yolov5-v7.0.patch',
    ]);
    return { base, config, dir };
  }

  it('the same export again writes nothing (each file said unchanged), exit 0', async () => {
    const { config, dir } = await exportedOnce();
    const before = readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]);
    const r = await run(config, '--yolov5', dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain(`${join(dir, 'mine.yaml')} unchanged`);
    expect(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs])).toEqual(before);
  });

  it('a file with other content: nothing written without --force (exit 1, the file named); --force replaces it', async () => {
    const { config, dir } = await exportedOnce();
    const mine = join(dir, 'mine.yaml');
    writeFileSync(mine, '# my own notes\nnc: 3\n');
    rmSync(join(dir, 'yolov5-v7.0.patch'));
    const r = await run(config, '--yolov5', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${mine} is already there with other content; nothing written (--force replaces it)`);
    expect(readFileSync(mine, 'utf8')).toBe('# my own notes\nnc: 3\n');
    expect(existsSync(join(dir, 'yolov5-v7.0.patch'))).toBe(false); // not even the new file
    const f = await run(config, '--yolov5', dir, '--force');
    expect(f.code, f.err).toBe(0);
    expect(f.out.trim().split('\n').sort()).toEqual([mine, join(dir, 'yolov5-v7.0.patch')].sort());
    expect(readFileSync(mine, 'utf8')).toContain('Gate');
    expect((await run(seed, '--force')).code).toBe(2); // --force goes with --yolov5
  });

  it("a module library there is merged: with --force only the exported entries change, the user's other modules and comments stay byte for byte", async () => {
    const { config, dir } = await exportedOnce();
    const lib = join(dir, 'mine.modules.yaml');
    const exported = readFileSync(lib, 'utf8');
    const theirs =
      '# modules I keep here\nOld:   # an old block\n  description: mine\n  args: [c1, c2]\n  body: [{id: y, op: nn.Identity}]\n' +
      GATE.replace('sigmoid gate', 'an older gate') +
      '# trailing note\n';
    writeFileSync(lib, theirs);
    const r = await run(config, '--yolov5', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${lib} is already there with other content`);
    expect(readFileSync(lib, 'utf8')).toBe(theirs);
    const f = await run(config, '--yolov5', dir, '--force');
    expect(f.code, f.err).toBe(0);
    expect(f.out.trim()).toBe(lib); // the other files were the same
    // their text before the entry and after it as it was; the entry as the export writes it
    const merged = readFileSync(lib, 'utf8');
    expect(merged.startsWith(theirs.slice(0, theirs.indexOf('Gate:')))).toBe(true);
    expect(merged.endsWith('\n# trailing note\n')).toBe(true);
    expect(merged).toContain(exported.slice(exported.indexOf('Gate:')).trimEnd());
    expect(merged).not.toContain('an older gate');
    const back = parseModuleLibrary(readFileSync(lib, 'utf8'));
    expect(back.specs.map((s) => s.name)).toEqual(['Old', 'Gate']);
    // and then it is the same: nothing to do
    const again = await run(config, '--yolov5', dir);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toBe('');
  });

  it('a link under an export name is never followed: refused without --force, replaced (not its target) with it', async () => {
    const { base, config, dir } = await exportedOnce();
    const target = join(base, 'precious.txt');
    writeFileSync(target, 'keep me');
    const mine = join(dir, 'mine.yaml');
    const same = readFileSync(mine, 'utf8');
    writeFileSync(target, same); // even a link to identical text is not taken as the same
    rmSync(mine);
    symlinkSync(target, mine);
    const r = await run(config, '--yolov5', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${mine} is already there with other content`);
    const f = await run(config, '--yolov5', dir, '--force');
    expect(f.code, f.err).toBe(0);
    expect(lstatSync(mine).isSymbolicLink()).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe(same);
  });
});
