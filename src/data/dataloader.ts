/**
 * DataLoader: mini-batches over a dataset, optionally shuffled (seedable) each epoch,
 * with PyTorch's batchSize/shuffle/dropLast. TensorDatasets (and Subsets of them) are
 * batched by copying rows directly; other datasets go through `collate`.
 */
import { Tensor } from "../tensor/tensor.js";
import { stack } from "../ops/join.js";
import { fromData, valuesOf } from "../nn/tensor-util.js";
import { sizeOf } from "../tensor/shape.js";
import { allocTyped } from "../tensor/dtype.js";
import { Subset, TensorDataset, type Dataset } from "./dataset.js";
import { dataRng } from "./rng.js";
import type { Generator } from "../random.js";

/** Options of DataLoader, PyTorch's defaults in brackets. */
export interface DataLoaderOptions<T> {
  /** Samples per batch [1]. */
  batchSize?: number;
  /** Reshuffle the order at every epoch [false]. */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize [false]. */
  dropLast?: boolean;
  /** Seed for the shuffling order; without it the global generator (`manualSeed`) decides. */
  seed?: number;
  /** A generator to shuffle with (PyTorch's `generator=`), instead of a seed. */
  generator?: Generator;
  /** Builds a batch from samples; the default stacks tensors and numbers field by field. */
  collateFn?: (samples: T[]) => unknown;
}

/**
 * Iterates a dataset in mini-batches: `for (const [xb, yb] of loader) …`.
 * Each `for … of` is one epoch; with `shuffle` each epoch has a fresh order.
 */
export class DataLoader<T = Tensor[]> implements Iterable<Tensor[]> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly rng: Generator | null;
  private readonly collateFn?: (samples: T[]) => unknown;

  constructor(dataset: Dataset<T>, opts: DataLoaderOptions<T> = {}) {
    this.dataset = dataset;
    this.batchSize = opts.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize <= 0) {
      throw new Error(`DataLoader: batchSize should be a positive integer, got ${opts.batchSize}`);
    }
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.rng = this.shuffle ? dataRng(opts.seed, opts.generator) : null;
    this.collateFn = opts.collateFn;
  }

  /** Number of batches per epoch (PyTorch's `len(loader)`). */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One epoch of batches; each batch is an array with one tensor per dataset field. */
  *[Symbol.iterator](): Iterator<Tensor[]> {
    const n = this.dataset.length;
    const order = this.rng ? this.rng.permutation(n) : null;
    const fast = tensorRows(this.dataset);
    for (let b = 0; b < this.length; b++) {
      const start = b * this.batchSize;
      const end = Math.min(n, start + this.batchSize);
      const idx = new Int32Array(end - start);
      for (let i = start; i < end; i++) idx[i - start] = order ? order[i] : i;
      if (fast && !this.collateFn) {
        yield fast.tensors.map((t, k) => gatherRows(t, fast.values[k], fast.map ? Int32Array.from(idx, (i: number) => fast.map![i]) : idx));
      } else {
        const samples = Array.from(idx, (i) => this.dataset.get(i));
        yield (this.collateFn ? this.collateFn(samples) : collate(samples)) as Tensor[];
      }
    }
  }
}

/** For TensorDatasets (or Subsets of one): the tensors, their dense values, and the index map. */
function tensorRows(ds: Dataset<unknown>): { tensors: Tensor[]; values: ArrayLike<number>[]; map: Int32Array | null } | null {
  let map: Int32Array | null = null;
  let d: Dataset<unknown> = ds;
  while (d instanceof Subset) {
    const idx = Int32Array.from(d.indices);
    map = map ? Int32Array.from(map, (i: number) => idx[i]) : idx;
    d = d.dataset;
  }
  if (!(d instanceof TensorDataset)) return null;
  return { tensors: d.tensors, values: d.tensors.map((t) => valuesOf(t)), map };
}

/** Copies rows `idx` of `t` (dense `values`) into a new tensor [idx.length, ...rest]. */
function gatherRows(t: Tensor, values: ArrayLike<number>, idx: Int32Array): Tensor {
  const rest = t.shape.slice(1);
  const row = sizeOf(rest);
  const out = allocTyped(t.dtype, idx.length * row);
  const src = values as Float32Array;
  for (let i = 0; i < idx.length; i++) {
    const from = idx[i] * row;
    if (row === 1) out[i] = src[from];
    else out.set(src.subarray(from, from + row), i * row);
  }
  return fromData(out, [idx.length, ...rest], t.dtype);
}

/**
 * The default collate: samples that are arrays are batched field by field; tensors are
 * stacked along a new first dimension, numbers become a 1-D tensor (int32 if all integers).
 */
export function collate(samples: unknown[]): unknown {
  const first = samples[0];
  if (first instanceof Tensor) return stack(samples as Tensor[], 0);
  if (typeof first === "number") {
    const nums = samples as number[];
    return fromData(nums, [nums.length], nums.every(Number.isInteger) ? "int32" : "float32");
  }
  if (Array.isArray(first)) return first.map((_, k) => collate(samples.map((s) => (s as unknown[])[k])));
  throw new Error(`DataLoader: cannot collate samples of type ${typeof first}; pass a collateFn`);
}
