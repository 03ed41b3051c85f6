/**
 * Speed where the user runs it: the web build is cross-origin isolated (so tfjs-wasm has its threads), the
 * first load has no failed request, the network warms up in the background and Run is then one forward
 * pass, on wasm with as many threads as the machine has.
 */
import assert from 'node:assert/strict';
import type { E2ETest } from './harness.ts';
import { WEBGPU_ARGS } from './pages.ts';
import { assertPytorchDetections, runDemoOnAutoSoftware } from './run.e2e.ts';

export const speedTests: E2ETest[] = [
  {
    name: 'cross-origin isolated web build: no failed request, background warm-up, the demo on wasm with all threads',
    async run({ page, baseUrl, step }) {
      const failed: string[] = [];
      page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'demo: shapes' }).waitFor();
      assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true, 'crossOriginIsolated');
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      await page.getByRole('button', { name: 'demo: shapes' }).click();
      const run = page.getByRole('region', { name: 'Run' });
      await run.getByLabel('Backend', { exact: true }).selectOption('wasm');
      // the warm-up says what it does, then that the network is ready
      await run.getByRole('status', { name: 'Warm-up' }).waitFor({ timeout: 30_000 });
      await step('warming up');
      await run
        .getByRole('status', { name: 'Warm-up' })
        .filter({ hasText: /Ready: built and run once on wasm/ })
        .waitFor({ timeout: 120_000 });
      await step('warm');
      await run.getByRole('button', { name: 'Run network' }).click();
      const view = page.getByRole('dialog', { name: 'Run result' });
      await view.waitFor({ timeout: 120_000 });
      assert.equal(await view.getByLabel('backend', { exact: true }).textContent(), 'wasm');
      const threads = Math.min(8, cores);
      assert.equal(await view.getByLabel('threads', { exact: true }).textContent(), `${threads} threads`);
      assert.match((await view.getByLabel('Run summary').textContent()) ?? '', /warm: one forward pass/);
      await step('result view');
      assert.deepEqual(failed, []);
    },
  },
  {
    name: 'WebGPU chosen where the browser has an adapter: the demo warms up and runs on WebGPU, and finds what PyTorch finds; auto skips the software adapter',
    browserArgs: WEBGPU_ARGS,
    async run({ page, baseUrl, step }) {
      // this adapter is SwiftShader's Vulkan: the automatic choice passes it (and WebGL) by for wasm
      const { run, view: auto } = await runDemoOnAutoSoftware(page, baseUrl, step);
      assert.match(
        (await auto.getByLabel('Backend fallbacks').textContent()) ?? '',
        /^not webgpu: software-rendered \(SwiftShader\): wasm on the CPU is faster and leaves the canvas free to draw · not webgl: software-rendered \(SwiftShader\)/,
      );
      await step('auto on wasm, the software adapter named');
      await auto.getByRole('button', { name: 'Close run result' }).click();
      await auto.waitFor({ state: 'hidden' });
      await run.getByLabel('Backend', { exact: true }).selectOption('webgpu');
      await run
        .getByRole('status', { name: 'Warm-up' })
        .filter({ hasText: /Ready: built and run once on webgpu/ })
        .waitFor({ timeout: 600_000 });
      await step('warm on webgpu');
      await run.getByRole('button', { name: 'Run network' }).click();
      const view = page.getByRole('dialog', { name: 'Run result' });
      await view.getByRole('table', { name: 'Detections' }).waitFor({ timeout: 600_000 });
      assert.equal(await view.getByLabel('backend', { exact: true }).textContent(), 'webgpu');
      assert.equal(await view.getByLabel('Backend fallbacks').count(), 0);
      assert.match((await view.getByLabel('Run summary').textContent()) ?? '', /warm: one forward pass/);
      await assertPytorchDetections(view);
      await step('result on webgpu');
    },
  },
];
