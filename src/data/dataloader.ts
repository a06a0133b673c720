/**
 * DataLoader: mini-batches over a dataset, optionally shuffled (seedable) each epoch, with
 * PyTorch's batchSize/shuffle/dropLast/generator. Datasets with a fast path (TensorDataset,
 * the image sets with ToTensor/Normalize, Subsets of them) build whole batches at once;
 * others go sample by sample through `collate`.
 */
import { Tensor, jupyterDisplay, inspectCustom } from "../tensor/tensor.js";
import { stack } from "../ops/join.js";
import { checkOptions } from "../ops/options.js";
import { installIndexing } from "../tensor/indexable.js";
import { fromData } from "../nn/tensor-util.js";
import { batchReader, type BatchFn, type DatasetLike } from "./dataset.js";
import { Image } from "./image.js";
import { labelDType } from "./labels.js";
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
  /** Accepted for ports; batches are always loaded in this process (no effect on results). */
  numWorkers?: number;
  /** Accepted for ports; no effect (there is no pinned memory here). */
  pinMemory?: boolean;
}

const OPTIONS = ["batchSize", "shuffle", "dropLast", "seed", "generator", "collateFn", "numWorkers", "pinMemory"] as const;

/**
 * Iterates a dataset in mini-batches: `for (const [xb, yb] of loader) …`.
 * Each `for … of` is one epoch; with `shuffle` each epoch has a fresh order.
 * `loader.length` is the number of batches (PyTorch's `len(loader)`).
 */
export class DataLoader<T = unknown> implements Iterable<Tensor[]> {
  readonly dataset: DatasetLike<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly rng: Generator | null;
  // Stored without T so that DataLoader<Tensor[]> is usable where a DataLoader is expected.
  private readonly collateFn?: (samples: unknown[]) => unknown;

  constructor(dataset: DatasetLike<T>, options?: DataLoaderOptions<T>) {
    const opts = checkOptions("DataLoader", options, [...OPTIONS]);
    if (dataset === null || typeof dataset !== "object" || typeof dataset.get !== "function" || typeof dataset.length !== "number") {
      throw new TypeError("DataLoader: expected a dataset with length and get(i) (a data.Dataset, TensorDataset, or an image set)");
    }
    this.dataset = dataset;
    this.batchSize = opts.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize <= 0) {
      throw new Error(`DataLoader: batchSize should be a positive integer, got ${opts.batchSize}`);
    }
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    if (!this.shuffle && (opts.seed !== undefined || opts.generator !== undefined)) {
      throw new Error("DataLoader: seed/generator only choose the shuffling order; pass shuffle: true as well");
    }
    this.rng = this.shuffle ? dataRng(opts.seed, opts.generator) : null;
    if (opts.collateFn !== undefined && typeof opts.collateFn !== "function") throw new TypeError("DataLoader: collateFn must be a function (samples) => batch");
    this.collateFn = opts.collateFn as ((samples: unknown[]) => unknown) | undefined;
  }

  /** Number of batches per epoch (PyTorch's `len(loader)`). */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One epoch of batches; each batch is an array with one tensor per dataset field. */
  *[Symbol.iterator](): Iterator<Tensor[]> {
    const n = this.dataset.length;
    const batches = this.length;
    const order = this.rng ? this.rng.permutation(n) : null;
    const fast: BatchFn | null = this.collateFn ? null : ((this.dataset as { [batchReader]?: () => BatchFn | null })[batchReader]?.() ?? null);
    for (let b = 0; b < batches; b++) {
      const start = b * this.batchSize;
      const end = Math.min(n, start + this.batchSize);
      const idx = new Int32Array(end - start);
      for (let i = start; i < end; i++) idx[i - start] = order ? order[i] : i;
      if (fast) {
        yield fast(idx) as Tensor[];
      } else {
        const samples = Array.from(idx, (i) => this.dataset.get(i));
        yield (this.collateFn ? this.collateFn(samples) : collate(samples)) as Tensor[];
      }
    }
  }

  /** `[batchIndex, batch]` pairs, for Python's `for batch, (X, y) in enumerate(loader)`. */
  *entries(): IterableIterator<[number, Tensor[]]> {
    let i = 0;
    for (const batch of this) yield [i++, batch];
  }

  /** What the loader batches and how. */
  toString(): string {
    const ds = this.dataset as { constructor?: { name?: string } };
    const name = ds.constructor && ds.constructor !== Object ? ds.constructor.name : "dataset";
    return [
      `DataLoader over ${name} (${this.dataset.length} datapoints)`,
      `    batchSize: ${this.batchSize}, shuffle: ${this.shuffle}, dropLast: ${this.dropLast}`,
      `    Number of batches: ${this.length}`,
    ].join("\n");
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

installIndexing(DataLoader as unknown as { prototype: DataLoader; name: string }, {
  name: "DataLoader",
  length: (l) => l.length,
  getItem: () => {
    throw new TypeError("DataLoader[i]: a DataLoader is not indexable (as in PyTorch); iterate it: for (const [x, y] of loader), or index its dataset: loader.dataset[i]");
  },
});

/**
 * The default collate (PyTorch's default_collate): tensors are stacked along a new first
 * dimension, numbers become a 1-D tensor (class indices — integers — in the dtype of
 * `tensor([1, 2])`, else float32), arrays and plain objects are batched field by field.
 */
export function collate(samples: unknown[]): unknown {
  const first = samples[0];
  if (first instanceof Tensor) return stack(samples as Tensor[], 0);
  if (typeof first === "number") {
    const nums = samples as number[];
    return fromData(nums, [nums.length], nums.every(Number.isInteger) ? labelDType() : "float32");
  }
  if (typeof first === "boolean") return fromData(samples.map(Number), [samples.length], "bool");
  if (Array.isArray(first)) return first.map((_, k) => collate(samples.map((s) => (s as unknown[])[k])));
  if (first instanceof Image) {
    throw new TypeError("DataLoader: cannot batch Image samples; give the dataset transform: new transforms.ToTensor()");
  }
  if (first !== null && typeof first === "object" && Object.getPrototypeOf(first) === Object.prototype) {
    return Object.fromEntries(Object.keys(first).map((k) => [k, collate(samples.map((s) => (s as Record<string, unknown>)[k]))]));
  }
  throw new TypeError(`DataLoader: cannot collate samples of type ${first === null ? "null" : typeof first}; pass a collateFn`);
}
