/**
 * The protocol thread: binds the five ZeroMQ sockets, verifies and decodes every message, runs
 * the request lifecycle (busy -> handler -> flush -> reply -> idle) and answers heartbeat and
 * control while the main thread is busy running a cell. It never evaluates code: execution
 * requests are forwarded to the main thread over the bridge (bridge.ts).
 */
import { Session as InspectorSession } from "node:inspector";
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import type { DistributiveOmit, FromMain, MainRequest, OutputEvent, ToMain } from "./bridge.js";
import { EXIT_FLAG, INTERRUPT_FLAG } from "./bridge.js";
import { CHANNELS, endpoint, type ConnectionInfo } from "./connection.js";
import { makeHandlers, type KernelContext } from "./handlers.js";
import { History } from "./history.js";
import { isRequestType, replyType, type Header, type Message } from "./messages.js";
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
const pendingRpc = new Map<number, (v: unknown) => void>();
const pendingInput = new Map<number, (v: string | null, error?: string) => void>();
/** Requests (by msg_id) whose output main may still send, so late output finds its parent. */
const parents = new Map<string, { header: Header; identities: Buffer[]; silent: boolean }>();

function toMain(msg: ToMain): void {
  port.postMessage(msg);
}

function callMain<T>(req: DistributiveOmit<MainRequest, "id">): Promise<T> {
  const id = nextRpcId++;
  return new Promise<T>((resolve) => {
    pendingRpc.set(id, resolve as (v: unknown) => void);
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

function publish(msgType: string, content: Record<string, unknown>, parent: Partial<Header> = {}): void {
  const header = makeHeader(msgType, session);
  queues.iopub.send(encode({ header, parent_header: parent, metadata: {}, content, identities: [Buffer.from(msgType)] }, signer));
}

function sendReply(channel: "shell" | "control" | "stdin", req: Message, msgType: string, content: Record<string, unknown>, metadata: Record<string, unknown> = {}): void {
  const header = makeHeader(msgType, req.header.session || session);
  queues[channel].send(encode({ header, parent_header: req.header, metadata, content, identities: req.identities }, signer));
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
  queues.stdin.send(encode({ header, parent_header: p.header, metadata: {}, content: { prompt, password }, identities }, signer));
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
      sendReply(channel, msg, replyType(type), { status: "error", ename: "UnknownMessageType", evalue: `unknown msg_type: ${type}`, traceback: [] });
      return;
    }
    const result = await handlers[type](msg, channel);
    flushStreams();
    if (result) sendReply(channel, msg, replyType(type), result.content, result.metadata);
  } catch (e) {
    log(`error handling ${type}: ${(e as Error).stack ?? e}`);
    flushStreams();
    sendReply(channel, msg, replyType(type), { status: "error", ename: (e as Error).name ?? "Error", evalue: (e as Error).message ?? String(e), traceback: [] });
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
      sendReply("shell", msg, "execute_reply", { status: "aborted", execution_count: null }, { status: "aborted" });
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
    for (const s of Object.values(sockets)) s.close();
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
