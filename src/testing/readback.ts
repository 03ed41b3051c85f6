/**
 * Reads back the generated Python (our own restricted format, not Python at large) into the module tree
 * PyTorch would build: each class's __init__ run for given arguments, giving module names, types and
 * parameter shapes. Tests compare it with the core's numbers and with YOLOv5's own reference figures, so the
 * generated code is checked by structure without PyTorch. YOLOv5's own classes (Conv, C3, ...) come from the
 * core's descriptions, which the reference tests already hold to YOLOv5's figures.
 *
 * One file on purpose: the reader of the generator's own restricted Python, whose statements, expressions and __init__
 * calls share one scope.
 */
import { buildLayer } from '../core/propagate.ts';
import type { ModNode, ModuleDef, Shape, TensorDecl } from '../core/graph.ts';
import { evalPy } from '../core/pyexpr.ts';
import { ACTS } from '../core/parse-model/values.ts';
import { PRIMITIVES } from '../core/custom/ops.ts';

/** Generated expressions may index lists (a description's `k[i]`). */
const SUB = { subscripts: true };
import { toJs, truthy, type Py } from '../core/py.ts';
import type { Registry } from '../core/registry.ts';

interface PyClass {
  name: string;
  params: { name: string; default?: string }[];
  forwardParam: string;
  init: string[];
  forward: string[];
}

/** Split a Python argument list at its top-level commas. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === '\\') {
        cur += ch + s[++i];
        continue;
      }
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export function parseClasses(py: string): Map<string, PyClass> {
  const classes = new Map<string, PyClass>();
  let cls: PyClass | null = null;
  let part: 'init' | 'forward' | null = null;
  for (const line of py.split('\n')) {
    const c = /^class (\w+)\(nn\.Module\):$/.exec(line);
    if (c) {
      cls = { name: c[1], params: [], forwardParam: 'x', init: [], forward: [] };
      classes.set(c[1], cls);
      part = null;
      continue;
    }
    if (!cls) continue;
    const d = /^ {4}def (__init__|forward)\(self(?:, (.*))?\):$/.exec(line);
    if (d) {
      part = d[1] === '__init__' ? 'init' : 'forward';
      if (part === 'init') {
        cls.params = splitArgs(d[2] ?? '').map((p) => {
          const eq = p.indexOf('=');
          return eq < 0 ? { name: p } : { name: p.slice(0, eq), default: p.slice(eq + 1) };
        });
      } else cls.forwardParam = d[2] ?? 'x';
      continue;
    }
    if (/^\S/.test(line)) {
      part = null;
      continue;
    }
    if (part && line.trim()) cls[part].push(line);
  }
  return classes;
}

const indentOf = (l: string) => l.length - l.trimStart().length;

/** What a module of the tree is, for running its forward on shapes. */
type Inst =
  | { kind: 'gen'; cls: string; attrs: Record<string, Py> }
  | { kind: 'nn'; cls: string; args: Py[] }
  | { kind: 'core'; def: ModuleDef; args: unknown[] }
  | { kind: 'seq' };

/** A value in forward: a shape [C, H, W], or the pieces of a split. */
type Val = Shape | Val[];
const isPieces = (v: Val): v is Val[] => Array.isArray(v[0]);

/** Builds module trees from the generated classes, and runs their forward on shapes. */
export class Readback {
  readonly classes: Map<string, PyClass>;
  private readonly inst = new WeakMap<ModNode, Inst>();
  constructor(
    py: string,
    private readonly registry: Registry,
  ) {
    this.classes = parseClasses(py);
  }

