/**
 * `gradnote grade`: a class of submissions against an autograder bundle, `--jobs` at a time, one
 * sandboxed kernel each, results written as each one finishes; `--shard K/N` takes every N-th
 * student so a cluster's array job can split a class; a re-run skips students already graded.
 */
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { compileTests, gradeNotebook, type GradeOptions, type SubmissionResult } from "./engine.js";
import { checkSpec, type AssignmentSpec, type Notebook } from "./format.js";
import { gradesCsv, readRecords, writeAtomic, writeSubmission, type GradingRecord, type Visibility } from "./gradebook.js";
import type { TensorData } from "./value.js";

export interface BatchOptions {
  autograder: string;
  outputDir: string;
  jobs?: number;
  shard?: { index: number; count: number };
  force?: boolean;
  sandbox: GradeOptions["sandbox"];
  cellTimeout?: number;
  testTimeout?: number;
  maxOutput?: number;
  hiddenVisibility?: Visibility;
  /** Grade again students whose last result is incomplete or error (after raising a limit). */
  regradeIncomplete?: boolean;
  /** The command line's submission arguments (folders of per-student folders name students by folder). */
  args?: string[];
  /** Prints one line per student (default: console.log). */
  log?: (line: string) => void;
}

export interface BatchSummary {
  graded: GradingRecord[];
  skipped: string[];
  /** Students that could not be fully graded, with why. */
  trouble: { student: string; why: string }[];
  csv: string;
}

/** "3/8" → { index: 3, count: 8 } (1-based), with an error that shows the form. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard must be K/N with 1 ≤ K ≤ N (e.g. --shard 2/8 for the second of eight), got ${JSON.stringify(text)}`);
  return { index, count };
}

/** Notebooks named on the command line: files, or folders holding them (one level down too). */
export function listSubmissions(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (!existsSync(a)) throw new Error(`gradnote grade: ${a} does not exist`);
    if (statSync(a).isDirectory()) {
      for (const e of readdirSync(a, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
        if (e.isFile() && e.name.endsWith(".ipynb")) out.push(join(a, e.name));
        else if (e.isDirectory()) {
          for (const f of readdirSync(join(a, e.name)).sort()) if (f.endsWith(".ipynb") && !f.startsWith(".")) out.push(join(a, e.name, f));
        }
      }
    } else out.push(a);
  }
  return [...new Set(out.map((p) => resolve(p)))];
}

/**
 * A name per submission: the file name, or the student's folder name when the class was given as
 * a folder of per-student folders (submissions/alice/hw1.ipynb → alice), or when two files share
 * a name. Two submissions with one name are an error.
 */
export function studentNames(paths: string[], args: string[] = []): Map<string, string> {
  const base = (p: string) => basename(p).replace(/\.ipynb$/, "");
  const given = new Set(args.map((a) => resolve(a)));
  const counts = new Map<string, number>();
  const inFolder = new Map<string, number>();
  for (const p of paths) {
    counts.set(base(p), (counts.get(base(p)) ?? 0) + 1);
    inFolder.set(dirname(p), (inFolder.get(dirname(p)) ?? 0) + 1);
  }
  const names = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const p of paths) {
    const folder = basename(dirname(p));
    const perStudent = given.has(dirname(dirname(p))) && !given.has(p);
    let name = base(p);
    if (perStudent || counts.get(base(p))! > 1) name = inFolder.get(dirname(p))! > 1 ? `${folder}-${base(p)}` : folder;
    name = name.replace(/[^\w.@+-]/g, "_");
    if (taken.has(name)) throw new Error(`gradnote grade: ${taken.get(name)} and ${p} would both be graded as ${name}; give each student their own file name or folder`);
    taken.set(name, p);
    names.set(p, name);
  }
  return names;
}

/** Loads autograder/assignment.json. */
export function loadSpec(dir: string): AssignmentSpec {
  const file = existsSync(join(dir, "assignment.json")) ? join(dir, "assignment.json") : dir;
  if (!existsSync(file) || statSync(file).isDirectory()) throw new Error(`--autograder ${dir}: no assignment.json there; make the bundle with gradnote assign`);
  return checkSpec(JSON.parse(readFileSync(file, "utf8")), file);
}

const RUNTIME_URL = new URL("./gradnote.mjs", import.meta.url).href;
/** A submitted notebook larger than this is refused (it is read whole into the grader's memory). */
const MAX_NOTEBOOK_BYTES = 64 * 2 ** 20;

