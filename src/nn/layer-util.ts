/**
 * Helpers the layer files share: fresh parameters, option normalisation and
 * shape checks with errors that name the layer and the shapes.
 */
import { Tensor, emptyTensor } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { Parameter } from "./module.js";
import { copyInto } from "./tensor-util.js";
import { checkOptions, isOptionsObject } from "../ops/options.js";

/** A new float32 parameter of `shape` (values set by the layer's initialiser). */
export function newParameter(shape: readonly number[]): Tensor {
  return Parameter(emptyTensor(shape, "float32"));
}

/** A new float32 tensor of `shape` for a buffer (running statistics). */
export function newBuffer(shape: readonly number[], fill = 0): Tensor {
  const t = emptyTensor(shape, "float32");
  if (fill !== 0) copyInto(t, new Float32Array(t.numel()).fill(fill));
  return t;
}

/** Throws unless `n` is a positive integer; `what` names the layer argument. */
export function checkPositiveInt(layer: string, what: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${layer}: ${what} must be a positive integer, got ${n}`);
}

/** Throws unless the input's last dimension is `size`. */
export function checkLastDim(layer: string, x: Tensor, size: number, what: string): void {
  if (!(x instanceof Tensor)) throw new Error(`${layer}: expected a Tensor input, got ${x === null ? "null" : typeof x}`);
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== size) {
    throw new Error(`${layer}: expected input with last dimension ${size} (${what}), got shape ${formatShape(x.shape)}`);
  }
}

/** `n` or `[a, b]` written the way PyTorch's reprs write them. */
export function pairRepr(v: number | readonly number[]): string {
  return typeof v === "number" ? String(v) : `(${v.join(", ")})`;
}

/**
 * A layer constructor's arguments in PyTorch's calling styles: positional values in PyTorch's
 * order (`names`), optionally followed by an options object, or one options object with every
 * argument by name (`new nn.Linear({ inFeatures: 2, outFeatures: 3 })`). The first `required`
 * names must be given. Unknown keys throw naming the accepted ones; keys PyTorch has but gradnote
 * does not (`unsupported`, with a hint) throw saying so.
 */
export function layerArgs<T extends object>(
  layer: string, args: readonly unknown[], names: readonly (keyof T & string)[], required: number, unsupported: Record<string, string> = {},
  namespace = "nn.",
): T {
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const hasOptions = isOptionsObject(last);
  const positional = hasOptions ? args.slice(0, -1) : args;
  if (positional.length > names.length) {
    throw new Error(`${layer}: takes at most ${names.length} positional arguments (${names.join(", ")}), got ${positional.length}`);
  }
  const out: Record<string, unknown> = {};
  positional.forEach((v, i) => {
    if (v !== undefined) out[names[i]] = v;
  });
  if (hasOptions) {
    for (const [k, v] of Object.entries(last)) {
      if (k in unsupported) throw new Error(`${layer}: option "${k}" is not supported (${unsupported[k]}); accepted: ${names.join(", ")}`);
      if (k in out) throw new Error(`${layer}: got multiple values for argument "${k}" (positional ${JSON.stringify(out[k])} and option ${JSON.stringify(v)})`);
    }
    Object.assign(out, checkOptions(layer, last as T, names));
  }
  const req = names.slice(0, required);
  for (const k of req) {
    if (out[k] === undefined) {
      throw new Error(`${layer}: missing required argument "${k}"; write new ${namespace}${layer}(${req.join(", ")}) or new ${namespace}${layer}({ ${req.join(", ")} })`);
    }
  }
  return out as T;
}

/** A max-pooling layer's settings with PyTorch's defaults applied (stride = kernelSize). */
export interface MaxPoolSettings<K> {
  kernelSize: K;
  stride: K;
  padding: K | number;
  dilation: K | number;
  ceilMode: boolean;
}

/**
 * Parses MaxPool1d/2d arguments in PyTorch's positional order (kernelSize, stride, padding,
 * dilation, returnIndices, ceilMode) or by name. returnIndices keeps its place so that a ported
 * `MaxPool2d(2, 2, 0, 1, False, True)` sets ceilMode, and a true returnIndices is refused.
 */
export function maxPoolArgs<K>(name: string, args: unknown[], functional: string): MaxPoolSettings<K> {
  type A = { kernelSize: K; stride?: K | null; padding?: K | number; dilation?: K | number; returnIndices?: boolean; ceilMode?: boolean };
  const hint = `use ${functional} for the values; indices are not returned`;
  const a = layerArgs<A>(name, args, ["kernelSize", "stride", "padding", "dilation", "returnIndices", "ceilMode"], 1, { returnIndices: hint });
  if (a.returnIndices) throw new Error(`${name}: returnIndices is not supported (${hint})`);
  return { kernelSize: a.kernelSize, stride: a.stride ?? a.kernelSize, padding: a.padding ?? 0, dilation: a.dilation ?? 1, ceilMode: a.ceilMode ?? false };
}
