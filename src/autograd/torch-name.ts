/**
 * PyTorch's grad_fn name for an op gradnote composes from smaller ones: `F.mse_loss` prints
 * `<MseLossBackward0>` in PyTorch, not the `<MeanBackward0>` of its last step. Renaming the
 * result's own node (never an input's) makes `print(loss.grad_fn)` port unchanged.
 */
import type { Tensor } from "../tensor/tensor.js";
import { backwardName } from "./node.js";

/** Names `y`'s grad_fn as PyTorch's `name` (e.g. "MseLoss" → MseLossBackward0); returns y. */
export function torchNamed(y: Tensor, name: string, inputs: readonly Tensor[]): Tensor {
  const node = y.gradFn;
  // A composite that returned one of its inputs unchanged has no node of its own to rename.
  if (node && !inputs.includes(y) && !inputs.some((t) => t.gradFn === node)) {
    Object.defineProperty(node, "name", { value: backwardName(name), enumerable: true, configurable: true });
  }
  return y;
}
