/**
 * The tensor runtime's public surface (re-exported by src/index.ts): the Tensor class,
 * creation functions, torch-style free functions, autograd, memory and backend control.
 * Import from here (or "gradnote") rather than from individual files.
 */
import { Tensor } from "./tensor.js";
import { installMethods } from "./methods.js";

// The op methods (x.add, x.sum, …) are wired here, once, rather than in tensor.ts: tensor.ts
// then imports no op, so the Tensor class and the ops no longer import each other (TF.js's
// chained-op registration). Everything that uses tensors loads through this index.
installMethods(Tensor);

export { Tensor, jupyterDisplay, inspectCustom, type GradHook } from "./tensor.js";
export type { DType, TypedArray } from "./dtype.js";
export { float32, float64, int32, int64, bool, long, int, float, double } from "./dtype.js";
export { device, Device, cuda } from "../backend/device.js";
export { accelerator } from "../backend/accelerator.js";
export { formatShape } from "./shape.js";
export {
  tensor, fromArray, zeros, ones, full, empty, eye, arange, linspace, rand, randn, randint, randperm,
  zerosLike, onesLike, fullLike, randLike, randnLike, randintLike,
  type CreateOptions, type RandomOptions, type TensorInput,
} from "./creation.js";
export { tidy, keep, memory, type MemoryInfo } from "./memory.js";
export { manualSeed, initialSeed, Generator, defaultGenerator } from "../random.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "../autograd/grad-mode.js";
export { type BackwardOptions } from "../autograd/engine.js";
export { grad } from "../autograd/grad.js";
export { gradcheck, type GradcheckOptions } from "../autograd/gradcheck.js";
export { setBackend, getBackend, backends, registerBackend, setNumThreads, getNumThreads, shutdownPool, cpuInfo, webgpuInfo, webgpuSync, type WebgpuInfo, type Backend } from "../backend/index.js";
export type { TensorLike } from "../ops/op.js";
export {
  add, sub, mul, div, pow, neg, exp, log, log1p, expm1, sqrt, rsqrt, abs, sin, cos, tanh, sigmoid, relu,
  sign, floor, ceil, round, reciprocal, square, erf, maximum, minimum, remainder, atan2,
  eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalXor, logicalNot, isnan, where, clamp,
} from "../ops/elementwise.js";
export {
  sum, mean, prod, max, min, amax, amin, argmax, argmin, variance as var, std, logsumexp, all, any,
  type ReduceOptions, type SumOptions, type VarOptions, type DimOptions,
} from "../ops/reduce-api.js";
export { ValuesIndices } from "../ops/return-types.js";
export { sort, argsort, topk, type SortOptions, type TopkOptions } from "../ops/sort.js";
export { cumsum, cumprod, type ScanOptions } from "../ops/scan.js";
export { norm, type NormOptions, type NormOrder } from "../ops/norm.js";
export { einsum } from "../ops/einsum.js";
export { equal, allclose, type AllcloseOptions } from "../ops/compare.js";
export { matmul, mm, dot, batchMatmul as bmm } from "../ops/matmul.js";
export {
  reshape, view, flatten, squeeze, unsqueeze, permute, transpose, expand, contiguous, clone, detach,
  narrow, select, repeat,
} from "../ops/movement.js";
export { cat, stack, split, chunk, unbind } from "../ops/join.js";
export { gather, scatterAdd, indexSelect, indexAdd, maskedFill, maskedSelect, type IndexItem } from "../ops/indexing.js";
export { softmax, logSoftmax } from "../functional/activations.js";
