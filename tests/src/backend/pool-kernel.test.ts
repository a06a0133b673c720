// The cpu pool inside the real kernel: worker threads start from a cell, an interrupt that
// lands inside pool ops leaves the pool usable, and shutting the kernel down ends the process
// promptly with its workers (no SIGKILL needed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningKernel } from "../../../kernel/client.js";
import { result, sleep, startKernel } from "../../kernel/helpers.js";

let k: RunningKernel;
beforeAll(async () => {
  k = await startKernel();
});
afterAll(async () => {
  await k?.shutdown();
});

describe("cpu pool in the kernel", () => {
  it("splits a cell's large ops over workers", async () => {
    await k.client.execute('import { randn, cpuInfo, setNumThreads } from "gradnote"; setNumThreads(2); const a = randn([400, 400]);');
    expect(result(await k.client.execute("a.matmul(a).shape.join('x')"))).toBe("'400x400'");
    expect(result(await k.client.execute("cpuInfo().workers"))).toBe("1");
  });

  it("an interrupt inside pool ops stops the cell and the pool keeps working", async () => {
    const pending = k.client.execute("let rounds = 0; while (true) { a.matmul(a).relu(); rounds++; }", { stop_on_error: false });
    await sleep(600);
    await k.client.request("interrupt_request", {}, "control");
    const r = await pending;
    expect(r.reply.content.ename).toBe("KeyboardInterrupt");
    expect(result(await k.client.execute("rounds > 0"))).toBe("true");
    const check = "(() => { const c = a.matmul(a).dataSync(), r = a.to('cpu-ref').matmul(a.to('cpu-ref')).dataSync(); let e = 0; for (let i = 0; i < c.length; i++) e = Math.max(e, Math.abs(c[i] - r[i])); return e < 1e-3; })()";
    expect(result(await k.client.execute(check))).toBe("true");
  });

  it("shutdown ends the kernel process with its worker threads", async () => {
    const exited = new Promise<number | null>((r) => k.process.once("exit", (code) => r(code)));
    const t0 = Date.now();
    await k.client.request("shutdown_request", { restart: false }, "control", 5000).catch(() => undefined);
    const code = await exited;
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(code).toBe(0);
  });
});
