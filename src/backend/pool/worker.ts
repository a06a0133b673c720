/**
 * Entry of a pool worker thread (bundled to dist/pool-worker.mjs): sleeps until the caller
 * bumps its generation counter, takes the newest op from its port, claims parts from the op's
 * shared counter until none is left, and reports. Errors go back as text; the loop survives them.
 */
import { workerData, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { runJob, type Job } from "./parts.js";
import { GEN, DONE, FAILED, STOP, KIND, NPARTS, PARTS_DONE, TICKET, claimPart, spinMicros } from "./pool.js";
import { nativeKernels } from "./native.js";
import { afterOp, beforeSleep } from "./worker-gc.js";

const { ctl, port, descriptors, opControl } = workerData as { ctl: Int32Array; port: MessagePort; descriptors: Float64Array; opControl: Int32Array };

function failed(e: unknown): void {
  if (!Atomics.load(ctl, FAILED)) port.postMessage(e instanceof Error ? e.message : String(e));
  Atomics.store(ctl, FAILED, 1);
}

/** Claims and runs parts of the newest native op (pool.ts runNativeParts) until none is left. */
function runNative(): void {
  const seq = Atomics.load(opControl, TICKET) >>> 16;
  const n = Atomics.load(opControl, NPARTS);
  const nat = nativeKernels();
  for (let i = claimPart(opControl, seq, n); i >= 0; i = claimPart(opControl, seq, n)) {
    try {
      if (!nat) throw new Error("pool worker: the native kernels did not load in this thread");
      nat.runPart(descriptors, i);
    } catch (e) {
      failed(e);
    }
    Atomics.add(ctl, DONE, 1);
    if (Atomics.add(opControl, PARTS_DONE, 1) + 1 === n) Atomics.notify(opControl, PARTS_DONE);
  }
}
/**
 * How long a worker keeps polling for the next op after its last part before it sleeps in
 * Atomics.wait. A training step issues ops back to back, tens of microseconds apart: a worker
 * that slept after each would be woken through the kernel (a futex, tens of microseconds on a
 * virtual machine) for every op and join each one late. Kept short: a longer poll (0.5 ms was
 * tried) held the second core of a two-core machine away from V8's own helper threads (garbage
 * collection, compilation) and made the average step slower even where the best step was faster.
 * GRADNOTE_POOL_SPIN_US overrides it.
 */
const SPIN_MS = spinMicros(process.env.GRADNOTE_POOL_SPIN_US, 50) / 1000;

function loop(): void {
  let seen = 0;
  for (;;) {
    let g = Atomics.load(ctl, GEN);
    if (g === seen) {
      const until = performance.now() + SPIN_MS;
      for (let spins = 0; g === seen; g = Atomics.load(ctl, GEN)) {
        // The clock is read every 64 polls; past the window, sleep until the next op.
        if ((++spins & 63) === 0 && performance.now() > until) {
          beforeSleep();
          Atomics.wait(ctl, GEN, seen);
          spins = 0;
        }
      }
    }
    seen = g;
    if (Atomics.load(ctl, STOP)) return;
    if (Atomics.load(ctl, KIND) === 1) {
      runNative();
      continue;
    }
    let msg: { gen: number; jobs: Job[]; counter: Int32Array } | null = null;
    for (;;) {
      const m = receiveMessageOnPort(port);
      if (!m) break;
      msg = m.message as { gen: number; jobs: Job[]; counter: Int32Array };
    }
    if (!msg || msg.gen !== g) continue;
    const { jobs, counter } = msg;
    for (let i = Atomics.add(counter, 0, 1); i < jobs.length; i = Atomics.add(counter, 0, 1)) {
      try {
        runJob(jobs[i]);
      } catch (e) {
        failed(e);
      }
      Atomics.add(ctl, DONE, 1);
      if (Atomics.add(counter, 1, 1) + 1 === jobs.length) Atomics.notify(counter, 1);
    }
    afterOp(jobs);
  }
}

loop();
port.close();
