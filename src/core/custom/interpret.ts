/** A custom module spec becomes a ModuleDef whose build interprets its nodes through the same Scope as the built-ins. */
import { BuildError, type ActSpec, type ArgSpec, type ModuleDef, type Pair, type Scope, type Value } from '../graph.ts';
import { PyNameError, evalPy } from '../pyexpr.ts';
import { isPyModule, toJs, truthy, type Py } from '../py.ts';
import type { CustomModuleSpec, CustomNode } from './spec.ts';

const ACT_TYPES = new Set([
  'SiLU',
  'ReLU',
  'ReLU6',
  'LeakyReLU',
  'Hardswish',
  'Hardsigmoid',
  'Sigmoid',
  'Tanh',
  'Mish',
  'GELU',
  'ELU',
]);
/** Functions (no module of their own) a body may use. */
export const CUSTOM_FUNCTIONS = [
  'pass',
  'add',
  'mul',
  'cat',
  'split',
  'chunk',
  'mean_c',
  'max_c',
  'sigmoid',
  'relu',
  'silu',
] as const;
/** torch.nn modules a body may use directly. */
export const CUSTOM_NN = [
  'nn.Conv2d',
  'nn.BatchNorm2d',
  'nn.Identity',
  'nn.MaxPool2d',
  'nn.AdaptiveAvgPool2d',
  'nn.AdaptiveMaxPool2d',
  'nn.Upsample',
  ...[...ACT_TYPES].map((a) => `nn.${a}`),
];

export function defaultValue(text: string | undefined): Py | undefined {
  if (text === undefined) return undefined;
  try {
    return evalPy(text);
  } catch {
    return text;
  }
}

/** Replace {expr} in a string with the expression's value. */
function template(s: string, scope: Record<string, Py>): string {
  return s.replace(/\{([^{}]+)\}/g, (_m, e: string) => String(toJs(evalPy(e, scope))));
}

