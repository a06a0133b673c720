/**
 * Checks an option's value against the values gradnote supports, with one message shape for
 * every op: `gelu: option approximate="foo" is not supported; accepted: "none", "tanh"`.
 * Unknown option *keys* are refused by checkOptions in src/ops/options.ts; checkKwargs adds
 * PyTorch's keys that gradnote knows but does not support.
 */
import { checkOptions } from "../ops/options.js";

/** Returns `value` when it is one of `accepted`; otherwise throws naming op, option and choices. */
export function checkChoice<T extends string | number | boolean>(op: string, option: string, value: unknown, accepted: readonly T[]): T {
  if ((accepted as readonly unknown[]).includes(value)) return value as T;
  const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : String(v));
  throw new Error(`${op}: option ${option}=${show(value)} is not supported; accepted: ${accepted.map(show).join(", ")}`);
}

/**
 * `checkOptions` for PyTorch keyword arguments, where some of PyTorch's keys are known but not
 * supported here: those throw saying so, with the hint given (`{ inplace: "write x = F.relu(x)" }`).
 */
export function checkKwargs<T extends object>(op: string, options: T | undefined, allowed: readonly (keyof T & string)[], unsupported: Record<string, string> = {}): T {
  if (options !== null && typeof options === "object") {
    for (const k of Object.keys(options)) {
      if (Object.prototype.hasOwnProperty.call(unsupported, k) && !(allowed as readonly string[]).includes(k)) {
        throw new Error(`${op}: option "${k}" is not supported (${unsupported[k]}); accepted: ${allowed.join(", ")}`);
      }
    }
  }
  return checkOptions(op, options, allowed);
}
