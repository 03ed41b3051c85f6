/**
 * Crash recovery end to end: edit, kill the browser that holds the state without saving, start again,
 * restore, and get the edits back. (Its own persistent browser profile, so it launches Chromium itself.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, RESULTS, serve, WEB } from './harness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function crashRecoveryTest(): Promise<boolean> {
  const name = 'crash recovery: edit, kill, start again, restore';
  const dir = path.join(RESULTS, 'crash-recovery-edit-kill-start-again-restore');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ya-profile-'));
  const server = await serve(WEB);
  const t0 = performance.now();
  try {
    // first run: open a template and edit it, then die without saving
    let ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1600, height: 1000 },
    });
    let page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(server.url);
    await page.getByRole('button', { name: 'yolov5s', exact: true }).click();
    await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
    const nc = page.getByRole('region', { name: 'Inspector' }).getByLabel('classes (nc)');
    await nc.fill('7');
    await nc.press('Enter');
    await page.getByLabel('parameters', { exact: true }).filter({ hasText: '7,038,508' }).waitFor();
    await page.waitForTimeout(4500); // autosave every 3 s (IndexedDB, strict durability)
    await page.screenshot({ path: path.join(dir, '01-edited.png') });
    // kill -9 every Chromium process of this profile: no unload handlers, no chance to save
    // ('[x]' in the pattern keeps pkill from matching the shell that runs it)
    execSync(`pkill -9 -f -- "[${profile[0]}]${profile.slice(1)}" || true`);
    await ctx.close().catch(() => undefined);

    // second run: the same profile offers the work back
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1600, height: 1000 },
    });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(server.url);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(dir, '02-started-again.png') });
    const banner = page.getByRole('region', { name: 'Recovered work' });
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /Unsaved changes to yolov5s\.yaml/);
    await page.screenshot({ path: path.join(dir, '03-offered.png') });
    await banner.getByRole('button', { name: 'Restore' }).click();
    await page.getByLabel('parameters', { exact: true }).filter({ hasText: '7,038,508' }).waitFor();
    assert.ok(((await page.locator('.cm-content').textContent()) ?? '').includes('nc: 7'), 'the YAML has the edit');
    await page.screenshot({ path: path.join(dir, '04-restored.png') });
    await ctx.close();
    console.log(`  ✓ ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return true;
  } catch (e) {
    console.log(`  ✗ ${name}\n${String((e as Error).stack ?? e).replace(/^/gm, '      ')}`);
    return false;
  } finally {
    await server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
