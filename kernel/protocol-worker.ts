/**
 * The protocol thread: binds the five ZeroMQ sockets, verifies and decodes every message, runs
 * the request lifecycle (busy -> handler -> flush -> reply -> idle) and answers heartbeat and
 * control while the main thread is busy running a cell. It never evaluates code: execution
 * requests are forwarded to the main thread over the bridge (bridge.ts).
 */
import { Session as InspectorSession } from "node:inspector";
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import type { DistributiveOmit, FromMain, MainKind, MainRequest, MainRequestOf, MainResults, OutputEvent, ToMain } from "./bridge.js";
import { EXIT_FLAG, INTERRUPT_FLAG } from "./bridge.js";
import { CHANNELS, endpoint, type ConnectionInfo } from "./connection.js";
import { errorReply, makeHandlers, type KernelContext, type Reply, type ReplyHandlers } from "./handlers.js";
import { History } from "./history.js";
import {
  isRequestType,
  REPLY_OF,
  replyType,
  type ErrorReply,
  type Header,
  type InputRequest,
  type IopubContent,
  type IopubType,
  type Message,
  type OutgoingReply,
  type RequestWithReply,
} from "./messages.js";
import { SendQueue } from "./send-queue.js";
import { decode, encode, makeHeader, Signer, WireError } from "./wire.js";

interface WorkerInit {
  connection: ConnectionInfo;
  interruptFlags: SharedArrayBuffer;
  debug: boolean;
}

const init = workerData as WorkerInit;
const port = parentPort!;
const flags = new Int32Array(init.interruptFlags);
const signer = new Signer(init.connection.key, init.connection.signature_scheme);
const session = crypto.randomUUID();

function log(...args: unknown[]): void {
  // stderr of the kernel process goes to the launcher's log (jupyter server console).
  process.stderr.write(`[gradnote] ${args.map(String).join(" ")}\n`);
}

const sockets = {
  shell: new zmq.Router({ linger: 0 }),
  control: new zmq.Router({ linger: 0 }),
  stdin: new zmq.Router({ linger: 0 }),
  iopub: new zmq.Publisher({ linger: 0 }),
  hb: new zmq.Reply({ linger: 0 }),
};
const queues = {
  shell: new SendQueue(sockets.shell),
  control: new SendQueue(sockets.control),
  stdin: new SendQueue(sockets.stdin),
  iopub: new SendQueue(sockets.iopub),
  hb: new SendQueue(sockets.hb),
};

// ---- main-thread bridge -------------------------------------------------------------------

let nextRpcId = 1;
const pendingRpc = new Map<number, (v: MainResults[MainKind]) => void>();
const pendingInput = new Map<number, (v: string | null, error?: string) => void>();
/** Requests (by msg_id) whose output main may still send, so late output finds its parent. */
const parents = new Map<string, { header: Header; identities: Buffer[]; silent: boolean }>();

function toMain(msg: ToMain): void {
  port.postMessage(msg);
}

function callMain<K extends MainKind>(req: DistributiveOmit<MainRequestOf<K>, "id">): Promise<MainResults[K]> {
  const id = nextRpcId++;
  return new Promise<MainResults[K]>((resolve) => {
    // main answers request `id` with the result type of its kind (bridge.ts MainResponse).
    pendingRpc.set(id, resolve as (v: MainResults[MainKind]) => void);
    toMain({ ...req, id } as MainRequest);
  });
}

// Stream text is coalesced per parent and name for a few ms; any other output flushes it first.
const streamBuf: { parent: string; name: "stdout" | "stderr"; text: string; notSent: number }[] = [];
let streamTimer: NodeJS.Timeout | undefined;

function flushStreams(): void {
  if (streamTimer) clearTimeout(streamTimer);
  streamTimer = undefined;
  for (const s of streamBuf.splice(0)) {
    const p = parents.get(s.parent);
    // gradnote_not_sent (bytes the cell printed past GRADNOTE_MAX_OUTPUT) is for runners' notes;
    // other front ends ignore the unknown field.
    if (p && !p.silent) publish("stream", { name: s.name, text: s.text, ...(s.notSent > 0 ? { gradnote_not_sent: s.notSent } : {}) }, p.header);
  }
}

