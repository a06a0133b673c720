/**
 * The language worker (dist/lang-worker.mjs): a thread of the kernel process that owns the
 * TypeScript language service, so type checking never delays the main thread running cells.
 * Requests are answered in arrival order; a commit is applied before any later request.
 */
import { parentPort, workerData } from "node:worker_threads";
import { NotebookService } from "./service.js";
import type { LangRequest, LangResponse } from "./protocol.js";

const port = parentPort!;
const { cwd, gradnoteTypes } = workerData as { cwd: string; gradnoteTypes?: string };
const service = new NotebookService({ cwd, gradnoteTypes });

function answer(req: LangRequest): unknown {
  switch (req.op) {
    case "commit":
      return service.commit(req.code);
    case "diagnostics":
      return service.diagnostics(req.code);
    case "complete":
      return service.completions(req.code, req.index);
    case "inspect":
      return service.inspect(req.code, req.index, req.detail);
  }
}

port.on("message", (req: LangRequest) => {
  let msg: LangResponse;
  try {
    msg = { id: req.id, result: answer(req) };
  } catch (e) {
    msg = { id: req.id, error: String((e as Error)?.stack ?? e) };
  }
  port.postMessage(msg);
});

// Loading lib, node and gradnote's declarations takes a second or more: done before any cell asks.
service.warm();
port.postMessage({ id: 0, result: "ready" } satisfies LangResponse);
