/**
 * gradcheck like PyTorch's: compares the analytical Jacobian from backward() with central
 * finite differences, in float64, eps 1e-6, atol 1e-5, rtol 1e-3.
 */
import { Tensor, viewOf } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { grad } from "./engine.js";
import { noGrad } from "./grad-mode.js";
import { fill_ } from "../ops/inplace.js";
import { full } from "../tensor/creation.js";
import { backendNamed } from "../backend/backend.js";

/** Options of gradcheck, with PyTorch's defaults. */
export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw a descriptive error on mismatch (default) instead of returning false. */
  raiseException?: boolean;
}

type Outputs = Tensor | readonly Tensor[];

function asList(o: Outputs): Tensor[] {
  return o instanceof Tensor ? [o] : o.slice();
}

/** Storage positions of every element of a (possibly strided) tensor, row-major. */
function positions(t: Tensor): number[] {
  const out: number[] = [];
  const walk = (d: number, off: number): void => {
    if (d === t.ndim) {
      out.push(off);
      return;
    }
    for (let i = 0; i < t.shape[d]; i++) walk(d + 1, off + i * t.strides[d]);
  };
  walk(0, t.offset);
  return out;
}

/**
 * Checks gradients of `fn(...inputs)` with respect to every input that requires grad.
 * Returns true, or throws (or returns false with `raiseException: false`) on a mismatch.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Outputs, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const checked = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.requiresGrad);
  if (checked.length === 0) throw new Error("gradcheck: no input requires grad");
  for (const { t, i } of checked) {
    const be = backendNamed(t.device);
    if (t.dtype !== "float64" && !be.dtypes.includes("float64")) {
      // float32 finite differences cannot meet gradcheck's tolerances: say where float64 lives.
      throw new Error(
        `gradcheck: needs float64 inputs, and the ${be.name} backend has no float64${be.dtypeGaps?.float64 ? ` (${be.dtypeGaps.float64})` : ""}; ` +
          `run gradcheck on cpu: x.to("cpu").double() (input ${i}, shape ${formatShape(t.shape)}, is ${t.dtype} on ${be.name})`,
      );
    }
    if (t.dtype !== "float64") throw new Error(`gradcheck: input ${i} (shape ${formatShape(t.shape)}) is ${t.dtype}; use float64 inputs`);
  }
  const outputs = asList(fn(...inputs));
  const fail = (msg: string): boolean => {
    if (options.raiseException === false) return false;
    throw new Error(`gradcheck: ${msg}`);
  };
  // Analytical Jacobian: one backward pass per output element.
  const analytic: Float64Array[][] = outputs.map((o) => checked.map(({ t }) => new Float64Array(o.numel() * t.numel())));
  outputs.forEach((o, oi) => {
    if (!o.requiresGrad) return;
    for (let m = 0; m < o.numel(); m++) {
      const seed = full(o.shape, 0, { dtype: o.dtype, device: o.device });
      const flat = positions(seed)[m];
      fill_(viewOf(seed, [], [], flat), 1);
      const gs = grad(o, checked.map(({ t }) => t), { gradOutputs: seed, retainGraph: true });
      gs.forEach((g, k) => {
        if (!g) return;
        const n = checked[k].t.numel();
        analytic[oi][k].set(g.dataSync(), m * n);
      });
    }
  });
  // Numerical Jacobian: central differences, perturbing each input element through its view.
  for (let k = 0; k < checked.length; k++) {
    const t = checked[k].t;
    const pos = positions(t);
    const raw = t.dataSync();
    for (let n = 0; n < pos.length; n++) {
      const cell = viewOf(t, [], [], pos[n]);
      const orig = raw[n];
      const evalAt = (v: number): Float64Array[] =>
        noGrad(() => {
          fill_(cell, v);
          return asList(fn(...inputs)).map((o) => Float64Array.from(o.dataSync()));
        });
      const plus = evalAt(orig + eps);
      const minus = evalAt(orig - eps);
      noGrad(() => fill_(cell, orig));
      for (let oi = 0; oi < outputs.length; oi++) {
        const M = outputs[oi].numel();
        for (let m = 0; m < M; m++) {
          const num = (plus[oi][m] - minus[oi][m]) / (2 * eps);
          const ana = analytic[oi][k][m * pos.length + n];
          if (!(Math.abs(num - ana) <= atol + rtol * Math.abs(num))) {
            return fail(
              `Jacobian mismatch for output ${oi} (shape ${formatShape(outputs[oi].shape)}) with respect to input ${checked[k].i} ` +
                `(shape ${formatShape(t.shape)}) at output element ${m}, input element ${n}: numerical ${num}, analytical ${ana}`,
            );
          }
        }
      }
    }
  }
  return true;
}
