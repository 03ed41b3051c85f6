/**
 * The instantiated inside of a layer: a tree of PyTorch modules (for parameters, module counts and
 * state_dict names) and a dataflow of primitive operations on [C, H, W] values (for shapes, FLOPs,
 * the tfjs network and the "look inside" view). Module descriptions (src/core/modules) build it
 * through a Scope; the same description serves every use.
 *
 * Long on purpose: Scope has one method per primitive operation (convolution, batch norm, attention, the heads'
 * decoding, ...), each the one place where that operation's shape rule, parameters, FLOPs and module-tree entries are
 * counted. The data a build produces (values, Op, module nodes) is dataflow.ts.
 */
import type { ArgType, ModuleSpec, ParseRule } from './custom/spec.ts';
import type { Category } from './modules/categories.ts';
import { LIMITS, type Limits } from './limits.ts';
import { MessageError, msg, type Message } from './messages/index.ts';
import { toJs, type Py } from './py.ts';
import type { Lang } from './text.ts';

export type { ArgType, ParseRule };
export * from './dataflow.ts';
import type { ActSpec, DecodeOp, ModNode, Note, Op, Pair, Shape, SharedAct, Value } from './dataflow.ts';

/** A construction or forward failure PyTorch itself would raise: the layer cannot be built. */
export class BuildError extends MessageError {
  /** `code` is the kind of problem (the diagnostic's code); the message says what exactly. */
  constructor(
    readonly code: string,
    said: Message,
  ) {
    super(said);
  }
}

export interface ArgSpec {
  name: string;
  type: ArgType;
  default?: Py;
  /** No default: PyTorch raises when it is missing. */
  required?: boolean;
  /** Help, in English. */
  doc?: string;
  /** Help in other languages. */
  docs?: Partial<Record<Lang, string>>;
}
/**
 * A module as the core uses it: compiled from a description (src/core/custom/interpret.ts) or, where the
 * format cannot express it yet, hand-written (src/core/modules/define.ts), and registered by a model family's
 * index under its Python path.
 */
export interface ModuleDef {
  /** Name as YOLOv5's parse_model evaluates it: 'Conv', 'nn.Upsample'. */
  name: string;
  /** Python class path YOLOv5 prints: models.common.Conv, torch.nn.modules.upsampling.Upsample. */
  torchPath: string;
  /** The palette's group and the nodes' colour (src/core/modules/categories.ts). */
  category: Category;
  /** One line, in English. */
  description: string;
  /** The description in other languages. */
  descriptions?: Partial<Record<Lang, string>>;
  args: ArgSpec[];
  parse: ParseRule;
  /** Takes a list of inputs (Concat, Detect). */
  multiInput?: boolean;
  /** Not offered in the palette (inner building blocks). */
  internal?: boolean;
  /** The arguments a new row of this module is written with (YAML flow list), when its parse rule's choice does not fit. */
  example?: string;
  /** The description it was compiled from (modules written as data): generated PyTorch code comes from it. */
  spec?: ModuleSpec;
  /** A built-in the model family does not ship (the seed's): exporting a model that uses it writes its class. */
  generated?: boolean;
  /** Build the inside. `a` holds the bound arguments (JS values; floats unwrapped). */
  build(s: Scope, a: Record<string, any>, xs: Value[]): Value;
}

export interface BuildOptions {
  /** 'graph' records ops and the module tree; 'summary' only counts. */
  mode: 'summary' | 'graph';
  defaultAct: ActSpec;
  resolve(name: string): ModuleDef | undefined;
  /** The work this build may do (shared by every layer of one model build); default: a fresh one. */
  budget?: WorkBudget;
  /**
   * Class attributes the framework sets before constructing the layer (Ultralytics' parse_model sets
   * `Detect.legacy`); modules read them here. Part of what a cached build depends on.
   */
  attrs?: Readonly<Record<string, unknown>>;
  /**
   * Summary mode: what sub-modules' builds added, to add again when the same module is built with the same
   * arguments and inputs (custom/sub-build.ts). Made by one context of the options above (cachedBuild's).
   */
  memo?: BuildMemo;
}

/** What a sub-module's build added to its layer's counts (summary mode), by module and then by what it read. */
export type BuildMemo = Map<ModuleDef, Map<string, SubBuild>>;
export interface SubBuild {
  shape: Shape;
  params: number;
  macs: number;
  modules: number;
  /** Shared instances the build used (each counted once per model). */
  shared: string[];
  work: number;
}

/**
 * The work one model build may do, whatever a file says: every module and value made and every loop step a
 * module description takes costs one step, and the build stops with a 'work-budget' error naming the module
 * it was building when the steps run out. It also knows which modules are being built inside which, and stops
 * modules nested deeper than LIMITS.moduleDepth ('module-depth'). One object passed through the Builder and
 * its Scopes (built-in modules and interpreted descriptions alike), shared by all layers of an analysis.
 */
