/**
 * Headless notebook runner (`gradnote run nb.ipynb`): starts a gradnote kernel, executes every
 * code cell over ZeroMQ with the project's own client, and writes the executed notebook
 * (nbformat 4.5). Used for grading pipelines and as the README's main job without Jupyter.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { KernelDiedError, launchKernel } from "./client.js";
import { KERNEL_VERSION, languageInfo } from "./kernel-info.js";
import { writeHtmlReport } from "./html-report.js";
import { sourceText, type Cell, type Notebook } from "./grade/format.js";
import { CellOutputs, DEFAULT_MAX_OUTPUT_BYTES, DisplayIds, plainSummary, splitLines as lines } from "./outputs.js";

export interface RunOptions {
  output?: string;
  allowErrors?: boolean;
  /** Per-cell timeout in seconds. */
  timeout?: number;
  quiet?: boolean;
  /** Also write a self-contained HTML report here (plots render offline). */
  html?: string;
  /**
   * Grader code run after the notebook's cells in the same kernel (so it sees the student's
   * variables), appended to the output as a code cell tagged `gradnote-grader`. When its last
   * expression is a number, or `{ score, max }`, that is the notebook's score.
   */
  append?: string;
  /**
   * Bytes of output kept per cell (default 8 MiB, outputs.ts): past it output is dropped and
   * counted, with one note in the cell. The cost of a run stays linear in what cells print.
   */
  maxOutput?: number;
}

export interface RunResult {
  notebook: Notebook;
  failedCell?: number;
  outputPath: string;
  /** The grader cell's score, when `append` gave one. */
  score?: { score: number; max?: number };
  /** The grader cell itself failed (its error is in the output notebook). */
  graderFailed?: boolean;
}

/** A score from the grader cell's value: a number, or an object with numeric score (and max). */
function scoreOf(outputs: Record<string, unknown>[]): { score: number; max?: number } | undefined {
  const result = outputs.find((o) => o.output_type === "execute_result");
  const plain = (result?.data as Record<string, unknown> | undefined)?.["text/plain"];
  if (typeof plain !== "string") return undefined;
  if (/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(plain.trim())) return { score: Number(plain) };
  const m = /score:\s*(-?[\d.]+)/.exec(plain), mx = /max:\s*(-?[\d.]+)/.exec(plain);
  return m ? { score: Number(m[1]), ...(mx ? { max: Number(mx[1]) } : {}) } : undefined;
}


export async function runNotebook(path: string, opts: RunOptions = {}): Promise<RunResult> {
  const nbPath = resolve(path);
  const nb = JSON.parse(readFileSync(nbPath, "utf8")) as Notebook;
  if (!Array.isArray(nb.cells)) throw new Error(`${path}: not a notebook (no "cells" array)`);
  // Output is applied as it arrives (onIopub), so nothing else needs to keep the messages; the
  // kernel stops sending a cell's printed text past the cap too (GRADNOTE_MAX_OUTPUT, counted).
  const cap = opts.maxOutput ?? DEFAULT_MAX_OUTPUT_BYTES;
  const env = { ...process.env, GRADNOTE_MAX_OUTPUT: String(Math.floor(cap)) };
  const kernel = await launchKernel({ cwd: dirname(nbPath), keepAllIopub: false, env });
  const displays = new DisplayIds();
  const newOutputs = () => new CellOutputs({ maxOutputBytes: cap, displays });
  const log = (s: string) => opts.quiet || process.stdout.write(s);
  let failedCell: number | undefined;
  const timeoutS = opts.timeout ?? 600;
  let score: RunResult["score"];
  let graderFailed: boolean | undefined;
  try {
    kernel.client.onInput = () => "";
    let index = 0;
    for (const cell of nb.cells) {
      index++;
      if (cell.cell_type !== "code") continue;
      const source = sourceText(cell.source);
      const outputs = newOutputs();
      cell.outputs = [];
      let result;
      try {
        // Like nbclient: with --allow-errors a failing cell must not abort the cells after it.
        result = await kernel.client.execute(source, { allow_stdin: false, stop_on_error: !opts.allowErrors }, timeoutS * 1000, { onIopub: (m) => outputs.apply(m) });
      } catch (e) {
        // What the cell printed before it died or timed out is kept, then the reason.
        cell.outputs = outputs.finish();
        if (e instanceof KernelDiedError) {
          cell.outputs.push({ output_type: "error", ename: e.name, evalue: e.message, traceback: [] });
          process.stderr.write(`cell ${index}: ${e.message}\n`);
        } else {
          await kernel.client.request("interrupt_request", {}, "control", 5000).catch(() => undefined);
          cell.outputs.push({ output_type: "error", ename: "TimeoutError", evalue: `cell ${index} timed out after ${timeoutS} s`, traceback: [] });
        }
        failedCell = index;
        break;
      }
      cell.outputs = outputs.finish();
      const reply = result.reply.content;
      cell.execution_count = (reply.execution_count as number | null) ?? null;
      log(`── [${cell.execution_count ?? " "}] cell ${index} ${reply.status}\n${plainSummary(cell.outputs)}`);
      if (reply.status !== "ok" && failedCell === undefined) {
        failedCell = index;
        if (!opts.allowErrors) break;
      }
    }
    if (opts.append !== undefined && kernel.process.exitCode === null) {
      // The grader runs even after a failing student cell: partial work still gets a score.
      const cell: Cell = { cell_type: "code", metadata: { tags: ["gradnote-grader"] }, source: lines(opts.append), outputs: [], execution_count: null, id: "gradnote-grader" };
      nb.cells.push(cell);
      const outputs = newOutputs();
      const r = await kernel.client.execute(opts.append, { allow_stdin: false, stop_on_error: false }, timeoutS * 1000, { onIopub: (m) => outputs.apply(m) }).catch(() => undefined);
      cell.outputs = outputs.finish();
      if (r) {
        cell.execution_count = (r.reply.content.execution_count as number | null) ?? null;
        graderFailed = r.reply.content.status !== "ok";
        score = graderFailed ? undefined : scoreOf(cell.outputs!);
        log(`── grader ${r.reply.content.status}\n${plainSummary(cell.outputs!)}`);
      } else {
        graderFailed = true;
        cell.outputs!.push({ output_type: "error", ename: "TimeoutError", evalue: "the grader cell did not finish", traceback: [] });
      }
    }
  } finally {
    await kernel.shutdown();
  }
  nb.nbformat = 4;
  nb.nbformat_minor = Math.max(5, nb.nbformat_minor ?? 5);
  for (const [i, cell] of nb.cells.entries()) cell.id ??= `cell-${i}`;
  nb.metadata = {
    ...nb.metadata,
    kernelspec: { name: "gradnote", display_name: "TypeScript (gradnote)", language: "typescript" },
    language_info: languageInfo(),
    gradnote: { version: KERNEL_VERSION },
  };
  const outputPath = resolve(opts.output ?? nbPath.replace(/\.ipynb$/, "") + ".out.ipynb");
  writeFileSync(outputPath, JSON.stringify(nb, null, 1) + "\n");
  if (opts.html) writeHtmlReport(nb, resolve(opts.html), basename(nbPath));
  return { notebook: nb, failedCell, outputPath, ...(score ? { score } : {}), ...(graderFailed !== undefined ? { graderFailed } : {}) };
}
