/**
 * The Tensor class: storage, shape, strides, dtype, autograd fields, data access and display.
 * Ops are plain functions in src/ops/ and become methods in src/tensor/methods-*.ts;
 * nothing here computes on elements except reading them out.
 */
import "../backend/index.js";
import { backendNamed, currentBackend, dtypeMissing, type Backend, type DataBuffer, type View } from "../backend/backend.js";
import { allocTyped, isFloating, type DType, type TypedArray } from "./dtype.js";
import { contiguousStrides, formatShape, isContiguous, sameShape, sizeOf } from "./shape.js";
import { Storage, setTidyKeepPredicate, trackTensor, untrackTensor } from "./memory.js";
import { formatTensor } from "./format.js";
import type { Node } from "../autograd/node.js";
import { installIndexing } from "./indexable.js";
import { resolveDevice, type Device } from "../backend/device.js";

/** The display protocol key (Deno's convention): `[Symbol.for("Jupyter.display")]()` returns a MIME bundle. */
export const jupyterDisplay: unique symbol = Symbol.for("Jupyter.display") as typeof jupyterDisplay;
/** Node's util.inspect hook key. */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom") as typeof inspectCustom;

/** A hook run on a tensor's gradient during backward; returning a tensor replaces the gradient. */
export type GradHook = (grad: Tensor) => Tensor | void;

/**
 * Counts in-place changes to a tensor's data (PyTorch's version counter). A tensor and its
 * views share one counter; `.data` gets a fresh one (the documented escape hatch).
 */
export class VersionCounter {
  value = 0;
}

let warnedNonLeafGrad = false;
/** The shape and strides of every 0-d tensor. */
const NO_DIMS = Object.freeze([]) as unknown as number[];
/** Contiguous strides of frozen shape arrays (which ops pass from tensor to tensor), last one first. */
const stridesCache = new WeakMap<readonly number[], number[]>();
let lastShape: readonly number[] | null = null;
let lastStrides: number[] = NO_DIMS;

/** Frozen 1-D and 2-D shape arrays by their dims (d0 · 2^26 + d1), so that fresh shapes are shared. */
const interned: [Map<number, readonly number[]>, Map<number, readonly number[]>] = [new Map(), new Map()];
const DIM_LIMIT = 2 ** 26;

/** The shared frozen array equal to a 1-D or 2-D `shape`, or null (odd dims, or the table is full). */
function internedShape(shape: readonly number[]): readonly number[] | null {
  const d0 = shape[0], d1 = shape.length === 2 ? shape[1] : 0;
  if (!(Number.isInteger(d0) && Number.isInteger(d1) && d0 >= 0 && d1 >= 0 && d0 < DIM_LIMIT && d1 < DIM_LIMIT)) return null;
  const table = interned[shape.length - 1];
  const key = d0 * DIM_LIMIT + d1;
  let found = table.get(key);
  if (!found) {
    if (table.size >= 4096) return null;
    table.set(key, (found = Object.freeze(shape.slice())));
  }
  return found;
}

function stridesOfFrozen(shape: readonly number[]): number[] {
  if (shape === lastShape) return lastStrides;
  let strides = stridesCache.get(shape);
  if (!strides) stridesCache.set(shape, (strides = Object.freeze(contiguousStrides(shape)) as number[]));
  lastShape = shape;
  lastStrides = strides;
  return strides;
}

/**
 * An n-dimensional array on a backend, with PyTorch's autograd semantics.
 * Views (reshape, transpose, slicing, expand) share storage with their base.
 */
export class Tensor implements View {
  /** `t[i]`: the view `t.select(0, i)` (negative counts from the end); `t[i] = v` writes into it. */
  [index: number]: Tensor;
  /** Size of each dimension. Frozen: create a new tensor to change it. */
  readonly shape: number[];
  /** Elements to skip per step along each dimension (0 on broadcast dims). */
  readonly strides: number[];
  private _grad: Tensor | null = null;
  /** The op that produced this tensor (null for leaves). */
  gradFn: Node | null = null;
  /** @internal hooks registered with registerHook. */
  hooks: GradHook[] | null = null;
  /** @internal set by retainGrad() on non-leaf tensors. */
  retainsGrad = false;
  private _requiresGrad = false;
  private storage: Storage | null;
  private _versions: VersionCounter | null;
  /** @internal The tensor whose storage this view looks into (null for a tensor that owns its storage). */
  readonly viewBase: Tensor | null;

