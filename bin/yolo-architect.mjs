#!/usr/bin/env node
// The `yolo-architect` command. Runs the bundle in out/cli (made at install and by `npm run build:cli`)
// when its sources are unchanged since it was made; otherwise bundles them again first (a checkout where
// src/ changed), and only where that cannot be done runs the TypeScript sources through tsx.
import { pathToFileURL } from 'node:url';
import { bundleIsFresh, buildCli, CLI_DIR } from '../scripts/build-cli.mjs';

let dir = bundleIsFresh() ? CLI_DIR : undefined;
if (!dir) {
  try {
    dir = await buildCli();
  } catch {
    dir = undefined; // no esbuild (a production install) or a read-only folder
  }
}
if (dir) await import(pathToFileURL(`${dir}/yolo-architect.mjs`).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/run-main.ts');
}
