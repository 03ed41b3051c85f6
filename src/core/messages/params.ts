/**
 * The kinds of a message's parameters, so that every code's params are typed and the catalogs' tests know
 * what each template may do with each one (ICU MessageFormat: `{x}`, `{x, number}`, `{x, plural, ...}`,
 * `{x, select, ...}`).
 */

/** A string inserted as it is (a name, a value as Python writes it, a path). */
export const text = 'text';
/** A number: `{x}` writes it as JavaScript does (5000, 0.5, NaN); `{x, number}` groups its digits; plural counts it. */
export const num = 'number';
/** A boolean, chosen on with `{x, select, true {...} other {...}}`. */
export const flag = 'flag';
/** A message inside this one (a build error inside a layer's problem), written in the same language. */
export const message = 'message';
/** A text given in several languages (a module description's own words): written in the message's language, else English. */
export const texts = 'texts';
/** One of a few words, chosen on with `{x, select, word {...} other {...}}`. */
export const oneOf = <const T extends string>(...values: T[]): readonly T[] => values;

export type Kind = typeof text | typeof texts | typeof num | typeof flag | typeof message | readonly string[];

/** A code's parameters: each name with its kind. */
export type ParamKinds = Readonly<Record<string, Kind>>;
