/**
 * Pooling: max and average pooling in 1-D and 2-D with PyTorch's kernel/stride/padding
 * defaults (stride = kernel), and adaptive average pooling (global pooling is output size 1).
 */
import type { Window2d } from "../backend/backend.js";
import { Tensor, backendOf } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { empty, record, floatInput } from "./op.js";
import { squeeze, unsqueeze } from "./movement.js";
import { windowOut, type Pair } from "./conv.js";
import { checkKwargs } from "../functional/choice.js";
import { mul } from "./elementwise.js";
import { fromArray } from "../tensor/creation.js";

/** Options of the pooling functions. */
export interface PoolOptions {
  /** Defaults to the kernel size. */
  stride?: Pair | null;
  padding?: Pair;
  /** Max pooling only. */
  dilation?: Pair;
  /** Use ceil instead of floor for the output size. */
  ceilMode?: boolean;
  /** Average pooling only: count zero padding in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
}

const MAX_KEYS = ["stride", "padding", "dilation", "ceilMode"] as const;
const AVG_KEYS = ["stride", "padding", "ceilMode", "countIncludePad"] as const;
const MAX_UNSUPPORTED = { returnIndices: "indices are not returned; use argmax on unfold if you need them", countIncludePad: "average pooling only" };
const AVG_UNSUPPORTED = { divisorOverride: "divide the output yourself", dilation: "PyTorch's average pooling has no dilation either" };

const pair = (v: Pair): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]);

function poolWindow(op: string, x: Tensor, kernel: Pair, o: PoolOptions, allowDilation: boolean): Window2d {
  if (x.ndim !== 4) throw new Error(`${op}: expected a 3-D or 4-D input [n, c, h, w], got ${formatShape(x.shape)}`);
  const k = pair(kernel);
  const s = o.stride === undefined || o.stride === null ? k : pair(o.stride);
  const p = pair(o.padding ?? 0);
  const d = pair(allowDilation ? o.dilation ?? 1 : 1);
  if (![...k, ...s, ...d].every((v) => Number.isInteger(v) && v > 0) || !p.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new Error(`${op}: kernel, stride and dilation must be positive integers and padding non-negative, got kernel=${JSON.stringify(kernel)} options=${JSON.stringify(o)}`);
  }
  if (p[0] > Math.floor(k[0] / 2) || p[1] > Math.floor(k[1] / 2)) {
    throw new Error(`${op}: pad should be at most half of kernel size, got padding [${p.join(",")}] kernel [${k.join(",")}]`);
  }
  const size = (n: number, i: number): number => {
    if (!o.ceilMode) return windowOut(n, k[i], s[i], p[i], d[i]);
    let out = Math.ceil((n + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1;
    // The last window must start inside the input or left padding, as in PyTorch.
    if ((out - 1) * s[i] >= n + p[i]) out--;
    return out;
  };
  const oh = size(x.shape[2], 0), ow = size(x.shape[3], 1);
  if (oh <= 0 || ow <= 0) throw new Error(`${op}: kernel [${k.join(",")}] is larger than the padded input ${formatShape(x.shape)}`);
  return { kh: k[0], kw: k[1], sh: s[0], sw: s[1], ph: p[0], pw: p[1], dh: d[0], dw: d[1], oh, ow };
}

function batched(x: Tensor, fn: (x4: Tensor) => Tensor): Tensor {
  return x.ndim === 3 ? squeeze(fn(unsqueeze(x, 0)), 0) : fn(x);
}

/** 2-D max pooling of [n, c, h, w] (or [c, h, w]). */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: PoolOptions = {}): Tensor {
  checkKwargs("maxPool2d", options, MAX_KEYS, MAX_UNSUPPORTED);
  return batched(x, (x4) => {
    x4 = floatInput("maxPool2d", x4);
    const win = poolWindow("maxPool2d", x4, kernelSize, options, true);
    const shape = [x4.shape[0], x4.shape[1], win.oh, win.ow];
    const out = empty(shape, x4.dtype, x4.device);
    const indices = empty(shape, "int32", x4.device);
    backendOf(out).maxPool2d(out.buf, indices.buf, x4, win);
    return record(out, "MaxPool2D", [x4], (g) => {
      const gx = empty(x4.shape, g.dtype, g.device);
      backendOf(gx).maxPool2dBackward(gx.buf, g, indices, x4.shape);
      return [gx];
    });
  });
}

