/** The test run end to end: the demo template runs its sample image on WebGL and finds what PyTorch found. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from 'playwright-core';
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

/** The run result view's detections are the ones PyTorch finds on the demo's sample (configs/demo/sample.json). */
export async function assertPytorchDetections(view: Locator) {
  const want: Det[] = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'configs/demo/sample.json'), 'utf8'),
  ).pytorch_detections;
  const rows = await view.getByRole('table', { name: 'Detections' }).locator('tbody tr').all();
  const got: Det[] = [];
  for (const r of rows) {
    const cells = await r.locator('td').allTextContents();
    got.push({ class: cells[0], confidence: Number(cells[1]), xyxy: cells[2].split(',').map(Number) });
  }
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

export const runPanelTests: E2ETest[] = [
  {
    name: 'open the demo template, run the sample image on webgl, see the boxes PyTorch finds',
    async run({ page, baseUrl, step }) {
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'demo: shapes' }).click();
      const run = page.getByRole('region', { name: 'Run' });
      await run.getByRole('button', { name: 'Choose image' }).filter({ hasText: 'sample.png' }).waitFor();
      assert.equal(await run.getByLabel('Weights', { exact: true }).inputValue(), 'demo');
      await step('demo opened');
      await run.getByRole('button', { name: 'Run network' }).click();
      // the result opens in its own large view
      const view = page.getByRole('dialog', { name: 'Run result' });
      await view.getByRole('table', { name: 'Detections' }).waitFor({ timeout: 120_000 });
      await step('detections');
      assert.equal(await view.getByLabel('backend', { exact: true }).textContent(), 'webgl');
      // WebGPU comes first where the browser has an adapter; this Chromium has none, and says so
      assert.match((await view.getByLabel('Backend fallbacks').textContent()) ?? '', /not webgpu: /);
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
    name: 'open a YOLOv5 .pt checkpoint, see its 25 rows, run it with its own weights',
    async run({ page, baseUrl, step }) {
      const pt = referencePath('parity', 'yolov5n-160', 'model.pt');
      if (!hasReference) {
        if (process.env.CI) throw new Error(`${pt} is missing (the reference data must be beside the project in CI)`);
        console.log(`    (skipped: ${pt} not found)`);
        return;
      }
      await page.goto(baseUrl);
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Open…' }).first().click(),
      ]);
      await chooser.setFiles(pt);
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      assert.equal(await page.locator('.react-flow__node-layer').count(), 25);
      assert.equal(await page.getByLabel('parameters', { exact: true }).textContent(), '1,872,157');
      const run = page.getByRole('region', { name: 'Run' });
      assert.match(
        (await run.getByLabel('Weights', { exact: true }).locator('option:checked').textContent()) ?? '',
        /model\.pt/,
      );
      const [img] = await Promise.all([
        page.waitForEvent('filechooser'),
        run.getByRole('button', { name: 'Choose image' }).click(),
      ]);
      await img.setFiles(path.join(ROOT, 'configs/demo/sample.png'));
      await step('checkpoint opened');
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
      await step('YOLO11n demo opened');
      await run.getByRole('button', { name: 'Run network' }).click();
      const view = page.getByRole('dialog', { name: 'Run result' });
      await view.getByRole('table', { name: 'Detections' }).waitFor({ timeout: 180_000 });
      await step('YOLO11n detections');
      assert.equal(await view.getByLabel('backend', { exact: true }).textContent(), 'webgl');
      const rows = await view.getByRole('table', { name: 'Detections' }).locator('tbody tr').all();
      const got: Det[] = [];
      for (const r of rows) {
        const cells = await r.locator('td').allTextContents();
        got.push({ class: cells[0], confidence: Number(cells[1]), xyxy: cells[2].split(',').map(Number) });
      }
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
      await page.goto(baseUrl);
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Open…' }).first().click(),
      ]);
      await chooser.setFiles(pt);
      await page.getByLabel('layer 23 Detect', { exact: true }).waitFor();
      assert.equal(await page.locator('.react-flow__node-layer').count(), 24);
      assert.equal(await page.getByLabel('parameters', { exact: true }).textContent(), '2,624,080');
      const run = page.getByRole('region', { name: 'Run' });
      assert.match(
        (await run.getByLabel('Weights', { exact: true }).locator('option:checked').textContent()) ?? '',
        /yolo11n\.pt/,
      );
      const [img] = await Promise.all([
        page.waitForEvent('filechooser'),
        run.getByRole('button', { name: 'Choose image' }).click(),
      ]);
      await img.setFiles(path.join(ROOT, 'configs/demo/sample.png'));
      await step('Ultralytics checkpoint opened');
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
];
