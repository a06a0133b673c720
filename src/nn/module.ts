/**
 * nn.Module: the base of every layer. Parameters, buffers and submodules are discovered from
 * the module's own fields (in declaration order), so subclasses read like PyTorch's
 * `__init__`. Also: train/eval, zeroGrad, stateDict/loadStateDict, forward hooks, a printed
 * summary and a Jupyter display bundle. Layers live in sibling files.
 */
import { Tensor } from "../tensor/tensor.js";
import { installNameGuard } from "../tensor/indexable.js";
import { noGrad } from "../autograd/grad-mode.js";
import { releaseDropped } from "../tensor/memory.js";
import { formatShape } from "../tensor/shape.js";
import { copyInto } from "./tensor-util.js";
import { cast, toBackend } from "../ops/movement.js";
import { DTYPES, checkDType, isFloating, type DType } from "../tensor/dtype.js";
import { checkOptions, isOptionsObject } from "../ops/options.js";
import { resolveDevice } from "../backend/device.js";

/** True for dtype names and PyTorch's aliases ("float64", "double", "torch.long"), false for device names. */
function isDTypeName(s: string): boolean {
  if ((DTYPES as readonly string[]).includes(s)) return true;
  try {
    checkDType(s, "");
    return true;
  } catch {
    // Not a dtype: the string names a device ("cpu", "webgpu", "cuda").
    return false;
  }
}

const PARAMETERS = new WeakSet<Tensor>();
const BUFFERS = Symbol("buffers");
const NON_PERSISTENT = Symbol("nonPersistentBuffers");
const HOOKS = Symbol("forwardHooks");
/** The per-instance forward wrappers that run hooks (see the constructor and `forwardOf`). */
const HOOK_WRAPPERS = new WeakSet<object>();
const PRE_HOOKS = Symbol("forwardPreHooks");

/**
 * Marks `t` as a module parameter (PyTorch's nn.Parameter): it requires grad and is listed by
 * `parameters()` when stored in a module field. Returns the same tensor — or, for an integer
 * tensor (JavaScript's `tensor([1.0, 2.0])` is int64, since 1.0 === 1), a float32 copy of it.
 */
export function Parameter(t: Tensor, requiresGrad = true): Tensor {
  if (requiresGrad && (t.dtype === "int64" || t.dtype === "int32")) t = cast(t, "float32");
  t.requiresGrad = requiresGrad;
  PARAMETERS.add(t);
  return t;
}

/** True for tensors made with `Parameter()` or leaf tensors that require grad. */
export function isParameter(v: unknown): v is Tensor {
  return v instanceof Tensor && (PARAMETERS.has(v) || (v.requiresGrad && v.isLeaf));
}

/**
 * The forward method `m` runs: its class's (through the hook wrapper every instance gets), or a
 * function assigned to the instance. Code that fuses layers (Sequential) checks it is the
 * method it knows, so an overridden or patched forward always runs as written.
 */
export function forwardOf(m: Module): (...inputs: unknown[]) => unknown {
  const f = (m as unknown as { forward: (...inputs: unknown[]) => unknown }).forward;
  return HOOK_WRAPPERS.has(f) ? (Object.getPrototypeOf(m) as { forward: (...inputs: unknown[]) => unknown }).forward : f;
}

/** A forward hook: `(module, inputs, output)`; a non-undefined return replaces the output. */
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => unknown;
/** A forward pre-hook: `(module, inputs)`; a returned array replaces the inputs. */
export type ForwardPreHook = (module: Module, inputs: unknown[]) => unknown[] | undefined | void;

/** What `registerForwardHook` returns; `remove()` unregisters the hook. */
export interface RemovableHandle {
  remove(): void;
}

/** Result of `loadStateDict`: keys the module has but the dict lacks, and the reverse. */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

// A module instance is callable: `model(x)` is `model.forward(x)` (with hooks), as in PyTorch.
// The class's instances are functions whose prototype chain is the class's prototype.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Module {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (...inputs: any[]): any;
}

