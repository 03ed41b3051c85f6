#!/usr/bin/env node
// Bundles the command line (src/cli) into out/cli with esbuild, so `yolo-architect` starts without
// transpiling TypeScript on every call. Run at install (scripts/postinstall.mjs) and by `npm run build:cli`;
// bin/yolo-architect.mjs runs the bundle while out/cli/manifest.json says its sources are unchanged.
// TensorFlow.js and the image decoders stay in node_modules (loaded only by `run`), everything else is
// in the bundle; code splitting keeps the engine out of the chunk every call loads (each command's module is
// imported when that command runs: src/cli/commands.ts) and the runtime out of all but `run`'s.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIR = join(ROOT, 'out', 'cli');
const EXTERNAL = ['@tensorflow/*', 'pngjs', 'jpeg-js', 'onnxruntime-node'];

/** esbuild's options for the bundle written into `outdir` (the tests build it in memory and read its metafile). */
export function cliBuildOptions(outdir) {
  return {
    absWorkingDir: ROOT,
    entryPoints: { 'yolo-architect': 'src/cli/run-main.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    outExtension: { '.js': '.mjs' },
    external: EXTERNAL,
    metafile: true,
    logLevel: 'error',
    // some dependencies are CommonJS and call require()
    banner: {
      js: "import { createRequire as __yaRequire } from 'node:module'; const require = __yaRequire(import.meta.url);",
    },
  };
}

/** Build the bundle; returns its directory. Throws when esbuild is not installed (a production install). */
export async function buildCli() {
  const { build } = await import('esbuild');
  const tmp = `${CLI_DIR}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const r = await build(cliBuildOptions(tmp));
  // the sources the bundle was made from, with their size and time, to tell when it is stale
  const inputs = Object.keys(r.metafile.inputs)
    .filter((p) => !p.includes('node_modules'))
    .map((p) => {
      const s = statSync(join(ROOT, p));
      return [p, s.mtimeMs, s.size];
    });
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify({ inputs }));
  rmSync(CLI_DIR, { recursive: true, force: true });
  mkdirSync(dirname(CLI_DIR), { recursive: true });
  try {
    renameSync(tmp, CLI_DIR);
  } catch {
    // another process put its fresh bundle there first: use ours where it is
    return tmp;
  }
  return CLI_DIR;
}

/**
 * Whether the bundle in `root`/out/cli was made from the sources as they are now (every input file has
 * the size and modification time it had; a new import always changes a file that was an input).
 */
export function bundleIsFresh(root = ROOT) {
  try {
    const { inputs } = JSON.parse(readFileSync(join(root, 'out', 'cli', 'manifest.json'), 'utf8'));
    // every call starts here: the paths joined by hand (path.join normalises each) and a missing one not thrown
    const base = `${root}/`;
    for (const [path, mtime, size] of inputs) {
      const s = statSync(base + path, { throwIfNoEntry: false });
      if (!s || s.mtimeMs !== mtime || s.size !== size) return false;
    }
    return inputs.length > 0;
  } catch {
    return false;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = performance.now();
  const dir = await buildCli();
  const files = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
  console.log(
    `yolo-architect: command line bundled into ${relative(ROOT, dir)} (${files.length} files, ${(performance.now() - t0).toFixed(0)} ms)`,
  );
}
