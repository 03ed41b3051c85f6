/**
 * The Ultralytics family end to end: the YOLO11n template, its family and scale, a module replaced and undone with
 * the figures Ultralytics gives, a YOLOv8n-seg model, and Export for Ultralytics with the seed's C3_Res2Block; look
 * inside the family's blocks and heads.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { E2ETest } from './harness.ts';

/** What look inside draws for a layer: its operations, its blocks and the labels of the edges leaving a split. */
async function lookInside(page: Page, label: string) {
  await page.getByLabel(label, { exact: true }).dblclick();
  await page
    .getByRole('navigation', { name: 'breadcrumb' })
    .filter({ hasText: label.replace(/^layer /, '') })
    .waitFor();
  await page.locator('.op-node').first().waitFor();
  // edge labels come after their nodes are measured and laid out
  await page.waitForFunction(() => document.querySelectorAll('.inside-edge-label').length > 0);
  return page.evaluate(() => ({
    ops: [...document.querySelectorAll('.op-node .op-title')].map((e) => e.textContent ?? ''),
    blocks: [...document.querySelectorAll('.inside-block')].map((e) => e.getAttribute('aria-label')),
    splits: [...document.querySelectorAll('.inside-edge-label')]
      .map((e) => e.textContent ?? '')
      .filter((t) => /\[\d+:\d+\]$/.test(t))
      .sort(),
  }));
}

