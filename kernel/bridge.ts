/**
 * Messages between the protocol worker (sockets, wire format) and the main thread (executor).
 * Plain structured-clone data only; this is the one seam between the two threads.
 */
import type { MimeBundle } from "./messages.js";

/** Shared flag array: [0] = interrupt requested (1) / handled (0). */
export const INTERRUPT_FLAG = 0;
/** [1] = set to 1 by the protocol thread once its sockets are closed after an `exit` message. */
export const EXIT_FLAG = 1;

export interface ExecuteJob {
  code: string;
  silent: boolean;
  storeHistory: boolean;
  userExpressions: Record<string, string>;
  allowStdin: boolean;
  /** The n of `Cell In[n]` (the current count for silent requests). */
  executionCount: number;
}

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

export type ExecuteOutcome =
  | { status: "ok"; executionCount: number; userExpressions: Record<string, unknown>; payload?: Record<string, unknown>[] }
  | ({ status: "error"; executionCount: number; userExpressions: Record<string, unknown> } & ErrorContent);

/** Omit applied to each member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Requests the worker sends to main; each is answered by a `response` with the same id. */
export type MainRequest =
  | { kind: "execute"; id: number; parent: string; job: ExecuteJob }
  | { kind: "complete"; id: number; parent: string; code: string; cursorPos: number }
  | { kind: "inspect"; id: number; parent: string; code: string; cursorPos: number; detailLevel: number }
  | { kind: "is_complete"; id: number; parent: string; code: string };

export type ToMain =
  | MainRequest
  | { kind: "interrupt" }
  | { kind: "input_reply"; requestId: number; value: string | null; error?: string }
  | { kind: "shutdown" };

/** Output main produces while a request runs; `parent` is the msg_id of the request it belongs to. */
export type OutputEvent =
  /** `notSent`: bytes of this cell's stream text past GRADNOTE_MAX_OUTPUT, counted and not sent. */
  | { kind: "stream"; parent: string; name: "stdout" | "stderr"; text: string; notSent?: number }
  | { kind: "display_data"; parent: string; data: MimeBundle; metadata: Record<string, unknown>; displayId?: string }
  | { kind: "update_display_data"; parent: string; data: MimeBundle; metadata: Record<string, unknown>; displayId: string }
  | { kind: "clear_output"; parent: string; wait: boolean }
  | { kind: "execute_result"; parent: string; executionCount: number; data: MimeBundle; metadata: Record<string, unknown> }
  | ({ kind: "error"; parent: string } & ErrorContent);

export type FromMain =
  | OutputEvent
  | { kind: "response"; id: number; result: unknown }
  | { kind: "input_request"; parent: string; requestId: number; prompt: string; password: boolean }
  | { kind: "ready" }
  /** A cell called process.exit(): close the sockets now, then set EXIT_FLAG. */
  | { kind: "exit" };
