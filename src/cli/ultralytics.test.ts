// The CLI with Ultralytics models: summary with --scale, export --ultralytics DIR.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.ts';
import { PROJECT_DIR } from '../testing/reference-paths.ts';

const yolo11 = join(PROJECT_DIR, 'configs/ultralytics/yolo11.yaml');

describe('yolo-architect with Ultralytics models', () => {
  it('summary: the scale from the file name, or --scale; the family and scale in the table and the JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-ucli-'));
    const named = join(dir, 'yolo11n.yaml');
    copyFileSync(yolo11, named);
    const table = await runCli(['summary', named]);
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toBe('Ultralytics 8.3.253, scale n (from the file name)');
    expect(table.out).toContain('24 rows, 319 layers (modules), 2,624,080 parameters, 6.5 GFLOPs at 640x640');
    const s = JSON.parse((await runCli(['summary', named, '--scale', 's', '--json'])).out);
    expect([s.family, s.scale, s.params, s.layers[23].shape]).toEqual([
      'ultralytics',
      { name: 's', from: 'option', scales: ['n', 's', 'm', 'l', 'x'] },
      9458752,
      [84, 8400],
    ]);
    const bad = await runCli(['summary', named, '--scale', 'q', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).diagnostics[0].message).toBe(
      "scale 'q' is not in this file's scales (n, s, m, l, x): Ultralytics fails (KeyError)",
    );
    expect((await runCli(['summary', named, '--scale', 's;rm'])).code).toBe(2);
  });

  it('export --ultralytics DIR: C3_Res2Block in the head, scale s: yolo11s.yaml and the patch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-uexp-'));
    const named = join(dir, 'yolo11n.yaml');
    copyFileSync(yolo11, named);
    const out = join(dir, 'out');
    const r = await runCli(['export', named, '--replace-at', '16=C3_Res2Block', '--scale', 's', '--ultralytics', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toEqual([
      join(out, 'yolo11s.yaml'),
      join(out, 'ultralytics-8.3.253.patch'),
    ]);
    expect(readFileSync(join(out, 'yolo11s.yaml'), 'utf8')).toContain('[-1, 2, C3_Res2Block, [256]]');
    expect(readFileSync(join(out, 'ultralytics-8.3.253.patch'), 'utf8')).toContain(
      '+from ultralytics.nn.modules.architect import Bottle2neck, C3_Res2Block  # YOLO Architect',
    );
    // the written YAML, read again, is the model as exported: yolo11s with C3_Res2Block
    const s = JSON.parse((await runCli(['summary', join(out, 'yolo11s.yaml'), '--json'])).out);
    expect([s.scale.name, s.layers[16].module, s.params]).toEqual(['s', 'C3_Res2Block', 9445560]);
  });

  it('export --ultralytics refuses a YOLOv5 model, writing nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ya-uexp5-')), 'out');
    const r = await runCli(['export', join(PROJECT_DIR, 'configs/yolov5s.yaml'), '--ultralytics', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is a YOLOv5 model (it has anchors:); use --yolov5 DIR');
    expect(existsSync(out)).toBe(false);
  });

  it('export --ultralytics never replaces a file with other content unless --force; files already the same are not written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-uexpf-'));
    const named = join(dir, 'yolo11n.yaml');
    copyFileSync(yolo11, named);
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'yolo11n.yaml'), '# mine\n');
    const refused = await runCli(['export', named, '--ultralytics', out]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`${join(out, 'yolo11n.yaml')} is already there with other content; nothing written`);
    expect(readFileSync(join(out, 'yolo11n.yaml'), 'utf8')).toBe('# mine\n');
    const forced = await runCli(['export', named, '--ultralytics', out, '--force']);
    expect([forced.code, forced.out.trim()]).toEqual([0, join(out, 'yolo11n.yaml')]);
    expect(readFileSync(join(out, 'yolo11n.yaml'), 'utf8')).toBe(readFileSync(yolo11, 'utf8'));
    const again = await runCli(['export', named, '--ultralytics', out]);
    expect([again.code, again.out, again.err]).toEqual([
      0,
      '',
      `yolo-architect export: ${join(out, 'yolo11n.yaml')} unchanged\n`,
    ]);
    expect((await runCli(['export', named, '--force'])).code).toBe(2);
  });
});
