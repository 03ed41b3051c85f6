/**
 * A module description (spec.ts) compiled once into a ModuleDef: every expression is parsed and its names
 * resolved to slots when compiled, so a build only runs closures over a slot array. The build goes through
 * the same Scope as the hand-written modules (parameters, FLOPs, module tree, ops).
 *
 * Long on purpose: compiling a description is one pass over its nodes (expressions, repeats, loops, containers, checks)
 * whose steps share the slot table; reading a description is read-spec.ts, the primitives ops.ts.
 */
import {
  BuildError,
  autopad,
  bare,
  type ArgSpec,
  type ModuleDef,
  type Note,
  type Scope,
  type Value,
  type WorkBudget,
} from '../graph.ts';
import {
  PyEvalError,
  PyNameError,
  PySyntaxError,
  compileNode,
  evalPy,
  parseExpr,
  withFunctions,
  type CompiledExpr,
  type Meter,
  type PyFunction,
} from '../pyexpr.ts';
import { isPyModule, reprFloat, toJs, truthy, type Py } from '../py.ts';
import { LANGS, textIn, translations, type Lang, type Text } from '../text.ts';
import { errorMessage, msg } from '../messages/index.ts';
import { PRIMITIVES, actFromValue, bindTo, isPrimitive, type Primitive } from './ops.ts';
import type { ModuleCheck, ModuleNode, ModuleSpec } from './spec.ts';
import { buildChild } from './sub-build.ts';

/** Functions a description's expressions may call beyond the config's own: YOLOv5's autopad(k, p, d). */
const DESCRIPTION_FUNCTIONS: Record<string, PyFunction> = {
  autopad: ([k, p, d]) =>
    autopad(toJs(k ?? 1) as number | number[], toJs(p ?? null) as number | null, (toJs(d ?? 1) as number) ?? 1) as Py,
};
const FUNCTIONS = withFunctions(DESCRIPTION_FUNCTIONS);
export const DESCRIPTION_FUNCTION_NAMES = Object.keys(DESCRIPTION_FUNCTIONS);

export function defaultValue(text: string | undefined): Py | undefined {
  if (text === undefined) return undefined;
  try {
    return evalPy(text);
  } catch {
    return text;
  }
}

/** A value as a builder takes it: floats unwrapped, nn activations as ActSpecs. */
function argJs(v: unknown): unknown {
  if (isPyModule(v)) return actFromValue(v);
  if (Array.isArray(v)) return v.map(argJs);
  return toJs(v as Py);
}

/** A value as Python's str() prints it, for messages. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : reprFloat(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'object' && 'v' in v) return show((v as { v: number }).v);
  if (typeof v === 'object' && 'type' in v) return `${(v as { type: string }).type}()`;
  if (isPyModule(v)) return `${v.module.replace(/^nn\./, '')}()`;
  return String(v);
}

/** The ArgSpecs of a description's arguments. */
export function argSpecs(spec: Pick<ModuleSpec, 'args'>): ArgSpec[] {
  return spec.args.map((a) => {
    const d = defaultValue(a.default);
    const doc = a.doc === undefined ? (d === undefined ? 'required' : `default ${a.default}`) : textIn(a.doc);
    const docs = translations(a.doc);
    return {
      name: a.name,
      type: a.type ?? 'any',
      ...(d === undefined ? { required: true } : { default: d }),
      doc,
      ...(docs ? { docs } : {}),
    };
  });
}

// ---------------------------------------------------------------- compiling

/** Per-build state. */
interface Run {
  s: Scope;
  env: unknown[];
  values: Map<string, Value>;
  /** Modules built so far by attribute path: what a `use` applies again. */
  built: Map<string, { op: Op; args: unknown[]; kwargs?: Record<string, unknown> }>;
  containers: Map<string, Scope>;
  last: Value | undefined;
  /** The model build's work budget (graph.ts WorkBudget): nodes, loop steps and list elements are charged. */
  m: WorkBudget;
}

type Step = (r: Run) => void;
type Str = (env: unknown[], m?: Meter) => string;
/** An op: a primitive, or a module resolved by name in the registry of the build. */
type Op = { prim: Primitive; name: string } | { prim?: undefined; name: string };

class Compiler {
  readonly slots = new Map<string, number>();
  constructor(readonly spec: ModuleSpec) {}

  slotOf(name: string): number {
    let k = this.slots.get(name);
    if (k === undefined) this.slots.set(name, (k = this.slots.size));
    return k;
  }

