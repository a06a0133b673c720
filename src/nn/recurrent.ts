/**
 * Recurrent layers with PyTorch's parameter names, gate order and return values:
 * RNN (tanh/relu), LSTM (i, f, g, o) and GRU (r, z, n), multi-layer, bidirectional,
 * batchFirst; plus the single-step cells. Built from core ops, one time step at a time.
 */
import type { Tensor } from "../tensor/tensor.js";
import { add, tanh, relu } from "../ops/elementwise.js";
import { linear } from "../ops/matmul.js";
import { gruCell, lstmCell } from "../ops/fused.js";
import { select, transpose, unsqueeze, squeeze } from "../ops/movement.js";
import { cat, stack } from "../ops/join.js";
import { zeros } from "../tensor/creation.js";
import * as F from "../functional/index.js";
import { formatShape } from "../tensor/shape.js";
import { Module } from "./module.js";
import { uniform } from "./init.js";
import { checkPositiveInt, layerArgs, newParameter } from "./layer-util.js";
import { DEVICE_DTYPE } from "./linear.js";
import { checkChoice } from "../functional/choice.js";

type Mode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";
const GATES: Record<Mode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** Options of RNN, LSTM and GRU, PyTorch's defaults in brackets. */
export interface RNNOptions {
  /** Stacked recurrent layers [1]. */
  numLayers?: number;
  /** Use the biases b_ih and b_hh [true]. */
  bias?: boolean;
  /** Input and output as [batch, seq, feature] instead of [seq, batch, feature] [false]. */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, in training [0]. */
  dropout?: number;
  /** Also run each layer backwards in time and concatenate [false]. */
  bidirectional?: boolean;
}

/** Every argument of RNN/LSTM/GRU by name: `new nn.LSTM({ inputSize: 4, hiddenSize: 8, batchFirst: true })`. */
export interface RNNArgs extends RNNOptions {
  inputSize: number;
  hiddenSize: number;
  /** RNN only: "tanh" [default] or "relu". */
  nonlinearity?: "tanh" | "relu";
}

const RNN_NAMES = ["inputSize", "hiddenSize", "numLayers", "bias", "batchFirst", "dropout", "bidirectional"] as const;

function rnnArgs(layer: string, args: unknown[]): RNNArgs {
  // PyTorch's RNN takes nonlinearity fourth; LSTM and GRU have none.
  const names = layer === "RNN" ? ["inputSize", "hiddenSize", "numLayers", "nonlinearity", "bias", "batchFirst", "dropout", "bidirectional"] as const : RNN_NAMES;
  return layerArgs<RNNArgs>(layer, args, names, 2, { ...DEVICE_DTYPE, projSize: "LSTM projections are not implemented in gradnote" });
}

function cellArgs(layer: string, args: unknown[]): { inputSize: number; hiddenSize: number; bias?: boolean; nonlinearity?: "tanh" | "relu" } {
  const names = layer === "RNNCell" ? ["inputSize", "hiddenSize", "bias", "nonlinearity"] as const : ["inputSize", "hiddenSize", "bias"] as const;
  return layerArgs(layer, args, names, 2, DEVICE_DTYPE);
}

/** One time step: input projection `gi` (x·W_ihᵀ + b_ih) and the previous state → new state. */
function cellStep(mode: Mode, gi: Tensor, h: Tensor, c: Tensor | null, whh: Tensor, bhh: Tensor | null): [Tensor, Tensor | null] {
  const gh = linear(h, whh, bhh);
  switch (mode) {
    case "RNN_TANH": return [tanh(add(gi, gh)), null];
    case "RNN_RELU": return [relu(add(gi, gh)), null];
    // One fused kernel where the backend has it (ops/fused.ts), elementwise ops otherwise.
    case "LSTM": return lstmCell(gi, gh, c!);
    // (1 − z)·n + z·h in one kernel where the backend has it (ops/fused.ts).
    case "GRU": return [gruCell(gi, gh, h), null];
  }
}

abstract class RNNBase extends Module {
  readonly mode: Mode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;

