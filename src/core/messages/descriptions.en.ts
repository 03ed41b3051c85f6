/** English templates of module descriptions' messages (descriptions.codes.ts), spread into en.ts. */
import type { DESCRIPTION_CODES } from './descriptions.codes.ts';

export const descriptionsEn: Readonly<Record<keyof typeof DESCRIPTION_CODES, string>> = {
  // ---------------------------------------------------------------- module editor edits refused (custom/edit.ts)
  'module-edit.bad-name':
    "''{name}'' is not a valid {what, select, module {module} argument {argument} width {width} other {input}} name (letters, digits and _, not starting with a digit)",
  'module-edit.no-description': 'a module needs a description (it shows in the palette)',
  'module-edit.no-such': 'no such {what, select, argument {argument} width {width} place {place} other {node}}',
  'module-edit.arg-exists': "there is already an argument ''{name}''",
  'module-edit.required-after-default': "''{name}'': an argument without a default cannot follow one with a default",
  'module-edit.width-needs-value': '{name}: give it a value, e.g. c2 // 2',
  'module-edit.name-taken': "''{name}'' is already a name of this module",
  'module-edit.value-exists': "there is already a value ''{id}''",
  'module-edit.bad-node-id': "''{id}'' is not a valid node id",
  'module-edit.needs-op': "node ''{node}'' needs an op",
  'module-edit.unknown-ref': "node ''{node}'' reads ''{ref}'', which no input or node produces",
  'module-edit.no-value': "no value ''{value}''",
  'module-edit.reads-later':
    "''{node}'' comes before ''{source}'': a node reads only values made before it (move it first)",
  'module-edit.already-reads': "''{node}'' already reads ''{source}''",
  'module-edit.no-inputs': 'a module has at least one input',
  'module-edit.inputs-differ': 'input names must differ',
  'module-edit.internal': 'internal error in {command}: {error}; please report it',
  // ---------------------------------------------------------------- library edits (custom/edit.ts)
  'library-edit.not-a-mapping': 'the library cannot be read (not a mapping); fix it first',
  'library-edit.unreadable': 'the library cannot be read ({problem}); fix it first',
  'library-edit.name-taken': 'the library already has a module named {name}',
};
