/**
 * The tfjs network of a plan: each layer compiled into steps (steps.ts, after the fusion planner of
 * fusion.ts: batch norm folded at load with the plan's eps, bias and activation fused where tfjs can), run in
 * NHWC, the head decoded by its head runtime (heads.ts) as YOLOv5's eval mode. Runs in any tfjs backend
 * (cpu, wasm, webgl, webgpu) and in a worker: no DOM or Node APIs here.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FusionOptions } from './fusion.ts';
import { headRuntime, type HeadRuntime, type TensorData } from './heads.ts';
import type { ModelPlan } from './model.ts';
import { compileLayer, type CompiledLayer } from './steps.ts';
import type { StateDict, StateTensor } from './weights.ts';

export type { TensorData };

type T = tf.Tensor;

export interface NetworkOptions extends FusionOptions {
  /** Batch norm epsilon used to fold (default the plan's: YOLOv5 1e-3, an Ultralytics classifier 1e-5). */
  bnEps?: number;
  /** Called after each layer is built (for a progress bar). */
  onLayer?: (done: number, total: number) => void;
}

export interface ForwardOptions {
  /** Return these layers' outputs (NCHW); `true` for every layer but the head. */
  layers?: boolean | number[];
  /** Measure each layer's time (waits for every layer to finish; slower). */
  timing?: boolean;
  /** Return the raw head levels (default true). */
  raw?: boolean;
  /** forwardTensors: leave the box arithmetic to the caller (forward() does it on the host). */
  hostDecode?: boolean;
  /** Called after each layer has run (queued, on a GPU backend without timing). */
  onLayer?: (done: number, total: number) => void;
}

export interface LayerTiming {
  i: number;
  module: string;
  ms: number;
}

export interface ForwardOutput {
  /** Decoded predictions [1, N, no] (x, y, w, h in input pixels, objectness, classes, mask coefficients). */
  pred?: TensorData;
  /** Head levels before decoding, [1, na, h, w, no] (PyTorch layout). */
  raw: TensorData[];
  /** Segment's mask prototypes [1, nm, h, w]. */
  proto?: TensorData;
  /** An Ultralytics head's other output: Segment's `mc`, Pose's `kpt`, OBB's `angle` ([1, k, anchors]). */
  extra?: { name: string; data: TensorData };
  /** Requested layer outputs, NCHW [1, C, H, W]. */
  layers: Map<number, TensorData>;
  timings?: LayerTiming[];
  /** Whole forward, milliseconds. */
  ms: number;
  backend: string;
}

export interface ForwardTensors {
  pred?: T;
  /**
   * hostDecode: what the head decodes on the host (for YOLOv5's heads the sigmoid of each level; none where it
   * decoded on the device, into `pred`).
   */
  host?: T[];
  /** The head's levels: PyTorch's layout [1, na, h, w, no]; with hostDecode as the head wrote them (NHWC). */
  raw: T[];
  proto?: T;
  extra?: { name: string; t: T };
  /** NHWC layer outputs requested. */
  layers: Map<number, T>;
  timings?: LayerTiming[];
}

/** A built network: weights uploaded to tfjs, ready to run. Dispose it when done. */
export class Network {
  private readonly weights: T[] = [];
  private readonly compiled: CompiledLayer[];
  private readonly lastUse: number[];
  private readonly head?: HeadRuntime;
  /** Parameter tensors (state_dict names) the build read, and their element count. */
  readonly usedParams = new Map<string, number>();
  private disposed = false;

