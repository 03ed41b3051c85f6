/** English templates of the Python expression evaluator's errors (py.codes.ts), spread into en.ts. */
import type { PY_CODES } from './py.codes.ts';

export const pyEn: Readonly<Record<keyof typeof PY_CODES, string>> = {
  // ---------------------------------------------------------------- syntax (parseExpr)
  'py.invalid-syntax': 'invalid syntax at "{at}"',
  'py.too-long': 'expression is too long',
  'py.too-deep': 'expression is nested too deeply',
  'py.expected-before': 'expected {expected} before "{token}"',
  'py.expected-at-end': 'expected {expected} at the end',
  'py.expected-value-at-end': 'expected a value at the end',
  'py.expected-else': "expected 'else'",
  'py.expected-name-after-dot': 'expected a name after "."',
  'py.invalid-number': 'invalid number "{number}"',
  'py.unexpected': 'unexpected "{token}"',
  'py.string-spans-lines': 'a string literal cannot span lines',
  'py.string-ends-in-backslash': 'a string literal ends with a backslash',
  'py.truncated-escape': 'truncated \\{escape} escape',
  'py.illegal-unicode': 'illegal Unicode character \\{escape}',
  // ---------------------------------------------------------------- evaluation (evalNode, compileNode)
  'py.needs-number': '{fn}() needs a number',
  'py.len-needs-list': 'len() needs a list',
  'py.of-nothing': '{fn}() of nothing',
  'py.list-too-long': 'a list of {size, number} elements is too long (at most {max, number}, all levels counted)',
  'py.list-times-non-int': "can't multiply a list by a non-int",
  'py.unsupported-operands': 'unsupported operand types for {op}',
  'py.division-by-zero': 'division by zero',
  'py.modulo-by-zero': 'modulo by zero',
  'py.unknown-operator': 'unknown operator {op}',
  'py.name-not-defined': "name ''{name}'' is not defined",
  'py.bad-unary-minus': 'bad operand type for unary -',
  'py.unknown-nn-module': "module 'torch.nn' has no attribute ''{name}'' known to YOLO Architect",
  'py.too-many-args': '{what} takes at most {max, plural, one {# argument} other {# arguments}}, got {got}',
  'py.unexpected-keyword': "{what} got an unexpected keyword argument ''{keyword}''",
  'py.not-indexable': 'only a list or a string can be indexed',
  'py.index-not-whole': 'indices must be whole numbers',
  'py.index-out-of-range': 'index out of range',
};
