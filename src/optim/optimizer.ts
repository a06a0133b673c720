/**
 * The Optimizer base class: param groups with per-group hyperparameters, per-parameter state,
 * zeroGrad(), step(closure?), stateDict(). Concrete update rules live one family per file
 * (sgd.ts, adaptive.ts, adam.ts) and work in place on raw parameter arrays, off the tape.
 */
import { Tensor } from "../tensor/tensor.js";
import { rawParam, type FloatArray } from "./raw.js";
import { backendNamed, type OptimizerUpdate } from "../backend/backend.js";
import { zeros } from "../tensor/creation.js";
import { contiguous } from "../ops/movement.js";
import { keep, releaseDropped } from "../tensor/memory.js";
import { checkKwargs } from "../functional/choice.js";
import { installNameGuard } from "../tensor/indexable.js";

/** PyTorch optimizer keywords gradnote has no use for, with why. */
const UNSUPPORTED = {
  foreach: "gradnote picks the implementation itself",
  fused: "gradnote picks the implementation itself",
  capturable: "CUDA graphs do not exist in gradnote",
  differentiable: "optimizer steps are not differentiable in gradnote",
};

/**
 * An optimizer's options: `{ lr, … }` checked against `keys` (unknown keys throw naming the
 * accepted ones), or the learning rate alone, as PyTorch's second positional argument
 * (`new optim.SGD(model.parameters(), 0.1)`).
 */
export function optimizerOptions<O extends object>(op: string, options: O | number | undefined, keys: readonly (keyof O & string)[]): O {
  if (typeof options === "number") return { lr: options } as O;
  return checkKwargs(op, options, keys, UNSUPPORTED);
}

/** One group of parameters sharing hyperparameters; `lr` is what schedulers rewrite. */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  /** Set by the first scheduler attached to the optimizer. */
  initialLr?: number;
  [option: string]: unknown;
}

/** What optimizers accept: parameters, or groups `{ params, ...overrides }` like PyTorch. */
export type ParamsInput = Iterable<Tensor> | Array<{ params: Iterable<Tensor>; [option: string]: unknown }>;

/**
 * Per-parameter optimizer state: moment buffers (same dtype as the parameter) and counters.
 * On device backends with fused updates the buffers are device tensors.
 */
export type ParamState = Record<string, FloatArray | number | Tensor>;

/** A fused update the optimizer asks a device backend for, and the state buffers it uses. */
export interface DeviceUpdate extends OptimizerUpdate {
  state: string[];
}

/** Something whose groups' `lr` can be scheduled (every Optimizer). */
export interface HasParamGroups {
  paramGroups: ParamGroup[];
}

function isGroupList(p: ParamsInput): p is Array<{ params: Iterable<Tensor> }> {
  return Array.isArray(p) && p.length > 0 && typeof p[0] === "object" && p[0] !== null && "params" in p[0];
}

/**
 * Base of all optimizers. Gradients accumulate in `param.grad` across backward passes until
 * `zeroGrad()`; `step()` reads them and updates each parameter in place (no autograd tape).
 */
export abstract class Optimizer<O extends { lr: number } = { lr: number }> implements HasParamGroups {
  /** The options every group starts from. */
  readonly defaults: O;
  /** The parameter groups, each with its own copy of the options. */
  readonly paramGroups: ParamGroup[] = [];
  /** Per-parameter state (moment buffers, step counts), created on the first step. */
  readonly state = new Map<Tensor, ParamState>();
  private readonly opName: string;

  constructor(params: ParamsInput, defaults: O, opName: string) {
    this.defaults = defaults;
    this.opName = opName;
    if (typeof params === "function" && "parameters" in (params as object)) {
      throw new Error(`${opName}: expected the model's parameters, got a module; write new optim.${opName}(model.parameters(), …)`);
    }
    if (params instanceof Tensor) {
      throw new Error(`${opName}: params should be an iterable of Tensors, got one Tensor of shape [${params.shape.join(", ")}]; write new optim.${opName}([t], …)`);
    }
    if (params === null || params === undefined || typeof (params as Iterable<Tensor>)[Symbol.iterator] !== "function") {
      throw new Error(`${opName}: params must be an iterable of Tensors (model.parameters()) or of groups { params, … }, got ${params === null ? "null" : typeof params}`);
    }
    if (!(defaults.lr >= 0)) throw new Error(`${opName}: invalid learning rate ${defaults.lr}`);
    const groups = isGroupList(params) ? params : [{ params }];
    for (const g of groups) this.addParamGroup(g);
    if (this.paramGroups.length === 0 || this.paramGroups.every((g) => g.params.length === 0)) {
      throw new Error(`${opName}: got an empty parameter list`);
    }
  }

