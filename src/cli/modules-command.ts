/**
 * `yolo-architect modules [CONFIG] [--try NAME [--c1 64] [--hw 80] [--args "64"]] [--json]`: the modules a
 * config can use beyond YOLOv5's (the default library, the user's modules.yaml, NAME.modules.yaml beside
 * CONFIG), their libraries' problems with file and line, and a module tried alone as the module editor does.
 */
import { diagnosticText, shapeText, textIn, thousands, tryModule } from '../core/index.ts';
import { intFlag, parseArgs } from './args.ts';
import { UsageError } from './command.ts';
import { loadLibraries } from './modules.ts';

export async function modulesCommand(argv: string[], help: string): Promise<number> {
  const { positional, flags } = parseArgs(
    argv,
    { try: 'string', c1: 'string', hw: 'string', args: 'string', json: 'boolean', help: 'boolean' },
    { '-h': 'help' },
  );
  if (flags.help) {
    process.stdout.write(
      `usage: yolo-architect ${help}\n  CONFIG        also read NAME.modules.yaml beside it\n  --try NAME    build NAME alone: an input of c1 channels at hw x hw, one row [-1, 1, NAME, [ARGS]]\n  --c1, --hw    the input (default 64, 80)\n  --args        the row's arguments as a config writes them (default: c1)\n  --json        as JSON\n`,
    );
    return 0;
  }
  if (positional.length > 1) throw new UsageError(`give at most one config (got ${positional.length})`);
  const libs = loadLibraries(positional[0]);
  const modules = libs.libraries.flatMap((lib, k) =>
    lib.specs.map((s) => ({
      name: s.name,
      library: k === 0 ? 'default' : lib.file,
      args: s.args.map((a) => (a.default === undefined ? a.name : `${a.name}=${a.default}`)),
      description: textIn(s.description),
    })),
  );
  const problems = libs.diagnostics.map(({ range: _r, ...d }) => d);
  let trial: ReturnType<typeof tryModule> | null = null;
  if (typeof flags.try === 'string') {
    const name = flags.try;
    const spec = [...libs.libraries]
      .reverse()
      .flatMap((l) => l.specs)
      .find((s) => s.name === name);
    if (!libs.registry.get(name))
      throw new UsageError(
        `no module named '${name}' (see: yolo-architect modules${positional[0] ? ` ${positional[0]}` : ''})`,
      );
    const c1 = intFlag(flags.c1, 'c1', 64);
    trial = tryModule(name, libs.registry, {
      c1,
      hw: intFlag(flags.hw, 'hw', 80),
      rowArgs: typeof flags.args === 'string' ? flags.args : String(c1),
      spec,
    });
  }
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ modules, problems, ...(trial ? { trial: { ...trial, diagnostics: trial.diagnostics.map(({ range: _r, ...d }) => d) } } : {}) }, null, 1)}\n`,
    );
  } else {
    const w = Math.max(6, ...modules.map((m) => m.name.length));
    for (const m of modules)
      process.stdout.write(`${m.name.padEnd(w)}  ${m.library}  (${m.args.join(', ')})  ${m.description}\n`);
    for (const d of problems)
      process.stderr.write(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${diagnosticText(d)}\n`);
    if (trial) {
      process.stdout.write(`\n${trial.row} at ${flags.c1 ?? 64} x ${flags.hw ?? 80} x ${flags.hw ?? 80}: `);
      process.stdout.write(
        trial.ok
          ? `${thousands(trial.params)} parameters, ${trial.gflops.toFixed(4)} GFLOPs, output ${trial.shape ? shapeText(trial.shape) : '?'}\n`
          : 'does not build\n',
      );
      for (const [id, s] of Object.entries(trial.values)) process.stdout.write(`  ${id.padEnd(w)}  ${shapeText(s)}\n`);
      for (const d of trial.diagnostics) process.stderr.write(`${d.severity}: ${diagnosticText(d)}\n`);
    }
  }
  return problems.some((d) => d.severity === 'error') || (trial && !trial.ok) ? 1 : 0;
}