/** Grades one file: a private copy in a fresh folder, its kernel, its result (never throws). */
async function gradeOne(path: string, student: string, spec: AssignmentSpec, tests: Awaited<ReturnType<typeof compileTests>>, opts: GradeOptions, files: string | null): Promise<SubmissionResult> {
  const dir = mkdtempSync(join(tmpdir(), "gradnote-grade-"));
  const t0 = performance.now();
  const failed = (why: string): SubmissionResult => ({
    student, notebook: path, score: 0, maxScore: spec.total, status: "error", problems: [why], structure: null,
    tests: spec.tests.map((t) => ({ name: t.name, points: t.points, score: 0, status: "failed", cause: "NotRun", message: why, output: "", visibility: t.visibility, seconds: 0 })),
    cells: [], seconds: (performance.now() - t0) / 1000, kernelStarts: 0, executed: null,
  });
  try {
    const size = statSync(path).size;
    if (size > MAX_NOTEBOOK_BYTES) return failed(`the notebook is ${(size / 2 ** 20).toFixed(0)} MiB; more than ${MAX_NOTEBOOK_BYTES / 2 ** 20} MiB is not graded`);
    // The assignment's support files first (data the notebook reads), then the submission.
    if (files) cpSync(files, dir, { recursive: true });
    const copy = join(dir, basename(path));
    copyFileSync(path, copy);
    let nb: Notebook;
    try {
      nb = JSON.parse(readFileSync(copy, "utf8")) as Notebook;
      if (!Array.isArray(nb.cells)) throw new Error('no "cells" array');
    } catch (e) {
      return failed(`not a notebook: ${(e as Error).message}`);
    }
    return await gradeNotebook(nb, student, path, dir, spec, tests, opts);
  } catch (e) {
    return failed(`grading failed: ${(e as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function gradeClass(paths: string[], o: BatchOptions): Promise<BatchSummary> {
  const log = o.log ?? ((l: string) => console.log(l));
  const spec = loadSpec(o.autograder);
  const runtime = (await import(RUNTIME_URL)) as { fromArray(d: ArrayLike<number>, s: readonly number[], o: { dtype: string }): unknown };
  const importer = (s: string) => (s === "gradnote" ? Promise.resolve(runtime) : import(s));
  const tests = await compileTests(spec, importer);
  const opts: GradeOptions = {
    sandbox: o.sandbox,
    cellTimeout: o.cellTimeout ?? 120,
    testTimeout: o.testTimeout ?? 30,
    maxOutput: o.maxOutput ?? 1024 * 1024,
    maxRestarts: 3,
    importer,
    makeTensor: (t: TensorData) => runtime.fromArray(t.data, t.shape, { dtype: t.dtype }),
  };
  const names = studentNames(paths, o.args ?? []);
  let todo = [...names.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  if (o.shard) todo = todo.filter((_, i) => i % o.shard!.count === o.shard!.index - 1);
  mkdirSync(o.outputDir, { recursive: true });
  const records = new Map(readRecords(o.outputDir).map((r) => [r.student, r]));
  const anchors = new Map(spec.tests.map((t) => [t.name, [t.cellId, t.anchor]]));
  const csv = join(o.outputDir, "grades.csv");
  const writeCsv = () => writeAtomic(csv, gradesCsv([...records.values()], spec.tests.map((t) => t.name)));
  const summary: BatchSummary = { graded: [], skipped: [], trouble: [], csv };
  const queue = todo.filter(([path, student]) => {
    const prev = records.get(student);
    if (!o.force && prev && prev.sha256 === sha256(path) && !(o.regradeIncomplete && prev.status !== "complete")) {
      summary.skipped.push(student);
      return false;
    }
    return true;
  });
  if (summary.skipped.length) log(`${summary.skipped.length} already graded in ${o.outputDir} (unchanged; --force grades them again${o.regradeIncomplete ? "" : ", --regrade-incomplete those not fully graded"})`);
  const jobs = Math.max(1, Math.min(o.jobs ?? availableParallelism(), queue.length || 1));
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const [path, student] = queue[next++];
      const hash = sha256(path);
      const r = await gradeOne(path, student, spec, tests, opts, existsSync(join(o.autograder, "files")) ? join(o.autograder, "files") : null);
      const record = writeSubmission(o.outputDir, r, hash, anchors, o.hiddenVisibility ?? "after_published");
      records.set(student, record);
      summary.graded.push(record);
      writeCsv();
      const tail = r.status === "complete" ? "" : ` — ${r.status}: ${r.problems.join("; ")}`;
      log(`${student}: ${r.score}/${r.maxScore}${r.structure ? ` (${r.structure})` : ""} in ${r.seconds.toFixed(1)} s${tail}`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  writeCsv();
  for (const r of records.values()) {
    if (todo.some(([, s]) => s === r.student) && r.status !== "complete") summary.trouble.push({ student: r.student, why: r.problems.join("; ") || r.status });
  }
  return summary;
}

function sha256(path: string): string {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return "";
  }
}
