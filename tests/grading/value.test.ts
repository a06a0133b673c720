/**
 * Values crossing from a student's kernel to the grader (encode there, decode here), the
 * assertions tests use on them, and the gradebook files (Gradescope fields, CSV read back).
 */
import { describe, expect, it } from "vitest";
import { AssertionError, expect as gexpect } from "../../kernel/grade/expect.js";
import { csvField, gradescopeResults, gradesCsv, parseCsv } from "../../kernel/grade/gradebook.js";
import { decodeValue, encodeValue, ErrorValue, Opaque } from "../../kernel/grade/value.js";
import { studentNames } from "../../kernel/grade/batch.js";
import { argumentSource } from "../../kernel/grade/student-api.js";
import { fromArray, tensor } from "../../src/index.js";

const trip = (v: unknown) => decodeValue(JSON.parse(JSON.stringify(encodeValue(v))));

describe("values crossing as data", () => {
  it("keeps numbers JSON cannot hold, and nested structure", () => {
    const back = trip({ a: [NaN, Infinity, -Infinity, -0, 1.5], b: "x", c: null, d: undefined, e: true, f: 12n }) as Record<string, unknown>;
    expect(back.a).toEqual([NaN, Infinity, -Infinity, -0, 1.5]);
    expect(Object.is((back.a as number[])[3], -0)).toBe(true);
    expect(back).toMatchObject({ b: "x", c: null, e: true, f: 12n });
    expect("d" in back && back.d === undefined).toBe(true);
  });

  it("sends tensors as dtype, shape and elements; Maps, Sets and typed arrays as themselves", () => {
    const t = tensor([[1, 2], [3, 4.5]]);
    const back = trip(new Map<string, unknown>([["w", t], ["s", new Set([1, 2])], ["f", new Float32Array([0.5, NaN])]])) as Map<string, unknown>;
    expect(back.get("w")).toEqual({ dtype: "float32", shape: [2, 2], data: Float64Array.from([1, 2, 3, 4.5]) });
    expect(back.get("s")).toEqual(new Set([1, 2]));
    expect(Array.from(back.get("f") as Float64Array)).toEqual([0.5, NaN]);
    const made = decodeValue(encodeValue(t), (d) => fromArray(d.data, d.shape, { dtype: d.dtype as "float32" })) as ReturnType<typeof tensor>;
    expect(made.toArray()).toEqual([[1, 2], [3, 4.5]]);
  });

  it("names what cannot cross: functions, symbols, errors, cycles", () => {
    expect(trip(function sigmoid() {})).toEqual(new Opaque("function", "sigmoid"));
    expect(trip(new RangeError("bad"))).toEqual(new ErrorValue("RangeError", "bad"));
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => encodeValue(cyc)).toThrow(/cycle/);
    expect(() => encodeValue(new Float64Array(10), { left: 5 })).toThrow(/too large to send/);
  });

  it("refuses to send a function as an argument (it would arrive inert)", () => {
    expect(() => argumentSource({ f: () => 1 }, 1)).toThrow(/student.call: argument 2 holds a function or symbol; only data crosses/);
    expect(argumentSource([1, 2])).toBe('(await globalThis[Symbol.for("gradnote.grade.arg")]([1,2]))');
  });

  it("rejects forged payloads instead of trusting them", () => {
    expect(() => decodeValue({ $tensor: { dtype: "float32", shape: [2], data: [1] } })).toThrow(/shape and element count disagree/);
    expect(() => decodeValue({ $tensor: { dtype: "float32", shape: [-1], data: [] } })).toThrow(/malformed tensor shape/);
    expect(() => decodeValue({ $evil: 1 })).toThrow(/unknown tag "\$evil"/);
    const o = decodeValue({ $object: JSON.parse('{"__proto__": {"$object": {"polluted": 1}}}') }) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(["__proto__"]);
  });
});

