// The pool backend's WASM kernels: compiles src/backend/pool/wasm/*.c with Debian's clang + lld
// into gradnote-kernels-relaxed.wasm (-msimd128 -mrelaxed-simd: fused multiply-adds, opcodes made
// final by scripts/wasm-relaxed.mjs), gradnote-kernels-simd.wasm (-msimd128) and a scalar fallback. The binaries are committed
// beside the sources by `npm run build:wasm` (with kernels.json: digest of the sources and flags
// they were built from), so an install without clang still runs the SIMD path;
// tests/scripts/wasm-shipped.test.ts rebuilds them in CI and fails if they differ from what ships.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { finalRelaxedOpcodes } from "./wasm-relaxed.mjs";

/** Folder of the C sources, the shipped binaries and their manifest (relative to the repo root). */
export const WASM_DIR = "src/backend/pool/wasm";
export const FLAVORS = ["relaxed", "simd", "scalar"];
const EXPORTS = ["sgemm", "adam_f32", "conv_fwd", "conv_bwd", "ew_f32", "cmp_f32", "mul_mask_f32", "maxpool_planes", "lstm_fwd", "lstm_bwd", "gru_fwd", "gru_bwd", "gradnote_abi", "__heap_base"];
// -fno-builtin keeps clang from turning short fill/copy loops into memset/memcpy, i.e. bulk-memory
// instructions that V8 runs as out-of-line calls: costly for the 10–30 element rows of im2col.
const FLAGS = ["--target=wasm32", "-O3", "-nostdlib", "-fno-builtin", "-Wl,--no-entry", "-Wl,--initial-memory=4194304", ...EXPORTS.map((e) => `-Wl,--export=${e}`)];
const EXTRA = { relaxed: ["-msimd128", "-mrelaxed-simd"], simd: ["-msimd128"], scalar: [] };

/** File name of one flavour's binary. */
export const wasmFile = (flavor) => `gradnote-kernels-${flavor}.wasm`;

/** The first clang on PATH (with its version line), or null. lld is found by clang itself. */
export function findClang() {
  for (const c of ["clang", "clang-16", "clang-15", "clang-14"]) {
    try {
      const version = execFileSync(c, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0].trim();
      return { clang: c, version };
    } catch {
      // try the next name
    }
  }
  return null;
}

/** sha256 over the C sources, headers and compiler flags: what the binaries must be built from. */
export function sourcesDigest(root) {
  const dir = join(root, WASM_DIR);
  const h = createHash("sha256");
  h.update(JSON.stringify({ FLAGS, EXTRA }));
  // The opcode rewrite is part of how the relaxed build is made.
  h.update(readFileSync(join(root, "scripts", "wasm-relaxed.mjs")));
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".c") || f.endsWith(".h")).sort()) {
    h.update(`\0${f}\0`);
    h.update(readFileSync(join(dir, f)));
  }
  return h.digest("hex");
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** Compiles both flavours into `outDir` (always; no staleness check). Throws with clang's first error line. */
export function compileWasm(root, outDir, clang) {
  const dir = join(root, WASM_DIR);
  const sources = readdirSync(dir).filter((f) => f.endsWith(".c")).sort().map((f) => join(dir, f));
  mkdirSync(outDir, { recursive: true });
  for (const flavor of FLAVORS) {
    try {
      const out = join(outDir, wasmFile(flavor));
      execFileSync(clang, [...FLAGS, ...EXTRA[flavor], "-o", out, ...sources], { stdio: ["ignore", "ignore", "pipe"] });
      if (flavor === "relaxed") relaxedFinal(out);
      chmodSync(out, 0o644);
    } catch (e) {
      throw new Error(`WASM kernels not built: ${String(e.stderr || e.message).trim().split("\n")[0]}`);
    }
  }
}

/**
 * The relaxed build: clang 14's early relaxed-SIMD opcodes rewritten to the final ones, then
 * validated by this Node with relaxed SIMD switched on (a leftover early opcode fails here).
 */
function relaxedFinal(file) {
  const { bytes, rewritten } = finalRelaxedOpcodes(readFileSync(file));
  if (rewritten === 0) throw new Error("the relaxed build has no fused multiply-add (is MADD used in gemm.c?)");
  setFlagsFromString("--experimental-wasm-relaxed-simd");
  if (!WebAssembly.validate(bytes)) throw new Error(`${wasmFile("relaxed")} does not validate after its opcodes were rewritten`);
  writeFileSync(file, bytes);
}

/** The manifest committed beside the binaries, or null. */
export function readManifest(root) {
  const p = join(root, WASM_DIR, "kernels.json");
  return existsSync(p) ? JSON.parse(readFileSync(p, "utf8")) : null;
}

/** Compiles into the shipped folder and rewrites kernels.json (`npm run build:wasm`; commit the result). */
export function updateShipped(root) {
  const found = findClang();
  if (!found) throw new Error("npm run build:wasm needs clang and lld (apt-get install clang lld)");
  const dir = join(root, WASM_DIR);
  compileWasm(root, dir, found.clang);
  const outputs = Object.fromEntries(FLAVORS.map((f) => [wasmFile(f), sha256(readFileSync(join(dir, wasmFile(f))))]));
  writeFileSync(join(dir, "kernels.json"), JSON.stringify({ sources: sourcesDigest(root), compiler: found.version, outputs }, null, 2) + "\n");
  return `built ${FLAVORS.map(wasmFile).join(", ")} in ${WASM_DIR} with ${found.version}`;
}

/**
 * Puts the kernels into `distDir` and returns a line for the build log ("" when nothing needed
 * saying): the shipped binaries when they match the C sources; otherwise, with clang, a fresh
 * build (and a reminder to update the shipped ones), without clang the shipped ones and a notice.
 */
export function buildWasm(root, distDir) {
  const dir = join(root, WASM_DIR);
  const shipped = FLAVORS.every((f) => existsSync(join(dir, wasmFile(f))));
  mkdirSync(distDir, { recursive: true });
  if (shipped && readManifest(root)?.sources === sourcesDigest(root)) {
    for (const f of FLAVORS) copyFileSync(join(dir, wasmFile(f)), join(distDir, wasmFile(f)));
    return "";
  }
  const found = findClang();
  if (found) {
    compileWasm(root, distDir, found.clang);
    return `${WASM_DIR}/*.c changed since the shipped kernels were built: built dist/*.wasm with ${found.version}; run \`npm run build:wasm\` and commit ${WASM_DIR}/*.wasm and kernels.json`;
  }
  if (!shipped) return "notice: no WASM kernels in the package and clang not found (apt-get install clang lld); the cpu backend uses JS kernels";
  for (const f of FLAVORS) copyFileSync(join(dir, wasmFile(f)), join(distDir, wasmFile(f)));
  return `notice: ${WASM_DIR}/*.c changed since the shipped kernels were built and clang is not installed (apt-get install clang lld); using the shipped kernels`;
}

// `node scripts/build-wasm.mjs`: refresh the shipped binaries.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(updateShipped(join(dirname(fileURLToPath(import.meta.url)), "..")));
}
