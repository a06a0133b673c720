/**
 * Loads the pool backend's native kernels (dist/gradnote-native.node: AVX2/FMA sgemm and Adam,
 * built from ./native/*.c by scripts/build-native.mjs on x86-64 Linux when a C compiler is
 * installed). They work on the tensors' own memory, so an op costs no copies into a WASM
 * instance's memory, and at twice the vector width of WASM SIMD. Where they are absent (no
 * compiler, another architecture, a CPU without AVX2, GRADNOTE_NATIVE=off) the WASM kernels run.
 * One load per thread: each pool worker loads the addon on its first op.
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
}

/** The addon's signature version (binding.c); bump both together. */
const ABI = 1;
const FILE = "gradnote-native.node";

let loaded: NativeKernels | null | undefined;
let reason = "";

/** Why the native kernels are not in use ("" when they are, or where none are built: not x86-64 Linux). */
export function nativeUnavailableReason(): string {
  return reason;
}

/** The native kernels for this thread, loaded on first use; null means "use the WASM kernels". */
export function nativeKernels(): NativeKernels | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (typeof process === "undefined" || process.platform !== "linux" || process.arch !== "x64") return loaded;
  const mode = process.env.GRADNOTE_NATIVE ?? "";
  if (mode === "off" || mode === "0") {
    reason = "native kernels disabled by GRADNOTE_NATIVE";
    return loaded;
  }
  const paths = [`./${FILE}`, `../../../dist/${FILE}`].map((u) => fileURLToPath(new URL(u, import.meta.url)));
  const path = paths.find((p) => existsSync(p));
  if (!path) {
    reason = `${FILE} not built (npm run build compiles it with the machine's C compiler); the WASM kernels run instead`;
    return loaded;
  }
  try {
    const mod = createRequire(import.meta.url)(path) as NativeKernels & { abi: number; cpu: number };
    if (mod.abi !== ABI) reason = `${path} is out of date (ABI ${mod.abi}, this code needs ${ABI}); run \`npm run build\``;
    else if (mod.cpu !== 1) reason = "this CPU lacks AVX2/FMA: the WASM kernels run instead of the native ones";
    else loaded = mod;
  } catch (e) {
    reason = `${path} did not load (${e instanceof Error ? e.message : String(e)}); the WASM kernels run instead`;
  }
  return loaded;
}
