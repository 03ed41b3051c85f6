/** Modules as data: the description format, its primitives and compiler, library files, the default library. */
export type { DescribedParseRule, ModuleArg, ModuleCheck, ModuleNode, ModuleSpec } from './spec.ts';
export { argSpecs, compileModule } from './interpret.ts';
export { FUNCTION_OPS, MODULE_OPS, PRIMITIVES, isPrimitive, type Primitive } from './ops.ts';
export {
  loadLibraryChain,
  parseModuleLibrary,
  registryWith,
  type LibrarySource,
  type ModuleLibrary,
} from './library.ts';
export { DEFAULT_LIBRARY_YAML, defaultLibrary } from './defaults.ts';
export {
  MULTI_INPUT_OPS,
  describeModuleEdit,
  freshId,
  moduleCommand,
  moduleYaml,
  newModuleSpec,
  nodeInputs,
  removeLibraryEntry,
  setLibraryEntry,
  tryModule,
  valueNames,
  type ModuleCommand,
  type ModuleEdit,
  type ModuleEditResult,
  type ModuleTrial,
} from './edit.ts';
