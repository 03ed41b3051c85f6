/**
 * PyTorch classes from module descriptions (src/core/custom/spec.ts): the same data the core interprets
 * becomes an nn.Module whose state_dict names, parameter shapes and forward pass are those the core computes.
 *
 * __init__ mirrors the nodes that build modules (class-init.ts: loops and conditions kept as Python `for` and
 * `if` on the constructor's arguments), forward mirrors every node (class-forward.ts); class-writer.ts holds
 * what both check and write.
 */
import type { ModuleSpec } from '../custom/spec.ts';
import { textIn } from '../text.ts';
import { layoutModules, writeInit, writeSubclass } from './class-init.ts';
import { writeForward } from './class-forward.ts';
import { ClassWriter, MODULE_ATTRS, type ClassContext } from './class-writer.ts';
import { pyComment } from './pyprint.ts';

export { opKind, type ClassContext, type OpKind } from './class-writer.ts';

export interface GeneratedClass {
  name: string;
  code: string;
  /** Imports it needs: module -> names. */
  imports: Map<string, Set<string>>;
  /** Generated classes it uses (they must come first in the file). */
  uses: Set<string>;
}

/** Generate one class. Throws CodegenError when the description cannot be written as PyTorch. */
export function generateClass(spec: ModuleSpec, ctx: ClassContext): GeneratedClass {
  const w = new ClassWriter(spec, ctx);
  const { name, imports, uses, inputs } = w;
  const layout = layoutModules(w);
  const init = writeInit(w, layout);
  if (spec.base) return { name, code: writeSubclass(w, spec.base, init), imports, uses };
  const fwd = writeForward(w, layout);

  // the constructor's values forward reads, kept as attributes under names no module takes
  const storedList = [...w.argNames, ...w.varNames].filter((n) => fwd.stored.has(n));
  const attrName = new Map<string, string>();
  for (const s of storedList) {
    let a = s;
    while (layout.topAttrs.has(a) || MODULE_ATTRS.has(a) || (a.startsWith('_') && layout.topAttrs.has(a.slice(1))))
      a = `_${a}`;
    attrName.set(s, a);
  }
  // the description as comment lines: split at every line-breaking character, so none can end a comment early
  const lines = [...pyComment(textIn(spec.description)), `class ${name}(nn.Module):`, ...init];
  if (storedList.length)
    lines.push(`        ${storedList.map((s) => `self.${attrName.get(s)}`).join(', ')} = ${storedList.join(', ')}`);
  lines.push('');
  const param = inputs.length > 1 ? 'inputs' : inputs[0];
  lines.push(`    def forward(self, ${param}):`);
  if (inputs.length > 1)
    lines.push(`        ${inputs.join(', ')} = ${inputs.map((_, j) => `inputs[${j}]`).join(', ')}`);
  if (storedList.length)
    lines.push(`        ${storedList.join(', ')} = ${storedList.map((s) => `self.${attrName.get(s)}`).join(', ')}`);
  if (fwd.dicts.length) lines.push(`        ${fwd.dicts.join(', ')} = ${fwd.dicts.map(() => '{}').join(', ')}`);
  if (fwd.dynamicLast) lines.push(`        _last = ${inputs[0]}`);
  lines.push(...fwd.lines, `        return ${fwd.out}`);
  return { name, code: `${lines.join('\n')}\n`, imports, uses };
}