  constructor(
    readonly plan: ModelPlan,
    state: StateDict,
    opts: NetworkOptions = {},
  ) {
    const paramKeys = new Set(plan.tensors.filter((t) => t.kind === 'param').map((t) => t.key));
    const get = (key: string): StateTensor => {
      const t = state.get(key);
      if (!t) throw new Error(`weights lack ${key}`);
      if (paramKeys.has(key)) this.usedParams.set(key, t.data.length);
      return t;
    };
    const keep = <X extends T>(t: X): X => {
      this.weights.push(t);
      return t;
    };
    try {
      this.compiled = plan.layers.map((L, k) => {
        const ctx = { layer: L.i, get, keep, eps: opts.bnEps ?? plan.bnEps, strides: plan.analysis.stride ?? [] };
        const c = compileLayer(L, ctx, opts);
        opts.onLayer?.(k + 1, plan.layers.length);
        return c;
      });
      this.head = headRuntime(plan, get);
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.lastUse = plan.layers.map(() => -1);
    for (const L of plan.layers) for (const j of L.inputs) if (j >= 0) this.lastUse[j] = Math.max(this.lastUse[j], L.i);
  }

  /** Forward on an NHWC [1, H, W, C] float tensor (values 0..1). Returns tensors the caller disposes. */
  async forwardTensors(input: T, opts: ForwardOptions = {}): Promise<ForwardTensors> {
    if (this.disposed) throw new Error('the network was disposed');
    if (input.rank !== 4 || input.shape[0] !== 1 || input.shape[3] !== this.plan.analysis.inputChannels) {
      throw new Error(`the input must be [1, H, W, ${this.plan.analysis.inputChannels}] (NHWC), got [${input.shape}]`);
    }
    const af = this.plan.anchorFree;
    const want = new Set<number>(
      opts.layers === true
        ? this.plan.layers.filter((l) => l.i !== this.plan.head?.layer && l.i !== af?.layer).map((l) => l.i)
        : opts.layers || [],
    );
    const outs: (T | undefined)[] = [];
    const result: ForwardTensors = { raw: [], layers: new Map() };
    const timings: LayerTiming[] | undefined = opts.timing ? [] : undefined;
    const sync = opts.timing && !['cpu', 'wasm'].includes(tf.getBackend());
    try {
      for (let li = 0; li < this.compiled.length; li++) {
        const C = this.compiled[li];
        const L = C.layer;
        const t0 = timings ? performance.now() : 0;
        const env = new Map<number, T>();
        L.inputs.forEach((j, k) => env.set(L.inputIds[k], j === -1 ? input : outs[j]!));
        for (const s of C.steps) {
          env.set(s.out, s.run(s.ins.map((id) => env.get(id)!)));
          for (const id of s.free!) {
            env.get(id)?.dispose();
            env.delete(id);
          }
        }
        if (C.head && this.head) {
          const xs = C.head.xs.map((id) => env.get(id)!);
          if (opts.hostDecode) {
            const r = this.head.forHost(xs, { raw: opts.raw !== false });
            result.host = r.host;
            result.raw = r.raw;
            result.pred = r.pred;
          } else {
            const r = this.head.decode(xs);
            result.raw = r.raw;
            result.pred = r.pred;
          }
          for (const x of xs) x.dispose();
          if (C.head.proto !== undefined) {
            const p = env.get(C.head.proto)!;
            result.proto = tf.transpose(p, [0, 3, 1, 2]);
            p.dispose();
          }
          outs[li] = undefined;
        } else if (af && af.layer === L.i) {
          // an Ultralytics head: its output is the prediction (PyTorch's layout), its other outputs kept by id
          const pred = env.get(L.outId)!;
          result.pred = pred;
          if (want.has(li)) result.layers.set(li, tf.clone(pred));
          result.raw = af.raw.map((id) => env.get(id)!);
          if (af.proto !== undefined) result.proto = env.get(af.proto);
          if (af.extra) result.extra = { name: af.extra.name, t: env.get(af.extra.id)! };
          outs[li] = undefined;
        } else {
          outs[li] = env.get(L.outId)!;
          if (want.has(li)) result.layers.set(li, outs[li]!);
        }
        if (timings) {
          if (sync && outs[li]) await outs[li]!.data();
          timings.push({ i: li, module: L.module, ms: performance.now() - t0 });
        }
        opts.onLayer?.(li + 1, this.compiled.length);
        // free layer outputs nobody reads any more
        for (const j of L.inputs)
          if (j >= 0 && this.lastUse[j] === li && !want.has(j) && outs[j]) {
            outs[j]!.dispose();
            outs[j] = undefined;
          }
        if (outs[li] && this.lastUse[li] < 0 && !want.has(li)) {
          outs[li]!.dispose();
          outs[li] = undefined;
        }
      }
    } catch (e) {
      for (const t of outs) t?.dispose();
      disposeAll(result);
      throw e;
    }
    result.timings = timings;
    return result;
  }

  /** Forward and download: plain arrays (PyTorch layout), no tensors left behind. */
  async forward(input: T, opts: ForwardOptions = {}): Promise<ForwardOutput> {
    const t0 = performance.now();
    const r = await this.forwardTensors(input, { ...opts, hostDecode: true });
    const grab = async (t: T): Promise<TensorData> => {
      const data = (await t.data()) as Float32Array;
      const shape = t.shape as number[];
      t.dispose();
      return { shape, data };
    };
    try {
      const out: ForwardOutput = { raw: [], layers: new Map(), ms: 0, backend: tf.getBackend(), timings: r.timings };
      const raw: TensorData[] = [];
      const af = this.plan.anchorFree;
      // an Ultralytics head's level maps are feature maps (NHWC, to NCHW here, only when asked for); YOLOv5's head
      // lays out its own (its host decoding reads them)
      for (const t of r.raw) {
        if (af && opts.raw === false) t.dispose();
        else raw.push(await grab(af ? nchw(t) : t));
      }
      if (af && opts.raw !== false) out.raw = raw;
      // an Ultralytics head's output, or YOLOv5's head decoded on the device
      if (r.pred) out.pred = await grab(r.pred);
      if (r.extra) out.extra = { name: r.extra.name, data: await grab(r.extra.t) };
      if (af && r.proto) r.proto = nchw(r.proto);
      if (r.host && this.head) {
        const host: TensorData[] = [];
        for (const t of r.host) host.push(await grab(t));
        if (host.length) out.pred = this.head.decodeHost(host, raw);
        if (opts.raw !== false) out.raw = this.head.rawLayout(raw);
      }
      if (r.proto) out.proto = await grab(r.proto);
      for (const [i, t] of r.layers) out.layers.set(i, await grab(nchw(t)));
      out.ms = performance.now() - t0;
      return out;
    } finally {
      disposeAll(r);
    }
  }

  /** The tfjs backend in use. */
  get backendName(): string {
    return tf.getBackend();
  }

  /** Parameters the tfjs build read from the weights (before folding): equals the core's count. */
  get paramCount(): number {
    let n = 0;
    for (const v of this.usedParams.values()) n += v;
    return n;
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.weights) t.dispose();
    this.head?.dispose();
  }
}

/** A feature map from NHWC to NCHW (the input disposed); values of other ranks are already in PyTorch's layout. */
function nchw(t: T): T {
  if (t.rank !== 4) return t;
  const y = tf.transpose(t, [0, 3, 1, 2]);
  t.dispose();
  return y;
}

/** Dispose every tensor of a forward's result (disposing twice is harmless). */
function disposeAll(r: ForwardTensors) {
  r.pred?.dispose();
  r.raw.forEach((t) => t.dispose());
  r.host?.forEach((t) => t.dispose());
  r.proto?.dispose();
  r.extra?.t.dispose();
  r.layers.forEach((t) => t.dispose());
}
