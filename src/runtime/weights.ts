/**
 * Weights for a plan: PyTorch-style initialisation (seeded), strict loading of a state_dict with
 * PyTorch's names, and transfer loading across edits. Pure (no tfjs): a StateDict is float32 arrays.
 */
import { isZip, readCheckpoint } from '../core/checkpoint/index.ts';
import { joinMessages, MessageError, msg, type Message } from '../core/messages/index.ts';
import { readSafetensors, toFloat32 } from './safetensors.ts';
import type { ExpectedTensor, ModelPlan } from './model.ts';

export interface StateTensor {
  shape: number[];
  data: Float32Array;
}
export type StateDict = Map<string, StateTensor>;

export interface LoadedWeights {
  state: StateDict;
  /** Class names from the file's metadata, when present. */
  names?: string[];
  metadata: Record<string, string>;
}

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);
const sameShape = (a: number[], b: number[]) =>
  (a.length === b.length && a.every((v, i) => v === b[i])) ||
  (numel(a) === 1 && numel(b) === 1 && a.length <= 1 && b.length <= 1);

/** Read a state_dict (all tensors as float32) and its class names: a .safetensors file, or a PyTorch .pt checkpoint. */
export function readStateDict(bytes: Uint8Array): LoadedWeights {
  if (isZip(bytes)) {
    const cp = readCheckpoint(bytes);
    return { state: cp.state(), names: cp.names, metadata: {} };
  }
  const f = readSafetensors(bytes);
  const state: StateDict = new Map();
  for (const [name, t] of f.tensors) state.set(name, { shape: t.shape, data: toFloat32(t) });
  let names: string[] | undefined;
  if (f.metadata.names) {
    try {
      const v = JSON.parse(f.metadata.names);
      if (Array.isArray(v)) names = v.map(String);
      else if (v && typeof v === 'object')
        names = Object.keys(v)
          .sort((a, b) => Number(a) - Number(b))
          .map((k) => String(v[k]));
    } catch {
      /* names stay unknown */
    }
  }
  return { state, names, metadata: f.metadata };
}

// ---------------------------------------------------------------- initialisation

/** Deterministic uniform generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * PyTorch's default initialisation of one tensor: Conv2d/Linear weights kaiming_uniform(a=sqrt(5)),
 * i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)), biases the same bound; BatchNorm weight 1, bias 0, running
 * statistics (0, 1); MultiheadAttention in_proj xavier_uniform, its biases 0.
 */
function initTensor(t: ExpectedTensor, fanIns: Map<string, number>, rand: () => number): Float32Array {
  const n = numel(t.shape);
  const out = new Float32Array(n);
  const base = t.key.slice(0, t.key.lastIndexOf('.') + 1);
  const uniform = (bound: number) => {
    for (let i = 0; i < n; i++) out[i] = (rand() * 2 - 1) * bound;
  };
  const leaf = t.name;
  // a description's learned parameter starts where it says (A2C2f's gamma: 0.01)
  if (t.init !== undefined) return out.fill(t.init);
  if (leaf === 'num_batches_tracked' || leaf === 'running_mean') return out;
  if (leaf === 'running_var') return out.fill(1);
  if (leaf === 'in_proj_weight') {
    const [fo, fi] = t.shape;
    uniform(Math.sqrt(6 / (fi + fo)));
    return out;
  }
  if (leaf === 'in_proj_bias' || (leaf === 'bias' && t.key.endsWith('out_proj.bias'))) return out;
  const isBn = fanIns.get(`${base}bn`) === -1;
  if (isBn) return leaf === 'weight' ? out.fill(1) : out;
  if (leaf === 'weight') {
    uniform(1 / Math.sqrt(fanIns.get(base) ?? 1));
    return out;
  }
  if (leaf === 'bias') {
    uniform(1 / Math.sqrt(fanIns.get(base) ?? 1));
    return out;
  }
  return out;
}

/** Which module each tensor prefix belongs to: fan-in for weights, -1 for batch norms. */
function moduleInfo(plan: ModelPlan): Map<string, number> {
  const m = new Map<string, number>();
  const byPrefix = new Map<string, ExpectedTensor[]>();
  for (const t of plan.tensors) {
    const base = t.key.slice(0, t.key.lastIndexOf('.') + 1);
    (byPrefix.get(base) ?? byPrefix.set(base, []).get(base)!).push(t);
  }
  for (const [base, ts] of byPrefix) {
    if (ts.some((t) => t.name === 'running_var')) {
      m.set(`${base}bn`, -1);
      continue;
    }
    const w = ts.find((t) => t.name === 'weight');
    if (w) {
      // Conv2d [out, in/g, k, k] and ConvTranspose2d [in, out/g, k, k] both take fan_in from dim 1
      m.set(base, w.shape.length > 1 ? w.shape.slice(1).reduce((a, b) => a * b, 1) : 1);
    }
  }
  return m;
}

