/** Simplified Chinese templates of module descriptions' messages (descriptions.codes.ts), spread into zh.ts. */
import type { DESCRIPTION_CODES } from './descriptions.codes.ts';

export const descriptionsZh: Readonly<Record<keyof typeof DESCRIPTION_CODES, string>> = {
  // ---------------------------------------------------------------- module editor edits refused (custom/edit.ts)
  'module-edit.bad-name':
    "''{name}'' 不是有效的{what, select, module {模块名} argument {参数名} width {宽度名} other {输入名}}（只能含字母、数字和 _，且不能以数字开头）",
  'module-edit.no-description': '模块需要描述（会显示在模块库面板中）',
  'module-edit.no-such': '没有这个{what, select, argument {参数} width {宽度} place {位置} other {节点}}',
  'module-edit.arg-exists': "已经有参数 ''{name}''",
  'module-edit.required-after-default': "''{name}''：没有默认值的参数不能放在有默认值的参数之后",
  'module-edit.width-needs-value': '{name}：请给它一个值，例如 c2 // 2',
  'module-edit.name-taken': "''{name}'' 已经是这个模块中的名称",
  'module-edit.value-exists': "已经有值 ''{id}''",
  'module-edit.bad-node-id': "''{id}'' 不是有效的节点 id",
  'module-edit.needs-op': "节点 ''{node}'' 需要 op",
  'module-edit.unknown-ref': "节点 ''{node}'' 读取的 ''{ref}'' 不是任何输入或节点产生的",
  'module-edit.no-value': "没有值 ''{value}''",
  'module-edit.reads-later': "''{node}'' 在 ''{source}'' 之前：节点只能读取它之前产生的值（请先移动它）",
  'module-edit.already-reads': "''{node}'' 已经读取了 ''{source}''",
  'module-edit.no-inputs': '模块至少要有一个输入',
  'module-edit.inputs-differ': '输入名不能重复',
  'module-edit.internal': '{command} 内部出错：{error}；请报告这个问题',
  // ---------------------------------------------------------------- library edits (custom/edit.ts)
  'library-edit.not-a-mapping': '模块库无法读取（不是映射）；请先修正',
  'library-edit.unreadable': '模块库无法读取（{problem}）；请先修正',
  'library-edit.name-taken': '模块库中已有名为 {name} 的模块',
};
