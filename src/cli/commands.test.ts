import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.ts';
import { COMMANDS } from './commands.ts';

describe('the CLI commands: one list for the dispatcher, --help and the tests', () => {
  it('--help lists every command of the list, in its order, and nothing else', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    const listed = r.out
      .split('\n')
      .filter((l) => l.startsWith('  yolo-architect '))
      .map((l) => l.slice('  yolo-architect '.length));
    expect(listed).toEqual(COMMANDS.map((c) => c.help));
    expect(COMMANDS.map((c) => c.help.split(' ')[0])).toEqual(COMMANDS.map((c) => c.name));
  });

  it('names are unique', () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });

  it.each(COMMANDS.map((c) => c.name))('the dispatcher reaches %s (its own --help, exit 0)', async (name) => {
    const r = await runCli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^usage: yolo-architect ${name} `));
  });

  it('a command not in the list is a usage error listing the commands', async () => {
    const r = await runCli(['sumary', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'sumary'");
    for (const c of COMMANDS) expect(r.err).toContain(`yolo-architect ${c.help}`);
  });
});
