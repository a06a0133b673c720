/**
 * A one-call summary of how the cpu backend runs here (threads, WASM flavour, notices), for
 * benchmarks and for users wondering why training is slow on a machine without the WASM build.
 */
import { getNumThreads, liveWorkers, poolNotice, poolStats } from "./pool.js";
import { wasmKernels, wasmUnavailableReason } from "./wasm.js";
import { nativeIsa, nativeUnavailableReason } from "./native.js";

/** What the cpu backend uses on this machine. */
export interface CpuInfo {
  /** Threads large ops are split over (the calling thread included). */
  threads: number;
  /** Worker threads started so far (they start on the first large op). */
  workers: number;
  /** "relaxed" (SIMD with fused multiply-adds), "simd", "scalar" or "js" (no WASM build found). */
  kernels: string;
  /**
   * The native kernels' instruction set: "avx512" (matrix products on AVX-512, the rest on AVX2),
   * "avx2", or "" when they are not built or not usable here (GRADNOTE_NATIVE=avx2 keeps AVX-512 off).
   */
  native: string;
  /** Why something runs slower than it could, or "". */
  notice: string;
  /** Ops split so far, their parts, and the parts workers ran. */
  stats: { ops: number; parts: number; byWorkers: number };
}

/** Reports threads and kernels of the cpu (pool) backend. */
export function cpuInfo(): CpuInfo {
  const w = wasmKernels();
  return {
    threads: getNumThreads(),
    workers: liveWorkers(),
    kernels: w ? w.flavor : "js",
    native: nativeIsa(),
    notice: [poolNotice(), w ? "" : wasmUnavailableReason(), nativeUnavailableReason()].filter(Boolean).join("; "),
    stats: poolStats(),
  };
}
