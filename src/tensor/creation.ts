/**
 * Tensor creation: `tensor` from nested arrays / typed arrays, `zeros`, `ones`, `full`, `empty`,
 * `eye`, `arange`, `linspace`, the random `rand`, `randn`, `randint`, `randperm`, and `*Like`.
 * Plain JS numbers become float32 unless a dtype is given (the contract notebooks rely on).
 */
import { Tensor, emptyTensor, tensorFromData } from "./tensor.js";
import { checkDType, integerValues, isFloating, isIntegral, type DType, type TypedArray } from "./dtype.js";
import { formatShape, sizeOf } from "./shape.js";
import { defaultGenerator, type Generator } from "../random.js";
import { backendNamed, currentBackend } from "../backend/backend.js";
import { resolveDevice, type Device } from "../backend/device.js";

/** Options shared by creation functions. */
export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  /** Backend name ("cpu", "webgpu"; "cuda" means webgpu) or a `device(…)`; the current backend when omitted. */
  device?: string | Device;
}

/** Options of random creation functions. */
export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

/** Nested arrays of numbers or booleans, a typed array, a number or a boolean. */
export type TensorInput = number | boolean | TypedArray | readonly TensorInput[];

/** A shape as an array, or the dims spread as numbers followed by options. */
export type ShapeArgs<O> = [shape: number | readonly number[], options?: O] | number[] | [...dims: number[], options: O];

function parseShapeArgs<O>(op: string, args: ShapeArgs<O>): { shape: number[]; options: O | undefined } {
  let shape: number[];
  let options: O | undefined;
  if (args.length >= 1 && Array.isArray(args[0])) {
    shape = (args[0] as readonly number[]).slice();
    options = args[1] as O | undefined;
  } else {
    const nums: number[] = [];
    for (const a of args) {
      if (typeof a === "number") nums.push(a);
      else options = a as O;
    }
    shape = nums;
  }
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`${op}: shape must be non-negative integers, got ${formatShape(shape)}`);
  return { shape, options };
}

function finish(t: Tensor, options: CreateOptions | undefined): Tensor {
  if (options?.requiresGrad) t.requiresGrad = true;
  return t;
}

function dtypeOf(op: string, options: CreateOptions | undefined, fallback: DType): DType {
  return options?.dtype === undefined ? fallback : checkDType(options.dtype, op);
}

/**
 * PyTorch's inference: booleans give bool, whole numbers int64, anything fractional float32.
 * JavaScript cannot tell `1.0` from `1`, so `tensor([1.0, 2.0])` is int64 too — pass
 * `{ dtype: float32 }` (or `requiresGrad: true`, which only floats allow, implies float32).
 */
function inferDType(data: TensorInput, flat: ArrayLike<number>, requiresGrad: boolean | undefined): DType {
  let d: unknown = data;
  while (Array.isArray(d) && d.length > 0) d = d[0];
  if (typeof d === "boolean") return "bool";
  if (d instanceof Float64Array) return "float64";
  if (d instanceof Float32Array) return "float32";
  if (d instanceof Int32Array || d instanceof Int16Array || d instanceof Int8Array || d instanceof Uint16Array) return "int32";
  if (d instanceof Uint8Array || d instanceof Uint8ClampedArray) return "int32";
  if (requiresGrad) return "float32";
  // A whole number beyond ±2^53 (1e20) can only have been meant as a float.
  for (let i = 0; i < flat.length; i++) if (!Number.isSafeInteger(flat[i])) return "float32";
  return flat.length > 0 ? "int64" : "float32";
}

/** Checks (and truncates) values bound for an integer dtype; other dtypes pass through. */
function valuesFor(op: string, data: ArrayLike<number>, dtype: DType): ArrayLike<number> {
  return isIntegral(dtype) ? integerValues(op, data, dtype) : data;
}

