/**
 * YOLOv5 Detect's decoding on tfjs's wasm backend as one kernel of our own (YaDetect): the head's level maps, as
 * its convolutions wrote them (NHWC), to the predictions [1, rows, no] in PyTorch's order, sigmoid and box in one
 * pass (detect.wat, made by scripts/build-detect-wasm.mjs). Otherwise Detect is three Sigmoids, a download of
 * each level and a host loop gathering the rows (heads.ts's decodeHost), about a tenth of yolov5n's forward in
 * Node. On the threaded build's shared memory the same text declaring a shared memory, each (level, anchor) one
 * task of a job that the calling thread and pool.ts's helpers share. Where it cannot run (another backend, no
 * SIMD) the head decodes as before. Worker-safe: no Node APIs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DETECT_SHARED_WASM_BASE64, DETECT_WASM_BASE64 } from './detect-wasm.ts';
import { defineJobKind, kernelInstances, poolFor, runJob, type Pool, type TaskFn } from './pool.ts';
import { isShared, registerWasmKernel, wasmBytes, type WasmBackendView } from './wasm-view.ts';

/** The kernel's name in tfjs's registry (and in tf.profile's list). */
export const DETECT_KERNEL = 'YaDetect';

type DetectFn = (...args: number[]) => void;

/** The kernel on each backend's memory (the module declaring a shared memory for a shared one). */
const detects = kernelInstances(registerDetect, (memory) => {
  const bytes = wasmBytes(isShared(memory) ? DETECT_SHARED_WASM_BASE64 : DETECT_WASM_BASE64);
  if (!WebAssembly.validate(bytes)) return null;
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.detect as DetectFn;
});
const detectOn = detects.on;

/** Forget the kernel on a backend and end its memory's helper pool (the kernel's disposeFunc, as SiLU's). */
export const releaseDetect = (backend: object) => detects.release(backend);

/**
 * Task i: the i-th (level, anchor) of the job (pool.ts's task: self-contained). Its 9 words: x, y, n, ww, step,
 * no, then stride, aw, ah as float32 bits (detect.wat's parameters).
 */
const detectTask: TaskFn = (f, a, o, i) => {
  const p = o + 9 * i;
  const v = new Float32Array(a.buffer, a.byteOffset, a.length);
  f(a[p], a[p + 1], a[p + 2], a[p + 3], a[p + 4], a[p + 5], v[p + 6], v[p + 7], v[p + 8]);
};

/** Detect's jobs in the helper pool (pool.ts). */
const DETECT_JOB = defineJobKind('detect', wasmBytes(DETECT_SHARED_WASM_BASE64), 'detect', detectTask);

const bitsF = new Float32Array(1);
const bitsI = new Int32Array(bitsF.buffer);
/** A float32's bits as an int32 (a job's words are int32). */
const f32bits = (v: number) => ((bitsF[0] = v), bitsI[0]);

/**
 * Runs the decoding's (level, anchor) calls, `calls` of detect.wat's 9 parameters each, as one job:
 * with a pool's helpers where there is one, else one after another here.
 */
export function runDetect(fn: DetectFn, pool: Pool | null | undefined, calls: number[][]) {
  const args = calls.flatMap((c) => [...c.slice(0, 6), ...c.slice(6).map(f32bits)]);
  runJob(pool, DETECT_JOB, fn, args, calls.length);
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
  registerWasmKernel<DetectGeometry>(
    DETECT_KERNEL,
    (inputs, b, { na, no, stride, anchorsPx }) => {
      const on = detectOn(b)!;
      const xs = stride.map((_, l) => inputs[`x${l}`] as tf.TensorInfo);
      const rows = xs.reduce((n, x) => n + x.shape[1] * x.shape[2] * na, 0);
      const out = b.makeOutput([1, rows, no], 'float32');
      // offsets read after makeOutput (which may grow the memory)
      const at = (t: tf.TensorInfo) => b.dataIdMap.get(t.dataId)!.memoryOffset;
      let y = at(out);
      const calls: number[][] = [];
      xs.forEach((x, l) => {
        const [, hh, ww] = x.shape;
        for (let k = 0; k < na; k++) {
          const a = anchorsPx[l];
          calls.push([at(x) + k * no * 4, y, hh * ww, ww, na * no * 4, no, stride[l], a[2 * k], a[2 * k + 1]]);
          y += hh * ww * no * 4;
        }
      });
      runDetect(on.fn, on.shared && poolFor(on.shared), calls);
      return out;
    },
    releaseDetect,
  );
}

/**
 * The decoded predictions [1, rows, no] of the level maps [1, h, w, na * no] (NHWC) on the device, or undefined
 * where the kernel cannot run (the caller decodes as before).
 */
export function detectOnDevice(xs: tf.Tensor[], g: DetectGeometry): tf.Tensor | undefined {
  if (!enabled || tf.getBackend() !== 'wasm' || !detectOn(tf.backend() as unknown as WasmBackendView)) return undefined;
  // one image's float32 maps of na * no channels (what the head's convolutions write), else decoded as before
  if (xs.some((x) => x.rank !== 4 || x.shape[0] !== 1 || x.shape[3] !== g.na * g.no || x.dtype !== 'float32'))
    return undefined;
  registerDetect();
  const inputs: Record<string, tf.Tensor> = {};
  xs.forEach((x, l) => (inputs[`x${l}`] = x));
  return tf.engine().runKernel(DETECT_KERNEL, inputs, { ...g } as unknown as tf.NamedAttrMap) as tf.Tensor;
}
