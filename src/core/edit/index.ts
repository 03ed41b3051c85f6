/** The editing engine: the config text is the state; every edit is an undoable command that splices it. */
export * from './source.ts';
export * from './commands.ts';
export { yamlArgSpecs } from './splices.ts';
export * from './history.ts';
export * from './refs.ts';
export * from './analysis.ts';
export { copyRowsText, parseRowsText, MAX_PASTED_ROWS, type PastedRow } from './blocks.ts';
export { commentNumber, renumberComment } from './comments.ts';
export { formatValue, formatRow, detectEol, minimalChange } from './text.ts';
export { newRowText } from './new-row.ts';
export type { Section, Slot } from './restructure.ts';
export { parseMismatch } from './consistency.ts';
