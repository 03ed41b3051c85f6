/**
 * The tfjs network of a plan: every primitive op of the core's module descriptions, run in NHWC with
 * batch norm folded into the convolutions at load (eps 1e-3), bias and activation fused where tfjs can,
 * explicit PyTorch padding everywhere, and Detect/Segment decoding as YOLOv5's eval mode. Runs in any
 * tfjs backend (cpu, wasm, webgl) and in a worker: no DOM or Node APIs here.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ActSpec, Op } from '../core/index.ts';
import { keyOf, type ModelPlan, type PlanLayer } from './model.ts';
import type { StateDict, StateTensor } from './weights.ts';

type T = tf.Tensor;
type T4 = tf.Tensor4D;
type FusedAct = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu';

/** One executable step of a layer: reads local values, writes one. */
interface Step {
  ins: number[];
  out: number;
  run(xs: T[]): T;
  /** Local values that die after this step. */
  free?: number[];
}

interface CompiledLayer {
  layer: PlanLayer;
  steps: Step[];
  detect?: DetectStep;
}

interface DetectStep {
  xs: number[];
  proto?: number;
}

export interface NetworkOptions {
  /** Batch norm epsilon used to fold (YOLOv5: 1e-3). */
  bnEps?: number;
  /** Replace concatenations read only by convolutions with per-part convolutions (default true). */
  splitConcat?: boolean;
}

export interface TensorData {
  shape: number[];
  data: Float32Array;
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
  /** Requested layer outputs, NCHW [1, C, H, W]. */
  layers: Map<number, TensorData>;
  timings?: LayerTiming[];
  /** Whole forward, milliseconds. */
  ms: number;
  backend: string;
}

export interface ForwardTensors {
  pred?: T;
  /** hostDecode: sigmoid of each level, [1, na, h, w, no]. */
  sig?: T[];
  raw: T[];
  proto?: T;
  /** NHWC layer outputs requested. */
  layers: Map<number, T>;
  timings?: LayerTiming[];
}

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** A built network: weights uploaded to tfjs, ready to run. Dispose it when done. */
export class Network {
  private readonly weights: T[] = [];
  private readonly compiled: CompiledLayer[];
  private readonly lastUse: number[];
  private readonly gridCache = new Map<string, { Q: T; P: T; C: T }>();
  /** Parameter tensors (state_dict names) the build read, and their element count. */
  readonly usedParams = new Map<string, number>();
  readonly anchorsPx: number[][] = [];
  private disposed = false;

