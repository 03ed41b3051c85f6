/**
 * Reads back the generated Python (our own restricted format, not Python at large) into the module tree
 * PyTorch would build: each class's __init__ run for given arguments, giving module names, types and
 * parameter shapes. Tests compare it with the core's numbers and with YOLOv5's own reference figures, so the
 * generated code is checked by structure without PyTorch. YOLOv5's own classes (Conv, C3, ...) come from the
 * core's descriptions, which the reference tests already hold to YOLOv5's figures.
 */
import { buildLayer } from '../propagate.ts';
import type { ModNode, TensorDecl } from '../graph.ts';
import { evalPy } from '../pyexpr.ts';
import { toJs, truthy, type Py } from '../py.ts';
import type { Registry } from '../registry.ts';

interface PyClass {
  name: string;
  params: { name: string; default?: string }[];
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
      cls = { name: c[1], params: [], init: [], forward: [] };
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
      }
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

/** Builds module trees from the generated classes. */
export class Readback {
  readonly classes: Map<string, PyClass>;
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
    this.run(c.init, 0, c.init.length, scope, node, cls);
    return node;
  }

  private ev(src: string, scope: Record<string, Py>): Py {
    // f-strings (setattr names): evaluate each {expr}
    const f = /^f'(.*)'$/.exec(src);
    if (f) return f[1].replace(/\{([^{}]+)\}/g, (_m, e: string) => String(toJs(evalPy(e, scope))));
    const s = /^str\((.*)\)$/.exec(src);
    if (s) return String(toJs(this.ev(s[1], scope)));
    return evalPy(src, scope);
  }

  /** Run lines [from, to) of a block (all at the same indentation). */
  private run(lines: string[], from: number, to: number, scope: Record<string, Py>, self: ModNode, cls: string) {
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
        for (const v of values) this.run(lines, i + 1, end, { ...scope, [m[1]]: v }, self, cls);
        i = end;
        continue;
      }
      if ((m = /^if not \((.*)\):$/.exec(line)) && /^raise ValueError\((.*)\)$/.test(lines[i + 1]?.trim() ?? '')) {
        if (!truthy(this.ev(m[1], scope))) throw new Error(String(evalPy(/^raise ValueError\((.*)\)$/.exec(lines[i + 1].trim())![1])));
        i = end;
        continue;
      }
      if ((m = /^if not hasattr\(self, '(\w+)'\):$/.exec(line))) {
        if (!self.children.some((c) => c.name === m![1])) this.run(lines, i + 1, end, scope, self, cls);
        i = end;
        continue;
      }
      if ((m = /^if (.*):$/.exec(line))) {
        if (truthy(this.ev(m[1], scope))) this.run(lines, i + 1, end, scope, self, cls);
        i = end;
        continue;
      }
      if ((m = /^self\.(\w+)\.append\((.*)\)$/.exec(line))) {
        const list = this.child(self, m[1]);
        list.children.push(this.ctor(m[2], scope, String(list.children.length)));
      } else if ((m = /^self\.(\w+)\.add_module\((.*)\)$/.exec(line))) {
        const [k, c] = splitArgs(m[2]);
        this.child(self, m[1]).children.push(this.ctor(c, scope, String(this.ev(k, scope))));
      } else if ((m = /^setattr\(self, (.*)\)$/.exec(line))) {
        const [k, c] = splitArgs(m[1]);
        self.children.push(this.ctor(c, scope, String(this.ev(k, scope))));
      } else if ((m = /^self\.(\w+) = (.*)$/.exec(line))) {
        self.children = self.children.filter((c) => c.name !== m![1]);
        self.children.push(this.ctor(m[2], scope, m[1]));
      } else if (/^self\.\w+(, self\.\w+)* = /.test(line)) {
        // plain values kept for forward
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
      return { type: 'Sequential', name, tensors: [], children: Array.from({ length: n }, (_, k) => this.ctor(seq[1], scope, String(k))) };
    }
    const call = /^([\w.]+)\((.*)\)$/.exec(src);
    if (!call) throw new Error(`cannot read constructor '${src}'`);
    const args = splitArgs(call[2]).map((a) => this.ev(a, scope));
    const fn = call[1];
    if (fn.startsWith('nn.')) return torchModule(fn.slice(3), args, name);
    if (this.classes.has(fn)) return this.build(fn, args, name);
    const def = this.registry.get(fn);
    if (!def) throw new Error(`unknown class ${fn}`);
    const js = args.map((a) => toJs(a));
    const c1 = typeof js[0] === 'number' ? js[0] : 16;
    const r = buildLayer(def, js, 1, [[c1, 64, 64]], { mode: 'graph', defaultAct: { type: 'SiLU' }, registry: this.registry });
    if (r.error) throw new Error(`${fn}(${js.join(', ')}): ${r.error.message}`);
    return { ...r.root!, name };
  }
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)]);

/** torch.nn modules the generator writes, with PyTorch's parameters and buffers. */
function torchModule(cls: string, args: Py[], name: string): ModNode {
  const a = args.map((x) => toJs(x));
  const tensors: TensorDecl[] = [];
  if (cls === 'Conv2d') {
    const [cin, cout, k, , , , g = 1, bias = true] = a as [number, number, unknown, unknown, unknown, unknown, number, boolean];
    const [kh, kw] = pair(k);
    tensors.push({ name: 'weight', shape: [cout, cin / g, kh, kw], kind: 'param' });
    if (bias) tensors.push({ name: 'bias', shape: [cout], kind: 'param' });
  } else if (cls === 'BatchNorm2d') {
    const c = a[0] as number;
    tensors.push({ name: 'weight', shape: [c], kind: 'param' }, { name: 'bias', shape: [c], kind: 'param' });
    tensors.push({ name: 'running_mean', shape: [c], kind: 'buffer' }, { name: 'running_var', shape: [c], kind: 'buffer' }, { name: 'num_batches_tracked', shape: [], kind: 'buffer', dtype: 'int64' });
  } else if (!['SiLU', 'ReLU', 'ReLU6', 'LeakyReLU', 'Hardswish', 'Hardsigmoid', 'Sigmoid', 'Tanh', 'Mish', 'GELU', 'ELU', 'Identity', 'MaxPool2d', 'AdaptiveAvgPool2d', 'AdaptiveMaxPool2d', 'Upsample', 'ModuleList'].includes(cls)) {
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
  return node.tensors.filter((t) => t.kind === 'param').reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0) + node.children.reduce((a, c) => a + paramCount(c), 0);
}
