/**
 * The renderer (React app) build: used by Electron Forge for the desktop window and by `npm run web` /
 * `npm run build:web` for the browser build (out/web) that the e2e tests serve.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { cspMetaPlugin } from './electron/services/csp.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./renderer'),
  base: './',
  // the Content Security Policy as a <meta> in index.html (electron/services/csp.ts: no ws: in a built page)
  plugins: [react(), cspMetaPlugin()],
  build: { outDir: here('./out/web'), emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { host: '127.0.0.1', port: 5173, fs: { allow: [here('.')] } },
  preview: { host: '127.0.0.1', port: 4173 },
  worker: { format: 'es' },
});
