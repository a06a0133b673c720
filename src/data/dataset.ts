/**
 * Datasets in PyTorch's shape: anything with `length` and `get(i)`, TensorDataset over
 * tensors sharing a first dimension, Subset, and randomSplit. Batching is in dataloader.ts.
 */
import type { Tensor } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { dataRng } from "./rng.js";
import type { Generator } from "../random.js";

/** A map-style dataset: `length` samples, sample `i` from `get(i)` (PyTorch's `__getitem__`). */
export interface Dataset<T = unknown> {
  readonly length: number;
  get(index: number): T;
}

/**
 * Rows of several tensors taken together: sample `i` is `[t0[i], t1[i], …]`.
 * Every tensor must have the same size along dimension 0.
 */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The tensors, in the order given. */
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new Error("TensorDataset: needs at least one tensor");
    for (const t of tensors) {
      if (t.shape.length === 0) throw new Error("TensorDataset: tensors must have at least one dimension, got a scalar");
      if (t.shape[0] !== tensors[0].shape[0]) {
        throw new Error(`TensorDataset: size mismatch between tensors: ${tensors.map((x) => formatShape(x.shape)).join(" vs ")}`);
      }
    }
    this.tensors = tensors;
  }

  /** Number of samples (size of dimension 0). */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Row `index` of every tensor. */
  get(index: number): Tensor[] {
    checkIndex("TensorDataset", index, this.length);
    return this.tensors.map((t) => t.select(0, index));
  }
}

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T> implements Dataset<T> {
  constructor(readonly dataset: Dataset<T>, readonly indices: Int32Array | number[]) {
    for (const i of indices) checkIndex("Subset", i, dataset.length);
  }
  get length(): number {
    return this.indices.length;
  }
  get(index: number): T {
    checkIndex("Subset", index, this.length);
    return this.dataset.get(this.indices[index]);
  }
}

function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new Error(`${op}: index ${index} is out of range for a dataset of length ${length}`);
  }
}

/**
 * Splits a dataset into non-overlapping random subsets. `lengths` are counts summing to the
 * dataset's length, or fractions summing to 1 (remainders go round-robin, as in PyTorch).
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: number[], opts: { seed?: number; generator?: Generator } = {}): Subset<T>[] {
  const n = dataset.length;
  let counts = lengths;
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
