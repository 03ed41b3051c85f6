/**
 * `npm run bench:web`: the runtime in Chromium (playwright-core, Debian's Chromium), as a user's browser runs
 * it. yolov5n at 640 (the weights of reference/parity/yolov5n-160, the network of yolov5n-640/model.onnx),
 * Ultralytics' yolo11n at 640 (the network of reference/ultralytics/parity/yolo11n-640/model.onnx) and the demo
 * at 320, on tfjs wasm with 1 thread and with all threads, tfjs WebGL (and WebGPU with --webgpu),
 * and onnxruntime-web's wasm with the same thread counts on PyTorch's ONNX export. Every case is its own
 * page, set up and warmed up first; then the cases take turns, one forward each, for --rounds rounds, so a
 * change of load on the shared machine hits them alike. Prints medians, the ratio tfjs / onnxruntime-web per
 * thread count, tfjs wasm's per-kernel profile and the load average. WebGL/WebGPU here are SwiftShader
 * (no GPU): their times say nothing about a real GPU.
 * Options: --rounds N; --models yolov5n-640,yolo11n-640 (a subset); --no-webgl; --webgpu; --ab silu2 (a tfjs
 * wasm variant timed in the same rounds: silu2 = SiLU as Sigmoid and Multiply, silu1 = one kernel on one thread,
 * xnnconv = tfjs's XNNPACK convolutions, conv1 = ours on one thread, hostdetect = YOLOv5's Detect decoded on the host, before = as before this session); --silu (SiLU alone each way, on each thread count); --full-profile.
 */
import os from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../e2e/harness.ts';
import { buildPages, servePages, WEBGPU_ARGS } from '../e2e/pages.ts';
import { hasReference, referencePath } from '../src/testing/reference.ts';
import { ortProfileRows, printProfile, type KernelRow } from './profile.ts';
import { median } from './util.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string, def: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const ROUNDS = opt('rounds', 9);
const list = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1].split(',') : [];
};
const VARIANTS = list('ab');

if (!hasReference) {
  console.log(`bench:web skipped: ${referencePath()} is missing`);
  process.exit(0);
}

const ALL_MODELS = ['yolov5n-640', 'yolo11n-640', 'demo-320'] as const;
const MODELS = list('models').length
  ? ALL_MODELS.filter((m) => list('models').includes(m))
  : (ALL_MODELS as readonly (typeof ALL_MODELS)[number][]);

interface Case {
  model: (typeof ALL_MODELS)[number];
  kind: 'tfjs-wasm' | 'tfjs-webgl' | 'tfjs-webgpu' | 'ort-wasm';
  threads: number;
  /** An A/B variant of tfjs wasm (the page's `variant`), '' for the runtime as it is. */
  variant: string;
}

