/**
 * Building a layer's inside (its module tree, operations, parameters, FLOPs and output shape) from its
 * resolved arguments, in summary mode (counts only, cached) or graph mode (for the runtime and the views).
 */
import {
  BuildError,
  Builder,
  Scope,
  className,
  type ActSpec,
  type ArgSpec,
  type BuildMemo,
  type ModNode,
  type ModuleDef,
  type Note,
  type Op,
  type Shape,
  type Value,
  WorkBudget,
} from '../graph.ts';
import { toJs } from '../py.ts';
import { defaultRegistry, type Registry } from '../registry.ts';
import type { LayerResult, ModelAnalysis } from './types.ts';
import { argToJs } from './values.ts';

export interface LayerBuild {
  out: Value;
  params: number;
  macs: number;
  modules: number;
  shared: string[];
  notes: Note[];
  detect?: LayerResult['detect'];
  error?: BuildError;
  /** Steps of the model's work budget the build took (charged again when a cached build is reused). */
  work?: number;
}

/** Build one layer (n copies in an nn.Sequential when n > 1). Exported for the runtime and the views. */
export function buildLayer(
  def: ModuleDef,
  args: unknown[],
  n: number,
  inputs: Shape[],
  opts: {
    mode: 'summary' | 'graph';
    defaultAct: ActSpec;
    registry?: Registry;
    budget?: WorkBudget;
    /** What the framework set before construction (Ultralytics' Detect.legacy). */
    attrs?: Readonly<Record<string, unknown>>;
    /** Summary mode: sub-module builds to reuse (custom/sub-build.ts). */
    memo?: BuildMemo;
  },
): LayerBuild & {
  root?: ModNode;
  ops: Op[];
  /** The module path each op was made in ('m.0.'; '' the layer's own). */
  opScope: Map<Op, string>;
  inputValues: Value[];
  shapes: Map<number, Shape>;
} {
  const registry = opts.registry ?? defaultRegistry;
  const b = new Builder({
    mode: opts.mode,
    defaultAct: opts.defaultAct,
    resolve: (name) => registry.get(name),
    budget: opts.budget,
    ...(opts.attrs ? { attrs: opts.attrs } : {}),
    ...(opts.memo ? { memo: opts.memo } : {}),
  });
  const rootNode: ModNode | null = b.graph
    ? { type: n > 1 ? 'Sequential' : className(def), name: '', children: [], tensors: [] }
    : null;
  const root = new Scope(b, rootNode, '');
  b.modules = 1;
  // the inputs and a failed output cost nothing (the budget may be spent already)
  const free = (shape: Shape): Value => {
    const v = { id: b.nextId++, shape };
    if (b.graph) b.shapes.set(v.id, shape);
    return v;
  };
  const xs = inputs.map(free);
  let out: Value;
  let error: BuildError | undefined;
  try {
    const bound = bindPositional(def.args, args);
    out = b.budget.within(def.name, () => {
      if (n <= 1) return def.build(root, bound, xs);
      let y = xs[0];
      for (let j = 0; j < n; j++) y = def.build(root.child(String(j), className(def)), bound, [y]);
      return y;
    });
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    error = e;
    out = free([NaN, NaN, NaN]);
  }
  const head = b.graph && b.ops.some((o) => o.kind === 'detect');
  return {
    out,
    params: b.params,
    macs: b.macs,
    modules: b.modules,
    shared: [...b.shared],
    notes: b.notes,
    error,
    detect: head ? { levels: [] } : undefined,
    root: rootNode ?? undefined,
    ops: b.ops,
    opScope: b.opScope,
    inputValues: xs,
    shapes: b.shapes,
  };
}

/**
 * Layer i of an analysed model built in graph mode (its module tree, operations and every value's shape),
 * exactly as the analysis resolved it: the runtime's network and the "look inside" view both use this.
 */
