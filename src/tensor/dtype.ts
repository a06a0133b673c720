/**
 * Data types of tensors: names, typed-array storage and promotion rules.
 * Storage allocation itself belongs to the backends (src/backend/).
 */

/**
 * Element types a tensor can hold. `bool` is stored as 0/1 bytes; `int64` (PyTorch's default
 * integer type, `long`) in a Float64Array on the cpu backends: every integer up to 2^53 in
 * magnitude is exact, and a value beyond that is refused when it enters (never rounded or wrapped).
 */
export type DType = "float32" | "float64" | "int32" | "int64" | "bool";

/** The typed arrays that back CPU storage, one per dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** All dtypes, in promotion order (bool < int32 < int64 < float32 < float64). */
export const DTYPES: readonly DType[] = ["bool", "int32", "int64", "float32", "float64"];

/** PyTorch's other names for the dtypes (`torch.long`, `torch.float`, …). */
const ALIASES: Readonly<Record<string, DType>> = {
  long: "int64", int: "int32", float: "float32", double: "float64",
};

/** Names PyTorch has that gradnote does not store, with what to write instead. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  float16: "float32", half: "float32", bfloat16: "float32", int16: "int32", short: "int32", int8: "int32", uint8: "int32",
  complex64: "two float32 tensors", complex128: "two float64 tensors",
};

/** True for the integer dtypes (int32, int64). */
export function isIntegral(dtype: DType): boolean {
  return dtype === "int32" || dtype === "int64";
}

/** The largest magnitude an int64 tensor holds exactly here (2^53 − 1). */
export const INT64_SAFE = Number.MAX_SAFE_INTEGER;

/** Returns true for the dtypes that carry fractions and gradients. */
export function isFloating(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** Checks a user-supplied dtype name (PyTorch's aliases accepted: "long", "float", …); `op` names the caller. */
export function checkDType(dtype: unknown, op: string): DType {
  if (typeof dtype === "string") {
    const name = dtype.startsWith("torch.") ? dtype.slice(6) : dtype;
    if ((DTYPES as readonly string[]).includes(name)) return name as DType;
    if (name in ALIASES) return ALIASES[name];
    if (name in UNSUPPORTED) {
      throw new Error(`${op}: dtype ${JSON.stringify(dtype)} is not supported by gradnote; use ${UNSUPPORTED[name]} instead`);
    }
  }
  throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(", ")} (or long, int, float, double)`);
}

/** Allocates a zero-filled typed array for `dtype`. */
export function allocTyped(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "float64":
      return new Float64Array(size);
    case "int32":
      return new Int32Array(size);
    case "int64":
      return new Float64Array(size);
    case "bool":
      return new Uint8Array(size);
  }
}

/** The wider of two dtypes (PyTorch's type promotion restricted to our four). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/** The dtype of `tensor op number` (PyTorch's rule): a fractional number lifts bool/int tensors to float32, an integer lifts bool to int64. */
export function promoteScalar(dtype: DType, value: number): DType {
  if (isFloating(dtype)) return dtype;
  if (typeof value === "boolean") return dtype;
  if (!Number.isInteger(value)) return "float32";
  return dtype === "bool" ? "int64" : dtype;
}

/** The float dtype an op like `exp` produces for an input dtype. */
export function toFloating(dtype: DType): DType {
  return isFloating(dtype) ? dtype : "float32";
}

/** Bytes per element, for memory reports. */
export function bytesPerElement(dtype: DType): number {
  return dtype === "float64" || dtype === "int64" ? 8 : dtype === "bool" ? 1 : 4;
}

/**
 * Values for an integer dtype: truncated toward zero (PyTorch's conversion), and refused when
 * the type cannot hold them exactly (NaN, ±inf, beyond int32's range or ±2^53 for int64).
 */
export function integerValues(op: string, data: ArrayLike<number>, dtype: DType): ArrayLike<number> {
  const limit = dtype === "int32" ? 2147483647 : INT64_SAFE;
  const low = dtype === "int32" ? -2147483648 : -INT64_SAFE;
  let out: Float64Array | null = null;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isInteger(v) && v <= limit && v >= low) continue;
    const t = Math.trunc(v);
    if (!(t <= limit && t >= low)) {
      throw new RangeError(
        `${op}: value ${v} cannot be converted to ${dtype} without overflow` +
          (dtype === "int32" && Number.isFinite(v) ? "; use int64" : Number.isFinite(v) ? "; use float64" : ""),
      );
    }
    out ??= Float64Array.from(data);
    out[i] = t;
  }
  return out ?? data;
}

/** dtype constants, so PyTorch's `dtype=torch.long` ports as `{ dtype: long }`. */
export const float32 = "float32" as const;
export const float64 = "float64" as const;
export const int32 = "int32" as const;
export const int64 = "int64" as const;
export const bool = "bool" as const;
/** PyTorch's aliases: `long` = int64, `int` = int32, `float` = float32, `double` = float64. */
export const long = "int64" as const;
export const int = "int32" as const;
export const float = "float32" as const;
export const double = "float64" as const;
