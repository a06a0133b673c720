/**
 * The language worker (dist/lang-worker.mjs): a thread of the kernel process that owns the
 * TypeScript language service, so type checking never delays the main thread running cells.
 * Requests are answered in arrival order; a commit is applied before any later request.
 */
// First: sets a V8 flag, which must happen before typescript is loaded from its code cache.
import { gc } from "./gc.js";
import { parentPort, workerData } from "node:worker_threads";
import { NotebookService } from "./service.js";
import { saveTypeScriptCache, typescriptFromCache } from "./typescript-cached.js";
import type { LangRequest, LangResponse } from "./protocol.js";

const port = parentPort!;
const { cwd, gradnoteTypes } = workerData as { cwd: string; gradnoteTypes?: string };
const service = new NotebookService({ cwd, gradnoteTypes });

let prewarm: NodeJS.Immediate | undefined;

function answer(req: LangRequest): unknown {
  switch (req.op) {
    case "commit":
      service.commit(req.code);
      // Parse the new context between cells rather than when the next cell is checked; after a
      // burst of commits (a restarted worker catching up) only once.
      prewarm ??= setImmediate(() => {
        prewarm = undefined;
        service.prewarm();
      });
      return undefined;
    case "diagnostics":
      return service.diagnostics(req.code);
    case "complete":
      return service.completions(req.code, req.index);
    case "inspect":
      return service.inspect(req.code, req.index, req.detail);
  }
}

// Each check builds a new program and checker and drops the old ones: collected at once when the
// notebook goes idle, the worker's resident memory falls back instead of waiting for V8's reducer.
let idleTimer: NodeJS.Timeout | undefined;
function collectWhenIdle(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(gc, 1000);
  idleTimer.unref();
}

port.on("message", (req: LangRequest) => {
  let msg: LangResponse;
  try {
    msg = { id: req.id, result: answer(req) };
  } catch (e) {
    msg = { id: req.id, error: String((e as Error)?.stack ?? e) };
  }
  port.postMessage(msg);
  collectWhenIdle();
});

// Loading lib, node and gradnote's declarations takes a second or more: done before any cell asks.
service.warm();
if (process.env.GRADNOTE_LANG_DEBUG) console.log(`typescript ${typescriptFromCache ? "from the code cache" : `compiled; cache written to ${saveTypeScriptCache()}`}`);
else saveTypeScriptCache();
gc();
port.postMessage({ id: 0, result: "ready" } satisfies LangResponse);
