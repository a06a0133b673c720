/**
 * The grading commands: `gradnote assign`, `gradnote grade` and `gradnote gradebook merge`.
 * Options are checked before anything runs; an unknown one is named with the usage. Exit status:
 * 0 every student fully graded; 3 all graded but some not fully (the summary says who and why);
 * 1 nothing graded (a usage error, no sandbox, an unreadable autograder).
 */
import { flag, option } from "../args.js";
import { parseByteSize } from "../outputs.js";
import type { SandboxLimits } from "../sandbox.js";
import { assign } from "./assign.js";
import { gradeClass, listSubmissions, parseShard } from "./batch.js";
import { mergeGradebooks, type Visibility } from "./gradebook.js";

function seconds(args: string[], name: string): number | undefined {
  const v = option(args, name);
  if (v === undefined) return undefined;
  const n = Number(v.replace(/s$/, ""));
  if (!(n > 0)) throw new Error(`${name} must be a positive number of seconds, got ${JSON.stringify(v)}`);
  return n;
}

function count(args: string[], name: string): number | undefined {
  const v = option(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * The sandbox limits from the options, or null with --no-sandbox. Without a working sandbox the
 * command refuses (naming what is missing) unless --no-sandbox says to go on without one.
 */
function sandboxOptions(args: string[]): { off: boolean; memory?: string; processes?: number; cpu?: number } {
  return { off: flag(args, "--no-sandbox"), memory: option(args, "--memory"), processes: count(args, "--max-processes"), cpu: seconds(args, "--cpu-time") };
}

async function sandboxFrom({ off, memory, processes, cpu }: ReturnType<typeof sandboxOptions>, command: string): Promise<SandboxLimits | null> {
  const memoryBytes = memory === undefined ? undefined : parseByteSize(memory, "--memory");
  if (off) {
    console.error(`gradnote ${command}: --no-sandbox: student code runs with your user's rights, network and files`);
    return null;
  }
  const { sandboxSupport, describeLimits, DEFAULT_LIMITS } = await import("../sandbox.js");
  const support = sandboxSupport();
  if (!support.ok) {
    throw new Error(`gradnote ${command}: refusing to run student code without a sandbox: ${support.reason}`);
  }
  const limits: SandboxLimits = {
    ...DEFAULT_LIMITS,
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
    ...(processes !== undefined ? { maxProcesses: processes } : {}),
    ...(cpu !== undefined ? { cpuSeconds: cpu } : {}),
  };
  console.log(`Sandbox: ${support.how.split(";")[0]}; ${describeLimits(limits)}`);
  return limits;
}

function rejectUnknown(args: string[], command: string, usage: string): void {
  const unknown = args.find((a) => a.startsWith("-"));
  if (unknown) throw new Error(`gradnote ${command}: unknown option ${unknown}\n${usage}`);
}

export async function gradingCommand(command: string, args: string[], usage: string): Promise<number> {
  if (command === "assign") {
    const release = option(args, "--release");
    const autograder = option(args, "--autograder");
    const noCheck = flag(args, "--no-check");
    const files: string[] = [];
    for (let f = option(args, "--files"); f !== undefined; f = option(args, "--files")) files.push(f);
    const sandboxArgs = sandboxOptions(args);
    rejectUnknown(args, command, usage);
    const sandbox = noCheck ? null : await sandboxFrom(sandboxArgs, command);
    if (args.length !== 1 || !release || !autograder) throw new Error(`gradnote assign: needs one solution notebook, --release DIR and --autograder DIR\n${usage}`);
    const r = await assign(args[0], { release, autograder, sandbox, noCheck, files });
    return r.problems.length ? 1 : 0;
  }
  if (command === "gradebook") {
    const sub = args.shift();
    const out = option(args, "--output-dir");
    rejectUnknown(args, command, usage);
    if (sub !== "merge" || !out || args.length === 0) throw new Error(`gradnote gradebook: expected merge SHARD_DIR ... --output-dir DIR\n${usage}`);
    const r = mergeGradebooks(args, out);
    console.log(`Merged ${r.students} students from ${args.length} folders into ${r.csv}`);
    return 0;
  }
  // grade
  const autograder = option(args, "--autograder");
  const outputDir = option(args, "--output-dir");
  const jobs = count(args, "--jobs");
  const shardText = option(args, "--shard");
  const force = flag(args, "--force");
  const cellTimeout = seconds(args, "--cell-timeout");
  const testTimeout = seconds(args, "--test-timeout");
  const maxOutputText = option(args, "--max-output");
  const hidden = option(args, "--hidden-visibility");
  if (hidden !== undefined && !["hidden", "after_due_date", "after_published", "visible"].includes(hidden)) {
    throw new Error(`--hidden-visibility must be hidden, after_due_date, after_published or visible (Gradescope's values), got ${JSON.stringify(hidden)}`);
  }
  const regradeIncomplete = flag(args, "--regrade-incomplete");
  const sandboxArgs = sandboxOptions(args);
  rejectUnknown(args, command, usage);
  if (!autograder || !outputDir) throw new Error(`gradnote grade: --autograder DIR and --output-dir DIR are required\n${usage}`);
  if (args.length === 0) throw new Error(`gradnote grade: which submissions? name notebooks or folders of them\n${usage}`);
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  const maxOutput = maxOutputText === undefined ? undefined : parseByteSize(maxOutputText, "--max-output");
  const sandbox = await sandboxFrom(sandboxArgs, command);
  const paths = listSubmissions(args);
  if (paths.length === 0) throw new Error(`gradnote grade: no .ipynb files in ${args.join(" ")}`);
  const s = await gradeClass(paths, {
    autograder, outputDir, jobs, force, sandbox, cellTimeout, testTimeout, shard, maxOutput, regradeIncomplete, args,
    hiddenVisibility: hidden as Visibility | undefined,
  });
  const done = s.graded.length;
  console.log(`\nGraded ${done} submission${done === 1 ? "" : "s"}${s.skipped.length ? ` (${s.skipped.length} unchanged, skipped)` : ""}; grades in ${s.csv}`);
  if (s.trouble.length) {
    console.log(`${s.trouble.length} could not be fully graded:`);
    for (const t of s.trouble) console.log(`  ${t.student}: ${t.why}`);
    // 3, not 1: everyone was graded, some not fully; 1 stays "could not grade" (usage, no sandbox).
    return 3;
  }
  return 0;
}
