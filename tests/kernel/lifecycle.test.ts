// Shutdown leaves no process behind: the kernel and anything it started (esbuild's service).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchKernel } from "../../kernel/client.js";
import { describe, expect, it } from "vitest";
import { result, startKernel } from "./helpers.js";

function children(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry), ...children(Number(entry)));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Running, not a zombie: an exited orphan stays a zombie where PID 1 does not reap (containers). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};

describe("kernel lifecycle", () => {
  it("shutdown_request ends the kernel and every process it started", async () => {
    const k = await startKernel();
    expect(result(await k.client.execute("const q: number = 1; q"))).toBe("1");
    const pid = k.process.pid!;
    const kids = children(pid);
    const reply = await k.client.request("shutdown_request", { restart: false }, "control");
    expect(reply.reply.content).toMatchObject({ status: "ok", restart: false });
    await new Promise((r) => k.process.once("exit", r));
    expect(k.process.exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    const describe = (p: number) => `${p} ${readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ")}`;
    expect([pid, ...kids].filter(alive).map(describe)).toEqual([]);
    await k.shutdown();
  });

  it("shutdown with restart replies restart: true and exits so the manager can start it again", async () => {
    const k = await startKernel();
    const reply = await k.client.request("shutdown_request", { restart: true }, "control");
    expect(reply.reply.content).toMatchObject({ status: "ok", restart: true });
    await new Promise((r) => k.process.once("exit", r));
    expect(k.process.exitCode).toBe(0);
    await k.shutdown();
  });

  it("a kernel that dies while starting is retried, then reported at once with its log", async () => {
    // Stands in for a kernel that cannot bind its ports: it logs and exits at once, every time.
    const dir = mkdtempSync(join(tmpdir(), "gradnote-dying-"));
    const script = join(dir, "kernel.mjs");
    const count = join(dir, "starts");
    writeFileSync(script, `import { appendFileSync } from "node:fs"; appendFileSync(${JSON.stringify(count)}, "x"); console.error("Address already in use"); process.exit(3);`);
    const t0 = Date.now();
    const err = await launchKernel({ kernelPath: script }).then(() => null, (e: Error) => e);
    expect(err?.name).toBe("KernelDied");
    expect(err?.message).toContain("the kernel exited (code 3)");
    expect(err?.message).toContain("Address already in use");
    expect(readFileSync(count, "utf8")).toBe("xxx"); // three attempts on fresh ports
    expect(Date.now() - t0).toBeLessThan(15_000); // not the 20 s kernel_info deadline
  });
});