function flatten(op: string, data: TensorInput): { flat: ArrayLike<number>; shape: number[] } {
  if (ArrayBuffer.isView(data)) return { flat: data as ArrayLike<number>, shape: [(data as ArrayLike<number>).length] };
  if (!Array.isArray(data)) {
    if (typeof data !== "number" && typeof data !== "boolean") throw new Error(`${op}: cannot make a tensor from ${typeof data}`);
    return { flat: [Number(data)], shape: [] };
  }
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe) || ArrayBuffer.isView(probe)) {
    const len = (probe as ArrayLike<unknown>).length;
    shape.push(len);
    if (len === 0) break;
    probe = (probe as ArrayLike<unknown>)[0];
  }
  const flat: number[] = [];
  const walk = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v === "number") flat.push(v);
      else if (typeof v === "boolean") flat.push(v ? 1 : 0);
      else throw new Error(`${op}: expected a number at depth ${dim}, got ${Array.isArray(v) ? "an array" : typeof v}`);
      return;
    }
    const arr = v as ArrayLike<unknown>;
    if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || arr.length !== shape[dim]) {
      const got = Array.isArray(v) || ArrayBuffer.isView(v) ? arr.length : typeof v;
      throw new Error(`${op}: expected sequence of length ${shape[dim]} at dim ${dim} (got ${got}); nested arrays must be rectangular`);
    }
    for (let i = 0; i < arr.length; i++) walk(arr[i], dim + 1);
  };
  walk(data, 0);
  return { flat, shape };
}

/**
 * Creates a tensor from (nested) numbers, booleans or a typed array. Numbers give float32,
 * booleans bool, Float64Array float64, integer typed arrays int32, unless `dtype` is given.
 */
export function tensor(data: TensorInput | Tensor, options: CreateOptions = {}): Tensor {
  if (data instanceof Tensor) {
    const t = tensorFromData(data.dataSync(), data.shape, dtypeOf("tensor", options, data.dtype), options.device);
    return finish(t, options);
  }
  const { flat, shape } = flatten("tensor", data);
  const dtype = dtypeOf("tensor", options, inferDType(data, flat, options.requiresGrad));
  if (options.requiresGrad && !isFloating(dtype)) {
    throw new Error(`tensor: only floating point tensors can require gradients, got dtype ${dtype}`);
  }
  return finish(tensorFromData(valuesFor("tensor", flat, dtype), shape, dtype, options.device), options);
}

/** A tensor of `shape` from flat row-major data (copied). */
export function fromArray(data: ArrayLike<number>, shape: readonly number[], options: CreateOptions = {}): Tensor {
  if (data.length !== sizeOf(shape)) {
    throw new Error(`fromArray: ${data.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`);
  }
  const fallback = data instanceof Float64Array ? "float64" : data instanceof Int32Array ? "int32" : "float32";
  const dtype = dtypeOf("fromArray", options, fallback);
  return finish(tensorFromData(valuesFor("fromArray", data, dtype), shape, dtype, options.device), options);
}

/** A tensor of `shape` filled with `value`; the dtype follows the value as in PyTorch (3 → int64, 0.5 → float32, true → bool). */
export function full(shape: number | readonly number[], value: number | boolean, options: CreateOptions = {}): Tensor {
  const inferred = typeof value === "boolean" ? "bool" : Number.isInteger(value) && !options.requiresGrad ? "int64" : "float32";
  return filledWith("full", shape, value, options, inferred);
}

function filledWith(op: string, shape: number | readonly number[], value: number | boolean, options: CreateOptions | undefined, fallback: DType): Tensor {
  const { shape: s } = parseShapeArgs<CreateOptions>(op, [shape]);
  const dtype = dtypeOf(op, options, fallback);
  const b = options?.device ? backendNamed(typeof options.device === "string" ? resolveDevice(options.device) : options.device.type) : currentBackend();
  const t = emptyTensor(s, dtype, b.name);
  b.map("fill", t, [t], valuesFor(op, [Number(value)], dtype)[0]);
  return finish(t, options);
}

/** A tensor of zeros: `zeros([2, 3])` or `zeros(2, 3)`. */
export function zeros(...args: ShapeArgs<CreateOptions>): Tensor {
  const { shape, options } = parseShapeArgs<CreateOptions>("zeros", args);
  return filledWith("zeros", shape, 0, options, "float32");
}

/** A tensor of ones: `ones([2, 3])` or `ones(2, 3)`. */
export function ones(...args: ShapeArgs<CreateOptions>): Tensor {
  const { shape, options } = parseShapeArgs<CreateOptions>("ones", args);
  return filledWith("ones", shape, 1, options, "float32");
}

/** An uninitialised tensor (zeros on cpu). */
export function empty(...args: ShapeArgs<CreateOptions>): Tensor {
  const { shape, options } = parseShapeArgs<CreateOptions>("empty", args);
  return filledWith("empty", shape, 0, options, "float32");
}

