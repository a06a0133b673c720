/**
 * nn.init: in-place weight initialisers with PyTorch's names, fan computations and gains
 * (xavier/kaiming uniform and normal, uniform, normal, constant, zeros, ones, eye).
 * They draw from the global generator, so `manualSeed()` makes them reproducible.
 */
import type { Tensor } from "../tensor/tensor.js";
import { defaultGenerator } from "../random.js";
import { formatShape } from "../tensor/shape.js";
import { copyInto } from "./tensor-util.js";
import { checkChoice, checkKwargs } from "../functional/choice.js";

/** Nonlinearities known to `calculateGain`. */
export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "leakyRelu" | "selu";

/** The recommended gain for a nonlinearity (PyTorch's `calculate_gain`). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear": case "conv1d": case "conv2d": case "conv3d": case "sigmoid": return 1;
    case "tanh": return 5 / 3;
    case "relu": return Math.SQRT2;
    case "leaky_relu": case "leakyRelu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu": return 3 / 4;
    default: throw new Error(`calculateGain: unsupported nonlinearity "${nonlinearity}"`);
  }
}

/** `[fanIn, fanOut]` of a weight: dims 1 and 0 times the receptive field (dims 2…). */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.shape.length < 2) {
    throw new Error(`init: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape ${formatShape(t.shape)})`);
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/** Fills `t` with U(a, b) in place; returns `t`. */
export function uniform(t: Tensor, a = 0, b = 1): Tensor {
  const out = new Float64Array(t.numel());
  for (let i = 0; i < out.length; i++) out[i] = a + (b - a) * defaultGenerator.random();
  copyInto(t, out);
  return t;
}

/** Fills `t` with N(mean, std²) in place; returns `t`. */
export function normal(t: Tensor, mean = 0, std = 1): Tensor {
  const out = new Float64Array(t.numel());
  for (let i = 0; i < out.length; i++) out[i] = mean + std * defaultGenerator.normal();
  copyInto(t, out);
  return t;
}

/** Fills `t` with `value` in place; returns `t`. */
export function constant(t: Tensor, value: number): Tensor {
  copyInto(t, new Float64Array(t.numel()).fill(value));
  return t;
}

/** Fills `t` with zeros in place; returns `t`. */
export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

/** Fills `t` with ones in place; returns `t`. */
export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}

/** Fills a 2-D `t` with the identity matrix in place; returns `t`. */
export function eye(t: Tensor): Tensor {
  if (t.shape.length !== 2) throw new Error(`init.eye: only 2-D tensors are supported, got shape ${formatShape(t.shape)}`);
  const [r, c] = t.shape;
  const out = new Float64Array(r * c);
  for (let i = 0; i < Math.min(r, c); i++) out[i * c + i] = 1;
  copyInto(t, out);
  return t;
}

/** Xavier/Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -a, a);
}

/** Xavier/Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

/** Options of the Kaiming initialisers, PyTorch's defaults in brackets. */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows [0]. */
  a?: number;
  /** Preserve the variance of the forward ("fanIn", default) or backward ("fanOut") pass; PyTorch's "fan_in"/"fan_out" too. */
  mode?: "fanIn" | "fanOut" | "fan_in" | "fan_out";
  /** The nonlinearity the gain is computed for ["leaky_relu"]. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions | number): number {
  const opts = typeof options === "number" ? { a: options } : checkKwargs(op, options, ["a", "mode", "nonlinearity"]);
  const mode = checkChoice(op, "mode", opts.mode ?? "fanIn", ["fanIn", "fanOut", "fan_in", "fan_out"] as const);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const fan = mode === "fanIn" || mode === "fan_in" ? fanIn : fanOut;
  return calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0) / Math.sqrt(fan);
}

/** Kaiming/He uniform: U(−b, b) with b = gain·√(3 / fan). */
export function kaimingUniform(t: Tensor, opts: KaimingOptions | number = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd("kaimingUniform_", t, opts);
  return uniform(t, -bound, bound);
}

