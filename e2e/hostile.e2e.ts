/**
 * A hostile file never freezes the window: files made to keep a reader busy for minutes are opened through
 * the app's Open button while a probe on the page's thread measures how long the page went without running
 * (its longest gap). The file is read in the read worker; the window stays responsive and the user is told
 * what happened. The files are generated here, not stored.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { crc32 } from '../src/core/checkpoint/zip.ts';
import type { E2ETest } from './harness.ts';

/** 300 rows of C3 with n: 1000 at depth_multiple: 100 (valid-looking YAML; minutes of analysis without limits). */
export function repeatsBomb(): string {
  const rows = Array.from({ length: 300 }, () => '  - [-1, 1000, C3, [64]]').join('\n');
  return `nc: 80\ndepth_multiple: 100\nwidth_multiple: 1.0\nanchors: 3\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\n${rows}\nhead:\n  - [-1, 1, Conv, [64, 1, 1]]\n`;
}

/** The same size of model without the multiplied work (n: 1 at depth_multiple: 0.33): its open is the yardstick. */
export function sameSizeModel(): string {
  return repeatsBomb().replace('depth_multiple: 100', 'depth_multiple: 0.33').replaceAll('[-1, 1000, C3', '[-1, 1, C3');
}

/** A stored (uncompressed) zip, as torch.save writes it. */
function storedZip(files: [string, Uint8Array][]): Uint8Array {
  const out: number[] = [];
  const central: number[] = [];
  const u16 = (n: number) => [n & 255, (n >>> 8) & 255];
  const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
  for (const [name, data] of files) {
    const nb = [...new TextEncoder().encode(name)];
    const offset = out.length;
    const crc = crc32(data);
    const sizes = [...u32(crc), ...u32(data.length), ...u32(data.length)];
    out.push(...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...sizes);
    out.push(...u16(nb.length), ...u16(0), ...nb);
    for (const b of data) out.push(b);
    central.push(...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...sizes);
    central.push(...u16(nb.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(offset), ...nb);
  }
  const at = out.length;
  out.push(...central);
  out.push(...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(files.length), ...u16(files.length));
  out.push(...u32(central.length), ...u32(at), ...u16(0));
  return new Uint8Array(out);
}

/**
 * A 30 KB checkpoint whose pickle inserts one tuple of 9,000 ints as a dict key 30,000 times (memoised, so
 * the file stays small): each insert works through the whole key, about 75 s in one thread on this machine.
 */
export function tupleKeyBomb(width = 9000, inserts = 30_000): Uint8Array {
  const p: number[] = [0x80, 2, 0x7d /* EMPTY_DICT */, 0x28 /* MARK */];
  for (let i = 0; i < width; i++) p.push(0x4b, i & 255); // BININT1
  p.push(0x74 /* TUPLE */, 0x71, 0 /* BINPUT 0 */, 0x30 /* POP */, 0x28 /* MARK */);
  for (let i = 0; i < inserts; i++) p.push(0x68, 0 /* BINGET 0 */, 0x4b, 1);
  p.push(0x75 /* SETITEMS */, 0x2e /* STOP */);
  return storedZip([['archive/data.pkl', new Uint8Array(p)]]);
}

/**
 * Start measuring the page thread's longest gap (a 20 ms timer that records how late each tick comes). A
 * string, so the bundler's helpers for named functions do not follow it into the page.
 */
const startProbe = (page: Page) =>
  page.evaluate(`(() => {
    window.__gap = 0;
    window.__probe = true;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      window.__gap = Math.max(window.__gap, now - last);
      last = now;
      if (window.__probe) setTimeout(tick, 20);
    };
    setTimeout(tick, 20);
  })()`);
const stopProbe = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __gap: number; __probe: boolean };
    w.__probe = false;
    return w.__gap;
  });

/** Open a file through the app's Open button (the browser host's file input). */
async function openThroughButton(page: Page, name: string, buffer: Buffer) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open…' }).first().click(),
  ]);
  await chooser.setFiles({ name, mimeType: 'application/octet-stream', buffer });
}

/** The page answers while the file is read: a click on the language menu changes the UI at once. */
async function stillAnswers(page: Page) {
  const t0 = Date.now();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
  await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  return Date.now() - t0;
}

