/**
 * The `yolo-architect` command. Exit codes: 0 ok, 1 the model has errors, 2 usage. It imports only the command
 * list and names.ts: a command's code (and the engine with it) is loaded when that command runs.
 */
import { visible } from '../core/names.ts';
import { UsageError } from './command.ts';
import { COMMANDS } from './commands.ts';

export function usage(): string {
  return ['usage: yolo-architect COMMAND ...', '', ...COMMANDS.map((c) => `  yolo-architect ${c.help}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(`${usage()}\n`);
    return cmd ? 0 : 2;
  }
  const c = COMMANDS.find((x) => x.name === cmd);
  if (!c) {
    process.stderr.write(`yolo-architect: unknown command '${cmd}'\n${usage()}\n`);
    return 2;
  }
  try {
    return await (
      await c.load()
    )(rest, c.help);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`yolo-architect ${cmd}: ${e.message}\nusage: yolo-architect ${c.help}\n`);
      return 2;
    }
    process.stderr.write(`yolo-architect ${cmd}: ${visible((e as Error).message)}\n`);
    return 1;
  }
}
