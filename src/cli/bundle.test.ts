/** The command line's bundle is used only while the sources it was made from are unchanged. */
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { bundleIsFresh } from '../../scripts/build-cli.mjs';

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
