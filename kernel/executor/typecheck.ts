/**
 * Type diagnostics of a cell, beside its execution: GRADNOTE_TYPECHECK=warn (default) shows a
 * cell's type errors on stderr once it has run, never blocking it (and skips cells run before the
 * language worker is ready); "error" fails the cell with them before it runs; "off" shows nothing. `typecheck(mode)` from "gradnote" switches at run time.
 * The checking itself runs in the language worker (kernel/lang/); this file only asks and shows.
 */
import type { ErrorContent, ExecuteJob } from "../bridge.js";
import { ask, commitCell, languageReady, startLanguageWorker, warmLanguageWorker } from "../lang/client.js";
import type { CellDiagnostic } from "../lang/service.js";
import { kernelLog } from "./capture.js";
import { emit, type CellRun } from "./context.js";

export type TypecheckMode = "warn" | "error" | "off";
const MODES: readonly TypecheckMode[] = ["warn", "error", "off"];

function parseMode(v: string | undefined): TypecheckMode {
  const m = (v ?? "").trim().toLowerCase();
  return (MODES as readonly string[]).includes(m) ? (m as TypecheckMode) : "warn";
}

let mode: TypecheckMode = parseMode(process.env.GRADNOTE_TYPECHECK);

/** Gets, or sets and returns the previous, type-check mode. */
export function typecheck(next?: TypecheckMode): TypecheckMode {
  const prev = mode;
  if (next !== undefined) {
    if (!(MODES as readonly unknown[]).includes(next)) throw new TypeError(`typecheck: mode must be "warn", "error" or "off", got ${JSON.stringify(next)}`);
    mode = next;
    if (next !== "off") warmLanguageWorker();
  }
  return prev;
}

/** How long a cell that has finished waits for its diagnostics before its reply goes without them. */
const WAIT_AFTER_RUN_MS = 3000;
/** In error mode the cell cannot run before its check: a longer wait, then it runs unchecked. */
const WAIT_BEFORE_RUN_MS = 30_000;
const MAX_SHOWN = 10;

/** Starts the language worker in the background (unless off); called once at kernel start. */
export function startTypecheck(): void {
  // Off: no worker until a completion or inspection asks for one (it then catches up on cells).
  startLanguageWorker((line) => kernelLog(line), mode === "off" ? undefined : 300);
  const k = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[Symbol.for("gradnote.kernel")];
  if (k) k.typecheck = typecheck;
}

function formatDiagnostics(label: string, ds: CellDiagnostic[], prefix: string): string[] {
  const lines = ds.slice(0, MAX_SHOWN).map((d) => `${prefix}${label}, line ${d.line}: ${d.message.replace(/\n/g, "\n    ")}`);
  if (ds.length > MAX_SHOWN) lines.push(`${prefix}${label}: ${ds.length - MAX_SHOWN} more`);
  return lines;
}

/** The error a cell fails with in "error" mode. */
function typeError(label: string, ds: CellDiagnostic[]): ErrorContent {
  const first = ds[0];
  return {
    ename: "TypeCheckError",
    evalue: `${label}, line ${first.line}: ${first.message.split("\n")[0]}${ds.length > 1 ? ` (and ${ds.length - 1} more)` : ""}`,
    traceback: [`\x1b[31mTypeCheckError\x1b[0m: the cell has type errors and did not run (typecheck("warn") runs such cells)`, ...formatDiagnostics(label, ds, "")],
  };
}

/** A cell's check, started when the cell starts. */
export interface CellCheck {
  /** In "error" mode: the error to fail with instead of running; undefined to run. */
  beforeRun(): Promise<ErrorContent | undefined>;
  /** After the cell ran: shows the warnings (waiting for them briefly) and records the cell. */
  afterRun(): Promise<void>;
}

/** Starts checking a cell in the language worker while it runs on this thread. */
export function checkCell(job: ExecuteJob, label: string, run: CellRun): CellCheck {
  // In "warn" mode a cell never waits for the worker to load: cells run in the first second or
  // two of a kernel (before it is ready) go unchecked. "error" mode waits, as it promises.
  const skip = job.silent || mode === "off" || (mode === "warn" && !languageReady());
  const checking = skip ? undefined : ask("diagnostics", { code: job.code }, WAIT_BEFORE_RUN_MS);
  let shown = false;
  const show = (ds: CellDiagnostic[] | undefined) => {
    if (shown || !ds?.length || mode !== "warn") return;
    shown = true;
    emit({ kind: "stream", name: "stderr", text: formatDiagnostics(label, ds, "⚠ type: ").join("\n") + "\n" }, run);
  };
  // A long cell shows its warnings as soon as they are known, not only at its end.
  void checking?.then(show);
  return {
    async beforeRun() {
      if (!checking || mode !== "error") return undefined;
      const ds = await checking;
      if (ds === undefined) kernelLog(`typecheck: no answer for ${label}; it runs unchecked`);
      if (!ds?.length) return undefined;
      shown = true;
      return typeError(label, ds);
    },
    async afterRun() {
      commitCell(job.code);
      if (!checking || shown) return;
      let timer: NodeJS.Timeout | undefined;
      const ds = await Promise.race([checking, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), WAIT_AFTER_RUN_MS)))]);
      clearTimeout(timer);
      show(ds);
    },
  };
}
