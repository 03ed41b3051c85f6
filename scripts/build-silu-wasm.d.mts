/** Types of build-silu-wasm.mjs (for the tests). */
export function siluWat(): string;
export function siluWasm(): Promise<Uint8Array>;
export function siluModuleText(bytes: Uint8Array): string;
