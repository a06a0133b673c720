/**
 * Values crossing from a student's kernel to the grading process: the kernel encodes what an
 * expression gave as plain JSON (numbers that JSON cannot hold, tensors, typed arrays, Maps and
 * Sets tagged), the grader decodes it. Nothing here runs code from the other side: decoding only
 * builds data, so a submission can influence its own answers but never the comparison.
 */

/** The MIME type of an encoded value in a display_data message. */
export const VALUE_MIME = "application/vnd.gradnote.value+json";

/** A tensor as it crossed: dtype, shape and the elements in row-major order. */
export interface TensorData {
  dtype: string;
  shape: number[];
  data: Float64Array;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const MAX_DEPTH = 64;
/** Numbers one value may carry: its JSON stays well under the grader's 256 MiB message cap. */
export const MAX_NUMBERS = 8_000_000;

/** Encodes a number JSON cannot hold exactly (NaN, ±Infinity, -0) as a tagged object. */
function encodeNumber(n: number): Json {
  if (Number.isFinite(n) && !Object.is(n, -0)) return n;
  return { $num: Object.is(n, -0) ? "-0" : String(n) };
}

function isTensorLike(v: object): v is { dtype: string; shape: readonly number[]; dataSync(): ArrayLike<number> } {
  const t = v as Record<string, unknown>;
  return typeof t.dtype === "string" && Array.isArray(t.shape) && typeof t.dataSync === "function";
}

function numbers(data: ArrayLike<number | bigint>, limit: { left: number }): Json[] {
  limit.left -= data.length;
  if (limit.left < 0) throw new RangeError(`the value is too large to send to the grader (more than ${MAX_NUMBERS.toLocaleString("en")} numbers)`);
  return Array.from(data, (x) => encodeNumber(Number(x)));
}

/**
 * The JSON form of a value. Cycles, functions and symbols are named in the error or the tag, so a
 * test can say what the student returned; `limit` bounds the numbers a value may carry.
 */
export function encodeValue(value: unknown, limit = { left: MAX_NUMBERS }, depth = 0, seen = new Set<object>()): Json {
  if (depth > MAX_DEPTH) throw new RangeError(`the value is nested more than ${MAX_DEPTH} levels deep`);
  switch (typeof value) {
    case "number":
      return encodeNumber(value);
    case "string":
    case "boolean":
      return value;
    case "undefined":
      return { $undefined: true };
    case "bigint":
      return { $bigint: value.toString() };
    case "symbol":
      return { $symbol: value.description ?? "" };
    case "function":
      return { $function: value.name || "(anonymous)" };
  }
  if (value === null) return null;
  const obj = value as object;
  if (seen.has(obj)) throw new TypeError("the value contains a cycle (an object that refers back to itself)");
  seen.add(obj);
  try {
    if (isTensorLike(obj)) return { $tensor: { dtype: obj.dtype, shape: [...obj.shape], data: numbers(obj.dataSync(), limit) } };
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      return { $typed: { type: obj.constructor.name, data: numbers(obj as unknown as ArrayLike<number>, limit) } };
    }
    if (Array.isArray(obj)) {
      limit.left -= obj.length;
      return obj.map((x) => encodeValue(x, limit, depth + 1, seen));
    }
    if (obj instanceof Map) return { $map: [...obj].map(([k, v]) => [encodeValue(k, limit, depth + 1, seen), encodeValue(v, limit, depth + 1, seen)]) };
    if (obj instanceof Set) return { $set: [...obj].map((x) => encodeValue(x, limit, depth + 1, seen)) };
    if (obj instanceof Error) return { $error: { name: obj.name, message: obj.message } };
    if (obj instanceof Date) return { $date: obj.toISOString() };
    const out: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(obj)) out[k] = encodeValue(v, limit, depth + 1, seen);
    const proto = Object.getPrototypeOf(obj);
    const className = proto && proto !== Object.prototype ? proto.constructor?.name : undefined;
    return className ? { $object: out, class: className } : { $object: out };
  } finally {
    seen.delete(obj);
  }
}