await buildPages();
const server = await servePages();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [...CHROMIUM_ARGS, ...(flag('webgpu') ? WEBGPU_ARGS : [])],
  headless: true,
});
const load0 = os.loadavg();
try {
  const probe = await browser.newPage();
  await probe.goto(`${server.url}bench/web/index.html`);
  const cores = await probe.evaluate(() => navigator.hardwareConcurrency);
  const isolated = await probe.evaluate(() => crossOriginIsolated);
  await probe.close();
  const all = Math.min(8, cores);
  const threadCounts = [...new Set([1, all])];
  const cases: Case[] = [];
  for (const model of MODELS) {
    for (const t of threadCounts)
      for (const variant of ['', ...VARIANTS]) cases.push({ model, kind: 'tfjs-wasm', threads: t, variant });
    if (!flag('no-webgl')) cases.push({ model, kind: 'tfjs-webgl', threads: 0, variant: '' });
    if (flag('webgpu')) cases.push({ model, kind: 'tfjs-webgpu', threads: 0, variant: '' });
    if (model !== 'demo-320')
      for (const t of threadCounts) cases.push({ model, kind: 'ort-wasm', threads: t, variant: '' });
  }
  console.log(
    `Chromium ${browser.version()}, ${cores} logical processors, cross-origin isolated: ${isolated}; ${ROUNDS} rounds after 3 warm-up runs each`,
  );

  type Bench = {
    step(): Promise<number>;
    sample(n: number): number[];
    profile(): Promise<unknown>;
    siluAB?(rounds: number): unknown;
  };
  const pages: { c: Case; page: Page; label: string; times: number[] }[] = [];
  for (const c of cases) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.log(`  page error (${c.kind} ${c.model}): ${e.message}`));
    await page.goto(
      `${server.url}bench/web/index.html?model=${c.model}&case=${c.kind}&threads=${c.threads}&variant=${c.variant}`,
    );
    const label = await page.evaluate(async () => {
      const b = await (window as unknown as { bench: Promise<{ ready: Promise<{ label: string }> }> }).bench;
      return (await b.ready).label;
    });
    pages.push({ c, page, label, times: [] });
  }
  const step = (p: Page) =>
    p.evaluate(async () => (await (window as unknown as { bench: Promise<Bench> }).bench).step());
  for (let r = 0; r < ROUNDS; r++) for (const p of pages) p.times.push(await step(p.page));

  const med = (c: Partial<Case>) =>
    pages.find((p) => Object.entries(c).every(([k, v]) => p.c[k as keyof Case] === v))?.times;
  for (const model of MODELS) {
    const about = {
      'demo-320': ' (configs/demo/demo-shapes.yaml)',
      'yolo11n-640': " (Ultralytics' YOLO11n; the ONNX export has other weights)",
      'yolov5n-640': '',
    }[model];
    console.log(`\n${model}${about}`);
    for (const p of pages.filter((x) => x.c.model === model)) {
      const m = median(p.times);
      let note = `min ${Math.min(...p.times).toFixed(1)} ms`;
      if (p.c.kind === 'tfjs-wasm') {
        const ort = med({ model, kind: 'ort-wasm', threads: p.c.threads });
        const base = p.c.variant ? med({ model, kind: 'tfjs-wasm', threads: p.c.threads, variant: '' }) : undefined;
        if (base) note += `; / tfjs as it is: ${(m / median(base)).toFixed(2)}x`;
        if (ort)
          note += `; tfjs / onnxruntime-web (${p.c.threads} thread${p.c.threads > 1 ? 's' : ''}): ${(m / median(ort)).toFixed(2)}x`;
      }
      console.log(`  ${p.label.padEnd(36)} ${m.toFixed(1).padStart(9)} ms  (median of ${p.times.length})  ${note}`);
    }
  }

  // tfjs and onnxruntime compute the same predictions
  const tf = pages.find((p) => p.c.model === 'yolov5n-640' && p.c.kind === 'tfjs-wasm' && !p.c.variant);
  const ort = pages.find((p) => p.c.model === 'yolov5n-640' && p.c.kind === 'ort-wasm');
  if (tf && ort) {
    const sample = (p: Page) =>
      p.evaluate(async () => (await (window as unknown as { bench: Promise<Bench> }).bench).sample(200_000));
    const [a, b] = [await sample(tf.page), await sample(ort.page)];
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
    console.log(
      `\nyolov5n-640 predictions, tfjs vs onnxruntime-web: worst |difference| / max(1, |value|) ${worst.toExponential(1)} over ${a.length} values`,
    );
  }

  // SiLU alone, one kernel against two, per thread count
  if (flag('silu'))
    for (const p of pages.filter((x) => x.c.kind === 'tfjs-wasm' && !x.c.variant && x.c.model === MODELS[0])) {
      const r = (await p.page.evaluate(async () =>
        (await (window as unknown as { bench: Promise<Bench> }).bench).siluAB!(41),
      )) as { split: number; one: number; two: number; helped: number };
      console.log(
        `\nSiLU on yolov5n-640's maps (${p.label}): one kernel ${r.split.toFixed(2)} ms split (${r.helped} chunks by helpers), ${r.one.toFixed(2)} ms on one thread; Sigmoid + Multiply ${r.two.toFixed(2)} ms`,
      );
    }

  // where the time goes with all threads: tfjs wasm's kernels (tf.profile), onnxruntime-web's nodes (its profiler)
  for (const prof of pages.filter(
    (p) =>
      p.c.model !== 'demo-320' &&
      (p.c.kind === 'tfjs-wasm' || p.c.kind === 'ort-wasm') &&
      p.c.threads === all &&
      !p.c.variant,
  )) {
    const printed: string[] = [];
    const listen = (m: { text(): string }) => void printed.push(m.text());
    prof.page.on('console', listen);
    let rows = (await prof.page.evaluate(async () =>
      (await (window as unknown as { bench: Promise<Bench> }).bench).profile(),
    )) as KernelRow[];
    // (console events arrive after the call returns: until none came for half a second, 10 s at most)
    for (let n = -1, t = 0; n !== printed.length && t < 20; t++) {
      n = printed.length;
      await new Promise((r) => setTimeout(r, 500));
    }
    prof.page.off('console', listen);
    if (prof.c.kind === 'ort-wasm') rows = ortProfileRows(printed.join('\n'));
    const how = prof.c.kind === 'ort-wasm' ? "by operator (onnxruntime's profiler)" : 'by kernel (tf.profile)';
    printProfile(`${prof.label}, ${prof.c.model}, one forward ${how}:`, rows, flag('full-profile') ? rows.length : 12);
  }
} finally {
  await browser.close();
  await server.close();
  const load1 = os.loadavg();
  console.log(`\nload average (1 min) ${load0[0].toFixed(1)} at the start, ${load1[0].toFixed(1)} at the end`);
}
