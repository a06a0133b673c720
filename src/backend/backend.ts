/**
 * The backend interface every tensor store implements (alloc, free, write, read, run kernels),
 * and the registry behind setBackend/getBackend. Kernels live in one folder per backend;
 * autograd and shape checking live in src/ops/, never here.
 */
import type { DType, TypedArray } from "../tensor/dtype.js";

/** Opaque storage owned by one backend. Tensors and views share one buffer. */
export interface DataBuffer {
  /** Name of the backend that owns this storage. */
  readonly backend: string;
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
}

/** A strided window onto a buffer; Tensor satisfies this shape, so kernels take tensors directly. */
export interface View {
  readonly buf: DataBuffer;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Elementwise functions of one argument (`a`), some taking a scalar parameter `p`. */
export type UnaryOp =
  | "copy" | "neg" | "exp" | "log" | "sqrt" | "rsqrt" | "abs" | "sin" | "cos" | "tanh" | "sigmoid"
  | "relu" | "sign" | "floor" | "ceil" | "round" | "reciprocal" | "square" | "erf" | "log1p" | "expm1"
  | "softplus" | "leakyRelu" | "elu" | "powScalar" | "rpowScalar" | "step" | "logicalNot" | "fill"
  | "isnan";

/** Elementwise functions of two arguments (`a`, `b`). */
export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "eq" | "ne" | "lt" | "le" | "gt" | "ge"
  | "logicalAnd" | "logicalOr" | "logicalXor" | "remainder" | "atan2" | "addScaled"
  /** relu's backward in one pass: a where b > 0, else a · 0 (= a · [b > 0]). */
  | "reluGrad";

/** Elementwise functions of three arguments (`a`, `b`, `c`). */
export type TernaryOp = "where" | "clamp";

/** Any elementwise op. */
export type MapOp = UnaryOp | BinaryOp | TernaryOp;

/** Reductions over a set of axes. `argmax`/`argmin` give the flat index inside the reduced block. */
export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin";

/** Window geometry for im2col, col2im and pooling (2-D; 1-D ops use a height of 1). */
export interface Window2d {
  kh: number; kw: number;
  sh: number; sw: number;
  ph: number; pw: number;
  dh: number; dw: number;
  /** Output height and width. */
  oh: number; ow: number;
}

/**
 * A tensor backend. All `out` buffers are contiguous and allocated by the caller through
 * `alloc`, except for `map`, whose `out` may be any view (in-place ops write through views).
 *
 * The optional methods are capabilities: fused fast paths a backend chooses to offer (addmm,
 * conv2d, lstmCell, gruCell, crossEntropy, optimizerStep). Ops ask for them and compose the
 * plain kernels when one is absent or declines, so every fast path is decided inside the
 * backend that offers it. The reference backend ("cpu-ref") offers none.
 */
export interface Backend {
  readonly name: string;
  /**
   * True when the garbage collector reclaims this backend's buffers (typed arrays): such
   * buffers skip the leak bookkeeping, which would otherwise cost more than a small op.
   */
  readonly gcManaged: boolean;
  /**
   * True when tensors live off the host (a GPU): reading a value back costs a device sync, so
   * callers keep bookkeeping on the device and skip value checks that would read every step
   * (BatchNorm's running statistics, the class-index range check of the losses).
   */
  readonly onDevice: boolean;
  /**
   * Dtypes this backend stores. Allocating any other dtype throws (see `dtypeMissing`): a
   * backend never stores a dtype in a narrower one silently.
   */
  readonly dtypes: readonly DType[];
  /** Why a dtype is missing, for the error (webgpu: `{ float64: "WGSL has no f64" }`). */
  readonly dtypeGaps?: Partial<Record<DType, string>>;
  /**
   * Storage for `size` elements, zero-filled; with `uninit`, the caller writes every element
   * before anything reads one (an op's output its kernel fills), and the backend may skip the fill.
   */
  alloc(dtype: DType, size: number, uninit?: boolean): DataBuffer;
  free(buf: DataBuffer): void;
  write(buf: DataBuffer, data: ArrayLike<number>, offset?: number): void;
  /** Whole-buffer read; an asynchronous backend implements it by blocking on a worker. */
  readSync(buf: DataBuffer): TypedArray;
  read(buf: DataBuffer): Promise<TypedArray>;
  /** out[i] = op(inputs[0][i], …) with inputs already broadcast to out's shape (stride 0). */
  map(op: MapOp, out: View, inputs: readonly View[], param?: number): void;
  /** Reduces `x` over `axes`; `out` holds x's shape with those axes removed, row-major. */
  reduce(op: ReduceOp, out: DataBuffer, x: View, axes: readonly number[]): void;
  /** Batched matmul: a [...batch, m, k] × b [...batch, k, n] (batch dims already broadcast). */
  matmul(out: DataBuffer, a: View, b: View): void;
  /** x [n, c, h, w] → out [n, c·kh·kw, oh·ow]. */
  im2col(out: DataBuffer, x: View, win: Window2d): void;
  /** cols [n, c·kh·kw, oh·ow] summed back into out [n, c, h, w] (out zeroed first). */
  col2im(out: DataBuffer, cols: View, shape: readonly number[], win: Window2d): void;
  /** Max pooling of x [n, c, h, w]; `indices` receives the flat h·w position of each max. */
  maxPool2d(out: DataBuffer, indices: DataBuffer, x: View, win: Window2d): void;
  /** Scatters grad [n, c, oh, ow] to the recorded positions of out [n, c, h, w]. */
  maxPool2dBackward(out: DataBuffer, grad: View, indices: View, shape: readonly number[]): void;
  /** Average pooling (padding counted, like PyTorch's default count_include_pad). */
  avgPool2d(out: DataBuffer, x: View, win: Window2d): void;
  avgPool2dBackward(out: DataBuffer, grad: View, shape: readonly number[], win: Window2d): void;
  /** Adaptive average pooling of x [n, c, h, w] to [n, c, oh, ow]. */
  adaptiveAvgPool2d(out: DataBuffer, x: View, oh: number, ow: number): void;
  adaptiveAvgPool2dBackward(out: DataBuffer, grad: View, shape: readonly number[]): void;
  /**
   * Optional fused linear layer: out [m, n] = bias [n] (on every row) + a [m, k] @ b [k, n].
   * Returns false when it cannot run; the op then adds the bias after a matmul.
   */
  addmm?(out: DataBuffer, bias: View, a: View, b: View): boolean;
  /**
   * Optional fused linear layer and activation: out = activation(bias + a @ b), shapes as in
   * addmm. Returns false when it cannot run; the op then applies the activation separately.
   */
  addmmActivation?(out: DataBuffer, bias: View, a: View, b: View, activation: LinearActivation): boolean;
  /**
   * Optional fused conv2d (groups 1): out [n, o, oh, ow] = conv(x [n, c, h, w], weight
   * [o, c, kh, kw]) + bias. Returns false when it cannot run (dtype, missing kernels); the op
   * then composes im2col + matmul instead.
   */
  conv2d?(out: DataBuffer, x: View, weight: View, bias: View | null, win: Window2d): boolean;
  /** Gradients of the fused conv2d into fresh contiguous buffers; a null buffer is skipped. */
  conv2dBackward?(grad: View, x: View, weight: View, win: Window2d, gx: DataBuffer | null, gw: DataBuffer | null, gb: DataBuffer | null): void;
  /**
   * Optional fused LSTM cell: hc [B, 2H] = (h', c') from pre-activation gates gx + gh [B, 4H]
   * (i, f, g, o; the input and hidden projections) and state c [B, H]. Returns false when it
   * cannot run; the op then composes elementwise ops. Given `saved` (a float32 buffer of
   * B·5H, when a backward will follow), it may keep there the activations its backward needs
   * and return "saved"; that backward then gets the same buffer, else null.
   */
  lstmCell?(hc: DataBuffer, gx: View, gh: View, c: View, saved?: DataBuffer | null): boolean | "saved";
  /** Gradients of the fused LSTM cell (dgates [B, 4H], for gx and gh alike; dc [B, H]) from grad [B, 2H]. */
  lstmCellBackward?(dgates: DataBuffer, dc: DataBuffer, gx: View, gh: View, c: View, grad: View, saved?: DataBuffer | null): void;
  /**
   * Optional fused GRU cell: out [B, H] = h' from gi = x·W_ihᵀ + b_ih and gh = h·W_hhᵀ + b_hh
   * [B, 3H] (r, z, n) and h [B, H]. Returns false when it cannot run (the op composes then).
   */
  gruCell?(out: DataBuffer, gi: View, gh: View, h: View): boolean;
  /** Gradients of the fused GRU cell from grad [B, H]: dgi, dgh [B, 3H] and dh [B, H]. */
  gruCellBackward?(dgi: DataBuffer, dgh: DataBuffer, dh: DataBuffer, gi: View, gh: View, h: View, grad: View): void;
  /**
   * Optional fused softmax + cross-entropy of logits [N, C] at int32 targets [N]: writes the
   * gradient of the summed loss into `grad` [N, C] and returns that sum and the number of rows
   * not equal to `ignoreIndex`. The op composes log-softmax and gather when it is missing.
   */
  crossEntropy?(grad: DataBuffer, logits: View, target: View, ignoreIndex: number): { sum: number; count: number };
  /** out (shape of index) = x gathered along `dim` at int32 `index`. */
  gather(out: DataBuffer, x: View, dim: number, index: View): void;
  /** out[…index[i]…] += src[i] along `dim`; `out` is a contiguous buffer of `shape`. */
  scatterAdd(out: DataBuffer, shape: readonly number[], dim: number, index: View, src: View): void;
  /** out = x with `dim` replaced by the entries of 1-D int32 `index`. */
  indexSelect(out: DataBuffer, x: View, dim: number, index: View): void;
  /** out (contiguous, `shape`) gets src's slices added at `index` along `dim`. */
  indexAdd(out: DataBuffer, shape: readonly number[], dim: number, index: View, src: View): void;
  /**
   * Optional: updates contiguous `param` in place from `grad` and per-parameter `state`
   * buffers (zeroed on the first step) without leaving the device. Returns false to decline;
   * a backend declines by rule, dtype and layout only (the same every step), and the optimizer
   * then keeps that parameter's state on the host and runs its own update.
   */
  optimizerStep?(update: OptimizerUpdate, param: View, grad: View, state: readonly DataBuffer[]): boolean;
}

/**
 * The error for allocating `dtype` on a backend that lacks it: it names the dtype, the backend
 * and what to write instead. `op` names the caller when known.
 */
export function dtypeMissing(b: Pick<Backend, "name" | "dtypes" | "dtypeGaps">, dtype: DType, op?: string): Error {
  const why = b.dtypeGaps?.[dtype];
  const fix = dtype === "float64"
    ? `use float32 (x.float(), { dtype: "float32" }) or compute in float64 on cpu: x.to("cpu").double()`
    : `use one of ${b.dtypes.join(", ")}, or compute on cpu: x.to("cpu")`;
  return new TypeError(`${op ? `${op}: ` : ""}the ${b.name} backend has no ${dtype}${why ? ` (${why})` : ""}; ${fix}`);
}

/** Activations a fused linear layer can apply (see Backend.addmmActivation). */
export type LinearActivation = "relu" | "tanh" | "sigmoid";

/** A fused in-place optimizer update (src/optim/ asks; device backends may implement it). */
export interface OptimizerUpdate {
  rule: "sgd" | "sgdMomentum" | "adam" | "adamAmsgrad" | "adagrad" | "adadelta" | "rmsprop";
  /** Named hyperparameters of the rule (lr, sign, weightDecay, …, as the optimizer computed them). */
  hyper: Record<string, number>;
}

const registry = new Map<string, () => Backend>();
const instances = new Map<string, Backend>();
let current: Backend | null = null;
let defaultName = "cpu";

/** Registers a backend factory under `name`; the factory runs on first use. */
export function registerBackend(name: string, factory: () => Backend, options: { makeDefault?: boolean } = {}): void {
  registry.set(name, factory);
  instances.delete(name);
  if (options.makeDefault) defaultName = name;
}

/** Names of the registered backends. */
export function backends(): string[] {
  return [...registry.keys()];
}

/** Returns the backend instance called `name`, creating it on first use. */
export function backendNamed(name: string): Backend {
  let b = instances.get(name);
  if (b) return b;
  const factory = registry.get(name);
  if (!factory) throw new Error(`setBackend: unknown backend "${name}"; available: ${backends().join(", ")}`);
  b = factory();
  instances.set(name, b);
  return b;
}

/** Thrown by a backend factory that cannot run here (e.g. no GPU adapter); `reason` says why. */
export class BackendUnavailableError extends Error {
  constructor(readonly backendName: string, readonly reason: string) {
    super(`${backendName} backend unavailable: ${reason}`);
  }
}

/**
 * Makes `name` the backend new tensors are created on. A backend that cannot run here
 * (BackendUnavailableError) leaves the default backend active and prints a one-line notice.
 */
export function setBackend(name: string): void {
  try {
    current = backendNamed(name);
  } catch (e) {
    if (!(e instanceof BackendUnavailableError)) throw e;
    current = backendNamed(defaultName);
    console.warn(`gradnote: ${e.message}; using "${current.name}" instead`);
  }
}

/** Name of the backend new tensors are created on. */
export function getBackend(): string {
  return currentBackend().name;
}

/** The backend new tensors are created on. */
export function currentBackend(): Backend {
  if (!current) current = backendNamed(defaultName);
  return current;
}