/** Identity matrix n×m (m = n by default). */
export function eye(n: number, m: number | CreateOptions = n, options: CreateOptions = {}): Tensor {
  const cols = typeof m === "number" ? m : n;
  const opts = typeof m === "number" ? options : m;
  const data = new Float64Array(n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) data[i * cols + i] = 1;
  return finish(tensorFromData(data, [n, cols], dtypeOf("eye", opts, "float32"), opts.device), opts);
}

/** Values from start (inclusive) to end (exclusive) by step; int64 when all are integers (as PyTorch). */
export function arange(start: number, end?: number | CreateOptions, step: number | CreateOptions = 1, options: CreateOptions = {}): Tensor {
  let opts = options;
  if (typeof end === "object") {
    opts = end;
    end = undefined;
  }
  if (typeof step === "object") {
    opts = step;
    step = 1;
  }
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step)) throw new Error(`arange: step must be non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  const ints = [lo, hi, step].every(Number.isInteger);
  return finish(tensorFromData(data, [n], dtypeOf("arange", opts, ints ? "int64" : "float32"), opts.device), opts);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const data = new Float64Array(steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) data[i] = i === steps - 1 && steps > 1 ? end : start + i * delta;
  return finish(tensorFromData(data, [steps], dtypeOf("linspace", options, "float32"), options.device), options);
}

function randomFill(op: string, shape: number[], options: RandomOptions | undefined, sample: (g: Generator) => number, fallback: DType): Tensor {
  const g = options?.generator ?? defaultGenerator;
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = sample(g);
  const dtype = dtypeOf(op, options, fallback);
  return finish(tensorFromData(data, shape, dtype, options?.device), options);
}

/** Uniform samples in [0, 1). */
export function rand(...args: ShapeArgs<RandomOptions>): Tensor {
  const { shape, options } = parseShapeArgs<RandomOptions>("rand", args);
  return randomFill("rand", shape, options, (g) => g.random(), "float32");
}

/** Standard normal samples. */
export function randn(...args: ShapeArgs<RandomOptions>): Tensor {
  const { shape, options } = parseShapeArgs<RandomOptions>("randn", args);
  return randomFill("randn", shape, options, (g) => g.normal(), "float32");
}

/** Uniform integers in [low, high): `randint(high, shape)` or `randint(low, high, shape)`; int64. */
export function randint(a: number, b: number | readonly number[], c?: readonly number[] | RandomOptions, d: RandomOptions = {}): Tensor {
  const [low, high, shape, options] = Array.isArray(b)
    ? [0, a, b as readonly number[], (c as RandomOptions | undefined) ?? {}]
    : [a, b as number, c as readonly number[], d];
  if (!Array.isArray(shape)) throw new Error("randint: expected a shape array, as in randint(low, high, [2, 3])");
  if (!(high > low)) throw new Error(`randint: high (${high}) must be greater than low (${low})`);
  return randomFill("randint", shape.slice(), options, (g) => g.int(low, high), "int64");
}

/** A random permutation of 0..n-1 (int64). */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return tensorFromData(g.permutation(n), [n], dtypeOf("randperm", options, "int64"), options.device);
}

const like = (x: Tensor, options: CreateOptions): CreateOptions => ({ dtype: x.dtype, device: x.device, ...options });

/** Zeros with x's shape, dtype and backend. */
export const zerosLike = (x: Tensor, options: CreateOptions = {}): Tensor => full(x.shape, 0, like(x, options));
/** Ones with x's shape, dtype and backend. */
export const onesLike = (x: Tensor, options: CreateOptions = {}): Tensor => full(x.shape, 1, like(x, options));
/** `value` with x's shape, dtype and backend. */
export const fullLike = (x: Tensor, value: number, options: CreateOptions = {}): Tensor => full(x.shape, value, like(x, options));
/** Uniform [0, 1) samples with x's shape (float dtype). */
export const randLike = (x: Tensor, options: RandomOptions = {}): Tensor =>
  rand(x.shape, { ...like(x, options), dtype: options.dtype ?? (isFloating(x.dtype) ? x.dtype : "float32") });
/** Normal samples with x's shape (float dtype). */
export const randnLike = (x: Tensor, options: RandomOptions = {}): Tensor =>
  randn(x.shape, { ...like(x, options), dtype: options.dtype ?? (isFloating(x.dtype) ? x.dtype : "float32") });
/** Integers in [low, high) with x's shape. */
export const randintLike = (x: Tensor, low: number, high: number, options: RandomOptions = {}): Tensor =>
  randint(low, high, x.shape, { ...like(x, options) });
