/**
 * `gradnote` command line: install the kernelspec, run the kernel for a connection file, run a
 * notebook headless. Argument parsing only; the work is in kernelspec.ts, main.ts, runner.ts.
 */
import { installKernelspec } from "./kernelspec.js";
import { runNotebook } from "./runner.js";

const USAGE = `usage:
  gradnote install [--user | --prefix P | --sys-prefix] [--name NAME] [--display-name TEXT]
  gradnote kernel --connection-file FILE
  gradnote run NOTEBOOK.ipynb [--output OUT.ipynb] [--html REPORT.html] [--allow-errors] [--timeout SECONDS]`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) {
    const v = args[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
    args.splice(i, 2);
    return v;
  }
  const eq = args.find((a) => a.startsWith(`${name}=`));
  if (eq) {
    args.splice(args.indexOf(eq), 1);
    return eq.slice(name.length + 1);
  }
  return undefined;
}

function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "install": {
      const prefix = option(args, "--prefix");
      const sysPrefix = flag(args, "--sys-prefix");
      flag(args, "--user");
      const dir = installKernelspec({
        prefix: prefix ?? (sysPrefix ? "/usr/local" : undefined),
        name: option(args, "--name"),
        displayName: option(args, "--display-name"),
      });
      console.log(`Installed kernelspec gradnote in ${dir}`);
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
      const html = option(args, "--html");
      const timeout = option(args, "--timeout");
      const allowErrors = flag(args, "--allow-errors");
      const path = args.find((a) => !a.startsWith("--"));
      if (!path) throw new Error("gradnote run: which notebook? " + USAGE);
      if (timeout !== undefined && !(Number(timeout) > 0)) throw new Error(`--timeout must be a positive number of seconds, got ${timeout}`);
      const r = await runNotebook(path, { output, html, allowErrors, timeout: timeout ? Number(timeout) : undefined });
      console.log(`Wrote ${r.outputPath}${html ? ` and ${html}` : ""}`);
      if (r.failedCell !== undefined) {
        console.error(`cell ${r.failedCell} failed${allowErrors ? " (--allow-errors)" : ""}`);
        return allowErrors ? 0 : 1;
      }
      return 0;
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
