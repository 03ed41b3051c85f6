/** src/core public API: pure functions from config text to everything the app shows. */
export * from './py.ts';
export * from './diagnostics.ts';
export * from './document.ts';
export * from './graph.ts';
export * from './propagate.ts';
export * from './registry.ts';
export * from './format.ts';
export * from './edit/index.ts';
export * from './custom/index.ts';
export * from './codegen/index.ts';
export * from './diff.ts';
export * from './checkpoint/index.ts';
export * from './limits.ts';
export * from './names.ts';
export { nestingTooDeep, type TooDeep } from './nesting.ts';
