/**
 * display / clearOutput / input for code that imports them from "gradnote". Inside the gradnote
 * kernel they delegate to the kernel's own functions (registered on a global symbol, so the
 * runtime never imports kernel code); in plain Node they fall back to the terminal.
 */
import { inspect } from "node:util";

export type MimeBundle = Record<string, unknown>;

export interface DisplayOptions {
  /** An id (or `true` for a fresh one) so the output can be updated in place. */
  displayId?: string | true;
  metadata?: Record<string, unknown>;
}

export interface DisplayHandle {
  readonly displayId: string;
  /** Replaces the output with a value's bundle (update_display_data). */
  update(value: unknown, metadata?: Record<string, unknown>): void;
  /** Replaces the output with a raw MIME bundle (update_display_data). */
  updateBundle(data: MimeBundle, metadata?: Record<string, unknown>): void;
}

interface KernelDisplay {
  display: ((value: unknown, opts?: DisplayOptions) => DisplayHandle) & { bundle(data: MimeBundle, opts?: DisplayOptions): DisplayHandle };
  clearOutput(opts?: { wait?: boolean }): void;
  input(prompt?: string, opts?: { password?: boolean }): Promise<string>;
}

/** The symbol under which the kernel registers its display functions. */
export const KERNEL_HOOK = Symbol.for("gradnote.kernel");

/** The running kernel's display functions, or undefined in plain Node. */
export function kernelHook(): KernelDisplay | undefined {
  return (globalThis as Record<symbol, KernelDisplay | undefined>)[KERNEL_HOOK];
}

const DISPLAY = Symbol.for("Jupyter.display");

function plainText(value: unknown): string {
  const fn = value && typeof value === "object" ? (value as Record<symbol, unknown>)[DISPLAY] : undefined;
  const bundle = typeof fn === "function" ? (fn.call(value) as MimeBundle | undefined) : undefined;
  const text = bundle?.["text/plain"];
  return typeof text === "string" ? text : inspect(value, { colors: false, depth: 4 });
}

let fallbackIds = 0;

/** Shows a value as cell output (in the kernel) or prints its text form (plain Node). */
export function display(value: unknown, opts?: DisplayOptions): DisplayHandle {
  const k = kernelHook();
  if (k) return k.display(value, opts);
  process.stdout.write(plainText(value) + "\n");
  const displayId = typeof opts?.displayId === "string" ? opts.displayId : `plain-${++fallbackIds}`;
  const update = (v: unknown) => void process.stdout.write(plainText(v) + "\n");
  return { displayId, update, updateBundle: (data: MimeBundle) => update({ [DISPLAY]: () => data }) };
}

/** Whether output goes to a Jupyter front end (true inside the gradnote kernel). */
export function inKernel(): boolean {
  return kernelHook() !== undefined;
}

/** Sends a raw MIME bundle (the kernel), or its text/plain part (plain Node). */
export function displayBundle(data: MimeBundle, opts?: DisplayOptions): DisplayHandle {
  const k = kernelHook();
  if (k) return k.display.bundle(data, opts);
  return display({ [DISPLAY]: () => data }, opts);
}

/** Clears the cell's output (no-op outside the kernel). */
export function clearOutput(opts: { wait?: boolean } = {}): void {
  kernelHook()?.clearOutput(opts);
}

/** Asks the user for a line of text: a Jupyter input box in the kernel, stdin in plain Node. */
export async function input(prompt = "", opts: { password?: boolean } = {}): Promise<string> {
  const k = kernelHook();
  if (k) return k.input(prompt, opts);
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
}
