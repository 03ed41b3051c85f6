/** `yolo-architect run` on an Ultralytics model: the YOLO11n demo's detections as PyTorch's, its outputs written. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boxIou } from '../runtime/nms.ts';
import { rleDecode } from '../runtime/ultralytics/masks.ts';
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

  it('--masks polygon gives each mask as the outlines of its regions, holding its pixels; rle (default) as COCO RLE', async () => {
    // the demo with a Segment head, its weights transferred (the prototypes are random: the masks are blobs)
    const dir = mkdtempSync(join(tmpdir(), 'ya-run-ul-seg-'));
    const config = join(dir, 'demo-yolo11n-shapes-seg.yaml');
    writeFileSync(
      config,
      readFileSync(demo('demo-yolo11n-shapes.yaml'), 'utf8').replace('Detect, [nc]]', 'Segment, [nc, 32, 64]]'),
    );
    const args = [
      'run',
      config,
      '--weights',
      demo('weights-11.safetensors'),
      '--transfer',
      '--image',
      demo('sample.png'),
    ];
    const rle = JSON.parse((await runCli([...args, '--img', '320', '--json'])).out);
    const poly = await runCli([...args, '--img', '320', '--json', '--masks', 'polygon']);
    expect(poly.code, poly.err).toBe(0);
    const j = JSON.parse(poly.out);
    expect(j.detections.length).toBeGreaterThan(0);
    expect(j.detections.length).toBe(rle.detections.length);
    for (let k = 0; k < j.detections.length; k++) {
      const d = j.detections[k];
      expect(d.mask).toBeUndefined();
      const { size } = rle.detections[k].mask;
      const [h, w] = size;
      const mask = rleDecode(rle.detections[k].mask);
      const rings: number[][][] = d.polygons;
      expect(rings.length).toBeGreaterThan(0);
      // every pixel of the mask has its centre inside one of the outlines, and nothing outside the mask's extent does
      let x0 = w;
      let y0 = h;
      let x1 = -1;
      let y1 = -1;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          if (mask[y * w + x]) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      const inside = (px: number, py: number) =>
        rings.some((r) => {
          let c = false;
          for (let i = 0, j = r.length - 1; i < r.length; j = i++)
            if (
              r[i][1] > py !== r[j][1] > py &&
              px < ((r[j][0] - r[i][0]) * (py - r[i][1])) / (r[j][1] - r[i][1]) + r[i][0]
            )
              c = !c;
          return c;
        });
      for (let y = Math.max(0, y0 - 2); y <= Math.min(h - 1, y1 + 2); y++)
        for (let x = Math.max(0, x0 - 2); x <= Math.min(w - 1, x1 + 2); x++) {
          const isIn = inside(x + 0.5, y + 0.5);
          if (mask[y * w + x]) expect(isIn, `mask pixel ${x},${y} of detection ${k}`).toBe(true);
          else if (x < x0 || x > x1 || y < y0 || y > y1) expect(isIn, `pixel ${x},${y} outside the mask`).toBe(false);
        }
    }
    expect((await runCli([...args, '--masks', 'outline'])).code).toBe(2);
  });
});
