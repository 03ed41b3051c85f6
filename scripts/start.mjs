#!/usr/bin/env node
// `npm start`: the desktop app through Electron Forge; where no Electron binary could be installed, say so
// in one line and serve the same app in the browser instead, printing its local URL (on port 4173, or the
// next free one when 4173 is taken, saying so).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { choosePort } from './free-port.mjs';

const require = createRequire(import.meta.url);
let electronOk = false;
try {
  electronOk = existsSync(join(dirname(require.resolve('electron/package.json')), 'path.txt'));
} catch {
  electronOk = false;
}
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const run = (cmd, args) =>
  new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: 'inherit' });
    p.on('exit', (code) => resolve(code ?? 1));
  });

if (electronOk && !process.argv.includes('--web')) {
  process.exit(await run(npx, ['electron-forge', 'start', '--', ...process.argv.slice(2)]));
} else {
  if (!process.argv.includes('--web'))
    console.log('No Electron binary is installed here, so YOLO Architect opens in your browser instead.');
  const code = await run(npx, ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error']);
  if (code !== 0) process.exit(code);
  const { port, note } = await choosePort(4173);
  if (note) console.log(note);
  process.exit(
    await run(npx, ['vite', 'preview', '--config', 'vite.renderer.config.ts', '--port', String(port), '--strictPort']),
  );
}
