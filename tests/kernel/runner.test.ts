// The CLI as a grader uses it: `gradnote run` executes a notebook through a real kernel and
// writes a valid executed notebook; `gradnote install` writes the kernelspec.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("../../bin/gradnote.mjs", import.meta.url));

function notebook(cells: string[], name = "nb"): string {
  const dir = mkdtempSync(join(tmpdir(), "gradnote-run-"));
  const path = join(dir, `${name}.ipynb`);
  const nb = {
    cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: {}, nbformat: 4, nbformat_minor: 5,
  };
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

function gradnote(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000 });
  // A signal (crash or the 60 s timeout) shows up as status null: say which, with the log.
  if (r.status === null) console.error(`gradnote ${args.join(" ")} ended by ${r.signal}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

const hasNbformat = spawnSync("/usr/bin/python3", ["-c", "import nbformat"]).status === 0;

describe("gradnote run", () => {
  it("executes every cell and writes a valid nbformat 4.5 notebook with outputs", () => {
    const path = notebook(["const x = 6;\nconsole.log('hello')", "x * 7", "const h = display('a', { displayId: true });\nh.update('b');"]);
    const out = path.replace(".ipynb", ".done.ipynb");
    const r = gradnote(["run", path, "--output", out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("hello");
    const nb = JSON.parse(readFileSync(out, "utf8"));
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.metadata.kernelspec.name).toBe("gradnote");
    expect(nb.cells[0].outputs[0]).toEqual({ output_type: "stream", name: "stdout", text: ["hello\n"] });
    expect(nb.cells[1].outputs[0].data["text/plain"]).toBe("42");
    expect(nb.cells[1].execution_count).toBe(2);
    // The display was updated in place: the saved notebook holds the final value.
    expect(nb.cells[2].outputs[0].data["text/plain"]).toBe("'b'");
    if (hasNbformat) {
      execFileSync("/usr/bin/python3", ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], 4))", out]);
    }
  });

  it("exits non-zero on a failing cell and stops there", () => {
    const path = notebook(["throw new Error('broken')", "'never'"]);
    const out = path.replace(".ipynb", ".done.ipynb");
    const r = gradnote(["run", path, "--output", out]);
    expect(r.status).toBe(1);
    const nb = JSON.parse(readFileSync(out, "utf8"));
    expect(nb.cells[0].outputs[0]).toMatchObject({ output_type: "error", ename: "Error", evalue: "broken" });
    expect(nb.cells[1].outputs).toEqual([]);
  });

  it("keeps going with --allow-errors", () => {
    const path = notebook(["throw new Error('broken')", "'still runs'"]);
    const out = path.replace(".ipynb", ".done.ipynb");
    const r = gradnote(["run", path, "--output", out, "--allow-errors"]);
    expect(r.status).toBe(0);
    const nb = JSON.parse(readFileSync(out, "utf8"));
    expect(nb.cells[1].outputs[0].data["text/plain"]).toBe("'still runs'");
  });

  it("stops a cell that runs past --timeout", () => {
    const path = notebook(["while (true) {}", "'after'"]);
    const out = path.replace(".ipynb", ".done.ipynb");
    const r = gradnote(["run", path, "--output", out, "--timeout", "1"]);
    expect(r.status).toBe(1);
    const nb = JSON.parse(readFileSync(out, "utf8"));
    expect(nb.cells[0].outputs[0]).toMatchObject({ output_type: "error", ename: "TimeoutError" });
  });

  it("reports a kernel that dies in a cell at once, with its exit status", () => {
    const path = notebook(["process.exit(3)", "'never'"]);
    const out = path.replace(".ipynb", ".done.ipynb");
    const r = gradnote(["run", path, "--output", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the kernel exited (code 3)");
    const nb = JSON.parse(readFileSync(out, "utf8"));
    expect(nb.cells[0].outputs[0]).toMatchObject({ output_type: "error", ename: "KernelDied" });
    expect(nb.cells[1].outputs).toEqual([]);
  });

  it("process.exit() in a cell keeps its output, runs its exit listeners and ends with its code (or exitCode)", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradnote-exit-"));
    const mark = join(dir, "listener");
    const path = notebook([
      `import { writeFileSync } from "node:fs";\nconsole.log("before exit");\nprocess.on("exit", (c) => writeFileSync(${JSON.stringify(mark)}, String(c)));\nprocess.exitCode = 5;\nprocess.exit();`,
      "'never'",
    ]);
    const out = path.replace(".ipynb", ".done.ipynb");
    const r = gradnote(["run", path, "--output", out]);
    expect(r.stderr).toContain("the kernel exited (code 5)");
    expect(readFileSync(mark, "utf8")).toBe("5");
    const nb = JSON.parse(readFileSync(out, "utf8"));
    expect(nb.cells[0].outputs[0]).toMatchObject({ output_type: "stream", name: "stdout" });
    expect([nb.cells[0].outputs[0].text].flat().join("")).toBe("before exit\n");
    expect(nb.cells[0].outputs[1]).toMatchObject({ output_type: "error", ename: "KernelDied" });
  });

  it("grades several notebooks, each in a fresh kernel, into --output-dir with a summary", () => {
    const ok = notebook(["const a = 1;", "a + 1"], "alice");
    const failing = notebook(["a", "'never'"], "bob"); // a fresh kernel: alice's `a` is gone
    const broken = join(mkdtempSync(join(tmpdir(), "gradnote-run-")), "carol.ipynb");
    writeFileSync(broken, "{ not json");
    const outDir = join(mkdtempSync(join(tmpdir(), "gradnote-graded-")), "graded");
    const r = gradnote(["run", ok, failing, broken, "--output-dir", outDir]);
    expect(r.status).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines.find((l) => l.startsWith(ok))).toMatch(/: ok \(/);
    expect(lines.find((l) => l.startsWith(failing))).toMatch(/: cell 1 failed \(/);
    expect(lines.find((l) => l.startsWith(broken))).toMatch(/: not run: /);
    expect(r.stdout).toContain("1 of 3 notebooks ran without a failing cell");
    const graded = JSON.parse(readFileSync(join(outDir, "alice.ipynb"), "utf8"));
    expect(graded.cells[1].outputs[0].data["text/plain"]).toBe("2");
    expect(JSON.parse(readFileSync(join(outDir, "bob.ipynb"), "utf8")).cells[0].outputs[0]).toMatchObject({ output_type: "error", ename: "ReferenceError" });
    // --allow-errors forgives failing cells, not a notebook that cannot run.
    expect(gradnote(["run", ok, failing, "--output-dir", outDir, "--allow-errors"]).status).toBe(0);
    expect(gradnote(["run", ok, broken, "--output-dir", outDir, "--allow-errors"]).status).toBe(1);
    // Two inputs with one name would overwrite each other's graded copy: refused up front.
    expect(gradnote(["run", ok, notebook(["1"], "alice"), "--output-dir", outDir]).stderr).toContain("would both be written to");
  });

  it("appends a grader cell that scores each submission from the student's own variables", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradnote-grader-"));
    const grader = join(dir, "grader.ts");
    writeFileSync(grader, [
      "// Two checks: add() exists and adds; the model has 2 → 1 weights.",
      "let score = 0;",
      "if (typeof add === 'function' && add(2, 3) === 5) score++;",
      "if (typeof weights !== 'undefined' && weights.length === 2) score++;",
      "({ score, max: 2 })",
    ].join("\n"));
    const good = notebook(["function add(a: number, b: number): number { return a + b; }", "const weights = [0.5, -1];"], "good");
    const partial = notebook(["const add = (a: number, b: number) => a - b;", "throw new Error('unfinished')"], "partial");
    const outDir = join(dir, "graded");
    const r = gradnote(["run", good, partial, "--output-dir", outDir, "--append", grader, "--allow-errors"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${good}: ok, score 2/2`);
    expect(r.stdout).toContain(`${partial}: cell 2 failed, score 0/2`);
    const nb = JSON.parse(readFileSync(join(outDir, "good.ipynb"), "utf8"));
    const last = nb.cells[nb.cells.length - 1];
    expect(last.metadata.tags).toEqual(["gradnote-grader"]);
    expect(last.outputs[0].data["text/plain"]).toBe("{ score: 2, max: 2 }");
    // One notebook: the score is printed; a grader that fails is reported and fails the run.
    expect(gradnote(["run", good, "--append", grader, "--output", join(dir, "one.ipynb")]).stdout).toContain("score 2/2");
    writeFileSync(grader, "missingHelper()");
    const bad = gradnote(["run", good, "--append", grader, "--output", join(dir, "one.ipynb")]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("grader failed");
  });

  it("names a bad argument", () => {
    const r = gradnote(["run", "x.ipynb", "--timeout", "soon"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--timeout must be a positive number");
    expect(gradnote(["run", "x.ipynb", "--fast"]).stderr).toContain("unknown option --fast");
    expect(gradnote(["run", "a.ipynb", "b.ipynb", "--output", "o.ipynb"]).stderr).toContain("for several notebooks use --output-dir");
    expect(gradnote(["install", "--bogus"]).stderr).toContain("gradnote install: unknown option --bogus");
  });

  it("--help on every command prints that command's usage, exits 0 and does nothing else", () => {
    for (const cmd of ["run", "install", "doctor", "kernel"]) {
      const r = gradnote([cmd, "--help"]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`gradnote ${cmd}`);
      expect(r.stdout).not.toContain("Installed kernelspec");
    }
    expect(gradnote(["--help"]).status).toBe(0);
  });
});

