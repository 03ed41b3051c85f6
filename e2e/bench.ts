/**
 * `npm run bench:editor`: the editor's speed in Debian's Chromium (SwiftShader), against the built web
 * renderer: opening yolov5x6 to a drawn canvas, edit-to-repaint latency, frame times panning 300 nodes.
 * The edits and the pan start once the run panel's background warm-up has ended; while it runs, the animation
 * frames the page draws (a counter redrawn each frame, so each needs raster) are counted and printed. On
 * software GL the automatic backend choice takes wasm, so the GPU process stays free to draw; a warm-up on WebGL
 * there (the choice before, or WebGL chosen) holds it, and the page drew no frame that needs raster (a reveal's
 * zoom animation stalled for minutes with yolov5x6 at 640). One still running after 30 s (BENCH_WARM_WAIT) is
 * cancelled (printed), a safety kept so the figures are the canvas's, not the warm-up's.
 * After the measured edits and pan, the same again under a Chromium trace says where the time went: the page's
 * main thread (style, layout, paint, layerization) and the GPU process (drawing frames, raster).
 * BENCH_WEB=DIR benchmarks another build (e.g. main's, for a before/after at the same load). BENCH_PAN_AB=DIR pans
 * another build too, in another browser of the same compositor, its pans interleaved with this build's in the same
 * rounds (the order alternating), and prints each round's mean interval between moved frames and script time per mouse
 * move (Chromium's ScriptDuration) for both, and their ratios.
 */
import os from 'node:os';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, WEB, serve } from './harness.ts';

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/**
 * How long a warm-up may run before the bench cancels it (BENCH_WARM_WAIT=120 watches a longer one): yolov5x6's at
 * 640 on wasm (auto, here) took 19.8 s at load 5.5; on SwiftShader WebGL it was still compiling after 120 s.
 */
const WARM_WAIT_S = Number(process.env.BENCH_WARM_WAIT ?? 30);

/**
 * Wait (30 s, or BENCH_WARM_WAIT seconds) for the run panel's background warm-up to end: it builds the network in a worker, competing
 * for the cores (and, on WebGL, the GPU process). Says how long it took, or cancels it (the panel's Cancel) and
 * says how far it got, and how many animation frames the page drew meanwhile.
 */
