/**
 * The desktop app's page is served through a privileged custom protocol (app://yolo-architect/...), not
 * file://, so that it can be cross-origin isolated: every response carries COOP same-origin and COEP
 * require-corp, which give the page SharedArrayBuffer and tfjs-wasm its threads. Files come only from the
 * renderer's build folder; anything else is 404.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'yolo-architect';
/** The origin of the desktop app's page. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** The headers that make a page cross-origin isolated (and its resources loadable by it). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Content types by file extension: the app's files (and the e2e server's, e2e/harness.ts). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.yaml': 'text/yaml; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The policy of a script that runs as a worker: the page's, plus blob: scripts, because tfjs-wasm's helper
 * threads are workers that load its glue from a blob (they inherit the run worker's policy).
 */
export const workerPolicy = (csp: string) =>
  csp.replace(/script-src ([^;]*)/, (_m, v: string) => `script-src ${v} blob:`);

/**
 * The handler for protocol.handle(APP_SCHEME, ...): files under `root` by path, with the isolation headers
 * and the content security policy `csp` on every response (scripts, which may start workers, with
 * workerPolicy(csp)).
 */
export function appProtocolHandler(root: string, csp: string): (request: Request) => Promise<Response> {
  const base = normalize(root).replace(/[\\/]+$/, '') + sep;
  const scriptCsp = workerPolicy(csp);
  const headers = (extra: Record<string, string>, policy = csp) => ({
    ...ISOLATION_HEADERS,
    'Content-Security-Policy': policy,
    ...extra,
  });
  const fail = (status: number) =>
    new Response(status === 404 ? 'not found' : 'refused', {
      status,
      headers: headers({ 'Content-Type': 'text/plain; charset=utf-8' }),
    });
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return fail(400);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return fail(404);
    if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405);
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return fail(400);
    }
    if (rel.includes('\0')) return fail(400);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(base, rel));
    if (!file.startsWith(base)) return fail(403);
    try {
      if (!(await stat(file)).isFile()) return fail(404);
      const body = await readFile(file);
      const ext = extname(file).toLowerCase();
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: headers(
          { 'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream' },
          ext === '.js' || ext === '.mjs' ? scriptCsp : csp,
        ),
      });
    } catch {
      return fail(404);
    }
  };
}
