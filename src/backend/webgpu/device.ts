/**
 * Main-thread side of the device worker: starts it, queues commands into batches, and turns
 * reads into synchronous calls by blocking on Atomics.wait until the worker has mapped the
 * result. Knows nothing about ops or WGSL generation (see wgsl/ and webgpu-backend.ts).
 */
import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { WORKER_SOURCE } from "./worker-source.js";

/** One command for the worker; `run` executes a compiled program over buffer ids. */
export type Command =
  | { t: "alloc"; id: number; bytes: number }
  | { t: "free"; id: number }
  | { t: "write"; id: number; offset: number; data: ArrayBuffer }
  | { t: "run"; key: string; code?: string; bufs: number[]; params: Uint32Array; grid: [number, number, number] }
  | { t: "read"; id: number; offset: number; bytes: number; out: SharedArrayBuffer; seq: number }
  | { t: "close"; seq: number };

/** What the adapter reported when the device started. */
export interface AdapterInfo {
  name: string;
  limits: Record<string, number>;
}

/** Where Debian's SwiftShader files are put by .ci/run (a CPU WebGPU adapter). */
export const SWIFTSHADER_DIR = process.env.GRADNOTE_WEBGPU_CPU_DIR ?? "/opt/webgpu-cpu";

const BATCH = 256;
const MAX_BATCHES_AHEAD = 4;
const START_TIMEOUT_MS = 30_000;

/** Thrown when no device can be had; setBackend turns it into a notice and a cpu fallback. */
export class DeviceUnavailableError extends Error {}

/** A started device worker. Create with `Device.start()`. */
export class Device {
  private readonly control = new SharedArrayBuffer(16);
  private readonly ctl = new Int32Array(this.control);
  private readonly text = new SharedArrayBuffer(1 << 16);
  private readonly worker: Worker;
  private pending: Command[] = [];
  private sentBatches = 0;
  private readSeq = 0;
  private nextId = 1;
  private closed = false;
  private readonly known = new Set<string>();
  /** Worker-side counters from the last read (pool bytes, pipelines). */
  stats: Record<string, number> = {};
  readonly info: AdapterInfo;

  private constructor() {
    const mod = pathToFileURL(createRequire(import.meta.url).resolve("webgpu")).href;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // The worker source is CommonJS: do not inherit flags such as --input-type=module.
      execArgv: [],
      workerData: { mod, control: this.control, text: this.text, poolCap: 512 * 1024 * 1024 },
    });
    // The device must not keep Node alive; process exit closes it (see close()).
    this.worker.unref();
    const reply = this.waitFor(-1, START_TIMEOUT_MS);
    if (!reply.ok) {
      void this.worker.terminate();
      throw new DeviceUnavailableError(reply.message);
    }
    this.info = JSON.parse(reply.message) as AdapterInfo;
  }

  /** Starts a worker and waits (blocking) for its adapter; throws DeviceUnavailableError. */
  static start(): Device {
    prepareSwiftShaderEnv();
    try {
      return new Device();
    } catch (e) {
      if (e instanceof Error && /Cannot find (module|package)/.test(e.message)) {
        throw new DeviceUnavailableError("the npm package 'webgpu' is not installed");
      }
      throw e;
    }
  }

  /** A fresh buffer id (ids are assigned here so alloc needs no round trip). */
  newId(): number {
    return this.nextId++;
  }

  /** True once a program with this key has been sent (the worker caches its pipeline). */
  hasProgram(key: string): boolean {
    return this.known.has(key);
  }

  /** Queues a command; batches go to the worker when full or before a read. */
  push(cmd: Command): void {
    if (this.closed) throw new Error("webgpu: the device was closed at shutdown");
    if (cmd.t === "run" && cmd.code) this.known.add(cmd.key);
    this.pending.push(cmd);
    if (this.pending.length >= BATCH) this.flush();
    else if (this.pending.length === 1) setImmediate(() => this.flush());
  }

  /** Sends queued commands; blocks when the worker is more than a few batches behind. */
  flush(): void {
    if (this.pending.length === 0 || this.closed) return;
    while (this.sentBatches - Atomics.load(this.ctl, 2) >= MAX_BATCHES_AHEAD) {
      Atomics.wait(this.ctl, 2, Atomics.load(this.ctl, 2), 1000);
    }
    const batch = this.pending;
    this.pending = [];
    this.sentBatches++;
    const transfer = batch.flatMap((c) => (c.t === "write" ? [c.data] : []));
    this.worker.postMessage(batch, transfer);
  }

  /** Reads `bytes` bytes of buffer `id` from `offset`, blocking until the GPU is done. */
  readSync(id: number, offset: number, bytes: number): ArrayBuffer {
    const out = new SharedArrayBuffer(Math.max(4, bytes));
    const seq = ++this.readSeq;
    this.push({ t: "read", id, offset, bytes, out, seq });
    this.flush();
    const reply = this.waitFor(seq, 120_000);
    if (!reply.ok) throw new Error(`webgpu: ${reply.message}`);
    this.stats = JSON.parse(reply.message) as Record<string, number>;
    const copy = new ArrayBuffer(bytes);
    new Uint8Array(copy).set(new Uint8Array(out, 0, bytes));
    return copy;
  }

  /** Waits for the whole queue to finish; returns worker statistics. */
  sync(): Record<string, number> {
    const id = this.newId();
    this.push({ t: "alloc", id, bytes: 4 });
    this.readSync(id, 0, 4);
    this.push({ t: "free", id });
    return this.stats;
  }

  /** Finishes outstanding work and destroys the device (called at process exit). */
  close(): void {
    if (this.closed) return;
    const seq = ++this.readSeq;
    this.pending.push({ t: "close", seq });
    this.flush();
    this.closed = true;
    this.waitFor(seq, 5000);
  }

  private waitFor(seq: number, timeoutMs: number): { ok: boolean; message: string } {
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.ctl, 0) !== seq) {
      const left = deadline - Date.now();
      if (left <= 0) return { ok: false, message: `the device did not answer within ${timeoutMs / 1000} s` };
      Atomics.wait(this.ctl, 0, Atomics.load(this.ctl, 0), Math.min(left, 500));
    }
    const len = new DataView(this.text).getUint32(0, true);
    const message = new TextDecoder().decode(new Uint8Array(this.text, 4, len).slice());
    return { ok: Atomics.load(this.ctl, 1) === 1, message };
  }
}

/**
 * With no GPU driver configured, points the Vulkan loader at Debian's SwiftShader when its
 * files are present. The loader itself (libvulkan.so.1) must already be on the library path
 * (LD_LIBRARY_PATH is read at process start; .ci/run and vitest.config.ts set it).
 */
function prepareSwiftShaderEnv(): void {
  const icd = `${SWIFTSHADER_DIR}/vk_swiftshader_icd.json`;
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && process.env.GRADNOTE_WEBGPU_SWIFTSHADER !== "0" &&
    existsSync(icd) && (process.env.LD_LIBRARY_PATH ?? "").split(":").includes(SWIFTSHADER_DIR)) {
    process.env.VK_ICD_FILENAMES = icd;
  }
}
