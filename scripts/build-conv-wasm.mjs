#!/usr/bin/env node
// A convolution (NHWC, float32) as a register-blocked GEMM over tfjs-backend-wasm's memory, in WebAssembly SIMD:
// writes src/runtime/conv.wat (the text, to read) and src/runtime/conv-wasm.ts (the bytes of its two variants,
// which the runtime loads). Run by hand after changing this file (`node scripts/build-conv-wasm.mjs`);
// src/runtime/conv.test.ts checks the committed files are what this makes.
//
// conv(x, w, bias, y, zero, H, W, C, OH, OW, N, KH, KW, SH, SW, PH, PW, DH, DW, flags) writes
// y[p, n] = act(bias[n] + sum over taps (ky, kx) and channels c of x[iy, ix, c] * w[panel(n), ky, kx, c, n % NR])
// (+ y[p, n] before, when flags & 1), p = oy * OW + ox, iy = oy * SH - PH + ky * DH, ix likewise; a tap outside the
// input reads `zero` (KW * C zeros). Every pointer is a byte offset into the imported memory.
// - The weights are packed once by the caller into panels of NR output channels: [N / NR][KH][KW][C][NR] (the last
//   panel zero-padded), the bias padded to a multiple of NR.
// - MR output pixels (consecutive in p, across rows) times NR channels are held in MR * NR / 4 vector registers
//   while the taps and channels go by (channels four at a time, then one by one); each step broadcasts one input
//   value per pixel and multiplies it into two weight vectors.
// - A window row that lies inside the input for all MR pixels (dilation 1) is read as KW * C consecutive values,
//   one loop instead of one per tap (the 6x6 stem on 3 channels: 18 values, not 6 times 3).
// - flags & 2: ReLU on the store (max with 0); flags & 4: SiLU over each block's outputs once its panels are
//   stored (scripts/build-silu-wasm.mjs's math: the same bits as the SiLU kernel run after it).
// The relaxed variant multiplies and adds in one rounding (f32x4.relaxed_madd: a fused multiply-add where the CPU
// has one, as V8 does on x64 with FMA); the other multiplies then adds (WebAssembly SIMD 1.0).
import { pathToFileURL } from 'node:url';
import { assembleWat, indent, MAX_PAGES, sharedDoc, wasmModuleText, writeKernel } from './wat.mjs';
import { siluOf } from './build-silu-wasm.mjs';

/** Output pixels per block and output channels per panel (a multiple of 4). */
export const MR = 4;
export const NR = 8;
/** Channels per step of the inner loop (then one by one). */
export const UNROLL = 1;
/** Vectors the SiLU pass takes a step (scripts/build-silu-wasm.mjs's UNROLL). */
const SILU_CHAINS = ['f0', 'f1', 'f2', 'f3'];
const PARAMS = ['x', 'w', 'bias', 'y', 'zero', 'H', 'W', 'C', 'OH', 'OW', 'N', 'KH', 'KW', 'SH', 'SW', 'PH', 'PW'];

/**
 * The kernel's text: `relaxed` uses f32x4.relaxed_madd; `shared` imports a shared memory (the threaded build's,
 * as silu.wat's second module does) instead of an unshared one.
 */
