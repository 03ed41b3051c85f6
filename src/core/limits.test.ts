/**
 * The README's "Security" section quotes the limits: every constant of LIMITS appears in its table, with the
 * same number, and what it says can raise a limit exists (an analysis limit for --limit, an option otherwise).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../testing/reference.ts';
import { ANALYSIS_LIMITS, LIMITS } from './limits.ts';

const UNITS: Record<string, number> = { KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, bytes: 1 };

/** The table rows of the README's Security section: constant name -> [the limit as written, how to raise it]. */
function securityTable(): Map<string, [string, string]> {
  const readme = readFileSync(join(PROJECT_DIR, 'README.md'), 'utf8');
  const at = readme.indexOf('\n## Security\n');
  expect(at, 'README has a "## Security" section').toBeGreaterThan(0);
  const section = readme.slice(at + 1, readme.indexOf('\n## ', at + 1));
  const rows = new Map<string, [string, string]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`LIMITS\.(\w+)`$/.exec(cells[3] ?? '')?.[1];
    if (name) rows.set(name, [cells[2], cells[4]]);
  }
  return rows;
}

/** '4 MiB' -> 4194304, '500,000' -> 500000, '2,147,483,647 bytes' -> 2147483647. */
function value(text: string): number {
  const m = /^([\d,]+)(?:\s+(KiB|MiB|GiB|bytes))?$/.exec(text);
  if (!m) throw new Error(`not a limit: ${text}`);
  return Number(m[1].replace(/,/g, '')) * (m[2] ? UNITS[m[2]] : 1);
}

describe("the README's Security section", () => {
  it('lists every limit of LIMITS with its exact value', () => {
    const table = securityTable();
    expect([...table.keys()].sort()).toEqual(Object.keys(LIMITS).sort());
    for (const [name, [limit]] of table) expect(value(limit), name).toBe(LIMITS[name as keyof typeof LIMITS]);
  });

  it('says --limit exactly for the limits the command line can raise', () => {
    const table = securityTable();
    const viaFlag = [...table].filter(([, [, raise]]) => raise.startsWith('`--limit')).map(([n]) => n);
    expect(viaFlag.sort()).toEqual([...ANALYSIS_LIMITS].sort());
    for (const [name, [, raise]] of table)
      if (raise.startsWith('`--limit')) expect(raise, name).toBe(`\`--limit ${name}=N\``);
  });
});
