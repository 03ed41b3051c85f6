// Needs ../shared/reference (REFERENCE_DIR). Runs the real command: node bin/yolo-architect.mjs export ...
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { analyze, parseModelText } from '../core/index.ts';
import { runCli } from '../testing/cli.ts';
import './export.ts';
import { configPathFor, describeReference, PROJECT_DIR, readSummary } from '../testing/reference.ts';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(PROJECT_DIR, 'bin/yolo-architect.mjs'), 'export', ...args], {
    encoding: 'buffer',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, out: r.stdout.toString('utf8'), err: r.stderr.toString('utf8') };
};

/** The same command in this process (spawning costs seconds on a busy machine). */
const inProcess = (...args: string[]) => runCli(['export', ...args]);

describeReference('yolo-architect export', () => {
  const s = configPathFor('yolov5s');
  const original = readFileSync(s);
  it('without edits prints the file byte for byte (also with a BOM and CRLF) and exits 0', () => {
    const r = cli(s);
    expect(r.code).toBe(0);
    expect(r.stdout.equals(original)).toBe(true);
    expect(r.err).toBe('');
    const dir = mkdtempSync(join(tmpdir(), 'ya-export-'));
    const crlf = join(dir, 'crlf.yaml');
    const bytes = Buffer.from(`\uFEFF${original.toString('utf8').replace(/\n/g, '\r\n')}`, 'utf8');
    writeFileSync(crlf, bytes);
    expect(cli(crlf).stdout.equals(bytes)).toBe(true);
  });
  it('--replace C3=C3_Res2Block -o OUT writes the seed Res2Net model atomically (no temporary file left)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-export-'));
    const out = join(dir, 'res2net.yaml');
    const r = cli(s, '--replace', 'C3=C3_Res2Block', '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('');
    expect(readdirSync(dir)).toEqual(['res2net.yaml']);
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(original.toString('utf8').replaceAll(' C3, ', ' C3_Res2Block, '));
    const a = analyze(parseModelText(text, out));
    const ref = readSummary('yolov5s-res2net');
    expect(a.layers.map((l) => [l.params, l.shape])).toEqual(
      ref.layers.map((l: any) => [
        l.params,
        Array.isArray(l.shape[0]) ? [l.shape[0][1], l.shape[0][2]] : l.shape.slice(1),
      ]),
    );
    expect(a.params).toBe(ref.params);
  });
  it('applies edits in order: --insert then --delete of the same index gives the file back', async () => {
    const r = await inProcess(s, '--insert', '3=[-1, 1, Conv, [128, 1, 1]]', '--delete', '3');
    expect(r.code, r.err).toBe(0);
    expect(r.stdout.equals(original)).toBe(true);
    const ins = await inProcess(s, '--insert=3=[-1, 1, Conv, [128, 1, 1]]');
    // the layer-number comment follows its row (3 is now 4)
    expect(ins.out).toContain('    [-1, 1, Conv, [128, 1, 1]],\n    [-1, 1, Conv, [256, 3, 2]], # 4-P3/8\n');
    expect(ins.out).toContain('[[18, 21, 24], 1, Detect, [nc, anchors]]');
  });
  it('--move, --set and --scale', async () => {
    const r = await inProcess(s, '--move', '9=10', '--set', 'nc=3', '--scale', 'm');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      'nc: 3 # number of classes\ndepth_multiple: 0.67 # model depth multiple\nwidth_multiple: 0.75 # layer channel multiple\n',
    );
    expect(r.out).toContain('head: [\n    [-1, 1, Conv, [512, 1, 1]],\n    [-1, 1, SPPF, [1024, 5]], # 10\n');
  });
  it('a result with errors: YAML on stdout, diagnostics on stderr naming the deleted layer, exit 1', () => {
    const r = cli(s, '--delete', '6');
    expect(r.code).toBe(1);
    expect(r.out).toContain('[[-1, deleted_6_C3], 1, Concat, [1]]');
    expect(r.err).toContain(
      `${s} (edited):36:6: error from-deleted-layer: layer 11 read layer 6 (C3), which was deleted`,
    );
  });
  it('usage errors exit 2 with a message naming the problem', async () => {
    for (const [args, msg] of [
      [[s, '--bogus'], 'unknown option --bogus'],
      [[s, '--delete', 'x'], "--delete INDEX must be a whole number, got 'x'"],
      [[s, '--delete', '99'], '--delete 99: cannot delete: there is no layer 99 (the model has 25 layers, 0-24)'],
      [[s, '--scale', 'q'], "--scale takes n, s, m, l or x, got 'q'"],
      [[s, '--set', 'foo=1'], "--set: 'foo' is not a key"],
      [[s, '--insert', '3'], '--insert takes INDEX=ROW'],
      [[s, '--insert', '3=[-1, 1, Conv'], '--insert 3=[-1, 1, Conv: '],
      [[s, '--replace', 'C3=Nope'], "unknown module 'Nope'"],
      [[], 'no CONFIG given'],
      [['/nonexistent.yaml'], 'cannot read /nonexistent.yaml: no such file'],
    ] as const) {
      const r = await inProcess(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(msg);
      expect(r.out).toBe('');
    }
  });
  it('-o over an existing file keeps its permissions; a file that is not UTF-8 is said to be', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-export-'));
    const out = join(dir, 'out.yaml');
    writeFileSync(out, 'old');
    chmodSync(out, 0o600);
    expect((await inProcess(s, '--scale', 'n', '-o', out)).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toContain(
      'depth_multiple: 0.33 # model depth multiple\nwidth_multiple: 0.25 # layer channel multiple\n',
    );
    const latin1 = join(dir, 'latin1.yaml');
    writeFileSync(latin1, Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n'), original]));
    const r = await inProcess(latin1);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: the file is not valid UTF-8');
  });
  it('edits know custom modules from NAME.modules.yaml beside the config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-export-'));
    const net = join(dir, 'net.yaml');
    writeFileSync(net, original);
    writeFileSync(
      join(dir, 'net.modules.yaml'),
      'Twice:\n  description: two Convs\n  args: [c1, c2]\n  body:\n    - {id: a, op: Conv, args: [c1, c2, 3]}\n    - {id: b, op: Conv, args: [c2, c2, 3]}\n',
    );
    const r = await inProcess(net, '--replace', 'SPPF=Twice');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('    [-1, 1, Twice, [1024]], # 9\n');
  });
  it('an output that cannot be written exits 1 and says why', async () => {
    const r = await inProcess(s, '-o', '/nonexistent-dir/x.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot write /nonexistent-dir/x.yaml');
  });
});

