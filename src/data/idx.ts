/**
 * Reader for the IDX format used by MNIST and Fashion-MNIST (optionally gzip-compressed).
 * Returns plain typed arrays with shapes; turning them into tensors is the loaders' job.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** A decoded IDX array: element type, shape and the values in row-major order. */
export interface IdxArray {
  type: "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { type: IdxArray["type"]; size: number }> = {
  0x08: { type: "uint8", size: 1 },
  0x09: { type: "int8", size: 1 },
  0x0b: { type: "int16", size: 2 },
  0x0c: { type: "int32", size: 4 },
  0x0d: { type: "float32", size: 4 },
  0x0e: { type: "float64", size: 8 },
};

/**
 * Parses IDX bytes (gunzipping first when they start with the gzip magic).
 * Multi-byte values are big-endian in the file and converted to native order.
 */
export function parseIdx(bytes: Uint8Array, what = "idx"): IdxArray {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = new Uint8Array(gunzipSync(buf));
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    throw new Error(`readIdx: ${what} is not an IDX file (bad magic number)`);
  }
  const t = TYPES[buf[2]];
  if (!t) throw new Error(`readIdx: ${what} has unknown element type 0x${buf[2].toString(16)}`);
  const ndim = buf[3];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * ndim;
  const n = shape.reduce((a, b) => a * b, 1);
  if (buf.length < start + n * t.size) {
    throw new Error(`readIdx: ${what} is truncated: shape [${shape.join(",")}] needs ${start + n * t.size} bytes, got ${buf.length}`);
  }
  let data: IdxArray["data"];
  switch (t.type) {
    case "uint8": data = buf.slice(start, start + n); break;
    case "int8": data = new Int8Array(buf.slice(start, start + n).buffer); break;
    case "int16": data = new Int16Array(n); for (let i = 0; i < n; i++) data[i] = view.getInt16(start + 2 * i, false); break;
    case "int32": data = new Int32Array(n); for (let i = 0; i < n; i++) data[i] = view.getInt32(start + 4 * i, false); break;
    case "float32": data = new Float32Array(n); for (let i = 0; i < n; i++) data[i] = view.getFloat32(start + 4 * i, false); break;
    case "float64": data = new Float64Array(n); for (let i = 0; i < n; i++) data[i] = view.getFloat64(start + 8 * i, false); break;
  }
  return { type: t.type, shape, data };
}

/** Reads an IDX file (`.gz` or plain) from disk. */
export function readIdxFile(path: string): IdxArray {
  return parseIdx(new Uint8Array(readFileSync(path)), path);
}