export const hostileTests: E2ETest[] = [
  {
    name: 'hostile file: a YAML that multiplies work keeps the page responsive and says what is wrong',
    async run({ page, baseUrl, step }) {
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'yolov5s', exact: true }).waitFor();
      // the yardstick, measured in the same run: opening a model of the same size (302 rows) without the
      // multiplied work; drawing that many nodes holds the page thread for a while on its own
      await startProbe(page);
      await openThroughButton(page, 'plain.yaml', Buffer.from(sameSizeModel()));
      await page.getByLabel('file', { exact: true }).getByText('plain.yaml').waitFor();
      await page.getByLabel('layer 300 C3', { exact: true }).waitFor({ state: 'attached' });
      await stillAnswers(page);
      await page.waitForTimeout(500);
      const peer = await stopProbe(page);
      await startProbe(page);
      const t0 = Date.now();
      await openThroughButton(page, 'repeats.yaml', Buffer.from(repeatsBomb()));
      const answered = await stillAnswers(page);
      await step('reading the file; the page answers');
      // either the reader's limit (the file is not opened) or the analysis' own bound (opened with its errors)
      const toast = page.getByRole('alert').filter({ hasText: 'repeats.yaml' });
      const problems = page.getByRole('region', { name: 'Problems' }).locator('.problem.error');
      await toast.or(problems.first()).waitFor({ timeout: 15_000 });
      const ms = Date.now() - t0;
      const gap = await stopProbe(page);
      await step('told what happened');
      console.log(
        `      repeats.yaml: answered in ${ms} ms; longest page stall ${gap.toFixed(0)} ms (opening the same size of plain model: ${peer.toFixed(0)} ms); a click took ${answered} ms`,
      );
      // a frozen page cannot run the probe: its gap is the whole read (minutes without the worker and the
      // core's bounds); what may remain is drawing the rows, which the plain model of the same size costs too
      assert.ok(
        gap < Math.max(1500, 3 * peer),
        `the page stalled for ${gap.toFixed(0)} ms (plain: ${peer.toFixed(0)} ms)`,
      );
      if (await toast.count())
        assert.match(
          (await toast.textContent()) ?? '',
          /repeats\.yaml was not opened: reading it took longer than 3 s/,
        );
    },
  },
  {
    name: 'hostile file: a .pt whose pickle takes minutes is read off the page thread; the page stays responsive',
    async run({ page, baseUrl, step }) {
      await page.goto(`${baseUrl}?template=yolov5n`);
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      // what the page does while the file is read (switch the language twice, select a layer) costs this much
      // on its own, measured in the same run
      const use = async () => {
        const answered = await stillAnswers(page);
        await page.getByLabel('layer 2 C3', { exact: true }).click();
        await page.getByRole('region', { name: 'Inspector' }).getByRole('heading', { name: 'layer 2 C3' }).waitFor();
        await page.getByLabel('layer 0 Conv', { exact: true }).click();
        return answered;
      };
      await startProbe(page);
      await use();
      const peer = await stopProbe(page);
      await startProbe(page);
      const t0 = Date.now();
      await openThroughButton(page, 'bomb.pt', Buffer.from(tupleKeyBomb()));
      // the open model is still there and still works while the file is read
      const answered = await use();
      await step('reading bomb.pt; the model still answers');
      const toast = page.getByRole('alert').filter({ hasText: 'bomb.pt' });
      await toast.waitFor({ timeout: 40_000 });
      const ms = Date.now() - t0;
      const gap = await stopProbe(page);
      await step('told what happened');
      console.log(
        `      bomb.pt: answered in ${ms} ms; longest page stall ${gap.toFixed(0)} ms (the same use without a file read: ${peer.toFixed(0)} ms); a click took ${answered} ms`,
      );
      assert.ok(
        gap < Math.max(1500, 3 * peer),
        `the page stalled for ${gap.toFixed(0)} ms (without: ${peer.toFixed(0)} ms)`,
      );
      assert.match((await page.getByLabel('file', { exact: true }).textContent()) ?? '', /yolov5n\.yaml/);
      // the unpickler's refusal is a message: in Chinese when Chinese is chosen, its numbers kept
      assert.match(
        (await toast.textContent()) ?? '',
        /bomb\.pt: the pickle's dict keys take more than 50,000,000 characters/,
      );
      await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
      await page
        .getByRole('alert')
        .filter({ hasText: 'bomb.pt：pickle 中字典键的比较工作量超过 50,000,000 个字符' })
        .waitFor();
      await step('the refusal in Chinese');
      await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    },
  },
];
