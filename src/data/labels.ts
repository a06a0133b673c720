/**
 * Class-index labels: the integer dtype that `tensor([1, 2, 3])` infers (PyTorch's int64), so
 * that targets from every loader and DataLoader batch feed crossEntropy without a cast.
 */
import type { Tensor } from "../tensor/tensor.js";
import { tensor } from "../tensor/creation.js";
import { isFloating, type DType } from "../tensor/dtype.js";
import { fromData } from "../nn/tensor-util.js";

let cached: DType | undefined;

/** The dtype of class-index tensors: what an integer list infers, int32 where that is a float. */
export function labelDType(): DType {
  if (cached === undefined) {
    const d = tensor([0, 1]).dtype;
    cached = isFloating(d) || d === "bool" ? "int32" : d;
  }
  return cached;
}

/** A 1-D class-index tensor holding `values`. */
export function labelTensor(values: ArrayLike<number>): Tensor {
  return fromData(values, [values.length], labelDType());
}
