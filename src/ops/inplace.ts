/**
 * In-place updates (`add_`, `mul_`, `copy_`, `zero_`, `uniform_`, …) for optimizers and
 * initialisers. They are not recorded by autograd, so they refuse tensors that require grad
 * while grad mode is on — wrap them in `noGrad()`, as PyTorch optimizers do.
 */
import type { MapOp } from "../backend/backend.js";
import { Tensor, backendOf } from "../tensor/tensor.js";
import { broadcastShapes, broadcastStrides, formatShape, sameShape, sizeOf } from "../tensor/shape.js";
import { isFloating, promote, type DType } from "../tensor/dtype.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { asTensor, type TensorLike } from "./op.js";
import { mul, div } from "./elementwise.js";
import { defaultGenerator, type Generator } from "../random.js";
import { tensorFromData } from "../tensor/tensor.js";

function guard(op: string, x: Tensor): void {
  if (isGradEnabled() && x.requiresGrad) {
    throw new Error(`${op}: a tensor that requires grad (shape ${formatShape(x.shape)}) is used in an in-place operation; wrap the update in noGrad()`);
  }
}

function castable(op: string, from: DType, to: DType): void {
  if (promote(from, to) !== to) throw new Error(`${op}: result type ${from} can't be cast to the desired output type ${to}`);
}

/** Writes op(x, inputs…) into x; inputs must broadcast to x's shape. */
export function mapInPlace(op: MapOp, name: string, x: Tensor, inputs: readonly Tensor[], param = 0): Tensor {
  guard(name, x);
  for (const t of inputs) {
    const b = broadcastShapes(x.shape, t.shape, name);
    if (!sameShape(b, x.shape)) {
      throw new Error(`${name}: output with shape ${formatShape(x.shape)} doesn't match the broadcast shape ${formatShape(b)}`);
    }
    if (t.device !== x.device) throw new Error(`${name}: tensors are on different backends: ${x.device} and ${t.device}`);
  }
  const views = inputs.map((t) => ({ buf: t.buf, shape: x.shape, strides: broadcastStrides(t.shape, t.strides, x.shape), offset: t.offset }));
  backendOf(x).map(op, x, [x, ...views], param);
  return x;
}

/** x += alpha · other. */
export function add_(x: Tensor, other: TensorLike, alpha = 1): Tensor {
  const o = asTensor(other, x);
  castable("add_", o.dtype, x.dtype);
  return mapInPlace("addScaled", "add_", x, [o], alpha);
}

/** x -= alpha · other. */
export function sub_(x: Tensor, other: TensorLike, alpha = 1): Tensor {
  const o = asTensor(other, x);
  castable("sub_", o.dtype, x.dtype);
  return mapInPlace("addScaled", "sub_", x, [o], -alpha);
}

/** x *= other. */
export function mul_(x: Tensor, other: TensorLike): Tensor {
  const o = asTensor(other, x);
  castable("mul_", o.dtype, x.dtype);
  return mapInPlace("mul", "mul_", x, [o]);
}

/** x /= other (x must be floating). */
export function div_(x: Tensor, other: TensorLike): Tensor {
  if (!isFloating(x.dtype)) throw new Error(`div_: result type float can't be cast to the desired output type ${x.dtype}`);
  return mapInPlace("div", "div_", x, [asTensor(other, x)]);
}

/** Copies `src` (broadcast, converted) into x. */
export function copy_(x: Tensor, src: TensorLike): Tensor {
  guard("copy_", x);
  const s = asTensor(src, x);
  const b = broadcastShapes(x.shape, s.shape, "copy_");
  if (!sameShape(b, x.shape)) throw new Error(`copy_: source shape ${formatShape(s.shape)} does not broadcast to ${formatShape(x.shape)}`);
  const view = { buf: s.buf, shape: x.shape, strides: broadcastStrides(s.shape, s.strides, x.shape), offset: s.offset };
  if (s.device !== x.device) {
    const moved = tensorFromData(s.dataSync(), s.shape, s.dtype, x.device);
    return copy_(x, moved);
  }
  backendOf(x).map("copy", x, [view]);
  return x;
}

/** Sets every element to `value`. */
export function fill_(x: Tensor, value: number): Tensor {
  guard("fill_", x);
  backendOf(x).map("fill", x, [x], value);
  return x;
}

/** Sets every element to 0. */
export const zero_ = (x: Tensor): Tensor => fill_(x, 0);

/** Clamps x in place to [min, max]. */
export function clamp_(x: Tensor, min?: number | null, max?: number | null): Tensor {
  return mapInPlace("clamp", "clamp_", x, [asTensor(min ?? -Infinity, x), asTensor(max ?? Infinity, x)]);
}

/** x += value · t1 · t2. */
export function addcmul_(x: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return mapInPlace("addScaled", "addcmul_", x, [mul(t1, t2)], value);
}

/** x += value · t1 / t2. */
export function addcdiv_(x: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return mapInPlace("addScaled", "addcdiv_", x, [div(t1, t2)], value);
}

function fillRandom(op: string, x: Tensor, sample: () => number): Tensor {
  guard(op, x);
  const data = new Float64Array(sizeOf(x.shape));
  for (let i = 0; i < data.length; i++) data[i] = sample();
  return copy_(x, tensorFromData(data, x.shape, x.dtype, x.device));
}

/** Fills x with uniform samples from [low, high). */
export function uniform_(x: Tensor, low = 0, high = 1, generator: Generator = defaultGenerator): Tensor {
  return fillRandom("uniform_", x, () => low + (high - low) * generator.random());
}

/** Fills x with normal samples of the given mean and std. */
export function normal_(x: Tensor, mean = 0, std = 1, generator: Generator = defaultGenerator): Tensor {
  return fillRandom("normal_", x, () => mean + std * generator.normal());
}
