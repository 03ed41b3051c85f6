/**
 * Test and benchmark pages, built like the renderer (the same tfjs setup) into out/pages: the browser
 * benchmark (bench/web, `npm run bench:web`) and the PyTorch parity page for the GPU backends (e2e/parity).
 * They run tfjs in the page itself, so they go without the app's Content Security Policy (whose script-src
 * would stop tfjs-wasm's helper threads, which load from a blob; the app runs tfjs in a worker).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type PluginOption } from 'vite';
import renderer from './vite.renderer.config.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const named = (p: PluginOption): p is { name: string } => !!p && typeof p === 'object' && 'name' in p;

export default defineConfig({
  ...renderer,
  root: here('.'),
  plugins: (renderer.plugins ?? []).filter((p) => !(named(p) && p.name === 'yolo-architect-csp')),
  build: {
    ...renderer.build,
    outDir: here('./out/pages'),
    emptyOutDir: true,
    rollupOptions: { input: { bench: here('./bench/web/index.html'), parity: here('./e2e/parity/index.html') } },
  },
});
