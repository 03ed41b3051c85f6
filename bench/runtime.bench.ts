/**
 * Runtime speed: yolov5n at 640 (weights of the yolov5n-160 fixture, the network of
 * reference/parity/yolov5n-640/model.onnx) on tfjs wasm and on onnxruntime-node (the yardstick, CPU),
 * in the same run, same input; medians and their ratio. Also the cpu backend once, for scale.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { useNodeBackend } from '../src/runtime/backend-node.ts';
import { loadModel } from '../src/runtime/runtime.ts';
import { hasReference, referencePath } from '../src/testing/reference.ts';
import { median, type BenchResult } from './util.ts';

/** Median (and, in the note, the minimum: the machine may be shared) of `runs` timed calls after `warmup`. */
async function measure(name: string, fn: () => unknown, opts: { runs: number; warmup: number }): Promise<BenchResult> {
  for (let i = 0; i < opts.warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { name, median: median(times), unit: 'ms', runs: opts.runs, note: `min ${Math.min(...times).toFixed(1)} ms` };
}

const SIZE = 640;

export async function run(): Promise<BenchResult[]> {
  if (!hasReference) return [{ name: 'runtime: skipped (no ../shared/reference)', median: NaN, unit: 'ms', runs: 0 }];
  const out: BenchResult[] = [];
  const text = readFileSync(referencePath('configs', 'ultralytics', 'yolov5n.yaml'), 'utf8');
  const weights = readFileSync(referencePath('parity', 'yolov5n-160', 'weights.safetensors'));
  const nchw = new Float32Array(3 * SIZE * SIZE);
  for (let i = 0; i < nchw.length; i++) nchw[i] = ((i * 2654435761) % 1000) / 1000;
  const nhwc = new Float32Array(nchw.length);
  for (let c = 0; c < 3; c++) for (let p = 0; p < SIZE * SIZE; p++) nhwc[p * 3 + c] = nchw[c * SIZE * SIZE + p];

  // tfjs wasm
  const backend = await useNodeBackend('wasm');
  const model = loadModel(text, { imgsz: SIZE, weights });
  const x = tf.tensor4d(nhwc, [1, SIZE, SIZE, 3]);
  let tfPred: Float32Array | undefined;
  const tfRun = async () => {
    tfPred = (await model.net.forward(x, { raw: false })).pred!.data;
  };
  const tfjs = await measure(`yolov5n ${SIZE} tfjs ${backend} (1 thread), forward -> decoded pred`, tfRun, {
    runs: 15,
    warmup: 3,
  });
  out.push(tfjs);

  // onnxruntime-node, CPU
  const session = await ort.InferenceSession.create(readFileSync(referencePath('parity', 'yolov5n-640', 'model.onnx')));
  const feeds = { images: new ort.Tensor('float32', nchw, [1, 3, SIZE, SIZE]) };
  let ortPred: Float32Array | undefined;
  const ortRun = async () => {
    const r = await session.run(feeds);
    ortPred = r.output0.data as Float32Array;
  };
  const onnx = await measure(`yolov5n ${SIZE} onnxruntime-node (cpu, default threads)`, ortRun, {
    runs: 30,
    warmup: 3,
  });
  out.push(onnx);
  const session1 = await ort.InferenceSession.create(
    readFileSync(referencePath('parity', 'yolov5n-640', 'model.onnx')),
    { intraOpNumThreads: 1, interOpNumThreads: 1 },
  );
  const onnx1 = await measure(`yolov5n ${SIZE} onnxruntime-node (cpu, 1 thread)`, () => session1.run(feeds), {
    runs: 30,
    warmup: 3,
  });
  out.push(onnx1);

  let worst = 0;
  for (let i = 0; i < ortPred!.length; i++)
    worst = Math.max(worst, Math.abs(tfPred![i] - ortPred![i]) / Math.max(1, Math.abs(ortPred![i])));
  const load = (await import('node:os')).loadavg()[0];
  out.push({
    name: `ratio of medians tfjs ${backend} / onnxruntime (default threads)`,
    median: tfjs.median / onnx.median,
    unit: 'x' as 'ms',
    runs: tfjs.runs,
    note: `1 thread each: ${(tfjs.median / onnx1.median).toFixed(2)}x; worst pred difference ${worst.toExponential(1)}; load average ${load.toFixed(1)}`,
  });

  // tfjs cpu, few runs, for scale
  await useNodeBackend('cpu');
  out.push(await measure(`yolov5n ${SIZE} tfjs cpu, forward -> decoded pred`, tfRun, { runs: 3, warmup: 1 }));
  await useNodeBackend('wasm');
  x.dispose();
  model.dispose();
  await session.release();
  await session1.release();
  return out;
}
