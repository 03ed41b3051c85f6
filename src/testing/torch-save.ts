/**
 * A tiny pickler and zip writer for tests: checkpoints laid out as torch.save writes them (protocol 2, a zip
 * archive with data.pkl and one entry per storage), built from descriptions of the Python values.
 */
import { crc32 } from '../core/checkpoint/index.ts';
import { PyFloat } from '../core/py.ts';

export type Desc =
  | null
  | boolean
  | number
  | string
  | PyFloat
  | Desc[]
  | { tuple: Desc[] }
  | { dict: [Desc, Desc][] }
  | { global: string }
  | { newobj: string; state?: Desc }
  | { reduce: string; args: Desc[]; state?: Desc }
  | { persid: Desc }
  | { raw: number[] };

export const enc = new TextEncoder();
export const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
export const str = (s: string) => {
  const b = enc.encode(s);
  return [0x58, ...u32(b.length), ...b];
};
export const globalOp = (q: string) => {
  const i = q.lastIndexOf('.');
  return [0x63, ...enc.encode(`${q.slice(0, i)}\n${q.slice(i + 1)}\n`)];
};

/** M0 a module; Mi one with children a and b, both M(i-1) (memo i): 2^depth module paths from 2 x depth records. */
export function sharedModules(depth: number): number[] {
  const ops = [...globalOp('m.M'), 0x29, 0x81, 0x71, 0];
  for (let i = 1; i <= depth; i++)
    ops.push(
      0x30,
      ...globalOp('m.M'),
      0x29,
      0x81,
      0x7d,
      0x28,
      ...str('_modules'),
      0x7d,
      0x28,
      ...str('a'),
      0x68,
      i - 1,
      ...str('b'),
      0x68,
      i - 1,
      0x75,
      0x75,
      0x62,
      0x71,
      i,
    );
  return ops;
}
/** L0 = [0]; Li = [L(i-1), L(i-1)] (memo i): 2^depth values if copied. */
export function sharedLists(depth: number): number[] {
  const ops = [0x5d, 0x4b, 0, 0x61, 0x71, 0];
  for (let i = 1; i <= depth; i++) ops.push(0x30, 0x5d, 0x28, 0x68, i - 1, 0x68, i - 1, 0x65, 0x71, i);
  return ops;
}

function emit(d: Desc, out: number[]) {
  if (d === null) out.push(0x4e);
  else if (d === true) out.push(0x88);
  else if (d === false) out.push(0x89);
  else if (typeof d === 'number' && d === (d | 0)) out.push(0x4a, ...u32(d));
  else if (typeof d === 'number') {
    // LONG1, 8 bytes little-endian two's complement (non-negative here)
    out.push(0x8a, 8, ...u32(d % 2 ** 32), ...u32(Math.floor(d / 2 ** 32)));
  } else if (typeof d === 'string') out.push(...str(d));
  else if (d instanceof PyFloat) {
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, d.v, false);
    out.push(0x47, ...new Uint8Array(b.buffer));
  } else if (Array.isArray(d)) {
    out.push(0x5d, 0x28);
    d.forEach((x) => emit(x, out));
    out.push(0x65);
  } else if ('tuple' in d) {
    out.push(0x28);
    d.tuple.forEach((x) => emit(x, out));
    out.push(0x74);
  } else if ('dict' in d) {
    out.push(0x7d, 0x28);
    for (const [k, v] of d.dict) {
      emit(k, out);
      emit(v, out);
    }
    out.push(0x75);
  } else if ('global' in d) out.push(...globalOp(d.global));
  else if ('newobj' in d) {
    out.push(...globalOp(d.newobj), 0x29, 0x81);
    if (d.state !== undefined) {
      emit(d.state, out);
      out.push(0x62);
    }
  } else if ('reduce' in d) {
    out.push(...globalOp(d.reduce));
    emit({ tuple: d.args }, out);
    out.push(0x52);
    if (d.state !== undefined) {
      emit(d.state, out);
      out.push(0x62);
    }
  } else if ('persid' in d) {
    emit(d.persid, out);
    out.push(0x51);
  } else for (const b of d.raw) out.push(b);
}

export const pickle = (d: Desc) => {
  const out = [0x80, 0x02];
  emit(d, out);
  out.push(0x2e);
  return new Uint8Array(out);
};

