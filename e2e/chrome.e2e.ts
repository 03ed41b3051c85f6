/**
 * The window around the canvas: at 1280x720 nothing wraps or overlaps (bounding boxes), panels collapse,
 * resize and are remembered across a reload, focus-canvas mode, the shortcut sheet, the minimap.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { RESULTS, type E2ETest } from './harness.ts';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlap = (a: Box, b: Box) =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 &&
  Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5;

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is on screen`);
  return b;
}

/** The panels' frames (0-sized when collapsed). */
async function panelBoxes(page: Page) {
  const out: Record<string, Box> = {};
  for (const id of ['palette', 'yaml', 'inspector', 'problems', 'run']) {
    const b = await page.locator(`[data-panel="${id}"]`).boundingBox();
    out[id] = b ?? { x: 0, y: 0, width: 0, height: 0 };
  }
  out.canvas = await box(page, '.canvas-wrap');
  return out;
}

const area = (b: Box) => b.width * b.height;

async function until(what: string, fn: () => Promise<boolean>, ms = 5000) {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function openTemplate(page: Page, baseUrl: string, name = 'yolov5s', last = 'layer 24 Detect') {
  await page.goto(`${baseUrl}?template=${name}`);
  await page.getByLabel(last, { exact: true }).waitFor();
  await page.waitForTimeout(400);
}

/** How the toolbar shows the file name: whole (nothing cut) or cut in the middle, its ending shown. */
async function fileNameShown(page: Page) {
  return page.locator('.toolbar .file-name').evaluate((e) => {
    const head = e.querySelector<HTMLElement>('.file-name-head');
    const tail = e.querySelector<HTMLElement>('.file-name-tail')!;
    const box = e.getBoundingClientRect();
    const t = tail.getBoundingClientRect();
    return {
      title: e.getAttribute('title'),
      whole: (!head || head.scrollWidth <= head.clientWidth) && e.scrollWidth <= e.clientWidth + 1,
      tail: tail.textContent,
      tailShown: t.right <= box.right + 0.5 && t.width > 0,
    };
  });
}

/** The canvas pane itself has the focus (single-key shortcuts act). */
async function focusCanvas(page: Page) {
  await page.locator('.canvas-wrap .react-flow__pane').click({ position: { x: 30, y: 30 } });
}

export const chromeTests: E2ETest[] = [
  {
    name: 'chrome: at 1280x720 the toolbar and panels neither wrap nor overlap',
    async run({ page, baseUrl, step }) {
      await page.setViewportSize({ width: 1280, height: 720 });
      await openTemplate(page, baseUrl, 'yolov5s-res2net');
      await step('1280x720 opened');

      // the toolbar is one row: every item inside it, none over another, each button named with a tooltip
      const bar = await box(page, '.toolbar');
      assert.ok(bar.height <= 44, `toolbar is one row (${bar.height} px)`);
      const items = page.locator('.toolbar > *:not(.spacer), .toolbar .tool-group > *');
      const n = await items.count();
      const boxes: { name: string; b: Box }[] = [];
      for (let k = 0; k < n; k++) {
        const it = items.nth(k);
        const b = await it.boundingBox();
        if (!b || b.width === 0) continue;
        const name = (await it.getAttribute('aria-label')) ?? (await it.textContent()) ?? '';
        assert.ok(b.x >= bar.x - 0.5 && b.x + b.width <= bar.x + bar.width + 0.5, `${name} inside the toolbar`);
        assert.ok(b.y >= bar.y - 0.5 && b.y + b.height <= bar.y + bar.height + 0.5, `${name} not wrapped`);
        if ((await it.evaluate((e) => e.classList.contains('tool-group'))) === false) boxes.push({ name, b });
      }
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          assert.ok(!overlap(boxes[i].b, boxes[j].b), `${boxes[i].name} and ${boxes[j].name} overlap`);
      const buttons = page.locator('.toolbar button');
      for (let k = 0; k < (await buttons.count()); k++) {
        const b = buttons.nth(k);
        const label = await b.getAttribute('aria-label');
        assert.ok(label && label.trim(), `toolbar button ${k} has an accessible name`);
        assert.ok(await b.getAttribute('title'), `${label} has a tooltip`);
      }
      // icons only at this width: no label is shown
      assert.equal(await page.locator('.toolbar .tool-label:visible').count(), 0, 'icons only at 1280 px');
      assert.equal(
        await page.getByRole('button', { name: 'Save as…' }).getAttribute('title'),
        'Save as… (Ctrl+Shift+S)',
      );

      // panels, canvas and status bar tile the window
      const p = await panelBoxes(page);
      const status = await box(page, '.status-bar');
      const all = { ...p, toolbar: bar, status };
      const names = Object.keys(all) as (keyof typeof all)[];
      for (const k of names) {
        const b = all[k];
        assert.ok(
          b.x >= -0.5 && b.y >= -0.5 && b.x + b.width <= 1280.5 && b.y + b.height <= 720.5,
          `${k} in the window`,
        );
      }
      for (let i = 0; i < names.length; i++)
        for (let j = i + 1; j < names.length; j++)
          assert.ok(!overlap(all[names[i]], all[names[j]]), `${names[i]} and ${names[j]} overlap`);
      // every pane title on one line, inside its panel
      const titles = page.locator('.pane-title');
      for (let k = 0; k < (await titles.count()); k++) {
        const h = await titles.nth(k).evaluate((e) => ({ h: e.getBoundingClientRect().height, sh: e.scrollHeight }));
        assert.ok(h.h < 32 && h.sh <= h.h + 1, `pane title ${k} on one line (${h.h} px)`);
      }
      // the inspector's fields stay inside it
      const insp = p.inspector;
      const fields = page.locator('[data-panel="inspector"] input');
      for (let k = 0; k < (await fields.count()); k++) {
        const b = await fields.nth(k).boundingBox();
        if (b) assert.ok(b.x + b.width <= insp.x + insp.width + 0.5, `inspector field ${k} inside the panel`);
      }
      // the file name: whole, or cut in the middle (its ending and extension kept), the whole name its tooltip
      const file = await fileNameShown(page);
      assert.equal(file.title, 'yolov5s-res2net.yaml');
      assert.ok(file.whole || (file.tail === '-res2net.yaml' && file.tailShown), `file name ${JSON.stringify(file)}`);
      const share = area(p.canvas) / (1280 * 720);
      console.log(`      canvas share at 1280x720: ${(share * 100).toFixed(1)} %`);
      assert.ok(share > 0.42, `the canvas has the largest share (${(share * 100).toFixed(1)} %)`);

      // the minimap is small and over no node
      const mm = await box(page, '.react-flow__minimap');
      assert.ok(mm.width <= 140 && mm.height <= 100, 'the minimap is small');
      const nodes = page.locator('.canvas-wrap .react-flow__node-layer, .canvas-wrap .react-flow__node-input');
      for (let k = 0; k < (await nodes.count()); k++) {
        const b = await nodes.nth(k).boundingBox();
        if (b) assert.ok(!overlap(b, mm), `the minimap is over node ${k}`);
      }
      await step('checked');

      // wider, the file name is shown whole (the buttons dropped their labels first) and nothing is cut off
      await page.setViewportSize({ width: 1600, height: 1000 });
      await openTemplate(page, baseUrl, 'demo-yolo11n-shapes', 'layer 23 Detect');
      const wide = await fileNameShown(page);
      assert.ok(wide.whole, `demo-yolo11n-shapes.yaml shown whole at 1600 px: ${JSON.stringify(wide)}`);
      const bar1600 = await box(page, '.toolbar');
      const last = (await page.locator('.toolbar > *').last().boundingBox())!;
      assert.ok(last.x + last.width <= bar1600.x + bar1600.width + 0.5, 'the last toolbar item is inside the toolbar');
      assert.equal(
        await page.locator('.toolbar').evaluate((e) => e.scrollWidth <= e.clientWidth + 1),
        true,
        'nothing in the toolbar is cut off',
      );
      await step('1600 file name whole');
    },
  },
  {
    name: 'chrome: panels collapse, resize and are remembered after a reload; focus canvas',
    async run({ page, baseUrl, step }) {
      await openTemplate(page, baseUrl);
      const before = await panelBoxes(page);
      const share = area(before.canvas) / (1600 * 1000);
      console.log(`      canvas share at 1600x1000, every panel open: ${(share * 100).toFixed(1)} %`);
      assert.ok(share >= 0.5, `the canvas gets half the window or more (${(share * 100).toFixed(1)} %)`);
      await step('every panel open');

      // one key each: 2 hides the YAML pane, the inspector takes its room; 2 again brings it back
      await focusCanvas(page);
      await page.keyboard.press('2');
      await page.waitForTimeout(200);
      let now = await panelBoxes(page);
      assert.equal(now.yaml.height, 0, 'YAML pane collapsed');
      assert.ok(now.inspector.height > before.inspector.height + 100, 'the inspector takes its room');
      assert.equal(await page.getByRole('button', { name: 'YAML', exact: true }).getAttribute('aria-pressed'), 'false');
      await step('yaml hidden');
      await page.keyboard.press('2');
      await page.waitForTimeout(200);
      now = await panelBoxes(page);
      assert.ok(Math.abs(now.yaml.height - before.yaml.height) < 2, 'YAML pane back at its size');

      // keys typed into the YAML editor are text, not toggles
      await page.locator('.cm-content').click();
      await page.keyboard.press('End');
      await page.keyboard.type('1');
      assert.ok((await panelBoxes(page)).palette.width > 100, 'typing 1 in the YAML pane keeps the palette');
      await page.keyboard.press('Control+z');

      // drag the palette's edge 80 px wider, hide the problems with its button
      const sep = await box(page, '#sep-palette');
      await page.mouse.move(sep.x + sep.width / 2, sep.y + 200);
      await page.mouse.down();
      await page.mouse.move(sep.x + 40, sep.y + 200, { steps: 4 });
      await page.mouse.move(sep.x + 80, sep.y + 200, { steps: 4 });
      await page.mouse.up();
      const wider = (await panelBoxes(page)).palette.width;
      assert.ok(
        Math.abs(wider - (before.palette.width + 80)) < 4,
        `palette resized (${before.palette.width} -> ${wider})`,
      );
      await page.getByRole('button', { name: 'Hide Problems' }).click();
      await page.waitForTimeout(200);
      now = await panelBoxes(page);
      assert.equal(now.problems.width, 0, 'problems hidden');
      assert.ok(now.run.width > before.run.width + 100, 'the run panel takes its room');
      await step('palette wider, problems hidden');

      // a reload keeps both
      await page.reload();
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      await page.waitForTimeout(300);
      now = await panelBoxes(page);
      assert.ok(Math.abs(now.palette.width - wider) < 2, `palette width kept (${now.palette.width})`);
      assert.equal(now.problems.width, 0, 'problems still hidden');
      await step('after reload');

      // focus canvas: every panel away; 0 again brings back the same panels
      await focusCanvas(page);
      await page.keyboard.press('0');
      await page.waitForTimeout(250);
      const focused = await panelBoxes(page);
      for (const id of ['palette', 'yaml', 'inspector', 'problems', 'run'] as const)
        assert.equal(area(focused[id]), 0, `${id} away in focus mode`);
      const fshare = area(focused.canvas) / (1600 * 1000);
      assert.ok(fshare > 0.9, `focus mode gives the canvas the window (${(fshare * 100).toFixed(1)} %)`);
      await step('focus canvas');
      await page.keyboard.press('0');
      await page.waitForTimeout(250);
      now = await panelBoxes(page);
      assert.ok(now.palette.width > 100 && now.yaml.height > 100 && now.run.width > 100, 'panels back');
      assert.equal(now.problems.width, 0, 'and problems still hidden, as before focus mode');

      // 4 brings the problems back
      await page.keyboard.press('4');
      await page.waitForTimeout(200);
      assert.ok((await panelBoxes(page)).problems.width > 100, 'problems back');
      await step('problems back');
    },
  },
  {
    name: 'chrome: shortcut sheet, minimap toggle and the minimap never over a node',
    async run({ page, baseUrl, step }) {
      await openTemplate(page, baseUrl);
      await focusCanvas(page);
      await page.keyboard.press('Shift+?');
      const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await sheet.waitFor();
      for (const [label, key] of [
        ['Palette', '1'],
        ['YAML', '2'],
        ['Inspector', '3'],
        ['Problems', '4'],
        ['Run', '5'],
        ['Focus canvas', '0'],
        ['Minimap', 'M'],
        ['Save as…', 'Ctrl+Shift+S'],
      ])
        await sheet
          .locator('.sheet-row', { has: page.getByText(label, { exact: true }) })
          .getByText(key)
          .first()
          .waitFor();
      await step('shortcut sheet');
      await page.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });

      // M hides and shows the minimap
      await focusCanvas(page);
      await page.keyboard.press('m');
      await page.locator('.react-flow__minimap').waitFor({ state: 'detached' });
      await page.keyboard.press('m');
      await page.locator('.react-flow__minimap').waitFor();

      // our own minimap: named, the nodes drawn as a few paths (one per colour, not an element per node), the view
      // unmasked; dragging on it moves the view's box with the pointer, a click centres the view there, the wheel zooms
      const map = page.locator('.canvas-wrap .react-flow__minimap');
      await page.getByRole('img', { name: 'minimap' }).waitFor();
      const drawn = await map.evaluate((e) => ({
        rects: e.querySelectorAll('rect').length,
        fills: [...e.querySelectorAll('path.minimap-fill')].map((p) => p.getAttribute('d')!.split('M').length - 1),
      }));
      assert.equal(drawn.rects, 0, 'no element per node');
      assert.ok(drawn.fills.length >= 3 && drawn.fills.length <= 12, `paths by colour: ${drawn.fills}`);
      const layers = await page
        .locator('.canvas-wrap .react-flow__node-layer, .canvas-wrap .react-flow__node-image')
        .count();
      assert.equal(
        drawn.fills.reduce((a, b) => a + b, 0),
        layers,
        'each layer and the image drawn once',
      );
      // the mask: a frame around the view (its shadow greys the rest), of the pane's proportions, in the minimap
      const hole = await box(page, '.canvas-wrap .react-flow__minimap-mask');
      const paneAt = await box(page, '.canvas-wrap .react-flow__pane');
      const mapBox = await box(page, '.canvas-wrap .react-flow__minimap');
      assert.ok(
        Math.abs(hole.width / hole.height / (paneAt.width / paneAt.height) - 1) < 0.02,
        `the view's frame ${hole.width}x${hole.height} has the pane's proportions (${paneAt.width}x${paneAt.height})`,
      );
      assert.ok(
        hole.x < mapBox.x + mapBox.width && hole.x + hole.width > mapBox.x && hole.y < mapBox.y + mapBox.height,
        "the view's frame is in the minimap",
      );
      const viewport = () =>
        page.locator('.canvas-wrap .react-flow__viewport').evaluate((e) => {
          const m = /translate\((-?[\d.e-]+)px, ?(-?[\d.e-]+)px\) scale\(([\d.e-]+)\)/.exec(
            (e as HTMLElement).style.transform,
          )!;
          return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
        });
      const shownNow = () =>
        page.locator('.canvas-wrap .react-flow__viewport').evaluate((e) => (e as HTMLElement).style.transform);
      const movedFrom = (t: string) =>
        page.waitForFunction(
          (t) => (document.querySelector('.canvas-wrap .react-flow__viewport') as HTMLElement).style.transform !== t,
          t,
        );
      const mb = await box(page, '.canvas-wrap .react-flow__minimap');
      const v0 = await viewport();
      const t0 = await shownNow();
      await page.mouse.move(mb.x + mb.width / 2, mb.y + mb.height / 2);
      await page.mouse.down();
      await page.mouse.move(mb.x + mb.width / 2 + 20, mb.y + mb.height / 2, { steps: 4 });
      // while it is dragged, the canvas moves as compositor layers, as when its pane is dragged (PanLayer)
      await page.locator('.canvas-wrap .react-flow.panning').waitFor();
      await page.mouse.up();
      await page.locator('.canvas-wrap .react-flow.panning').waitFor({ state: 'detached' });
      await movedFrom(t0);
      const v1 = await viewport();
      assert.ok(
        v1.x < v0.x - 10 && Math.abs(v1.y - v0.y) < 0.5 && v1.zoom === v0.zoom,
        `dragged: ${JSON.stringify([v0, v1])}`,
      );
      // a click: the pane's centre now shows the flow point under the pointer (the minimap, let go, may have moved)
      const mb1 = await box(page, '.canvas-wrap .react-flow__minimap');
      const at = { x: mb1.x + 30, y: mb1.y + 25 };
      const t1 = await shownNow();
      const flowAt = await map.locator('svg.react-flow__minimap-svg').evaluate((e, p) => {
        const [x, y, w] = e.getAttribute('viewBox')!.split(' ').map(Number);
        const r = e.getBoundingClientRect();
        const k = w / r.width;
        return { x: x + (p.x - r.left) * k, y: y + (p.y - r.top) * k };
      }, at);
      await page.mouse.click(at.x, at.y);
      await movedFrom(t1);
      const v2 = await viewport();
      const paneBox = await box(page, '.canvas-wrap .react-flow__pane');
      assert.ok(
        Math.abs(v2.x + flowAt.x * v2.zoom - paneBox.width / 2) < 1,
        `centred across: ${JSON.stringify([flowAt, v2])}`,
      );
      assert.ok(
        Math.abs(v2.y + flowAt.y * v2.zoom - paneBox.height / 2) < 1,
        `centred down: ${JSON.stringify([flowAt, v2])}`,
      );
      // the wheel over it zooms out (the page does not scroll); over it, wherever the centred view put it
      const mb2 = await box(page, '.canvas-wrap .react-flow__minimap');
      const over = { x: mb2.x + mb2.width / 2, y: mb2.y + mb2.height / 2 };
      assert.ok(
        await page.evaluate(
          (p) => !!document.elementFromPoint(p.x, p.y)?.closest('.react-flow__minimap:not(.stepped-aside)'),
          over,
        ),
        'the pointer is over the minimap',
      );
      const t2 = await shownNow();
      await page.mouse.move(over.x, over.y);
      await page.mouse.wheel(0, 200);
      await movedFrom(t2);
      assert.ok((await viewport()).zoom < v2.zoom, 'the wheel zoomed out');
      assert.equal(await page.evaluate(() => document.scrollingElement!.scrollTop), 0);
      await step('minimap: dragged, clicked, wheeled');
      await focusCanvas(page);

      // pan a node under the minimap's corner: the minimap moves away from it
      const mm = await box(page, '.canvas-wrap .react-flow__minimap');
      const node = page.getByLabel('layer 0 Conv', { exact: true });
      const nb = (await node.boundingBox())!;
      const pane = await box(page, '.canvas-wrap .react-flow__pane');
      const from = { x: pane.x + 20, y: nb.y + nb.height / 2 };
      const dx = mm.x + mm.width / 2 - (nb.x + nb.width / 2);
      const dy = mm.y + mm.height / 2 - (nb.y + nb.height / 2);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(from.x + dx / 2, from.y + dy / 2, { steps: 5 });
      await page.mouse.move(from.x + dx, from.y + dy, { steps: 5 });
      await page.mouse.up();
      await page.waitForTimeout(200);
      const moved = await box(page, '.canvas-wrap .react-flow__minimap');
      const nb2 = (await node.boundingBox())!;
      assert.ok(overlap(nb2, mm), 'layer 0 is now where the minimap was');
      const aside = await page
        .locator('.canvas-wrap .react-flow__minimap')
        .evaluate((e) => e.classList.contains('stepped-aside'));
      assert.ok(aside || !overlap(nb2, moved), 'the minimap left the node');
      const nodes = page.locator('.canvas-wrap .react-flow__node-layer');
      if (!aside)
        for (let k = 0; k < (await nodes.count()); k++) {
          const b = await nodes.nth(k).boundingBox();
          if (b) assert.ok(!overlap(b, moved), `the minimap is over node ${k}`);
        }
      await step('minimap moved aside');
    },
  },
  {
    name: 'chrome: the minimap marks the selected layer and the layers with errors, visibly (yolov5x6)',
    async run({ page, baseUrl, step }) {
      await openTemplate(page, baseUrl, 'yolov5x6', 'layer 33 Detect');
      const map = page.locator('.canvas-wrap .react-flow__minimap');
      await page.getByRole('img', { name: 'Minimap', exact: true }).waitFor();
      assert.equal(await map.locator('.minimap-errors, .minimap-selected').count(), 0, 'nothing marked yet');

      // an error typed into layer 2's row: C3 -> C3x9 (an unknown module)
      const line = page.locator('.cm-line', { hasText: '[-1, 3, C3, [128]], # 2' });
      await line.click();
      const text = (await line.textContent()) ?? '';
      await page.keyboard.press('Home');
      await page.keyboard.press('Home');
      for (let k = 0; k < text.indexOf('C3,') + 2; k++) await page.keyboard.press('ArrowRight');
      await page.keyboard.insertText('x9');
      await page.locator('[data-id="L2"] .layer-node.has-error').waitFor();
      // layer 3 reads it: an error too ("input layer 2 has an error"); the minimap counts the layers the canvas marks
      await page.locator('[data-id="L3"] .layer-node.has-error').waitFor();
      const wrongLayers = await page.locator('.canvas-wrap .layer-node.has-error').count();
      assert.equal(wrongLayers, 2);
      await page.getByRole('img', { name: 'Minimap: 2 layers with errors', exact: true }).waitFor();

      // nothing selected (a click on the pane), then layer 30 selected by a click on it
      await focusCanvas(page);
      await map.locator('.minimap-selected').waitFor({ state: 'detached' });
      const still = async () => {
        let last = '';
        for (let k = 0; k < 30; k++) {
          const now = await map
            .locator('.minimap-frame')
            .evaluate((e) => `${e.querySelector('svg')!.getAttribute('viewBox')}|${e.innerHTML.length}`);
          if (now === last) return;
          last = now;
          await page.waitForTimeout(150);
        }
        throw new Error('the minimap did not settle');
      };
      await still();
      const pixels = async () => PNG.sync.read(await map.locator('svg.react-flow__minimap-svg').screenshot());
      const before = await pixels();
      await page.locator('[data-id="L30"]').click();
      await page.locator('.layer-node.selected[data-layer="30"]').waitFor();
      await map.locator('.minimap-selected').waitFor();
      await still();
      const after = await pixels();
      fs.writeFileSync(path.join(RESULTS, 'minimap-marks.png'), PNG.sync.write(after));
      await step('layer 2 wrong, layer 30 selected');

      // the marks are where the layers are: the nodes' boxes in flow units, as the minimap reads them
      const flowBox = (id: string) =>
        page.locator(`.canvas-wrap .react-flow__node[data-id="${id}"]`).evaluate((e) => {
          const m = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\)/.exec((e as HTMLElement).style.transform)!;
          return {
            x: Number(m[1]),
            y: Number(m[2]),
            w: (e as HTMLElement).offsetWidth,
            h: (e as HTMLElement).offsetHeight,
          };
        });
      const r = (v: number) => Math.round(v * 10) / 10;
      const rectD = (b: { x: number; y: number; w: number; h: number }) =>
        `M${r(b.x)} ${r(b.y)}h${r(b.w)}v${r(b.h)}h${r(-b.w)}z`;
      const wrong = await flowBox('L2');
      const chosen = await flowBox('L30');
      const d = (sel: string) => map.locator(sel).getAttribute('d');
      const next = await flowBox('L3');
      assert.equal(await d('.minimap-error-fill'), rectD(wrong) + rectD(next), 'the error marks are layers 2 and 3');
      const centre = (b: typeof wrong) => `M${r(b.x + b.w / 2)} ${r(b.y + b.h / 2)}h0`;
      assert.equal(await d('.minimap-error-dot'), centre(wrong) + centre(next));
      assert.equal(await d('.minimap-selected-ring'), rectD(chosen), 'the selection mark is layer 30');

      // and they show at minimap scale: read back from a screenshot of the minimap, in its pixels
      const [vx, vy, vw] = (await map.locator('svg.react-flow__minimap-svg').getAttribute('viewBox'))!
        .split(' ')
        .map(Number);
      const k = vw / after.width;
      const px = (x: number, y: number) => ({ x: (x - vx) / k, y: (y - vy) / k });
      const near = (png: PNG, x: number, y: number, [cr, cg, cb]: number[]) => {
        const i = (png.width * y + x) * 4;
        return Math.abs(png.data[i] - cr) + Math.abs(png.data[i + 1] - cg) + Math.abs(png.data[i + 2] - cb) < 60;
      };
      /** pixels of a colour in the band `from`..`to` minimap pixels outside a box */
      const count = (
        png: PNG,
        b: { x: number; y: number; w: number; h: number },
        from: number,
        to: number,
        c: number[],
      ) => {
        const a = px(b.x, b.y);
        const z = px(b.x + b.w, b.y + b.h);
        let n = 0;
        for (let y = 0; y < png.height; y++)
          for (let x = 0; x < png.width; x++) {
            const out = Math.max(a.x - (x + 0.5), x + 0.5 - z.x, a.y - (y + 0.5), y + 0.5 - z.y);
            if (out >= from && out < to && near(png, x, y, c)) n++;
          }
        return n;
      };
      const ERROR = [0xd3, 0x3a, 0x2f];
      const ACCENT = [0x2f, 0x6f, 0xde];
      const small = px(wrong.x + wrong.w, wrong.y + wrong.h).x - px(wrong.x, wrong.y).x;
      assert.ok(small < 8, `layer 2 is drawn small on the minimap: ${small.toFixed(1)} px across`);
      // the error: a dot of at least 5 px across on layer 2, in the error colour
      const dot = px(wrong.x + wrong.w / 2, wrong.y + wrong.h / 2);
      let red = 0;
      for (let y = Math.floor(dot.y - 4); y <= dot.y + 4; y++)
        for (let x = Math.floor(dot.x - 4); x <= dot.x + 4; x++)
          if (Math.hypot(x + 0.5 - dot.x, y + 0.5 - dot.y) <= 3 && near(after, x, y, ERROR)) red++;
      assert.ok(red >= 18, `the error dot: ${red} pixels in the error colour`);
      // the selection: a ring in the selection colour, 2 to 4 px outside layer 30's box, that was not there before
      const ringBefore = count(before, chosen, 2, 3.5, ACCENT);
      const ring = count(after, chosen, 2, 3.5, ACCENT);
      assert.ok(ring >= 20 && ring >= ringBefore + 15, `the selection ring: ${ringBefore} -> ${ring} pixels`);

      // a click on the error dot centres the view on layer 2
      const svgBox = await box(page, '.canvas-wrap .react-flow__minimap-svg');
      await page.mouse.click(svgBox.x + dot.x, svgBox.y + dot.y);
      const pane = await box(page, '.canvas-wrap .react-flow__pane');
      await until('layer 2 is in the middle of the canvas', async () => {
        const b = await page.locator('.canvas-wrap .react-flow__node[data-id="L2"]').boundingBox();
        return (
          !!b &&
          Math.abs(b.x + b.width / 2 - (pane.x + pane.width / 2)) < 4 &&
          Math.abs(b.y + b.height / 2 - (pane.y + pane.height / 2)) < 4
        );
      });
      await step('the error dot clicked: layer 2 in the middle');
    },
  },
  {
    name: 'chrome: the desktop menu reaches every view (Select All, Delete, Zoom, Fit, panels, Find, Run, About)',
    async run({ page, baseUrl, step }) {
      // the page as the desktop app has it: window.yoloArchitect from the preload's stand-in
      await page.addInitScript({ path: path.join(import.meta.dirname, 'fake-desktop-main.js') });
      await openTemplate(page, baseUrl);
      const menu = (command: string) =>
        page.evaluate(
          (c) => (window as unknown as { __main: { emit(k: string, v: unknown): void } }).__main.emit('menu', c),
          command,
        );
      const zoom = () =>
        page
          .locator('.canvas-wrap .react-flow__viewport')
          .evaluate((e) => new DOMMatrixReadOnly(getComputedStyle(e).transform).a);
      const z0 = await zoom();
      await menu('zoomIn');
      await until('Zoom In zooms in', async () => (await zoom()) > z0 * 1.1);
      const z1 = await zoom();
      await menu('zoomOut');
      await until('Zoom Out zooms out', async () => (await zoom()) < z1 * 0.9);
      await menu('fitView');
      await page.waitForTimeout(400);
      await menu('selectAll');
      await until(
        'every layer selected',
        async () => (await page.locator('.react-flow__node-layer.selected').count()) === 25,
      );
      await step('select all from the menu');
      await page.getByLabel('layer 9 SPPF', { exact: true }).click();
      await menu('delete');
      await page.getByLabel('layer 9 SPPF', { exact: true }).waitFor({ state: 'detached' });
      await menu('undo');
      await page.getByLabel('layer 9 SPPF', { exact: true }).waitFor();
      await menu('toggleYaml');
      await page
        .locator('[data-panel="yaml"]')
        .waitFor({ state: 'hidden' })
        .catch(async () => {
          const b = await page.locator('[data-panel="yaml"]').boundingBox();
          assert.ok(!b || b.width < 2, 'the YAML pane is closed');
        });
      await menu('toggleYaml');
      await menu('find');
      await page.getByRole('search').getByRole('searchbox').waitFor();
      await page.keyboard.press('Escape');
      await menu('about');
      const about = page.getByRole('dialog', { name: 'About YOLO Architect' });
      await about.getByText(/^Version \d+\.\d+\.\d+$/).waitFor();
      await step('about');
      await about.getByRole('button', { name: 'OK' }).click();
      await about.waitFor({ state: 'detached' });
      await menu('toggleRun');
      await page.locator('section.pane.run').waitFor({ state: 'hidden' });
      // Run with the run panel closed opens it and, with no image chosen yet, asks main for one (the menu is no
      // user gesture for the page's own file chooser); Choose Image asks main too
      const sample = [...fs.readFileSync(path.join(import.meta.dirname, '../configs/demo/sample.png'))];
      await page.evaluate(
        (bytes) => ((window as unknown as { __main: { image: unknown } }).__main.image = { name: 'sample.png', bytes }),
        sample,
      );
      await menu('run');
      const runPanel = page.locator('section.pane.run');
      const chosen = runPanel.getByRole('button', { name: 'Choose image' });
      await until('sample.png is the image', async () => (await chosen.textContent()) === 'sample.png');
      await until('Run is enabled', () => runPanel.getByRole('button', { name: 'Run network' }).isEnabled());
      const picks = await page.evaluate(
        () =>
          (window as unknown as { __main: { calls: string[][] } }).__main.calls.filter((c) => c[0] === 'pickImage')
            .length,
      );
      assert.equal(picks, 1, 'main was asked for the image once');
      await step('run panel opened by Run, the image from main');
    },
  },
];

