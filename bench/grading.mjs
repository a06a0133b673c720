// Grading benchmark (`npm run bench:grading`): a class of BENCH_STUDENTS (default 200) generated
// submissions of examples/grading/hw1-solution.ipynb graded by `gradnote grade`, sandboxed, with
// --jobs 1 (the baseline, measured in the same run) and --jobs N; wall time side by side as a
// ratio, the grading process's peak RSS, and a check that both runs gave identical grades.csv.
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 200);
const JOBS = Number(process.env.BENCH_JOBS ?? availableParallelism());
const SANDBOX = process.env.BENCH_NO_SANDBOX ? ["--no-sandbox"] : [];
const scratch = mkdtempSync(join(tmpdir(), "gradnote-bench-grading-"));
const CLI = join(ROOT, "bin/gradnote.mjs");

// The kinds of submission tests/grading/class.ts defines; slow ones (timeouts, memory hog) are
// left out so the figure is the grader's cost, not the limits'.
await build({ entryPoints: [join(ROOT, "tests/grading/class.ts")], bundle: true, platform: "node", format: "esm", outfile: join(scratch, "class.mjs"), logLevel: "warning" });
const { KINDS, submission } = await import(join(scratch, "class.mjs"));
const MIX = ["correct", "correct", "correct", "partial", "syntax", "cheater", "forger", "exit", "flood", "correct"];

execFileSync(process.execPath, [CLI, "assign", join(ROOT, "examples/grading/hw1-solution.ipynb"), "--release", "release", "--autograder", "autograder", "--no-check"], { cwd: scratch, stdio: "ignore" });
const release = JSON.parse(readFileSync(join(scratch, "release/hw1.ipynb"), "utf8"));
mkdirSync(join(scratch, "class"));
for (let i = 0; i < STUDENTS; i++) {
  const kind = MIX[i % MIX.length];
  writeFileSync(join(scratch, "class", `s${String(i).padStart(3, "0")}-${kind}.ipynb`), JSON.stringify(submission(release, KINDS[kind])));
}

/** Runs `gradnote grade`; wall seconds and the grading process's peak RSS (VmHWM, polled). */
function grade(jobs, out) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, "grade", "class", "--autograder", "autograder", "--output-dir", out, "--jobs", String(jobs), ...SANDBOX], { cwd: scratch, stdio: ["ignore", "pipe", "pipe"] });
    let peak = 0, log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peak = Math.max(peak, Number(m[1]) * 1024);
      } catch {
        // The process has just exited.
      }
    }, 100);
    child.on("exit", (code) => {
      clearInterval(poll);
      const summary = /Graded (\d+) submissions/.exec(log);
      if (!summary) reject(new Error(`gradnote grade failed (${code}):\n${log.slice(-2000)}`));
      else resolve({ seconds: (performance.now() - t0) / 1000, peak, graded: Number(summary[1]), code });
    });
  });
}

const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
console.log(`gradnote grade: ${STUDENTS} submissions of hw1 (5 tests, 10 points)${SANDBOX.length ? " WITHOUT sandbox" : ", sandboxed"}; ${availableParallelism()} cores`);
const seq = await grade(1, "seq");
console.log(`  --jobs 1 (baseline)  ${seq.seconds.toFixed(1)} s   ${(seq.seconds / STUDENTS).toFixed(2)} s/student   grader peak RSS ${mb(seq.peak)}`);
const par = await grade(JOBS, "par");
console.log(`  --jobs ${JOBS}            ${par.seconds.toFixed(1)} s   ${(par.seconds / STUDENTS).toFixed(2)} s/student   grader peak RSS ${mb(par.peak)}`);
console.log(`  speed-up --jobs ${JOBS} vs --jobs 1: ${(seq.seconds / par.seconds).toFixed(2)}×`);
const same = readFileSync(join(scratch, "seq/grades.csv"), "utf8") === readFileSync(join(scratch, "par/grades.csv"), "utf8");
console.log(`  grades.csv identical in both runs: ${same ? "yes" : "NO"}`);
rmSync(scratch, { recursive: true, force: true });
if (!same) process.exitCode = 1;
