/**
 * Integer indexing for classes that PyTorch users index with `[]`: `t[0]`, `t[-1]`,
 * `model[-1]`, `dataset[i]`. A Proxy placed in the prototype chain (above the class's own
 * prototype) sees only lookups that found nothing on the instance or the class, so methods
 * and fields never pass through it and hot paths pay nothing.
 * It also turns PyTorch's snake_case names (`requires_grad`) into an error naming the
 * camelCase one, instead of a silent `undefined` (or a silently ignored assignment).
 */

/** How a class answers `obj[i]`, `obj.length` and `for (const x of obj)`. */
export interface IndexingSpec<T> {
  /** Class name used in messages ("Tensor", "Sequential"). */
  readonly name: string;
  /** Number of items (`len(obj)` in Python). */
  length(self: T): number;
  /** Item `i`, already normalised to 0 ≤ i < length. */
  getItem(self: T, i: number): unknown;
  /** `obj[i] = value`, i normalised; absent = assignment throws naming what to write. */
  setItem?(self: T, i: number, value: unknown): void;
  /** Text of the error for `obj[i] = v` when setItem is absent. */
  setHint?: string;
}

const INTEGER = /^-?(0|[1-9]\d*)$/;
const NUMERIC = /^-?(\d+\.\d*|\.\d+|\d+e[-+]?\d+|Infinity|NaN)$/;

/** The camelCase spelling of a snake_case name (`requires_grad` → `requiresGrad`). */
function camel(key: string): string {
  return key.replace(/([a-z0-9])_([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase());
}

/** Resolves `key` to an index in [0, n) or throws PyTorch's IndexError text. */
export function normaliseIndex(name: string, i: number, n: number, what = "dimension 0"): number {
  if (i < -n || i >= n) throw new RangeError(`${name}: index ${i} is out of bounds for ${what} with size ${n}`);
  return i < 0 ? i + n : i;
}

/** The class name shown in messages: the instance's own class (a user's subclass), else the spec's. */
function nameOf(receiver: object, fallback: string): string {
  // A bundler may rename a class that refers to itself (`_Sequential`): show the source name.
  const n = (receiver as { constructor?: { name?: string } }).constructor?.name?.replace(/^_+/, "");
  return n && n !== "Object" ? n : fallback;
}

/** Throws for a snake_case key whose camelCase spelling exists on `receiver`. */
function guardName(receiver: object, key: string, fallback: string): void {
  const c = camel(key);
  if (c !== key && c in receiver) {
    throw new TypeError(`${nameOf(receiver, fallback)} has no property "${key}"; gradnote uses camelCase: write .${c}`);
  }
}

/** Puts a Proxy with `handler` between `cls.prototype` and its parent (once per class). */
function insertProxy(cls: { prototype: object }, mark: symbol, handler: (target: object) => ProxyHandler<object>): boolean {
  const proto = cls.prototype;
  if (Object.prototype.hasOwnProperty.call(proto, mark)) return false;
  const target = Object.create(Object.getPrototypeOf(proto) as object | null) as object;
  Object.setPrototypeOf(proto, new Proxy(target, handler(target)));
  Object.defineProperty(proto, mark, { value: true });
  return true;
}

/**
 * Makes PyTorch's snake_case names (`layer.in_features`, `opt.zero_grad`) throw naming the
 * camelCase member instead of reading `undefined` or setting an ignored field, for instances
 * of `cls` and its subclasses. Lookups that find a member never reach the guard.
 */
export function installNameGuard(cls: { prototype: object; name: string }): void {
  insertProxy(cls, guardMark, () => ({
    // Members found further up (a base class's methods) pass straight through.
    get(t, key, receiver) {
      if (typeof key === "string" && !(key in t)) guardName(receiver as object, key, cls.name);
      return Reflect.get(t, key, receiver);
    },
    set(t, key, value, receiver) {
      if (typeof key === "string" && !(key in t)) guardName(receiver as object, key, cls.name);
      return Reflect.set(t, key, value, receiver);
    },
  }));
}

/**
 * Makes `obj[i]` (negative from the end), `obj.length` and iteration work on instances of
 * `cls` and its subclasses, with the snake_case guard of installNameGuard. Idempotent per class.
 */
export function installIndexing<T extends object>(cls: { prototype: T; name: string }, spec: IndexingSpec<T>): void {
  const lookup = (self: T, key: string): number => {
    const i = Number(key), n = spec.length(self);
    // The message's name (a string built from the class name) only when the index is out of range.
    return i >= 0 && i < n ? i : normaliseIndex(`${nameOf(self, spec.name)}[${key}]`, i, n);
  };
  const fresh = insertProxy(cls, indexingMark, () => ({
    get(t, key, receiver) {
      // Members found further up (a base class's methods) pass straight through.
      if (typeof key === "string" && !(key in t)) {
        if (INTEGER.test(key)) return spec.getItem(receiver as T, lookup(receiver as T, key));
        if (NUMERIC.test(key)) throw new TypeError(`${nameOf(receiver as object, spec.name)}[${key}]: indices must be integers`);
        guardName(receiver as object, key, spec.name);
      }
      return Reflect.get(t, key, receiver);
    },
    set(t, key, value, receiver) {
      if (typeof key === "string" && !(key in t)) {
        if (INTEGER.test(key)) {
          if (!spec.setItem) throw new TypeError(spec.setHint ?? `${nameOf(receiver as object, spec.name)}[${key}] = …: item assignment is not supported`);
          spec.setItem(receiver as T, lookup(receiver as T, key), value);
          return true;
        }
        if (NUMERIC.test(key)) throw new TypeError(`${nameOf(receiver as object, spec.name)}[${key}]: indices must be integers`);
        guardName(receiver as object, key, spec.name);
      }
      return Reflect.set(t, key, value, receiver);
    },
  }));
  if (!fresh) return;
  const proto = cls.prototype as object;
  if (!Object.prototype.hasOwnProperty.call(proto, "length")) {
    Object.defineProperty(proto, "length", {
      configurable: true,
      get(this: T) {
        return spec.length(this);
      },
    });
  }
  if (!Object.prototype.hasOwnProperty.call(proto, Symbol.iterator)) {
    Object.defineProperty(proto, Symbol.iterator, {
      configurable: true,
      writable: true,
      value: function* (this: T) {
        const n = spec.length(this);
        for (let i = 0; i < n; i++) yield spec.getItem(this, i);
      },
    });
  }
}

const guardMark = Symbol("gradnote.nameGuard");
const indexingMark = Symbol("gradnote.indexing");
