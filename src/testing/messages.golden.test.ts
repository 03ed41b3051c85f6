/**
 * The English of every message over the bad-input corpus, and of every CLI run over it, byte for byte as
 * captured from main before messages became data (golden/messages.en.json; capture-messages.ts adds cases).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureGolden, type Golden } from './message-golden.ts';
import { PROJECT_DIR } from './reference-paths.ts';

const golden: Golden = JSON.parse(readFileSync(join(PROJECT_DIR, 'src/testing/golden/messages.en.json'), 'utf8'));

describe('English messages stay byte for byte', async () => {
  const now = await captureGolden();

  it('the corpus is broad: hundreds of messages and CLI runs', () => {
    expect(golden.core.length).toBeGreaterThan(500);
    expect(golden.cli.length).toBeGreaterThan(300);
  });

  it('every message of src/core over the corpus', () => {
    expect(now.core).toEqual(golden.core);
  });

  it("every CLI run's exit code, standard output and standard error", () => {
    expect(now.cli.length).toBe(golden.cli.length);
    for (let k = 0; k < golden.cli.length; k++) expect(now.cli[k], golden.cli[k].args.join(' ')).toEqual(golden.cli[k]);
  });
});
