/**
 * The page's Content Security Policy, one list for the desktop window (a response header from main) and the
 * page itself (a <meta> written into index.html at build time). No remote code; 'wasm-unsafe-eval' for tfjs's
 * wasm backend; inline styles for CodeMirror and React Flow. Only the dev server's page may open a WebSocket
 * (Vite's hot reload on localhost): a built page has no ws: at all.
 */
export interface CspOptions {
  /** The Vite dev server (hot reload over ws://localhost). */
  dev?: boolean;
  /** Delivered in a <meta> tag, where frame-ancestors is not allowed (browsers ignore it and complain). */
  meta?: boolean;
}

export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const connect = ["'self'", 'blob:', 'data:', ...(opts.dev ? ['ws://127.0.0.1:*', 'ws://localhost:*'] : [])];
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(opts.meta ? [] : ["frame-ancestors 'none'"]),
  ].join('; ');
}

/**
 * A Vite plugin (structurally typed, so this file needs no Vite import) that writes the policy into
 * index.html as the first thing in <head>: the dev server's version when serving, the strict one when building.
 */
export function cspMetaPlugin() {
  let dev = false;
  return {
    name: 'yolo-architect-csp',
    configResolved(config: { command: 'build' | 'serve' }) {
      dev = config.command === 'serve';
    },
    transformIndexHtml() {
      return [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ dev, meta: true }) },
          injectTo: 'head-prepend' as const,
        },
      ];
    },
  };
}
