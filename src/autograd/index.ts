/**
 * The `autograd` namespace, as `torch.autograd`: grad, backward, Function (custom ops) with
 * its ctx, functional.jacobian / hessian, gradcheck and the grad-mode switches.
 * The engine itself lives in engine.ts; this file only gathers the public names.
 */
import { Tensor } from "../tensor/tensor.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { runBackward, type BackwardOptions } from "./engine.js";
import { enableGrad } from "./grad-mode.js";
import { add, mul } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";
export { grad, type GradOptions } from "./grad.js";
export { Function, FunctionCtx, type FunctionClass } from "./function.js";
export * as functional from "./functional.js";
export { gradcheck, type GradcheckOptions } from "./gradcheck.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./grad-mode.js";

/**
 * Backpropagates from each of `tensors` (PyTorch's `torch.autograd.backward`), seeding each
 * with the matching entry of `gradTensors` (ones for scalars); gradients accumulate in `.grad`.
 */
export function backward(tensors: Tensor | readonly Tensor[], gradTensors?: Tensor | readonly (Tensor | null)[] | null, options: BackwardOptions = {}): void {
  const ts = tensors instanceof Tensor ? [tensors] : tensors.slice();
  const gs = gradTensors === undefined || gradTensors === null ? [] : gradTensors instanceof Tensor ? [gradTensors] : gradTensors.slice();
  if (gs.length > 0 && gs.length !== ts.length) throw new Error(`autograd.backward: got ${gs.length} gradTensors for ${ts.length} tensors`);
  if (ts.length === 1) return runBackward(ts[0], gs[0] ?? null, options);
  const seeds = ts.map((t, i) => {
    const g = gs[i] ?? null;
    if (g === null && t.numel() !== 1) throw new Error(`autograd.backward: grad can be implicitly created only for scalar outputs; tensors[${i}] has shape ${formatShape(t.shape)}`);
    if (g !== null && !sameShape(g.shape, t.shape)) throw new Error(`autograd.backward: gradTensors[${i}] has shape ${formatShape(g.shape)} but tensors[${i}] has shape ${formatShape(t.shape)}`);
    return g ?? 1;
  });
  // One root whose gradient with respect to tensors[i] is seeds[i].
  const root = enableGrad(() => ts.map((t, i) => sum(mul(t, seeds[i]))).reduce((a, b) => add(a, b)));
  runBackward(root, null, options);
}
