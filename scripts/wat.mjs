// Assembling our kernels' WebAssembly text to bytes with wabt (a dev dependency: only the build scripts
// build-silu-wasm.mjs, build-conv-wasm.mjs and build-detect-wasm.mjs, their tests and benches use it; the runtime loads the committed bytes).

/** The module's bytes; `features` are wabt's (simd, threads, relaxed_simd...). */
export async function assembleWat(fileName, text, features) {
  const wabt = await (await import('wabt')).default();
  const mod = wabt.parseWat(fileName, text, features);
  try {
    return Uint8Array.from(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}