  /** An expression, with the description's error messages (BuildError custom-expression). */
  expr(src: string, visible: Set<string>): CompiledExpr {
    const name = this.spec.name;
    let f: CompiledExpr;
    try {
      f = compileNode(
        parseExpr(src, { subscripts: true }),
        (n) => (visible.has(n) ? this.slots.get(n) : undefined),
        FUNCTIONS,
      );
    } catch (err) {
      const said = msg('custom.bad-expression', { module: name, src, problem: errorMessage(err) });
      return () => {
        throw new BuildError('custom-expression', said);
      };
    }
    return (env, m) => {
      try {
        return f(env, m);
      } catch (err) {
        if (err instanceof PyNameError)
          throw new BuildError(
            'custom-expression',
            msg('custom.undefined-name', { module: name, problem: errorMessage(err), src }),
          );
        if (err instanceof PyEvalError || err instanceof PySyntaxError)
          throw new BuildError(
            'custom-expression',
            msg('custom.bad-expression', { module: name, src, problem: errorMessage(err) }),
          );
        throw err;
      }
    };
  }

  /** A node argument: literals, expressions, lists of them; a bare name that is not defined stays a string. */
  value(v: Py, visible: Set<string>): (env: unknown[], m?: Meter) => unknown {
    if (Array.isArray(v)) {
      const items = v.map((x) => this.value(x, visible));
      return (env, m) => items.map((f) => f(env, m));
    }
    if (typeof v !== 'string') return () => v;
    const t = v.trim();
    if (/^[A-Za-z_]\w*$/.test(t) && !visible.has(t) && !['None', 'True', 'False'].includes(t)) return () => v;
    return this.expr(v, visible);
  }

  /** A string's text and {expr} parts, in order. */
  private parts(s: string, visible: Set<string>): (string | CompiledExpr)[] {
    const parts: (string | CompiledExpr)[] = [];
    let at = 0;
    for (const m of s.matchAll(/\{([^{}]+)\}/g)) {
      parts.push(s.slice(at, m.index));
      parts.push(this.expr(m[1], visible));
      at = m.index! + m[0].length;
    }
    parts.push(s.slice(at));
    return parts;
  }

  /** A string with {expr} parts. */
  template(s: string, visible: Set<string>): Str {
    if (!s.includes('{')) return () => s;
    const parts = this.parts(s, visible);
    return (env, m) => parts.map((p) => (typeof p === 'string' ? p : String(toJs(p(env, m))))).join('');
  }

  /** A message with {expr} parts filled as Python's str() prints them, in every language it has. */
  message(
    t: Text,
    visible: Set<string>,
  ): (env: unknown[], m?: Meter) => Partial<Record<Lang, string>> & { en: string } {
    const per = LANGS.map((l) => [l, typeof t === 'string' ? (l === 'en' ? t : undefined) : t[l]] as const).filter(
      (x): x is readonly [Lang, string] => x[1] !== undefined,
    );
    const compiled = per.map(([l, s]) => [l, this.parts(s, visible)] as const);
    return (env, m) => {
      const out: Partial<Record<Lang, string>> = {};
      for (const [l, parts] of compiled)
        out[l] = parts.map((p) => (typeof p === 'string' ? p : show(p(env, m)))).join('');
      return out as Partial<Record<Lang, string>> & { en: string };
    };
  }

