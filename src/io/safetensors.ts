/**
 * The safetensors byte format (8-byte little-endian header length, a JSON header, raw
 * little-endian tensor bytes), encoded and decoded on plain typed arrays.
 * Nothing here knows about Tensor; src/io/save-load.ts converts between the two.
 */

/** Element types as the safetensors header spells them. */
export type SafetensorsDtype =
  | "F64" | "F32" | "F16" | "BF16" | "I64" | "I32" | "I16" | "I8" | "U8" | "BOOL";

/** One raw tensor: contiguous row-major data with its safetensors dtype and shape. */
export interface RawTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Raw bytes in little-endian order, `product(shape) * itemsize` long. */
  bytes: Uint8Array;
}

const ITEM_SIZE: Record<SafetensorsDtype, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
};

/** Bytes per element of a safetensors dtype. */
export function itemSize(dtype: SafetensorsDtype): number {
  return ITEM_SIZE[dtype];
}

function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Encodes named raw tensors into one safetensors buffer. Tensors are laid out in the order
 * the readers expect (largest alignment first, then by name), and the header is padded with
 * spaces to a multiple of 8 bytes so every tensor stays aligned in a memory-mapped file.
 */
export function encodeSafetensors(
  tensors: Record<string, RawTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const names = Object.keys(tensors).sort((a, b) => {
    const d = ITEM_SIZE[tensors[b].dtype] - ITEM_SIZE[tensors[a].dtype];
    return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
  });
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === "__metadata__") throw new Error(`save: "__metadata__" is reserved as a tensor name`);
    const t = tensors[name];
    const expected = numel(t.shape) * ITEM_SIZE[t.dtype];
    if (t.bytes.byteLength !== expected) {
      throw new Error(
        `save: tensor "${name}" has ${t.bytes.byteLength} bytes, expected ${expected} for ${t.dtype} [${t.shape.join(",")}]`,
      );
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + expected] };
    offset += expected;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let pos = 8 + json.byteLength;
  for (const name of names) {
    out.set(tensors[name].bytes, pos);
    pos += tensors[name].bytes.byteLength;
  }
  return out;
}

/** The result of decoding: named raw tensors plus the optional string metadata. */
export interface DecodedSafetensors {
  tensors: Record<string, RawTensor>;
  metadata: Record<string, string>;
}

/**
 * Decodes a safetensors buffer, checking the header the way the reference reader does:
 * known dtypes, offsets that match the shapes and stay inside the buffer.
 */
export function decodeSafetensors(buf: Uint8Array): DecodedSafetensors {
  if (buf.byteLength < 8) throw new Error(`load: not a safetensors file (only ${buf.byteLength} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > buf.byteLength - 8) {
    throw new Error(`load: not a safetensors file (header length ${n} exceeds file size ${buf.byteLength})`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`load: not a safetensors file (header is not JSON: ${(e as Error).message})`);
  }
  const dataStart = 8 + n;
  const dataLen = buf.byteLength - dataStart;
  const tensors: Record<string, RawTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = (v ?? {}) as Record<string, string>;
      continue;
    }
    const info = v as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (!(info.dtype in ITEM_SIZE)) throw new Error(`load: tensor "${name}" has unsupported dtype ${info.dtype}`);
    const dtype = info.dtype as SafetensorsDtype;
    const [begin, end] = info.data_offsets;
    const expected = numel(info.shape) * ITEM_SIZE[dtype];
    if (end - begin !== expected || begin < 0 || end > dataLen) {
      throw new Error(
        `load: tensor "${name}" offsets [${begin},${end}] do not fit ${dtype} [${info.shape.join(",")}] in ${dataLen} data bytes`,
      );
    }
    // Copy so the tensor owns aligned memory (the source offset may not be aligned).
    tensors[name] = { dtype, shape: [...info.shape], bytes: buf.slice(dataStart + begin, dataStart + end) };
  }
  return { tensors, metadata };
}
