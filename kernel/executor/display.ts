/**
 * The display globals every cell gets: display(value) and its MIME shorthands, display handles
 * that update in place, clearOutput and input(). Values render themselves through
 * `[Symbol.for("Jupyter.display")]()`; anything else is shown as Node's util.inspect does.
 */
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { emit, emitRaw, currentCell } from "./context.js";
import type { MimeBundle } from "../messages.js";

export const DISPLAY_SYMBOL = Symbol.for("Jupyter.display");

/** Turns any value into a MIME bundle (text/plain always present). */
export function toBundle(value: unknown): MimeBundle {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const fn = (value as Record<symbol, unknown>)[DISPLAY_SYMBOL];
    if (typeof fn === "function") {
      const bundle = fn.call(value) as MimeBundle | null | undefined;
      if (bundle && typeof bundle === "object") {
        return "text/plain" in bundle ? bundle : { "text/plain": inspectPlain(value), ...bundle };
      }
    }
  }
  return { "text/plain": inspectPlain(value) };
}

export function inspectPlain(value: unknown): string {
  return inspect(value, { colors: false, depth: 4, maxArrayLength: 100, breakLength: 100 });
}

export interface DisplayOptions {
  /** Give the output an id (or `true` for a fresh one) so it can be updated in place later. */
  displayId?: string | true;
  metadata?: Record<string, unknown>;
}

/** Returned by display(): `update()` replaces that output wherever it is shown. */
export class DisplayHandle {
  constructor(readonly displayId: string) {}

  /** Sends update_display_data for this output with the new value's bundle. */
  update(value: unknown, metadata: Record<string, unknown> = {}): void {
    emit({ kind: "update_display_data", data: toBundle(value), metadata, displayId: this.displayId });
  }

  /** Replaces this output with a raw MIME bundle. */
  updateBundle(data: MimeBundle, metadata: Record<string, unknown> = {}): void {
    emit({ kind: "update_display_data", data, metadata, displayId: this.displayId });
  }
}

function sendBundle(data: MimeBundle, opts: DisplayOptions = {}): DisplayHandle {
  const displayId = opts.displayId === true || opts.displayId === undefined ? randomUUID() : opts.displayId;
  emit({
    kind: "display_data",
    data,
    metadata: opts.metadata ?? {},
    ...(opts.displayId !== undefined ? { displayId } : {}),
  });
  return new DisplayHandle(displayId);
}

function mime(type: string, toText: (v: never) => string) {
  return (value: never, opts?: DisplayOptions) => sendBundle({ [type]: toText(value), "text/plain": `<${type}>` }, opts);
}

/** Shows a value as an output of the current cell, like IPython's display(). */
export const display = Object.assign((value: unknown, opts?: DisplayOptions) => sendBundle(toBundle(value), opts), {
  html: mime("text/html", (s: string) => String(s)),
  markdown: mime("text/markdown", (s: string) => String(s)),
  svg: mime("image/svg+xml", (s: string) => String(s)),
  latex: mime("text/latex", (s: string) => String(s)),
  json: (value: unknown, opts?: DisplayOptions) => sendBundle({ "application/json": value, "text/plain": inspectPlain(value) }, opts),
  png: mime("image/png", (b: Uint8Array | string) => (typeof b === "string" ? b : Buffer.from(b).toString("base64"))),
  /** Sends a MIME bundle as it is. */
  bundle: (data: MimeBundle, opts?: DisplayOptions) => sendBundle(data, opts),
});

/**
 * Shows text (or any value's MIME bundle) in the front end's pager, like IPython's `?` help:
 * sent as an execute_reply payload, so it appears once the cell has finished.
 */
export function page(value: unknown): void {
  const run = currentCell();
  if (!run) return;
  const data = typeof value === "string" ? { "text/plain": value } : toBundle(value);
  (run.payload ??= []).push({ source: "page", data, start: 0 });
}

/** Clears the cell's output; with `wait`, only when the next output arrives (no flicker). */
export function clearOutput(opts: { wait?: boolean } = {}): void {
  emit({ kind: "clear_output", wait: opts.wait === true });
}

let nextInputId = 1;
const pendingInputs = new Map<number, { resolve: (v: string) => void; reject: (e: Error) => void }>();

/** Asks the front end for a line of text (`await input("Name: ")`); `password` hides it. */
export function input(prompt = "", opts: { password?: boolean } = {}): Promise<string> {
  const run = currentCell();
  if (!run?.allowStdin) {
    return Promise.reject(Object.assign(new Error("input: this front end does not support input requests (allow_stdin is false)"), { name: "StdinNotImplementedError" }));
  }
  const requestId = nextInputId++;
  return new Promise((resolve, reject) => {
    pendingInputs.set(requestId, { resolve, reject });
    emitRaw({ kind: "input_request", parent: run.parent, requestId, prompt: String(prompt), password: opts.password === true });
  });
}

/** `await getpass("Password: ")`: input with the answer hidden. */
export const getpass = (prompt = "Password: ") => input(prompt, { password: true });

export function resolveInput(requestId: number, value: string | null, error?: string): void {
  const p = pendingInputs.get(requestId);
  if (!p) return;
  pendingInputs.delete(requestId);
  if (error || value === null) p.reject(new Error(error ?? "input: no reply"));
  else p.resolve(value);
}