  constructor(
    readonly plan: ModelPlan,
    private readonly state: StateDict,
    private readonly opts: NetworkOptions = {},
  ) {
    const eps = opts.bnEps ?? 1e-3;
    const paramKeys = new Set(plan.tensors.filter((t) => t.kind === 'param').map((t) => t.key));
    const get = (key: string): StateTensor => {
      const t = state.get(key);
      if (!t) throw new Error(`weights lack ${key}`);
      if (paramKeys.has(key)) this.usedParams.set(key, t.data.length);
      return t;
    };
    try {
      this.compiled = plan.layers.map((L) => this.compileLayer(L, get, eps));
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.lastUse = plan.layers.map(() => -1);
    for (const L of plan.layers) for (const j of L.inputs) if (j >= 0) this.lastUse[j] = Math.max(this.lastUse[j], L.i);
    const h = plan.head;
    if (h) {
      const a = get(`model.${h.layer}.anchors`);
      for (let l = 0; l < h.nl; l++)
        this.anchorsPx.push(Array.from(a.data.subarray(l * h.na * 2, (l + 1) * h.na * 2), (v) => v * h.stride[l]));
      // decoding constants for the analysed size, made once (other sizes make theirs per run)
      const head = plan.layers[h.layer];
      const detectOp = head.ops.find((o) => o.kind === 'detect') as Extract<Op, { kind: 'detect' }>;
      const shapeOf = new Map<number, number[]>();
      for (const L of plan.layers) shapeOf.set(L.i, L.shape);
      head.inputs.slice(0, h.nl).forEach((j, l) => {
        const s = shapeOf.get(j);
        if (s && detectOp) this.gridCache.set(`${l}:${s[1]}x${s[2]}`, this.makeGrid(l, s[1], s[2], true));
      });
    }
  }

  private keep<X extends T>(t: X): X {
    this.weights.push(t);
    return t;
  }

  // ------------------------------------------------------------ compile

  private compileLayer(L: PlanLayer, get: (k: string) => StateTensor, eps: number): CompiledLayer {
    const ops = L.ops;
    const consumers = new Map<number, number>();
    const use = (id: number) => consumers.set(id, (consumers.get(id) ?? 0) + 1);
    for (const o of ops) for (const id of opInputs(o)) use(id);
    use(L.outId);
    const producer = new Map<number, Op>();
    for (const o of ops) producer.set(o.y, o);
    const single = (id: number) => consumers.get(id) === 1;

    /** conv op -> folded {scale, shift} and fused activation; ops absorbed into it */
    const convExtra = new Map<
      Op,
      { bn?: { scale: Float64Array; shift: Float64Array; offset: number }[]; act?: ActSpec; out: number }
    >();
    const absorbed = new Set<Op>();
    /** concat ops whose branches took their batch norm (and act): the concat now produces `out` */
    const concatOut = new Map<Op, number>();

    const bnParams = (name: string, c: number) => {
      const w = get(keyOf(L.i, name, 'weight')).data;
      const b = get(keyOf(L.i, name, 'bias')).data;
      const m = get(keyOf(L.i, name, 'running_mean')).data;
      const v = get(keyOf(L.i, name, 'running_var')).data;
      const scale = new Float64Array(c);
      const shift = new Float64Array(c);
      for (let k = 0; k < c; k++) {
        scale[k] = w[k] / Math.sqrt(v[k] + eps);
        shift[k] = b[k] - m[k] * scale[k];
      }
      return { scale, shift };
    };
    const consumerOf = (id: number) => ops.find((o) => opInputs(o).includes(id));

    for (const bn of ops) {
      if (bn.kind !== 'batchNorm') continue;
      const src = producer.get(bn.x);
      if (!src || !single(bn.x) || bn.x === L.outId) continue;
      const p = bnParams(bn.name, bn.c);
      let act: ActSpec | undefined;
      let out = bn.y;
      const next = single(bn.y) && bn.y !== L.outId ? consumerOf(bn.y) : undefined;
      if (next && next.kind === 'act') {
        act = next.act;
        out = next.y;
      }
      if (src.kind === 'conv2d' && !convExtra.has(src)) {
        convExtra.set(src, { bn: [{ ...p, offset: 0 }], act, out });
        absorbed.add(bn);
        if (act) absorbed.add(next!);
      } else if (
        src.kind === 'concat' &&
        src.xs.every(
          (id) =>
            single(id) && id !== L.outId && producer.get(id)?.kind === 'conv2d' && !convExtra.has(producer.get(id)!),
        ) &&
        new Set(src.xs).size === src.xs.length
      ) {
        // batch norm after a concat of convolutions (BottleneckCSP): fold per branch
        let off = 0;
        for (const id of src.xs) {
          const cv = producer.get(id)! as Extract<Op, { kind: 'conv2d' }>;
          convExtra.set(cv, { bn: [{ ...p, offset: off }], act, out: cv.y });
          off += cv.cout;
        }
        absorbed.add(bn);
        if (act) absorbed.add(next!);
        concatOut.set(src, out);
      }
    }
    // activations straight after a bare convolution
    for (const o of ops) {
      if (o.kind !== 'act' || absorbed.has(o)) continue;
      const src = producer.get(o.x);
      if (src && src.kind === 'conv2d' && single(o.x) && o.x !== L.outId) {
        const ex = convExtra.get(src);
        if (ex && (ex.act || ex.out !== src.y)) continue;
        if (ex) {
          ex.act = o.act;
          ex.out = o.y;
        } else convExtra.set(src, { act: o.act, out: o.y });
        absorbed.add(o);
      }
    }

    // concatenations read only by convolutions are never built: conv(cat(a, b), W) = conv(a, Wa) + conv(b, Wb)
    // (tfjs-wasm concatenates NHWC channels row by row in JS, slower than the extra adds)
    const virtual = new Map<number, { ids: number[]; cs: number[] }>();
    if (this.opts.splitConcat !== false) {
      const ch = channelsOf(L);
      for (const o of ops) {
        if (o.kind !== 'concat' || absorbed.has(o) || o.xs.length < 2) continue;
        const out = concatOut.get(o) ?? o.y;
        if (out === L.outId) continue;
        const readers = ops.filter((r) => !absorbed.has(r) && opInputs(r).includes(out));
        if (!readers.length || !readers.every((r) => r.kind === 'conv2d' && r.groups === 1)) continue;
        virtual.set(out, { ids: o.xs, cs: o.xs.map((id) => ch.get(id)!) });
        absorbed.add(o);
      }
    }

    const steps: Step[] = [];
    let detect: DetectStep | undefined;
    for (const o of ops) {
      if (absorbed.has(o)) continue;
      switch (o.kind) {
        case 'conv2d': {
          const ex = convExtra.get(o);
          steps.push(this.convStep(L.i, o, get, ex?.bn?.[0], ex?.act, ex?.out ?? o.y, virtual.get(o.x)));
          break;
        }
        case 'convTranspose2d':
          steps.push(this.convTransposeStep(L.i, o, get));
          break;
        case 'batchNorm': {
          const p = bnParams(o.name, o.c);
          const s = this.keep(tf.tensor1d(Float32Array.from(p.scale)));
          const b = this.keep(tf.tensor1d(Float32Array.from(p.shift)));
          steps.push({ ins: [o.x], out: o.y, run: ([x]) => tf.tidy(() => tf.add(tf.mul(x, s), b)) });
          break;
        }
        case 'act':
          steps.push({ ins: [o.x], out: o.y, run: ([x]) => applyAct(x, o.act) });
          break;
        case 'concat': {
          const out = concatOut.get(o) ?? o.y;
          steps.push({ ins: o.xs, out, run: (xs) => (xs.length === 1 ? tf.clone(xs[0]) : tf.concat(xs, 3)) });
          break;
        }
        case 'add':
          steps.push({ ins: o.xs, out: o.y, run: ([a, b]) => tf.add(a, b) });
          break;
        case 'mul':
          steps.push({ ins: o.xs, out: o.y, run: ([a, b]) => tf.mul(a, b) });
          break;
        case 'slice':
          steps.push({
            ins: [o.x],
            out: o.y,
            run: ([x]) => tf.slice(x, [0, 0, 0, o.start], [-1, -1, -1, o.end - o.start]),
          });
          break;
        case 'maxPool':
          steps.push({ ins: [o.x], out: o.y, run: ([x]) => maxPool(x as T4, o) });
          break;
        case 'avgPoolGlobal':
          steps.push({ ins: [o.x], out: o.y, run: ([x]) => tf.mean(x, [1, 2], true) });
          break;
        case 'reduce': {
          // NHWC: channels are axis 3, height 1, width 2
          const axes = { c: [3], h: [1], w: [2], hw: [1, 2] }[o.axis];
          steps.push({
            ins: [o.x],
            out: o.y,
            run: ([x]) => (o.op === 'mean' ? tf.mean(x, axes, true) : tf.max(x, axes, true)),
          });
          break;
        }
        case 'upsample':
          steps.push({
            ins: [o.x],
            out: o.y,
            run: ([x]) => {
              const size: [number, number] = [
                Math.floor(x.shape[1]! * o.scale[0]),
                Math.floor(x.shape[2]! * o.scale[1]),
              ];
              return o.mode === 'nearest'
                ? tf.image.resizeNearestNeighbor(x as T4, size, false, false)
                : tf.image.resizeBilinear(x as T4, size, false, true);
            },
          });
          break;
        case 'zeroPad':
          steps.push({ ins: [o.x], out: o.y, run: ([x]) => zeroPad(x as T4, o.pad) });
          break;
        case 'focus':
          steps.push({
            ins: [o.x],
            out: o.y,
            run: ([x]) =>
              tf.tidy(() => {
                const [, h, w, c] = x.shape as number[];
                const at = (dy: number, dx: number) => tf.stridedSlice(x, [0, dy, dx, 0], [1, h, w, c], [1, 2, 2, 1]);
                return tf.concat([at(0, 0), at(1, 0), at(0, 1), at(1, 1)], 3);
              }),
          });
          break;
        case 'contract':
          steps.push({
            ins: [o.x],
            out: o.y,
            run: ([x]) =>
              tf.tidy(() => {
                const [, h, w, c] = x.shape as number[];
                const s = o.gain;
                return tf.reshape(tf.transpose(tf.reshape(x, [h / s, s, w / s, s, c]), [0, 2, 1, 3, 4]), [
                  1,
                  h / s,
                  w / s,
                  s * s * c,
                ]);
              }),
          });
          break;
        case 'expand':
          steps.push({ ins: [o.x], out: o.y, run: ([x]) => tf.depthToSpace(x as T4, o.gain, 'NHWC') });
          break;
        case 'linear':
          steps.push(this.linearStep(L.i, o, get));
          break;
        case 'attention':
          steps.push(this.attentionStep(L.i, o, get));
          break;
        case 'detect':
          detect = { xs: o.xs, proto: o.proto };
          break;
      }
    }
    // eager freeing: each local value dies after its last reader (never the layer's inputs or output)
    const last = new Map<number, number>();
    steps.forEach((s, k) => s.ins.forEach((id) => last.set(id, k)));
    const keepIds = new Set([
      ...L.inputIds,
      L.outId,
      ...(detect ? [...detect.xs, ...(detect.proto !== undefined ? [detect.proto] : [])] : []),
    ]);
    steps.forEach((s) => (s.free = []));
    for (const [id, k] of last) if (!keepIds.has(id)) steps[k].free!.push(id);
    return { layer: L, steps, detect };
  }

  private convStep(
    i: number,
    o: Extract<Op, { kind: 'conv2d' }>,
    get: (k: string) => StateTensor,
    bn: { scale: Float64Array; shift: Float64Array; offset: number } | undefined,
    act: ActSpec | undefined,
    out: number,
    parts?: { ids: number[]; cs: number[] },
  ): Step {
    const w = get(keyOf(i, o.name, 'weight'));
    const bias = o.bias ? get(keyOf(i, o.name, 'bias')).data : undefined;
    const { cin, cout, groups: g } = o;
    const [kh, kw] = o.k;
    const cig = cin / g;
    const cog = cout / g;
    // folded weights and bias, PyTorch [cout, cin/g, kh, kw]
    const wd = w.data;
    const scale = (oc: number) => (bn ? bn.scale[bn.offset + oc] : 1);
    const b = new Float32Array(cout);
    let hasBias = false;
    for (let oc = 0; oc < cout; oc++) {
      const v = (bias ? bias[oc] * scale(oc) : 0) + (bn ? bn.shift[bn.offset + oc] : 0);
      b[oc] = v;
      if (bias || bn) hasBias = true;
    }
    const fused = fusedAct(act);
    const post = fused ? undefined : act;
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [o.p[0], o.p[0]],
      [o.p[1], o.p[1]],
      [0, 0],
    ];
    const strides: [number, number] = o.s;
    const dil: [number, number] = o.d;
    if (o.s.some((v) => v > 1) && o.d.some((v) => v > 1))
      throw new Error(
        `layer ${i} ${o.name}: tfjs cannot run a convolution with both stride ${o.s} and dilation ${o.d} > 1`,
      );
    const activation: FusedAct = fused?.act ?? 'linear';
    const alpha = fused?.alpha;
    const finish = (y: T) => (post ? applyActDispose(y, post) : y);
    if (g === 1 && parts) {
      // one convolution per concatenated part, summed; bias and activation after the sum
      let off = 0;
      const filters = parts.cs.map((c) => {
        const f = new Float32Array(kh * kw * c * cout);
        for (let oc = 0; oc < cout; oc++) {
          const sc = scale(oc);
          for (let ic = 0; ic < c; ic++)
            for (let y = 0; y < kh; y++)
              for (let x = 0; x < kw; x++)
                f[((y * kw + x) * c + ic) * cout + oc] = wd[((oc * cin + off + ic) * kh + y) * kw + x] * sc;
        }
        off += c;
        return this.keep(tf.tensor4d(f, [kh, kw, c, cout]));
      });
      const bt = hasBias ? this.keep(tf.tensor1d(b)) : undefined;
      const last = filters.length - 1;
      return {
        ins: parts.ids,
        out,
        run: (xs) => {
          let acc: T | undefined;
          for (let k = 0; k <= last; k++) {
            const y = tf.fused.conv2d({
              x: xs[k] as T4,
              filter: filters[k],
              strides,
              pad,
              dilations: dil,
              bias: k === last ? bt : undefined,
            });
            if (acc) {
              const sum = tf.add(acc, y);
              acc.dispose();
              y.dispose();
              acc = sum;
            } else acc = y;
          }
          return act && act.type !== 'Identity' ? applyActDispose(acc!, act) : acc!;
        },
      };
    }
    if (g === 1) {
      const f = new Float32Array(kh * kw * cin * cout);
      for (let oc = 0; oc < cout; oc++) {
        const sc = scale(oc);
        for (let ic = 0; ic < cin; ic++)
          for (let y = 0; y < kh; y++)
            for (let x = 0; x < kw; x++)
              f[((y * kw + x) * cin + ic) * cout + oc] = wd[((oc * cin + ic) * kh + y) * kw + x] * sc;
      }
      const filter = this.keep(tf.tensor4d(f, [kh, kw, cin, cout]));
      const bt = hasBias ? this.keep(tf.tensor1d(b)) : undefined;
      return {
        ins: [o.x],
        out,
        run: ([x]) =>
          finish(
            tf.fused.conv2d({
              x: x as T4,
              filter,
              strides,
              pad,
              dilations: dil,
              bias: bt,
              activation,
              leakyreluAlpha: alpha,
            }),
          ),
      };
    }
    if (g === cin && cig === 1) {
      // depthwise: PyTorch out channel c*mult + m reads input c; tfjs the same order
      const mult = cout / cin;
      const f = new Float32Array(kh * kw * cin * mult);
      for (let c = 0; c < cin; c++)
        for (let m = 0; m < mult; m++) {
          const oc = c * mult + m;
          const sc = scale(oc);
          for (let y = 0; y < kh; y++)
            for (let x = 0; x < kw; x++) f[((y * kw + x) * cin + c) * mult + m] = wd[(oc * kh + y) * kw + x] * sc;
        }
      const filter = this.keep(tf.tensor4d(f, [kh, kw, cin, mult]));
      const bt = hasBias ? this.keep(tf.tensor1d(b)) : undefined;
      // tfjs depthwise takes only a symmetric number as padding
      const dpad = o.p[0] === o.p[1] ? o.p[0] : 0;
      const prepad = (x: T) => (o.p[0] === o.p[1] ? x : tf.pad(x, pad));
      return {
        ins: [o.x],
        out,
        run: ([x]) => {
          const xp = prepad(x) as T4;
          const y = tf.fused.depthwiseConv2d({
            x: xp,
            filter,
            strides,
            pad: dpad,
            dilations: dil,
            bias: bt,
            activation,
            leakyreluAlpha: alpha,
          });
          if (xp !== x) xp.dispose();
          return finish(y);
        },
      };
    }
    // general groups: one convolution per group
    const filters: tf.Tensor4D[] = [];
    const biases: (T | undefined)[] = [];
    for (let gi = 0; gi < g; gi++) {
      const f = new Float32Array(kh * kw * cig * cog);
      for (let q = 0; q < cog; q++) {
        const oc = gi * cog + q;
        const sc = scale(oc);
        for (let ic = 0; ic < cig; ic++)
          for (let y = 0; y < kh; y++)
            for (let x = 0; x < kw; x++)
              f[((y * kw + x) * cig + ic) * cog + q] = wd[((oc * cig + ic) * kh + y) * kw + x] * sc;
      }
      filters.push(this.keep(tf.tensor4d(f, [kh, kw, cig, cog])));
      biases.push(hasBias ? this.keep(tf.tensor1d(b.slice(gi * cog, (gi + 1) * cog))) : undefined);
    }
    return {
      ins: [o.x],
      out,
      run: ([x]) =>
        finish(
          tf.tidy(() => {
            const parts = tf.split(x, g, 3);
            return tf.concat(
              parts.map((p, gi) =>
                tf.fused.conv2d({
                  x: p as T4,
                  filter: filters[gi],
                  strides,
                  pad,
                  dilations: dil,
                  bias: biases[gi],
                  activation,
                  leakyreluAlpha: alpha,
                }),
              ),
              3,
            );
          }),
        ),
    };
  }

