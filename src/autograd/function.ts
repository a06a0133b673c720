/**
 * `autograd.Function`: user-defined ops with a custom backward, as PyTorch's
 * `torch.autograd.Function` — static `forward(ctx, ...args)` / `backward(ctx, ...grads)`,
 * called as `MyFn.apply(...args)`, with a ctx that saves tensors for backward.
 */
import { Tensor } from "../tensor/tensor.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import { isGradEnabled, noGrad } from "./grad-mode.js";
import { filled, record } from "../ops/op.js";
import { add } from "../ops/elementwise.js";
import { detach } from "../ops/movement.js";
import { sumTo } from "../ops/reduce.js";

/**
 * The `ctx` handed to forward and backward. Save tensors with `saveForBackward(...)` and read
 * them as `savedTensors`; any other attribute (`ctx.scale = 2`) is kept as well.
 */
export class FunctionCtx {
  // Arbitrary attributes, as on PyTorch's ctx.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [attribute: string]: any;
  /** For each forward argument: whether backward must produce its gradient. */
  needsInputGrad: boolean[] = [];
  /** @internal */
  _saved: (Tensor | null)[] = [];
  /** @internal */
  _nonDifferentiable = new Set<Tensor>();
  /** @internal */
  _materializeGrads = true;
  /** @internal set to the Function's name by apply(), for messages. */
  _fnName = "Function";

  /** Saves tensors (inputs or outputs) for backward; in-place changes to them are then caught. */
  saveForBackward(...tensors: Tensor[]): void {
    tensors.forEach((t: unknown, i) => {
      if (t !== null && t !== undefined && !(t instanceof Tensor)) {
        throw new Error(`${this._fnName}: saveForBackward takes tensors (or null); argument ${i} is ${typeof t}; keep other values as ctx attributes`);
      }
    });
    this._saved = tensors.map((t) => (t as Tensor | null | undefined) ?? null);
  }

  /**
   * The tensors given to `saveForBackward`, in order: `const [x, y] = ctx.savedTensors`.
   * (Typed as tensors; an entry is null only where null was saved, as PyTorch allows.)
   */
  get savedTensors(): Tensor[] {
    return this._saved.slice() as Tensor[];
  }

  /** Marks outputs that have no gradient (e.g. indices). */
  markNonDifferentiable(...tensors: Tensor[]): void {
    for (const t of tensors) this._nonDifferentiable.add(t);
  }

  /** With false, backward receives null (not zeros) for outputs that got no gradient. */
  setMaterializeGrads(value: boolean): void {
    this._materializeGrads = value;
  }

  /** In-place forward functions are not supported. */
  markDirty(): never {
    throw new Error(`${this._fnName}: markDirty (in-place custom functions) is not supported; return a new tensor from forward`);
  }
}

/** What `forward` may return: a tensor, or an array of tensors (other values pass through). */
type ForwardResult = unknown;

/** The static side of a Function subclass. */
export interface FunctionClass {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forward(ctx: FunctionCtx, ...args: any[]): ForwardResult;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  backward(ctx: FunctionCtx, ...grads: any[]): unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ForwardArgs<C extends FunctionClass> = C["forward"] extends (ctx: FunctionCtx, ...args: infer A) => any ? A : never;

/**
 * Base class of custom autograd functions, as `torch.autograd.Function`:
 *
 * ```ts
 * class Exp extends autograd.Function {
 *   static forward(ctx: autograd.FunctionCtx, x: Tensor) { const y = x.exp(); ctx.saveForBackward(y); return y; }
 *   static backward(ctx: autograd.FunctionCtx, g: Tensor) { const [y] = ctx.savedTensors; return g.mul(y); }
 * }
 * const y = Exp.apply(x);
 * ```
 * `backward` returns one gradient per forward argument (null for non-tensors or no gradient).
 */
export class Function {
  // forward and backward are deliberately not declared here: a subclass defines them without
  // `override` (as PyTorch code reads), and apply's `this` type requires both.
  /** Runs the function on `args`, recording it for autograd (PyTorch's `MyFn.apply(x, y)`). */
  static apply<C extends FunctionClass>(this: C, ...args: ForwardArgs<C>): ReturnType<C["forward"]> {
    return applyFunction(this, args) as ReturnType<C["forward"]>;
  }

