/**
 * int64 on the webgpu backend: stored in i32 words, values beyond ±2^31 refused on write
 * (never wrapped), class indices from integer lists work with crossEntropy and argmax.
 */
import { expect, it } from "vitest";
import { nn, setBackend, tensor } from "../../../../src/index.js";
import { describeGpu } from "./gpu-env.js";

describeGpu("webgpu int64", () => {
  it("holds integer lists as int64 and computes with them", () => {
    setBackend("webgpu");
    try {
      const t = tensor([1, 2, 3]);
      expect([t.device, t.dtype]).toEqual(["webgpu", "int64"]);
      expect(t.add(1).toArray()).toEqual([2, 3, 4]);
      expect(t.mul(0.5).toArray()).toEqual([0.5, 1, 1.5]);
      const logits = tensor([[1, 2, 3.5], [0.5, 0.1, 0.2]]);
      const loss = nn.functional.crossEntropy(logits, tensor([2, 0]));
      expect(loss.item()).toBeCloseTo(0.573233, 4); // PyTorch 1.13
      expect(logits.argmax(1).toArray()).toEqual([2, 0]);
      expect(() => tensor([3e9])).toThrow("webgpu: int64 value 3000000000 does not fit the 32-bit words the webgpu backend stores int64 in");
    } finally {
      setBackend("cpu");
    }
  });
});

describeGpu("webgpu int64 overflow", () => {
  it("int64 arithmetic past 2^31 is refused by name, never wrapped", () => {
    setBackend("webgpu");
    try {
      const a = tensor([2 ** 20, 3]);
      expect(a.mul(tensor([2, 2])).toArray()).toEqual([2 ** 21, 6]);
      expect(() => a.mul(a).toArray()).toThrow("does not fit the 32-bit words the webgpu backend stores int64 in");
      expect(() => a.add(2 ** 31 - 1).toArray()).toThrow("does not fit the 32-bit words");
    } finally {
      setBackend("cpu");
    }
  });
});
