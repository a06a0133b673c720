/**
 * The V8 flags a kernel process uses, set once at its start (kernel/main.ts) and again, to the
 * same values, by the language worker before it loads typescript (kernel/lang/gc.ts). V8 checks
 * a code cache against a hash of all flags, so a flag first set later, by whichever part needs
 * it (the runtime's relaxed-SIMD kernels, a collection between cells), would make the worker's
 * cache mismatch on every other start.
 */
import { setFlagsFromString } from "node:v8";

export function setKernelV8Flags(): void {
  // gc() can then be fetched from a new context (kernel/lang/gc.ts); nothing else changes.
  setFlagsFromString("--expose-gc");
  // Node 20 validates the runtime's relaxed-SIMD kernels only with this flag (on by default later).
  if (Number(process.versions.node.split(".")[0]) < 22) setFlagsFromString("--experimental-wasm-relaxed-simd");
}
