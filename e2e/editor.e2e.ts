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
      assert.ok(await page.locator('.cm-selected-layer').count() >= 1, 'selected row highlighted in the YAML pane');
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
      await page.keyboard.type('x9');
      await page.getByLabel('layer 2 C3x9', { exact: true }).waitFor();
      const node = page.getByLabel('layer 2 C3x9', { exact: true });
      await node.locator('.layer-problem.error').waitFor();
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
