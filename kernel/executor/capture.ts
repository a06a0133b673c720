/**
 * Captures what user code prints and schedules: console.*, process.stdout/stderr.write and the
 * global timer functions. Text is posted to the protocol thread at once (so a synchronous
 * training loop still streams); timers are tracked per cell so an interrupt can stop them.
 */
import { Console } from "node:console";
import { writeSync } from "node:fs";
import { currentCell, emit, runAsCell, type CellRun } from "./context.js";

type StreamName = "stdout" | "stderr";
type ErrorReporter = (error: unknown, run: CellRun | undefined) => void;

const realWrite = {
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
};

/** The kernel's own log lines: straight to file descriptor 2, never into a cell. */
export function kernelLog(text: string): void {
  const line = `[gradnote] ${text}\n`;
  try {
    // Once a line had to be queued, later ones queue behind it, so the log keeps its order.
    if (process.stderr.writableLength > 0) realWrite.stderr(line);
    else writeSync(2, line);
  } catch (e) {
    // A pipe the reader has not emptied yet (EAGAIN): Node's stream queues the line instead of
    // losing it. Any other error means stderr is closed: nothing left to tell.
    if ((e as NodeJS.ErrnoException).code === "EAGAIN") realWrite.stderr(line);
  }
}

function writeFor(name: StreamName) {
  return (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
    if (!emit({ kind: "stream", name, text })) realWrite[name](text);
    const done = typeof encoding === "function" ? encoding : cb;
    if (typeof done === "function") queueMicrotask(() => (done as () => void)());
    return true;
  };
}

/** A minimal writable for Console: it only needs write(). */
function fakeStream(name: StreamName): NodeJS.WritableStream {
  const write = writeFor(name);
  return {
    write,
    on() { return this; },
    once() { return this; },
    off() { return this; },
    removeListener() { return this; },
    emit() { return false; },
  } as unknown as NodeJS.WritableStream;
}

export function captureOutput(): void {
  process.stdout.write = writeFor("stdout") as typeof process.stdout.write;
  process.stderr.write = writeFor("stderr") as typeof process.stderr.write;
  globalThis.console = new Console({ stdout: fakeStream("stdout"), stderr: fakeStream("stderr"), colorMode: false, ignoreErrors: false });
}

/**
 * Wraps setTimeout/setInterval/setImmediate so that callbacks run in their cell's context, errors
 * they throw are reported into that cell, and an interrupted cell's timers never fire again.
 */
export function trackTimers(report: ErrorReporter): void {
  const g = globalThis as Record<string, unknown>;
  const wrap = (run: CellRun | undefined, fn: (...a: unknown[]) => unknown, once: boolean, getHandle: () => NodeJS.Timeout | NodeJS.Immediate) => {
    return (...args: unknown[]) => {
      if (run?.cancelled) return;
      if (once && run) run.timers.delete(getHandle());
      try {
        runAsCell(run, () => fn(...args));
      } catch (e) {
        report(e, run);
      }
    };
  };
  for (const [name, once] of [["setTimeout", true], ["setInterval", false], ["setImmediate", true]] as const) {
    const original = g[name] as (...a: unknown[]) => NodeJS.Timeout | NodeJS.Immediate;
    const replacement = (fn: unknown, ...rest: unknown[]) => {
      if (typeof fn !== "function") return original(fn, ...rest);
      const run = currentCell();
      // eslint-disable-next-line prefer-const
      let handle: NodeJS.Timeout | NodeJS.Immediate;
      handle = original(wrap(run, fn as (...a: unknown[]) => unknown, once, () => handle), ...rest);
      run?.timers.add(handle);
      return handle;
    };
    Object.defineProperty(replacement, "name", { value: name });
    // util.promisify(setTimeout) keeps working through the original's custom promisified form.
    for (const sym of Object.getOwnPropertySymbols(original)) {
      (replacement as unknown as Record<symbol, unknown>)[sym] = (original as unknown as Record<symbol, unknown>)[sym];
    }
    g[name] = replacement;
  }
}

/** Stops every timer a cell created (an interrupted cell's loop then never resumes). */
export function cancelTimers(run: CellRun): void {
  run.cancelled = true;
  for (const t of run.timers) {
    clearTimeout(t as NodeJS.Timeout);
    clearImmediate(t as NodeJS.Immediate);
  }
  run.timers.clear();
}

export { currentCell };