/**
 * A stand-in for Chromium's save and directory pickers (which abort at once when headless): the handles
 * behave as the File System Access API's and keep what is written in `window.__fsa` for the test to read.
 */
const STAND_IN_PICKERS = `
window.__fsa = { picks: [], writes: [], folders: [] };
const fileHandle = (name, onClose) => ({
  kind: 'file',
  name,
  async createWritable() {
    let text = '';
    return {
      async write(d) { text += typeof d === 'string' ? d : await new Response(d).text(); },
      async close() { onClose(text); },
    };
  },
});
window.showSaveFilePicker = async (o) => {
  window.__fsa.picks.push(o.suggestedName);
  const name = window.__fsa.answer || o.suggestedName;
  return fileHandle(name, (text) => window.__fsa.writes.push({ name, text }));
};
window.showDirectoryPicker = async () => {
  const files = { 'yolov5-v7.0.patch': 'an older export' };
  window.__fsa.folders.push(files);
  return {
    kind: 'directory',
    name: 'res2net-export',
    async getFileHandle(n, o) {
      if (!(n in files) && !(o && o.create)) throw new DOMException('not found', 'NotFoundError');
      return fileHandle(n, (text) => { files[n] = text; });
    },
  };
};`;

interface Fsa {
  picks: string[];
  writes: { name: string; text: string }[];
  folders: Record<string, string>[];
}
const fsaState = (page: Page) => page.evaluate('window.__fsa') as Promise<Fsa>;

