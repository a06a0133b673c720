/**
 * Matrix products with PyTorch's rules: 1-D·1-D is a dot product, 1-D operands gain and then
 * lose a dim, N-D operands batch with broadcasting. One differentiable batched core does the work.
 */
import { Tensor, backendOf } from "../tensor/tensor.js";
import { broadcastShapes, formatShape } from "../tensor/shape.js";
import { promote } from "../tensor/dtype.js";
import { add, mul, relu, reluGrad, rsub, sigmoid, tanh } from "./elementwise.js";
import type { LinearActivation } from "../backend/backend.js";
import { empty, emptyOutput, needsGrad2, record, sameBackend } from "./op.js";
import { cast, expand, reshape, squeeze, transpose, unsqueeze } from "./movement.js";
import { sum, sumTo } from "./reduce.js";
import { checkOptions } from "./options.js";

/** True for a 2-D view that is the transpose of a contiguous matrix. */
function isTransposed(t: Tensor): boolean {
  return t.shape[0] > 1 && t.shape[1] > 1 && t.strides[0] === 1 && t.strides[1] === t.shape[0];
}

/** Batched core: a [...A, m, k] @ b [...B, k, n] → [...broadcast(A, B), m, n]. */
function bmm(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 2], k = a.shape[a.ndim - 1], n = b.shape[b.ndim - 1];
  let out: Tensor;
  if (a.ndim === 2 && b.ndim === 2) {
    // No batch dims: nothing to broadcast or expand.
    out = emptyOutput([m, n], a.dtype, a.device);
    backendOf(out).matmul(out.buf, a, b);
  } else {
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), "matmul");
    const av = expand(a, [...batch, m, k]);
    const bv = expand(b, [...batch, k, n]);
    out = emptyOutput([...batch, m, n], a.dtype, a.device);
    backendOf(out).matmul(out.buf, av, bv);
  }
  if (!needsGrad2(a, b)) return out;
  return record(out, "Mm", [a, b], (g) => {
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    // A transposed 2-D operand (linear's weight.t()) gets its gradient computed in its own
    // storage order, so accumulating it into .grad is a straight copy, not a strided one.
    if (a.requiresGrad && a.ndim === 2 && b.ndim === 2 && isTransposed(a)) ga = transpose(bmm(b, transpose(g, 0, 1)), 0, 1);
    else if (a.requiresGrad) ga = sumTo(bmm(g, transpose(b, -1, -2)), a.shape);
    if (b.requiresGrad) {
      if (b.ndim === 2 && a.ndim === 2 && isTransposed(b)) {
        gb = transpose(bmm(transpose(g, 0, 1), a), 0, 1);
      } else if (b.ndim === 2 && a.ndim > 2) {
        // One large product instead of a batch of products summed afterwards.
        const a2 = reshape(a, [-1, k]), g2 = reshape(g, [-1, n]);
        gb = isTransposed(b) ? transpose(bmm(transpose(g2, 0, 1), a2), 0, 1) : bmm(transpose(a2, 0, 1), g2);
      } else {
        gb = sumTo(bmm(transpose(a, -1, -2), g), b.shape);
      }
    }
    return [ga, gb];
  }, [...(b.requiresGrad ? [a] : []), ...(a.requiresGrad ? [b] : [])]);
}

