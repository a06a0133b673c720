/**
 * Grading end to end with the real CLI, real sandboxed kernels and real files: the example
 * assignment, eleven kinds of submission (correct, partial, syntax error, infinite loop,
 * process.exit, output flood, memory hog, cheater, display forger, hidden-input hang, snoop) with
 * their honest per-test scores, the sandbox's walls, the output files, resume, shards and merge.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../kernel/grade/gradebook.js";
import { KINDS, submission, TESTS, type Notebook } from "./class.js";

const CLI = join(process.cwd(), "bin/gradnote.mjs");
const EXAMPLE = join(process.cwd(), "examples/grading/hw1-solution.ipynb");

/** Runs the CLI; `wrap` is a command line it runs inside (a bwrap that hides a tool). */
function gradnote(args: string[], cwd: string, wrap: string[] = []): Promise<{ code: number; out: string }> {
  const [cmd, ...rest] = [...wrap, process.execPath, CLI, ...args];
  return new Promise((resolve) => {
    execFile(cmd, rest, { cwd, maxBuffer: 64 << 20, timeout: 240_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

interface Record_ {
  student: string;
  score: number;
  status: string;
  problems: string[];
  tests: { name: string; score: number; cause?: string; message: string }[];
}
const record = (dir: string, student: string) => JSON.parse(readFileSync(join(dir, student, "grading.json"), "utf8")) as Record_;

let root: string;
let server: Server;
let connections = 0;
let port = 0;
let graded: { code: number; out: string };
const secretHome = `/root/gradnote-grading-secret-${process.pid}.txt`;

/** A submission that solves everything and then tries every wall of the sandbox. */
function snoop(release: Notebook, paths: Record<string, string>): Notebook {
  const probe = `import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { connect } from "node:net";
const attempt = (f: () => unknown) => { try { f(); return "ok"; } catch (e) { return (e as { code?: string }).code ?? String(e); } };
const dial = (host: string, port: number) => new Promise<string>((done) => {
  const s = connect(port, host); s.on("connect", () => { s.destroy(); done("connected"); }); s.on("error", (e: any) => done(e.code ?? "error"));
  setTimeout(() => { s.destroy(); done("timeout"); }, 3000);
});
console.log("write-outside:", attempt(() => writeFileSync(${JSON.stringify(paths.outside)}, "x")));
console.log("read-autograder:", attempt(() => readFileSync(${JSON.stringify(paths.autograder)})));
console.log("read-other:", attempt(() => readFileSync(${JSON.stringify(paths.other)})));
console.log("list-submissions:", attempt(() => readdirSync(${JSON.stringify(paths.submissions)})));
console.log("read-home:", attempt(() => readFileSync(${JSON.stringify(secretHome)})));
console.log("list-root:", attempt(() => readdirSync("/root")));
console.log("connect-host:", await dial("127.0.0.1", ${port}));
console.log("connect-public:", await dial("1.1.1.1", 80));
console.log("write-own-copy:", attempt(() => writeFileSync("mine.txt", "x")));
console.log("uid:", process.getuid!());`;
  return submission(release, { ...KINDS.correct, prelude: probe });
}

/** Correct answers in a rearranged notebook: forward before sigmoid, a cell added, a public test deleted. */
function restructured(release: Notebook): Notebook {
  const nb = submission(release, KINDS.correct);
  const take = (id: string) => nb.cells.splice(nb.cells.findIndex((c) => c.id === id), 1)[0];
  const forward = take("forward");
  take("test-sigmoid");
  nb.cells.splice(nb.cells.findIndex((c) => c.id === "sigmoid"), 0, forward, { id: "scratch", cell_type: "code", metadata: {}, source: "const myNotes = 1;", outputs: [], execution_count: null });
  return nb;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "gradnote-grade-e2e-"));
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as { port: number }).port;
  writeFileSync(secretHome, "the teacher's secret");
  const assigned = await gradnote(["assign", EXAMPLE, "--release", "release", "--autograder", "autograder"], root);
  expect(assigned.out).toMatch(/Check passed: the solution scores 10\/10 \(ran in [\d.]+ s\); the release scores 0 on the hidden tests\./);
  expect(assigned.code).toBe(0);
  const release = JSON.parse(readFileSync(join(root, "release/hw1.ipynb"), "utf8")) as Notebook;
  mkdirSync(join(root, "subs"));
  for (const [name, kind] of Object.entries(KINDS)) writeFileSync(join(root, "subs", `${name}.ipynb`), JSON.stringify(submission(release, kind)));
  writeFileSync(join(root, "subs", "restructured.ipynb"), JSON.stringify(restructured(release)));
  writeFileSync(join(root, "subs", "snoop.ipynb"), JSON.stringify(snoop(release, {
    outside: join(root, "planted-by-student.txt"), autograder: join(root, "autograder/assignment.json"),
    other: join(root, "subs/correct.ipynb"), submissions: join(root, "subs"),
  })));
  graded = await gradnote(["grade", "subs", "--autograder", "autograder", "--output-dir", "graded", "--jobs", "2", "--memory", "512M", "--cell-timeout", "20", "--test-timeout", "10"], root);
}, 300_000);

afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  rmSync(secretHome, { force: true });
  await new Promise((r) => server.close(r));
});