export class WorkBudget {
  used = 0;
  /** Modules being built, outermost first. */
  readonly path: string[] = [];
  /** The error the budget ran out with (every later charge throws it again). */
  exhausted: BuildError | undefined;
  readonly limit: number;
  readonly depthLimit: number;
  /** All limits (a description's repeats, loop steps and list lengths too). */
  constructor(readonly limits: Limits = LIMITS) {
    this.limit = limits.work;
    this.depthLimit = limits.moduleDepth;
  }
  /** Spend `n` steps; throws a BuildError when the budget is spent. */
  charge(n = 1) {
    this.used += n;
    if (this.used <= this.limit) return;
    this.exhausted ??= new BuildError('work-budget', msg('work-budget', { where: this.where(), limit: this.limit }));
    throw this.exhausted;
  }
  /** Build module `name` inside the ones being built (for messages and the nesting limit). */
  within<T>(name: string, build: () => T): T {
    if (this.exhausted) throw this.exhausted;
    if (this.path.length >= this.depthLimit)
      throw new BuildError('module-depth', msg('module-depth', { where: this.where(), max: this.depthLimit }));
    this.path.push(name);
    try {
      return build();
    } finally {
      this.path.pop();
    }
  }
  /** 'module C (inside B inside A)'. */
  private where(): Message {
    const p = this.path;
    if (!p.length) return msg('where.model');
    const inner = p[p.length - 1];
    if (p.length === 1) return msg('where.module', { name: inner });
    // the modules around it, innermost first: 'B inside A'
    const outer = p
      .slice(0, -1)
      .map((name): Message => msg('where.last', { name }))
      .reduce((outside, m) => msg('where.chain', { name: (m.params as { name: string }).name, outer: outside }));
    return msg('where.nested', { name: inner, outer });
  }
}

/** Counters and records of one layer's build. */
export class Builder {
  params = 0;
  macs = 0;
  modules = 0;
  readonly shared = new Set<string>();
  readonly notes: Note[] = [];
  readonly ops: Op[] = [];
  /** The module path each op was made in ('m.0.' for a Bottleneck's shortcut add; '' the layer's own), graph mode. */
  readonly opScope = new Map<Op, string>();
  /** Every value's shape by id (graph mode). */
  readonly shapes = new Map<number, Shape>();
  nextId = 0;
  readonly graph: boolean;
  readonly budget: WorkBudget;
  /** Every shared instance a child took, in order, and how often note() and deepCopy() were called (sub-build.ts). */
  readonly sharedLog: string[] = [];
  noteCalls = 0;
  copies = 0;
  constructor(readonly opts: BuildOptions) {
    this.graph = opts.mode === 'graph';
    this.budget = opts.budget ?? new WorkBudget();
  }
  note(severity: Note['severity'], code: string, message: Message) {
    this.noteCalls++;
    const key = JSON.stringify(message);
    if (!this.notes.some((n) => n.code === code && JSON.stringify(n.message) === key))
      this.notes.push({ severity, code, message });
  }
}

const pair = (v: number | number[]): Pair => (Array.isArray(v) ? [v[0], v.length > 1 ? v[1] : v[0]] : [v, v]);
const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const convOut = (h: number, k: number, s: number, p: number, d: number) =>
  Math.floor((h + 2 * p - d * (k - 1) - 1) / s) + 1;

export function autopad(k: number | number[], p: number | number[] | null | undefined, d = 1): number | number[] {
  let kk = k;
  if (d > 1) kk = Array.isArray(k) ? k.map((x) => d * (x - 1) + 1) : d * (k - 1) + 1;
  if (p === null || p === undefined) return Array.isArray(kk) ? kk.map((x) => Math.floor(x / 2)) : Math.floor(kk / 2);
  return p;
}

function checkSize(part: Message, shape: Shape) {
  if (shape[1] <= 0 || shape[2] <= 0)
    throw new BuildError('size-vanishes', msg('size-vanishes', { part, height: shape[1], width: shape[2] }));
}

/** Where a module description adds modules, tensors and operations. */
export class Scope {
  constructor(
    readonly b: Builder,
    readonly node: ModNode | null,
    /** state_dict prefix of this module inside the layer ('' at the layer, 'cv1.' below). */
    readonly path: string,
    /** A second use of modules already built (shared weights): ops are emitted, nothing is counted twice. */
    readonly reused = false,
    /**
     * Inside a copy.deepcopy of modules: the copy holds its own instance of every shared activation (one per
     * copy), so Conv's default activation is counted again under this key.
     */
    readonly copyOf?: string,
    /**
     * 'idle': modules the eval forward never runs (parameters and modules count, FLOPs and operations do not);
     * 'opaque': the inside of one composite operation (FLOPs count; the composite op stands for its operations).
     */
    readonly quiet?: 'idle' | 'opaque',
  ) {}

  /** This scope as a deep copy of what it builds next (see copyOf). */
  deepCopy(tag: string): Scope {
    this.b.copies++;
    return new Scope(this.b, this.node, this.path, this.reused, `${this.path}${tag}`, this.quiet);
  }

