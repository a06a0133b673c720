// The kernel returns the C heap's free pages between cells (kernel/malloc-trim.ts, through the
// runtime's native addon): the trimmer loads where the addon is built (x86-64 Linux with glibc
// here), returns glibc's answer, and a burst of cells trims at most every 200 ms.
import { describe, expect, it } from "vitest";
import { afterCell, mallocTrimmer } from "../../kernel/malloc-trim.js";

const glibcX64 = process.platform === "linux" && process.arch === "x64";

describe.skipIf(!glibcX64)("malloc trimming between cells", () => {
  it("loads the addon's mallocTrim and gets 0 or 1 from glibc", () => {
    const trim = mallocTrimmer();
    expect(trim).toBeTypeOf("function");
    // Free a few MiB of C heap (a JSON round trip of a big string goes through malloc), then trim.
    JSON.parse(JSON.stringify("x".repeat(4 << 20)));
    expect([0, 1]).toContain(trim!());
  });

  it("afterCell trims at most every 200 ms in a burst of cells, and never throws", () => {
    const trim = mallocTrimmer()!;
    let calls = 0;
    const counting = () => {
      calls++;
      return trim();
    };
    const t0 = Date.now() + 10_000;
    afterCell(t0, counting);
    afterCell(t0 + 50, counting);
    afterCell(t0 + 199, counting);
    expect(calls).toBe(1);
    afterCell(t0 + 200, counting);
    expect(calls).toBe(2);
  });
});