  /** The module tree of `Class(*args)`. */
  build(cls: string, args: Py[], name = ''): ModNode {
    const c = this.classes.get(cls);
    if (!c) throw new Error(`no class ${cls} in the generated file`);
    const scope: Record<string, Py> = {};
    c.params.forEach((p, i) => {
      if (i < args.length) scope[p.name] = args[i];
      else if (p.default !== undefined) scope[p.name] = evalPy(p.default);
      else throw new Error(`${cls}() missing argument ${p.name}`);
    });
    const node: ModNode = { type: cls, name, children: [], tensors: [] };
    const attrs: Record<string, Py> = {};
    this.inst.set(node, { kind: 'gen', cls, attrs });
    this.run(c.init, 0, c.init.length, scope, node, cls, attrs);
    return node;
  }

  private ev(src: string, scope: Record<string, Py>): Py {
    // f-strings (setattr names): evaluate each {expr}
    const f = /^f'(.*)'$/.exec(src);
    if (f) return f[1].replace(/\{([^{}]+)\}/g, (_m, e: string) => String(toJs(evalPy(e, scope, SUB))));
    const s = /^str\((.*)\)$/.exec(src);
    if (s) return String(toJs(this.ev(s[1], scope)));
    return evalPy(src, scope, SUB);
  }

