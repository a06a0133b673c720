/**
 * Gives the C heap's free pages back between cells. glibc keeps memory that a thread freed in
 * that thread's arena: the language worker's parses and checks, V8's compilers and the cells'
 * own native work leave tens of MiB resident that no one uses. `malloc_trim(0)` (through the
 * runtime's native addon, dist/gradnote-native.node, where it is built) returns it. It walks
 * every arena, a few milliseconds, so it runs at most every 200 ms after a cell, and once more
 * when the kernel has been idle for half a second.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

type Trim = () => number;
let trim: Trim | null | undefined;
let last = 0;
let idle: ReturnType<typeof setTimeout> | null = null;

/** The addon's mallocTrim, or null (not built, not glibc, GRADNOTE_NATIVE=off). */
export function mallocTrimmer(): Trim | null {
  if (trim !== undefined) return trim;
  trim = null;
  if (process.platform !== "linux" || ["off", "0"].includes(process.env.GRADNOTE_NATIVE ?? "")) return trim;
  for (const u of ["./gradnote-native.node", "../dist/gradnote-native.node"]) {
    const path = fileURLToPath(new URL(u, import.meta.url));
    if (!existsSync(path)) continue;
    try {
      const mod = createRequire(import.meta.url)(path) as { mallocTrim?: Trim };
      if (typeof mod.mallocTrim === "function") trim = mod.mallocTrim;
    } catch {
      // an addon that does not load here: nothing to trim with
    }
    break;
  }
  return trim;
}

/** Called after each cell: trims if 200 ms have passed since the last trim, and again once idle. */
export function afterCell(now = Date.now(), t: Trim | null = mallocTrimmer()): void {
  if (!t) return;
  if (now - last >= 200) {
    last = now;
    t();
  }
  if (idle) idle.refresh();
  else {
    idle = setTimeout(() => {
      idle = null;
      last = Date.now();
      t();
    }, 500);
    idle.unref();
  }
}
