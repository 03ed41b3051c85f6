/** What a CLI command is: its name, its handler and its usage line. The list of them is commands.ts. */

/** A wrong invocation (unknown flag, missing argument): main prints it with the command's usage, exit code 2. */
export class UsageError extends Error {}

export type CommandRun = (argv: string[]) => Promise<number>;

export interface CliCommand {
  name: string;
  run: CommandRun;
  /** The usage line after `yolo-architect `, listed by --help. */
  help: string;
}
