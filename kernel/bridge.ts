/**
 * Messages between the protocol worker (sockets, wire format) and the main thread (executor).
 * Plain structured-clone data only; this is the one seam between the two threads.
 */
import type { MimeBundle, PagePayload } from "./messages.js";

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
  | { status: "ok"; executionCount: number; userExpressions: Record<string, unknown>; payload?: PagePayload[] }
  | ({ status: "error"; executionCount: number; userExpressions: Record<string, unknown> } & ErrorContent);

/** A main-thread request that failed (or whose result could not be posted) for complete/inspect. */
export type FailedRequest = { status: "error" } & ErrorContent;

/** complete_request's result from main (the reply's fields, without status). */
export type CompleteResult = { matches: string[]; cursor_start: number; cursor_end: number; metadata: Record<string, unknown> };
/** inspect_request's result from main (the reply's fields, without status). */
export type InspectResult = { found: boolean; data: MimeBundle; metadata: Record<string, unknown> };
/** is_complete_request's result; a failed request is answered "unknown", the spec's "cannot tell". */
export type IsCompleteResult = { status: "complete" | "invalid" | "unknown" } | { status: "incomplete"; indent: string };

/** What main answers for each request kind, failures included (each in that kind's own shape). */
export interface MainResults {
  execute: ExecuteOutcome;
  complete: CompleteResult | FailedRequest;
  inspect: InspectResult | FailedRequest;
  is_complete: IsCompleteResult;
}
export type MainKind = keyof MainResults;

/** Omit applied to each member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Requests the worker sends to main; each is answered by a `response` with the same id. */
export type MainRequest =
  | { kind: "execute"; id: number; parent: string; job: ExecuteJob }
  | { kind: "complete"; id: number; parent: string; code: string; cursorPos: number }
  | { kind: "inspect"; id: number; parent: string; code: string; cursorPos: number; detailLevel: number }
  | { kind: "is_complete"; id: number; parent: string; code: string };
export type MainRequestOf<K extends MainKind> = Extract<MainRequest, { kind: K }>;

/** main's answer to request `id`, typed by the request's kind. */
export type MainResponse = { [K in MainKind]: { kind: "response"; id: number; request: K; result: MainResults[K] } }[MainKind];

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
  | MainResponse
  | { kind: "input_request"; parent: string; requestId: number; prompt: string; password: boolean }
  | { kind: "ready" }
  /** A cell called process.exit(): close the sockets now, then set EXIT_FLAG. */
  | { kind: "exit" };
