/**
 * Names that become code, and text that goes into comments: checked where a file is read (module libraries)
 * and again where Python or YAML is written (codegen, checkpoint YAML). One definition for both ends.
 */

/** A plain identifier (ASCII, as YOLOv5's own names): letters, digits and _, not starting with a digit. */
export const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Python's keywords (and soft keywords that cannot stand as plain names in every position). */
export const PY_KEYWORDS: ReadonlySet<string> = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/** A plain identifier that Python also accepts as a variable name (no keyword). */
export const isIdentifier = (s: unknown): s is string => typeof s === 'string' && IDENT.test(s) && !PY_KEYWORDS.has(s);

/**
 * An attribute name we write after `self.`: not starting with two underscores. Inside a class Python rewrites
 * `self.__x` to `self._Class__x` (so `hasattr(self, '__x')` never finds it), and dunder names reach its internals.
 */
export const isPlainAttribute = (s: string): boolean => !s.startsWith('__');

/**
 * Every character some reader treats as a line break: Python ends lines at \n and \r; str.splitlines(), PyYAML
 * and many editors also at \x0b, \x0c, \x1c-\x1e, \x85, U+2028 and U+2029. A comment or a name we write never
 * contains one of them.
 */
export const LINE_BREAK = /[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]/;
const LINE_BREAKS = new RegExp(LINE_BREAK.source, 'g');

/** Whether text holds a line-breaking character. */
export const hasLineBreak = (s: string): boolean => LINE_BREAK.test(s);

/** The text on one line: each line-breaking character (a \r\n pair counts once) becomes `replacement`. */
export function oneLine(s: string, replacement = ' '): string {
  return s.replace(/\r\n/g, '\n').replace(LINE_BREAKS, replacement);
}

/** The text as lines, split at every line-breaking character (for writing each as its own comment line). */
export function splitLines(s: string): string[] {
  return s.replace(/\r\n/g, '\n').split(LINE_BREAKS);
}

/** `{expr}` parts of a templated name ('sp{i}', 'convs.{i}'). */
export const TEMPLATE_PART = /\{([^{}]*)\}/g;

/**
 * Whether `s` is an identifier in which `{expr}` parts stand for values (ids like 'c{i}', 's{i}_{j}'): with
 * every part replaced by a letter it is an identifier, and each part's expression is accepted by `expr`.
 */
export function isTemplatedIdentifier(s: string, expr: (e: string) => boolean = () => true): boolean {
  if (typeof s !== 'string' || hasLineBreak(s)) return false;
  let ok = true;
  const flat = s.replace(TEMPLATE_PART, (_m, e: string) => {
    if (!e.trim() || !expr(e)) ok = false;
    return 'x';
  });
  return ok && IDENT.test(flat);
}

/**
 * Text safe to show on one line of a comment or a terminal: every control, format (bidirectional overrides
 * included), private-use, surrogate or unassigned character written as a visible \xNN / \uNNNN escape, so
 * nothing can end the line, reorder what a reader sees, or drive a terminal. A tab stays a tab.
 */
export function visible(s: string): string {
  return s.replace(/(?!\t)[\p{C}\p{Zl}\p{Zp}]/gu, escapeChar);
}

/** One character as a \xNN, \uNNNN or \UNNNNNNNN escape (as Python and YAML's double quotes read them). */
export function escapeChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  return c < 0x100
    ? `\\x${c.toString(16).padStart(2, '0')}`
    : c < 0x10000
      ? `\\u${c.toString(16).padStart(4, '0')}`
      : `\\U${c.toString(16).padStart(8, '0')}`;
}

/** Text for one YAML name or comment: line breaks become spaces, other non-printable characters are dropped. */
export function yamlSafe(s: string): string {
  return oneLine(s).replace(/(?!\t)[\p{C}]/gu, '');
}
