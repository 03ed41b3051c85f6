/**
 * A small Playwright (playwright-core) harness: serves out/web on localhost, drives Debian's Chromium
 * (WebGL through SwiftShader), screenshots every step into test-results/, fails a test on any console
 * error, page error or request to a non-local host.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
// cross-origin isolated, as `npm run web`, `npm start` and the desktop app's app:// serve the page
import { CONTENT_TYPES, ISOLATION_HEADERS as ISOLATION } from '../electron/services/app-protocol.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const WEB = path.join(ROOT, 'out/web');
export const RESULTS = path.join(ROOT, 'test-results');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/**
 * Serve a folder on 127.0.0.1 (a free port), cross-origin isolated. `mounts` maps URL paths to other files
 * (a path ending in '/' to a folder).
 */
export function serve(
  dir: string,
  mounts: Record<string, string> = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const pathname = decodeURIComponent(u.pathname);
    const mount = Object.keys(mounts).find((m) => (m.endsWith('/') ? pathname.startsWith(m) : pathname === m));
    const root = mount ? mounts[mount] : dir;
    let file = mount
      ? mount.endsWith('/')
        ? path.join(root, pathname.slice(mount.length))
        : root
      : path.join(dir, pathname);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, ISOLATION).end('not found');
        return;
      }
      res
        .writeHead(200, {
          'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
          ...ISOLATION,
        })
        .end(data);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      // close also drops connections still open: a socket Chromium opened ahead of a request it never sent is not
      // idle to Node, and once the listener closes nothing times it out, so close() would wait for it forever
      const close = () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
      resolve({ url: `http://127.0.0.1:${port}/`, close });
    }),
  );
}

/** Hides the File System Access pickers from the page (the app falls back to downloads). */
export const NO_FILE_PICKERS = `for (const k of ['showSaveFilePicker', 'showOpenFilePicker', 'showDirectoryPicker'])
  Object.defineProperty(window, k, { value: undefined, configurable: true, writable: true });`;

export interface TestContext {
  page: Page;
  baseUrl: string;
  /** Screenshot the page as the next numbered step. */
  step(name: string): Promise<void>;
}

export interface E2ETest {
  name: string;
  run(ctx: TestContext): Promise<void>;
  /** Extra Chromium switches (such a test gets a browser of its own, e.g. WebGPU through SwiftShader's Vulkan). */
  browserArgs?: string[];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** `E2E_ONLY=text` runs only the tests whose name contains the text (case-insensitive), for working on one part. */
export const selected = <T extends { name: string }>(tests: T[]): T[] => {
  const only = process.env.E2E_ONLY?.toLowerCase();
  return only ? tests.filter((t) => t.name.toLowerCase().includes(only)) : tests;
};

export async function runTests(all: E2ETest[]): Promise<{ passed: number; failed: number }> {
  const tests = selected(all);
  if (!fs.existsSync(path.join(WEB, 'index.html')))
    throw new Error('out/web is not built: run `npm run build:web` first');
  const server = await serve(WEB);
  const browsers = new Map<string, Browser>();
  /** One browser per set of extra switches, started when a test first needs it. */
  const browserFor = async (extra: string[] = []) => {
    const key = extra.join(' ');
    let b = browsers.get(key);
    if (!b) {
      b = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extra], headless: true });
      browsers.set(key, b);
    }
    return b;
  };
  let failed = 0;
  try {
    for (const t of tests) {
      const browser = await browserFor(t.browserArgs);
      const dir = path.join(RESULTS, slug(t.name));
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'en-US' });
      // Chromium's file pickers cannot be answered headless (they abort at once): pages save and export
      // through downloads, unless a test puts a stand-in picker in place (e2e/chrome.e2e.ts)
      await context.addInitScript(NO_FILE_PICKERS);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      await context.route('**/*', (route) => {
        const u = new URL(route.request().url());
        const local =
          u.protocol === 'data:' || u.protocol === 'blob:' || u.hostname === '127.0.0.1' || u.hostname === 'localhost';
        if (!local) {
          problems.push(`request to a non-local host: ${u.href}`);
          return route.abort();
        }
        return route.continue();
      });
      let n = 0;
      const ctx: TestContext = {
        page,
        baseUrl: server.url,
        step: async (name) => {
          n++;
          await page.screenshot({ path: path.join(dir, `${String(n).padStart(2, '0')}-${slug(name)}.png`) });
        },
      };
      const t0 = performance.now();
      try {
        await t.run(ctx);
        if (problems.length) throw new Error(problems.join('\n'));
        console.log(`  ✓ ${t.name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        await page.screenshot({ path: path.join(dir, 'failure.png') }).catch(() => undefined);
        console.log(`  ✗ ${t.name}\n${String((e as Error).stack ?? e).replace(/^/gm, '      ')}`);
        if (problems.length) console.log(problems.map((p) => `      ${p}`).join('\n'));
      }
      await context.close();
    }
  } finally {
    for (const b of browsers.values()) await b.close();
    await server.close();
  }
  return { passed: tests.length - failed, failed };
}
