/**
 * The page `npm run bench:web` drives (bench/web.ts): one case per page (`?model=yolov5n-640&case=tfjs-wasm&threads=2`),
 * set up and warmed up, then timed one forward at a time when the driver asks, so the cases of one run take
 * turns under the same load. tfjs runs our runtime on the config and weights; onnxruntime-web runs PyTorch's
 * own ONNX export of the same network. Both get the same input (fixed pseudo-random values).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as Ort from 'onnxruntime-web';
import '../../renderer/run/tfjs-setup.ts';
import { kernelProfile, type KernelRow } from '../profile.ts';
import { loadModel, startBackend, type BackendName } from '../../src/runtime/index.ts';
import { allowGemmConv, setConvSplit } from '../../src/runtime/conv-gemm.ts';
import { allowDeviceDetect } from '../../src/runtime/detect.ts';
import { setSiluMode, silu, siluHelpedChunks, type SiluMode } from '../../src/runtime/silu.ts';
import { SLICE_KERNEL } from '../../src/runtime/slice.ts';

export interface CaseInfo {
  label: string;
  backend: string;
  threads?: number;
  isolated: boolean;
  /** The decoded predictions of the last run (for checking tfjs against onnxruntime). */
  predictions: number;
}

interface Bench {
  ready: Promise<CaseInfo>;
  /** One timed forward (input to decoded predictions on the page), milliseconds. */
  step(): Promise<number>;
  /** First values of the decoded predictions (tfjs and onnxruntime should agree). */
  sample(n: number): number[];
  /** tfjs: per-kernel time of one forward (tf.profile), summed by kernel name. */
  profile(): Promise<KernelRow[]>;
  /**
   * tfjs wasm: SiLU alone on yolov5n's feature maps at 640, one kernel split with helper threads, one kernel on
   * one thread, Sigmoid and Multiply, taking turns `rounds` times: the medians, milliseconds per set of maps, and
   * the chunks the helpers took.
   */
  siluAB?(rounds: number): { split: number; one: number; two: number; helped: number };
}

const q = new URLSearchParams(location.search);
const model = q.get('model') ?? 'yolov5n-640';
const kind = q.get('case') ?? 'tfjs-wasm';
const threads = Number(q.get('threads') ?? 1);
/**
 * An A/B variant of a tfjs case (bench/web.ts --ab), '+'-separated: 'silu2' runs SiLU as Sigmoid and Multiply, 'silu1' as one
 * kernel on the calling thread alone (not split with helper threads),
 * 'tfslice' our slice kernel as tfjs's Slice, 'rawmaps' makes the head's level maps (raw: true), 'xnnconv' leaves
 * the convolutions to tfjs (XNNPACK), 'conv1' runs ours on the calling thread alone, 'hostdetect' decodes YOLOv5's
 * Detect on the host; 'before' is the runtime before this session's changes (with threads: XNNPACK's convolutions
 * and Detect on the host; one thread: as it is, less the session's layout changes, which cannot be switched off).
 */
const variant = q.get('variant') ?? '';
const parts = new Set(variant === 'before' ? (threads > 1 ? ['xnnconv', 'hostdetect'] : []) : variant.split('+'));
const raw = parts.has('rawmaps');
const MODELS: Record<string, { yaml: string; file?: string; weights: string; onnx?: string; size: number }> = {
  'yolov5n-640': {
    yaml: '/reference/configs/ultralytics/yolov5n.yaml',
    weights: '/reference/parity/yolov5n-160/weights.safetensors',
    onnx: '/reference/parity/yolov5n-640/model.onnx',
    size: 640,
  },
  // Ultralytics' YOLO11n (read as yolo11n.yaml: scale n); the export's weights differ (seeded random), the work is the same
  'yolo11n-640': {
    yaml: '/reference/ultralytics/configs/11/yolo11.yaml',
    file: 'yolo11n.yaml',
    weights: '/reference/ultralytics/parity/yolo11n-160/weights.safetensors',
    onnx: '/reference/ultralytics/parity/yolo11n-640/model.onnx',
    size: 640,
  },
  'demo-320': { yaml: '/configs/demo/demo-shapes.yaml', weights: '/configs/demo/weights.safetensors', size: 320 },
};
const m = MODELS[model];
const size = m.size;

/** The input, NCHW (onnxruntime) and NHWC (tfjs), values in [0, 1). */
const nchw = new Float32Array(3 * size * size);
for (let i = 0; i < nchw.length; i++) nchw[i] = ((i * 2654435761) % 1000) / 1000;
const nhwc = new Float32Array(nchw.length);
for (let c = 0; c < 3; c++) for (let p = 0; p < size * size; p++) nhwc[p * 3 + c] = nchw[c * size * size + p];

