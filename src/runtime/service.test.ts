/** The worker-facing service: plain requests in, plain data out, strict-load problems by name, no leaks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../testing/reference.ts';
import { nodeWasmPath } from './backend-node.ts';
import { tensorCount } from './backend.ts';
import { readImage } from './image-node.ts';
import { createRuntimeService } from './service.ts';

const demo = (f: string) => join(PROJECT_DIR, 'configs', 'demo', f);

describe('runtime service', () => {
  it('chooses a backend, loads the demo, runs its sample and reports detections with names', async () => {
    const s = createRuntimeService({ wasmPath: nodeWasmPath() });
    const b = await s.handle({ id: 1, type: 'backend', prefer: ['webgl', 'wasm', 'cpu'] });
    expect(b).toMatchObject({ ok: true, backend: 'wasm' });
    const before = tensorCount();
    const l = await s.handle({ id: 2, type: 'load', config: readFileSync(demo('demo-shapes.yaml'), 'utf8'), options: { imgsz: 320, weights: readFileSync(demo('weights.safetensors')) } });
    expect(l).toMatchObject({ ok: true, type: 'load', backend: 'wasm', params: 1767976, names: ['circle', 'square', 'triangle'] });
    const r = await s.handle({ id: 3, type: 'runImage', image: readImage(demo('sample.png')), options: { conf: 0.25, iou: 0.45, timing: true } });
    expect(r.ok).toBe(true);
    if (r.ok && r.type === 'run') {
      expect(r.detections.map((d) => d.name).sort()).toEqual(['circle', 'square', 'square', 'triangle', 'triangle', 'triangle', 'triangle']);
      expect(r.timings!.length).toBe(25);
      expect(r.outputs.pred).toEqual([1, 6300, 8]);
    }
    expect(await s.handle({ id: 4, type: 'dispose' })).toMatchObject({ ok: true });
    expect(tensorCount()).toBe(before);
  });

  it('replies with every weights problem by name instead of throwing', async () => {
    const s = createRuntimeService();
    const r = await s.handle({ id: 1, type: 'load', config: readFileSync(join(PROJECT_DIR, 'configs', 'yolov5n.yaml'), 'utf8'), options: { imgsz: 64, weights: readFileSync(demo('weights.safetensors')) } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.kind).toBe('weights');
      expect(r.problems!.misshaped).toContainEqual({ name: 'model.24.m.0.weight', expected: [255, 64, 1, 1], actual: [24, 64, 1, 1] });
    }
  });
});
