/**
 * PyTorch parity on the GPU backends, in Chromium: the parity fixtures run on WebGPU (SwiftShader's Vulkan:
 * `--enable-unsafe-webgpu --enable-features=Vulkan --use-vulkan=swiftshader`, no GPU needed) and on WebGL
 * (SwiftShader), compared with PyTorch's outputs exactly as the Node tests compare cpu and wasm.
 */
import assert from 'node:assert/strict';
import type { E2ETest } from './harness.ts';
import { buildPages, servePages, WEBGPU_ARGS } from './pages.ts';
import { PARITY_FIXTURES, PARITY_TOLERANCE } from '../src/testing/parity-fixtures.ts';
import { hasReference, referencePath } from '../src/testing/reference-paths.ts';
import type { ParityResult } from './parity/main.ts';

export const parityTests: E2ETest[] = [
  {
    name: 'PyTorch parity on WebGPU and WebGL in Chromium: pred, raw levels, proto and every layer within 1e-3',
    browserArgs: WEBGPU_ARGS,
    async run({ page }) {
      if (!hasReference) {
        if (process.env.CI)
          throw new Error(`${referencePath()} is missing (the reference data must be beside the project in CI)`);
        console.log(`    (skipped: ${referencePath()} not found)`);
        return;
      }
      await buildPages();
      const server = await servePages();
      try {
        await page.goto(`${server.url}e2e/parity/index.html`);
        await page.getByText('ready').waitFor();
        for (const backend of ['webgpu', 'webgl'] as const)
          for (const fx of PARITY_FIXTURES) {
            const r = await page.evaluate(
              ([b, name]) =>
                (window as unknown as { parity(b: string, n: string): Promise<ParityResult> }).parity(b, name),
              [backend, fx.name] as const,
            );
            assert.equal(r.backend, backend, `${fx.name} ran on ${r.backend}: ${JSON.stringify(r.skipped)}`);
            assert.deepEqual(r.mismatched, [], `${backend} ${fx.name}: outputs missing or of another shape`);
            assert.ok(Object.keys(r.errors).filter((k) => k.startsWith('layer.')).length > 20);
            const bad = Object.entries(r.errors).filter(([, e]) => !(e <= PARITY_TOLERANCE));
            assert.deepEqual(bad, [], `${backend} ${fx.name}`);
            assert.equal(r.tensors[1], r.tensors[0], `${backend} ${fx.name}: tensors left behind`);
            const worst = (p: string) =>
              Math.max(
                ...Object.entries(r.errors)
                  .filter(([k]) => k.startsWith(p))
                  .map(([, e]) => e),
              ).toExponential(2);
            console.log(
              `      ${backend} ${fx.name}: worst pred ${worst('pred')}, raw ${worst('raw.')}${fx.proto ? `, proto ${worst('proto')}` : ''}, layers ${worst('layer.')}`,
            );
          }
      } finally {
        await server.close();
      }
    },
  },
];
