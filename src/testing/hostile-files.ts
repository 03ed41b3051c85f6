/**
 * Hostile files made in the test that uses them (none are kept in git): model YAMLs, module libraries and
 * PyTorch checkpoints built to make a reader work or allocate without end.
 */
import { zip } from './torch-save.ts';

/** A small valid model around some rows (backbone only, no head: warnings, not errors). */
export function modelWith(rows: string[], header = 'nc: 2\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\n') {
  return `${header}backbone:\n  [${rows.join(',\n   ')}]\nhead: []\n`;
}

/** A checkpoint whose data.pkl is `pickle` (protocol 2 opcodes, STOP included). */
export const checkpointOf = (pickle: Uint8Array) => zip([['archive/data.pkl', pickle]]);

/** A pickle of one list holding `n` empty dicts: n bytes of EMPTY_DICT (20 MB reached 4.5 GB before). */
export function emptyDictsPickle(n: number): Uint8Array {
  const b = new Uint8Array(n + 6);
  b.set([0x80, 0x02, 0x5d, 0x28]); // PROTO 2, EMPTY_LIST, MARK
  b.fill(0x7d, 4, 4 + n); // EMPTY_DICT x n
  b.set([0x65, 0x2e], 4 + n); // APPENDS, STOP
  return b;
}

/**
 * A pickle of one dict into which the same tuple key of `parts` Nones is inserted `inserts` times (memo GET of
 * the tuple, then a value): each insert used to rebuild the key's identity from all its parts.
 */
export function tupleKeysPickle(parts: number, inserts: number): Uint8Array {
  const b: number[] = [0x80, 0x02, 0x28];
  for (let i = 0; i < parts; i++) b.push(0x4e); // MARK, NONE x parts
  b.push(0x74, 0x71, 0x00, 0x30); // TUPLE, BINPUT 0, POP
  b.push(0x7d, 0x28); // EMPTY_DICT, MARK
  const head = new Uint8Array(b);
  const out = new Uint8Array(head.length + inserts * 3 + 2);
  out.set(head);
  for (let i = 0, at = head.length; i < inserts; i++, at += 3) out.set([0x68, 0x00, 0x4e], at); // BINGET 0, NONE
  out.set([0x75, 0x2e], head.length + inserts * 3); // SETITEMS, STOP
  return out;
}
