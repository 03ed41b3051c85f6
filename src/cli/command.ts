/** What a CLI command is: its name, its usage line and where its code is. The list of them is commands.ts. */

/** A wrong invocation (unknown flag, missing argument): main prints it with the command's usage, exit code 2. */
export class UsageError extends Error {}

/** A command's code: its arguments after the command's name, and its usage line (for its own --help). */
export type CommandRun = (argv: string[], help: string) => Promise<number>;

export interface CliCommand {
  name: string;
  /** The usage line after `yolo-architect `, listed by --help. */
  help: string;
  /**
   * The command's code, imported only when it runs: `yolo-architect --help` and the command list load none of
   * the engine (the bundle's entry holds main, this list and the flag parser).
   */
  load: () => Promise<CommandRun>;
}
