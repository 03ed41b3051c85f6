/** `yolo-architect diff A B`: the comparison as a table and as JSON; .pt checkpoints compare as their YAML. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeReference, referencePath } from '../testing/reference.ts';
import { runCli } from '../testing/cli.ts';

const cli = (args: string[]) => runCli(args);

describe('yolo-architect diff', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints every aligned row with per-layer differences and the totals 7,235,389 -> 6,721,334', async () => {
    const r = await cli(['diff', 'configs/yolov5s.yaml', 'configs/yolov5s-res2net.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('A: configs/yolov5s.yaml  (7,235,389 parameters, 16.4 GFLOPs, 25 rows at 640x640)');
    expect(r.out).toContain('B: configs/yolov5s-res2net.yaml  (6,721,334 parameters, 15.1 GFLOPs, 25 rows at 640x640)');
    expect(r.out).toMatch(
      /\n {3}2 {3}2 {2}changed C3 -> C3_Res2Block +18,816 +16,585 +-2,231 +-0\.120 {2}64 x 160 x 160\n/,
    );
    expect(r.out).toMatch(
      /\n {2}23 {2}23 {2}changed C3 -> C3_Res2Block +1,182,720 +1,033,328 +-149,392 +-0\.120 {2}512 x 20 x 20\n/,
    );
    expect(r.out).toMatch(/\n {3}9 {3}9 {2}same {4}SPPF +656,896 +656,896 +0 +0\.000 {2}512 x 20 x 20\n/);
    expect(r.out).toContain('parameters: 7,235,389 -> 6,721,334, -514,055 (-7.1%)\n');
    expect(r.out).toContain('rows:       17 same, 8 changed, 0 added, 0 removed');
  });

  it('--changed lists only the rows that differ; --img changes shapes and GFLOPs', async () => {
    const r = await cli(['diff', 'configs/yolov5s.yaml', 'configs/yolov5s-res2net.yaml', '--changed', '--img', '320']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => /^ +\d+ +\d+ {2}\w/.test(l))).toHaveLength(8);
    expect(r.out).toContain('64 x 80 x 80');
  });

  it('--json gives the rows, counts, totals and header differences', async () => {
    const r = await cli(['diff', 'configs/yolov5n.yaml', 'configs/yolov5s.yaml', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.params).toEqual({ a: 1_872_157, b: 7_235_389, delta: 5_363_232 });
    expect(j.header).toEqual([{ key: 'width_multiple', a: '0.25', b: '0.5' }]);
    expect(j.counts).toEqual({ same: 0, changed: 25, added: 0, removed: 0 });
    expect(j.layers[0]).toMatchObject({
      status: 'changed',
      changes: ['args', 'shape', 'params'],
      a: { i: 0, module: 'Conv', params: 1_760, shape: [16, 320, 320] },
      b: { i: 0, params: 3_520, shape: [32, 320, 320] },
      params: 1_760,
    });
    expect(j.diagnostics).toEqual({ a: [], b: [] });
  });

  it('compares Ultralytics models too: yolo11n with C2f for its first C3k2 (Ultralytics 8.3.253 builds 2,644,448)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-diff-'));
    const text = readFileSync('configs/ultralytics/yolo11.yaml', 'utf8');
    const c2f = text.replace('- [-1, 2, C3k2, [256, False, 0.25]]', '- [-1, 2, C2f, [256, False]]');
    expect(c2f).not.toBe(text);
    // named as Ultralytics names the model: scale n
    writeFileSync(join(dir, 'yolo11n.yaml'), text);
    writeFileSync(join(dir, 'yolo11n-c2f.yaml'), c2f);
    const r = await cli(['diff', join(dir, 'yolo11n.yaml'), join(dir, 'yolo11n-c2f.yaml'), '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.params).toEqual({ a: 2_624_080, b: 2_644_448, delta: 20_368 });
    expect(j.counts).toEqual({ same: 23, changed: 1, added: 0, removed: 0 });
    const t = await cli(['diff', join(dir, 'yolo11n.yaml'), join(dir, 'yolo11n-c2f.yaml'), '--changed']);
    expect(t.out).toMatch(/\n {3}2 {3}2 {2}changed C3k2 -> C2f +6,640 +27,008 +\+20,368 /);
  });

  it('usage errors exit 2; an unreadable file is named', async () => {
    expect((await cli(['diff', 'configs/yolov5s.yaml'])).code).toBe(2);
    const r = await cli(['diff', 'configs/yolov5s.yaml', 'nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read nope.yaml: no such file');
  });
});

describeReference('yolo-architect diff with a .pt', () => {
  it('model.pt compares as its embedded YAML: the same as yolov5n.yaml', async () => {
    const r = await cli([
      'diff',
      referencePath('configs', 'ultralytics', 'yolov5n.yaml'),
      referencePath('parity', 'yolov5n-160', 'model.pt'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.counts).toEqual({ same: 25, changed: 0, added: 0, removed: 0 });
    expect(j.b.params).toBe(1_872_157);
  });
});
