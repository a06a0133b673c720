/**
 * Whole-tensor comparisons that answer with a JavaScript boolean, as PyTorch's `torch.equal`
 * and `torch.allclose` answer with a Python bool: handy in tests and in ported tutorial checks.
 * Element-wise comparisons (eq, lt, isclose-style masks) live in elementwise.ts.
 */
import type { Tensor } from "../tensor/tensor.js";
import { sameShape } from "../tensor/shape.js";
import { noGrad } from "../autograd/grad-mode.js";
import { abs, add, eq, isnan, le, logicalAnd, logicalOr, mul, sub } from "./elementwise.js";
import { all } from "./reduce.js";
import { checkOptions } from "./options.js";

/** Options of `allclose`: `|a - b| <= atol + rtol·|b|` (defaults 1e-5 and 1e-8, as PyTorch). */
export interface AllcloseOptions {
  rtol?: number;
  atol?: number;
  /** NaN equals NaN when true (default false). */
  equalNan?: boolean;
}

/** True when `a` and `b` have the same shape and the same elements (PyTorch's `torch.equal`). */
export function equal(a: Tensor, b: Tensor): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  if (a.numel() === 0) return true;
  return noGrad(() => Boolean(all(eq(a, b)).item()));
}

/**
 * True when every element of `a` is close to `b`'s (broadcasting), as `torch.allclose`:
 * `|a - b| <= atol + rtol·|b|`; NaN is never close unless `equalNan`.
 */
export function allclose(a: Tensor, b: Tensor, rtolOrOptions?: number | AllcloseOptions, atol?: number, equalNan?: boolean): boolean {
  const o = typeof rtolOrOptions === "object" ? checkOptions("allclose", rtolOrOptions, ["rtol", "atol", "equalNan"]) : { rtol: rtolOrOptions, atol, equalNan };
  const rtol = o.rtol ?? 1e-5;
  const tol = o.atol ?? 1e-8;
  return noGrad(() => {
    let close = le(abs(sub(a, b)), add(mul(abs(b), rtol), tol));
    if (o.equalNan) close = logicalOr(close, logicalAnd(isnan(a), isnan(b)));
    return close.numel() === 0 || Boolean(all(close).item());
  });
}
