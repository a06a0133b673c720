/**
 * The assignment format: test headers, solution regions and stubs, the release notebook and the
 * autograder spec built from a solution, and the authoring mistakes each named with its cell.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildAssignment, DEFAULT_STUB, parseTestHeader, stripSolutions, type Notebook } from "../../kernel/grade/format.js";

const nb = (cells: { id?: string; type?: string; src: string }[]): Notebook => ({
  cells: cells.map((c) => ({ id: c.id, cell_type: c.type ?? "code", metadata: {}, source: c.src, outputs: [], execution_count: 3 })),
  metadata: {}, nbformat: 4, nbformat_minor: 5,
});

describe("test headers", () => {
  it("reads name, points, visibility and timeout", () => {
    expect(parseTestHeader("// @test sigmoid_values 2 points\nexpect(1).toBe(1)")).toEqual({ name: "sigmoid_values", points: 2, visibility: "visible", timeout: null });
    expect(parseTestHeader("\n  // @test xor 3.5 pts hidden timeout 60s")).toEqual({ name: "xor", points: 3.5, visibility: "hidden", timeout: 60 });
    expect(parseTestHeader("// @test a 1 point timeout=5")?.timeout).toBe(5);
    expect(parseTestHeader("const x = 1; // @testing")).toBeUndefined();
  });

  it("names what is wrong and shows the form", () => {
    expect(() => parseTestHeader("// @test 2 points", "cell 4")).toThrow(/cell 4: the test needs a name.*\/\/ @test NAME POINTS points/);
    expect(() => parseTestHeader("// @test t two points", "cell 4")).toThrow(/test t needs its points as a number/);
    expect(() => parseTestHeader("// @test t 1 point secret", "cell 4")).toThrow(/unknown word "secret"/);
    expect(() => parseTestHeader("// @test t 1 point timeout -3", "cell 4")).toThrow(/timeout needs a positive number of seconds/);
    expect(() => parseTestHeader("const a = 1;\n// @test t 1 point", "cell 4")).toThrow(/must be the first line of a test cell \(found on line 2\)/);
  });
});

describe("solution regions", () => {
  it("replaces a region by its STUB lines, indented as the BEGIN line, or by a throwing line", () => {
    const src = "function f(x) {\n  // BEGIN SOLUTION\n  // STUB: return 0; // your code\n  return x * 2;\n  // END SOLUTION\n}";
    expect(stripSolutions(src, "code", "c").text).toBe("function f(x) {\n  return 0; // your code\n}");
    expect(stripSolutions("// BEGIN SOLUTION\nconst a = 1;\n// END SOLUTION\nlog(a)", "code", "c")).toEqual({ text: `${DEFAULT_STUB}\nlog(a)`, regions: 1 });
    expect(stripSolutions("Answer:\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->", "markdown", "c").text).toBe("Answer:\n_Write your answer here._");
  });

  it("refuses unbalanced markers, naming the line", () => {
    expect(() => stripSolutions("// BEGIN SOLUTION\nx", "code", "cell 2")).toThrow("cell 2: BEGIN SOLUTION on line 1 has no END SOLUTION");
    expect(() => stripSolutions("x\n// END SOLUTION", "code", "cell 2")).toThrow("cell 2: END SOLUTION on line 2 without a BEGIN SOLUTION");
    expect(() => stripSolutions("// BEGIN SOLUTION\n// BEGIN SOLUTION", "code", "cell 2")).toThrow(/line 2 inside the solution opened on line 1/);
  });
});

describe("buildAssignment", () => {
  it("keeps public tests and cell ids, drops hidden tests and solutions, anchors tests to the cell before", () => {
    const { release, spec } = buildAssignment(nb([
      { id: "intro", type: "markdown", src: "# HW" },
      { id: "f", src: "function f() {\n  // BEGIN SOLUTION\n  return 42;\n  // END SOLUTION\n}" },
      { id: "t1", src: "// @test f_public 1 point\nexpect(await student.call(\"f\")).toBe(42);" },
      { id: "t2", src: "// @test f_hidden 2 points hidden\nexpect(await student.call(\"f\")).toBe(42); // secret-marker" },
      { id: "g", src: "const g = 1;" },
    ]), "hw");
    expect(release.cells.map((c) => c.id)).toEqual(["intro", "f", "t1", "g"]);
    const text = JSON.stringify(release);
    expect(text).not.toContain("return 42");
    expect(text).not.toContain("secret-marker");
    expect(release.cells[1].source).toEqual(["function f() {\n", `  ${DEFAULT_STUB}\n`, "}"]);
    expect(release.cells.every((c) => c.cell_type !== "code" || (c.execution_count === null && c.outputs!.length === 0))).toBe(true);
    expect(spec.cells).toEqual(["f", "g"]);
    expect(spec.total).toBe(3);
    expect(spec.tests.map((t) => [t.name, t.anchor, t.visibility, t.cellId])).toEqual([["f_public", "f", "visible", "t1"], ["f_hidden", "f", "hidden", "t2"]]);
  });

  it("gives cells without ids fresh unique ids, the same in release and spec", () => {
    const { release, spec, solution } = buildAssignment(nb([{ src: "let a = 1" }, { id: "dup", src: "let b = 2" }, { id: "dup", src: "// @test t 1 point\n" }]), "hw");
    const ids = release.cells.map((c) => c.id!);
    expect(new Set(ids).size).toBe(3);
    expect(spec.cells).toEqual(ids.slice(0, 2));
    expect(solution.cells.map((c) => c.id)).toEqual(ids);
    expect(spec.tests[0].anchor).toBe(ids[1]);
  });

  it("refuses a notebook without tests, duplicate test names and solutions inside tests", () => {
    expect(() => buildAssignment(nb([{ src: "let a = 1" }]), "hw")).toThrow(/no test cells; start a code cell with a line like {2}\/\/ @test/);
    expect(() => buildAssignment(nb([{ id: "a", src: "// @test t 1 point" }, { id: "b", src: "// @test t 1 point" }]), "hw")).toThrow(/cell 2 \(id b\): a second test named t/);
    expect(() => buildAssignment(nb([{ id: "a", src: "// @test t 1 point\n// BEGIN SOLUTION\n// END SOLUTION" }]), "hw")).toThrow(/contains a solution region/);
  });

  it("splits the example assignment: 5 tests, 10 points, 3 hidden", () => {
    const solution = JSON.parse(readFileSync(new URL("../../examples/grading/hw1-solution.ipynb", import.meta.url), "utf8")) as Notebook;
    const { release, spec } = buildAssignment(solution, "hw1");
    expect(spec.total).toBe(10);
    expect(spec.tests.filter((t) => t.visibility === "hidden").map((t) => t.name)).toEqual(["sigmoid_hidden", "forward_hidden", "xor_learned"]);
    expect(JSON.stringify(release)).not.toMatch(/Math\.exp\(x\) \/ \(1 \+ Math\.exp\(x\)\)|\.relu\(\)\.matmul|momentum|-800/);
  });
});
