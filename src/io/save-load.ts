/**
 * `save(stateDict, path)` and `load(path)`: tensors by name in the safetensors format, so
 * weights move between gradnote and PyTorch (`safetensors.torch.load_file`). Byte-level
 * encoding is in safetensors.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Tensor } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { fromData, valuesOf } from "../nn/tensor-util.js";
import { checkOptions } from "../ops/options.js";
import { decodeSafetensors, encodeSafetensors, type RawTensor, type SafetensorsDtype } from "./safetensors.js";

const TO_ST: Record<DType, SafetensorsDtype> = { float32: "F32", float64: "F64", int32: "I32", int64: "I64", bool: "BOOL" };

function toRaw(name: string, t: Tensor): RawTensor {
  if (!(t instanceof Tensor)) throw new Error(`save: value of "${name}" is not a Tensor`);
  const v = valuesOf(t) as Float32Array | Float64Array | Int32Array | Uint8Array;
  // int64 lives in a Float64Array (exact integers); the file holds real little-endian int64.
  const copy = t.dtype === "int64" ? BigInt64Array.from(v, (x) => BigInt(x)) : v.slice();
  return { dtype: TO_ST[t.dtype], shape: [...t.shape], bytes: new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength) };
}

/**
 * PyTorch's `torch.save(model, path)` pickles whole objects; a safetensors file holds named
 * tensors only, so a module, an optimizer or a lone tensor is refused with what to write.
 */
function checkSaveable(op: string, v: unknown): void {
  const what = v === null ? "null" : typeof v === "function" || typeof v === "object" ? (v as object).constructor?.name ?? typeof v : typeof v;
  if (typeof v === "function" && typeof (v as { stateDict?: unknown }).stateDict === "function") {
    throw new Error(`${op}: got a module (${what}); gradnote saves named tensors, not whole models: write ${op}(model.stateDict(), path) and later model.loadStateDict(load(path))`);
  }
  if (v instanceof Tensor) throw new Error(`${op}: got one Tensor; name it: ${op}({ x: t }, path)`);
  if (v !== null && typeof v === "object" && "paramGroups" in v && typeof (v as { step?: unknown }).step === "function") {
    throw new Error(`${op}: got an optimizer (${what}); only named tensors can be saved (save the model's stateDict(); recreate the optimizer after loading)`);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new Error(`${op}: expected named tensors ({ name: tensor } or a Map, e.g. model.stateDict()), got ${Array.isArray(v) ? "an array" : what}`);
  }
}

/** Encodes named tensors as safetensors bytes (see `save`). */
export function serialize(tensors: Record<string, Tensor> | Map<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  checkSaveable("serialize", tensors);
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const raw: Record<string, RawTensor> = {};
  for (const [k, t] of entries) raw[k] = toRaw(k, t);
  return encodeSafetensors(raw, metadata);
}

/**
 * Writes named tensors (a `stateDict()`) to `path` in the safetensors format.
 * `metadata` is stored as string pairs in the header's `__metadata__`.
 */
export function save(tensors: Record<string, Tensor> | Map<string, Tensor>, path: string, metadata?: Record<string, string>): void {
  checkSaveable("save", tensors);
  if (typeof path !== "string" || path === "") throw new Error(`save: path must be a file name, got ${path === "" ? "an empty string" : typeof path}`);
  writeFileSync(path, serialize(tensors, metadata));
}

function fromRaw(name: string, r: RawTensor): Tensor {
  const b = r.bytes;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = r.shape.reduce((a, c) => a * c, 1);
  switch (r.dtype) {
    case "F32": return fromData(new Float32Array(b.buffer, b.byteOffset, n), r.shape, "float32");
    case "F64": return fromData(new Float64Array(b.buffer, b.byteOffset, n), r.shape, "float64");
    case "I32": return fromData(new Int32Array(b.buffer, b.byteOffset, n), r.shape, "int32");
    case "BOOL": return fromData(b, r.shape, "bool");
    case "U8": return fromData(b, r.shape, "int32");
    case "I8": return fromData(new Int8Array(b.buffer, b.byteOffset, n), r.shape, "int32");
    case "I16": return fromData(Int16Array.from({ length: n }, (_, i) => view.getInt16(2 * i, true)), r.shape, "int32");
    case "I64": {
      // int64 is held exactly up to 2^53 in magnitude; a larger value is refused, never rounded.
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = view.getBigInt64(8 * i, true);
        if (v > 9007199254740991n || v < -9007199254740991n) throw new Error(`load: tensor "${name}" has int64 value ${v} beyond ±2^53, which gradnote's int64 cannot hold exactly`);
        out[i] = Number(v);
      }
      return fromData(out, r.shape, "int64");
    }
    case "F16": return fromData(Float32Array.from({ length: n }, (_, i) => half(view.getUint16(2 * i, true))), r.shape, "float32");
    case "BF16": {
      const f = new Float32Array(n);
      const u = new Uint32Array(f.buffer);
      for (let i = 0; i < n; i++) u[i] = view.getUint16(2 * i, true) << 16;
      return fromData(f, r.shape, "float32");
    }
  }
}

/** IEEE half precision bits to a number. */
function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (m / 1024);
  if (e === 31) return m ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + m / 1024);
}

/** Decodes safetensors bytes into named tensors (see `load`). */
export function deserialize(bytes: Uint8Array): Record<string, Tensor> {
  const { tensors } = decodeSafetensors(bytes);
  const out: Record<string, Tensor> = {};
  for (const [k, r] of Object.entries(tensors)) out[k] = fromRaw(k, r);
  return out;
}

/** Options of `load`, as PyTorch's keyword arguments of `torch.load`. */
export interface LoadOptions {
  /** Accepted for ports (`weights_only=True` or False): a safetensors file only ever holds tensors. */
  weightsOnly?: boolean;
  /** The device to put every tensor on (`map_location`), e.g. "cpu" or device("cuda"). */
  mapLocation?: string | { toString(): string };
}

/**
 * Reads a safetensors file into named tensors, ready for `model.loadStateDict(…)`.
 * float16/bfloat16 become float32. `load(path, { weightsOnly: true, mapLocation: "cpu" })`
 * reads as `torch.load(path, weights_only=True, map_location="cpu")`.
 */
export function load(path: string, options?: LoadOptions): Record<string, Tensor> {
  const o = checkOptions("load", options, ["weightsOnly", "mapLocation"]);
  const out = deserialize(new Uint8Array(readFileSync(path)));
  if (o.mapLocation === undefined) return out;
  const where = String(o.mapLocation);
  for (const k of Object.keys(out)) out[k] = out[k].to(where);
  return out;
}

/** The `__metadata__` string pairs of a safetensors file. */
export function loadMetadata(path: string): Record<string, string> {
  return decodeSafetensors(new Uint8Array(readFileSync(path))).metadata;
}
