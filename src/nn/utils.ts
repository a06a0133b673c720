/**
 * nn.utils: gradient clipping as PyTorch's torch.nn.utils spells it — `clipGradNorm_` (rescale
 * all gradients together so their joint norm is at most maxNorm; returns the norm before
 * clipping) and `clipGradValue_` (clamp each gradient element). Both work in place on `.grad`.
 */
import { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/grad-mode.js";
import * as ew from "../ops/elementwise.js";
import { reduceRaw, sum } from "../ops/reduce.js";
import { stack } from "../ops/join.js";
import { cast } from "../ops/movement.js";
import { clamp_, mul_ } from "../ops/inplace.js";
import { scalarTensor } from "../ops/op.js";
import { checkOptions } from "../ops/options.js";

/** One tensor or any iterable of tensors (`model.parameters()`). */
export type ParamsArg = Tensor | Iterable<Tensor>;

/** Options of clipGradNorm_ (PyTorch's keyword arguments). */
export interface ClipGradNormOptions {
  /** Order of the norm [2]; `Infinity` for the max norm. */
  normType?: number;
  /** Throw when the total norm is NaN or ±∞ instead of scaling by it [false]. */
  errorIfNonfinite?: boolean;
  /** Accepted for PyTorch compatibility; gradnote picks the implementation itself [undefined]. */
  foreach?: boolean | null;
}

function gradsOf(op: string, parameters: ParamsArg): Tensor[] {
  if (parameters === null || parameters === undefined || (!(parameters instanceof Tensor) && typeof (parameters as Iterable<Tensor>)[Symbol.iterator] !== "function")) {
    throw new Error(`${op}: parameters must be a Tensor or an iterable of Tensors (model.parameters()), got ${parameters === null ? "null" : typeof parameters}`);
  }
  const params = parameters instanceof Tensor ? [parameters] : [...parameters];
  params.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new Error(`${op}: parameters[${i}] is not a Tensor`);
  });
  return params.filter((p) => p.grad).map((p) => p.grad as Tensor);
}

/**
 * Scales the gradients of `parameters` in place so that their total `normType`-norm (all
 * gradients viewed as one vector) is at most `maxNorm`, exactly as PyTorch: coefficient
 * `min(1, maxNorm / (total + 1e-6))`. Returns the total norm before clipping as a 0-d tensor.
 *
 * ```ts
 * loss.backward();
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 * ```
 */
export function clipGradNorm_(parameters: ParamsArg, maxNorm: number, normType: number | ClipGradNormOptions = 2, options: ClipGradNormOptions = {}): Tensor {
  const opts = typeof normType === "object" ? checkOptions("clipGradNorm_", normType, ["normType", "errorIfNonfinite", "foreach"]) : checkOptions("clipGradNorm_", options, ["normType", "errorIfNonfinite", "foreach"]);
  const p = typeof normType === "number" ? normType : (opts.normType ?? 2);
  if (typeof maxNorm !== "number" || Number.isNaN(maxNorm)) throw new Error(`clipGradNorm_: maxNorm must be a number, got ${String(maxNorm)}`);
  if (typeof p !== "number" || Number.isNaN(p)) throw new Error(`clipGradNorm_: normType must be a number (2, 1, Infinity, …), got ${String(p)}`);
  const grads = gradsOf("clipGradNorm_", parameters);
  if (grads.length === 0) return scalarTensor(0, "float32");
  return noGrad(() => {
    const dtype = grads[0].dtype;
    const norms = grads.map((g) => {
      const a = ew.abs(cast(g, dtype));
      const axes = [...a.shape.keys()];
      if (p === Infinity) return reduceRaw("max", a, axes, false, dtype, "clipGradNorm_");
      if (p === -Infinity) return reduceRaw("min", a, axes, false, dtype, "clipGradNorm_");
      if (p === 0) return sum(cast(ew.ne(a, 0), dtype));
      return ew.powScalar(sum(ew.powScalar(a, p)), 1 / p);
    });
    const all = stack(norms);
    let total: Tensor;
    if (p === Infinity) total = reduceRaw("max", all, [0], false, dtype, "clipGradNorm_");
    else if (p === -Infinity) total = reduceRaw("min", all, [0], false, dtype, "clipGradNorm_");
    else if (p === 0) total = sum(all);
    else total = ew.powScalar(sum(ew.powScalar(all, p)), 1 / p);
    if (opts.errorIfNonfinite) {
      const t = total.item();
      if (!Number.isFinite(t)) {
        throw new Error(`clipGradNorm_: the total norm of order ${p} for gradients from \`parameters\` is non-finite (${t}), so it cannot be clipped. To scale the gradients by the non-finite norm anyway, pass { errorIfNonfinite: false }`);
      }
    }
    const coef = ew.clamp(ew.div(maxNorm, ew.add(total, 1e-6)), null, 1);
    for (const g of grads) mul_(g, cast(coef, g.dtype));
    return total;
  });
}

/**
 * Clamps every gradient element of `parameters` to [−clipValue, clipValue] in place
 * (PyTorch's `clip_grad_value_`). Returns nothing, as PyTorch.
 */
export function clipGradValue_(parameters: ParamsArg, clipValue: number): void {
  if (typeof clipValue !== "number" || Number.isNaN(clipValue)) throw new Error(`clipGradValue_: clipValue must be a number, got ${String(clipValue)}`);
  const grads = gradsOf("clipGradValue_", parameters);
  noGrad(() => {
    for (const g of grads) clamp_(g, -clipValue, clipValue);
  });
}
