/**
 * PyTorch's `torch.return_types`: the (values, indices) pair that max(dim), min(dim), sort and
 * topk return. It destructures like a tuple (`const [v, i] = x.max(1)`), indexes as r[0]/r[1]
 * and names its parts (`r.values`, `r.indices`). The ops that build it live elsewhere.
 */
import { Tensor, jupyterDisplay, inspectCustom, tensorFromData } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { argmax } from "./reduce.js";

/** A (values, indices) pair: `const [values, indices] = x.max(1)` or `x.max(1).values`. */
export class ValuesIndices {
  /** Always 2, as for PyTorch's named tuple. */
  readonly length = 2;
  constructor(
    /** The op that produced the pair ("max", "sort", …), shown in the repr. */
    readonly op: string,
    /** The selected values (differentiable). */
    readonly values: Tensor,
    /** Where the values came from along the reduced/sorted dim (integer dtype). */
    readonly indices: Tensor,
  ) {}

  /** `r[0]`, like the tuple. */
  get 0(): Tensor {
    return this.values;
  }

  /** `r[1]`, like the tuple. */
  get 1(): Tensor {
    return this.indices;
  }

  /** Makes `const [values, indices] = r` and `for (const t of r)` work. */
  *[Symbol.iterator](): IterableIterator<Tensor> {
    yield this.values;
    yield this.indices;
  }

  /** PyTorch-style repr: `return_types.max(values=tensor(…), indices=tensor(…))`. */
  toString(): string {
    return `return_types.${this.op}(\nvalues=${this.values.toString()},\nindices=${this.indices.toString()})`;
  }

  /** Jupyter display hook. */
  [jupyterDisplay](): Record<string, string> {
    return { "text/plain": this.toString() };
  }

  /** console.log / util.inspect text. */
  [inspectCustom](): string {
    return this.toString();
  }

  /** Refuses to become a number or string silently (`r + 1`, `r * 2`). */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === "string") return this.toString();
    throw new Error(`${this.op}: a (values, indices) result is not a number; write \`const [values, indices] = …\` or use .values`);
  }
}

/** True for the pair returned by max(dim), min(dim), sort and topk. */
export function isValuesIndices(v: unknown): v is ValuesIndices {
  return v instanceof ValuesIndices;
}

let cachedIndexDType: DType | null = null;

/**
 * The dtype of index results (sort, topk, max(dim) indices): whatever `argmax` returns, so
 * every index-returning op follows one rule.
 */
export function indexDType(): DType {
  return (cachedIndexDType ??= argmax(tensorFromData([0], [1], "float32", "cpu")).dtype);
}
