/**
 * Tensors as pictures: `showImages` for batches (digits, photos) and `showFilters` for the
 * learned kernels of a conv layer, as crisp (nearest-neighbour) `image/png` grids.
 * PNG bytes come from png.ts; colours from color.ts.
 */
import { Tensor } from "../tensor/tensor.js";
import { colorAt, type ColorScale } from "./color.js";
import { displayBundle, type DisplayHandle, type MimeBundle } from "./kernel-hook.js";
import { pngBase64, type RgbaImage } from "./png.js";
import { escapeHtml, finiteRange, readTensor, toNumbers } from "./values.js";

/** One picture: `channels` planes (1 = grey/colormap, 3 = RGB) of h*w values, row-major. */
export interface Picture {
  channels: 1 | 3;
  height: number;
  width: number;
  values: Float64Array;
}

/** Options of image grids. */
export interface GridOptions {
  /** Pictures per row (default: about square). */
  nrow?: number;
  /** Integer upscaling factor (default: each picture at least ~56 px, nearest neighbour). */
  scale?: number;
  /** "each" picture min-max scaled on its own, "all" together, or "none" (values already in [0, 1]). */
  normalize?: "each" | "all" | "none";
  /** Colour map for one-channel pictures (default grey). */
  colormap?: "grey" | ColorScale;
  /** Pixels between pictures (default 2). */
  padding?: number;
}

/** Normalises value ranges to [0, 1] as asked. */
function normalized(pics: Picture[], mode: "each" | "all" | "none"): Picture[] {
  if (mode === "none") return pics;
  const ranges = mode === "all" ? pics.map(() => finiteRange(pics.flatMap((p) => Array.from(p.values)))) : pics.map((p) => finiteRange(p.values));
  return pics.map((p, i) => {
    const [lo, hi] = ranges[i];
    return { ...p, values: p.values.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5)) };
  });
}

/** Lays pictures out in a grid and paints it (gaps in dark grey). */
export function imageGrid(pics: Picture[], opts: GridOptions = {}): RgbaImage {
  if (pics.length === 0) throw new Error("imageGrid: no pictures to show");
  const h = Math.max(...pics.map((p) => p.height)), w = Math.max(...pics.map((p) => p.width));
  const scale = opts.scale ?? Math.min(16, Math.max(1, Math.ceil(56 / Math.max(h, w))));
  if (!(Number.isInteger(scale) && scale >= 1)) throw new Error(`imageGrid: scale must be an integer >= 1, got ${scale}`);
  const ncol = Math.max(1, Math.min(pics.length, opts.nrow ?? Math.ceil(Math.sqrt(pics.length))));
  const nrows = Math.ceil(pics.length / ncol);
  const pad = opts.padding ?? 2;
  const cw = w * scale, ch = h * scale;
  const width = ncol * (cw + pad) + pad, height = nrows * (ch + pad) + pad;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([40, 40, 40, 255], i);
  const cmap = opts.colormap ?? "grey";
  pics.forEach((p, k) => {
    const ox = pad + (k % ncol) * (cw + pad), oy = pad + Math.floor(k / ncol) * (ch + pad);
    const plane = p.height * p.width;
    for (let y = 0; y < p.height * scale; y++) {
      for (let x = 0; x < p.width * scale; x++) {
        const s = Math.floor(y / scale) * p.width + Math.floor(x / scale);
        let rgb: [number, number, number];
        if (p.channels === 3) rgb = [0, 1, 2].map((c) => Math.round(255 * Math.min(1, Math.max(0, p.values[c * plane + s] || 0)))) as [number, number, number];
        else if (cmap === "grey") {
          const g = Math.round(255 * Math.min(1, Math.max(0, p.values[s] || 0)));
          rgb = [g, g, g];
        } else rgb = colorAt(cmap, p.values[s]);
        data.set([...rgb, 255], ((oy + y) * width + ox + x) * 4);
      }
    }
  });
  return { width, height, data };
}

/** Pictures from a tensor: [H,W], [N,H,W], [N,1,H,W], [N,3,H,W], or [N,D] with D a square (e.g. 784). */
export function picturesOf(t: Tensor, what = "showImages"): Picture[] {
  const { shape, data } = readTensor(t);
  let n: number, c: number, h: number, w: number;
  // [N, D] with D a square >= 16 other than N is a batch of flattened images (MNIST rows);
  // any other 2-D tensor is one image (pass [1, H, W] to be explicit).
  if (shape.length === 2 && shape[1] >= 16 && shape[1] !== shape[0] && Number.isInteger(Math.sqrt(shape[1]))) {
    [n, c, h, w] = [shape[0], 1, Math.sqrt(shape[1]), Math.sqrt(shape[1])];
  } else if (shape.length === 2) [n, c, h, w] = [1, 1, shape[0], shape[1]];
  else if (shape.length === 3) [n, c, h, w] = [shape[0], 1, shape[1], shape[2]];
  else if (shape.length === 4 && (shape[1] === 1 || shape[1] === 3)) [n, c, h, w] = shape as [number, number, number, number];
  else throw new Error(`${what}: expected images [N,H,W], [N,1,H,W], [N,3,H,W], [H,W] or flattened [N,H*W], got shape [${shape.join(", ")}]`);
  const size = c * h * w;
  return Array.from({ length: n }, (_, i) => ({ channels: c as 1 | 3, height: h, width: w, values: data.slice(i * size, (i + 1) * size) }));
}

