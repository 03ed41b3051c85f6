/** Users' own modules as data: the format, library files, the default library. */
export type { CustomArg, CustomModuleSpec, CustomNode } from './spec.ts';
export { compileCustom, CUSTOM_FUNCTIONS, CUSTOM_NN } from './interpret.ts';
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
