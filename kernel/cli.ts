/**
 * `gradnote` command line: install the kernelspec, run the kernel for a connection file, run a
 * notebook headless, report what the machine gives (doctor). Argument parsing only; the work is
 * in kernelspec.ts, main.ts, runner.ts, doctor.ts.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { flag, option } from "./args.js";
import { installKernelspec } from "./kernelspec.js";
import { parseByteSize } from "./outputs.js";
import { runNotebook } from "./runner.js";

const USAGE = `usage:
  gradnote install [--user | --prefix P | --sys-prefix] [--name NAME] [--display-name TEXT]
  gradnote doctor [--json]
  gradnote kernel --connection-file FILE
  gradnote run NOTEBOOK.ipynb [--output OUT.ipynb] [--html REPORT.html] [--allow-errors] [--timeout SECONDS] [--max-output BYTES] [--append GRADER.ts]
  gradnote assign SOLUTION.ipynb --release DIR --autograder DIR [--files PATH]... [--no-check] [--no-sandbox]
  gradnote grade SUBMISSION.ipynb|DIR ... --autograder DIR --output-dir DIR [--jobs N] [--shard K/N] [--force] [--regrade-incomplete] [--no-sandbox] [--memory SIZE] [--max-processes N] [--cpu-time SECONDS] [--cell-timeout SECONDS] [--test-timeout SECONDS] [--max-output SIZE] [--hidden-visibility hidden|after_due_date|after_published|visible]
  gradnote gradebook merge SHARD_DIR ... --output-dir DIR
  gradnote run A.ipynb B.ipynb ... [--output-dir DIR] [--allow-errors] [--timeout SECONDS] [--max-output BYTES] [--append GRADER.ts]`;

/** "score 3/5" from a run's grader cell, or what went wrong with it. */
function graded(r: { score?: { score: number; max?: number }; graderFailed?: boolean }): string {
  if (r.graderFailed) return "grader failed";
  return r.score ? `score ${r.score.score}${r.score.max !== undefined ? `/${r.score.max}` : ""}` : "";
}

/** The usage lines of one command (all of them for an unknown one). */
function usageOf(command: string): string {
  const lines = USAGE.split("\n").slice(1).filter((l) => l.trim().startsWith(`gradnote ${command} `) || l.trim() === `gradnote ${command}`);
  return lines.length > 0 ? `usage:\n${lines.join("\n")}` : USAGE;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  // `gradnote CMD --help` explains CMD and does nothing else (install must not install).
  if (command && args.some((a) => a === "--help" || a === "-h")) {
    console.log(usageOf(command));
    return 0;
  }
  switch (command) {
    case "install": {
      const prefix = option(args, "--prefix");
      const sysPrefix = flag(args, "--sys-prefix");
      flag(args, "--user");
      const name = option(args, "--name");
      const displayName = option(args, "--display-name");
      if (args.length > 0) throw new Error(`gradnote install: unknown option ${args[0]}\n${usageOf("install")}`);
      const dir = installKernelspec({
        prefix: prefix ?? (sysPrefix ? "/usr/local" : undefined),
        name,
        displayName,
      });
      console.log(`Installed kernelspec gradnote in ${dir}`);
      return 0;
    }
    case "doctor": {
      const { runDoctor, formatDoctor } = await import("./doctor.js");
      const json = flag(args, "--json");
      if (args.length) throw new Error(`gradnote doctor: unexpected ${args.join(" ")}\n${USAGE}`);
      const items = runDoctor();
      console.log(json ? JSON.stringify(items, null, 2) : formatDoctor(items));
      return 0;
    }
    case "kernel": {
      const { startKernel } = await import("./main.js");
      const file = option(args, "--connection-file") ?? option(args, "-f") ?? args.find((a) => a.endsWith(".json"));
      if (!file) throw new Error("gradnote kernel: --connection-file is required");
      await startKernel(file);
      return 0;
    }
    case "run": {
      const output = option(args, "--output");
      const outputDir = option(args, "--output-dir");
      const html = option(args, "--html");
      const timeout = option(args, "--timeout");
      const maxOutputArg = option(args, "--max-output");
      const maxOutput = maxOutputArg === undefined ? undefined : parseByteSize(maxOutputArg, "--max-output");
      const allowErrors = flag(args, "--allow-errors");
      const appendFile = option(args, "--append");
      const append = appendFile === undefined ? undefined : readFileSync(appendFile, "utf8");
      const unknown = args.find((a) => a.startsWith("--"));
      if (unknown) throw new Error(`gradnote run: unknown option ${unknown}\n${USAGE}`);
      const paths = args;
      if (paths.length === 0) throw new Error("gradnote run: which notebook? " + USAGE);
      if (timeout !== undefined && !(Number(timeout) > 0)) throw new Error(`--timeout must be a positive number of seconds, got ${timeout}`);
      const seconds = timeout ? Number(timeout) : undefined;
      if (paths.length === 1 && !outputDir) {
        const r = await runNotebook(paths[0], { output, html, allowErrors, timeout: seconds, append, maxOutput });
        console.log(`Wrote ${r.outputPath}${html ? ` and ${html}` : ""}`);
        if (append !== undefined) console.log(graded(r) || "the grader cell gave no score");
        if (r.failedCell !== undefined || r.graderFailed) {
          if (r.failedCell !== undefined) console.error(`cell ${r.failedCell} failed${allowErrors ? " (--allow-errors)" : ""}`);
          return allowErrors ? 0 : 1;
        }
        return 0;
      }
      if (output || html) throw new Error("gradnote run: --output and --html name one file; for several notebooks use --output-dir DIR");
      return runMany(paths, { outputDir, allowErrors, timeout: seconds, append, maxOutput });
    }
    case "assign":
    case "grade":
    case "gradebook": {
      const { gradingCommand } = await import("./grade/cli.js");
      return gradingCommand(command, args, usageOf(command));
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`gradnote: unknown command ${JSON.stringify(command)}\n${USAGE}`);
      return 2;
  }
}

