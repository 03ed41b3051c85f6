/**
 * A small, safe evaluator for the Python expressions that appear in model configs:
 * argument strings that parse_model eval()s (`nc`, `None`, `anchors`, `nn.LeakyReLU(0.1)`, `2*nc`)
 * and the integer width expressions of module descriptions (`int(c2 * e)`, `c1 // 2`).
 * Nothing is executed: only literals, names from the given scope, arithmetic, lists,
 * a few pure functions and `nn.X(...)` module constructors (which become inert records).
 *
 * One file on purpose: the tokenizer, the parser, understands(), the evaluator and the compiler walk the same Node
 * type, so a piece of syntax is added (or refused) in one place.
 */
import { LIMITS } from './limits.ts';
import { MessageError, msg } from './messages/index.ts';
import { PyFloat, type Py, type PyModule, floorDiv, gcd, isPyModule, num, pyMod, pyRound, truthy } from './py.ts';

/** Python's NameError, SyntaxError and other evaluation errors, each a message ('py.*'). */
export class PyNameError extends MessageError {}
export class PySyntaxError extends MessageError {}
export class PyEvalError extends MessageError {}

type Node =
  | { t: 'lit'; v: Py }
  | { t: 'name'; id: string }
  | { t: 'attr'; obj: Node; id: string }
  | { t: 'un'; op: string; x: Node }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'list'; items: Node[] }
  | { t: 'call'; fn: Node; args: Node[]; kwargs: [string, Node][] }
  | { t: 'sub'; obj: Node; index: Node }
  | { t: 'bool'; op: 'and' | 'or'; a: Node; b: Node }
  | { t: 'if'; cond: Node; a: Node; b: Node };

const TOKEN =
  /\s*(?:(\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)|(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)|([A-Za-z_]\w*)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(\*\*|\/\/|==|!=|<=|>=|[-+*/%()[\],.=<>]))/y;

type Tok = { k: 'float' | 'int' | 'name' | 'str' | 'op'; s: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new PySyntaxError(msg('py.invalid-syntax', { at: src.slice(pos).trim().slice(0, 20) }));
    pos = TOKEN.lastIndex;
    if (m[1]) out.push({ k: 'float', s: m[1] });
    else if (m[2]) out.push({ k: 'int', s: m[2] });
    else if (m[3]) out.push({ k: 'name', s: m[3] });
    else if (m[4]) out.push({ k: 'str', s: m[4] });
    else out.push({ k: 'op', s: m[5] });
  }
  return out;
}

const BIN_PREC: Record<string, number> = {
  '==': 1,
  '!=': 1,
  '<': 1,
  '>': 1,
  '<=': 1,
  '>=': 1,
  '+': 2,
  '-': 2,
  '*': 3,
  '/': 3,
  '//': 3,
  '%': 3,
};

export interface ParseOptions {
  /** Subscripts (`k[i]`): module descriptions use them; a config's arguments are read without. */
  subscripts?: boolean;
}

export type PyExprNode = Node;

