// x.cpu() and x.cuda() as PyTorch's.
import { describe, expect, it } from "vitest";
import { tensor } from "../../../src/index.js";

describe("PyTorch-port tensor methods", () => {
  it("cpu() is a no-op on the cpu", () => {
    const x = tensor([1, 2]);
    expect(x.cpu()).toBe(x);
    expect(typeof x.cuda).toBe("function");
  });
});

describe("Module.cpu() / Module.cuda()", () => {
  it("cpu() keeps a cpu model and returns it", async () => {
    const { nn } = await import("../../../src/index.js");
    const m = new nn.Linear(2, 3);
    expect(m.cpu()).toBe(m);
    expect(m.weight.device).toBe("cpu");
    expect(typeof m.cuda).toBe("function");
  });
});
