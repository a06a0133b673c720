/**
 * `gradnote assign solution.ipynb --release DIR --autograder DIR`: writes the student's notebook
 * (solutions replaced by stubs, hidden tests removed, cell ids kept) and the autograder bundle,
 * then grades both as a class would be graded: the solution must score full marks and the
 * release nothing on the hidden tests, or the command fails naming the tests.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gradeClass } from "./batch.js";
import { buildAssignment, type Notebook } from "./format.js";

export interface AssignOptions {
  release: string;
  autograder: string;
  /** Sandbox limits for the check runs, or null. */
  sandbox: Parameters<typeof gradeClass>[1]["sandbox"];
  /** Skip grading the solution and the release. */
  noCheck?: boolean;
  /** Support files or folders (data the notebook reads), given to students and to the grader. */
  files?: string[];
  log?: (line: string) => void;
}

export interface AssignResult {
  releasePath: string;
  specPath: string;
  tests: number;
  total: number;
  /** Problems the check found (empty when it passed or was skipped). */
  problems: string[];
}

export async function assign(solutionPath: string, o: AssignOptions): Promise<AssignResult> {
  const log = o.log ?? ((l: string) => console.log(l));
  const name = basename(solutionPath).replace(/\.ipynb$/, "").replace(/[-_.]?solution$/i, "") || "assignment";
  let solution: Notebook;
  try {
    solution = JSON.parse(readFileSync(solutionPath, "utf8")) as Notebook;
  } catch (e) {
    throw new Error(`gradnote assign: cannot read ${solutionPath}: ${(e as Error).message}`);
  }
  const { release, spec, solution: withIds } = buildAssignment(solution, name);
  mkdirSync(o.release, { recursive: true });
  mkdirSync(o.autograder, { recursive: true });
  const releasePath = join(o.release, `${name}.ipynb`);
  const specPath = join(o.autograder, "assignment.json");
  writeFileSync(releasePath, JSON.stringify(release, null, 1) + "\n");
  rmSync(join(o.autograder, "files"), { recursive: true, force: true });
  for (const f of o.files ?? []) {
    if (!existsSync(f)) throw new Error(`gradnote assign: --files ${f} does not exist`);
    cpSync(f, join(o.release, basename(f)), { recursive: true });
    cpSync(f, join(o.autograder, "files", basename(f)), { recursive: true });
  }
  writeFileSync(specPath, JSON.stringify(spec, null, 2) + "\n");
  const hidden = spec.tests.filter((t) => t.visibility === "hidden");
  log(`Wrote ${releasePath} (${release.cells.length} cells; ${spec.tests.length - hidden.length} public tests kept, ${hidden.length} hidden tests removed)`);
  log(`Wrote ${specPath} (${spec.tests.length} tests, ${spec.total} points)${o.files?.length ? `; support files ${o.files.map((f) => basename(f)).join(", ")} in both` : ""}`);
  const problems: string[] = [];
  if (!o.noCheck) {
    const tmp = mkdtempSync(join(tmpdir(), "gradnote-assign-"));
    try {
      mkdirSync(join(tmp, "in"));
      const sol = join(tmp, "in", "solution.ipynb"), rel = join(tmp, "in", "release.ipynb");
      writeFileSync(sol, JSON.stringify(withIds));
      writeFileSync(rel, JSON.stringify(release));
      const s = await gradeClass([sol, rel], { autograder: o.autograder, outputDir: join(tmp, "out"), sandbox: o.sandbox, jobs: 2, log: () => undefined });
      const bySt = new Map(s.graded.map((r) => [r.student, r]));
      const solved = bySt.get("solution")!, released = bySt.get("release")!;
      for (const c of solved.cells) if (c.status !== "ok") problems.push(`the solution's cell ${c.index} (id ${c.id}) fails: ${c.error}`);
      for (const t of solved.tests) if (t.status !== "passed") problems.push(`the solution fails test ${t.name}: ${t.cause}: ${t.message}`);
      for (const t of released.tests) if (t.visibility === "hidden" && t.score > 0) problems.push(`the release already passes hidden test ${t.name} (the stubs solve it?)`);
      log(problems.length ? `Check FAILED:\n${problems.map((p) => `  - ${p}`).join("\n")}` : `Check passed: the solution scores ${solved.score}/${spec.total} (ran in ${solved.seconds.toFixed(1)} s); the release scores ${released.tests.filter((t) => t.visibility === "hidden").reduce((a, t) => a + t.score, 0)} on the hidden tests.`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { releasePath, specPath, tests: spec.tests.length, total: spec.total, problems };
}
