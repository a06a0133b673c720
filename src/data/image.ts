/**
 * Image: one greyscale picture as a data set stores it (PIL's mode "L"), what `dataset[i]`
 * gives before any transform. `transforms.ToTensor()` turns it into a float tensor; in a
 * notebook it shows as the picture. Batches of tensors are drawn by display/ (showImages).
 */
import { jupyterDisplay, inspectCustom } from "../tensor/tensor.js";
import { pngBase64, upscale } from "../display/png.js";

/** A greyscale image: `height` rows of `width` bytes, 0 black to `maxValue` white. */
export class Image {
  /** PIL's mode name: "L" (8-bit greyscale). */
  readonly mode = "L";

  /**
   * @param width pixels per row
   * @param height rows
   * @param data `width * height` pixel values, row-major, top row first
   * @param maxValue the value of white: 255, or 16 for scikit-learn's 8×8 digits
   */
  constructor(
    readonly width: number,
    readonly height: number,
    readonly data: Uint8Array,
    readonly maxValue = 255,
  ) {
    if (data.length !== width * height) {
      throw new Error(`Image: ${data.length} pixel values do not fill ${width}x${height}`);
    }
  }

  /** `[width, height]`, as PIL's `size`. */
  get size(): [number, number] {
    return [this.width, this.height];
  }

  /** PIL-style text: `<Image mode=L size=28x28>`. */
  toString(): string {
    return `<Image mode=${this.mode} size=${this.width}x${this.height}>`;
  }

  /** The picture, enlarged without blur to at least 112 pixels wide, with the text form. */
  [jupyterDisplay](): Record<string, string> {
    const rgba = new Uint8Array(this.width * this.height * 4);
    for (let i = 0; i < this.data.length; i++) {
      const v = Math.round((255 * this.data[i]) / this.maxValue);
      rgba.set([v, v, v, 255], 4 * i);
    }
    const factor = Math.max(1, Math.ceil(112 / this.width));
    return { "text/plain": this.toString(), "image/png": pngBase64(upscale({ width: this.width, height: this.height, data: rgba }, factor)) };
  }

  /** console.log shows the text form, not the pixel bytes. */
  [inspectCustom](): string {
    return this.toString();
  }
}
