/** `yolo-architect run` on an Ultralytics model: the YOLO11n demo's detections as PyTorch's, its outputs written. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boxIou } from '../runtime/nms.ts';
import { readSafetensors } from '../runtime/safetensors.ts';
import { runCli } from '../testing/cli.ts';
import { PROJECT_DIR } from '../testing/reference.ts';
import './run.ts';

const demo = (f: string) => join(PROJECT_DIR, 'configs', 'demo', f);

describe('yolo-architect run (Ultralytics)', () => {
  it("prints the YOLO11n demo's detections as JSON: PyTorch's, and no other; --output writes pred and raw.K", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-run-ul-'));
    const r = await runCli([
      'run',
      demo('demo-yolo11n-shapes.yaml'),
      '--weights',
      demo('weights-11.safetensors'),
      '--image',
      demo('sample.png'),
      '--img',
      '320',
      '--json',
      '--output',
      join(dir, 'out.safetensors'),
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.outputs.pred).toEqual([1, 7, 2100]);
    expect(j.outputs['raw.0']).toEqual([1, 67, 40, 40]);
    const want: { class: string; confidence: number; xyxy: number[] }[] = JSON.parse(
      readFileSync(demo('sample-11.json'), 'utf8'),
    ).pytorch_detections;
    expect(j.detections.length).toBe(want.length);
    for (const w of want)
      expect(
        j.detections.some(
          (d: { name: string; confidence: number; xyxy: number[] }) =>
            d.name === w.class && boxIou(d.xyxy, w.xyxy) >= 0.9 && Math.abs(d.confidence - w.confidence) <= 0.01,
        ),
        `${w.class} ${w.confidence}`,
      ).toBe(true);
    const out = readSafetensors(readFileSync(join(dir, 'out.safetensors')));
    expect(out.tensors.get('pred')!.shape).toEqual([1, 7, 2100]);
    expect(out.tensors.get('raw.2')!.shape).toEqual([1, 67, 10, 10]);
  });
});
