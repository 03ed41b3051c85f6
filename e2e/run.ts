/** `npm run e2e`: every e2e test against the built web renderer (out/web). */
import { runTests } from './harness.ts';
import { editorTests } from './editor.e2e.ts';

const ok = await runTests([...editorTests]);
process.exit(ok ? 0 : 1);
