/**
 * One-call loaders that return the whole split as a TensorDataset of float images and
 * class-index labels: fashionMNIST, mnistDigits and digits8x8. They find their data as the
 * torchvision-style classes in vision.ts do (installed set, else the bundled copy, with a notice).
 */
import { checkOptions } from "../ops/options.js";
import { fromData } from "../nn/tensor-util.js";
import { TensorDataset } from "./dataset.js";
import { DIGITS_SPEC, FASHION_MNIST_SPEC, MNIST_SPEC, loadImageSet, type RawImages } from "./image-sets.js";
import { labelTensor } from "./labels.js";
import { locate } from "./sources.js";

export { FASHION_MNIST_CLASSES, MNIST_CLASSES } from "./image-sets.js";

/** Where Debian's `dataset-fashion-mnist` puts the IDX files. */
export const FASHION_MNIST_ROOT = "/usr/share/datasets/fashion-mnist";
/** Where Debian's `python3-sklearn` keeps its bundled data sets. */
export const SKLEARN_DATA_ROOT = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

/** Mean and standard deviation of Fashion-MNIST's training pixels (scaled to [0, 1]). */
export const FASHION_MNIST_MEAN = 0.286;
export const FASHION_MNIST_STD = 0.353;
/** Mean and standard deviation of MNIST's training pixels (torchvision's usual Normalize). */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** Options shared by the image loaders. */
export interface ImageSetOptions {
  /** The training split (default) or the test split. */
  train?: boolean;
  /** Images as [n, pixels] instead of [n, 1, h, w]. */
  flatten?: boolean;
  /** Keep only the first `limit` samples. */
  limit?: number;
  /** Standardise pixels: `true` uses the set's own mean/std (torchvision's Normalize), or give [mean, std]. */
  normalize?: boolean | [number, number];
  /** A folder holding the IDX files (or torchvision's layout under it); only it is searched. */
  root?: string;
}

const OPTIONS = ["train", "flatten", "limit", "normalize", "root"] as const;

/** The first `limit` images of `raw` as float32 [n, 1, h, w] (or [n, h·w]) scaled to [0, 1] and standardised, with labels. */
function toTensorDataset(raw: RawImages, opts: ImageSetOptions, stats: [number, number]): TensorDataset {
  const limit = opts.limit ?? Infinity;
  if (!(limit === Infinity || (Number.isInteger(limit) && limit > 0))) throw new Error(`limit must be a positive integer, got ${limit}`);
  const n = Math.min(raw.count, limit);
  const [m, sd] = opts.normalize === true ? stats : opts.normalize || [0, 1];
  const size = raw.height * raw.width;
  const x = new Float32Array(n * size);
  for (let i = 0; i < x.length; i++) x[i] = (raw.pixels[i] / raw.maxValue - m) / sd;
  const shape = opts.flatten ? [n, size] : [n, 1, raw.height, raw.width];
  return new TensorDataset(fromData(x, shape), labelTensor(raw.labels.subarray(0, n)));
}

/** True when the full Fashion-MNIST is installed (in `root`, or else in a system folder). */
export function hasFashionMNIST(root?: string): boolean {
  const opts = root === undefined ? { bundled: null } : { root, fallback: false };
  return ["train", "t10k"].every((split) => !("looked" in locate(FASHION_MNIST_SPEC, split, opts)));
}

/**
 * Fashion-MNIST (60,000 train / 10,000 test 28×28 grey images, 10 classes) as a TensorDataset
 * of float32 images scaled to [0, 1] (or standardised with `normalize`) and class-index labels.
 * Uses the installed set, else the bundled 6,000 + 1,000 subset (the notice line says which).
 */
export function fashionMNIST(options?: ImageSetOptions): TensorDataset {
  const opts = checkOptions("fashionMNIST", options, [...OPTIONS]);
  const raw = loadImageSet("fashionMNIST", FASHION_MNIST_SPEC, (opts.train ?? true) ? "train" : "test", { root: opts.root });
  return toTensorDataset(raw, opts, [FASHION_MNIST_MEAN, FASHION_MNIST_STD]);
}

/**
 * MNIST digits (28×28) as a TensorDataset, like fashionMNIST: IDX files under `root` or a
 * folder mnist/ in GRADNOTE_DATA_PATHS, else the bundled 6,000 train / 1,000 test digits
 * (600 / 100 per class, shuffled).
 */
export function mnistDigits(options?: ImageSetOptions): TensorDataset {
  const opts = checkOptions("mnistDigits", options, [...OPTIONS]);
  const raw = loadImageSet("mnistDigits", MNIST_SPEC, (opts.train ?? true) ? "train" : "test", { root: opts.root });
  return toTensorDataset(raw, opts, [MNIST_MEAN, MNIST_STD]);
}

/**
 * scikit-learn's 1,797 8×8 digit images (pixel values 0–16, scaled here to [0, 1]) as
 * [n, 1, 8, 8] (or [n, 64] with `flatten`) float32 images and class-index labels. The whole
 * set; split it with `randomSplit`. Debian's `python3-sklearn` copy when installed, else the
 * identical bundled one.
 */
export function digits8x8(options?: { flatten?: boolean; root?: string }): TensorDataset {
  const opts = checkOptions("digits8x8", options, ["flatten", "root"]);
  return toTensorDataset(loadImageSet("digits8x8", DIGITS_SPEC, "all", { root: opts.root }), opts, [0, 1]);
}