/** YOLOv5's check_anchor_order: flip the levels when anchor areas run against the strides. */
export function anchorsPerStride(anchors: number[][], stride: number[]): number[][] {
  const a = anchors.map((lv, i) => lv.map((v) => v / stride[i]));
  const area = a.map((lv) => {
    let s = 0;
    for (let k = 0; k < lv.length; k += 2) s += lv[k] * lv[k + 1];
    return s / (lv.length / 2);
  });
  const da = area[area.length - 1] - area[0];
  const ds = stride[stride.length - 1] - stride[0];
  if (da && Math.sign(da) !== Math.sign(ds)) a.reverse();
  return a;
}

/** A freshly initialised state_dict (deterministic for a seed), as YOLOv5's Model() builds it. */
export function initStateDict(plan: ModelPlan, seed = 0, only?: (t: ExpectedTensor) => boolean): StateDict {
  const rand = rng(seed);
  const fanIns = moduleInfo(plan);
  const state: StateDict = new Map();
  for (const t of plan.tensors) {
    const data = initTensor(t, fanIns, rand);
    if (only && !only(t)) continue;
    state.set(t.key, { shape: t.shape.length ? [...t.shape] : [], data });
  }
  const h = plan.head;
  if (h) {
    const ak = `model.${h.layer}.anchors`;
    if (state.has(ak)) state.get(ak)!.data.set(anchorsPerStride(h.anchors, h.stride).flat());
    // Detect._initialize_biases: objectness for 8 objects per 640 image, class priors 0.6 / nc
    for (let lv = 0; lv < h.nl; lv++) {
      const b = state.get(`model.${h.layer}.m.${lv}.bias`);
      if (!b) continue;
      for (let a = 0; a < h.na; a++) {
        const o = a * h.no;
        b.data[o + 4] = Math.fround(b.data[o + 4] + Math.log(8 / (640 / h.stride[lv]) ** 2));
        for (let c = 0; c < h.nc; c++)
          b.data[o + 5 + c] = Math.fround(b.data[o + 5 + c] + Math.log(0.6 / (h.nc - 0.99999)));
      }
    }
  }
  return state;
}

// ---------------------------------------------------------------- loading

export interface TensorProblem {
  name: string;
  expected?: number[];
  actual?: number[];
}

export class WeightsError extends MessageError {
  constructor(
    said: Message,
    readonly missing: TensorProblem[],
    readonly unexpected: TensorProblem[],
    readonly misshaped: TensorProblem[],
  ) {
    super(said);
  }
}

const shp = (s?: number[]) => `[${(s ?? []).join(', ')}]`;

/**
 * Strict load: every tensor the model declares, with its shape, and nothing else. On any problem
 * throws a WeightsError naming every missing, extra and wrongly shaped tensor (loads nothing).
 */
export function loadStrict(plan: ModelPlan, file: StateDict): StateDict {
  const missing: TensorProblem[] = [];
  const misshaped: TensorProblem[] = [];
  const expected = new Set<string>();
  const out: StateDict = new Map();
  for (const t of plan.tensors) {
    expected.add(t.key);
    const got = file.get(t.key);
    if (!got) missing.push({ name: t.key, expected: t.shape });
    else if (!sameShape(got.shape, t.shape)) misshaped.push({ name: t.key, expected: t.shape, actual: got.shape });
    else out.set(t.key, got);
  }
  const unexpected = [...file.keys()]
    .filter((k) => !expected.has(k))
    .map((k) => ({ name: k, actual: file.get(k)!.shape }));
  if (missing.length || misshaped.length || unexpected.length) {
    const lines = [
      ...missing.map((p) => msg('weights-missing', { name: p.name, expected: shp(p.expected) })),
      ...unexpected.map((p) => msg('weights-unexpected', { name: p.name, actual: shp(p.actual) })),
      ...misshaped.map((p) =>
        msg('weights-misshaped', { name: p.name, expected: shp(p.expected), actual: shp(p.actual) }),
      ),
    ];
    const said = msg('weights-misfit', {
      missing: missing.length,
      unexpected: unexpected.length,
      misshaped: misshaped.length,
      problems: joinMessages(lines, 'list.lines'),
    });
    throw new WeightsError(said, missing, unexpected, misshaped);
  }
  return out;
}

