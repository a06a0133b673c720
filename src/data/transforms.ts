/**
 * torchvision.transforms for the image sets: Compose, ToTensor, Normalize and Lambda. A
 * transform is callable (`t(img)`) like torchvision's; datasets apply `transform` to each image.
 * `batchPlan` lets vision.ts run ToTensor + Normalize over a whole batch at once.
 */
import { Tensor, jupyterDisplay, inspectCustom } from "../tensor/tensor.js";
import { isFloating } from "../tensor/dtype.js";
import { formatShape } from "../tensor/shape.js";
import { checkOptions } from "../ops/options.js";
import { copyInto, fromData, valuesOf } from "../nn/tensor-util.js";
import { Image } from "./image.js";

// A transform instance is callable: `t(x)` is `t.forward(x)`, as torchvision's `__call__`.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Transform {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (input: any): any;
}

/**
 * Base class of the transforms: subclasses implement `forward` (and may override `toString`).
 *
 * ```ts
 * class Invert extends transforms.Transform {
 *   forward(x: Tensor) { return x.neg().add(1); }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Transform {
  constructor() {
    const self = ((input: unknown) => self.forward(input)) as unknown as Transform;
    // An arrow function's own `name` and `length` would shadow the prototype's.
    delete (self as unknown as { name?: string }).name;
    delete (self as unknown as { length?: number }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    return self;
  }

  /** Applies the transform (also reachable as `t(input)`). */
  abstract forward(input: unknown): unknown;

  /** torchvision's repr, e.g. `Normalize(mean=[0.5], std=[0.5])`; by default `Name()`. */
  toString(): string {
    return `${this.constructor.name}()`;
  }

  /** Jupyter shows the repr. */
  [jupyterDisplay](): Record<string, string> {
    return { "text/plain": this.toString() };
  }

  /** console.log shows the repr. */
  [inspectCustom](): string {
    return this.toString();
  }
}

/** "a float32 tensor [2,3]" / "an int64 tensor [4]", for messages. */
function describe(t: Tensor): string {
  return `${/^[aeiou]/.test(t.dtype) ? "an" : "a"} ${t.dtype} tensor ${formatShape(t.shape)}`;
}

/** Anything a dataset accepts as `transform`: a Transform or a plain function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TransformLike = (input: any) => any;

/** The repr of a transform given as a Transform or a plain function. */
export function transformRepr(t: TransformLike): string {
  return t instanceof Transform ? t.toString() : `${t.name || "function"}()`;
}

/** Applies several transforms in order: `new Compose([new ToTensor(), new Normalize([0.5], [0.5])])`. */
export class Compose extends Transform {
  /** The transforms, in order. */
  readonly transforms: readonly TransformLike[];

  constructor(transforms: readonly TransformLike[]) {
    super();
    if (!Array.isArray(transforms)) throw new TypeError(`Compose: expected an array of transforms, got ${typeof transforms}`);
    transforms.forEach((t, i) => {
      if (typeof t !== "function") {
        throw new TypeError(`Compose: transform ${i} is not callable (got ${t === null ? "null" : typeof t}); pass a transform or a function (x) => …`);
      }
    });
    this.transforms = [...transforms];
  }

  forward(input: unknown): unknown {
    return this.transforms.reduce((x, t) => t(x), input);
  }

  override toString(): string {
    return ["Compose(", ...this.transforms.map((t) => `    ${transformRepr(t)}`), ")"].join("\n");
  }
}

/**
 * Converts an Image (or an integer tensor [H, W] / [H, W, C] with values 0–255, like a uint8
 * array) to a float32 tensor [C, H, W] with values in [0, 1] (divided by 255, or by the
 * image's maxValue: 16 for the 8×8 digits).
 */
export class ToTensor extends Transform {
  forward(pic: unknown): Tensor {
    if (pic instanceof Image) {
      const out = new Float32Array(pic.data.length);
      for (let i = 0; i < out.length; i++) out[i] = pic.data[i] / pic.maxValue;
      return fromData(out, [1, pic.height, pic.width]);
    }
    if (pic instanceof Tensor && !isFloating(pic.dtype) && pic.dtype !== "bool" && (pic.ndim === 2 || pic.ndim === 3)) {
      const [h, w, c] = pic.ndim === 2 ? [...pic.shape, 1] : pic.shape;
      const v = valuesOf(pic);
      const out = new Float32Array(h * w * c);
      for (let p = 0; p < h * w; p++) {
        for (let k = 0; k < c; k++) {
          const x = v[p * c + k];
          if (x < 0 || x > 255) throw new RangeError(`ToTensor: pixel values must be 0–255 (uint8), got ${x}`);
          out[k * h * w + p] = x / 255;
        }
      }
      return fromData(out, [c, h, w]);
    }
    const got = pic instanceof Tensor ? describe(pic) : pic === null ? "null" : typeof pic;
    throw new TypeError(`ToTensor: expected an Image or an integer tensor [H, W] or [H, W, C] with values 0–255, got ${got}` +
      (pic instanceof Tensor && isFloating(pic.dtype) ? "; it is already a float tensor: leave ToTensor out" : ""));
  }