  private convTransposeStep(
    i: number,
    o: Extract<Op, { kind: 'convTranspose2d' }>,
    get: (k: string) => StateTensor,
  ): Step {
    const wd = get(keyOf(i, o.name, 'weight')).data; // [cin, cout/g, kh, kw]
    const bias = o.bias ? this.keep(tf.tensor1d(get(keyOf(i, o.name, 'bias')).data)) : undefined;
    const { cin, cout, groups: g } = o;
    const cig = cin / g;
    const cog = cout / g;
    const [kh, kw] = o.k;
    const [dh, dw] = o.d;
    const ekh = dh * (kh - 1) + 1;
    const ekw = dw * (kw - 1) + 1;
    const filters: tf.Tensor4D[] = [];
    for (let gi = 0; gi < g; gi++) {
      // tfjs conv2dTranspose filter [kh, kw, outC, inC]; dilation by spreading the kernel
      const f = new Float32Array(ekh * ekw * cog * cig);
      for (let ic = 0; ic < cig; ic++)
        for (let q = 0; q < cog; q++)
          for (let y = 0; y < kh; y++)
            for (let x = 0; x < kw; x++)
              f[((y * dh * ekw + x * dw) * cog + q) * cig + ic] = wd[(((gi * cig + ic) * cog + q) * kh + y) * kw + x];
      filters.push(this.keep(tf.tensor4d(f, [ekh, ekw, cog, cig])));
    }
    return {
      ins: [o.x],
      out: o.y,
      run: ([x]) =>
        tf.tidy(() => {
          const [, h, w] = x.shape as number[];
          const fh = (h - 1) * o.s[0] + ekh;
          const fw = (w - 1) * o.s[1] + ekw;
          const parts = g === 1 ? [x] : tf.split(x, g, 3);
          let y: T = tf.concat(
            parts.map((p, gi) => tf.conv2dTranspose(p as T4, filters[gi], [1, fh, fw, cog], o.s, 'valid')),
            3,
          );
          const oh = fh - 2 * o.p[0] + o.outPad[0];
          const ow = fw - 2 * o.p[1] + o.outPad[1];
          if (o.outPad[0] || o.outPad[1])
            y = tf.pad(y, [
              [0, 0],
              [0, o.outPad[0]],
              [0, o.outPad[1]],
              [0, 0],
            ]);
          if (o.p[0] || o.p[1] || o.outPad[0] || o.outPad[1])
            y = tf.slice(y, [0, o.p[0], o.p[1], 0], [1, oh, ow, cout]);
          return bias ? tf.add(y, bias) : y;
        }),
    };
  }