  constructor(mode: Mode, inputSize: number, hiddenSize: number, opts: RNNOptions) {
    super();
    const name = mode.startsWith("RNN") ? "RNN" : mode;
    checkPositiveInt(name, "inputSize", inputSize);
    checkPositiveInt(name, "hiddenSize", hiddenSize);
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = opts.numLayers ?? 1;
    checkPositiveInt(name, "numLayers", this.numLayers);
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = opts.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout <= 1)) throw new Error(`${name}: dropout should be a number in [0, 1], got ${this.dropout}`);
    this.bidirectional = opts.bidirectional ?? false;
    const g = GATES[mode] * hiddenSize;
    const self = this as unknown as Record<string, Tensor>;
    for (let l = 0; l < this.numLayers; l++) {
      for (let d = 0; d < this.numDirections; d++) {
        const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
        const inSize = l === 0 ? inputSize : hiddenSize * this.numDirections;
        self[`weight_ih${sfx}`] = newParameter([g, inSize]);
        self[`weight_hh${sfx}`] = newParameter([g, hiddenSize]);
        if (this.bias) {
          self[`bias_ih${sfx}`] = newParameter([g]);
          self[`bias_hh${sfx}`] = newParameter([g]);
        }
      }
    }
    this.resetParameters();
  }

  /** 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Re-draws every weight and bias from U(−1/√hiddenSize, 1/√hiddenSize), like PyTorch. */
  resetParameters(): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform(p, -k, k);
  }

  private weights(l: number, d: number): [Tensor, Tensor, Tensor | null, Tensor | null] {
    const self = this as unknown as Record<string, Tensor>;
    const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
    return [self[`weight_ih${sfx}`], self[`weight_hh${sfx}`], self[`bias_ih${sfx}`] ?? null, self[`bias_hh${sfx}`] ?? null];
  }

  /** Runs all layers; returns the output [L, N, D·H] (time-major) and the final h (and c). */
  protected run(input: Tensor, h0: Tensor | null, c0: Tensor | null): [Tensor, Tensor, Tensor | null] {
    const name = this.constructor.name;
    const batched = input.ndim === 3;
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw new Error(`${name}: expected input of 2 (unbatched) or 3 dimensions, got shape ${formatShape(input.shape)}`);
    }
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new Error(`${name}: input.size(-1) must be equal to inputSize ${this.inputSize}, got shape ${formatShape(input.shape)}`);
    }
    let x = batched ? (this.batchFirst ? transpose(input, 0, 1) : input) : unsqueeze(input, 1);
    const [L, N] = x.shape;
    const D = this.numDirections;
    const H = this.hiddenSize;
    const stateShape = [this.numLayers * D, N, H];
    const prepState = (s: Tensor | null, what: string): Tensor => {
      if (!s) return zeros(stateShape, { dtype: input.dtype, device: input.device });
      const t = batched ? s : unsqueeze(s, 1);
      if (t.shape.length !== 3 || t.shape.some((v, i) => v !== stateShape[i])) {
        throw new Error(`${name}: expected ${what} of shape ${formatShape(batched ? stateShape : [stateShape[0], H])}, got ${formatShape(s.shape)}`);
      }
      return t;
    };
    const hInit = prepState(h0, "hidden state h0");
    const cInit = this.mode === "LSTM" ? prepState(c0, "cell state c0") : null;
    const hN: Tensor[] = [];
    const cN: Tensor[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const [wih, whh, bih, bhh] = this.weights(l, d);
        // All time steps' input projections in one matmul.
        const xw = linear(x, wih, bih);
        let h = select(hInit, 0, l * D + d);
        let c = cInit ? select(cInit, 0, l * D + d) : null;
        const seq = new Array<Tensor>(L);
        for (let s = 0; s < L; s++) {
          const t = d === 0 ? s : L - 1 - s;
          [h, c] = cellStep(this.mode, select(xw, 0, t), h, c, whh, bhh);
          seq[t] = h;
        }
        outs.push(stack(seq, 0));
        hN.push(h);
        if (c) cN.push(c);
      }
      x = D === 2 ? cat(outs, 2) : outs[0];
      if (this.dropout > 0 && this.training && l < this.numLayers - 1) x = F.dropout(x, this.dropout, true);
    }
    const out = batched ? (this.batchFirst ? transpose(x, 0, 1) : x) : squeeze(x, 1);
    let h = stack(hN, 0);
    let c = cN.length > 0 ? stack(cN, 0) : null;
    if (!batched) {
      h = squeeze(h, 1);
      c = c ? squeeze(c, 1) : null;
    }
    return [out, h, c];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, numLayers=${this.numLayers}`;
    if (!this.bias) s += ", bias=false";
    if (this.batchFirst) s += ", batchFirst=true";
    if (this.dropout) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += ", bidirectional=true";
    return s;
  }
}

/**
 * Elman RNN: h_t = tanh(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh) (or relu).
 * `forward(x, h0?)` returns `[output, hN]`.
 */
export class RNN extends RNNBase {
  constructor(args: RNNArgs);
  constructor(inputSize: number, hiddenSize: number, options?: RNNOptions & { nonlinearity?: "tanh" | "relu" });
  constructor(inputSize: number, hiddenSize: number, numLayers: number, options?: Omit<RNNOptions, "numLayers"> & { nonlinearity?: "tanh" | "relu" });
  constructor(...args: unknown[]) {
    const a = rnnArgs("RNN", args);
    const nl = checkChoice("RNN", "nonlinearity", a.nonlinearity ?? "tanh", ["tanh", "relu"] as const);
    super(nl === "tanh" ? "RNN_TANH" : "RNN_RELU", a.inputSize, a.hiddenSize, a);
  }
  override forward(input: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const [out, h] = this.run(input, h0 ?? null, null);
    return [out, h];
  }
}

/**
 * Long short-term memory (gates i, f, g, o as in PyTorch). `forward(x, [h0, c0]?)` returns
 * `[output, [hN, cN]]`; output is [L, N, D·H] ([N, L, D·H] with batchFirst).
 */
export class LSTM extends RNNBase {
  constructor(args: Omit<RNNArgs, "nonlinearity">);
  constructor(inputSize: number, hiddenSize: number, options?: RNNOptions);
  constructor(inputSize: number, hiddenSize: number, numLayers: number, options?: Omit<RNNOptions, "numLayers">);
  constructor(...args: unknown[]) {
    const a = rnnArgs("LSTM", args);
    super("LSTM", a.inputSize, a.hiddenSize, a);
  }
  override forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    const [out, h, c] = this.run(input, hx?.[0] ?? null, hx?.[1] ?? null);
    return [out, [h, c!]];
  }
}

/** Gated recurrent unit (gates r, z, n as in PyTorch). `forward(x, h0?)` returns `[output, hN]`. */
export class GRU extends RNNBase {
  constructor(args: Omit<RNNArgs, "nonlinearity">);
  constructor(inputSize: number, hiddenSize: number, options?: RNNOptions);
  constructor(inputSize: number, hiddenSize: number, numLayers: number, options?: Omit<RNNOptions, "numLayers">);
  constructor(...args: unknown[]) {
    const a = rnnArgs("GRU", args);
    super("GRU", a.inputSize, a.hiddenSize, a);
  }
  override forward(input: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const [out, h] = this.run(input, h0 ?? null, null);
    return [out, h];
  }
}

abstract class CellBase extends Module {
  weight_ih: Tensor;
  weight_hh: Tensor;
  bias_ih: Tensor | null;
  bias_hh: Tensor | null;
  constructor(readonly mode: Mode, readonly inputSize: number, readonly hiddenSize: number, bias: boolean) {
    super();
    const g = GATES[mode] * hiddenSize;
    this.weight_ih = newParameter([g, inputSize]);
    this.weight_hh = newParameter([g, hiddenSize]);
    this.bias_ih = bias ? newParameter([g]) : null;
    this.bias_hh = bias ? newParameter([g]) : null;
    const k = 1 / Math.sqrt(hiddenSize);
    for (const p of this.parameters()) uniform(p, -k, k);
  }
  protected stepOnce(x: Tensor, h: Tensor | null, c: Tensor | null): [Tensor, Tensor | null] {
    if (x.ndim !== 2 || x.shape[1] !== this.inputSize) {
      throw new Error(`${this.constructor.name}: expected input [N, ${this.inputSize}], got ${formatShape(x.shape)}`);
    }
    const z = () => zeros([x.shape[0], this.hiddenSize], { dtype: x.dtype, device: x.device });
    return cellStep(this.mode, linear(x, this.weight_ih, this.bias_ih), h ?? z(), this.mode === "LSTM" ? (c ?? z()) : null, this.weight_hh, this.bias_hh);
  }
  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih ? "" : ", bias=false"}`;
  }
}