  /** A loop's values: range(n), range(a, b) or a list expression (at most the budget's loopSteps of them). */
  loop(src: string, visible: Set<string>): (env: unknown[], budget: WorkBudget) => number[] {
    const m = /^\s*range\((.*)\)\s*$/.exec(src);
    const f = this.expr(m ? `[${m[1]}]` : src, visible);
    return (env, budget) => {
      const v = toJs(f(env, budget));
      if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x)))
        throw new BuildError('custom-expression', msg('custom.bad-loop', { src }));
      if (!m) return v as number[];
      const [a, b] = v.length === 1 ? [0, v[0] as number] : [v[0] as number, v[1] as number];
      if (b - a > budget.limits.loopSteps)
        throw new BuildError('custom-expression', msg('custom.long-loop', { steps: b - a }));
      return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
    };
  }

  check(c: ModuleCheck, visible: Set<string>): Step {
    const cond = this.expr(c.assert, visible);
    const words = this.message(c.message, visible);
    const severity = c.severity ?? 'error';
    const code = c.code ?? 'check-failed';
    const prefix = c.code === undefined ? `${this.spec.name}: ` : '';
    return (r) => {
      if (truthy(cond(r.env, r.m))) return;
      const said = words(r.env, r.m);
      const text = { en: prefix + said.en } as { en: string } & Partial<Record<Lang, string>>;
      for (const l of LANGS) if (l !== 'en' && said[l] !== undefined) text[l] = prefix + said[l];
      if (severity === 'error') throw new BuildError(code, msg('described', { text }));
      r.s.note(severity as Note['severity'], code, msg('described', { text }));
    };
  }

  op(name: string): Op {
    return isPrimitive(name) ? { prim: PRIMITIVES[name], name } : { name };
  }

  /** The body's nodes as steps. */
  nodes(nodes: ModuleNode[], visible: Set<string>): Step[] {
    return nodes.map((n) => this.node(n, visible));
  }

  node(node: ModuleNode, visible: Set<string>): Step {
    if (node.for) {
      const [[v, rangeExpr]] = Object.entries(node.for);
      const values = this.loop(String(rangeExpr), visible);
      const slot = this.slotOf(v);
      const inner = new Set([...visible, v]);
      const step = this.node({ ...node, for: undefined }, inner);
      return (r) => {
        r.m.charge();
        const saved = r.env[slot];
        for (const val of values(r.env, r.m)) {
          r.m.charge();
          r.env[slot] = val;
          step(r);
        }
        r.env[slot] = saved;
      };
    }
    const when = node.when !== undefined ? this.expr(node.when, visible) : null;
    const inner = this.inner(node, visible);
    // every node costs a step of the model's work budget
    return (r) => {
      r.m.charge();
      if (!when || truthy(when(r.env, r.m))) inner(r);
    };
  }

  inner(node: ModuleNode, visible: Set<string>): Step {
    const spec = this.spec;
    if (node.body) {
      const steps = this.nodes(node.body, visible);
      return (r) => {
        for (const st of steps) st(r);
      };
    }
    if (node.assert !== undefined)
      return this.check(
        { assert: node.assert, message: node.message ?? node.assert, code: node.code, severity: node.severity },
        visible,
      );
    if (node.id === undefined || (node.op === undefined && node.use === undefined)) {
      return () => {
        throw new BuildError('custom-node', msg('custom.node-needs-op', { module: spec.name }));
      };
    }
    const idOf = this.template(node.id, visible);
    const refs =
      node.in === undefined ? null : (Array.isArray(node.in) ? node.in : [node.in]).map((x) => this.ref(x, visible));
    const args = (node.args ?? []).map((a) => this.value(a, visible));
    const kwargs = node.kwargs
      ? Object.entries(node.kwargs).map(([k, v]) => [k, this.value(v, visible)] as const)
      : null;
    const nameOf = this.template(node.name ?? node.id, visible);
    const useOf = node.use !== undefined ? this.template(node.use, visible) : null;
    const repeat =
      node.repeat === undefined
        ? null
        : typeof node.repeat === 'number'
          ? () => node.repeat as number
          : this.expr(node.repeat, visible);
    const op = node.op !== undefined ? this.op(node.op) : null;
    const onValue = this.onValue;

    return (r) => {
      const id = idOf(r.env, r.m);
      const ins: Value[] = refs
        ? refs.flatMap((f) => f(r.env, r.m)).map((ref) => get(r, ref, id))
        : r.last
          ? [r.last]
          : [];
      const argv = args.map((f) => argJs(f(r.env, r.m)));
      const kw = kwargs ? Object.fromEntries(kwargs.map(([k, f]) => [k, argJs(f(r.env, r.m))])) : undefined;
      let out: Value | Value[];
      if (useOf) {
        const target = useOf(r.env, r.m);
        const prev = r.built.get(target);
        if (!prev)
          throw new BuildError('custom-ref', msg('custom.unbuilt-use', { module: spec.name, node: id, target }));
        const [own, leaf] = this.owner(r, target);
        out = apply(own.reuse(), leaf, prev.op, prev.args, prev.kwargs, ins, id, spec.name);
      } else {
        const name = nameOf(r.env, r.m);
        const [own, leaf] = this.owner(r, name);
        if (repeat) {
          const reps = Number(toJs(repeat(r.env, r.m) as Py));
          if (!Number.isInteger(reps) || reps < 0)
            throw new BuildError(
              'custom-expression',
              msg('custom.bad-repeat', { module: spec.name, node: id, got: String(reps) }),
            );
          const most = r.m.limits.repeats;
          if (reps > most)
            throw new BuildError(
              'too-many-repeats',
              msg('custom.too-many-repeats', { module: spec.name, node: id, n: reps, max: most }),
            );
          const seq = own.container(leaf, 'Sequential');
          let y = ins[0];
          for (let j = 0; j < reps; j++) y = apply(seq, String(j), op!, argv, kw, [y], id, spec.name) as Value;
          out = y;
        } else out = apply(own, leaf, op!, argv, kw, ins, id, spec.name);
        r.built.set(name, { op: op!, args: argv, kwargs: kw });
      }
      if (Array.isArray(out)) {
        out.forEach((v, k) => {
          r.values.set(`${id}.${k}`, v);
          onValue?.(`${id}.${k}`, v.shape);
        });
        r.last = out[out.length - 1];
      } else {
        r.values.set(id, out);
        onValue?.(id, out.shape);
        r.last = out;
      }
    };

    function get(r: Run, ref: string, id: string): Value {
      const v = r.values.get(ref);
      if (!v) throw new BuildError('custom-ref', msg('custom.undefined-ref', { module: spec.name, node: id, ref }));
      return v;
    }
  }

  onValue?: (id: string, shape: readonly number[]) => void;

  /** An input reference: a name (templated), or 'c{j} for j in range(n)' (several). */
  ref(src: string, visible: Set<string>): (env: unknown[], budget: WorkBudget) => string[] {
    const m = /^(.*) for (\w+) in (.+)$/.exec(src);
    if (!m) {
      const t = this.template(src, visible);
      return (env, budget) => [t(env, budget)];
    }
    const values = this.loop(m[3], visible);
    const slot = this.slotOf(m[2]);
    const t = this.template(m[1], new Set([...visible, m[2]]));
    return (env, budget) => {
      const saved = env[slot];
      const out = values(env, budget).map((v) => {
        budget.charge();
        env[slot] = v;
        return t(env, budget);
      });
      env[slot] = saved;
      return out;
    };
  }

  /** The scope that owns attribute path `name` ('convs.0' lives in container 'convs') and the last segment. */
  owner(r: Run, name: string): [Scope, string] {
    if (!name.includes('.')) return [r.s, name];
    const parts = name.split('.');
    let sc = r.s;
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts.slice(0, i + 1).join('.');
      let c = r.containers.get(key);
      if (!c) {
        c = sc.container(parts[i], this.spec.containers?.[key] ?? 'ModuleList');
        r.containers.set(key, c);
      }
      sc = c;
    }
    return [sc, parts[parts.length - 1]];
  }
}

