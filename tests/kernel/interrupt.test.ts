// Interrupt through the real kernel: a message on control or SIGINT stops synchronous and
// asynchronous loops, reports KeyboardInterrupt, and keeps every variable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningKernel } from "../../kernel/client.js";
import { result, sleep, startKernel } from "./helpers.js";

let k: RunningKernel;
beforeAll(async () => {
  k = await startKernel();
});
afterAll(async () => {
  await k?.shutdown();
});

async function interruptAfter(code: string, how: "message" | "signal", delayMs = 400) {
  const pending = k.client.execute(code, { stop_on_error: false });
  await sleep(delayMs);
  const t0 = Date.now();
  if (how === "message") await k.client.request("interrupt_request", {}, "control");
  else k.process.kill("SIGINT");
  const r = await pending;
  return { r, stoppedMs: Date.now() - t0 };
}

describe("interrupt", () => {
  it("stops while (true) {} by message within a second and keeps state", async () => {
    await k.client.execute("const keep = 'kept'; let spins = 0;");
    const { r, stoppedMs } = await interruptAfter("while (true) { spins++ }", "message");
    expect(r.reply.content.status).toBe("error");
    expect(r.reply.content.ename).toBe("KeyboardInterrupt");
    expect(stoppedMs).toBeLessThan(1000);
    expect(result(await k.client.execute("keep + ' ' + (spins > 0)"))).toBe("'kept true'");
  });

  it("stops a long await loop by message and its timers never fire again", async () => {
    await k.client.execute("let ticks = 0;");
    const { r, stoppedMs } = await interruptAfter("while (true) { ticks++; await new Promise((r) => setTimeout(r, 5)); }", "message");
    expect(r.reply.content.ename).toBe("KeyboardInterrupt");
    expect(stoppedMs).toBeLessThan(1000);
    const t1 = Number(result(await k.client.execute("ticks")));
    await sleep(200);
    expect(Number(result(await k.client.execute("ticks")))).toBe(t1);
  });

  it("stops a synchronous loop after an await (in a continuation)", async () => {
    const { r } = await interruptAfter("await new Promise((r) => setTimeout(r, 10));\nlet n2 = 0; while (true) { n2++ }", "message");
    expect(r.reply.content.ename).toBe("KeyboardInterrupt");
    expect(result(await k.client.execute("1 + 1"))).toBe("2");
  });

  it("stops while (true) {} on SIGINT", async () => {
    const { r, stoppedMs } = await interruptAfter("while (true) {}", "signal");
    expect(r.reply.content.ename).toBe("KeyboardInterrupt");
    expect(stoppedMs).toBeLessThan(1000);
    expect(result(await k.client.execute("keep"))).toBe("'kept'");
  });

  it("answers heartbeat-side requests (kernel_info on control) while a cell runs", async () => {
    const pending = k.client.execute("const until = Date.now() + 1500; while (Date.now() < until) {}");
    await sleep(200);
    const t0 = Date.now();
    const info = await k.client.request("kernel_info_request", {}, "control", 1000);
    expect(info.reply.content.status).toBe("ok");
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((await pending).reply.content.status).toBe("ok");
  });

  it("leaves the kernel usable after an interrupt with nothing running", async () => {
    await k.client.request("interrupt_request", {}, "control");
    expect(result(await k.client.execute("'fine'"))).toBe("'fine'");
  });
});
