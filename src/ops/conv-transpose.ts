/**
 * Transposed convolution (PyTorch's conv_transpose1d/2d) and `fold` (col2im, the adjoint of
 * `unfold`). A transposed convolution is a matmul of the weight with the input followed by
 * fold, so its gradients come from matmul's and fold's (fold's backward is unfold).
 */
import type { Window2d } from "../backend/backend.js";
import { Tensor, backendOf } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { empty, record, requireFloat } from "./op.js";
import { matmul } from "./matmul.js";
import { reshape, slice, squeeze, transpose, unsqueeze } from "./movement.js";
import { add } from "./elementwise.js";
import { unfold, windowOut, type Pair } from "./conv.js";
import { checkOptions } from "./options.js";

function pair(v: Pair | undefined, fallback: number, op: string, name: string, min = 0): [number, number] {
  if (v === undefined) return [fallback, fallback];
  const p: [number, number] = typeof v === "number" ? [v, v] : [v[0], v[1]];
  if (!(Array.isArray(v) ? v.length === 2 : true) || !p.every((x) => Number.isInteger(x) && x >= min)) {
    throw new Error(`${op}: ${name} must be ${min > 0 ? "positive" : "non-negative"} integers (one or a pair), got ${JSON.stringify(v)}`);
  }
  return p;
}

/**
 * Sums the columns `cols` [n, c·kh·kw, bh·bw] into an image [n, c, h, w], where (bh, bw) is the
 * grid of sliding blocks. Records "Col2ImBackward0"; the gradient is `unfold` cropped to the grid.
 */
function col2im(cols: Tensor, outHW: [number, number], k: [number, number], s: [number, number], p: [number, number], d: [number, number], blocks: [number, number]): Tensor {
  const [n, ckk] = cols.shape;
  const c = ckk / (k[0] * k[1]);
  const win: Window2d = { kh: k[0], kw: k[1], sh: s[0], sw: s[1], ph: p[0], pw: p[1], dh: d[0], dw: d[1], oh: blocks[0], ow: blocks[1] };
  const out = empty([n, c, outHW[0], outHW[1]], cols.dtype, cols.device);
  backendOf(out).col2im(out.buf, cols, out.shape, win);
  return record(out, "Col2ImBackward0", [cols], (g) => {
    let u = unfold(g, k, { stride: s, padding: p, dilation: d });
    const uh = windowOut(outHW[0], k[0], s[0], p[0], d[0]);
    const uw = windowOut(outHW[1], k[1], s[1], p[1], d[1]);
    if (uh !== blocks[0] || uw !== blocks[1]) {
      // An output padding of at least the stride adds whole blocks past the input's grid.
      u = reshape(slice(slice(reshape(u, [n, ckk, uh, uw]), 2, 0, blocks[0]), 3, 0, blocks[1]), [n, ckk, blocks[0] * blocks[1]]);
    }
    return [u];
  });
}

/** Options of fold (PyTorch's keyword arguments). */
export interface FoldOptions {
  dilation?: Pair;
  padding?: Pair;
  stride?: Pair;
}

/**
 * Combines sliding blocks [n, c·kh·kw, L] into an image [n, c, h, w] = `outputSize`, summing
 * overlaps (PyTorch's `F.fold`, the adjoint of `unfold`).
 */
export function fold(input: Tensor, outputSize: Pair, kernelSize: Pair, options: FoldOptions = {}): Tensor {
  const o = checkOptions("fold", options, ["dilation", "padding", "stride"]);
  if (input.ndim === 2) return squeeze(fold(unsqueeze(input, 0), outputSize, kernelSize, o), 0);
  if (input.ndim !== 3) throw new Error(`fold: expected a 2-D or 3-D input [n, c·kh·kw, L], got ${formatShape(input.shape)}`);
  const size = pair(outputSize, 0, "fold", "outputSize", 1);
  const k = pair(kernelSize, 1, "fold", "kernelSize", 1);
  const s = pair(o.stride, 1, "fold", "stride", 1);
  const p = pair(o.padding, 0, "fold", "padding");
  const d = pair(o.dilation, 1, "fold", "dilation", 1);
  if (input.shape[1] % (k[0] * k[1]) !== 0) {
    throw new Error(`fold: expected size of input's dimension 1 to be divisible by the product of kernelSize [${k.join(",")}], got input ${formatShape(input.shape)}`);
  }
  const bh = windowOut(size[0], k[0], s[0], p[0], d[0]);
  const bw = windowOut(size[1], k[1], s[1], p[1], d[1]);
  if (bh <= 0 || bw <= 0 || bh * bw !== input.shape[2]) {
    throw new Error(`fold: expected input's dimension 2 to match the calculated number of sliding blocks ${Math.max(bh, 0)} * ${Math.max(bw, 0)} = ${Math.max(bh, 0) * Math.max(bw, 0)}, got input ${formatShape(input.shape)} (outputSize [${size.join(",")}], kernelSize [${k.join(",")}])`);
  }
  return col2im(input, size, k, s, p, d, [bh, bw]);
}

