/**
 * The request handler table, one entry per msg_type (a missing one fails to compile).
 * Handlers validate content, talk to the main thread through the context and return the reply
 * content; they never evaluate code or touch sockets (protocol-worker.ts owns both).
 */
import type { DistributiveOmit, MainKind, MainRequestOf, MainResults } from "./bridge.js";
import type { History } from "./history.js";
import type {
  CompleteRequest,
  ErrorReply,
  Header,
  HistoryRequest,
  InspectRequest,
  IopubContent,
  IopubType,
  IsCompleteRequest,
  Message,
  ReplyContent,
  RequestType,
  RequestWithReply,
} from "./messages.js";
import { PROTOCOL_VERSION, REPLY_OF } from "./messages.js";
import { KERNEL_VERSION, languageInfo } from "./kernel-info.js";

export interface KernelContext {
  session: string;
  history: History;
  /** Asks the main thread; every kind answers (a failure in that kind's own result shape). */
  callMain<K extends MainKind>(req: DistributiveOmit<MainRequestOf<K>, "id">): Promise<MainResults[K]>;
  publish<T extends IopubType>(msgType: T, content: IopubContent[T], parent?: Partial<Header>): void;
  flushStreams(): void;
  interruptMain(): void;
  registerParent(req: Message, silent: boolean): void;
  shutdown(restart: boolean): void;
  abortQueued(): void;
}

/** The reply msg_type a request is answered with. */
export type ReplyTypeOf<R extends RequestWithReply> = (typeof REPLY_OF)[R];

/** A handler's answer: the content (and metadata) of its request's own reply type. */
export interface Reply<R extends RequestWithReply = RequestWithReply> {
  content: ReplyContent[ReplyTypeOf<R>];
  metadata?: Record<string, unknown>;
}

/** comm_open/comm_msg/comm_close get no reply; every other request gets its own reply type. */
export type HandlerResult<R extends RequestType> = R extends RequestWithReply ? Reply<R> : undefined;
type Handler<R extends RequestType> = (msg: Message, channel: "shell" | "control") => Promise<HandlerResult<R>>;
export type Handlers = { [R in RequestType]: Handler<R> };
/** The handlers of requests that have a reply, each typed with its own reply. */
export type ReplyHandlers = { [R in RequestWithReply]: (msg: Message, channel: "shell" | "control") => Promise<Reply<R>> };

/** Thrown for a request whose content is malformed; the reply names the field. */
export class BadRequest extends Error {
  override name = "BadRequest";
}

/** The error content for a failed request of `type`, in that reply's shape. */
export function errorReply<R extends RequestWithReply>(type: R, e: unknown, executionCount = 0): ReplyContent[ReplyTypeOf<R>] {
  const err: ErrorReply = {
    status: "error",
    ename: (e as Error)?.name ?? "Error",
    evalue: String((e as Error)?.message ?? e),
    traceback: [],
  };
  const shapes: { [K in RequestWithReply]: () => ReplyContent[ReplyTypeOf<K>] } = {
    kernel_info_request: () => err,
    execute_request: () => ({ ...err, execution_count: executionCount, user_expressions: {} }),
    complete_request: () => err,
    inspect_request: () => err,
    // is_complete_reply has no error form.
    is_complete_request: () => ({ status: "unknown" }),
    history_request: () => err,
    comm_info_request: () => err,
    shutdown_request: () => err,
    interrupt_request: () => err,
  };
  return shapes[type]();
}

function field<T>(msg: Message, name: string, type: "string" | "number" | "boolean" | "object", fallback?: T): T {
  const v = msg.content[name];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== type || v === null) {
    throw new BadRequest(`${msg.header.msg_type}: content.${name} must be a ${type}, got ${v === null ? "null" : typeof v}`);
  }
  return v as T;
}

