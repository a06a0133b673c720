/**
 * Fused composites that backends may run as one kernel: the LSTM cell and softmax +
 * cross-entropy. Each has the composed
 * (elementwise ops) definition as its fallback and as the double-backward path, so results and
 * gradients are the same whichever runs; only the number of ops and passes over memory differ.
 */
import { Tensor, backendOf } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { add, exp, mul, ne, rsub, sigmoid, sub, tanh } from "./elementwise.js";
import { logsumexp } from "./reduce.js";
import { cat, chunk } from "./join.js";
import { cast, narrow, unsqueeze } from "./movement.js";
import { asIndex, empty, record, scalarTensor } from "./op.js";

/** The LSTM cell from elementwise ops: gates [B, 4H] (i, f, g, o), c [B, H] → [h', c']. */
function lstmCellComposed(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = chunk(gates, 4, 1);
  const c2 = add(mul(sigmoid(f), c), mul(sigmoid(i), tanh(g)));
  return [mul(sigmoid(o), tanh(c2)), c2];
}

/**
 * One LSTM cell update from the input projection gx and the hidden projection gh (both
 * [B, 4H], PyTorch's gate order input, forget, cell, output) and the state c [B, H]:
 * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c') with gates = gx + gh. Returns [h', c'].
 */
export function lstmCell(gx: Tensor, gh: Tensor, c: Tensor): [Tensor, Tensor] {
  const [B, H4] = gx.shape;
  if (gx.ndim !== 2 || H4 % 4 !== 0 || gh.ndim !== 2 || gh.shape[0] !== B || gh.shape[1] !== H4 || c.ndim !== 2 || c.shape[0] !== B || c.shape[1] * 4 !== H4) {
    throw new Error(`lstmCell: expected gates [B, 4H] twice and c [B, H], got gx=${formatShape(gx.shape)} gh=${formatShape(gh.shape)} c=${formatShape(c.shape)}`);
  }
  const be = backendOf(gx);
  const f32 = gx.dtype === "float32" && gh.dtype === "float32" && c.dtype === "float32";
  if (!be.lstmCell || !be.lstmCellBackward || !f32 || gh.device !== gx.device || c.device !== gx.device) {
    return lstmCellComposed(add(gx, gh), c);
  }
  const H = H4 / 4;
  const hc = empty([B, 2 * H], "float32", gx.device);
  // With a backward ahead, the kernel may keep its activations (σi, σf, tanh g, σo, tanh c') for it.
  const wantsGrad = isGradEnabled() && (gx.requiresGrad || gh.requiresGrad || c.requiresGrad);
  const saved = wantsGrad ? empty([B, 5 * H], "float32", gx.device) : null;
  const ran = be.lstmCell(hc.buf, gx, gh, c, saved?.buf ?? null);
  if (!ran) return lstmCellComposed(add(gx, gh), c);
  const keep = ran === "saved" ? saved : null;
  record(hc, "LstmCell", [gx, gh, c], (g) => {
    // Higher-order gradients: the same backward written with differentiable ops.
    if (isGradEnabled()) {
      const [dg, dc] = lstmCellBackwardComposed(add(gx, gh), c, g, H);
      return [dg, dg, dc];
    }
    const dgates = empty([B, 4 * H], "float32", gx.device);
    const dc = empty([B, H], "float32", gx.device);
    be.lstmCellBackward!(dgates.buf, dc.buf, gx, gh, c, g, keep?.buf ?? null);
    return [dgates, dgates, dc];
  });
  return [narrow(hc, 1, 0, H), narrow(hc, 1, H, H)];
}

/** The GRU cell from elementwise ops (PyTorch's r, z, n): h' = n + z·(h − n). */
function gruCellComposed(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  const [ir, iz, inn] = chunk(gi, 3, 1);
  const [hr, hz, hn] = chunk(gh, 3, 1);
  const r = sigmoid(add(ir, hr));
  const z = sigmoid(add(iz, hz));
  const n = tanh(add(inn, mul(r, hn)));
  return add(n, mul(z, sub(h, n)));
}

/**
 * One GRU cell update from the input projection gi = x·W_ihᵀ + b_ih and the hidden projection
 * gh = h·W_hhᵀ + b_hh (both [B, 3H], gates r, z, n) and the state h [B, H]:
 * r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n), h' = (1 − z)·n + z·h.
 */
