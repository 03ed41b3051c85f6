/**
 * GPUs drawn in software, by the names their drivers give: one list for the run worker (which skips them for
 * tfjs-wasm, src/runtime/backend.ts) and the desktop main process (which composites the window in software on
 * them, electron/services/compositing.ts). Here, in the contract's folder, because both may import it; it
 * imports nothing.
 */

/** Chromium's SwiftShader, Mesa's llvmpipe/softpipe/lavapipe, Windows' WARP (Microsoft Basic Render Driver). */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|lavapipe|microsoft basic render|software/i;

/** How each is written in a message, whatever case the driver gives it. */
const SOFTWARE_NAMES: Record<string, string> = {
  swiftshader: 'SwiftShader',
  'microsoft basic render': 'Microsoft Basic Render Driver',
};

/** The software renderer the first of `texts` naming one names (e.g. 'SwiftShader'), or undefined. */
export function softwareName(...texts: unknown[]): string | undefined {
  for (const t of texts) {
    const m = typeof t === 'string' ? SOFTWARE.exec(t) : null;
    if (m) return SOFTWARE_NAMES[m[0].toLowerCase()] ?? m[0];
  }
  return undefined;
}
