/** Every CLI command, once: the dispatcher, --help and the tests read this list (in --help's order). */
import type { CliCommand } from './command.ts';
import { summary } from './summary.ts';
import { exportCli } from './export.ts';
import { run } from './run.ts';
import { diff } from './diff.ts';
import { modules } from './modules-command.ts';

export const COMMANDS: readonly CliCommand[] = [summary, exportCli, run, diff, modules];
