/**
 * Grades one submission: runs the student's cells in their kernel, and after each cell the tests
 * that follow it in the solution. Tests run here, in the grading process; they ask the kernel for
 * values (RemoteStudent) and compare them themselves. A hang, crash or memory death costs the
 * tests it touches, names its cause, and the kernel is started again for the rest.
 */
import type { ReceivedMessage } from "../client.js";
import { expect } from "./expect.js";
import type { AssignmentSpec, Cell, Notebook, TestSpec } from "./format.js";
import { sourceText } from "./format.js";
import { KernelSession, type Cause, type ExecOutcome } from "./session.js";
import { StudentApi } from "./student-api.js";
import { compileTest, type TestFunction } from "./testcode.js";
import { decodeValue, VALUE_MIME, type TensorData } from "./value.js";
import { CellOutputs, DisplayIds } from "../outputs.js";

export type TestCause = Cause | "AssertionError" | "StudentError" | "TestError" | "NotRun";

export interface TestResult {
  name: string;
  points: number;
  score: number;
  status: "passed" | "failed";
  cause?: TestCause;
  message: string;
  /** What the test logged and the student's code printed while it ran (capped). */
  output: string;
  visibility: "visible" | "hidden";
  seconds: number;
}

export interface CellResult {
  id: string;
  /** 1-based position in the submitted notebook. */
  index: number;
  status: "ok" | "error" | Cause;
  error?: string;
}

export interface SubmissionResult {
  student: string;
  notebook: string;
  score: number;
  maxScore: number;
  /** complete: every test reached a verdict; incomplete: some were cut by a timeout, death or limit. */
  status: "complete" | "incomplete" | "error";
  problems: string[];
  structure: string | null;
  tests: TestResult[];
  cells: CellResult[];
  seconds: number;
  kernelStarts: number;
  /** The submission with its outputs, for feedback (null when it could not be read). */
  executed: Notebook | null;
}

export interface GradeOptions {
  sandbox: import("../sandbox.js").SandboxLimits | null;
  /** Seconds per student cell. */
  cellTimeout: number;
  /** Seconds per test, unless its header says otherwise. */
  testTimeout: number;
  /** Bytes of output kept per cell and per test. */
  maxOutput: number;
  /** Fresh kernels after the first one, before the remaining steps are given up. */
  maxRestarts: number;
  /** Resolves a test's imports ("gradnote"). */
  importer: (spec: string) => Promise<unknown>;
  /** Builds the grader's tensor from a student's tensor data. */
  makeTensor: (t: TensorData) => unknown;
}

/** A failure inside a student request, carried through the test's code as an exception. */
class StudentFailure extends Error {
  constructor(readonly reason: TestCause, message: string) {
    super(message);
    this.name = reason;
  }
}

const MAX_TEST_OUTPUT = 64 * 1024;


/** The grader's `student`: each request goes to the kernel with the test's remaining time. */
class RemoteStudent extends StudentApi {
  output = "";
  inFlight: Promise<ExecOutcome> | null = null;
  revoked = false;

  constructor(private readonly session: KernelSession, private readonly deadline: number, private readonly opts: GradeOptions) {
    super();
  }

  /** Runs code for the test; returns the last value display it sent (the grade hook's). */
  private async request(code: string): Promise<{ value?: unknown }> {
    if (this.revoked) throw new StudentFailure("Timeout", "the test had already ended");
    const left = this.deadline - Date.now();
    if (left <= 0) throw new StudentFailure("Timeout", "no time left for this test");
    const got: { value?: unknown } = {};
    const onIopub = (m: ReceivedMessage) => {
      const type = m.header.msg_type;
      if (type === "stream") this.print(String(m.content.text ?? ""));
      else if (type === "display_data") {
        const data = m.content.data as Record<string, unknown> | undefined;
        if (data && VALUE_MIME in data) got.value = data[VALUE_MIME];
      }
    };
    this.inFlight = this.session.exec(code, left, { onIopub });
    const r = await this.inFlight;
    this.inFlight = null;
    if (r.failure) throw new StudentFailure(r.failure.cause, r.failure.message);
    if (r.reply?.status !== "ok") {
      const ename = String(r.reply?.ename ?? "Error"), evalue = String(r.reply?.evalue ?? "");
      throw new StudentFailure("StudentError", `${ename}: ${evalue}`);
    }
    return got;
  }

  /** Keeps what the student's code printed during the test, up to MAX_TEST_OUTPUT. */
  private print(text: string): void {
    if (this.output.length >= MAX_TEST_OUTPUT) return;
    this.output += text.slice(0, MAX_TEST_OUTPUT - this.output.length);
    if (this.output.length >= MAX_TEST_OUTPUT) this.output += "\n[gradnote: output cut]\n";
  }