  /** Run lines [from, to) of a block (all at the same indentation). */
  private run(
    lines: string[],
    from: number,
    to: number,
    scope: Record<string, Py>,
    self: ModNode,
    cls: string,
    attrs: Record<string, Py>,
  ) {
    let i = from;
    const blockEnd = (k: number) => {
      const ind = indentOf(lines[k]);
      let e = k + 1;
      while (e < to && indentOf(lines[e]) > ind) e++;
      return e;
    };
    while (i < to) {
      const line = lines[i].trim();
      const end = blockEnd(i);
      let m: RegExpExecArray | null;
      if (line === 'super().__init__()') {
        i = end;
        continue;
      }
      if ((m = /^for (\w+) in (.*):$/.exec(line))) {
        const r = /^range\((.*)\)$/.exec(m[2]);
        let values: number[];
        if (r) {
          const a = splitArgs(r[1]).map((x) => Number(toJs(this.ev(x, scope))));
          const [lo, hi] = a.length === 1 ? [0, a[0]] : [a[0], a[1]];
          values = Array.from({ length: Math.max(0, hi - lo) }, (_, k) => lo + k);
        } else values = toJs(this.ev(m[2], scope)) as number[];
        for (const v of values) this.run(lines, i + 1, end, { ...scope, [m[1]]: v }, self, cls, attrs);
        i = end;
        continue;
      }
      if ((m = /^if not \((.*)\):$/.exec(line)) && /^raise ValueError\((.*)\)$/.test(lines[i + 1]?.trim() ?? '')) {
        if (!truthy(this.ev(m[1], scope)))
          throw new Error(String(this.ev(/^raise ValueError\((.*)\)$/.exec(lines[i + 1].trim())![1], scope)));
        i = end;
        continue;
      }
      if ((m = /^if not hasattr\(self, '(\w+)'\):$/.exec(line))) {
        if (!self.children.some((c) => c.name === m![1])) this.run(lines, i + 1, end, scope, self, cls, attrs);
        i = end;
        continue;
      }
      if ((m = /^if (.*):$/.exec(line))) {
        if (truthy(this.ev(m[1], scope))) this.run(lines, i + 1, end, scope, self, cls, attrs);
        i = end;
        continue;
      }
      if ((m = /^self\.(\w+)\.append\((.*)\)$/.exec(line))) {
        const list = this.child(self, m[1]);
        list.children.push(this.ctor(m[2], scope, String(list.children.length)));
      } else if ((m = /^self\.(\w+)\.add_module\((.*)\)$/.exec(line))) {
        const [k, c] = splitArgs(m[2]);
        this.child(self, m[1]).children.push(this.ctor(c, scope, String(this.ev(k, scope))));
      } else if (
        (m =
          /^self\.(\w+) = nn\.Parameter\(torch\.full\((.*)\)\)$/.exec(line) ??
          /^setattr\(self, (f'[^']*'), nn\.Parameter\(torch\.full\((.*)\)\)\)$/.exec(line))
      ) {
        // a learned tensor of the module itself: torch.full(size, value, dtype=torch.float32)
        const [size, , dtype] = splitArgs(m[2]);
        if (dtype !== 'dtype=torch.float32')
          throw new Error(`${cls}.__init__: a parameter that is not float32: '${line}'`);
        const name = m[1].startsWith("f'") ? String(this.ev(m[1], scope)) : m[1];
        const shape = toJs(this.ev(size, scope)) as number[];
        self.tensors = self.tensors.filter((t) => t.name !== name);
        self.tensors.push({ name, shape: [...shape], kind: 'param' });
      } else if ((m = /^setattr\(self, (.*)\)$/.exec(line))) {
        const [k, c] = splitArgs(m[1]);
        self.children.push(this.ctor(c, scope, String(this.ev(k, scope))));
      } else if ((m = /^self\.(\w+) = (.*)$/.exec(line)) && !/^[A-Za-z_]\w*$/.test(m[2])) {
        self.children = self.children.filter((c) => c.name !== m![1]);
        self.children.push(this.ctor(m[2], scope, m[1]));
      } else if ((m = /^(self\.\w+(?:, self\.\w+)*) = (.*)$/.exec(line))) {
        // plain values kept for forward
        const names = m[1].split(', ').map((x) => x.slice(5));
        const values = splitArgs(m[2]);
        names.forEach((n, k) => (attrs[n] = this.ev(values[k], scope)));
      } else if ((m = /^(\w+) = (.*)$/.exec(line))) scope[m[1]] = this.ev(m[2], scope);
      else throw new Error(`${cls}.__init__: cannot read '${line}'`);
      i = end;
    }
  }

  private child(self: ModNode, name: string): ModNode {
    const c = self.children.find((x) => x.name === name);
    if (!c) throw new Error(`self.${name} is used before it is assigned`);
    return c;
  }

  /** A constructor expression: nn.X(...), nn.Sequential(*(C for _ in range(n))), a class of the file or of YOLOv5. */
  private ctor(src: string, scope: Record<string, Py>, name: string): ModNode {
    const seq = /^nn\.Sequential\(\*\((.*) for _ in range\((.*)\)\)\)$/.exec(src);
    if (seq) {
      const n = Number(toJs(this.ev(seq[2], scope)));
      const node: ModNode = {
        type: 'Sequential',
        name,
        tensors: [],
        children: Array.from({ length: n }, (_, k) => this.ctor(seq[1], scope, String(k))),
      };
      this.inst.set(node, { kind: 'seq' });
      return node;
    }
    const call = /^([\w.]+)\((.*)\)$/.exec(src);
    if (!call) throw new Error(`cannot read constructor '${src}'`);
    const fn = call[1];
    // keyword arguments go to their positions (holes take the defaults)
    const kwargs: [string, Py][] = [];
    const args: Py[] = [];
    for (const a of splitArgs(call[2])) {
      const kw = /^(\w+)=(?!=)(.*)$/.exec(a.trim());
      if (kw) kwargs.push([kw[1], this.ev(kw[2], scope)]);
      else args.push(this.ev(a, scope));
    }
    const place = (params: { name: string; default?: Py }[]) => {
      for (const [k, v] of kwargs) {
        const i = params.findIndex((p) => p.name === k);
        if (i < 0) throw new Error(`${fn}() got an unexpected keyword argument '${k}'`);
        while (args.length < i) args.push(params[args.length].default ?? null);
        args[i] = v;
      }
    };
    if (fn.startsWith('nn.')) {
      place((PRIMITIVES[fn]?.args ?? []).map((p) => ({ name: p.name, default: p.default as Py })));
      const node = torchModule(fn.slice(3), args, name);
      this.inst.set(node, { kind: 'nn', cls: fn.slice(3), args });
      return node;
    }
    if (this.classes.has(fn)) {
      place(this.classes.get(fn)!.params.map((p) => ({ name: p.name, default: p.default && evalPy(p.default) })));
      return this.build(fn, args, name);
    }
    const def = this.registry.get(fn);
    if (!def) throw new Error(`unknown class ${fn}`);
    place(def.args);
    const js = args.map((a) => toJs(a));
    const c1 = typeof js[0] === 'number' ? js[0] : 16;
    const r = buildLayer(def, js, 1, [[c1, 64, 64]], {
      mode: 'graph',
      defaultAct: { type: 'SiLU' },
      registry: this.registry,
    });
    if (r.error) throw new Error(`${fn}(${js.join(', ')}): ${r.error.message}`);
    const node = { ...r.root!, name };
    this.inst.set(node, { kind: 'core', def, args: js });
    return node;
  }

  /** The output shape of a module of the tree for input shapes (one, or a list for several inputs). */
  forward(node: ModNode, x: Val): Val {
    const inst = this.inst.get(node);
    if (!inst) throw new Error(`${node.name}: not a module that runs`);
    if (inst.kind === 'seq') return node.children.reduce<Val>((y, c) => this.forward(c, y), x);
    if (inst.kind === 'nn') return nnShape(inst.cls, inst.args, x as Shape, node.name);
    if (inst.kind === 'core') {
      const r = buildLayer(inst.def, inst.args, 1, isPieces(x) ? (x as Shape[]) : [x as Shape], {
        mode: 'summary',
        defaultAct: { type: 'SiLU' },
        registry: this.registry,
      });
      if (r.error) throw new Error(`${node.name} (${inst.def.name}): ${r.error.message}`);
      return r.out.shape;
    }
    const c = this.classes.get(inst.cls)!;
    return this.runForward(c, node, inst.attrs, x);
  }

  private runForward(c: PyClass, self: ModNode, attrs: Record<string, Py>, x: Val): Val {
    const lines = c.forward;
    const vals = new Map<string, Val | Map<string, Val>>();
    const scope: Record<string, Py> = {};
    const param = c.forwardParam;
    vals.set(param, x);
    const fail = (m: string): never => {
      throw new Error(`${c.name}.forward: ${m}`);
    };
    const num = (e: string): Py => this.ev(e, scope);
    const key = (e: string) => JSON.stringify(toJs(num(e)));
    /** A value reference: name, name[k], name[k][j], name[-1], ref.clone(). */
    const ref = (src: string): Val => {
      const t = src.trim().replace(/\.clone\(\)$/, '');
      const m = /^(\w+)((?:\[[^\]]+\])*)$/.exec(t);
      if (!m) return fail(`cannot read value '${src}'`);
      let v = vals.get(m[1]);
      if (v === undefined) return fail(`'${m[1]}' is not defined`);
      for (const [, ix] of m[2].matchAll(/\[([^\]]+)\]/g)) {
        if (v instanceof Map) {
          const got: Val | undefined = v.get(key(ix));
          if (got === undefined) return fail(`${m[1]}[${ix}] is not defined`);
          v = got;
        } else if (Array.isArray(v) && isPieces(v as Val)) {
          const k = Number(toJs(num(ix)));
          const pieces = v as Val[];
          v = pieces[k < 0 ? pieces.length + k : k];
          if (v === undefined) return fail(`${src}: no such piece`);
        } else return fail(`${src}: not indexable`);
      }
      if (v instanceof Map) return fail(`${src} is a dict`);
      return v;
    };
    /** Items of a list display: refs and *[ref for j in loop]. */
    const items = (src: string): Val[] =>
      splitArgs(src).flatMap((it) => {
        const m = /^\*\[(.*) for (\w+) in (.*)\]$/.exec(it);
        if (!m) return [ref(it)];
        return this.loopValues(m[3], scope).map((v) => {
          scope[m[2]] = v;
          return ref(m[1]);
        });
      });
    const shape = (v: Val): Shape => (isPieces(v) ? fail('a split where one value is needed') : (v as Shape));
    const moduleOf = (src: string): ModNode => {
      let m: RegExpExecArray | null;
      const child = (parent: ModNode, name: string) =>
        parent.children.find((ch) => ch.name === name) ?? fail(`no module ${name}`);
      if ((m = /^self\.(\w+)$/.exec(src))) return child(self, m[1]);
      if ((m = /^self\.(\w+)\[(.+)\]$/.exec(src))) return child(child(self, m[1]), String(toJs(num(m[2]))));
      if ((m = /^getattr\(self\.(\w+), str\((.+)\)\)$/.exec(src)))
        return child(child(self, m[1]), String(toJs(num(m[2]))));
      if ((m = /^getattr\(self, (f'.*')\)$/.exec(src))) return child(self, String(this.ev(m[1], scope)));
      return fail(`cannot read module '${src}'`);
    };
    const rhs = (src: string): Val => {
      let m: RegExpExecArray | null;
      // a learned parameter viewed as a batch of one: its shape is the view's
      if ((m = /^(?:self\.(\w+)|getattr\(self, (f'.*')\))\.view\(1, \*(.*)\)$/.exec(src))) {
        const name = m[1] ?? String(this.ev(m[2], scope));
        const t = self.tensors.find((p) => p.name === name) ?? fail(`no parameter ${name}`);
        const s = toJs(num(m[3])) as number[];
        if (s.reduce((a, b) => a * b, 1) !== t.shape.reduce((a, b) => a * b, 1))
          fail(`${name} of shape [${t.shape}] viewed as [${s}]`);
        return [...s];
      }
      if ((m = /^torch\.cat\(\[(.*)\], 1\)$/.exec(src))) {
        const xs = items(m[1]).map(shape);
        if (xs.some((s) => s[1] !== xs[0][1] || s[2] !== xs[0][2]))
          fail(`cat of different sizes ${JSON.stringify(xs)}`);
        return [xs.reduce((a, s) => a + s[0], 0), xs[0][1], xs[0][2]];
      }
      if ((m = /^torch\.(split|chunk)\((.*)\)$/.exec(src))) {
        const [v, n, dim] = splitArgs(m[2]);
        if (dim !== '1') fail('split on channels only');
        const s = shape(ref(v));
        const a = toJs(num(n));
        const sizes: number[] = [];
        if (Array.isArray(a)) sizes.push(...(a as number[]));
        else {
          const size = m[1] === 'split' ? Number(a) : Math.ceil(s[0] / Number(a));
          for (let k = 0; k < s[0]; k += size) sizes.push(Math.min(size, s[0] - k));
        }
        if (sizes.reduce((p, q) => p + q, 0) !== s[0]) fail(`split sizes ${sizes} of ${s[0]} channels`);
        return sizes.map((z) => [z, s[1], s[2]]);
      }
      if ((m = /^torch\.(mean|amax)\((\w[^,]*), 1, keepdim=True\)$/.exec(src))) {
        const s = shape(ref(m[2]));
        return [1, s[1], s[2]];
      }
      if ((m = /^(?:torch\.sigmoid|torch\.relu|F\.silu)\((.*)\)$/.exec(src))) return shape(ref(m[1]));
      if ((m = /^(?:sum|math\.prod)\(\[(.*)\]\)$/.exec(src))) return broadcast(items(m[1]).map(shape));
      if (/ [+*] /.test(src))
        return broadcast(
          src.split(/ [+*] /).map((t) => shape(ref(t))),
          src.includes(' + '),
        );
      if ((m = /^(.*)\((\[.*\]|[^()]*(?:\.clone\(\))?)\)$/.exec(src)) && /^(self|getattr)/.test(m[1])) {
        const mod = moduleOf(m[1]);
        const arg = m[2].startsWith('[') ? items(m[2].slice(1, -1)) : ref(m[2]);
        return this.forward(mod, arg);
      }
      return ref(src);
    };
    const exec = (from: number, to: number) => {
      let i = from;
      while (i < to) {
        const line = lines[i].trim();
        const ind = indentOf(lines[i]);
        let end = i + 1;
        while (end < to && indentOf(lines[end]) > ind) end++;
        let m: RegExpExecArray | null;
        if ((m = /^for (\w+) in (.*):$/.exec(line))) {
          for (const v of this.loopValues(m[2], scope)) {
            scope[m[1]] = v;
            exec(i + 1, end);
          }
        } else if ((m = /^if (.*):$/.exec(line))) {
          if (truthy(num(m[1]))) exec(i + 1, end);
        } else if (line === 'pass') {
          /* nothing */
        } else if ((m = /^return (.*)$/.exec(line))) {
          vals.set('\u0000return', ref(m[1]));
          return true;
        } else if ((m = /^(\w+(?:, \w+)*) = (self\.\w+(?:, self\.\w+)*)$/.exec(line))) {
          const names = m[1].split(', ');
          m[2].split(', ').forEach((a, k) => (scope[names[k]] = attrs[a.slice(5)]));
        } else if ((m = /^(\w+(?:, \w+)*) = (\{\}(?:, \{\})*)$/.exec(line))) {
          for (const n of m[1].split(', ')) vals.set(n, new Map());
        } else if ((m = /^(\w+(?:, \w+)*) = (inputs\[0\](?:, inputs\[\d+\])*)$/.exec(line))) {
          const xs = vals.get('inputs') as Val[];
          m[1].split(', ').forEach((n, k) => vals.set(n, xs[k] ?? xs[0]));
        } else if ((m = /^(\w+)\[(.+)\] = (.*)$/.exec(line))) {
          const d = vals.get(m[1]);
          if (!(d instanceof Map)) fail(`${m[1]} is not a dict`);
          (d as Map<string, Val>).set(key(m[2]), rhs(m[3]));
        } else if ((m = /^(\w+) = (.*)$/.exec(line))) vals.set(m[1], rhs(m[2]));
        else fail(`cannot read '${line}'`);
        i = end;
      }
      return false;
    };
    exec(0, lines.length);
    const out = vals.get('\u0000return');
    if (out === undefined || out instanceof Map) return fail('returns nothing');
    return out;
  }