// A one-shot command exits as soon as its work is done rather than waiting for the event loop
// to drain: a stray ZeroMQ handle or timer must never keep a grading pipeline waiting. `kernel`
// runs until its shutdown_request, so it is left to end by itself.
/**
 * Grades several notebooks one after another, each in a fresh kernel: one line per notebook as it
 * finishes, then a summary. A notebook that cannot be read or run is reported and the rest go on.
 * Exit status 1 when any notebook had a failing cell (0 with --allow-errors) or could not run.
 */
async function runMany(paths: string[], opts: { outputDir?: string; allowErrors: boolean; timeout?: number; append?: string; maxOutput?: number }): Promise<number> {
  const outName = (p: string) => basename(p).replace(/\.ipynb$/, "") + ".ipynb";
  if (opts.outputDir) {
    const names = paths.map(outName);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new Error(`gradnote run: two notebooks would both be written to ${join(opts.outputDir, twice)}`);
    mkdirSync(opts.outputDir, { recursive: true });
  }
  let clean = 0, bad = false;
  for (const path of paths) {
    const t0 = performance.now();
    let status: string;
    try {
      const r = await runNotebook(path, { output: opts.outputDir ? join(opts.outputDir, outName(path)) : undefined, allowErrors: opts.allowErrors, timeout: opts.timeout, quiet: true, append: opts.append, maxOutput: opts.maxOutput });
      status = [r.failedCell === undefined ? "ok" : `cell ${r.failedCell} failed`, graded(r)].filter(Boolean).join(", ");
      if (r.failedCell === undefined && !r.graderFailed) clean++;
      else if (!opts.allowErrors) bad = true;
    } catch (e) {
      status = `not run: ${(e as Error).message}`;
      bad = true;
    }
    console.log(`${path}: ${status} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  console.log(`\n${clean} of ${paths.length} notebooks ran without a failing cell${opts.outputDir ? `; executed copies in ${opts.outputDir}` : ""}`);
  return bad ? 1 : 0;
}

const args = process.argv.slice(2);
main(args).then(
  (code) => {
    process.exitCode = code;
    if (args[0] !== "kernel") process.exit(code);
  },
  (e) => {
    console.error(`gradnote: ${(e as Error).message}`);
    process.exit(1);
  },
);
