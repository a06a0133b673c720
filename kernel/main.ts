/**
 * Kernel process entry. User code runs on this (main) thread; ZeroMQ and the protocol run in a
 * worker thread (protocol-worker.ts) that keeps answering heartbeat and control while a cell
 * runs, and interrupts this thread through the inspector when it is stuck in synchronous code.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ErrorContent, FromMain, MainKind, MainRequestOf, MainResponse, MainResults, ToMain } from "./bridge.js";
import { EXIT_FLAG } from "./bridge.js";
import { readConnectionFile } from "./connection.js";
import { captureOutput, kernelLog, trackTimers } from "./executor/capture.js";
import { complete } from "./executor/complete.js";
import { emitRaw, setInterruptFlags, setPoster } from "./executor/context.js";
import { clearOutput, display, getpass, input, page, resolveInput } from "./executor/display.js";
import { cellRuntime, execute, installAsyncErrorReporting, interrupt, reportAsync } from "./executor/executor.js";
import { inspectAt } from "./executor/inspect.js";
import { help, parseHelp, parsesAsTypeScript } from "./executor/help.js";
import { installGradeHook } from "./executor/grade-hook.js";
import { startTypecheck } from "./executor/typecheck.js";
import { setKernelV8Flags } from "./v8-flags.js";

/** Reads `--connection-file F` (or `-f F`, or a lone path) from argv. */
function connectionFileArg(argv: string[]): string {
  const i = argv.findIndex((a) => a === "--connection-file" || a === "-f");
  if (i >= 0 && argv[i + 1]) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith("--connection-file="));
  if (eq) return eq.slice("--connection-file=".length);
  const positional = argv.find((a) => a.endsWith(".json"));
  if (positional) return positional;
  throw new Error("usage: gradnote kernel --connection-file <kernel-XXXX.json>");
}

type Server<K extends MainKind> = (req: MainRequestOf<K>) => Promise<MainResults[K]>;

/** How main answers each request kind. */
const servers: { [K in MainKind]: Server<K> } = {
  execute: (req) => execute(req.job, req.parent),
  complete: (req) => complete(req.code, req.cursorPos),
  inspect: (req) => inspectAt(req.code, req.cursorPos, req.detailLevel),
  async is_complete(req) {
    const { isComplete } = await import("./executor/is-complete.js");
    // A cell ending in `x?` is complete when the lines before it are.
    const asked = await parseHelp(req.code, parsesAsTypeScript);
    const r = await isComplete(asked ? asked.code : req.code);
    return r.status === "incomplete" ? { status: "incomplete", indent: r.indent ?? "" } : { status: r.status };
  },
};

/** A failed request's answer, in the shape of that request kind's result. */
const failures: { [K in MainKind]: (req: MainRequestOf<K>, e: ErrorContent) => MainResults[K] } = {
  execute: (req, e) => ({ status: "error", executionCount: req.job.executionCount, userExpressions: {}, ...e }),
  complete: (_req, e) => ({ status: "error", ...e }),
  inspect: (_req, e) => ({ status: "error", ...e }),
  is_complete: () => ({ status: "unknown" }),
};

/**
 * Kinds of request that fail on purpose (GRADNOTE_TEST_FAIL=complete,inspect,...): the tests
 * of the error replies use it, since a healthy kernel has no request that fails on demand.
 */
const failOnPurpose = new Set((process.env.GRADNOTE_TEST_FAIL ?? "").split(",").filter(Boolean));

function internalError(e: unknown): ErrorContent {
  const evalue = String((e as Error)?.message ?? e);
  const ename = "InternalError";
  return { ename, evalue, traceback: [`${ename}: ${evalue}`] };
}

/**
 * Serves one request and posts its response; a request that throws, or whose result cannot be
 * posted (structured clone fails on a function in a display bundle), is answered in its kind's
 * error shape, and a failed execute also shows the error below the cell.
 */
function answer<K extends MainKind>(kind: K, req: MainRequestOf<K>): void {
  // One cast: TypeScript cannot correlate `kind` and `result` of a generic K with the union.
  const respond = (result: MainResults[K]) => emitRaw({ kind: "response", id: req.id, request: kind, result } as MainResponse);
  const fail = (e: unknown) => {
    const err = internalError(e);
    kernelLog(`${req.kind} request failed: ${(e as Error)?.stack ?? e}`);
    if (req.kind === "execute") emitRaw({ kind: "error", parent: req.parent, ...err });
    respond(failures[kind](req, err));
  };
  (failOnPurpose.has(kind) ? Promise.reject(new Error(`${kind} failed on purpose (GRADNOTE_TEST_FAIL)`)) : servers[kind](req)).then(
    (result) => {
      try {
        // emitRaw: stream text the cell left buffered goes before its reply.
        respond(result);
      } catch (e) {
        fail(e);
      }
    },
    fail,
  );
}