  /** Subclasses are used through their static methods; `new` is a mistake. */
  constructor() {
    throw new Error("autograd.Function: call the static apply(...args) instead of constructing it (PyTorch: MyFn.apply(x))");
  }
}

// PyTorch tutorials write `P3 = LegendrePolynomial3.apply` and call `P3(x)` later. A static
// method read off the class loses its `this`, so `apply` is a getter that hands out a function
// bound to the subclass it is read from (the declaration above stays for the types).
Object.defineProperty(Function, "apply", {
  configurable: true,
  get(this: FunctionClass) {
    const cls = this;
    return (...args: unknown[]) => applyFunction(cls, args);
  },
});

function applyFunction(cls: FunctionClass, args: readonly unknown[]): unknown {
  const name = cls.name || "Function";
  for (const method of ["forward", "backward"] as const) {
    if (typeof cls[method] !== "function") {
      throw new Error(`${name}: ${method} is not implemented; define static ${method}(ctx, ...${method === "forward" ? "args" : "grads"}) in the subclass`);
    }
  }
  const ctx = new FunctionCtx();
  ctx._fnName = name;
  const grading = isGradEnabled();
  ctx.needsInputGrad = args.map((a) => grading && a instanceof Tensor && a.requiresGrad);
  const result = noGrad(() => cls.forward(ctx, ...args));
  const isArray = Array.isArray(result);
  const outs: unknown[] = isArray ? (result as unknown[]).slice() : [result];
  const tensorArgs = args.flatMap((a, i) => (a instanceof Tensor ? [i] : []));
  if (!ctx.needsInputGrad.some((b) => b)) return result;

  const inputs = tensorArgs.map((i) => args[i] as Tensor);
  // Outputs that carry gradients; an input returned as-is gets a fresh alias to hang the node on.
  const diff: number[] = [];
  outs.forEach((o, k) => {
    if (!(o instanceof Tensor) || !isFloating(o.dtype) || ctx._nonDifferentiable.has(o)) return;
    if (o.requiresGrad || args.includes(o)) outs[k] = detach(o);
    diff.push(k);
  });
  if (diff.length === 0) return result;
  const saved = ctx._saved.filter((t): t is Tensor => t !== null);
  const nodeName = `${name}Backward`;

  const callBackward = (grads: (Tensor | null)[]): (Tensor | null)[] => {
    const gs = outs.map((o, k) => {
      const g = grads[diff.indexOf(k)] ?? null;
      if (g !== null || !ctx._materializeGrads || !(o instanceof Tensor)) return g;
      return filled(o.shape, 0, o.dtype, o.device);
    });
    const res = cls.backward(ctx, ...gs);
    const list = Array.isArray(res) ? res : [res];
    if (list.length !== args.length) {
      throw new Error(`${name}.backward returned an incorrect number of gradients (expected ${args.length}, one per forward argument, got ${list.length})`);
    }
    list.forEach((g, i) => {
      if (g === null || g === undefined) return;
      if (!(args[i] instanceof Tensor)) {
        throw new Error(`${name}.backward returned a gradient at position ${i}, but forward argument ${i} is not a Tensor; return null there`);
      }
      if (!(g instanceof Tensor)) throw new Error(`${name}.backward returned ${typeof g} at position ${i}; expected a Tensor or null`);
    });
    return tensorArgs.map((i) => {
      const g = (list[i] ?? null) as Tensor | null;
      const x = args[i] as Tensor;
      if (g === null || sameShape(g.shape, x.shape)) return g;
      // As PyTorch, a gradient that broadcasts to the input's shape is summed down to it.
      if (canSumTo(g.shape, x.shape)) return sumTo(g, x.shape);
      throw new Error(`${name}.backward returned an invalid gradient at position ${i}: got shape ${formatShape(g.shape)} but expected shape compatible with ${formatShape(x.shape)}`);
    });
  };

  if (diff.length === 1) {
    record(outs[diff[0]] as Tensor, nodeName, inputs, (g) => callBackward([g]), saved);
  } else {
    // Several outputs: each output's node hands its gradient to one shared node (a 0-D
    // placeholder every output depends on), which the engine runs after all of them.
    const hub = filled([], 0, "float32", inputs[0].device);
    let pending: (Tensor | null)[] = diff.map(() => null);
    record(hub, nodeName, inputs, () => {
      const grads = pending;
      pending = diff.map(() => null);
      return callBackward(grads);
    }, saved);
    diff.forEach((k, j) => {
      const o = outs[k] as Tensor;
      record(o, nodeName, [hub], (g) => {
        pending[j] = pending[j] ? add(pending[j]!, g) : g;
        return [filled([], 0, "float32", hub.device)];
      }, []);
    });
  }
  return isArray ? outs : outs[0];
}

/** True when `from` broadcasts down to `to` (trailing alignment, size-1 or missing dims). */
function canSumTo(from: readonly number[], to: readonly number[]): boolean {
  if (from.length < to.length) return false;
  const lead = from.length - to.length;
  return to.every((s, i) => s === from[lead + i] || s === 1);
}