  /** This scope for modules the eval forward never runs (see quiet). */
  unused(): Scope {
    return new Scope(this.b, this.node, this.path, this.reused, this.copyOf, 'idle');
  }

  /** This scope for the modules inside one composite operation (see quiet). */
  opaque(): Scope {
    return new Scope(this.b, this.node, this.path, this.reused, this.copyOf, this.quiet ?? 'opaque');
  }

  /** A child nn.Module (counted in YOLOv5's module count). */
  child(name: string, type: string, shared?: string): Scope {
    const b = this.b;
    b.budget.charge();
    if (this.reused) return new Scope(b, null, `${this.path}${name}.`, true, this.copyOf, this.quiet);
    if (shared) {
      b.shared.add(shared);
      b.sharedLog.push(shared);
    } else b.modules++;
    let node: ModNode | null = null;
    if (b.graph) {
      node = { type, name, children: [], tensors: [], ...(shared ? { shared } : {}) };
      this.node?.children.push(node);
    }
    return new Scope(b, node, `${this.path}${name}.`, false, this.copyOf, this.quiet);
  }

  tensor(name: string, shape: number[], kind: 'param' | 'buffer' = 'param', dtype?: 'int64', init?: number) {
    if (this.reused) return;
    if (kind === 'param') this.b.params += numel(shape);
    if (this.b.graph)
      this.node?.tensors.push({ name, shape, kind, ...(dtype ? { dtype } : {}), ...(init ? { init } : {}) });
  }

  value(shape: Shape): Value {
    this.b.budget.charge();
    const v = { id: this.b.nextId++, shape };
    if (this.b.graph) this.b.shapes.set(v.id, shape);
    return v;
  }

  op(o: Op) {
    if (this.b.graph && !this.quiet) {
      this.b.ops.push(o);
      this.b.opScope.set(o, this.path);
    }
  }

  /** Count multiply-accumulates (not for idle modules). */
  private count(macs: number) {
    if (this.quiet !== 'idle') this.b.macs += macs;
  }

  /** Report a problem that does not stop the build. */
  note(severity: Note['severity'], code: string, message: Message) {
    this.b.note(severity, code, message);
  }

  // ---- primitives with parameters ----

  conv2d(
    name: string,
    x: Value,
    o: {
      cin: number;
      cout: number;
      k: number | number[];
      s?: number | number[];
      p?: number | number[];
      d?: number | number[];
      groups?: number;
      bias?: boolean;
    },
    asSelf = false,
  ): Value {
    const k = pair(o.k);
    const s = pair(o.s ?? 1);
    const p = pair(o.p ?? 0);
    const d = pair(o.d ?? 1);
    const g = o.groups ?? 1;
    const { cin, cout } = o;
    checkChannels(cin, cout, g);
    this.checkSizes(msg('part.convolution'), k, s, p, d);
    if (k[0] < 1 || k[1] < 1 || s[0] < 1 || s[1] < 1 || d[0] < 1 || d[1] < 1 || p[0] < 0 || p[1] < 0) {
      throw new BuildError(
        'bad-conv',
        msg('conv-geometry', { kernel: String(k), stride: String(s), padding: String(p), dilation: String(d) }),
      );
    }
    this.expectChannels(x, cin);
    const m = asSelf ? this : this.child(name, 'Conv2d');
    m.tensor('weight', [cout, cin / g, k[0], k[1]]);
    if (o.bias) m.tensor('bias', [cout]);
    const shape = [cout, convOut(x.shape[1], k[0], s[0], p[0], d[0]), convOut(x.shape[2], k[1], s[1], p[1], d[1])];
    checkSize(msg('part.convolution'), shape);
    this.count((cin / g) * k[0] * k[1] * cout * shape[1] * shape[2]);
    const y = this.value(shape);
    this.op({
      kind: 'conv2d',
      name: asSelf ? this.path.slice(0, -1) : `${this.path}${name}`,
      x: x.id,
      y: y.id,
      cin,
      cout,
      k,
      s,
      p,
      d,
      groups: g,
      bias: !!o.bias,
    });
    return y;
  }

