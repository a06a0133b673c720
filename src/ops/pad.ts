/**
 * Padding (PyTorch's `F.pad`): pairs of (before, after) amounts starting from the LAST dim, in
 * modes "constant" (negative amounts crop), "reflect", "replicate" and "circular". The
 * non-constant modes gather along each padded dim, so their gradients sum where indices repeat.
 */
import { Tensor, backendOf, tensorFromData } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { filled, record } from "./op.js";
import { slice } from "./movement.js";
import { indexSelect } from "./indexing.js";
import { checkOptions, isOptionsObject } from "./options.js";

/** A padding mode of `pad`. */
export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/** Options of pad (PyTorch's keyword arguments). */
export interface PadOptions {
  /** "constant" [default], "reflect", "replicate" or "circular". */
  mode?: PadMode;
  /** Fill value of "constant" mode [0]. */
  value?: number | null;
}

const MODES: readonly PadMode[] = ["constant", "reflect", "replicate", "circular"];

/**
 * Pads the last dims of `x`: `padding = [left, right, top, bottom, front, back]` (last dim
 * first, as PyTorch). The third argument is the mode (`pad(x, [1, 1], "reflect")`), the fill
 * value (`pad(x, [1, 1], -1)`) or options `{ mode, value }`.
 */
export function pad(x: Tensor, padding: readonly number[], modeOrValue: PadMode | number | PadOptions = "constant", value?: number | null): Tensor {
  let mode: unknown = "constant";
  let fill: number = value ?? 0;
  if (typeof modeOrValue === "number") fill = modeOrValue;
  else if (typeof modeOrValue === "string") mode = modeOrValue;
  else if (isOptionsObject(modeOrValue) || modeOrValue === undefined) {
    const o = checkOptions<PadOptions>("pad", modeOrValue, ["mode", "value"]);
    mode = o.mode ?? "constant";
    fill = o.value ?? fill;
  } else throw new Error(`pad: third argument must be a mode ("constant", "reflect", "replicate", "circular"), a fill value or { mode, value }, got ${typeof modeOrValue}`);
  if (!MODES.includes(mode as PadMode)) {
    throw new Error(`pad: option mode=${JSON.stringify(mode)} is not supported; accepted: ${MODES.map((m) => JSON.stringify(m)).join(", ")}`);
  }
  if (!Array.isArray(padding) || padding.length % 2 !== 0 || padding.length / 2 > x.ndim || !padding.every(Number.isInteger)) {
    throw new Error(`pad: padding length must be even and cover at most ${x.ndim} dims, got [${String(padding)}] for shape ${formatShape(x.shape)}`);
  }
  if (mode === "constant") return constantPad(x, padding, fill);
  if (fill !== 0) throw new Error(`pad: padding mode "${String(mode)}" doesn't take in value argument (got value ${fill})`);
  return indexPad(x, padding, mode as Exclude<PadMode, "constant">);
}

/** Padding by gathering: each padded dim takes its entries from a computed index. */
function indexPad(x: Tensor, padding: readonly number[], mode: "reflect" | "replicate" | "circular"): Tensor {
  let y = x;
  for (let i = 0; i < padding.length / 2; i++) {
    const d = x.ndim - 1 - i;
    const n = x.shape[d];
    const a = padding[2 * i];
    const b = padding[2 * i + 1];
    if (a === 0 && b === 0) continue;
    const len = n + a + b;
    if (len < 0) throw new Error(`pad: padding [${padding.join(",")}] makes dim ${d} of shape ${formatShape(x.shape)} negative`);
    if (mode === "reflect" && (a >= n || b >= n)) {
      throw new Error(`pad: padding size should be less than the corresponding input dimension in "reflect" mode, but got padding (${a}, ${b}) at dimension ${d} of input ${formatShape(x.shape)}`);
    }
    if (mode === "circular" && (a > n || b > n)) {
      throw new Error(`pad: padding value causes wrapping around more than once in "circular" mode: padding (${a}, ${b}) at dimension ${d} of input ${formatShape(x.shape)}`);
    }
    if (n === 0) throw new Error(`pad: cannot pad an empty dimension ${d} of ${formatShape(x.shape)} in "${mode}" mode`);
    const idx = new Int32Array(Math.max(len, 0));
    for (let j = 0; j < len; j++) {
      const k = j - a;
      idx[j] = mode === "replicate" ? Math.min(Math.max(k, 0), n - 1)
        : mode === "circular" ? ((k % n) + n) % n
        : k < 0 ? -k : k >= n ? 2 * (n - 1) - k : k;
    }
    y = indexSelect(y, d, tensorFromData(idx, [idx.length], "int32", x.device));
  }
  return y;
}

function constantPad(x: Tensor, padding: readonly number[], value: number): Tensor {
  const shape = x.shape.slice();
  const before = new Array<number>(x.ndim).fill(0);
  for (let i = 0; i < padding.length / 2; i++) {
    const d = x.ndim - 1 - i;
    before[d] = padding[2 * i];
    shape[d] += padding[2 * i] + padding[2 * i + 1];
    if (shape[d] < 0) throw new Error(`pad: padding [${padding.join(",")}] makes dim ${d} of shape ${formatShape(x.shape)} negative`);
  }
  const out = filled(shape, value, x.dtype, x.device);
  // Source and destination windows (negative padding crops the source).
  let src = x;
  let dst = out;
  for (let d = 0; d < x.ndim; d++) {
    const b = before[d];
    const after = shape[d] - x.shape[d] - b;
    src = slice(src, d, Math.max(0, -b), x.shape[d] - Math.max(0, -after));
    dst = slice(dst, d, Math.max(0, b), shape[d] - Math.max(0, after));
  }
  backendOf(out).map("copy", dst, [src]);
  return record(out, "ConstantPadNdBackward0", [x], (g) => {
    let gx = g;
    for (let d = 0; d < x.ndim; d++) {
      const b = before[d];
      gx = slice(gx, d, Math.max(0, b), shape[d] - Math.max(0, shape[d] - x.shape[d] - b));
    }
    return [constantPad(gx, padding.map((p) => Math.max(0, -p)), 0)];
  });
}
