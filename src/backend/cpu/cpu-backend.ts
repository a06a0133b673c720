/**
 * The plain cpu backend: typed arrays on the main thread, float32/float64/int32/bool.
 * It is the reference every faster backend is tested against, so it favours clarity over speed.
 */
import type { Backend, DataBuffer, MapOp, ReduceOp, View, Window2d } from "../backend.js";
import { CpuBuffer, cpuData } from "./buffer.js";
import { runMap } from "./map.js";
import { runReduce } from "./reduce.js";
import { runMatmul } from "./matmul.js";
import * as conv from "./conv.js";
import * as idx from "./gather.js";
import type { DType, TypedArray } from "../../tensor/dtype.js";

/** Creates the cpu reference backend (under another `name` for tests and wrappers). */
export function createCpuBackend(name = "cpu"): Backend {
  return {
    name,
    gcManaged: true,
    onDevice: false,
    dtypes: ["float32", "float64", "int32", "int64", "bool"],
    alloc: (dtype: DType, size: number): DataBuffer => new CpuBuffer(dtype, size, undefined, name),
    free: (): void => {
      // Typed arrays are reclaimed by the garbage collector.
    },
    write(buf: DataBuffer, data: ArrayLike<number>, offset = 0): void {
      cpuData(buf).set(data, offset);
    },
    readSync: (buf: DataBuffer): TypedArray => cpuData(buf),
    read: (buf: DataBuffer): Promise<TypedArray> => Promise.resolve(cpuData(buf)),
    map: (op: MapOp, out: View, inputs: readonly View[], param?: number): void => runMap(op, out, inputs, param),
    reduce: (op: ReduceOp, out: DataBuffer, x: View, axes: readonly number[]): void => runReduce(op, out, x, axes),
    matmul: runMatmul,
    im2col: conv.im2col,
    col2im: conv.col2im,
    maxPool2d: conv.maxPool2d,
    maxPool2dBackward: conv.maxPool2dBackward,
    avgPool2d: conv.avgPool2d,
    avgPool2dBackward: (out: DataBuffer, grad: View, shape: readonly number[], win: Window2d) => conv.avgPool2dBackward(out, grad, shape, win),
    adaptiveAvgPool2d: conv.adaptiveAvgPool2d,
    adaptiveAvgPool2dBackward: conv.adaptiveAvgPool2dBackward,
    gather: idx.gather,
    scatterAdd: idx.scatterAdd,
    indexSelect: idx.indexSelect,
    indexAdd: idx.indexAdd,
  };
}
