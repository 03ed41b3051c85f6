/** The compare view end to end: two designs side by side, the differences per layer and in total, live edits. */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { E2ETest } from './harness.ts';

const MINUS = '\u2212';
const cellTexts = async (row: Locator) => (await row.getByRole('cell').allTextContents()).map((s) => s.trim());
const table = (page: Page) => page.getByRole('table', { name: 'Differences' });
/** The table's layer rows (without the header and the totals). */
const layerRows = (page: Page) => table(page).locator('tbody tr');

async function compareWith(page: Page, item: string) {
  await page.getByRole('button', { name: 'Compare…' }).click();
  await page.getByRole('menu', { name: 'Compare with' }).getByRole('menuitem', { name: item, exact: true }).click();
  await page.getByRole('region', { name: 'Comparison' }).waitFor();
}

export const compareTests: E2ETest[] = [
  {
    name: 'compare yolov5s-res2net with the yolov5s template: parameters per layer and in total',
    async run({ page, baseUrl, step }) {
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'yolov5s-res2net', exact: true }).click();
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      await step('yolov5s-res2net opened');

      // A = the template yolov5s (left), B = the document (right)
      await compareWith(page, 'yolov5s');
      const view = page.getByRole('region', { name: 'Comparison' });
      const a = view.getByRole('region', { name: 'A: yolov5s.yaml' });
      const b = view.getByRole('region', { name: 'B: yolov5s-res2net.yaml (current)' });
      assert.equal(await a.getByLabel('parameters A', { exact: true }).textContent(), '7,235,389');
      assert.equal(await b.getByLabel('parameters B', { exact: true }).textContent(), '6,721,334');
      assert.match(
        (await view.getByLabel('Total parameters', { exact: true }).textContent()) ?? '',
        /^7,235,389 vs 6,721,334 parameters \(−514,055, −7\.1%\)$/,
      );
      assert.equal(
        await view.getByLabel('rows', { exact: true }).textContent(),
        '17 same · 8 changed · 0 added · 0 removed',
      );
      assert.equal(await table(page).getByLabel('Total parameters A').textContent(), '7,235,389');
      assert.equal(await table(page).getByLabel('Total parameters B').textContent(), '6,721,334');
      assert.equal(await table(page).getByLabel('Total Δ parameters').textContent(), `${MINUS}514,055`);

      // per layer: the first C3 row, and a row that stayed the same
      assert.equal(await layerRows(page).count(), 25);
      assert.deepEqual(await cellTexts(layerRows(page).nth(2)), [
        '2 C3',
        '2 C3_Res2Block',
        'changed',
        '18,816',
        '16,585',
        `${MINUS}2,231`,
        `${MINUS}0.120`,
        '64 x 160 x 160',
        'module: C3 → C3_Res2Block',
      ]);
      assert.deepEqual((await cellTexts(layerRows(page).nth(9))).slice(0, 6), [
        '9 SPPF',
        '9 SPPF',
        'same',
        '656,896',
        '656,896',
        '0',
      ]);

      // on the canvases: the eight C3 rows are marked changed on both sides, with what changed
      await b
        .getByLabel(/^layer 2 C3_Res2Block: changed \(module: C3 → C3_Res2Block; parameters: 18,816 → 16,585\)$/)
        .waitFor();
      await a.getByLabel(/^layer 2 C3: changed/).waitFor();
      await a.getByLabel('layer 0 Conv: same', { exact: true }).waitFor();
      for (const side of [a, b]) {
        assert.equal(await side.locator('.diff-node.diff-changed').count(), 8, 'eight changed nodes');
        assert.equal(await side.locator('.diff-node.diff-same').count(), 17, 'seventeen same nodes');
      }
      assert.match(
        (await b
          .getByLabel(/^layer 2 C3_Res2Block: changed/)
          .locator('.diff-foot')
          .textContent()) ?? '',
        /changedC3 → C3_Res2Block · −2,231/,
      );
      await page.waitForTimeout(300);
      await step('compared');

      // a table row selects the layer in the editor, and both sides highlight it
      await layerRows(page).nth(4).click();
      await page
        .getByRole('region', { name: 'Inspector' })
        .getByRole('heading', { name: 'layer 4 C3_Res2Block' })
        .waitFor();
      await a
        .getByLabel(/^layer 4 C3: changed/)
        .locator('.layer-node.selected')
        .waitFor();
      await b
        .getByLabel(/^layer 4 C3_Res2Block: changed/)
        .locator('.layer-node.selected')
        .waitFor();
      assert.equal(await layerRows(page).nth(4).getAttribute('aria-current'), 'true');
      await page.waitForTimeout(300);
      await step('row 4 picked');

      // a node picked on A selects its partner in B
      await a.getByLabel(/^layer 6 C3: changed/).click();
      await page
        .getByRole('region', { name: 'Inspector' })
        .getByRole('heading', { name: 'layer 6 C3_Res2Block' })
        .waitFor();
      await b
        .getByLabel(/^layer 6 C3_Res2Block: changed/)
        .locator('.layer-node.selected')
        .waitFor();
      assert.equal(await layerRows(page).nth(6).getAttribute('aria-current'), 'true');

      // changed only
      await view.getByLabel('Changed only').check();
      assert.equal(await layerRows(page).count(), 8);
      assert.deepEqual(
        (await layerRows(page).allTextContents()).map((r) => r.match(/^\d+/)?.[0]),
        ['2', '4', '6', '8', '13', '17', '20', '23'],
      );
      await step('changed only');

      // close: the canvas is back, the selection kept
      await view.getByRole('button', { name: 'Close' }).click();
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      assert.equal(await page.getByRole('region', { name: 'Comparison' }).count(), 0);
      await page
        .getByRole('region', { name: 'Inspector' })
        .getByRole('heading', { name: 'layer 6 C3_Res2Block' })
        .waitFor();
      await step('closed');
    },
  },
  {
    name: 'compare with the last saved version: exactly the edits, live, until saved',
    async run({ page, baseUrl, step }) {
      await page.goto(`${baseUrl}?template=yolov5s`);
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      await page.waitForTimeout(300);

      // a node placed by hand (the canvas keeps it through the comparison)
      const n0 = page.getByLabel('layer 0 Conv', { exact: true });
      const start = (await n0.boundingBox())!;
      await page.mouse.move(start.x + 60, start.y + 20);
      await page.mouse.down();
      await page.mouse.move(start.x + 160, start.y + 30, { steps: 8 });
      await page.mouse.move(start.x + 260, start.y + 40, { steps: 8 });
      await page.mouse.up();
      const placed = (await n0.boundingBox())!;
      assert.ok(placed.x - start.x > 100, 'node 0 dragged');

      // change layer 2 to C3_Res2Block in the inspector
      await page.getByLabel('layer 2 C3', { exact: true }).click();
      const module = page.getByRole('region', { name: 'Inspector' }).getByLabel('module', { exact: true });
      await module.fill('C3_Res2Block');
      await module.press('Enter');
      await page.getByLabel('layer 2 C3_Res2Block', { exact: true }).waitFor();
      await step('layer 2 edited');

      await compareWith(page, 'Last saved version');
      const view = page.getByRole('region', { name: 'Comparison' });
      await view.getByRole('region', { name: 'A: yolov5s.yaml (saved version)' }).waitFor();
      assert.equal(await view.getByLabel('parameters A', { exact: true }).textContent(), '7,235,389');
      assert.equal(await view.getByLabel('parameters B', { exact: true }).textContent(), '7,233,158');
      assert.equal(
        await view.getByLabel('rows', { exact: true }).textContent(),
        '24 same · 1 changed · 0 added · 0 removed',
      );
      await view.getByLabel('Changed only').check();
      assert.equal(await layerRows(page).count(), 1);
      assert.deepEqual((await cellTexts(layerRows(page).first())).slice(0, 6), [
        '2 C3',
        '2 C3_Res2Block',
        'changed',
        '18,816',
        '16,585',
        `${MINUS}2,231`,
      ]);
      assert.equal(await table(page).getByLabel('Total Δ parameters').textContent(), `${MINUS}2,231`);
      await page.waitForTimeout(300);
      await step('compared with the saved version');

      // an edit in the YAML pane while comparing: nc 80 -> 7 (the header and Detect change)
      const line = page.locator('.cm-line', { hasText: /^nc: 80/ });
      await line.click();
      await page.keyboard.press('End');
      await page.keyboard.press('Home');
      for (let k = 0; k < 'nc: '.length; k++) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Shift+End');
      await page.keyboard.type('7');
      await view.getByLabel('Model settings').filter({ hasText: 'nc: 80 → 7' }).waitFor();
      await view.getByLabel('rows', { exact: true }).filter({ hasText: '23 same · 2 changed' }).waitFor();
      assert.equal(await layerRows(page).count(), 2);
      assert.match((await cellTexts(layerRows(page).nth(1))).join('|'), /^24 Detect\|24 Detect\|changed\|229,245\|/);
      await view
        .getByRole('region', { name: /^B:/ })
        .getByLabel(/^layer 24 Detect: changed/)
        .waitFor();
      await step('nc edited while comparing');

      // saving makes the saved version the document: nothing differs any more
      await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Save', exact: true }).click(),
      ]);
      await view
        .getByLabel('rows', { exact: true })
        .filter({ hasText: '25 same · 0 changed · 0 added · 0 removed' })
        .waitFor();
      await table(page).getByText('No differences').waitFor();
      await step('saved');

      // Esc goes back to the canvas
      await view.getByRole('heading', { name: 'Comparison' }).click();
      await page.keyboard.press('Escape');
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      assert.equal(await page.getByRole('region', { name: 'Comparison' }).count(), 0);
      const back = (await page.getByLabel('layer 0 Conv', { exact: true }).boundingBox())!;
      assert.ok(
        Math.abs(back.x - placed.x) <= 1 && Math.abs(back.y - placed.y) <= 1,
        `the canvas kept node 0 where it was placed (${back.x},${back.y} vs ${placed.x},${placed.y})`,
      );
      await step('closed with Esc');
    },
  },
  {
    name: 'compare with a file opened through the host; a dataset YAML is refused',
    async run({ page, baseUrl, step }) {
      const fs = await import('node:fs');
      const yolov5n = fs.readFileSync(new URL('../configs/yolov5n.yaml', import.meta.url), 'utf8');
      await page.goto(`${baseUrl}?template=yolov5s`);
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();

      // a dataset YAML has no layers to compare
      await page.getByRole('button', { name: 'Compare…' }).click();
      const [dataset] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('menuitem', { name: 'A file…' }).click(),
      ]);
      await dataset.setFiles({
        name: 'shapes.yaml',
        mimeType: 'text/yaml',
        buffer: Buffer.from('names:\n  0: circle\n  1: square\n'),
      });
      await page.getByRole('alert').filter({ hasText: 'shapes.yaml is not a model config' }).waitFor();
      assert.equal(await page.getByRole('region', { name: 'Comparison' }).count(), 0);
      await step('dataset refused');

      // a model config: yolov5n (A) against the document yolov5s (B)
      await page.getByRole('button', { name: 'Compare…' }).click();
      const [model] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('menuitem', { name: 'A file…' }).click(),
      ]);
      await model.setFiles({ name: 'nano.yaml', mimeType: 'text/yaml', buffer: Buffer.from(yolov5n) });
      const view = page.getByRole('region', { name: 'Comparison' });
      await view.getByRole('region', { name: 'A: nano.yaml' }).waitFor();
      assert.equal(await view.getByLabel('parameters A', { exact: true }).textContent(), '1,872,157');
      assert.equal(await view.getByLabel('parameters B', { exact: true }).textContent(), '7,235,389');
      assert.equal(
        await view.getByLabel('rows', { exact: true }).textContent(),
        '0 same · 25 changed · 0 added · 0 removed',
      );
      assert.equal(await view.getByLabel('Model settings').textContent(), 'width_multiple: 0.25 → 0.5');
      assert.equal(await table(page).getByLabel('Total Δ parameters').textContent(), '+5,363,232');
      // Detect: only its input channels differ, named by position
      assert.match(
        (await cellTexts(layerRows(page).nth(24))).at(-1) ?? '',
        /^arguments: #2: \[64, 128, 256\] → \[128, 256, 512\]; input shapes$/,
      );
      await page.waitForTimeout(300);
      await step('compared with nano.yaml');
    },
  },
];
