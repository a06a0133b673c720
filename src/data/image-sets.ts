/**
 * The image sets the course uses — Fashion-MNIST, MNIST and scikit-learn's 8×8 digits — read
 * as raw bytes (pixels and labels) from wherever sources.ts finds them, with the notice line.
 * Turning bytes into datasets and tensors belongs to vision.ts and datasets.ts.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { readIdxFile } from "./idx.js";
import { bundledCounts, locate, notice, type Located, type SetSpec } from "./sources.js";

/** Fashion-MNIST's ten class names, indexed by label. */
export const FASHION_MNIST_CLASSES = [
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
] as const;

/** MNIST's class names as torchvision spells them. */
export const MNIST_CLASSES = [
  "0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine",
] as const;

const idxFiles = (split: string): string[] => [`${split}-images-idx3-ubyte`, `${split}-labels-idx1-ubyte`];

/** Fashion-MNIST: Debian's `dataset-fashion-mnist`, torchvision's FashionMNIST/raw, or the bundled copy. */
export const FASHION_MNIST_SPEC: SetSpec = {
  key: "fashion-mnist",
  title: "Fashion-MNIST",
  subdirs: ["FashionMNIST/raw", "FashionMNIST"],
  files: idxFiles,
  fullHint: `sudo apt-get install dataset-fashion-mnist`,
};

/** MNIST: torchvision's MNIST/raw or a folder named mnist (IDX files), or the bundled copy. */
export const MNIST_SPEC: SetSpec = {
  key: "mnist",
  title: "MNIST",
  subdirs: ["MNIST/raw", "MNIST"],
  files: idxFiles,
  fullHint: `put MNIST's IDX files in a folder mnist/ under one listed in GRADNOTE_DATA_PATHS`,
};

/** scikit-learn's 8×8 digits (`digits.csv.gz` of Debian's `python3-sklearn`), or the bundled copy. */
export const DIGITS_SPEC: SetSpec = {
  key: "digits",
  title: "8×8 digits",
  subdirs: ["sklearn/datasets/data"],
  files: () => ["digits.csv"],
  fullHint: "",
  bareOk: true,
};

/** Which part of a set: MNIST-style sets have train and test; the 8×8 digits come whole. */
export type Split = "train" | "test" | "all";

/** Raw bytes of one split: `count` images of height×width (row-major, values 0..maxValue) and labels. */
export interface RawImages {
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** The value of a white pixel: 255, or 16 for the 8×8 digits. */
  readonly maxValue: number;
  /** Where the files were found. */
  readonly located: Located;
  /** Images in the full split, when this is the bundled subset of a larger set. */
  readonly fullCount?: number;
}

/** Where to look, as the dataset classes and loader functions take it. */
export interface LoadOptions {
  /** The caller's folder (torchvision's `root`). */
  root?: string;
  /**
   * With a root that lacks the files: `true` uses the system or bundled copy (nothing is
   * downloaded); `false` throws suggesting it; undefined throws suggesting to leave out root.
   */
  download?: boolean;
}

/**
 * Reads `split` of `spec` and prints the notice line. `op` names the caller in errors.
 * With `root` and without `download`, only the root is searched (torchvision's behaviour).
 */
export function loadImageSet(op: string, spec: SetSpec, split: Split, opts: LoadOptions = {}): RawImages {
  const file = split === "test" ? "t10k" : split;
  const found = locate(spec, file, { root: opts.root, fallback: opts.root === undefined || opts.download === true });
  if ("looked" in found) {
    const where = `looked in ${found.looked.join(", ")}`;
    if (opts.root !== undefined && !opts.download) {
      throw new Error(
        `${op}: no ${spec.title} files under "${opts.root}" (${where}). Nothing is downloaded here: ` +
          `${opts.download === false ? "pass download: true or " : ""}leave out root to use the installed or bundled copy.`,
      );
    }
    const get = spec.fullHint ? `${spec.fullHint}, or ` : "";
    throw new Error(`${op}: ${spec.title} not found (${where}). To get it: ${get}reinstall gradnote (its datasets/ folder holds a copy).`);
  }
  const raw = spec === DIGITS_SPEC ? readDigitsCsv(op, found) : readIdxPair(op, found);
  const counts = found.kind === "bundled" ? bundledCounts(spec.key) : {};
  const full = split === "train" ? counts.fullTrain : split === "test" ? counts.fullTest : undefined;
  const part = split === "all" ? "" : ` ${split}`;
  const missed = opts.root !== undefined && found.kind !== "root" ? `; none under ${opts.root}, and nothing is downloaded here` : "";
  if (found.kind === "bundled" && full !== undefined && full > raw.count) {
    notice(`${spec.title}${part} from the bundled subset (${raw.count} of ${full} images${missed}; for all of them: ${spec.fullHint})`);
  } else {
    const from = found.kind === "bundled" ? "the bundled copy" : found.dir;
    notice(`${spec.title}${part} from ${from} (${raw.count} images${missed})`);
  }
  return { ...raw, located: found, fullCount: full };
}

