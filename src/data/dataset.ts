/**
 * Datasets in PyTorch's shape (torch.utils.data): the Dataset base class (`length`, `get(i)`,
 * `dataset[i]` with negatives from the end, iteration), TensorDataset, Subset and randomSplit.
 * Batching is in dataloader.ts; the image sets in vision.ts.
 */
import { Tensor, jupyterDisplay, inspectCustom } from "../tensor/tensor.js";
import { formatShape, sizeOf } from "../tensor/shape.js";
import { allocTyped } from "../tensor/dtype.js";
import { installIndexing, normaliseIndex } from "../tensor/indexable.js";
import { checkOptions } from "../ops/options.js";
import { fromData, valuesOf } from "../nn/tensor-util.js";
import { dataRng } from "./rng.js";
import type { Generator } from "../random.js";

/** What DataLoader needs of a dataset: `length` samples, sample `i` from `get(i)`. */
export interface DatasetLike<T = unknown> {
  readonly length: number;
  get(index: number): T;
}

/**
 * A dataset's fast path for DataLoader: called once per epoch, it returns a function that
 * builds a whole batch from sample indices (or null when the dataset has none).
 */
export const batchReader: unique symbol = Symbol("gradnote.data.batchReader") as typeof batchReader;

/** The batch builder a dataset's `[batchReader]()` returns. */
export type BatchFn = (indices: Int32Array) => unknown;

/**
 * Base class of map-style datasets (PyTorch's `torch.utils.data.Dataset`). Subclasses define
 * `get length()` (`__len__`) and `get(i)` (`__getitem__`); `dataset[i]`, `dataset[-1]` and
 * `for (const sample of dataset)` then work as in PyTorch.
 *
 * ```ts
 * class Squares extends data.Dataset<[number, number]> {
 *   get length() { return 10; }
 *   get(i: number): [number, number] { return [i, i * i]; }
 * }
 * ```
 */
export abstract class Dataset<T = unknown> implements DatasetLike<T> {
  /** `dataset[i]`: sample i (negative counts from the end), as `get(i)`. */
  readonly [index: number]: T;

  /** `for (const sample of dataset)`: every sample in order (installed with the indexing below). */
  declare [Symbol.iterator]: () => Iterator<T>;

  /** Sample `index` (PyTorch's `__getitem__`). */
  abstract get(index: number): T;

  /** Number of samples (PyTorch's `__len__`); subclasses define it. */
  get length(): number {
    throw new Error(`${this.constructor.name}: a Dataset subclass must define its length (PyTorch's __len__): get length() { return … }`);
  }

  set length(n: number) {
    // A subclass that assigns `this.length = n` (or declares a field) gets a plain property.
    Object.defineProperty(this, "length", { value: n, writable: true, configurable: true, enumerable: true });
  }

  /** A multi-line summary (PyTorch prints only the class; torchvision datasets print this). */
  toString(): string {
    return [`Dataset ${this.constructor.name}`, ...this.reprLines().map((l) => `    ${l}`)].join("\n");
  }

  /** Lines under the header of the repr. */
  protected reprLines(): string[] {
    return [`Number of datapoints: ${this.length}`];
  }

  /** Jupyter shows the summary, never the data. */
  [jupyterDisplay](): Record<string, string> {
    return { "text/plain": this.toString() };
  }

  /** console.log shows the summary, never the data. */
  [inspectCustom](): string {
    return this.toString();
  }
}

installIndexing(Dataset as unknown as { prototype: Dataset; name: string }, {
  name: "Dataset",
  length: (d) => d.length,
  getItem: (d, i) => d.get(i),
  setHint: "Dataset[i] = …: datasets are read-only; build a new one (e.g. a TensorDataset) instead",
});

/** Resolves a sample index: an integer in [-length, length), negatives from the end. */
export function sampleIndex(op: string, index: number, length: number): number {
  if (!Number.isInteger(index)) throw new TypeError(`${op}: sample index must be an integer, got ${index}`);
  return normaliseIndex(op, index, length);
}

