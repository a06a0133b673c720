/**
 * Containers: Sequential (layers applied in order), ModuleList (an indexable list whose modules
 * are registered as children) and ModuleDict (modules by name). List children are named
 * "0", "1", … like PyTorch, so state-dict keys match (`0.weight`).
 */
import { Module } from "./module.js";
import { fusedPair } from "./fusion.js";
import { installIndexing } from "../tensor/indexable.js";

/**
 * Applies its modules in order: `new nn.Sequential(new nn.Linear(2, 4), new nn.ReLU(), …)`.
 * Children are fields "0", "1", … so state-dict keys match PyTorch's (`0.weight`).
 */
export class Sequential extends Module {
  /**
   * `model[0]`, `model[-1]`: the layer at that position (negative from the end), as in PyTorch.
   * Typed `any` so that `model[0].weight` type-checks as PyTorch's dynamic attributes do.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [index: number]: any;

  /**
   * `new nn.Sequential(a, b, c)`, or named layers in order (PyTorch's OrderedDict form):
   * `new nn.Sequential(new Map([["conv1", conv], ["relu1", relu]]))` or a plain object.
   */
  constructor(...modules: Module[] | [Map<string, Module> | Record<string, Module>]) {
    super();
    const first = modules[0] as unknown;
    if (modules.length === 1 && !(first instanceof Module) && typeof first === "object" && first !== null) {
      const entries = first instanceof Map ? [...first.entries()] : Object.entries(first as Record<string, Module>);
      for (const [k, m] of entries) addChild(this, "Sequential", k, m);
      return;
    }
    (modules as unknown[]).forEach((m, i) => {
      if (!(m instanceof Module)) throw new Error(`Sequential: argument ${i} is not a Module (got ${describe(m)})`);
      this.registerModule(String(i), m);
    });
  }

  /** Number of layers (PyTorch's `len(seq)`). */
  override get length(): number {
    return [...this.namedChildren()].length;
  }

  /** Number of layers (same as `length`). */
  get size(): number {
    return this.length;
  }

  /** The layer at `i` (negative counts from the end). */
  at(i: number): Module {
    return itemAt("Sequential", [...this.children()], i);
  }

  /**
   * Layers `start` to `end` (exclusive, negative from the end) as a new Sequential sharing the
   * same layer objects and names: PyTorch's `model[:-1]` is `model.slice(0, -1)`.
   */
  slice(start = 0, end?: number): Sequential {
    const kids = [...this.namedChildren()];
    return new Sequential(new Map(kids.slice(start, end)));
  }

  /** Appends a layer; returns this. */
  append(m: Module): this {
    addChild(this, "Sequential.append", String(this.length), m);
    return this;
  }

  /** Appends every layer of `modules`; returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts a layer before position `index` (negative counts from the end); returns this. */
  insert(index: number, m: Module): this {
    renumber(this, "Sequential.insert", insertAt("Sequential.insert", [...this.children()], index, m));
    return this;
  }

