/**
 * Data types of tensors: names, typed-array storage and promotion rules.
 * Storage allocation itself belongs to the backends (src/backend/).
 */

/** Element types a tensor can hold. `bool` is stored as 0/1 bytes. */
export type DType = "float32" | "float64" | "int32" | "bool";

/** The typed arrays that back CPU storage, one per dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** All dtypes, in promotion order (bool < int32 < float32 < float64). */
export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

/** Returns true for the dtypes that carry fractions and gradients. */
export function isFloating(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** Checks a user-supplied dtype name; `op` names the caller in the error. */
export function checkDType(dtype: unknown, op: string): DType {
  if (typeof dtype === "string" && (DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(", ")}`);
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
    case "bool":
      return new Uint8Array(size);
  }
}

/** The wider of two dtypes (PyTorch's type promotion restricted to our four). */
export function promote(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/** The dtype of `tensor op number`: a fractional number lifts bool/int tensors to float32. */
export function promoteScalar(dtype: DType, value: number): DType {
  if (isFloating(dtype)) return dtype;
  if (typeof value === "boolean") return dtype;
  if (!Number.isInteger(value)) return "float32";
  return dtype === "bool" ? "int32" : dtype;
}

/** The float dtype an op like `exp` produces for an input dtype. */
export function toFloating(dtype: DType): DType {
  return isFloating(dtype) ? dtype : "float32";
}

/** Bytes per element, for memory reports. */
export function bytesPerElement(dtype: DType): number {
  return dtype === "float64" ? 8 : dtype === "bool" ? 1 : 4;
}