/**
 * Rows of several tensors taken together: sample `i` is `[t0[i], t1[i], …]`.
 * Every tensor must have the same size along dimension 0.
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The tensors, in the order given. */
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new Error("TensorDataset: needs at least one tensor");
    for (const t of tensors) {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: expected tensors, got ${typeof t}; make one with tensor(…)`);
      if (t.shape.length === 0) throw new Error("TensorDataset: tensors must have at least one dimension, got a scalar");
      if (t.shape[0] !== tensors[0].shape[0]) {
        throw new Error(`TensorDataset: size mismatch between tensors: ${tensors.map((x) => formatShape(x.shape)).join(" vs ")}`);
      }
    }
    this.tensors = tensors;
  }

  /** Number of samples (size of dimension 0). */
  override get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Row `index` of every tensor (negative from the end). */
  get(index: number): Tensor[] {
    const i = sampleIndex("TensorDataset", index, this.length);
    return this.tensors.map((t) => t.select(0, i));
  }

  protected override reprLines(): string[] {
    return [...super.reprLines(), `Tensors: ${this.tensors.map((t) => `${t.dtype} ${formatShape(t.shape)}`).join(", ")}`];
  }

  /** Batches copy rows straight out of the tensors (read once per epoch). */
  [batchReader](): BatchFn {
    const values = this.tensors.map((t) => valuesOf(t));
    return (idx) => this.tensors.map((t, k) => gatherRows(t, values[k], idx));
  }
}

/** Copies rows `idx` of `t` (dense `values`) into a new tensor [idx.length, ...rest]. */
function gatherRows(t: Tensor, values: ArrayLike<number>, idx: Int32Array): Tensor {
  const rest = t.shape.slice(1);
  const row = sizeOf(rest);
  const out = allocTyped(t.dtype, idx.length * row) as { [i: number]: number; set(a: ArrayLike<number>, at: number): void };
  const src = values as ArrayLike<number> & { subarray?(a: number, b: number): ArrayLike<number> };
  for (let i = 0; i < idx.length; i++) {
    const from = idx[i] * row;
    if (row === 1) out[i] = src[from];
    else if (src.subarray) out.set(src.subarray(from, from + row), i * row);
    else for (let j = 0; j < row; j++) out[i * row + j] = src[from + j];
  }
  return fromData(out as unknown as ArrayLike<number>, [idx.length, ...rest], t.dtype);
}

/** The samples of `dataset` at `indices`, in that order (PyTorch's Subset). */
export class Subset<T> extends Dataset<T> {
  /** Indices into `dataset`, resolved to 0 ≤ i < dataset.length. */
  readonly indices: Int32Array;

  constructor(readonly dataset: DatasetLike<T>, indices: Int32Array | readonly number[]) {
    super();
    this.indices = Int32Array.from(indices as ArrayLike<number>, (i) => sampleIndex("Subset", i, dataset.length));
  }

  override get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    return this.dataset.get(this.indices[sampleIndex("Subset", index, this.length)]);
  }

  override toString(): string {
    const inner = String(this.dataset).split("\n").map((l, i) => (i === 0 ? l : `  ${l}`)).join("\n");
    return `Subset of ${this.length} datapoints of\n  ${inner}`;
  }

  /** The parent's fast path, through the index map. */
  [batchReader](): BatchFn | null {
    const parent = (this.dataset as { [batchReader]?: () => BatchFn | null })[batchReader]?.();
    if (!parent) return null;
    return (idx) => parent(Int32Array.from(idx, (i) => this.indices[i]));
  }
}

/** Options of randomSplit. */
export interface RandomSplitOptions {
  /** Seed of the permutation; without it the global generator (`manualSeed`) decides. */
  seed?: number;
  /** A generator to draw the permutation from (PyTorch's `generator=`). */
  generator?: Generator;
}

/**
 * Splits a dataset into non-overlapping random subsets. `lengths` are counts summing to the
 * dataset's length, or fractions summing to 1 (remainders go round-robin, as in PyTorch).
 */
export function randomSplit<T>(dataset: DatasetLike<T>, lengths: readonly number[], options?: RandomSplitOptions): Subset<T>[] {
  const opts = checkOptions("randomSplit", options, ["seed", "generator"]);
  const n = dataset.length;
  let counts = [...lengths];
  const total = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) < 1e-9 && total !== n) {
    counts = lengths.map((f) => {
      if (f < 0 || f > 1) throw new Error(`randomSplit: fraction ${f} is not between 0 and 1`);
      return Math.floor(n * f);
    });
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]++;
  } else if (total !== n) {
    throw new Error(`randomSplit: sum of input lengths ${total} does not equal the length of the dataset ${n}`);
  } else if (lengths.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new Error(`randomSplit: lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(", ")}]`);
  }
  const perm = dataRng(opts.seed, opts.generator).permutation(n);
  const out: Subset<T>[] = [];
  let at = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, perm.slice(at, at + c)));
    at += c;
  }
  return out;
}
