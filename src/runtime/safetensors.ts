/**
 * The safetensors format (8-byte little-endian header length, JSON header, raw little-endian data):
 * reading and writing, on plain bytes so it runs in Node, the browser and workers.
 */
import { DTYPE_SIZE, elementsAsFloat32, type Dtype } from '../core/checkpoint/dtype.ts';
import { MessageError, msg } from '../core/messages/index.ts';

export type { Dtype };

export interface RawTensor {
  dtype: Dtype;
  shape: number[];
  /** The tensor's bytes (a view into the file). */
  bytes: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

export class SafetensorsError extends MessageError {}

export function readSafetensors(buf: Uint8Array): SafetensorsFile {
  if (buf.byteLength < 8) throw new SafetensorsError(msg('safetensors-short'));
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (n > buf.byteLength - 8 || n > 100 * 1024 * 1024)
    throw new SafetensorsError(msg('safetensors-header-length', { length: String(n) }));
  let header: Record<string, any>;
  try {
    header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n)));
  } catch {
    throw new SafetensorsError(msg('safetensors-not-json'));
  }
  const base = 8 + n;
  const tensors = new Map<string, RawTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = info ?? {};
      continue;
    }
    const {
      dtype,
      shape,
      data_offsets: off,
    } = info as { dtype: Dtype; shape: number[]; data_offsets: [number, number] };
    if (!Object.hasOwn(DTYPE_SIZE, dtype) || !Array.isArray(shape) || !Array.isArray(off))
      throw new SafetensorsError(msg('safetensors-bad-entry', { name }));
    const numel = shape.reduce((a, b) => a * b, 1);
    if (off[1] - off[0] !== numel * DTYPE_SIZE[dtype] || base + off[1] > buf.byteLength)
      throw new SafetensorsError(
        msg('safetensors-data-misfit', { name, start: String(off[0]), end: String(off[1]), shape: String(shape) }),
      );
    tensors.set(name, { dtype, shape, bytes: buf.subarray(base + off[0], base + off[1]) });
  }
  return { tensors, metadata };
}

/** A tensor's values as float32 (F32 copied aligned, F16/BF16/F64/ints converted). */
export function toFloat32(t: RawTensor): Float32Array {
  return elementsAsFloat32(
    t.dtype,
    t.bytes,
    0,
    t.shape.reduce((a, b) => a * b, 1),
  );
}

export interface TensorToWrite {
  shape: number[];
  data: Float32Array;
}

/** A safetensors file of float32 tensors (in the given order), with string metadata. */
export function writeSafetensors(
  tensors: Record<string, TensorToWrite> | Map<string, TensorToWrite>,
  metadata?: Record<string, string>,
): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let off = 0;
  for (const [name, t] of entries) {
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (numel !== t.data.length)
      throw new SafetensorsError(msg('safetensors-values', { name, count: t.data.length, shape: String(t.shape) }));
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [off, off + 4 * numel] };
    off += 4 * numel;
  }
  let json = JSON.stringify(header);
  // pad the header with spaces so the data starts 8-byte aligned
  while ((8 + new TextEncoder().encode(json).length) % 8) json += ' ';
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), p);
    p += t.data.byteLength;
  }
  return out;
}