describe("gradnote install", () => {
  it("writes kernel.json and logos under --prefix", () => {
    const prefix = mkdtempSync(join(tmpdir(), "gradnote-prefix-"));
    const r = gradnote(["install", "--prefix", prefix, "--name", "gn-test"]);
    expect(r.status).toBe(0);
    const dir = join(prefix, "share", "jupyter", "kernels", "gn-test");
    const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8"));
    expect(spec).toMatchObject({ display_name: "TypeScript (gradnote)", language: "typescript", interrupt_mode: "message" });
    expect(spec.argv).toContain("{connection_file}");
    // node, its options for the kernel (a capped young generation), then dist/kernel.mjs.
    expect(spec.argv[0]).toBe(process.execPath);
    expect(spec.argv.slice(1, 2)).toEqual(["--max-semi-space-size=2"]);
    expect(spec.argv[2]).toMatch(/dist[\\/]kernel\.mjs$/);
    // Plots load plotly.js from <base>/kernelspecs/gn-test/, which the kernel learns from env.
    expect(spec.env).toEqual({ GRADNOTE_KERNEL_NAME: "gn-test" });
    expect(existsSync(join(dir, "plotly.min.js"))).toBe(true);
    expect(existsSync(join(dir, "logo-32x32.png")) && existsSync(join(dir, "logo-64x64.png"))).toBe(true);
  });
});
