/**
 * Reduction kernels of the cpu backend (sum, prod, max, min, argmax, argmin over any axes).
 * The loop is generated per op like the elementwise kernels; means and variances are
 * composed from these in src/ops/reduce.ts.
 */
import type { DataBuffer, ReduceOp, View } from "../backend.js";
import { coalesce, cpuData, typeCode, viewData } from "./buffer.js";
import type { TypedArray } from "../../tensor/dtype.js";

const TEMPLATES: Record<ReduceOp, { init: string; step: string; result: string }> = {
  sum: { init: "let acc = 0;", step: "acc += v;", result: "acc" },
  prod: { init: "let acc = 1;", step: "acc *= v;", result: "acc" },
  max: { init: "let acc = -Infinity;", step: "if (v > acc || v !== v) acc = v;", result: "acc" },
  min: { init: "let acc = Infinity;", step: "if (v < acc || v !== v) acc = v;", result: "acc" },
  argmax: { init: "let acc = -Infinity, at = 0;", step: "if (v > acc || (v !== v && acc === acc)) { acc = v; at = k; }", result: "at" },
  argmin: { init: "let acc = Infinity, at = 0;", step: "if (v < acc || (v !== v && acc === acc)) { acc = v; at = k; }", result: "at" },
};

type Kernel = (out: TypedArray, X: TypedArray, xOff: number, oShape: number[], oStr: number[], iShape: number[], iStr: number[]) => void;
const cache = new Map<string, Kernel>();
/** Kernels by op, then by the (out, x) array type codes (out · 8 + x). */
const byCode = new Map<ReduceOp, Kernel[]>();

function build(op: ReduceOp): Kernel {
  const t = TEMPLATES[op];
  const body = `
const on = oShape.length, inn = iShape.length;
let outer = 1; for (let d = 0; d < on; d++) outer *= oShape[d];
let innerRows = 1; for (let d = 0; d < inn - 1; d++) innerRows *= iShape[d];
const n = inn ? iShape[inn - 1] : 1, s = inn ? iStr[inn - 1] : 0;
const oi = new Array(on).fill(0), ii = new Array(inn).fill(0);
let base = xOff;
for (let o = 0; o < outer; o++) {
  ${t.init}
  let k = 0, rb = base;
  for (let r = 0; r < innerRows; r++) {
    let x = rb;
    for (let j = 0; j < n; j++, k++) { const v = X[x]; ${t.step} x += s; }
    for (let d = inn - 2; d >= 0; d--) { ii[d]++; rb += iStr[d]; if (ii[d] < iShape[d]) break; rb -= iStr[d] * iShape[d]; ii[d] = 0; }
  }
  out[o] = ${t.result};
  for (let d = on - 1; d >= 0; d--) { oi[d]++; base += oStr[d]; if (oi[d] < oShape[d]) break; base -= oStr[d] * oShape[d]; oi[d] = 0; }
}`;
  return new Function("out", "X", "xOff", "oShape", "oStr", "iShape", "iStr", body) as Kernel;
}

/** Reduces `x` over `axes` into contiguous `out` (kept dims in order). */
export function runReduce(op: ReduceOp, out: DataBuffer, x: View, axes: readonly number[]): void {
  const outData = cpuData(out);
  const xData = viewData(x);
  // Per array-type kernels keep element access monomorphic (see map.ts).
  const oc = typeCode(outData), xc = typeCode(xData);
  let kernel: Kernel | undefined;
  if (oc !== 0 && xc !== 0) {
    let table = byCode.get(op);
    if (!table) byCode.set(op, (table = []));
    kernel = table[oc * 8 + xc] ??= build(op);
  } else {
    const key = `${op}/${outData.constructor.name}/${xData.constructor.name}`;
    kernel = cache.get(key);
    if (!kernel) {
      kernel = build(op);
      cache.set(key, kernel);
    }
  }
  const keptShape: number[] = [];
  const keptStr: number[] = [];
  const redShape: number[] = [];
  const redStr: number[] = [];
  for (let d = 0; d < x.shape.length; d++) {
    if (axes.includes(d)) {
      redShape.push(x.shape[d]);
      redStr.push(x.strides[d]);
    } else {
      keptShape.push(x.shape[d]);
      keptStr.push(x.strides[d]);
    }
  }
  const kept = coalesce(keptShape, [keptStr]);
  const red = coalesce(redShape, [redStr]);
  kernel(outData, xData, x.offset, kept.shape, kept.strides[0], red.shape, red.strides[0]);
}