function readIdxPair(op: string, found: Located): Omit<RawImages, "located"> {
  const [imagesPath, labelsPath] = found.files;
  const im = readIdxFile(imagesPath);
  const lb = readIdxFile(labelsPath);
  if (im.type !== "uint8" || im.shape.length !== 3) {
    throw new Error(`${op}: ${imagesPath} holds ${im.type} [${im.shape.join(", ")}], expected uint8 images [count, height, width]`);
  }
  if (lb.type !== "uint8" || lb.shape.length !== 1 || lb.shape[0] !== im.shape[0]) {
    throw new Error(`${op}: ${labelsPath} holds ${lb.type} [${lb.shape.join(", ")}], expected ${im.shape[0]} uint8 labels to match ${imagesPath}`);
  }
  const [count, height, width] = im.shape;
  return { pixels: im.data as Uint8Array, labels: lb.data as Uint8Array, count, height, width, maxValue: 255 };
}

/** scikit-learn's digits.csv(.gz): 64 pixel values (0–16) and the label per line. */
function readDigitsCsv(op: string, found: Located): Omit<RawImages, "located"> {
  const path = found.files[0];
  let bytes: Buffer = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const rows = bytes.toString("utf8").trim().split("\n");
  const pixels = new Uint8Array(rows.length * 64);
  const labels = new Uint8Array(rows.length);
  let n = 0;
  for (const line of rows) {
    const v = line.split(",").map(Number);
    if (v.length !== 65 || v.some((x) => !Number.isInteger(x) || x < 0 || x > 16)) {
      throw new Error(`${op}: line ${n + 1} of ${path} is not 64 pixel values (0–16) and a label`);
    }
    pixels.set(v.slice(0, 64), n * 64);
    labels[n++] = v[64];
  }
  return { pixels, labels, count: n, height: 8, width: 8, maxValue: 16 };
}

/** One line of `dataSources()`: a set, where its loaders will read it, and how to get it when missing. */
export interface DataSourceInfo {
  name: string;
  /** The folder (and whether it is the full set or the bundled subset). */
  source: string;
  found: boolean;
  /** What to run when it is not found. */
  fix?: string;
}

/**
 * Where each image set would be read from now (without reading it): for `gradnote doctor` and
 * for users who wonder why they got the bundled subset.
 */
export function dataSources(): DataSourceInfo[] {
  return [FASHION_MNIST_SPEC, MNIST_SPEC, DIGITS_SPEC].map((spec) => {
    const splits = spec === DIGITS_SPEC ? ["digits"] : ["train", "t10k"];
    const found = splits.map((s) => locate(spec, s));
    const missing = found.find((f): f is { looked: string[] } => "looked" in f);
    if (missing) {
      const fix = `${spec.fullHint ? `${spec.fullHint}, or ` : ""}reinstall gradnote (its datasets/ folder holds a copy)`;
      return { name: spec.title, source: `looked in ${missing.looked.join(", ")}`, found: false, fix };
    }
    const where = found as Located[];
    if (where.every((f) => f.kind === "bundled")) {
      const c = bundledCounts(spec.key);
      const subset = c.fullTrain !== undefined && c.train < c.fullTrain;
      const what = subset ? `the bundled subset, ${c.train} train + ${c.test} test images (for all: ${spec.fullHint})` : "the bundled copy";
      return { name: spec.title, source: `${what} in ${where[0].dir}`, found: true };
    }
    return { name: spec.title, source: [...new Set(where.map((f) => f.dir))].join(" and "), found: true };
  });
}
