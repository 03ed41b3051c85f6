/** The editor end to end: templates, the graph, totals, the YAML pane, diagnostics on nodes and in Problems. */
import assert from 'node:assert/strict';
import type { E2ETest } from './harness.ts';

export const editorTests: E2ETest[] = [
  {
    name: 'open yolov5s, type an error, see it on the node and in problems',
    async run({ page, baseUrl, step }) {
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'yolov5s', exact: true }).waitFor();
      await step('start screen');

      await page.getByRole('button', { name: 'yolov5s', exact: true }).click();
      const nodes = page.locator('.react-flow__node-layer');
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      assert.equal(await nodes.count(), 25, '25 layer nodes');
      for (const [i, m] of [
        [0, 'Conv'],
        [2, 'C3'],
        [9, 'SPPF'],
        [24, 'Detect'],
      ] as const) {
        await page.getByLabel(`layer ${i} ${m}`, { exact: true }).waitFor();
      }
      assert.equal(await page.getByLabel('parameters', { exact: true }).textContent(), '7,235,389');
      await page.getByRole('region', { name: 'YAML' }).waitFor();
      await page.getByRole('region', { name: 'Problems' }).waitFor();
      await page.getByRole('region', { name: 'Run' }).waitFor();
      assert.match((await page.getByRole('region', { name: 'Problems' }).textContent()) ?? '', /No problems/);
      await page.waitForTimeout(300);
      await step('yolov5s opened');

      // select layer 2 on the canvas: the inspector shows it and the YAML pane highlights its line
      await page.getByLabel('layer 2 C3', { exact: true }).click();
      await page.getByRole('region', { name: 'Inspector' }).getByRole('heading', { name: 'layer 2 C3' }).waitFor();
      assert.ok((await page.locator('.cm-selected-layer').count()) >= 1, 'selected row highlighted in the YAML pane');
      await step('layer 2 selected');

      // type an error into layer 2's row: C3 -> C3x9 (an unknown module)
      const line = page.locator('.cm-line', { hasText: '[-1, 3, C3, [128]], # 2' });
      await line.click();
      await page.keyboard.press('End');
      // move the cursor right after "C3" of this row
      const text = (await line.textContent()) ?? '';
      const after = text.indexOf('C3,') + 2;
      await page.keyboard.press('Home');
      await page.keyboard.press('Home');
      for (let k = 0; k < after; k++) await page.keyboard.press('ArrowRight');
      // one input (as a paste or an IME gives it): key by key, a loaded machine may space the keys out past
      // the YAML pane's typing-burst grouping and make two undo steps of it
      await page.keyboard.insertText('x9');
      await page.getByLabel('layer 2 C3x9', { exact: true }).waitFor();
      const node = page.getByLabel('layer 2 C3x9', { exact: true });
      await node.locator('.layer-problem.error').waitFor({ state: 'attached' });
      const problems = page.getByRole('region', { name: 'Problems' });
      await problems.getByText('C3x9').first().waitFor();
      await page.locator('.cm-lintRange-error').first().waitFor();
      await step('error typed');

      // the problem entry goes to the layer
      await problems.locator('button.problem').first().click();
      await page.waitForTimeout(300);
      await step('problem clicked');

      // undo the burst of typing: the model is whole again
      await page.keyboard.press('Control+z');
      await page.getByLabel('layer 2 C3', { exact: true }).waitFor();
      assert.equal(await page.getByLabel('parameters', { exact: true }).textContent(), '7,235,389');
      await step('undone');
    },
  },
];

