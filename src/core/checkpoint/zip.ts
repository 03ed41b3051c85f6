/**
 * A strict reader for the ZIP archives `torch.save` writes (every entry STORED, i.e. uncompressed;
 * zip64 records when the archive or an entry passes 4 GiB). Bytes in, views out: nothing is copied.
 * Every size and offset is checked against the bytes actually there, so a truncated or lying archive
 * is a ZipError, never an out-of-range read or a huge allocation.
 */
import { MessageError, msg, type Message } from '../messages/index.ts';
import { utf8 } from './text.ts';

export class ZipError extends MessageError {
  override name = 'ZipError';
}

export interface ZipEntry {
  name: string;
  /** 0 = stored; anything else is refused when read. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  headerOffset: number;
  crc32: number;
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  /** The entry's bytes (a view into the archive). Throws ZipError for a compressed or broken entry. */
  read(name: string): Uint8Array;
}

export interface ZipLimits {
  /** Most entries accepted (default 1,000,000). */
  maxEntries?: number;
}

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export const isZip = (b: Uint8Array): boolean =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

function u64(dv: DataView, at: number, what: Message): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError(msg('zip.beyond-any-file', { what, value: String(v) }));
  return Number(v);
}

/** Read the archive's central directory. */
export function readZip(bytes: Uint8Array, limits: ZipLimits = {}): ZipArchive {
  const maxEntries = limits.maxEntries ?? 1_000_000;
  const len = bytes.byteLength;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, len);
  if (len < 22) throw new ZipError(msg('zip.too-short', { bytes: len }));
  // the end record sits in the last 22 + 65535 (comment) bytes
  let eocd = -1;
  for (let p = len - 22; p >= Math.max(0, len - 22 - 65535); p--) {
    if (dv.getUint32(p, true) === EOCD && p + 22 + dv.getUint16(p + 20, true) <= len) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new ZipError(msg('zip.no-end-record'));
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (dv.getUint16(eocd + 4, true) !== 0 || dv.getUint16(eocd + 6, true) !== 0)
    throw new ZipError(msg('zip.multi-part'));
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== ZIP64_LOCATOR) throw new ZipError(msg('zip.no-zip64-locator'));
    const z = u64(dv, loc + 8, msg('zip.part.end-record-offset'));
    if (z + 56 > loc) throw new ZipError(msg('zip.zip64-offset-outside', { offset: z }));
    if (dv.getUint32(z, true) !== ZIP64_EOCD) throw new ZipError(msg('zip.zip64-record-missing'));
    count = u64(dv, z + 32, msg('zip.part.entry-count'));
    cdSize = u64(dv, z + 40, msg('zip.part.directory-size'));
    cdOffset = u64(dv, z + 48, msg('zip.part.directory-offset'));
  }
  if (count > maxEntries) throw new ZipError(msg('zip.too-many-entries', { count, max: maxEntries }));
  if (cdOffset + cdSize > len)
    throw new ZipError(msg('zip.directory-beyond-end', { from: cdOffset, to: cdOffset + cdSize, size: len }));
  if (count * 46 > cdSize) throw new ZipError(msg('zip.directory-too-small', { size: cdSize, count }));

  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  const end = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end) throw new ZipError(msg('zip.entry-past-directory', { index: i }));
    if (dv.getUint32(p, true) !== CENTRAL) throw new ZipError(msg('zip.entry-bad-signature', { index: i }));
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const crc32 = dv.getUint32(p + 16, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let headerOffset = dv.getUint32(p + 42, true);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > end) throw new ZipError(msg('zip.entry-past-directory', { index: i }));
    const name = utf8(bytes.subarray(p + 46, p + 46 + nameLen), false);
    // zip64 extended information: the fields that are 0xffffffff above, in this order
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = dv.getUint16(e, true);
      const sz = dv.getUint16(e + 2, true);
      if (e + 4 + sz > eEnd) throw new ZipError(msg('zip.extra-field-past-header', { name }));
      if (id === 0x0001) {
        let q = e + 4;
        const take = (field: 'size' | 'compressedSize' | 'headerOffset') => {
          if (q + 8 > e + 4 + sz) throw new ZipError(msg('zip.zip64-field-short', { name, field }));
          const v = u64(dv, q, msg('zip.part.entry-field', { name, field }));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = take('size');
        if (compressedSize === 0xffffffff) compressedSize = take('compressedSize');
        if (headerOffset === 0xffffffff) headerOffset = take('headerOffset');
      }
      e += 4 + sz;
    }
    if (flags & 0x1) throw new ZipError(msg('zip.encrypted', { name }));
    if (headerOffset + 30 > cdOffset)
      throw new ZipError(msg('zip.data-offset-outside', { name, offset: headerOffset }));
    if (entries.has(name)) throw new ZipError(msg('zip.twice', { name }));
    entries.set(name, { name, method, compressedSize, size, headerOffset, crc32 });
    p = next;
  }

  const read = (name: string): Uint8Array => {
    const en = entries.get(name);
    if (!en) throw new ZipError(msg('zip.no-entry', { name }));
    if (en.method !== 0)
      throw new ZipError(msg('zip.compressed', { name, method: en.method, deflate: en.method === 8 }));
    if (en.compressedSize !== en.size)
      throw new ZipError(msg('zip.sizes-differ', { name, compressed: en.compressedSize, size: en.size }));
    const h = en.headerOffset;
    if (dv.getUint32(h, true) !== LOCAL) throw new ZipError(msg('zip.no-local-header', { name, offset: h }));
    const start = h + 30 + dv.getUint16(h + 26, true) + dv.getUint16(h + 28, true);
    if (start + en.size > cdOffset)
      throw new ZipError(msg('zip.data-past-end', { name, size: en.size, offset: start }));
    return bytes.subarray(start, start + en.size);
  };
  return { entries, read };
}

/** CRC-32 (as zip uses it), for tests and integrity checks. */
export function crc32(b: Uint8Array): number {
  let c = ~0;
  for (let i = 0; i < b.length; i++) {
    c ^= b[i];
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
