/**
 * Python source for the expressions of module descriptions. The text is parsed with the core's own Python
 * expression parser and printed back, so what PyTorch runs is exactly what the core evaluated: the same
 * grouping (comparisons do not chain: `a < b < c` is `(a < b) < c`, as the core reads it), and the core's
 * bare `floor`, `ceil`, `gcd` become `math.floor`, `math.ceil`, `math.gcd`.
 */
import { msg, MessageError, type Message } from '../messages/index.ts';
import { dotted, NN_MODULES, parseExpr, PySyntaxError } from '../pyexpr.ts';
import { splitLines, visible } from '../names.ts';
import { repr, reprStr, type Py } from '../py.ts';

export type PyNode = ReturnType<typeof parseExpr>;

/** A description that cannot be written as PyTorch: why, as a message. */
export class CodegenError extends MessageError {}

/** Functions a description may call, as Python spells them (the generated file imports math). */
const FUNCTIONS: Record<string, string> = {
  int: 'int',
  float: 'float',
  round: 'round',
  abs: 'abs',
  min: 'min',
  max: 'max',
  len: 'len',
  floor: 'math.floor',
  ceil: 'math.ceil',
  gcd: 'math.gcd',
  'math.floor': 'math.floor',
  'math.ceil': 'math.ceil',
  'math.gcd': 'math.gcd',
  'math.sqrt': 'math.sqrt',
};

// Python's precedence, lowest first
const PREC: Record<string, number> = {
  if: 1,
  or: 2,
  and: 3,
  not: 4,
  '==': 5,
  '!=': 5,
  '<': 5,
  '>': 5,
  '<=': 5,
  '>=': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '//': 7,
  '%': 7,
  unary: 8,
  '**': 9,
};
const ATOM = 10;

function prec(n: PyNode): number {
  switch (n.t) {
    case 'if':
      return PREC.if;
    case 'bool':
      return PREC[n.op];
    case 'un':
      return n.op === 'not' ? PREC.not : PREC.unary;
    case 'bin':
      return PREC[n.op];
    default:
      return ATOM;
  }
}

export interface PrintOptions {
  /** Rename a free name (e.g. a loop value kept in a dict); return undefined to keep it. */
  name?: (id: string) => string | undefined;
}

/** Print a parsed expression as Python source. */
export function printNode(n: PyNode, o: PrintOptions = {}): string {
  const wrap = (c: PyNode, min: number) => (prec(c) < min ? `(${printNode(c, o)})` : printNode(c, o));
  switch (n.t) {
    case 'lit':
      return repr(n.v);
    case 'name':
      return o.name?.(n.id) ?? n.id;
    case 'attr':
      // the core never evaluates an attribute (only torch.nn classes and math functions are called by name):
      // written as Python, `x.__class__...` would reach anything
      throw new CodegenError(msg('codegen.bad-attribute', { name: dotted(n) ?? n.id }));
    case 'sub':
      return `${wrap(n.obj, ATOM)}[${printNode(n.index, o)}]`;
    case 'list':
      return `[${n.items.map((x) => printNode(x, o)).join(', ')}]`;
    case 'un':
      return n.op === 'not' ? `not ${wrap(n.x, PREC.not)}` : `${n.op}${wrap(n.x, PREC.unary)}`;
    case 'bool':
      return `${wrap(n.a, PREC[n.op])} ${n.op} ${wrap(n.b, PREC[n.op] + 1)}`;
    case 'if':
      return `${wrap(n.a, PREC.if + 1)} if ${wrap(n.cond, PREC.if + 1)} else ${wrap(n.b, PREC.if)}`;
    case 'bin': {
      const p = PREC[n.op];
      if (n.op === '**') return `${wrap(n.a, ATOM)} ** ${wrap(n.b, PREC.unary)}`;
      // comparisons never chain in the core: group every operand that is itself a comparison
      if (p === PREC['==']) return `${wrap(n.a, p + 1)} ${n.op} ${wrap(n.b, p + 1)}`;
      return `${wrap(n.a, p)} ${n.op} ${wrap(n.b, p + 1)}`;
    }
    case 'call': {
      const fn = dotted(n.fn);
      if (fn === undefined) throw new CodegenError(msg('codegen.unnamed-call'));
      // a torch.nn class the core's evaluator constructs (with its own keyword names), or a pure function
      const cls = /^(?:torch\.)?nn\.([A-Za-z_]\w*)$/.exec(fn)?.[1];
      const isModule = cls !== undefined && Object.hasOwn(NN_MODULES, cls);
      const py = isModule ? fn : Object.hasOwn(FUNCTIONS, fn) ? FUNCTIONS[fn] : undefined;
      if (!py) throw new CodegenError(msg('codegen.unknown-function', { name: fn }));
      for (const [k] of n.kwargs)
        if (!isModule || !NN_MODULES[cls!].includes(k))
          throw new CodegenError(msg('codegen.unknown-keyword', { name: fn, keyword: k }));
      const args = [...n.args.map((a) => printNode(a, o)), ...n.kwargs.map(([k, v]) => `${k}=${printNode(v, o)}`)];
      return `${py}(${args.join(', ')})`;
    }
  }
}

/** Parse a description's expression text, with a message naming where it came from. */
export function parse(src: string, where: Message): PyNode {
  try {
    return parseExpr(src, { subscripts: true });
  } catch (e) {
    if (e instanceof PySyntaxError)
      throw new CodegenError(msg('codegen.bad-expression', { where, src, problem: e.msg }));
    throw e;
  }
}

/** The free names an expression reads (function names excluded). */
export function namesOf(n: PyNode, out = new Set<string>()): Set<string> {
  switch (n.t) {
    case 'name':
      out.add(n.id);
      break;
    case 'attr':
      break;
    case 'sub':
      namesOf(n.obj, out);
      namesOf(n.index, out);
      break;
    case 'list':
      n.items.forEach((x) => namesOf(x, out));
      break;
    case 'un':
      namesOf(n.x, out);
      break;
    case 'bool':
    case 'bin':
      namesOf(n.a, out);
      namesOf(n.b, out);
      break;
    case 'if':
      namesOf(n.a, out);
      namesOf(n.b, out);
      namesOf(n.cond, out);
      break;
    case 'call':
      n.args.forEach((x) => namesOf(x, out));
      n.kwargs.forEach(([, v]) => namesOf(v, out));
      break;
  }
  return out;
}

/** Python source of a literal value as a description holds it (numbers, booleans, None, lists). */
export function literal(v: Py | undefined): string {
  if (v === undefined) return 'None';
  return repr(v);
}

/** A Python string literal of any text: Python's own repr (every line break and control character escaped). */
export const pyString = (s: string): string => reprStr(s);

/** Comment lines for any text: one `# ...` line per line of it, whatever character breaks its lines. */
export function pyComment(text: string): string[] {
  return splitLines(text).map((l) => `# ${visible(l)}`.trimEnd());
}
