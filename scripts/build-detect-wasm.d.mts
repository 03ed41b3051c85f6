/** Types of build-detect-wasm.mjs (for the tests). */
export function detectWat(): string;
export function detectWasm(): Promise<Uint8Array>;
export function detectModuleText(bytes: Uint8Array): string;
