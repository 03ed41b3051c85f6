/** Types of build-silu-wasm.mjs (for the tests). */
export function siluWat(shared?: boolean): string;
export function siluWasm(shared?: boolean): Promise<Uint8Array>;
export function siluModuleText(bytes: Uint8Array, sharedBytes: Uint8Array): string;
