/**
 * IPython-style help: `x?` / `?x` (detail 0) and `x??` / `??x` (detail 1) as a cell or as its
 * last line, and the `help(x)` global. The text comes from inspectAt (the inspect_request
 * answer) and goes to the front end's pager as an execute_reply payload, as IPython's does.
 */
import { esbuildTransform } from "./esbuild-service.js";
import type { PagePayload } from "../messages.js";
import { currentCell, type CellRun } from "./context.js";
import { inspectAt } from "./inspect.js";

/** A help line found at the end of a cell. */
export interface HelpRequest {
  /** The cell without its help line (run first, as IPython does). */
  code: string;
  /** The dotted name asked about, e.g. `nn.Linear`. */
  name: string;
  /** 0 for `?`, 1 for `??`. */
  detail: 0 | 1;
}

const NAME = String.raw`[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*`;
const HELP_LINE = new RegExp(String.raw`^\s*(?:(\?{1,2})\s*(${NAME})|(${NAME})\s*(\?{1,2}))\s*;?\s*$`);

/**
 * Finds `x?`, `x??`, `?x` or `??x` on the cell's last non-blank line. Such a line is never valid
 * TypeScript at the end of a cell, except `??x` continuing an expression from the line above
 * (`a\n??b`); `parses(code)` tells that case apart and is only called when the line matches.
 */
export async function parseHelp(code: string, parses: (code: string) => Promise<boolean>): Promise<HelpRequest | undefined> {
  const lines = code.replace(/\s+$/, "").split("\n");
  const last = lines[lines.length - 1];
  const m = HELP_LINE.exec(last);
  if (!m) return undefined;
  const rest = lines.slice(0, -1).join("\n");
  if (m[1] && rest.trim() !== "" && (await parses(code))) return undefined;
  const name = (m[2] ?? m[3]).replace(/\s+/g, "");
  const marks = m[1] ?? m[4];
  return { code: rest, name, detail: marks.length === 2 ? 1 : 0 };
}

/** Whether esbuild parses `code` as TypeScript (for parseHelp). */
export async function parsesAsTypeScript(code: string): Promise<boolean> {
  try {
    await esbuildTransform(code, { loader: "ts", format: "esm", logLevel: "silent", supported: { "top-level-await": true } });
    return true;
  } catch {
    return false; // the parse error is the answer
  }
}

/**
 * The pager payload for `name` (inspected at the end of `context`, the code before it), or
 * undefined when nothing is known about the name (IPython then prints "Object `x` not found.").
 */
export async function helpPayload(context: string, name: string, detail: 0 | 1): Promise<PagePayload | undefined> {
  const code = context.trim() === "" ? name : `${context}\n${name}`;
  const r = await inspectAt(code, Array.from(code).length, detail);
  if (!r.found || Object.keys(r.data).length === 0) return undefined;
  const data = { ...r.data };
  if (typeof data["text/plain"] !== "string") data["text/plain"] = String(data["text/markdown"] ?? data["text/html"] ?? name);
  return { source: "page", data, start: 0 };
}

/** The text IPython prints for a name it cannot find. */
export const notFound = (name: string) => `Object \`${name}\` not found.\n`;

const INTRO = [
  "gradnote help",
  "",
  "  name?     the signature, type and documentation of `name` (also ?name)",
  "  name??    the same with more detail: the full value or the source (also ??name)",
  "  help(x)   the same as x?, for any expression",
  "  Tab       completes names and members; Shift+Tab shows this help in a tooltip",
  "",
  "gradnote follows PyTorch's API: import { tensor, nn, optim } from \"gradnote\".",
].join("\n");

/** Help requests made by help() in a cell; answered after the cell has run (inspectAt is async). */
const pendingHelp = new WeakMap<CellRun, { name: string; value: unknown }[]>();
const HELP_SLOT = "__gnHelpValue";

/**
 * `help(x)`: shows the help for `x` in the pager once the cell has finished, as `x?` does.
 * When `x` is written as a name (`help(nn.Linear)`) the name is inspected in the cell's code;
 * otherwise the value itself is. `help()` shows how to get help.
 */
export function help(...args: unknown[]): void {
  const run = currentCell();
  if (!run) return;
  const list = pendingHelp.get(run) ?? [];
  pendingHelp.set(run, list);
  const source = callSiteArgument(run);
  list.push(args.length === 0 ? { name: "", value: undefined } : { name: source ?? HELP_SLOT, value: args[0] });
}

/**
 * The argument of the help(...) call that is running, when the running cell has exactly one
 * help( call and its argument is a plain dotted name: then that name is what was asked about.
 */
function callSiteArgument(run: CellRun): string | undefined {
  const code = run.code ?? "";
  const calls = [...code.matchAll(/\bhelp\s*\(/g)];
  const named = new RegExp(String.raw`\bhelp\s*\(\s*(${NAME})\s*\)`).exec(code);
  return calls.length === 1 && named ? named[1].replace(/\s+/g, "") : undefined;
}

/** Pager payloads (or not-found notes) for the help() calls a finished cell made. */
export async function takeHelp(run: CellRun): Promise<{ payload: PagePayload[]; notes: string[] }> {
  const list = pendingHelp.get(run) ?? [];
  pendingHelp.delete(run);
  const payload: PagePayload[] = [];
  const notes: string[] = [];
  const g = globalThis as Record<string, unknown>;
  for (const h of list) {
    if (!h.name) {
      payload.push({ source: "page", data: { "text/plain": INTRO }, start: 0 });
      continue;
    }
    const byValue = h.name === HELP_SLOT;
    if (byValue) Object.defineProperty(g, HELP_SLOT, { value: h.value, configurable: true, enumerable: false, writable: true });
    try {
      const p = await helpPayload(byValue ? "" : (run.code ?? ""), h.name, 0);
      if (p) payload.push(p);
      else notes.push(notFound(h.name));
    } finally {
      if (byValue) delete g[HELP_SLOT];
    }
  }
  return { payload, notes };
}
