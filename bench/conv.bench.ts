/**
 * Our GEMM convolution kernel (src/runtime/conv-gemm.ts) against tfjs wasm's FusedConv2D (XNNPACK) on yolov5n's
 * own convolutions at 640 (the shapes of one forward, found by tf.profile), one thread, interleaved per shape:
 * tfjs, ours with relaxed SIMD's fused multiply-add, ours with plain SIMD; CPU time medians per call, their
 * ratios, and the sum over the forward's convolutions (each shape times how often it runs). `npm run bench -- conv`.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../src/runtime/backend-node.ts';
import { allowGemmConv, gemmConv, packConv, runPacked } from '../src/runtime/conv-gemm.ts';
import { loadModel } from '../src/runtime/runtime.ts';
import { hasReference, referencePath } from '../src/testing/reference.ts';
import { median, type BenchResult } from './util.ts';

const SIZE = 640;
const ROUNDS = 9;

interface Shape {
  H: number;
  W: number;
  C: number;
  N: number;
  k: number;
  s: number;
  p: number;
  count: number;
}

/** yolov5n's convolutions at 640: input, filter and output shapes of one forward (padding and stride from them). */
async function yolov5nShapes(): Promise<Shape[]> {
  // built on tfjs's convolutions, whose kernels tf.profile lists with their shapes
  allowGemmConv(false);
  const model = loadModel(readFileSync(referencePath('configs', 'ultralytics', 'yolov5n.yaml'), 'utf8'), {
    imgsz: SIZE,
    weights: readFileSync(referencePath('parity', 'yolov5n-160', 'weights.safetensors')),
    file: 'yolov5n.yaml',
  });
  allowGemmConv(true);
  const x = tf.zeros([1, SIZE, SIZE, 3]) as tf.Tensor4D;
  const prof = await tf.profile(async () => void (await model.net.forward(x, { raw: false })));
  const by = new Map<string, Shape>();
  for (const kr of prof.kernels) {
    if (!/Conv2D/.test(kr.name) || kr.name.endsWith('__op')) continue;
    const [xs, fs] = kr.inputShapes as number[][];
    const os_ = kr.outputShapes[0] as number[];
    const [, H, W, C] = xs;
    const [k, , , N] = fs;
    const s = Math.round(H / os_[1]);
    const p = Math.ceil(((os_[1] - 1) * s + k - H) / 2);
    const key = [H, W, C, N, k, s, p].join(',');
    const e = by.get(key) ?? { H, W, C, N, k, s, p, count: 0 };
    e.count++;
    by.set(key, e);
  }
  x.dispose();
  model.dispose();
  return [...by.values()];
}

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const u = process.cpuUsage(c0);
  return (u.user + u.system) / 1000;
}

export async function run(): Promise<BenchResult[]> {
  if (!hasReference) return [{ name: 'conv: skipped (no ../shared/reference)', median: NaN, unit: 'ms', runs: 0 }];
  await useNodeBackend('wasm');
  const inst = gemmConv();
  if (!inst) return [{ name: 'conv: our kernel cannot run here', median: NaN, unit: 'ms', runs: 0 }];
  const load0 = os.loadavg()[0];
  const shapes = await yolov5nShapes();
  const out: BenchResult[] = [];
  const total = { tfjs: 0, fma: 0, plain: 0 };
  const kept: tf.Tensor[] = [];
  const keep = <X extends tf.Tensor>(t: X) => (kept.push(t), t);
  let worst = 0;
  for (const sh of shapes) {
    const { H, W, C, N, k, s, p, count } = sh;
    const x = tf.randomNormal([1, H, W, C], 0, 1, 'float32', 1) as tf.Tensor4D;
    const wt = tf.randomNormal([N, C, k, k], 0, 0.1, 'float32', 2);
    const bias = tf.randomNormal([N], 0, 1, 'float32', 3);
    const filter = keep(tf.transpose(wt, [2, 3, 1, 0]) as tf.Tensor4D);
    const pk = packConv(
      wt.dataSync(),
      bias.dataSync(),
      { cin: C, kh: k, kw: k },
      [C],
      0,
      N,
      {
        ...{ kh: k, kw: k, sh: s, sw: s, ph: p, pw: p, dh: 1, dw: 1 },
      },
      keep,
    );
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [p, p],
      [p, p],
      [0, 0],
    ];
    const cases = {
      tfjs: () => tf.fused.conv2d({ x, filter, strides: s, pad, bias: bias as tf.Tensor1D }),
      fma: () => runPacked(pk, [x]),
      plain: () => runPacked(pk, [x], true),
    };
    // parity of ours against tfjs on this shape
    const a = cases.tfjs();
    const b = cases.fma();
    worst = Math.max(
      worst,
      tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(a)).dataSync()[0]),
    );
    tf.dispose([a, b]);
    const times: Record<keyof typeof cases, number[]> = { tfjs: [], fma: [], plain: [] };
    const reps = Math.max(1, Math.round(2e7 / (H * W * C * N * k * k) ** 0.9));
    for (let r = 0; r < ROUNDS + 1; r++)
      for (const name of Object.keys(cases) as (keyof typeof cases)[]) {
        const ms = cpuMs(() => {
          for (let i = 0; i < reps; i++) {
            const y = cases[name]();
            y.dataSync();
            y.dispose();
          }
        });
        if (r > 0) times[name].push(ms / reps);
      }
    const m = { tfjs: median(times.tfjs), fma: median(times.fma), plain: median(times.plain) };
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += m[key] * count;
    const macs = ((H / s) * (W / s) * C * N * k * k) / 1e6;
    out.push({
      name: `${k}x${k} s${s} ${H}x${W}x${C} -> ${N} (x${count}, ${macs.toFixed(0)} MMAC)`,
      median: m.tfjs / m.fma,
      unit: 'x' as 'ms',
      runs: ROUNDS,
      note: `tfjs ${m.tfjs.toFixed(2)} ms, ours fma ${m.fma.toFixed(2)} ms, plain ${m.plain.toFixed(2)} ms (tfjs/plain ${(m.tfjs / m.plain).toFixed(2)}x)`,
    });
    tf.dispose([x, wt, bias]);
  }
  tf.dispose(kept);
  out.push({
    name: `yolov5n 640 convolutions, summed: tfjs / ours (fma)`,
    median: total.tfjs / total.fma,
    unit: 'x' as 'ms',
    runs: ROUNDS,
    note: `tfjs ${total.tfjs.toFixed(1)} ms, ours fma ${total.fma.toFixed(1)} ms, plain ${total.plain.toFixed(1)} ms CPU per forward; worst difference ${worst.toExponential(1)} of the largest output; load ${load0.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)}`,
  });
  return out;
}
