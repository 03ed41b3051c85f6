/** The test run end to end: the demo template runs its sample image on WebGL and finds what PyTorch found. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT, type E2ETest } from './harness.ts';
import { hasReference, referencePath } from '../src/testing/reference-paths.ts';
import { yolo11nParityCheckpoint } from '../src/testing/ultralytics-checkpoint.ts';

interface Det {
  class: string;
  confidence: number;
  xyxy: number[];
}

const iou = (a: number[], b: number[]) => {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
};

/** The detections the run result view lists (class, confidence, box). */
async function shownDetections(view: Locator): Promise<Det[]> {
  const rows = await view.getByRole('table', { name: 'Detections' }).locator('tbody tr').all();
  const got: Det[] = [];
  for (const r of rows) {
    const cells = await r.locator('td').allTextContents();
    got.push({ class: cells[0], confidence: Number(cells[1]), xyxy: cells[2].split(',').map(Number) });
  }
  return got;
}

/**
 * Open a checkpoint with Open…, see its rows and parameters and its weights chosen in the run panel, and choose
 * the demo's sample image: the run panel, ready to run.
 */
async function openCheckpointWithSample(
  page: Page,
  baseUrl: string,
  pt: string,
  want: { lastLayer: string; rows: number; parameters: string },
): Promise<Locator> {
  await page.goto(baseUrl);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open…' }).first().click(),
  ]);
  await chooser.setFiles(pt);
  await page.getByLabel(want.lastLayer, { exact: true }).waitFor();
  assert.equal(await page.locator('.react-flow__node-layer').count(), want.rows);
  assert.equal(await page.getByLabel('parameters', { exact: true }).textContent(), want.parameters);
  const run = page.getByRole('region', { name: 'Run' });
  const chosen = (await run.getByLabel('Weights', { exact: true }).locator('option:checked').textContent()) ?? '';
  assert.ok(chosen.includes(path.basename(pt)), `weights chosen: ${chosen}`);
  const [img] = await Promise.all([
    page.waitForEvent('filechooser'),
    run.getByRole('button', { name: 'Choose image' }).click(),
  ]);
  await img.setFiles(path.join(ROOT, 'configs/demo/sample.png'));
  return run;
}

/**
 * The run result's box labels: each inside the image and its text inside its label, no label over another or
 * across another box's outline (the demo's sample has room for every one), text black or white.
 */
export async function assertLabelsClear(view: Locator) {
  const report = await view.locator('.run-view-image svg').evaluate((svg: SVGSVGElement) => {
    const [, , w, h] = svg.getAttribute('viewBox')!.split(' ').map(Number);
    const boxes = [...svg.querySelectorAll('g[aria-label^="box "] > rect')].map((r) => ({
      x: Number(r.getAttribute('x')),
      y: Number(r.getAttribute('y')),
      width: Number(r.getAttribute('width')),
      height: Number(r.getAttribute('height')),
      s: Number(r.getAttribute('stroke-width')) / 2,
    }));
    const labels = [...svg.querySelectorAll('.box-label-bg')].map((r) => ({
      x: Number(r.getAttribute('x')),
      y: Number(r.getAttribute('y')),
      width: Number(r.getAttribute('width')),
      height: Number(r.getAttribute('height')),
    }));
    const texts = [...svg.querySelectorAll<SVGTextElement>('.box-label')];
    const bad: string[] = [];
    labels.forEach((l, k) => {
      const name = texts[k].textContent;
      if (l.x < 0 || l.y < 0 || l.x + l.width > w + 1e-6 || l.y + l.height > h + 1e-6) bad.push(`${name} outside`);
      const t = texts[k].getBBox();
      if (t.x < l.x - 0.5 || t.x + t.width > l.x + l.width + 0.5) bad.push(`${name}: text wider than its label`);
      if (!['#000000', '#ffffff'].includes(texts[k].getAttribute('fill')!)) bad.push(`${name}: text colour`);
      labels.forEach((o, j) => {
        if (j !== k && l.x < o.x + o.width && o.x < l.x + l.width && l.y < o.y + o.height && o.y < l.y + l.height)
          bad.push(`${name} over ${texts[j].textContent}`);
      });
      boxes.forEach((b, j) => {
        if (j === k) return;
        const over =
          l.x < b.x + b.width + b.s &&
          b.x - b.s < l.x + l.width &&
          l.y < b.y + b.height + b.s &&
          b.y - b.s < l.y + l.height;
        const inside =
          l.x >= b.x + b.s &&
          l.y >= b.y + b.s &&
          l.x + l.width <= b.x + b.width - b.s &&
          l.y + l.height <= b.y + b.height - b.s;
        if (over && !inside) bad.push(`${name} across box ${j} (${texts[j].textContent})`);
      });
    });
    return { bad, n: labels.length };
  });
  assert.ok(report.n > 0, 'labels drawn');
  assert.deepEqual(report.bad, [], report.bad.join('; '));
}

