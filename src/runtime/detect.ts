/**
 * YOLOv5 Detect's decoding on tfjs's wasm backend as one kernel of our own (YaDetect): the head's level maps, as
 * its convolutions wrote them (NHWC), to the predictions [1, rows, no] in PyTorch's order, sigmoid and box in one
 * pass (detect.wat, made by scripts/build-detect-wasm.mjs). Otherwise Detect is three Sigmoids, a download of
 * each level and a host loop gathering the rows (heads.ts's decodeHost), about a tenth of yolov5n's forward in
 * Node. Where it cannot run (another backend, the threaded build's shared memory, no SIMD) the head decodes as
 * before. Worker-safe: no Node APIs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DETECT_WASM_BASE64 } from './detect-wasm.ts';
import { isShared, wasmBytes, wasmMemoryOf, type WasmBackendView } from './wasm-view.ts';

/** The kernel's name in tfjs's registry (and in tf.profile's list). */
export const DETECT_KERNEL = 'YaDetect';

type DetectFn = (...args: number[]) => void;

const instances = new WeakMap<object, DetectFn | null>();

function detectOn(backend: WasmBackendView): DetectFn | null {
  let fn = instances.get(backend);
  if (fn !== undefined) return fn;
  fn = null;
  const memory = wasmMemoryOf(backend);
  if (memory && !isShared(memory))
    try {
      const bytes = wasmBytes(DETECT_WASM_BASE64);
      if (WebAssembly.validate(bytes))
        fn = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.detect as DetectFn;
    } catch {
      fn = null;
    }
  instances.set(backend, fn);
  return fn;
}

let enabled = true;

/** Decode on the device where the kernel runs (true, the default) or as before everywhere (A/B benches, tests). */
export function allowDeviceDetect(on: boolean) {
  enabled = on;
}

/** What the kernel needs of a head: anchors per level in pixels [l][2 k], [l][2 k + 1], strides, na, no. */
export interface DetectGeometry {
  na: number;
  no: number;
  stride: number[];
  anchorsPx: number[][];
}

function registerDetect() {
  if (tf.getKernel(DETECT_KERNEL, 'wasm')) return;
  tf.registerKernel({
    kernelName: DETECT_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as WasmBackendView;
      const { na, no, stride, anchorsPx } = attrs as unknown as DetectGeometry;
      const fn = detectOn(b)!;
      const xs = stride.map((_, l) => inputs[`x${l}`] as tf.TensorInfo);
      const rows = xs.reduce((n, x) => n + x.shape[1] * x.shape[2] * na, 0);
      const out = b.makeOutput([1, rows, no], 'float32');
      // offsets read after makeOutput (which may grow the memory)
      const at = (t: tf.TensorInfo) => b.dataIdMap.get(t.dataId)!.memoryOffset;
      let y = at(out);
      xs.forEach((x, l) => {
        const [, hh, ww] = x.shape;
        for (let k = 0; k < na; k++) {
          fn(
            at(x) + k * no * 4,
            y,
            hh * ww,
            ww,
            na * no * 4,
            no,
            stride[l],
            anchorsPx[l][2 * k],
            anchorsPx[l][2 * k + 1],
          );
          y += hh * ww * no * 4;
        }
      });
      return out;
    },
  });
}

/**
 * The decoded predictions [1, rows, no] of the level maps [1, h, w, na * no] (NHWC) on the device, or undefined
 * where the kernel cannot run (the caller decodes as before).
 */
export function detectOnDevice(xs: tf.Tensor[], g: DetectGeometry): tf.Tensor | undefined {
  if (!enabled || tf.getBackend() !== 'wasm' || !detectOn(tf.backend() as unknown as WasmBackendView)) return undefined;
  registerDetect();
  const inputs: Record<string, tf.Tensor> = {};
  xs.forEach((x, l) => (inputs[`x${l}`] = x));
  return tf.engine().runKernel(DETECT_KERNEL, inputs, { ...g } as unknown as tf.NamedAttrMap) as tf.Tensor;
}
