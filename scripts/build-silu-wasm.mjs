#!/usr/bin/env node
// SiLU (x * sigmoid(x)) in one pass over tfjs-backend-wasm's memory, as a WebAssembly SIMD module: writes
// src/runtime/silu.wat (the text, to read) and src/runtime/silu-wasm.ts (its bytes, which the runtime loads).
// Two modules, the same code: one imports the single-threaded build's memory, the other the threaded build's
// shared memory (a module can import a shared memory only if it declares one, with a maximum at least the
// memory's: 65536 pages, wasm32's whole 4 GiB, which tfjs's threaded build also declares).
// tfjs-wasm has no fused SiLU: Sigmoid then Multiply read and write every activation twice. Run by hand after
// changing this file (`node scripts/build-silu-wasm.mjs`); src/runtime/silu.test.ts checks the committed bytes
// are what this makes.
//
// The math, per lane: z = -|x|; e = exp(z) by range reduction (n = round(z / ln 2) by a magic bias (no float-to-int conversion), r = z - n ln 2 in two parts,
// e^r by a degree-5 polynomial, times 2^n through the exponent bits), 0 where z < -87 (below float32's normal
// range); f = e / (1 + e), which is sigmoid(-|x|) without overflow; sigmoid(x) = x > 0 ? 1 - f : f, and
// x sigmoid(x) = max(x, 0) + z f (x > 0: x - x f; else x f), three steps where x times the select took six. Error
// against float64 within 2e-6 relative (the polynomial's, in float32 steps, below 1.9e-7 for |r| <= ln2 / 2),
// and absolutely below 1.5e-36 for x < -87 (-0 where PyTorch has x e^x, at most 1.5e-36).
import { pathToFileURL } from 'node:url';
import { assembleWat, indent, MAX_PAGES, sharedDoc, wasmModuleText, writeKernel } from './wat.mjs';

/** Vectors of four floats per loop step (independent chains hide the division's latency). */
const UNROLL = 4;

const splat = (v) => `(v128.const f32x4 ${v} ${v} ${v} ${v})`;
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.428606765330187e-6;
/**
 * e^r for |r| <= ln2 / 2, highest power first: 1 + r + c2 r^2 + ... + c5 r^5, c2..c5 fitted for the least largest
 * relative error (Lawson's weighted least squares on Chebyshev nodes: 1.05e-7; 1.8e-7 in float32 steps, where
 * Taylor's series needs r^6 for 2.4e-7).
 */
const POLY = [0.008312525248880128, 0.041890114300513336, 0.16667114465297783, 0.499992317829729, 1, 1];
/** 1.5 * 2^23: a float32 plus it rounds to an integer held in the low mantissa bits (|value| < 2^22). */
const MAGIC = 12582912;

/**
 * SiLU of the vector in local `${v}x` into local `${v}p`, with `${v}z`, `${v}t`, `${v}n`, `${v}r` as scratch (also
 * the convolution kernel's store, scripts/build-conv-wasm.mjs: the same bits as this kernel after it).
 */
export function siluOf(v) {
  const g = (n) => `(local.get $${v}${n})`;
  const set = (n, e) => `(local.set $${v}${n} ${e})`;
  return [
    ...sigmoidParts(v),
    set('p', `(f32x4.add (f32x4.pmax ${g('x')} ${splat(0)}) (f32x4.mul ${g('z')} ${g('p')}))`),
  ];
}

/** sigmoid(x) from f = sigmoid(-|x|) in `${v}p`: x > 0 ? 1 - f : f. */
const sigmoidSelect = (v) =>
  `(v128.bitselect (f32x4.sub ${splat(1)} (local.get $${v}p)) (local.get $${v}p) (f32x4.gt (local.get $${v}x) ${splat(0)}))`;

/**
 * sigmoid(x) of the vector in local `${v}x` into local `${v}p` (scratch as siluOf's): the SiLU's own f = sigmoid(-|x|)
 * (the Detect decoding's sigmoid, scripts/build-detect-wasm.mjs).
 */
export function sigmoidOf(v) {
  return [...sigmoidParts(v), `(local.set $${v}p ${sigmoidSelect(v)})`];
}

