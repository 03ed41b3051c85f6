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
  const libs = loadLibraries(positional[0]);
  const scale = scaleFlag(flags.scale);
  const a = analyze(loadConfig(positional[0]), {
    imgsz,
    registry: libs.registry,
    limits,
    ...(scale ? { scale } : {}),
  });
  a.diagnostics.unshift(...libs.diagnostics);
  process.stdout.write(flags.json ? `${JSON.stringify(summaryJson(a), null, 1)}\n` : `${summaryTable(a)}\n`);
  return hasErrors(a.diagnostics) ? 1 : 0;
}
