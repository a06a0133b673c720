/**
 * checkOptions: the shared keyword-options checker (unknown keys name themselves and the
 * accepted ones; misspellings that differ only in case or underscores get a hint).
 */
import { describe, expect, it } from "vitest";
import { checkOptions, isOptionsObject } from "../../../src/ops/options.js";

interface SumOptions { dim?: number; keepdim?: boolean; dtype?: string }
const keys = ["dim", "keepdim", "dtype"] as const;

describe("checkOptions", () => {
  it("returns the options object when every key is accepted", () => {
    const o = { dim: 1, keepdim: true };
    expect(checkOptions<SumOptions>("sum", o, keys)).toBe(o);
  });
  it("returns an empty object for undefined", () => {
    expect(checkOptions<SumOptions>("sum", undefined, keys)).toEqual({});
  });
  it("names an unknown key and the accepted ones, with a hint for a case slip", () => {
    expect(() => checkOptions<SumOptions>("sum", { keepDim: true } as SumOptions, keys))
      .toThrow('sum: unknown option "keepDim"; accepted: dim, keepdim, dtype (did you mean "keepdim"?)');
  });
  it("gives no hint for an unrelated key", () => {
    expect(() => checkOptions<SumOptions>("sum", { axis: 1 } as SumOptions, keys))
      .toThrow(/^sum: unknown option "axis"; accepted: dim, keepdim, dtype$/);
  });
  it("maps snake_case to the camelCase name in the hint", () => {
    expect(() => checkOptions<{ inFeatures?: number }>("Linear", { in_features: 2 } as never, ["inFeatures"]))
      .toThrow('did you mean "inFeatures"?');
  });
  it("refuses something that is not a plain object", () => {
    expect(() => checkOptions<SumOptions>("sum", [1] as never, keys)).toThrow("sum: expected an options object { dim, keepdim, dtype }, got an array");
    expect(() => checkOptions<SumOptions>("sum", 3 as never, keys)).toThrow("got number");
  });
  it("isOptionsObject accepts plain objects only", () => {
    expect(isOptionsObject({})).toBe(true);
    expect(isOptionsObject(Object.create(null))).toBe(true);
    expect(isOptionsObject([])).toBe(false);
    expect(isOptionsObject(new Map())).toBe(false);
    expect(isOptionsObject(null)).toBe(false);
  });
});
