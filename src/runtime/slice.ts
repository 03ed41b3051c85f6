/**
 * tf.slice on tfjs's wasm backend without copying the whole input: tfjs-wasm's Slice kernel first reads the
 * entire input out of the wasm memory (readSync copies it), then copies the part it wants, so cutting 64 of 144
 * rows off Detect's [1, 144, 8400] costs as much as three copies of the whole. Here the part is copied inside the
 * backend's memory, one contiguous run at a time (copyWithin), as a kernel of our own. Elsewhere, and for other
 * dtypes, tf.slice. tf.concat likewise (tfjs-wasm's Concat makes a subarray view per run: a concatenation of
 * channels at 80x80 is 6400 views per input). Worker-safe: no Node APIs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmKernel, wasmMemoryOf, type WasmBackendView } from './wasm-view.ts';

/** The kernel's name in tfjs's registry (and in tf.profile's list). */
export const SLICE_KERNEL = 'YaSlice';

function registerSlice() {
  registerWasmKernel<{ begin: number[]; size: number[] }>(SLICE_KERNEL, (inputs, b, { begin, size }) => {
    const x = inputs.x as tf.TensorInfo;
    const out = b.makeOutput(size, 'float32');
    if (!tf.util.sizeFromShape(size)) return out;
    // the heap after makeOutput (which may grow the memory)
    const heap = new Float32Array(wasmMemoryOf(b)!.buffer);
    const shape = x.shape;
    const strides = [...tf.util.computeStrides(shape), 1];
    // the longest contiguous run: the axes after `inner` are taken whole
    let inner = shape.length - 1;
    let run = size[inner];
    while (inner > 0 && size[inner] === shape[inner]) run *= size[--inner];
    let src = b.dataIdMap.get(x.dataId)!.memoryOffset / 4;
    for (let k = 0; k < shape.length; k++) src += begin[k] * strides[k];
    let dst = b.dataIdMap.get(out.dataId)!.memoryOffset / 4;
    // the axes before `inner`, counted like an odometer
    const idx = new Array<number>(inner).fill(0);
    for (;;) {
      heap.copyWithin(dst, src, src + run);
      dst += run;
      let k = inner - 1;
      for (; k >= 0; k--) {
        src += strides[k];
        if (++idx[k] < size[k]) break;
        src -= size[k] * strides[k];
        idx[k] = 0;
      }
      if (k < 0) break;
    }
    return out;
  });
}

/** tf.slice(x, begin, size) (size -1: to the end), copied within the memory on the wasm backend. */
export function slice(x: tf.Tensor, begin: number[], size: number[]): tf.Tensor {
  if (x.dtype !== 'float32' || tf.getBackend() !== 'wasm' || !wasmMemoryOf(tf.backend() as unknown as WasmBackendView))
    return tf.slice(x, begin, size);
  const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
  tf.slice_util.assertParamsValid(x, b, s);
  registerSlice();
  return tf.engine().runKernel(SLICE_KERNEL, { x }, { begin: b, size: s } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** The concatenation kernel's name in tfjs's registry. */
export const CONCAT_KERNEL = 'YaConcat';

function registerConcat() {
  registerWasmKernel<{ axis: number; n: number }>(CONCAT_KERNEL, (inputs, b, { axis, n }) => {
    const xs = Array.from({ length: n }, (_, k) => inputs[`x${k}`] as tf.TensorInfo);
    const shape = [...xs[0].shape];
    shape[axis] = xs.reduce((a, x) => a + x.shape[axis], 0);
    const out = b.makeOutput(shape, 'float32');
    // each input's runs (its axes from `axis` on) side by side in each of the `outer` rows of the output
    const outer = tf.util.sizeFromShape(shape.slice(0, axis));
    const runs = xs.map((x) => tf.util.sizeFromShape(x.shape.slice(axis)));
    const row = runs.reduce((a, r) => a + r, 0);
    // the heap after makeOutput (which may grow the memory)
    const heap = new Float32Array(wasmMemoryOf(b)!.buffer);
    let dst0 = b.dataIdMap.get(out.dataId)!.memoryOffset / 4;
    xs.forEach((x, k) => {
      const run = runs[k];
      if (run && outer) {
        let src = b.dataIdMap.get(x.dataId)!.memoryOffset / 4;
        for (let r = 0, dst = dst0; r < outer; r++, src += run, dst += row) heap.copyWithin(dst, src, src + run);
      }
      dst0 += run;
    });
    return out;
  });
}

/** tf.concat(xs, axis), copied within the memory on the wasm backend (float32 tensors of one shape but `axis`). */
export function concat(xs: tf.Tensor[], axis: number): tf.Tensor {
  const rank = xs[0]?.rank ?? 0;
  const ax = axis < 0 ? axis + rank : axis;
  const same = xs.every(
    (x) => x.dtype === 'float32' && x.rank === rank && x.shape.every((d, i) => i === ax || d === xs[0].shape[i]),
  );
  if (
    xs.length < 2 ||
    !same ||
    ax < 0 ||
    ax >= rank ||
    tf.getBackend() !== 'wasm' ||
    !wasmMemoryOf(tf.backend() as unknown as WasmBackendView)
  )
    return tf.concat(xs, axis);
  registerConcat();
  const inputs: Record<string, tf.Tensor> = {};
  xs.forEach((x, k) => (inputs[`x${k}`] = x));
  return tf
    .engine()
    .runKernel(CONCAT_KERNEL, inputs, { axis: ax, n: xs.length } as unknown as tf.NamedAttrMap) as tf.Tensor;
}
