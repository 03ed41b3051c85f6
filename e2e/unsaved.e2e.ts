/**
 * Never lose the user's work, end to end: with unsaved changes, New, Open, a template, a recent file, a file
 * from the OS and closing the window ask Save / Don't save / Cancel, and the recovery copy is kept until the
 * user chose. The browser build runs with its own host (IndexedDB recovery); the desktop flows run the same
 * page with a stand-in for Electron's main process behind the preload API (no Electron binary here), so the
 * renderer's side of the desktop contract is what is tested.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { E2ETest } from './harness.ts';

const CONFIGS = path.resolve(import.meta.dirname, '../configs');
const yolov5n = fs.readFileSync(path.join(CONFIGS, 'yolov5n.yaml'), 'utf8');

type Answer = "Don't save" | 'Cancel' | 'Save';
const ANSWERS: Answer[] = ['Cancel', "Don't save", 'Save'];

/** Edit the open model (nc: 80 -> 7 through the inspector) and wait for the unsaved mark. */
async function makeUnsaved(page: Page, nc = '7') {
  const field = page.getByRole('region', { name: 'Inspector' }).getByLabel('classes (nc)');
  await field.fill(nc);
  await field.press('Enter');
  await page.getByLabel('unsaved').waitFor();
}

const dialog = (page: Page) => page.getByRole('alertdialog');

/** The question is on screen, names the document, and offers the three answers. */
async function expectQuestion(page: Page, name: string) {
  const d = dialog(page);
  await d.waitFor();
  assert.equal(await d.getByRole('heading').textContent(), `Save your changes to ${name}?`);
  for (const b of ['Save', "Don't save", 'Cancel']) await d.getByRole('button', { name: b, exact: true }).waitFor();
}

/** The browser's recovery copies (IndexedDB, as the app writes them). */
async function browserRecovery(page: Page): Promise<{ id: string; title: string; text: string }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('yolo-architect', 1);
        req.onupgradeneeded = () => req.result.createObjectStore('autosave', { keyPath: 'id' });
        req.onsuccess = () => {
          const all = req.result.transaction('autosave').objectStore('autosave').getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
}