/** A value that could not cross as data (a function, a symbol): tests see what it was. */
export class Opaque {
  constructor(readonly kind: "function" | "symbol", readonly name: string) {}
  toString(): string {
    return `[${this.kind} ${this.name}]`;
  }
}

/** An error value the student's expression returned (not threw). */
export class ErrorValue {
  constructor(readonly name: string, readonly message: string) {}
  toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

function decodeNumber(x: Json): number {
  if (typeof x === "number") return x;
  if (x && typeof x === "object" && !Array.isArray(x) && typeof x.$num === "string") return Number(x.$num);
  throw new TypeError("malformed number in a student value");
}

/**
 * The grader's copy of an encoded value. Tensors become `makeTensor(...)` (the grader passes one
 * that builds a gradnote tensor), typed arrays become Float64Arrays, class instances plain objects.
 * Anything malformed throws: a forged payload can only fail its own test.
 */
export function decodeValue(json: unknown, makeTensor: (t: TensorData) => unknown = (t) => t, depth = 0): unknown {
  if (depth > MAX_DEPTH + 2) throw new RangeError("student value nested too deeply");
  if (json === null || typeof json === "boolean" || typeof json === "string" || typeof json === "number") return json;
  if (Array.isArray(json)) return json.map((x) => decodeValue(x, makeTensor, depth + 1));
  if (typeof json !== "object") throw new TypeError("malformed student value");
  const o = json as Record<string, Json>;
  const tag = Object.keys(o)[0];
  const body = o[tag];
  switch (tag) {
    case "$num":
      return decodeNumber(o);
    case "$undefined":
      return undefined;
    case "$bigint":
      return BigInt(String(body));
    case "$symbol":
      return new Opaque("symbol", String(body));
    case "$function":
      return new Opaque("function", String(body));
    case "$date":
      return new Date(String(body));
    case "$error": {
      const e = body as Record<string, Json>;
      return new ErrorValue(String(e.name), String(e.message));
    }
    case "$tensor": {
      const t = body as Record<string, Json>;
      if (typeof t.dtype !== "string" || !Array.isArray(t.shape) || !Array.isArray(t.data)) throw new TypeError("malformed tensor in a student value");
      const shape = t.shape.map((d) => {
        if (typeof d !== "number" || !Number.isInteger(d) || d < 0) throw new TypeError("malformed tensor shape in a student value");
        return d;
      });
      const data = Float64Array.from(t.data, decodeNumber);
      if (shape.reduce((a, b) => a * b, 1) !== data.length) throw new TypeError("tensor shape and element count disagree in a student value");
      return makeTensor({ dtype: t.dtype, shape, data });
    }
    case "$typed": {
      const t = body as Record<string, Json>;
      if (!Array.isArray(t.data)) throw new TypeError("malformed typed array in a student value");
      return Float64Array.from(t.data, decodeNumber);
    }
    case "$map":
      if (!Array.isArray(body)) throw new TypeError("malformed Map in a student value");
      return new Map(body.map((kv) => {
        if (!Array.isArray(kv) || kv.length !== 2) throw new TypeError("malformed Map entry in a student value");
        return [decodeValue(kv[0], makeTensor, depth + 1), decodeValue(kv[1], makeTensor, depth + 1)];
      }));
    case "$set":
      if (!Array.isArray(body)) throw new TypeError("malformed Set in a student value");
      return new Set(body.map((x) => decodeValue(x, makeTensor, depth + 1)));
    case "$object": {
      if (!body || typeof body !== "object" || Array.isArray(body)) throw new TypeError("malformed object in a student value");
      const out: Record<string, unknown> = {};
      // defineProperty: a "__proto__" key stays a plain key instead of setting the prototype.
      for (const [k, v] of Object.entries(body)) Object.defineProperty(out, k, { value: decodeValue(v, makeTensor, depth + 1), enumerable: true, writable: true, configurable: true });
      return out;
    }
    default:
      throw new TypeError(`malformed student value (unknown tag ${JSON.stringify(tag)})`);
  }
}
