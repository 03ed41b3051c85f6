/**
 * The user guide's pictures (docs/guide.md), taken by driving the app as the guide describes, so they stay
 * true: each step asserts what the picture shows before taking it. In `npm run e2e` the pictures go to
 * test-results/; `npm run guide` writes them into docs/guide/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, type E2ETest } from './harness.ts';

/** Where the pictures go: docs/guide when GUIDE_OUT says so (npm run guide), else test-results/guide. */
const OUT = process.env.GUIDE_OUT ? path.resolve(ROOT, process.env.GUIDE_OUT) : path.join(ROOT, 'test-results/guide');

async function shot(page: Page, name: string) {
  fs.mkdirSync(OUT, { recursive: true });
  await page.waitForTimeout(250);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
}

export const guideTests: E2ETest[] = [
  {
    name: 'guide: the pictures of docs/guide.md',
    async run({ page, baseUrl }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'yolov5s', exact: true }).waitFor();
      await shot(page, '01-start');

      // open a template: the graph, its numbers, every panel
      await page.getByRole('button', { name: 'yolov5s', exact: true }).click();
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      assert.equal(await page.getByLabel('parameters', { exact: true }).textContent(), '7,235,389');
      await shot(page, '02-editor');

      // the seed's edit: drag C3_Res2Block from the palette onto layer 2's C3; the picture is taken mid-drag,
      // the layer lit up and the ghost saying what the drop will do
      const palette = page.getByRole('region', { name: 'Palette' });
      await palette.getByRole('searchbox', { name: 'Search modules' }).fill('res2');
      const item = palette.getByLabel('C3_Res2Block', { exact: true });
      const from = (await item.boundingBox())!;
      const to = (await page.getByLabel('layer 2 C3', { exact: true }).boundingBox())!;
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(from.x + from.width / 2 + 30, from.y + from.height / 2, { steps: 3 });
      await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
      await page.mouse.move(to.x + to.width / 2 + 1, to.y + to.height / 2 + 1, { steps: 2 });
      await page.locator('.drop-target.replace').waitFor();
      await page.locator('.drop-ghost').filter({ hasText: 'Replace layer 2 C3 with C3_Res2Block' }).waitFor();
      await shot(page, '03-replace-module');
      await page.mouse.up();
      await page.getByLabel('layer 2 C3_Res2Block', { exact: true }).waitFor();
      assert.equal(await page.getByLabel('parameters', { exact: true }).textContent(), '7,233,158');
      await palette.getByRole('searchbox', { name: 'Search modules' }).fill('');

      // look inside the new layer
      await page.getByLabel('layer 2 C3_Res2Block', { exact: true }).dblclick();
      await page.locator('.inside-view').getByRole('group', { name: 'Bottle2neck m.0' }).waitFor();
      await shot(page, '04-look-inside');
      await page.keyboard.press('Escape');
      await page.locator('.inside-view').waitFor({ state: 'detached' });

      // room for the graph: focus canvas, then the shortcut sheet
      await page.locator('.canvas-wrap .react-flow__pane').click({ position: { x: 30, y: 30 } });
      await page.keyboard.press('0');
      await page.waitForTimeout(300);
      await shot(page, '05-focus-canvas');
      await page.keyboard.press('0');
      await page.keyboard.press('Shift+?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await shot(page, '06-shortcuts');
      await page.keyboard.press('Escape');

      // compare with the last saved version
      await page.getByRole('button', { name: 'Compare…' }).click();
      await page.getByRole('menuitem', { name: 'Last saved version' }).click();
      await page.locator('.compare-view').waitFor();
      await shot(page, '07-compare');
      await page.locator('.compare-view').getByRole('button', { name: 'Close', exact: true }).click();

      // export for YOLOv5: the files and the commands to run
      await page.keyboard.press('Control+e');
      const dialog = page.getByRole('dialog', { name: 'Export for YOLOv5' });
      await Promise.all([
        page.waitForEvent('download'),
        dialog.getByRole('button', { name: /Download as zip/ }).click(),
      ]);
      await dialog.locator('.commands').waitFor();
      await shot(page, '08-export');
      await page.keyboard.press('Escape');

      // run the demo network on its sample image
      await page.goto(`${baseUrl}?template=demo-shapes`);
      const run = page.getByRole('region', { name: 'Run' });
      await run.getByRole('button', { name: 'Choose image' }).filter({ hasText: 'sample.png' }).waitFor();
      await run.getByRole('button', { name: 'Run network' }).click();
      // the result opens in its own view
      await page
        .getByRole('dialog', { name: 'Run result' })
        .getByRole('table', { name: 'Detections' })
        .waitFor({ timeout: 120_000 });
      await shot(page, '09-run');
    },
  },
];
