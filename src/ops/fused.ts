/**
 * Fused composites that backends may run as one kernel: the LSTM cell. Each has the composed
 * (elementwise ops) definition as its fallback and as the double-backward path, so results and
 * gradients are the same whichever runs; only the number of ops and passes over memory differ.
 */
import { Tensor, backendOf } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { add, mul, sigmoid, tanh } from "./elementwise.js";
import { chunk } from "./join.js";
import { narrow } from "./movement.js";
import { empty, record } from "./op.js";

/** The LSTM cell from elementwise ops: gates [B, 4H] (i, f, g, o), c [B, H] → [h', c']. */
function lstmCellComposed(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = chunk(gates, 4, 1);
  const c2 = add(mul(sigmoid(f), c), mul(sigmoid(i), tanh(g)));
  return [mul(sigmoid(o), tanh(c2)), c2];
}

/**
 * One LSTM cell update, PyTorch's gate order (input, forget, cell, output):
 * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). Returns [h', c'].
 */
export function lstmCell(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [B, H4] = gates.shape;
  if (gates.ndim !== 2 || H4 % 4 !== 0 || c.ndim !== 2 || c.shape[0] !== B || c.shape[1] * 4 !== H4) {
    throw new Error(`lstmCell: expected gates [B, 4H] and c [B, H], got gates=${formatShape(gates.shape)} c=${formatShape(c.shape)}`);
  }
  const be = backendOf(gates);
  if (!be.lstmCell || !be.lstmCellBackward || c.device !== gates.device || gates.dtype !== "float32" || c.dtype !== "float32") {
    return lstmCellComposed(gates, c);
  }
  const H = H4 / 4;
  const hc = empty([B, 2 * H], "float32", gates.device);
  if (!be.lstmCell(hc.buf, gates, c)) return lstmCellComposed(gates, c);
  record(hc, "LstmCell", [gates, c], (g) => {
    if (isGradEnabled()) {
      // Higher-order gradients: differentiate the composed cell instead.
      const [h2, c2] = lstmCellComposed(gates, c);
      const hcc = add(mul(h2, narrow(g, 1, 0, H)), mul(c2, narrow(g, 1, H, H)));
      return gradsOf(hcc, [gates, c]);
    }
    const dgates = empty([B, 4 * H], "float32", gates.device);
    const dc = empty([B, H], "float32", gates.device);
    be.lstmCellBackward!(dgates.buf, dc.buf, gates, c, g);
    return [dgates, dc];
  });
  return [narrow(hc, 1, 0, H), narrow(hc, 1, H, H)];
}

/** Gradients of sum(y) with respect to `xs`, recorded (for createGraph). */
function gradsOf(y: Tensor, xs: Tensor[]): (Tensor | null)[] {
  // Imported lazily: the engine imports ops, ops must not import the engine at load time.
  return gradFn(y.sum(), xs, { createGraph: true, retainGraph: true });
}

let gradFn: (y: Tensor, xs: readonly Tensor[], o: { createGraph: boolean; retainGraph: boolean }) => (Tensor | null)[] = () => {
  throw new Error("lstmCell: autograd engine not registered");
};

/** @internal Called by the autograd engine module to break the import cycle. */
export function setFusedGrad(fn: typeof gradFn): void {
  gradFn = fn;
}
