/**
 * Jobs of the pool backend: one piece of an op over a sub-range, described by plain data
 * (typed arrays over SharedArrayBuffers, shapes, strides) so the same description runs on the
 * calling thread or in a worker. Kernels are the reference backend's plus the WASM sgemm;
 * this file only re-wraps arrays as buffers and dispatches.
 */
import type { DataBuffer, MapOp, ReduceOp, View, Window2d } from "../backend.js";
import { CpuBuffer, denseData } from "../cpu/buffer.js";
import { runMap } from "../cpu/map.js";
import { runReduce } from "../cpu/reduce.js";
import * as conv from "../cpu/conv.js";
import type { DType, TypedArray } from "../../tensor/dtype.js";
import { matmulPart, type ArrView } from "./gemm.js";
import { mapWasm } from "./ew.js";
import { adamPart, type AdamScalars } from "./fused.js";
import { convBackwardPart, convForwardPart, maxPoolWasm, type ConvGeo, type Dense } from "./conv-fused.js";

/** One piece of work; every array is either shared with the caller or a private copy of an input. */
export type Job =
  | { kind: "map"; op: MapOp; out: ArrView; inputs: ArrView[]; param: number }
  | { kind: "reduce"; op: ReduceOp; out: TypedArray; x: ArrView; axes: number[] }
  | { kind: "matmul"; out: TypedArray; a: ArrView; b: ArrView; t0: number; t1: number; r0: number; r1: number; c0: number; c1: number; bias?: ArrView | null }
  | { kind: "im2col"; out: TypedArray; x: ArrView; win: Window2d }
  | { kind: "col2im"; out: TypedArray; cols: ArrView; shape: number[]; win: Window2d }
  | { kind: "maxPool2d"; out: TypedArray; indices: TypedArray; x: ArrView; win: Window2d }
  | { kind: "maxPool2dBackward"; out: TypedArray; grad: ArrView; indices: ArrView; shape: number[] }
  | { kind: "avgPool2d"; out: TypedArray; x: ArrView; win: Window2d }
  | { kind: "avgPool2dBackward"; out: TypedArray; grad: ArrView; shape: number[]; win: Window2d }
  | { kind: "adam"; p: Float32Array; g: Float32Array; m: Float32Array; v: Float32Array; s: AdamScalars }
  | { kind: "convForward"; y: Float32Array; x: Dense; wt: Dense; bias: Dense | null; geo: ConvGeo; n0: number; n1: number }
  | { kind: "convBackward"; gy: Dense; x: Dense; wt: Dense; geo: ConvGeo; n0: number; n1: number; gx: Float32Array | null; gw: Float32Array | null; gb: Float32Array | null }
  /** Test hook: fails inside whichever thread runs it. */
  | { kind: "fail"; message: string };

function dtypeOf(a: TypedArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  return "bool";
}

/** A typed array as a reference-backend buffer. */
export function asBuffer(a: TypedArray): DataBuffer {
  return new CpuBuffer(dtypeOf(a), a.length, a);
}

function asView(v: ArrView): View {
  return { buf: asBuffer(v.data), shape: v.shape, strides: v.strides, offset: v.offset };
}

/** Runs one job on the current thread. */
export function runJob(job: Job): void {
  switch (job.kind) {
    case "map":
      if (mapWasm(job.op, job.out, job.inputs)) return;
      return runMap(job.op, asView(job.out), job.inputs.map(asView), job.param);
    case "reduce":
      return runReduce(job.op, asBuffer(job.out), asView(job.x), job.axes);
    case "matmul":
      return matmulPart(job.out, job.a, job.b, job.t0, job.t1, job.r0, job.r1, job.c0, job.c1, job.bias ?? null);
    case "im2col":
      return conv.im2col(asBuffer(job.out), asView(job.x), job.win);
    case "col2im":
      return conv.col2im(asBuffer(job.out), asView(job.cols), job.shape, job.win);
    case "maxPool2d":
      if (job.out instanceof Float32Array && job.indices instanceof Int32Array && job.x.data instanceof Float32Array) {
        const d = denseData(asView(job.x));
        if (maxPoolWasm(job.out, job.indices, { data: d.data as Float32Array, offset: d.offset }, job.x.shape, job.win)) return;
      }
      return conv.maxPool2d(asBuffer(job.out), asBuffer(job.indices), asView(job.x), job.win);
    case "maxPool2dBackward":
      return conv.maxPool2dBackward(asBuffer(job.out), asView(job.grad), asView(job.indices), job.shape);
    case "avgPool2d":
      return conv.avgPool2d(asBuffer(job.out), asView(job.x), job.win);
    case "avgPool2dBackward":
      return conv.avgPool2dBackward(asBuffer(job.out), asView(job.grad), job.shape, job.win);
    case "adam":
      return adamPart(job.p, job.g, job.m, job.v, job.s);
    case "convForward":
      return convForwardPart(job.y, job.x, job.wt, job.bias, job.geo, job.n0, job.n1);
    case "convBackward":
      return convBackwardPart(job.gy, job.x, job.wt, job.geo, job.n0, job.n1, job.gx, job.gw, job.gb);
    case "fail":
      throw new Error(job.message);
    default:
      throw new Error(`pool: unknown job kind ${JSON.stringify((job as { kind: unknown }).kind)}`);
  }
}
