/** Simplified Chinese templates of the Python expression evaluator's errors (py.codes.ts), spread into zh.ts. */
import type { PY_CODES } from './py.codes.ts';

export const pyZh: Readonly<Record<keyof typeof PY_CODES, string>> = {
  // ---------------------------------------------------------------- syntax (parseExpr)
  'py.invalid-syntax': '在 "{at}" 处有语法错误',
  'py.too-long': '表达式太长',
  'py.too-deep': '表达式嵌套太深',
  'py.expected-before': '"{token}" 之前应为 {expected}',
  'py.expected-at-end': '表达式末尾应为 {expected}',
  'py.expected-value-at-end': '表达式末尾缺少一个值',
  'py.expected-else': "缺少 'else'",
  'py.expected-name-after-dot': '"." 之后应为名称',
  'py.invalid-number': '无效的数字 "{number}"',
  'py.unexpected': '意外的 "{token}"',
  'py.string-spans-lines': '字符串字面量不能跨行',
  'py.string-ends-in-backslash': '字符串字面量以反斜杠结尾',
  'py.truncated-escape': '\\{escape} 转义序列不完整',
  'py.illegal-unicode': '非法的 Unicode 字符 \\{escape}',
  // ---------------------------------------------------------------- evaluation (evalNode, compileNode)
  'py.needs-number': '{fn}() 需要一个数字',
  'py.len-needs-list': 'len() 需要一个列表',
  'py.of-nothing': '{fn}() 的参数为空',
  'py.list-too-long': '{size, number} 个元素的列表太长（最多 {max, number} 个，各层都计入）',
  'py.list-times-non-int': '列表只能乘以整数',
  'py.unsupported-operands': '运算符 {op} 不支持这些操作数类型',
  'py.division-by-zero': '除以零',
  'py.modulo-by-zero': '对零取模',
  'py.unknown-operator': '未知运算符 {op}',
  'py.name-not-defined': "名称 ''{name}'' 未定义",
  'py.bad-unary-minus': '一元负号的操作数类型不对',
  'py.unknown-nn-module': "模块 'torch.nn' 没有 YOLO Architect 认识的属性 ''{name}''",
  'py.too-many-args': '{what} 最多接受 {max} 个参数，实际为 {got} 个',
  'py.unexpected-keyword': "{what} 收到了意外的关键字参数 ''{keyword}''",
  'py.not-indexable': '只有列表或字符串可以索引',
  'py.index-not-whole': '索引必须是整数',
  'py.index-out-of-range': '索引超出范围',
};