  convTranspose2d(
    name: string,
    x: Value,
    o: {
      cin: number;
      cout: number;
      k: number | number[];
      s?: number | number[];
      p?: number | number[];
      outPad?: number | number[];
      d?: number | number[];
      groups?: number;
      bias?: boolean;
    },
    moduleType = 'ConvTranspose2d',
    asSelf = false,
  ): Value {
    const k = pair(o.k);
    const s = pair(o.s ?? 1);
    const p = pair(o.p ?? 0);
    const op = pair(o.outPad ?? 0);
    const d = pair(o.d ?? 1);
    const g = o.groups ?? 1;
    const { cin, cout } = o;
    checkChannels(cin, cout, g);
    this.checkSizes(msg('part.transposed-convolution'), k, s, p, d);
    if (op[0] >= Math.max(s[0], d[0]) || op[1] >= Math.max(s[1], d[1]))
      throw new BuildError('bad-conv', msg('conv-output-padding', { outputPadding: String(op) }));
    this.expectChannels(x, cin);
    const m = asSelf ? this : this.child(name, moduleType);
    m.tensor('weight', [cin, cout / g, k[0], k[1]]);
    if (o.bias !== false) m.tensor('bias', [cout]);
    const shape = [
      cout,
      (x.shape[1] - 1) * s[0] - 2 * p[0] + d[0] * (k[0] - 1) + op[0] + 1,
      (x.shape[2] - 1) * s[1] - 2 * p[1] + d[1] * (k[1] - 1) + op[1] + 1,
    ];
    checkSize(msg('part.transposed-convolution'), shape);
    this.count(cin * x.shape[1] * x.shape[2] * (cout / g) * k[0] * k[1]);
    const y = this.value(shape);
    this.op({
      kind: 'convTranspose2d',
      name: asSelf ? this.path.slice(0, -1) : `${this.path}${name}`,
      x: x.id,
      y: y.id,
      cin,
      cout,
      k,
      s,
      p,
      outPad: op,
      d,
      groups: g,
      bias: o.bias !== false,
    });
    return y;
  }

  batchNorm(name: string, x: Value, c: number, asSelf = false): Value {
    this.expectChannels(x, c);
    const m = asSelf ? this : this.child(name, 'BatchNorm2d');
    m.tensor('weight', [c]);
    m.tensor('bias', [c]);
    m.tensor('running_mean', [c], 'buffer');
    m.tensor('running_var', [c], 'buffer');
    m.tensor('num_batches_tracked', [], 'buffer', 'int64');
    const y = this.value(x.shape);
    this.op({
      kind: 'batchNorm',
      name: asSelf ? this.path.slice(0, -1) : `${this.path}${name}`,
      x: x.id,
      y: y.id,
      c,
      eps: 1e-3,
    });
    return y;
  }

  /**
   * An activation module: `true` is Conv's shared default (SiLU unless the config sets `activation:`),
   * an ActSpec a module of its own, anything else nn.Identity (as Conv does for act=False).
   */
  act(name: string, x: Value, act: boolean | ActSpec | unknown, own?: SharedAct): Value {
    let spec: ActSpec;
    const copied = (key: string | undefined) => (key && this.copyOf ? `${this.copyOf}:${key}` : key);
    if (act === true) {
      spec = own?.spec ?? this.b.opts.defaultAct;
      this.child(name, spec.type, copied(own?.key ?? 'default_act'));
    } else if (isActSpec(act)) {
      spec = act;
      this.child(name, spec.type, copied(act.shared));
    } else {
      spec = { type: 'Identity' };
      this.child(name, 'Identity');
    }
    if (spec.type === 'Identity') return x;
    const y = this.value(x.shape);
    this.op({ kind: 'act', name: `${this.path}${name}`, x: x.id, y: y.id, act: spec });
    return y;
  }

  /** An nn.Identity module (GhostBottleneck's placeholders): counted, passes its input. */
  identity(name: string, x: Value): Value {
    this.child(name, 'Identity');
    return x;
  }

  linear(name: string, x: Value, cin: number, cout: number, bias: boolean): Value {
    this.expectChannels(x, cin);
    const m = this.child(name, 'Linear');
    m.tensor('weight', [cout, cin]);
    if (bias) m.tensor('bias', [cout]);
    this.count(cin * cout * x.shape[1] * x.shape[2]);
    const y = this.value([cout, x.shape[1], x.shape[2]]);
    this.op({ kind: 'linear', name: `${this.path}${name}`, x: x.id, y: y.id, cin, cout, bias });
    return y;
  }

  attention(name: string, q: Value, k: Value, v: Value, embed: number, heads: number): Value {
    if (embed % heads !== 0) throw new BuildError('bad-attention', msg('attention-heads', { width: embed, heads }));
    const m = this.child(name, 'MultiheadAttention');
    m.tensor('in_proj_weight', [3 * embed, embed]);
    m.tensor('in_proj_bias', [3 * embed]);
    const out = m.child('out_proj', 'NonDynamicallyQuantizableLinear');
    out.tensor('weight', [embed, embed]);
    out.tensor('bias', [embed]);
    // Not counted in FLOPs: YOLOv5's reference figures (hooks on Conv2d, ConvTranspose2d and Linear modules)
    // never see MultiheadAttention's packed projections, which it applies functionally.
    const y = this.value(q.shape);
    this.op({ kind: 'attention', name: `${this.path}${name}`, q: q.id, k: k.id, v: v.id, y: y.id, embed, heads });
    return y;
  }

  // ---- parameter-free modules ----