/**
 * Base class of all layers and models. Subclass it, assign layers and `Parameter`s to fields,
 * and implement `forward`. Calling `model(x)` or `model.forward(x)` runs the forward hooks.
 *
 * ```ts
 * class Net extends nn.Module {
 *   fc1 = new nn.Linear(2, 8);
 *   fc2 = new nn.Linear(8, 1);
 *   forward(x: Tensor) { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Module {
  /** True in training mode (dropout active, batch norm uses batch statistics). */
  declare training: boolean;
  declare [BUFFERS]: Set<string>;
  declare [NON_PERSISTENT]: Set<string>;
  declare [HOOKS]: Map<number, ForwardHook>;
  declare [PRE_HOOKS]: Map<number, ForwardPreHook>;

  constructor() {
    const self = ((...inputs: unknown[]) => self.forward(...inputs)) as unknown as Module;
    // An arrow function's own `name` and `length` would shadow fields of the same name.
    delete (self as unknown as { name?: string }).name;
    delete (self as unknown as { length?: number }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    const hidden = (key: PropertyKey, value: unknown) =>
      Object.defineProperty(self, key, { value, writable: true, enumerable: false, configurable: true });
    hidden("training", true);
    hidden(BUFFERS, new Set<string>());
    hidden(NON_PERSISTENT, new Set<string>());
    hidden(HOOKS, new Map());
    hidden(PRE_HOOKS, new Map());
    // Route forward through the hooks while keeping subclasses' `forward` a plain method.
    const proto = new.target.prototype as { forward: (...a: unknown[]) => unknown };
    const wrapper = (...inputs: unknown[]): unknown => {
      const pre = self[PRE_HOOKS];
      if (pre.size > 0) {
        for (const h of pre.values()) {
          const r = h(self, inputs);
          if (Array.isArray(r)) inputs = r;
        }
      }
      let out = proto.forward.apply(self, inputs);
      const hooks = self[HOOKS];
      if (hooks.size > 0) {
        for (const h of hooks.values()) {
          const r = h(self, inputs, out);
          if (r !== undefined) out = r;
        }
      }
      return out;
    };
    HOOK_WRAPPERS.add(wrapper);
    hidden("forward", wrapper);
    return self;
  }

  /** The computation; every subclass implements it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forward(..._inputs: any[]): any {
    throw new Error(`${this.constructor.name}.forward: not implemented`);
  }

  /**
   * Registers a tensor that belongs to the module's state but is not a parameter (running
   * statistics, masks): it is listed by `buffers()`, moved and converted by `to()`, and saved in
   * `stateDict()` unless `persistent` is false. Read and reassign it as the field `name`.
   */
  registerBuffer(name: string, t: Tensor | null, persistent = true): void {
    const cls = this.constructor.name;
    if (typeof name !== "string") throw new Error(`${cls}.registerBuffer: buffer name should be a string, got ${typeof name}`);
    if (name === "" || name.includes(".")) throw new Error(`${cls}.registerBuffer: buffer name can't be empty or contain ".", got ${JSON.stringify(name)}`);
    if (t !== null && !(t instanceof Tensor)) {
      throw new Error(`${cls}.registerBuffer: cannot assign ${typeof t} to buffer ${JSON.stringify(name)} (a Tensor or null is required)`);
    }
    // Own descriptors, not reads: PyTorch's own snake_case names (running_mean) must not trip
    // the snake_case guard on modules.
    const d = Object.getOwnPropertyDescriptor(this, name);
    if (!this[BUFFERS].has(name) && (d ? d.value !== undefined || d.get !== undefined : name in this)) {
      throw new Error(`${cls}.registerBuffer: attribute ${JSON.stringify(name)} already exists`);
    }
    Object.defineProperty(this, name, { value: t, writable: true, enumerable: true, configurable: true });
    this[BUFFERS].add(name);
    if (persistent) this[NON_PERSISTENT].delete(name);
    else this[NON_PERSISTENT].add(name);
  }

  /** Registers `p` as a parameter under `name` (same as assigning a `Parameter` field). */
  registerParameter(name: string, p: Tensor | null): void {
    if (p !== null && !(p instanceof Tensor)) {
      throw new Error(`${this.constructor.name}.registerParameter: cannot assign ${typeof p} as parameter ${JSON.stringify(name)} (a Tensor or null is required)`);
    }
    (this as unknown as Record<string, unknown>)[name] = p === null ? null : Parameter(p, p.requiresGrad || !PARAMETERS.has(p));
  }

  /** Adds a submodule under `name` (same as assigning a field). */
  registerModule(name: string, m: Module | null): void {
    // Defined, not assigned: an integer name must not reach an indexing proxy's `set` (containers).
    if (!/^\d+$/.test(name)) {
      Object.defineProperty(this, name, { value: m, writable: true, enumerable: true, configurable: true });
      return;
    }
    // A list slot (`seq[1] = layer`) only ever holds a module, as in PyTorch.
    let slot = m;
    const owner = this.constructor.name;
    Object.defineProperty(this, name, {
      enumerable: true, configurable: true,
      get: () => slot,
      set: (v: unknown) => {
        if (v !== null && !(v instanceof Module)) throw new TypeError(`${owner}[${name}] = …: expected a Module, got ${v === undefined ? "undefined" : (v as object).constructor?.name ?? typeof v}`);
        slot = v as Module | null;
      },
    });
  }

  /** Runs `hook(module, inputs, output)` after every forward; returns a handle to remove it. */
  /** @internal True when forward hooks or pre-hooks are registered (Sequential fuses only hook-free layers). */
  get hasForwardHooks(): boolean {
    return this[HOOKS].size > 0 || this[PRE_HOOKS].size > 0;
  }

  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return addHook(this[HOOKS], hook);
  }

  /** Runs `hook(module, inputs)` before every forward; returns a handle to remove it. */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return addHook(this[PRE_HOOKS], hook);
  }

  /** Direct submodules with their field names (arrays of modules are named `field.i`). */
  *namedChildren(): Generator<[string, Module]> {
    for (const [k, v] of Object.entries(this)) {
      if (v instanceof Module) yield [k, v];
      else if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (v[i] instanceof Module) yield [`${k}.${i}`, v[i]];
      }
    }
  }

  /** Direct submodules. */
  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and all submodules, depth first, each once, with dotted names ("" for self). */
  *namedModules(prefix = "", seen = new Set<Module>()): Generator<[string, Module]> {
    if (seen.has(this)) return;
    seen.add(this);
    yield [prefix, this];
    for (const [k, m] of this.namedChildren()) yield* m.namedModules(prefix ? `${prefix}.${k}` : k, seen);
  }

  /** This module and all submodules. */
  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** Parameters directly on this module (not submodules), with their field names. */
  private *ownParameters(): Generator<[string, Tensor]> {
    for (const [k, v] of Object.entries(this)) {
      if (this[BUFFERS].has(k)) continue;
      if (isParameter(v)) yield [k, v];
      else if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (isParameter(v[i])) yield [`${k}.${i}`, v[i]];
      }
    }
  }

  /**
   * All parameters with dotted names (`0.weight`, `fc1.bias`), each tensor once; PyTorch's
   * `prefix` and `recurse` (false: this module's own parameters only) as arguments or options.
   */
  *namedParameters(prefix: string | { prefix?: string; recurse?: boolean } = "", recurse = true): Generator<[string, Tensor]> {
    if (typeof prefix === "object") ({ prefix = "", recurse = true } = checkOptions("namedParameters", prefix, ["prefix", "recurse"]));
    const seen = new Set<Tensor>();
    const mods: Iterable<[string, Module]> = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [pre, m] of mods) {
      for (const [k, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        yield [pre ? `${pre}.${k}` : k, p];
      }
    }
  }

  /**
   * All parameters (what an optimizer takes), as an array: unlike PyTorch's one-shot generator it
   * can be iterated twice and has `.length`.
   */
  parameters(recurse: boolean | { recurse?: boolean } = true): Tensor[] {
    if (typeof recurse === "object") recurse = checkOptions("parameters", recurse, ["recurse"]).recurse ?? true;
    return [...this.namedParameters("", recurse)].map(([, p]) => p);
  }

  /** All buffers (running statistics, …) with dotted names, each tensor once. */
  *namedBuffers(prefix: string | { prefix?: string; recurse?: boolean } = "", recurse = true): Generator<[string, Tensor]> {
    if (typeof prefix === "object") ({ prefix = "", recurse = true } = checkOptions("namedBuffers", prefix, ["prefix", "recurse"]));
    const seen = new Set<Tensor>();
    for (const [pre, m] of recurse ? this.namedModules(prefix) : ([[prefix, this]] as [string, Module][])) {
      for (const k of m[BUFFERS]) {
        const v = (m as unknown as Record<string, unknown>)[k];
        if (!(v instanceof Tensor) || seen.has(v)) continue;
        seen.add(v);
        yield [pre ? `${pre}.${k}` : k, v];
      }
    }
  }

  /** All buffers, as an array (like `parameters()`). */
  buffers(recurse: boolean | { recurse?: boolean } = true): Tensor[] {
    if (typeof recurse === "object") recurse = checkOptions("buffers", recurse, ["recurse"]).recurse ?? true;
    return [...this.namedBuffers("", recurse)].map(([, b]) => b);
  }

  /**
   * Calls `fn` on every submodule (children first, each once) and then on this module; returns
   * this. PyTorch's `model.apply(initWeights)` for custom initialisation.
   */
  apply(fn: (m: Module) => void): this {
    if (typeof fn !== "function") throw new Error(`${this.constructor.name}.apply: expected a function of a module, got ${typeof fn}`);
    for (const c of new Set(this.children())) c.apply(fn);
    fn(this);
    return this;
  }

  /** Sets training mode on this module and every submodule; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (same as `train(false)`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of all parameters (to null, PyTorch's default; zeros if asked). */
  zeroGrad(setToNone: boolean | { setToNone?: boolean } = true): void {
    if (typeof setToNone === "object") setToNone = checkOptions("zeroGrad", setToNone, ["setToNone"]).setToNone ?? true;
    for (const p of this.parameters()) {
      const old = p.grad;
      if (setToNone) p.grad = null;
      else if (p.grad) p.grad = p.grad.mul(0).detach();
      releaseDropped(old, p.grad);
    }
  }

  /** Turns gradient tracking of all parameters on or off (for freezing layers); returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Parameters and persistent buffers by dotted name, in registration order, as detached
   * tensors sharing memory with the module (PyTorch's `state_dict()`).
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [prefix, m] of this.namedModules()) {
      const own = m as unknown as Record<string, unknown>;
      for (const [k, p] of m.ownParameters()) out[prefix ? `${prefix}.${k}` : k] = p.detach();
      for (const k of m[BUFFERS]) {
        const v = own[k];
        if (v instanceof Tensor && !m[NON_PERSISTENT].has(k)) out[prefix ? `${prefix}.${k}` : k] = v.detach();
      }
    }
    return out;
  }

  /**
   * Copies values from `stateDict` into this module's parameters and buffers (in place, so
   * optimizers keep working). With `strict` (default) missing or unexpected keys throw.
   */
  loadStateDict(stateDict: Record<string, Tensor> | Map<string, Tensor>, strict: boolean | { strict?: boolean } = true): LoadResult {
    if (typeof strict === "object") strict = checkOptions("loadStateDict", strict, ["strict"]).strict ?? true;
    if (stateDict === null || typeof stateDict !== "object" || stateDict instanceof Tensor) {
      throw new Error(`loadStateDict: expected named tensors (what stateDict() or load(path) returns), got ${stateDict instanceof Tensor ? "a Tensor" : stateDict === null ? "null" : typeof stateDict}`);
    }
    const given = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
    const mine = this.stateDict();
    const missingKeys = Object.keys(mine).filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !(k in mine));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      throw new Error(
        `loadStateDict: keys differ for ${this.constructor.name}: missing [${missingKeys.join(", ")}], unexpected [${unexpectedKeys.join(", ")}]`,
      );
    }
    for (const [k, dst] of Object.entries(mine)) {
      const src = given.get(k);
      if (!src) continue;
      if (src.shape.length !== dst.shape.length || src.shape.some((d, i) => d !== dst.shape[i])) {
        throw new Error(`loadStateDict: size mismatch for ${k}: checkpoint ${formatShape(src.shape)}, model ${formatShape(dst.shape)}`);
      }
    }
    noGrad(() => {
      for (const [k, dst] of Object.entries(mine)) {
        const src = given.get(k);
        if (src) copyInto(dst, src);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Converts floating parameters and buffers to a dtype ("float64", "float32") or moves all of
   * them to a backend ("cpu", …), in place like PyTorch's `module.to()`; returns this.
   * Create the optimizer after calling it: parameters are replaced by new tensors.
   */
  to(target: DType | string | Tensor | { toString(): string } | { dtype?: DType | string; device?: string | { toString(): string } }): this {
    let dtype: DType | undefined;
    let device: string | undefined;
    if (target instanceof Tensor) {
      dtype = isFloating(target.dtype) ? target.dtype : undefined;
      device = target.device;
    } else if (isOptionsObject(target)) {
      const o = checkOptions("Module.to", target as { dtype?: DType | string; device?: string | { toString(): string } }, ["dtype", "device"]);
      dtype = o.dtype === undefined ? undefined : checkDType(o.dtype, `${this.constructor.name}.to`);
      device = o.device === undefined ? undefined : String(o.device);
    } else if (typeof target === "string" && isDTypeName(target)) dtype = checkDType(target, `${this.constructor.name}.to`);
    else device = String(target);
    if (dtype && !isFloating(dtype)) {
      throw new Error(`${this.constructor.name}.to: nn.Module.to only accepts floating point dtypes, but got dtype ${dtype}; integer buffers keep their dtype`);
    }
    const convert = (t: Tensor): Tensor =>
      noGrad(() => {
        let r = device !== undefined && device !== t.device ? toBackend(t, resolveDevice(device)) : t;
        if (dtype && isFloating(r.dtype)) r = cast(r, dtype);
        return r.detach();
      });
    for (const m of this.modules()) {
      const own = m as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(own)) {
        if (m[BUFFERS].has(k)) {
          if (v instanceof Tensor) own[k] = convert(v);
        } else if (isParameter(v)) {
          const c = convert(v);
          if (c !== v) own[k] = Parameter(c, v.requiresGrad);
        } else if (Array.isArray(v)) {
          v.forEach((e, i) => {
            if (isParameter(e)) v[i] = Parameter(convert(e), e.requiresGrad);
          });
        }
      }
    }
    return this;
  }

  /** Moves parameters and buffers to the cpu backend (PyTorch's `model.cpu()`); returns this. */
  cpu(): this {
    return this.to("cpu");
  }

  /** Moves parameters and buffers to the GPU backend, webgpu (PyTorch's `model.cuda()`); returns this. */
  cuda(): this {
    return this.to("cuda");
  }

  /** Converts floating parameters and buffers to float64; returns this. */
  double(): this {
    return this.to("float64");
  }

  /** Converts floating parameters and buffers to float32; returns this. */
  float(): this {
    return this.to("float32");
  }

  /** Total number of parameter elements (optionally only trainable ones). */
  numParameters(onlyTrainable = false): number {
    let n = 0;
    for (const p of this.parameters()) if (!onlyTrainable || p.requiresGrad) n += p.shape.reduce((a, b) => a * b, 1);
    return n;
  }

  /** The options shown between the parentheses of this module's summary line. */
  extraRepr(): string {
    return "";
  }

  /** PyTorch-style nested summary: `Sequential(\n  (0): Linear(inFeatures=2, …)\n)`. */
  toString(): string {
    const kids = [...this.namedChildren()];
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (kids.length === 0) return `${head})`;
    const lines = kids.map(([k, m]) => `  (${k}): ${m.toString().split("\n").join("\n  ")}`);
    const extra = this.extraRepr();
    return `${this.constructor.name}(${extra ? `${extra}\n` : "\n"}${lines.join("\n")}\n)`;
  }

  /** The Jupyter MIME bundle: the summary plus the parameter count. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const total = this.numParameters();
    const trainable = this.numParameters(true);
    const count = total.toLocaleString("en-US");
    const note = trainable === total ? "" : ` (${trainable.toLocaleString("en-US")} trainable)`;
    return { "text/plain": `${this.toString()}\nParameters: ${count}${note}` };
  }

  /** Node's console.log / util.inspect show the summary instead of a function dump. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function addHook<H>(map: Map<number, H>, hook: H): RemovableHandle {
  const id = nextHookId++;
  map.set(id, hook);
  return { remove: () => void map.delete(id) };
}
let nextHookId = 0;

// layer.in_features / model.zero_grad() / model.state_dict() name the camelCase member instead of being undefined.
installNameGuard(Module);
