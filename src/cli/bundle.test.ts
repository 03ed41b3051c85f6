/**
 * The command line's bundle: used only while the sources it was made from are unchanged, and split so that
 * `yolo-architect --help` loads none of the engine.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { bundleIsFresh, cliBuildOptions } from '../../scripts/build-cli.mjs';
import { COMMANDS } from './commands.ts';

let root: string | undefined;
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

function checkout() {
  root = mkdtempSync(join(tmpdir(), 'ya-cli-'));
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(root, 'out', 'cli'), { recursive: true });
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  const s = statSync(join(root, 'src', 'a.ts'));
  writeFileSync(
    join(root, 'out', 'cli', 'manifest.json'),
    JSON.stringify({ inputs: [['src/a.ts', s.mtimeMs, s.size]] }),
  );
  return root;
}

it('is fresh while every source has the size and time it had when bundled', () => {
  expect(bundleIsFresh(checkout())).toBe(true);
});

it('is stale when a source changed, even to the same size', () => {
  const dir = checkout();
  writeFileSync(join(dir, 'src', 'a.ts'), 'export const b = 2;\n');
  utimesSync(join(dir, 'src', 'a.ts'), new Date(), new Date(Date.now() + 5000));
  expect(bundleIsFresh(dir)).toBe(false);
});

it('is stale when a source is gone or there is no manifest', () => {
  const dir = checkout();
  rmSync(join(dir, 'src', 'a.ts'));
  expect(bundleIsFresh(dir)).toBe(false);
  rmSync(join(dir, 'out'), { recursive: true });
  expect(bundleIsFresh(dir)).toBe(false);
});

it('--help loads none of the engine: the entry and the chunks it imports hold the command list only', async () => {
  const { build } = await import('esbuild');
  const { metafile } = await build({ ...cliBuildOptions(join(tmpdir(), 'ya-cli-bundle')), write: false });
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((o) => outputs[o].entryPoint === 'src/cli/run-main.ts');
  expect(entry).toBeDefined();
  // what Node loads before main runs: the entry and, transitively, its static imports
  const loaded = new Set<string>();
  const next = [entry!];
  while (next.length) {
    const o = next.pop()!;
    if (loaded.has(o)) continue;
    loaded.add(o);
    for (const i of outputs[o].imports) if (i.kind === 'import-statement' && !i.external) next.push(i.path);
  }
  const sources = [...loaded].flatMap((o) => Object.keys(outputs[o].inputs)).sort();
  expect(sources).toEqual([
    'src/cli/command.ts',
    'src/cli/commands.ts',
    'src/cli/main.ts',
    'src/cli/run-main.ts',
    'src/core/names.ts',
    'src/runtime/predict-defaults.ts',
  ]);
  // and each command's module is a chunk of its own, imported when it runs
  const dynamic = outputs[entry!].imports.filter((i) => i.kind === 'dynamic-import').length;
  expect(dynamic).toBe(COMMANDS.length);
});