  protected async evalValue(expression: string): Promise<unknown> {
    const r = await this.request(`await globalThis[Symbol.for("gradnote.grade.value")](async () => (\n${expression}\n));`);
    if (!("value" in r)) throw new StudentFailure("StudentError", `the kernel sent no value for ${expression.trim()}`);
    try {
      return decodeValue(r.value, this.opts.makeTensor);
    } catch (e) {
      throw new StudentFailure("StudentError", `the value of ${expression.trim()} could not be read: ${(e as Error).message}`);
    }
  }

  protected async runCode(code: string): Promise<void> {
    await this.request(`await (async () => {\n${code}\n})();`);
  }
}

interface Step {
  cell?: { cell: Cell; index: number };
  test?: TestSpec;
}

/** The order of work: the student's cells as submitted, each followed by the tests anchored to it. */
export function plan(nb: Notebook, spec: AssignmentSpec): { steps: Step[]; structure: string | null } {
  const testIds = new Set(spec.tests.map((t) => t.cellId));
  const code = nb.cells
    .map((cell, i) => ({ cell, index: i + 1 }))
    .filter(({ cell }) => cell.cell_type === "code" && !testIds.has(cell.id ?? "") && !isTestCell(cell));
  const present = new Set(code.map((c) => c.cell.id ?? ""));
  const steps: Step[] = spec.tests.filter((t) => t.anchor === null).map((test) => ({ test }));
  for (const c of code) {
    steps.push({ cell: c });
    for (const test of spec.tests) if (test.anchor !== null && test.anchor === c.cell.id) steps.push({ test });
  }
  const orphans = spec.tests.filter((t) => t.anchor !== null && !present.has(t.anchor));
  for (const test of orphans) steps.push({ test });
  // Structure: missing, added and reordered cells compared with the release.
  const known = new Set(spec.cells);
  const missing = spec.cells.filter((id) => !present.has(id));
  const added = code.filter((c) => !known.has(c.cell.id ?? "")).length;
  const order = code.map((c) => c.cell.id ?? "").filter((id) => known.has(id));
  const reordered = order.some((id, i) => i > 0 && spec.cells.indexOf(id) < spec.cells.indexOf(order[i - 1]));
  const notes = [
    missing.length ? `${missing.length} cell${missing.length > 1 ? "s" : ""} of the assignment missing (${missing.join(", ")})` : "",
    added ? `${added} cell${added > 1 ? "s" : ""} added` : "",
    reordered ? "cells reordered" : "",
    orphans.length ? `tests run at the end: ${orphans.map((t) => t.name).join(", ")}` : "",
  ].filter(Boolean);
  return { steps, structure: notes.length ? `structure changed: ${notes.join("; ")}` : null };
}

/** A copy of a test cell in the submission: its first non-blank line is a `// @test` header. */
function isTestCell(cell: Cell): boolean {
  const first = sourceText(cell.source).split("\n").find((l) => l.trim() !== "");
  return first !== undefined && /^\s*\/\/\s*@test\b/.test(first);
}

const errorText = (reply: Record<string, unknown> | undefined) => `${reply?.ename ?? "Error"}: ${String(reply?.evalue ?? "").split("\n")[0]}`;

/**
 * Grades one notebook. `nb` is the parsed submission (already copied into `dir`, the private
 * folder its kernel runs in). Never throws for anything the submission does.
 */
