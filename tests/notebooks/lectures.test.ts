// Every lecture notebook runs end to end through the real kernel (`gradnote run`), as a student
// or a grader would run it, with no failing cell.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const notebooks = readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
const out = mkdtempSync(join(tmpdir(), "gradnote-lectures-"));

describe("lecture notebooks", () => {
  it("there are lecture notebooks", () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(5);
  });

  for (const nb of notebooks) {
    it(`${nb} runs with every code cell ok`, () => {
      const target = join(out, nb);
      const r = spawnSync(process.execPath, [join(root, "bin", "gradnote.mjs"), "run", join(root, "notebooks", nb), "--output", target, "--timeout", "300"], { encoding: "utf8", timeout: 400_000 });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const executed = JSON.parse(readFileSync(target, "utf8"));
      const code = executed.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
      expect(code.every((c: { execution_count: number | null }) => typeof c.execution_count === "number")).toBe(true);
      const errors = code.flatMap((c: { outputs: { output_type: string }[] }) => c.outputs.filter((o) => o.output_type === "error"));
      expect(errors).toEqual([]);
    }, 420_000);
  }
});
