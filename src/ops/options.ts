/**
 * Keyword-style options (PyTorch's keyword arguments as a trailing object): one checker that
 * refuses unknown keys by name, so a misspelt option never silently falls back to a default.
 * Used by reductions, nn.functional and anything else that takes `{ dim, keepdim, … }`.
 */

/** True for a plain `{ … }` object (not a Tensor, array, null or class instance). */
export function isOptionsObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks that `options` holds only `allowed` keys and returns it (`{}` when undefined/null).
 * Throws `op: unknown option "keepDim"; accepted: dim, keepdim, dtype`, with a "did you mean"
 * hint when only the spelling or case differs (PyTorch's snake_case names are recognised too).
 */
export function checkOptions<T extends object>(op: string, options: T | undefined, allowed: readonly (keyof T & string)[]): T {
  if (options === undefined || options === null) return {} as T;
  if (!isOptionsObject(options)) {
    const got = Array.isArray(options) ? "an array" : typeof options === "object" ? "a " + ((options as object).constructor?.name ?? "object") : typeof options;
    throw new Error(`${op}: expected an options object { ${allowed.join(", ")} }, got ${got}`);
  }
  for (const key of Object.keys(options)) {
    if ((allowed as readonly string[]).includes(key)) continue;
    const hint = closest(key, allowed);
    const accepted = allowed.length > 0 ? allowed.join(", ") : "(none)";
    throw new Error(`${op}: unknown option "${key}"; accepted: ${accepted}${hint ? ` (did you mean "${hint}"?)` : ""}`);
  }
  return options;
}

/** An allowed key equal to `key` up to case and underscores (keep_dim, keepDim → keepdim). */
function closest(key: string, allowed: readonly string[]): string | undefined {
  const norm = (s: string): string => s.replace(/_/g, "").toLowerCase();
  return allowed.find((a) => norm(a) === norm(key));
}

/**
 * Splits `args` into positional values and a trailing options object (checked against
 * `allowed`), for ops that take both (`x.sum(1, { keepdim: true })`). Trailing undefined
 * positionals are dropped. The options come back as a fresh object the caller may extend.
 */
export function trailingOptions(op: string, args: readonly unknown[], allowed: readonly string[]): { positional: unknown[]; options: Record<string, unknown> } {
  const positional = args.slice();
  while (positional.length > 0 && positional[positional.length - 1] === undefined) positional.pop();
  const last = positional[positional.length - 1];
  const options: Record<string, unknown> = {};
  if (positional.length > 0 && isOptionsObject(last)) {
    positional.pop();
    Object.assign(options, checkOptions<Record<string, unknown>>(op, last, allowed));
  }
  return { positional, options };
}
