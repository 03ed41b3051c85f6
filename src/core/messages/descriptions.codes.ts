/**
 * The codes of module descriptions' messages (src/core/custom: the module editor's edits and library edits;
 * codegen: descriptions that cannot be written as PyTorch), spread into codes.ts's CODES. Their words are in
 * descriptions.en.ts and descriptions.zh.ts. Long on purpose: one line per code.
 */
import { message, oneOf, text } from './params.ts';

export const DESCRIPTION_CODES = {
  // ---------------------------------------------------------------- module editor edits refused (custom/edit.ts)
  'module-edit.bad-name': { name: text, what: oneOf('module', 'argument', 'width', 'input') },
  'module-edit.no-description': {},
  'module-edit.no-such': { what: oneOf('argument', 'width', 'place', 'node') },
  'module-edit.arg-exists': { name: text },
  'module-edit.required-after-default': { name: text },
  'module-edit.width-needs-value': { name: text },
  'module-edit.name-taken': { name: text },
  'module-edit.value-exists': { id: text },
  'module-edit.bad-node-id': { id: text },
  'module-edit.needs-op': { node: text },
  'module-edit.unknown-ref': { node: text, ref: text },
  'module-edit.no-value': { value: text },
  'module-edit.reads-later': { node: text, source: text },
  'module-edit.already-reads': { node: text, source: text },
  'module-edit.no-inputs': {},
  'module-edit.inputs-differ': {},
  'module-edit.internal': { command: text, error: text },
  // ---------------------------------------------------------------- library edits (custom/edit.ts)
  'library-edit.not-a-mapping': {},
  'library-edit.unreadable': { problem: message },
  'library-edit.name-taken': { name: text },
} as const;
