/**
 * Shared plumbing for ops: recording onto the autograd tape, turning numbers into tensors,
 * checking backends and dtypes, and reducing broadcast gradients back to an input's shape.
 */
import { Node, type BackwardFn } from "../autograd/node.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { Tensor, emptyTensor, tensorFromData } from "../tensor/tensor.js";
import { backendNamed } from "../backend/backend.js";
import { isFloating, promoteScalar, type DType } from "../tensor/dtype.js";
import { formatShape } from "../tensor/shape.js";

/** A tensor or a plain number / boolean, accepted by every binary op. */
export type TensorLike = Tensor | number | boolean;

/**
 * Attaches a backward function to `out` when grad mode is on and some input requires grad.
 * Backward functions are written with differentiable ops where practical. `saved` lists the
 * tensors whose values `backward` reads (default: every input; pass `[out]` when it reads the
 * output, `[]` when it reads nothing): their versions are checked before backward runs, so an
 * in-place change to one of them is an error instead of a wrong gradient.
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[], backward: BackwardFn, saved?: readonly Tensor[]): Tensor {
  if (!isGradEnabled()) return out;
  for (const t of inputs) {
    if (t.requiresGrad) {
      out.setGradFn(new Node(name, inputs, backward, saved, out));
      break;
    }
  }
  return out;
}

/**
 * Whether `record` would attach a node for these inputs (grad mode on and one requires grad):
 * hot ops test it first to skip building a backward closure and saved list that would be dropped.
 */
export function needsGrad1(a: Tensor): boolean {
  return a.requiresGrad && isGradEnabled();
}

/** needsGrad1 for two inputs. */
export function needsGrad2(a: Tensor, b: Tensor): boolean {
  return (a.requiresGrad || b.requiresGrad) && isGradEnabled();
}

/** A 0-d tensor holding `value` on `like`'s backend. */
export function scalarTensor(value: number | boolean, dtype: DType, backend?: string): Tensor {
  return tensorFromData([Number(value)], [], dtype, backend);
}

/** Converts a TensorLike operand next to tensor `like`; numbers take a dtype compatible with it. */
export function asTensor(v: TensorLike, like: Tensor): Tensor {
  if (v instanceof Tensor) return v;
  return scalarTensor(v, promoteScalar(like.dtype, Number(v)), like.device);
}

/** Throws unless every tensor sits on the same backend. */
export function sameBackend(op: string, ...ts: Tensor[]): string {
  const name = ts[0].device;
  for (const t of ts) {
    if (t.device !== name) throw new Error(`${op}: tensors are on different backends: ${name} and ${t.device}`);
  }
  return name;
}

/**
 * `t` as a floating tensor for an op that only computes in floating point (conv, pooling,
 * softmax, mean, …): integer and bool inputs are converted to float32, PyTorch's default
 * dtype. (PyTorch refuses them; in JavaScript `tensor([1.0, 2.0])` is int64 because 1.0 === 1,
 * so ported code that meant floats would otherwise stop here.)
 */
export function floatInput(op: string, t: Tensor): Tensor {
  if (isFloating(t.dtype)) return t;
  if (!(t instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${typeof t}`);
  const out = emptyTensor(t.shape, "float32", t.device);
  backendNamed(t.device).map("copy", out, [t]);
  return out;
}

/** Throws unless `t` has a floating dtype. */
export function requireFloat(op: string, t: Tensor): void {
  if (!isFloating(t.dtype)) {
    throw new Error(`${op}: expected a floating point tensor, got dtype ${t.dtype} (shape ${formatShape(t.shape)}); convert it with .float()`);
  }
}

/** A new tensor of `shape`/`dtype` on `backend`. */
export function empty(shape: readonly number[], dtype: DType, backend: string): Tensor {
  return emptyTensor(shape, dtype, backend);
}

/**
 * Storage for an op's result that its kernel writes in full before anything reads it (a matrix
 * product's output): the backend may skip zero-filling it (see Backend.alloc).
 */
export function emptyOutput(shape: readonly number[], dtype: DType, backend: string): Tensor {
  return emptyTensor(shape, dtype, backend, true);
}

/**
 * An index tensor as the kernels take it (int32). int64 — what `tensor([1, 2])` makes, as in
 * PyTorch — is converted; a float or bool tensor is refused with the fix.
 */
export function asIndex(op: string, t: Tensor, what = "index"): Tensor {
  if (t.dtype === "int32") return t;
  if (t.dtype === "int64") {
    const out = emptyTensor(t.shape, "int32", t.device);
    backendNamed(t.device).map("copy", out, [t]);
    return out;
  }
  const fix = isFloating(t.dtype) ? "; convert it with .long()" : t.dtype === "bool" ? "; for a mask use maskedSelect / where" : "";
  throw new Error(`${op}: ${what} must be an integer tensor (int64, as tensor([0, 2]) makes), got dtype ${t.dtype} (shape ${formatShape(t.shape)})${fix}`);
}

/** Throws when a value that must be a Tensor is not one. */
export function requireTensor(op: string, name: string, v: unknown): Tensor {
  if (v instanceof Tensor) return v;
  throw new Error(`${op}: expected ${name} to be a Tensor, got ${v === null ? "null" : typeof v}`);
}

/** A new tensor of `shape` filled with `value` (backends may hand out uninitialised memory). */
export function filled(shape: readonly number[], value: number, dtype: DType, backend: string): Tensor {
  const out = emptyTensor(shape, dtype, backend);
  backendNamed(backend).map("fill", out, [out], value);
  return out;
}