export function gruCell(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  const [B, H3] = gi.shape;
  if (gi.ndim !== 2 || H3 % 3 !== 0 || gh.ndim !== 2 || gh.shape[0] !== B || gh.shape[1] !== H3 || h.ndim !== 2 || h.shape[0] !== B || h.shape[1] * 3 !== H3) {
    throw new Error(`gruCell: expected gates [B, 3H] twice and h [B, H], got gi=${formatShape(gi.shape)} gh=${formatShape(gh.shape)} h=${formatShape(h.shape)}`);
  }
  const be = backendOf(gi);
  const f32 = gi.dtype === "float32" && gh.dtype === "float32" && h.dtype === "float32";
  if (!be.gruCell || !be.gruCellBackward || !f32 || gh.device !== gi.device || h.device !== gi.device) return gruCellComposed(gi, gh, h);
  const H = H3 / 3;
  const out = empty([B, H], "float32", gi.device);
  if (!be.gruCell(out.buf, gi, gh, h)) return gruCellComposed(gi, gh, h);
  return record(out, "GruCell", [gi, gh, h], (g) => {
    // Higher-order gradients: the same backward written with differentiable ops.
    if (isGradEnabled()) return gruCellBackwardComposed(gi, gh, h, g);
    const dgi = empty([B, 3 * H], "float32", gi.device);
    const dgh = empty([B, 3 * H], "float32", gi.device);
    const dh = empty([B, H], "float32", gi.device);
    be.gruCellBackward!(dgi.buf, dgh.buf, dh.buf, gi, gh, h, g);
    return [dgi, dgh, dh];
  }, [gi, gh, h]);
}

/** The GRU cell's backward as differentiable ops: [dgi, dgh, dh]. */
function gruCellBackwardComposed(gi: Tensor, gh: Tensor, h: Tensor, g: Tensor): [Tensor, Tensor, Tensor] {
  const [ir, iz, inn] = chunk(gi, 3, 1);
  const [hr, hz, hn] = chunk(gh, 3, 1);
  const r = sigmoid(add(ir, hr)), z = sigmoid(add(iz, hz)), n = tanh(add(inn, mul(r, hn)));
  const dn = mul(mul(g, rsub(z, 1)), rsub(mul(n, n), 1));
  const dz = mul(mul(g, sub(h, n)), mul(z, rsub(z, 1)));
  const dr = mul(mul(dn, hn), mul(r, rsub(r, 1)));
  return [cat([dr, dz, dn], 1), cat([dr, dz, mul(dn, r)], 1), mul(g, z)];
}

/** The cell's backward as differentiable ops (used under createGraph). */
function lstmCellBackwardComposed(gates: Tensor, c: Tensor, grad: Tensor, H: number): [Tensor, Tensor] {
  const [ai, af, ag, ao] = chunk(gates, 4, 1);
  const i = sigmoid(ai), f = sigmoid(af), g = tanh(ag), o = sigmoid(ao);
  const t = tanh(add(mul(f, c), mul(i, g)));
  const gh = narrow(grad, 1, 0, H), gc = narrow(grad, 1, H, H);
  const dct = add(gc, mul(mul(gh, o), rsub(mul(t, t), 1)));
  const di = mul(mul(dct, g), mul(i, rsub(i, 1)));
  const df = mul(mul(dct, c), mul(f, rsub(f, 1)));
  const dg = mul(mul(dct, i), rsub(mul(g, g), 1));
  const dO = mul(mul(gh, t), mul(o, rsub(o, 1)));
  return [cat([di, df, dg, dO], 1), mul(dct, f)];
}

/**
 * Mean (or summed) cross-entropy of logits [N, C] at int32 class indices [N] through the
 * backend's fused kernel, or null when it has none (the caller composes log-softmax + gather).
 * Under createGraph, null too: the composed loss is differentiable twice, the kernel is not.
 */
export function fusedCrossEntropy(logits: Tensor, target: Tensor, reduction: "mean" | "sum", ignoreIndex: number): Tensor | null {
  const be = backendOf(logits);
  if (!be.crossEntropy || logits.ndim !== 2 || target.ndim !== 1 || target.device !== logits.device) return null;
  if (target.dtype === "int64") target = asIndex("crossEntropy", target, "target");
  if (target.dtype !== "int32") return null;
  if (target.shape[0] !== logits.shape[0] || !isFloatingDtype(logits.dtype)) return null;
  const grad = empty(logits.shape, logits.dtype, logits.device);
  const { sum, count } = be.crossEntropy(grad.buf, logits, target, ignoreIndex);
  // Every target ignored: PyTorch's mean is NaN (0/0) while the gradient stays 0.
  const scale = reduction === "mean" ? (count > 0 ? 1 / count : 0) : 1;
  const loss = scalarTensor(reduction === "mean" && count === 0 ? NaN : sum * scale, logits.dtype, logits.device);
  return record(loss, "CrossEntropyLoss", [logits], (g) => {
    if (!isGradEnabled()) return [mul(grad, mul(g, scale))];
    // createGraph: the same value, softmax(x)·valid − one-hot, but differentiable in x.
    const sm = exp(sub(logits, logsumexp(logits, 1, true)));
    const valid = unsqueeze(cast(ne(target, ignoreIndex), logits.dtype), 1);
    const oneHotNeg = sub(grad, mul(sm.detach(), valid));
    return [mul(add(mul(sm, valid), oneHotNeg), mul(g, scale))];
  }, [logits]);
}

function isFloatingDtype(d: string): boolean {
  return d === "float32" || d === "float64";
}
