/**
 * Which request a piece of output belongs to: the cell running now, or the cell whose timer
 * callback is running, or else the last cell. (Not AsyncLocalStorage: with async hooks enabled,
 * terminating a loop in a promise continuation aborts Node on an async-id assertion.)
 * Output itself is posted to the protocol thread (emit), stream text in batches.
 */
import type { FromMain, OutputEvent } from "../bridge.js";
import type { PagePayload } from "../messages.js";

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
  payload?: PagePayload[];
  /** The cell's code (help() reads the name it was called with). */
  code?: string;
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

/** Posts a message to the protocol thread, after any stream text still buffered (order kept). */
export function emitRaw(msg: FromMain): void {
  flushStream();
  post(msg);
}

// Stream text is buffered here and posted in batches: one structured-clone message per write
// cost more than a microsecond, most of the time of a cell printing a million lines. A batch
// leaves when it holds 64 KiB, when it is 5 ms old at the next write (a synchronous loop still
// streams), at the end of the current task (a microtask), and before any other message.
const STREAM_BATCH_CHARS = 64 * 1024;
const STREAM_BATCH_MS = 5;
// Taken at load: a cell that replaces either global must not stop its own output.
const microtask = globalThis.queueMicrotask;
const now = performance.now.bind(performance);
let pending: { parent: string; name: "stdout" | "stderr"; parts: string[]; chars: number; notSent: number; since: number } | undefined;

/**
 * Characters of stream text one cell may send (GRADNOTE_MAX_OUTPUT, which a runner sets to its
 * per-cell byte cap): past it text is only counted, so a printing loop costs no memory and no
 * socket traffic. The count travels as `notSent` for the runner's note. Unset: no limit.
 */
const streamLimit = /^\d+$/.test(process.env.GRADNOTE_MAX_OUTPUT ?? "") ? Number(process.env.GRADNOTE_MAX_OUTPUT) : Infinity;
const streamSent = new WeakMap<CellRun, number>();

function flushStream(): void {
  const s = pending;
  if (!s) return;
  pending = undefined;
  const text = s.parts.length === 1 ? s.parts[0] : s.parts.join("");
  post({ kind: "stream", parent: s.parent, name: s.name, text, ...(s.notSent > 0 ? { notSent: s.notSent } : {}) });
}

function queueStream(run: CellRun, name: "stdout" | "stderr", text: string): void {
  const sent = streamSent.get(run) ?? 0;
  let keep = text;
  if (sent + text.length > streamLimit) {
    keep = text.slice(0, Math.max(0, streamLimit - sent));
    // Never end on half a surrogate pair.
    if (keep.length > 0 && (keep.charCodeAt(keep.length - 1) & 0xfc00) === 0xd800) keep = keep.slice(0, -1);
  }
  // Past the limit only a count is kept; it may ride on a batch of the other stream name.
  const countOnly = keep === "" && pending?.parent === run.parent;
  if (!countOnly && pending && (pending.parent !== run.parent || pending.name !== name)) flushStream();
  if (!pending) {
    pending = { parent: run.parent, name, parts: [], chars: 0, notSent: 0, since: now() };
    microtask(flushStream);
  }
  if (keep !== "") {
    streamSent.set(run, sent + keep.length);
    pending.parts.push(keep);
    pending.chars += keep.length;
  }
  if (keep.length < text.length) pending.notSent += Buffer.byteLength(keep.length === 0 ? text : text.slice(keep.length));
  if (pending.chars >= STREAM_BATCH_CHARS || now() - pending.since >= STREAM_BATCH_MS) flushStream();
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
  if (ev.kind === "stream") queueStream(run, ev.name, ev.text);
  else emitRaw({ ...ev, parent: run.parent } as OutputEvent);
  return true;
}
