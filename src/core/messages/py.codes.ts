/**
 * The codes of the Python expression evaluator's errors (pyexpr.ts: a config's argument strings, a module
 * description's expressions), spread into codes.ts's CODES. Their words are in py.en.ts and py.zh.ts.
 */
import { num, text } from './params.ts';

export const PY_CODES = {
  // ---------------------------------------------------------------- syntax (parseExpr)
  'py.invalid-syntax': { at: text },
  'py.too-long': {},
  'py.too-deep': {},
  'py.expected-before': { expected: text, token: text },
  'py.expected-at-end': { expected: text },
  'py.expected-value-at-end': {},
  'py.expected-else': {},
  'py.expected-name-after-dot': {},
  'py.invalid-number': { number: text },
  'py.unexpected': { token: text },
  'py.string-spans-lines': {},
  'py.string-ends-in-backslash': {},
  'py.truncated-escape': { escape: text },
  'py.illegal-unicode': { escape: text },
  // ---------------------------------------------------------------- evaluation (evalNode, compileNode)
  'py.needs-number': { fn: text },
  'py.len-needs-list': {},
  'py.of-nothing': { fn: text },
  'py.list-too-long': { size: num, max: num },
  'py.list-times-non-int': {},
  'py.unsupported-operands': { op: text },
  'py.division-by-zero': {},
  'py.modulo-by-zero': {},
  'py.unknown-operator': { op: text },
  'py.name-not-defined': { name: text },
  'py.bad-unary-minus': {},
  'py.unknown-nn-module': { name: text },
  /** A call's arguments against its signature: nn.X(...) in an expression, a module or function in a description's body. */
  'py.too-many-args': { what: text, max: num, got: num },
  'py.unexpected-keyword': { what: text, keyword: text },
  'py.not-indexable': {},
  'py.index-not-whole': {},
  'py.index-out-of-range': {},
} as const;
