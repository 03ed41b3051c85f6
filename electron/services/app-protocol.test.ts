/** The desktop page's protocol: cross-origin isolation headers on every response, files only from the build. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './access.ts';
import { APP_INDEX_URL, APP_ORIGIN, appProtocolHandler } from './app-protocol.ts';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

function site() {
  const dir = mkdtempSync(join(tmpdir(), 'ya-app-'));
  const root = join(dir, 'build');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(root, 'assets', 'worker.js'), 'self.onmessage = () => {};');
  writeFileSync(join(root, 'assets', 'tfjs-backend-wasm-threaded-simd.wasm'), new Uint8Array([0, 97, 115, 109]));
  writeFileSync(join(dir, 'secret.txt'), 'outside the build');
  return { root, handle: appProtocolHandler(root, CSP) };
}

const isolated = (r: Response) => ({
  coop: r.headers.get('cross-origin-opener-policy'),
  coep: r.headers.get('cross-origin-embedder-policy'),
  corp: r.headers.get('cross-origin-resource-policy'),
  csp: r.headers.get('content-security-policy'),
});
const ISOLATED = { coop: 'same-origin', coep: 'require-corp', corp: 'same-origin', csp: CSP };

describe('app:// protocol handler', () => {
  it('serves the page with COOP same-origin, COEP require-corp and the content security policy', async () => {
    const { handle } = site();
    const r = await handle(new Request(APP_INDEX_URL));
    expect(r.status).toBe(200);
    expect(isolated(r)).toEqual(ISOLATED);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await r.text()).toContain('<title>t</title>');
    expect((await handle(new Request(`${APP_ORIGIN}/`))).status).toBe(200);
  });

  it('serves scripts, workers and wasm with the same headers and their types (wasm streams only as application/wasm)', async () => {
    const { handle } = site();
    const js = await handle(new Request(`${APP_ORIGIN}/assets/worker.js`));
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    // a script may be a worker: tfjs-wasm's helper threads load its glue from a blob
    expect(isolated(js)).toEqual({
      ...ISOLATED,
      csp: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:",
    });
    const wasm = await handle(new Request(`${APP_ORIGIN}/assets/tfjs-backend-wasm-threaded-simd.wasm`));
    expect([wasm.status, wasm.headers.get('content-type')]).toEqual([200, 'application/wasm']);
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
    expect(isolated(wasm)).toEqual(ISOLATED);
  });

  it('answers missing files, other hosts and paths out of the build folder with an error, isolated too', async () => {
    const { handle } = site();
    for (const url of [
      `${APP_ORIGIN}/nope.js`,
      `${APP_ORIGIN}/assets`,
      `${APP_ORIGIN}/..%2fsecret.txt`,
      `${APP_ORIGIN}/%2e%2e/secret.txt`,
      'app://other-host/index.html',
    ]) {
      const r = await handle(new Request(url));
      expect(r.status, url).toBeGreaterThanOrEqual(400);
      expect(await r.text(), url).not.toContain('outside the build');
      expect(isolated(r), url).toEqual(ISOLATED);
    }
    expect((await handle(new Request(APP_INDEX_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('its page is the one page whose IPC messages main trusts', () => {
    expect(isTrustedSender(APP_INDEX_URL, APP_INDEX_URL)).toBe(true);
    expect(isTrustedSender(`${APP_INDEX_URL}?template=yolov5s`, APP_INDEX_URL)).toBe(true);
    expect(isTrustedSender(`${APP_ORIGIN}/assets/other.html`, APP_INDEX_URL)).toBe(false);
    expect(isTrustedSender('app://other-host/index.html', APP_INDEX_URL)).toBe(false);
    expect(isTrustedSender('file:///app/index.html', APP_INDEX_URL)).toBe(false);
  });
});
