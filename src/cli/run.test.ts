/** `yolo-architect run`: detections as JSON, outputs written in PyTorch layout, clear usage errors. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROJECT_DIR } from '../testing/reference.ts';
import { PREDICT_DEFAULTS } from '../runtime/predict-defaults.ts';
import { readSafetensors, toFloat32, writeSafetensors } from '../runtime/safetensors.ts';
import { runCli } from '../testing/cli.ts';
import './run.ts';

const demo = (f: string) => join(PROJECT_DIR, 'configs', 'demo', f);

const cli = (args: string[]) => runCli(args);

describe('yolo-architect run', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the demo detections as JSON with class names from the weights metadata', async () => {
    const r = await cli([
      'run',
      demo('demo-shapes.yaml'),
      '--weights',
      demo('weights.safetensors'),
      '--image',
      demo('sample.png'),
      '--img',
      '320',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.backend).toBe('wasm');
    expect(j.outputs.pred).toEqual([1, 6300, 8]);
    expect(j.outputs['raw.0']).toEqual([1, 3, 40, 40, 8]);
    expect(j.detections.length).toBe(7);
    expect(j.detections[0]).toMatchObject({ class: 2, name: 'triangle', confidence: 0.9971 });
    expect(j.detections[0].xyxy.length).toBe(4);
  });

  it('runs an --input tensor and writes pred and raw.K with --output; --names names the classes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-run-'));
    const images = new Float32Array(3 * 64 * 64).map((_, i) => (i % 97) / 97);
    writeFileSync(join(dir, 'in.safetensors'), writeSafetensors({ images: { shape: [1, 3, 64, 64], data: images } }));
    const r = await cli([
      'run',
      demo('demo-shapes.yaml'),
      '--input',
      join(dir, 'in.safetensors'),
      '--output',
      join(dir, 'out.safetensors'),
      '--names',
      'a,b,c',
      '--conf',
      '0.001',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.weights).toMatch(/initialised/);
    const f = readSafetensors(readFileSync(join(dir, 'out.safetensors')));
    expect(f.tensors.get('pred')!.shape).toEqual([1, 3 * (8 * 8 + 4 * 4 + 2 * 2), 8]);
    expect(f.tensors.get('raw.2')!.shape).toEqual([1, 3, 2, 2, 8]);
    expect(toFloat32(f.tensors.get('pred')!).every(Number.isFinite)).toBe(true);
    expect(j.detections.every((d: { name: string }) => ['a', 'b', 'c'].includes(d.name))).toBe(true);
  });

  it('is a usage error (exit 2) without an image or input, and exit 1 for weights that do not fit', async () => {
    expect((await cli(['run', demo('demo-shapes.yaml')])).code).toBe(2);
    const r = await cli([
      'run',
      join(PROJECT_DIR, 'configs', 'yolov5n.yaml'),
      '--weights',
      demo('weights.safetensors'),
      '--image',
      demo('sample.png'),
      '--img',
      '64',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('model.24.m.0.weight: expected [255, 64, 1, 1], got [24, 64, 1, 1]');
  });

  it("--help gives each family's own IoU default, from the one place the predictors read it", async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    const { yolov5, ultralytics } = PREDICT_DEFAULTS;
    expect(r.out).toContain(`[--iou ${yolov5.iou} YOLOv5, ${ultralytics.iou} Ultralytics]`);
    expect([yolov5.iou, ultralytics.iou]).toEqual([0.45, 0.7]);
  });
});