  /** @internal Use the creation functions (`tensor`, `zeros`, …) instead. */
  constructor(
    storage: Storage, shape: readonly number[], readonly dtype: DType, strides?: readonly number[], readonly offset = 0,
    version?: VersionCounter, viewBase?: Tensor | null,
  ) {
    this.storage = storage;
    this._versions = version ?? null;
    this.viewBase = viewBase ?? null;
    storage.refs++;
    // A frozen array cannot change, so it is shared rather than copied (ops pass their input's
    // shape on); the strides of the last frozen shape seen without strides are reused the same way.
    if (shape.length === 0) {
      this.shape = this.strides = NO_DIMS;
    } else {
      const given = Object.isFrozen(shape) ? shape : shape.length <= 2 ? internedShape(shape) : null;
      this.shape = (given ?? Object.freeze(shape.slice())) as number[];
      if (strides) this.strides = (Object.isFrozen(strides) ? strides : Object.freeze(strides.slice())) as number[];
      else if (given) this.strides = stridesOfFrozen(given);
      else this.strides = Object.freeze(contiguousStrides(shape)) as number[];
    }
    trackTensor(this, storage.isTracked);
  }

  /** The backend storage (throws once disposed). */
  get buf(): DataBuffer {
    if (!this.storage) throw new Error(`tensor: use of a disposed tensor of shape ${formatShape(this.shape)}`);
    return this.storage.buf;
  }

  /** @internal The shared storage, for making views. */
  get store(): Storage {
    if (!this.storage) throw new Error(`tensor: use of a disposed tensor of shape ${formatShape(this.shape)}`);
    return this.storage;
  }

  /** Gradient accumulated by `backward()`; accumulates until set to null (`zeroGrad`). */
  get grad(): Tensor | null {
    if (this._grad === null && this.gradFn !== null && !this.retainsGrad && !warnedNonLeafGrad) {
      warnedNonLeafGrad = true;
      console.warn(
        "gradnote warning: the .grad of a tensor that is not a leaf is being read; backward() does not fill it " +
          "(it stays null). Call .retainGrad() on the tensor before backward() to keep its gradient, " +
          "or read .grad of the leaf tensors (parameters, inputs with requiresGrad)",
      );
    }
    return this._grad;
  }
  set grad(g: Tensor | null) {
    if (g !== null && !(g instanceof Tensor)) throw new TypeError(`grad: expected a Tensor or null, got ${typeof g}`);
    if (g !== null && !sameShape(g.shape, this.shape)) {
      throw new Error(`grad: assigned grad has shape ${formatShape(g.shape)}, but the tensor has shape ${formatShape(this.shape)}`);
    }
    this._grad = g;
  }

  /** How many times this tensor's data was changed in place (PyTorch's `_version`). */
  get version(): number {
    return this._versions === null ? 0 : this._versions.value;
  }

  /**
   * The same data as a tensor outside autograd, sharing storage (PyTorch's `.data`): changes
   * through it are not tracked — not even by the version check — so prefer `detach()` or
   * `noGrad(() => …)`. The async read of the elements is `await t.dataAsync()`.
   */
  get data(): Tensor {
    return new Tensor(this.store, this.shape, this.dtype, this.strides, this.offset, new VersionCounter(), null);
  }

  /**
   * @internal Shared with views; bumped by every in-place op. Made on first use (a view, a
   * detach or an in-place op), so the many tensors that never need one do not allocate it.
   */
  get versionCounter(): VersionCounter {
    return (this._versions ??= new VersionCounter());
  }

