/**
 * Convolutions on tfjs's wasm backend through our own GEMM kernel (conv.wat, made by scripts/build-conv-wasm.mjs):
 * XNNPACK in tfjs-wasm multiplies and adds in separate SIMD instructions; ours uses relaxed SIMD's fused
 * multiply-add where the engine has it (Chromium; Node 20 behind a V8 flag that backend-node.ts sets). Weights are
 * packed once, when the network is built, into the panels the kernel reads; bias, ReLU or SiLU applied as it stores. Like silu.ts, the module shares the
 * backend's memory, so where that memory is shared (the threaded build) or SIMD is missing, convolutions stay
 * tfjs's. Worker-safe: no Node APIs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CONV_RELAXED_WASM_BASE64, CONV_WASM_BASE64 } from './conv-wasm.ts';
import { silu } from './silu.ts';
import { isShared, wasmBytes, wasmMemoryOf, type WasmBackendView } from './wasm-view.ts';

/** The kernel's name in tfjs's registry (and in tf.profile's list). */
export const CONV_KERNEL = 'YaConv';
/** Output channels per packed panel (scripts/build-conv-wasm.mjs's NR). */
export const PANEL = 8;

type ConvFn = (...args: number[]) => void;

interface Instance {
  fn: ConvFn;
  /** relaxed SIMD's fused multiply-add */
  fma: boolean;
}

const instances = new WeakMap<object, { auto?: Instance | null; plain?: Instance | null }>();

/**
 * The module on this backend's memory (relaxed SIMD first unless `plain`), or null where it cannot run: no SIMD, or
 * the threaded build's shared memory (one call on one thread would be slower than XNNPACK on all of them).
 */
export function convOn(backend: WasmBackendView, plain = false): Instance | null {
  let byVariant = instances.get(backend);
  if (!byVariant) instances.set(backend, (byVariant = {}));
  const key = plain ? 'plain' : 'auto';
  let inst = byVariant[key];
  if (inst !== undefined) return inst;
  inst = null;
  const memory = wasmMemoryOf(backend);
  if (memory && !isShared(memory)) {
    const variants = [
      [CONV_RELAXED_WASM_BASE64, true],
      [CONV_WASM_BASE64, false],
    ] as const;
    for (const [b64, fma] of plain ? variants.slice(1) : variants) {
      try {
        const bytes = wasmBytes(b64);
        if (!WebAssembly.validate(bytes)) continue;
        const i = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
        inst = { fn: i.exports.conv as ConvFn, fma };
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

function registerConv() {
  if (tf.getKernel(CONV_KERNEL, 'wasm')) return;
  tf.registerKernel({
    kernelName: CONV_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as WasmBackendView;
      const a = attrs as unknown as {
        parts: number;
        cout: number;
        plain: boolean;
        act: keyof typeof ACT_FLAG;
      } & ConvGeometry;
      const { fn } = convOn(b, a.plain)!;
      const xs = Array.from({ length: a.parts }, (_, k) => inputs[`x${k}`] as tf.TensorInfo);
      const [batch, H, W] = xs[0].shape;
      const OH = Math.floor((H + 2 * a.ph - a.dh * (a.kh - 1) - 1) / a.sh) + 1;
      const OW = Math.floor((W + 2 * a.pw - a.dw * (a.kw - 1) - 1) / a.sw) + 1;
      const out = b.makeOutput([batch, OH, OW, a.cout], 'float32');
      // offsets read after makeOutput (which may grow the memory; the module sees the same Memory object)
      const at = (t: tf.TensorInfo) => b.dataIdMap.get(t.dataId)!.memoryOffset;
      const y = at(out);
      const zero = at(inputs.zero as tf.TensorInfo);
      const bias = at(inputs.bias as tf.TensorInfo);
      for (let n = 0; n < batch; n++)
        for (let k = 0; k < a.parts; k++) {
          const C = xs[k].shape[3];
          const last = k === a.parts - 1;
          fn(
            at(xs[k]) + n * H * W * C * 4,
            at(inputs[`w${k}`] as tf.TensorInfo),
            k === 0 ? bias : zero,
            y + n * OH * OW * a.cout * 4,
            zero,
            H,
            W,
            C,
            OH,
            OW,
            a.cout,
            a.kh,
            a.kw,
            a.sh,
            a.sw,
            a.ph,
            a.pw,
            a.dh,
            a.dw,
            (k > 0 ? 1 : 0) | (last ? ACT_FLAG[a.act ?? 'linear'] : 0),
          );
        }
      return out;
    },
  });
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
