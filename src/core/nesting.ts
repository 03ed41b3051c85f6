/**
 * How deeply a YAML text nests, found by a linear scan before any parser recurses into it: the `yaml` package
 * recurses once per level and runs out of stack near a thousand levels (and V8 may then abort the whole
 * process), so a file nested deeper than LIMITS.nesting is refused with a diagnostic instead.
 *
 * The scan counts flow brackets outside quotes and comments, block sequences opened on one line (`- - - x`)
 * and block collections opened by deeper indentation; block scalars (`|`, `>`) are skipped. It may count a
 * little more than the parser would (never less), which only matters far beyond any real file's depth.
 */
import { LIMITS } from './limits.ts';
import { msg, type Message } from './messages/index.ts';

export interface TooDeep {
  /** Offset where the nesting first exceeds the limit, and its 1-based line and column. */
  offset: number;
  line: number;
  column: number;
  message: Message;
}

export function nestingTooDeep(text: string, limit: number = LIMITS.nesting): TooDeep | undefined {
  const n = text.length;
  /** Indentation columns of the open block collections. */
  const blocks: number[] = [];
  let flow = 0;
  let pos = 0;
  const tooDeep = (at: number): TooDeep => ({
    offset: at,
    ...lineColumn(text, at),
    message: msg('yaml-too-deep', { max: limit }),
  });
  while (pos < n) {
    const lineEnd = nextLineEnd(text, pos);
    let i = pos;
    while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++;
    const blank = i >= lineEnd || text[i] === '#';
    if (!blank && flow === 0) {
      // a line's content at column c closes the block collections at c or deeper, then opens one
      const col = i - pos;
      while (blocks.length && blocks[blocks.length - 1] >= col) blocks.pop();
      blocks.push(col);
      // compact sequences on the same line: '- - - x'
      while (i + 1 < lineEnd && text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        i += 2;
        while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++;
        blocks.push(i - pos);
        if (blocks.length > limit) return tooDeep(i);
      }
      if (blocks.length > limit) return tooDeep(i);
    }
    // the rest of the line: flow brackets, quoted scalars (which may run over lines), a comment, a block scalar
    let prev = ' ';
    let blockScalar = false;
    while (i < n && text[i] !== '\n' && text[i] !== '\r') {
      const c = text[i];
      if (c === '#' && (prev === ' ' || i === pos)) {
        i = nextLineEnd(text, i);
        break;
      }
      if ((c === "'" || c === '"') && ' [{,:-?'.includes(prev)) {
        i = skipQuoted(text, i, c);
        prev = c;
        continue;
      }
      if (c === '[' || c === '{') {
        if (++flow + blocks.length > limit) return tooDeep(i);
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if ((c === '|' || c === '>') && flow === 0 && (prev === ' ' || prev === ':' || prev === '-')) {
        blockScalar = /^[|>][-+0-9]*[ \t]*(#.*)?$/.test(text.slice(i, nextLineEnd(text, i)));
      }
      prev = c === '\t' ? ' ' : c;
      i++;
    }
    pos = skipBreak(text, i);
    if (blockScalar) {
      // its lines are content, however indented: skip those indented deeper than the line that opened it
      const parent = blocks.length ? blocks[blocks.length - 1] : 0;
      while (pos < n) {
        const end = nextLineEnd(text, pos);
        let j = pos;
        while (j < end && text[j] === ' ') j++;
        if (j < end && j - pos <= parent) break;
        pos = skipBreak(text, end);
      }
    }
  }
  return undefined;
}

/** Index of the line break ending the line at `pos` (or the text's end). */
function nextLineEnd(text: string, pos: number): number {
  for (let i = pos; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') return i;
  return text.length;
}

function skipBreak(text: string, i: number): number {
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  return i < text.length ? i + 1 : i;
}

/** Past the end of a quoted scalar starting at `i` (it may span lines; '' and \" escape the quote). */
function skipQuoted(text: string, i: number, q: string): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (q === '"' && c === '\\') j++;
    else if (c === q) {
      if (q === "'" && text[j + 1] === "'") j++;
      else return j + 1;
    }
  }
  return text.length;
}

/** 1-based line and column of an offset (a \r\n pair, a \n or a \r ends a line), before any parser ran. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
