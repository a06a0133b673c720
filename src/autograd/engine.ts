/**
 * The backward pass: topological walk of the tape from one output, calling each node's
 * backward function, running tensor hooks, and accumulating into leaves' `.grad`
 * (gradients accumulate until zeroed, as in PyTorch).
 */
import { Tensor, backendOf } from "../tensor/tensor.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { keep } from "../tensor/memory.js";
import { setGradEnabled } from "./grad-mode.js";
import { add } from "../ops/elementwise.js";
import { filled } from "../ops/op.js";
import { cast, clone } from "../ops/movement.js";
import { RegionGrad } from "./node.js";

/** Options of `backward()`. */
export interface BackwardOptions {
  /** Keep saved tensors so backward can run through the graph again (defaults to createGraph, as in PyTorch). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
}

function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative DFS: deep graphs (RNNs unrolled over long sequences) would overflow recursion.
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const inputs = t.gradFn ? t.gradFn.inputs : [];
    if (i < inputs.length) {
      top[1]++;
      const next = inputs[i];
      if (next.requiresGrad && !seen.has(next)) {
        seen.add(next);
        stack.push([next, 0]);
      }
    } else {
      order.push(t);
      stack.pop();
    }
  }
  return order.reverse();
}

/**
 * Gradients that must not become a `.grad` without a copy: ones already adopted as some
 * tensor's `.grad`, and tensors that came from outside the engine (a user's gradient, a hook's
 * result), which their owner may still hold.
 */
const notAdoptable = new WeakSet<Tensor>();

/** True when `g` is a fresh, dense, unshared tensor made during this backward pass. */
function adoptable(t: Tensor, g: Tensor): boolean {
  return !notAdoptable.has(g) && g.dtype === t.dtype && g.device === t.device && g.offset === 0 &&
    g.isContiguous() && g.numel() === g.buf.size && g.store.refs === 1;
}

function accumulate(t: Tensor, g: Tensor): void {
  if (t.grad === null) {
    // Take the incoming gradient itself when nothing else can see it (as PyTorch steals a
    // gradient whose refcount is one), else a private copy: it may be shared with other
    // tensors or be a broadcast view. Under createGraph keep the recorded gradient itself.
    const own = g.gradFn ? g : adoptable(t, g) ? g : clone(g);
    notAdoptable.add(own);
    t.grad = keep(own);
  } else if (t.grad.gradFn || g.gradFn) {
    t.grad = keep(add(t.grad, g));
  } else {
    backendOf(t.grad).map("add", t.grad, [t.grad, g]);
  }
}

/**
 * A tensor's gradient while parts of it are still arriving from views (RegionGrad): what came
 * whole (`base`), and the regions, summed into one tensor when the tensor's turn comes.
 */
class Parts {
  readonly parts: RegionGrad[] = [];
  constructor(public base: Tensor | null) {}
}

/** The sum of a Parts: a fresh tensor of `t`'s shape, dtype and device. */
function sumParts(t: Tensor, p: Parts): Tensor {
  const z = p.base ? clone(p.base) : filled(t.shape, 0, t.dtype, t.device);
  const be = backendOf(z);
  for (const r of p.parts) {
    const v = r.region(z);
    be.map("add", v, [v, r.g.dtype === t.dtype ? r.g : cast(r.g, t.dtype)]);
  }
  return z;
}

/** Runs backpropagation from `root`, seeding it with `gradient` (ones for a scalar root). */
export function runBackward(root: Tensor, gradient?: Tensor | number | null, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new Error(`backward: tensor of shape ${formatShape(root.shape)} does not require grad and has no grad_fn`);
  }
  let seed: Tensor;
  if (gradient === undefined || gradient === null) {
    if (root.numel() !== 1) {
      throw new Error(`backward: grad can be implicitly created only for scalar outputs, got shape ${formatShape(root.shape)}`);
    }
    seed = filled(root.shape, 1, root.dtype, root.device);
  } else if (typeof gradient === "number") {
    seed = filled(root.shape, gradient, root.dtype, root.device);
  } else {
    if (!sameShape(gradient.shape, root.shape)) {
      throw new Error(`backward: gradient shape ${formatShape(gradient.shape)} does not match output shape ${formatShape(root.shape)}`);
    }
    seed = cast(gradient, root.dtype);
    notAdoptable.add(seed);
  }
  const prev = setGradEnabled(options.createGraph === true);
  try {
    const grads = new Map<Tensor, Tensor | Parts>([[root, seed]]);
    // Sums this pass made (nothing else holds them): later contributions are added in place,
    // as a weight used at every step of a loop collects one gradient per step.
    const sums = new Set<Tensor>();
    const recordSums = options.createGraph === true;
    const plus = (prior: Tensor, g: Tensor): Tensor => {
      if (!recordSums && sums.has(prior)) {
        backendOf(prior).map("add", prior, [prior, g]);
        return prior;
      }
      const s = add(prior, g);
      if (!recordSums) sums.add(s);
      return s;
    };
    for (const t of topoOrder(root)) {
      const pending = grads.get(t);
      if (!pending) continue;
      grads.delete(t);
      // Its sum is complete: no longer one to add into (nor held past this point).
      sums.delete(pending instanceof Parts ? pending.base! : pending);
      let g = pending instanceof Parts ? sumParts(t, pending) : pending;
      if (t.hooks) {
        for (const hook of t.hooks) {
          const r = hook(g);
          if (r instanceof Tensor) {
            g = r;
            notAdoptable.add(r);
          }
        }
      }
      const node = t.gradFn;
      if (!node) {
        accumulate(t, g);
        continue;
      }
      if (t.retainsGrad) accumulate(t, g);
      const inGrads = node.apply(g);
      if (!(options.retainGraph ?? options.createGraph)) node.release();
      node.inputs.forEach((inp, i) => {
        const gi = inGrads[i];
        if (!gi || !inp.requiresGrad) return;
        if (!sameShape(gi.shape, inp.shape)) {
          throw new Error(`backward: ${node.name} produced a gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(inp.shape)}`);
        }
        const prior = grads.get(inp);
        if (gi instanceof RegionGrad) {
          const p = prior instanceof Parts ? prior : new Parts(prior ?? null);
          p.parts.push(gi);
          grads.set(inp, p);
          return;
        }
        const gc = gi.dtype === inp.dtype ? gi : cast(gi, inp.dtype);
        if (prior instanceof Parts) prior.base = prior.base ? plus(prior.base, gc) : gc;
        else grads.set(inp, prior ? plus(prior, gc) : gc);
      });
    }
  } finally {
    setGradEnabled(prev);
  }
}

/**
 * Gradients of `outputs` with respect to `inputs` without touching `.grad`
 * (PyTorch's `torch.autograd.grad`). Returns one gradient (or null) per input.
 */
export function grad(outputs: Tensor, inputs: readonly Tensor[], options: BackwardOptions & { gradOutputs?: Tensor } = {}): (Tensor | null)[] {
  const saved = inputs.map((t) => ({ grad: t.grad, retains: t.retainsGrad }));
  for (const t of inputs) {
    t.grad = null;
    if (t.gradFn) t.retainsGrad = true;
  }
  try {
    runBackward(outputs, options.gradOutputs, options);
    return inputs.map((t) => t.grad);
  } finally {
    inputs.forEach((t, i) => {
      t.grad = saved[i].grad;
      t.retainsGrad = saved[i].retains;
    });
  }
}
