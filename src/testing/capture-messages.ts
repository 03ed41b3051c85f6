/**
 * Writes golden/messages.en.json: every message of the bad-input corpus (message-corpus.ts) and every CLI
 * run over it, as English text. Run it only to add cases (`node --import tsx src/testing/capture-messages.ts`)
 * and check in git that no existing line changed: the golden test holds the English byte for byte.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureGolden } from './message-golden.ts';
import { PROJECT_DIR } from './reference-paths.ts';

const golden = await captureGolden();
writeFileSync(join(PROJECT_DIR, 'src/testing/golden/messages.en.json'), `${JSON.stringify(golden, null, 1)}\n`);
process.stdout.write(`${golden.core.length} messages, ${golden.cli.length} CLI runs\n`);