/** `onValue`: told every value a node makes (its id, templated for loops, and its [C, H, W]), for the module editor. */
export function compileCustom(
  spec: CustomModuleSpec,
  opts: { onValue?: (id: string, shape: readonly number[]) => void } = {},
): ModuleDef {
  const args: ArgSpec[] = spec.args.map((a) => {
    const d = defaultValue(a.default);
    return {
      name: a.name,
      type: 'any',
      ...(d === undefined ? { required: true } : { default: d }),
      doc: d === undefined ? 'required' : `default ${a.default}`,
    };
  });
  const inputs = spec.inputs ?? ['x'];
  return {
    name: spec.name,
    torchPath: `models.common.${spec.name}`,
    family: spec.family ?? 'custom',
    description: spec.description,
    parse: spec.parse ?? 'channels',
    multiInput: inputs.length > 1,
    args,
    build(s, a, xs) {
      const scope: Record<string, Py> = {};
      for (const [k, v] of Object.entries(a)) scope[k] = (isActLike(v) ? null : (v as Py)) ?? null;
      const ev = (e: Py, sc: Record<string, Py> = scope): Py => {
        if (Array.isArray(e)) return e.map((x) => ev(x, sc));
        if (typeof e !== 'string') return e;
        try {
          return evalPy(e, sc);
        } catch (err) {
          // a bare unknown name stays a string, as parse_model's eval leaves 'nearest'
          if (err instanceof PyNameError && /^[A-Za-z_]\w*$/.test(e)) return e;
          if (err instanceof PyNameError)
            throw new BuildError('custom-expression', `${spec.name}: ${err.message} in '${e}'`);
          throw new BuildError('custom-expression', `${spec.name}: '${e}' ${(err as Error).message}`);
        }
      };
      for (const [k, e] of spec.vars ?? []) scope[k] = ev(e);
      for (const [e, msg] of spec.check ?? [])
        if (!truthy(ev(e))) throw new BuildError('check-failed', `${spec.name}: ${msg}`);

      const env = new Map<string, Value>();
      inputs.forEach((n, i) => env.set(n, xs[i] ?? xs[0]));
      const built = new Map<string, { op: string; args: Py[] }>();
      const containers = new Map<string, Scope>();
      let last: Value | undefined = xs[0];

      const get = (ref: string, id: string): Value => {
        const v = env.get(ref);
        if (!v)
          throw new BuildError(
            'custom-ref',
            `${spec.name}: node '${id}' reads '${ref}', which is not defined before it`,
          );
        return v;
      };
      /** The scope that owns attribute path `name` ('convs.0' lives in ModuleList 'convs') and the last segment. */
      const owner = (base: Scope, name: string): [Scope, string] => {
        const parts = name.split('.');
        let sc = base;
        for (let i = 0; i < parts.length - 1; i++) {
          const key = parts.slice(0, i + 1).join('.');
          let c = containers.get(key);
          if (!c) {
            c = sc.container(parts[i], 'ModuleList');
            containers.set(key, c);
          }
          sc = c;
        }
        return [sc, parts[parts.length - 1]];
      };

      const expandRefs = (items: string[], sc: Record<string, Py>): string[] =>
        items.flatMap((r) => {
          const m = /^(.*) for (\w+) in (.+)$/.exec(r);
          if (!m) return [template(r, sc)];
          return loopValues(m[3], (e) => ev(e, sc)).map((v) => template(m[1], { ...sc, [m[2]]: v }));
        });
      const runNodes = (nodes: CustomNode[], sc: Record<string, Py>) => {
        for (const node of nodes) {
          if (!node.for) {
            runNode(node, sc);
            continue;
          }
          const [[v, rangeExpr]] = Object.entries(node.for);
          for (const val of loopValues(String(rangeExpr), (e) => ev(e, sc)))
            runNode({ ...node, for: undefined }, { ...sc, [v]: val });
        }
      };
      const runNode = (node: CustomNode, sc: Record<string, Py>) => {
        if (node.when !== undefined && !truthy(ev(node.when, sc))) return;
        if (node.body) {
          runNodes(node.body, sc);
          return;
        }
        if (node.id === undefined || (node.op === undefined && node.use === undefined))
          throw new BuildError('custom-node', `${spec.name}: every node needs an id and an op (or use)`);
        const id = template(node.id, sc);
        const refs = node.in === undefined ? null : expandRefs(Array.isArray(node.in) ? node.in : [node.in], sc);
        const ins = refs ? refs.map((r) => get(r, id)) : last ? [last] : [];
        const nodeArgs = (node.args ?? []).map((x) => ev(x, sc));
        const name = template(node.name ?? node.id, sc);
        let out: Value | Value[];
        if (node.use !== undefined) {
          const target = template(node.use, sc);
          const prev = built.get(target);
          if (!prev)
            throw new BuildError(
              'custom-ref',
              `${spec.name}: node '${id}' uses module '${target}', which is not built before it`,
            );
          const [own, leaf] = owner(s, target);
          out = applyOp(own.reuse(), leaf, prev.op, prev.args, ins, id);
        } else {
          const [own, leaf] = owner(s, name);
          const reps = node.repeat === undefined ? 1 : Number(toJs(ev(node.repeat, sc)));
          if (reps > 1 || node.repeat !== undefined) {
            if (!Number.isInteger(reps) || reps < 0)
              throw new BuildError(
                'custom-expression',
                `${spec.name}: repeat of '${id}' must be a whole number, got ${reps}`,
              );
            const seq = own.container(leaf, 'Sequential');
            let y = ins[0];
            for (let j = 0; j < reps; j++) y = applyOp(seq, String(j), node.op!, nodeArgs, [y], id) as Value;
            out = y;
          } else out = applyOp(own, leaf, node.op!, nodeArgs, ins, id);
          built.set(name, { op: node.op!, args: nodeArgs });
        }
        if (Array.isArray(out)) {
          out.forEach((v, k) => {
            env.set(`${id}.${k}`, v);
            opts.onValue?.(`${id}.${k}`, v.shape);
          });
          last = out[out.length - 1];
        } else {
          env.set(id, out);
          opts.onValue?.(id, out.shape);
          last = out;
        }
      };

      runNodes(spec.body, scope);
      const outRef = spec.out ?? undefined;
      const y = outRef ? get(outRef, 'out') : last;
      if (!y) throw new BuildError('custom-ref', `${spec.name}: the body produces no output`);
      return y;
    },
  };
}

/** The values of a loop: range(n), range(a, b) or a list expression. */
function loopValues(expr: string, ev: (e: Py) => Py): number[] {
  const m = /^\s*range\((.*)\)\s*$/.exec(expr);
  const v = toJs(ev(m ? `[${m[1]}]` : expr));
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x)))
    throw new BuildError('custom-expression', `a loop runs over range(n) or a list of whole numbers, got '${expr}'`);
  if (!m) return v as number[];
  const [a, b] = v.length === 1 ? [0, v[0] as number] : [v[0] as number, v[1] as number];
  if (b - a > 10000) throw new BuildError('custom-expression', `a loop of ${b - a} steps is too long`);
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

function isActLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'type' in v;
}

const num = (v: Py | undefined, d: number): number => {
  const x = toJs(v ?? d);
  return typeof x === 'number' ? x : d;
};
const intOrPair = (v: Py | undefined, d: number): number | number[] => {
  const x = toJs(v ?? d);
  return Array.isArray(x) ? (x as number[]) : typeof x === 'number' ? x : d;
};

function actSpec(type: string, args: Py[]): ActSpec {
  const spec: ActSpec = { type: type as ActSpec['type'] };
  if (type === 'LeakyReLU') spec.alpha = num(args[0], 0.01);
  if (type === 'ELU') spec.alpha = num(args[0], 1);
  return spec;
}