async function warmedUp(page: Page): Promise<string> {
  const t0 = Date.now();
  const took = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const ended = () =>
    !document.querySelector('.run-progress.warm') && !!document.querySelector('.run-ready, .run-error');
  await page.evaluate(() => {
    const w = window as any;
    // a counter redrawn each frame: text needs raster (a solid colour would be drawn without it)
    const spot = document.createElement('div');
    spot.style.cssText =
      'position:fixed;left:0;bottom:0;z-index:99999;pointer-events:none;font:12px monospace;background:#fff';
    document.body.append(spot);
    w.__warm = { frames: 0, stop: false, t0: performance.now(), seconds: [] as number[] };
    const tick = () => {
      if (w.__warm.stop) return spot.remove();
      w.__warm.frames++;
      const sec = Math.floor((performance.now() - w.__warm.t0) / 1000);
      w.__warm.seconds[sec] = (w.__warm.seconds[sec] ?? 0) + 1;
      spot.textContent = `frame ${w.__warm.frames}`;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const drawn = async () => {
    const { frames, secs, seconds } = await page.evaluate(() => {
      const w = window as any;
      w.__warm.stop = true;
      const secs = (performance.now() - w.__warm.t0) / 1000;
      // whole seconds only, each with the frames drawn in it (0 where none was)
      const seconds = Array.from({ length: Math.floor(secs) }, (_, k) => (w.__warm.seconds[k] ?? 0) as number);
      return { frames: w.__warm.frames as number, secs, seconds };
    });
    const still = seconds.filter((n) => n === 0).length;
    return (
      `${frames} animation frames drawn in its ${secs.toFixed(1)} s (${(frames / secs).toFixed(0)} fps` +
      (seconds.length ? `; slowest second ${Math.min(...seconds)}, ${still} s without a frame)` : ')')
    );
  };
  try {
    await page.waitForFunction(ended, null, { timeout: WARM_WAIT_S * 1000, polling: 250 });
    return `ended after ${took()}; ${await drawn()}`;
  } catch {
    const frames = await drawn();
    const where =
      (await page
        .locator('.run-progress.warm')
        .textContent()
        .catch(() => null)) ?? '';
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.waitForFunction(() => !document.querySelector('.run-progress.warm'), null, { polling: 250 });
    return `cancelled after ${took()} (${where.replace(/\s+/g, ' ').trim().slice(0, 60)}); ${frames}`;
  }
}

/**
 * Where the time of `run` went, from a Chromium trace: the page's main thread (its tasks, and in them style,
 * layout, paint and layerization), the GPU process drawing frames (SwiftShader: each frame's raster and
 * compositing run when its buffers are swapped) and raster, each divided by `per` (edits, or frames drawn).
 */
async function traced(page: Page, run: () => Promise<number | void>): Promise<string> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'gpu', 'viz', 'cc', 'blink'],
  });
  const count = await run();
  const buf = await browser.stopTracing();
  const events = (JSON.parse(buf.toString()).traceEvents ?? []) as {
    name: string;
    ph: string;
    pid: number;
    tid: number;
    dur?: number;
    args?: { name?: string };
  }[];
  const thread = new Map<string, string>();
  for (const e of events) if (e.name === 'thread_name') thread.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  // a thread name ending in '*' names every thread it begins (ThreadPoolForegroundWorker, ...)
  const on = (e: { pid: number; tid: number }, threadName: string) => {
    const t = thread.get(`${e.pid}:${e.tid}`) ?? '';
    return threadName.endsWith('*') ? t.startsWith(threadName.slice(0, -1)) : t === threadName;
  };
  const sum = (threadName: string, name: string) =>
    events
      .filter((e) => e.ph === 'X' && e.name === name && on(e, threadName))
      .reduce((a, e) => a + (e.dur ?? 0) / 1000, 0);
  const swaps = events.filter((e) => e.ph === 'X' && e.name === 'SkiaOutputSurfaceImplOnGpu::SwapBuffers').length;
  const per = count ?? swaps;
  const f = (ms: number) => (ms / Math.max(1, per)).toFixed(1);
  const main = (name: string) => f(sum('CrRendererMain', name));
  return (
    `main thread ${main('RunTask')} (style ${main('UpdateLayoutTree')}, layout ${main('Layout')}, paint ` +
    `${main('Paint')}, layerize ${main('Layerize')}); GPU process: draw ` +
    `${f(sum('CrGpuMain', 'SkiaOutputSurfaceImplOnGpu::SwapBuffers'))}, raster ${f(sum('CrGpuMain', 'RendererRasterWorker'))}; ` +
    `viz compositor: draw ${f(sum('VizCompositorThread', 'Display::DrawAndSwap'))}; tile raster on the page's workers ` +
    `(software compositor) ${f(sum('ThreadPoolForegroundWorker*', 'RasterTask'))}; ${swaps} GPU swaps, ${per} frames`
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

function bigModel(rows: number): string {
  const half = Math.floor(rows / 2);
  const row = (k: number) => (k % 10 === 9 ? `    [[-1, -3], 1, Concat, [1]],` : `    [-1, 1, Conv, [16, 3, 1]],`);
  return [
    'nc: 80',
    'depth_multiple: 1.0',
    'width_multiple: 1.0',
    'anchors: 3',
    'backbone:',
    '  [',
    ...Array.from({ length: half }, (_, k) => (k === 0 ? '    [-1, 1, Conv, [16, 3, 2]],' : row(k))),
    '  ]',
    'head:',
    '  [',
    ...Array.from({ length: rows - half }, (_, k) => row(k)),
    '  ]',
    '',
  ].join('\n');
}

/** One browser per compositor measured: Chromium's default (GPU compositing, here on SwiftShader) and its
 * software compositor (--disable-gpu-compositing, what the desktop app uses on a software GPU:
 * electron/services/compositing.ts). BENCH_COMPOSITORS=gpu (or software) measures one. */
const COMPOSITORS: Record<string, string[]> = { gpu: [], software: ['--disable-gpu-compositing'] };
const chosen = (process.env.BENCH_COMPOSITORS ?? 'gpu,software').split(',').filter((c) => c in COMPOSITORS);

/** Open yolov5x6 3 times (the median), then 40 edits of layer 2 in the YAML pane and 10 traced. */
async function openAndEdit(page: Page, results: Record<string, string>, url: string) {
  // 1. open yolov5x6 from the start screen to a drawn canvas (34 nodes placed and painted)
  const opens: number[] = [];
  for (let k = 0; k < 3; k++) {
    await page.goto(url);
    await page.getByRole('button', { name: 'yolov5x6', exact: true }).waitFor();
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const btn = [...document.querySelectorAll('button')].find((b) => b.textContent === 'yolov5x6')!;
          const t0 = performance.now();
          btn.click();
          const check = () => {
            const nodes = [...document.querySelectorAll<HTMLElement>('.react-flow__node-layer')];
            const drawn =
              nodes.length === 34 &&
              nodes.every((n) => getComputedStyle(n).visibility !== 'hidden' && n.style.transform);
            if (drawn) requestAnimationFrame(() => resolve(performance.now() - t0));
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        }),
    );
    opens.push(ms);
  }
  results['open yolov5x6 -> drawn canvas (ms, median of 3)'] = median(opens).toFixed(0);

  results['  run panel warm-up after opening (before the edits)'] = await warmedUp(page);
  // 2. edit-to-repaint: a keystroke in the YAML pane until layer 2's node shows the new parameters, painted;
  // layer 2 found (Ctrl+F) and shown at the readable zoom, its details drawn
  await page
    .locator('.react-flow__pane')
    .first()
    .click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+f');
  await page.getByRole('searchbox', { name: 'Find layer' }).fill('2');
  await page.getByRole('searchbox', { name: 'Find layer' }).press('Enter');
  await page.getByRole('searchbox', { name: 'Find layer' }).press('Escape');
  await page.locator('.canvas-fill:not(.overview)').waitFor();
  await page.waitForTimeout(500);
  await page.locator('.cm-line', { hasText: '[-1, 3, C3, [128]], # 2' }).click();
  await page.keyboard.press('End');
  const line = (await page.locator('.cm-line', { hasText: '[-1, 3, C3, [128]], # 2' }).textContent())!;
  await page.keyboard.press('Home');
  await page.keyboard.press('Home');
  for (let i = 0; i < line.indexOf('128') + 3; i++) await page.keyboard.press('ArrowRight');
  const lat: number[] = [];
  const EDITS = 40;
  for (let k = 0; k < EDITS; k++) {
    await page.evaluate(() => {
      const w = window as any;
      const target = document.querySelector('[data-id="L2"] .layer-params')!;
      w.__lat = new Promise<number>((resolve) => {
        let t0 = 0;
        const onKey = (e: KeyboardEvent) => (t0 = e.timeStamp);
        window.addEventListener('keydown', onKey, { capture: true, once: true });
        const mo = new MutationObserver(() => {
          mo.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
        });
        mo.observe(target, { characterData: true, childList: true, subtree: true });
      });
    });
    await page.keyboard.press(k % 2 ? 'Backspace' : '2');
    lat.push(await page.evaluate(() => (window as any).__lat as Promise<number>));
  }
  results[`edit -> repaint, yolov5x6 (ms, median / p95 of ${EDITS})`] =
    `${median(lat).toFixed(1)} / ${pct(lat, 0.95).toFixed(1)}`;
  const parts = await page.evaluate(
    (n) => ({
      parse: performance
        .getEntriesByName('ya:parse')
        .slice(-n)
        .map((e) => e.duration),
      analyze: performance
        .getEntriesByName('ya:analyze')
        .slice(-n)
        .map((e) => e.duration),
      route: performance
        .getEntriesByName('ya:route')
        .slice(-n)
        .map((e) => e.duration),
    }),
    EDITS,
  );
  results['  of which: parse the text / analysis (ms, median)'] =
    `${median(parts.parse).toFixed(1)} / ${median(parts.analyze).toFixed(1)}`;
  // routes are computed again only when a node's box changed (an edit that changes no box routes nothing)
  results[`  edge routing runs: ${parts.route.length} (ms, median / max)`] = parts.route.length
    ? `${median(parts.route).toFixed(1)} / ${Math.max(...parts.route).toFixed(1)}`
    : '-';

  const TRACED = 10;
  results[`  per edit, traced over ${TRACED} more (ms)`] = await traced(page, async () => {
    for (let k = 0; k < TRACED; k++) {
      await page.keyboard.press(k % 2 ? 'Backspace' : '2');
      await page.waitForTimeout(300);
    }
    return TRACED;
  });
}

