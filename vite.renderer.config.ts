/**
 * The renderer (React app) build: used by Electron Forge for the desktop window and by `npm run web` /
 * `npm run build:web` for the browser build (out/web) that the e2e tests serve.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { cspMetaPlugin } from './electron/services/csp.ts';
// cross-origin isolation (SharedArrayBuffer: tfjs-wasm runs threaded), the same headers the desktop app's app:// sends
import { ISOLATION_HEADERS as isolation } from './electron/services/app-protocol.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./renderer'),
  base: './',
  // the Content Security Policy as a <meta> in index.html (electron/services/csp.ts: no ws: in a built page)
  plugins: [react(), cspMetaPlugin()],
  // Help > About shows it
  define: { __APP_VERSION__: JSON.stringify(JSON.parse(readFileSync(here('./package.json'), 'utf8')).version) },
  build: { outDir: here('./out/web'), emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { host: '127.0.0.1', port: 5173, fs: { allow: [here('.')] }, headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, headers: isolation },
  worker: { format: 'es' },
  resolve: {
    // tfjs-wasm's threaded glue as its helper threads can read it (renderer/run/wasm-threaded-glue.ts)
    alias: [
      {
        find: /^\.\.\/wasm-out\/tfjs-backend-wasm-threaded-simd\.js$/,
        replacement: here('./renderer/run/wasm-threaded-glue.ts'),
      },
    ],
  },
});
