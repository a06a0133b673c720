/**
 * Garbage collection in a pool worker. An op reaches a worker as a structured clone that refers
 * to the tensors' SharedArrayBuffers, and a buffer's memory is freed only once every thread's
 * handle on it is collected. A worker allocates a few small objects per op, far too little for
 * V8 to collect its heap often, so without help each worker kept tens of MB of dead tensors
 * alive (the 900-cell benchmark of bench/runtime-cells.mjs: +110 MB of RSS on two threads).
 * So a worker adds up the bytes of the buffers its ops referred to and runs a young-generation
 * collection (the handles of finished ops die young; well under a millisecond) when they pass
 * GRADNOTE_POOL_GC_MB (default 32), and before it goes to sleep.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// A kernel sets it at its start (kernel/v8-flags.ts); in a plain script the first worker does.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as (options?: { type: "minor" | "major" }) => void;

const limitMB = Number(process.env.GRADNOTE_POOL_GC_MB);
const LIMIT = (Number.isFinite(limitMB) && limitMB >= 0 ? limitMB : 32) * 2 ** 20;
let pending = 0;
let collections = 0;

/** Adds the byte lengths of the distinct buffers that `value` refers to, up to `depth` levels down. */
function addBuffers(value: unknown, seen: Set<ArrayBufferLike>, depth: number): void {
  if (value === null || typeof value !== "object") return;
  if (ArrayBuffer.isView(value)) {
    seen.add(value.buffer);
    return;
  }
  if (depth === 0) return;
  for (const v of Array.isArray(value) ? value : Object.values(value)) addBuffers(v, seen, depth - 1);
}

/** Bytes of the distinct buffers an op's jobs refer to (outputs, inputs, views' data). */
export function bufferBytes(jobs: readonly object[]): number {
  const seen = new Set<ArrayBufferLike>();
  addBuffers(jobs, seen, 4);
  let bytes = 0;
  for (const b of seen) bytes += b.byteLength;
  return bytes;
}

function collect(): void {
  pending = 0;
  collections++;
  gc({ type: "minor" });
}

/** After an op's parts: counts its buffers, and collects once enough have gone by. */
export function afterOp(jobs: readonly object[]): void {
  pending += bufferBytes(jobs);
  if (pending >= LIMIT) collect();
}

/** Before the worker sleeps: collects the handles of the ops since the last collection. */
export function beforeSleep(): void {
  if (pending > 0) collect();
}

/** Collections run so far by this worker (tests). */
export function workerCollections(): number {
  return collections;
}