function onOutput(ev: OutputEvent): void {
  if (ev.kind === "stream") {
    const last = streamBuf[streamBuf.length - 1];
    if (last && last.parent === ev.parent && (last.name === ev.name || ev.text === "")) {
      last.text += ev.text;
      last.notSent += ev.notSent ?? 0;
    } else streamBuf.push({ parent: ev.parent, name: ev.name, text: ev.text, notSent: ev.notSent ?? 0 });
    streamTimer ??= setTimeout(flushStreams, 5);
    return;
  }
  flushStreams();
  const p = parents.get(ev.parent);
  if (!p || p.silent) return;
  switch (ev.kind) {
    case "display_data":
      publish("display_data", { data: ev.data, metadata: ev.metadata, transient: ev.displayId ? { display_id: ev.displayId } : {} }, p.header);
      break;
    case "update_display_data":
      publish("update_display_data", { data: ev.data, metadata: ev.metadata, transient: { display_id: ev.displayId } }, p.header);
      break;
    case "clear_output":
      publish("clear_output", { wait: ev.wait }, p.header);
      break;
    case "execute_result":
      publish("execute_result", { execution_count: ev.executionCount, data: ev.data, metadata: ev.metadata }, p.header);
      break;
    case "error":
      publish("error", { ename: ev.ename, evalue: ev.evalue, traceback: ev.traceback }, p.header);
      break;
  }
}

port.on("message", (msg: FromMain) => {
  switch (msg.kind) {
    case "response": {
      const resolve = pendingRpc.get(msg.id);
      pendingRpc.delete(msg.id);
      flushStreams();
      resolve?.(msg.result);
      break;
    }
    case "input_request":
      void requestInput(msg.parent, msg.requestId, msg.prompt, msg.password);
      break;
    case "ready":
      break;
    case "exit":
      void closeForExit();
      break;
    default:
      onOutput(msg);
  }
});

// ---- sending ------------------------------------------------------------------------------

function publish<T extends IopubType>(msgType: T, content: IopubContent[T], parent: Partial<Header> = {}): void {
  const header = makeHeader(msgType, session);
  queues.iopub.send(encode({ header, parent_header: parent, metadata: {}, content, identities: [Buffer.from(msgType)] }, signer));
}

function sendReply(channel: "shell" | "control", req: Message, reply: OutgoingReply): void {
  const header = makeHeader(reply.msg_type, req.header.session || session);
  queues[channel].send(encode({ header, parent_header: req.header, metadata: reply.metadata ?? {}, content: reply.content, identities: req.identities }, signer));
}

/** The reply to a msg_type gradnote does not know: `<type>_reply` with an error (no spec shape). */
function sendUnknownReply(channel: "shell" | "control", req: Message, content: ErrorReply): void {
  const header = makeHeader(replyType(req.header.msg_type), req.header.session || session);
  queues[channel].send(encode({ header, parent_header: req.header, metadata: {}, content, identities: req.identities }, signer));
}

function hasReply(type: string): type is RequestWithReply {
  return Object.hasOwn(REPLY_OF, type);
}

/** Pairs a handler's result with its request's reply msg_type. */
function replyOf<R extends RequestWithReply>(type: R, result: Reply<R>): OutgoingReply {
  // The one cast: TypeScript cannot correlate REPLY_OF[R] with ReplyContent[REPLY_OF[R]] for a generic R.
  return { msg_type: REPLY_OF[type], content: result.content, metadata: result.metadata } as OutgoingReply;
}

/** Runs the handler of a request that has a reply and returns that reply. */
async function answer<R extends RequestWithReply>(type: R, msg: Message, channel: "shell" | "control"): Promise<OutgoingReply> {
  return replyOf(type, await replyHandlers[type](msg, channel));
}

