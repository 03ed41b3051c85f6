/**
 * The element types of tensors stored in files, by safetensors' names (PyTorch's storages are a subset): their byte
 * sizes and how one element of little-endian data is read as a number. One place for the safetensors reader
 * (src/runtime/safetensors.ts) and the checkpoint reader (checkpoint.ts).
 */

export type Dtype =
  'F16' | 'BF16' | 'F32' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL' | 'U16' | 'U32' | 'U64';

export const DTYPE_SIZE: Record<Dtype, number> = {
  F16: 2,
  BF16: 2,
  F32: 4,
  F64: 8,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
  U16: 2,
  U32: 4,
  U64: 8,
};

/** An IEEE half's value from its 16 bits (subnormals, infinities and NaN included). */
export function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

let halves: Float32Array | undefined;
/** Every half's value as float32, by its bits (made once, 256 KiB). */
export function halfTable(): Float32Array {
  if (!halves) {
    halves = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halves[h] = half(h);
  }
  return halves;
}

const bf16 = new DataView(new ArrayBuffer(4));

/** Element i (counted in elements, not bytes) of little-endian data of a dtype, as a number. */
export function elementReader(dtype: Dtype, dv: DataView): (i: number) => number {
  switch (dtype) {
    case 'F16': {
      const table = halfTable();
      return (i) => table[dv.getUint16(i * 2, true)];
    }
    case 'BF16':
      return (i) => {
        bf16.setUint32(0, dv.getUint16(i * 2, true) << 16, true);
        return bf16.getFloat32(0, true);
      };
    case 'F32':
      return (i) => dv.getFloat32(i * 4, true);
    case 'F64':
      return (i) => dv.getFloat64(i * 8, true);
    case 'I64':
      return (i) => Number(dv.getBigInt64(i * 8, true));
    case 'U64':
      return (i) => Number(dv.getBigUint64(i * 8, true));
    case 'I32':
      return (i) => dv.getInt32(i * 4, true);
    case 'U32':
      return (i) => dv.getUint32(i * 4, true);
    case 'I16':
      return (i) => dv.getInt16(i * 2, true);
    case 'U16':
      return (i) => dv.getUint16(i * 2, true);
    case 'I8':
      return (i) => dv.getInt8(i);
    default:
      return (i) => dv.getUint8(i);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * n elements of a dtype from element `first` of little-endian bytes, as float32 (F32 copied where aligned, F16
 * through the table, the rest converted one by one). The caller has checked that they lie inside the bytes.
 */
export function elementsAsFloat32(dtype: Dtype, bytes: Uint8Array, first: number, n: number): Float32Array {
  const out = new Float32Array(n);
  const at = bytes.byteOffset + first * DTYPE_SIZE[dtype];
  if (dtype === 'F32' && LITTLE_ENDIAN && at % 4 === 0) out.set(new Float32Array(bytes.buffer, at, n));
  else if (dtype === 'F16' && LITTLE_ENDIAN && at % 2 === 0) {
    const h = new Uint16Array(bytes.buffer, at, n);
    const table = halfTable();
    for (let k = 0; k < n; k++) out[k] = table[h[k]];
  } else {
    const get = elementReader(dtype, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    for (let k = 0; k < n; k++) out[k] = get(first + k);
  }
  return out;
}