export const od = (items: [string, Desc][]): Desc => ({ dict: items });
export const storage = (type: string, key: string, numel: number): Desc => ({
  persid: { tuple: ['storage', { global: `torch.${type}` }, key, 'cpu', numel] },
});
export const tensor = (s: Desc, shape: number[], stride: number[], offset = 0): Desc => ({
  reduce: 'torch._utils._rebuild_tensor_v2',
  args: [s, offset, { tuple: shape }, { tuple: stride }, false, { reduce: 'collections.OrderedDict', args: [] }],
});
export const param = (t: Desc, requiresGrad = true): Desc => ({
  reduce: 'torch._utils._rebuild_parameter',
  args: [t, requiresGrad, { reduce: 'collections.OrderedDict', args: [] }],
});
export const module = (
  cls: string,
  params: [string, Desc][],
  buffers: [string, Desc][] = [],
  children: [string, Desc][] = [],
  extra: [string, Desc][] = [],
): Desc => ({
  newobj: cls,
  state: od([
    ['training', false],
    ['_parameters', od(params)],
    ['_buffers', od(buffers)],
    ['_modules', od(children)],
    ...extra,
  ]),
});

// ---------------------------------------------------------------- a tiny zip writer for tests

export interface ZipOpts {
  method?: number;
  zip64?: boolean;
  /** Change the central directory's idea of an entry. */
  lie?: (name: string) => { size?: number; offset?: number } | undefined;
}

export function zip(files: [string, Uint8Array][], opts: ZipOpts = {}): Uint8Array {
  // headers as numbers, each entry's data as it is (a hostile test's pickle may be tens of MB)
  const parts: ArrayLike<number>[] = [];
  let length = 0;
  const put = (p: ArrayLike<number>) => {
    parts.push(p);
    length += p.length;
  };
  const u16 = (n: number) => [n & 255, (n >>> 8) & 255];
  const u64 = (n: number) => [...u32(n % 2 ** 32), ...u32(Math.floor(n / 2 ** 32))];
  const central: number[] = [];
  for (const [name, data] of files) {
    const nb = enc.encode(name);
    const offset = length;
    const crc = crc32(data);
    put([
      ...u32(0x04034b50),
      ...u16(20),
      ...u16(0),
      ...u16(opts.method ?? 0),
      ...u16(0),
      ...u16(0),
      ...u32(crc),
      ...u32(data.length),
      ...u32(data.length),
      ...u16(nb.length),
      ...u16(0),
      ...nb,
    ]);
    put(data);
    const lie = opts.lie?.(name) ?? {};
    const size = lie.size ?? data.length;
    const off = lie.offset ?? offset;
    const extra = opts.zip64 ? [...u16(1), ...u16(24), ...u64(size), ...u64(size), ...u64(off)] : [];
    const s32 = opts.zip64 ? 0xffffffff : size;
    central.push(
      ...u32(0x02014b50),
      ...u16(45),
      ...u16(45),
      ...u16(0),
      ...u16(opts.method ?? 0),
      ...u16(0),
      ...u16(0),
      ...u32(crc),
      ...u32(s32),
      ...u32(s32),
      ...u16(nb.length),
      ...u16(extra.length),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u32(0),
      ...u32(opts.zip64 ? 0xffffffff : off),
      ...nb,
      ...extra,
    );
  }
  const cdOffset = length;
  put(central);
  if (opts.zip64) {
    const z = length;
    put([
      ...u32(0x06064b50),
      ...u64(44),
      ...u16(45),
      ...u16(45),
      ...u32(0),
      ...u32(0),
      ...u64(files.length),
      ...u64(files.length),
      ...u64(central.length),
      ...u64(cdOffset),
    ]);
    put([...u32(0x07064b50), ...u32(0), ...u64(z), ...u32(1)]);
    put([
      ...u32(0x06054b50),
      ...u16(0),
      ...u16(0),
      ...u16(0xffff),
      ...u16(0xffff),
      ...u32(0xffffffff),
      ...u32(0xffffffff),
      ...u16(0),
    ]);
  } else
    put([
      ...u32(0x06054b50),
      ...u16(0),
      ...u16(0),
      ...u16(files.length),
      ...u16(files.length),
      ...u32(central.length),
      ...u32(cdOffset),
      ...u16(0),
    ]);
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