/** One node's op: a function, a torch.nn module, or a registered module. */
function applyOp(s: Scope, name: string, op: string, args: Py[], xs: Value[], id: string): Value | Value[] {
  const x = xs[0];
  const need = (n: number) => {
    if (xs.length < n) throw new BuildError('custom-ref', `'${id}' (${op}) needs ${n} input${n > 1 ? 's' : ''}`);
  };
  switch (op) {
    case 'pass':
      need(1);
      return x;
    case 'add':
      need(2);
      return xs.slice(1).reduce((acc, v) => s.add(acc, v, `'${id}'`), x);
    case 'mul':
      need(2);
      return xs.slice(1).reduce((acc, v) => s.mul(acc, v), x);
    case 'cat':
      need(1);
      return s.cat(xs);
    case 'split': {
      need(1);
      const a = toJs(args[0] ?? null);
      const sizes: number[] = Array.isArray(a) ? (a as number[]) : [];
      if (!Array.isArray(a)) {
        const size = Number(a);
        if (!(size > 0)) throw new BuildError('custom-expression', `'${id}': split needs a chunk size above 0`);
        for (let c = 0; c < x.shape[0]; c += size) sizes.push(Math.min(size, x.shape[0] - c));
      }
      if (sizes.reduce((p, c) => p + c, 0) !== x.shape[0])
        throw new BuildError(
          'custom-expression',
          `'${id}': split sizes ${sizes.join(', ')} do not add up to ${x.shape[0]} channels`,
        );
      let at = 0;
      return sizes.map((n) => s.slice(x, at, (at += n)));
    }
    case 'chunk': {
      need(1);
      const n = num(args[0], 2);
      const size = Math.ceil(x.shape[0] / n);
      const out: Value[] = [];
      for (let c = 0; c < x.shape[0]; c += size) out.push(s.slice(x, c, Math.min(c + size, x.shape[0])));
      return out;
    }
    case 'mean_c':
      return s.reduce(x, 'mean', 'c');
    case 'max_c':
      return s.reduce(x, 'max', 'c');
    case 'sigmoid':
      return s.fn(x, { type: 'Sigmoid' });
    case 'relu':
      return s.fn(x, { type: 'ReLU' });
    case 'silu':
      return s.fn(x, { type: 'SiLU' });
    case 'nn.Conv2d': {
      const [c1, c2, k, st, p, d, g, bias] = args;
      return s.conv2d(name, x, {
        cin: num(c1, NaN),
        cout: num(c2, NaN),
        k: intOrPair(k, 1),
        s: intOrPair(st, 1),
        p: intOrPair(p, 0),
        d: intOrPair(d, 1),
        groups: num(g, 1),
        bias: bias === undefined ? true : truthy(bias),
      });
    }
    case 'nn.BatchNorm2d':
      return s.batchNorm(name, x, num(args[0], x.shape[0]));
    case 'nn.Identity':
      return s.identity(name, x);
    case 'nn.MaxPool2d':
      return s.maxPool(name, x, {
        k: intOrPair(args[0], 2),
        s: args[1] === undefined || args[1] === null ? undefined : intOrPair(args[1], 1),
        p: intOrPair(args[2], 0),
      });
    case 'nn.AdaptiveAvgPool2d':
    case 'nn.AdaptiveMaxPool2d': {
      const o = toJs(args[0] ?? 1);
      const mode = op === 'nn.AdaptiveAvgPool2d' ? 'mean' : 'max';
      const axis =
        o === 1 || (Array.isArray(o) && o[0] === 1 && o[1] === 1)
          ? 'hw'
          : Array.isArray(o) && o[0] === null && o[1] === 1
            ? 'w'
            : Array.isArray(o) && o[0] === 1 && o[1] === null
              ? 'h'
              : null;
      if (!axis) throw new BuildError('custom-expression', `'${id}': ${op} supports output 1, (None, 1) or (1, None)`);
      s.child(name, op.slice(3));
      return s.reduce(x, mode, axis);
    }
    case 'nn.Upsample': {
      const f = toJs(args[1] ?? 2);
      const scale: Pair = Array.isArray(f) ? [Number(f[0]), Number(f[1])] : [Number(f), Number(f)];
      return s.upsample(name, x, scale, (args[2] as 'nearest' | 'bilinear') ?? 'nearest');
    }
  }
  if (op.startsWith('nn.') && ACT_TYPES.has(op.slice(3))) return s.act(name, x, actSpec(op.slice(3), args));
  return s.call(
    name,
    op,
    args.map((v) => (isPyModule(v) ? actSpec(v.module.slice(3), [...v.args]) : toJs(v))),
    xs,
  );
}
