/**
 * A node of the autograd tape: the op that made a tensor, its inputs, and its backward
 * function. The backward engine that walks these nodes is in src/autograd/engine.ts.
 */
import type { Tensor } from "../tensor/tensor.js";

/** Maps the gradient of an op's output to the gradients of its inputs (null = no gradient). */
export type BackwardFn = (grad: Tensor) => readonly (Tensor | null | undefined)[];

/** One recorded op: `grad_fn` in PyTorch's vocabulary. */
export class Node {
  private fn: BackwardFn | null;
  constructor(
    /** Op name shown as `grad_fn=<NameBackward>`. */
    readonly name: string,
    /** The op's tensor inputs, in the order the backward function returns their gradients. */
    readonly inputs: readonly Tensor[],
    fn: BackwardFn,
  ) {
    this.fn = fn;
  }

  /** Computes input gradients; throws if the graph was freed by an earlier backward. */
  apply(grad: Tensor): readonly (Tensor | null | undefined)[] {
    if (!this.fn) {
      throw new Error(
        `backward: trying to backward through ${this.name} a second time; its saved tensors were freed. ` +
          "Pass { retainGraph: true } to the first backward() to keep them",
      );
    }
    return this.fn(grad);
  }

  /** Drops the saved tensors so they can be collected. */
  release(): void {
    this.fn = null;
  }
}