  maxPool(
    name: string,
    x: Value,
    o: {
      k: number | number[];
      s?: number | number[] | null;
      p?: number | number[];
      d?: number | number[];
      ceil?: boolean;
    },
    /** 'self': this module is the pool (nn.MaxPool2d as a row); 'function': F.max_pool2d, no module. */
    asSelf: boolean | 'function' = false,
  ): Value {
    const k = pair(o.k);
    const s = pair(o.s ?? o.k);
    const p = pair(o.p ?? 0);
    const d = pair(o.d ?? 1);
    this.checkSizes(msg('part.max-pooling'), k, s, p, d, 'bad-pool');
    if (p[0] > k[0] / 2 || p[1] > k[1] / 2)
      throw new BuildError(
        'bad-pool',
        msg('pool-padding', { part: msg('part.max-pooling'), padding: p[0], kernel: k[0] }),
      );
    if (k[0] < 1 || s[0] < 1 || s[1] < 1) throw new BuildError('bad-pool', msg('pool-geometry'));
    if (!asSelf) this.child(name, 'MaxPool2d');
    const out = (h: number, i: 0 | 1) => {
      const num = h + 2 * p[i] - d[i] * (k[i] - 1) - 1;
      let o2 = (o.ceil ? Math.ceil(num / s[i]) : Math.floor(num / s[i])) + 1;
      if (o.ceil && (o2 - 1) * s[i] >= h + p[i]) o2--;
      return o2;
    };
    const y = this.value([x.shape[0], out(x.shape[1], 0), out(x.shape[2], 1)]);
    checkSize(msg('part.max-pooling'), y.shape);
    this.op({
      kind: 'maxPool',
      name: asSelf === true ? this.path.slice(0, -1) : asSelf ? '' : `${this.path}${name}`,
      x: x.id,
      y: y.id,
      k,
      s,
      p,
      d,
      ceil: !!o.ceil,
    });
    return y;
  }

  upsample(name: string, x: Value, scale: Pair, mode: 'nearest' | 'bilinear', asSelf = false): Value {
    if (!asSelf) this.child(name, 'Upsample');
    const y = this.value([x.shape[0], Math.floor(x.shape[1] * scale[0]), Math.floor(x.shape[2] * scale[1])]);
    checkSize(msg('part.upsampling'), y.shape);
    this.op({
      kind: 'upsample',
      name: asSelf ? this.path.slice(0, -1) : `${this.path}${name}`,
      x: x.id,
      y: y.id,
      scale,
      mode,
    });
    return y;
  }

  cat(xs: Value[], axis = 0): Value {
    const first = xs[0].shape;
    for (const x of xs) {
      const differs = x.shape.length !== first.length || x.shape.some((v, k) => k !== axis && v !== first[k]);
      if (differs && !x.shape.some(Number.isNaN) && !first.some(Number.isNaN)) {
        throw new BuildError(
          'concat-size',
          axis === 0 && first.length === 3
            ? msg('concat-size', { sizes: xs.map((v) => `${v.shape[1]}x${v.shape[2]}`).join(', ') })
            : msg('concat-shapes', { shapes: xs.map((v) => fmt(v.shape)).join(', '), axis }),
        );
      }
    }
    const shape = [...first];
    shape[axis] = xs.reduce((a, v) => a + v.shape[axis], 0);
    const y = this.value(shape);
    this.op({ kind: 'concat', xs: xs.map((v) => v.id), y: y.id, ...(axis ? { axis } : {}) });
    return y;
  }

  /** `what` names the addition in messages; with `broadcast`, sizes of 1 in b stretch as in PyTorch (a bias of [C, 1, 1]). */
  add(a: Value, b: Value, what: Message = msg('part.residual'), broadcast = false): Value {
    if (broadcast) {
      if (a.shape.some((v, i) => b.shape[i] !== 1 && v !== b.shape[i] && !Number.isNaN(v + b.shape[i])))
        throw new BuildError('broadcast', msg('broadcast-shapes', { b: fmt(b.shape), a: fmt(a.shape) }));
      const y = this.value(a.shape);
      this.op({ kind: 'add', xs: [a.id, b.id], y: y.id });
      return y;
    }
    if (
      a.shape[0] !== b.shape[0] ||
      (a.shape[1] !== b.shape[1] && !Number.isNaN(a.shape[1] + b.shape[1])) ||
      (a.shape[2] !== b.shape[2] && !Number.isNaN(a.shape[2] + b.shape[2]))
    ) {
      throw new BuildError(
        'residual-mismatch',
        msg('residual-mismatch', {
          part: what,
          a: fmt(a.shape),
          b: fmt(b.shape),
        }),
      );
    }
    const y = this.value(a.shape);
    this.op({ kind: 'add', xs: [a.id, b.id], y: y.id });
    return y;
  }

  mul(a: Value, b: Value): Value {
    if (a.shape.some((v, i) => v !== b.shape[i] && v !== 1 && b.shape[i] !== 1 && !Number.isNaN(v + b.shape[i]))) {
      throw new BuildError('broadcast', msg('broadcast', { a: fmt(a.shape), b: fmt(b.shape) }));
    }
    const y = this.value(a.shape.map((v, i) => Math.max(v, b.shape[i])));
    this.op({ kind: 'mul', xs: [a.id, b.id], y: y.id });
    return y;
  }

