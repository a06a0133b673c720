/**
 * The thread pool behind the pool backend: `worker_threads` that sleep in `Atomics.wait` and
 * are woken by a generation counter in shared memory. A job's description travels through a
 * MessagePort that the worker drains synchronously (`receiveMessageOnPort`), so no event loop
 * is involved on either side. The calling thread always runs the first part itself and steals
 * any part a worker has not claimed yet (a worker still booting, or descheduled by a busy
 * machine), so a slow thread never stalls an op. Workers are unref'd: they never keep the
 * process alive, and `shutdownPool()` ends them explicitly.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runJob, type Job } from "./parts.js";

/** Cells of each worker's control array. */
export const GEN = 0, OPEN = 1, DONE = 2, FAILED = 3, STOP = 4;

interface Slot {
  worker: Worker;
  ctl: Int32Array;
  /** Main → worker: jobs. Worker → main: error texts. */
  port: MessagePort;
  gen: number;
}

let slots: Slot[] | null = null;
let threads = defaultThreads();
let workerScript: string | null | undefined;
let notice = "";

function defaultThreads(): number {
  const env = typeof process !== "undefined" ? Number(process.env.GRADNOTE_THREADS) : NaN;
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, Math.min(availableParallelism(), 16));
}

function findWorkerScript(): string | null {
  if (workerScript !== undefined) return workerScript;
  workerScript = null;
  for (const u of [new URL("./pool-worker.mjs", import.meta.url), new URL("../../../dist/pool-worker.mjs", import.meta.url)]) {
    const p = fileURLToPath(u);
    if (existsSync(p)) {
      workerScript = p;
      break;
    }
  }
  if (!workerScript) notice = "dist/pool-worker.mjs not found (run `npm run build`); ops run on one thread";
  return workerScript;
}

/** Number of threads ops are split over (the calling thread included). */
export function getNumThreads(): number {
  return threads;
}

/**
 * Sets how many threads (the calling one included) large ops are split over; 1 runs
 * everything on the calling thread. Defaults to the available cores, or `GRADNOTE_THREADS`.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`setNumThreads: expected a positive integer, got ${n}`);
  if (n === threads) return;
  shutdownPool();
  threads = n;
}

/** Why the pool runs on fewer threads than asked (empty when it does not). */
export function poolNotice(): string {
  return notice;
}

function start(): Slot[] {
  if (slots) return slots;
  slots = [];
  const script = threads > 1 ? findWorkerScript() : null;
  if (!script) return slots;
  for (let i = 1; i < threads; i++) {
    const ctl = new Int32Array(new SharedArrayBuffer(8 * 4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(script, { workerData: { ctl, port: port2 }, transferList: [port2] });
    worker.unref();
    port1.unref();
    worker.on("error", (e) => {
      // A worker that dies (out of memory) never claims another part; the caller runs them.
      notice = `pool worker ${i} stopped: ${e instanceof Error ? e.message : String(e)}`;
      Atomics.store(ctl, STOP, 1);
    });
    slots.push({ worker, ctl, port: port1, gen: 0 });
  }
  return slots;
}

/** Workers currently started (0 until the first op large enough to split). */
export function liveWorkers(): number {
  return slots ? slots.length : 0;
}

/** Ends every worker; the next large op starts them again. */
export function shutdownPool(): void {
  if (!slots) return;
  for (const s of slots) {
    Atomics.store(s.ctl, STOP, 1);
    Atomics.add(s.ctl, GEN, 1);
    Atomics.notify(s.ctl, GEN);
    s.port.close();
    void s.worker.terminate();
  }
  slots = null;
}

const stats = { ops: 0, parts: 0, byWorkers: 0, stolen: 0 };

/** Counters since start: split ops, their parts, parts run by workers, parts the caller took back. */
export function poolStats(): { ops: number; parts: number; byWorkers: number; stolen: number } {
  return { ...stats };
}

/** Total number of parts an op should be cut into. */
export function parallelism(): number {
  return threads;
}

/**
 * Runs `jobs` (at most one per thread): jobs[0] on this thread, the others in workers, stealing
 * those no worker has claimed. Throws the first failure after every part has finished.
 */
export function runJobs(jobs: readonly Job[]): void {
  if (jobs.length === 0) return;
  const ws = jobs.length > 1 ? start() : [];
  const posted: { s: Slot; job: Job }[] = [];
  const local: Job[] = [jobs[0]];
  for (let i = 1; i < jobs.length; i++) {
    const s = ws[i - 1];
    if (!s || Atomics.load(s.ctl, STOP)) {
      local.push(jobs[i]);
      continue;
    }
    const gen = ++s.gen;
    s.port.postMessage({ gen, job: jobs[i] });
    Atomics.store(s.ctl, FAILED, 0);
    Atomics.store(s.ctl, OPEN, gen);
    Atomics.store(s.ctl, GEN, gen);
    Atomics.notify(s.ctl, GEN);
    posted.push({ s, job: jobs[i] });
  }
  stats.ops++;
  stats.parts += jobs.length;
  let error: unknown = null;
  for (const job of local) {
    try {
      runJob(job);
    } catch (e) {
      error ??= e;
    }
  }
  for (const { s, job } of posted) {
    // Steal the part if the worker has not started it yet.
    if (Atomics.compareExchange(s.ctl, OPEN, s.gen, 0) === s.gen) {
      stats.stolen++;
      try {
        runJob(job);
      } catch (e) {
        error ??= e;
      }
      continue;
    }
    stats.byWorkers++;
    let spins = 0;
    while (Atomics.load(s.ctl, DONE) !== s.gen) {
      if (++spins > 2000) Atomics.wait(s.ctl, DONE, Atomics.load(s.ctl, DONE), 50);
    }
    if (Atomics.load(s.ctl, FAILED)) {
      const m = receiveMessageOnPort(s.port);
      error ??= new Error(m ? String(m.message) : "pool: a worker failed");
    }
  }
  if (error) throw error;
}
