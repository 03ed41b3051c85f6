// Lint: no import circles among our sources (src, renderer, electron), type-only imports included (a circle of
// types is still two files that cannot be read apart). madge finds them; any circle fails `npm run lint`.
// Run by `npm run lint`; `node scripts/no-cycles.mjs DIR...` checks other folders (the test's fixtures).
import madge from 'madge';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Circles known and owned by another change, each with why it is allowed for now: a circle is allowed when all
 * its files are among one entry's. Empty is the goal: remove an entry as soon as its circles are gone (the check
 * fails when an entry no longer covers any circle).
 */
export const KNOWN_CIRCLES = [];

const within = (circle, k) => circle.every((f) => k.files.includes(f));

/** The circles among the files under `dirs` (paths relative to the repository), as madge reports them. */
export async function findCircles(dirs, base = root) {
  const result = await madge(
    dirs.map((d) => resolve(base, d)),
    {
      baseDir: base,
      fileExtensions: ['ts', 'tsx', 'js', 'mjs'],
      tsConfig: `${root}/tsconfig.json`,
      excludeRegExp: [/node_modules/],
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    },
  );
  return result.circular();
}

/** Circles not in `known`, and entries of `known` that no longer are circles. */
export function judge(circles, known = KNOWN_CIRCLES) {
  return {
    unexpected: circles.filter((c) => !known.some((k) => within(c, k))),
    stale: known.filter((k) => !circles.some((c) => within(c, k))),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2);
  const circles = await findCircles(dirs.length ? dirs : ['src', 'renderer', 'electron']);
  const { unexpected, stale } = judge(circles, dirs.length ? [] : KNOWN_CIRCLES);
  for (const c of unexpected) console.error(`import circle: ${[...c, c[0]].join(' -> ')}`);
  for (const k of stale) console.error(`no longer a circle, remove it from KNOWN_CIRCLES: ${k.files.join(' -> ')}`);
  if (unexpected.length || stale.length) process.exit(1);
  console.log(
    `no import circles (${circles.length} allowed for now: ${KNOWN_CIRCLES.map((k) => k.why).join('; ') || 'none'})`,
  );
}
