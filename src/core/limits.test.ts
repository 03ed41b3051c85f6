/**
 * The README's "Security" section quotes the limits: every constant of LIMITS appears in its table, with the
 * same number, and what it says can raise a limit exists (an analysis limit for --limit, an option otherwise).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../testing/reference.ts';
import { ANALYSIS_LIMITS, LIMITS } from './limits.ts';
import { CATALOGS, formatMessage, msg } from './messages/index.ts';
import { HEADER_MAX } from './parse-model/values.ts';

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

describe('messages about a limit', () => {
  /** Numbers that stand in a template for their own reason, not as one of our limits. */
  const NOT_LIMITS: Record<string, string> = {
    'ul.yoloe-embed': "Ultralytics' own formula, min(nc, 100)",
    'ul.bad-scales': 'an example scale, n: [0.50, 0.25, 1024]',
    'ul.bad-scale': 'an example scale, [0.50, 0.25, 1024]',
  };

  it('take the number from the constant that enforces it: no template writes a limit of LIMITS or HEADER_MAX', () => {
    const limits = Object.entries({ ...LIMITS, ...HEADER_MAX });
    const found: string[] = [];
    for (const [lang, catalog] of Object.entries(CATALOGS))
      for (const [code, template] of Object.entries(catalog as Record<string, string>))
        if (!(code in NOT_LIMITS))
          for (const [name, v] of limits)
            for (const written of new Set([String(v), v.toLocaleString('en-US')]))
              if (new RegExp(`(?<![\\d,.])${written}(?!\\d|,\\d)`).test(template))
                found.push(`${lang} ${code}: ${written} (${name})`);
    expect(found).toEqual([]);
  });

  it('change with their limit', () => {
    expect(formatMessage(msg('checkpoint.too-many-tensors', { max: LIMITS.checkpointTensors }))).toBe(
      'the model has more than 1,000,000 tensors',
    );
    expect(formatMessage(msg('nc-out-of-range', { max: 7, got: '8' }))).toBe(
      'nc (the number of classes) must be a whole number from 1 to 7, got 8',
    );
  });
});
