/**
 * Convolutions on tfjs's wasm backend through our own GEMM kernel (conv.wat, made by scripts/build-conv-wasm.mjs):
 * XNNPACK in tfjs-wasm multiplies and adds in separate SIMD instructions; ours uses relaxed SIMD's fused
 * multiply-add where the engine has it (Chromium; Node 20 behind a V8 flag that backend-node.ts sets). Weights are
 * packed once, when the network is built, into the panels the kernel reads; bias, ReLU or SiLU applied as it
 * stores. Like silu.ts, the module shares the backend's memory; on the threaded build's shared memory (the same
 * text declaring a shared memory) a convolution's output rows are split into bands that the calling thread and
 * pool.ts's helper workers take in turns. Where SIMD is missing, convolutions stay tfjs's. Worker-safe: no Node
 * APIs.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  CONV_RELAXED_SHARED_WASM_BASE64,
  CONV_RELAXED_WASM_BASE64,
  CONV_SHARED_WASM_BASE64,
  CONV_WASM_BASE64,
} from './conv-wasm.ts';
import { defineJobKind, poolFor, releasePool, runJob, type TaskFn } from './pool.ts';
import { silu } from './silu.ts';
import { isShared, registerWasmKernel, wasmBytes, wasmMemoryOf, type WasmBackendView } from './wasm-view.ts';

/** The kernel's name in tfjs's registry (and in tf.profile's list). */
export const CONV_KERNEL = 'YaConv';
/** Output channels per packed panel (scripts/build-conv-wasm.mjs's NR). */
export const PANEL = 8;

type ConvFn = (...args: number[]) => void;

export interface Instance {
  fn: ConvFn;
  /** relaxed SIMD's fused multiply-add */
  fma: boolean;
  /** the backend's memory where it is shared (its helper pool's) */
  shared: WebAssembly.Memory | null;
}

/**
 * Band i of a convolution's output rows (pool.ts's task: self-contained). The job's arguments: y, zero, bias, H,
 * W, OH, OW, N, KH, KW, SH, SW, PH, PW, DH, DW, the activation's flag, parts, rows per band, bands per image, then
 * x, w, C of each part. Band i is image i / bands, output rows r0..r1: the kernel's output moved to row r0 and its
 * top padding less r0 * SH (the same input rows, so each pixel's sums are the same operations as in one call).
 */
const convTask: TaskFn = (f, a, o, i) => {
  const H = a[o + 3];
  const W = a[o + 4];
  const OH = a[o + 5];
  const OW = a[o + 6];
  const N = a[o + 7];
  const parts = a[o + 17];
  const rows = a[o + 18];
  const bands = a[o + 19];
  const n = Math.floor(i / bands);
  const r0 = (i - n * bands) * rows;
  const r1 = Math.min(OH, r0 + rows);
  const y = a[o] + 4 * (n * OH + r0) * OW * N;
  for (let k = 0; k < parts; k++) {
    const p = o + 20 + 3 * k;
    const C = a[p + 2];
    f(
      a[p] + 4 * n * H * W * C,
      a[p + 1],
      k === 0 ? a[o + 2] : a[o + 1],
      y,
      a[o + 1],
      H,
      W,
      C,
      r1 - r0,
      OW,
      N,
      a[o + 8],
      a[o + 9],
      a[o + 10],
      a[o + 11],
      a[o + 12] - r0 * a[o + 10],
      a[o + 13],
      a[o + 14],
      a[o + 15],
      (k > 0 ? 1 : 0) | (k === parts - 1 ? a[o + 16] : 0),
    );
  }
};

/** The convolution's jobs in the helper pool, relaxed SIMD and plain (pool.ts). */
const CONV_JOB = defineJobKind('conv', wasmBytes(CONV_RELAXED_SHARED_WASM_BASE64), 'conv', convTask);
const CONV_PLAIN_JOB = defineJobKind('conv-plain', wasmBytes(CONV_SHARED_WASM_BASE64), 'conv', convTask);

/** Multiply-adds below which a convolution is not split (a helper's wake-up costs tens of microseconds). */
export const SPLIT_MIN_MACS = 1 << 20;
/** Bands per thread of a split convolution (more balance the threads' load, fewer waste less at band edges). */
export const BANDS_PER_THREAD = 4;