  private loopValues(src: string, scope: Record<string, Py>): number[] {
    const r = /^range\((.*)\)$/.exec(src);
    if (!r) return toJs(this.ev(src, scope)) as number[];
    const a = splitArgs(r[1]).map((x) => Number(toJs(this.ev(x, scope))));
    const [lo, hi] = a.length === 1 ? [0, a[0]] : [a[0], a[1]];
    return Array.from({ length: Math.max(0, hi - lo) }, (_, k) => lo + k);
  }
}

const pair = (v: unknown): [number, number] =>
  Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)];

/** torch.nn modules the generator writes, with PyTorch's parameters and buffers. */
function torchModule(cls: string, args: Py[], name: string): ModNode {
  const a = args.map((x) => toJs(x));
  const tensors: TensorDecl[] = [];
  if (cls === 'Conv2d') {
    const [cin, cout, k, , , , g = 1, bias = true] = a as [
      number,
      number,
      unknown,
      unknown,
      unknown,
      unknown,
      number,
      boolean,
    ];
    const [kh, kw] = pair(k);
    tensors.push({ name: 'weight', shape: [cout, cin / g, kh, kw], kind: 'param' });
    if (bias) tensors.push({ name: 'bias', shape: [cout], kind: 'param' });
  } else if (cls === 'BatchNorm2d') {
    const c = a[0] as number;
    tensors.push({ name: 'weight', shape: [c], kind: 'param' }, { name: 'bias', shape: [c], kind: 'param' });
    tensors.push(
      { name: 'running_mean', shape: [c], kind: 'buffer' },
      { name: 'running_var', shape: [c], kind: 'buffer' },
      { name: 'num_batches_tracked', shape: [], kind: 'buffer', dtype: 'int64' },
    );
  } else if (
    !ACTS.has(cls) &&
    !['MaxPool2d', 'AdaptiveAvgPool2d', 'AdaptiveMaxPool2d', 'Upsample', 'ModuleList', 'Sequential'].includes(cls)
  ) {
    throw new Error(`nn.${cls} is not a module the generator writes`);
  }
  return { type: cls, name, children: [], tensors };
}