  /** Indices [start, end) of an axis of x, the channels by default (torch.split / chunk pieces). */
  slice(x: Value, start: number, end: number, axis = 0): Value {
    const shape = [...x.shape];
    shape[axis] = end - start;
    const y = this.value(shape);
    this.op({ kind: 'slice', x: x.id, y: y.id, start, end, ...(axis ? { axis } : {}) });
    return y;
  }

  /** torch.split(x, sizes, dim=axis): pieces in order; the sizes must add up to the axis. */
  split(x: Value, sizes: number[], axis = 0): Value[] {
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== x.shape[axis] && !Number.isNaN(x.shape[axis]))
      throw new BuildError(
        'bad-split',
        msg('split-sizes', { sizes: sizes.join(', '), total: x.shape[axis], axis, shape: fmt(x.shape) }),
      );
    let at = 0;
    return sizes.map((n) => this.slice(x, at, (at += n), axis));
  }

  /** Row-major reshape; one size may be -1 (inferred). */
  reshape(x: Value, shape: number[]): Value {
    const n = numel(x.shape);
    const known = shape.filter((v) => v !== -1);
    const rest = n / numel(known);
    const out = shape.map((v) => (v === -1 ? rest : v));
    // an input of unknown size (a layer before failed) gives an unknown size, not a second error
    if (Number.isNaN(n)) return this.value(out);
    if (
      shape.filter((v) => v === -1).length > 1 ||
      out.some((v) => !Number.isInteger(v) || v < 0) ||
      (numel(out) !== n && !Number.isNaN(n))
    )
      throw new BuildError('bad-reshape', msg('reshape-view', { shape: fmt(x.shape), to: shape.join('x') }));
    const y = this.value(out);
    this.op({ kind: 'reshape', x: x.id, y: y.id, shape: out });
    return y;
  }

  /** Axes reordered: y.shape[i] = x.shape[dims[i]]. */
  permute(x: Value, dims: number[]): Value {
    if (dims.length !== x.shape.length || [...dims].sort().some((d, i) => d !== i))
      throw new BuildError('bad-reshape', msg('reshape-permute', { shape: fmt(x.shape), dims: dims.join(', ') }));
    const y = this.value(dims.map((d) => x.shape[d]));
    this.op({ kind: 'permute', x: x.id, y: y.id, dims });
    return y;
  }

  softmax(x: Value, axis: number): Value {
    const y = this.value(x.shape);
    this.op({ kind: 'softmax', x: x.id, y: y.id, axis: axis < 0 ? x.shape.length + axis : axis });
    return y;
  }

  /** (a or a^T) @ (b or b^T) over the last two axes; not counted in FLOPs. */
  matmul(a: Value, b: Value, transA = false, transB = false): Value {
    const r = a.shape.length;
    const [m, ka] = transA ? [a.shape[r - 1], a.shape[r - 2]] : [a.shape[r - 2], a.shape[r - 1]];
    const [kb, n] = transB ? [b.shape[r - 1], b.shape[r - 2]] : [b.shape[r - 2], b.shape[r - 1]];
    if (b.shape.length !== r || ka !== kb || a.shape.slice(0, r - 2).some((v, i) => v !== b.shape[i]))
      if (![...a.shape, ...b.shape].some(Number.isNaN))
        throw new BuildError('bad-matmul', msg('matmul-shapes', { a: fmt(a.shape), b: fmt(b.shape) }));
    const y = this.value([...a.shape.slice(0, r - 2), m, n]);
    this.op({ kind: 'matmul', xs: [a.id, b.id], y: y.id, transA, transB });
    return y;
  }

  scale(x: Value, factor: number, offset = 0): Value {
    const y = this.value(x.shape);
    this.op({ kind: 'scale', x: x.id, y: y.id, factor, ...(offset ? { offset } : {}) });
    return y;
  }

  /** A head's own decoding step (no parameters): `o` without its value ids, given the output shape. */
  decode(o: DecodeOp, shape: Shape): Value {
    const y = this.value(shape);
    this.op({ ...o, y: y.id } as Op);
    return y;
  }

  /** F.avg_pool2d: no module of its own. */
  avgPool(
    x: Value,
    o: {
      k: number | number[];
      s?: number | number[];
      p?: number | number[];
      ceil?: boolean;
      countIncludePad?: boolean;
    },
  ): Value {
    const k = pair(o.k);
    const s = pair(o.s ?? o.k);
    const p = pair(o.p ?? 0);
    if (p[0] > k[0] / 2 || p[1] > k[1] / 2)
      throw new BuildError(
        'bad-pool',
        msg('pool-padding', { part: msg('part.average-pooling'), padding: p[0], kernel: k[0] }),
      );
    const out = (h: number, i: 0 | 1) => {
      const num = h + 2 * p[i] - k[i];
      let v = (o.ceil ? Math.ceil(num / s[i]) : Math.floor(num / s[i])) + 1;
      if (o.ceil && (v - 1) * s[i] >= h + p[i]) v--;
      return v;
    };
    const y = this.value([x.shape[0], out(x.shape[1], 0), out(x.shape[2], 1)]);
    checkSize(msg('part.average-pooling'), y.shape);
    this.op({
      kind: 'avgPool',
      x: x.id,
      y: y.id,
      k,
      s,
      p,
      ceil: !!o.ceil,
      countIncludePad: o.countIncludePad !== false,
    });
    return y;
  }

  /** F.interpolate(x, size, mode='nearest'). */
  resize(x: Value, size: Pair): Value {
    const y = this.value([x.shape[0], size[0], size[1]]);
    this.op({ kind: 'resize', x: x.id, y: y.id, size });
    return y;
  }

  /** AdaptiveMaxPool2d / AdaptiveAvgPool2d to a size (no module of its own: the caller registers it). */
  adaptivePool(x: Value, op: 'max' | 'avg', size: Pair): Value {
    const y = this.value([x.shape[0], size[0], size[1]]);
    this.op({ kind: 'adaptivePool', x: x.id, y: y.id, op, size });
    return y;
  }

  /** (BN)ContrastiveHead (see the op); its two scalars are registered here. */
  contrastive(name: string, x: Value, text: Value, bn: boolean): Value {
    const m = this.child(name, bn ? 'BNContrastiveHead' : 'ContrastiveHead');
    const xin = bn ? m.batchNorm('norm', x, x.shape[0]) : x;
    m.tensor('bias', [1]);
    m.tensor('logit_scale', []);
    if (text.shape[0] !== x.shape[0] && !Number.isNaN(text.shape[0] + x.shape[0]))
      throw new BuildError(
        'channel-mismatch',
        msg('text-embedding-width', { width: text.shape[0], channels: x.shape[0] }),
      );
    const y = this.value([text.shape[1], x.shape[1], x.shape[2]]);
    this.op({ kind: 'contrastive', name: `${this.path}${name}`, x: xin.id, text: text.id, y: y.id, normalizeX: !bn });
    return y;
  }

  normalize(x: Value, axis: number): Value {
    const y = this.value(x.shape);
    this.op({ kind: 'normalize', x: x.id, y: y.id, axis });
    return y;
  }

  /** nn.LayerNorm(c) over the channels (axis 0) at every position. */
  layerNorm(name: string, x: Value, c: number, eps = 1e-5): Value {
    this.expectChannels(x, c);
    const m = this.child(name, 'LayerNorm');
    m.tensor('weight', [c]);
    m.tensor('bias', [c]);
    const y = this.value(x.shape);
    this.op({ kind: 'layerNorm', name: `${this.path}${name}`, x: x.id, y: y.id, c, eps });
    return y;
  }

  /** An nn.Parameter of this module (PyTorch's shape `torchShape`, every element `init` at first) read as a value of `shape`. */
  param(name: string, shape: number[], torchShape: number[] = shape, init = 0): Value {
    this.tensor(name, torchShape, 'param', undefined, init);
    const y = this.value(shape);
    this.op({ kind: 'param', name: `${this.path}${name}`, y: y.id, shape });
    return y;
  }

  /** A module with no effect at inference (nn.Dropout) or not used by the eval forward: counted, nothing run. */
  module(name: string, type: string, tensors: [string, number[]][] = []): Scope {
    const m = this.child(name, type);
    for (const [t, shape] of tensors) m.tensor(t, shape);
    return m;
  }

  /** AIFI's 2-D sin-cos position embedding for a [c, h, w] map (a constant). */
  posEmbed(c: number, h: number, w: number, temperature = 10000): Value {
    if (c % 4) throw new BuildError('bad-channels', msg('position-embedding-channels', { channels: c }));
    const y = this.value([c, h, w]);
    this.op({ kind: 'posEmbed', y: y.id, c, h, w, temperature });
    return y;
  }

  focus(x: Value): Value {
    if (x.shape[1] % 2 || x.shape[2] % 2)
      throw new BuildError('focus-odd', msg('focus-odd', { height: x.shape[1], width: x.shape[2] }));
    const y = this.value([x.shape[0] * 4, x.shape[1] / 2, x.shape[2] / 2]);
    this.op({ kind: 'focus', x: x.id, y: y.id });
    return y;
  }

  contract(x: Value, gain: number): Value {
    if (x.shape[1] % gain || x.shape[2] % gain)
      throw new BuildError('contract-size', msg('contract-size', { gain, height: x.shape[1], width: x.shape[2] }));
    const y = this.value([x.shape[0] * gain * gain, x.shape[1] / gain, x.shape[2] / gain]);
    this.op({ kind: 'contract', x: x.id, y: y.id, gain });
    return y;
  }

  expand(x: Value, gain: number): Value {
    if (x.shape[0] % (gain * gain))
      throw new BuildError('expand-size', msg('expand-size', { gain, divisor: gain * gain, channels: x.shape[0] }));
    const y = this.value([x.shape[0] / (gain * gain), x.shape[1] * gain, x.shape[2] * gain]);
    this.op({ kind: 'expand', x: x.id, y: y.id, gain });
    return y;
  }

  zeroPad(name: string, x: Value, pad: [number, number, number, number], asSelf = false): Value {
    if (!asSelf) this.child(name, 'ZeroPad2d');
    const y = this.value([x.shape[0], x.shape[1] + pad[2] + pad[3], x.shape[2] + pad[0] + pad[1]]);
    checkSize(msg('part.padding'), y.shape);
    this.op({
      kind: 'zeroPad',
      name: asSelf ? this.path.slice(0, -1) : `${this.path}${name}`,
      x: x.id,
      y: y.id,
      pad,
    });
    return y;
  }

  /** A registered module as a child (Conv inside C3, Bottleneck inside its Sequential). */
  call(name: string, module: string, args: unknown[], xs: Value[]): Value {
    const def = this.b.opts.resolve(module);
    if (!def) throw new BuildError('unknown-module', msg('unknown-inner-module', { name: module }));
    return this.b.budget.within(def.name, () => {
      const s = this.child(name, className(def));
      return def.build(s, bindArgs(def, args), xs);
    });
  }

  /** This scope for applying modules already built in it again: same weights, FLOPs counted again, nothing else. */
  reuse(): Scope {
    return new Scope(this.b, null, this.path, true, this.copyOf, this.quiet);
  }

  /** A function applied without a module of its own (torch.sigmoid(x), F.relu(x)). */
  fn(x: Value, act: ActSpec): Value {
    if (act.type === 'Identity') return x;
    const y = this.value(x.shape);
    this.op({ kind: 'act', name: '', x: x.id, y: y.id, act });
    return y;
  }

  /** Mean or max over an axis, keeping it with size 1 (global pooling, CBAM's channel pooling, CoordAtt's strips). */
  reduce(x: Value, op: 'mean' | 'max', axis: 'c' | 'h' | 'w' | 'hw'): Value {
    const [c, h, w] = x.shape;
    const y = this.value([
      axis === 'c' ? 1 : c,
      axis === 'h' || axis === 'hw' ? 1 : h,
      axis === 'w' || axis === 'hw' ? 1 : w,
    ]);
    this.op({ kind: 'reduce', x: x.id, y: y.id, op, axis });
    return y;
  }

  /** An nn.Sequential or nn.ModuleList container. */
  container(name: string, type: 'Sequential' | 'ModuleList' = 'Sequential'): Scope {
    return this.child(name, type);
  }

  /**
   * Kernel, stride, padding and dilation within LIMITS.kernel: a 10**9 kernel fits its own autopadding, but its
   * weight has 10**18 elements per channel pair, which PyTorch cannot allocate (nor anyone run).
   */
  checkSizes(what: Message, k: Pair, s: Pair, p: Pair, d: Pair, code = 'bad-conv') {
    const max = this.b.budget.limits.kernel;
    const big = [...k, ...s, ...p, ...d].find((v) => Math.abs(v) > max);
    if (big !== undefined)
      throw new BuildError(
        code,
        msg('size-beyond-image', {
          what,
          kernel: k.join('x'),
          stride: s.join('x'),
          padding: p.join('x'),
          dilation: d.join('x'),
          value: big,
          max,
        }),
      );
  }

  /** The input must have the channels the module was built for (PyTorch fails at forward otherwise). */
  expectChannels(x: Value, c: number) {
    if (x.shape[0] !== c)
      throw new BuildError('channel-mismatch', msg('channel-mismatch', { channels: c, got: x.shape[0] }));
  }
}