/** 2-D average pooling of [n, c, h, w] (padding counted in the divisor, PyTorch's default). */
export function avgPool2d(x: Tensor, kernelSize: Pair, options: PoolOptions = {}): Tensor {
  checkKwargs("avgPool2d", options, AVG_KEYS, AVG_UNSUPPORTED);
  return batched(x, (x4) => {
    x4 = floatInput("avgPool2d", x4);
    const win = poolWindow("avgPool2d", x4, kernelSize, options, false);
    const out = empty([x4.shape[0], x4.shape[1], win.oh, win.ow], x4.dtype, x4.device);
    backendOf(out).avgPool2d(out.buf, x4, win);
    const y = record(out, "AvgPool2D", [x4], (g) => {
      const gx = empty(x4.shape, g.dtype, g.device);
      backendOf(gx).avgPool2dBackward(gx.buf, g, x4.shape, win);
      return [gx];
    }, []);
    const scale = divisorScale(x4.shape, win, options.countIncludePad ?? true);
    return scale ? mul(y, fromArray(scale, [win.oh, win.ow], { dtype: x4.dtype, device: x4.device })) : y;
  });
}

/**
 * The kernels divide every window by kh·kw. PyTorch divides a window that hangs past the padded
 * input (ceilMode) by the part inside it, and without countIncludePad by the input elements
 * only: kh·kw / divisor per output position, or null when every factor is 1.
 */
function divisorScale(shape: readonly number[], w: Window2d, countIncludePad: boolean): number[] | null {
  const [H, W] = [shape[2], shape[3]];
  const extent = (o: number, s: number, p: number, k: number, n: number): number => {
    const start = o * s - p;
    const end = Math.min(start + k, n + p);
    return countIncludePad ? end - start : Math.min(end, n) - Math.max(start, 0);
  };
  const scale: number[] = [];
  let trivial = true;
  for (let i = 0; i < w.oh; i++) {
    for (let j = 0; j < w.ow; j++) {
      const f = (w.kh * w.kw) / (extent(i, w.sh, w.ph, w.kh, H) * extent(j, w.sw, w.pw, w.kw, W));
      if (f !== 1) trivial = false;
      scale.push(f);
    }
  }
  return trivial ? null : scale;
}

/** Adaptive average pooling to `outputSize` ([h, w], one number, or null to keep a dim). */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  return batched(x, (x4) => {
    x4 = floatInput("adaptiveAvgPool2d", x4);
    if (x4.ndim !== 4) throw new Error(`adaptiveAvgPool2d: expected a 3-D or 4-D input, got ${formatShape(x4.shape)}`);
    const [oh, ow] = typeof outputSize === "number" ? [outputSize, outputSize] : [outputSize[0] ?? x4.shape[2], outputSize[1] ?? x4.shape[3]];
    if (!(Number.isInteger(oh) && Number.isInteger(ow) && oh > 0 && ow > 0)) {
      throw new Error(`adaptiveAvgPool2d: output size must be positive integers, got ${JSON.stringify(outputSize)}`);
    }
    const out = empty([x4.shape[0], x4.shape[1], oh, ow], x4.dtype, x4.device);
    backendOf(out).adaptiveAvgPool2d(out.buf, x4, oh, ow);
    return record(out, "AdaptiveAvgPool2D", [x4], (g) => {
      const gx = empty(x4.shape, g.dtype, g.device);
      backendOf(gx).adaptiveAvgPool2dBackward(gx.buf, g, x4.shape);
      return [gx];
    }, []);
  });
}

function as2d(x: Tensor, op: string, fn: (x4: Tensor) => Tensor): Tensor {
  if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`${op}: expected a 2-D or 3-D input [n, c, l], got ${formatShape(x.shape)}`);
  return squeeze(fn(unsqueeze(x, -2)), -2);
}

const first = (v: Pair | null | undefined): number | undefined => (v === undefined || v === null ? undefined : typeof v === "number" ? v : v[0]);

/** 1-D max pooling of [n, c, l]. */
export function maxPool1d(x: Tensor, kernelSize: number, options: PoolOptions = {}): Tensor {
  checkKwargs("maxPool1d", options, MAX_KEYS, MAX_UNSUPPORTED);
  return as2d(x, "maxPool1d", (x4) =>
    maxPool2d(x4, [1, kernelSize], { stride: [1, first(options.stride) ?? kernelSize], padding: [0, first(options.padding) ?? 0], dilation: [1, first(options.dilation) ?? 1], ceilMode: options.ceilMode }),
  );
}

/** 1-D average pooling of [n, c, l]. */
export function avgPool1d(x: Tensor, kernelSize: number, options: PoolOptions = {}): Tensor {
  checkKwargs("avgPool1d", options, AVG_KEYS, AVG_UNSUPPORTED);
  return as2d(x, "avgPool1d", (x4) =>
    avgPool2d(x4, [1, kernelSize], {
      stride: [1, first(options.stride) ?? kernelSize], padding: [0, first(options.padding) ?? 0], ceilMode: options.ceilMode, countIncludePad: options.countIncludePad,
    }),
  );
}

/** 1-D adaptive average pooling of [n, c, l] to `outputSize`. */
export function adaptiveAvgPool1d(x: Tensor, outputSize: number): Tensor {
  return as2d(x, "adaptiveAvgPool1d", (x4) => adaptiveAvgPool2d(x4, [1, outputSize]));
}
