import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../testing/reference.ts';

const cli = (...args: string[]) => cliWith({}, ...args);
const cliWith = (env: Record<string, string>, ...args: string[]) => {
  const r = spawnSync(process.execPath, [join(PROJECT_DIR, 'bin/yolo-architect.mjs'), ...args], {
    cwd: PROJECT_DIR,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('yolo-architect summary', () => {
  it('prints the table with shapes and totals for the seed config, exit 0', () => {
    const r = cli('summary', 'configs/yolov5s-res2net.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ 2 +-1 +1 +16,585 {2}C3_Res2Block +64 x 160 x 160 +\[64, 64, 1\]/);
    expect(r.out).toContain(
      '25 rows, 346 layers (modules), 6,721,334 parameters, 15.1 GFLOPs at 640x640, strides 8, 16, 32',
    );
  });

  it('--json gives layers, totals and diagnostics; --img changes shapes', () => {
    const r = cli('summary', 'configs/yolov5s.yaml', '--img', '320', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.params).toBe(7235389);
    expect(j.modules).toBe(214);
    expect(j.stride).toEqual([8, 16, 32]);
    expect(j.layers[11]).toEqual({
      i: 11,
      from: -1,
      n: 1,
      params: 0,
      module: 'nn.Upsample',
      args: [null, 2, 'nearest'],
      shape: [256, 20, 20],
    });
    expect(j.layers[24].shape).toEqual([6300, 85]);
    expect(j.diagnostics).toEqual([]);
  });

  it('exits 1 on a config with errors, still printing what it could compute', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-'));
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      'nc: 80\ndepth_multiple: 1\nwidth_multiple: 1\nanchors: 3\nbackbone:\n  [[-1, 1, Conv, [16, 3, 2]],\n   [-1, 1, Convv, [32, 3, 2]]]\nhead: []\n',
    );
    const r = cli('summary', f, '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.layers[0].params).toBe(464);
    expect(j.diagnostics.find((d: { code: string }) => d.code === 'unknown-module')).toMatchObject({
      code: 'unknown-module',
      severity: 'error',
      file: f,
      line: 7,
      column: 12,
    });
  });

  it('exits 2 on usage errors with a message', () => {
    expect(cli('summary').code).toBe(2);
    const r = cli('summary', 'configs/yolov5s.yaml', '--img', 'big');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--img must be a whole number from 1 to 16384, got big');
    expect(cli('summary', 'nope.yaml').err).toContain('cannot read nope.yaml: no such file');
    expect(cli('frobnicate').code).toBe(2);
  });
});

describe('yolo-architect summary with module libraries', () => {
  it('knows the default library and reads NAME.modules.yaml beside the config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-lib-'));
    const f = join(dir, 'net.yaml');
    writeFileSync(
      f,
      'nc: 3\ndepth_multiple: 1\nwidth_multiple: 1\nanchors: 1\nbackbone:\n  [[-1, 1, Conv, [16, 3, 2]],\n   [-1, 1, SE, [16, 4]],\n   [-1, 1, Twice, [16]]]\nhead: []\n',
    );
    writeFileSync(
      join(dir, 'net.modules.yaml'),
      'Twice:\n  description: two Convs\n  args: [c1, c2]\n  body:\n    - {id: a, op: Conv, args: [c1, c2, 3]}\n    - {id: b, op: Conv, args: [c2, c2, 3]}\n',
    );
    const r = cli('summary', f, '--json');
    const j = JSON.parse(r.out);
    expect(j.layers[1].params).toBe(16 * 8 + 8 + 8 * 16 + 16);
    expect(j.layers[2].params).toBe(2 * (16 * 16 * 9 + 32));
    expect(j.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
  });

  it("with no library of the user's, the default library still serves: its modules, and the hint for a name near one", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-lib-'));
    const none = { YOLO_ARCHITECT_MODULES: join(dir, 'no-such-modules.yaml') };
    const net = (m: string) =>
      `nc: 3\ndepth_multiple: 1\nwidth_multiple: 1\nanchors: 1\nbackbone:\n  [[-1, 1, Conv, [16, 3, 2]],\n   [-1, 1, ${m}, [16]]]\nhead: []\n`;
    const cases = { CoordAtt: 'ok.yaml', CoordAt: 'near.yaml' };
    for (const [m, file] of Object.entries(cases)) writeFileSync(join(dir, file), net(m));
    const ok = cliWith(none, 'summary', join(dir, 'ok.yaml'), '--json');
    expect(ok.code).toBe(0);
    // CoordAtt(16, 16), mip max(8, 16 // 32) = 8: conv1 16 -> 8 + bn1 (2 x 8), conv_h and conv_w 8 -> 16, biases
    expect(JSON.parse(ok.out).layers[1].params).toBe(16 * 8 + 8 + 2 * 8 + 2 * (8 * 16 + 16));
    const near = cliWith(none, 'summary', join(dir, 'near.yaml'));
    expect(near.code).toBe(1);
    expect(near.out).toContain("unknown module 'CoordAt'; did you mean CoordAtt?");
  });
});