/** state_dict-like listing of a tree: 'path.tensor' -> shape, parameters and buffers. */
export function stateShapes(node: ModNode, prefix = ''): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const t of node.tensors) out[`${prefix}${t.name}`] = t.shape;
  for (const c of node.children) Object.assign(out, stateShapes(c, `${prefix}${c.name}.`));
  return out;
}

/** 'path: Type' of every module in a tree. */
export function moduleTypes(node: ModNode, prefix = ''): string[] {
  return node.children.flatMap((c) => [`${prefix}${c.name}: ${c.type}`, ...moduleTypes(c, `${prefix}${c.name}.`)]);
}

export function paramCount(node: ModNode): number {
  return (
    node.tensors.filter((t) => t.kind === 'param').reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0) +
    node.children.reduce((a, c) => a + paramCount(c), 0)
  );
}

function broadcast(xs: Shape[], same = false): Shape {
  const out = xs[0].map((_, k) => Math.max(...xs.map((s) => s[k])));
  for (const s of xs) {
    if (s.some((v, k) => v !== out[k] && (same || v !== 1))) throw new Error(`cannot combine ${JSON.stringify(xs)}`);
  }
  return out;
}

const convOut = (h: number, k: number, st: number, p: number, d: number) =>
  Math.floor((h + 2 * p - d * (k - 1) - 1) / st) + 1;