  private linearStep(i: number, o: Extract<Op, { kind: 'linear' }>, get: (k: string) => StateTensor): Step {
    const w = get(keyOf(i, o.name, 'weight')).data; // [cout, cin]
    const wt = this.keep(tf.tidy(() => tf.transpose(tf.tensor2d(w, [o.cout, o.cin]))));
    const b = o.bias ? this.keep(tf.tensor1d(get(keyOf(i, o.name, 'bias')).data)) : undefined;
    return {
      ins: [o.x],
      out: o.y,
      run: ([x]) =>
        tf.tidy(() => {
          const [, h, ww, c] = x.shape as number[];
          const y = tf.fused.matMul({ a: tf.reshape(x, [h * ww, c]) as tf.Tensor2D, b: wt as tf.Tensor2D, bias: b });
          return tf.reshape(y, [1, h, ww, o.cout]);
        }),
    };
  }

  private attentionStep(i: number, o: Extract<Op, { kind: 'attention' }>, get: (k: string) => StateTensor): Step {
    const E = o.embed;
    const H = o.heads;
    const d = E / H;
    const inW = get(keyOf(i, o.name, 'in_proj_weight')).data; // [3E, E]
    const inB = get(keyOf(i, o.name, 'in_proj_bias')).data;
    const proj = (k: number) => ({
      w: this.keep(tf.tidy(() => tf.transpose(tf.tensor2d(inW.slice(k * E * E, (k + 1) * E * E), [E, E])))),
      b: this.keep(tf.tensor1d(inB.slice(k * E, (k + 1) * E))),
    });
    const [pq, pk, pv] = [proj(0), proj(1), proj(2)];
    const owData = get(keyOf(i, `${o.name}.out_proj`, 'weight')).data;
    const ow = this.keep(tf.tidy(() => tf.transpose(tf.tensor2d(owData, [E, E]))));
    const ob = this.keep(tf.tensor1d(get(keyOf(i, `${o.name}.out_proj`, 'bias')).data));
    const scaling = 1 / Math.sqrt(d);
    return {
      ins: [o.q, o.k, o.v],
      out: o.y,
      run: ([q, k, v]) =>
        tf.tidy(() => {
          const [, h, w] = q.shape as number[];
          const L = h * w;
          const heads = (x: T, p: { w: T; b: T }) =>
            tf.transpose(
              tf.reshape(
                tf.fused.matMul({ a: tf.reshape(x, [L, E]) as tf.Tensor2D, b: p.w as tf.Tensor2D, bias: p.b }),
                [L, H, d],
              ),
              [1, 0, 2],
            ) as tf.Tensor3D;
          const Q = tf.mul(heads(q, pq), scaling) as tf.Tensor3D;
          const K = heads(k, pk);
          const V = heads(v, pv);
          const att = tf.softmax(tf.matMul(Q, K, false, true));
          const ctx = tf.reshape(tf.transpose(tf.matMul(att, V), [1, 0, 2]), [L, E]) as tf.Tensor2D;
          return tf.reshape(tf.fused.matMul({ a: ctx, b: ow as tf.Tensor2D, bias: ob }), [1, h, w, E]);
        }),
    };
  }

