/**
 * What grading writes, per student: results.json in Gradescope's autograder format and a
 * feedback notebook + HTML (both student-facing: hidden tests appear as name and result only,
 * never their code or messages), grading.json with everything (teacher-facing); per class:
 * grades.csv. `gradnote gradebook merge` joins the folders of several shards.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeHtmlReport } from "../html-report.js";
import type { SubmissionResult, TestResult } from "./engine.js";
import { sourceLines, type Cell, type Notebook } from "./format.js";

/** The record kept per student (grading.json): the result without the executed notebook. */
export type GradingRecord = Omit<SubmissionResult, "executed"> & { sha256: string; tests: TestResult[] };

export type Visibility = "hidden" | "after_due_date" | "after_published" | "visible";

/** Writes a file whole or not at all (a crash mid-write never leaves half a results.json). */
export function writeAtomic(path: string, text: string): void {
  writeFileSync(path + ".part", text);
  renameSync(path + ".part", path);
}

const status = (t: TestResult) => (t.status === "passed" ? "passed" : `failed${t.cause ? ` (${t.cause})` : ""}`);

/** Gradescope's results.json: tests[] with score, max_score, name, status, output, visibility. */
export function gradescopeResults(r: SubmissionResult, hiddenVisibility: Visibility = "after_published"): Record<string, unknown> {
  const summary = [`Score: ${r.score} / ${r.maxScore}`, ...(r.structure ? [r.structure] : []), ...r.problems.filter((p) => !p.startsWith("test ")).map((p) => `Problem: ${p}`)];
  return {
    score: r.score,
    execution_time: Math.round(r.seconds),
    output: summary.join("\n"),
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: r.tests.map((t, i) => ({
      name: t.name,
      number: String(i + 1),
      score: t.score,
      max_score: t.points,
      status: t.status,
      // A hidden test's message may quote its expected values: only its result is shown.
      output: t.visibility === "hidden" ? `Hidden test: ${status(t)}` : publicOutput(t),
      visibility: t.visibility === "hidden" ? hiddenVisibility : "visible",
    })),
  };
}

function publicOutput(t: TestResult): string {
  const head = t.status === "passed" ? "passed" : `failed (${t.cause}): ${t.message}`;
  return t.output ? `${head}\n\n${t.output}` : head;
}

const md = (text: string): Cell => ({ cell_type: "markdown", metadata: { tags: ["gradnote-feedback"] }, source: sourceLines(text) });
const fence = (s: string) => "```\n" + s.replace(/```/g, "`\u200b``").trimEnd() + "\n```";

function testCell(t: TestResult): Cell {
  const head = `**Test \`${t.name}\`** (${t.visibility === "hidden" ? "hidden" : "public"}): ${t.status === "passed" ? "✅ passed" : `❌ ${status(t)}`} — ${t.score} / ${t.points} points`;
  if (t.visibility === "hidden" || (t.status === "passed" && !t.output)) return md(head);
  const body = [t.status === "passed" ? "" : t.message, t.output].filter(Boolean).join("\n\n");
  return md(`${head}\n\n${fence(body)}`);
}

/**
 * The student's notebook with their outputs, a summary on top and each test's result after its
 * cell. `anchors`: per test, the cell ids it may follow, in order of preference.
 */
export function feedbackNotebook(r: SubmissionResult, anchors: Map<string, (string | null)[]>): Notebook {
  const nb = r.executed!;
  const summary = [
    `# Feedback: ${r.student}`,
    `**Score: ${r.score} / ${r.maxScore}**`,
    ...(r.structure ? [`_${r.structure}_`] : []),
    ...(r.problems.length ? ["Problems:", ...r.problems.map((p) => `- ${p}`)] : []),
  ].join("\n\n");
  const byAnchor = new Map<string | null, TestResult[]>();
  const present = new Set(nb.cells.map((c) => c.id));
  for (const t of r.tests) {
    // After the student's copy of the test cell when there is one, else after the cell it tests.
    const places = anchors.get(t.name) ?? [null];
    const a = places.find((p) => p !== null && present.has(p));
    const key = a ?? (places.every((p) => p === null) ? null : "__end__");
    (byAnchor.get(key) ?? byAnchor.set(key, []).get(key)!).push(t);
  }
  const cells: Cell[] = [md(summary), ...(byAnchor.get(null) ?? []).map(testCell)];
  for (const c of nb.cells) {
    cells.push(c);
    for (const t of byAnchor.get(c.id ?? "") ?? []) cells.push(testCell(t));
  }
  cells.push(...(byAnchor.get("__end__") ?? []).map(testCell));
  return { ...nb, cells };
}

