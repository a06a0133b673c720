/**
 * Tensor methods that PyTorch code uses often and that read the same here: `x.cpu()` and
 * `x.cuda()` (the GPU backend, webgpu). Thin compositions of existing ops; installed from
 * methods.ts. (In-place ops belong in ops/inplace.ts, which records them in the graph.)
 */
import type { Tensor } from "./tensor.js";

declare module "./tensor.js" {
  interface Tensor {
    /** This tensor on the cpu backend (itself when already there), as PyTorch's `x.cpu()`. */
    cpu(): Tensor;
    /** This tensor on the GPU backend (webgpu), as PyTorch's `x.cuda()`; throws without a GPU adapter. */
    cuda(): Tensor;
  }
}

/** @internal Installs cpu/cuda on the Tensor prototype. */
export function installPortMethods(proto: Tensor): void {
  proto.cpu = function () { return this.device === "cpu" ? this : this.to("cpu"); };
  proto.cuda = function () { return this.to("cuda"); };
}