export interface TransferReport {
  /** Tensors taken from the file: [file name, model name]. */
  loaded: { from: string; to: string }[];
  /** Model tensors initialised because the file has none of that name and shape. */
  initialised: string[];
  /** File tensors with a model name but a different shape (initialised instead). */
  misshaped: TensorProblem[];
  /** File tensors the model has no place for. */
  unused: string[];
}

/** Old layer index -> new index (undefined or -1: the layer was deleted). */
export type IndexMap = ((old: number) => number | undefined) | ArrayLike<number> | Map<number, number>;

function mapIndex(map: IndexMap | undefined, old: number): number | undefined {
  if (!map) return old;
  if (typeof map === 'function') return map(old);
  if (map instanceof Map) return map.get(old);
  const v = (map as ArrayLike<number>)[old];
  return v === undefined || v < 0 ? undefined : v;
}

/** The file's tensor names moved to the layer indices of the edited model. */
export function renameLayers(
  file: StateDict,
  map: IndexMap | undefined,
): Map<string, { from: string; t: StateTensor }> {
  const out = new Map<string, { from: string; t: StateTensor }>();
  for (const [k, t] of file) {
    const m = /^model\.(\d+)\.(.*)$/.exec(k);
    if (!m) {
      out.set(k, { from: k, t });
      continue;
    }
    const ni = mapIndex(map, Number(m[1]));
    if (ni === undefined || ni < 0) continue;
    out.set(`model.${ni}.${m[2]}`, { from: k, t });
  }
  return out;
}

/**
 * Transfer load (as YOLOv5 transfers pretrained weights): tensors matching by name (after moving layer
 * indices with `map`) and shape are loaded, the rest initialised (seeded); the report says what happened.
 * Anchors come from the config, as train.py excludes them (`keepAnchors` takes the file's instead).
 */
export function loadTransfer(
  plan: ModelPlan,
  file: StateDict,
  opts: { map?: IndexMap; seed?: number; keepAnchors?: boolean } = {},
): { state: StateDict; report: TransferReport } {
  const moved = renameLayers(file, opts.map);
  const report: TransferReport = { loaded: [], initialised: [], misshaped: [], unused: [] };
  const take = new Map<string, StateTensor>();
  const used = new Set<string>();
  for (const t of plan.tensors) {
    // train.py's intersect_dicts(exclude=['anchor']): a config's anchors win over the checkpoint's
    const got = !opts.keepAnchors && t.key.includes('anchor') ? undefined : moved.get(t.key);
    if (got && sameShape(got.t.shape, t.shape)) {
      take.set(t.key, got.t);
      used.add(got.from);
      report.loaded.push({ from: got.from, to: t.key });
    } else {
      if (got) {
        report.misshaped.push({ name: t.key, expected: t.shape, actual: got.t.shape });
        used.add(got.from);
      }
      report.initialised.push(t.key);
    }
  }
  report.unused = [...file.keys()].filter((k) => !used.has(k));
  const fresh = report.initialised.length ? initStateDict(plan, opts.seed ?? 0) : new Map();
  const state: StateDict = new Map();
  for (const t of plan.tensors) state.set(t.key, take.get(t.key) ?? fresh.get(t.key)!);
  return { state, report };
}

/** One line per kind, for the CLI and the app's log. */
export function describeTransfer(r: TransferReport): string {
  return [
    `${r.loaded.length} tensors loaded`,
    `${r.initialised.length} initialised${r.initialised.length ? ` (${r.initialised.slice(0, 5).join(', ')}${r.initialised.length > 5 ? ', ...' : ''})` : ''}`,
    `${r.misshaped.length} skipped for their shape${
      r.misshaped.length
        ? ` (${r.misshaped
            .slice(0, 5)
            .map((p) => `${p.name} ${shp(p.actual)} -> ${shp(p.expected)}`)
            .join(', ')})`
        : ''
    }`,
    `${r.unused.length} unused${r.unused.length ? ` (${r.unused.slice(0, 5).join(', ')}${r.unused.length > 5 ? ', ...' : ''})` : ''}`,
  ].join('; ');
}
