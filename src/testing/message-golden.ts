/** The golden English of the bad-input corpus, computed (capture-messages.ts writes it, the golden test compares). */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.ts';
import { formatMessage } from '../core/index.ts';
import { cliCases, coreSamples, placeholders, runCliCaptured, type CliRun } from './message-corpus.ts';

export interface Golden {
  /** Every message of the corpus in English: where it came from, its code, its words. */
  core: { from: string; code: string; message: string }[];
  cli: CliRun[];
}

/** Output longer than this is kept as its first diagnostic lines and a hash of the whole. */
const LONG = 6000;

const keep = (text: string) =>
  text.length <= LONG
    ? text
    : `${text
        .split('\n')
        .filter((l) => /: (error|warning|info)\b|"message"/.test(l))
        .slice(0, 20)
        .join('\n')}\n[${text.length} chars, sha256 ${createHash('sha256').update(text).digest('hex')}]`;

export async function captureGolden(): Promise<Golden> {
  // a folder of this run's own: runs in other checkouts on the same machine must not see each other's files
  const dir = mkdtempSync(join(tmpdir(), 'yolo-architect-golden-'));
  const cli: CliRun[] = [];
  for (const c of cliCases(dir)) {
    const saved = process.env.YOLO_ARCHITECT_MODULES;
    process.env.YOLO_ARCHITECT_MODULES = c.env?.YOLO_ARCHITECT_MODULES ?? join(dir, 'no-user-modules.yaml');
    try {
      const r = await runCliCaptured(main, c.args);
      cli.push({
        args: c.args.map((a) => placeholders(a, dir)),
        code: r.code,
        stdout: keep(placeholders(r.stdout, dir)),
        stderr: keep(placeholders(r.stderr, dir)),
      });
    } finally {
      if (saved === undefined) delete process.env.YOLO_ARCHITECT_MODULES;
      else process.env.YOLO_ARCHITECT_MODULES = saved;
    }
  }
  // a message said many times over (2,000 rows with one problem) is kept once
  const seen = new Set<string>();
  const core = coreSamples()
    .map(({ from, code, said }) => ({ from, code, message: formatMessage(said) }))
    .filter((x) => {
      const key = JSON.stringify(x);
      return !seen.has(key) && !!seen.add(key);
    });
  return { core, cli };
}