/** One node's op: a primitive, or a registered module as a child (or as the module itself: `self`). */
function apply(
  s: Scope,
  name: string,
  op: Op,
  args: unknown[],
  kwargs: Record<string, unknown> | undefined,
  xs: Value[],
  id: string,
  owner: string,
  self = false,
): Value | Value[] {
  if (op.prim) {
    const a = bindTo(op.prim.args, args, kwargs, op.name);
    return op.prim.build({ s, name, self, a, xs, id, owner });
  }
  const def = s.b.opts.resolve(op.name);
  if (!def) throw new BuildError('unknown-module', msg('custom.unknown-module', { op: op.name }));
  const a =
    kwargs || args.length > def.args.length ? bindTo(moduleArgs(def), args, kwargs, op.name) : bindModule(def, args);
  if (self) return def.build(s, a, xs);
  // (the nesting of modules is counted and bounded as Scope.call counts it; an equal build is reused)
  return buildChild(s, def, name, a, xs, kwargs ? [args, kwargs] : [args]);
}

const argDefaults = new WeakMap<ModuleDef, { name: string; default?: unknown }[]>();
function moduleArgs(def: ModuleDef) {
  let a = argDefaults.get(def);
  if (!a) {
    a = def.args.map((x) => ({ name: x.name, default: x.default === undefined ? undefined : toJs(x.default) }));
    argDefaults.set(def, a);
  }
  return a;
}
function bindModule(def: ModuleDef, args: unknown[]): Record<string, unknown> {
  const names = moduleArgs(def);
  const a: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) a[names[i].name] = i < args.length ? args[i] : names[i].default;
  return a;
}