let last: Float32Array = new Float32Array(0);
const bytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

async function tfjsCase(): Promise<Bench> {
  const backend = kind.slice('tfjs-'.length) as BackendName;
  const siluMode: SiluMode = parts.has('silu2') ? 'two' : parts.has('silu1') ? 'one' : 'split';
  setSiluMode(siluMode);
  if (parts.has('tfslice')) {
    // tfjs's own Slice under our kernel's name (what tf.slice ran before)
    const theirs = tf.getKernel('Slice', 'wasm');
    if (theirs) tf.registerKernel({ ...theirs, kernelName: SLICE_KERNEL });
  }
  allowGemmConv(!parts.has('xnnconv'));
  allowDeviceDetect(!parts.has('hostdetect'));
  setConvSplit(!parts.has('conv1'));
  const start = await startBackend(backend, { wasmThreads: threads });
  const net = loadModel(await (await fetch(m.yaml)).text(), {
    imgsz: size,
    weights: await bytes(m.weights),
    file: m.file,
  }).net;
  const x = tf.tensor4d(nhwc, [1, size, size, 3]);
  const step = async () => {
    const t0 = performance.now();
    last = (await net.forward(x, { raw })).pred!.data;
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) await step();
  return {
    ready: Promise.resolve({
      label: `tfjs ${start.backend}${start.threads ? ` ${start.threads} thread${start.threads > 1 ? 's' : ''}` : ''}${variant ? ` [${variant}]` : ''}`,
      backend: start.backend,
      threads: start.threads,
      isolated: crossOriginIsolated,
      predictions: last.length,
    }),
    step,
    sample: (n) => Array.from(last.subarray(0, n)),
    profile: () => kernelProfile(() => net.forward(x, { raw })),
    siluAB: (rounds) => {
      const maps = [16, 32, 64, 128, 256].map((c, i) => tf.randomNormal([1, 320 >> i, 320 >> i, c], 0, 3));
      const time = (m: SiluMode) => {
        setSiluMode(m);
        const t0 = performance.now();
        for (const t of maps) silu(t).dispose();
        return performance.now() - t0;
      };
      const modes: SiluMode[] = ['split', 'one', 'two'];
      const times = modes.map(() => [] as number[]);
      const helped0 = siluHelpedChunks();
      for (let r = 0; r < rounds; r++) modes.forEach((m, k) => times[k].push(time(m)));
      setSiluMode(siluMode);
      tf.dispose(maps);
      const med = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1];
      return { split: med(times[0]), one: med(times[1]), two: med(times[2]), helped: siluHelpedChunks() - helped0 };
    },
  };
}

async function ortCase(): Promise<Bench> {
  if (!m.onnx) throw new Error(`${model} has no ONNX export`);
  const url = '/ort/ort.wasm.min.mjs';
  const ort = (await import(/* @vite-ignore */ url)) as typeof Ort;
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  const session = await ort.InferenceSession.create(await bytes(m.onnx), { executionProviders: ['wasm'] });
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', nchw, [1, 3, size, size]) };
  const step = async () => {
    const t0 = performance.now();
    const r = await session.run(feeds);
    last = (await r[session.outputNames[0]].getData()) as Float32Array;
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) await step();
  return {
    ready: Promise.resolve({
      label: `onnxruntime-web wasm ${threads} thread${threads > 1 ? 's' : ''}`,
      backend: 'wasm',
      threads,
      isolated: crossOriginIsolated,
      predictions: last.length,
    }),
    step,
    sample: (n) => Array.from(last.subarray(0, n)),
    profile: () => ortProfile(ort, feeds),
  };
}

/**
 * onnxruntime-web's own profile of two runs: a session with enableProfiling prints its events (Chrome trace JSON)
 * to the console when profiling ends, through the console.log Emscripten bound when it loaded (bench/web.ts reads
 * them from the page's console: profile.ts's ortProfileRows).
 */
async function ortProfile(ort: typeof Ort, feeds: Record<string, Ort.Tensor>): Promise<KernelRow[]> {
  const s = await ort.InferenceSession.create(await bytes(m.onnx!), {
    executionProviders: ['wasm'],
    enableProfiling: true,
  });
  for (let i = 0; i < 2; i++) await s.run(feeds);
  s.endProfiling();
  await s.release();
  return [];
}

const status = document.getElementById('status')!;
const bench = kind.startsWith('ort-') ? ortCase() : tfjsCase();
(window as unknown as { bench: Promise<Bench> }).bench = bench;
bench.then(
  async (b) => (status.textContent = `ready: ${(await b.ready).label}`),
  (e) => (status.textContent = `failed: ${(e as Error).message}`),
);