export function convWat({ relaxed = false, shared = false, mr = MR, nr = NR, unroll = UNROLL } = {}) {
  const nv = nr / 4;
  const rows = Array.from({ length: mr }, (_, m) => m);
  const vecs = Array.from({ length: nv }, (_, j) => j);
  const g = (n) => `(local.get $${n})`;
  const set = (n, e) => `(local.set $${n} ${e})`;
  const add = (a, b) => `(i32.add ${a} ${b})`;
  const mul = (a, b) => `(i32.mul ${a} ${b})`;
  const k = (v) => `(i32.const ${v})`;
  const madd = (a, b, c) =>
    relaxed ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add (f32x4.mul ${a} ${b}) ${c})`;
  const acc = (m, j) => `a${m}_${j}`;
  // one channel: u-th of an unrolled group (byte offsets u * 4 in x, u * nr * 4 in w)
  const step = (u) => [
    ...vecs.map((j) => set(`b${j}`, `(v128.load offset=${(u * nr + 4 * j) * 4} ${g('wp')})`)),
    ...rows.flatMap((m) => [
      set('s', `(v128.load32_splat offset=${u * 4} ${g(`q${m}`)})`),
      ...vecs.map((j) => set(acc(m, j), madd(g('s'), g(`b${j}`), g(acc(m, j))))),
    ]),
  ];
  const advance = (u) => [
    ...rows.map((m) => set(`q${m}`, add(g(`q${m}`), k(4 * u)))),
    set('wp', add(g('wp'), k(4 * u * nr))),
  ];
  const locals = [
    'M',
    'p0',
    'oy',
    'ox',
    'n0',
    'wp',
    'ky',
    'kx',
    'c',
    'C4',
    'KWC',
    'WK',
    'wide',
    'ry',
    'rx',
    'o',
    'NP',
    'DH',
    'DW',
    'flags',
    'col',
    'sa',
    'se',
    ...rows.flatMap((m) => [`iy${m}`, `ix${m}`, `q${m}`]),
  ];
  const vlocals = [
    's',
    'v',
    ...SILU_CHAINS.flatMap((v) => ['x', 'z', 't', 'n', 'r', 'p'].map((n) => `${v}${n}`)),
    ...vecs.map((j) => `b${j}`),
    ...rows.flatMap((m) => vecs.map((j) => acc(m, j))),
  ];
  const lanes = [0, 1, 2, 3];
  const inN = (l) => `(i32.lt_u ${add(g('col'), k(l))} ${g('N')})`;
  // accumulator (m, j) as stored at $o: + y before if flags & 1, ReLU if flags & 2 (SiLU: siluPass); the lanes
  // past N (a last panel's padding) neither read nor written
  const finish = (m, j) => [
    set('v', g(acc(m, j))),
    `(if (i32.and ${g('flags')} ${k(1)}) (then`,
    `  (if (i32.le_u ${add(g('col'), k(4))} ${g('N')})`,
    `    (then ${set('v', '(f32x4.add (local.get $v) (v128.load (local.get $o)))')})`,
    '    (else',
    ...lanes.map(
      (l) =>
        `      (if ${inN(l)} (then ${set('v', `(f32x4.replace_lane ${l} (local.get $v) (f32.add (f32x4.extract_lane ${l} (local.get $v)) (f32.load offset=${4 * l} (local.get $o))))`)}))`,
    ),
    '))))',
    `(if (i32.and ${g('flags')} ${k(2)}) (then ${set('v', '(f32x4.pmax (local.get $v) (v128.const f32x4 0 0 0 0))')}))`,
    `(if (i32.le_u ${add(g('col'), k(4))} ${g('N')})`,
    '  (then (v128.store (local.get $o) (local.get $v)))',
    '  (else',
    ...lanes.map(
      (l) =>
        `    (if ${inN(l)} (then (f32.store offset=${4 * l} (local.get $o) (f32x4.extract_lane ${l} (local.get $v)))))`,
    ),
    '))',
  ];
  const general = rows.flatMap((m) => [
    `(if (i32.lt_u ${add(g('p0'), k(m))} ${g('M')}) (then`,
    ...vecs.flatMap((j) => [
      `  ${set('col', add(g('n0'), k(4 * j)))}`,
      `  ${set('o', add(g('y'), `(i32.shl ${add(mul(add(g('p0'), k(m)), g('N')), g('col'))} ${k(2)})`))}`,
      ...finish(m, j).map((l) => `  ${l}`),
    ]),
    '))',
  ]);
  // the usual case, all MR pixels in the output, the panel's NR channels all real and nothing to add (flags & 1
  // clear): the stores N floats apart per pixel from one address, ReLU (flags & 2) the only step between the
  // accumulators and memory; otherwise each accumulator as above
  const relu = (v) => `(select (f32x4.pmax ${v} (v128.const f32x4 0 0 0 0)) ${v} (i32.and ${g('flags')} ${k(2)}))`;
  const store = [
    `(if (i32.and (i32.le_u ${add(g('p0'), k(mr))} ${g('M')}) (i32.and (i32.le_u ${add(g('n0'), k(nr))} ${g('N')}) (i32.eqz (i32.and ${g('flags')} ${k(1)}))))`,
    '  (then',
    `    ${set('o', add(g('y'), `(i32.shl ${add(mul(g('p0'), g('N')), g('n0'))} ${k(2)})`))}`,
    ...rows.flatMap((m) => [
      ...vecs.map((j) => `    (v128.store offset=${16 * j} ${g('o')} ${relu(g(acc(m, j)))})`),
      ...(m < mr - 1 ? [`    ${set('o', add(g('o'), `(i32.shl ${g('N')} ${k(2)})`))}`] : []),
    ]),
    '  )',
    '  (else',
    ...general.map((l) => `    ${l}`),
    '))',
  ];
  // SiLU (flags & 4) over the block's outputs once all its panels are stored, in place while they are in L1:
  // min(MR, M - p0) rows of N floats, consecutive in y; four vectors a step (independent chains hide the division),
  // then one vector, then one float (lane 0 of a splat). The same math as the SiLU kernel, so the same bits as it
  // run after the convolution; in the store itself its constants and the accumulators it displaced cost more
  // than the math (V8 rebuilds each constant per use and spilled the other accumulators around it).
  const chains = SILU_CHAINS;
  const siluStep = (vs, load, store) => {
    const per = vs.map((v) => siluOf(v));
    return [
      ...vs.map((v, i) => set(`${v}x`, load(i))),
      ...per[0].flatMap((_, i) => per.map((lines) => lines[i])),
      ...vs.map((v, i) => store(i, g(`${v}p`))),
    ];
  };
  const siluPass = [
    `(if (i32.and ${g('flags')} ${k(4)}) (then`,
    ...[
      set('sa', add(g('y'), `(i32.shl ${mul(g('p0'), g('N'))} ${k(2)})`)),
      set(
        'se',
        add(
          g('sa'),
          `(i32.shl ${mul(`(select (i32.sub ${g('M')} ${g('p0')}) ${k(mr)} (i32.lt_u (i32.sub ${g('M')} ${g('p0')}) ${k(mr)}))`, g('N'))} ${k(2)})`,
        ),
      ),
      `(block $siluDone4 (loop $silu4`,
      `  (br_if $siluDone4 (i32.gt_u ${add(g('sa'), k(16 * chains.length))} ${g('se')}))`,
      ...siluStep(
        chains,
        (i) => `(v128.load offset=${16 * i} ${g('sa')})`,
        (i, v) => `(v128.store offset=${16 * i} ${g('sa')} ${v})`,
      ).map((l) => `  ${l}`),
      `  ${set('sa', add(g('sa'), k(16 * chains.length)))}`,
      `  (br $silu4)))`,
      `(block $siluDone1 (loop $silu1`,
      `  (br_if $siluDone1 (i32.gt_u ${add(g('sa'), k(16))} ${g('se')}))`,
      ...siluStep(
        [chains[0]],
        () => `(v128.load ${g('sa')})`,
        (_, v) => `(v128.store ${g('sa')} ${v})`,
      ).map((l) => `  ${l}`),
      `  ${set('sa', add(g('sa'), k(16)))}`,
      `  (br $silu1)))`,
      `(block $siluDone (loop $siluOne`,
      `  (br_if $siluDone (i32.ge_u ${g('sa')} ${g('se')}))`,
      ...siluStep(
        [chains[0]],
        () => `(f32x4.splat (f32.load ${g('sa')}))`,
        (_, v) => `(f32.store ${g('sa')} (f32x4.extract_lane 0 ${v}))`,
      ).map((l) => `  ${l}`),
      `  ${set('sa', add(g('sa'), k(4)))}`,
      `  (br $siluOne)))`,
    ].map((l) => `  ${l}`),
    '))',
  ];
  // `count` channels from each pixel's pointer, `unroll` at a time then one by one
  const channels = (name, count) => [
    set('c', k(0)),
    set('C4', `(i32.sub ${g(count)} ${k(unroll - 1)})`),
    `(block $${name}Done (loop $${name}Many`,
    `  (br_if $${name}Done (i32.ge_s ${g('c')} ${g('C4')}))`,
    ...[
      ...Array.from({ length: unroll }, (_, u) => u).flatMap(step),
      ...advance(unroll),
      set('c', add(g('c'), k(unroll))),
    ].map((l) => `  ${l}`),
    `  (br $${name}Many)))`,
    ...(unroll > 1
      ? [
          `(block $${name}Done1 (loop $${name}One`,
          `  (br_if $${name}Done1 (i32.ge_u ${g('c')} ${g(count)}))`,
          ...[...step(0), ...advance(1), set('c', add(g('c'), k(1)))].map((l) => `  ${l}`),
          `  (br $${name}One)))`,
        ]
      : []),
  ];
  return `;; Generated by scripts/build-conv-wasm.mjs: an NHWC convolution as a ${mr}x${nr} register-blocked GEMM (SIMD${relaxed ? ', relaxed_madd' : ''}).
(module
  (import "env" "memory" (memory 1${shared ? ` ${MAX_PAGES} shared` : ''}))
  (func (export "conv") ${PARAMS.map((p) => `(param $${p} i32)`).join(' ')} (param $DHp i32) (param $DWp i32) (param $flagsp i32)
    ${locals.map((l) => `(local $${l} i32)`).join(' ')}
    ${vlocals.map((l) => `(local $${l} v128)`).join(' ')}
    ${set('DH', g('DHp'))} ${set('DW', g('DWp'))} ${set('flags', g('flagsp'))}
    ${set('M', mul(g('OH'), g('OW')))}
    ${set('KWC', mul(g('KW'), g('C')))}
    ${set('WK', `(i32.sub ${g('W')} ${g('KW')})`)}
    ;; bytes of one panel of packed weights
    ${set('NP', `(i32.shl ${mul(mul(mul(g('KH'), g('KW')), g('C')), k(nr))} ${k(2)})`)}
    (block $doneP
      (loop $block
        (br_if $doneP (i32.ge_u ${g('p0')} ${g('M')}))
        ;; each pixel's window origin (a pixel past the end: far outside, so it reads zeros)
${indent(
  8,
  rows.flatMap((m) => [
    `(if (i32.lt_u ${add(g('p0'), k(m))} ${g('M')}) (then`,
    `  ${set(`iy${m}`, `(i32.sub ${mul(g('oy'), g('SH'))} ${g('PH')})`)}`,
    `  ${set(`ix${m}`, `(i32.sub ${mul(g('ox'), g('SW'))} ${g('PW')})`)}`,
    `  ${set('ox', add(g('ox'), k(1)))}`,
    `  (if (i32.eq ${g('ox')} ${g('OW')}) (then ${set('ox', k(0))} ${set('oy', add(g('oy'), k(1)))})))`,
    `(else ${set(`iy${m}`, k(-0x40000000))} ${set(`ix${m}`, k(-0x40000000))}))`,
  ]),
)}
        ;; whether every pixel's window rows lie inside the input (dilation 1)
        ${set('wide', `(i32.and (i32.eq ${g('DW')} ${k(1)}) (i32.ge_s ${g('WK')} ${k(0)}))`)}
${indent(
  8,
  rows.map((m) => set('wide', `(i32.and ${g('wide')} (i32.le_u ${g(`ix${m}`)} ${g('WK')}))`)),
)}
        ${set('n0', k(0))}
        ${set('wp', g('w'))}
        (block $doneN
          (loop $panel
            (br_if $doneN (i32.ge_u ${g('n0')} ${g('N')}))
${indent(
  12,
  rows.flatMap((m) =>
    vecs.map((j) => set(acc(m, j), `(v128.load offset=${16 * j} ${add(g('bias'), `(i32.shl ${g('n0')} ${k(2)})`)})`)),
  ),
)}
            ${set('ky', k(0))}
            (loop $ky
              (if ${g('wide')} (then
                ;; every pixel's window row inside the input: its kw taps are kw * C consecutive values
${indent(
  16,
  rows.flatMap((m) => [
    set('ry', add(g(`iy${m}`), mul(g('ky'), g('DH')))),
    set(
      `q${m}`,
      `(select ${add(g('x'), `(i32.shl ${mul(add(mul(g('ry'), g('W')), g(`ix${m}`)), g('C'))} ${k(2)})`)} ${g('zero')} (i32.lt_u ${g('ry')} ${g('H')}))`,
    ),
  ]),
)}
${indent(16, channels('row', 'KWC'))})
              (else
              ${set('kx', k(0))}
              (loop $kx
${indent(
  16,
  rows.flatMap((m) => [
    set('ry', add(g(`iy${m}`), mul(g('ky'), g('DH')))),
    set('rx', add(g(`ix${m}`), mul(g('kx'), g('DW')))),
    set(
      `q${m}`,
      `(select ${add(g('x'), `(i32.shl ${mul(add(mul(g('ry'), g('W')), g('rx')), g('C'))} ${k(2)})`)} ${g('zero')} (i32.and (i32.lt_u ${g('ry')} ${g('H')}) (i32.lt_u ${g('rx')} ${g('W')})))`,
    ),
  ]),
)}
${indent(16, channels('tap', 'C'))}
                ${set('kx', add(g('kx'), k(1)))}
                (br_if $kx (i32.lt_u ${g('kx')} ${g('KW')})))))
              ${set('ky', add(g('ky'), k(1)))}
              (br_if $ky (i32.lt_u ${g('ky')} ${g('KH')})))
${indent(12, store)}
            ${set('n0', add(g('n0'), k(nr)))}
            (br $panel)))
${indent(8, siluPass)}
        ${set('p0', add(g('p0'), k(mr)))}
        (br $block)))))
`;
}

/** The module's bytes. */
export const convWasm = (opts = {}) =>
  assembleWat('conv.wat', convWat(opts), { simd: true, relaxed_simd: !!opts.relaxed, threads: !!opts.shared });

/** The TypeScript module holding the variants' bytes (each also on a shared memory). */
export const convModuleText = (plain, relaxed, plainShared, relaxedShared) =>
  wasmModuleText('build-conv-wasm.mjs', 'conv.wat', [
    {
      name: 'CONV_WASM_BASE64',
      doc: `The convolution kernel (${MR}x${NR} blocks), WebAssembly SIMD 1.0 (${plain.length} bytes), base64.`,
      bytes: plain,
    },
    {
      name: 'CONV_RELAXED_WASM_BASE64',
      doc: `The same with relaxed SIMD's fused multiply-add (${relaxed.length} bytes), base64.`,
      bytes: relaxed,
    },
    { name: 'CONV_SHARED_WASM_BASE64', doc: sharedDoc('SIMD 1.0', 'conv.wat', plainShared), bytes: plainShared },
    {
      name: 'CONV_RELAXED_SHARED_WASM_BASE64',
      doc: `Relaxed SIMD on a shared memory (${relaxedShared.length} bytes), base64.`,
      bytes: relaxedShared,
    },
  ]);

/** The bytes of the four variants, in convModuleText's order. */
export const convVariants = () =>
  Promise.all([
    convWasm(),
    convWasm({ relaxed: true }),
    convWasm({ shared: true }),
    convWasm({ relaxed: true, shared: true }),
  ]);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const variants = await convVariants();
  writeKernel('conv', convWat({ relaxed: true }), convModuleText(...variants), variants);
}
