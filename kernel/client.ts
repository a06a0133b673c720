/**
 * A small Jupyter client over ZeroMQ, and a launcher that starts a kernel process with a fresh
 * connection file. The headless runner, the tests and the benchmarks use it; it shares only the
 * wire format with the kernel.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import { CHANNELS, endpoint, type ConnectionInfo } from "./connection.js";
import { KERNEL_NODE_FLAGS } from "./node-flags.js";

export { KERNEL_NODE_FLAGS };
import type { Message } from "./messages.js";
import { plainExit, prepareSandbox, type KernelExit, type SandboxOptions } from "./sandbox.js";
import { SendQueue } from "./send-queue.js";
import { decode, encode, makeHeader, Signer } from "./wire.js";

export type ReceivedMessage = Omit<Message, "identities" | "buffers">;

/**
 * `n` distinct free TCP ports on 127.0.0.1: all are held open until every one is known, so one
 * connection file never names the same port twice. Another process may still take one before
 * the kernel binds it; launchKernel retries with fresh ports when a kernel dies starting up.
 */
async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  try {
    return await Promise.all(servers.map((srv) => new Promise<number>((resolve, reject) => {
      srv.unref();
      srv.on("error", reject);
      srv.listen(0, "127.0.0.1", () => resolve((srv.address() as { port: number }).port));
    })));
  } finally {
    await Promise.all(servers.map((srv) => new Promise((r) => (srv.listening ? srv.close(r) : r(undefined)))));
  }
}

export async function newConnectionInfo(key: string = crypto.randomUUID()): Promise<ConnectionInfo> {
  const info: ConnectionInfo = {
    transport: "tcp", ip: "127.0.0.1", key, signature_scheme: "hmac-sha256",
    shell_port: 0, iopub_port: 0, stdin_port: 0, control_port: 0, hb_port: 0, kernel_name: "gradnote",
  };
  const ports = await freePorts(CHANNELS.length);
  CHANNELS.forEach((ch, i) => (info[`${ch}_port`] = ports[i]));
  return info;
}

/** Collected output of one request, as a front end would see it. */
export interface RequestResult {
  reply: ReceivedMessage;
  /** The request's iopub messages in order; empty when they went to `onIopub` instead. */
  iopub: ReceivedMessage[];
}

/** How one request is waited for. */
export interface RequestOptions {
  /** false: resolve as soon as the reply arrives, without waiting for idle (e.g. to time startup). */
  waitIdle?: boolean;
  /**
   * Receives each iopub message of the request as it arrives (status messages included), instead
   * of collecting them in `RequestResult.iopub`: memory stays flat however much a cell prints.
   * If it throws, the request fails with that error.
   */
  onIopub?: (m: ReceivedMessage) => void;
}

export interface KernelClientOptions {
  /** Keep every iopub message in `allIopub` (default true; a long-running runner turns it off). */
  keepAllIopub?: boolean;
  /**
   * Largest message part accepted from the kernel (ZeroMQ's maxMessageSize); a bigger one drops
   * the connection instead of filling memory. For kernels running untrusted code. Default: none.
   */
  maxMessageBytes?: number;
}

export class KernelClient {
  readonly session = crypto.randomUUID();
  private readonly signer: Signer;
  // shell and stdin share a routing id: the kernel sends input_request to the shell requester.
  private readonly shell = new zmq.Dealer({ linger: 0, routingId: this.session });
  private readonly control = new zmq.Dealer({ linger: 0 });
  readonly stdin = new zmq.Dealer({ linger: 0, routingId: this.session });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private readonly queues: Record<"shell" | "control" | "stdin", SendQueue>;
  private readonly waiting = new Map<string, { iopub: ReceivedMessage[]; onIopub?: (m: ReceivedMessage) => void; reply?: ReceivedMessage; idle: boolean; done: (r: RequestResult) => void; fail: (e: Error) => void }>();
  /** Set once the kernel is known to be gone: every request fails at once with it. */
  private gone: Error | null = null;
  /** Every iopub message received, in order (tests inspect it); stays empty when `keepAllIopub` is false. */
  readonly allIopub: ReceivedMessage[] = [];
  /** Whether `allIopub` collects messages; may be switched off (or on) at any time. */
  keepAllIopub: boolean;
  /** Called for input_request on stdin; answer with the text to send back. */
  onInput: (prompt: string, password: boolean) => string = () => "";
  private closed = false;

