// What keeps an idle kernel's memory down, checked on the real pieces: the language worker
// (dist/lang-worker.mjs) loading typescript from V8's code cache, and the kernel stopping esbuild's
// service process when no cell has needed it for a while.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { launchKernel } from "../../kernel/client.js";
import { KERNEL_PATH, sleep, stdout } from "./helpers.js";

const WORKER = fileURLToPath(new URL("../../dist/lang-worker.mjs", import.meta.url));
const TYPES = fileURLToPath(new URL("../../dist/types/index.d.ts", import.meta.url));

/** Starts a language worker, waits for it to be warm, checks one cell; returns what it logged. */
async function runWorker(cacheDir: string): Promise<{ log: string; diagnostics: { message: string }[] }> {
  const w = new Worker(WORKER, {
    workerData: { cwd: tmpdir(), gradnoteTypes: TYPES },
    env: { ...process.env, GRADNOTE_CACHE_DIR: cacheDir, GRADNOTE_LANG_DEBUG: "1" },
    stdout: true,
  });
  let log = "";
  w.stdout.on("data", (d: Buffer) => (log += d.toString("utf8")));
  try {
    const answers = new Map<number, (v: unknown) => void>();
    w.on("message", (m: { id: number; result?: unknown }) => answers.get(m.id)?.(m.result));
    await new Promise((r) => answers.set(0, r));
    const diagnostics = await new Promise<unknown>((r) => {
      answers.set(1, r);
      w.postMessage({ id: 1, op: "diagnostics", code: `import { zeros } from "gradnote";\nconst n: string = zeros([2]).numel();` });
    });
    return { log, diagnostics: diagnostics as { message: string }[] };
  } finally {
    await w.terminate();
  }
}

describe("the language worker's code cache", () => {
  it("is written by the first worker, used by the next, and a corrupt one is rejected and rewritten", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradnote-cache-"));
    const first = await runWorker(dir);
    expect(first.log).toContain(`compiled; cache written to ${dir}`);
    const [file] = readdirSync(dir).filter((f) => f.endsWith(".v8cache"));
    expect(file).toMatch(/^typescript-5\.[\d.]+(-min)?-v8-/);
    expect(first.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("Type 'number' is not assignable to type 'string'")]);

    const second = await runWorker(dir);
    expect(second.log).toContain("typescript from the code cache");
    // The same answers from the cached code.
    expect(second.diagnostics).toEqual(first.diagnostics);

    // Garbage of the same size: V8's checks reject it; the worker compiles and writes a good one.
    const size = statSync(join(dir, file)).size;
    writeFileSync(join(dir, file), Buffer.alloc(size, 7));
    const third = await runWorker(dir);
    expect(third.log).toContain("compiled; cache written");
    expect(third.diagnostics).toEqual(first.diagnostics);
    expect(readFileSync(join(dir, file)).equals(Buffer.alloc(size, 7))).toBe(false);
    expect((await runWorker(dir)).log).toContain("from the code cache");
  }, 120_000);

  it("ignores a cache folder that others can write (a planted cache is never loaded)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradnote-cache-"));
    await runWorker(dir);
    chmodSync(dir, 0o777);
    const r = await runWorker(dir);
    expect(r.log).not.toContain("from the code cache");
    expect(r.log).not.toContain(`cache written to ${dir}`);
    expect(r.diagnostics).toHaveLength(1);
  }, 120_000);
});

/** The pids of a process's children whose command name is `comm`. */
function children(pid: number, comm: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const name = /\((.*)\)/.exec(stat)?.[1];
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid && name === comm) out.push(Number(p));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

describe("esbuild's service process", () => {
  it("stops after the kernel has been idle and starts again for the next typed cell", async () => {
    const k = await launchKernel({ cwd: mkdtempSync(join(tmpdir(), "gradnote-idle-")), kernelPath: KERNEL_PATH, env: { ...process.env, GRADNOTE_ESBUILD_IDLE_MS: "700", GRADNOTE_TYPECHECK: "off" } });
    try {
      const pid = k.process.pid!;
      expect(stdout(await k.client.execute(`const a: number = 20; console.log(a + 1)`))).toBe("21\n");
      expect(children(pid, "esbuild")).toHaveLength(1);
      let gone = false;
      for (let i = 0; i < 40 && !gone; i++) {
        await sleep(100);
        gone = children(pid, "esbuild").length === 0;
      }
      expect(gone).toBe(true);
      // Typed cells, completeness checks and x? all work again after the stop.
      expect(stdout(await k.client.execute(`const b: number = a * 2; console.log(b)`))).toBe("40\n");
      expect(children(pid, "esbuild")).toHaveLength(1);
      const ic = await k.client.request("is_complete_request", { code: "function f(x: number) {" });
      expect(ic.reply.content.status).toBe("incomplete");
    } finally {
      await k.shutdown();
    }
  }, 60_000);
});
