/**
 * Runtime speed: yolov5n at 640 (weights of the yolov5n-160 fixture, the network of
 * reference/parity/yolov5n-640/model.onnx) and Ultralytics' yolo11n at 640 (weights of the yolo11n-160 fixture,
 * the network of reference/ultralytics/parity/yolo11n-640/model.onnx, whose own weights differ) on tfjs wasm and on onnxruntime-node (the yardstick, CPU), same
 * input, in the same run and interleaved (each round runs every case once, so a change of load on the shared
 * machine hits them alike); medians, their ratios, the load average, and where tfjs's time goes (per-kernel
 * profile of one forward). Beside the wall-clock medians, the process's CPU time per run (one thread each: what
 * the forward costs, which a loaded machine's waiting does not inflate) and its ratio. Also the cpu backend
 * once, for scale.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { useNodeBackend } from '../src/runtime/backend-node.ts';
import { allowGemmConv, gemmConv } from '../src/runtime/conv-gemm.ts';
import { loadModel } from '../src/runtime/runtime.ts';
import { hasReference, referencePath } from '../src/testing/reference.ts';
import { kernelProfile, printProfile } from './profile.ts';
import { median, type BenchResult } from './util.ts';

const SIZE = 640;
const ROUNDS = 15;
const WARMUP = 3;

interface Case {
  name: string;
  run: () => Promise<unknown>;
  times: number[];
  /** CPU time of the process (user + system) for each run: what a loaded machine's waiting does not inflate. */
  cpu?: number[];
}

/** Every case once per round, after `warmup` rounds; the times of each. */
async function interleaved(cases: Case[], rounds: number, warmup: number) {
  for (let r = 0; r < warmup + rounds; r++)
    for (const c of cases) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await c.run();
      const used = process.cpuUsage(c0);
      if (r >= warmup) {
        c.times.push(performance.now() - t0);
        (c.cpu ??= []).push((used.user + used.system) / 1000);
      }
    }
}

const result = (c: Case): BenchResult => ({
  name: c.name,
  median: median(c.times),
  unit: 'ms',
  runs: c.times.length,
  note: `min ${Math.min(...c.times).toFixed(1)} ms${c.cpu ? `, CPU time ${median(c.cpu).toFixed(1)} ms` : ''}`,
});

interface BenchModel {
  name: string;
  text: string;
  /** File name the config is read as (Ultralytics: it gives the scale). */
  file: string;
  weights: Uint8Array;
  onnx: Uint8Array;
  /** The ONNX export carries the same weights (its predictions are compared). */
  sameWeights: boolean;
  /** Also time the tfjs cpu backend (slow: for scale, once). */
  cpu: boolean;
}

export async function run(): Promise<BenchResult[]> {
  if (!hasReference) return [{ name: 'runtime: skipped (no ../shared/reference)', median: NaN, unit: 'ms', runs: 0 }];
  const models: BenchModel[] = [
    {
      name: 'yolov5n',
      text: readFileSync(referencePath('configs', 'ultralytics', 'yolov5n.yaml'), 'utf8'),
      file: 'yolov5n.yaml',
      weights: readFileSync(referencePath('parity', 'yolov5n-160', 'weights.safetensors')),
      onnx: readFileSync(referencePath('parity', 'yolov5n-640', 'model.onnx')),
      sameWeights: true,
      cpu: true,
    },
    {
      name: 'yolo11n',
      text: readFileSync(referencePath('ultralytics', 'configs', '11', 'yolo11.yaml'), 'utf8'),
      file: 'yolo11n.yaml',
      weights: readFileSync(referencePath('ultralytics', 'parity', 'yolo11n-160', 'weights.safetensors')),
      onnx: readFileSync(referencePath('ultralytics', 'parity', 'yolo11n-640', 'model.onnx')),
      sameWeights: false,
      cpu: false,
    },
  ];
  const out: BenchResult[] = [];
  for (const m of models) out.push(...(await benchModel(m)));
  return out;
}

