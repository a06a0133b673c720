/**
 * Convolutions and pooling with PyTorch's argument conventions: unfold (im2col), conv1d,
 * conv2d (stride, padding incl. "same"/"valid", dilation, groups), max/avg pooling in 1-D and
 * 2-D, adaptive average pooling. Convolution is unfold + matmul so its backward comes for free.
 */
import type { Window2d } from "../backend/backend.js";
import { Tensor, backendOf } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { empty, record, floatInput } from "./op.js";
import { matmul } from "./matmul.js";
import { reshape, squeeze, transpose, unsqueeze } from "./movement.js";
import { sum } from "./reduce.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { add } from "./elementwise.js";
import { pad } from "./pad.js";
import { checkOptions } from "./options.js";
import { fold } from "./conv-transpose.js";

/** A size given as one number or one per spatial dim. */
export type Pair = number | readonly [number, number];

function pair(v: Pair | undefined, fallback: [number, number], op: string, name: string): [number, number] {
  if (v === undefined) return fallback;
  const p: [number, number] = typeof v === "number" ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= 0)) throw new Error(`${op}: ${name} must be non-negative integers, got ${JSON.stringify(v)}`);
  return p;
}

/** Output length of a sliding window (floor mode). */
export function windowOut(size: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
}

function window(op: string, h: number, w: number, k: [number, number], s: [number, number], p: [number, number], d: [number, number], x: Tensor): Window2d {
  if (s[0] === 0 || s[1] === 0) throw new Error(`${op}: stride must be positive, got [${s.join(",")}]`);
  if (d[0] === 0 || d[1] === 0) throw new Error(`${op}: dilation must be positive, got [${d.join(",")}]`);
  const oh = windowOut(h, k[0], s[0], p[0], d[0]);
  const ow = windowOut(w, k[1], s[1], p[1], d[1]);
  if (oh <= 0 || ow <= 0) {
    throw new Error(`${op}: kernel [${k.join(",")}] (dilation [${d.join(",")}]) is larger than the padded input ${formatShape(x.shape)}`);
  }
  return { kh: k[0], kw: k[1], sh: s[0], sw: s[1], ph: p[0], pw: p[1], dh: d[0], dw: d[1], oh, ow };
}

/** Options of unfold. */
export interface UnfoldOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
}

/** Sliding blocks of x [n, c, h, w] as columns: [n, c·kh·kw, oh·ow] (PyTorch's `F.unfold`). */
export function unfold(x: Tensor, kernelSize: Pair, options: UnfoldOptions = {}): Tensor {
  checkOptions("unfold", options, ["stride", "padding", "dilation"]);
  if (x.ndim !== 4) throw new Error(`unfold: expected a 4-D input [n, c, h, w], got ${formatShape(x.shape)}`);
  const k = pair(kernelSize, [1, 1], "unfold", "kernelSize");
  const win = window("unfold", x.shape[2], x.shape[3], k, pair(options.stride, [1, 1], "unfold", "stride"),
    pair(options.padding, [0, 0], "unfold", "padding"), pair(options.dilation, [1, 1], "unfold", "dilation"), x);
  const [n, c, h, w] = x.shape;
  const out = empty([n, c * k[0] * k[1], win.oh * win.ow], x.dtype, x.device);
  backendOf(out).im2col(out.buf, x, win);
  return record(out, "Unfold", [x], (g) => {
    // Under createGraph the adjoint must itself be differentiable (conv's double backward
    // runs through it): fold records its own backward, unfold.
    if (isGradEnabled()) return [fold(g, [h, w], k, { stride: [win.sh, win.sw], padding: [win.ph, win.pw], dilation: [win.dh, win.dw] })];
    const gx = empty([n, c, h, w], g.dtype, g.device);
    backendOf(gx).col2im(gx.buf, g, gx.shape, win);
    return [gx];
  }, []);
}

/** Options of conv1d/conv2d, as in PyTorch. */
export interface ConvOptions {
  stride?: Pair;
  /** Zero padding per side, or "valid" (none) or "same" (output size = input size, stride 1). */
  padding?: Pair | "same" | "valid";
  dilation?: Pair;
  groups?: number;
}

const CONV_KEYS = ["stride", "padding", "dilation", "groups"] as const;

