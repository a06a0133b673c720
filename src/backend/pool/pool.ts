/**
 * The thread pool behind the pool backend: `worker_threads` that sleep in `Atomics.wait` and
 * are woken by a generation counter in shared memory. An op's parts travel through a
 * MessagePort that the worker drains synchronously (`receiveMessageOnPort`), so no event loop
 * is involved on either side. The calling thread works too, and every thread claims parts
 * from one shared counter, so a worker still booting or descheduled by a busy machine never
 * stalls an op. Workers are unref'd: they never keep the process alive, and `shutdownPool()`
 * ends them explicitly.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runJob, type Job } from "./parts.js";

/** A microsecond setting from the environment, or the default when unset or not a number ≥ 0. */
export function spinMicros(env: string | undefined, fallback: number): number {
  const v = env === undefined || env.trim() === "" ? NaN : Number(env);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

/** How long the caller polls for parts still running in workers before it sleeps. */
const WAIT_SPIN_MS = spinMicros(typeof process !== "undefined" ? process.env.GRADNOTE_POOL_WAIT_US : undefined, 200) / 1000;

/**
 * Cells of each worker's control array: job generation, parts run (read and reset by the caller),
 * failure flag, stop flag, and the kind of the newest op (0: jobs on the port, 1: native descriptors).
 */
export const GEN = 0, DONE = 2, FAILED = 3, STOP = 4, KIND = 5;

/**
 * Ops of the native kernels travel without messages: the caller writes one descriptor per part
 * (SLOT doubles: kernel, addresses, strides, sizes; see native/binding.c) into `descriptors`,
 * shared with every worker, and publishes them through `opControl`: [TICKET, NPARTS, PARTS_DONE].
 * TICKET holds the op's sequence number (high 16 bits) and the next unclaimed part (low 16 bits),
 * so a part is claimed with one compare-and-swap that fails for a worker still holding an older
 * op's number: it can never run a part twice, or a part of an op it did not read. No structured
 * clone and no allocation in the worker: its heap stays still and never pauses an op for a GC.
 */
export const SLOT = 24, MAX_NATIVE_PARTS = 1024;
export const TICKET = 0, NPARTS = 1, PARTS_DONE = 2;
const descriptors = new Float64Array(new SharedArrayBuffer(SLOT * MAX_NATIVE_PARTS * 8));
const opControl = new Int32Array(new SharedArrayBuffer(4 * 4));
let opSeq = 0;

/** Claims the next part of op `seq` (of n parts) from `ctl`'s ticket; -1 when none is left or the op is over. */
export function claimPart(ctl: Int32Array, seq: number, n: number): number {
  for (;;) {
    const t = Atomics.load(ctl, TICKET);
    if (t >>> 16 !== seq) return -1;
    const i = t & 0xffff;
    if (i >= n) return -1;
    if (Atomics.compareExchange(ctl, TICKET, t, t + 1) === t) return i;
  }
}

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
    const worker = new Worker(script, { workerData: { ctl, port: port2, descriptors, opControl }, transferList: [port2] });
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

/** When an op is worth splitting; tests lower these to force splits on small inputs. */
export const splitPolicy = {
  /** Output (or input) elements below which elementwise, reduce, conv and pool ops stay inline. */
  minElements: 1 << 16,
  /**
   * Multiply-adds below which a matmul or convolution stays on one thread. With workers polling
   * between ops, a product of ~256K multiply-adds (about 5 µs of work a thread) already gains.
   */
  minMacs: 1 << 18,
  /**
   * The same for a matmul on the native kernels (x86-64), which do that work several times
   * faster (a thread of AVX-512 runs 256K multiply-adds in about 2 µs): below ~4M multiply-adds,
   * waiting for a worker's part costs more than the split saves on a two-core virtual machine.
   * (A convolution's parts are whole samples, with their im2col: minMacs still serves those.)
   */
  minNativeMacs: 1 << 22,
  /**
   * Buffers of at least this many elements live in SharedArrayBuffers (threads can see them).
   * Smaller ones are plain typed arrays: a SharedArrayBuffer costs 2–3x more to allocate from
   * about 16K elements up, and a product into a small output splits through a shared scratch.
   */
  minShared: 32768,
  /** Parameters below which an optimizer update stays on one thread. */
  minUpdate: 1 << 15,
};

const stats = { ops: 0, parts: 0, byWorkers: 0 };

/**
 * How well the workers keep up: the parts they ran over their fair share, averaged over recent
 * split ops (1 when they take their share, 0 when the caller ran everything). Low when the
 * machine's other cores are busy with other work: then waiting for a worker's part costs more
 * than splitting saves, and small products stay on the calling thread (see pool-backend.ts).
 */
let workerShare = 1;

/** Updates the average after an op of `parts` parts posted to `workers` workers. */
export function noteWorkerShare(ran: number, parts: number, workers: number): void {
  if (workers === 0 || parts < 2) return;
  const fair = (parts * workers) / (workers + 1);
  workerShare = 0.9 * workerShare + 0.1 * Math.min(1, ran / fair);
}

let probes = 0;

/**
 * False while the workers have recently run well under their share of split ops, except for one
 * call in 16: those ops still split, so the average recovers once the machine is quiet again.
 */
export function workersKeepUp(): boolean {
  return workerShare >= 0.35 || (++probes & 15) === 0;
}

/** Counters since start: split ops, their parts, and the parts that workers ran. */
export function poolStats(): { ops: number; parts: number; byWorkers: number } {
  return { ...stats };
}

/**
 * How many parts an op should be cut into: a few per thread, so that the threads balance
 * themselves when one of them runs slow (1 when there is only the calling thread).
 */
export function parallelism(): number {
  return threads === 1 ? 1 : threads * 3;
}

/**
 * Runs `jobs` (independent parts of one op) on this thread and the workers: every thread takes
 * the next unclaimed part from a shared counter until none is left, so a worker that is slow
 * to wake or descheduled by a busy machine simply takes fewer parts. Returns when all parts
 * are done; throws the first failure after every part has finished.
 */
export function runJobs(jobs: readonly Job[]): void {
  const n = jobs.length;
  if (n === 0) return;
  const ws = n > 1 ? start() : [];
  // [next part to claim, parts finished]; fresh per op, so a late worker only sees a spent counter.
  const counter = new Int32Array(new SharedArrayBuffer(8));
  const posted: Slot[] = [];
  for (const s of ws) {
    if (posted.length >= n - 1) break;
    if (Atomics.load(s.ctl, STOP)) continue;
    // An error text left by an op that was interrupted before it read it is stale now.
    while (receiveMessageOnPort(s.port));
    const gen = ++s.gen;
    s.port.postMessage({ gen, jobs, counter });
    Atomics.store(s.ctl, KIND, 0);
    Atomics.store(s.ctl, FAILED, 0);
    Atomics.store(s.ctl, GEN, gen);
    Atomics.notify(s.ctl, GEN);
    posted.push(s);
  }
  stats.ops++;
  stats.parts += n;
  let error: unknown = null;
  for (let i = Atomics.add(counter, 0, 1); i < n; i = Atomics.add(counter, 0, 1)) {
    try {
      runJob(jobs[i]);
    } catch (e) {
      error ??= e;
    }
    Atomics.add(counter, 1, 1);
  }
  waitForParts(counter, 1, n);
  finish(posted, n, error);
}

/**
 * Waits until cell `cell` of `ctl` counts n finished parts. The last parts are in a worker's hands
 * and finish soon: poll for them (a futex sleep would add the wake-up to every op), and sleep
 * only if they take unusually long (a busy machine).
 */
function waitForParts(ctl: Int32Array, cell: number, n: number): void {
  let done = Atomics.load(ctl, cell);
  if (done < n) {
    const until = performance.now() + WAIT_SPIN_MS;
    for (let spins = 0; done < n; done = Atomics.load(ctl, cell)) {
      if ((++spins & 63) === 0 && performance.now() > until) Atomics.wait(ctl, cell, done, 20);
    }
  }
}

/** After an op: collects the workers' failures and part counts; throws the first error. */
function finish(posted: readonly Slot[], n: number, first: unknown): void {
  let error = first;
  let byWorkers = 0;
  for (const s of posted) {
    if (Atomics.load(s.ctl, FAILED)) {
      const m = receiveMessageOnPort(s.port);
      error ??= new Error(m ? String(m.message) : "pool: a worker failed");
      // Nothing stale stays on the port for a later op (native ops do not drain it first).
      while (receiveMessageOnPort(s.port));
    }
    const ran = Atomics.exchange(s.ctl, DONE, 0);
    stats.byWorkers += ran;
    byWorkers += ran;
  }
  noteWorkerShare(byWorkers, n, posted.length);
  if (error) throw error;
}

/**
 * Runs an op of the native kernels as n parts: `fill(d, base, i)` writes part i's descriptor at
 * d[base…] (SLOT doubles; its addresses stay valid because the caller holds the arrays until this
 * returns). The calling thread and the workers claim parts from the ticket and run them with
 * `run(descriptors, slot)` (the addon's runPart). Returns when all parts are done; throws the
 * first failure after that.
 */
export function runNativeParts(n: number, fill: (d: Float64Array, base: number, part: number) => void, run: (d: Float64Array, slot: number) => void): void {
  if (n < 1) return;
  if (n > MAX_NATIVE_PARTS) throw new Error(`pool: ${n} native parts, at most ${MAX_NATIVE_PARTS}`);
  const ws = n > 1 ? start() : [];
  for (let i = 0; i < n; i++) fill(descriptors, i * SLOT, i);
  // Every part of the previous op is done (this thread waited for them): reset, then publish.
  Atomics.store(opControl, NPARTS, n);
  Atomics.store(opControl, PARTS_DONE, 0);
  const seq = (opSeq = (opSeq + 1) & 0x7fff);
  Atomics.store(opControl, TICKET, seq << 16);
  const posted: Slot[] = [];
  for (const s of ws) {
    if (posted.length >= n - 1) break;
    if (Atomics.load(s.ctl, STOP)) continue;
    Atomics.store(s.ctl, KIND, 1);
    Atomics.store(s.ctl, FAILED, 0);
    Atomics.store(s.ctl, GEN, ++s.gen);
    Atomics.notify(s.ctl, GEN);
    posted.push(s);
  }
  stats.ops++;
  stats.parts += n;
  let error: unknown = null;
  for (let i = claimPart(opControl, seq, n); i >= 0; i = claimPart(opControl, seq, n)) {
    try {
      run(descriptors, i);
    } catch (e) {
      error ??= e;
    }
    Atomics.add(opControl, PARTS_DONE, 1);
  }
  waitForParts(opControl, PARTS_DONE, n);
  finish(posted, n, error);
}
