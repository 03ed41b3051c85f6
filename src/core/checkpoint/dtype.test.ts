/** Stored element types: sizes, and every dtype's elements read as float32, aligned or not. */
import { describe, expect, it } from 'vitest';
import { DTYPE_SIZE, elementReader, elementsAsFloat32, half, type Dtype } from './dtype.ts';

/** Little-endian bytes of values in a dtype, written through the platform's typed arrays (and BigInt for 64-bit ints). */
function bytesOf(dtype: Dtype, values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * DTYPE_SIZE[dtype]);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => {
    const at = i * DTYPE_SIZE[dtype];
    if (dtype === 'F32') dv.setFloat32(at, v, true);
    else if (dtype === 'F64') dv.setFloat64(at, v, true);
    else if (dtype === 'I64') dv.setBigInt64(at, BigInt(v), true);
    else if (dtype === 'U64') dv.setBigUint64(at, BigInt(v), true);
    else if (dtype === 'I32') dv.setInt32(at, v, true);
    else if (dtype === 'U32') dv.setUint32(at, v, true);
    else if (dtype === 'I16') dv.setInt16(at, v, true);
    else if (dtype === 'U16') dv.setUint16(at, v, true);
    else if (dtype === 'I8') dv.setInt8(at, v);
    else if (dtype === 'BF16') dv.setUint16(at, new Uint32Array(new Float32Array([v]).buffer)[0] >>> 16, true);
    else if (dtype === 'F16') dv.setUint16(at, { 1: 0x3c00, '-2': 0xc000, 0.5: 0x3800, 65504: 0x7bff }[v]!, true);
    else dv.setUint8(at, v);
  });
  return out;
}

const VALUES: Record<Dtype, number[]> = {
  F32: [1.5, -2.25, 3e38, 0],
  F64: [1.5, -2.25, 1e-3, 7],
  F16: [1, -2, 0.5, 65504],
  BF16: [1, -2, 0.5, 256],
  I64: [-5, 2 ** 40, 0, 9],
  U64: [5, 2 ** 40, 0, 9],
  I32: [-7, 2 ** 30, 0, 1],
  U32: [7, 2 ** 31, 0, 1],
  I16: [-300, 300, 0, 1],
  U16: [65535, 300, 0, 1],
  I8: [-128, 127, 0, 1],
  U8: [255, 1, 0, 2],
  BOOL: [1, 0, 1, 1],
};

describe('stored element types', () => {
  it('reads every dtype as float32, from a start element, aligned or not', () => {
    for (const dtype of Object.keys(DTYPE_SIZE) as Dtype[]) {
      const want = Float32Array.from(VALUES[dtype]);
      const bytes = bytesOf(dtype, VALUES[dtype]);
      expect(DTYPE_SIZE[dtype] * VALUES[dtype].length, dtype).toBe(bytes.length);
      expect(elementsAsFloat32(dtype, bytes, 0, 4), dtype).toEqual(want);
      expect(elementsAsFloat32(dtype, bytes, 1, 2), dtype).toEqual(want.subarray(1, 3));
      // one byte off alignment in a larger buffer (a tensor at an odd offset of its file)
      const odd = new Uint8Array(bytes.length + 1);
      odd.set(bytes, 1);
      expect(elementsAsFloat32(dtype, odd.subarray(1), 0, 4), dtype).toEqual(want);
      const get = elementReader(dtype, new DataView(odd.buffer, 1));
      expect(Float32Array.from([0, 1, 2, 3], get), dtype).toEqual(want);
    }
  });

  it('reads halves as IEEE defines them: subnormals, infinities, NaN, signed zero', () => {
    expect(half(0x0001)).toBe(2 ** -24);
    expect(half(0x03ff)).toBe(1023 * 2 ** -24);
    expect(half(0x0400)).toBe(2 ** -14);
    expect(half(0x7c00)).toBe(Infinity);
    expect(half(0xfc00)).toBe(-Infinity);
    expect(half(0x7e00)).toBeNaN();
    expect(Object.is(half(0x8000), -0)).toBe(true);
    expect(half(0x3555)).toBeCloseTo(1 / 3, 3);
  });
});
