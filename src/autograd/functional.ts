/**
 * `autograd.functional`: whole Jacobians and Hessians of a function, one backward pass per
 * output element (PyTorch's `torch.autograd.functional.jacobian` / `hessian`, reverse mode).
 */
import { Tensor, tensorFromData } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { isFloating } from "../tensor/dtype.js";
import { enableGrad } from "./grad-mode.js";
import { grad } from "./grad.js";
import { checkOptions } from "../ops/options.js";
import { filled } from "../ops/op.js";
import { detach, reshape } from "../ops/movement.js";
import { stack } from "../ops/join.js";

/** Options of jacobian/hessian (PyTorch's keywords). */
export interface JacobianOptions {
  /** Make the result differentiable (for higher derivatives). */
  createGraph?: boolean;
  /** Throw when an output does not depend on an input (instead of giving zeros). */
  strict?: boolean;
  /** Accepted for ports; rows are always computed one by one. */
  vectorize?: boolean;
}

const KEYS = ["createGraph", "strict", "vectorize"] as const;

function prepare(op: string, inputs: Tensor | readonly Tensor[], createGraph: boolean): Tensor[] {
  const list = inputs instanceof Tensor ? [inputs] : Array.isArray(inputs) ? inputs.slice() : null;
  if (!list) throw new Error(`${op}: inputs must be a Tensor or an array of Tensors`);
  return list.map((x, i) => {
    if (!(x instanceof Tensor)) throw new Error(`${op}: inputs[${i}] is not a Tensor`);
    if (!isFloating(x.dtype)) throw new Error(`${op}: inputs[${i}] must be a floating point tensor, got dtype ${x.dtype}`);
    return createGraph && x.requiresGrad ? x : detach(x).requiresGrad_(true);
  });
}

function outputList(op: string, out: unknown): Tensor[] {
  const list = out instanceof Tensor ? [out] : Array.isArray(out) ? out : null;
  if (!list || !list.every((t) => t instanceof Tensor)) throw new Error(`${op}: the function must return a Tensor or an array of Tensors`);
  return list;
}

/** The Jacobian blocks d outs[i] / d xs[j], each of shape [...outs[i].shape, ...xs[j].shape]. */
function blocks(op: string, outs: Tensor[], xs: Tensor[], o: JacobianOptions): Tensor[][] {
  const createGraph = o.createGraph === true;
  return outs.map((out, i) => {
    const n = out.numel();
    const rows: Tensor[][] = xs.map(() => []);
    for (let k = 0; k < n; k++) {
      let gs: (Tensor | null)[];
      if (!out.requiresGrad) gs = xs.map(() => null);
      else {
        const onehot = new Float64Array(n);
        onehot[k] = 1;
        const seed = tensorFromData(onehot, out.shape, out.dtype, out.device);
        gs = grad(out, xs, { gradOutputs: seed, retainGraph: true, createGraph, allowUnused: true });
      }
      gs.forEach((g, j) => {
        if (g === null && o.strict) {
          throw new Error(`${op}: output ${i} of the function is independent of input ${j}; this is not allowed in strict mode`);
        }
        rows[j].push(g ?? filled(xs[j].shape, 0, xs[j].dtype, xs[j].device));
      });
    }
    return xs.map((x, j) => {
      const shape = [...out.shape, ...x.shape];
      const block = n === 0 ? filled(shape, 0, x.dtype, x.device) : reshape(stack(rows[j], 0), shape);
      return createGraph ? block : detach(block);
    });
  });
}

/**
 * The Jacobian of `fn` at `inputs`, as `torch.autograd.functional.jacobian`: for one input and
 * one output a tensor of shape [...output.shape, ...input.shape]; an array over inputs when
 * `inputs` is an array, over outputs when `fn` returns an array, and nested when both.
 */
export function jacobian(fn: (...xs: Tensor[]) => Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options?: JacobianOptions): Tensor | Tensor[] | Tensor[][] {
  const o = checkOptions<JacobianOptions>("jacobian", options, KEYS);
  const xs = prepare("jacobian", inputs, o.createGraph === true);
  const out = enableGrad(() => fn(...xs));
  const outs = outputList("jacobian", out);
  const J = blocks("jacobian", outs, xs, o);
  const inTuple = Array.isArray(inputs);
  const outTuple = Array.isArray(out);
  if (!inTuple && !outTuple) return J[0][0];
  if (!outTuple) return J[0];
  if (!inTuple) return J.map((row) => row[0]);
  return J;
}

/**
 * The Hessian of the scalar function `fn` at `inputs`, as `torch.autograd.functional.hessian`:
 * a tensor of shape [...input.shape, ...input.shape] for one input, an array of arrays
 * (block [i][j] = d²f / dxᵢ dxⱼ) when `inputs` is an array.
 */
export function hessian(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor | readonly Tensor[], options?: JacobianOptions): Tensor | Tensor[][] {
  const o = checkOptions<JacobianOptions>("hessian", options, KEYS);
  const inTuple = Array.isArray(inputs);
  const firstOrder = (...ys: Tensor[]): Tensor | Tensor[] => {
    const out = fn(...ys);
    if (!(out instanceof Tensor) || out.numel() !== 1) {
      const got = out instanceof Tensor ? `shape ${formatShape(out.shape)}` : typeof out;
      throw new Error(`hessian: the function must return a single-element Tensor, got ${got}`);
    }
    const gs = out.requiresGrad ? grad(out, ys, { createGraph: true, allowUnused: true }) : ys.map(() => null);
    const filledGs = gs.map((g, j) => {
      if (g === null && o.strict) throw new Error(`hessian: the output of the function is independent of input ${j}; this is not allowed in strict mode`);
      return g ?? filled(ys[j].shape, 0, ys[j].dtype, ys[j].device);
    });
    return inTuple ? filledGs : filledGs[0];
  };
  return jacobian(firstOrder, inputs, o) as Tensor | Tensor[][];
}
