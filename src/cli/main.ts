/** The `yolo-architect` command. Exit codes: 0 ok, 1 the model has errors, 2 usage. */
import { visible } from '../core/index.ts';
import { summaryCommand } from './summary.ts';

export class UsageError extends Error {}

export type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  summary: {
    run: summaryCommand,
    help: 'summary CONFIG [--img 640] [--scale s] [--json]   per-layer channels, shapes, parameters, GFLOPs',
  },
};

export function usage(): string {
  return [
    'usage: yolo-architect COMMAND ...',
    '',
    ...Object.values(COMMANDS).map((c) => `  yolo-architect ${c.help}`),
  ].join('\n');
}

/** Register further commands (export, run, diff) from their modules. */
export function registerCommand(name: string, run: Command, help: string) {
  COMMANDS[name] = { run, help };
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(`${usage()}\n`);
    return cmd ? 0 : 2;
  }
  const c = COMMANDS[cmd];
  if (!c) {
    process.stderr.write(`yolo-architect: unknown command '${cmd}'\n${usage()}\n`);
    return 2;
  }
  try {
    return await c.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`yolo-architect ${cmd}: ${e.message}\nusage: yolo-architect ${c.help}\n`);
      return 2;
    }
    process.stderr.write(`yolo-architect ${cmd}: ${visible((e as Error).message)}\n`);
    return 1;
  }
}
