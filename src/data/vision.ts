/**
 * torchvision.datasets for the course's image sets: FashionMNIST, MNIST and Digits8x8 (scikit-
 * learn's 8×8 digits). `dataset[i]` is `[image, label]` — an Image and a number, or whatever
 * `transform` / `targetTransform` make of them — and the repr is torchvision's.
 */
import type { Tensor } from "../tensor/tensor.js";
import { checkOptions } from "../ops/options.js";
import { fromData } from "../nn/tensor-util.js";
import { Dataset, batchReader, sampleIndex, type BatchFn } from "./dataset.js";
import { Image } from "./image.js";
import {
  DIGITS_SPEC, FASHION_MNIST_CLASSES, FASHION_MNIST_SPEC, MNIST_CLASSES, MNIST_SPEC, loadImageSet, type RawImages,
} from "./image-sets.js";
import { labelTensor } from "./labels.js";
import { batchPlan, transformRepr, type TransformLike } from "./transforms.js";

/** Options of FashionMNIST and MNIST (torchvision's keyword arguments). */
export interface VisionDatasetOptions {
  /**
   * A folder holding the set in torchvision's layout (`root/FashionMNIST/raw/…-ubyte[.gz]`),
   * or the IDX files themselves. Without it: the installed set, else the bundled subset.
   */
  root?: string;
  /** The training split [true] or the test split. */
  train?: boolean;
  /** Applied to each image (an Image), e.g. `new transforms.ToTensor()`. */
  transform?: TransformLike;
  /** Applied to each label (a number). */
  targetTransform?: TransformLike;
  /**
   * Nothing is downloaded here: with a `root` that lacks the files, `true` uses the installed
   * or bundled copy instead (with a notice), `false` [default] throws as torchvision does.
   */
  download?: boolean;
}

/** A sample: the image (an Image, or what `transform` returns) and the label (a number, or what `targetTransform` returns). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type VisionSample = [any, any];

/**
 * Base of the image sets: raw bytes in memory, converted one sample at a time by `get(i)`, or a
 * whole batch at once by DataLoader when the transform is ToTensor (+ Normalize).
 */
export abstract class VisionDataset extends Dataset<VisionSample> {
  /** The folder the data was read from. */
  readonly root: string;
  /** Where that folder is: "root" (given), "system" (installed) or "bundled" (gradnote's subset). */
  readonly source: "root" | "system" | "bundled";
  /** The training split, or the test split; undefined for sets without splits. */
  readonly train: boolean | undefined;
  readonly transform: TransformLike | undefined;
  readonly targetTransform: TransformLike | undefined;
  /** Class names, indexed by label. */
  readonly classes: readonly string[];
  private readonly raw: RawImages;

  protected constructor(raw: RawImages, classes: readonly string[], train: boolean | undefined, opts: VisionDatasetOptions) {
    super();
    this.raw = raw;
    this.root = raw.located.dir;
    this.source = raw.located.kind;
    this.train = train;
    this.classes = classes;
    for (const key of ["transform", "targetTransform"] as const) {
      const t = opts[key];
      if (t !== undefined && typeof t !== "function") {
        throw new TypeError(`${this.constructor.name}: ${key} must be a transform or a function, got ${t === null ? "null" : typeof t}`);
      }
    }
    this.transform = opts.transform;
    this.targetTransform = opts.targetTransform;
  }

  override get length(): number {
    return this.raw.count;
  }

  /** Sample `index` (negative from the end): `[image, label]` after the transforms. */
  get(index: number): VisionSample {
    const i = sampleIndex(this.constructor.name, index, this.raw.count);
    const { width, height, maxValue, pixels, labels } = this.raw;
    const size = width * height;
    const img = new Image(width, height, pixels.slice(i * size, (i + 1) * size), maxValue);
    const label: number = labels[i];
    return [this.transform ? this.transform(img) : img, this.targetTransform ? this.targetTransform(label) : label];
  }

  /** All images as an int32 tensor [count, height, width] of raw pixel values (torchvision's uint8 `data`). */
  get data(): Tensor {
    const { pixels, count, height, width } = this.raw;
    return fromData(pixels, [count, height, width], "int32");
  }

  /** All labels as a class-index tensor [count] (torchvision's `targets`). */
  get targets(): Tensor {
    return labelTensor(this.raw.labels);
  }

