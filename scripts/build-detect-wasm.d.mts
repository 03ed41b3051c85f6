/** Types of build-detect-wasm.mjs (for the tests). */
export function detectWat(shared?: boolean): string;
export function detectWasm(shared?: boolean): Promise<Uint8Array>;
export function detectModuleText(bytes: Uint8Array, sharedBytes: Uint8Array): string;