/**
 * Compile a description into a ModuleDef (its Python path models.common.NAME until a family's index
 * registers it under another). `onValue` is told every value a node makes (its id, templated for loops, and
 * its [C, H, W]), for the module editor.
 */
export function compileModule(
  spec: ModuleSpec,
  opts: { onValue?: (id: string, shape: readonly number[]) => void } = {},
): ModuleDef {
  const c = new Compiler(spec);
  c.onValue = opts.onValue;
  // A default argument that constructs a module (act=nn.ReLU()) is one instance, made when Python defines the
  // class and shared by every instance that leaves it: counted once per model.
  const args = argSpecs(spec).map((a) =>
    isPyModule(a.default) ? { ...a, default: { ...a.default, shared: `${spec.name}.${a.name}` } } : a,
  );
  for (const a of args) c.slotOf(a.name);
  // the body is compiled when the module is first built (a call that builds nothing, like --help, compiles nothing)
  const compileBody = () => {
    const visible = new Set(args.map((a) => a.name));
    const vars = (spec.vars ?? []).map(([k, e]) => {
      const f = c.expr(e, new Set(visible));
      const slot = c.slotOf(k);
      visible.add(k);
      return [slot, f] as const;
    });
    const checks = (spec.check ?? []).map((k) => c.check(k, new Set(visible)));
    const inChannels = spec.inChannels !== undefined ? c.expr(spec.inChannels, new Set(visible)) : null;
    const body = spec.base ? [] : c.nodes(spec.body, visible);
    const base = spec.base
      ? {
          op: c.op(spec.base.op),
          args: (spec.base.args ?? []).map((a) => c.value(a, visible)),
          kwargs: spec.base.kwargs
            ? Object.entries(spec.base.kwargs).map(([k, v]) => [k, c.value(v, visible)] as const)
            : null,
        }
      : null;
    return { vars, checks, inChannels, body, base };
  };
  let compiled: ReturnType<typeof compileBody> | undefined;
  const inputs = spec.inputs ?? ['x'];
  // an `ints` argument given one number is the list of it (SPP's k, as the built-ins always took it)
  const argSlots = args.map((a) => [a.name, c.slotOf(a.name), a.type === 'ints'] as const);
  const size = () => c.slots.size;
  const descriptions = translations(spec.description);

  return {
    name: spec.name,
    torchPath: `models.common.${bare(spec.name)}`,
    category: spec.category ?? 'custom',
    description: textIn(spec.description),
    ...(descriptions ? { descriptions } : {}),
    parse: spec.parse ?? 'channels',
    multiInput: inputs.length > 1,
    ...(spec.internal ? { internal: true } : {}),
    ...(spec.example !== undefined ? { example: spec.example } : {}),
    args,
    spec,
    build(s, a, xs) {
      const { vars, checks, inChannels, body, base } = (compiled ??= compileBody());
      const env: unknown[] = new Array(size());
      for (const [n, k, ints] of argSlots) {
        const v = a[n] ?? null;
        env[k] = ints && typeof v === 'number' ? [v] : v;
      }
      // every node, loop step and list element costs work from the model's budget (graph.ts WorkBudget)
      const m = s.b.budget;
      for (const [k, f] of vars) env[k] = f(env, m);
      const r: Run = { s, env, values: new Map(), built: new Map(), containers: new Map(), last: xs[0], m };
      for (const ch of checks) ch(r);
      if (inChannels) s.expectChannels(xs[0], Number(toJs(inChannels(env, m) as Py)));
      if (base) {
        const argv = base.args.map((f) => argJs(f(env, m)));
        const kw = base.kwargs ? Object.fromEntries(base.kwargs.map(([k, f]) => [k, argJs(f(env, m))])) : undefined;
        return apply(s, '', base.op, argv, kw, xs, spec.name, spec.name, true) as Value;
      }
      inputs.forEach((n, i) => r.values.set(n, xs[i] ?? xs[0]));
      for (const st of body) st(r);
      const y = spec.out !== undefined ? r.values.get(spec.out) : r.last;
      if (!y) {
        if (spec.out !== undefined)
          throw new BuildError(
            'custom-ref',
            msg('custom.undefined-ref', { module: spec.name, node: 'out', ref: spec.out }),
          );
        throw new BuildError('custom-ref', msg('custom.no-output', { module: spec.name }));
      }
      return y;
    },
  };
}
