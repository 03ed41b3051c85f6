/**
 * The real desktop app through Playwright's Electron driver: where an Electron binary is installed (a user's
 * machine), build main, preload and renderer as Forge lays them out (.vite/), launch, and check the window,
 * its isolation and the same first flow as the web build. Where none could be installed (this project's CI
 * machine), it says so and skips.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { ROOT } from './harness.ts';

export interface SuiteResult {
  passed: number;
  failed: number;
  skipped: number;
}

function electronBinary(): string | null {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const rel = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const bin = path.join(dir, 'dist', rel);
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

async function buildForElectron() {
  const { build } = await import('vite');
  const define = { MAIN_WINDOW_VITE_NAME: JSON.stringify('main_window') };
  await build({
    configFile: path.join(ROOT, 'vite.main.config.ts'),
    define,
    logLevel: 'error',
    build: { outDir: path.join(ROOT, '.vite/build'), emptyOutDir: false },
  });
  await build({
    configFile: path.join(ROOT, 'vite.preload.config.ts'),
    logLevel: 'error',
    build: { outDir: path.join(ROOT, '.vite/build'), emptyOutDir: false },
  });
  await build({
    configFile: path.join(ROOT, 'vite.renderer.config.ts'),
    logLevel: 'error',
    build: { outDir: path.join(ROOT, '.vite/renderer/main_window'), emptyOutDir: true },
  });
}

export async function electronTests(): Promise<SuiteResult> {
  const bin = electronBinary();
  if (!bin) {
    console.log(
      '  - Electron suite skipped: no Electron binary is installed here (the web build ran the same flows above)',
    );
    return { passed: 0, failed: 0, skipped: 1 };
  }
  const name =
    'desktop app: isolated renderer (no require, no process, only the preload API, cross-origin isolated on app://), opens yolov5s, 25 layers and 7,235,389 parameters';
  try {
    await buildForElectron();
    const app = await _electron.launch({ executablePath: bin, args: [ROOT], cwd: ROOT });
    try {
      const page = await app.firstWindow();
      await page.getByRole('button', { name: 'yolov5s', exact: true }).click();
      await page.getByLabel('layer 24 Detect', { exact: true }).waitFor();
      assert.equal(await page.locator('.react-flow__node-layer').count(), 25);
      assert.equal(await page.getByLabel('parameters', { exact: true }).textContent(), '7,235,389');
      const isolation = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        api: typeof (globalThis as { yoloArchitect?: unknown }).yoloArchitect,
        crossOriginIsolated: globalThis.crossOriginIsolated,
        origin: location.origin,
      }));
      assert.deepEqual(isolation, {
        require: 'undefined',
        process: 'undefined',
        api: 'object',
        crossOriginIsolated: true,
        origin: 'app://yolo-architect',
      });
      await page.screenshot({ path: path.join(ROOT, 'test-results', 'electron-yolov5s.png') });
    } finally {
      await app.close();
    }
    console.log(`  ✓ ${name}`);
    return { passed: 1, failed: 0, skipped: 0 };
  } catch (e) {
    console.log(`  ✗ ${name}\n${String((e as Error).stack ?? e).replace(/^/gm, '      ')}`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
}
