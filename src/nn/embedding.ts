/**
 * Embedding: a lookup table of `numEmbeddings` vectors of size `embeddingDim`, indexed by
 * int32 tensors of any shape (word embeddings, window classification).
 */
import type { Tensor } from "../tensor/tensor.js";
import { indexSelect } from "../ops/indexing.js";
import { detach, reshape, unsqueeze } from "../ops/movement.js";
import { eq, where } from "../ops/elementwise.js";
import { asIndex } from "../ops/op.js";
import { formatShape } from "../tensor/shape.js";
import { Module } from "./module.js";
import { normal } from "./init.js";
import { checkPositiveInt, layerArgs, newParameter } from "./layer-util.js";
import { DEVICE_DTYPE } from "./linear.js";

/** Every argument of Embedding by name (PyTorch's camelCase keywords). */
export interface EmbeddingArgs {
  numEmbeddings: number;
  embeddingDim: number;
  /** This row starts at zero and gets no gradient [none]. */
  paddingIdx?: number | null;
}

const UNSUPPORTED = {
  ...DEVICE_DTYPE,
  maxNorm: "renormalise the weight yourself under noGrad",
  normType: "renormalise the weight yourself under noGrad",
  scaleGradByFreq: "not implemented in gradnote",
  sparse: "gradients are always dense in gradnote",
  _weight: "copy weights in with embedding.weight.copy_(w) under noGrad",
};
import { copyInto, valuesOf } from "./tensor-util.js";

/**
 * Maps indices [*] to vectors [*, embeddingDim]; weights start as N(0, 1) like PyTorch.
 * With `paddingIdx`, that row starts at zero and receives no gradient.
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Tensor;

  constructor(args: EmbeddingArgs);
  constructor(numEmbeddings: number, embeddingDim: number, options?: { paddingIdx?: number | null });
  constructor(...args: unknown[]) {
    super();
    const { numEmbeddings, embeddingDim, paddingIdx } = layerArgs<EmbeddingArgs>("Embedding", args, ["numEmbeddings", "embeddingDim", "paddingIdx"], 2, UNSUPPORTED);
    checkPositiveInt("Embedding", "numEmbeddings", numEmbeddings);
    checkPositiveInt("Embedding", "embeddingDim", embeddingDim);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let pad = paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) {
        throw new Error(`Embedding: paddingIdx ${pad} must be within numEmbeddings (${numEmbeddings})`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.weight = normal(newParameter([numEmbeddings, embeddingDim]));
    if (pad !== null) {
      const w = Float32Array.from(valuesOf(this.weight));
      w.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim);
      copyInto(this.weight, w);
    }
  }

  override forward(indices: Tensor): Tensor {
    indices = asIndex("Embedding", indices, "input");
    const flat = reshape(indices, [indices.numel()]);
    const v = valuesOf(flat);
    for (let i = 0; i < v.length; i++) {
      if (v[i] < 0 || v[i] >= this.numEmbeddings) {
        throw new Error(`Embedding: index ${v[i]} is out of range for ${this.numEmbeddings} embeddings (input shape ${formatShape(indices.shape)})`);
      }
    }
    let rows = indexSelect(this.weight, 0, flat);
    // As PyTorch's embedding_backward: positions holding paddingIdx send no gradient to that
    // row. Done in the graph rather than by a hook on the weight, which .to()/.double() would drop.
    if (this.paddingIdx !== null) rows = where(unsqueeze(eq(flat, this.paddingIdx), 1), detach(rows), rows);
    return reshape(rows, [...indices.shape, this.embeddingDim]);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ""}`;
  }
}
