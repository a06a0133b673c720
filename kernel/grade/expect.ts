/**
 * `expect(actual)` for test cells: the assertions a teacher needs on numbers, arrays, tensors and
 * objects, with messages that show what was expected and what came back. In grading it runs in
 * the grading process on data the student's kernel sent, so a submission cannot patch it.
 */

export class AssertionError extends Error {
  override name = "AssertionError";
}

interface TensorLike {
  dtype: string;
  shape: readonly number[];
  dataSync(): ArrayLike<number>;
}

const isTensor = (v: unknown): v is TensorLike =>
  v !== null && typeof v === "object" && typeof (v as TensorLike).dtype === "string" && Array.isArray((v as TensorLike).shape) && typeof (v as TensorLike).dataSync === "function";

/** A short readable form of a value for messages (long arrays elided). */
export function describe(v: unknown, depth = 0): string {
  if (isTensor(v)) return `tensor(shape [${v.shape.join(", ")}], ${v.dtype}: ${describe(Array.from(v.dataSync()), depth + 1)})`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 200 ? v.slice(0, 200) + "…" : v);
  if (typeof v === "bigint") return `${v}n`;
  if (v === undefined || v === null || typeof v === "boolean") return String(v);
  if (typeof v === "function") return `[function ${v.name || "(anonymous)"}]`;
  if (depth > 3) return "…";
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const a = Array.from(v as ArrayLike<unknown>);
    const shown = a.slice(0, 8).map((x) => describe(x, depth + 1));
    return `[${shown.join(", ")}${a.length > 8 ? `, … ${a.length - 8} more` : ""}]`;
  }
  if (v instanceof Map) return `Map(${v.size})`;
  if (v instanceof Set) return `Set(${v.size})`;
  const s = String(v);
  if (s !== "[object Object]") return s;
  const entries = Object.entries(v as object).slice(0, 8).map(([k, x]) => `${k}: ${describe(x, depth + 1)}`);
  return `{ ${entries.join(", ")} }`;
}

