import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCircles, judge, KNOWN_CIRCLES } from './no-cycles.mjs';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ya-cycles-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('the no-cycle lint (scripts/no-cycles.mjs, run by npm run lint)', () => {
  it('finds a circle of type-only imports, and one through a third file', async () => {
    const dir = tree({
      'a/family.ts': "import type { Layer } from './types.ts';\nexport type Family = { last?: Layer };\n",
      'a/types.ts': "import type { Family } from './family.ts';\nexport type Layer = { family?: Family };\n",
      'b/args.ts': "import { UsageError } from './main.ts';\nexport const parse = () => new UsageError();\n",
      'b/main.ts':
        "import { summary } from './summary.ts';\nexport class UsageError extends Error {}\nexport const c = summary;\n",
      'b/summary.ts': "import { parse } from './args.ts';\nexport const summary = parse;\n",
      'c/ok.ts': "import { Layer } from '../a/types.ts';\nexport const x: Layer = {};\n",
    });
    const circles: string[][] = await findCircles(['a', 'b', 'c'], dir);
    const sets = circles.map((c) => [...c].sort());
    expect(sets).toContainEqual(['a/family.ts', 'a/types.ts']);
    expect(sets).toContainEqual(['b/args.ts', 'b/main.ts', 'b/summary.ts']);
    expect(sets.flat()).not.toContain('c/ok.ts');
    expect(judge(circles, []).unexpected).toHaveLength(2);
    const allowed = judge(circles, [{ why: 'test', files: ['a/family.ts', 'a/types.ts'] }]);
    expect(allowed.unexpected.map((c: string[]) => [...c].sort())).toEqual([
      ['b/args.ts', 'b/main.ts', 'b/summary.ts'],
    ]);
    expect(allowed.stale).toEqual([]);
  });

  it('an allowed circle that is gone is said, so its exception goes too', () => {
    expect(judge([], [{ why: 'gone', files: ['x.ts', 'y.ts'] }]).stale).toHaveLength(1);
  });

  it('every known exception says why', () => {
    for (const k of KNOWN_CIRCLES as { why: string; files: string[] }[]) {
      expect(k.why.length).toBeGreaterThan(10);
      expect(k.files.length).toBeGreaterThan(1);
    }
  });
});
