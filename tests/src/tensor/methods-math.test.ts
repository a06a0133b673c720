/**
 * Keyword options on the elementwise Tensor methods PyTorch code calls with keywords:
 * `x.clamp(min=0)` → `x.clamp({ min: 0 })`, `x.add(y, alpha=2)` → `x.add(y, { alpha: 2 })`.
 */
import { describe, expect, it } from "vitest";
import { tensor } from "../../../src/index.js";

const x = tensor([-2, 0.5, 3]);

describe("keyword options on elementwise methods", () => {
  it("clamp and clip take { min, max }", () => {
    expect(x.clamp({ min: 0 }).toArray()).toEqual([0, 0.5, 3]);
    expect(x.clip({ max: 1 }).toArray()).toEqual([-2, 0.5, 1]);
    expect(x.clamp({ min: -1, max: 1 }).toArray()).toEqual([-1, 0.5, 1]);
    expect(x.clamp(0, 1).toArray()).toEqual([0, 0.5, 1]);
  });
  it("add and sub take { alpha }", () => {
    expect(x.add(tensor([1, 1, 1]), { alpha: 2 }).toArray()).toEqual([0, 2.5, 5]);
    expect(x.sub(1, { alpha: 3 }).toArray()).toEqual([-5, -2.5, 0]);
    expect(x.add(1, 2).toArray()).toEqual([0, 2.5, 5]);
  });
  it("names unknown options", () => {
    expect(() => x.clamp({ minimum: 0 } as never)).toThrow('clamp: unknown option "minimum"; accepted: min, max');
    expect(() => x.clamp({ min: 0 } as never, 1 as never)).toThrow("clamp: give min and max either positionally or as { min, max }, not both");
    expect(() => x.add(1, { scale: 2 } as never)).toThrow('add: unknown option "scale"; accepted: alpha');
  });
});