export function parseExpr(src: string, opts: ParseOptions = {}): Node {
  if (src.length > LIMITS.expressionLength) throw new PySyntaxError(msg('py.too-long'));
  const toks = tokenize(src);
  let i = 0;
  let depth = 0;
  const peek = () => toks[i];
  const eat = (s?: string): Tok => {
    const t = toks[i];
    if (!t || (s !== undefined && t.s !== s))
      throw new PySyntaxError(
        // (a value is asked for only at the end: any token is one to take)
        t
          ? msg('py.expected-before', { expected: s!, token: t.s })
          : s === undefined
            ? msg('py.expected-value-at-end')
            : msg('py.expected-at-end', { expected: s }),
      );
    i++;
    return t;
  };
  const isOp = (s: string) => peek()?.k === 'op' && peek().s === s;

  const isWord = (w: string) => peek()?.k === 'name' && peek().s === w;
  /** conditional expression: a if cond else b */
  function top(): Node {
    if (++depth > LIMITS.expressionDepth) throw new PySyntaxError(msg('py.too-deep'));
    const a = orExpr();
    depth--;
    if (!isWord('if')) return a;
    eat();
    const cond = orExpr();
    if (!isWord('else')) throw new PySyntaxError(msg('py.expected-else'));
    eat();
    return { t: 'if', cond, a, b: top() };
  }
  function orExpr(): Node {
    let a = andExpr();
    while (isWord('or')) {
      eat();
      a = { t: 'bool', op: 'or', a, b: andExpr() };
    }
    return a;
  }
  function andExpr(): Node {
    let a = notExpr();
    while (isWord('and')) {
      eat();
      a = { t: 'bool', op: 'and', a, b: notExpr() };
    }
    return a;
  }
  function notExpr(): Node {
    if (isWord('not')) {
      eat();
      return { t: 'un', op: 'not', x: notExpr() };
    }
    return expr();
  }
  function expr(minPrec = 0): Node {
    if (++depth > LIMITS.expressionDepth) throw new PySyntaxError(msg('py.too-deep'));
    let a = unary();
    for (;;) {
      const t = peek();
      const p = t?.k === 'op' ? BIN_PREC[t.s] : undefined;
      if (p === undefined || p <= minPrec - 1 || p < minPrec) break;
      i++;
      const b = expr(p + 1);
      a = { t: 'bin', op: t.s, a, b };
    }
    depth--;
    return a;
  }
  function unary(): Node {
    if (isOp('-') || isOp('+')) {
      const op = eat().s;
      return { t: 'un', op, x: unary() };
    }
    return power();
  }
  function power(): Node {
    const base = postfix();
    if (isOp('**')) {
      eat();
      return { t: 'bin', op: '**', a: base, b: unary() };
    }
    return base;
  }
  function postfix(): Node {
    let n = atom();
    for (;;) {
      if (isOp('.')) {
        eat();
        const id = eat();
        if (id.k !== 'name') throw new PySyntaxError(msg('py.expected-name-after-dot'));
        n = { t: 'attr', obj: n, id: id.s };
      } else if (isOp('(')) {
        eat();
        const args: Node[] = [];
        const kwargs: [string, Node][] = [];
        while (!isOp(')')) {
          if (peek()?.k === 'name' && toks[i + 1]?.s === '=') {
            const k = eat().s;
            eat('=');
            kwargs.push([k, top()]);
          } else args.push(top());
          if (!isOp(')')) eat(',');
        }
        eat(')');
        n = { t: 'call', fn: n, args, kwargs };
      } else if (opts.subscripts && isOp('[')) {
        eat();
        const index = top();
        eat(']');
        n = { t: 'sub', obj: n, index };
      } else return n;
    }
  }
  function atom(): Node {
    const t = eat();
    if (t.k === 'int') {
      const s = t.s.replace(/_/g, '');
      const v = /^0[xob]/i.test(s) ? Number(s) : /^0\d/.test(s) ? NaN : Number(s);
      if (Number.isNaN(v)) throw new PySyntaxError(msg('py.invalid-number', { number: t.s }));
      return { t: 'lit', v };
    }
    if (t.k === 'float') return { t: 'lit', v: new PyFloat(Number(t.s)) };
    if (t.k === 'str') return { t: 'lit', v: pyStringValue(t.s) };
    if (t.k === 'name') {
      if (t.s === 'None') return { t: 'lit', v: null };
      if (t.s === 'True') return { t: 'lit', v: true };
      if (t.s === 'False') return { t: 'lit', v: false };
      return { t: 'name', id: t.s };
    }
    if (t.s === '(' || t.s === '[') {
      const close = t.s === '(' ? ')' : ']';
      const items: Node[] = [];
      let tuple = t.s === '[';
      while (!isOp(close)) {
        items.push(top());
        if (!isOp(close)) {
          eat(',');
          tuple = true;
        }
      }
      eat(close);
      return tuple || items.length !== 1 ? { t: 'list', items } : items[0];
    }
    throw new PySyntaxError(msg('py.unexpected', { token: t.s }));
  }
  const n = top();
  if (i < toks.length) throw new PySyntaxError(msg('py.unexpected', { token: toks[i].s }));
  return n;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

/** The value of a Python string literal ('...' or "...", quotes included), with Python's escapes. */
function pyStringValue(lit: string): string {
  const body = lit.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      if (c === '\n' || c === '\r') throw new PySyntaxError(msg('py.string-spans-lines'));
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new PySyntaxError(msg('py.string-ends-in-backslash'));
    if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
    else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out += String.fromCodePoint(parseInt(m, 8));
      i += m.length - 1;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex))
        throw new PySyntaxError(msg('py.truncated-escape', { escape: e }));
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new PySyntaxError(msg('py.illegal-unicode', { escape: `${e}${hex}` }));
      out += String.fromCodePoint(cp);
      i += len;
    } else out += `\\${e}`; // Python keeps unknown escapes as written
  }
  return out;
}