/** Writes results.json, grading.json, feedback.ipynb and feedback.html into `<out>/<student>/`. */
export function writeSubmission(outDir: string, r: SubmissionResult, sha256: string, anchors: Map<string, (string | null)[]>, hiddenVisibility: Visibility): GradingRecord {
  const dir = join(outDir, r.student);
  mkdirSync(dir, { recursive: true });
  if (r.executed) {
    const fb = feedbackNotebook(r, anchors);
    writeAtomic(join(dir, "feedback.ipynb"), JSON.stringify(fb, null, 1) + "\n");
    writeHtmlReport(fb as Parameters<typeof writeHtmlReport>[0], join(dir, "feedback.html"), `Feedback: ${r.student}`);
  }
  writeAtomic(join(dir, "results.json"), JSON.stringify(gradescopeResults(r, hiddenVisibility), null, 2) + "\n");
  const { executed: _, ...rest } = r;
  const record: GradingRecord = { ...rest, sha256 };
  // Last: its presence marks the student as graded (a resumed run skips them).
  writeAtomic(join(dir, "grading.json"), JSON.stringify(record, null, 2) + "\n");
  return record;
}

/** Every student's grading.json under `dir` (one folder per student). */
export function readRecords(dir: string): GradingRecord[] {
  if (!existsSync(dir)) return [];
  const out: GradingRecord[] = [];
  for (const name of readdirSync(dir).sort()) {
    const f = join(dir, name, "grading.json");
    if (existsSync(f)) out.push(JSON.parse(readFileSync(f, "utf8")) as GradingRecord);
  }
  return out;
}

/** One CSV field, quoted when it needs to be (RFC 4180). */
export function csvField(v: unknown): string {
  const s = v === undefined || v === null ? "" : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** grades.csv: a row per student, a column per test, then total, max, status, problems. */
export function gradesCsv(records: GradingRecord[], testNames: string[]): string {
  const header = ["student", ...testNames, "total", "max", "status", "problems"];
  const rows = [...records].sort((a, b) => a.student.localeCompare(b.student)).map((r) => {
    const byName = new Map(r.tests.map((t) => [t.name, t.score]));
    const problems = [...(r.structure ? [r.structure] : []), ...r.problems].join("; ");
    return [r.student, ...testNames.map((n) => byName.get(n) ?? ""), r.score, r.maxScore, r.status, problems];
  });
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

/** Parses grades.csv back (for tests and merge checks): header and rows as records. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else if (c !== "\r") field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

/**
 * Joins shard folders into one: copies each student's folder and writes grades.csv over all of
 * them. A student graded in two shards with different results is an error, not a silent pick.
 */
export function mergeGradebooks(shards: string[], outDir: string, testNames?: string[]): { students: number; csv: string } {
  const seen = new Map<string, { from: string; record: GradingRecord }>();
  for (const shard of shards) {
    if (!existsSync(shard)) throw new Error(`gradebook merge: ${shard} does not exist`);
    for (const record of readRecords(shard)) {
      const prev = seen.get(record.student);
      if (prev && (prev.record.sha256 !== record.sha256 || prev.record.score !== record.score)) {
        throw new Error(`gradebook merge: ${record.student} was graded in both ${prev.from} and ${shard} with different results (${prev.record.score} and ${record.score}); grade it once`);
      }
      seen.set(record.student, { from: shard, record });
    }
  }
  mkdirSync(outDir, { recursive: true });
  for (const { from, record } of seen.values()) {
    if (resolve(from) !== resolve(outDir)) cpSync(join(from, record.student), join(outDir, record.student), { recursive: true });
  }
  const records = [...seen.values()].map((s) => s.record);
  const names = testNames ?? [...new Set(records.flatMap((r) => r.tests.map((t) => t.name)))];
  const csv = join(outDir, "grades.csv");
  writeAtomic(csv, gradesCsv(records, names));
  return { students: records.length, csv };
}