/** Matrix product with PyTorch's 1-D / 2-D / batched broadcasting rules. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  sameBackend("matmul", a, b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: both arguments need at least 1 dimension, got a=${formatShape(a.shape)} b=${formatShape(b.shape)}`);
  }
  if (a.dtype === "bool" || b.dtype === "bool") {
    throw new Error(`matmul: bool tensors are not supported: a=${formatShape(a.shape)} b=${formatShape(b.shape)}`);
  }
  const ka = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (ka !== kb) throw new Error(`matmul: inner dimensions differ: a=${formatShape(a.shape)} b=${formatShape(b.shape)}`);
  const dtype = promote(a.dtype, b.dtype);
  if (a.ndim > 2 || b.ndim > 2) broadcastShapes(a.shape.slice(0, Math.max(0, a.ndim - 2)), b.shape.slice(0, Math.max(0, b.ndim - 2)), "matmul");
  const a2 = a.ndim === 1 ? unsqueeze(cast(a, dtype), 0) : cast(a, dtype);
  const b2 = b.ndim === 1 ? unsqueeze(cast(b, dtype), 1) : cast(b, dtype);
  let y = bmm(a2, b2);
  if (b.ndim === 1) y = squeeze(y, -1);
  if (a.ndim === 1) y = squeeze(y, a.ndim === 1 && b.ndim === 1 ? -1 : -2);
  return y;
}

/** Dot product of two 1-D tensors. */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new Error(`dot: expected 1-D tensors, got a=${formatShape(a.shape)} b=${formatShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0]) throw new Error(`dot: inner dimensions differ: a=${formatShape(a.shape)} b=${formatShape(b.shape)}`);
  return matmul(a, b);
}

/** 2-D matrix product (no broadcasting), like PyTorch's `mm`. */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2) throw new Error(`mm: expected 2-D tensors, got a=${formatShape(a.shape)} b=${formatShape(b.shape)}`);
  return matmul(a, b);
}

/** Batched 3-D product, like PyTorch's `bmm`. */
export function batchMatmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0]) {
    throw new Error(`bmm: expected 3-D tensors with equal batch size, got a=${formatShape(a.shape)} b=${formatShape(b.shape)}`);
  }
  return matmul(a, b);
}

/** Options of `linear`. */
export interface LinearOptions {
  /**
   * Apply this activation to the result; device backends run matmul, bias and activation as
   * one kernel. Same values and gradients as `relu(linear(x, w, b))` and friends.
   */
  activation?: LinearActivation;
}

/** y = x @ weightᵀ + bias, like PyTorch's `F.linear` (weight is [out, in]). */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: LinearOptions): Tensor {
  const act = options === undefined ? undefined : checkOptions("linear", options, ["activation"]).activation;
  if (act && bias && x.ndim >= 2) {
    const fused = addmm(x, weight, bias, act);
    if (fused) return fused;
  }
  const y = linearOnly(x, weight, bias);
  return act === undefined ? y : act === "relu" ? relu(y) : act === "tanh" ? tanh(y) : act === "sigmoid" ? sigmoid(y) : badActivation(act);
}

function badActivation(act: never): never {
  throw new Error(`linear: unknown activation ${String(act)} (expected relu, tanh or sigmoid)`);
}

function linearOnly(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (weight.ndim !== 2 || x.ndim < 1 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new Error(`linear: input features differ from weight: input=${formatShape(x.shape)} weight=${formatShape(weight.shape)}`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new Error(`linear: bias shape ${formatShape(bias.shape)} does not match weight ${formatShape(weight.shape)}`);
  }
  if (bias && x.ndim >= 2) {
    const fused = addmm(x, weight, bias);
    if (fused) return fused;
  }
  const y = matmul(x, transpose(weight, 0, 1));
  return bias ? add(y, bias) : y;
}

/**
 * x @ weightᵀ + bias in one backend kernel (the bias is the product's starting value), or null
 * when the backend has none for these dtypes. N-D inputs run as [rows, in]. The backward is
 * written with differentiable ops, so higher-order gradients work as for the composed form.
 */
function addmm(x: Tensor, weight: Tensor, bias: Tensor, act?: LinearActivation): Tensor | null {
  const be = backendOf(x);
  if (!(act ? be.addmmActivation : be.addmm) || weight.device !== x.device || bias.device !== x.device) return null;
  if (weight.ndim !== 2 || x.shape[x.ndim - 1] !== weight.shape[1] || bias.ndim !== 1 || bias.shape[0] !== weight.shape[0]) return null;
  if (x.dtype !== weight.dtype || x.dtype !== bias.dtype || (x.dtype !== "float32" && x.dtype !== "float64")) return null;
  const [o, k] = weight.shape;
  const x2 = x.ndim === 2 ? x : reshape(x, [-1, k]);
  const out = emptyOutput([x2.shape[0], o], x.dtype, x.device);
  const wt = transpose(weight, 0, 1);
  if (!(act ? be.addmmActivation!(out.buf, bias, x2, wt, act) : be.addmm!(out.buf, bias, x2, wt))) return null;
  record(out, act ? `Addmm${act[0].toUpperCase()}${act.slice(1)}` : "Addmm", [x2, weight, bias], (g0) => {
    // through the activation first, from its output: relu' = [y > 0], tanh' = 1 − y², σ' = y(1 − y)
    const g = act === "relu" ? reluGrad(g0, out) : act === "tanh" ? mul(g0, rsub(mul(out, out), 1)) : act === "sigmoid" ? mul(g0, mul(out, rsub(out, 1))) : g0;
    return [
      x2.requiresGrad ? bmm(g, weight) : null,
      weight.requiresGrad ? bmm(transpose(g, 0, 1), x2) : null,
      bias.requiresGrad ? sum(g, 0) : null,
    ];
  }, act ? [x2, weight, out] : [x2, weight]);
  return x.ndim === 2 ? out : reshape(out, [...x.shape.slice(0, -1), o]);
}
