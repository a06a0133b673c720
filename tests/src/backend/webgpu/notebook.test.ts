// Through the real kernel: a cell switches to webgpu and trains, another cell reads the loss,
// and after shutdown_request the kernel process exits with code 0 (the device is released).
import { expect, it } from "vitest";
import { result, startKernel, stdout } from "../../../kernel/helpers.js";
import { describeGpu } from "./gpu-env.js";

describeGpu("webgpu in a notebook", () => {
  it("a cell switches backend and trains; the kernel exits cleanly afterwards", async () => {
    const k = await startKernel();
    const train = await k.client.execute(`
import { setBackend, getBackend, nn, optim, data, manualSeed, tidy } from "gradnote";
setBackend("webgpu");
manualSeed(0);
const [X, y] = data.xor();
const model = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1), new nn.Sigmoid());
const opt = new optim.SGD(model.parameters(), { lr: 0.5, momentum: 0.9 });
let loss = 0;
for (let i = 0; i < 300; i++) loss = tidy(() => { opt.zeroGrad(); const l = new nn.BCELoss()(model(X), y); l.backward(); opt.step(); return i % 100 === 99 ? l.item() : loss; });
console.log(getBackend(), model.parameters()[0].device);
loss < 0.1`);
    expect(stdout(train)).toContain("webgpu webgpu");
    expect(result(train)).toBe("true");
    const show = await k.client.execute("model(X).gt(0.5).int().reshape([4])");
    expect(String(result(show))).toMatch(/tensor\(\[0, 1, 1, 0\], dtype=int32\)/);
    const reply = await k.client.request("shutdown_request", { restart: false }, "control");
    expect(reply.reply.content).toMatchObject({ status: "ok" });
    await new Promise((r) => k.process.once("exit", r));
    expect(k.process.exitCode).toBe(0);
    await k.shutdown();
  }, 120_000);
});