/** Poll until `fn` holds (the app writes and deletes recovery copies asynchronously). */
async function until(what: string, fn: () => Promise<boolean>, ms = 5000) {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const fileName = (page: Page) => page.getByLabel('file', { exact: true }).textContent();

/**
 * One scenario: with yolov5s.yaml edited (nc: 7), `trigger` would replace it; the question shows, the
 * recovery copy of the edit is there while it does, and each answer does what it says.
 */
async function askThreeTimes(opts: {
  page: Page;
  step(name: string): Promise<void>;
  what: string;
  /** Starts the action that would replace the document. */
  trigger(): Promise<void>;
  /** The name the document has after the action went through. */
  replacedBy: RegExp;
  /** The recovery copies now. */
  recovery(): Promise<{ title: string; text: string }[]>;
  /** Called before Save is clicked: returns a wait for (and check of) the save. */
  watchSave(): () => Promise<void>;
  /** Back to an edited yolov5s.yaml. */
  reset(): Promise<void>;
}) {
  const { page, step, what } = opts;
  const edited = async () =>
    (await opts.recovery()).some((e) => e.title === 'yolov5s.yaml' && e.text.includes('nc: 7'));
  for (const answer of ANSWERS) {
    await opts.reset();
    await opts.trigger();
    await expectQuestion(page, 'yolov5s.yaml');
    // the recovery copy exists while the user decides (written before asking, not 3 s later)
    assert.ok(await edited(), `${what}: the recovery copy is there while asking`);
    await step(`${what}: asked (${answer} next)`);
    const saved = answer === 'Save' ? opts.watchSave() : null;
    await dialog(page).getByRole('button', { name: answer, exact: true }).click();
    await dialog(page).waitFor({ state: 'detached' });
    if (answer === 'Cancel') {
      assert.match((await fileName(page)) ?? '', /yolov5s\.yaml/);
      await page.getByLabel('unsaved').waitFor();
      await page.locator('.cm-line', { hasText: 'nc: 7' }).waitFor();
      assert.ok(await edited(), `${what}: Cancel keeps the recovery copy`);
    } else {
      if (saved) await saved();
      await until(`${what}: ${answer} replaced the document`, async () =>
        opts.replacedBy.test((await page.locator('body').textContent()) ?? ''),
      );
      await until(`${what}: ${answer} let the recovery copy go`, async () => !(await edited()));
    }
    await step(`${what}: ${answer}`);
  }
}

/** Open yolov5s (a template link) with no recovery copies left from before, and edit it. */
async function editedYolov5s(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}?template=yolov5s`);
  await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('yolo-architect', 1);
        req.onupgradeneeded = () => req.result.createObjectStore('autosave', { keyPath: 'id' });
        req.onsuccess = () => {
          const t = req.result.transaction('autosave', 'readwrite');
          t.objectStore('autosave').clear();
          t.oncomplete = () => resolve();
          t.onerror = () => reject(t.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
  await makeUnsaved(page);
}

export const unsavedTests: E2ETest[] = [
  {
    name: 'unsaved changes: New asks Save / Don’t save / Cancel, and keeps the recovery copy until answered',
    async run({ page, baseUrl, step }) {
      await askThreeTimes({
        page,
        step,
        what: 'New',
        reset: () => editedYolov5s(page, baseUrl),
        trigger: () => page.getByRole('button', { name: 'New', exact: true }).click(),
        replacedBy: /Templates/,
        recovery: () => browserRecovery(page),
        watchSave: () => {
          // the browser saves by downloading
          const download = page.waitForEvent('download');
          return async () => {
            const d = await download;
            assert.equal(d.suggestedFilename(), 'yolov5s.yaml');
            assert.match(fs.readFileSync(await d.path(), 'utf8'), /nc: 7/);
          };
        },
      });
      await page.getByRole('main', { name: 'Start' }).waitFor();
    },
  },
  {
    name: 'unsaved changes: Open asks after a file is chosen, with each of the three answers',
    async run({ page, baseUrl, step }) {
      await askThreeTimes({
        page,
        step,
        what: 'Open',
        reset: () => editedYolov5s(page, baseUrl),
        trigger: async () => {
          const [chooser] = await Promise.all([
            page.waitForEvent('filechooser'),
            page.getByRole('button', { name: 'Open…' }).first().click(),
          ]);
          await chooser.setFiles({ name: 'other.yaml', mimeType: 'text/yaml', buffer: Buffer.from(yolov5n) });
        },
        replacedBy: /other\.yaml/,
        recovery: () => browserRecovery(page),
        watchSave: () => {
          const download = page.waitForEvent('download');
          return async () => assert.equal((await download).suggestedFilename(), 'yolov5s.yaml');
        },
      });
      assert.equal(await page.getByLabel('parameters', { exact: true }).textContent(), '1,872,157');
      // a dataset YAML does not replace the model: no question
      await makeUnsaved(page, '5');
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Open…' }).first().click(),
      ]);
      await chooser.setFiles({
        name: 'shapes.yaml',
        mimeType: 'text/yaml',
        buffer: Buffer.from('path: ../datasets/shapes\nnames:\n  0: circle\n  1: square\n  2: triangle\n'),
      });
      await page.getByRole('status').filter({ hasText: '3 classes' }).waitFor();
      assert.equal(await dialog(page).count(), 0);
      await step('a dataset YAML sets nc without asking');
    },
  },
];

/* ------------------------------------------------------------------------------------------------------------
 * The desktop page: the same build with window.yoloArchitect provided by a stand-in for main (recording
 * every call), as the preload would provide it.
 * ---------------------------------------------------------------------------------------------------------- */

interface FakeMainState {
  calls: [string, ...unknown[]][];
  autosave: Record<string, { id: string; path: string | null; title: string; text: string }>;
  answers: string[];
  dirty: boolean[];
  folder: Record<string, string | null>;
}

/** A preload API over in-page state (window.__main), installed before the app loads. */
const FAKE_MAIN = path.join(import.meta.dirname, 'fake-desktop-main.js');

const main = (page: Page) => page.evaluate(() => (window as unknown as { __main: FakeMainState }).__main);
const emit = (page: Page, kind: string, v?: unknown) =>
  page.evaluate(
    ([k, x]) => (window as unknown as { __main: { emit(k: string, v: unknown): void } }).__main.emit(k as string, x),
    [kind, v] as const,
  );

/** A desktop page with yolov5s.yaml opened from disk (a path) and edited. */
async function desktopEdited(page: Page, baseUrl: string) {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'yolov5s', exact: true }).waitFor();
  const text = fs.readFileSync(path.join(CONFIGS, 'yolov5s.yaml'), 'utf8');
  await emit(page, 'openFile', { name: 'yolov5s.yaml', path: '/home/u/models/yolov5s.yaml', text });
  await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
  await makeUnsaved(page);
}

const desktopRecovery = async (page: Page) => Object.values((await main(page)).autosave);
const desktopSaved = (page: Page) => async () => {
  await until('the save reached main', async () =>
    (await main(page)).calls.some(
      (c) => c[0] === 'save' && c[1] === '/home/u/models/yolov5s.yaml' && String(c[2]).includes('nc: 7'),
    ),
  );
};

export const desktopUnsavedTests: E2ETest[] = [
  {
    name: 'desktop: File > New from Template with unsaved changes asks, with each of the three answers',
    async run({ page, baseUrl, step }) {
      await page.addInitScript({ path: FAKE_MAIN });
      await askThreeTimes({
        page,
        step,
        what: 'New from Template',
        reset: () => desktopEdited(page, baseUrl),
        trigger: () => emit(page, 'menu', { newFromTemplate: 'yolov5n' }),
        replacedBy: /yolov5n\.yaml/,
        recovery: () => desktopRecovery(page),
        watchSave: () => desktopSaved(page),
      });
    },
  },
  {
    name: 'desktop: Open Recent, and a file from the OS or the command line, with unsaved changes ask, with each of the three answers',
    async run({ page, baseUrl, step }) {
      await page.addInitScript({ path: FAKE_MAIN });
      // main reads the file and sends it to the page: the same message for Open Recent, the OS and argv
      await askThreeTimes({
        page,
        step,
        what: 'Open Recent',
        reset: () => desktopEdited(page, baseUrl),
        trigger: () =>
          emit(page, 'openFile', { name: 'recent.yaml', path: '/home/u/models/recent.yaml', text: yolov5n }),
        replacedBy: /recent\.yaml/,
        recovery: () => desktopRecovery(page),
        watchSave: () => desktopSaved(page),
      });
    },
  },
  {
    name: 'desktop: closing the window with unsaved changes asks; Cancel keeps it, Don’t save drops the recovery copy',
    async run({ page, baseUrl, step }) {
      await page.addInitScript({ path: FAKE_MAIN });
      await desktopEdited(page, baseUrl);
      // main was told at once that closing must ask
      await until('main knows the document is unsaved', async () => (await main(page)).dirty.at(-1) === true);
      const nc: Record<Answer, string> = { Cancel: '6', "Don't save": '8', Save: '9' };
      for (const answer of ANSWERS) {
        await makeUnsaved(page, nc[answer]);
        const before = (await main(page)).answers.length;
        await emit(page, 'close');
        await expectQuestion(page, 'yolov5s.yaml');
        await until('the page told main it is asking', async () => (await main(page)).answers[before] === 'asking');
        assert.ok((await desktopRecovery(page)).length > 0, 'the recovery copy is there while asking');
        await step(`close: asked (${answer} next)`);
        await dialog(page).getByRole('button', { name: answer, exact: true }).click();
        const expected = answer === 'Cancel' ? 'cancel' : 'proceed';
        await until(
          `close: ${answer} answered ${expected}`,
          async () => (await main(page)).answers[before + 1] === expected,
        );
        if (answer === 'Cancel') assert.ok((await desktopRecovery(page)).length > 0, 'Cancel keeps the recovery copy');
        if (answer === "Don't save")
          await until('Don’t save drops the recovery copy', async () => (await desktopRecovery(page)).length === 0);
        if (answer === 'Save') {
          await until('saved', async () =>
            (await main(page)).calls.some((c) => c[0] === 'save' && String(c[2]).includes('nc: 9')),
          );
          await until('main knows it is saved', async () => (await main(page)).dirty.at(-1) === false);
        }
        await step(`close: ${answer}`);
      }
      // with nothing unsaved the page lets the window close without asking
      const before = (await main(page)).answers.length;
      await emit(page, 'close');
      await until('closed without asking', async () => (await main(page)).answers[before] === 'proceed');
      assert.equal(await dialog(page).count(), 0);
    },
  },
  {
    name: 'desktop: restoring from recovery writes the new copy before deleting the old, through main',
    async run({ page, baseUrl, step }) {
      await page.addInitScript({ path: FAKE_MAIN });
      await page.addInitScript(() => {
        const m = (window as unknown as { __main: FakeMainState }).__main;
        m.autosave['earlier-1'] = {
          id: 'earlier-1',
          path: '/home/u/models/yolov5s.yaml',
          title: 'yolov5s.yaml',
          text: 'nc: 7\ndepth_multiple: 0.33\nwidth_multiple: 0.25\nanchors: 3\nbackbone:\n  [[-1, 1, Conv, [64, 6, 2, 2]]]\nhead: []\n',
          savedAt: 1,
        } as FakeMainState['autosave'][string] & { savedAt: number };
      });
      await page.goto(baseUrl);
      const banner = page.getByRole('region', { name: 'Recovered work' });
      await banner.waitFor();
      await step('offered');
      await banner.getByRole('button', { name: 'Restore' }).click();
      await page.getByLabel('unsaved').waitFor();
      await until('restored through main', async () =>
        (await main(page)).calls.some((c) => c[0] === 'restoreAutosave' && c[1] === 'earlier-1'),
      );
      const m = await main(page);
      assert.deepEqual(
        Object.values(m.autosave).map((e) => [e.title, e.path]),
        [['yolov5s.yaml', '/home/u/models/yolov5s.yaml']],
      );
      assert.ok(!('earlier-1' in m.autosave));
      await step('restored');
    },
  },
  {
    name: 'desktop: Export for YOLOv5 into a folder with other files under its names asks first, listing them',
    async run({ page, baseUrl, step }) {
      await page.addInitScript({ path: FAKE_MAIN });
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'yolov5s', exact: true }).waitFor();
      const text = fs.readFileSync(path.join(CONFIGS, 'yolov5s-res2net.yaml'), 'utf8');
      await emit(page, 'openFile', { name: 'res2net.yaml', path: '/home/u/models/res2net.yaml', text });
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      const exportDialog = page.getByRole('dialog', { name: 'Export for YOLOv5' });
      const writes = async () => (await main(page)).calls.filter((c) => c[0] === 'writeExportFiles');
      const exportOnce = async () => {
        await page.getByRole('button', { name: 'Export for YOLOv5…' }).click();
        await exportDialog.getByRole('button', { name: 'Write into a folder…' }).click();
      };

      // into an empty folder: no question, every file written
      await exportOnce();
      await exportDialog.getByText('Written into /home/u/exports').waitFor();
      const first = await writes();
      assert.equal(first.length, 1);
      const names = first[0][2] as string[];
      assert.ok(names.includes('res2net.yaml') && names.includes('yolov5-v7.0.patch'), names.join());
      await page.keyboard.press('Escape');

      // the model edited, then exported again: only the changed file is listed; Cancel writes nothing
      await makeUnsaved(page);
      await exportOnce();
      const ask = page.getByRole('alertdialog', { name: 'Replace files in /home/u/exports?' });
      await ask.waitFor();
      assert.deepEqual(await ask.getByRole('listitem').allTextContents(), ['res2net.yaml']);
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'Cancel has the focus');
      await step('asked, listing the one file that differs');
      await page.keyboard.press('Escape'); // Escape is Cancel, and only the question closes
      await ask.waitFor({ state: 'detached' });
      assert.equal((await writes()).length, 1, 'Cancel wrote nothing');
      assert.doesNotMatch(String((await main(page)).folder['res2net.yaml']), /^nc: 7/m);
      await exportDialog.getByRole('button', { name: 'Write into a folder…' }).waitFor();

      // Replace: the changed file is written, the unchanged ones are left alone
      await exportDialog.getByRole('button', { name: 'Write into a folder…' }).click();
      await ask.getByRole('button', { name: 'Replace' }).click();
      await exportDialog.getByText('Written into /home/u/exports (replaced: res2net.yaml)').waitFor();
      const all = await writes();
      assert.equal(all.length, 2);
      assert.deepEqual(all[1][2], ['res2net.yaml']);
      assert.match(String((await main(page)).folder['res2net.yaml']), /^nc: 7/m);
      await step('replaced the changed file only');
    },
  },
];