export async function gradeNotebook(nb: Notebook, student: string, notebookPath: string, dir: string, spec: AssignmentSpec, tests: Map<string, TestFunction>, opts: GradeOptions): Promise<SubmissionResult> {
  const t0 = performance.now();
  const { steps, structure } = plan(nb, spec);
  const session = new KernelSession({ dir, sandbox: opts.sandbox, maxOutput: opts.maxOutput });
  const results: TestResult[] = [];
  const cells: CellResult[] = [];
  const problems: string[] = [];
  const ran: string[] = [];
  const displays = new DisplayIds();
  let gaveUp: string | null = null;

  /** A kernel for the next step: fresh ones replay the cells that ran so far. */
  const ensureKernel = async (): Promise<boolean> => {
    if (session.alive) return true;
    if (gaveUp) return false;
    if (session.starts > opts.maxRestarts) {
      gaveUp = `not run: the kernel died ${session.starts} times`;
      return false;
    }
    try {
      await session.start();
    } catch (e) {
      gaveUp = `not run: the kernel could not start (${(e as Error).message.split("\n")[0]})`;
      problems.push(gaveUp);
      return false;
    }
    for (const source of ran) {
      const r = await session.exec(source, opts.cellTimeout * 1000);
      if (r.failure) break;
    }
    return session.alive;
  };

  try {
    for (const step of steps) {
      if (step.cell) {
        const { cell, index } = step.cell;
        const id = cell.id ?? `cell-${index}`;
        const outputs = new CellOutputs({ maxOutputBytes: opts.maxOutput, displays });
        cell.outputs = [];
        if (!(await ensureKernel())) {
          cells.push({ id, index, status: "KernelDied", error: gaveUp ?? "not run" });
          continue;
        }
        const source = sourceText(cell.source);
        const r = await session.exec(source, opts.cellTimeout * 1000, { storeHistory: true, onIopub: (m) => outputs.apply(m) });
        cell.outputs = outputs.finish();
        cell.execution_count = (r.reply?.execution_count as number | undefined) ?? null;
        if (r.failure) {
          cells.push({ id, index, status: r.failure.cause, error: r.failure.message });
          problems.push(`cell ${index}: ${r.failure.cause} (${r.failure.message})`);
          cell.outputs.push({ output_type: "error", ename: r.failure.cause, evalue: r.failure.message, traceback: [] });
        } else if (r.reply?.status !== "ok") {
          cells.push({ id, index, status: "error", error: errorText(r.reply) });
          problems.push(`cell ${index}: ${errorText(r.reply)}`);
          ran.push(source);
        } else {
          cells.push({ id, index, status: "ok" });
          ran.push(source);
        }
        continue;
      }
      const test = step.test!;
      const started = performance.now();
      const base = { name: test.name, points: test.points, visibility: test.visibility };
      if (!(await ensureKernel())) {
        results.push({ ...base, score: 0, status: "failed", cause: "NotRun", message: gaveUp ?? "not run", output: "", seconds: 0 });
        continue;
      }
      results.push({ ...(await runTest(test, session, tests.get(test.name)!, opts)), seconds: (performance.now() - started) / 1000 });
    }
  } finally {
    await session.stop();
  }
  const failedCells = cells.filter((c) => c.status !== "ok");
  for (const r of results) {
    if (r.status === "failed" && r.cause === "StudentError" && failedCells.length) {
      r.message += ` (cells with errors: ${failedCells.map((c) => `cell ${c.index} ${c.error}`).join("; ")})`;
    }
  }
  const cut = results.filter((r) => r.cause === "Timeout" || r.cause === "KernelDied" || r.cause === "OutOfMemory" || r.cause === "NotRun");
  for (const r of cut) problems.push(`test ${r.name}: ${r.cause} (${r.message})`);
  return {
    student, notebook: notebookPath,
    score: round(results.reduce((s, r) => s + r.score, 0)),
    maxScore: spec.total,
    status: cut.length || cells.some((c) => c.status !== "ok" && c.status !== "error") ? "incomplete" : "complete",
    problems, structure, tests: results, cells,
    seconds: (performance.now() - t0) / 1000,
    kernelStarts: session.starts,
    executed: nb,
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

async function runTest(test: TestSpec, session: KernelSession, fn: TestFunction, opts: GradeOptions): Promise<Omit<TestResult, "seconds">> {
  const timeoutS = test.timeout ?? opts.testTimeout;
  const deadline = Date.now() + timeoutS * 1000;
  const student = new RemoteStudent(session, deadline, opts);
  const logged: string[] = [];
  const log = (...args: unknown[]) => logged.push(args.map((a) => (typeof a === "string" ? a : describeForLog(a))).join(" "));
  const base = { name: test.name, points: test.points, visibility: test.visibility };
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutS * 1000 + 250)));
  let outcome: { ok: true } | { ok: false; cause: TestCause; message: string };
  try {
    const r = await Promise.race([fn(student, expect, log).then(() => "done" as const), overrun]);
    outcome = r === "done" ? { ok: true } : { ok: false, cause: "Timeout", message: `the test did not finish within ${timeoutS} s` };
  } catch (e) {
    const err = e as Error;
    if (e instanceof StudentFailure) outcome = { ok: false, cause: e.reason, message: e.message };
    else if (err?.name === "AssertionError") outcome = { ok: false, cause: "AssertionError", message: err.message };
    else outcome = { ok: false, cause: "TestError", message: `${err?.name ?? "Error"}: ${err?.message ?? String(e)}` };
  } finally {
    clearTimeout(timer);
    student.revoked = true;
  }
  // A request still running (the test itself overran) finishes its recovery before the next step.
  if (student.inFlight) await student.inFlight;
  const output = (logged.length ? logged.join("\n") + "\n" : "") + student.output;
  if (outcome.ok) return { ...base, score: test.points, status: "passed", message: "passed", output };
  return { ...base, score: 0, status: "failed", cause: outcome.cause, message: outcome.message, output };
}

function describeForLog(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Compiles every test of a spec once (a syntax error in a test is the teacher's, named). */
export async function compileTests(spec: AssignmentSpec, importer: (spec: string) => Promise<unknown>): Promise<Map<string, TestFunction>> {
  const out = new Map<string, TestFunction>();
  for (const t of spec.tests) out.set(t.name, await compileTest(t.name, t.code, importer));
  return out;
}
