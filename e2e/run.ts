/** `npm run e2e`: every e2e test against the built web renderer (out/web). */
import { runTests } from './harness.ts';
import { editorTests } from './editor.e2e.ts';
import { runPanelTests } from './run.e2e.ts';
import { crashRecoveryTest } from './recovery.e2e.ts';

const ok = (await runTests([...editorTests, ...runPanelTests])) && (await crashRecoveryTest());
process.exit(ok ? 0 : 1);