chromeTests.push(
  {
    name: 'chrome: Save as asks for a name and Export for YOLOv5 downloads one zip, with the commands to run',
    async run({ page, baseUrl, step }) {
      const fs = await import('node:fs');
      const { unzipSync, strFromU8 } = await import('fflate');
      await openTemplate(page, baseUrl, 'yolov5s-res2net');
      const path = await import('node:path');
      const text = fs.readFileSync(path.resolve(import.meta.dirname, '../configs/yolov5s-res2net.yaml'), 'utf8');

      // Save as: our own dialog asks for the name (no picker in this browser), then a download under it
      await focusCanvas(page);
      await page.keyboard.press('Control+Shift+S');
      const ask = page.getByRole('dialog', { name: 'Save as' });
      const field = ask.getByRole('textbox', { name: 'File name' });
      assert.equal(await field.inputValue(), 'yolov5s-res2net.yaml');
      await field.fill('nets/bad');
      assert.ok(
        await ask.getByRole('button', { name: 'Save', exact: true }).isDisabled(),
        'a name with a folder is refused',
      );
      await ask.getByText('A file name, without folders').waitFor();
      await field.fill('my design');
      await step('save as asks for a name');
      const [download] = await Promise.all([page.waitForEvent('download'), field.press('Enter')]);
      assert.equal(download.suggestedFilename(), 'my design.yaml');
      assert.equal(fs.readFileSync((await download.path())!, 'utf8'), text, 'the document, byte for byte');
      await ask.waitFor({ state: 'detached' });
      assert.match((await page.getByLabel('file', { exact: true }).textContent()) ?? '', /^my design\.yaml/);

      // Esc leaves it unsaved
      await page.keyboard.press('Control+Shift+S');
      await ask.waitFor();
      await page.keyboard.press('Escape');
      await ask.waitFor({ state: 'detached' });

      // Export for YOLOv5: the files first, then one zip, then what to run
      await page.getByRole('button', { name: 'Export for YOLOv5…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export for YOLOv5' });
      const rows = dialog.locator('.export-files tr');
      assert.deepEqual(await rows.locator('td:first-child').allTextContents(), [
        'my design.yaml',
        'yolov5-v7.0.patch',
        'yolov5-master.patch',
      ]);
      assert.match((await rows.first().textContent()) ?? '', /my design\.yaml[\d.]+ (B|KB)the model/);
      assert.equal(
        await dialog.getByRole('button', { name: 'Write into a folder…' }).count(),
        0,
        'no folder picker here',
      );
      await step('export dialog');
      const [zip] = await Promise.all([
        page.waitForEvent('download'),
        dialog.getByRole('button', { name: /Download as zip/ }).click(),
      ]);
      assert.equal(zip.suggestedFilename(), 'my design-yolov5.zip');
      const entries = unzipSync(new Uint8Array(fs.readFileSync((await zip.path())!)));
      assert.deepEqual(Object.keys(entries).sort(), [
        'my design-yolov5/my design.yaml',
        'my design-yolov5/yolov5-master.patch',
        'my design-yolov5/yolov5-v7.0.patch',
      ]);
      assert.equal(strFromU8(entries['my design-yolov5/my design.yaml']), text);
      await dialog.getByText('Downloaded my design-yolov5.zip').waitFor();
      const commands = (await dialog.locator('.commands .command').allTextContents()).join('\n');
      assert.equal(
        commands,
        [
          "unzip 'my design-yolov5.zip'",
          'cd yolov5',
          "git apply '../my design-yolov5/yolov5-v7.0.patch'",
          "python train.py --cfg '../my design-yolov5/my design.yaml' --data coco128.yaml --weights ''",
        ].join('\n'),
      );
      await step('exported as a zip, commands shown');
    },
  },
  {
    name: 'chrome: with the File System Access API, Save writes the same file again and Export writes into a folder',
    async run({ page, baseUrl, step }) {
      await page.addInitScript(STAND_IN_PICKERS);
      await openTemplate(page, baseUrl, 'yolov5s-res2net');
      await page.evaluate(`window.__fsa.answer = 'res2net-mine.yaml'`);
      await focusCanvas(page);
      await page.keyboard.press('Control+Shift+S');
      await page.getByLabel('file', { exact: true }).getByText('res2net-mine.yaml').waitFor();
      let fsa = await fsaState(page);
      assert.deepEqual(fsa.picks, ['yolov5s-res2net.yaml'], 'the picker was asked once, with the name');
      assert.equal(fsa.writes.length, 1);

      // an edit, then Save: the same file again, no picker
      await page.getByLabel('layer 0 Conv', { exact: true }).click();
      await page.keyboard.press('Delete');
      await page.getByLabel('layer 23 Detect', { exact: true }).waitFor();
      await page.keyboard.press('Control+s');
      await page.getByLabel('status').getByText('saved', { exact: true }).waitFor();
      fsa = await fsaState(page);
      assert.equal(fsa.picks.length, 1, 'Save did not ask again');
      assert.deepEqual(
        fsa.writes.map((w) => w.name),
        ['res2net-mine.yaml', 'res2net-mine.yaml'],
      );
      assert.ok(fsa.writes[1].text.length < fsa.writes[0].text.length, 'the edited text was written');
      await page.keyboard.press('Control+z');
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      await step('saved twice into the same file');

      // Export: into a folder the user picks (it asks before replacing a file there with other content,
      // listing it), then the commands
      await page.getByRole('button', { name: 'Export for YOLOv5…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export for YOLOv5' });
      await dialog.getByRole('button', { name: 'Write into a folder…' }).click();
      const ask = page.getByRole('alertdialog', { name: 'Replace files in res2net-export?' });
      await ask.waitFor();
      assert.deepEqual(await ask.getByRole('listitem').allTextContents(), ['yolov5-v7.0.patch']);
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'Cancel has the focus');
      await step('asked before replacing a file in the folder');
      await ask.getByRole('button', { name: 'Replace' }).click();
      await dialog.getByText('Written into res2net-export (replaced: yolov5-v7.0.patch)').waitFor();
      fsa = await fsaState(page);
      assert.deepEqual(Object.keys(fsa.folders[0]).sort(), [
        'res2net-mine.yaml',
        'yolov5-master.patch',
        'yolov5-v7.0.patch',
      ]);
      assert.match(fsa.folders[0]['yolov5-v7.0.patch'], /^\+class C3_Res2Block\(nn\.Module\):/m);
      const commands = (await dialog.locator('.commands .command').allTextContents()).join('\n');
      assert.equal(
        commands,
        [
          'cd yolov5',
          'git apply ../res2net-export/yolov5-v7.0.patch',
          "python train.py --cfg ../res2net-export/res2net-mine.yaml --data coco128.yaml --weights ''",
        ].join('\n'),
      );
      await step('exported into a folder, commands shown');
    },
  },
);