  /** Whether gradients flow to this tensor. Only floating tensors can require grad. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(on: boolean) {
    if (on && !isFloating(this.dtype)) {
      const trap = isFloating(this.dtype) || this.dtype === "bool" ? "" :
        "; note that tensor([0.0, 1.0]) is int64 in JavaScript (1.0 === 1): create it with { dtype: float32 } (or { requiresGrad: true }), or call .float() first";
      throw new Error(`requiresGrad: only floating point tensors can require gradients, got dtype ${this.dtype}${trap}`);
    }
    if (!on && this.gradFn) {
      throw new Error("requiresGrad: cannot turn off gradients of a non-leaf tensor; use detach()");
    }
    this._requiresGrad = on;
  }

  /** Sets `requiresGrad` in place and returns this tensor (PyTorch's `requires_grad_()`). */
  requiresGrad_(on = true): this {
    this.requiresGrad = on;
    return this;
  }

  /** @internal Records the op that produced this tensor; it now requires grad. */
  setGradFn(node: Node): void {
    this.gradFn = node;
    this._requiresGrad = true;
  }

  /** True for tensors created by the user rather than by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of dimensions (PyTorch's `dim()`). */
  dim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  numel(): number {
    return sizeOf(this.shape);
  }

  /** Size of dimension `d`, or the whole shape. */
  size(): number[];
  size(d: number): number;
  size(d?: number): number | number[] {
    if (d === undefined) return this.shape.slice();
    const nd = this.shape.length;
    if (!Number.isInteger(d) || d < -nd || d >= nd) throw new Error(`size: dim ${d} out of range for shape ${formatShape(this.shape)}`);
    return this.shape[d < 0 ? d + nd : d];
  }

  /** Name of the backend holding the data ("cpu", …). */
  get device(): string {
    return this.buf.backend;
  }

  /** True when elements are laid out row-major without gaps. */
  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  /** True once `dispose()` has run. */
  get isDisposed(): boolean {
    return this.storage === null;
  }

  /**
   * Releases this tensor's hold on its storage (freed when no view uses it). On the cpu backend
   * the GC would do this anyway; on GPU backends it is how memory comes back. Idempotent.
   */
  dispose(): void {
    if (!this.storage) return;
    const counted = this.storage.isTracked;
    this.storage.release();
    this.storage = null;
    untrackTensor(this, counted);
  }

  /** Lets `using t = …` dispose the tensor at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Elements in row-major order as a fresh typed array (synchronous read). */
  dataSync(): TypedArray {
    return gatherDense(this, backendNamed(this.buf.backend).readSync(this.buf));
  }

  /** Elements in row-major order as a fresh typed array, without blocking (for GPU backends). */
  async dataAsync(): Promise<TypedArray> {
    const raw = await backendNamed(this.buf.backend).read(this.buf);
    return gatherDense(this, raw);
  }

  /** The single element as a number (bool gives 0 or 1). */
  item(): number {
    const n = this.numel();
    if (n !== 1) throw new Error(`item: a tensor with ${n} elements cannot be converted to a number (shape ${formatShape(this.shape)})`);
    const raw = backendNamed(this.buf.backend).readSync(this.buf);
    return raw[this.offset];
  }

  /**
   * Nested JS arrays of the elements (numbers; booleans for bool tensors); a number for 0-d.
   * Typed `any` because the nesting depth is the runtime rank.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  toArray(): any {
    const flat = this.dataSync();
    const asBool = this.dtype === "bool";
    const build = (dim: number, start: number): unknown => {
      if (dim === this.shape.length) return asBool ? flat[start] !== 0 : flat[start];
      const step = sizeOf(this.shape.slice(dim + 1));
      const out = new Array(this.shape[dim]);
      for (let i = 0; i < this.shape[dim]; i++) out[i] = build(dim + 1, start + i * step);
      return out;
    };
    return build(0, 0);
  }

  /** PyTorch-style text, e.g. `tensor([[1., 2.]], requires_grad=True)`. */
  toString(): string {
    if (this.isDisposed) return `tensor(<disposed>, shape=${formatShape(this.shape)})`;
    return formatTensor(this.dataSync(), this.shape, this.dtype, this.gradFn ? this.gradFn.name : null, this.requiresGrad);
  }

  /** Jupyter display hook: the kernel sends this MIME bundle. */
  [jupyterDisplay](): Record<string, string> {
    return { "text/plain": this.toString() };
  }