/** Output shapes of the torch.nn modules the generator writes. */
function nnShape(cls: string, args: Py[], x: Shape, name: string): Shape {
  const a = args.map((v) => toJs(v));
  const expect = (c: number) => {
    if (x[0] !== c) throw new Error(`${name} (nn.${cls}) built for ${c} channels receives ${x[0]}`);
  };
  switch (cls) {
    case 'Conv2d': {
      const [cin, cout, k, s = 1, p = 0, d = 1] = a as [number, number, unknown, unknown, unknown, unknown];
      expect(cin);
      const [kh, kw] = pair(k);
      const [sh, sw] = pair(s);
      const [ph, pw] = pair(p);
      const [dh, dw] = pair(d);
      return [cout, convOut(x[1], kh, sh, ph, dh), convOut(x[2], kw, sw, pw, dw)];
    }
    case 'BatchNorm2d':
      expect(a[0] as number);
      return x;
    case 'MaxPool2d': {
      const [kh, kw] = pair(a[0]);
      const [sh, sw] = a[1] === null || a[1] === undefined ? [kh, kw] : pair(a[1]);
      const [ph, pw] = pair(a[2] ?? 0);
      return [x[0], convOut(x[1], kh, sh, ph, 1), convOut(x[2], kw, sw, pw, 1)];
    }
    case 'AdaptiveAvgPool2d':
    case 'AdaptiveMaxPool2d': {
      const [oh, ow] = Array.isArray(a[0]) ? (a[0] as (number | null)[]) : [a[0] as number, a[0] as number];
      return [x[0], oh ?? x[1], ow ?? x[2]];
    }
    case 'Upsample': {
      const [fh, fw] = pair(a[1]);
      return [x[0], Math.floor(x[1] * fh), Math.floor(x[2] * fw)];
    }
    default:
      return x; // activations, Identity
  }
}