function checkChannels(cin: number, cout: number, g: number) {
  if (!Number.isInteger(cin) || !Number.isInteger(cout) || cin < 1 || cout < 1)
    throw new BuildError('bad-channels', msg('conv-channels', { in: cin, out: cout }));
  if (!Number.isInteger(g) || g < 1 || cin % g || cout % g)
    throw new BuildError('bad-groups', msg('conv-groups', { groups: g, in: cin, out: cout }));
}

export const fmt = (s: Shape) => s.map((v) => (Number.isNaN(v) ? '?' : String(v))).join('x');
export const className = (def: ModuleDef) => def.torchPath.slice(def.torchPath.lastIndexOf('.') + 1);
/** A config's module name without `nn.` / `torch.nn.` (how the registry keys it). */
export const bare = (name: string) => name.replace(/^(torch\.)?nn\./, '');

export function isActSpec(v: unknown): v is ActSpec {
  return typeof v === 'object' && v !== null && 'type' in v && typeof (v as ActSpec).type === 'string';
}

/** Bind positional arguments to a description's names, filling defaults (for calls inside descriptions). */
export function bindArgs(def: ModuleDef, args: unknown[]): Record<string, any> {
  const a: Record<string, any> = {};
  def.args.forEach((spec, i) => {
    a[spec.name] = i < args.length ? args[i] : spec.default === undefined ? undefined : toJs(spec.default);
  });
  return a;
}
