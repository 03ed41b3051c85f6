/** `npm run e2e`: every e2e test against the built web renderer (out/web), then the desktop app where it exists.
 *  `E2E_ONLY=text npm run e2e` runs only the tests whose name contains the text. */
import { runTests, selected } from './harness.ts';
import { editorTests } from './editor.e2e.ts';
import { runPanelTests } from './run.e2e.ts';
import { speedTests } from './speed.e2e.ts';
import { parityTests } from './parity.e2e.ts';
import { compareTests } from './compare.e2e.ts';
import { moduleTests } from './modules.e2e.ts';
import { canvasTests } from './canvas.e2e.ts';
import { crashRecoveryTest } from './recovery.e2e.ts';
import { chromeTests } from './chrome.e2e.ts';
import { guideTests } from './guide.e2e.ts';
import { ultralyticsTests } from './ultralytics.e2e.ts';
import { electronTests } from './electron.e2e.ts';
import { desktopUnsavedTests, unsavedTests } from './unsaved.e2e.ts';
import { hostileTests } from './hostile.e2e.ts';

const web = await runTests([
  ...editorTests,
  ...canvasTests,
  ...runPanelTests,
  ...speedTests,
  ...parityTests,
  ...compareTests,
  ...moduleTests,
  ...unsavedTests,
  ...desktopUnsavedTests,
  ...chromeTests,
  ...hostileTests,
  ...guideTests,
  ...ultralyticsTests,
]);
const wantRecovery = selected([{ name: 'crash recovery: edit, kill, start again, restore' }]).length > 0;
const recovery = wantRecovery ? await crashRecoveryTest() : undefined;
const desktop = await electronTests();
const passed = web.passed + (recovery ? 1 : 0) + desktop.passed;
const failed = web.failed + (recovery === false ? 1 : 0) + desktop.failed;
console.log('\n(screenshots of every step in test-results/)');
console.log(`e2e: ${passed} passed, ${failed} failed, ${desktop.skipped} skipped`);
process.exit(failed ? 1 : 0);