/** The run result view's detections are the ones PyTorch finds on the demo's sample (configs/demo/sample.json). */
export async function assertPytorchDetections(view: Locator) {
  const want: Det[] = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'configs/demo/sample.json'), 'utf8'),
  ).pytorch_detections;
  const got = await shownDetections(view);
  assert.equal(got.length, want.length, `${got.length} detections, PyTorch has ${want.length}`);
  for (const w of want) {
    const best = got.filter((g) => g.class === w.class).sort((a, b) => iou(b.xyxy, w.xyxy) - iou(a.xyxy, w.xyxy))[0];
    assert.ok(best, `a ${w.class} like PyTorch's`);
    assert.ok(iou(best.xyxy, w.xyxy) >= 0.9, `${w.class} box IoU ${iou(best.xyxy, w.xyxy).toFixed(3)}`);
    assert.ok(
      Math.abs(best.confidence - w.confidence) <= 0.01 + 5e-4,
      `${w.class} confidence ${best.confidence} vs ${w.confidence}`,
    );
  }
}

/** The YOLO11n demo with its Detect head made another task's head (the demo's weights transferred into it). */
function demoWithHead(task: 'seg' | 'pose' | 'obb'): string {
  const head = { seg: 'Segment, [nc, 32, 64]', pose: 'Pose, [nc, kpt_shape]', obb: 'OBB, [nc, 1]' }[task];
  let text = fs
    .readFileSync(path.join(ROOT, 'configs/demo/demo-yolo11n-shapes.yaml'), 'utf8')
    .replace('Detect, [nc]]', `${head}]`);
  if (task === 'pose') text = text.replace(/^nc:/m, 'kpt_shape: [17, 3]\nnc:');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ya-e2e-heads-'));
  const file = path.join(dir, `demo-yolo11n-shapes-${task}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

/** Open a config, load the YOLO11n demo's weights into it by transfer, run the sample: the result view. */
async function runDemoWeightsOn(page: Page, baseUrl: string, config: string): Promise<Locator> {
  await page.goto(baseUrl);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open…' }).first().click(),
  ]);
  await chooser.setFiles(config);
  await page.getByLabel('layer 23', { exact: false }).first().waitFor();
  const run = page.getByRole('region', { name: 'Run' });
  await run.getByLabel('weights file').setInputFiles(path.join(ROOT, 'configs/demo/weights-11.safetensors'));
  await run.getByLabel('Loading mode').selectOption('transfer');
  const [img] = await Promise.all([
    page.waitForEvent('filechooser'),
    run.getByRole('button', { name: 'Choose image' }).click(),
  ]);
  await img.setFiles(path.join(ROOT, 'configs/demo/sample.png'));
  await run.getByRole('button', { name: 'Run network' }).click();
  const view = page.getByRole('dialog', { name: 'Run result' });
  await view.getByRole('table', { name: 'Detections' }).waitFor({ timeout: 180_000 });
  return view;
}

/**
 * Open the demo with the backend on auto in this Chromium, whose GPUs are SwiftShader: it warms up on wasm and
 * says why not WebGL before any run (step 'auto warmed up on wasm'), then runs the sample on wasm: the run
 * panel and the result view.
 */
export async function runDemoOnAutoSoftware(
  page: Page,
  baseUrl: string,
  step: (name: string) => Promise<void>,
): Promise<{ run: Locator; view: Locator }> {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'demo: shapes' }).click();
  const run = page.getByRole('region', { name: 'Run' });
  assert.equal(await run.getByLabel('Backend', { exact: true }).inputValue(), 'auto');
  await run
    .getByRole('status', { name: 'Warm-up' })
    .filter({ hasText: /Ready: built and run once on wasm/ })
    .waitFor({ timeout: 120_000 });
  assert.match(
    (await run.getByLabel('Warm-up fallbacks').textContent()) ?? '',
    /not webgl: software-rendered \(SwiftShader\)/,
  );
  await step('auto warmed up on wasm, the software GPU named');
  await run.getByRole('button', { name: 'Run network' }).click();
  const view = page.getByRole('dialog', { name: 'Run result' });
  await view.getByRole('table', { name: 'Detections' }).waitFor({ timeout: 120_000 });
  assert.equal(await view.getByLabel('backend', { exact: true }).textContent(), 'wasm');
  return { run, view };
}

export const runPanelTests: E2ETest[] = [
  {
    name: 'open the demo template, run the sample image on webgl, see the boxes PyTorch finds',
    async run({ page, baseUrl, step }) {
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'demo: shapes' }).click();
      const run = page.getByRole('region', { name: 'Run' });
      await run.getByRole('button', { name: 'Choose image' }).filter({ hasText: 'sample.png' }).waitFor();
      assert.equal(await run.getByLabel('Weights', { exact: true }).inputValue(), 'demo');
      // WebGL chosen: the automatic choice takes wasm on this software-rendered GPU (see the next test)
      await run.getByLabel('Backend', { exact: true }).selectOption('webgl');
      await step('demo opened');
      await run.getByRole('button', { name: 'Run network' }).click();
      // the result opens in its own large view
      const view = page.getByRole('dialog', { name: 'Run result' });
      await view.getByRole('table', { name: 'Detections' }).waitFor({ timeout: 120_000 });
      await step('detections');
      assert.equal(await view.getByLabel('backend', { exact: true }).textContent(), 'webgl');
      // the chosen backend started: nothing to explain
      assert.equal(await view.getByLabel('Backend fallbacks').count(), 0);
      await assertPytorchDetections(view);
      assert.ok(
        (await view.getByRole('list', { name: 'Output shapes' }).textContent())?.includes('pred: [1, 6300, 8]'),
      );
      assert.ok((await view.getByRole('list', { name: 'Layer times' }).locator('li').count()) >= 24);
      assert.match((await view.getByRole('list', { name: 'Layer times' }).textContent()) ?? '', /\d ms/);

      // nothing picked yet: the first layer's maps are there without hunting
      const first = view.getByRole('region', { name: 'Feature maps layer 0' });
      await first.waitFor();
      assert.match((await first.locator('h3').textContent()) ?? '', /layer 0 Conv: 16 x 160 x 160/);
      assert.equal(await first.locator('canvas').count(), 16);
      // see inside the run: a layer's feature maps and value statistics (pick it in the list of times)
      await view.getByRole('button', { name: 'layer 2 time' }).click();
      const maps = view.getByRole('region', { name: 'Feature maps layer 2' });
      await maps.waitFor();
      assert.match((await maps.locator('h3').textContent()) ?? '', /layer 2 C3: 32 x 80 x 80/);
      assert.equal(await maps.locator('canvas').count(), 32);
      assert.match(
        (await maps.getByLabel('Value statistics').textContent()) ?? '',
        /^min -?\d+\.\d{3} · max \d+\.\d{3} · mean/,
      );
      await maps.scrollIntoViewIfNeeded();
      await step('feature maps of layer 2');

      // the use case: pin C3's maps, replace it with C3_Res2Block, run the same image, see both side by side
      await maps.getByRole('button', { name: 'Pin to compare' }).click();
      await view.getByRole('button', { name: 'Close run result' }).click();
      await view.waitFor({ state: 'hidden' });
      const inspector = page.getByRole('region', { name: 'Inspector' });
      await inspector.getByLabel('module', { exact: true }).fill('C3_Res2Block');
      await inspector.getByLabel('module', { exact: true }).press('Enter');
      await page.getByLabel('layer 2 C3_Res2Block', { exact: true }).waitFor();
      // its new tensors cannot load strictly from the demo weights: transfer, as YOLOv5 would fine-tune
      await run.getByLabel('Loading mode').selectOption('transfer');
      await run.getByRole('button', { name: 'Run network' }).click();
      await view
        .getByLabel('Run summary')
        .filter({ hasText: /initialised/ })
        .waitFor({ timeout: 120_000 });
      // layer 2 is still the selected one: its new maps beside the pinned ones
      const now = view.getByRole('region', { name: 'Feature maps layer 2', exact: true });
      const pinned = view.getByRole('region', { name: 'Pinned feature maps layer 2' });
      await now.waitFor();
      assert.match((await now.locator('h3').textContent()) ?? '', /layer 2 C3_Res2Block: 32 x 80 x 80/);
      assert.match(
        (await pinned.locator('h3').textContent()) ?? '',
        /Pinned \(demo-shapes\.yaml, .*\): layer 2 C3: 32 x 80 x 80/,
      );
      assert.equal(await pinned.locator('canvas').count(), 32);
      assert.notEqual(
        await now.getByLabel('Value statistics').textContent(),
        await pinned.getByLabel('Value statistics').textContent(),
      );
      await now.scrollIntoViewIfNeeded();
      await step('C3 and C3_Res2Block maps side by side');
    },
  },
  {
    name: 'auto on a software-rendered GPU (SwiftShader): the demo warms up and runs on wasm, and says why not WebGL',
    async run({ page, baseUrl, step }) {
      const { view } = await runDemoOnAutoSoftware(page, baseUrl, step);
      assert.match(
        (await view.getByLabel('Backend fallbacks').textContent()) ?? '',
        /not webgl: software-rendered \(SwiftShader\): wasm on the CPU is faster and leaves the canvas free to draw/,
      );
      await assertPytorchDetections(view);
      await assertLabelsClear(view);
      await step('auto result on wasm, the software GPU named');
    },
  },
  {
    name: 'open a YOLOv5 .pt checkpoint, see its 25 rows, run it with its own weights',
    async run({ page, baseUrl, step }) {
      const pt = referencePath('parity', 'yolov5n-160', 'model.pt');
      if (!hasReference) {
        if (process.env.CI) throw new Error(`${pt} is missing (the reference data must be beside the project in CI)`);
        console.log(`    (skipped: ${pt} not found)`);
        return;
      }
      const run = await openCheckpointWithSample(page, baseUrl, pt, {
        lastLayer: 'layer 24 Detect',
        rows: 25,
        parameters: '1,872,157',
      });
      await step('checkpoint opened');
      await run.getByLabel('Backend', { exact: true }).selectOption('webgl');
      await run.getByRole('button', { name: 'Run network' }).click();
      const view = page.getByRole('dialog', { name: 'Run result' });
      await view.getByLabel('backend', { exact: true }).waitFor({ timeout: 120_000 });
      assert.equal(await view.getByLabel('backend', { exact: true }).textContent(), 'webgl');
      assert.match((await view.getByLabel('Run summary').textContent()) ?? '', /349 tensors loaded/);
      await step('checkpoint run');
      await view.getByRole('button', { name: 'Close run result' }).click();

      // insert SE after SPPF (layer 10): a transfer load moves the checkpoint's layers 10.. to 11.. with the edit
      await page.getByLabel('layer 9 SPPF', { exact: true }).click();
      await page.getByRole('region', { name: 'Palette' }).getByLabel('SE', { exact: true }).dblclick();
      await page.getByLabel('layer 10 SE', { exact: true }).waitFor();
      await page.getByLabel('layer 25 Detect', { exact: true }).waitFor();
      await run.getByLabel('Loading mode').selectOption('transfer');
      await run.getByRole('button', { name: 'Run network' }).click();
      await view
        .getByLabel('Run summary')
        .filter({ hasText: /initialised/ })
        .waitFor({ timeout: 120_000 });
      const summary = (await view.getByLabel('Run summary').textContent()) ?? '';
      // only SE's four tensors are new; the anchors come from the config, as YOLOv5's train.py takes them
      assert.match(
        summary,
        /348 tensors loaded; 5 initialised \(model\.10\.fc1\.weight, model\.10\.fc1\.bias, model\.10\.fc2\.weight, model\.10\.fc2\.bias, model\.25\.anchors\); 0 skipped for their shape; 1 unused \(model\.24\.anchors\)/,
      );
      await step('transfer load after inserting SE');
    },
  },
  {
    name: 'open the YOLO11n demo, run the sample image on webgl, see exactly the detections Ultralytics makes',
    async run({ page, baseUrl, step }) {
      const want: Det[] = JSON.parse(
        fs.readFileSync(path.join(ROOT, 'configs/demo/sample-11.json'), 'utf8'),
      ).pytorch_detections;
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'demo: YOLO11n shapes' }).click();
      const run = page.getByRole('region', { name: 'Run' });
      await run.getByRole('button', { name: 'Choose image' }).filter({ hasText: 'sample.png' }).waitFor();
      assert.equal(await run.getByLabel('Weights', { exact: true }).inputValue(), 'demo');
      await run.getByLabel('Backend', { exact: true }).selectOption('webgl');
      await step('YOLO11n demo opened');
      await run.getByRole('button', { name: 'Run network' }).click();
      const view = page.getByRole('dialog', { name: 'Run result' });
      await view.getByRole('table', { name: 'Detections' }).waitFor({ timeout: 180_000 });
      await step('YOLO11n detections');
      assert.equal(await view.getByLabel('backend', { exact: true }).textContent(), 'webgl');
      const got = await shownDetections(view);
      // every detection PyTorch makes, and no other
      assert.equal(got.length, want.length, `${got.length} detections, PyTorch has ${want.length}`);
      const left = [...got];
      for (const w of want) {
        const k = left.findIndex(
          (g) =>
            g.class === w.class && iou(g.xyxy, w.xyxy) >= 0.9 && Math.abs(g.confidence - w.confidence) <= 0.01 + 5e-4,
        );
        assert.ok(k >= 0, `PyTorch's ${w.class} ${w.confidence} at [${w.xyxy}] not found in ${JSON.stringify(left)}`);
        left.splice(k, 1);
      }
      assert.ok(
        (await view.getByRole('list', { name: 'Output shapes' }).textContent())?.includes('pred: [1, 7, 2100]'),
      );
    },
  },
  {
    name: 'open an Ultralytics .pt checkpoint (yolo11n), see its 24 rows, run it with its own weights',
    async run({ page, baseUrl, step }) {
      if (!hasReference) {
        if (process.env.CI) throw new Error('the reference data must be beside the project in CI');
        console.log('    (skipped: no reference data)');
        return;
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ya-e2e-ulpt-'));
      const pt = path.join(dir, 'yolo11n.pt');
      fs.writeFileSync(pt, yolo11nParityCheckpoint());
      const run = await openCheckpointWithSample(page, baseUrl, pt, {
        lastLayer: 'layer 23 Detect',
        rows: 24,
        parameters: '2,624,080',
      });
      await step('Ultralytics checkpoint opened');
      await run.getByLabel('Backend', { exact: true }).selectOption('webgl');
      await run.getByRole('button', { name: 'Run network' }).click();
      const view = page.getByRole('dialog', { name: 'Run result' });
      await view.getByLabel('backend', { exact: true }).waitFor({ timeout: 180_000 });
      assert.equal(await view.getByLabel('backend', { exact: true }).textContent(), 'webgl');
      assert.match((await view.getByLabel('Run summary').textContent()) ?? '', /\d+ tensors loaded/);
      assert.ok(
        (await view.getByRole('list', { name: 'Output shapes' }).textContent())?.includes('pred: [1, 84, 8400]'),
      );
      await step('Ultralytics checkpoint run');
    },
  },
  {
    name: "a Segment head's masks, semi-transparent in their box's colour, inside their boxes",
    async run({ page, baseUrl, step }) {
      const view = await runDemoWeightsOn(page, baseUrl, demoWithHead('seg'));
      const figure = view.getByRole('figure', { name: 'Run image' });
      const masks = figure.locator('image.run-masks');
      await masks.waitFor();
      await step('segment masks drawn');
      const shown = await shownDetections(view);
      assert.ok(shown.length > 0, 'the demo finds its shapes');
      // the mask picture: coloured pixels only inside the boxes
      const px = await masks.evaluate(
        async (el, boxes) => {
          const img = new Image();
          img.src = (el as SVGImageElement).href.baseVal;
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.width;
          c.height = img.height;
          const ctx = c.getContext('2d')!;
          ctx.drawImage(img, 0, 0);
          const d = ctx.getImageData(0, 0, c.width, c.height).data;
          let inside = 0;
          let outside = 0;
          let alpha = 0;
          for (let y = 0; y < c.height; y++)
            for (let x = 0; x < c.width; x++) {
              const a = d[(y * c.width + x) * 4 + 3];
              if (!a) continue;
              alpha = Math.max(alpha, a);
              // Ultralytics crops at the prototypes' resolution (a quarter of the input) and then upsamples:
              // a mask may reach one prototype pixel (4 input pixels, here the image's) past its box
              const m = 5;
              const inBox = boxes.some((b) => x >= b[0] - m && x <= b[2] + m && y >= b[1] - m && y <= b[3] + m);
              if (inBox) inside++;
              else outside++;
            }
          return { inside, outside, alpha };
        },
        shown.map((d) => d.xyxy),
      );
      assert.ok(px.inside > 100, `${px.inside} mask pixels inside the boxes`);
      assert.equal(px.outside, 0, 'no mask pixel outside its box (and the prototype pixel around it)');
      assert.ok(px.alpha > 0 && px.alpha < 255, `masks are semi-transparent (alpha ${px.alpha})`);
    },
  },
  {
    name: "a Pose head's 17 keypoints with COCO's skeleton",
    async run({ page, baseUrl, step }) {
      const view = await runDemoWeightsOn(page, baseUrl, demoWithHead('pose'));
      const figure = view.getByRole('figure', { name: 'Run image' });
      const shown = await shownDetections(view);
      const groups = figure.locator('g.run-keypoints');
      assert.equal(await groups.count(), shown.length, 'keypoints for every detection');
      assert.ok((await figure.locator('circle.run-kpt').count()) > 0, 'visible keypoints drawn');
      assert.ok((await figure.locator('line.run-limb').count()) > 0, 'the skeleton drawn');
      // every limb joins two drawn keypoints of its own detection
      const limbs = await groups.first().evaluate((g) => {
        const pts = [...g.querySelectorAll('circle')].map((c) => `${c.getAttribute('cx')},${c.getAttribute('cy')}`);
        return [...g.querySelectorAll('line')].every(
          (l) =>
            pts.includes(`${l.getAttribute('x1')},${l.getAttribute('y1')}`) &&
            pts.includes(`${l.getAttribute('x2')},${l.getAttribute('y2')}`),
        );
      });
      assert.ok(limbs, 'limbs end at keypoints');
      await step('pose keypoints and skeleton drawn');
    },
  },
  {
    name: "an OBB head's rotated boxes as their outlines",
    async run({ page, baseUrl, step }) {
      const view = await runDemoWeightsOn(page, baseUrl, demoWithHead('obb'));
      const figure = view.getByRole('figure', { name: 'Run image' });
      const shown = await shownDetections(view);
      const polys = figure.locator('polygon.run-obb');
      assert.equal(await polys.count(), shown.length, 'an outline for every detection');
      const corners = (await polys.first().getAttribute('points'))!.split(' ').map((p) => p.split(',').map(Number));
      assert.equal(corners.length, 4);
      // a rotated box: its sides are not all along the axes
      const axisAligned = corners.every((c, k) => {
        const n = corners[(k + 1) % 4];
        return Math.abs(c[0] - n[0]) < 0.5 || Math.abs(c[1] - n[1]) < 0.5;
      });
      assert.ok(!axisAligned, `rotated: ${JSON.stringify(corners)}`);
      await step('obb outlines drawn');
    },
  },
  {
    name: 'a classifier saved by real torch.save: its classes ranked with their probabilities as bars',
    async run({ page, baseUrl, step }) {
      // the tiny Ultralytics-layout classifier of the unit tests (PyTorch 1.13's own torch.save, our weights)
      const pt = path.join(ROOT, 'src/runtime/ultralytics/fixtures/torch-ul-best.pt');
      const run = await openCheckpointWithSample(page, baseUrl, pt, {
        lastLayer: 'layer 1 Classify',
        rows: 2,
        parameters: '15,594',
      });
      await run.getByRole('button', { name: 'Run network' }).click();
      const view = page.getByRole('dialog', { name: 'Run result' });
      const list = view.getByRole('list', { name: 'Class probabilities' });
      await list.waitFor({ timeout: 180_000 });
      const items = await list.locator('li').all();
      // two classes: both listed, best first
      assert.equal(items.length, 2);
      const names = await list.locator('.run-prob-name').allTextContents();
      assert.deepEqual([...names].sort(), ['disc', 'ring']);
      const values = [];
      for (const li of items) {
        values.push(Number(((await li.locator('.run-prob-value').textContent()) ?? '').replace('%', '')));
        const bar = await li.locator('.run-prob-bar span').evaluate((e) => e.getBoundingClientRect().width);
        const full = await li.locator('.run-prob-bar').evaluate((e) => e.getBoundingClientRect().width);
        assert.ok(Math.abs(bar / full - values[values.length - 1] / 100) < 0.02, 'bar as long as its value');
      }
      assert.deepEqual(
        [...values].sort((a, b) => b - a),
        values,
        'best first',
      );
      assert.ok(Math.abs(values[0] + values[1] - 100) < 0.2, `probabilities sum to 1: ${values}`);
      assert.equal(await view.getByRole('table', { name: 'Detections' }).count(), 0, 'no detections table');
      await step('classifier classes ranked');
    },
  },
];
