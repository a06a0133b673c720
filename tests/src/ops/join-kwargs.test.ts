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