editorTests.push({
  name: 'edit through the inspector and the palette, undo back to the original',
  async run({ page, baseUrl, step }) {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const original = fs.readFileSync(path.resolve(import.meta.dirname, '../configs/yolov5s.yaml'), 'utf8');
    await page.goto(`${baseUrl}?template=yolov5s`);
    await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
    const params = page.getByLabel('parameters', { exact: true });
    assert.equal(await params.textContent(), '7,235,389');
    await page.waitForTimeout(200);
    await step('opened');

    // change layer 2 to C3_Res2Block in the inspector
    await page.getByLabel('layer 2 C3', { exact: true }).click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    const module = inspector.getByLabel('module', { exact: true });
    await module.fill('C3_Res2Block');
    await module.press('Enter');
    await page.getByLabel('layer 2 C3_Res2Block', { exact: true }).waitFor();
    assert.equal(await params.textContent(), '7,233,158');
    await step('layer 2 is C3_Res2Block');

    // drag a Conv from the palette onto the edge between layers 2 and 3
    const n2 = (await page.getByLabel('layer 2 C3_Res2Block', { exact: true }).boundingBox())!;
    const n3 = (await page.getByLabel('layer 3 Conv', { exact: true }).boundingBox())!;
    const pane = page.locator('.react-flow__pane').first();
    const paneBox = (await pane.boundingBox())!;
    const target = {
      x: (n2.x + n2.width / 2 + n3.x + n3.width / 2) / 2 - paneBox.x,
      y: (n2.y + n2.height + n3.y) / 2 - paneBox.y,
    };
    await page
      .getByRole('region', { name: 'Palette' })
      .getByLabel('Conv', { exact: true })
      .dragTo(pane, { targetPosition: target });
    await page.getByLabel('layer 25 Detect', { exact: true }).waitFor();
    await page.getByLabel('layer 3 Conv', { exact: true }).waitFor();
    await page.getByLabel('layer 4 Conv', { exact: true }).waitFor();
    // selecting Detect scrolls its row into the YAML pane
    await page.getByLabel('layer 25 Detect', { exact: true }).click();
    await page.locator('.cm-line', { hasText: '[[18, 21, 24], 1, Detect, [nc, anchors]]' }).waitFor();
    await step('conv inserted between 2 and 3');

    // undo twice (keyboard on the canvas): the original text, byte for byte (saved through the browser host)
    await page
      .locator('.react-flow__pane')
      .first()
      .click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
    await page.keyboard.press('Control+z');
    await page.getByLabel('layer 2 C3', { exact: true }).waitFor();
    assert.equal(await params.textContent(), '7,235,389');
    // Save as asks for the name (a download in this browser build), then downloads under it
    await page.getByRole('button', { name: 'Save as…' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('dialog', { name: 'Save as' }).getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'yolov5s.yaml');
    const saved = fs.readFileSync((await download.path())!, 'utf8');
    assert.equal(saved, original, 'undo gives back the original YAML');
    await step('undone twice');

    // redo, then delete the inserted layer with the Delete key
    await page.keyboard.press('Control+Shift+z');
    await page.getByLabel('layer 2 C3_Res2Block', { exact: true }).waitFor();
    await page.keyboard.press('Control+y');
    await page.getByLabel('layer 25 Detect', { exact: true }).waitFor();
    await page.getByLabel('layer 3 Conv', { exact: true }).click();
    await page.keyboard.press('Delete');
    await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
    assert.equal(await params.textContent(), '7,233,158');
    await step('redo and delete');

    // a node dragged by hand keeps its place when the file is opened again
    const n0 = page.getByLabel('layer 0 Conv', { exact: true });
    const before = (await n0.boundingBox())!;
    const dx = (b: { x: number }, c: { x: number }) => Math.round(b.x - c.x);
    const start = dx(before, (await page.getByLabel('layer 1 Conv', { exact: true }).boundingBox())!);
    // grabbed by its middle (zoomed out, the node is as small as its name)
    const gx = before.x + before.width / 2;
    const gy = before.y + before.height / 2;
    await page.mouse.move(gx, gy);
    await page.mouse.down();
    await page.mouse.move(gx + 100, gy + 10, { steps: 8 });
    await page.mouse.move(gx + 200, gy + 20, { steps: 8 });
    await page.mouse.up();
    const moved = dx(
      (await n0.boundingBox())!,
      (await page.getByLabel('layer 1 Conv', { exact: true }).boundingBox())!,
    );
    assert.ok(moved - start > 100, `dragged ${moved - start}px`);
    await page.goto(`${baseUrl}?template=yolov5s`);
    await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
    await page.waitForTimeout(300);
    const again = dx(
      (await page.getByLabel('layer 0 Conv', { exact: true }).boundingBox())!,
      (await page.getByLabel('layer 1 Conv', { exact: true }).boundingBox())!,
    );
    assert.ok(Math.abs(again - moved) <= 2, `kept the manual position (${again} vs ${moved})`);
    await step('manual position kept');
  },
});

editorTests.push({
  name: 'look inside a composite module, switch the language',
  async run({ page, baseUrl, step }) {
    await page.goto(`${baseUrl}?template=yolov5s-res2net`);
    const node = page.locator('.react-flow__node-layer').nth(2);
    await node.waitFor();
    await page.waitForTimeout(200);
    await step('res2net opened');
    await node.dblclick();
    await page.getByRole('navigation', { name: 'breadcrumb' }).waitFor();
    await page.locator('.op-node').first().waitFor();
    assert.ok((await page.locator('.op-node').count()) > 10, 'inner operations drawn');
    await page.waitForTimeout(300);
    await step('inside layer 2');
    await page.keyboard.press('Escape');
    await page.locator('.react-flow__node-layer').first().waitFor();
    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('region', { name: '问题' }).waitFor();
    await page.getByLabel('层 2 C3_Res2Block', { exact: true }).waitFor();
    // the modules' own texts follow the language: descriptions in the palette and inspector, argument help
    await page.locator('.react-flow__node-layer').nth(2).click();
    const inspector = page.locator('section.inspector');
    await inspector.locator('p.description', { hasText: '内部模块为 Res2Net Bottle2neck 的 C3' }).waitFor();
    await inspector.locator('.arg-doc', { hasText: '输出通道数（乘宽度系数之前）' }).waitFor();
    await page.locator('.palette .module-desc', { hasText: '卷积 + 批归一化 + 激活（SiLU）' }).first().waitFor();
    // the inspector's own labels too: module, from, the repeats after the depth multiple (3 written, 1 built)
    assert.equal(await inspector.locator('label[for="layer-module"]').textContent(), '模块');
    assert.equal(await inspector.locator('label[for="layer-from"]').textContent(), '输入来自 (from)');
    assert.equal(
      (await inspector.locator('label[for="layer-n"] ~ .arg-doc').first().textContent())?.trim(),
      '→ 1 (深度倍数)',
    );
    await step('chinese');
  },
});

editorTests.push({
  name: 'find a layer, export the graph, open files through the browser host',
  async run({ page, baseUrl, step }) {
    await page.goto(baseUrl);
    // open a model through the file input
    const yaml = (await import('node:fs')).readFileSync(new URL('../configs/yolov5n.yaml', import.meta.url), 'utf8');
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Open…' }).first().click(),
    ]);
    await chooser.setFiles({ name: 'my-model.yaml', mimeType: 'text/yaml', buffer: Buffer.from(yaml) });
    await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('parameters', { exact: true }).textContent(), '1,872,157');
    assert.match((await page.getByLabel('file', { exact: true }).textContent()) ?? '', /my-model\.yaml/);
    await step('opened through the file input');

    // a YAML file dropped on the window opens
    const dropped = yaml.replace('nc: 80', 'nc: 7');
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([${JSON.stringify(dropped)}], 'dropped.yaml', { type: 'text/yaml' }));
      const target = document.querySelector('.app');
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    })()`);
    await page.getByLabel('file', { exact: true }).filter({ hasText: 'dropped.yaml' }).waitFor();
    await page.locator('.cm-line', { hasText: 'nc: 7' }).waitFor();
    await step('file dropped on the window');

    // a dataset YAML sets nc (one undo step)
    const [chooser2] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Open…' }).first().click(),
    ]);
    await chooser2.setFiles({
      name: 'shapes.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from(
        'path: ../datasets/shapes\ntrain: images/train\nval: images/val\nnames:\n  0: circle\n  1: square\n  2: triangle\n',
      ),
    });
    await page.getByRole('status').filter({ hasText: '3 classes' }).waitFor();
    await page.locator('.cm-line', { hasText: 'nc: 3' }).waitFor();
    await step('dataset sets nc');

    // Ctrl+F finds a layer by module name
    await page
      .locator('.react-flow__pane')
      .first()
      .click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+f');
    const find = page.getByRole('searchbox', { name: 'Find layer' });
    await find.fill('sppf');
    await find.press('Enter');
    await page.getByRole('region', { name: 'Inspector' }).getByRole('heading', { name: 'layer 9 SPPF' }).waitFor();
    await page.waitForTimeout(300);
    await step('found SPPF');
    await find.press('Escape');

    // export SVG and PNG
    const [svgDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export the graph SVG' }).click(),
    ]);
    assert.equal(svgDl.suggestedFilename(), 'dropped.svg');
    const fs = await import('node:fs');
    const svg = fs.readFileSync((await svgDl.path())!, 'utf8');
    assert.match(svg, /^<svg xmlns/);
    assert.equal((svg.match(/<g id="L\d+">/g) ?? []).length, 25);
    const [pngDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export the graph PNG' }).click(),
    ]);
    const png = fs.readFileSync((await pngDl.path())!);
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    fs.writeFileSync(new URL('../test-results/exported-graph.png', import.meta.url), png);
    await step('exported');
  },
});
