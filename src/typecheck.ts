/**
 * `typecheck(mode)`: how the gradnote kernel treats a cell's type errors from now on, without a
 * magic command. The kernel installs the switch (kernel/executor/typecheck.ts); outside the
 * kernel there is no type checking to switch, and this says so.
 */

/** "warn": type errors shown on stderr after the cell runs; "error": the cell does not run; "off": silent. */
export type TypecheckMode = "warn" | "error" | "off";

/**
 * Sets the kernel's type-check mode (GRADNOTE_TYPECHECK sets it at start; default "warn") and
 * returns the previous one; without an argument, returns the current mode.
 * @example typecheck("off") // no type warnings from the next cell on
 */
export function typecheck(mode?: TypecheckMode): TypecheckMode {
  const kernel = (globalThis as Record<symbol, { typecheck?: (m?: TypecheckMode) => TypecheckMode } | undefined>)[Symbol.for("gradnote.kernel")];
  if (!kernel?.typecheck) throw new Error("typecheck: only the gradnote kernel type-checks cells");
  return kernel.typecheck(mode);
}
