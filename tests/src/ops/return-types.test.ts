/**
 * ValuesIndices, PyTorch's (values, indices) named tuple: destructuring, iteration, repr, and
 * refusing to turn silently into a number.
 */
import { describe, expect, it } from "vitest";
import { tensor, ValuesIndices } from "../../../src/index.js";
import { inspectCustom, jupyterDisplay } from "../../../src/tensor/tensor.js";

describe("ValuesIndices", () => {
  const r = new ValuesIndices("max", tensor([3.5, 2]), tensor([1, 0]));
  it("iterates as [values, indices]", () => {
    expect([...r].map((t) => t.toArray())).toEqual([[3.5, 2], [1, 0]]);
  });
  it("prints both parts with the op name", () => {
    expect(String(r)).toBe(`return_types.max(\nvalues=${r.values.toString()},\nindices=${r.indices.toString()})`);
    expect(r[inspectCustom]()).toBe(r.toString());
    expect(r[jupyterDisplay]()["text/plain"]).toBe(r.toString());
  });
  it("throws instead of becoming NaN in arithmetic", () => {
    expect(() => (r as unknown as number) * 2).toThrow("max: a (values, indices) result is not a number; write `const [values, indices] = …` or use .values");
  });
});
