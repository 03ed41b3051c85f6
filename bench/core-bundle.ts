/**
 * The core as users run it: bundled by esbuild, as Vite bundles the app and scripts/build-cli.mjs the CLI. Not
 * through tsx, whose transform keeps function names by wrapping every function made at run time in __name():
 * measured on yolov5x6 in one run, propagation took 1.5x the bundle's CPU time cold and 3.3x warm.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_DIR } from '../src/testing/reference.ts';

type Core = typeof import('../src/core/index.ts');
let core: Promise<Core> | undefined;

/** src/core bundled into out/bench (made again on every bench run, in well under a second) and loaded. */
export function loadCore(): Promise<Core> {
  return (core ??= (async () => {
    const { build } = await import('esbuild');
    const dir = join(PROJECT_DIR, 'out', 'bench');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'core.mjs');
    await build({
      absWorkingDir: PROJECT_DIR,
      entryPoints: ['src/core/index.ts'],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile,
      logLevel: 'error',
      // some dependencies are CommonJS and call require()
      banner: {
        js: "import { createRequire as __yaRequire } from 'node:module'; const require = __yaRequire(import.meta.url);",
      },
    });
    return (await import(pathToFileURL(outfile).href)) as Core;
  })());
}
