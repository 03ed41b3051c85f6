/** The browser benchmark's page (bench/web), built like the renderer (same tfjs setup) into out/bench-web. */
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import renderer from './vite.renderer.config.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default mergeConfig(
  renderer,
  defineConfig({ root: here('./bench/web'), build: { outDir: here('./out/bench-web'), emptyOutDir: true } }),
);