chromeTests.push({
  name: 'chrome: look inside a C3_Res2Block: Bottle2necks as collapsible blocks, edge labels apart',
  async run({ page, baseUrl, step }) {
    await openTemplate(page, baseUrl, 'yolov5s-res2net');
    await page.getByLabel('layer 6 C3_Res2Block', { exact: true }).dblclick();
    const view = page.locator('.inside-view');
    const m0 = view.getByRole('group', { name: 'Bottle2neck m.0' });
    await m0.waitFor();
    await page.waitForTimeout(300);
    // the first block open with its own parameters; the two repeats collapsed to one node each
    assert.match((await m0.locator('.inside-block-head').textContent()) ?? '', /Bottle2neck m\.0\s*[\d,]+ params/);
    for (const m of ['m.1', 'm.2']) await view.getByRole('button', { name: `Expand Bottle2neck ${m}` }).waitFor();
    // the Res2Net chain inside the open block: split, three convolutions, two adds
    for (const name of ['split', 'Conv convs.0', 'Conv convs.1', 'Conv convs.2'])
      await m0.page().locator('.inside-view .op-title', { hasText: name }).first().waitFor();
    const noOverlap = async () => {
      // edges are drawn after their nodes are measured: wait for them, not for a time
      await view.locator('.inside-edge-label').nth(10).waitFor();
      const labels = await view
        .locator('.inside-edge-label')
        .evaluateAll((els) =>
          els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })),
        );
      assert.ok(labels.length > 10, `edge labels drawn (${labels.length})`);
      for (let i = 0; i < labels.length; i++)
        for (let j = i + 1; j < labels.length; j++)
          assert.ok(!overlap(labels[i], labels[j]), `labels ${i} and ${j} overlap`);
      const nodes = await view
        .locator('.op-node')
        .evaluateAll((els) =>
          els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })),
        );
      for (const n of nodes) for (const l of labels) assert.ok(!overlap(n, l), 'a label over a node');
    };
    await noOverlap();
    // readable at the zoom it opens with
    const size = await view
      .locator('.op-title')
      .first()
      .evaluate((e) => {
        const z = Number(getComputedStyle(e).fontSize.replace('px', ''));
        const m = new DOMMatrix(getComputedStyle(e.closest('.react-flow__viewport')!).transform);
        return z * m.a;
      });
    assert.ok(size >= 9.5, `titles readable on screen (${size.toFixed(1)} px)`);
    await step('bottle2necks as blocks');

    // expand m.1: a second box; collapse m.0: one node with its parameters
    // (by keyboard: the buttons are named, and m.1 is below the fold)
    await view.getByRole('button', { name: 'Expand Bottle2neck m.1' }).focus();
    await page.keyboard.press('Enter');
    await view.getByRole('group', { name: 'Bottle2neck m.1' }).waitFor();
    await view.getByRole('button', { name: 'Collapse Bottle2neck m.0' }).click();
    await view.getByRole('button', { name: 'Expand Bottle2neck m.0' }).waitFor();
    await page.waitForTimeout(300);
    await noOverlap();
    await step('m.1 open, m.0 collapsed');
    await view.getByRole('button', { name: 'Collapse all' }).click();
    await view.getByRole('button', { name: 'Expand Bottle2neck m.1' }).waitFor();
    await page.waitForTimeout(300);
    await step('all collapsed');
    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'detached' });
  },
});

