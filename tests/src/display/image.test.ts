// Image grids: showFilters and showImages produce PNGs of the expected size whose pixels follow
// the tensor's values (normalised, upscaled without blurring), plus captions when given labels.
import { afterEach, describe, expect, it } from "vitest";
import { filtersBundle, imagesBundle, showFilters } from "../../../src/display/index.js";
import { fromArray, tensor, zeros } from "../../../src/index.js";
import { decodePng, fakeKernel, pixel } from "./helpers.js";

const png = (b: Record<string, unknown>) => decodePng(Buffer.from(b["image/png"] as string, "base64"));
let restore = () => {};
afterEach(() => restore());

describe("showFilters", () => {
  it("draws each kernel normalised on its own, upscaled, in a grid with 2-px gaps", () => {
    // Two 2x2 filters: one ramps 0..3, the other 0..300 (scaled on its own, it looks the same).
    const w = fromArray([0, 1, 2, 3, 0, 100, 200, 300], [2, 1, 2, 2]);
    const p = png(filtersBundle(w, { scale: 4 }));
    expect([p.width, p.height]).toEqual([2 + 2 * (8 + 2), 2 + 8 + 2]); // 2 filters per row, 8 px each
    expect(pixel(p, 0, 0)).toEqual([40, 40, 40, 255]); // gap
    expect(pixel(p, 2, 2)).toEqual([0, 0, 0, 255]); // filter 0, min → black
    expect(pixel(p, 9, 9)).toEqual([255, 255, 255, 255]); // filter 0, max → white
    expect(pixel(p, 6, 2)).toEqual([85, 85, 85, 255]); // value 1 of 0..3, every upscaled pixel alike
    expect(pixel(p, 12 + 4, 2)).toEqual(pixel(p, 2 + 4, 2)); // filter 1 normalised the same way
  });

  it("shows 3-channel kernels as colour pictures", () => {
    const w = zeros([1, 3, 1, 1]).add(fromArray([1, 0, 0], [1, 3, 1, 1]));
    const b = filtersBundle(w, { scale: 1, padding: 0 });
    expect(b["text/plain"]).toBe("<1 filters 1x1 RGB>");
    expect(pixel(png(b), 0, 0)).toEqual([255, 0, 0, 255]);
  });

  it("sends one image/png output through the kernel", () => {
    const k = fakeKernel();
    restore = k.restore;
    showFilters(zeros([4, 2, 3, 3]));
    expect(k.messages).toHaveLength(1);
    expect(Object.keys(k.messages[0].data)).toEqual(["image/png", "text/plain"]);
    expect(k.messages[0].data["text/plain"]).toBe("<4 filters 3x3 x 2 input channels (one row per filter)>");
  });

  it("names a weight of the wrong rank", () => {
    expect(() => filtersBundle(zeros([3, 3]))).toThrow("showFilters: expected a conv weight [out, in, kh, kw], got shape [3, 3]");
    expect(() => filtersBundle(zeros([2, 1, 3, 3]), { mode: "rgb" })).toThrow('mode "rgb" needs 3 input channels, got 1');
  });
});

describe("showImages", () => {
  it("lays a batch out nrow per row and captions each image with its label", () => {
    const batch = zeros([3, 1, 4, 4]);
    const b = imagesBundle(batch, { labels: ["cat", "dog", "<b>"], nrow: 2, scale: 2, padding: 1 });
    const p = png(b);
    expect([p.width, p.height]).toEqual([1 + 2 * (8 + 1), 1 + 2 * (8 + 1)]);
    expect(b["text/html"]).toContain("<figcaption");
    expect(b["text/html"]).toContain("&lt;b&gt;");
    expect((b["text/html"] as string).match(/<img /g)).toHaveLength(3);
  });

  it("reads flattened [N, 784]-style rows as square images", () => {
    const b = imagesBundle(zeros([2, 16]), { scale: 1, padding: 0, nrow: 2 });
    expect(b["text/plain"]).toBe("<2 images 4x4>");
    const p = png(b);
    expect([p.width, p.height]).toEqual([8, 4]);
  });

  it("names unsupported shapes and missing labels", () => {
    expect(() => imagesBundle(zeros([2, 5, 4, 4]))).toThrow("showImages: expected images [N,H,W], [N,1,H,W], [N,3,H,W], [H,W] or flattened [N,H*W], got shape [2, 5, 4, 4]");
    expect(() => imagesBundle(zeros([3, 4, 4]), { labels: [1] })).toThrow("showImages: 1 labels for 3 images");
    expect(tensor([1])).toBeDefined();
  });
});
