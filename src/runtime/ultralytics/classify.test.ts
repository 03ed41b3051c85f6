/**
 * A classifier's input and probabilities as Ultralytics' ClassificationPredictor makes them: images through
 * torchvision's Resize + CenterCrop on Pillow (fixtures/classify-expect.json, written by make-torch-fixtures.py
 * with torchvision 0.14 and Pillow 9.4) byte for byte, and the tiny real-torch classifier's probabilities on one
 * of them equal to a float64 forward of Ultralytics' Conv and Classify, through runImage and `run --json`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointYaml, readCheckpoint } from '../../core/checkpoint/index.ts';
import { parseModelText } from '../../core/index.ts';
import { runCli } from '../../testing/cli.ts';
import { useNodeBackend } from '../backend-node.ts';
import { PNG } from 'pngjs';
import { loadModel, runImage } from '../runtime.ts';
import { classifyInput } from './classify.ts';
import '../../cli/run.ts';

const fixture = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url));
const expected: {
  cases: {
    image: [number, number];
    size: number | [number, number];
    rgb: string;
    out: [number, number];
    outRgb: string;
  }[];
  probs: number[];
} = JSON.parse(fixture('classify-expect.json').toString('utf8'));
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

describe("Ultralytics' classification preprocessing (classify_transforms)", () => {
  it.each(expected.cases.map((c) => [`${c.image.join('x')} to ${String(c.size)}`, c] as const))(
    'an image %s: resized and centre-cropped as torchvision on Pillow, byte for byte',
    (_, c) => {
      const [h, w] = c.image;
      const r = classifyInput({ width: w, height: h, data: bytes(c.rgb), channels: 3 }, c.size);
      expect([r.height, r.width]).toEqual(c.out);
      expect(Array.from(r.data)).toEqual(Array.from(bytes(c.outRgb)));
    },
  );

  it('cuts off what lies outside the centre square (no letterbox borders)', () => {
    // a 4x8 image whose left and right quarters are white: the 4x4 centre has none of them
    const data = new Uint8Array(4 * 8 * 3);
    for (let y = 0; y < 4; y++) for (const x of [0, 1, 6, 7]) data.fill(255, (y * 8 + x) * 3, (y * 8 + x + 1) * 3);
    const r = classifyInput({ width: 8, height: 4, data, channels: 3 }, 4);
    expect([r.height, r.width, ...r.crop]).toEqual([4, 4, 0, 2]);
    expect(r.data.every((v) => v === 0)).toBe(true);
  });
});

describe("a classifier's probabilities (the tiny real-torch classifier)", () => {
  let yaml = '';
  let state: ReturnType<ReturnType<typeof readCheckpoint>['state']>;
  const image = () => {
    const c = expected.cases[0];
    return { width: c.image[1], height: c.image[0], data: bytes(c.rgb), channels: 3 as const };
  };
  beforeAll(async () => {
    await useNodeBackend('cpu');
    const cp = readCheckpoint(fixture('torch-ul-best.pt'));
    yaml = checkpointYaml(cp, 'tiny-cls-n.pt');
    state = cp.state();
  });

  it.each(['cpu', 'wasm'])(
    'runImage on %s: softmax probabilities equal to the float64 reference, top 5 best first',
    async (backend) => {
      await useNodeBackend(backend as 'cpu' | 'wasm');
      const model = loadModel(parseModelText(yaml, 'tiny-cls-n.pt'), {
        imgsz: [32, 32],
        names: ['disc', 'ring'],
        weights: new Map([...state].map(([k, t]) => [k, { shape: t.shape, data: t.data }])),
      });
      try {
        const r = await runImage(model, image());
        expect(r.input).toEqual([32, 32]);
        expect(r.detections).toEqual([]);
        const probs = Array.from(r.output.pred!.data);
        const err = Math.max(...probs.map((p, k) => Math.abs(p - expected.probs[k])));
        console.log(`classifier probabilities on ${backend}: max |error| ${err.toExponential(2)}`);
        expect(err).toBeLessThan(1e-6);
        const order = expected.probs.map((p, c) => [p, c]).sort((a, b) => b[0] - a[0]);
        expect(r.probs?.map((p) => p.class)).toEqual(order.map(([, c]) => c));
        expect(r.probs?.map((p) => p.name)).toEqual(order.map(([, c]) => ['disc', 'ring'][c]));
      } finally {
        model.dispose();
      }
    },
  );

  it('run --json gives the same top classes for the .pt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ya-cls-'));
    const pt = join(dir, 'tiny-cls-n.pt');
    writeFileSync(pt, fixture('torch-ul-best.pt'));
    const png = join(dir, 'image.png');
    const im = image();
    const p = new PNG({ width: im.width, height: im.height });
    for (let i = 0; i < im.width * im.height; i++) {
      p.data.set(im.data.subarray(i * 3, i * 3 + 3), i * 4);
      p.data[i * 4 + 3] = 255;
    }
    writeFileSync(png, PNG.sync.write(p));
    const r = await runCli(['run', pt, '--image', png, '--img', '32', '--json', '--backend', 'cpu']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const best = expected.probs.indexOf(Math.max(...expected.probs));
    expect(j.probs[0].class).toBe(best);
    expect(j.probs[0].name).toBe(['disc', 'ring'][best]);
    expect(Math.abs(j.probs[0].confidence - expected.probs[best])).toBeLessThanOrEqual(1e-4);
  });
});
