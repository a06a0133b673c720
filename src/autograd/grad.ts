/**
 * `autograd.grad`: gradients of outputs with respect to chosen inputs, returned rather than
 * accumulated (PyTorch's `torch.autograd.grad`). No tensor's `.grad` changes, the inputs' nor
 * any other leaf's. The backward walk itself is the engine's (engine.ts).
 */
import { Tensor } from "../tensor/tensor.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { runBackward } from "./engine.js";
import { enableGrad } from "./grad-mode.js";
import { checkOptions } from "../ops/options.js";
import { filled } from "../ops/op.js";
import { add, mul } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";

/** Options of `autograd.grad` (PyTorch's keyword arguments, camelCased). */
export interface GradOptions {
  /** The vector in the vector-Jacobian product: one per output (null = ones, for scalar outputs). */
  gradOutputs?: Tensor | readonly (Tensor | null)[] | null;
  /** Keep the graph for another backward (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass, so the gradients can be differentiated again. */
  createGraph?: boolean;
  /** Give null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
  /** Give zeros for inputs the outputs do not depend on (implies allowUnused). */
  materializeGrads?: boolean;
}

const KEYS = ["gradOutputs", "retainGraph", "createGraph", "allowUnused", "materializeGrads"] as const;

function tensorList(what: string, v: Tensor | readonly Tensor[]): Tensor[] {
  const list = v instanceof Tensor ? [v] : Array.isArray(v) ? v.slice() : null;
  if (!list) throw new Error(`autograd.grad: ${what} must be a Tensor or an array of Tensors, got ${typeof v}`);
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`autograd.grad: ${what}[${i}] is not a Tensor (got ${t === null ? "null" : typeof t})`);
  });
  return list;
}

/** Every tensor reachable backwards from `roots` through recorded ops (requiring grad). */
function graphTensors(roots: readonly Tensor[]): Set<Tensor> {
  const seen = new Set<Tensor>();
  const stack = roots.filter((t) => t.requiresGrad);
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    for (const inp of t.gradFn?.inputs ?? []) if (inp.requiresGrad && !seen.has(inp)) stack.push(inp);
  }
  return seen;
}

/**
 * Gradients of `outputs` (one tensor or an array) with respect to `inputs` (one tensor or an
 * array), as an array with one entry per input, like `torch.autograd.grad`:
 * `const [dx] = autograd.grad(y, x, { createGraph: true })`. Non-scalar outputs need
 * `gradOutputs`. `.grad` fields are left untouched. Entries are null only with `allowUnused`.
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options?: GradOptions & { allowUnused?: false }): Tensor[];
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options?: GradOptions): (Tensor | null)[];
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options?: GradOptions): (Tensor | null)[] {
  const o = checkOptions<GradOptions>("autograd.grad", options, KEYS);
  const outs = tensorList("outputs", outputs);
  const ins = tensorList("inputs", inputs);
  if (outs.length === 0) throw new Error("autograd.grad: outputs is empty");
  ins.forEach((t, i) => {
    if (!t.requiresGrad) {
      throw new Error(`autograd.grad: inputs[${i}] (shape ${formatShape(t.shape)}) does not require grad; create it with { requiresGrad: true } or call requiresGrad_()`);
    }
  });
  outs.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`autograd.grad: outputs[${i}] (shape ${formatShape(t.shape)}) does not require grad and has no grad_fn`);
  });
  const gos = o.gradOutputs === undefined || o.gradOutputs === null ? [] : o.gradOutputs instanceof Tensor ? [o.gradOutputs] : o.gradOutputs.slice();
  if (gos.length > 0 && gos.length !== outs.length) {
    throw new Error(`autograd.grad: got ${gos.length} gradOutputs for ${outs.length} outputs; give one per output`);
  }
  const seeds = outs.map((t, i) => {
    const g = gos[i] ?? null;
    if (g === null) {
      if (t.numel() !== 1) throw new Error(`autograd.grad: grad can be implicitly created only for scalar outputs; outputs[${i}] has shape ${formatShape(t.shape)}, pass gradOutputs`);
      return filled(t.shape, 1, t.dtype, t.device);
    }
    if (!(g instanceof Tensor)) throw new Error(`autograd.grad: gradOutputs[${i}] is not a Tensor`);
    if (!sameShape(g.shape, t.shape)) {
      throw new Error(`autograd.grad: gradOutputs[${i}] has shape ${formatShape(g.shape)} but outputs[${i}] has shape ${formatShape(t.shape)}`);
    }
    return g;
  });
  const createGraph = o.createGraph === true;
  const runOptions = { retainGraph: o.retainGraph ?? createGraph, createGraph };

  // Park every .grad the engine could write to, and make non-leaf inputs retain theirs.
  const parked: { t: Tensor; grad: Tensor | null; retains: boolean }[] = [];
  const inputSet = new Set(ins);
  for (const t of graphTensors([...outs, ...ins])) {
    const isLeaf = t.gradFn === null;
    if (!isLeaf && !t.retainsGrad && !inputSet.has(t)) continue;
    parked.push({ t, grad: isLeaf || t.retainsGrad ? t.grad : null, retains: t.retainsGrad });
    t.grad = null;
    if (!isLeaf) t.retainsGrad = inputSet.has(t);
  }
  try {
    if (outs.length === 1) runBackward(outs[0], seeds[0], runOptions);
    else {
      // Several outputs: one root whose gradient with respect to outputs[i] is seeds[i].
      const root = enableGrad(() => outs.map((t, i) => sum(mul(t, seeds[i]))).reduce((a, b) => add(a, b)));
      runBackward(root, null, runOptions);
    }
    return ins.map((t, i) => {
      const g = t.grad;
      if (g !== null) return g;
      if (o.materializeGrads) return filled(t.shape, 0, t.dtype, t.device);
      if (o.allowUnused) return null;
      throw new Error(`autograd.grad: inputs[${i}] (shape ${formatShape(t.shape)}) was not used in the graph of the outputs; pass { allowUnused: true } to get null for it`);
    });
  } finally {
    for (const p of parked) {
      p.t.grad = p.grad;
      if (p.t.gradFn !== null) p.t.retainsGrad = p.retains;
    }
  }
}