  constructor(readonly info: ConnectionInfo, opts: KernelClientOptions = {}) {
    this.keepAllIopub = opts.keepAllIopub ?? true;
    if (opts.maxMessageBytes !== undefined) for (const sock of [this.shell, this.control, this.stdin, this.iopub]) sock.maxMessageSize = opts.maxMessageBytes;
    this.signer = new Signer(info.key, info.signature_scheme);
    this.queues = { shell: new SendQueue(this.shell), control: new SendQueue(this.control), stdin: new SendQueue(this.stdin) };
  }

  async connect(): Promise<void> {
    this.shell.connect(endpoint(this.info, "shell"));
    this.control.connect(endpoint(this.info, "control"));
    this.stdin.connect(endpoint(this.info, "stdin"));
    this.iopub.connect(endpoint(this.info, "iopub"));
    this.iopub.subscribe();
    void this.receive(this.shell, "reply");
    void this.receive(this.control, "reply");
    void this.receive(this.iopub, "iopub");
    void this.receive(this.stdin, "stdin");
  }

  private async receive(sock: zmq.Dealer | zmq.Subscriber, kind: "reply" | "iopub" | "stdin"): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: Message;
        try {
          msg = decode(frames as Buffer[], this.signer);
        } catch {
          continue;
        }
        const m: ReceivedMessage = { header: msg.header, parent_header: msg.parent_header, metadata: msg.metadata, content: msg.content };
        if (kind === "stdin") {
          if (m.header.msg_type === "input_request") {
            const value = this.onInput(String(m.content.prompt ?? ""), m.content.password === true);
            this.sendOn("stdin", "input_reply", { value }, m.header);
          }
          continue;
        }
        const parentId = m.parent_header.msg_id ?? "";
        const w = this.waiting.get(parentId);
        if (kind === "iopub") {
          if (this.keepAllIopub) this.allIopub.push(m);
          if (!w) continue;
          if (w.onIopub) {
            try {
              w.onIopub(m);
            } catch (e) {
              // The caller's handler failed: that request fails, the receive loop goes on.
              this.waiting.delete(parentId);
              w.fail(e instanceof Error ? e : new Error(String(e)));
              continue;
            }
          } else w.iopub.push(m);
          if (m.header.msg_type === "status" && m.content.execution_state === "idle") w.idle = true;
        } else if (w) w.reply = m;
        if (w && w.idle && w.reply) {
          this.waiting.delete(parentId);
          w.done({ reply: w.reply, iopub: w.iopub });
        }
      }
    } catch (e) {
      if (!this.closed) throw e;
    }
  }

  private sendOn(channel: "shell" | "control" | "stdin", msgType: string, content: Record<string, unknown>, parent: object = {}): string {
    const header = makeHeader(msgType, this.session, "client");
    this.queues[channel].send(encode({ header, parent_header: parent, metadata: {}, content }, this.signer));
    return header.msg_id;
  }

  /**
   * Sends a request and resolves with its reply and iopub messages once the kernel is idle
   * (`waitIdle: false`: as soon as the reply arrives, e.g. to time startup). With `onIopub` the
   * iopub messages are handed over as they arrive and `iopub` in the result is empty.
   */
  request(msgType: string, content: Record<string, unknown>, channel: "shell" | "control" = "shell", timeoutMs = 30_000, opts: RequestOptions = {}): Promise<RequestResult> {
    return new Promise((resolve, reject) => {
      if (this.gone) {
        reject(this.gone);
        return;
      }
      const header = makeHeader(msgType, this.session, "client");
      const timer = setTimeout(() => {
        this.waiting.delete(header.msg_id);
        reject(new Error(`${msgType}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(header.msg_id, {
        iopub: [], onIopub: opts.onIopub, idle: opts.waitIdle === false,
        done: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        fail: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.queues[channel].send(encode({ header, parent_header: {}, metadata: {}, content }, this.signer));
    });
  }

  /** Runs code (`opts` overrides execute_request fields); `request` as for `request()`. */
  execute(code: string, opts: Record<string, unknown> = {}, timeoutMs?: number, request: RequestOptions = {}): Promise<RequestResult> {
    return this.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true, ...opts }, "shell", timeoutMs, request);
  }

  /** Sends raw frames on the shell (or control, stdin) socket (fuzzing). */
  async sendRaw(frames: Buffer[], channel: "shell" | "control" | "stdin" = "shell"): Promise<void> {
    this.queues[channel].send(frames);
  }

  /** Resolves once every frame set queued so far has been handed to ZeroMQ. */
  async drain(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.drain()));
  }

  /** Waits until the kernel answers kernel_info (it is up and subscribed). */
  async waitReady(timeoutMs = 20_000): Promise<RequestResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.request("kernel_info_request", {}, "shell", 1000);
      } catch (e) {
        // A kernel that exited will never answer: say so now rather than at the deadline.
        if (this.gone || Date.now() > deadline) throw this.gone ?? e;
      }
    }
  }

  /** The kernel process ended: fails every pending and later request with `error`. */
  kernelGone(error: Error): void {
    this.gone = error;
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.fail(error);
    }
  }

  close(): void {
    this.closed = true;
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) s.close();
  }
}

/** A request failed because the kernel process ended. */
export class KernelDiedError extends Error {
  override name = "KernelDied";
}

export interface RunningKernel {
  client: KernelClient;
  process: ChildProcess;
  connectionFile: string;
  /** Everything the kernel wrote on stderr (its log). */
  stderr: () => string;
  /** How the kernel process ended; undefined while it runs. */
  exit(): KernelExit | undefined;
  shutdown(): Promise<void>;
}

/**
 * Starts `node dist/kernel.mjs` on a fresh connection file and connects a client. A kernel that
 * dies while starting (typically a port taken by another process between choosing and binding
 * it) is started again on fresh ports, up to three attempts, as Jupyter's launchers do.
 */
export async function launchKernel(opts: LaunchOptions = {}): Promise<RunningKernel> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startKernelProcess(opts);
    } catch (e) {
      // A sandboxed kernel has no ports to lose: a death while starting is not worth a retry.
      if (!(e instanceof KernelDiedError) || attempt >= (opts.sandbox ? 1 : 3)) throw e;
    }
  }
}

/** Where and how launchKernel starts the kernel; `keepAllIopub` goes to its KernelClient. */
export interface LaunchOptions extends KernelClientOptions {
  cwd?: string;
  kernelPath?: string;
  env?: NodeJS.ProcessEnv;
  key?: string;
  /** Run the kernel in the sandbox (sandbox.ts), talking ZeroMQ over ipc; `cwd` is then `sandbox.writable`. */
  sandbox?: SandboxOptions;
}

async function startKernelProcess(opts: LaunchOptions): Promise<RunningKernel> {
  const kernelPath = opts.kernelPath ?? new URL("./kernel.mjs", import.meta.url).pathname;
  const sandbox = opts.sandbox ? prepareSandbox({ ...opts.sandbox, kernelPath, key: opts.key, env: opts.env ?? process.env }) : undefined;
  const info = sandbox ? sandbox.info : await newConnectionInfo(opts.key);
  const dir = sandbox ? undefined : mkdtempSync(join(tmpdir(), "gradnote-"));
  const connectionFile = sandbox ? sandbox.connectionFile : join(dir!, "kernel.json");
  if (!sandbox) writeFileSync(connectionFile, JSON.stringify(info));
  const child = sandbox ? sandbox.spawn() : spawn(process.execPath, [...KERNEL_NODE_FLAGS, kernelPath, "--connection-file", connectionFile], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let exit: KernelExit | undefined;
  let log = "";
  // The log's end is what a death message quotes: a kernel writing without end keeps only that.
  const keep = (d: Buffer) => {
    log += d.toString();
    if (log.length > 256 * 1024) log = log.slice(-128 * 1024);
  };
  child.stderr!.on("data", keep);
  child.stdout!.on("data", keep);
  const client = new KernelClient(info, { keepAllIopub: opts.keepAllIopub, maxMessageBytes: opts.maxMessageBytes });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  // A kernel that dies (while starting, or mid-request: a crash, an out-of-memory kill) fails
  // the pending request now rather than at its timeout, with the exit status and its log's end.
  child.once("exit", (code, signal) => {
    const tail = log.trim().split("\n").slice(-15).join("\n");
    exit = sandbox ? sandbox.exit(code, signal, log) : plainExit(code, signal, log);
    const what = sandbox ? sandbox.message(exit) : `the kernel exited (${signal ? `signal ${signal}` : `code ${code}`})`;
    client.kernelGone(new KernelDiedError(`${what}${tail ? `; its log ends:\n${tail}` : ""}`));
  });
  const cleanup = async () => {
    client.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await sandbox?.cleanup();
  };
  try {
    await client.connect();
    await client.waitReady();
  } catch (e) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    if (sandbox) await exited;
    await cleanup();
    throw e;
  }
  return {
    client, process: child, connectionFile, stderr: () => log, exit: () => exit,
    async shutdown() {
      if (child.exitCode === null && child.signalCode === null) {
        await client.request("shutdown_request", { restart: false }, "control", 5000).catch(() => undefined);
        const t = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(t);
      }
      await cleanup();
    },
  };
}
