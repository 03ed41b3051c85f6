/**
 * How a module becomes a ModuleDef: a description (the format of src/core/custom/spec.ts) is compiled;
 * a module the format cannot express yet is hand-written with the same header (name, category, texts,
 * parse rule, typed arguments) and a build function. A model family's index then registers either under
 * its Python path (`at`).
 */
import { bare, type ModuleDef, type ParseRule, type Scope, type Value } from '../graph.ts';
import { argSpecs, compileModule } from '../custom/interpret.ts';
import type { ModuleArg, ModuleSpec } from '../custom/spec.ts';
import { textIn, translations, type Text } from '../text.ts';
import type { Category } from './categories.ts';

/** A module written as data: compiled once. */
export const describeModule = (spec: ModuleSpec): ModuleDef => compileModule(spec);

/** What a hand-written module declares: the same header as a description, and its build. */
export interface HandWritten {
  name: string;
  description: Text;
  category: Category;
  parse: ParseRule;
  args: ModuleArg[];
  /** Takes a list of inputs (Concat, Detect). */
  multiInput?: boolean;
  internal?: boolean;
  example?: string;
  build(s: Scope, a: Record<string, any>, xs: Value[]): Value;
}

export function handWritten(h: HandWritten): ModuleDef {
  const descriptions = translations(h.description);
  return {
    name: h.name,
    torchPath: `models.common.${bare(h.name)}`,
    category: h.category,
    description: textIn(h.description),
    ...(descriptions ? { descriptions } : {}),
    parse: h.parse,
    args: argSpecs(h),
    ...(h.multiInput ? { multiInput: true } : {}),
    ...(h.internal ? { internal: true } : {}),
    ...(h.example !== undefined ? { example: h.example } : {}),
    build: h.build,
  };
}

/**
 * A module registered under a Python module path: its class is `${module}.${name without nn.}`. `generated`:
 * the framework does not ship it, so exporting a model that uses it writes its PyTorch class.
 */
export const at = (module: string, def: ModuleDef, opts: { generated?: boolean } = {}): ModuleDef => ({
  ...def,
  torchPath: `${module}.${bare(def.name)}`,
  ...(opts.generated ? { generated: true } : {}),
});
