/**
 * Memory bookkeeping: reference-counted storage shared by views, `tidy()` scopes, `keep()`,
 * and the `memory()` report. CPU storage rides the GC; these exist for backends whose memory
 * the GC cannot see (WebGPU), so code written against them ports unchanged.
 */
import type { Backend, DataBuffer } from "../backend/backend.js";
import { nativeAllocLiveBytes } from "../backend/pool/native.js";
import { backendNamed } from "../backend/backend.js";
import { bytesPerElement } from "./dtype.js";

/**
 * Storage shared by a tensor and its views; freed when the last one is disposed. Buffers of
 * backends the GC cannot see are counted and watched by a FinalizationRegistry that frees
 * them (with a warning) if their tensors are collected without dispose().
 */
export class Storage {
  refs = 0;
  private readonly tracked: boolean;
  /** `backend`, when the caller has it at hand, is the one that owns `buf`. */
  constructor(readonly buf: DataBuffer, backend?: Backend) {
    this.tracked = !(backend ?? backendNamed(buf.backend)).gcManaged;
    if (this.tracked) {
      live.buffers++;
      live.bytes += buf.size * bytesPerElement(buf.dtype);
      leaked.register(this, buf, this);
    }
  }

  /** True when this storage counts in `memory()` (its backend's memory is invisible to the GC). */
  get isTracked(): boolean {
    return this.tracked;
  }

  /** Drops one reference; frees the buffer when none remain. */
  release(): void {
    if (--this.refs > 0) return;
    if (this.tracked) {
      leaked.unregister(this);
      live.buffers--;
      live.bytes -= this.buf.size * bytesPerElement(this.buf.dtype);
    }
    backendNamed(this.buf.backend).free(this.buf);
  }
}

/** Minimal view of a tensor for scope bookkeeping (avoids importing the class). */
export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
}

const live = { buffers: 0, bytes: 0, tensors: 0 };
let warned = false;
const leaked = new FinalizationRegistry<DataBuffer>((buf) => {
  live.buffers--;
  live.bytes -= buf.size * bytesPerElement(buf.dtype);
  backendNamed(buf.backend).free(buf);
  if (!warned) {
    warned = true;
    console.warn(`gradnote: a ${buf.backend} tensor was garbage-collected without dispose(); use tidy() or dispose() to free device memory promptly`);
  }
});
const tensorsCollected = new FinalizationRegistry<number>(() => {
  live.tensors--;
});

const scopes: Set<Disposable>[] = [];
const kept = new WeakSet<Disposable>();

/** Records a new tensor in the innermost `tidy` scope and, if `counted`, in the live count. */
export function trackTensor(t: Disposable, counted: boolean): void {
  if (counted) {
    live.tensors++;
    tensorsCollected.register(t, 0, t);
  }
  if (scopes.length > 0) scopes[scopes.length - 1].add(t);
}

/** Records that a counted tensor was disposed explicitly. */
export function untrackTensor(t: Disposable, counted: boolean): void {
  if (!counted) return;
  live.tensors--;
  tensorsCollected.unregister(t);
}

/**
 * Disposes a replaced gradient when it lives on a backend the GC cannot see (zeroGrad drops
 * one per parameter per step; left to the FinalizationRegistry, device memory would pile up).
 */
export function releaseDropped(t: (Disposable & { readonly device: string }) | null, replacement: unknown): void {
  if (t && t !== replacement && !t.isDisposed && !backendNamed(t.device).gcManaged) t.dispose();
}

/** Marks a tensor so that no enclosing `tidy` disposes it (optimizer state, caches). */
export function keep<T extends Disposable>(t: T): T {
  kept.add(t);
  for (const s of scopes) s.delete(t);
  return t;
}

/** Collects tensors reachable from a tidy result (tensors, arrays, plain objects, Maps). */
function collectResult(value: unknown, out: Set<unknown>, seen: Set<unknown>): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  out.add(value);
  if (Array.isArray(value)) for (const v of value) collectResult(v, out, seen);
  else if (value instanceof Map) for (const v of value.values()) collectResult(v, out, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collectResult(v, out, seen);
}

function endScope(scope: Set<Disposable>, result: unknown, shouldKeep: (t: Disposable) => boolean): void {
  const reachable = new Set<unknown>();
  collectResult(result, reachable, new Set());
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  for (const t of scope) {
    if (reachable.has(t) || kept.has(t) || shouldKeep(t)) {
      parent?.add(t);
    } else if (!t.isDisposed) {
      t.dispose();
    }
  }
}

let keepPredicate: (t: Disposable) => boolean = () => false;

/** Lets the tensor module exempt parameters and gradients (leaves that require grad) from tidy. */
export function setTidyKeepPredicate(fn: (t: Disposable) => boolean): void {
  keepPredicate = fn;
}

/**
 * Runs `fn` and disposes every tensor it created that is not part of its result, not marked
 * with `keep()`, and not a leaf that requires grad (parameters) or a `.grad`. If `fn` returns a
 * promise, the scope stays open until it settles.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Disposable>();
  scopes.push(scope);
  const close = (result: unknown): void => {
    const i = scopes.lastIndexOf(scope);
    if (i >= 0) scopes.splice(i, 1);
    endScope(scope, result, keepPredicate);
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    close(undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v) => {
        close(v);
        return v;
      },
      (e) => {
        close(undefined);
        throw e;
      },
    ) as T;
  }
  close(result);
  return result;
}

/**
 * Memory report. Counts cover backends whose memory the GC cannot see (WebGPU), i.e. what
 * needs `dispose()`/`tidy()`; cpu tensors are plain typed arrays, reported in `jsBytes`.
 */
export interface MemoryInfo {
  /** Tensors on non-GC backends not yet disposed. */
  numTensors: number;
  /** Their storage buffers (views share one). */
  numBuffers: number;
  /** Bytes held by those buffers. */
  numBytes: number;
  /** Bytes of all JS ArrayBuffers (cpu tensor data lives here): process.memoryUsage() plus the pool's recycling allocator. */
  jsBytes: number;
  /** Open `tidy` scopes. */
  scopes: number;
}

/** Reports live tensors, buffers and bytes. */
export function memory(): MemoryInfo {
  // The pool's recycling allocator gives large tensors memory that Node's count does not include.
  const jsBytes = typeof process !== "undefined" ? process.memoryUsage().arrayBuffers + nativeAllocLiveBytes() : 0;
  return { numTensors: live.tensors, numBuffers: live.buffers, numBytes: live.bytes, jsBytes, scopes: scopes.length };
}