/** The torch.nn activations (and Identity) a config may construct, with their arguments' names (values.ts's ACTS). */
export const NN_MODULES: Record<string, string[]> = {
  SiLU: ['inplace'],
  ReLU: ['inplace'],
  ReLU6: ['inplace'],
  LeakyReLU: ['negative_slope', 'inplace'],
  Hardswish: ['inplace'],
  Hardsigmoid: ['inplace'],
  Sigmoid: [],
  Tanh: [],
  Mish: ['inplace'],
  GELU: ['approximate'],
  ELU: ['alpha', 'inplace'],
  Identity: [],
};

type Fn = (args: Py[]) => Py;
const asNum = (v: Py, fn: string): number => {
  const n = typeof v === 'boolean' ? Number(v) : num(v);
  if (n === undefined) throw new PyEvalError(msg('py.needs-number', { fn }));
  return n;
};
const FUNCS: Record<string, Fn> = {
  int: ([x]) => Math.trunc(asNum(x, 'int')),
  float: ([x]) => new PyFloat(asNum(x, 'float')),
  round: ([x]) => pyRound(asNum(x, 'round')),
  abs: ([x]) => (x instanceof PyFloat ? new PyFloat(Math.abs(x.v)) : Math.abs(asNum(x, 'abs'))),
  min: (a) => pick(a, 'min', (x, y) => x < y),
  max: (a) => pick(a, 'max', (x, y) => x > y),
  len: ([x]) => {
    if (!Array.isArray(x) && typeof x !== 'string') throw new PyEvalError(msg('py.len-needs-list'));
    return x.length;
  },
  'math.floor': ([x]) => Math.floor(asNum(x, 'floor')),
  'math.ceil': ([x]) => Math.ceil(asNum(x, 'ceil')),
  'math.gcd': (a) => a.reduce<number>((g, x) => gcd(g, asNum(x, 'gcd')), 0),
  'math.sqrt': ([x]) => new PyFloat(Math.sqrt(asNum(x, 'sqrt'))),
};
FUNCS.floor = FUNCS['math.floor'];
FUNCS.ceil = FUNCS['math.ceil'];
FUNCS.gcd = FUNCS['math.gcd'];

function pick(a: Py[], fn: string, better: (x: number, y: number) => boolean): Py {
  const items = a.length === 1 && Array.isArray(a[0]) ? a[0] : a;
  if (!items.length) throw new PyEvalError(msg('py.of-nothing', { fn }));
  let best = items[0];
  for (const x of items) if (better(asNum(x, fn), asNum(best, fn))) best = x;
  return best;
}

const isFloatish = (v: Py) => v instanceof PyFloat;

/** What evaluating may spend: every list element made is charged (the interpreter passes its work budget). */
export interface Meter {
  charge(n: number): void;
}

/** Elements of a list, all levels counted (each list's count computed once, when it is made). */
const sizes = new WeakMap<object, number>();
function sizeOf(v: Py): number {
  if (!Array.isArray(v)) return 1;
  let n = sizes.get(v);
  if (n === undefined) {
    n = 1;
    for (const x of v) n += sizeOf(x);
    sizes.set(v, n);
  }
  return n;
}
/** A list about to be made of `size` elements: refused above LIMITS.listLength, charged to the meter. */
function room(size: number, meter?: Meter) {
  if (size > LIMITS.listLength) throw new PyEvalError(msg('py.list-too-long', { size, max: LIMITS.listLength }));
  meter?.charge(size);
}
function made(list: Py[], meter?: Meter): Py[] {
  room(sizeOf(list), meter);
  return list;
}