const instances = new WeakMap<object, { auto?: Instance | null; plain?: Instance | null }>();

/**
 * The module on this backend's memory (relaxed SIMD first unless `plain`; on a shared memory, the module declaring
 * one, with the helper pool), or null where it cannot run (no SIMD).
 */
export function convOn(backend: WasmBackendView, plain = false): Instance | null {
  let byVariant = instances.get(backend);
  if (!byVariant) instances.set(backend, (byVariant = {}));
  const key = plain ? 'plain' : 'auto';
  let inst = byVariant[key];
  if (inst !== undefined) return inst;
  inst = null;
  const memory = wasmMemoryOf(backend);
  if (memory) {
    registerConv(); // before a pool starts: its disposeFunc ends the pool with the backend
    const shared = isShared(memory);
    const variants = [
      [shared ? CONV_RELAXED_SHARED_WASM_BASE64 : CONV_RELAXED_WASM_BASE64, true],
      [shared ? CONV_SHARED_WASM_BASE64 : CONV_WASM_BASE64, false],
    ] as const;
    for (const [b64, fma] of plain ? variants.slice(1) : variants) {
      try {
        const bytes = wasmBytes(b64);
        if (!WebAssembly.validate(bytes)) continue;
        const i = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
        inst = { fn: i.exports.conv as ConvFn, fma, shared: shared ? memory : null };
        break;
      } catch {
        inst = null;
      }
    }
  }
  byVariant[key] = inst;
  return inst;
}

let enabled = true;
let split = true;

/** Benchmarks and tests only: split convolutions with the helper threads (true, the default) or not. */
export function setConvSplit(on: boolean) {
  split = on;
}

/** Bands of convolutions the helper threads have done on the backend in use (0 without helpers). */
export function convHelpedBands(): number {
  const shared = kernelHere()?.shared;
  const pool = shared && poolFor(shared);
  return pool ? pool.helped[CONV_JOB.id] + pool.helped[CONV_PLAIN_JOB.id] : 0;
}

/** Networks built from now on use our kernel where they can (true, the default) or tfjs's everywhere (A/B benches). */
export function allowGemmConv(on: boolean) {
  enabled = on;
}

/** Whether convolutions can run on our kernel on the backend in use (and with fused multiply-add or not). */
export function gemmConv(): Instance | null {
  return enabled ? kernelHere() : null;
}

/** Our kernel on the backend in use, if it can run there (whatever allowGemmConv says: a built network runs it). */
function kernelHere(): Instance | null {
  if (tf.getBackend() !== 'wasm') return null;
  return convOn(tf.backend() as unknown as WasmBackendView);
}

/** Geometry of one convolution (PyTorch's numbers; padding symmetric per axis). */
export interface ConvGeometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  /** the activation applied in the store (SiLU: the same bits as silu.ts's kernel after the convolution) */
  act?: 'relu' | 'silu';
}

/**
 * A PyTorch kernel [cout, cin, kh, kw] (output channels oc0..oc0+n, input channels ic0..ic0+c of cinW) packed
 * into the kernel's panels [ceil(n / 8)][kh][kw][c][8], zero-padded.
 */