  /** Removes and returns the layer at `index` (default the last). */
  pop(index = -1): Module {
    const kids = [...this.children()];
    const m = itemAt("Sequential.pop", kids, index);
    const at = norm(index, kids.length);
    renumber(this, "Sequential.pop", kids.filter((_, j) => j !== at));
    return m;
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

/**
 * A list of modules registered as children (PyTorch's ModuleList): their parameters show up in
 * `parameters()`, `stateDict()` and the printout. It has no forward; loop over it yourself.
 *
 * ```ts
 * layers = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 2)]);
 * for (const layer of this.layers) x = layer(x);
 * ```
 */
export class ModuleList extends Module {
  /**
   * `model[0]`, `model[-1]`: the layer at that position (negative from the end), as in PyTorch.
   * Typed `any` so that `model[0].weight` type-checks as PyTorch's dynamic attributes do.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [index: number]: any;

  constructor(modules: Iterable<Module> = []) {
    super();
    if (modules === null || typeof (modules as Iterable<Module>)[Symbol.iterator] !== "function") {
      throw new Error(`ModuleList: expected an array (iterable) of modules, got ${describe(modules)}; write new nn.ModuleList([a, b])`);
    }
    for (const m of modules) this.append(m);
  }

  /** Number of modules (PyTorch's `len(list)`). */
  override get length(): number {
    return [...this.namedChildren()].length;
  }

  /** Number of modules (same as `length`). */
  get size(): number {
    return this.length;
  }

  /** The module at `i` (negative counts from the end). */
  at(i: number): Module {
    return itemAt("ModuleList", [...this.children()], i);
  }

  /** Replaces the module at `i` (negative counts from the end); returns this. */
  set(i: number, m: Module): this {
    const kids = [...this.children()];
    itemAt("ModuleList.set", kids, i);
    addChild(this, "ModuleList.set", String(norm(i, kids.length)), m, true);
    return this;
  }

  /** Modules `start` to `end` (exclusive, negative from the end) as a new ModuleList (PyTorch's `list[1:]`). */
  slice(start = 0, end?: number): ModuleList {
    return new ModuleList([...this.children()].slice(start, end));
  }

  /** Appends a module; returns this. */
  append(m: Module): this {
    addChild(this, "ModuleList.append", String(this.length), m);
    return this;
  }

  /** Appends every module of `modules`; returns this. */
  extend(modules: Iterable<Module>): this {
    if (modules === null || typeof (modules as Iterable<Module>)[Symbol.iterator] !== "function") {
      throw new Error(`ModuleList.extend: expected an iterable of modules, got ${describe(modules)}`);
    }
    for (const m of [...modules]) this.append(m);
    return this;
  }

  /** Inserts a module before position `index` (negative counts from the end); returns this. */
  insert(index: number, m: Module): this {
    renumber(this, "ModuleList.insert", insertAt("ModuleList.insert", [...this.children()], index, m));
    return this;
  }

  /** Removes and returns the module at `index` (default the last). */
  pop(index = -1): Module {
    const kids = [...this.children()];
    const m = itemAt("ModuleList.pop", kids, index);
    const at = norm(index, kids.length);
    renumber(this, "ModuleList.pop", kids.filter((_, j) => j !== at));
    return m;
  }

  /** PyTorch 2's printout: runs of identical layers fold into `(0-2): 3 x Linear(…)`. */
  override toString(): string {
    const reprs = [...this.children()].map((m) => m.toString());
    if (reprs.length === 0) return "ModuleList()";
    const blocks: { start: number; end: number; repr: string }[] = [];
    reprs.forEach((r, i) => {
      const last = blocks[blocks.length - 1];
      if (last && last.repr === r) last.end = i;
      else blocks.push({ start: i, end: i, repr: r });
    });
    const lines = blocks.map(({ start, end, repr }) =>
      (start === end ? `(${start}): ${repr}` : `(${start}-${end}): ${end - start + 1} x ${repr}`).split("\n").join("\n  "));
    return `${this.constructor.name}(\n  ${lines.join("\n  ")}\n)`;
  }

  *[Symbol.iterator](): Iterator<Module> {
    yield* this.children();
  }
}

/**
 * Modules by name (PyTorch's ModuleDict), registered as children in insertion order:
 * `new nn.ModuleDict({ conv: new nn.Conv2d(1, 8, 3), pool: new nn.MaxPool2d(2) })`.
 * `get(key)`, `set(key, m)`, `has(key)`, `pop(key)`, `keys()`, `values()`, `items()`,
 * `update(…)`, `length`; iterating yields the keys, as in PyTorch. Entries are also fields (`d.conv`).
 */
export class ModuleDict extends Module {
  constructor(modules: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    this.update(modules);
  }

  /** Number of entries. */
  override get length(): number {
    return [...this.namedChildren()].length;
  }

  /** The module under `key`; throws naming the keys when it is missing. */
  get(key: string): Module {
    const m = this.has(key) ? (this as unknown as Record<string, Module>)[key] : undefined;
    if (!m) throw new Error(`ModuleDict: no module under key ${JSON.stringify(key)}; keys: ${this.keys().map((k) => JSON.stringify(k)).join(", ") || "(none)"}`);
    return m;
  }

  /** Adds or replaces the module under `key`; returns this. */
  set(key: string, m: Module): this {
    addChild(this, "ModuleDict", key, m, this.has(key));
    return this;
  }

  /** True when `key` holds a module (PyTorch's `key in d`). */
  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this, key) && (this as unknown as Record<string, unknown>)[key] instanceof Module;
  }