it('--replace-at is the canvas drop onto a layer: the 8 C3 of yolov5s become yolov5s-res2net; --edit runs any command', async () => {
  const cfg = join(PROJECT_DIR, 'configs/yolov5s.yaml');
  const at = [2, 4, 6, 8, 13, 17, 20, 23].flatMap((i) => ['--replace-at', `${i}=C3_Res2Block`]);
  const r = await inProcess(cfg, ...at);
  expect(r.code, r.err).toBe(0);
  const rows = (t: string) =>
    parseModelText(t).rows.map((x) => [x.from?.value, x.n?.value, x.module?.value, x.args?.value]);
  expect(rows(r.out)).toEqual(rows(readFileSync(join(PROJECT_DIR, 'configs/yolov5s-res2net.yaml'), 'utf8')));
  expect(analyze(parseModelText(r.out)).params).toBe(6_721_334);
  const e = await inProcess(
    cfg,
    '--edit',
    '{"type":"insertOnEdge","source":6,"target":12,"position":1,"row":"[-1, 1, Conv, [512, 1, 1]]"}',
  );
  expect(e.code, e.err).toBe(0);
  expect(e.out).toContain('    [6, 1, Conv, [512, 1, 1]],\n    [[-2, -1], 1, Concat, [1]], # 13 with backbone P4\n');
  for (const bad of ['{"type":"editText","changes":[]}', '[1]', '{nope'])
    expect((await inProcess(cfg, '--edit', bad)).code).toBe(2);
});
