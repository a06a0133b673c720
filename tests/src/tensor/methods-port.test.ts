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