/** Options of convTranspose1d/2d, as PyTorch's keyword arguments. */
export interface ConvTransposeOptions {
  /** Step of the corresponding convolution [1]. */
  stride?: Pair;
  /** Zero padding of the corresponding convolution: `dilation·(k−1) − padding` per side [0]. */
  padding?: Pair;
  /** Extra size added to one side of the output [0]; smaller than stride or dilation. */
  outputPadding?: Pair;
  /** Blocked connections from input to output channels [1]. */
  groups?: number;
  /** Spacing between kernel elements [1]. */
  dilation?: Pair;
}

const CT_KEYS = ["stride", "padding", "outputPadding", "groups", "dilation"] as const;

/**
 * 2-D transposed convolution ("deconvolution") of input [n, cIn, h, w] (or [cIn, h, w]) with
 * weight [cIn, cOut/groups, kh, kw], as PyTorch's `F.conv_transpose2d`: output size
 * `(h − 1)·stride − 2·padding + dilation·(kh − 1) + outputPadding + 1`.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTransposeOptions = {}): Tensor {
  const o = checkOptions("convTranspose2d", options, CT_KEYS);
  if (input.ndim === 3) return squeeze(convTranspose2d(unsqueeze(input, 0), weight, bias, o), 0);
  requireFloat("convTranspose2d", input);
  if (input.ndim !== 4 || weight.ndim !== 4) {
    throw new Error(`convTranspose2d: expected input [n, cIn, h, w] and weight [cIn, cOut/groups, kh, kw], got input=${formatShape(input.shape)} weight=${formatShape(weight.shape)}`);
  }
  const groups = o.groups ?? 1;
  const [cin, cog, kh, kw] = weight.shape;
  const [n, c, h, w] = input.shape;
  if (!Number.isInteger(groups) || groups < 1 || cin % groups !== 0) {
    throw new Error(`convTranspose2d: groups=${groups} must be a positive integer dividing in channels ${cin} (weight ${formatShape(weight.shape)})`);
  }
  if (c !== cin) {
    throw new Error(`convTranspose2d: input channels ${c} != weight.shape[0] (${cin}): input=${formatShape(input.shape)} weight=${formatShape(weight.shape)}`);
  }
  const cout = cog * groups;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== cout)) {
    throw new Error(`convTranspose2d: bias shape ${formatShape(bias.shape)} does not match out channels ${cout} (weight ${formatShape(weight.shape)}, groups ${groups})`);
  }
  const s = pair(o.stride, 1, "convTranspose2d", "stride", 1);
  const p = pair(o.padding, 0, "convTranspose2d", "padding");
  const d = pair(o.dilation, 1, "convTranspose2d", "dilation", 1);
  const op = pair(o.outputPadding, 0, "convTranspose2d", "outputPadding");
  for (let i = 0; i < 2; i++) {
    if (op[i] >= s[i] && op[i] >= d[i]) {
      throw new Error(`convTranspose2d: outputPadding must be smaller than either stride or dilation, got outputPadding [${op.join(",")}], stride [${s.join(",")}], dilation [${d.join(",")}]`);
    }
  }
  const oh = (h - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + op[0] + 1;
  const ow = (w - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + op[1] + 1;
  if (oh <= 0 || ow <= 0) {
    throw new Error(`convTranspose2d: output size [${oh},${ow}] is too small for input ${formatShape(input.shape)}, kernel [${kh},${kw}], stride [${s.join(",")}], padding [${p.join(",")}]`);
  }
  // cols[n, (g, co, kh, kw), h·w] = Σ_ci W[g, ci, (co, kh, kw)] · x[n, g, ci, h·w]
  const wg = transpose(reshape(weight, [groups, cin / groups, cog * kh * kw]), 1, 2);
  const cols = reshape(matmul(wg, reshape(input, [n, groups, cin / groups, h * w])), [n, cout * kh * kw, h * w]);
  const y = col2im(cols, [oh, ow], [kh, kw], s, p, d, [h, w]);
  return bias ? add(y, reshape(bias, [1, cout, 1, 1])) : y;
}

/** 1-D transposed convolution of input [n, cIn, l] (or [cIn, l]) with weight [cIn, cOut/groups, k]. */
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTransposeOptions = {}): Tensor {
  const o = checkOptions("convTranspose1d", options, CT_KEYS);
  if (input.ndim === 2) return squeeze(convTranspose1d(unsqueeze(input, 0), weight, bias, o), 0);
  if (input.ndim !== 3 || weight.ndim !== 3) {
    throw new Error(`convTranspose1d: expected input [n, cIn, l] and weight [cIn, cOut/groups, k], got input=${formatShape(input.shape)} weight=${formatShape(weight.shape)}`);
  }
  const one = (v: Pair | undefined, dflt: number, name: string): [number, number] => {
    if (v !== undefined && typeof v !== "number") throw new Error(`convTranspose1d: ${name} must be one number, got ${JSON.stringify(v)}`);
    return [dflt, v ?? dflt];
  };
  const y = convTranspose2d(unsqueeze(input, 2), unsqueeze(weight, 2), bias, {
    stride: one(o.stride, 1, "stride"), padding: one(o.padding, 0, "padding"), outputPadding: one(o.outputPadding, 0, "outputPadding"),
    dilation: one(o.dilation, 1, "dilation"), groups: o.groups,
  });
  return squeeze(y, 2);
}