  override toString(): string {
    return "ToTensor()";
  }
}

/** Options of Normalize. */
export interface NormalizeOptions {
  /** Write the result into the input tensor instead of a new one [false]. */
  inplace?: boolean;
}

/**
 * Standardises a float image tensor [..., C, H, W] channel by channel:
 * `out[c] = (x[c] - mean[c]) / std[c]`. A single mean/std applies to every channel.
 */
export class Normalize extends Transform {
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly inplace: boolean;

  constructor(mean: number | readonly number[], std: number | readonly number[], options?: NormalizeOptions) {
    super();
    const opts = checkOptions("Normalize", options, ["inplace"]);
    this.mean = typeof mean === "number" ? [mean] : [...mean];
    this.std = typeof std === "number" ? [std] : [...std];
    this.inplace = opts.inplace ?? false;
    for (const [name, v] of [["mean", this.mean], ["std", this.std]] as const) {
      if (v.length === 0 || v.some((x) => typeof x !== "number" || !Number.isFinite(x))) {
        throw new TypeError(`Normalize: ${name} must be a finite number or a non-empty array of them, got ${JSON.stringify(name === "mean" ? mean : std)}`);
      }
    }
    if (this.std.some((s) => s === 0)) throw new RangeError(`Normalize: std evaluated to zero, leading to division by zero (std=[${this.std.join(", ")}])`);
  }

  /** Throws unless the mean/std lengths fit `channels`. */
  checkChannels(channels: number): void {
    for (const [name, v] of [["mean", this.mean], ["std", this.std]] as const) {
      if (v.length !== 1 && v.length !== channels) {
        throw new RangeError(`Normalize: ${name} has ${v.length} values but the image has ${channels} channel${channels === 1 ? "" : "s"}`);
      }
    }
  }

  /** Normalises `values` (row-major [..., C, H, W] with `plane` = H·W) in place. */
  applyTo(values: Float32Array | Float64Array, channels: number, plane: number): void {
    for (let start = 0, c = 0; start < values.length; start += plane, c = (c + 1) % channels) {
      const m = this.mean[this.mean.length === 1 ? 0 : c];
      const s = this.std[this.std.length === 1 ? 0 : c];
      for (let i = start; i < start + plane; i++) values[i] = (values[i] - m) / s;
    }
  }

  forward(t: unknown): Tensor {
    if (!(t instanceof Tensor) || !isFloating(t.dtype) || t.ndim < 3) {
      const got = t instanceof Tensor ? describe(t) : t instanceof Image ? "an Image" : t === null ? "null" : typeof t;
      throw new TypeError(`Normalize: expected a float tensor image [..., C, H, W], got ${got}; put ToTensor() before Normalize in Compose`);
    }
    const channels = t.shape[t.ndim - 3];
    this.checkChannels(channels);
    const values = t.dtype === "float64" ? Float64Array.from(valuesOf(t)) : Float32Array.from(valuesOf(t));
    this.applyTo(values, channels, t.shape[t.ndim - 1] * t.shape[t.ndim - 2]);
    if (this.inplace) {
      copyInto(t, values);
      return t;
    }
    return fromData(values, t.shape, t.dtype);
  }

  override toString(): string {
    return `Normalize(mean=[${this.mean.join(", ")}], std=[${this.std.join(", ")}])`;
  }
}

/** A user function as a transform: `new Lambda((y) => …)` (torchvision's Lambda). */
export class Lambda extends Transform {
  readonly lambd: TransformLike;

  constructor(lambd: TransformLike) {
    super();
    if (typeof lambd !== "function") throw new TypeError(`Lambda: expected a function, got ${lambd === null ? "null" : typeof lambd}`);
    this.lambd = lambd;
  }

  forward(input: unknown): unknown {
    return this.lambd(input);
  }

  override toString(): string {
    return "Lambda()";
  }
}

/**
 * For a transform that is ToTensor followed only by Normalizes (or ToTensor alone), the
 * Normalizes to apply after scaling; null for anything else. Lets a whole batch be converted
 * at once with the same arithmetic as image by image.
 */
export function batchPlan(transform: TransformLike | undefined): Normalize[] | null {
  if (transform instanceof ToTensor) return [];
  if (!(transform instanceof Compose)) return null;
  const [first, ...rest] = transform.transforms;
  if (!(first instanceof ToTensor) || !rest.every((t) => t instanceof Normalize)) return null;
  return rest as Normalize[];
}
