/** `npm run e2e`: every e2e test against the built web renderer (out/web), then the desktop app where it exists. */
import { runTests } from './harness.ts';
import { editorTests } from './editor.e2e.ts';
import { runPanelTests } from './run.e2e.ts';
import { compareTests } from './compare.e2e.ts';
import { moduleTests } from './modules.e2e.ts';
import { crashRecoveryTest } from './recovery.e2e.ts';
import { electronTests } from './electron.e2e.ts';

const web = await runTests([...editorTests, ...runPanelTests, ...compareTests, ...moduleTests]);
const recovery = await crashRecoveryTest();
const desktop = await electronTests();
const passed = web.passed + (recovery ? 1 : 0) + desktop.passed;
const failed = web.failed + (recovery ? 0 : 1) + desktop.failed;
console.log('\n(screenshots of every step in test-results/)');
console.log(`e2e: ${passed} passed, ${failed} failed, ${desktop.skipped} skipped`);
process.exit(failed ? 1 : 0);
