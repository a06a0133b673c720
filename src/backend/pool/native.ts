/**
 * Loads the pool backend's native kernels (dist/gradnote-native.node: sgemm on AVX2/FMA, or on
 * AVX-512 where the CPU has it, Adam and the other kernels on AVX2), built from ./native/*.c by
 * scripts/build-native.mjs on x86-64 Linux when a C compiler is installed. They work on the
 * tensors' own memory, so an op costs no copies into a WASM instance's memory, and at two to four
 * times the vector width of WASM SIMD. Where they are absent (no compiler, another architecture,
 * a CPU without AVX2, GRADNOTE_NATIVE=off) the WASM kernels run. One load per thread: each pool
 * worker loads the addon on its first op.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** The addon's functions (offsets and strides count float32 elements; arguments are checked in C). */
export interface NativeKernels {
  sgemm(
    C: Float32Array, cOff: number, ldc: number, A: Float32Array, aOff: number, rsa: number, csa: number,
    B: Float32Array, bOff: number, rsb: number, csb: number, m: number, k: number, n: number,
    bias: Float32Array | null, biasOff: number, accumulate: number,
  ): void;
  adam(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, b1: number, b2: number, stepSize: number, bc2Sqrt: number, eps: number, decay: number, l2: number, sign: number): void;
  /** Byte address of a typed array's first element (for descriptors; keep the array alive while they run). */
  address(a: ArrayBufferView): number;
  /** Runs the part described at descriptors[slot * SLOT…] (pool.ts runNativeParts; layout in binding.c). */
  runPart(descriptors: Float64Array, slot: number): void;
  /** out[j] = Σ_r x[xOff + r·rs + j] for j < cols, accumulated in float64 (the order of pool-backend's columnSums). */
  colsum(out: Float32Array, x: Float32Array, xOff: number, rows: number, cols: number, rs: number): void;
  /** Lets sgemm use AVX-512 (allow512 = 1) where the CPU has it; returns the instruction set it uses. */
  isa(allow512: number): "avx512" | "avx2";
}

/** The addon's signature version (binding.c); bump both together. */
const ABI = 4;
const FILE = "gradnote-native.node";

/** Whether native addons can be used here at all: x86-64 Linux, and GRADNOTE_NATIVE not off. */
function nativeAllowed(): boolean {
  if (typeof process === "undefined" || process.platform !== "linux" || process.arch !== "x64") return false;
  return !["off", "0"].includes(process.env.GRADNOTE_NATIVE ?? "");
}

/** Where the build put `file`: beside the bundle (dist/), or in dist/ from src/. */
function addonPath(file: string): string | undefined {
  return [`./${file}`, `../../../dist/${file}`].map((u) => fileURLToPath(new URL(u, import.meta.url))).find((p) => existsSync(p));
}

let loaded: NativeKernels | null | undefined;
let reason = "";
let isaName = "";

/** The instruction set of the native matrix products: "avx512", "avx2", or "" without native kernels. */
export function nativeIsa(): string {
  return nativeKernels() ? isaName : "";
}

/** Why the native kernels are not in use ("" when they are, or where none are built: not x86-64 Linux). */
export function nativeUnavailableReason(): string {
  return reason;
}

/** The native kernels for this thread, loaded on first use; null means "use the WASM kernels". */
export function nativeKernels(): NativeKernels | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (!nativeAllowed()) {
    if (typeof process !== "undefined" && process.platform === "linux" && process.arch === "x64") reason = "native kernels disabled by GRADNOTE_NATIVE";
    return loaded;
  }
  const path = addonPath(FILE);
  if (!path) {
    reason = `${FILE} not built (npm run build compiles it with the machine's C compiler); the WASM kernels run instead`;
    return loaded;
  }
  try {
    const mod = createRequire(import.meta.url)(path) as NativeKernels & { abi: number; cpu: number };
    if (mod.abi !== ABI) reason = `${path} is out of date (ABI ${mod.abi}, this code needs ${ABI}); run \`npm run build\``;
    else if (mod.cpu !== 1) reason = "this CPU lacks AVX2/FMA: the WASM kernels run instead of the native ones";
    else {
      // AVX-512 matrix products where the CPU has them, unless GRADNOTE_NATIVE=avx2 (same results: sgemm.c).
      isaName = mod.isa(process.env.GRADNOTE_NATIVE === "avx2" ? 0 : 1);
      loaded = mod;
    }
  } catch (e) {
    reason = `${path} did not load (${e instanceof Error ? e.message : String(e)}); the WASM kernels run instead`;
  }
  return loaded;
}

