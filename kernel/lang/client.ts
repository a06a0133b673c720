/**
 * The main thread's handle on the language worker: started shortly after the kernel, lazily
 * otherwise; every call resolves to undefined when the worker is missing (no `typescript`
 * installed, no dist/types), failed, or slower than the caller's limit, so callers fall back.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { LangArgs, LangOp, LangRequest, LangResponse, LangResults } from "./protocol.js";

let worker: Worker | undefined;
let failed = false;
let ready = false;
let restarts = 0;
let nextId = 1;
const pending = new Map<number, (r: LangResponse | undefined) => void>();
/** Every cell that ran, in order: a worker started (or restarted) late is given them first. */
const committed: string[] = [];
/**
 * The worker's heap is capped so type checking stays within its memory budget; a worker that
 * runs out is started again (with the cells so far) on the next request, up to MAX_RESTARTS.
 */
const MAX_OLD_GENERATION_MB = 96;
const MAX_RESTARTS = 3;
let log: (line: string) => void = () => undefined;

function start(): Worker | undefined {
  if (worker || failed) return worker;
  const url = new URL("./lang-worker.mjs", import.meta.url);
  const types = new URL("./types/index.d.ts", import.meta.url);
  if (!existsSync(url)) {
    failed = true;
    return undefined;
  }
  try {
    worker = new Worker(url, {
      workerData: { cwd: process.cwd(), gradnoteTypes: existsSync(types) ? fileURLToPath(types) : undefined },
      // A small young generation keeps the worker's resident memory down; checks are short.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: MAX_OLD_GENERATION_MB },
      stdout: true,
      stderr: true,
    });
  } catch (e) {
    failed = true;
    log(`language worker did not start: ${(e as Error).message}`);
    return undefined;
  }
  worker.unref();
  worker.stdout.on("data", (d: Buffer) => log(d.toString("utf8").trimEnd()));
  worker.stderr.on("data", (d: Buffer) => log(d.toString("utf8").trimEnd()));
  worker.on("message", (msg: LangResponse) => {
    if (msg.id === 0) {
      ready = true;
      return;
    }
    if ("error" in msg) log(`language worker: ${msg.error}`);
    const resolve = pending.get(msg.id);
    pending.delete(msg.id);
    resolve?.(msg);
  });
  const down = (why: string) => {
    if (!worker) return;
    worker = undefined;
    ready = false;
    failed = ++restarts > MAX_RESTARTS;
    log(`language worker stopped: ${why}; ${failed ? "completion and inspection fall back to runtime values" : "it starts again on the next request"}`);
    for (const r of pending.values()) r(undefined);
    pending.clear();
  };
  const self = worker;
  self.on("error", (e) => worker === self && down(String(e?.message ?? e)));
  self.on("exit", (code) => worker === self && down(`exit code ${code}`));
  for (const code of committed) send({ op: "commit", code });
  return worker;
}

function send(req: Omit<LangRequest, "id">, onAnswer?: (r: LangResponse | undefined) => void): void {
  const id = nextId++;
  if (onAnswer) pending.set(id, onAnswer);
  worker!.postMessage({ ...req, id } as LangRequest);
}

/**
 * Sets where the worker's messages go and starts it after `delayMs` (kernel start); without a
 * delay it starts on the first request instead.
 */
export function startLanguageWorker(logTo: (line: string) => void, delayMs?: number): void {
  log = logTo;
  if (delayMs !== undefined) setTimeout(start, delayMs).unref();
}

/** Starts the worker now if it is not running (type checking was switched on). */
export function warmLanguageWorker(): void {
  start();
}

/** Whether the worker has loaded its declarations (its first answers will be quick). */
export function languageReady(): boolean {
  return ready;
}

/** Asks the worker; undefined when it is unavailable, failed on this request, or took over `timeoutMs`. */
export function ask<K extends Exclude<LangOp, "commit">>(op: K, args: LangArgs<K>, timeoutMs: number): Promise<LangResults[K] | undefined> {
  if (!start()) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    timer.unref();
    send({ op, ...args } as Omit<LangRequest, "id">, (r) => {
      clearTimeout(timer);
      resolve(r && "result" in r ? (r.result as LangResults[K]) : undefined);
    });
  });
}

/** Records a cell that ran, so later cells are checked and completed against it. */
export function commitCell(code: string): void {
  committed.push(code);
  if (worker) send({ op: "commit", code });
}
