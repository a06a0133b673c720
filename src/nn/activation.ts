/**
 * Activation modules (ReLU, Tanh, Sigmoid, LeakyReLU, ELU, GELU, Softplus, Softmax,
 * LogSoftmax, Step) and Dropout: thin wrappers over the functional forms in nn.functional.
 */
import type { Tensor } from "../tensor/tensor.js";
import * as F from "../functional/index.js";
import { Module } from "./module.js";
import { layerArgs } from "./layer-util.js";
import { checkChoice } from "../functional/choice.js";

/** PyTorch's `inplace=True` has no gradnote equivalent: layers return new tensors. */
function noInplace(layer: string, inplace: unknown): void {
  if (inplace !== undefined && inplace !== false) {
    throw new Error(`${layer}: option inplace=${String(inplace)} is not supported (gradnote layers return a new tensor); leave it out`);
  }
}
import type { LinearActivation } from "../backend/backend.js";
import { computesActivation, knownActivation, type FusableActivation } from "./fusion.js";

/** max(0, x). */
export class ReLU extends Module implements FusableActivation {
  constructor(...args: [inplace?: boolean] | [{ inplace?: boolean }]) {
    super();
    noInplace("ReLU", layerArgs<{ inplace?: boolean }>("ReLU", args, ["inplace"], 0).inplace);
  }
  override forward(x: Tensor): Tensor {
    return F.relu(x);
  }
  /** "relu" while forward is ReLU's own (Sequential may fold it into the Linear before it). */
  get fusableActivation(): LinearActivation | null {
    return knownActivation(this);
  }
}
computesActivation(ReLU.prototype.forward, "relu");

/** tanh(x). */
export class Tanh extends Module implements FusableActivation {
  override forward(x: Tensor): Tensor {
    return F.tanh(x);
  }
  /** "tanh" while forward is Tanh's own (Sequential may fold it into the Linear before it). */
  get fusableActivation(): LinearActivation | null {
    return knownActivation(this);
  }
}
computesActivation(Tanh.prototype.forward, "tanh");

/** 1 / (1 + e^(−x)). */
export class Sigmoid extends Module implements FusableActivation {
  override forward(x: Tensor): Tensor {
    return F.sigmoid(x);
  }
  /** "sigmoid" while forward is Sigmoid's own (Sequential may fold it into the Linear before it). */
  get fusableActivation(): LinearActivation | null {
    return knownActivation(this);
  }
}
computesActivation(Sigmoid.prototype.forward, "sigmoid");

/** x for x ≥ 0, negativeSlope·x otherwise (slope 0.01); `new nn.LeakyReLU(0.2)` or `({ negativeSlope: 0.2 })`. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(...args: [negativeSlope?: number, inplace?: boolean] | [{ negativeSlope?: number; inplace?: boolean }]) {
    super();
    const a = layerArgs<{ negativeSlope?: number; inplace?: boolean }>("LeakyReLU", args, ["negativeSlope", "inplace"], 0);
    noInplace("LeakyReLU", a.inplace);
    this.negativeSlope = a.negativeSlope ?? 0.01;
  }
  override forward(x: Tensor): Tensor {
    return F.leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** x for x > 0, alpha·(eˣ − 1) otherwise (alpha 1). */
export class ELU extends Module {
  readonly alpha: number;
  constructor(...args: [alpha?: number, inplace?: boolean] | [{ alpha?: number; inplace?: boolean }]) {
    super();
    const a = layerArgs<{ alpha?: number; inplace?: boolean }>("ELU", args, ["alpha", "inplace"], 0);
    noInplace("ELU", a.inplace);
    this.alpha = a.alpha ?? 1.0;
  }
  override forward(x: Tensor): Tensor {
    return F.elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** x·Φ(x) (exact, with erf), or the tanh approximation with `approximate: "tanh"`. */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";
  constructor(...args: [approximate?: "none" | "tanh"] | [{ approximate?: "none" | "tanh" }]) {
    super();
    const a = layerArgs<{ approximate?: "none" | "tanh" }>("GELU", args, ["approximate"], 0);
    this.approximate = checkChoice("GELU", "approximate", a.approximate ?? "none", ["none", "tanh"] as const);
  }
  override forward(x: Tensor): Tensor {
    return F.gelu(x, this.approximate);
  }
  override extraRepr(): string {
    return this.approximate === "none" ? "" : `approximate=${this.approximate}`;
  }
}

/** (1/β)·log(1 + e^(βx)), linear above `threshold` (β 1, threshold 20). */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(...args: [beta?: number, threshold?: number] | [{ beta?: number; threshold?: number }]) {
    super();
    const a = layerArgs<{ beta?: number; threshold?: number }>("Softplus", args, ["beta", "threshold"], 0);
    this.beta = a.beta ?? 1;
    this.threshold = a.threshold ?? 20;
  }
  override forward(x: Tensor): Tensor {
    return F.softplus(x, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** Softmax along `dim` (PyTorch requires the dim; so does this). */
export class Softmax extends Module {
  readonly dim: number;
  constructor(...args: [dim: number] | [{ dim: number }]) {
    super();
    const { dim } = layerArgs<{ dim: number }>("Softmax", args, ["dim"], 1);
    if (!Number.isInteger(dim)) throw new Error(`Softmax: dim must be an integer, got ${dim}`);
    this.dim = dim;
  }
  override forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log(softmax(x)) along `dim`, computed stably. */
export class LogSoftmax extends Module {
  readonly dim: number;
  constructor(...args: [dim: number] | [{ dim: number }]) {
    super();
    const { dim } = layerArgs<{ dim: number }>("LogSoftmax", args, ["dim"], 1);
    if (!Number.isInteger(dim)) throw new Error(`LogSoftmax: dim must be an integer, got ${dim}`);
    this.dim = dim;
  }
  override forward(x: Tensor): Tensor {
    return F.logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Heaviside step: 1 for x ≥ 0, else 0 (the perceptron's activation; no gradient flows). */
export class Step extends Module {
  override forward(x: Tensor): Tensor {
    return F.step(x);
  }
}

/** Zeroes each element with probability p in training mode, scaling the rest by 1/(1−p): `new nn.Dropout(0.2)` or `({ p: 0.2 })`. */
export class Dropout extends Module {
  readonly p: number;
  constructor(...args: [p?: number, inplace?: boolean] | [{ p?: number; inplace?: boolean }]) {
    super();
    const a = layerArgs<{ p?: number; inplace?: boolean }>("Dropout", args, ["p", "inplace"], 0);
    noInplace("Dropout", a.inplace);
    const p = a.p ?? 0.5;
    this.p = p;
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: dropout probability has to be between 0 and 1, but got ${p}`);
  }
  override forward(x: Tensor): Tensor {
    return F.dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