/** Open the 300-row graph, wait for its warm-up, zoom out: where a pan starts. */
async function openBig(page: Page, results: Record<string, string>, url: string) {
  // 3. panning a 300-node graph: frame times while dragging the pane
  await page.goto(url);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open…' }).first().click(),
  ]);
  await chooser.setFiles({ name: 'big.yaml', mimeType: 'text/yaml', buffer: Buffer.from(bigModel(300)) });
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node-layer').length >= 100, null, {
    timeout: 60_000,
  });
  await page.waitForTimeout(1500);
  results['  run panel warm-up after opening the 300-row graph (before panning)'] = await warmedUp(page);
  // zoom out so that many nodes are on screen while panning
  await page.evaluate(() => ((window as any).__frames = []));
  const pane = (await page.locator('.react-flow__pane').first().boundingBox())!;
  await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
  for (let k = 0; k < 5; k++) await page.mouse.wheel(0, 300);
  await page.waitForTimeout(500);
  return pane;
}

type Box = { x: number; y: number; width: number; height: number };

/** One pan of the zoomed-out 300-row graph (120 mouse moves in a loop): every frame's time, and the times
 * between frames that moved the view (a frame time alone counts idle frames between two mouse moves too). */
async function panOnce(page: Page, pane: Box, moves = 120) {
  await page.evaluate(() => {
    const w = window as any;
    w.__frames = [];
    w.__moves = [];
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    let shown = viewport.style.transform;
    let last = performance.now();
    let lastMove = last;
    w.__stop = false;
    const tick = (t: number) => {
      w.__frames.push(t - last);
      last = t;
      if (viewport.style.transform !== shown) {
        shown = viewport.style.transform;
        w.__moves.push(t - lastMove);
        lastMove = t;
      }
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.down();
  for (let k = 0; k < moves; k++) {
    await page.mouse.move(
      pane.x + pane.width / 2 + Math.sin(k / 10) * 250,
      pane.y + pane.height / 2 + Math.cos(k / 10) * 200,
    );
  }
  await page.mouse.up();
  return page.evaluate(() => {
    const w = window as any;
    w.__stop = true;
    return { frames: w.__frames.slice(2) as number[], moves: w.__moves.slice(2) as number[] };
  });
}

/** The page's script time so far (ms; Chromium's Performance.getMetrics ScriptDuration), for the A/B of pans. */
const sessions = new Map<Page, CDPSession>();
async function scriptMs(page: Page): Promise<number> {
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    sessions.set(page, cdp);
  }
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0) * 1000;
}

/**
 * The same pan with nothing of the canvas drawn (the graph, the dots and the minimap hidden): what the input path
 * alone allows on this machine (the mouse moves sent one by one, each awaited, and React Flow's own handling): the
 * floor a pan's moved frames can reach here, measured in the same rounds.
 */
async function floorPan(page: Page, pane: Box) {
  await page.evaluate(() => {
    const style = document.createElement('style');
    style.id = 'bench-floor';
    style.textContent = '.react-flow__viewport, .dot-background, .canvas-minimap { visibility: hidden !important; }';
    document.head.append(style);
  });
  const pan = await panOnce(page, pane);
  await page.evaluate(() => document.getElementById('bench-floor')!.remove());
  await page.waitForTimeout(300);
  return pan.moves;
}

/** A pan, and its script time per mouse move. */
async function scriptedPan(page: Page, pane: Box) {
  const before = await scriptMs(page);
  const pan = await panOnce(page, pane);
  return { ...pan, script: ((await scriptMs(page)) - before) / 120 };
}

const server = await serve(process.env.BENCH_WEB ?? WEB);
const abServer = process.env.BENCH_PAN_AB ? await serve(process.env.BENCH_PAN_AB) : undefined;
console.log(`load average at the start: ${load()}`);
const browsers = new Map<string, Browser>();
try {
  const pages = new Map<string, Page>();
  const results = new Map<string, Record<string, string>>();
  // the BENCH_PAN_AB build's page for a compositor is keyed `${c} ab`
  for (const c of [...chosen, ...(abServer ? chosen.map((c) => `${c} ab`) : [])]) {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, ...COMPOSITORS[c.split(' ')[0]]],
    });
    browsers.set(c, browser);
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // tsx names functions with a helper; functions sent to the page need it there too
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    pages.set(c, page);
    results.set(c, {});
  }
  // 1-2. opening and edits, one compositor after the other
  for (const c of chosen) await openAndEdit(pages.get(c)!, results.get(c)!, server.url);
  // 3. panning a 300-node graph: each compositor's pans interleaved (3 rounds each), the frames of all pooled
  const panes = new Map<string, Box>();
  for (const c of chosen) panes.set(c, await openBig(pages.get(c)!, results.get(c)!, server.url));
  const pooled = new Map(chosen.map((c) => [c, { frames: [] as number[], moves: [] as number[] }]));
  const floors = new Map(chosen.map((c) => [c, [] as { mine: number; floor: number }[]]));
  type Pan = { moves: number[]; script: number };
  const ab = new Map(chosen.map((c) => [c, [] as { mine: Pan; other: Pan; load: string }[]]));
  if (abServer) for (const c of chosen) panes.set(`${c} ab`, await openBig(pages.get(`${c} ab`)!, {}, abServer.url));
  for (let round = 0; round < (abServer ? 6 : 3); round++)
    for (const c of chosen) {
      // with BENCH_PAN_AB, the other build's pan before this one's in odd rounds, after it in even ones
      const other = () => scriptedPan(pages.get(`${c} ab`)!, panes.get(`${c} ab`)!);
      const before = abServer && round % 2 ? await other() : undefined;
      const mine = await scriptedPan(pages.get(c)!, panes.get(c)!);
      pooled.get(c)!.frames.push(...mine.frames);
      pooled.get(c)!.moves.push(...mine.moves);
      floors.get(c)!.push({ mine: mean(mine.moves), floor: mean(await floorPan(pages.get(c)!, panes.get(c)!)) });
      const them = before ?? (abServer ? await other() : undefined);
      if (them) ab.get(c)!.push({ mine, other: them, load: load().split(' ')[0] });
    }
  for (const c of chosen) {
    const page = pages.get(c)!;
    const r = results.get(c)!;
    const { frames, moves } = pooled.get(c)!;
    const onScreen = await page.evaluate(() => document.querySelectorAll('.react-flow__node-layer').length);
    r[`pan 300-row graph, ${onScreen} nodes rendered (frame ms median / p95, fps)`] =
      `${median(frames).toFixed(1)} / ${pct(frames, 0.95).toFixed(1)}, ${(1000 / median(frames)).toFixed(0)} fps`;
    // frames either move or not, so the median reads 16.7 or 33.3 ms only; the mean shows a change between them
    r[`  frames that moved the view: ${moves.length} (ms apart median / mean / p95, fps by the mean)`] =
      `${median(moves).toFixed(1)} / ${mean(moves).toFixed(1)} / ${pct(moves, 0.95).toFixed(1)}, ${(1000 / mean(moves)).toFixed(0)} fps`;
    const fl = floors.get(c)!;
    r["  the same pan with nothing drawn, each round (the input path's floor here): mean ms apart"] =
      `${fl.map((f) => f.floor.toFixed(1)).join(' ')}; this build / floor, median of rounds ${median(fl.map((f) => f.mine / f.floor)).toFixed(2)}x`;
    // the same pan again, traced: where a moved frame's time goes
    r['  per moved frame of the same pan, traced (ms)'] = await traced(page, async () => {
      const { moves } = await panOnce(page, panes.get(c)!, 60);
      return moves.length;
    });
  }
  for (const c of chosen) {
    console.log(
      `\n${c === 'gpu' ? "Chromium's GPU compositor (default)" : 'software compositor (--disable-gpu-compositing)'}:`,
    );
    for (const [k, v] of Object.entries(results.get(c)!)) console.log(`${k.padEnd(72)} ${v}`);
    if (abServer) {
      console.log(
        `  pan against BENCH_PAN_AB=${process.env.BENCH_PAN_AB}, each round: mean ms between moved frames, script ms per mouse move:`,
      );
      const ratios: number[] = [];
      const scripts: number[] = [];
      for (const { mine, other, load } of ab.get(c)!) {
        ratios.push(mean(mine.moves) / mean(other.moves));
        scripts.push(mine.script / other.script);
        console.log(
          `    this build ${mean(mine.moves).toFixed(1)} (${mine.moves.length} moved) / ${mine.script.toFixed(2)}, ` +
            `BENCH_PAN_AB ${mean(other.moves).toFixed(1)} (${other.moves.length} moved) / ${other.script.toFixed(2)}, ` +
            `${ratios.at(-1)!.toFixed(2)}x / ${scripts.at(-1)!.toFixed(2)}x, load ${load}`,
        );
      }
      console.log(
        `    median ratio this build / BENCH_PAN_AB: moved frames apart ${median(ratios).toFixed(2)}x, script per move ${median(scripts).toFixed(2)}x`,
      );
    }
  }
  if (chosen.length === 2) {
    const m = (c: string) => mean(pooled.get(c)!.moves);
    console.log(
      `\npan, moved frames apart (mean): software / GPU compositor = ${m('software').toFixed(1)} / ${m('gpu').toFixed(1)} ms = ${(m('software') / m('gpu')).toFixed(2)}x`,
    );
  }
  console.log(`load average at the end: ${load()}`);
} finally {
  for (const b of browsers.values()) await b.close();
  await server.close();
  await abServer?.close();
}
