// The pool backend's native parts, built with the machine's compilers (no node-gyp), only on
// x86-64 Linux, rebuilt when a source or the flags change; dist/ is not committed: no binary ships.
// - dist/gradnote-native.node: src/backend/pool/native/*.c (AVX2/FMA sgemm and Adam), plain C
//   against the stable Node-API (napi-abi.h declares what it uses: no Node headers needed).
// - dist/gradnote-alloc.node: native/alloc.cc (tensor storage recycled through V8's backing-store
//   deleter), C++ against this Node's own headers (include/node beside the node binary).
// Without a compiler (or the headers) the WASM kernels and plain SharedArrayBuffers serve, and
// cpuInfo() says why.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const NATIVE_DIR = "src/backend/pool/native";
export const NATIVE_FILE = "gradnote-native.node";
export const ALLOC_FILE = "gradnote-alloc.node";
// -ffp-contract=off: no multiply-add fused behind the sources' back (Adam must match the WASM path).
const FLAGS = ["-O3", "-std=gnu11", "-fPIC", "-shared", "-fvisibility=hidden", "-ffp-contract=off", "-fno-math-errno", "-Wall"];

/** The first C (or C++) compiler on PATH (GRADNOTE_CC / GRADNOTE_CXX first when set), or null. */
function findCompiler(cxx = false) {
  const names = (cxx ? [process.env.GRADNOTE_CXX, "c++", "g++", "clang++"] : [process.env.GRADNOTE_CC, "cc", "gcc", "clang"]).filter(Boolean);
  for (const c of names) {
    try {
      execFileSync(c, ["--version"], { stdio: "ignore" });
      return c;
    } catch {
      // try the next name
    }
  }
  return null;
}

function digest(root, compiler, flags, files) {
  const dir = join(root, NATIVE_DIR);
  const h = createHash("sha256").update(JSON.stringify({ flags, compiler, node: process.version }));
  for (const f of files) h.update(`\0${f}\0`).update(readFileSync(join(dir, f)));
  return h.digest("hex");
}

/** Compiles `files` of the native folder into distDir/out unless its stamp matches; "" or a notice. */
function compile(root, distDir, out, compiler, flags, files, what) {
  const file = join(distDir, out), stamp = `${file}.sha256`;
  const want = digest(root, compiler, flags, files);
  if (existsSync(file) && existsSync(stamp) && readFileSync(stamp, "utf8") === want) return "";
  mkdirSync(distDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    execFileSync(compiler, [...flags, "-o", tmp, ...files.filter((f) => !f.endsWith(".h") && !f.startsWith("../")).map((f) => join(root, NATIVE_DIR, f))], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    rmSync(tmp, { force: true });
    rmSync(file, { force: true });
    return `notice: ${out} not built (${String(e.stderr || e.message).trim().split("\n")[0]}); ${what}`;
  }
  // Renamed into place: a process that has the old file loaded keeps its mapping.
  renameSync(tmp, file);
  writeFileSync(stamp, want);
  return "";
}

/**
 * Builds dist/gradnote-native.node and dist/gradnote-alloc.node when missing or stale; returns a
 * line for the build log ("" when nothing needed saying). GRADNOTE_NATIVE=off skips both (and the
 * loader skips them).
 */
export function buildNative(root, distDir) {
  const off = ["off", "0"].includes(process.env.GRADNOTE_NATIVE ?? "");
  if (off || process.platform !== "linux" || process.arch !== "x64") {
    for (const f of [NATIVE_FILE, ALLOC_FILE]) rmSync(join(distDir, f), { force: true });
    return "";
  }
  const lines = [];
  const cc = findCompiler();
  const sources = readdirSync(join(root, NATIVE_DIR)).filter((f) => /\.[ch]$/.test(f)).sort();
  if (!cc) {
    rmSync(join(distDir, NATIVE_FILE), { force: true });
    lines.push("notice: no C compiler (cc, gcc or clang) found: the cpu backend runs its WASM kernels, not the native AVX2 ones");
  } else {
    // native/conv.c and ew.c compile ../wasm/conv.c and ew.c: part of what the addon is built from.
    const flags = [...FLAGS, `-I${join(root, NATIVE_DIR, "shim")}`];
    lines.push(compile(root, distDir, NATIVE_FILE, cc, flags, [...sources, "shim/wasm_simd128.h", "../wasm/conv.c", "../wasm/ew.c", "../wasm/fused.c", "../wasm/mathf.h"], "the cpu backend runs its WASM kernels"));
  }
  const cxx = findCompiler(true);
  const headers = join(dirname(process.execPath), "..", "include", "node");
  if (!cxx || !existsSync(join(headers, "node.h"))) {
    rmSync(join(distDir, ALLOC_FILE), { force: true });
    lines.push(`notice: ${!cxx ? "no C++ compiler" : `no Node headers in ${headers}`}: large tensors use plain SharedArrayBuffers (fresh pages each time)`);
  } else {
    const flags = ["-O2", "-std=c++17", "-fPIC", "-shared", "-fvisibility=hidden", "-Wall", "-DNODE_GYP_MODULE_NAME=gradnote_alloc", `-I${headers}`];
    lines.push(compile(root, distDir, ALLOC_FILE, cxx, flags, ["alloc.cc"], "large tensors use plain SharedArrayBuffers"));
  }
  return lines.filter(Boolean).join("\n");
}