async function benchModel({ name, text, file, weights, onnx, sameWeights, cpu: withCpu }: BenchModel) {
  const load0 = os.loadavg()[0];
  const nchw = new Float32Array(3 * SIZE * SIZE);
  for (let i = 0; i < nchw.length; i++) nchw[i] = ((i * 2654435761) % 1000) / 1000;
  const nhwc = new Float32Array(nchw.length);
  for (let c = 0; c < 3; c++) for (let p = 0; p < SIZE * SIZE; p++) nhwc[p * 3 + c] = nchw[c * SIZE * SIZE + p];

  const backend = await useNodeBackend('wasm');
  const model = loadModel(text, { imgsz: SIZE, weights, file });
  const kernel = gemmConv();
  // the same network with every convolution on tfjs's own kernels (XNNPACK): what our GEMM kernel gains
  allowGemmConv(false);
  const xnn = loadModel(text, { imgsz: SIZE, weights, file });
  allowGemmConv(true);
  const x = tf.tensor4d(nhwc, [1, SIZE, SIZE, 3]);
  let tfPred: Float32Array | undefined;
  const forward = () => model.net.forward(x, { raw: false });
  const session1 = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  // default threads, not spinning once a run ends: a spinning pool's CPU would be counted in the process's CPU
  // time of the case run next (tfjs's, the round's first)
  const session = await ort.InferenceSession.create(onnx, {
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', nchw, [1, 3, SIZE, SIZE]) };
  let ortPred: Float32Array | undefined;
  const ours = kernel ? `our conv kernel (${kernel.fma ? 'relaxed SIMD FMA' : 'SIMD'})` : 'tfjs convolutions';
  const tfjs: Case = {
    name: `${name} ${SIZE} tfjs ${backend} (1 thread), ${ours}, forward -> decoded pred`,
    run: async () => void (tfPred = (await forward()).pred!.data),
    times: [],
  };
  const tfjsXnn: Case = {
    name: `${name} ${SIZE} tfjs ${backend} (1 thread), XNNPACK convolutions`,
    run: () => xnn.net.forward(x, { raw: false }),
    times: [],
  };
  const ort1: Case = {
    name: `${name} ${SIZE} onnxruntime-node (cpu, 1 thread)`,
    run: async () => void (ortPred = (await session1.run(feeds))[session1.outputNames[0]].data as Float32Array),
    times: [],
  };
  const ortN: Case = {
    name: `${name} ${SIZE} onnxruntime-node (cpu, default threads)`,
    run: () => session.run(feeds),
    times: [],
  };
  await interleaved([tfjs, tfjsXnn, ort1, ortN], ROUNDS, WARMUP);
  const load1 = os.loadavg()[0];
  const out = [tfjs, tfjsXnn, ort1, ortN].map(result);

  let worst = 0;
  for (let i = 0; i < ortPred!.length; i++)
    worst = Math.max(worst, Math.abs(tfPred![i] - ortPred![i]) / Math.max(1, Math.abs(ortPred![i])));
  out.push({
    name: `${name}: ratio of medians tfjs ${backend} / onnxruntime, 1 thread each`,
    median: median(tfjs.times) / median(ort1.times),
    unit: 'x' as 'ms',
    runs: tfjs.times.length,
    note: `CPU time ratio ${(median(tfjs.cpu!) / median(ort1.cpu!)).toFixed(2)}x; vs onnxruntime's default threads ${(median(tfjs.times) / median(ortN.times)).toFixed(2)}x; ${sameWeights ? `worst pred difference ${worst.toExponential(1)}` : 'other weights than the export (predictions not compared)'}; load average ${load0.toFixed(1)} -> ${load1.toFixed(1)} on ${os.cpus().length} cores`,
  });
  out.push({
    name: `${name}: the same with XNNPACK convolutions / onnxruntime, 1 thread each`,
    median: median(tfjsXnn.times) / median(ort1.times),
    unit: 'x' as 'ms',
    runs: tfjsXnn.times.length,
    note: `CPU time ratio ${(median(tfjsXnn.cpu!) / median(ort1.cpu!)).toFixed(2)}x; ours / XNNPACK ${(median(tfjs.times) / median(tfjsXnn.times)).toFixed(2)}x wall, ${(median(tfjs.cpu!) / median(tfjsXnn.cpu!)).toFixed(2)}x CPU`,
  });
  printProfile(
    `runtime: tfjs ${backend} (1 thread), ${name} ${SIZE}, one forward by kernel (tf.profile):`,
    await kernelProfile(forward),
  );

  // tfjs cpu, for scale
  if (withCpu) {
    await useNodeBackend('cpu');
    const cpu: Case = { name: `${name} ${SIZE} tfjs cpu, forward -> decoded pred`, run: forward, times: [] };
    await interleaved([cpu], 2, 1);
    out.push(result(cpu));
    await useNodeBackend('wasm');
  }
  x.dispose();
  model.dispose();
  xnn.dispose();
  await session.release();
  await session1.release();
  return out;
}
