/**
 * PyTorch parity in Chromium: the parity fixtures run on WebGPU (SwiftShader's Vulkan:
 * `--enable-unsafe-webgpu --enable-features=Vulkan --use-vulkan=swiftshader`, no GPU needed), on WebGL
 * (SwiftShader) and on the threaded wasm build (2 threads: Node's tfjs-wasm has none), compared with PyTorch's
 * outputs exactly as the Node tests compare cpu and wasm.
 */
import assert from 'node:assert/strict';
import type { E2ETest } from './harness.ts';
import { buildPages, servePages, WEBGPU_ARGS } from './pages.ts';
import { PARITY_FIXTURES, PARITY_TOLERANCE, ULTRALYTICS_PARITY_FIXTURES } from '../src/testing/parity-fixtures.ts';
import { hasReference, referencePath } from '../src/testing/reference-paths.ts';
import type { ParityResult, SplitCheck } from './parity/main.ts';
import { CONV_KERNEL } from '../src/runtime/conv-gemm.ts';
import { DETECT_KERNEL } from '../src/runtime/detect.ts';
import { SLICE_KERNEL } from '../src/runtime/slice.ts';

type ParityFn = (b: string, n: string, threads?: number) => Promise<ParityResult>;

/** Skips without the reference data (fails in CI); else serves the parity page and runs `body` on it. */
async function onParityPage(page: import('playwright-core').Page, body: () => Promise<void>) {
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
    await body();
  } finally {
    await server.close();
  }
}

/** One fixture on one backend, checked against PyTorch within PARITY_TOLERANCE; the page's result. */
async function checkParity(
  page: import('playwright-core').Page,
  backend: 'webgpu' | 'webgl' | 'wasm',
  fx: (typeof PARITY_FIXTURES)[number],
  threads?: number,
): Promise<ParityResult> {
  const r = await page.evaluate(([b, name, t]) => (window as unknown as { parity: ParityFn }).parity(b, name, t), [
    backend,
    fx.name,
    threads,
  ] as const);
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
    `      ${backend}${threads ? ` ${r.threads} threads` : ''} ${fx.name}: worst pred ${worst('pred')}, raw ${worst('raw.')}${fx.proto ? `, proto ${worst('proto')}` : ''}, layers ${worst('layer.')}`,
  );
  return r;
}

export const parityTests: E2ETest[] = [
  {
    name: 'PyTorch parity on WebGPU and WebGL in Chromium: pred, raw levels, proto and every layer within 1e-3',
    browserArgs: WEBGPU_ARGS,
    run: ({ page }) =>
      onParityPage(page, async () => {
        for (const backend of ['webgpu', 'webgl'] as const)
          for (const fx of PARITY_FIXTURES) await checkParity(page, backend, fx);
      }),
  },
  {
    name: 'PyTorch parity on threaded wasm (2 threads, cross-origin isolated): YOLOv5n, YOLOv8n and YOLO11n, convolutions on our kernel and SiLU as one kernel (each split with a helper thread), slices within the shared memory',
    run: ({ page }) =>
      onParityPage(page, async () => {
        assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'crossOriginIsolated');
        for (const fx of [...PARITY_FIXTURES, ...ULTRALYTICS_PARITY_FIXTURES]) {
          const r = await checkParity(page, 'wasm', fx, 2);
          assert.equal(r.threads, 2, `${fx.name}: threads`);
          const k = r.kernels;
          // every ungrouped convolution on our kernel (YOLOv5n has 60, YOLO11n 90), none on tfjs's (XNNPACK)
          assert.ok(
            (k[CONV_KERNEL] ?? 0) >= 50,
            `${fx.name}: ${k[CONV_KERNEL]} convolutions of ours (${JSON.stringify(k)})`,
          );
          assert.ok(!k.FusedConv2D && !k.Conv2D, `${fx.name}: tfjs's convolutions ran (${JSON.stringify(k)})`);
          // SiLU in our convolutions' store or one kernel of its own; Sigmoid only in the heads (three levels in
          // YOLOv5's Detect, one in Ultralytics'), where two kernels per SiLU would make ~57 of each
          assert.ok((k.Sigmoid ?? 0) <= 3, `${fx.name}: ${k.Sigmoid} Sigmoid kernels (SiLU as two kernels?)`);
          // YOLOv5's Detect (not Segment) decoded in one kernel of ours on the shared memory too
          if (!fx.file && !fx.proto)
            assert.ok(k[DETECT_KERNEL] === 1 && !k.Sigmoid, `${fx.name}: Detect's decoding ${JSON.stringify(k)}`);
          // Ultralytics' heads cut their rows (box and class, DFL's sides) with our slice, on the shared memory
          if (fx.file) assert.ok((k[SLICE_KERNEL] ?? 0) > 0 && !k.Slice, `${fx.name}: slices ${JSON.stringify(k)}`);
        }
        // a large map's SiLU in chunks and a convolution in bands of rows, with a helper thread: bitwise what one
        // thread alone writes
        const splits = await page.evaluate(() =>
          (window as unknown as { helperSplits(): Promise<Record<'silu' | 'conv', SplitCheck>> }).helperSplits(),
        );
        for (const [name, split] of Object.entries(splits)) {
          assert.ok(split.helped > 0, `${name}: no task taken by a helper thread in ${split.tries} tries`);
          assert.ok(split.equal, `${name} split with helpers differs from one thread alone`);
          console.log(`      ${name} split: ${split.helped} tasks by the helper in ${split.tries} runs, bitwise equal`);
        }
        // the backend disposed: tfjs ends its threads, our kernels' disposeFunc their helper (none left running)
        const workers = page.workers().length;
        assert.ok(workers >= 2, `${workers} workers: tfjs's thread and our helper expected`);
        await page.evaluate(() => (window as unknown as { removeWasm(): void }).removeWasm());
        for (let i = 0; i < 50 && page.workers().length; i++) await page.waitForTimeout(100);
        assert.equal(page.workers().length, 0, `workers left after tf.removeBackend('wasm') (of ${workers})`);
        console.log(`      tf.removeBackend('wasm'): all ${workers} workers ended`);
      }),
  },
];
