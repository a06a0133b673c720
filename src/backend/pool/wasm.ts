/**
 * Loads the WebAssembly kernels of the pool backend (built from ./wasm/*.c by
 * scripts/build-wasm.mjs, committed in ./wasm/ and copied into dist/). Picks the first build the
 * engine validates: "relaxed" (SIMD with fused multiply-adds; Node 20 has relaxed SIMD behind a
 * V8 flag, which is switched on here), "simd", then "scalar"; reports `null` when no file exists
 * (JS kernels take over). GRADNOTE_WASM=simd|scalar|off narrows the choice. GRADNOTE_WASM_DIR=DIR
 * loads them from DIR instead (CI runs the parity suites on freshly rebuilt kernels that way).
 * One instance per thread: its linear memory is that thread's private scratch space.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";

/** The slice of the WebAssembly JS API used here (the project's TS libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WA: WasmApi | undefined = Reflect.get(globalThis, "WebAssembly");

/** The exports of kernels*.wasm (pointers are byte offsets into `memory`). */
export interface KernelExports {
  memory: WasmMemory;
  __heap_base: { value: number };
  adam_f32(p: number, g: number, m: number, v: number, n: number, b1: number, b2: number, stepSize: number, bc2Sqrt: number, eps: number, decay: number, l2: number, sign: number): void;
  conv_fwd(geo: number, S: number, x: number, wt: number, bias: number, cols: number, yt: number, y: number): void;
  conv_bwd(geo: number, S: number, x: number, wt: number, gy: number, gw: number, gb: number, gx: number, cols: number, gyt: number): void;
  ew_f32(op: number, n: number, o: number, a: number, sa: number, b: number, sb: number): void;
  cmp_f32(op: number, n: number, o: number, a: number, sa: number, b: number, sb: number): void;
  mul_mask_f32(n: number, o: number, a: number, sa: number, m: number, sm: number): void;
  maxpool_planes(P: number, x: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, oh: number, ow: number, out: number, idx: number): void;
  lstm_fwd(B: number, H: number, gx: number, gh: number, c: number, hc: number): void;
  lstm_bwd(B: number, H: number, gx: number, gh: number, c: number, ghc: number, dgates: number, dc: number): void;
  gru_fwd(B: number, H: number, gi: number, gh: number, h: number, out: number): void;
  gru_bwd(B: number, H: number, gi: number, gh: number, h: number, grad: number, dgi: number, dgh: number, dh: number): void;
  gradnote_abi(): number;
  sgemm(m: number, n: number, k: number, a: number, rsa: number, csa: number, b: number, rsb: number, csb: number, c: number, ldc: number, accumulate: number): void;
}

/** A loaded kernel module with a bump region above its static data. */
export interface WasmKernels {
  /** "simd" or "scalar". */
  readonly flavor: string;
  readonly exports: KernelExports;
  /** Float32 and byte views of the whole memory (refreshed by `reserve`). */
  f32: Float32Array;
  u8: Uint8Array;
  /** Byte offset where scratch space starts. */
  readonly base: number;
  /** Makes sure `bytes` of scratch exist above `base`; returns the (possibly new) Float32 view. */
  reserve(bytes: number): Float32Array;
}

/**
 * Where the .wasm files can sit: GRADNOTE_WASM_DIR; beside the bundle (dist/); from src/, in
 * dist/ (what the build put there, as the pool's workers load it) or else the shipped ./wasm/.
 */
function candidates(file: string): string[] {
  const dir = typeof process !== "undefined" ? process.env.GRADNOTE_WASM_DIR : undefined;
  if (dir) return [join(dir, file)];
  return [`./${file}`, `../../../dist/${file}`, `./wasm/${file}`].map((u) => fileURLToPath(new URL(u, import.meta.url)));
}

function readWasm(file: string): { bytes: Uint8Array; path: string } | null {
  for (const p of candidates(file)) if (existsSync(p)) return { bytes: readFileSync(p), path: p };
  return null;
}

/** The kernels' signature version (gradnote_abi() in wasm/fused.c); bump both together. */
const ABI = 7;
/** Kernels the JS side calls; keep in step with scripts/build-wasm.mjs. */
const REQUIRED = ["gradnote_abi", "sgemm", "adam_f32", "conv_fwd", "conv_bwd", "ew_f32", "cmp_f32", "mul_mask_f32", "maxpool_planes", "lstm_fwd", "lstm_bwd", "gru_fwd", "gru_bwd"];

/**
 * Node 20's V8 validates relaxed SIMD only with --experimental-wasm-relaxed-simd (a process-wide
 * flag that only adds instructions; newer engines have it on). The kernel sets it at start too,
 * before its language worker reads V8's code cache, whose check covers the flags.
 */
export function enableRelaxedSimd(): void {
  try {
    if (process.versions.node && Number(process.versions.node.split(".")[0]) < 22) setFlagsFromString("--experimental-wasm-relaxed-simd");
  } catch {
    // an engine without the flag: the relaxed build fails validation and simd is used
  }
}

let loaded: WasmKernels | null | undefined;
let reason = "";

/** Why no WASM kernels are in use (empty when they are). */
export function wasmUnavailableReason(): string {
  return reason;
}

/** The kernels for this thread, loaded on first use; null means "use the JS kernels". */
export function wasmKernels(): WasmKernels | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const mode = (typeof process !== "undefined" && process.env.GRADNOTE_WASM) || "auto";
  if (mode === "off" || mode === "0") {
    reason = "disabled by GRADNOTE_WASM";
    return loaded;
  }
  if (!WA) {
    reason = "this JavaScript engine has no WebAssembly";
    return loaded;
  }
  const order = mode === "scalar" ? ["scalar"] : mode === "simd" ? ["simd", "scalar"] : ["relaxed", "simd", "scalar"];
  if (order[0] === "relaxed") enableRelaxedSimd();
  for (const flavor of order) {
    const found = readWasm(`gradnote-kernels-${flavor}.wasm`);
    if (!found) continue;
    const bytes = found.bytes;
    // validate() is the feature test: an engine without (relaxed) SIMD rejects that build.
    if (!WA.validate(bytes)) continue;
    const exports = new WA.Instance(new WA.Module(bytes), {}).exports as KernelExports;
    // A build left over from older sources may lack kernels this code calls: treat it as absent.
    const missing = REQUIRED.filter((k) => typeof (exports as unknown as Record<string, unknown>)[k] !== "function");
    if (missing.length > 0 || exports.gradnote_abi() !== ABI) {
      reason = `${found.path} is out of date (${missing.length ? `lacks ${missing.join(", ")}` : `ABI ${exports.gradnote_abi()}, this code needs ${ABI}`}); run \`npm run build\` (it copies the shipped kernels into dist/, or compiles changed C sources with clang)`;
      continue;
    }
    const base = (Number(exports.__heap_base.value) + 63) & ~63;
    const k: WasmKernels = {
      flavor,
      exports,
      base,
      f32: new Float32Array(exports.memory.buffer),
      u8: new Uint8Array(exports.memory.buffer),
      reserve(bytes: number): Float32Array {
        const need = base + bytes;
        const have = this.f32.byteLength;
        if (need > have) {
          exports.memory.grow(Math.ceil((need - have) / 65536));
          this.f32 = new Float32Array(exports.memory.buffer);
          this.u8 = new Uint8Array(exports.memory.buffer);
        }
        return this.f32;
      },
    };
    loaded = k;
    reason = "";
    return loaded;
  }
  reason ||= `gradnote-kernels-*.wasm not found in ${candidates("").join(" or ")} (npm run build copies the shipped ones into dist/)`;
  return loaded;
}
