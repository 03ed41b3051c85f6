/** `summary`, `export` and `run` take a .pt wherever they take a config: its embedded YAML (and its weights). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { readSafetensors, toFloat32 } from '../runtime/safetensors.ts';
import { describeReference, referencePath } from '../testing/reference.ts';
import { runCli } from '../testing/cli.ts';

const cli = (args: string[]) => runCli(args);

describeReference('the CLI on a .pt checkpoint', () => {
  afterEach(() => vi.restoreAllMocks());
  const pt = () => referencePath('parity', 'yolov5n-160', 'model.pt');

  it('summary model.pt: the 25 rows and 1,872,157 parameters of its embedded YAML', async () => {
    const r = await cli(['summary', pt(), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.layers).toHaveLength(25);
    expect(j.params).toBe(1_872_157);
    expect(j.layers[24].module).toBe('Detect');
    expect(j.diagnostics).toEqual([]);
  });

  it('export model.pt prints its YAML, and edits apply to it', async () => {
    const r = await cli(['export', pt()]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^# Architecture of model\.pt \(models\.yolo\.DetectionModel, from ckpt\['model'\], built from yolov5n\.yaml\)\./,
    );
    expect(r.out).toContain('    [[17, 20, 23], 1, Detect, [nc, anchors]], # 24\n');
    const e = await cli(['export', pt(), '--set', 'nc=20']);
    expect(e.code).toBe(0);
    expect(e.out).toContain('\nnc: 20\n');
  });

  it('run model.pt uses its weights: pred matches PyTorch within fp16 tolerance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-pt-'));
    const out = join(dir, 'out.safetensors');
    const fixture = referencePath('parity', 'yolov5n-160', 'tensors.safetensors');
    const r = await cli(['run', pt(), '--input', fixture, '--backend', 'cpu', '--output', out, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).weights).toBe('349 tensors loaded');
    const got = toFloat32(readSafetensors(readFileSync(out)).tensors.get('pred')!);
    const want = toFloat32(readSafetensors(readFileSync(fixture)).tensors.get('pred')!);
    let worst = 0;
    for (let i = 0; i < want.length; i++)
      worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
    expect(worst).toBeLessThanOrEqual(1e-2);
  });

  it('run CONFIG --weights model.pt loads the checkpoint as weights', async () => {
    const fixture = referencePath('parity', 'yolov5n-160', 'tensors.safetensors');
    const r = await cli([
      'run',
      referencePath('configs', 'ultralytics', 'yolov5n.yaml'),
      '--weights',
      pt(),
      '--input',
      fixture,
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.weights).toBe('349 tensors loaded');
    expect(j.outputs.pred).toEqual([1, 1575, 85]);
  });

  it('a truncated or hostile .pt is a clear error, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-pt-'));
    const f = join(dir, 'broken.pt');
    writeFileSync(f, readFileSync(pt()).subarray(0, 5000));
    const r = await cli(['summary', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/broken\.pt: not a zip archive, or a truncated one/);
  });
});