/** Every section title on screen (headings, legends, pane and group titles), as the user reads them. */
async function sectionTitles(page: Page): Promise<string[]> {
  return page
    .locator('h1, h2, h3, h4, legend, .pane-title, .palette-group, .compare-popover-title')
    .evaluateAll((els) =>
      els
        .filter((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
        })
        .map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim().toLowerCase())
        .filter(Boolean),
    );
}

function assertUnique(titles: string[], where: string) {
  const seen = new Set<string>();
  for (const t of titles) {
    assert.ok(!seen.has(t), `"${t}" appears twice (${where}): ${titles.join(' | ')}`);
    seen.add(t);
  }
}

chromeTests.push({
  name: 'chrome: no section title appears twice, in English and in Chinese',
  async run({ page, baseUrl, step }) {
    await openTemplate(page, baseUrl, 'yolov5s');
    for (const lang of ['en', 'zh'] as const) {
      if (lang === 'zh') await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
      await page.waitForTimeout(200);
      // a layer in the inspector, with the module editor open over the canvas
      await page.locator('.react-flow__node-layer').nth(2).click();
      await page.locator('.inspector legend').waitFor();
      assertUnique(await sectionTitles(page), `${lang}: editor`);
      await page.locator('.palette .new-module').click();
      await page.locator('.module-editor').waitFor();
      await page.waitForTimeout(200);
      const withEditor = await sectionTitles(page);
      assertUnique(withEditor, `${lang}: module editor`);
      await step(`${lang} module editor`);
      await page.getByRole('button', { name: lang === 'en' ? 'Close the module editor' : '关闭模块编辑器' }).click();
      await page.locator('.module-editor').waitFor({ state: 'detached' });
      // the comparison, the export dialog, the shortcut sheet
      await page.locator('.compare-menu > button').click();
      await page.locator('.compare-popover [role="menuitem"]').first().click();
      await page.locator('.compare-view').waitFor();
      assertUnique(await sectionTitles(page), `${lang}: comparison`);
      await page
        .locator('.compare-view')
        .getByRole('button', { name: lang === 'en' ? 'Close' : '关闭', exact: true })
        .click();
      await page.locator('.compare-view').waitFor({ state: 'detached' });
      await page.keyboard.press('Control+e');
      await page.locator('.export-dialog').waitFor();
      assertUnique(await sectionTitles(page), `${lang}: export`);
      await page.keyboard.press('Escape');
      await focusCanvas(page);
      await page.keyboard.press('Shift+?');
      await page.locator('.shortcut-sheet').waitFor();
      assertUnique(await sectionTitles(page), `${lang}: shortcut sheet`);
      await step(`${lang} shortcut sheet`);
      await page.keyboard.press('Escape');
    }
  },
});