function arith(op: string, a: Py, b: Py, meter?: Meter): Py {
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) {
    room(sizeOf(a) + sizeOf(b) - 1, meter);
    return made([...a, ...b]);
  }
  if (op === '*' && Array.isArray(a) && typeof b === 'number') {
    if (!Number.isInteger(b)) throw new PyEvalError(msg('py.list-times-non-int'));
    const times = Math.max(0, b);
    room(1 + times * (sizeOf(a) - 1), meter);
    return made(Array.from({ length: times }, () => a).flat());
  }
  if (op === '==') return pyEq(a, b);
  if (op === '!=') return !pyEq(a, b);
  const x = typeof a === 'boolean' ? Number(a) : num(a);
  const y = typeof b === 'boolean' ? Number(b) : num(b);
  if (x === undefined || y === undefined) throw new PyEvalError(msg('py.unsupported-operands', { op }));
  const fl = isFloatish(a) || isFloatish(b);
  const wrap = (v: number) => (fl ? new PyFloat(v) : v);
  switch (op) {
    case '+':
      return wrap(x + y);
    case '-':
      return wrap(x - y);
    case '*':
      return wrap(x * y);
    case '/':
      if (y === 0) throw new PyEvalError(msg('py.division-by-zero'));
      return new PyFloat(x / y);
    case '//':
      if (y === 0) throw new PyEvalError(msg('py.division-by-zero'));
      return wrap(floorDiv(x, y));
    case '%':
      if (y === 0) throw new PyEvalError(msg('py.modulo-by-zero'));
      return wrap(pyMod(x, y));
    case '**': {
      const v = x ** y;
      return fl || y < 0 ? new PyFloat(v) : v;
    }
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
  }
  throw new PyEvalError(msg('py.unknown-operator', { op }));
}
function pyEq(a: Py, b: Py): boolean {
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x === y;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A name or a chain of attributes as one dotted name (`nn.Conv2d`), or undefined for anything else. */
export function dotted(n: Node): string | undefined {
  if (n.t === 'name') return n.id;
  if (n.t === 'attr') {
    const o = dotted(n.obj);
    return o === undefined ? undefined : `${o}.${n.id}`;
  }
  return undefined;
}

export function evalNode(n: Node, scope: Readonly<Record<string, Py>>, meter?: Meter): Py {
  switch (n.t) {
    case 'lit':
      return n.v;
    case 'name':
      if (Object.prototype.hasOwnProperty.call(scope, n.id)) return scope[n.id];
      throw new PyNameError(msg('py.name-not-defined', { name: n.id }));
    case 'attr':
      throw new PyNameError(msg('py.name-not-defined', { name: dotted(n) ?? n.id }));
    case 'un': {
      const x = evalNode(n.x, scope, meter);
      if (n.op === 'not') return !truthy(x);
      if (n.op === '+') return x;
      if (x instanceof PyFloat) return new PyFloat(-x.v);
      if (typeof x === 'number') return -x;
      throw new PyEvalError(msg('py.bad-unary-minus'));
    }
    case 'bin':
      return arith(n.op, evalNode(n.a, scope, meter), evalNode(n.b, scope, meter), meter);
    case 'list':
      return made(
        n.items.map((x) => evalNode(x, scope, meter)),
        meter,
      );
    case 'bool': {
      const a = evalNode(n.a, scope, meter);
      if (n.op === 'and') return truthy(a) ? evalNode(n.b, scope, meter) : a;
      return truthy(a) ? a : evalNode(n.b, scope, meter);
    }
    case 'if':
      return truthy(evalNode(n.cond, scope, meter)) ? evalNode(n.a, scope, meter) : evalNode(n.b, scope, meter);
    case 'sub':
      return subscript(evalNode(n.obj, scope, meter), evalNode(n.index, scope, meter));
    case 'call': {
      const name = dotted(n.fn);
      const args = n.args.map((a) => evalNode(a, scope, meter));
      const kwargs = n.kwargs.map(([k, v]): [string, Py] => [k, evalNode(v, scope, meter)]);
      return callFunction(name, args, kwargs, FUNCS);
    }
  }
}

/** An `nn.X(...)` constructor (an inert record) or a pure function call. */
function callFunction(name: string | undefined, args: Py[], kw: [string, Py][], fns: Readonly<Record<string, Fn>>): Py {
  if (name?.startsWith('nn.') || name?.startsWith('torch.nn.')) {
    const cls = name.replace(/^(torch\.)?nn\./, '');
    const names = Object.hasOwn(NN_MODULES, cls) ? NN_MODULES[cls] : undefined;
    if (!names) throw new PyNameError(msg('py.unknown-nn-module', { name: cls }));
    if (args.length > names.length)
      throw new PyEvalError(msg('py.too-many-args', { what: `nn.${cls}()`, max: names.length, got: args.length }));
    const kwargs: Record<string, Py> = {};
    for (const [k, v] of kw) {
      if (!names.includes(k)) throw new PyEvalError(msg('py.unexpected-keyword', { what: `nn.${cls}()`, keyword: k }));
      kwargs[k] = v;
    }
    const m: PyModule = { module: `nn.${cls}`, args, ...(kw.length ? { kwargs } : {}) };
    return m;
  }
  const fn = name !== undefined && Object.hasOwn(fns, name) ? fns[name] : undefined;
  if (!fn) throw new PyNameError(msg('py.name-not-defined', { name: name ?? '?' }));
  return fn(args);
}

/** x[i] for a list or a string (negative indices from the end). */
function subscript(x: Py, i: Py): Py {
  if (!Array.isArray(x) && typeof x !== 'string') throw new PyEvalError(msg('py.not-indexable'));
  const k = typeof i === 'boolean' ? Number(i) : i;
  if (typeof k !== 'number' || !Number.isInteger(k)) throw new PyEvalError(msg('py.index-not-whole'));
  const j = k < 0 ? x.length + k : k;
  if (j < 0 || j >= x.length) throw new PyEvalError(msg('py.index-out-of-range'));
  return x[j];
}

/**
 * Whether an expression is one this evaluator understands: literals, names, arithmetic, comparisons, lists,
 * conditionals, the pure functions above and `nn.X(...)` constructors of known activations. YOLOv5's
 * parse_model eval()s string arguments, so a string that is anything else (a call of another function, an
 * attribute, a comprehension, a lambda) would run as Python code in the user's training process.
 * 'syntax': it cannot even be parsed.
 */
export function understands(
  src: string,
  opts: { anyNnClass?: boolean; subscripts?: boolean; functions?: readonly string[] } = {},
): 'yes' | 'no' | 'syntax' {
  let n: Node;
  try {
    n = parseExpr(src, { subscripts: opts.subscripts });
  } catch {
    return 'syntax';
  }
  const ok = (x: Node): boolean => {
    switch (x.t) {
      case 'lit':
      case 'name':
        return true;
      case 'attr':
        return false;
      case 'sub':
        return opts.subscripts === true && ok(x.obj) && ok(x.index);
      case 'un':
        return ok(x.x);
      case 'bin':
      case 'bool':
        return ok(x.a) && ok(x.b);
      case 'if':
        return ok(x.cond) && ok(x.a) && ok(x.b);
      case 'list':
        return x.items.every(ok);
      case 'call': {
        const fn = dotted(x.fn);
        if (fn === undefined || !x.args.every(ok) || !x.kwargs.every(([, v]) => ok(v))) return false;
        const cls = /^(?:torch\.)?nn\.([A-Za-z_]\w*)$/.exec(fn)?.[1];
        // (anyNnClass: a torch.nn class the evaluator does not know is its own error, said when it is built)
        if (cls !== undefined)
          return (
            opts.anyNnClass === true ||
            (Object.hasOwn(NN_MODULES, cls) && x.kwargs.every(([k]) => NN_MODULES[cls].includes(k)))
          );
        return (Object.hasOwn(FUNCS, fn) || opts.functions?.includes(fn) === true) && !x.kwargs.length;
      }
    }
  };
  return ok(n) ? 'yes' : 'no';
}

const cache = new Map<string, Node>();
/** Parse (memoised) and evaluate. Throws PyNameError, PySyntaxError or PyEvalError. */
export function evalPy(
  src: string,
  scope: Readonly<Record<string, Py>> = {},
  opts: ParseOptions = {},
  meter?: Meter,
): Py {
  const key = opts.subscripts ? `[]${src}` : src;
  let n = cache.get(key);
  if (!n) {
    n = parseExpr(src, opts);
    if (cache.size > 5000) cache.clear();
    cache.set(key, n);
  }
  return evalNode(n, scope, meter);
}

/**
 * An expression compiled once into a function of a slot array: names are resolved to slots when compiled
 * (a module description's arguments, widths and loop variables), so evaluating it neither parses nor looks
 * names up. The values and errors are evalNode's. `slot` gives a name's index, or undefined for a name that
 * is not defined (evaluating it throws PyNameError, as evalNode does).
 */
export type CompiledExpr = (env: readonly unknown[], meter?: Meter) => Py;

export function compileNode(
  n: Node,
  slot: (name: string) => number | undefined,
  fns: Readonly<Record<string, Fn>> = FUNCS,
): CompiledExpr {
  const c = (x: Node) => compileNode(x, slot, fns);
  switch (n.t) {
    case 'lit': {
      const v = n.v;
      return () => v;
    }
    case 'name': {
      const k = slot(n.id);
      const id = n.id;
      if (k === undefined)
        return () => {
          throw new PyNameError(msg('py.name-not-defined', { name: id }));
        };
      return (env) => env[k] as Py;
    }
    case 'attr': {
      const said = msg('py.name-not-defined', { name: dotted(n) ?? n.id });
      return () => {
        throw new PyNameError(said);
      };
    }
    case 'un': {
      const x = c(n.x);
      if (n.op === 'not') return (env, m) => !truthy(x(env, m));
      if (n.op === '+') return x;
      return (env, m) => {
        const v = x(env, m);
        if (v instanceof PyFloat) return new PyFloat(-v.v);
        if (typeof v === 'number') return -v;
        throw new PyEvalError(msg('py.bad-unary-minus'));
      };
    }
    case 'bin': {
      const [a, b, op] = [c(n.a), c(n.b), n.op];
      return (env, m) => arith(op, a(env, m), b(env, m), m);
    }
    case 'list': {
      const items = n.items.map(c);
      return (env, m) =>
        made(
          items.map((x) => x(env, m)),
          m,
        );
    }
    case 'bool': {
      const [a, b] = [c(n.a), c(n.b)];
      if (n.op === 'and')
        return (env, m) => {
          const v = a(env, m);
          return truthy(v) ? b(env, m) : v;
        };
      return (env, m) => {
        const v = a(env, m);
        return truthy(v) ? v : b(env, m);
      };
    }
    case 'if': {
      const [cond, a, b] = [c(n.cond), c(n.a), c(n.b)];
      return (env, m) => (truthy(cond(env, m)) ? a(env, m) : b(env, m));
    }
    case 'sub': {
      const [x, i] = [c(n.obj), c(n.index)];
      return (env, m) => subscript(x(env, m), i(env, m));
    }
    case 'call': {
      const name = dotted(n.fn);
      const args = n.args.map(c);
      const kwargs = n.kwargs.map(([k, v]) => [k, c(v)] as const);
      return (env, m) =>
        callFunction(
          name,
          args.map((a) => a(env, m)),
          kwargs.map(([k, v]): [string, Py] => [k, v(env, m)]),
          fns,
        );
    }
  }
}

/** The functions every expression may call, plus `extra` (a description's helpers such as autopad). */
export const withFunctions = (extra: Readonly<Record<string, Fn>>): Readonly<Record<string, Fn>> => ({
  ...FUNCS,
  ...extra,
});
export type PyFunction = Fn;

export { isPyModule };
