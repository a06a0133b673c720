// grad_fn names of the composite activations, as PyTorch 2.13 prints them
// (F.selu → EluBackward0, F.relu6 → HardtanhBackward0, F.softsign stays DivBackward0).
import { describe, expect, it } from "vitest";
import { functional as F, tensor } from "../../../src/index.js";

describe("composite activations name their grad_fn as PyTorch", () => {
  it("selu, hardtanh, relu6, silu, gelu (both), softplus (both), logSigmoid", () => {
    const x = tensor([-1.5, 0.25, 2], { requiresGrad: true });
    const names = [
      F.selu(x), F.hardtanh(x), F.relu6(x), F.silu(x), F.gelu(x), F.gelu(x, "tanh"),
      F.softplus(x, 2), F.softplus(x), F.logSigmoid(x), F.softsign(x), F.elu(x),
    ].map((y) => y.gradFn?.name);
    expect(names).toEqual([
      "EluBackward0", "HardtanhBackward0", "HardtanhBackward0", "SiluBackward0", "GeluBackward0", "GeluBackward0",
      "SoftplusBackward0", "SoftplusBackward0", "LogSigmoidBackward0", "DivBackward0", "EluBackward0",
    ]);
  });
});
