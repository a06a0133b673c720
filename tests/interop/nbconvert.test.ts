/**
 * Acceptance: `jupyter nbconvert --to notebook --execute` runs a notebook on the gradnote
 * kernelspec (through nbclient) and the executed notebook holds the expected outputs.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installTempKernelspec, JUPYTER } from "./kernelspec-env.js";

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  execution_count?: number;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
}

const join2 = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : (t ?? ""));

const code = (source: string): Cell => ({ cell_type: "code", source, outputs: [], execution_count: null, metadata: {} } as Cell);

describe("nbconvert --execute", () => {
  const spec = installTempKernelspec();
  afterAll(() => spec.cleanup());

  it("executes a notebook on the gradnote kernel with state, streams, results and displays", () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "gradnote", display_name: "TypeScript (gradnote)", language: "typescript" } },
      cells: [
        { cell_type: "markdown", source: "# interop", metadata: {} },
        code("const xs: number[] = [1, 2, 3];\nlet total = 0;"),
        code("for (const x of xs) total += x;\nconsole.log(`total=${total}`);"),
        code("total * 10"),
        code('display.html("<b>bold</b>");\nconsole.error("warned");'),
        code("interface P { x: number }\nconst p: P = { x: total };\np"),
        code('await new Promise((r) => setTimeout(r, 20));\n"after await"'),
      ],
    };
    for (const [i, c] of nb.cells.entries()) (c as Record<string, unknown>).id = `cell-${i}`;
    const input = join(spec.dir, "in.ipynb");
    writeFileSync(input, JSON.stringify(nb));
    execFileSync(
      JUPYTER,
      ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=gradnote", "--ExecutePreprocessor.timeout=60", "--output", "out.ipynb", input],
      { env: spec.env, cwd: spec.dir, stdio: "pipe", timeout: 120_000 },
    );
    const out = JSON.parse(readFileSync(join(spec.dir, "out.ipynb"), "utf8")) as { cells: Cell[] };
    const cells = out.cells.filter((c) => c.cell_type === "code");
    expect(cells.map((c) => c.execution_count)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of cells) expect(c.outputs!.filter((o) => o.output_type === "error")).toEqual([]);

    expect(cells[0].outputs).toEqual([]);
    expect(cells[1].outputs).toEqual([{ output_type: "stream", name: "stdout", text: expect.anything() }]);
    expect(join2(cells[1].outputs![0].text)).toBe("total=6\n");

    expect(cells[2].outputs).toHaveLength(1);
    expect(cells[2].outputs![0]).toMatchObject({ output_type: "execute_result", execution_count: 3 });
    expect(join2(cells[2].outputs![0].data!["text/plain"])).toBe("60");

    const displays = cells[3].outputs!.filter((o) => o.output_type === "display_data");
    expect(displays).toHaveLength(1);
    expect(join2(displays[0].data!["text/html"])).toBe("<b>bold</b>");
    const stderr = cells[3].outputs!.filter((o) => o.output_type === "stream" && o.name === "stderr");
    expect(stderr.map((o) => join2(o.text)).join("")).toBe("warned\n");
    expect(cells[3].outputs!.some((o) => o.output_type === "execute_result")).toBe(false);

    expect(join2(cells[4].outputs![0].data!["text/plain"])).toBe("{ x: 6 }");
    expect(join2(cells[5].outputs![0].data!["text/plain"])).toBe("'after await'");
  }, 150_000);
});
