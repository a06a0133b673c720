// Compiles the pool backend's C kernels (src/backend/pool/wasm/*.c) to WebAssembly with Debian's
// clang + lld: dist/gradnote-kernels-simd.wasm (-msimd128) and a scalar fallback. Without clang
// the build still succeeds and the runtime uses its JS kernels (cpuInfo().kernels === "js").
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";

/** Builds the .wasm files into `outDir`; returns a line describing what happened. */
export function buildWasm(root, outDir) {
  const srcDir = join(root, "src/backend/pool/wasm");
  const sources = readdirSync(srcDir).filter((f) => f.endsWith(".c")).map((f) => join(srcDir, f));
  let clang = null;
  for (const c of ["clang", "clang-16", "clang-15", "clang-14"]) {
    try {
      execFileSync(c, ["--version"], { stdio: "ignore" });
      clang = c;
      break;
    } catch {
      // try the next name
    }
  }
  if (!clang) return "notice: clang not found; WASM kernels not built (apt-get install clang lld), the cpu backend uses JS kernels";
  mkdirSync(outDir, { recursive: true });
  const exports = ["sgemm", "adam_f32", "conv_fwd", "conv_bwd", "ew_f32", "cmp_f32", "mul_mask_f32", "maxpool_planes", "lstm_fwd", "lstm_bwd", "gru_fwd", "gru_bwd", "gradnote_abi", "__heap_base"].map((e) => `-Wl,--export=${e}`);
  // -fno-builtin keeps clang from turning short fill/copy loops into memset/memcpy, i.e. bulk-memory
  // instructions that V8 runs as out-of-line calls: costly for the 10–30 element rows of im2col.
  const flags = ["--target=wasm32", "-O3", "-nostdlib", "-fno-builtin", "-Wl,--no-entry", "-Wl,--initial-memory=4194304", ...exports];
  const inputs = [...sources, ...readdirSync(srcDir).filter((f) => f.endsWith(".h")).map((f) => join(srcDir, f))];
  const newest = Math.max(...inputs.map((s) => statSync(s).mtimeMs), statSync(new URL(import.meta.url)).mtimeMs);
  const built = [];
  for (const [flavor, extra] of [["simd", ["-msimd128"]], ["scalar", []]]) {
    const out = join(outDir, `gradnote-kernels-${flavor}.wasm`);
    if (existsSync(out) && statSync(out).mtimeMs >= newest) continue;
    try {
      execFileSync(clang, [...flags, ...extra, "-o", out, ...sources], { stdio: ["ignore", "ignore", "pipe"] });
      built.push(flavor);
    } catch (e) {
      return `notice: WASM kernels not built (${String(e.stderr || e.message).trim().split("\n")[0]}); the cpu backend uses JS kernels`;
    }
  }
  return built.length ? `built WASM kernels: ${built.join(", ")}` : "";
}
