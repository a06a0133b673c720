// torch.equal / torch.allclose (and the Tensor methods) answer a boolean as PyTorch's do;
// mean records one MeanBackward0/1 node, as PyTorch names it. Reference: torch 1.13.
import { describe, expect, it } from "vitest";
import { allclose, equal, tensor, float32 } from "../../../src/index.js";

describe("equal and allclose", () => {
  it("equal needs the same shape and elements", () => {
    const a = tensor([[1, 2], [3, 4]], { dtype: float32 });
    expect(equal(a, a.clone())).toBe(true);
    expect(a.equal(a.add(1))).toBe(false);
    expect(equal(a, a.reshape(4))).toBe(false); // torch.equal: False for other shapes
  });

  it("allclose uses |a-b| <= atol + rtol|b| and NaN only with equalNan", () => {
    const a = tensor([1, 2, NaN], { dtype: float32 });
    expect(allclose(a, a)).toBe(false); // torch.allclose(a, a) → False (NaN)
    expect(allclose(a, a, { equalNan: true })).toBe(true);
    const b = tensor([1e10, 1e-8], { dtype: float32 });
    // torch.allclose(tensor([1e10, 1e-8]), tensor([1.00001e10, 1e-9])) → False; with rtol/atol
    expect(b.allclose(tensor([1.00001e10, 1e-9], { dtype: float32 }))).toBe(false);
    expect(b.allclose(tensor([1.00001e10, 1e-9], { dtype: float32 }), { rtol: 1e-4, atol: 1e-8 })).toBe(true);
    expect(() => allclose(b, b, { tol: 1 } as never)).toThrow(/allclose: unknown option "tol"/);
  });

  it("mean's grad_fn is MeanBackward0 (MeanBackward1 over a dim) and its gradient is 1/n", () => {
    const x = tensor([[1, 2], [3, 5]], { dtype: float32, requiresGrad: true });
    expect(x.mean().gradFn!.name).toBe("MeanBackward0");
    const m = x.mean(1);
    expect(m.gradFn!.name).toBe("MeanBackward1");
    m.sum().backward();
    expect(x.grad!.toArray()).toEqual([[0.5, 0.5], [0.5, 0.5]]);
  });
});
