/**
 * Tensor methods for views and layout, joining/splitting, indexing, conversion, autograd
 * (backward, hooks, detach) and in-place updates. Each forwards to src/ops/ or src/autograd/.
 */
import type { Tensor } from "./tensor.js";
import type { TensorLike } from "../ops/op.js";
import type { DType } from "./dtype.js";
import { checkDType } from "./dtype.js";
import { Device, resolveDevice } from "../backend/device.js";
import * as mv from "../ops/movement.js";
import * as join from "../ops/join.js";
import * as ix from "../ops/indexing.js";
import * as ip from "../ops/inplace.js";
import { runBackward, type BackwardOptions } from "../autograd/engine.js";
import { checkOptions } from "../ops/options.js";
import type { Generator } from "../random.js";

declare module "./tensor.js" {
  interface Tensor {
    /** Same data in a new shape (one dim may be -1): `x.reshape([2, -1])` or `x.reshape(2, -1)`. */
    reshape(...shape: (number | readonly number[])[]): Tensor;
    /** Like reshape but never copies (the tensor must be contiguous). */
    view(...shape: (number | readonly number[])[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(dim?: number): Tensor;
    unsqueeze(dim: number): Tensor;
    /** Reorders dims: `x.permute(0, 2, 1)` or `x.permute([0, 2, 1])`. */
    permute(...dims: (number | readonly number[])[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    /** Matrix transpose (≤ 2-D). */
    t(): Tensor;
    /** Broadcast view to a larger shape (-1 keeps a dim). */
    expand(...shape: (number | readonly number[])[]): Tensor;
    expandAs(other: Tensor): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    /** A row-major copy, or this tensor when already contiguous. */
    contiguous(): Tensor;
    /** A copy that keeps the gradient connection. */
    clone(): Tensor;
    /** A view cut off from the autograd graph. */
    detach(): Tensor;
    /** Elements start..end-1 (by step) along `dim`, as a view. */
    slice(dim: number, start?: number, end?: number | null, step?: number): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    /** PyTorch's `x[0, 1:3, ..., None]` written `x.index(0, "1:3", "...", null)`. */
    index(...items: ix.IndexItem[]): Tensor;
    repeat(...reps: (number | readonly number[])[]): Tensor;
    split(sizes: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    unbind(dim?: number): Tensor[];
    gather(dim: number, index: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    maskedFill(mask: Tensor, value: TensorLike): Tensor;
    /** In place: `value` where `mask` is true (recorded by autograd like every in-place op). */
    maskedFill_(mask: Tensor, value: TensorLike): Tensor;
    /** Elements where the bool `mask` is true, as 1-D (PyTorch's `x[mask]`). */
    maskedSelect(mask: Tensor): Tensor;
    /**
     * Converts to a dtype (`float64`, "float64", "long") and/or moves to a backend ("cpu",
     * "webgpu"; "cuda" means the GPU backend): `x.to("webgpu")`, `x.to(float64)`,
     * `x.to({ device: "cpu", dtype: long })`, `x.to(other)` (other's dtype and backend).
     */
    to(target: DType | string | Tensor | Device | { dtype?: DType | string; device?: string }): Tensor;
    /** float32 copy (PyTorch's `.float()`). */
    float(): Tensor;
    /** float64 copy (`.double()`). */
    double(): Tensor;
    /** int32 copy (`.int()`), truncating toward zero; values int32 cannot hold throw. */
    int(): Tensor;
    /** int64 copy (`.long()`), truncating toward zero. */
    long(): Tensor;
    bool(): Tensor;
    /** float16 does not exist here: throws naming float32. */
    half(): Tensor;
    /** With no argument, PyTorch's type name ("torch.FloatTensor"); with a dtype, `to(dtype)`. */
    type(dtype?: DType | string): Tensor | string;
    /**
     * Backpropagates from this tensor: seeds it with `gradient` (ones for a scalar) and
     * accumulates into `.grad` of the leaves that require grad. Keyword style works too:
     * `q.backward({ gradient: g, retainGraph: true })` (PyTorch's `q.backward(gradient=g, retain_graph=True)`).
     */
    backward(gradient?: Tensor | number | null | (BackwardOptions & { gradient?: Tensor | number | null }), options?: BackwardOptions): void;
    /** Runs `hook(grad)` when this tensor's gradient is computed; a returned tensor replaces it. */
    registerHook(hook: GradHook): { remove(): void };
    /** Makes backward fill `.grad` of this non-leaf tensor too. */
    retainGrad(): Tensor;
    /** x += alpha·other, in place (not recorded; use inside noGrad for parameters). */
    add_(other: TensorLike, alpha?: number): Tensor;
    sub_(other: TensorLike, alpha?: number): Tensor;
    mul_(other: TensorLike): Tensor;
    div_(other: TensorLike): Tensor;
    copy_(src: TensorLike): Tensor;
    fill_(value: number): Tensor;
    zero_(): Tensor;
    clamp_(min?: number | null, max?: number | null): Tensor;
    addcmul_(t1: Tensor, t2: Tensor, value?: number): Tensor;
    addcdiv_(t1: Tensor, t2: Tensor, value?: number): Tensor;
    uniform_(low?: number, high?: number, generator?: Generator): Tensor;
    normal_(mean?: number, std?: number, generator?: Generator): Tensor;
  }
}

const TYPE_NAMES: Record<DType, string> = {
  float32: "torch.FloatTensor", float64: "torch.DoubleTensor", int32: "torch.IntTensor", int64: "torch.LongTensor", bool: "torch.BoolTensor",
};

function isDTypeName(s: string): boolean {
  try {
    checkDType(s, "to");
    return true;
  } catch {
    return false;
  }
}

function toTarget(x: Tensor, target: unknown): Tensor {
  if (target instanceof Device) return mv.toBackend(x, target.type);
  if (typeof target === "string") return isDTypeName(target) ? mv.cast(x, checkDType(target, "to")) : mv.toBackend(x, resolveDevice(target));
  if (target instanceof Object && "shape" in target && "dtype" in target && "device" in target) {
    const o = target as Tensor;
    return mv.cast(mv.toBackend(x, o.device), o.dtype);
  }
  if (target !== null && typeof target === "object") {
    const { dtype, device, ...rest } = target as { dtype?: string; device?: string };
    const extra = Object.keys(rest).filter((k) => k !== "nonBlocking" && k !== "copy");
    if (extra.length > 0) throw new Error(`to: unknown option "${extra[0]}"; accepted: dtype, device, nonBlocking, copy`);
    let y = device === undefined ? x : mv.toBackend(x, resolveDevice(device));
    if (dtype !== undefined) y = mv.cast(y, checkDType(dtype, "to"));
    return y;
  }
  throw new Error(`to: expected a dtype, a device name, a tensor or { dtype, device }, got ${target === null ? "null" : typeof target}`);
}

function dimsArg(args: readonly (number | readonly number[])[]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly number[]).slice() : (args as number[]);
}

/** Attaches layout, autograd and in-place methods to the Tensor prototype. */
export function installShapeMethods(proto: Tensor): void {
  proto.reshape = function (...s) { return mv.reshape(this, dimsArg(s)); };
  proto.view = function (...s) { return mv.view(this, dimsArg(s)); };
  proto.flatten = function (a, b) { return mv.flatten(this, a, b); };
  proto.squeeze = function (d) { return mv.squeeze(this, d); };
  proto.unsqueeze = function (d) { return mv.unsqueeze(this, d); };
  proto.permute = function (...d) { return mv.permute(this, dimsArg(d)); };
  proto.transpose = function (a, b) { return mv.transpose(this, a, b); };
  proto.t = function () { return mv.t(this); };
  proto.expand = function (...s) { return mv.expand(this, dimsArg(s)); };
  proto.expandAs = function (o) { return mv.expand(this, o.shape); };
  proto.broadcastTo = function (s) { return mv.expand(this, s); };
  proto.contiguous = function () { return mv.contiguous(this); };
  proto.clone = function () { return mv.clone(this); };
  proto.detach = function () { return mv.detach(this); };
  proto.slice = function (d, s, e, st) { return mv.slice(this, d, s, e, st); };
  proto.narrow = function (d, s, l) { return mv.narrow(this, d, s, l); };
  proto.select = function (d, i) { return mv.select(this, d, i); };
  proto.index = function (...items) { return ix.index(this, ...items); };
  proto.repeat = function (...r) { return mv.repeat(this, dimsArg(r)); };
  proto.split = function (s, d) { return join.split(this, s, d); };
  proto.chunk = function (c, d) { return join.chunk(this, c, d); };
  proto.unbind = function (d) { return join.unbind(this, d); };
  proto.gather = function (d, i) { return ix.gather(this, d, i); };
  proto.indexSelect = function (d, i) { return ix.indexSelect(this, d, i); };
  proto.scatterAdd = function (d, i, s) { return ix.scatterAdd(this, d, i, s); };
  proto.maskedFill = function (m, v) { return ix.maskedFill(this, m, v); };
  proto.maskedFill_ = function (m, v) { return ip.maskedFill_(this, m, v); };
  proto.maskedSelect = function (m) { return ix.maskedSelect(this, m); };
  proto.to = function (target) { return toTarget(this, target); };
  proto.float = function () { return mv.cast(this, "float32"); };
  proto.double = function () { return mv.cast(this, "float64"); };
  proto.int = function () { return mv.cast(this, "int32"); };
  proto.long = function () { return mv.cast(this, "int64"); };
  proto.bool = function () { return mv.cast(this, "bool"); };
  proto.half = function () { return mv.cast(this, checkDType("half", "half")); };
  proto.type = function (dtype) {
    if (dtype === undefined) return TYPE_NAMES[this.dtype];
    return mv.cast(this, checkDType(dtype, "type"));
  };
  proto.backward = function (gradient, options) {
    // `x.backward({ retainGraph: true })` reads naturally, so options may come first, and then
    // may hold PyTorch's `gradient=` keyword; a misspelt key is named, never ignored.
    if (gradient !== null && typeof gradient === "object" && !("strides" in gradient)) {
      if (options !== undefined) throw new Error("backward: pass the options once, e.g. backward({ gradient: g, retainGraph: true })");
      const { gradient: g, ...rest } = checkOptions("backward", gradient, ["gradient", "retainGraph", "createGraph"]);
      runBackward(this, g ?? null, rest);
    } else runBackward(this, gradient as Tensor | number | null | undefined, checkOptions("backward", options, ["retainGraph", "createGraph"]));
  };
  proto.registerHook = function (hook) {
    if (!this.requiresGrad) throw new Error("registerHook: cannot register a hook on a tensor that doesn't require gradient");
    const hooks = (this.hooks ??= []);
    hooks.push(hook);
    return { remove: () => { const i = hooks.indexOf(hook); if (i >= 0) hooks.splice(i, 1); } };
  };
  proto.retainGrad = function () {
    if (!this.requiresGrad) throw new Error("retainGrad: can't retain_grad on a tensor that doesn't require gradient");
    if (this.gradFn) this.retainsGrad = true;
    return this;
  };
  proto.add_ = function (o, a) { return ip.add_(this, o, a); };
  proto.sub_ = function (o, a) { return ip.sub_(this, o, a); };
  proto.mul_ = function (o) { return ip.mul_(this, o); };
  proto.div_ = function (o) { return ip.div_(this, o); };
  proto.copy_ = function (s) { return ip.copy_(this, s); };
  proto.fill_ = function (v) { return ip.fill_(this, v); };
  proto.zero_ = function () { return ip.zero_(this); };
  proto.clamp_ = function (lo, hi) { return ip.clamp_(this, lo, hi); };
  proto.addcmul_ = function (a, b, v) { return ip.addcmul_(this, a, b, v); };
  proto.addcdiv_ = function (a, b, v) { return ip.addcdiv_(this, a, b, v); };
  proto.uniform_ = function (lo, hi, g) { return ip.uniform_(this, lo, hi, g); };
  proto.normal_ = function (m, s, g) { return ip.normal_(this, m, s, g); };
}
