/** `yolo-architect diff A B [--img 640] [--json] [--changed]`: two configs (or .pt checkpoints) layer by layer. */
import { diffModels, diffTable } from '../core/diff.ts';
import { analyze, diagnosticJson, diagnosticText, hasErrors } from '../core/index.ts';
import { intFlag, parseArgs } from './args.ts';
import { loadConfig } from './load.ts';
import { UsageError } from './command.ts';

export async function diffCommand(argv: string[], help: string): Promise<number> {
  const { positional, flags } = parseArgs(
    argv,
    { img: 'string', json: 'boolean', changed: 'boolean', help: 'boolean' },
    { '-h': 'help' },
  );
  if (flags.help) {
    process.stdout.write(
      `usage: yolo-architect ${help}\n  A, B        model configs (.yaml) or YOLOv5 checkpoints (.pt)\n  --img SIZE  input size (default 640)\n  --json      the comparison as JSON\n  --changed   list only rows that differ\n`,
    );
    return 0;
  }
  if (positional.length !== 2) throw new UsageError(`give two models to compare (got ${positional.length})`);
  const imgsz = intFlag(flags.img, 'img', 640);
  const a = analyze(loadConfig(positional[0]), { imgsz });
  const b = analyze(loadConfig(positional[1]), { imgsz });
  const d = diffModels(a, b);
  if (flags.json) {
    const diagnostics = {
      a: a.diagnostics.map(diagnosticJson),
      b: b.diagnostics.map(diagnosticJson),
    };
    process.stdout.write(`${JSON.stringify({ ...d, diagnostics }, null, 1)}\n`);
  } else {
    process.stdout.write(`${diffTable(d, { changedOnly: !!flags.changed })}\n`);
    for (const x of [...a.diagnostics, ...b.diagnostics].filter((x) => x.severity === 'error'))
      process.stderr.write(`${x.file}:${x.line}:${x.column}: error: ${diagnosticText(x)} [${x.code}]\n`);
  }
  return hasErrors(a.diagnostics) || hasErrors(b.diagnostics) ? 1 : 0;
}
