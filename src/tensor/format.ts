/**
 * PyTorch-style text of a tensor (`tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)`),
 * following torch/_tensor_str.py: precision 4, line width 80, summarising above 1000 elements.
 * Pure string work on already-read data; reading from the backend is the caller's job.
 */
import type { DType, TypedArray } from "./dtype.js";
import { isFloating } from "./dtype.js";
import { sizeOf } from "./shape.js";

const PRECISION = 4;
const LINEWIDTH = 80;
const THRESHOLD = 1000;
const EDGEITEMS = 3;

function expForm(v: number): string {
  const s = v.toExponential(PRECISION);
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

function special(v: number): string | null {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return null;
}

/** Chooses one number format for all shown elements, as PyTorch's _Formatter does. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  width = 1;
  constructor(private readonly dtype: DType, values: number[]) {
    if (dtype === "bool") {
      this.width = values.some((v) => !v) ? 5 : 4;
      return;
    }
    if (!isFloating(dtype)) {
      for (const v of values) this.width = Math.max(this.width, String(v).length);
      return;
    }
    const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) {
      for (const v of values) this.width = Math.max(this.width, this.format(v).length);
      return;
    }
    const abs = finite.map(Math.abs);
    const min = Math.min(...abs), max = Math.max(...abs);
    this.intMode = finite.every((v) => v === Math.ceil(v));
    if (this.intMode) {
      this.sciMode = max / min > 1000 || max > 1e8;
    } else {
      this.sciMode = max / min > 1000 || max > 1e8 || min < 1e-4;
    }
    // Like PyTorch, only finite non-zero values set the width (nan/inf may stick out).
    for (const v of finite) this.width = Math.max(this.width, this.format(v).length);
  }

  format(v: number): string {
    let s: string;
    if (this.dtype === "bool") s = v ? "True" : "False";
    else if (!isFloating(this.dtype)) s = String(v);
    else s = special(v) ?? (this.sciMode ? expForm(v) : this.intMode ? `${v.toFixed(0)}.` : v.toFixed(PRECISION));
    if (s === "-0." || s === "-0.0000") s = s.slice(1);
    return s.padStart(this.width);
  }
}

interface Block {
  shape: number[];
  start: number;
}

/** The elements shown (all, or edge items when summarising), for choosing the format. */
function shownValues(flat: TypedArray, shape: number[], summarize: boolean): number[] {
  const out: number[] = [];
  const walk = (dim: number, start: number): void => {
    if (dim === shape.length) {
      out.push(flat[start]);
      return;
    }
    const step = sizeOf(shape.slice(dim + 1));
    const n = shape[dim];
    for (let i = 0; i < n; i++) {
      if (summarize && n > 2 * EDGEITEMS && i === EDGEITEMS) i = n - EDGEITEMS;
      walk(dim + 1, start + i * step);
    }
  };
  walk(0, 0);
  return out;
}

function vectorStr(flat: TypedArray, b: Block, indent: number, summarize: boolean, f: Formatter): string {
  const n = b.shape[0];
  const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (f.width + 2)));
  const data: string[] = [];
  for (let i = 0; i < n; i++) {
    if (summarize && n > 2 * EDGEITEMS && i === EDGEITEMS) {
      data.push(" ...");
      i = n - EDGEITEMS;
    }
    data.push(f.format(flat[b.start + i]));
  }
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(", "));
  return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
}

function blockStr(flat: TypedArray, b: Block, indent: number, summarize: boolean, f: Formatter): string {
  const dim = b.shape.length;
  if (dim === 1) return vectorStr(flat, b, indent, summarize, f);
  const step = sizeOf(b.shape.slice(1));
  const n = b.shape[0];
  const slices: string[] = [];
  for (let i = 0; i < n; i++) {
    if (summarize && n > 2 * EDGEITEMS && i === EDGEITEMS) {
      slices.push("...");
      i = n - EDGEITEMS;
    }
    slices.push(blockStr(flat, { shape: b.shape.slice(1), start: b.start + i * step }, indent + 1, summarize, f));
  }
  return "[" + slices.join("," + "\n".repeat(dim - 1) + " ".repeat(indent + 1)) + "]";
}

/** Formats row-major `flat` data of `shape` like PyTorch's `repr(tensor)`. */
export function formatTensor(flat: TypedArray, shape: readonly number[], dtype: DType, gradFn: string | null, requiresGrad: boolean): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const size = sizeOf(shape);
  const suffixes: string[] = [];
  let body: string;
  if (size === 0) {
    body = "[]";
    if (shape.length !== 1) suffixes.push(`size=(${shape.join(", ")}${shape.length === 1 ? "," : ""})`);
  } else {
    const summarize = size > THRESHOLD;
    const f = new Formatter(dtype, shownValues(flat, shape.slice(), summarize));
    body = shape.length === 0 ? f.format(flat[0]).trim() : blockStr(flat, { shape: shape.slice(), start: 0 }, indent, summarize, f);
  }
  if (dtype !== "float32" && dtype !== "bool") suffixes.push(`dtype=${dtype}`);
  if (gradFn) suffixes.push(`grad_fn=<${gradFn}>`);
  else if (requiresGrad) suffixes.push("requires_grad=True");
  let out = prefix + body;
  let lastLine = out.length - out.lastIndexOf("\n") + 1;
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > LINEWIDTH) {
      out += ",\n" + " ".repeat(indent) + s;
      lastLine = indent + s.length;
    } else {
      out += ", " + s;
      lastLine += s.length + 2;
    }
  }
  return out + ")";
}
