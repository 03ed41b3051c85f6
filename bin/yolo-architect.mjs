#!/usr/bin/env node
// The `yolo-architect` command. Runs the bundle in out/cli (made at install and by `npm run build:cli`)
// when its sources are unchanged since it was made; otherwise bundles them again first (a checkout where
// src/ changed), and only where that cannot be done runs the TypeScript sources through tsx.
// In this process, always: the bundle's entry is imported here, never run as a second node.
import { bundleIsFresh } from '../scripts/build-cli.mjs';

if (bundleIsFresh()) await import('../out/cli/yolo-architect.mjs');
else {
  const { buildCli } = await import('../scripts/build-cli.mjs');
  let dir;
  try {
    dir = await buildCli();
  } catch {
    dir = undefined; // no esbuild (a production install) or a read-only folder
  }
  if (dir) {
    const { pathToFileURL } = await import('node:url');
    await import(pathToFileURL(`${dir}/yolo-architect.mjs`).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import('../src/cli/run-main.ts');
  }
}