/** 2-D convolution (cross-correlation) of input [n, c, h, w] with weight [o, c/groups, kh, kw]. */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  checkOptions("conv2d", options, CONV_KEYS);
  if (input.ndim === 3) return squeeze(conv2d(unsqueeze(input, 0), weight, bias, options), 0);
  input = floatInput("conv2d", input);
  if (input.ndim !== 4 || weight.ndim !== 4) {
    throw new Error(`conv2d: expected input [n, c, h, w] and weight [o, c/groups, kh, kw], got input=${formatShape(input.shape)} weight=${formatShape(weight.shape)}`);
  }
  const groups = options.groups ?? 1;
  const [o, cg, kh, kw] = weight.shape;
  const c = input.shape[1];
  if (!Number.isInteger(groups) || groups < 1 || o % groups !== 0) {
    throw new Error(`conv2d: groups=${groups} must be a positive integer dividing out channels ${o} (weight ${formatShape(weight.shape)})`);
  }
  if (cg * groups !== c) {
    throw new Error(`conv2d: input channels ${c} != weight.shape[1] (${cg}) * groups (${groups}): input=${formatShape(input.shape)} weight=${formatShape(weight.shape)}`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== o)) {
    throw new Error(`conv2d: bias shape ${formatShape(bias.shape)} does not match out channels ${o} (weight ${formatShape(weight.shape)})`);
  }
  const stride = pair(options.stride, [1, 1], "conv2d", "stride");
  const dilation = pair(options.dilation, [1, 1], "conv2d", "dilation");
  let x = input;
  let padding: [number, number];
  if (options.padding === "valid") padding = [0, 0];
  else if (options.padding === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) throw new Error(`conv2d: padding="same" is not supported for strided convolutions (stride [${stride.join(",")}])`);
    const th = dilation[0] * (kh - 1), tw = dilation[1] * (kw - 1);
    // Even kernels need one more zero on the bottom/right, as PyTorch does.
    if (th % 2 || tw % 2) x = pad(x, [Math.floor(tw / 2), tw - Math.floor(tw / 2), Math.floor(th / 2), th - Math.floor(th / 2)]);
    padding = th % 2 || tw % 2 ? [0, 0] : [th / 2, tw / 2];
  } else padding = pair(options.padding, [0, 0], "conv2d", "padding");
  const n = x.shape[0];
  if (groups === 1) {
    const fused = fusedConv2d(x, weight, bias ?? null, [kh, kw], stride, padding, dilation);
    if (fused) return fused;
  }
  const cols = unfold(x, [kh, kw], { stride, padding, dilation });
  const oh = windowOut(x.shape[2], kh, stride[0], padding[0], dilation[0]);
  const ow = windowOut(x.shape[3], kw, stride[1], padding[1], dilation[1]);
  let y: Tensor;
  if (groups === 1) {
    y = matmul(reshape(weight, [o, -1]), cols);
  } else {
    const g = matmul(reshape(weight, [groups, o / groups, -1]), reshape(cols, [n, groups, -1, oh * ow]));
    y = reshape(g, [n, o, oh * ow]);
  }
  y = reshape(y, [n, o, oh, ow]);
  return bias ? add(y, reshape(bias, [1, o, 1, 1])) : y;
}

/**
 * conv2d through the backend's fused kernel (im2col + GEMM + bias in one pass per sample),
 * or null when the backend has none for these dtypes. Under `createGraph` the weight and bias
 * gradients are recomputed with differentiable ops, so higher-order gradients still flow.
 */
function fusedConv2d(x: Tensor, weight: Tensor, bias: Tensor | null, k: [number, number], stride: [number, number], padding: [number, number], dilation: [number, number]): Tensor | null {
  const be = backendOf(x);
  if (!be.conv2d || !be.conv2dBackward || x.dtype !== "float32" || weight.dtype !== "float32" || (bias && bias.dtype !== "float32")) return null;
  if (weight.device !== x.device || (bias && bias.device !== x.device)) return null;
  const win = window("unfold", x.shape[2], x.shape[3], k, stride, padding, dilation, x);
  const [n] = x.shape, o = weight.shape[0];
  const out = empty([n, o, win.oh, win.ow], "float32", x.device);
  if (!be.conv2d(out.buf, x, weight, bias, win)) return null;
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(out, "Conv2d", inputs, (g) => {
    const higher = isGradEnabled();
    const gx = x.requiresGrad && !higher ? empty(x.shape, "float32", x.device) : null;
    const gw = weight.requiresGrad && !higher ? empty(weight.shape, "float32", x.device) : null;
    const gb = bias && bias.requiresGrad && !higher ? empty([o], "float32", x.device) : null;
    be.conv2dBackward!(g, x, weight, win, gx ? gx.buf : null, gw ? gw.buf : null, gb ? gb.buf : null);
    if (!higher) return [gx, gw, gb];
    const cols = unfold(x, k, { stride, padding, dilation });
    const g3 = reshape(g, [n, o, win.oh * win.ow]);
    const gwHigh = weight.requiresGrad ? reshape(sum(matmul(g3, transpose(cols, 1, 2)), 0), weight.shape) : null;
    const gbHigh = bias && bias.requiresGrad ? sum(g3, [0, 2]) : null;
    // The input gradient too, so that it depends on the weight and g in the graph.
    const gxHigh = x.requiresGrad ? fold(matmul(transpose(reshape(weight, [o, -1]), 0, 1), g3), [x.shape[2], x.shape[3]], k, { stride, padding, dilation }) : null;
    return [gxHigh, gwHigh, gbHigh];
  });
}

/** 1-D convolution of input [n, c, l] with weight [o, c/groups, k]. */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  checkOptions("conv1d", options, CONV_KEYS);
  if (input.ndim === 2) return squeeze(conv1d(unsqueeze(input, 0), weight, bias, options), 0);
  if (input.ndim !== 3 || weight.ndim !== 3) {
    throw new Error(`conv1d: expected input [n, c, l] and weight [o, c/groups, k], got input=${formatShape(input.shape)} weight=${formatShape(weight.shape)}`);
  }
  const one = (v: Pair | undefined, dflt: number): [number, number] => [dflt, v === undefined ? dflt : typeof v === "number" ? v : v[0]];
  const padding = options.padding === "same" || options.padding === "valid" ? options.padding : one(options.padding, 0);
  const y = conv2d(unsqueeze(input, 2), unsqueeze(weight, 2), bias, {
    stride: [1, one(options.stride, 1)[1]], padding: padding === "same" || padding === "valid" ? padding : [0, padding[1]],
    dilation: [1, one(options.dilation, 1)[1]], groups: options.groups,
  });
  return squeeze(y, 2);
}