async function requestInput(parent: string, requestId: number, prompt: string, password: boolean): Promise<void> {
  const p = parents.get(parent);
  if (!p) {
    toMain({ kind: "input_reply", requestId, value: null, error: "input: no request to attach the prompt to" });
    return;
  }
  flushStreams();
  pendingInput.set(requestId, (value, error) => toMain({ kind: "input_reply", requestId, value, error }));
  const header = makeHeader("input_request", session);
  const identities = p.identities;
  const content: InputRequest = { prompt, password };
  queues.stdin.send(encode({ header, parent_header: p.header, metadata: {}, content, identities }, signer));
}

// ---- interrupt ----------------------------------------------------------------------------

let inspector: InspectorSession | undefined;

/**
 * Interrupts the running cell. Main handles the message itself when it is between awaits;
 * if it has not within 100 ms it is stuck in synchronous code, so V8 terminates that code
 * through the inspector (variables survive, the cell reports KeyboardInterrupt).
 */
function interruptMain(): void {
  Atomics.store(flags, INTERRUPT_FLAG, 1);
  toMain({ kind: "interrupt" });
  let tries = 0;
  const check = (): void => {
    if (Atomics.load(flags, INTERRUPT_FLAG) === 0 || tries++ > 20) return;
    if (!inspector) {
      inspector = new InspectorSession();
      inspector.connectToMainThread();
    }
    inspector.post("Runtime.terminateExecution", () => undefined);
    setTimeout(check, 250);
  };
  setTimeout(check, 100);
}

// ---- lifecycle ----------------------------------------------------------------------------

const history = new History();
let shuttingDown = false;

const ctx: KernelContext = {
  session,
  history,
  callMain,
  publish,
  flushStreams,
  interruptMain,
  registerParent(req, silent) {
    parents.set(req.header.msg_id, { header: req.header, identities: req.identities, silent });
    if (parents.size > 2000) parents.delete(parents.keys().next().value as string);
  },
  shutdown(restart) {
    shuttingDown = true;
    void closeAll(restart);
  },
  abortQueued() {
    abortPending = true;
  },
};
const handlers = makeHandlers(ctx);
const replyHandlers: ReplyHandlers = handlers;

/** Requests waiting for the shell thread, numbered in arrival order. */
const shellQueue: { seq: number; msg: Message }[] = [];
let shellWake: (() => void) | undefined;
let received = 0;
/** execute_requests that arrived before this number are aborted (stop_on_error). */
let abortBefore = 0;
let abortPending = false;

async function handle(channel: "shell" | "control", msg: Message): Promise<void> {
  const type = msg.header.msg_type;
  publish("status", { execution_state: "busy" }, msg.header);
  try {
    if (!isRequestType(type)) {
      log(`unknown msg_type ${JSON.stringify(type)} on ${channel}`);
      sendUnknownReply(channel, msg, { status: "error", ename: "UnknownMessageType", evalue: `unknown msg_type: ${type}`, traceback: [] });
      return;
    }
    if (!hasReply(type)) {
      await handlers[type](msg, channel);
      return;
    }
    const reply = await answer(type, msg, channel);
    flushStreams();
    sendReply(channel, msg, reply);
  } catch (e) {
    log(`error handling ${type}: ${(e as Error).stack ?? e}`);
    flushStreams();
    // A malformed request (BadRequest) or a handler that threw: the error in that reply's shape.
    if (hasReply(type)) sendReply(channel, msg, replyOf(type, { content: errorReply(type, e), metadata: type === "execute_request" ? { status: "error" } : {} }));
  } finally {
    publish("status", { execution_state: "idle" }, msg.header);
  }
}

function decodeOrLog(frames: Buffer[], channel: string): Message | undefined {
  try {
    return decode(frames, signer);
  } catch (e) {
    // Badly signed or malformed: logged, never executed. Unsigned garbage gets no reply.
    log(`dropped message on ${channel}: ${(e as WireError).message}`);
    return undefined;
  }
}

async function shellReceiver(): Promise<void> {
  for await (const frames of sockets.shell) {
    const msg = decodeOrLog(frames as Buffer[], "shell");
    if (!msg) continue;
    shellQueue.push({ seq: received++, msg });
    shellWake?.();
  }
}

