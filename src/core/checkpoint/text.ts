/** Text decoding for the readers. TextDecoder exists in every runtime the core runs in (Node, browsers,
 * workers) but is typed only by the DOM library, which the core's tsconfig leaves out on purpose. */
declare const TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(bytes: Uint8Array): string };

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** UTF-8 text; throws a TypeError on malformed bytes when `fatal`. */
export const utf8 = (b: Uint8Array, fatal = true): string => (fatal ? strict : lenient).decode(b);

/** ISO-8859-1 (every byte one code point, as Python's latin-1; not the WHATWG windows-1252 "latin1"). */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