describe("gradnote grade on a class", () => {
  it("gives every kind of submission its honest per-test scores", () => {
    const out = join(root, "graded");
    for (const [name, kind] of Object.entries(KINDS)) {
      const r = record(out, name);
      const got = Object.fromEntries(r.tests.map((t) => [t.name, t.score]));
      expect({ name, got }).toEqual({ name, got: kind.scores });
      expect({ name, status: r.status }).toEqual({ name, status: kind.complete ? "complete" : "incomplete" });
      for (const [test, cause] of Object.entries(kind.causes ?? {})) expect({ name, test, cause: r.tests.find((t) => t.name === test)!.cause }).toEqual({ name, test, cause });
    }
    expect(record(out, "snoop").score).toBe(10);
    // Cells are found by id: a rearranged notebook is graded in full and the change reported.
    const moved = JSON.parse(readFileSync(join(out, "restructured/grading.json"), "utf8")) as Record_ & { structure: string };
    expect(moved.score).toBe(10);
    expect(moved.structure).toBe("structure changed: 1 cell added; cells reordered");
  });

  it("names the cause of each failure", () => {
    const out = join(root, "graded");
    expect(record(out, "exit").problems.join()).toMatch(/KernelDied \(the kernel exited \(code 1\)\)/);
    expect(record(out, "hog").problems.join()).toMatch(/OutOfMemory \(the kernel ran out of memory \(limit 512 MiB/);
    expect(record(out, "loop").problems.join()).toMatch(/Timeout \(did not finish within 20 s\)/);
    expect(record(out, "syntax").tests.find((t) => t.name === "forward_small")!.message).toMatch(/ReferenceError: forward is not defined .*SyntaxError/);
    expect(record(out, "hiddenHang").tests.find((t) => t.name === "sigmoid_hidden")!.message).toMatch(/did not finish within 10/);
    // A flood is cut with a note, and the rest of the notebook still counts.
    const flood = readFileSync(join(out, "flood/feedback.ipynb"), "utf8");
    expect(flood).toMatch(/output cut after/);
    expect(flood.length).toBeLessThan(4 << 20);
  });

  it("exits 3 and says which students could not be fully graded and why", () => {
    expect(graded.code).toBe(3);
    expect(graded.out).toMatch(/4 could not be fully graded:/);
    for (const name of ["exit", "hog", "loop", "hiddenHang"]) expect(graded.out).toMatch(new RegExp(`^  ${name}: `, "m"));
  });

  it("keeps the submission inside its sandbox", () => {
    const fb = readFileSync(join(root, "graded/snoop/feedback.ipynb"), "utf8");
    const said = (what: string) => new RegExp(`${what}: ([A-Za-z_]+)`).exec(fb)?.[1];
    expect(existsSync(join(root, "planted-by-student.txt"))).toBe(false);
    expect(said("write-outside")).not.toBe("ok");
    expect(said("read-autograder")).toBe("ENOENT");
    expect(said("read-other")).toBe("ENOENT");
    expect(said("list-submissions")).toBe("ENOENT");
    expect(said("read-home")).not.toBe("ok");
    expect(said("list-root")).not.toBe("ok");
    expect(said("connect-host")).not.toBe("connected");
    expect(said("connect-public")).not.toBe("connected");
    expect(connections).toBe(0);
    expect(said("write-own-copy")).toBe("ok");
    expect(said("uid")).not.toBe("0");
  });

  it("writes Gradescope results.json, grades.csv and feedback without hidden test code", () => {
    const out = join(root, "graded");
    const spec = JSON.parse(readFileSync(join(root, "autograder/assignment.json"), "utf8")) as { tests: { name: string; visibility: string; code: string }[] };
    const rows = parseCsv(readFileSync(join(out, "grades.csv"), "utf8"));
    expect(rows.map((r) => r.student).sort()).toEqual([...Object.keys(KINDS), "restructured", "snoop"].sort());
    for (const row of rows) {
      const r = record(out, row.student);
      expect(Number(row.total)).toBe(r.score);
      for (const t of TESTS) expect(Number(row[t])).toBe(r.tests.find((x) => x.name === t)!.score);
      const gs = JSON.parse(readFileSync(join(out, row.student, "results.json"), "utf8")) as { score: number; tests: Record<string, unknown>[] };
      expect(typeof gs.score).toBe("number");
      expect(gs.tests.reduce((s, t) => s + (t.score as number), 0)).toBeCloseTo(gs.score);
      for (const t of gs.tests) {
        expect(typeof t.name).toBe("string");
        expect(t.score as number).toBeLessThanOrEqual(t.max_score as number);
        expect(["hidden", "after_due_date", "after_published", "visible"]).toContain(t.visibility);
        expect(["passed", "failed"]).toContain(t.status);
        expect(typeof t.output).toBe("string");
      }
    }
    // No line of a hidden test's code in anything written for any student.
    const hiddenLines = spec.tests.filter((t) => t.visibility === "hidden").flatMap((t) => t.code.split("\n").slice(1)).map((l) => l.trim()).filter((l) => l.length > 12);
    expect(hiddenLines.length).toBeGreaterThan(5);
    for (const student of readdirSync(out).filter((f) => !f.endsWith(".csv"))) {
      for (const file of readdirSync(join(out, student))) {
        const text = readFileSync(join(out, student, file), "utf8");
        for (const line of hiddenLines) expect({ file: `${student}/${file}`, leaked: text.includes(line) ? line : null }).toEqual({ file: `${student}/${file}`, leaked: null });
      }
    }
    const release = readFileSync(join(root, "release/hw1.ipynb"), "utf8");
    for (const line of hiddenLines) expect(release).not.toContain(JSON.stringify(line).slice(1, -1));
  });

  it("resumes: a second run skips students already graded", async () => {
    const again = await gradnote(["grade", "subs", "--autograder", "autograder", "--output-dir", "graded", "--jobs", "2"], root);
    expect(again.out).toContain(`${Object.keys(KINDS).length + 2} already graded in graded (unchanged; --force grades them again, --regrade-incomplete those not fully graded)`);
    expect(again.out).toContain("Graded 0 submissions");
  }, 60_000);

  it("public tests run in the student's own kernel too (JupyterLab, gradnote run)", async () => {
    const ok = await gradnote(["run", "subs/correct.ipynb", "--output", "correct.run.ipynb"], root);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("✓ test sigmoid_values passed (2 points; graded again, with hidden tests, when you hand in)");
    expect(ok.out).toContain("✓ test forward_small passed");
    const partial = await gradnote(["run", "subs/partial.ipynb", "--output", "partial.run.ipynb", "--allow-errors"], root);
    expect(partial.out).toMatch(/AssertionError: element 0: expected 0.6 ± 0.00007\d*, got -0.6/);
  }, 60_000);

  it("refuses to run student code without a sandbox unless --no-sandbox", async () => {
    // A machine without bubblewrap: the real one hidden behind a file that is not executable.
    const hide = ["bwrap", "--dev-bind", "/", "/", "--ro-bind", "/dev/null", "/usr/bin/bwrap", "--chdir", root];
    const r = await gradnote(["grade", "subs", "--autograder", "autograder", "--output-dir", "nosandbox"], root, hide);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/refusing to run student code without a sandbox: bubblewrap \(bwrap\) not found: install the Debian package bubblewrap, or pass --no-sandbox/);
    expect(existsSync(join(root, "nosandbox"))).toBe(false);
    const help = await gradnote(["grade", "--help"], root);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/gradnote grade SUBMISSION.*--jobs N.*--shard K\/N/);
    const bad = await gradnote(["grade", "subs", "--autograder", "autograder", "--output-dir", "x", "--job", "2"], root);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/gradnote grade: unknown option --job/);
  }, 120_000);

  it("shards + merge give the same grades as one run, one job at a time", async () => {
    const fast = ["correct", "partial", "syntax", "cheater", "forger", "exit"];
    mkdirSync(join(root, "fast"));
    for (const n of fast) writeFileSync(join(root, "fast", `${n}.ipynb`), readFileSync(join(root, "subs", `${n}.ipynb`)));
    const common = ["--autograder", "autograder", "--jobs", "1", "--memory", "512M"];
    const [a, b] = await Promise.all([gradnote(["grade", "fast", ...common, "--output-dir", "shard1", "--shard", "1/2"], root), gradnote(["grade", "fast", ...common, "--output-dir", "shard2", "--shard", "2/2"], root)]);
    expect(a.out).toContain("Graded 3 submissions");
    expect(b.out).toContain("Graded 3 submissions");
    const merged = await gradnote(["gradebook", "merge", "shard1", "shard2", "--output-dir", "merged"], root);
    expect(merged.code).toBe(0);
    expect(merged.out).toContain("Merged 6 students from 2 folders");
    const m = parseCsv(readFileSync(join(root, "merged/grades.csv"), "utf8"));
    const full = new Map(parseCsv(readFileSync(join(root, "graded/grades.csv"), "utf8")).map((r) => [r.student, r]));
    expect(m.map((r) => r.student).sort()).toEqual([...fast].sort());
    for (const row of m) expect(row).toEqual(full.get(row.student));
    expect(existsSync(join(root, "merged/exit/feedback.html"))).toBe(true);
  }, 240_000);
});

