import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIBRARY_YAML } from './custom/defaults.ts';
import { parseModuleLibrary } from './custom/library.ts';
import { LIMITS } from './limits.ts';
import { nestingTooDeep } from './nesting.ts';
import { diagnosticText } from './diagnostics.ts';
import { PROJECT_DIR } from '../testing/reference.ts';

/** The deepest nesting the scan finds, by lowering the limit until it trips. */
function depth(text: string): number {
  let d = 0;
  while (d < 200 && nestingTooDeep(text, d)) d++;
  return d;
}

describe('YAML nesting is measured before any parser recurses into it', () => {
  it('every shipped config and the default library nest a few levels: far below the limit', () => {
    const dir = join(PROJECT_DIR, 'configs');
    const texts = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    expect(texts.length).toBeGreaterThan(10);
    for (const t of [...texts, DEFAULT_LIBRARY_YAML]) {
      expect(depth(t)).toBeGreaterThan(1);
      expect(depth(t)).toBeLessThan(8);
    }
  });

  it('counts brackets, compact sequences and indentation, but not brackets in quotes, comments or block scalars', () => {
    expect(depth('a: [[[1]]]\n')).toBe(4);
    expect(depth('- - - x\n')).toBe(4); // one more than the parser: a safe overcount
    expect(depth('a:\n  b:\n    c:\n      d: 1\n')).toBe(4);
    expect(depth("a: '[[[[[[' # [[[[[[\nb: \"{{{{{{\"\nc: don't [1]\n")).toBe(2);
    expect(depth('a: |\n  [[[[[[[[\n      {{{{{{\nb: 1\n')).toBe(1);
    expect(depth('a: [\n  [1,\n   [2]],\n  3]\n')).toBe(4);
  });

  it('a module library nested deeper than the limit is refused with a diagnostic, not a stack overflow', () => {
    const t0 = performance.now();
    for (const text of [
      '['.repeat(100_000),
      `M: ${'['.repeat(LIMITS.nesting)}${']'.repeat(LIMITS.nesting)}\n`,
      `${'- '.repeat(50_000)}x\n`,
    ]) {
      const lib = parseModuleLibrary(text, 'deep.modules.yaml');
      expect(lib.diagnostics).toHaveLength(1);
      expect(lib.diagnostics[0], JSON.stringify(lib.diagnostics[0])).toMatchObject({ code: 'too-deep', line: 1 });
      expect(diagnosticText(lib.diagnostics[0])).toContain(`nested more than ${LIMITS.nesting} levels`);
    }
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