/** Options of showImages(). */
export interface ShowImagesOptions extends GridOptions {
  /** A caption per image (class names or indices), shown under each picture. */
  labels?: (string | number)[] | Tensor;
  /** At most this many images (default 64). */
  max?: number;
}

/** The MIME bundle of an image batch: a PNG grid, plus captioned HTML when labels are given. */
export function imagesBundle(images: Tensor, opts: ShowImagesOptions = {}): MimeBundle {
  const pics = picturesOf(images).slice(0, opts.max ?? 64);
  const norm = normalized(pics, opts.normalize ?? "all");
  const grid = pngBase64(imageGrid(norm, opts));
  const p = pics[0];
  const text = `<${pics.length} image${pics.length === 1 ? "" : "s"} ${p.width}x${p.height}${p.channels === 3 ? " RGB" : ""}>`;
  if (!opts.labels) return { "image/png": grid, "text/plain": text };
  const labels = opts.labels instanceof Tensor ? toNumbers(opts.labels.flatten(), "showImages labels") : opts.labels;
  if (labels.length < pics.length) throw new Error(`showImages: ${labels.length} labels for ${pics.length} images`);
  const ncol = Math.max(1, Math.min(pics.length, opts.nrow ?? Math.ceil(Math.sqrt(pics.length))));
  const cells = norm.map((pic, i) => {
    const src = pngBase64(imageGrid([pic], { ...opts, nrow: 1, padding: 0 }));
    return `<figure style="margin:2px;text-align:center"><img src="data:image/png;base64,${src}" style="image-rendering:pixelated"/><figcaption style="font:12px sans-serif">${escapeHtml(String(labels[i]))}</figcaption></figure>`;
  });
  const html = `<div class="gradnote-images" style="display:grid;grid-template-columns:repeat(${ncol},max-content);gap:4px">${cells.join("")}</div>`;
  return { "text/html": html, "image/png": grid, "text/plain": `${text} labels: ${labels.slice(0, pics.length).join(", ")}` };
}

/** Shows a batch of images as a grid, e.g. `showImages(x.slice(0, 0, 16), { labels: y })`. */
export function showImages(images: Tensor, opts: ShowImagesOptions = {}): DisplayHandle {
  return displayBundle(imagesBundle(images, opts));
}

/** Options of showFilters(). */
export interface ShowFiltersOptions extends GridOptions {
  /** "rgb": one colour picture per filter (needs 3 input channels); "channels": one picture per (filter, input channel). */
  mode?: "rgb" | "channels";
}

/** The MIME bundle of a conv weight's kernels ([out, in, kh, kw]) as a normalised PNG grid. */
export function filtersBundle(weight: Tensor, opts: ShowFiltersOptions = {}): MimeBundle {
  const { shape, data } = readTensor(weight);
  if (shape.length !== 4) throw new Error(`showFilters: expected a conv weight [out, in, kh, kw], got shape [${shape.join(", ")}]`);
  const [out, inC, kh, kw] = shape;
  const mode = opts.mode ?? (inC === 3 ? "rgb" : "channels");
  if (mode === "rgb" && inC !== 3) throw new Error(`showFilters: mode "rgb" needs 3 input channels, got ${inC} (shape [${shape.join(", ")}])`);
  const plane = kh * kw;
  const pics: Picture[] =
    mode === "rgb"
      ? Array.from({ length: out }, (_, o) => ({ channels: 3, height: kh, width: kw, values: data.slice(o * 3 * plane, (o + 1) * 3 * plane) }))
      : Array.from({ length: out * inC }, (_, k) => ({ channels: 1, height: kh, width: kw, values: data.slice(k * plane, (k + 1) * plane) }));
  // Each filter is scaled on its own so weak and strong filters are both visible.
  const norm = normalized(pics, opts.normalize ?? "each");
  const nrow = opts.nrow ?? (mode === "channels" && inC > 1 ? inC : Math.min(8, Math.ceil(Math.sqrt(out))));
  const img = imageGrid(norm, { ...opts, nrow });
  return {
    "image/png": pngBase64(img),
    "text/plain": `<${out} filters ${kh}x${kw}${mode === "rgb" ? " RGB" : inC > 1 ? ` x ${inC} input channels (one row per filter)` : ""}>`,
  };
}

/** Shows a conv layer's kernels (`showFilters(conv.weight)`) as a normalised, upscaled grid. */
export function showFilters(weight: Tensor, opts: ShowFiltersOptions = {}): DisplayHandle {
  return displayBundle(filtersBundle(weight, opts));
}
