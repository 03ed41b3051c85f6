/**
 * A strict reader for the ZIP archives `torch.save` writes (every entry STORED, i.e. uncompressed;
 * zip64 records when the archive or an entry passes 4 GiB). Bytes in, views out: nothing is copied.
 * Every size and offset is checked against the bytes actually there, so a truncated or lying archive
 * is a ZipError, never an out-of-range read or a huge allocation.
 */
import { utf8 } from './text.ts';

export class ZipError extends Error {
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

function u64(dv: DataView, at: number, what: string): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError(`${what} is ${v}, beyond any real file`);
  return Number(v);
}

/** Read the archive's central directory. */
export function readZip(bytes: Uint8Array, limits: ZipLimits = {}): ZipArchive {
  const maxEntries = limits.maxEntries ?? 1_000_000;
  const len = bytes.byteLength;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, len);
  if (len < 22) throw new ZipError(`not a zip archive: ${len} bytes is shorter than its end record`);
  // the end record sits in the last 22 + 65535 (comment) bytes
  let eocd = -1;
  for (let p = len - 22; p >= Math.max(0, len - 22 - 65535); p--) {
    if (dv.getUint32(p, true) === EOCD && p + 22 + dv.getUint16(p + 20, true) <= len) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a zip archive, or a truncated one: no end-of-central-directory record');
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (dv.getUint16(eocd + 4, true) !== 0 || dv.getUint16(eocd + 6, true) !== 0)
    throw new ZipError('multi-part (spanned) zip archives are not supported');
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== ZIP64_LOCATOR)
      throw new ZipError('the archive says it is zip64 but has no zip64 locator');
    const z = u64(dv, loc + 8, 'the zip64 end record offset');
    if (z + 56 > loc) throw new ZipError(`the zip64 end record offset ${z} lies outside the archive`);
    if (dv.getUint32(z, true) !== ZIP64_EOCD)
      throw new ZipError('the zip64 end record is missing where the locator points');
    count = u64(dv, z + 32, 'the entry count');
    cdSize = u64(dv, z + 40, 'the central directory size');
    cdOffset = u64(dv, z + 48, 'the central directory offset');
  }
  if (count > maxEntries) throw new ZipError(`the archive claims ${count} entries; at most ${maxEntries} are read`);
  if (cdOffset + cdSize > len)
    throw new ZipError(
      `the central directory (${cdOffset}..${cdOffset + cdSize}) lies beyond the end of the archive (${len} bytes): truncated?`,
    );
  if (count * 46 > cdSize)
    throw new ZipError(`the central directory (${cdSize} bytes) is too small for its ${count} entries`);

  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  const end = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end) throw new ZipError(`central directory entry ${i} runs past the directory`);
    if (dv.getUint32(p, true) !== CENTRAL) throw new ZipError(`central directory entry ${i} has a bad signature`);
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
    if (next > end) throw new ZipError(`central directory entry ${i} runs past the directory`);
    const name = utf8(bytes.subarray(p + 46, p + 46 + nameLen), false);
    // zip64 extended information: the fields that are 0xffffffff above, in this order
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = dv.getUint16(e, true);
      const sz = dv.getUint16(e + 2, true);
      if (e + 4 + sz > eEnd) throw new ZipError(`entry ${name}: an extra field runs past its header`);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (what: string) => {
          if (q + 8 > e + 4 + sz) throw new ZipError(`entry ${name}: its zip64 field is too short for the ${what}`);
          const v = u64(dv, q, `entry ${name}'s ${what}`);
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = take('size');
        if (compressedSize === 0xffffffff) compressedSize = take('compressed size');
        if (headerOffset === 0xffffffff) headerOffset = take('header offset');
      }
      e += 4 + sz;
    }
    if (flags & 0x1) throw new ZipError(`entry ${name} is encrypted`);
    if (headerOffset + 30 > cdOffset)
      throw new ZipError(`entry ${name}: its data offset ${headerOffset} lies outside the archive's data`);
    if (entries.has(name)) throw new ZipError(`the archive holds ${name} twice`);
    entries.set(name, { name, method, compressedSize, size, headerOffset, crc32 });
    p = next;
  }

  const read = (name: string): Uint8Array => {
    const en = entries.get(name);
    if (!en) throw new ZipError(`the archive has no entry ${name}`);
    if (en.method !== 0)
      throw new ZipError(
        `entry ${name} is compressed (method ${en.method}${en.method === 8 ? ', deflate' : ''}); PyTorch writes stored entries and only those are read`,
      );
    if (en.compressedSize !== en.size)
      throw new ZipError(`entry ${name} is stored but its sizes differ (${en.compressedSize} vs ${en.size})`);
    const h = en.headerOffset;
    if (dv.getUint32(h, true) !== LOCAL) throw new ZipError(`entry ${name}: no local header at offset ${h}`);
    const start = h + 30 + dv.getUint16(h + 26, true) + dv.getUint16(h + 28, true);
    if (start + en.size > cdOffset)
      throw new ZipError(
        `entry ${name}: its ${en.size} bytes at offset ${start} run past the archive's data (truncated or lying sizes)`,
      );
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
