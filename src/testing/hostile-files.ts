/**
 * Hostile files made in the test that uses them (none are kept in git): model YAMLs, module libraries and
 * PyTorch checkpoints built to make a reader work or allocate without end.
 */
import { crc32 } from '../core/checkpoint/index.ts';

/** A small valid model around some rows (backbone only, no head: warnings, not errors). */
export function modelWith(rows: string[], header = 'nc: 2\ndepth_multiple: 1.0\nwidth_multiple: 1.0\nanchors: 1\n') {
  return `${header}backbone:\n  [${rows.join(',\n   ')}]\nhead: []\n`;
}

/** A zip archive of stored (uncompressed) entries, as torch.save writes them. */
export function storedZip(files: [string, Uint8Array][]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const header = (fields: [number, 2 | 4][]) => {
    const b = new Uint8Array(fields.reduce((n, [, w]) => n + w, 0));
    const v = new DataView(b.buffer);
    let at = 0;
    for (const [x, w] of fields) {
      if (w === 2) v.setUint16(at, x, true);
      else v.setUint32(at, x >>> 0, true);
      at += w;
    }
    return b;
  };
  for (const [name, data] of files) {
    const nb = enc.encode(name);
    const crc = crc32(data);
    const local = header([
      [0x04034b50, 4],
      [20, 2],
      [0, 2],
      [0, 2],
      [0, 2],
      [0, 2],
      [crc, 4],
      [data.length, 4],
      [data.length, 4],
      [nb.length, 2],
      [0, 2],
    ]);
    parts.push(local, nb, data);
    central.push(
      header([
        [0x02014b50, 4],
        [20, 2],
        [20, 2],
        [0, 2],
        [0, 2],
        [0, 2],
        [0, 2],
        [crc, 4],
        [data.length, 4],
        [data.length, 4],
        [nb.length, 2],
        [0, 2],
        [0, 2],
        [0, 2],
        [0, 2],
        [0, 4],
        [offset, 4],
      ]),
      nb,
    );
    offset += local.length + nb.length + data.length;
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  const end = header([
    [0x06054b50, 4],
    [0, 2],
    [0, 2],
    [files.length, 2],
    [files.length, 2],
    [cdSize, 4],
    [offset, 4],
    [0, 2],
  ]);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of all) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** A checkpoint whose data.pkl is `pickle` (protocol 2 opcodes, STOP included). */
export const checkpointOf = (pickle: Uint8Array) => storedZip([['archive/data.pkl', pickle]]);

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