export const ultralyticsTests: E2ETest[] = [
  {
    name: 'ultralytics: YOLO11n template at scale s, C2f for a C3k2 and undo, yolov8n-seg, export with C3_Res2Block',
    async run({ page, baseUrl, step }) {
      const fs = await import('node:fs');
      const { unzipSync, strFromU8 } = await import('fflate');
      await page.goto(baseUrl);
      await page.getByRole('group', { name: 'YOLO11 (Ultralytics)' }).waitFor();
      await step('start screen with the Ultralytics templates');
      await page.getByRole('button', { name: 'yolo11n', exact: true }).click();
      await page.getByLabel('layer 23 Detect', { exact: true }).waitFor();
      const params = page.getByLabel('parameters', { exact: true });
      const family = page.getByRole('group', { name: 'Model family' });
      assert.match((await family.textContent()) ?? '', /Ultralytics 8\.3\.253/);
      assert.equal(await params.textContent(), '2,624,080');
      assert.match((await page.getByRole('region', { name: 'Problems' }).textContent()) ?? '', /No problems/);
      await step('yolo11n: the family badge, scale n from the file name, 2,624,080 parameters');

      // the scale switcher: yolo11s's figures
      await family.getByRole('combobox', { name: 'Scale' }).selectOption('s');
      await page.waitForFunction(
        () => document.querySelector('[aria-label="parameters"]')?.textContent === '9,458,752',
      );
      await step('scale s: 9,458,752 parameters as yolo11s');

      // C2f dragged from the palette onto layer 2's C3k2 (the drop replaces it), then undo
      const palette = page.getByRole('region', { name: 'Palette' });
      await palette.getByRole('searchbox', { name: 'Search modules' }).fill('C2f');
      const item = palette.getByLabel('C2f', { exact: true });
      const from = (await item.boundingBox())!;
      const to = (await page.getByLabel('layer 2 C3k2', { exact: true }).boundingBox())!;
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(from.x + from.width / 2 + 30, from.y + from.height / 2, { steps: 3 });
      await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
      await page.mouse.move(to.x + to.width / 2 + 1, to.y + to.height / 2 + 1, { steps: 2 });
      await page.locator('.drop-ghost').filter({ hasText: 'Replace layer 2 C3k2 with C2f' }).waitFor();
      await step('dragging C2f onto layer 2: the drop will replace its C3k2');
      await page.mouse.up();
      await palette.getByRole('searchbox', { name: 'Search modules' }).fill('');
      const inspector = page.getByRole('region', { name: 'Inspector' });
      const module = inspector.getByLabel('module', { exact: true });
      await page.getByLabel('layer 2 C2f', { exact: true }).waitFor();
      assert.equal(await params.textContent(), '9,468,000');
      await page.locator('.cm-line', { hasText: '[-1, 2, C2f, [256, False, 1, 0.25]]' }).waitFor();
      await step('layer 2 is C2f: 9,468,000 parameters, its row in the YAML');
      await page
        .locator('.react-flow__pane')
        .first()
        .click({ position: { x: 10, y: 10 } });
      await page.keyboard.press('Control+z');
      await page.getByLabel('layer 2 C3k2', { exact: true }).waitFor();
      assert.equal(await params.textContent(), '9,458,752');
      await page.locator('.cm-line', { hasText: '[-1, 2, C3k2, [256, False, 0.25]]' }).waitFor();
      await step('undone: C3k2 again, 9,458,752');

      // yolov8n-seg: the Segment head's output and figures
      await page.goto(`${baseUrl}?template=yolov8n-seg`);
      await page.getByLabel('layer 22 Segment', { exact: true }).waitFor();
      assert.equal(await params.textContent(), '3,409,968');
      await page.getByLabel('layer 22 Segment', { exact: true }).click();
      assert.match((await inspector.textContent()) ?? '', /116 x 8400/);
      await step('yolov8n-seg: 3,409,968 parameters, Segment outputs 116 x 8400');

      // C3_Res2Block in the head (layer 15), then Export for Ultralytics: the YAML and the patch
      await page.getByLabel('layer 15 C2f', { exact: true }).click();
      await module.fill('C3_Res2Block');
      await module.press('Enter');
      await page.getByLabel('layer 15 C3_Res2Block', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Export for Ultralytics…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export for Ultralytics' });
      const rows = dialog.locator('.export-files tr');
      assert.deepEqual(await rows.locator('td:first-child').allTextContents(), [
        'yolov8n-seg.yaml',
        'ultralytics-8.3.253.patch',
      ]);
      await step('Export for Ultralytics: the model and the patch');
      const [zip] = await Promise.all([
        page.waitForEvent('download'),
        dialog.getByRole('button', { name: /Download as zip/ }).click(),
      ]);
      assert.equal(zip.suggestedFilename(), 'yolov8n-seg-ultralytics.zip');
      const entries = unzipSync(new Uint8Array(fs.readFileSync((await zip.path())!)));
      assert.deepEqual(Object.keys(entries).sort(), [
        'yolov8n-seg-ultralytics/ultralytics-8.3.253.patch',
        'yolov8n-seg-ultralytics/yolov8n-seg.yaml',
      ]);
      const patch = strFromU8(entries['yolov8n-seg-ultralytics/ultralytics-8.3.253.patch']);
      assert.match(patch, /\+\+\+ b\/ultralytics\/nn\/modules\/architect\.py/);
      assert.match(patch, /\+class C3_Res2Block\(nn\.Module\):/);
      assert.match(
        patch,
        /\+from ultralytics\.nn\.modules\.architect import Bottle2neck, C3_Res2Block {2}# YOLO Architect/,
      );
      const commands = dialog.getByLabel('commands', { exact: true });
      await commands.waitFor();
      assert.match(
        (await commands.textContent()) ?? '',
        /git apply \.\.\/yolov8n-seg-ultralytics\/ultralytics-8\.3\.253\.patch/,
      );
      // every command is shown whole: the long 'yolo train' line wraps inside the block, nothing scrolls out of
      // sight, and the copy button sits above the block, over no line
      const fit = await commands.evaluate((pre) => {
        const box = pre.getBoundingClientRect();
        const copy = pre.parentElement!.querySelector('button.copy')!.getBoundingClientRect();
        return {
          scrolls: pre.scrollWidth > pre.clientWidth + 1,
          outside: [...pre.querySelectorAll('.command, .command-note')]
            .flatMap((el) => [...el.getClientRects()])
            .filter((r) => r.right > box.right + 0.5 || r.left < box.left - 0.5).length,
          copyOver: copy.bottom > box.top + 0.5,
          train: [...pre.querySelectorAll('.command')].some((el) => /^yolo train model=/.test(el.textContent ?? '')),
        };
      });
      assert.deepEqual(fit, { scrolls: false, outside: 0, copyOver: false, train: true });
      await step('written: one zip with the patch, and the commands for an ultralytics checkout');
    },
  },
  {
    name: 'ultralytics: look inside C3k2, SPPF, C2PSA and Detect (yolo11n), C2f (yolov8n), Segment with Proto (yolo11n-seg)',
    async run({ page, baseUrl, step }) {
      const back = async () => {
        await page.keyboard.press('Escape');
        await page.locator('.react-flow__node-layer').first().waitFor();
      };
      await page.goto(`${baseUrl}?template=yolo11n`);
      await page.getByLabel('layer 23 Detect', { exact: true }).waitFor();

      // C3k2 at n: cv1 32 -> 32 split in two halves of 16, one Bottleneck (16 -> 8 -> 16) on the second, three
      // pieces concatenated (48) into cv2 -> 64
      let g = await lookInside(page, 'layer 2 C3k2');
      assert.equal(g.ops.length, 9);
      assert.deepEqual(g.blocks, ['Bottleneck m.0']);
      assert.deepEqual(
        g.ops.filter((t) => /^(Conv|split|concat|add)/.test(t)),
        ['Conv cv1', 'split', 'Conv cv1', 'Conv cv2', 'add', 'concat', 'Conv cv2'],
      );
      assert.ok(g.splits.includes('16 x 160 x 160 [0:16]'), g.splits.join('; '));
      assert.ok(g.splits.includes('16 x 160 x 160 [16:32]'), g.splits.join('; '));
      await step('inside layer 2 C3k2: the split halves [0:16] and [16:32], one Bottleneck');
      await back();

      // SPPF: cv1, three chained 5x5 max pools, the four concatenated into cv2
      g = await lookInside(page, 'layer 9 SPPF');
      assert.equal(g.ops.length, 8);
      assert.equal(g.ops.filter((t) => t.startsWith('MaxPool2d')).length, 3);
      assert.deepEqual(g.splits, []);
      await step('inside layer 9 SPPF: three chained max pools');
      await back();

      // C2PSA: halves of 128 channels, a PSABlock whose attention splits q, k, v per head (32 + 32 + 64)
      g = await lookInside(page, 'layer 10 C2PSA');
      assert.equal(g.ops.length, 22);
      assert.deepEqual(g.blocks, ['PSABlock m.0', 'Attention m.0.attn']);
      for (const want of [
        '128 x 20 x 20 [0:128]',
        '128 x 20 x 20 [128:256]',
        '2 x 32 x 400 [0:32]',
        '2 x 32 x 400 [32:64]',
        '2 x 64 x 400 [64:128]',
      ])
        assert.ok(g.splits.includes(want), `${want} in ${g.splits.join('; ')}`);
      assert.ok(g.ops.includes('softmax') && g.ops.filter((t) => t === 'matmul').length === 2, g.ops.join(', '));
      await step('inside layer 10 C2PSA: halves of 128, q, k, v split 32 + 32 + 64 per head, attention');
      await back();

      // Detect: box (64 = 4 x 16 bins) and class (80) channels split, DFL's 16 -> 1 convolution, boxes decoded
      g = await lookInside(page, 'layer 23 Detect');
      assert.equal(g.ops.length, 44);
      assert.deepEqual(g.splits, ['64 x 8400 [0:64]', '80 x 8400 [64:144]']);
      assert.ok(g.ops.includes('Conv dfl') && g.ops.includes('boxes'), g.ops.join(', '));
      await step('inside layer 23 Detect: 64 box + 80 class channels, DFL, boxes');
      await back();

      // YOLOv8n's C2f: as C3k2 without the Bottleneck's narrowing (16 -> 16 -> 16)
      await page.goto(`${baseUrl}?template=yolov8n`);
      await page.getByLabel('layer 22 Detect', { exact: true }).waitFor();
      g = await lookInside(page, 'layer 2 C2f');
      assert.equal(g.ops.length, 9);
      assert.deepEqual(g.blocks, ['Bottleneck m.0']);
      assert.ok(g.splits.includes('16 x 160 x 160 [0:16]') && g.splits.includes('16 x 160 x 160 [16:32]'));
      await step('inside layer 2 C2f (yolov8n): halves [0:16] and [16:32], one Bottleneck');
      await back();

      // YOLO11n-seg's Segment: Detect's branches, the mask coefficients (cv4) and the Proto block
      await page.goto(`${baseUrl}?template=yolo11n-seg`);
      await page.getByLabel('layer 23 Segment', { exact: true }).waitFor();
      g = await lookInside(page, 'layer 23 Segment');
      assert.equal(g.ops.length, 62);
      assert.deepEqual(g.blocks, ['Proto proto']);
      assert.ok(g.ops.includes('ConvTranspose2d upsample') && g.ops.includes('Conv cv3'), g.ops.join(', '));
      assert.equal(g.ops.filter((t) => /^Conv cv4\./.test(t)).length, 9);
      // Proto's transposed convolution: its whole name on two lines, nothing cut off
      const upTitle = page.locator('.op-node .op-title', { hasText: 'ConvTranspose2d upsample' });
      const fit = await upTitle.evaluate((e) => ({
        lines: Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)),
        clipped: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1,
        nodeClipped: e.parentElement!.scrollHeight > e.parentElement!.clientHeight + 1,
        tip: e.getAttribute('title'),
      }));
      assert.deepEqual(fit, { lines: 2, clipped: false, nodeClipped: false, tip: 'ConvTranspose2d upsample' });
      await step('inside layer 23 Segment (yolo11n-seg): the Proto block, 9 mask-coefficient convolutions');
      await back();

      // the arguments' types and one-line help in the inspector, as YOLOv5's modules have them
      await page.getByLabel('layer 2 C3k2', { exact: true }).click();
      const argRow = (help: string | RegExp) => page.locator('section.inspector .arg-row').filter({ hasText: help });
      await argRow('C3k blocks inside instead of Bottlenecks').waitFor();
      assert.equal(await argRow('C3k blocks inside instead of Bottlenecks').locator('.arg-type').textContent(), 'bool');
      assert.equal(await argRow('hidden channel expansion').locator('.arg-type').textContent(), 'float');
      assert.equal(
        await argRow('output channels (before the width multiple)').locator('.arg-type').textContent(),
        'int',
      );
      assert.doesNotMatch((await page.locator('section.inspector fieldset.args').textContent()) ?? '', /\bany\b/);
      await step("C3k2's arguments in the inspector: c2 int, c3k bool, e float, each with its meaning");

      // the blocks' descriptions in Chinese: the palette and the inspector
      await page.getByLabel('Language').selectOption('zh');
      await page.locator('.palette .module-desc', { hasText: 'YOLO11 的 C2f' }).first().waitFor();
      await page.getByLabel('层 2 C3k2', { exact: true }).click();
      await page
        .locator('section.inspector p.description', { hasText: 'YOLO11 的 C2f：内部模块为 Bottleneck' })
        .waitFor();
      await page.locator('.palette .module-desc', { hasText: 'YOLO11 的注意力块' }).first().waitFor();
      await argRow('内部用 C3k 代替 Bottleneck').waitFor();
      await step("Chinese: C3k2's and C2PSA's descriptions in the palette, C3k2's and its arguments' in the inspector");
    },
  },
];
