/** `npm run bench`: every benchmark, medians over several runs. */
import { printResults } from './util.ts';
import * as core from './core.bench.ts';
import * as edit from './edit.bench.ts';
import * as runtime from './runtime.bench.ts';
import * as conv from './conv.bench.ts';
import * as modules from './modules.bench.ts';
import * as cli from './cli.bench.ts';

const suites: [string, { run: () => Promise<import('./util.ts').BenchResult[]> }][] = [
  ['core engine', core],
  ['editing', edit],
  ['module editor', modules],
  ['runtime', runtime],
  ['conv kernel (ours vs tfjs wasm)', conv],
  ['cli (whole process)', cli],
];

const only = process.argv[2];
console.log(
  `node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${(await import('node:os')).cpus()[0]?.model ?? ''}`,
);
for (const [name, suite] of suites) {
  if (only && !name.includes(only)) continue;
  printResults(name, await suite.run());
}