/** Kaiming/He normal: N(0, std²) with std = gain / √fan. */
export function kaimingNormal(t: Tensor, opts: KaimingOptions | number = {}): Tensor {
  return normal(t, 0, kaimingStd("kaimingNormal_", t, opts));
}

/**
 * PyTorch's default for Linear and Conv layers: weight ~ kaimingUniform(a = √5), which is
 * U(−1/√fanIn, 1/√fanIn), and bias ~ U(−1/√fanIn, 1/√fanIn).
 */
export function defaultLayerInit(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform(weight, { a: Math.sqrt(5) });
  if (bias) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform(bias, -bound, bound);
  }
}

// PyTorch's in-place spellings (`nn.init.xavier_uniform_` → `nn.init.xavierUniform_`), taking
// the keyword arguments as an options object: `nn.init.normal_(w, { mean: 0, std: 0.02 })`.

/** U(a, b) in place (PyTorch's `uniform_`); `uniform_(t, { a, b })`. */
export function uniform_(t: Tensor, a: number | { a?: number; b?: number } = 0, b = 1): Tensor {
  if (typeof a === "object") ({ a = 0, b = 1 } = checkKwargs("uniform_", a, ["a", "b"]));
  return uniform(t, a, b);
}

/** N(mean, std²) in place (PyTorch's `normal_`); `normal_(t, { mean, std })`. */
export function normal_(t: Tensor, mean: number | { mean?: number; std?: number } = 0, std = 1): Tensor {
  if (typeof mean === "object") ({ mean = 0, std = 1 } = checkKwargs("normal_", mean, ["mean", "std"]));
  return normal(t, mean, std);
}

/** Fills with `val` in place (PyTorch's `constant_`). */
export function constant_(t: Tensor, val: number | { val: number }): Tensor {
  if (typeof val === "object") val = checkKwargs("constant_", val, ["val"]).val;
  if (typeof val !== "number") throw new Error(`constant_: val must be a number, got ${typeof val}`);
  return constant(t, val);
}

/** Zeros in place (PyTorch's `zeros_`). */
export const zeros_ = (t: Tensor): Tensor => zeros(t);
/** Ones in place (PyTorch's `ones_`). */
export const ones_ = (t: Tensor): Tensor => ones(t);
/** Identity matrix in place (PyTorch's `eye_`). */
export const eye_ = (t: Tensor): Tensor => eye(t);

/** Xavier/Glorot uniform in place (PyTorch's `xavier_uniform_`); `xavierUniform_(t, { gain })`. */
export function xavierUniform_(t: Tensor, gain: number | { gain?: number } = 1): Tensor {
  return xavierUniform(t, typeof gain === "object" ? (checkKwargs("xavierUniform_", gain, ["gain"]).gain ?? 1) : gain);
}

/** Xavier/Glorot normal in place (PyTorch's `xavier_normal_`); `xavierNormal_(t, { gain })`. */
export function xavierNormal_(t: Tensor, gain: number | { gain?: number } = 1): Tensor {
  return xavierNormal(t, typeof gain === "object" ? (checkKwargs("xavierNormal_", gain, ["gain"]).gain ?? 1) : gain);
}

/** Kaiming/He uniform in place (PyTorch's `kaiming_uniform_`): `kaimingUniform_(w, { a: Math.sqrt(5) })`. */
export const kaimingUniform_ = (t: Tensor, opts: KaimingOptions | number = {}): Tensor => kaimingUniform(t, opts);
/** Kaiming/He normal in place (PyTorch's `kaiming_normal_`): `kaimingNormal_(w, { mode: "fan_out", nonlinearity: "relu" })`. */
export const kaimingNormal_ = (t: Tensor, opts: KaimingOptions | number = {}): Tensor => kaimingNormal(t, opts);