/** dist/gradnote-alloc.node (native/alloc.cc): zero-filled SharedArrayBuffers whose memory is recycled. */
export interface NativeAlloc {
  /** `zero` 0: a block reused from the cache is handed out as it is (fresh ones are zero anyway). */
  alloc(bytes: number, zero?: number): SharedArrayBuffer;
  /** [bytes cached, allocations served from the cache, allocations that were not, bytes of this thread's buffers not yet freed by V8]. */
  stats(): [number, number, number, number];
  trim(keepBytes?: number): void;
  configure(capBytes: number, gcEveryBytes: number): void;
}

const ALLOC_FILE = "gradnote-alloc.node";
/** Smallest allocation the addon takes (its kMinBytes). */
export const NATIVE_ALLOC_MIN = 32768;
let allocLoaded: NativeAlloc | null | undefined;
let allocReason = "";
let trimTimer: ReturnType<typeof setTimeout> | null = null;

/** Why large tensors use plain SharedArrayBuffers ("" when the recycling allocator serves them). */
export function nativeAllocUnavailableReason(): string {
  return allocReason;
}

/**
 * The recycling allocator, loaded on first use (the calling thread only: workers never allocate
 * tensors); null means `new SharedArrayBuffer`. GRADNOTE_ALLOC=off (or GRADNOTE_NATIVE=off) disables it;
 * GRADNOTE_ALLOC_CACHE_MB (default 64) caps the memory it keeps for reuse and
 * GRADNOTE_ALLOC_GC_MB (default 32) sets how much fresh memory (not reused from the cache) it
 * hands out between collections of the young generation.
 */
export function nativeAlloc(): NativeAlloc | null {
  if (allocLoaded !== undefined) return allocLoaded;
  allocLoaded = null;
  if (!nativeAllowed() || ["off", "0"].includes(process.env.GRADNOTE_ALLOC ?? "")) return allocLoaded;
  const path = addonPath(ALLOC_FILE);
  if (!path) {
    allocReason = `${ALLOC_FILE} not built (npm run build compiles it with the machine's C++ compiler and Node's headers)`;
    return allocLoaded;
  }
  try {
    const mod = createRequire(import.meta.url)(path) as NativeAlloc & { abi: number };
    if (mod.abi !== 1) throw new Error(`ABI ${mod.abi}, this code needs 1`);
    const mb = (name: string, fallback: number): number => {
      const v = Number(process.env[name]);
      return (process.env[name] ?? "") !== "" && Number.isFinite(v) && v >= 0 ? v : fallback;
    };
    mod.configure(mb("GRADNOTE_ALLOC_CACHE_MB", 64) * 2 ** 20, mb("GRADNOTE_ALLOC_GC_MB", 32) * 2 ** 20);
    allocLoaded = mod;
  } catch (e) {
    allocReason = `${path} did not load (${e instanceof Error ? e.message : String(e)}); large tensors use plain SharedArrayBuffers`;
  }
  return allocLoaded;
}

/**
 * A zero-filled SharedArrayBuffer of `bytes`: from the recycling allocator when it is built, else
 * a fresh one. With `zero` false (storage its caller overwrites in full) a recycled block keeps
 * its old contents instead of being cleared first. Memory cached for reuse goes back to the
 * system once the process has been idle for 2 s (an unref'd timer: it fires between cells,
 * never holds the process open).
 */
export function sharedBuffer(bytes: number, zero = true): SharedArrayBuffer {
  const a = bytes >= NATIVE_ALLOC_MIN ? nativeAlloc() : null;
  if (!a) return new SharedArrayBuffer(bytes);
  const sab = a.alloc(bytes, zero ? 1 : 0);
  if (trimTimer) trimTimer.refresh();
  else {
    trimTimer = setTimeout(() => {
      trimTimer = null;
      a.trim();
    }, 2000);
    trimTimer.unref?.();
  }
  return sab;
}

/**
 * Bytes of large-tensor storage that the recycling allocator handed out on this thread and V8 has
 * not freed yet (0 without it). process.memoryUsage().arrayBuffers does not see this memory:
 * memory() adds it to jsBytes.
 */
export function nativeAllocLiveBytes(): number {
  return allocLoaded ? allocLoaded.stats()[3] : 0;
}
