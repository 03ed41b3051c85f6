#!/usr/bin/env node
// `npm run security`: electronegativity on the built main, preload and renderer (built JavaScript, which it
// parses better than current TypeScript). Fails on any finding above LOW.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const out = 'out/security';
const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'renderer'), { recursive: true });
for (const part of ['main', 'preload'])
  sh('npx', [
    'vite',
    'build',
    '--config',
    `vite.${part}.config.ts`,
    '--outDir',
    out,
    '--emptyOutDir',
    'false',
    '--logLevel',
    'warn',
    '--minify',
    'false',
  ]);
renameSync(join(out, 'main.cjs'), join(out, 'main.js'));
renameSync(join(out, 'preload.cjs'), join(out, 'preload.js'));
if (!process.argv.includes('--no-renderer')) {
  sh('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn']);
  const copy = (dir, to) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) copy(p, to);
      else if (/\.(js|html)$/.test(f)) cpSync(p, join(to, f));
    }
  };
  copy('out/web', join(out, 'renderer'));
}
const report = join(out, 'report.csv');
const r = spawnSync(
  process.execPath,
  [
    '--import',
    './scripts/serial-writes.mjs',
    'node_modules/@doyensec/electronegativity/dist/index.js',
    '-i',
    out,
    '-o',
    report,
    '-r',
    '-e',
    '38.8.6',
    '-v',
    'false',
  ],
  { encoding: 'utf8' },
);
if (!existsSync(report)) {
  console.error(r.stdout, r.stderr);
  console.error('security: electronegativity wrote no report');
  process.exit(1);
}
const rows = readFileSync(report, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','));
// every record starts with its check and severity; anything else is a torn report, never a pass
const torn = rows.filter((c) => !/^[A-Z_]+$/.test(c[0]) || !/^"[A-Z]+"$/.test(c[1] ?? '') || c.length < 5);
if (torn.length) {
  console.error(
    `security: the report has ${torn.length} unreadable line(s):\n${torn.map((c) => c.join(',')).join('\n')}`,
  );
  process.exit(1);
}
const bad = rows.filter((c) => !['"LOW"', '"INFORMATIONAL"'].includes(c[1]));
for (const c of rows)
  console.log(
    `  ${c[1].replace(/"/g, '').padEnd(8)} ${c[0].padEnd(40)} ${c[3].replace(/"/g, '')}:${c[4].replace(/"/g, '')}`,
  );
console.log(`security: ${rows.length} finding(s), ${bad.length} above LOW`);
process.exit(bad.length ? 1 : 0);
