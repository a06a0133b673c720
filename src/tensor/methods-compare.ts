/**
 * `x.equal(y)` and `x.allclose(y)`: whole-tensor comparisons answering a boolean, as PyTorch's
 * Tensor methods. The ops live in src/ops/compare.ts; installed from methods.ts.
 */
import type { Tensor } from "./tensor.js";
import * as cmp from "../ops/compare.js";

declare module "./tensor.js" {
  interface Tensor {
    /** True when `other` has the same shape and elements (PyTorch's `x.equal(y)`). */
    equal(other: Tensor): boolean;
    /** True when all elements are within `atol + rtol·|other|` (PyTorch's `x.allclose(y)`). */
    allclose(other: Tensor, rtol?: number | cmp.AllcloseOptions, atol?: number, equalNan?: boolean): boolean;
  }
}

/** @internal Installs equal/allclose on the Tensor prototype. */
export function installCompareMethods(proto: Tensor): void {
  proto.equal = function (other: Tensor) { return cmp.equal(this, other); };
  proto.allclose = function (other: Tensor, rtol?: number | cmp.AllcloseOptions, atol?: number, equalNan?: boolean) {
    return cmp.allclose(this, other, rtol, atol, equalNan);
  };
}