  /** Class name → label (torchvision's `class_to_idx`). */
  get classToIdx(): Record<string, number> {
    return Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  protected override reprLines(): string[] {
    const lines = [...super.reprLines(), `Root location: ${this.root}`];
    if (this.train !== undefined) lines.push(`Split: ${this.train ? "Train" : "Test"}`);
    if (this.source === "bundled" && this.raw.fullCount !== undefined && this.raw.fullCount > this.raw.count) {
      lines.push(`Subset: bundled with gradnote (${this.raw.count} of ${this.raw.fullCount})`);
    }
    if (this.transform || this.targetTransform) lines.push(standardTransformRepr(this.transform, this.targetTransform));
    return lines;
  }

  /** Whole batches at once when the transform is ToTensor (+ Normalize) and there is no target transform. */
  [batchReader](): BatchFn | null {
    const plan = batchPlan(this.transform);
    if (!plan || this.targetTransform) return null;
    const { width, height, maxValue, pixels, labels } = this.raw;
    const size = width * height;
    for (const n of plan) n.checkChannels(1);
    return (idx) => {
      const x = new Float32Array(idx.length * size);
      const y = new Int32Array(idx.length);
      for (let b = 0; b < idx.length; b++) {
        const from = idx[b] * size;
        for (let p = 0; p < size; p++) x[b * size + p] = pixels[from + p] / maxValue;
        y[b] = labels[idx[b]];
      }
      for (const n of plan) n.applyTo(x, 1, size);
      return [fromData(x, [idx.length, 1, height, width]), labelTensor(y)];
    };
  }
}

/**
 * torchvision's StandardTransform repr, as its datasets print it: only the first line is
 * indented under the dataset, the rest start at the margin.
 */
function standardTransformRepr(transform?: TransformLike, target?: TransformLike): string {
  const part = (head: string, t: TransformLike) => {
    const [first, ...rest] = transformRepr(t).split("\n");
    return [`${head}${first}`, ...rest.map((l) => `${" ".repeat(head.length)}${l}`)];
  };
  const body = [...(transform ? part("Transform: ", transform) : []), ...(target ? part("Target transform: ", target) : [])];
  return ["StandardTransform", ...body].join("\n");
}

const OPTIONS = ["root", "train", "transform", "targetTransform", "download"] as const;

/** torchvision's default is download=False: with a root, only the root is searched unless download. */
const where = (opts: VisionDatasetOptions) => ({ root: opts.root, download: opts.download ?? false });

/**
 * Fashion-MNIST: 28×28 grey images of clothing in 10 classes, 60,000 for training and 10,000
 * for testing. Read from Debian's `dataset-fashion-mnist` (or `root`, or a folder in
 * GRADNOTE_DATA_PATHS) when installed, else from the subset bundled with gradnote (6,000 + 1,000).
 *
 * ```ts
 * const train = new datasets.FashionMNIST({ root: "data", train: true, download: true, transform: new transforms.ToTensor() });
 * ```
 */
export class FashionMNIST extends VisionDataset {
  constructor(options?: VisionDatasetOptions) {
    const opts = checkOptions("FashionMNIST", options, [...OPTIONS]);
    const train = opts.train ?? true;
    super(loadImageSet("FashionMNIST", FASHION_MNIST_SPEC, train ? "train" : "test", where(opts)), FASHION_MNIST_CLASSES, train, opts);
  }
}

/**
 * MNIST handwritten digits: 28×28 grey images, classes 0–9. Read from IDX files under `root`
 * (torchvision's MNIST/raw layout) or a folder mnist/ in GRADNOTE_DATA_PATHS, else from the
 * subset bundled with gradnote (6,000 training and 1,000 test digits).
 */
export class MNIST extends VisionDataset {
  constructor(options?: VisionDatasetOptions) {
    const opts = checkOptions("MNIST", options, [...OPTIONS]);
    const train = opts.train ?? true;
    super(loadImageSet("MNIST", MNIST_SPEC, train ? "train" : "test", where(opts)), MNIST_CLASSES, train, opts);
  }
}

/** Options of Digits8x8: no splits (split it with randomSplit). */
export type Digits8x8Options = Omit<VisionDatasetOptions, "train">;

/**
 * scikit-learn's 1,797 8×8 handwritten digits (`load_digits`), pixel values 0–16 (ToTensor
 * scales them by 16 to [0, 1]). Read from Debian's `python3-sklearn` when installed, else from
 * the identical copy bundled with gradnote. One set: split it with `randomSplit`.
 */
export class Digits8x8 extends VisionDataset {
  constructor(options?: Digits8x8Options) {
    const opts = checkOptions("Digits8x8", options, ["root", "transform", "targetTransform", "download"]);
    super(loadImageSet("Digits8x8", DIGITS_SPEC, "all", where(opts)), [..."0123456789"], undefined, opts);
  }
}
