/**
 * Jupyter messaging protocol types (v5.3+), field names kept in snake_case as on the wire.
 * Only shapes live here: parsing/signing is in wire.ts, behaviour in handlers.ts.
 */

export const PROTOCOL_VERSION = "5.3";

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  subshell_id?: string | null;
}

/** A decoded message; `identities` are the ZeroMQ routing frames before the delimiter. */
export interface Message<C = Record<string, unknown>> {
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export type MimeBundle = Record<string, unknown>;

export interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, string>;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}

export interface CompleteRequest { code: string; cursor_pos: number }
export interface InspectRequest { code: string; cursor_pos: number; detail_level?: 0 | 1 }
export interface IsCompleteRequest { code: string }
export interface HistoryRequest {
  output?: boolean;
  raw?: boolean;
  hist_access_type: "range" | "tail" | "search";
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}
export interface CommOpen { comm_id: string; target_name: string; data?: unknown }
export interface ShutdownRequest { restart?: boolean }

/** The shell/control requests gradnote answers; the handler table is keyed by these. */
export type RequestType =
  | "kernel_info_request"
  | "execute_request"
  | "complete_request"
  | "inspect_request"
  | "is_complete_request"
  | "history_request"
  | "comm_info_request"
  | "comm_open"
  | "comm_msg"
  | "comm_close"
  | "shutdown_request"
  | "interrupt_request";

export const REQUEST_TYPES: readonly RequestType[] = [
  "kernel_info_request",
  "execute_request",
  "complete_request",
  "inspect_request",
  "is_complete_request",
  "history_request",
  "comm_info_request",
  "comm_open",
  "comm_msg",
  "comm_close",
  "shutdown_request",
  "interrupt_request",
];

export function isRequestType(t: string): t is RequestType {
  return (REQUEST_TYPES as readonly string[]).includes(t);
}

/** The reply msg_type for a request ("execute_request" -> "execute_reply"). */
export function replyType(requestType: string): string {
  return requestType.endsWith("_request") ? requestType.slice(0, -"_request".length) + "_reply" : requestType;
}