/** sigmoid(-|x|) of local `${v}x` into local `${v}p`. */
function sigmoidParts(v) {
  const g = (n) => `(local.get $${v}${n})`;
  const set = (n, e) => `(local.set $${v}${n} ${e})`;
  return [
    // -|x|: the sign bit set
    set('z', `(v128.or ${g('x')} (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))`),
    // (pmax: one instruction where max's NaN rules take several; z is never NaN unless x is, and stays NaN)
    set('r', `(f32x4.pmax ${g('z')} ${splat(-87)})`),
    // n = round(r / ln 2) by the magic bias: t's low bits hold n as an integer (n's float is t - MAGIC)
    set('t', `(f32x4.add (f32x4.mul ${g('r')} ${splat(Math.LOG2E)}) ${splat(MAGIC)})`),
    set('n', `(f32x4.sub ${g('t')} ${splat(MAGIC)})`),
    set('r', `(f32x4.sub ${g('r')} (f32x4.mul ${g('n')} ${splat(LN2_HI)}))`),
    set('r', `(f32x4.sub ${g('r')} (f32x4.mul ${g('n')} ${splat(LN2_LO)}))`),
    set('p', `(f32x4.add (f32x4.mul ${splat(POLY[0])} ${g('r')}) ${splat(POLY[1])})`),
    ...POLY.slice(2).map((c) => set('p', `(f32x4.add (f32x4.mul ${g('p')} ${g('r')}) ${splat(c)})`)),
    // times 2^n: t's bits shifted by 23 are n << 23 (the bias's own bits shift out)
    set('p', `(i32x4.add ${g('p')} (i32x4.shl ${g('t')} (i32.const 23)))`),
    // below -87 e^z is under float32's normal range: 0 (so a huge negative x gives -0, as PyTorch's)
    set('p', `(v128.and ${g('p')} (f32x4.ge ${g('z')} ${splat(-87)}))`),
    set('p', `(f32x4.div ${g('p')} (f32x4.add ${g('p')} ${splat(1)}))`),
  ];
}

/** The module's text; `shared` imports a shared memory (the threaded build's) instead of an unshared one. */
export function siluWat(shared = false) {
  const vs = Array.from({ length: UNROLL }, (_, k) => `v${k}`);
  const locals = [...vs, 't']
    .flatMap((v) => ['x', 'z', 't', 'n', 'r', 'p'].map((n) => `(local $${v}${n} v128)`))
    .join(' ');
  // the steps of every vector interleaved, line by line
  const per = vs.map((v) => siluOf(v));
  const body = per[0].flatMap((_, i) => per.map((lines) => lines[i]));
  return `;; Generated by scripts/build-silu-wasm.mjs: SiLU over float32 in linear memory (SIMD).
;; silu(x, y, n): y[i] = x[i] * sigmoid(x[i]) for i < n; x and y are byte offsets (may be equal).
(module
  (import "env" "memory" (memory 1${shared ? ` ${MAX_PAGES} shared` : ''}))
  (func (export "silu") (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $endU i32)
    ${locals}
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $endU (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const ${-4 * UNROLL})) (i32.const 2))))
    (block $doneU
      (loop $many
        (br_if $doneU (i32.ge_u (local.get $x) (local.get $endU)))
${indent(
  8,
  vs.map((v, k) => `(local.set $${v}x (v128.load offset=${16 * k} (local.get $x)))`),
)}
${indent(8, body)}
${indent(
  8,
  vs.map((v, k) => `(v128.store offset=${16 * k} (local.get $y) (local.get $${v}p))`),
)}
        (local.set $x (i32.add (local.get $x) (i32.const ${16 * UNROLL})))
        (local.set $y (i32.add (local.get $y) (i32.const ${16 * UNROLL})))
        (br $many)))
    ;; the last n % ${4 * UNROLL} one at a time (lane 0 of a splat)
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $tx (f32x4.splat (f32.load (local.get $x))))
${indent(8, siluOf('t'))}
        (f32.store (local.get $y) (f32x4.extract_lane 0 (local.get $tp)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $one)))))
`;
}

/** The module's bytes. */
export const siluWasm = (shared = false) => assembleWat('silu.wat', siluWat(shared), { simd: true, threads: shared });

/** The TypeScript module holding the bytes of both modules. */
export const siluModuleText = (bytes, sharedBytes) =>
  wasmModuleText('build-silu-wasm.mjs', 'silu.wat', [
    { name: 'SILU_WASM_BASE64', doc: `The SiLU kernel's WebAssembly module (${bytes.length} bytes), base64.`, bytes },
    { name: 'SILU_SHARED_WASM_BASE64', doc: sharedDoc('The same', 'silu.wat', sharedBytes), bytes: sharedBytes },
  ]);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [bytes, sharedBytes] = [await siluWasm(false), await siluWasm(true)];
  writeKernel('silu', siluWat(), siluModuleText(bytes, sharedBytes), [bytes, sharedBytes]);
}
