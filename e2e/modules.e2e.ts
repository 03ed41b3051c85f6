/**
 * Custom modules end to end: define a small gating block in the module editor, use it in yolov5n, see its
 * parameters and shapes on the canvas, run the edited network, and export it for YOLOv5.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { ROOT, type E2ETest } from './harness.ts';

/**
 * Select a node of the module graph by clicking it, waiting on state, not time: the graph lays itself out
 * (ELK, in a worker) after every change of its structure, so click once it is laid out (aria-busy false) and
 * go on once the node panel shows the node.
 */
async function pickNode(ed: Locator, title: RegExp, id: string) {
  await ed.locator('.react-flow[aria-busy="false"]').waitFor();
  await ed.getByLabel(title).click();
  await ed
    .getByRole('region', { name: 'Node', exact: true })
    .getByRole('heading', { name: `Node ${id}` })
    .waitFor();
}

/** Wait until a field shows a value (a controlled input's value is a property, not an attribute). */
async function fieldShows(field: Locator, value: string) {
  for (let k = 0; k < 300; k++) {
    if ((await field.inputValue()) === value) return;
    await field.page().waitForTimeout(100);
  }
  throw new Error(`the field never showed ${value} (it shows ${await field.inputValue()})`);
}

export const moduleTests: E2ETest[] = [
  {
    name: 'define a gating block in the module editor, use it in yolov5n, run it, export for YOLOv5',
    async run({ page, baseUrl, step }) {
      await page.goto(`${baseUrl}?template=yolov5n`);
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      const params = page.getByLabel('parameters', { exact: true });
      assert.equal(await params.textContent(), '1,872,157');
      // the default library is in the palette
      const palette = page.getByRole('region', { name: 'Palette' });
      await palette.getByRole('group', { name: 'Library' }).getByLabel('SE', { exact: true }).waitFor();

      // New module: a 1x1 Conv from c1 to c2 to start from
      await palette.getByRole('button', { name: 'New module…' }).click();
      const ed = page.getByRole('region', { name: 'Module editor' });
      await ed.waitFor();
      await ed.getByLabel('module name').fill('GateBlock');
      await ed.getByLabel('module name').press('Enter');
      await ed.getByLabel('module description').fill('x times a sigmoid gate computed by a 1x1 conv');
      await ed.getByLabel('module description').press('Enter');
      await step('module editor opened');

      // a hidden width: the gate's conv goes through c_ = c2 // 2 channels and back
      await ed.getByLabel('Add width: name').fill('c_');
      await ed.getByLabel('Add width: value').fill('max(c2 // 2, 8)');
      await ed.getByLabel('Add width', { exact: true }).click();
      // the first conv now ends at c_ (select it, edit its args)
      await pickNode(ed, /^node cv1 = Conv/, 'cv1');
      await ed.getByLabel('node args').fill('c1, c_, 1, 1');
      await ed.getByLabel('node args').press('Enter');
      // add nn.Conv2d(c_, c2, 1), a sigmoid and a mul that also reads x
      await ed.getByRole('button', { name: 'add nn.Conv2d' }).click();
      await ed.getByRole('heading', { name: 'Node conv2d1' }).waitFor();
      await ed.getByLabel('node args').fill('c_, c2, 1');
      await ed.getByLabel('node args').press('Enter');
      await ed.getByRole('button', { name: 'add nn.Sigmoid' }).click();
      await ed.getByRole('button', { name: 'add mul' }).click();
      await ed.getByRole('heading', { name: 'Node mul1' }).waitFor();
      const inputs = ed.getByLabel('node inputs');
      const before = await inputs.inputValue();
      await inputs.fill('sigmoid1, x');
      await inputs.press('Enter');
      await ed.getByLabel(/^node mul1 = mul/).waitFor();
      // one Ctrl+Z is one step of the module (mul1 keeps its node, its inputs go back), one Ctrl+Y redoes it
      await pickNode(ed, /^node mul1 = mul/, 'mul1');
      await page.keyboard.press('Control+z');
      await fieldShows(inputs, before);
      await ed.getByLabel(/^node mul1 = mul/).waitFor();
      await page.keyboard.press('Control+y');
      await fieldShows(inputs, 'sigmoid1, x');
      // the trial: c1 = c2 = 64 at 80x80
      const trial = ed.getByRole('region', { name: 'Try it' });
      // Conv(64, 32, 1) with BN: 64*32 + 2*32; Conv2d(32, 64, 1) with bias: 32*64 + 64
      const want = 64 * 32 + 2 * 32 + 32 * 64 + 64;
      await trial
        .getByLabel('trial parameters')
        .filter({ hasText: want.toLocaleString('en-US') })
        .waitFor();
      assert.equal(await trial.getByLabel('trial shape').textContent(), '64 x 80 x 80');
      // every node shows its output in the trial: the squeeze to c_ = 32 channels and back
      assert.equal(
        await ed
          .getByLabel(/^node cv1 = Conv/)
          .getByLabel('node output shape')
          .textContent(),
        '32 x 80 x 80',
      );
      assert.equal(
        await ed
          .getByLabel(/^node conv2d1 = nn\.Conv2d/)
          .getByLabel('node output shape')
          .textContent(),
        '64 x 80 x 80',
      );
      assert.equal(await ed.getByRole('list', { name: 'Problems' }).locator('li.error').count(), 0);
      // a mismatch is explained before saving: c2 = 32 cannot gate 64 channels
      await trial.getByLabel('trial row arguments').fill('32');
      await trial.getByLabel('trial row arguments').press('Enter');
      await ed.getByRole('list', { name: 'Problems' }).locator('li.error').first().waitFor();
      await step('mismatch explained');
      await trial.getByLabel('trial row arguments').fill('64');
      await trial.getByLabel('trial row arguments').press('Enter');
      await trial
        .getByLabel('trial parameters')
        .filter({ hasText: want.toLocaleString('en-US') })
        .waitFor();
      await step('block defined');

      // save to my modules: the palette offers it
      await ed.getByLabel('Save to').selectOption('user');
      await ed.getByRole('button', { name: /^Save module/ }).click();
      const mine = palette.getByRole('group', { name: 'My modules' });
      await mine.getByLabel('GateBlock', { exact: true }).waitFor();
      await ed.getByRole('button', { name: 'Close the module editor' }).click();
      await ed.waitFor({ state: 'detached' });

      // use it after layer 4 (C3, 64 channels at 80x80 for 640): select layer 4 (Ctrl+F brings it into
      // view and selects it), double-click the palette entry
      await page
        .locator('.react-flow__pane')
        .first()
        .click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+f');
      await page.getByRole('searchbox', { name: 'Find layer' }).fill('4');
      await page.getByRole('searchbox', { name: 'Find layer' }).press('Enter');
      await page.getByRole('searchbox', { name: 'Find layer' }).press('Escape');
      await page.getByRole('region', { name: 'Inspector' }).getByRole('heading', { name: 'layer 4 C3' }).waitFor();
      await mine.getByLabel('GateBlock', { exact: true }).dblclick();
      const node = page.getByLabel('layer 5 GateBlock', { exact: true });
      await node.waitFor();
      assert.equal(await node.getByLabel('layer parameters').textContent(), want.toLocaleString('en-US'));
      assert.match((await node.locator('.layer-shape').textContent()) ?? '', /64 x 80 x 80/);
      assert.equal(await params.textContent(), (1872157 + want).toLocaleString('en-US'));
      assert.match((await page.getByRole('region', { name: 'Problems' }).textContent()) ?? '', /No problems/);
      // the head's references were renumbered: Detect is layer 25 now
      await page.getByLabel('layer 25 Detect', { exact: true }).waitFor();
      await step('GateBlock in yolov5n');

      // run the edited network (PyTorch-style initialisation) at 160
      await page.getByLabel('Input size', { exact: true }).selectOption('160');
      const run = page.getByRole('region', { name: 'Run' });
      const [img] = await Promise.all([
        page.waitForEvent('filechooser'),
        run.getByRole('button', { name: 'Choose image' }).click(),
      ]);
      await img.setFiles(path.join(ROOT, 'configs/demo/sample.png'));
      await run.getByRole('button', { name: 'Run network' }).click();
      const view = page.getByRole('dialog', { name: 'Run result' });
      await view.getByLabel('backend', { exact: true }).waitFor({ timeout: 180_000 });
      assert.match((await view.getByRole('list', { name: 'Output shapes' }).textContent()) ?? '', /pred/);
      await step('edited network ran');
      await view.getByRole('button', { name: 'Close run result' }).click();

      // export for YOLOv5: the YAML, the model's modules and both patches, as one zip in a browser
      await page.getByRole('button', { name: 'Export for YOLOv5…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export for YOLOv5' });
      const [zip] = await Promise.all([
        page.waitForEvent('download'),
        dialog.getByRole('button', { name: /Download as zip/ }).click(),
      ]);
      assert.equal(zip.suggestedFilename(), 'yolov5n-yolov5.zip');
      const { unzipSync, strFromU8 } = await import('fflate');
      const entries = unzipSync(new Uint8Array(fs.readFileSync((await zip.path())!)));
      const byName = Object.fromEntries(
        Object.entries(entries).map(([k, v]) => [k.replace(/^yolov5n-yolov5\//, ''), strFromU8(v)]),
      );
      assert.deepEqual(Object.keys(byName).sort(), [
        'yolov5-master.patch',
        'yolov5-v7.0.patch',
        'yolov5n.modules.yaml',
        'yolov5n.yaml',
      ]);
      await dialog.getByText('Downloaded yolov5n-yolov5.zip').waitFor();
      assert.match(byName['yolov5n.yaml'], /\[-1, 1, GateBlock, \[256\]\]/);
      for (const p of ['yolov5-v7.0.patch', 'yolov5-master.patch']) {
        assert.match(byName[p], /^\+class GateBlock\(nn\.Module\):/m, `${p} defines GateBlock`);
        assert.match(byName[p], /^\+\+\+ b\/models\/yolo\.py/m, `${p} registers it in parse_model`);
      }
      assert.match(byName['yolov5n.modules.yaml'], /^GateBlock:/m);
      await step('exported for YOLOv5');
    },
  },
];
