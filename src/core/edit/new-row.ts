/**
 * The row a new layer of a module is written as: its `from` and arguments by its parse rule, or the
 * arguments its description gives as its example (nn.Upsample's [None, 2, 'nearest']).
 */
import type { ModuleDef, ParseRule } from '../graph.ts';
import type { FamilyId } from '../parse-model/family.ts';
import { yamlArgSpecs } from './splices.ts';
import { formatValue } from './text.ts';

/** Per parse rule: what a new row reads, and its arguments when the module gives no example. */
const RULES: Record<ParseRule, { from: string; args(def: ModuleDef, widthIn: number): string[] }> = {
  channels: { from: '-1', args: (_d, w) => [String(w)] },
  channelsRepeat: { from: '-1', args: (_d, w) => [String(w)] },
  concat: { from: '[-1, -2]', args: () => ['1'] },
  detect: { from: '[-1]', args: () => ['nc', 'anchors'] },
  batchNorm: { from: '-1', args: () => [] },
  contract: { from: '-1', args: defaults },
  expand: { from: '-1', args: defaults },
  passthrough: { from: '-1', args: defaults },
};

/** The written arguments with a default or required, the trailing Nones left out. */
function defaults(def: ModuleDef): string[] {
  const args = yamlArgSpecs(def)
    .filter((s) => s.default !== undefined || s.required)
    .map((s) => (s.default !== undefined ? formatValue(s.default) : '1'));
  while (args.length && args[args.length - 1] === 'None') args.pop();
  return args;
}

/** An Ultralytics head: nc, kpt_shape by name, then its own defaults (no anchors). */
function ultralyticsHead(def: ModuleDef): string[] {
  return yamlArgSpecs(def).map((s, k) =>
    k === 0 ? 'nc' : s.name === 'kpt_shape' ? 'kpt_shape' : s.default !== undefined ? formatValue(s.default) : '1',
  );
}

/**
 * `[from, 1, module, args]` for a new layer of `def` reading the layer above, whose channels as written in
 * the config (before the width multiple) are `widthIn`, in a model of `family` (YOLOv5's when absent).
 */
export function newRowText(def: ModuleDef, widthIn: number, family: FamilyId = 'yolov5'): string {
  const rule = RULES[def.parse];
  const args =
    def.example ??
    `[${(family === 'ultralytics' && def.parse === 'detect' ? ultralyticsHead(def) : rule.args(def, widthIn)).join(', ')}]`;
  return `[${rule.from}, 1, ${def.name}, ${args}]`;
}