export function makeHandlers(ctx: KernelContext): Handlers {
  let executionCount = 0;

  return {
    async kernel_info_request() {
      return {
        content: {
          status: "ok",
          protocol_version: PROTOCOL_VERSION,
          implementation: "gradnote",
          implementation_version: KERNEL_VERSION,
          language_info: languageInfo(),
          banner: `gradnote ${KERNEL_VERSION} — TypeScript deep learning kernel (Node ${process.version})`,
          help_links: [
            { text: "gradnote README", url: "https://github.com/gradnote/gradnote#readme" },
            { text: "TypeScript Handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
            { text: "PyTorch documentation (API model)", url: "https://pytorch.org/docs/stable/index.html" },
          ],
          debugger: false,
        },
      };
    },

    async execute_request(msg) {
      let code: string, silent: boolean, storeHistory: boolean, userExpressions: Record<string, string>, allowStdin: boolean, stopOnError: boolean;
      try {
        code = field<string>(msg, "code", "string");
        silent = field<boolean>(msg, "silent", "boolean", false);
        storeHistory = silent ? false : field<boolean>(msg, "store_history", "boolean", true);
        userExpressions = field<Record<string, string>>(msg, "user_expressions", "object", {});
        allowStdin = field<boolean>(msg, "allow_stdin", "boolean", true);
        stopOnError = field<boolean>(msg, "stop_on_error", "boolean", true);
      } catch (e) {
        return { content: errorReply("execute_request", e, executionCount), metadata: { status: "error" } };
      }
      if (storeHistory) executionCount++;
      const count = executionCount;
      ctx.registerParent(msg, silent);
      if (!silent) ctx.publish("execute_input", { code, execution_count: count }, msg.header);
      if (storeHistory) ctx.history.add(count, code);
      const outcome = await ctx.callMain<"execute">({
        kind: "execute",
        parent: msg.header.msg_id,
        job: { code, silent, storeHistory, userExpressions, allowStdin, executionCount: count },
      });
      if (outcome.status === "error") {
        if (stopOnError) ctx.abortQueued();
        return {
          content: {
            status: "error",
            execution_count: count,
            ename: outcome.ename,
            evalue: outcome.evalue,
            traceback: outcome.traceback,
            user_expressions: outcome.userExpressions,
          },
          metadata: { status: "error" },
        };
      }
      return {
        content: { status: "ok", execution_count: count, user_expressions: outcome.userExpressions, payload: outcome.payload ?? [] },
        metadata: { status: "ok" },
      };
    },

    async complete_request(msg) {
      const req: CompleteRequest = { code: field(msg, "code", "string"), cursor_pos: field(msg, "cursor_pos", "number") };
      const r = await ctx.callMain<"complete">({ kind: "complete", parent: msg.header.msg_id, code: req.code, cursorPos: req.cursor_pos });
      if ("status" in r) return { content: { status: "error", ename: r.ename, evalue: r.evalue, traceback: r.traceback } };
      return { content: { status: "ok", matches: r.matches, cursor_start: r.cursor_start, cursor_end: r.cursor_end, metadata: r.metadata } };
    },

    async inspect_request(msg) {
      const req: InspectRequest = {
        code: field(msg, "code", "string"),
        cursor_pos: field(msg, "cursor_pos", "number"),
        detail_level: field(msg, "detail_level", "number", 0) as 0 | 1,
      };
      const r = await ctx.callMain<"inspect">({
        kind: "inspect",
        parent: msg.header.msg_id,
        code: req.code,
        cursorPos: req.cursor_pos,
        detailLevel: req.detail_level ?? 0,
      });
      if ("status" in r) return { content: { status: "error", ename: r.ename, evalue: r.evalue, traceback: r.traceback } };
      return { content: { status: "ok", found: r.found, data: r.data, metadata: r.metadata } };
    },

    async is_complete_request(msg) {
      const req: IsCompleteRequest = { code: field(msg, "code", "string") };
      // Answered by main, so one esbuild service serves both transpiling and this.
      const r = await ctx.callMain<"is_complete">({ kind: "is_complete", parent: msg.header.msg_id, code: req.code });
      return { content: r.status === "incomplete" ? { status: "incomplete", indent: r.indent } : { status: r.status } };
    },

    async history_request(msg) {
      const c = msg.content as unknown as HistoryRequest;
      const output = c.output === true;
      const type = field<string>(msg, "hist_access_type", "string");
      let history;
      if (type === "tail") history = ctx.history.tail(field<number>(msg, "n", "number", 10), output);
      else if (type === "range") {
        history = ctx.history.range(field<number>(msg, "session", "number", 0), field<number>(msg, "start", "number", 1), c.stop, output);
      } else if (type === "search") {
        history = ctx.history.search(field<string>(msg, "pattern", "string", "*"), c.n, c.unique === true, output);
      } else throw new BadRequest(`history_request: content.hist_access_type must be "range", "tail" or "search", got ${JSON.stringify(type)}`);
      return { content: { status: "ok", history } };
    },

    async comm_info_request() {
      return { content: { status: "ok", comms: {} } };
    },

    async comm_open(msg) {
      // No comm targets are registered: close it so the front end does not wait (ipykernel does the same).
      const commId = typeof msg.content.comm_id === "string" ? msg.content.comm_id : "";
      ctx.publish("comm_close", { comm_id: commId, data: {} }, msg.header);
      return undefined;
    },

    async comm_msg() {
      return undefined;
    },

    async comm_close() {
      return undefined;
    },

    async shutdown_request(msg) {
      const restart = field<boolean>(msg, "restart", "boolean", false);
      setImmediate(() => ctx.shutdown(restart));
      return { content: { status: "ok", restart } };
    },

    async interrupt_request() {
      ctx.interruptMain();
      return { content: { status: "ok" } };
    },
  };
}