  /** Adds a group of parameters; options not given are taken from `defaults`. */
  addParamGroup(group: { params: Iterable<Tensor>; [option: string]: unknown }): void {
    if (group === null || typeof group !== "object" || !("params" in group)) {
      throw new Error(`${this.opName}: a parameter group must be { params, …options }, got ${group === null ? "null" : typeof group}`);
    }
    // Extra keys are allowed (PyTorch keeps them, e.g. a group name); a misspelt option is not.
    const known = Object.keys(this.defaults);
    const norm = (k: string) => k.replace(/_/g, "").toLowerCase();
    for (const k of Object.keys(group)) {
      const near = known.find((d) => d !== k && norm(d) === norm(k));
      if (near) throw new Error(`${this.opName}: parameter group option "${k}" is not an option; did you mean "${near}"? (options: ${known.join(", ")})`);
    }
    if (group.params instanceof Tensor) group = { ...group, params: [group.params] };
    const params = [...group.params];
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const p of params) {
      if (seen.has(p)) throw new Error(`${this.opName}: some parameters appear in more than one parameter group`);
      if (p.dtype !== "float32" && p.dtype !== "float64") {
        throw new Error(`${this.opName}: can only optimize floating-point tensors, got ${p.dtype}`);
      }
      seen.add(p);
    }
    this.paramGroups.push({ ...this.defaults, ...group, params } as ParamGroup);
  }

  /**
   * Clears the gradients of all parameters. With `setToNone` (PyTorch's default) `grad`
   * becomes null; otherwise it is filled with zeros.
   */
  zeroGrad(setToNone: boolean | { setToNone?: boolean } = true): void {
    if (typeof setToNone === "object") setToNone = checkKwargs(`${this.opName}.zeroGrad`, setToNone, ["setToNone"]).setToNone ?? true;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        const old = p.grad;
        if (setToNone) p.grad = null;
        else if (p.grad) p.grad = p.grad.mul(0).detach();
        releaseDropped(old, p.grad);
      }
    }
  }

  /**
   * Updates every parameter that has a gradient. If `closure` is given it is called first
   * (it should zero the grads, compute the loss, call backward and return the loss).
   */
  step(closure?: () => Tensor | number): number | undefined {
    let loss: number | undefined;
    if (closure) {
      const l = closure();
      loss = typeof l === "number" ? l : l.item();
    }
    for (const group of this.paramGroups) {
      this.prepareGroup(group);
      for (const p of group.params) {
        if (!p.grad) continue;
        let st = this.state.get(p);
        if (!st) {
          st = {};
          this.state.set(p, st);
        }
        // An in-place change as far as autograd is concerned: a graph that saved p before this
        // step now fails its version check instead of using the new values.
        p.versionCounter.value++;
        if (this.stepOnDevice(p, p.grad, st, group)) continue;
        const raw = rawParam(p, this.opName);
        this.update(raw.data, raw.grad, st, group);
        raw.commit();
      }
    }
    return loss;
  }

  /**
   * Offers the update to the parameter's backend as one fused kernel (Backend.optimizerStep:
   * webgpu keeps the state on the device, the cpu pool runs Adam in WASM SIMD). False when the
   * backend has no such capability or declines (the reference backend never fuses); the state
   * is then left as it was and the host update runs.
   */
  private stepOnDevice(p: Tensor, grad: Tensor, st: ParamState, group: ParamGroup): boolean {
    const be = backendNamed(p.device);
    if (!be.optimizerStep || grad.device !== p.device || grad.dtype !== p.dtype || !p.isContiguous()) return false;
    if (Object.values(st).some((v) => typeof v === "object" && !(v instanceof Tensor))) return false;
    const held = Object.values(st).some((v) => v instanceof Tensor);
    // Strided gradients take the host path, unless the state already lives with the backend.
    if (!grad.isContiguous() && !held) return false;
    const before = { ...st };
    const u = this.deviceUpdate(group, st);
    if (!u) return false;
    const made: Tensor[] = [];
    const bufs = u.state.map((name) => {
      let t = st[name];
      if (!(t instanceof Tensor)) {
        st[name] = t = keep(zeros(p.shape, { dtype: p.dtype, device: p.device }));
        made.push(t);
      }
      return t.buf;
    });
    const g = grad.isContiguous() ? grad : contiguous(grad);
    const done = be.optimizerStep(u, p, g, bufs);
    if (g !== grad) g.dispose();
    if (done) return true;
    if (held) throw new Error(`${this.opName}: the ${be.name} backend declined a fused ${u.rule} step after running earlier ones for this parameter`);
    // Declined: undo what deviceUpdate and the allocation did, so the host path starts clean.
    for (const k of Object.keys(st)) if (!(k in before)) delete st[k];
    Object.assign(st, before);
    for (const t of made) t.dispose();
    return false;
  }

  /** The fused form of this optimizer's update for the current step, or null (host path). */
  protected deviceUpdate(_group: ParamGroup, _state: ParamState): DeviceUpdate | null {
    return null;
  }

  /** Hook for once-per-group work before the parameters are updated. */
  protected prepareGroup(_group: ParamGroup): void {}

  /** Updates one parameter's data in place from its gradient (never modify `grad`). */
  protected abstract update(data: FloatArray, grad: FloatArray, state: ParamState, group: ParamGroup): void;

  /** A new zeroed buffer shaped like `data`, for moment state. */
  protected zerosLike(data: FloatArray): FloatArray {
    // State beside a parameter in shared memory is shared too, so the cpu pool can split updates.
    const bytes = data.length * (data instanceof Float64Array ? 8 : 4);
    const buf = data.buffer instanceof SharedArrayBuffer ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    return data instanceof Float64Array ? new Float64Array(buf) : new Float32Array(buf);
  }

  /**
   * Optimizer state in PyTorch's layout: `state` keyed by parameter index (in group order)
   * and `paramGroups` holding the options and the parameter indices.
   */
  stateDict(): { state: Record<number, ParamState>; paramGroups: Array<Record<string, unknown>> } {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...opts } = g;
      return { ...opts, params: params.map((p) => (index.has(p) ? index.get(p)! : (index.set(p, index.size), index.size - 1))) };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, st] of this.state) {
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(st)) copy[k] = typeof v === "number" ? v : v instanceof Tensor ? (v.dataSync() as FloatArray) : v.slice();
      state[index.get(p)!] = copy;
    }
    return { state, paramGroups };
  }

  /** Restores what `stateDict()` returned (for an optimizer built over the same parameters). */
  loadStateDict(sd: { state: Record<number, ParamState>; paramGroups: Array<Record<string, unknown>> }): void {
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${this.opName}.loadStateDict: expected ${this.paramGroups.length} param groups, got ${sd.paramGroups.length}`);
    }
    const all: Tensor[] = [];
    sd.paramGroups.forEach((g, i) => {
      const mine = this.paramGroups[i];
      const ids = g.params as number[];
      if (ids.length !== mine.params.length) {
        throw new Error(`${this.opName}.loadStateDict: group ${i} has ${ids.length} params, this optimizer has ${mine.params.length}`);
      }
      const { params: _p, ...opts } = g;
      Object.assign(mine, opts);
      ids.forEach((id, j) => (all[id] = mine.params[j]));
    });
    this.state.clear();
    for (const [id, st] of Object.entries(sd.state)) {
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(st)) copy[k] = typeof v === "number" ? v : v instanceof Tensor ? (v.dataSync() as FloatArray) : v.slice();
      this.state.set(all[Number(id)], copy);
    }
  }

  /** A one-line description with the group options, like PyTorch's repr. */
  toString(): string {
    const groups = this.paramGroups.map((g, i) => {
      const { params, initialLr: _i, ...opts } = g;
      return `  group ${i} (${params.length} params): ${Object.entries(opts).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}`;
    });
    return `${this.opName} (\n${groups.join("\n")}\n)`;
  }
}

// opt.zero_grad() / opt.param_groups name the camelCase member instead of being undefined.
installNameGuard(Optimizer);

/** Throws unless `v` is a finite number ≥ 0 (PyTorch's "Invalid ... value" checks). */
export function checkNonNegative(op: string, name: string, v: number): void {
  if (!(typeof v === "number" && v >= 0 && Number.isFinite(v))) throw new Error(`${op}: invalid ${name} value: ${v}`);
}
