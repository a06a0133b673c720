/**
 * Kernel process entry. User code runs on this (main) thread; ZeroMQ and the protocol run in a
 * worker thread (protocol-worker.ts) that keeps answering heartbeat and control while a cell
 * runs, and interrupts this thread through the inspector when it is stuck in synchronous code.
 */
import { Worker } from "node:worker_threads";
import type { FromMain, MainRequest, ToMain } from "./bridge.js";
import { EXIT_FLAG } from "./bridge.js";
import { readConnectionFile } from "./connection.js";
import { captureOutput, kernelLog, trackTimers } from "./executor/capture.js";
import { complete } from "./executor/complete.js";
import { emitRaw, setInterruptFlags, setPoster } from "./executor/context.js";
import { clearOutput, display, getpass, input, page, resolveInput } from "./executor/display.js";
import { cellRuntime, execute, installAsyncErrorReporting, interrupt, reportAsync } from "./executor/executor.js";
import { inspectAt } from "./executor/inspect.js";
import { installGradeHook } from "./executor/grade-hook.js";

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

async function serve(req: MainRequest): Promise<unknown> {
  switch (req.kind) {
    case "execute":
      return execute(req.job, req.parent);
    case "complete":
      return complete(req.code, req.cursorPos);
    case "inspect":
      return inspectAt(req.code, req.cursorPos, req.detailLevel);
    case "is_complete": {
      const { isComplete } = await import("./executor/is-complete.js");
      return isComplete(req.code);
    }
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
  Object.assign(g, { __gn: cellRuntime, display, clearOutput, input, getpass, page });
  // The runtime's own display()/input() (imported from "gradnote") delegate here.
  (g as Record<symbol, unknown>)[Symbol.for("gradnote.kernel")] = { display, clearOutput, input };
  for (const k of ["__gn", "__gnEvalPending"]) Object.defineProperty(g, k, { enumerable: false });
  installGradeHook();

  setInterruptFlags(flags);
  // process.exit() in a cell ends the kernel with that code, as Jupyter expects of a kernel that
  // quits; the protocol thread closes its sockets first (see closeForExit in protocol-worker.ts).
  let workerAlive = true;
  worker.once("exit", () => (workerAlive = false));
  const realExit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    if (workerAlive) {
      emitRaw({ kind: "exit" }); // after the cell's buffered output
      Atomics.wait(flags, EXIT_FLAG, 0, 2000);
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
          serve(msg).then(
            // emitRaw: stream text the cell left buffered goes before its reply.
            (result) => emitRaw({ kind: "response", id: msg.id, result }),
            (e) => emitRaw({ kind: "response", id: msg.id, result: { status: "error", ename: "InternalError", evalue: String((e as Error)?.message ?? e), traceback: [], executionCount: 0, userExpressions: {} } }),
          );
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
