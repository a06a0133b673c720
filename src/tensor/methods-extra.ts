/**
 * Tensor methods added for PyTorch parity: sort/argsort/topk, cumsum/cumprod, norm, amax/amin,
 * the `T` / `mT` transpose getters and `tolist()`. Each forwards to src/ops/; the interface
 * block gives them types and TSDoc. Installed from methods.ts.
 */
import type { Tensor } from "./tensor.js";
import { formatShape } from "./shape.js";
import * as srt from "../ops/sort.js";
import * as scn from "../ops/scan.js";
import * as nrm from "../ops/norm.js";
import * as api from "../ops/reduce-api.js";
import { permute, transpose } from "../ops/movement.js";
import type { Dims } from "../ops/reduce.js";
import type { ValuesIndices } from "../ops/return-types.js";

declare module "./tensor.js" {
  interface Tensor {
    /** Sorted values and their indices along `dim` (default -1): `const [v, i] = x.sort({ descending: true })`. */
    sort(options?: srt.SortOptions): ValuesIndices;
    sort(dim?: number, descending?: boolean | srt.SortOptions, options?: srt.SortOptions): ValuesIndices;
    /** Indices that sort along `dim` (default -1). */
    argsort(options?: srt.SortOptions): Tensor;
    argsort(dim?: number, descending?: boolean | srt.SortOptions, options?: srt.SortOptions): Tensor;
    /** The k largest (or smallest with `largest: false`) along `dim` and their indices. */
    topk(k: number, options?: srt.TopkOptions): ValuesIndices;
    topk(k: number, dim?: number, largest?: boolean, sorted?: boolean | srt.TopkOptions, options?: srt.TopkOptions): ValuesIndices;
    /** Running sum along `dim`. */
    cumsum(dim: number, options?: scn.ScanOptions): Tensor;
    cumsum(options: scn.ScanOptions): Tensor;
    /** Running product along `dim`. */
    cumprod(dim: number, options?: scn.ScanOptions): Tensor;
    cumprod(options: scn.ScanOptions): Tensor;
    /** p-norm over `dim` (all elements when omitted; default p "fro" = 2). */
    norm(options?: nrm.NormOptions): Tensor;
    norm(p?: nrm.NormOrder | null, dim?: Dims | nrm.NormOptions, keepdim?: boolean | nrm.NormOptions, options?: nrm.NormOptions): Tensor;
    /** Maximum over `dim` (all dims when omitted), ties sharing the gradient. */
    amax(options?: api.ReduceOptions): Tensor;
    amax(dim: Dims, keepdim?: boolean | api.ReduceOptions): Tensor;
    /** Minimum over `dim` (all dims when omitted). */
    amin(options?: api.ReduceOptions): Tensor;
    amin(dim: Dims, keepdim?: boolean | api.ReduceOptions): Tensor;
    /** All dims reversed (for a matrix, the transpose); 0-D and 1-D tensors come back unchanged. */
    readonly T: Tensor;
    /** The last two dims swapped (a batch of matrices transposed). */
    readonly mT: Tensor;
    /** The elements as nested arrays (a number for 0-D), like PyTorch's `tolist()`. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    tolist(): any;
  }
}

/** Attaches the extra methods and getters to the Tensor prototype. */
export function installExtraMethods(proto: Tensor): void {
  proto.sort = function (...args: unknown[]) { return srt.sortOf(this, args); };
  proto.argsort = function (...args: unknown[]) { return srt.argsortOf(this, args); };
  proto.topk = function (k: number, ...args: unknown[]) { return srt.topkOf(this, k, args); };
  proto.cumsum = function (...args: unknown[]) { return scn.cumsumOf(this, args); };
  proto.cumprod = function (...args: unknown[]) { return scn.cumprodOf(this, args); };
  proto.norm = function (...args: unknown[]) { return nrm.normOf(this, args); };
  proto.amax = function (...args: unknown[]) { return api.amaxOf(this, args); };
  proto.amin = function (...args: unknown[]) { return api.aminOf(this, args); };
  proto.tolist = function () { return this.toArray(); };
  Object.defineProperty(proto, "T", {
    configurable: true,
    get(this: Tensor): Tensor {
      return this.ndim < 2 ? this : this.ndim === 2 ? transpose(this, 0, 1) : permute(this, this.shape.map((_, i) => this.ndim - 1 - i));
    },
  });
  Object.defineProperty(proto, "mT", {
    configurable: true,
    get(this: Tensor): Tensor {
      if (this.ndim < 2) throw new Error(`mT: only supported on matrices or batches of matrices, got a ${this.ndim}-D tensor (shape ${formatShape(this.shape)})`);
      return transpose(this, -2, -1);
    },
  });
}