describe("support files", () => {
  it("assign --files gives a data file to the release and to every graded kernel", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradnote-files-"));
    try {
      writeFileSync(join(dir, "prices.csv"), "3\n4\n5\n");
      const code = (id: string, src: string) => ({ id, cell_type: "code", metadata: {}, source: src, outputs: [], execution_count: null });
      const solution = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [
        code("load", 'import { readFileSync } from "node:fs";\nconst prices = readFileSync("prices.csv", "utf8").trim().split("\\n").map(Number);'),
        code("mean", "function mean(xs: number[]): number {\n  // BEGIN SOLUTION\n  return xs.reduce((a, b) => a + b, 0) / xs.length;\n  // END SOLUTION\n}"),
        code("t", '// @test mean_of_file 1 point hidden\nexpect(await student.eval("mean(prices)")).toBe(4);'),
      ] };
      writeFileSync(join(dir, "hw.ipynb"), JSON.stringify(solution));
      const r = await gradnote(["assign", "hw.ipynb", "--release", "rel", "--autograder", "ag", "--files", "prices.csv"], dir);
      expect(r.out).toMatch(/support files prices.csv in both/);
      expect(r.out).toMatch(/Check passed: the solution scores 1\/1/);
      expect(readFileSync(join(dir, "rel/prices.csv"), "utf8")).toBe("3\n4\n5\n");
      expect(existsSync(join(dir, "ag/files/prices.csv"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
