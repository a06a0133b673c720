/**
 * Which request a piece of output belongs to: the cell running now, or the cell whose timer
 * callback is running, or else the last cell. (Not AsyncLocalStorage: with async hooks enabled,
 * terminating a loop in a promise continuation aborts Node on an async-id assertion.)
 * Output itself is posted to the protocol thread (emit).
 */
import type { FromMain, OutputEvent } from "../bridge.js";

export interface CellRun {
  /** msg_id of the execute_request. */
  parent: string;
  /** "Cell In[n]" label for tracebacks. */
  label: string;
  allowStdin: boolean;
  cancelled: boolean;
  /** Timers created by this cell's code, cleared when it is interrupted. */
  timers: Set<NodeJS.Timeout | NodeJS.Immediate>;
  /** execute_reply payloads (the pager) this cell asked for. */
  payload?: Record<string, unknown>[];
}

let timerCell: CellRun | undefined;

/** Runs a timer callback as belonging to the cell that scheduled it. */
export function runAsCell<T>(run: CellRun | undefined, fn: () => T): T {
  const saved = timerCell;
  timerCell = run;
  try {
    return fn();
  } finally {
    timerCell = saved;
  }
}

let post: (msg: FromMain) => void = () => undefined;
let interruptFlags: Int32Array | undefined;

/** The flag the protocol thread sets while an interrupt is pending (see bridge.ts). */
export function setInterruptFlags(flags: Int32Array): void {
  interruptFlags = flags;
}

/** Marks a pending interrupt as handled, so the protocol thread stops terminating code. */
export function clearInterruptFlag(): void {
  if (interruptFlags) Atomics.store(interruptFlags, 0, 0);
}
let running: CellRun | undefined;
let lastRun: CellRun | undefined;

export function setPoster(fn: (msg: FromMain) => void): void {
  post = fn;
}

export function emitRaw(msg: FromMain): void {
  post(msg);
}

export function setRunning(run: CellRun | undefined): void {
  running = run;
  // A terminated timer callback never restores its cell: a new run starts clean.
  timerCell = undefined;
  if (run) lastRun = run;
}

export function runningCell(): CellRun | undefined {
  return running;
}

/** The cell that owns code running now: a timer's cell, else the running cell, else the last one. */
export function currentCell(): CellRun | undefined {
  return timerCell ?? running ?? lastRun;
}

/** Every cell that may still have timers, for an interrupt that arrives between cells. */
export const liveRuns = new Set<CellRun>();

type WithoutParent<T> = T extends unknown ? Omit<T, "parent"> : never;

/** Sends output for the current cell; returns false when no cell owns the output. */
export function emit(ev: WithoutParent<OutputEvent>, run = currentCell()): boolean {
  if (!run) return false;
  post({ ...ev, parent: run.parent } as OutputEvent);
  return true;
}