describe("expect in tests", () => {
  it("compares numbers, nested arrays and tensors within tolerance, shapes exactly", () => {
    gexpect(0.5000001).toBeCloseTo(0.5);
    gexpect(tensor([[0.6], [2.4]])).toBeCloseTo([[0.6], [2.4]]);
    gexpect(tensor([0.5])).toBeCloseTo(0.5);
    expect(() => gexpect(tensor([[0.6], [2.5]])).toBeCloseTo([[0.6], [2.4]])).toThrow(/element 1: expected 2.4 ± .*, got 2.5/);
    expect(() => gexpect([1, 2, 3]).toBeCloseTo([[1, 2, 3]])).toThrow(/expected shape \[1, 3\], got shape \[3\]/);
    expect(() => gexpect(NaN).toBeCloseTo(0.5)).toThrow(AssertionError);
    expect(() => gexpect("0.5").toBeCloseTo(0.5)).toThrow(/expected numbers close to 0.5, got "0.5"/);
  });

  it("toEqual, toHaveShape, comparisons and not", () => {
    gexpect([0, 1, 1, 0]).toEqual([0, 1, 1, 0]);
    gexpect({ a: [1, { b: 2 }] }).toEqual({ a: [1, { b: 2 }] });
    gexpect(tensor([1, 2])).toHaveShape([2]);
    gexpect(3).not.toBe(4);
    expect(() => gexpect([0, 0, 0, 0]).toEqual([0, 1, 1, 0])).toThrow("expected [0, 1, 1, 0], got [0, 0, 0, 0]");
    expect(() => gexpect(0.4).toBeGreaterThan(0.9)).toThrow("expected a number > 0.9, got 0.4");
    expect(() => gexpect(1).not.toEqual(1)).toThrow(/expected NOT/);
    expect(() => gexpect(Promise.resolve(0.5))).toThrow("expect() got a Promise: student.call/eval answer asynchronously, so write expect(await student.call(...))");
  });
});

describe("gradebook files", () => {
  const result = {
    student: "ada", notebook: "ada.ipynb", score: 2, maxScore: 4, status: "incomplete" as const, problems: ["test h: Timeout (x)"], structure: "structure changed: 1 cell added",
    tests: [
      { name: "p", points: 2, score: 2, status: "passed" as const, message: "passed", output: "printed", visibility: "visible" as const, seconds: 0.1 },
      { name: "h", points: 2, score: 0, status: "failed" as const, cause: "Timeout" as const, message: "expected 0.731 (secret)", output: "", visibility: "hidden" as const, seconds: 5 },
    ],
    cells: [], seconds: 6.2, kernelStarts: 1, executed: null,
  };

  it("results.json has Gradescope's fields and never a hidden test's message", () => {
    const r = gradescopeResults(result) as { score: number; execution_time: number; tests: Record<string, unknown>[] };
    expect(r.score).toBe(2);
    expect(r.execution_time).toBe(6);
    for (const t of r.tests) expect(Object.keys(t).sort()).toEqual(["max_score", "name", "number", "output", "score", "status", "visibility"]);
    expect(r.tests[1]).toMatchObject({ name: "h", score: 0, max_score: 2, status: "failed", visibility: "after_published", output: "Hidden test: failed (Timeout)" });
    expect(JSON.stringify(r)).not.toContain("secret");
  });

  it("grades.csv quotes what needs quoting and reads back", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("=cmd()")).toBe('"=cmd()"');
    const csv = gradesCsv([{ ...result, sha256: "x" }, { ...result, student: "bo, jr", score: 4, sha256: "y" }], ["p", "h"]);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ student: "ada", p: "2", h: "0", total: "2", max: "4", status: "incomplete" });
    expect(rows[1].student).toBe("bo, jr");
    expect(rows[0].problems).toBe("structure changed: 1 cell added; test h: Timeout (x)");
  });
});

describe("student names", () => {
  it("file names, folder names for per-student folders, and collisions refused", () => {
    const names = (paths: string[], args: string[]) => [...studentNames(paths, args).values()];
    expect(names(["/c/subs/ada.ipynb", "/c/subs/bo.ipynb"], ["/c/subs"])).toEqual(["ada", "bo"]);
    expect(names(["/c/subs/ada/hw1.ipynb", "/c/subs/bo/homework1.ipynb"], ["/c/subs"])).toEqual(["ada", "bo"]);
    expect(names(["/c/subs/ada/hw1.ipynb", "/c/subs/ada/hw1-v2.ipynb"], ["/c/subs"])).toEqual(["ada-hw1", "ada-hw1-v2"]);
    expect(names(["/x/ada/hw1.ipynb", "/y/bo/hw1.ipynb"], ["/x/ada/hw1.ipynb", "/y/bo/hw1.ipynb"])).toEqual(["ada", "bo"]);
    expect(() => studentNames(["/x/a/hw.ipynb", "/y/a/hw.ipynb"], [])).toThrow(/would both be graded as a/);
  });
});
