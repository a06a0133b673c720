/**
 * Activation modules (ReLU, Tanh, Sigmoid, LeakyReLU, ELU, GELU, Softplus, Softmax,
 * LogSoftmax, Step) and Dropout: thin wrappers over the functional forms in nn.functional.
 */
import type { Tensor } from "../tensor/tensor.js";
import * as F from "../functional/index.js";
import { Module, forwardOf } from "./module.js";
import type { LinearActivation } from "../backend/backend.js";
import type { FusableActivation } from "./fusion.js";

/** max(0, x). */
export class ReLU extends Module implements FusableActivation {
  override forward(x: Tensor): Tensor {
    return F.relu(x);
  }
  /** "relu" while forward is ReLU's own (Sequential may fold it into the Linear before it). */
  get fusableActivation(): LinearActivation | null {
    return forwardOf(this) === ReLU.prototype.forward ? "relu" : null;
  }
}

/** tanh(x). */
export class Tanh extends Module implements FusableActivation {
  override forward(x: Tensor): Tensor {
    return F.tanh(x);
  }
  /** "tanh" while forward is Tanh's own (Sequential may fold it into the Linear before it). */
  get fusableActivation(): LinearActivation | null {
    return forwardOf(this) === Tanh.prototype.forward ? "tanh" : null;
  }
}

/** 1 / (1 + e^(−x)). */
export class Sigmoid extends Module implements FusableActivation {
  override forward(x: Tensor): Tensor {
    return F.sigmoid(x);
  }
  /** "sigmoid" while forward is Sigmoid's own (Sequential may fold it into the Linear before it). */
  get fusableActivation(): LinearActivation | null {
    return forwardOf(this) === Sigmoid.prototype.forward ? "sigmoid" : null;
  }
}

/** x for x ≥ 0, negativeSlope·x otherwise (slope 0.01). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
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
  constructor(readonly alpha = 1.0) {
    super();
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
  constructor(opts: { approximate?: "none" | "tanh" } = {}) {
    super();
    this.approximate = opts.approximate ?? "none";
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
  constructor(readonly beta = 1, readonly threshold = 20) {
    super();
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
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new Error(`Softmax: dim must be an integer, got ${dim}`);
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
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new Error(`LogSoftmax: dim must be an integer, got ${dim}`);
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

/** Zeroes each element with probability p in training mode, scaling the rest by 1/(1−p). */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: dropout probability has to be between 0 and 1, but got ${p}`);
  }
  override forward(x: Tensor): Tensor {
    return F.dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
