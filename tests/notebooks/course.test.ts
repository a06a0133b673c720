/**
 * The course: every lecture notebook's percent source and .ipynb are in sync, each has the prose
 * and the exercises a lecture needs, and `gradnote assign` on it passes its check — the solution
 * runs with no failing cell (every worked number and claim is an `expect` in a cell) and scores
 * full marks, and the student release scores nothing on the hidden tests. docs/course.md points
 * at cells that exist. (Type-checking the cells is `tsc -p notebooks` in npm test's typecheck.)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseTestHeader } from "../../kernel/grade/format.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = join(root, "notebooks");
const sources = readdirSync(dir).filter((f) => /^\d\d-.*\.ts$/.test(f)).sort();
const lectures = sources.filter((f) => !f.startsWith("00-"));
const out = mkdtempSync(join(tmpdir(), "gradnote-course-"));

interface Cell {
  id: string;
  cell_type: string;
  source: string[];
}
const cellsOf = (ts: string): Cell[] => JSON.parse(readFileSync(join(dir, ts.replace(/\.ts$/, ".ipynb")), "utf8")).cells;
const text = (c: Cell) => c.source.join("");

/** Words of explanation: markdown without math, code spans or link targets. */
function words(cells: Cell[]): number {
  const prose = cells.filter((c) => c.cell_type === "markdown").map(text).join("\n")
    .replace(/\$\$[\s\S]*?\$\$/g, " ").replace(/\$[^$\n]*\$/g, " ").replace(/`[^`]*`/g, " ").replace(/\]\([^)]*\)/g, "] ");
  return (prose.match(/[A-Za-z][A-Za-z'’-]*/g) ?? []).length;
}

describe("the course notebooks", () => {
  it("has a lecture for each of the thirteen topics, each paired with its .ipynb", () => {
    expect(lectures.length).toBeGreaterThanOrEqual(13);
    const r = spawnSync(process.execPath, [join(root, "scripts/notebooks.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stderr + r.stdout).toBe("");
    expect(r.status).toBe(0);
    const ipynbs = readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();
    expect(ipynbs).toEqual(sources.map((s) => s.replace(/\.ts$/, ".ipynb")));
  });

  for (const ts of lectures) {
    it(`${ts}: at least 600 words of explanation and 3 exercises with hidden tests`, () => {
      const cells = cellsOf(ts);
      expect(words(cells)).toBeGreaterThanOrEqual(600);
      const tests = cells.filter((c) => c.cell_type === "code").map((c) => parseTestHeader(text(c), `${ts} cell ${c.id}`)).filter((h) => h !== undefined);
      expect(tests.filter((t) => t!.visibility === "hidden").length).toBeGreaterThanOrEqual(3);
      expect(cells.some((c) => /\$\$?[^$]+\$/.test(text(c)) && c.cell_type === "markdown")).toBe(true);
    });

    it(`${ts}: gradnote assign makes the release; the solution scores full marks, the release 0 on hidden tests`, () => {
      const name = ts.replace(/\.ts$/, "");
      const r = spawnSync(process.execPath, [join(root, "bin/gradnote.mjs"), "assign", join(dir, `${name}.ipynb`), "--release", join(out, name, "release"), "--autograder", join(out, name, "autograder")], { encoding: "utf8", timeout: 400_000 });
      const said = r.stdout + r.stderr;
      expect(said).toMatch(/Check passed: the solution scores (\d+(\.\d+)?)\/\1 \(ran in [\d.]+ s\); the release scores 0 on the hidden tests/);
      expect(r.status).toBe(0);
      console.log(`${name}: ${/ran in ([\d.]+ s)/.exec(said)?.[1]}`);
      const release = readFileSync(join(out, name, "release", `${name}.ipynb`), "utf8");
      expect(release).not.toContain("BEGIN SOLUTION");
    }, 420_000);
  }

  it("00-welcome runs with every cell ok", () => {
    const welcome = sources.find((s) => s.startsWith("00-"));
    if (!welcome) return;
    const target = join(out, "welcome.ipynb");
    const r = spawnSync(process.execPath, [join(root, "bin/gradnote.mjs"), "run", join(dir, welcome.replace(/\.ts$/, ".ipynb")), "--output", target], { encoding: "utf8", timeout: 300_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 320_000);
});

describe("docs/course.md", () => {
  const doc = readFileSync(join(root, "docs/course.md"), "utf8");
  const rows = [...doc.matchAll(/^\| (D\d) \| ([^|]+) \| \[([^\]]+)\]\(([^)]+)\) \| ([^|]+) \|$/gm)];

  it("maps deck sections to cells that exist, and every lecture teaches some", () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const [, , section, , link, cell] of rows) {
      const file = join(root, "docs", link);
      expect({ section, file: existsSync(file) }).toEqual({ section, file: true });
      const ids = (JSON.parse(readFileSync(file, "utf8")).cells as Cell[]).map((c) => c.id);
      expect({ section, cell: ids.includes(cell.trim()) }).toEqual({ section, cell: true });
    }
    for (const ts of lectures) expect({ ts, taught: rows.some((r) => r[4].endsWith(ts.replace(/\.ts$/, ".ipynb"))) }).toEqual({ ts, taught: true });
  });
});
