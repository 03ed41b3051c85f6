#!/usr/bin/env node
// After install: bundles the command line (scripts/build-cli.mjs) so `npx yolo-architect` starts fast, then
// fetches the Electron binary, without failing the install where either cannot be done.
// (electron's own postinstall is turned off in package.json "allowScripts" because it fails hard offline.)
// Set ELECTRON_SKIP_BINARY_DOWNLOAD=1 to skip on purpose.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

try {
  const { buildCli } = await import('./build-cli.mjs');
  await buildCli();
} catch (e) {
  // a production install has no esbuild: the CLI then runs its sources through tsx
  console.log(
    `yolo-architect: the command line was not bundled (${String(e?.message ?? e).split('\n')[0]}); it runs through tsx.`,
  );
}

let dir;
try {
  dir = dirname(require.resolve('electron/package.json'));
} catch {
  process.exit(0); // production install without dev dependencies
}
if (existsSync(join(dir, 'path.txt'))) process.exit(0); // already installed
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(
    'yolo-architect: Electron binary download skipped (ELECTRON_SKIP_BINARY_DOWNLOAD); `npm start` serves the app in your browser.',
  );
  process.exit(0);
}
const r = spawnSync(process.execPath, [join(dir, 'install.js')], {
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
  timeout: 10 * 60 * 1000,
});
if (r.status === 0 && existsSync(join(dir, 'path.txt'))) {
  console.log('yolo-architect: Electron binary installed.');
} else {
  const why =
    (r.stderr || r.stdout || '').split('\n').find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN/i.test(l)) ??
    `exit ${r.status}`;
  console.log(
    `yolo-architect: the Electron binary could not be downloaded (${why.trim().slice(0, 160)}); \`npm start\` will serve the app in your browser instead.`,
  );
}
