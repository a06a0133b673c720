/**
 * Entry of a pool worker thread (bundled to dist/pool-worker.mjs): sleeps until the caller
 * bumps its generation counter, takes the newest job from its port, claims it (unless the
 * caller already stole it), runs it and reports. Errors go back as text; the loop survives them.
 */
import { workerData, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { runJob, type Job } from "./parts.js";
import { GEN, OPEN, DONE, FAILED, STOP } from "./pool.js";

const { ctl, port } = workerData as { ctl: Int32Array; port: MessagePort };
// A short spin before sleeping: the next op usually follows within microseconds.
const SPIN = 20000;

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
    let msg: { gen: number; job: Job } | null = null;
    for (;;) {
      const m = receiveMessageOnPort(port);
      if (!m) break;
      msg = m.message as { gen: number; job: Job };
    }
    if (!msg || msg.gen !== g) continue;
    if (Atomics.compareExchange(ctl, OPEN, g, 0) !== g) continue;
    try {
      runJob(msg.job);
    } catch (e) {
      port.postMessage(e instanceof Error ? e.message : String(e));
      Atomics.store(ctl, FAILED, 1);
    }
    Atomics.store(ctl, DONE, g);
    Atomics.notify(ctl, DONE);
  }
}

loop();
port.close();
