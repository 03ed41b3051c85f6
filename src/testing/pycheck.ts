/**
 * A Python source checker for tests: a tokenizer that knows what CPython's does about comments, string
 * literals (prefixes, triple quotes, escapes, f-string replacement fields), explicit and implicit line
 * continuation, physical vs logical lines and indentation, and on top of it the list of statements (with their
 * block depth) and of calls (with the expression called). Tests use it to prove that generated Python holds
 * exactly the statements and calls its generator means to write, whatever text the descriptions carried.
 *
 * Strict where CPython is strict (unterminated strings, stray characters such as U+2028 outside strings and
 * comments, inconsistent dedents are errors), so text that would break out of a comment or a string shows up
 * either as an error or as statements and calls nobody wrote on purpose.
 *
 * One file on purpose: the tokenizer and the statement and call lists share CPython's line rules.
 */

export class PyCheckError extends Error {}

export type TokenType = 'name' | 'number' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'comment';

export interface PyToken {
  type: TokenType;
  text: string;
  /** 1-based physical line. */
  line: number;
  /** f-strings: the source of each replacement field's expression. */
  fields?: string[];
}

const OPERATORS = [
  '**=',
  '//=',
  '>>=',
  '<<=',
  '...',
  '->',
  ':=',
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '<<',
  '>>',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
  ...'+-*/%@&|^~<>()[]{},:;.=!'.split(''),
];
const NAME_START = /[\p{L}\p{Nl}_]/u;
const NAME_CHAR = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;
const STRING_PREFIX = /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])?(?='|")/;

/** Tokens of Python source, NEWLINE ending each logical line, INDENT/DEDENT for blocks. Throws PyCheckError. */
export function tokenize(src: string): PyToken[] {
  const out: PyToken[] = [];
  const indents = [0];
  let i = 0;
  let line = 1;
  let depth = 0; // open brackets: line ends inside them are not NEWLINEs
  let atLineStart = true;
  const n = src.length;
  const fail = (m: string): never => {
    throw new PyCheckError(`line ${line}: ${m}`);
  };
  const lineEnd = (k: number): number =>
    src[k] === '\r' && src[k + 1] === '\n' ? 2 : src[k] === '\n' || src[k] === '\r' ? 1 : 0;

  while (i < n) {
    if (atLineStart && depth === 0) {
      // indentation of a new logical line (blank and comment-only lines do not count)
      let col = 0;
      let k = i;
      for (; k < n; k++) {
        const c = src[k];
        if (c === ' ') col++;
        else if (c === '\t') col = (Math.floor(col / 8) + 1) * 8;
        else if (c === '\x0c') col = 0;
        else break;
      }
      const le = lineEnd(k);
      if (k >= n || le || src[k] === '#') {
        i = k;
        if (src[k] === '#') {
          const end = findLineEnd(src, k);
          out.push({ type: 'comment', text: src.slice(k, end), line });
          i = end;
        }
        const le2 = lineEnd(i);
        if (le2) {
          i += le2;
          line++;
        }
        continue;
      }
      if (col > indents[indents.length - 1]) {
        indents.push(col);
        out.push({ type: 'indent', text: '', line });
      } else {
        while (col < indents[indents.length - 1]) {
          indents.pop();
          out.push({ type: 'dedent', text: '', line });
        }
        if (col !== indents[indents.length - 1]) fail('unindent does not match any outer indentation level');
      }
      i = k;
      atLineStart = false;
    }
    const c = src[i];
    const le = lineEnd(i);
    if (le) {
      if (depth === 0) {
        out.push({ type: 'newline', text: '', line });
        atLineStart = true;
      }
      i += le;
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\x0c') {
      i++;
      continue;
    }
    if (c === '\\') {
      const l2 = lineEnd(i + 1);
      if (!l2) fail('unexpected character after line continuation character');
      i += 1 + l2;
      line++;
      continue;
    }
    if (c === '#') {
      const end = findLineEnd(src, i);
      out.push({ type: 'comment', text: src.slice(i, end), line });
      i = end;
      continue;
    }
    const prefix = STRING_PREFIX.exec(src.slice(i, i + 3));
    if (prefix) {
      const start = i;
      const startLine = line;
      const p = prefix[0].toLowerCase();
      i += prefix[0].length;
      const q = src[i];
      const triple = src.slice(i, i + 3) === q.repeat(3);
      const close = triple ? q.repeat(3) : q;
      i += close.length;
      const bodyStart = i;
      for (;;) {
        if (i >= n) fail(`unterminated string literal (from line ${startLine})`);
        if (src[i] === '\\') {
          const l2 = lineEnd(i + 1);
          if (l2) line++;
          i += 1 + (l2 || 1);
          continue;
        }
        if (src.startsWith(close, i)) break;
        const l2 = lineEnd(i);
        if (l2) {
          if (!triple) fail(`unterminated string literal (from line ${startLine})`);
          line++;
          i += l2;
          continue;
        }
        i++;
      }
      const body = src.slice(bodyStart, i);
      i += close.length;
      const tok: PyToken = { type: 'string', text: src.slice(start, i), line: startLine };
      if (p.includes('f')) tok.fields = fstringFields(body, fail);
      out.push(tok);
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d*(?:[eE][-+]?\d+)?[jJ]?)/.exec(
        src.slice(i, i + 64),
      )!;
      out.push({ type: 'number', text: m[0], line });
      i += m[0].length;
      continue;
    }
    if (NAME_START.test(c)) {
      let k = i + 1;
      while (k < n && NAME_CHAR.test(src[k])) k++;
      out.push({ type: 'name', text: src.slice(i, k), line });
      i = k;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op || op === '!') {
      const cp = src.codePointAt(i)!;
      fail(`invalid character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
    }
    if ('([{'.includes(op!)) depth++;
    if (')]}'.includes(op!)) {
      if (!depth) fail(`unmatched '${op}'`);
      depth--;
    }
    out.push({ type: 'op', text: op!, line });
    i += op!.length;
  }
  if (depth) fail('unexpected end of file inside brackets');
  if (!atLineStart) out.push({ type: 'newline', text: '', line });
  while (indents.length > 1) {
    indents.pop();
    out.push({ type: 'dedent', text: '', line });
  }
  return out;
}

function findLineEnd(src: string, k: number): number {
  while (k < src.length && src[k] !== '\n' && src[k] !== '\r') k++;
  return k;
}

/** The expressions of an f-string's replacement fields ('{x!r:>10}' gives 'x'); '{{' and '}}' are literal braces. */
function fstringFields(body: string, fail: (m: string) => never): string[] {
  const fields: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{' && body[i + 1] === '{') {
      i++;
      continue;
    }
    if (c === '}') {
      if (body[i + 1] === '}') {
        i++;
        continue;
      }
      fail("f-string: single '}' is not allowed");
    }
    if (c !== '{') continue;
    let depth = 0;
    let k = i + 1;
    let end = -1;
    for (; k < body.length; k++) {
      const d = body[k];
      if (d === "'" || d === '"') {
        const close = body.indexOf(d, k + 1);
        if (close < 0) fail('f-string: unterminated string in a replacement field');
        k = close;
      } else if ('([{'.includes(d)) depth++;
      else if (')]'.includes(d)) depth--;
      else if (d === '}' && depth === 0) break;
      else if (d === '}') depth--;
      else if ((d === '!' || d === ':') && depth === 0 && end < 0 && body[k + 1] !== '=') end = k;
    }
    if (k >= body.length) fail("f-string: expecting '}'");
    fields.push(body.slice(i + 1, end < 0 ? k : end));
    i = k;
  }
  return fields;
}

export interface Statement {
  /** Block depth (0 at module level). */
  depth: number;
  line: number;
  tokens: PyToken[];
  /** The tokens' text joined by single spaces (comments left out). */
  text: string;
  /** A compound statement's header (if, for, def, class, ...), ending with ':'. */
  compound: boolean;
}

const COMPOUND = new Set([
  'if',
  'elif',
  'else',
  'for',
  'while',
  'def',
  'class',
  'with',
  'try',
  'except',
  'finally',
  'async',
]);

/** Statements, one per simple statement or compound header (`if x: y` gives two; `a; b` gives two). */
export function statements(src: string): Statement[] {
  const toks = tokenize(src);
  const out: Statement[] = [];
  let depth = 0;
  let cur: PyToken[] = [];
  let extra = 0; // a compound header's body on the same line is one level deeper
  const flush = (compound = false) => {
    if (cur.length)
      out.push({
        depth: depth + extra,
        line: cur[0].line,
        tokens: cur,
        text: cur.map((t) => t.text).join(' '),
        compound,
      });
    cur = [];
  };
  for (const t of toks) {
    if (t.type === 'comment') continue;
    if (t.type === 'indent') {
      depth++;
      continue;
    }
    if (t.type === 'dedent') {
      depth--;
      continue;
    }
    if (t.type === 'newline') {
      flush();
      extra = 0;
      continue;
    }
    if (t.type === 'op' && t.text === ';' && bracketDepth(cur) === 0) {
      flush();
      continue;
    }
    cur.push(t);
    // a compound header ends at its ':' outside brackets (a lambda's ':' excepted)
    if (
      t.type === 'op' &&
      t.text === ':' &&
      cur[0].type === 'name' &&
      COMPOUND.has(cur[0].text) &&
      bracketDepth(cur) === 0 &&
      !cur.some((x) => x.type === 'name' && x.text === 'lambda')
    ) {
      flush(true);
      extra++;
    }
  }
  flush();
  return out;
}

function bracketDepth(toks: PyToken[]): number {
  let d = 0;
  for (const t of toks) {
    if (t.type !== 'op') continue;
    if ('([{'.includes(t.text)) d++;
    if (')]}'.includes(t.text)) d--;
  }
  return d;
}

export interface Call {
  /** The expression called, with bracket contents elided: 'nn.Conv2d', 'self.cv1', 'super(...).__init__', 'getattr(...)'. */
  callee: string;
  line: number;
}

/** Every call in the source, f-string replacement fields included. */
export function calls(src: string): Call[] {
  return callsIn(tokenize(src));
}

function callsIn(toks: PyToken[]): Call[] {
  const out: Call[] = [];
  const code = toks.filter(
    (t) => t.type !== 'comment' && t.type !== 'newline' && t.type !== 'indent' && t.type !== 'dedent',
  );
  code.forEach((t, k) => {
    if (t.type === 'string' && t.fields) for (const f of t.fields) out.push(...callsIn(tokenize(`(${f})\n`)));
    if (t.type !== 'op' || t.text !== '(' || k === 0) return;
    const prev = code[k - 1];
    // '(' after a name, ')' or ']' is a call (after a keyword such as 'in' or 'if' it is a parenthesised expression)
    const isCallable =
      (prev.type === 'name' && !KEYWORDS.has(prev.text)) ||
      (prev.type === 'op' && (prev.text === ')' || prev.text === ']')) ||
      prev.type === 'string';
    // 'def f(' and 'class C(' declare, they do not call
    const decl = code[k - 2]?.type === 'name' && (code[k - 2].text === 'def' || code[k - 2].text === 'class');
    if (!isCallable || decl) return;
    out.push({ callee: primary(code, k - 1), line: t.line });
  });
  return out;
}

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/** The primary expression ending at token k (names, dots, calls and subscripts), brackets elided. */
function primary(code: PyToken[], k: number): string {
  const parts: string[] = [];
  while (k >= 0) {
    const t = code[k];
    if (t.type === 'op' && (t.text === ')' || t.text === ']')) {
      const open = t.text === ')' ? '(' : '[';
      let d = 0;
      let j = k;
      for (; j >= 0; j--) {
        const u = code[j];
        if (u.type !== 'op') continue;
        if (u.text === t.text) d++;
        else if (u.text === open && --d === 0) break;
      }
      parts.unshift(open === '(' ? '(...)' : '[...]');
      k = j - 1;
      const before = code[k];
      if (
        !before ||
        !(before.type === 'name' || (before.type === 'op' && (before.text === ')' || before.text === ']')))
      )
        break;
      if (before.type === 'name' && KEYWORDS.has(before.text)) break;
      continue;
    }
    if (t.type === 'name' && !KEYWORDS.has(t.text)) {
      parts.unshift(t.text);
      if (code[k - 1]?.type === 'op' && code[k - 1].text === '.') {
        parts.unshift('.');
        k -= 2;
        continue;
      }
      break;
    }
    if (t.type === 'string') {
      parts.unshift('<string>');
      break;
    }
    break;
  }
  return parts.join('');
}
