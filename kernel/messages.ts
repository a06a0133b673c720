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

// ---- outgoing messages: a closed set, keyed by msg_type -------------------------------------
// Every message the kernel sends has its content typed here, so a missing, misspelled or
// camelCase field is a compile error in handlers.ts and protocol-worker.ts. Shapes follow the
// Jupyter messaging spec 5.3; tests/kernel/wire-schema.ts checks the same shapes at run time.

/** The content of any reply whose request failed (spec: "Request-Reply", error case). */
export type ErrorReply = { status: "error"; ename: string; evalue: string; traceback: string[] };

/** One execute_reply payload; gradnote sends only the pager's. */
export type PagePayload = { source: "page"; data: MimeBundle; start: number };

export type LanguageInfo = {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  pygments_lexer?: string;
  codemirror_mode?: string | Record<string, unknown>;
  nbconvert_exporter?: string;
};

export type KernelInfoReply = {
  status: "ok";
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfo;
  banner: string;
  help_links: { text: string; url: string }[];
  debugger: boolean;
};

export type ExecuteReply =
  | { status: "ok"; execution_count: number; user_expressions: Record<string, unknown>; payload: PagePayload[] }
  | (ErrorReply & { execution_count: number; user_expressions: Record<string, unknown> })
  /** Sent for requests queued behind an error under stop_on_error (as ipykernel: no count). */
  | { status: "aborted" };

export type CompleteReply =
  | { status: "ok"; matches: string[]; cursor_start: number; cursor_end: number; metadata: Record<string, unknown> }
  | ErrorReply;

export type InspectReply = { status: "ok"; found: boolean; data: MimeBundle; metadata: Record<string, unknown> } | ErrorReply;

/** is_complete_reply has no error form: a kernel that cannot tell says "unknown". */
export type IsCompleteReply = { status: "complete" | "invalid" | "unknown" } | { status: "incomplete"; indent: string };

export type HistoryReply =
  | { status: "ok"; history: ([number, number, string] | [number, number, [string, string | null]])[] }
  | ErrorReply;

export type CommInfoReply = { status: "ok"; comms: Record<string, { target_name: string }> } | ErrorReply;
export type ShutdownReply = { status: "ok"; restart: boolean } | ErrorReply;
export type InterruptReply = { status: "ok" } | ErrorReply;

/** Reply content by reply msg_type. */
export type ReplyContent = {
  kernel_info_reply: KernelInfoReply | ErrorReply;
  execute_reply: ExecuteReply;
  complete_reply: CompleteReply;
  inspect_reply: InspectReply;
  is_complete_reply: IsCompleteReply;
  history_reply: HistoryReply;
  comm_info_reply: CommInfoReply;
  shutdown_reply: ShutdownReply;
  interrupt_reply: InterruptReply;
};
export type ReplyType = keyof ReplyContent;

/** The requests that are answered with a reply (comm messages are not), and their reply type. */
export const REPLY_OF = {
  kernel_info_request: "kernel_info_reply",
  execute_request: "execute_reply",
  complete_request: "complete_reply",
  inspect_request: "inspect_reply",
  is_complete_request: "is_complete_reply",
  history_request: "history_reply",
  comm_info_request: "comm_info_reply",
  shutdown_request: "shutdown_reply",
  interrupt_request: "interrupt_reply",
} as const satisfies Partial<Record<RequestType, ReplyType>>;
export type RequestWithReply = keyof typeof REPLY_OF;
/** Requests answered on iopub only, or not at all. */
export type CommRequest = Exclude<RequestType, RequestWithReply>;

/** A reply message's msg_type, content and metadata, as one value of a union keyed by msg_type. */
export type OutgoingReply = { [K in ReplyType]: { msg_type: K; content: ReplyContent[K]; metadata?: Record<string, unknown> } }[ReplyType];

/** iopub content by msg_type. */
export type IopubContent = {
  status: { execution_state: "starting" | "busy" | "idle" };
  execute_input: { code: string; execution_count: number };
  /** `gradnote_not_sent`: bytes past GRADNOTE_MAX_OUTPUT (for runners; front ends ignore it). */
  stream: { name: "stdout" | "stderr"; text: string; gradnote_not_sent?: number };
  display_data: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } };
  update_display_data: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id: string } };
  execute_result: { execution_count: number; data: MimeBundle; metadata: Record<string, unknown> };
  error: { ename: string; evalue: string; traceback: string[] };
  clear_output: { wait: boolean };
  comm_close: { comm_id: string; data: Record<string, unknown> };
};
export type IopubType = keyof IopubContent;
/** An iopub message's msg_type and content, as one value of a union keyed by msg_type. */
export type IopubMessage = { [K in IopubType]: { msg_type: K; content: IopubContent[K] } }[IopubType];

/** stdin content the kernel sends. */
export type InputRequest = { prompt: string; password: boolean };