/** Shape and flat elements of a number, nested array, typed array or tensor; undefined otherwise. */
function numeric(v: unknown): { shape: number[]; data: number[] } | undefined {
  if (typeof v === "number") return { shape: [], data: [v] };
  if (typeof v === "boolean") return { shape: [], data: [v ? 1 : 0] };
  if (isTensor(v)) return { shape: [...v.shape], data: Array.from(v.dataSync(), Number) };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { shape: [(v as unknown as ArrayLike<number>).length], data: Array.from(v as unknown as ArrayLike<number>, Number) };
  if (Array.isArray(v)) {
    const parts = v.map(numeric);
    if (parts.some((p) => p === undefined)) return undefined;
    const inner = parts[0]?.shape ?? [];
    if (parts.some((p) => p!.shape.join() !== inner.join())) return undefined;
    return { shape: [v.length, ...inner], data: parts.flatMap((p) => p!.data) };
  }
  return undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  const na = numeric(a), nb = numeric(b);
  if (na && nb && (isTensor(a) || isTensor(b) || ArrayBuffer.isView(a) || ArrayBuffer.isView(b))) {
    return na.shape.join() === nb.shape.join() && na.data.every((x, i) => Object.is(x, nb.data[i]) || x === nb.data[i]);
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Map && b instanceof Map) return a.size === b.size && [...a].every(([k, v]) => b.has(k) && deepEqual(v, b.get(k)));
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((x) => b.has(x));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export interface Tolerance {
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
}

export class Expectation {
  constructor(private readonly actual: unknown, private readonly negated = false) {}

  /** The same assertions, each passing when the plain one would fail. */
  get not(): Expectation {
    return new Expectation(this.actual, !this.negated);
  }

  private check(ok: boolean, message: string): void {
    if (ok === this.negated) throw new AssertionError(this.negated ? `expected NOT: ${message}` : message);
  }

  /** Same value (Object.is). */
  toBe(expected: unknown): void {
    this.check(Object.is(this.actual, expected), `expected ${describe(expected)}, got ${describe(this.actual)}`);
  }

  /** Equal structure and values: arrays, objects, Maps, Sets, tensors (shape and elements). */
  toEqual(expected: unknown): void {
    this.check(deepEqual(this.actual, expected), `expected ${describe(expected)}, got ${describe(this.actual)}`);
  }

  /** Numbers, nested arrays or tensors equal within |a − e| ≤ atol + rtol·|e|, same shape. */
  toBeCloseTo(expected: unknown, tol: Tolerance = {}): void {
    const atol = tol.atol ?? 1e-5, rtol = tol.rtol ?? 1e-4;
    const a = numeric(this.actual), e = numeric(expected);
    if (!e) throw new TypeError(`toBeCloseTo: the expected value must be a number, an array of numbers or a tensor, got ${describe(expected)}`);
    if (!a) return this.check(false, `expected numbers close to ${describe(expected)}, got ${describe(this.actual)}`);
    // A one-element tensor or array may stand for a number (and the other way round).
    const sameShape = a.shape.join() === e.shape.join() || (a.data.length === 1 && e.data.length === 1);
    if (!sameShape) {
      return this.check(false, `expected shape [${e.shape.join(", ")}], got shape [${a.shape.join(", ")}] (${describe(this.actual)})`);
    }
    const bad = a.data.findIndex((x, i) => !(Math.abs(x - e.data[i]) <= atol + rtol * Math.abs(e.data[i])) && !(Number.isNaN(x) && Number.isNaN(e.data[i])) && x !== e.data[i]);
    this.check(bad < 0, bad < 0 ? `expected values close to ${describe(expected)}` : `element ${bad}: expected ${e.data[bad]} ± ${(atol + rtol * Math.abs(e.data[bad])).toPrecision(2)}, got ${a.data[bad]}${a.data.length > 1 ? ` (whole value ${describe(this.actual)})` : ""}`);
  }

  /** A tensor, typed or nested array of this shape. */
  toHaveShape(shape: readonly number[]): void {
    const a = numeric(this.actual);
    this.check(!!a && a.shape.join() === shape.join(), `expected shape [${shape.join(", ")}], got ${a ? `shape [${a.shape.join(", ")}]` : describe(this.actual)}`);
  }

  toBeGreaterThan(n: number): void {
    this.check(typeof this.actual === "number" && this.actual > n, `expected a number > ${n}, got ${describe(this.actual)}`);
  }

  toBeGreaterThanOrEqual(n: number): void {
    this.check(typeof this.actual === "number" && this.actual >= n, `expected a number ≥ ${n}, got ${describe(this.actual)}`);
  }

  toBeLessThan(n: number): void {
    this.check(typeof this.actual === "number" && this.actual < n, `expected a number < ${n}, got ${describe(this.actual)}`);
  }

  toBeLessThanOrEqual(n: number): void {
    this.check(typeof this.actual === "number" && this.actual <= n, `expected a number ≤ ${n}, got ${describe(this.actual)}`);
  }

  toBeTruthy(): void {
    this.check(!!this.actual, `expected a truthy value, got ${describe(this.actual)}`);
  }

  toBeFalsy(): void {
    this.check(!this.actual, `expected a falsy value, got ${describe(this.actual)}`);
  }

  /** A number, or every element, is finite (no NaN or ±Infinity). */
  toBeFinite(): void {
    const a = numeric(this.actual);
    this.check(!!a && a.data.every(Number.isFinite), `expected finite numbers, got ${describe(this.actual)}`);
  }
}

/** `expect(actual).toBeCloseTo(0.5)`: throws AssertionError with what was expected and got. */
export function expect(actual: unknown): Expectation {
  // A forgotten await would compare a Promise: say what to write instead of failing obscurely.
  if (actual !== null && typeof actual === "object" && typeof (actual as { then?: unknown }).then === "function") {
    throw new TypeError("expect() got a Promise: student.call/eval answer asynchronously, so write expect(await student.call(...))");
  }
  return new Expectation(actual);
}
