/** Types of build-conv-wasm.mjs (for the tests and benches). */
export interface ConvKernelOptions {
  /** f32x4.relaxed_madd (fused multiply-add) instead of mul then add */
  relaxed?: boolean;
  /** import a shared memory (the threaded build's) */
  shared?: boolean;
  mr?: number;
  nr?: number;
  unroll?: number;
}
export const MR: number;
export const NR: number;
export const UNROLL: number;
export function convWat(opts?: ConvKernelOptions): string;
export function convWasm(opts?: ConvKernelOptions): Promise<Uint8Array>;
export function convModuleText(
  plain: Uint8Array,
  relaxed: Uint8Array,
  plainShared: Uint8Array,
  relaxedShared: Uint8Array,
): string;
/** The bytes of the four variants (plain, relaxed, each on a shared memory), in convModuleText's order. */
export function convVariants(): Promise<[Uint8Array, Uint8Array, Uint8Array, Uint8Array]>;
