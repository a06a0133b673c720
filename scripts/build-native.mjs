// The pool backend's native kernels (src/backend/pool/native/*.c: AVX2/FMA sgemm and Adam) as a
// Node addon, dist/gradnote-native.node, built with the machine's C compiler (gcc or clang; no
// node-gyp and no Node headers: napi-abi.h declares the Node-API functions it uses). Only on
// x86-64 Linux; rebuilt when a source or the flags change. Without a compiler the WASM kernels
// run instead, and cpuInfo() says why. dist/ is not committed: no binary ships.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const NATIVE_DIR = "src/backend/pool/native";
export const NATIVE_FILE = "gradnote-native.node";
// -ffp-contract=off: no multiply-add fused behind the sources' back (Adam must match the WASM path).
const FLAGS = ["-O3", "-std=gnu11", "-fPIC", "-shared", "-fvisibility=hidden", "-ffp-contract=off", "-Wall"];

/** The first C compiler on PATH (GRADNOTE_CC first when set), or null. */
function findCompiler() {
  const names = [process.env.GRADNOTE_CC, "cc", "gcc", "clang"].filter(Boolean);
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

function digest(root, compiler) {
  const dir = join(root, NATIVE_DIR);
  const h = createHash("sha256").update(JSON.stringify({ FLAGS, compiler, node: process.versions.modules }));
  for (const f of readdirSync(dir).filter((f) => /\.[ch]$/.test(f)).sort()) h.update(`\0${f}\0`).update(readFileSync(join(dir, f)));
  return h.digest("hex");
}

/**
 * Builds dist/gradnote-native.node when it is missing or stale; returns a line for the build log
 * ("" when nothing needed saying). GRADNOTE_NATIVE=off skips the build (and the loader skips the addon).
 */
export function buildNative(root, distDir) {
  const out = join(distDir, NATIVE_FILE), stamp = `${out}.sha256`;
  const off = ["off", "0"].includes(process.env.GRADNOTE_NATIVE ?? "");
  if (off || process.platform !== "linux" || process.arch !== "x64") {
    rmSync(out, { force: true });
    return "";
  }
  const cc = findCompiler();
  if (!cc) {
    rmSync(out, { force: true });
    return "notice: no C compiler (cc, gcc or clang) found: the cpu backend runs its WASM kernels, not the native AVX2 ones";
  }
  const want = digest(root, cc);
  if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, "utf8") === want) return "";
  const dir = join(root, NATIVE_DIR);
  const sources = readdirSync(dir).filter((f) => f.endsWith(".c")).sort().map((f) => join(dir, f));
  mkdirSync(distDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    execFileSync(cc, [...FLAGS, "-o", tmp, ...sources], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    rmSync(tmp, { force: true });
    rmSync(out, { force: true });
    return `notice: native kernels not built (${String(e.stderr || e.message).trim().split("\n")[0]}); the cpu backend runs its WASM kernels`;
  }
  // Renamed into place: a process that has the old file loaded keeps its mapping.
  renameSync(tmp, out);
  writeFileSync(stamp, want);
  return "";
}