  /** console.log / util.inspect text. */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * JavaScript operators call this: `${t}` and String(t) give the repr; arithmetic and
   * comparisons (`1e-6 * t`, `t + 1`, `a > b`) throw naming the method to write instead of
   * silently giving NaN or a string.
   */
  [Symbol.toPrimitive](hint: "string" | "number" | "default"): string {
    if (hint === "string") return this.toString();
    const what = hint === "number" ? "arithmetic or comparison (* / - < > Math.*)" : "+ or ==";
    throw new TypeError(
      `Tensor: JavaScript's ${what} does not work on tensors: write a.add(b), a.sub(b), a.mul(b), a.div(b), ` +
        "a.gt(b) / a.lt(b) / a.eq(b) (numbers work as b: x.mul(1e-6)); t.item() gives a one-element tensor's number, " +
        "`${t}` or String(t) its text",
    );
  }
}

// Installed by installIndexing below: len(t), iteration along dim 0 (`for (const row of t)`).
export interface Tensor {
  /** Size of dimension 0 (Python's `len(t)`); a 0-d tensor throws. */
  readonly length: number;
  [Symbol.iterator](): IterableIterator<Tensor>;
}

installIndexing(Tensor, {
  name: "Tensor",
  length(t) {
    if (t.ndim === 0) throw new TypeError("Tensor: len() of a 0-d tensor: it has no dimension 0 (use t.item() or t.numel())");
    return t.shape[0];
  },
  getItem: (t, i) => t.select(0, i),
  setItem(t, i, v) {
    if (!(v instanceof Tensor) && typeof v !== "number" && typeof v !== "boolean") {
      throw new TypeError(`Tensor[${i}] = …: expected a Tensor or a number, got ${v === null ? "null" : typeof v}`);
    }
    t.select(0, i).copy_(v);
  },
});
setTidyKeepPredicate((t) => t instanceof Tensor && t.isLeaf && t.requiresGrad);

/** Copies the elements a view covers out of its raw buffer, in row-major order. */
function gatherDense(t: Tensor, raw: TypedArray): TypedArray {
  const n = t.numel();
  if (t.isContiguous()) return raw.slice(t.offset, t.offset + n);
  const out = allocTyped(t.dtype, n);
  const nd = t.shape.length;
  const idx = new Array(nd).fill(0);
  let off = t.offset;
  for (let i = 0; i < n; i++) {
    out[i] = raw[off];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      off += t.strides[d];
      if (idx[d] < t.shape[d]) break;
      idx[d] = 0;
      off -= t.strides[d] * t.shape[d];
    }
  }
  return out;
}

/** @internal A new contiguous tensor with uninitialised (zeroed on cpu) storage. */
export function emptyTensor(shape: readonly number[], dtype: DType, backend?: string | Device, uninit = false): Tensor {
  const b = backend ? backendNamed(typeof backend === "string" ? resolveDevice(backend) : backend.type) : currentBackend();
  // A dtype the backend lacks is an error naming both, never a silent downcast or move to cpu.
  if (!b.dtypes.includes(dtype)) throw dtypeMissing(b, dtype);
  return new Tensor(new Storage(b.alloc(dtype, sizeOf(shape), uninit), b), shape, dtype);
}

/** @internal emptyTensor on a backend instance the caller already holds (the ops' hot path). */
export function emptyOn(b: Backend, shape: readonly number[], dtype: DType): Tensor {
  if (!b.dtypes.includes(dtype)) throw dtypeMissing(b, dtype);
  return new Tensor(new Storage(b.alloc(dtype, sizeOf(shape)), b), shape, dtype);
}

/** @internal A view sharing `base`'s storage. */
export function viewOf(base: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(base.store, shape, base.dtype, strides, offset, base.versionCounter, base.viewBase ?? base);
}

/** @internal A contiguous tensor holding `data` (copied into backend storage). */
export function tensorFromData(data: ArrayLike<number>, shape: readonly number[], dtype: DType, backend?: string | Device): Tensor {
  const t = emptyTensor(shape, dtype, backend);
  backendNamed(t.buf.backend).write(t.buf, data);
  return t;
}

/** @internal The backend instance that owns a tensor. */
export function backendOf(t: View): ReturnType<typeof backendNamed> {
  return backendNamed(t.buf.backend);
}