async function shellProcessor(): Promise<void> {
  while (!shuttingDown) {
    if (shellQueue.length === 0) {
      await new Promise<void>((r) => (shellWake = r));
      shellWake = undefined;
      continue;
    }
    const { seq, msg } = shellQueue.shift()!;
    if (seq < abortBefore && msg.header.msg_type === "execute_request") {
      publish("status", { execution_state: "busy" }, msg.header);
      sendReply("shell", msg, { msg_type: "execute_reply", content: { status: "aborted" }, metadata: { status: "aborted" } });
      publish("status", { execution_state: "idle" }, msg.header);
      continue;
    }
    await handle("shell", msg);
    if (abortPending) {
      // After an error with stop_on_error, abort what was queued when the reply left: one turn of
      // the event loop lets requests already sitting in ZeroMQ's buffers be read first.
      abortPending = false;
      await new Promise((r) => setImmediate(r));
      abortBefore = received;
    }
  }
}

async function controlLoop(): Promise<void> {
  for await (const frames of sockets.control) {
    const msg = decodeOrLog(frames as Buffer[], "control");
    if (msg) void handle("control", msg);
  }
}

async function stdinLoop(): Promise<void> {
  for await (const frames of sockets.stdin) {
    const msg = decodeOrLog(frames as Buffer[], "stdin");
    if (!msg || msg.header.msg_type !== "input_reply") continue;
    const value = typeof msg.content.value === "string" ? msg.content.value : "";
    // Replies are answered in order: the oldest pending input gets this value.
    const first = pendingInput.entries().next();
    if (first.done) continue;
    pendingInput.delete(first.value[0]);
    first.value[1](value);
  }
}

async function hbLoop(): Promise<void> {
  for await (const frames of sockets.hb) queues.hb.send(frames as Buffer[]);
}

async function closeAll(restart: boolean): Promise<void> {
  await new Promise((r) => setTimeout(r, 50)); // let the reply and idle leave
  await Promise.all(Object.values(queues).map((q) => q.drain()));
  for (const s of Object.values(sockets)) s.close();
  inspector?.disconnect();
  log(`shutdown${restart ? " (restart requested)" : ""}`);
  toMain({ kind: "shutdown" });
  // Nothing keeps this thread alive now: it exits on its own, and main exits when it does.
  port.close();
}

/**
 * The main thread is about to exit the process (a cell called process.exit) and blocks until
 * this thread's sockets are closed: ending the process with ZeroMQ sockets still receiving
 * aborts Node inside the native addon instead of exiting with the code the cell asked for.
 */
async function closeForExit(): Promise<void> {
  shuttingDown = true;
  try {
    flushStreams();
    await Promise.race([Promise.all(Object.values(queues).map((q) => q.drain())), new Promise((r) => setTimeout(r, 500))]);
    // Closed with a linger, ZeroMQ's I/O thread still writes what is queued (the cell's last
    // output, its reply) to the connections; a moment for that, then the process may end.
    for (const s of Object.values(sockets)) {
      s.linger = 1000;
      s.close();
    }
    await new Promise((r) => setTimeout(r, 50));
    log("process.exit() called by a cell: exiting");
  } finally {
    Atomics.store(flags, EXIT_FLAG, 1);
    Atomics.notify(flags, EXIT_FLAG);
  }
}

function runLoop(name: string, loop: () => Promise<void>): void {
  loop().catch((e) => {
    if (!shuttingDown) log(`${name} loop ended: ${(e as Error).stack ?? e}`);
  });
}

async function start(): Promise<void> {
  const info = init.connection;
  await Promise.all(CHANNELS.map((ch) => sockets[ch].bind(endpoint(info, ch))));
  runLoop("shell", shellReceiver);
  runLoop("shell-processor", shellProcessor);
  runLoop("control", controlLoop);
  runLoop("stdin", stdinLoop);
  runLoop("hb", hbLoop);
  publish("status", { execution_state: "starting" });
  port.postMessage({ kind: "ready" });
}

start().catch((e) => {
  log(`failed to start: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
