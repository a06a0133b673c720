/**
 * Containers: Sequential (layers applied in order) and ModuleList (an indexable list whose
 * modules are registered as children). Both name their children "0", "1", … like PyTorch.
 */
import { Module } from "./module.js";
import { Linear } from "./linear.js";
import { ReLU, Sigmoid, Tanh } from "./activation.js";
import { Tensor } from "../tensor/tensor.js";
import { linear } from "../ops/matmul.js";
import type { LinearActivation } from "../backend/backend.js";

/**
 * The activation a Linear layer followed by `next` can absorb: a backend with a fused kernel
 * runs matmul, bias and activation in one pass (webgpu: one dispatch). Only plain, hook-free
 * layers: a hook must see each layer's own output (showActivations, summary).
 */
function fusedActivation(m: Module, next: Module | undefined): LinearActivation | null {
  if (!next || !(m instanceof Linear) || Object.getPrototypeOf(m) !== Linear.prototype) return null;
  if (m.bias === null || m.hasForwardHooks || next.hasForwardHooks) return null;
  return next.constructor === ReLU ? "relu" : next.constructor === Tanh ? "tanh" : next.constructor === Sigmoid ? "sigmoid" : null;
}

/**
 * Applies its modules in order: `new nn.Sequential(new nn.Linear(2, 4), new nn.ReLU(), …)`.
 * Children are fields "0", "1", … so state-dict keys match PyTorch's (`0.weight`).
 */
export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new Error(`Sequential: argument ${i} is not a Module`);
      this.registerModule(String(i), m);
    });
  }

  /** Number of layers. */
  get size(): number {
    return [...this.namedChildren()].length;
  }

  /** The layer at `i` (negative counts from the end). */
  at(i: number): Module {
    const kids = [...this.children()];
    const m = kids[i < 0 ? i + kids.length : i];
    if (!m) throw new Error(`Sequential: index ${i} is out of range for ${kids.length} layers`);
    return m;
  }

  /** Appends a layer; returns this. */
  append(m: Module): this {
    this.registerModule(String(this.size), m);
    return this;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override forward(x: any): any {
    const kids = [...this.children()];
    for (let i = 0; i < kids.length; i++) {
      const act = fusedActivation(kids[i], kids[i + 1]);
      const lin = kids[i] as Linear;
      if (act && x instanceof Tensor && x.ndim >= 2 && x.shape[x.ndim - 1] === lin.inFeatures) {
        // Same values and gradients as Linear then the activation module (ops/matmul.ts).
        x = linear(x, lin.weight, lin.bias, { activation: act });
        i++;
        continue;
      }
      x = kids[i].forward(x);
    }
    return x;
  }

  *[Symbol.iterator](): Iterator<Module> {
    yield* this.children();
  }
}

/** A list of modules registered as children (PyTorch's ModuleList); it has no forward. */
export class ModuleList extends Module {
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Number of modules. */
  get size(): number {
    return [...this.namedChildren()].length;
  }

  /** The module at `i` (negative counts from the end). */
  at(i: number): Module {
    const kids = [...this.children()];
    const m = kids[i < 0 ? i + kids.length : i];
    if (!m) throw new Error(`ModuleList: index ${i} is out of range for ${kids.length} modules`);
    return m;
  }

  /** Appends a module; returns this. */
  append(m: Module): this {
    if (!(m instanceof Module)) throw new Error("ModuleList.append: argument is not a Module");
    this.registerModule(String(this.size), m);
    return this;
  }

  *[Symbol.iterator](): Iterator<Module> {
    yield* this.children();
  }
}
