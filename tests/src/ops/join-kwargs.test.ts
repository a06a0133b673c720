// cat/stack/split/chunk/unbind take PyTorch's `dim=` keyword as `{ dim }`; a misspelt key is
// named (before, `cat(ts, { dim: 1 })` failed with "dim [object Object] out of range").
import { describe, expect, it } from "vitest";
import { cat, chunk, ones, split, stack, unbind, zeros } from "../../../src/index.js";

describe("join and split keyword dims", () => {
  it("accept { dim } like a positional dim", () => {
    const a = ones(2, 3), b = zeros(2, 3);
    expect(cat([a, b], { dim: 1 }).shape).toEqual([2, 6]); // torch.cat([a, b], dim=1)
    expect(stack([a, b], { dim: -1 }).shape).toEqual([2, 3, 2]);
    expect(split(a, 1, { dim: 1 }).map((t) => t.shape)).toEqual([[2, 1], [2, 1], [2, 1]]);
    expect(chunk(a, 2, { dim: 0 }).length).toBe(2);
    expect(unbind(a, { dim: 1 }).length).toBe(3);
    expect(cat([a, b], {}).shape).toEqual([4, 3]);
  });

  it("name a wrong key or type", () => {
    expect(() => cat([ones(2)], { axis: 0 } as never)).toThrow(/cat: unknown option "axis"; accepted: dim/);
    expect(() => stack([ones(2)], "1" as never)).toThrow(/stack: dim must be a number or \{ dim \}, got string/);
  });
});

describe("where with two scalars", () => {
  it("promotes as PyTorch: ints → int64, a float → float32, bools → bool", async () => {
    const { tensor, where, float32 } = await import("../../../src/index.js");
    const a = tensor([1, -1], { dtype: float32 });
    // torch: tensor([1, 0]) int64; tensor([1.5000, 0.0000]); tensor([True, False]); tensor([1., 0.])
    expect(where(a.gt(0), 1, 0).dtype).toBe("int64");
    expect(where(a.gt(0), 1, 0).tolist()).toEqual([1, 0]);
    expect(where(a.gt(0), 1.5, 0).dtype).toBe("float32");
    expect(where(a.gt(0), true as never, false as never).dtype).toBe("bool");
    expect(where(a.gt(0), a, 0).tolist()).toEqual([1, 0]);
  });
});
