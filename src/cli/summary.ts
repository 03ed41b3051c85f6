/** `yolo-architect summary CONFIG [--img 640] [--scale s] [--json] [--limit NAME=N]` */
import { analyze, hasErrors, summaryJson, summaryTable } from '../core/index.ts';
import { intFlag, limitFlags, parseArgs, scaleFlag } from './args.ts';
import { loadConfig } from './load.ts';
import { loadLibraries } from './modules.ts';
import { UsageError } from './command.ts';

export async function summaryCommand(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(
    argv,
    { img: 'string', scale: 'string', json: 'boolean', limit: 'list', help: 'boolean' },
    { '-h': 'help' },
  );
  if (flags.help) {
    process.stdout.write(
      'usage: yolo-architect summary CONFIG [--img 640] [--scale s] [--json] [--limit NAME=N]\n  --limit NAME=N  raise an analysis limit (work, repeats, totalRepeats, loopSteps, kernel, moduleDepth; README "Security")\n',
    );
    return 0;
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? 'give exactly one CONFIG' : 'no CONFIG given');
  const imgsz = intFlag(flags.img, 'img', 640);
  const limits = limitFlags(flags.limit);
  // The default library (SE, CBAM, CoordAtt) is parsed only for a model that may use it: with no library of the
  // user's, a model whose modules are all built-ins analyses the same without it (a library cannot redefine a
  // built-in, and its modules are named only in an unknown module's message, which then makes us read it). Parsing
  // its YAML is ~40 ms of CPU, about as much as the rest of a summary's work.
  let libs = loadLibraries(positional[0], { defaultLibrary: 'if-user-libraries' });
  const scale = scaleFlag(flags.scale);
  const src = loadConfig(positional[0]);
  const analyzeWith = (l: typeof libs) => {
    const a = analyze(src, { imgsz, registry: l.registry, limits, ...(scale ? { scale } : {}) });
    a.diagnostics.unshift(...l.diagnostics);
    return a;
  };
  let a = analyzeWith(libs);
  if (!libs.libraries.length && a.diagnostics.some((d) => d.code === 'unknown-module')) {
    libs = loadLibraries(positional[0]);
    a = analyzeWith(libs);
  }
  process.stdout.write(flags.json ? `${JSON.stringify(summaryJson(a), null, 1)}\n` : `${summaryTable(a)}\n`);
  return hasErrors(a.diagnostics) ? 1 : 0;
}