/** One RNN step on [N, inputSize]: `forward(x, h?)` returns the new h. */
export class RNNCell extends CellBase {
  constructor(args: { inputSize: number; hiddenSize: number; bias?: boolean; nonlinearity?: "tanh" | "relu" });
  constructor(inputSize: number, hiddenSize: number, options?: { bias?: boolean; nonlinearity?: "tanh" | "relu" });
  constructor(...args: unknown[]) {
    const a = cellArgs("RNNCell", args);
    const nl = checkChoice("RNNCell", "nonlinearity", a.nonlinearity ?? "tanh", ["tanh", "relu"] as const);
    super(nl === "relu" ? "RNN_RELU" : "RNN_TANH", a.inputSize, a.hiddenSize, a.bias ?? true);
  }
  override forward(x: Tensor, h?: Tensor | null): Tensor {
    return this.stepOnce(x, h ?? null, null)[0];
  }
}

/** One LSTM step: `forward(x, [h, c]?)` returns `[h, c]`. */
export class LSTMCell extends CellBase {
  constructor(args: { inputSize: number; hiddenSize: number; bias?: boolean });
  constructor(inputSize: number, hiddenSize: number, options?: { bias?: boolean });
  constructor(...args: unknown[]) {
    const a = cellArgs("LSTMCell", args);
    super("LSTM", a.inputSize, a.hiddenSize, a.bias ?? true);
  }
  override forward(x: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, Tensor] {
    const [h, c] = this.stepOnce(x, hx?.[0] ?? null, hx?.[1] ?? null);
    return [h, c!];
  }
}

/** One GRU step: `forward(x, h?)` returns the new h. */
export class GRUCell extends CellBase {
  constructor(args: { inputSize: number; hiddenSize: number; bias?: boolean });
  constructor(inputSize: number, hiddenSize: number, options?: { bias?: boolean });
  constructor(...args: unknown[]) {
    const a = cellArgs("GRUCell", args);
    super("GRU", a.inputSize, a.hiddenSize, a.bias ?? true);
  }
  override forward(x: Tensor, h?: Tensor | null): Tensor {
    return this.stepOnce(x, h ?? null, null)[0];
  }
}