/**
 * `_exit` from the native kernels' addon (dist/gradnote-native.node, where it is built), else
 * null. Once the protocol thread has closed its sockets there is nothing left to flush, and
 * Node's own exit would first tear that thread down while it still holds ZeroMQ's objects:
 * their finalizers then run under termination and, rarely, abort the process (SIGABRT instead
 * of the cell's exit code).
 */
function loadQuickExit(): ((code: number) => never) | null {
  try {
    const path = fileURLToPath(new URL("./gradnote-native.node", import.meta.url));
    if (!existsSync(path)) return null;
    const mod = createRequire(import.meta.url)(path) as { quickExit?: (code: number) => never };
    return typeof mod.quickExit === "function" ? mod.quickExit : null;
  } catch {
    return null;
  }
}

/** Starts the kernel for a connection file; resolves when the kernel has shut down. */
export async function startKernel(connectionFile: string): Promise<void> {
  const connection = readConnectionFile(connectionFile);
  const interruptFlags = new SharedArrayBuffer(4 * 4);
  const flags = new Int32Array(interruptFlags);
  const worker = new Worker(new URL("./protocol-worker.mjs", import.meta.url), {
    workerData: { connection, interruptFlags, debug: process.env.GRADNOTE_DEBUG === "1" },
    stderr: true,
    stdout: true,
  });
  // The worker's own stdio must never land in a cell: copy it to the real descriptors.
  worker.stderr.on("data", (d: Buffer) => kernelLog(d.toString("utf8").replace(/^\[gradnote\] /, "").trimEnd()));
  worker.stdout.on("data", (d: Buffer) => kernelLog(d.toString("utf8").trimEnd()));

  const post = (msg: FromMain) => worker.postMessage(msg);
  setPoster(post);
  captureOutput();
  trackTimers(reportAsync);
  installAsyncErrorReporting();
  const g = globalThis as Record<string, unknown>;
  Object.assign(g, { __gn: cellRuntime, display, clearOutput, input, getpass, page, help });
  // The runtime's own display()/input() (imported from "gradnote") delegate here.
  (g as Record<symbol, unknown>)[Symbol.for("gradnote.kernel")] = { display, clearOutput, input };
  for (const k of ["__gn", "__gnEvalPending"]) Object.defineProperty(g, k, { enumerable: false });
  installGradeHook();
  setKernelV8Flags();
  startTypecheck();

  setInterruptFlags(flags);
  // process.exit() in a cell ends the kernel with that code, as Jupyter expects of a kernel that
  // quits; the protocol thread closes its sockets first (see closeForExit in protocol-worker.ts).
  let workerAlive = true;
  worker.once("exit", () => (workerAlive = false));
  const realExit = process.exit.bind(process);
  const quickExit = loadQuickExit();
  process.exit = ((code?: number | string | null) => {
    if (workerAlive) {
      emitRaw({ kind: "exit" }); // after the cell's buffered output
      if (Atomics.wait(flags, EXIT_FLAG, 0, 2000) !== "timed-out" && quickExit) {
        // As Node's exit does: the code, then the cell's own "exit" listeners, then the end.
        if (code !== undefined && code !== null) process.exitCode = code;
        const raw = Number(process.exitCode ?? 0), status = Number.isInteger(raw) ? raw : 1;
        try {
          process.emit("exit", status);
        } catch (e) {
          // The sockets are closed: a failing listener can only be logged, and the exit goes on.
          kernelLog(`an "exit" listener failed: ${(e as Error).stack ?? e}`);
        }
        quickExit(status);
      }
    }
    return realExit(code);
  }) as typeof process.exit;
  const onInterrupt = () => interrupt();
  process.on("SIGINT", onInterrupt);

  await new Promise<void>((resolve, reject) => {
    worker.on("error", (e) => {
      kernelLog(`protocol thread failed: ${e.stack ?? e}`);
      reject(e);
    });
    worker.on("exit", () => resolve());
    worker.on("message", (msg: ToMain | { kind: "ready" }) => {
      switch (msg.kind) {
        case "ready":
          break;
        case "interrupt":
          onInterrupt();
          break;
        case "input_reply":
          resolveInput(msg.requestId, msg.value, msg.error);
          break;
        case "shutdown":
          // The worker exits by itself once its sockets are closed; a stuck one is ended.
          setTimeout(() => void worker.terminate(), 2000).unref();
          break;
        default:
          answer(msg.kind, msg);
      }
    });
  });
}

const isEntry = process.argv[1] && /(^|[\\/])kernel\.mjs$/.test(process.argv[1]);
if (isEntry) {
  startKernel(connectionFileArg(process.argv.slice(2))).then(
    () => process.exit(0),
    (e) => {
      kernelLog(`fatal: ${(e as Error).stack ?? e}`);
      process.exit(1);
    },
  );
}
