/**
 * Entry of a pool worker thread (bundled to dist/pool-worker.mjs): sleeps until the caller
 * bumps its generation counter, takes the newest op from its port, claims parts from the op's
 * shared counter until none is left, and reports. Errors go back as text; the loop survives them.
 */
import { workerData, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { runJob, type Job } from "./parts.js";
import { GEN, DONE, FAILED, STOP } from "./pool.js";

const { ctl, port } = workerData as { ctl: Int32Array; port: MessagePort };
// A brief spin before sleeping. Kept short: on a busy machine a spinning worker takes CPU from
// the caller; a late wake-up costs little since the caller claims parts itself meanwhile.
const SPIN = 1000;

function loop(): void {
  let seen = 0;
  for (;;) {
    let g = Atomics.load(ctl, GEN);
    let spins = 0;
    while (g === seen) {
      if (++spins > SPIN) Atomics.wait(ctl, GEN, seen);
      g = Atomics.load(ctl, GEN);
    }
    seen = g;
    if (Atomics.load(ctl, STOP)) return;
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
        if (!Atomics.load(ctl, FAILED)) port.postMessage(e instanceof Error ? e.message : String(e));
        Atomics.store(ctl, FAILED, 1);
      }
      Atomics.add(ctl, DONE, 1);
      if (Atomics.add(counter, 1, 1) + 1 === jobs.length) Atomics.notify(counter, 1);
    }
  }
}

loop();
port.close();