  // ------------------------------------------------------------ run

  /** Forward on an NHWC [1, H, W, C] float tensor (values 0..1). Returns tensors the caller disposes. */
  async forwardTensors(input: T, opts: ForwardOptions = {}): Promise<ForwardTensors> {
    if (this.disposed) throw new Error('the network was disposed');
    if (input.rank !== 4 || input.shape[0] !== 1 || input.shape[3] !== this.plan.analysis.inputChannels) {
      throw new Error(`the input must be [1, H, W, ${this.plan.analysis.inputChannels}] (NHWC), got [${input.shape}]`);
    }
    const want = new Set<number>(
      opts.layers === true
        ? this.plan.layers.filter((l) => l.i !== this.plan.head?.layer).map((l) => l.i)
        : opts.layers || [],
    );
    const outs: (T | undefined)[] = [];
    const result: ForwardTensors = { raw: [], layers: new Map(), sig: opts.hostDecode ? [] : undefined };
    const timings: LayerTiming[] | undefined = opts.timing ? [] : undefined;
    const sync = opts.timing && !['cpu', 'wasm'].includes(tf.getBackend());
    const nLayers = this.compiled.length;
    try {
      for (let li = 0; li < nLayers; li++) {
        const C = this.compiled[li];
        const L = C.layer;
        const t0 = timings ? performance.now() : 0;
        const env = new Map<number, T>();
        L.inputs.forEach((j, k) => env.set(L.inputIds[k], j === -1 ? input : outs[j]!));
        for (const s of C.steps) {
          const y = s.run(s.ins.map((id) => env.get(id)!));
          env.set(s.out, y);
          for (const id of s.free!) {
            env.get(id)?.dispose();
            env.delete(id);
          }
        }
        if (C.detect) {
          const xs = C.detect.xs.map((id) => env.get(id)!);
          if (opts.hostDecode) {
            // sigmoid levels in PyTorch layout; the box arithmetic is done on the host after download
            const keepRaw = opts.raw !== false || !!this.plan.head!.nm;
            tf.tidy(() => {
              xs.forEach((x) => {
                const [, hh, ww] = x.shape as number[];
                const r = tf.transpose(
                  tf.reshape(x, [1, hh, ww, this.plan.head!.na, this.plan.head!.no]),
                  [0, 3, 1, 2, 4],
                );
                result.sig!.push(tf.keep(tf.sigmoid(r)));
                if (keepRaw) result.raw.push(tf.keep(r));
              });
            });
          } else {
            const head = this.decode(xs);
            result.raw = head.raw;
            result.pred = head.pred;
          }
          for (const id of C.detect.xs) env.get(id)!.dispose();
          if (C.detect.proto !== undefined) result.proto = tf.transpose(env.get(C.detect.proto)!, [0, 3, 1, 2]);
          if (C.detect.proto !== undefined) env.get(C.detect.proto)!.dispose();
          outs[li] = undefined;
        } else {
          outs[li] = env.get(L.outId)!;
          if (want.has(li)) result.layers.set(li, outs[li]!);
        }
        if (timings) {
          if (sync && outs[li]) await outs[li]!.data();
          timings.push({ i: li, module: L.module, ms: performance.now() - t0 });
        }
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
      result.pred?.dispose();
      result.raw.forEach((t) => t.dispose());
      result.sig?.forEach((t) => t.dispose());
      result.proto?.dispose();
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
      for (const t of r.raw) raw.push(await grab(t));
      if (r.sig) {
        const sig: TensorData[] = [];
        for (const t of r.sig) sig.push(await grab(t));
        if (sig.length) out.pred = this.decodeHost(sig, raw);
      }
      if (opts.raw !== false) out.raw = raw;
      if (r.proto) out.proto = await grab(r.proto);
      for (const [i, t] of r.layers) {
        const nchw = tf.transpose(t, [0, 3, 1, 2]);
        t.dispose();
        out.layers.set(i, await grab(nchw));
      }
      out.ms = performance.now() - t0;
      return out;
    } finally {
      r.pred?.dispose();
      r.raw.forEach((t) => t.dispose());
      r.sig?.forEach((t) => t.dispose());
      r.proto?.dispose();
      r.layers.forEach((t) => t.dispose());
    }
  }

  /**
   * Eval-mode decoding on the host from sigmoid levels [1, na, h, w, no], in float32 as PyTorch:
   * xy = (s * 2 + grid) * stride with grid = index - 0.5; wh = (s * 2) ** 2 * anchor_grid; mask coefficients raw.
   */
  private decodeHost(sig: TensorData[], raw: TensorData[]): TensorData {
    const h = this.plan.head!;
    const f = Math.fround;
    const no = h.no;
    const nd = 5 + h.nc;
    const total = sig.reduce((a, t) => a + t.data.length, 0);
    const out = new Float32Array(total);
    let o = 0;
    sig.forEach((t, l) => {
      const [, na, hh, ww] = t.shape;
      const st = h.stride[l];
      const s = t.data;
      out.set(s, o);
      if (h.nm) {
        const rw = raw[l].data;
        for (let r = 0; r < na * hh * ww; r++) out.set(rw.subarray(r * no + nd, (r + 1) * no), o + r * no + nd);
      }
      for (let a = 0; a < na; a++) {
        const aw = f(this.anchorsPx[l][2 * a]);
        const ah = f(this.anchorsPx[l][2 * a + 1]);
        for (let y = 0; y < hh; y++) {
          const gy = f(y - 0.5);
          for (let x = 0; x < ww; x++) {
            const k = ((a * hh + y) * ww + x) * no;
            const p = o + k;
            out[p] = f(f(f(s[k] * 2) + f(x - 0.5)) * st);
            out[p + 1] = f(f(f(s[k + 1] * 2) + gy) * st);
            const w2 = f(s[k + 2] * 2);
            const h2 = f(s[k + 3] * 2);
            out[p + 2] = f(f(w2 * w2) * aw);
            out[p + 3] = f(f(h2 * h2) * ah);
          }
        }
      }
      o += s.length;
    });
    return { shape: [1, total / no, no], data: out };
  }

  /** YOLOv5's eval-mode Detect: raw levels in PyTorch layout and decoded predictions. */
  private decode(xs: T[]): { raw: T[]; pred: T } {
    const h = this.plan.head!;
    const nd = 5 + h.nc; // decoded channels; mask coefficients pass through
    return tf.tidy(() => {
      const raw: T[] = [];
      const preds: T[] = [];
      xs.forEach((x, l) => {
        const [, hh, ww] = x.shape as number[];
        const r = tf.transpose(tf.reshape(x, [1, hh, ww, h.na, h.no]), [0, 3, 1, 2, 4]);
        raw.push(r);
        const { Q, P, C } = this.grid(l, hh, ww);
        const box = h.nm ? tf.slice(r, [0, 0, 0, 0, 0], [1, h.na, hh, ww, nd]) : r;
        const s = tf.sigmoid(box);
        // xy = (2 s - 0.5 + grid) * stride ; wh = (2 s)^2 * anchor ; conf = s  as  s * (s * Q + P) + C
        let dec: T = tf.add(tf.mul(tf.add(tf.mul(s, Q), P), s), C);
        if (h.nm) dec = tf.concat([dec, tf.slice(r, [0, 0, 0, 0, nd], [1, h.na, hh, ww, h.nm])], 4);
        preds.push(tf.reshape(dec, [1, h.na * hh * ww, h.no]));
      });
      const pred = preds.length === 1 ? preds[0] : tf.concat(preds, 1);
      return { raw, pred };
    });
  }

  /** Decoding constants of level l at hh x ww: cached for the analysed size, else tidied with the run. */
  private grid(l: number, hh: number, ww: number) {
    return this.gridCache.get(`${l}:${hh}x${ww}`) ?? this.makeGrid(l, hh, ww, false);
  }

  private makeGrid(l: number, hh: number, ww: number, keep: boolean) {
    {
      const h = this.plan.head!;
      const nd = 5 + h.nc;
      const st = h.stride[l];
      const q = new Float32Array(h.na * nd);
      for (let a = 0; a < h.na; a++) {
        q[a * nd + 2] = 4 * this.anchorsPx[l][2 * a];
        q[a * nd + 3] = 4 * this.anchorsPx[l][2 * a + 1];
      }
      const p = new Float32Array(nd);
      p[0] = p[1] = 2 * st;
      for (let c = 4; c < nd; c++) p[c] = 1;
      const c = new Float32Array(hh * ww * nd);
      for (let y = 0; y < hh; y++)
        for (let x = 0; x < ww; x++) {
          c[(y * ww + x) * nd] = (x - 0.5) * st;
          c[(y * ww + x) * nd + 1] = (y - 0.5) * st;
        }
      const k = <X extends T>(t: X) => (keep ? tf.keep(t) : t);
      return { Q: k(tf.tensor(q, [1, h.na, 1, 1, nd])), P: k(tf.tensor1d(p)), C: k(tf.tensor(c, [1, 1, hh, ww, nd])) };
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
    for (const g of this.gridCache.values()) for (const t of [g.Q, g.P, g.C]) t.dispose();
    this.gridCache.clear();
  }
}

/** Channels of every value of a layer. */
/** Channels of every value of a layer (from the core's shapes). */
function channelsOf(L: PlanLayer): Map<number, number> {
  const ch = new Map<number, number>();
  for (const [id, shape] of L.shapes) ch.set(id, shape[0]);
  return ch;
}

function opInputs(o: Op): number[] {
  switch (o.kind) {
    case 'concat':
    case 'add':
    case 'mul':
      return o.xs;
    case 'attention':
      return [o.q, o.k, o.v];
    case 'detect':
      return o.proto !== undefined ? [...o.xs, o.proto] : o.xs;
    default:
      return [o.x];
  }
}

function fusedAct(a: ActSpec | undefined): { act: FusedAct; alpha?: number } | undefined {
  if (!a || a.type === 'Identity') return { act: 'linear' };
  switch (a.type) {
    case 'ReLU':
      return { act: 'relu' };
    case 'ReLU6':
      return { act: 'relu6' };
    case 'Sigmoid':
      return { act: 'sigmoid' };
    case 'LeakyReLU':
      return { act: 'leakyrelu', alpha: a.alpha ?? 0.01 };
    case 'ELU':
      return (a.alpha ?? 1) === 1 ? { act: 'elu' } : undefined;
    default:
      return undefined;
  }
}

function applyActDispose(x: T, a: ActSpec): T {
  const y = applyAct(x, a);
  if (y !== x) x.dispose();
  return y;
}

/** An activation as PyTorch computes it. */
export function applyAct(x: T, a: ActSpec): T {
  return tf.tidy(() => {
    switch (a.type) {
      case 'SiLU':
        return tf.mul(x, tf.sigmoid(x));
      case 'ReLU':
        return tf.relu(x);
      case 'ReLU6':
        return tf.relu6(x);
      case 'LeakyReLU':
        return tf.leakyRelu(x, a.alpha ?? 0.01);
      case 'Hardswish':
        return tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6);
      case 'Hardsigmoid':
        return tf.div(tf.relu6(tf.add(x, 3)), 6);
      case 'Sigmoid':
        return tf.sigmoid(x);
      case 'Tanh':
        return tf.tanh(x);
      case 'Mish':
        // softplus as PyTorch: x above 20
        return tf.mul(x, tf.tanh(tf.where(tf.greater(x, 20), x, tf.softplus(x))));
      case 'GELU':
        return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
      case 'ELU': {
        const al = a.alpha ?? 1;
        return al === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(tf.sub(tf.exp(x), 1), al));
      }
      default:
        return tf.clone(x);
    }
  });
}

