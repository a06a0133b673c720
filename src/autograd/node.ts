/**
 * A node of the autograd tape: the op that made a tensor, its inputs, the tensors its backward
 * reads (with their version numbers, checked before backward runs, as PyTorch does), and its
 * backward function. The engine that walks these nodes is in src/autograd/engine.ts.
 */
import type { Tensor } from "../tensor/tensor.js";

/**
 * The gradient of a view's base from the view's gradient `g`: zero but for the region that
 * `region` takes out of a tensor of `shape`, which holds `g`. Slicing and select return this
 * instead of a zero-filled tensor of the base's shape, and the engine adds every such part into
 * one tensor: a loop that selects each of L rows (an RNN over time steps) then costs one base-
 * sized gradient, not L of them added together.
 */
export class RegionGrad {
  constructor(
    readonly g: Tensor,
    readonly shape: readonly number[],
    readonly region: (z: Tensor) => Tensor,
  ) {}
}

/** Maps the gradient of an op's output to the gradients of its inputs (null = no gradient). */
export type BackwardFn = (grad: Tensor) => readonly (Tensor | RegionGrad | null | undefined)[];

const TYPE_NAMES: Record<string, string> = {
  float32: "torch.FloatTensor", float64: "torch.DoubleTensor", int32: "torch.IntTensor",
  int64: "torch.LongTensor", bool: "torch.BoolTensor",
};

const backwardNames = new Map<string, string>();

/** PyTorch's grad_fn class name: `Mul` → `MulBackward0`; names already ending in BackwardN stay. */
export function backwardName(name: string): string {
  let full = backwardNames.get(name);
  if (full === undefined) {
    full = /Backward\d*$/.test(name) || name === "CopySlices" ? name : `${name}Backward0`;
    // Op names are a small fixed set (plus user Function names): remembered, not re-tested per node.
    if (backwardNames.size < 4096) backwardNames.set(name, full);
  }
  return full;
}

/**
 * Graph positions that in-place ops took over: after `y.add_(1)` the tensor object `y` means
 * the new value, but nodes recorded earlier took `y` as an input meaning its old value. For
 * each rewired tensor this maps its old grad_fn to a stand-in tensor that holds it.
 */
const priors = new WeakMap<Tensor, Map<Node | null, Tensor>>();
let rewired = 0;

/** Records that `t` is about to take a new grad_fn; `prior` stands for it as it was. */
export function notePrior(t: Tensor, prior: Tensor): void {
  let m = priors.get(t);
  if (!m) priors.set(t, (m = new Map()));
  if (!m.has(t.gradFn)) m.set(t.gradFn, prior);
  rewired++;
}

/** One recorded op: `grad_fn` in PyTorch's vocabulary. */
export class Node {
  private fn: BackwardFn | null;
  /** Op name as PyTorch prints it (`MulBackward0`). */
  readonly name: string;
  private saved: readonly Tensor[] | null;
  private savedVersions: readonly number[];
  /** Position of the op's own output among the saved tensors (-1: not saved). */
  private readonly outputAt: number;
  private readonly recorded: readonly Tensor[];
  /** Each input's grad_fn when this node was recorded (to see through later in-place rewiring). */
  private readonly inputFns: readonly (Node | null)[];
  constructor(
    name: string,
    /** The op's tensor inputs, in the order the backward function returns their gradients. */
    inputs: readonly Tensor[],
    fn: BackwardFn,
    /** Tensors whose values the backward function reads (inputs and/or the output). */
    saved: readonly Tensor[] = inputs,
    /** The op's output, so that a saved output is named by this op as PyTorch does. */
    output?: Tensor,
  ) {
    this.name = backwardName(name);
    this.recorded = inputs;
    this.inputFns = inputs.map((t) => t.gradFn);
    this.fn = fn;
    this.saved = saved.length > 0 ? saved : null;
    this.savedVersions = saved.map((t) => t.version);
    this.outputAt = output ? saved.indexOf(output) : -1;
  }

  /**
   * The op's inputs as they were when it ran: an input that an in-place op has since given a new
   * grad_fn is replaced by the stand-in that holds its old one.
   */
  get inputs(): readonly Tensor[] {
    if (rewired === 0) return this.recorded;
    let out: Tensor[] | null = null;
    this.recorded.forEach((t, i) => {
      if (t.gradFn === this.inputFns[i]) return;
      const prior = priors.get(t)?.get(this.inputFns[i]);
      if (!prior) return;
      out ??= this.recorded.slice();
      out[i] = prior;
    });
    return out ?? this.recorded;
  }

  /** Computes input gradients; throws if the graph was freed or a saved tensor was modified in place. */
  apply(grad: Tensor): readonly (Tensor | RegionGrad | null | undefined)[] {
    if (!this.fn) {
      throw new Error(
        `backward: trying to backward through ${this.name} a second time; its saved tensors were freed. ` +
          "Pass { retainGraph: true } to the first backward() to keep them",
      );
    }
    if (this.saved) this.checkVersions();
    return this.fn(grad);
  }

  private checkVersions(): void {
    this.saved!.forEach((t, i) => {
      if (t.version === this.savedVersions[i]) return;
      const type = `[${TYPE_NAMES[t.dtype] ?? t.dtype} [${t.shape.join(", ")}]]`;
      // A saved output is named by the op that made it; a saved input by its current grad_fn.
      const maker = i === this.outputAt ? this.name : t.gradFn?.name;
      const made = maker ? `, which is output 0 of ${maker},` : "";
      throw new Error(
        `one of the variables needed for gradient computation has been modified by an inplace operation: ${type}${made} ` +
          `is at version ${t.version}; expected version ${this.savedVersions[i]} instead. ` +
          `Hint: ${this.name} saved this tensor, and an in-place op (add_, mul_, copy_, t[i] = …, also inside noGrad()) ` +
          "changed it before backward(); use the out-of-place op (x.mul(2) instead of x.mul_(2)) or clone() the tensor first",
      );
    });
  }

  /**
   * The nodes that receive this node's input gradients, with PyTorch's output numbers:
   * `[[node, 0], …]`, null for inputs that need no gradient, an AccumulateGrad stand-in for leaves.
   */
  get nextFunctions(): [Node | { name: string; variable: Tensor } | null, number][] {
    return this.inputs.map((t) => [t.gradFn ?? (t.requiresGrad ? { name: "AccumulateGrad", variable: t } : null), 0]);
  }

  /** PyTorch's repr: `<MulBackward0>`. */
  toString(): string {
    return `<${this.name}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Drops the saved tensors so they can be collected. */
  release(): void {
    this.fn = null;
    this.saved = null;
  }
}
