/**
 * `typescript` for the language worker, loaded through V8's code cache.
 *
 * Compiling typescript.js (9 MB of source) leaves ~30 MB of the parser's and compiler's freed
 * memory in the worker thread's malloc arena, which glibc does not give back, so the kernel's
 * resident memory stays that much higher for its whole life. Starting from a code cache skips
 * that compile. The cache is written after the worker has warmed up (so it also holds the
 * functions a type check needs) and is checked by V8 against its version, flags and the source:
 * a stale or foreign cache is rejected and rewritten, never trusted.
 *
 * The worker's bundle maps `import ts from "typescript"` to this module (scripts/build.mjs);
 * tests and scripts import the package directly.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import type * as TS from "typescript";

const file = createRequire(import.meta.url).resolve("typescript");
/**
 * The build's minified copy (dist/typescript.min.js, 4 MB instead of 9 MB: V8 keeps a script's
 * source for as long as it runs) when it is at least as new as the package; else the package.
 */
const minified = join(dirname(fileURLToPath(import.meta.url)), "typescript.min.js");
const useMinified = existsSync(minified) && statSync(minified).mtimeMs >= statSync(file).mtimeMs;
const source = readFileSync(useMinified ? minified : file, "utf8");
const version = (JSON.parse(readFileSync(join(dirname(file), "..", "package.json"), "utf8")) as { version: string }).version;
const name = `typescript-${version}${useMinified ? "-min" : ""}-v8-${process.versions.v8}-${process.arch}.v8cache`;

/** Where the cache may live: GRADNOTE_CACHE_DIR alone when set; else beside the bundle, else the user's temporary folder. */
const places = process.env.GRADNOTE_CACHE_DIR
  ? [process.env.GRADNOTE_CACHE_DIR]
  : [join(dirname(fileURLToPath(import.meta.url)), ".cache"), join(tmpdir(), `gradnote-${process.getuid?.() ?? "user"}`)];

/** A folder only this user can write (a shared temporary folder could hold a planted cache). */
function ownFolder(dir: string): boolean {
  const st = statSync(dir);
  return st.isDirectory() && (process.getuid === undefined || st.uid === process.getuid()) && (st.mode & 0o022) === 0;
}

function readCache(): Buffer | undefined {
  for (const dir of places) {
    try {
      if (ownFolder(dir)) return readFileSync(join(dir, name));
    } catch {
      // not there: the next place, or none
    }
  }
  return undefined;
}

const cached = readCache();
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: file,
  cachedData: cached,
});
/** Whether this worker started from a valid cache (written otherwise, by saveTypeScriptCache). */
export const typescriptFromCache = cached !== undefined && !script.cachedDataRejected;

const mod = { exports: {} as typeof TS };
(script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown, f: string, d: string) => void)(
  mod.exports,
  createRequire(file),
  mod,
  file,
  dirname(file),
);

/**
 * Writes the code cache when this worker compiled typescript.js itself: called once warm, so the
 * cache holds what checking and completion use. Best effort: an unwritable place is skipped.
 */
export function saveTypeScriptCache(): string | undefined {
  if (typescriptFromCache) return undefined;
  const data = script.createCachedData();
  for (const dir of places) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!ownFolder(dir)) continue;
      const tmp = join(dir, `${name}.${process.pid}.${Date.now()}.tmp`);
      writeFileSync(tmp, data);
      renameSync(tmp, join(dir, name));
      return join(dir, name);
    } catch {
      // read-only install or sandbox: try the next place
    }
  }
  return undefined;
}

export default mod.exports;