function maxPool(x: T4, o: Extract<Op, { kind: 'maxPool' }>): T {
  const [kh, kw] = o.k;
  const simple =
    !o.ceil && o.d[0] === 1 && o.d[1] === 1 && o.p[0] === o.p[1] && o.p[0] <= Math.floor(Math.min(kh, kw) / 2);
  if (simple) return tf.maxPool(x, [kh, kw], o.s, o.p[0] === 0 ? 'valid' : o.p[0]);
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const out = (n: number, i: 0 | 1) => {
      const num = n + 2 * o.p[i] - o.d[i] * (o.k[i] - 1) - 1;
      let v = (o.ceil ? Math.ceil(num / o.s[i]) : Math.floor(num / o.s[i])) + 1;
      if (o.ceil && (v - 1) * o.s[i] >= n + o.p[i]) v--;
      return v;
    };
    const oh = out(h, 0);
    const ow = out(w, 1);
    const needH = (oh - 1) * o.s[0] + o.d[0] * (kh - 1) + 1;
    const needW = (ow - 1) * o.s[1] + o.d[1] * (kw - 1) + 1;
    const padded = tf.pad(
      x,
      [
        [0, 0],
        [o.p[0], Math.max(0, needH - h - o.p[0])],
        [o.p[1], Math.max(0, needW - w - o.p[1])],
        [0, 0],
      ],
      -3.4e38,
    );
    const y = tf.pool(padded, [kh, kw], 'max', 'valid', o.d, o.s);
    return tf.slice(y, [0, 0, 0, 0], [1, oh, ow, -1]);
  });
}

function zeroPad(x: T4, [l, r, t, b]: [number, number, number, number]): T {
  return tf.tidy(() => {
    let y: T = tf.pad(x, [
      [0, 0],
      [Math.max(t, 0), Math.max(b, 0)],
      [Math.max(l, 0), Math.max(r, 0)],
      [0, 0],
    ]);
    if (l < 0 || r < 0 || t < 0 || b < 0) {
      const [, h, w] = y.shape as number[];
      const t0 = Math.max(-t, 0);
      const l0 = Math.max(-l, 0);
      y = tf.slice(y, [0, t0, l0, 0], [1, h - t0 - Math.max(-b, 0), w - l0 - Math.max(-r, 0), -1]);
    }
    return y;
  });
}

/** Build the network of a plan with a state_dict (strictly loaded or initialised). */
export function buildNetwork(plan: ModelPlan, state: StateDict, opts?: NetworkOptions): Network {
  return new Network(plan, state, opts);
}

export { numel };