export function packFilter(
  wd: ArrayLike<number>,
  cinW: number,
  kh: number,
  kw: number,
  ic0: number,
  c: number,
  oc0: number,
  n: number,
): Float32Array {
  const panels = Math.ceil(n / PANEL);
  const f = new Float32Array(panels * kh * kw * c * PANEL);
  for (let q = 0; q < n; q++) {
    const oc = oc0 + q;
    const base = Math.floor(q / PANEL) * kh * kw * c * PANEL + (q % PANEL);
    for (let ic = 0; ic < c; ic++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          f[base + ((y * kw + x) * c + ic) * PANEL] = wd[((oc * cinW + ic0 + ic) * kh + y) * kw + x];
  }
  return f;
}

/** A bias padded to whole panels (zeros where there is none). */
export function packBias(b: ArrayLike<number> | undefined, oc0: number, n: number): Float32Array {
  const f = new Float32Array(Math.ceil(n / PANEL) * PANEL);
  if (b) for (let q = 0; q < n; q++) f[q] = b[oc0 + q];
  return f;
}

/** Packed tensors of one convolution, kept by the network (on the wasm backend, in its memory). */
export interface PackedConv {
  /** one packed filter per input part (a concatenation never built is summed part by part) */
  filters: tf.Tensor1D[];
  bias: tf.Tensor1D;
  /** at least max(kw x input channels, padded output channels) zeros: taps outside the input read it */
  zero: tf.Tensor1D;
  cout: number;
  geometry: ConvGeometry;
  /** the same through tfjs, where the network runs on another backend than it was built on */
  fallback: (xs: tf.Tensor[]) => tf.Tensor4D;
}

/** The kernel's flags for an activation in its store. */
const ACT_FLAG = { linear: 0, relu: 2, silu: 4 };

/** One call of the kernel: byte offsets in the memory, the sizes, the geometry (see convTask). */
export interface ConvCall extends ConvGeometry {
  y: number;
  zero: number;
  bias: number;
  /** each input part's offset, its packed filter's, its channels */
  parts: { x: number; w: number; c: number }[];
  batch: number;
  H: number;
  W: number;
  OH: number;
  OW: number;
  cout: number;
}

/**
 * Runs a call on an instance: in bands of output rows with a pool's helpers (by default its shared memory's) where
 * the call is large enough (and splitting is on), else in one band per image on this thread.
 */
export function runConv(inst: Instance, c: ConvCall, pool = inst.shared && poolFor(inst.shared)) {
  const { batch, OH, OW, cout, kh, kw } = c;
  if (!(batch * OH * OW)) return;
  const threads = pool && split ? pool.workers.length + 1 : 1;
  const macs = batch * OH * OW * cout * kh * kw * c.parts.reduce((s, p) => s + p.c, 0);
  const rows = Math.ceil(OH / (threads > 1 && macs >= SPLIT_MIN_MACS ? Math.min(OH, BANDS_PER_THREAD * threads) : 1));
  const bands = Math.ceil(OH / rows);
  const args = [
    c.y,
    c.zero,
    c.bias,
    c.H,
    c.W,
    OH,
    OW,
    cout,
    kh,
    kw,
    c.sh,
    c.sw,
    c.ph,
    c.pw,
    c.dh,
    c.dw,
    ACT_FLAG[c.act ?? 'linear'],
    c.parts.length,
    rows,
    bands,
    ...c.parts.flatMap((p) => [p.x, p.w, p.c]),
  ];
  runJob(pool, inst.fma ? CONV_JOB : CONV_PLAIN_JOB, inst.fn, args, batch * bands);
}

/** Forget the kernel on a backend and end its memory's helper pool (the kernel's disposeFunc, as SiLU's). */
export function releaseConv(backend: object) {
  const byVariant = instances.get(backend);
  instances.delete(backend);
  const memory = byVariant?.auto?.shared ?? byVariant?.plain?.shared;
  if (memory) releasePool(memory);
}

function registerConv() {
  registerWasmKernel<{ parts: number; cout: number; plain: boolean; act: keyof typeof ACT_FLAG } & ConvGeometry>(
    CONV_KERNEL,
    (inputs, b, a) => {
      const inst = convOn(b, a.plain)!;
      const xs = Array.from({ length: a.parts }, (_, k) => inputs[`x${k}`] as tf.TensorInfo);
      const [batch, H, W] = xs[0].shape;
      const OH = Math.floor((H + 2 * a.ph - a.dh * (a.kh - 1) - 1) / a.sh) + 1;
      const OW = Math.floor((W + 2 * a.pw - a.dw * (a.kw - 1) - 1) / a.sw) + 1;
      const out = b.makeOutput([batch, OH, OW, a.cout], 'float32');
      // offsets read after makeOutput (which may grow the memory; the module sees the same Memory object)
      const at = (t: tf.TensorInfo) => b.dataIdMap.get(t.dataId)!.memoryOffset;
      runConv(inst, {
        ...a,
        y: at(out),
        zero: at(inputs.zero as tf.TensorInfo),
        bias: at(inputs.bias as tf.TensorInfo),
        parts: xs.map((x, k) => ({ x: at(x), w: at(inputs[`w${k}`] as tf.TensorInfo), c: x.shape[3] })),
        batch,
        H,
        W,
        OH,
        OW,
      });
      return out;
    },
    releaseConv,
  );
}

/** Pack a convolution's weights for the kernel (call with the wasm backend in use; keep() owns the tensors). */
export function packConv(
  wd: ArrayLike<number>,
  b: ArrayLike<number> | undefined,
  o: { cin: number; kh: number; kw: number },
  parts: number[],
  oc0: number,
  cout: number,
  geometry: ConvGeometry,
  keep: <X extends tf.Tensor>(t: X) => X,
): PackedConv {
  let off = 0;
  const filters = parts.map((c) => {
    const f = keep(tf.tensor1d(packFilter(wd, o.cin, o.kh, o.kw, off, c, oc0, cout)));
    off += c;
    return f;
  });
  const bias = keep(tf.tensor1d(packBias(b, oc0, cout)));
  const zero = keep(
    tf.zeros([Math.max(...parts.map((c) => o.kw * c), Math.ceil(cout / PANEL) * PANEL, 4)]) as tf.Tensor1D,
  );
  const p = { filters, bias, zero, cout, geometry };
  return { ...p, fallback: tfjsFallback(p, parts, keep) };
}

/** Run a packed convolution on its input (or its concatenated parts, NHWC); `plain`: without relaxed SIMD. */
export function runPacked(p: PackedConv, xs: tf.Tensor[], plain = false): tf.Tensor4D {
  if (!kernelHere()) return p.fallback(xs);
  registerConv();
  const inputs: Record<string, tf.Tensor> = { bias: p.bias, zero: p.zero };
  xs.forEach((x, k) => {
    inputs[`x${k}`] = x;
    inputs[`w${k}`] = p.filters[k];
  });
  const attrs = { parts: xs.length, cout: p.cout, ...p.geometry, act: p.geometry.act ?? 'linear', plain };
  return tf.engine().runKernel(CONV_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** A packed filter back in tfjs's layout [kh, kw, c, n] (the inverse of packFilter). */
export function unpackFilter(f: ArrayLike<number>, kh: number, kw: number, c: number, n: number): Float32Array {
  const out = new Float32Array(kh * kw * c * n);
  for (let q = 0; q < n; q++) {
    const base = Math.floor(q / PANEL) * kh * kw * c * PANEL + (q % PANEL);
    for (let t = 0; t < kh * kw * c; t++) out[t * n + q] = f[base + t * PANEL];
  }
  return out;
}

/**
 * The same convolution through tfjs (tf.fused.conv2d per part, summed), for a network built on the wasm backend
 * that runs on another: the filters unpacked once, on first use.
 */
function tfjsFallback(p: Omit<PackedConv, 'fallback'>, parts: number[], keep: <X extends tf.Tensor>(t: X) => X) {
  const { kh, kw, sh, sw, ph, pw, dh, dw, act } = p.geometry;
  let filters: tf.Tensor4D[] | undefined;
  let bias: tf.Tensor1D | undefined;
  return (xs: tf.Tensor[]): tf.Tensor4D => {
    // made outside the tidy (kept by the network)
    filters ??= p.filters.map((f, k) =>
      keep(tf.tensor4d(unpackFilter(f.dataSync(), kh, kw, parts[k], p.cout), [kh, kw, parts[k], p.cout])),
    );
    bias ??= keep(tf.tensor1d(p.bias.dataSync().slice(0, p.cout)));
    return tf.tidy(() => {
      let acc: tf.Tensor4D | undefined;
      xs.forEach((x, k) => {
        const y = tf.conv2d(
          x as tf.Tensor4D,
          filters![k],
          [sh, sw],
          [
            [0, 0],
            [ph, ph],
            [pw, pw],
            [0, 0],
          ],
          'NHWC',
          [dh, dw],
        );
        acc = acc ? (tf.add(acc, y) as tf.Tensor4D) : y;
      });
      const y = tf.add(acc!, bias!) as tf.Tensor4D;
      return (act === 'relu' ? tf.relu(y) : act === 'silu' ? silu(y) : y) as tf.Tensor4D;
    });
  };
}