export function buildAnalyzedLayer(a: ModelAnalysis, i: number) {
  const layer = a.layers[i];
  if (!layer?.def || !layer.args) return null;
  const inputs = [
    ...layer.inputs.map((j) =>
      j === -1 ? [a.inputChannels, a.imgsz[0], a.imgsz[1]] : (a.layers[j]?.shape ?? [NaN, NaN, NaN]),
    ),
    ...(layer.sideInputs ?? []),
  ];
  return buildLayer(layer.def, (layer.buildArgs ?? layer.args).map(argToJs), layer.buildRepeats, inputs, {
    mode: 'graph',
    defaultAct: a.defaultAct,
    registry: a.registry,
    ...(a.limits ? { budget: new WorkBudget(a.limits) } : {}),
    ...(layer.attrs ? { attrs: layer.attrs } : {}),
  });
}

function bindPositional(specs: ArgSpec[], args: unknown[]): Record<string, any> {
  const bound: Record<string, any> = {};
  specs.forEach((spec, i) => {
    bound[spec.name] = i < args.length ? args[i] : spec.default === undefined ? undefined : toJs(spec.default);
  });
  return bound;
}

/** Cache of layer builds in summary mode, keyed by everything a build depends on. */
const summaryCache = new Map<string, LayerBuild>();
/** Sub-module builds kept for reuse (custom/sub-build.ts), one memo per context of build options. */
const memos = new Map<string, BuildMemo>();
/** Limits as a short key: equal limits, equal key (an analysis's limits are one object for all its layers). */
const limitKeys = new WeakMap<object, string>();
const limitIds = new Map<string, string>();
let limitCount = 0;
function limitsKey(limits: object): string {
  let k = limitKeys.get(limits);
  if (k === undefined) {
    const text = JSON.stringify(limits);
    k = limitIds.get(text);
    if (k === undefined) {
      if (limitIds.size >= 1000) limitIds.clear();
      limitIds.set(text, (k = `L${limitCount++}`));
    }
    limitKeys.set(limits, k);
  }
  return k;
}

/** Forget cached layer builds (benchmarks measure the cold path with it). */
export function clearBuildCache() {
  summaryCache.clear();
  memos.clear();
}

/**
 * A layer built in summary mode (counts and output shape), cached by everything the build depends on (the
 * registry by its version: a module library that changes makes a new one).
 */
export function cachedBuild(
  def: ModuleDef,
  args: unknown[],
  n: number,
  inputs: Shape[],
  defaultAct: ActSpec,
  registry: Registry,
  budget?: WorkBudget,
  attrs?: Readonly<Record<string, unknown>>,
): LayerBuild {
  // (a build that passed under raised limits is not reused under lower ones)
  const context = `${defaultAct.type}${defaultAct.alpha ?? ''}|${registry.version}|${attrs ? JSON.stringify(attrs) : ''}|${budget ? limitsKey(budget.limits) : ''}`;
  const key = `${def.name}|${n}|${JSON.stringify(args)}|${JSON.stringify(inputs)}|${context}`;
  const hit = summaryCache.get(key);
  if (hit) {
    // a build reused costs the model's budget what it cost when made: a file's work is the same either way
    if (budget && hit.work)
      try {
        budget.within(def.name, () => budget.charge(hit.work));
      } catch (e) {
        if (!(e instanceof BuildError)) throw e;
        return { ...hit, out: { id: 0, shape: [NaN, NaN, NaN] }, params: 0, macs: 0, modules: 0, error: e };
      }
    return hit;
  }
  let memo = memos.get(context);
  if (!memo) {
    if (memos.size >= 16) memos.clear();
    memos.set(context, (memo = new Map()));
  }
  const before = budget?.used ?? 0;
  const r = buildLayer(def, args, n, inputs, {
    mode: 'summary',
    defaultAct,
    registry,
    budget,
    memo,
    ...(attrs ? { attrs } : {}),
  });
  const made: LayerBuild = {
    out: r.out,
    params: r.params,
    macs: r.macs,
    modules: r.modules,
    shared: r.shared,
    notes: r.notes,
    error: r.error,
    work: (budget?.used ?? 0) - before,
  };
  // a build stopped by the budget depends on what the model spent before it: never reused
  if (r.error?.code !== 'work-budget') {
    if (summaryCache.size > 20000) summaryCache.clear();
    summaryCache.set(key, made);
  }
  return made;
}
