/**
 * Executes cells on the main thread: transpile, evaluate in REPL mode, send the last value as
 * execute_result or the error as the cell's only output, and stop on interrupt. It talks to the
 * protocol thread only through emit() (context.ts); it never touches a socket.
 */
import type { ExecuteJob, ExecuteOutcome } from "../bridge.js";
import { afterCell } from "../malloc-trim.js";
import { cancelTimers, kernelLog } from "./capture.js";
import { clearInterruptFlag, currentCell, emit, liveRuns, runningCell, setRunning, type CellRun } from "./context.js";
import { DisplayHandle, toBundle } from "./display.js";
import { evaluate, liveValue, peek, releasePeeks, type EvalResult } from "./evaluate.js";
import { testCellPassed } from "./grade-hook.js";
import { helpPayload, notFound, parseHelp, parsesAsTypeScript, takeHelp } from "./help.js";
import { importForCell } from "./modules.js";
import { formatError, formatSyntaxError, interruptedError, registerCell } from "./traceback.js";
import { CellSyntaxError, transpile } from "./transpile.js";
import { checkCell } from "./typecheck.js";

interface ResultBox {
  set: boolean;
  value: unknown;
}

let resultBox: ResultBox = { set: false, value: undefined };
const finishers = new WeakMap<CellRun, (r: EvalResult) => void>();

/** The `__gn` object transpiled cells call into. */
export const cellRuntime = {
  import: importForCell,
  defaultOf: (m: Record<string, unknown>) => ("default" in m ? m.default : m),
  /** Identity: keeps a constant last expression that esbuild would drop (see transpile.ts). */
  keep: <T>(value: T): T => value,
  result(value: unknown) {
    resultBox.set = true;
    resultBox.value = value;
    return value;
  },
  importMeta: { url: `file://${process.cwd()}/cell.ts` },
};

function reportAsync(error: unknown, run: CellRun | undefined): void {
  const content = formatError(error);
  if (!run || !emit({ kind: "error", ...content }, run)) kernelLog(`uncaught error outside any cell: ${content.ename}: ${content.evalue}`);
}

/** Timers and rejected promises report into the cell that caused them; the kernel stays alive. */
export function installAsyncErrorReporting(): void {
  process.on("unhandledRejection", (reason) => reportAsync(reason, currentCell()));
  process.on("uncaughtException", (err) => reportAsync(err, currentCell()));
}

export { reportAsync };

async function userExpressions(exprs: Record<string, string>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, expr] of Object.entries(exprs)) {
    try {
      const t = await transpile(`(${expr})`);
      const r = await peek(t.js.replace(/__gn\.result\(/, "(").trim());
      if (!r) throw new Error(`could not evaluate ${expr}`);
      out[name] = { status: "ok", data: toBundle(liveValue(r)), metadata: {} };
    } catch (e) {
      out[name] = { status: "error", ...formatError(e) };
    }
  }
  releasePeeks();
  return out;
}

/**
 * Runs one execute_request job; `parent` is its msg_id (output is routed by it). A last line
 * `x?` / `x??` (help.ts) is not run: the lines before it are, then x's help goes to the pager.
 */
export async function execute(job: ExecuteJob, parent: string): Promise<ExecuteOutcome> {
  const asked = await parseHelp(job.code, parsesAsTypeScript);
  if (!asked) return runCell(job, parent);
  // As in IPython, the lines before the help line run without showing their last value.
  const outcome = asked.code.trim() === ""
    ? { status: "ok" as const, executionCount: job.executionCount, userExpressions: await userExpressions(job.userExpressions), payload: [] }
    : await runCell({ ...job, code: `${asked.code}\nvoid 0;` }, parent);
  if (outcome.status !== "ok") return outcome;
  const page = await helpPayload(asked.code, asked.name, asked.detail);
  if (page) return { ...outcome, payload: [...(outcome.payload ?? []), page] };
  const run: CellRun = { parent, label: "", allowStdin: false, cancelled: false, timers: new Set() };
  if (!job.silent) emit({ kind: "stream", name: "stdout", text: notFound(asked.name) }, run);
  return outcome;
}

async function runCell(job: ExecuteJob, parent: string): Promise<ExecuteOutcome> {
  const label = job.silent ? "<silent>" : `Cell In[${job.executionCount}]`;
  const run: CellRun = { parent, label, allowStdin: job.allowStdin, cancelled: false, timers: new Set(), code: job.code };
  const fail = (content: ReturnType<typeof formatError>): ExecuteOutcome => {
    emit({ kind: "error", ...content }, run);
    return { status: "error", executionCount: job.executionCount, userExpressions: {}, ...content };
  };

  let js: string;
  let hasResult: boolean;
  try {
    const t = await transpile(job.code);
    js = `${t.js}\n//# sourceURL=${registerCell(label, t.lines, job.code)}`;
    hasResult = t.hasResult;
  } catch (e) {
    if (e instanceof CellSyntaxError) return fail(formatSyntaxError(label, e.message, e.line, e.column, e.lineText));
    return fail(formatError(e));
  }
  // Type errors: checked in the language worker while the cell runs (typecheck.ts).
  const check = checkCell(job, label, run);
  const blocked = await check.beforeRun();
  if (blocked) return fail(blocked);

  const box: ResultBox = { set: false, value: undefined };
  resultBox = box;
  setRunning(run);
  liveRuns.add(run);
  let result: EvalResult;
  try {
    result = await evaluate(js, (finish) => finishers.set(run, finish));
  } finally {
    setRunning(undefined);
    finishers.delete(run);
  }
  if (run.timers.size === 0) liveRuns.delete(run);
  await check.afterRun();
  afterCell();

  if (result.kind === "interrupted") {
    clearInterruptFlag();
    cancelTimers(run);
    return fail(interruptedError());
  }
  if (result.kind === "error") return fail(formatError(result.error));
  const passed = testCellPassed(job.code);
  if (passed && !job.silent) emit({ kind: "stream", name: "stdout", text: passed }, run);
  // A display handle at the end of a cell is not shown again (IPython shows nothing for display()).
  if (hasResult && box.set && box.value !== undefined && !(box.value instanceof DisplayHandle) && !job.silent) {
    try {
      emit({ kind: "execute_result", executionCount: job.executionCount, data: toBundle(box.value), metadata: {} }, run);
    } catch (e) {
      return fail(formatError(e));
    }
  }
  const helped = await takeHelp(run);
  for (const text of helped.notes) if (!job.silent) emit({ kind: "stream", name: "stdout", text }, run);
  const payload = [...(run.payload ?? []), ...helped.payload];
  return { status: "ok", executionCount: job.executionCount, userExpressions: await userExpressions(job.userExpressions), payload };
}

/**
 * Interrupt from a message or SIGINT, handled while main is between awaits: the running cell
 * ends with KeyboardInterrupt and its timers stop; with no cell running, every cell's timers stop.
 */
export function interrupt(): void {
  clearInterruptFlag();
  const run = runningCell();
  if (run) {
    cancelTimers(run);
    finishers.get(run)?.({ kind: "interrupted" });
    return;
  }
  for (const r of liveRuns) cancelTimers(r);
  liveRuns.clear();
}
