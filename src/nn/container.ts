/**
 * Containers: Sequential (layers applied in order) and ModuleList (an indexable list whose
 * modules are registered as children). Both name their children "0", "1", … like PyTorch.
 */
import { Module } from "./module.js";
import { fusedPair } from "./fusion.js";

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
      // Neighbours that can run as one call (Linear then ReLU) say so themselves (fusion.ts);
      // same values and gradients as calling them in turn.
      const fused = fusedPair(kids[i], kids[i + 1], x);
      if (fused) {
        x = fused;
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