  /** Removes and returns the module under `key`. */
  pop(key: string): Module {
    const m = this.get(key);
    delete (this as unknown as Record<string, unknown>)[key];
    return m;
  }

  /** Removes every entry. */
  clear(): void {
    for (const k of this.keys()) delete (this as unknown as Record<string, unknown>)[k];
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return [...this.namedChildren()].map(([k]) => k);
  }

  /** The modules, in insertion order. */
  values(): Module[] {
    return [...this.children()];
  }

  /** `[key, module]` pairs, in insertion order. */
  items(): [string, Module][] {
    return [...this.namedChildren()];
  }

  /** Adds every entry of a Map, a plain object or `[key, module]` pairs; returns this. */
  update(modules: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]>): this {
    if (modules === null || typeof modules !== "object") {
      throw new Error(`ModuleDict.update: expected a Map, an object of modules or [key, module] pairs, got ${describe(modules)}`);
    }
    const entries = modules instanceof Map ? [...modules.entries()]
      : Symbol.iterator in modules ? [...(modules as Iterable<[string, Module]>)]
      : Object.entries(modules as Record<string, Module>);
    entries.forEach((e, i) => {
      if (!Array.isArray(e) || e.length !== 2) throw new Error(`ModuleDict.update: element ${i} is not a [key, module] pair`);
      this.set(String(e[0]), e[1]);
    });
    return this;
  }

  *[Symbol.iterator](): Iterator<string> {
    yield* this.keys();
  }
}

// `seq[0]`, `seq[-1]`, `list[i] = m` as in PyTorch. Children named "0", "1", … are own fields and
// never reach the proxy; negative indices and named Sequentials do.
installIndexing(Sequential, {
  name: "Sequential",
  length: (s) => s.length,
  getItem: (s, i) => s.at(i),
  setItem: (s, i, m) => addChild(s, "Sequential", [...s.namedChildren()][i][0], m, true),
});
installIndexing(ModuleList, {
  name: "ModuleList",
  length: (l) => l.length,
  getItem: (l, i) => l.at(i),
  setItem: (l, i, m) => void l.set(i, m as Module),
});

function describe(v: unknown): string {
  if (v === null) return "null";
  if (v instanceof Module) return v.constructor.name;
  if (typeof v === "object" || typeof v === "function") return (v as object).constructor?.name ?? typeof v;
  return typeof v;
}

function norm(i: number, n: number): number {
  return i < 0 ? i + n : i;
}

function itemAt(op: string, kids: Module[], i: number): Module {
  if (!Number.isInteger(i)) throw new Error(`${op}: index must be an integer, got ${String(i)}`);
  const m = kids[norm(i, kids.length)];
  if (!m) throw new Error(`${op}: index ${i} is out of range for ${kids.length} modules`);
  return m;
}

function insertAt(op: string, kids: Module[], index: number, m: Module): Module[] {
  if (!Number.isInteger(index)) throw new Error(`${op}: index must be an integer, got ${String(index)}`);
  // Python's list.insert clamps out-of-range positions to the ends.
  const at = Math.min(Math.max(norm(index, kids.length), 0), kids.length);
  return [...kids.slice(0, at), m, ...kids.slice(at)];
}

/** Registers `m` under `key`, refusing non-modules and names that clash with the container's own members. */
function addChild(owner: Module, op: string, key: string, m: unknown, replace = false): void {
  if (!(m instanceof Module)) throw new Error(`${op}: ${JSON.stringify(key)} is not a Module (got ${describe(m)})`);
  if (key === "" || key.includes(".")) throw new Error(`${op}: module name can't be empty or contain ".", got ${JSON.stringify(key)}`);
  // Integer names are list slots (an indexing proxy may answer `in` for them); others must be new.
  const clash = Object.prototype.hasOwnProperty.call(owner, key) || (!/^\d+$/.test(key) && key in owner);
  if (!replace && clash) throw new Error(`${op}: attribute ${JSON.stringify(key)} already exists; choose another name`);
  owner.registerModule(key, m);
}

/** Re-registers the list children as "0", "1", … after an insert or pop. */
function renumber(owner: Module, op: string, kids: Module[]): void {
  const own = owner as unknown as Record<string, unknown>;
  for (const [k] of [...owner.namedChildren()]) delete own[k];
  kids.forEach((m, i) => addChild(owner, op, String(i), m));
}
