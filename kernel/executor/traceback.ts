/**
 * Error -> Jupyter `error` content (ename, evalue, traceback) with frames mapped back to the
 * cell that defined them: `Cell In[3], line 5`, even for a function from an earlier cell.
 */
import type { ErrorContent } from "../bridge.js";
import { inspectPlain } from "./display.js";

interface CellSource {
  label: string;
  /** Cell line (1-based) for each generated line (1-based). */
  lines: number[];
  source: string[];
}

const cells = new Map<string, CellSource>();
let nextScript = 1;

/** Registers a cell's mapping and returns the script name to put in its `sourceURL`. */
export function registerCell(label: string, lines: number[], source: string): string {
  const name = `gradnote-cell-${nextScript++}.ts`;
  cells.set(name, { label, lines, source: source.split("\n") });
  return name;
}

const RED = "\x1b[0;31m";
const GREEN = "\x1b[0;32m";
const RESET = "\x1b[0m";
const RULE = "-".repeat(75);

function context(cell: CellSource, line: number): string {
  const out: string[] = [];
  for (let l = Math.max(1, line - 2); l <= Math.min(cell.source.length, line + 2); l++) {
    const marker = l === line ? `${GREEN}---> ${String(l).padStart(3)}${RESET}` : `     ${String(l).padStart(3)}`;
    out.push(`${marker} ${cell.source[l - 1]}`);
  }
  return out.join("\n");
}

const FRAME = /\(?(gradnote-cell-\d+\.ts):(\d+):(\d+)\)?/;

/** Frames of the stack that come from cells, innermost last (as Python prints them). */
function cellFrames(stack: string): string[] {
  const frames: string[] = [];
  for (const raw of stack.split("\n")) {
    const m = FRAME.exec(raw);
    if (!m) continue;
    const cell = cells.get(m[1]);
    if (!cell) continue;
    const line = cell.lines[Number(m[2])] || 1;
    const fn = /^\s*at (?:async )?([^\s(]+) \(/.exec(raw)?.[1];
    const where = fn && fn !== "eval" && !fn.startsWith("gradnote-cell") ? `, in ${fn}()` : "";
    frames.unshift(`${GREEN}${cell.label}${RESET}, line ${line}${where}\n${context(cell, line)}`);
  }
  return frames;
}

/** Builds the error content of a failed cell from whatever was thrown. */
export function formatError(error: unknown): ErrorContent {
  if (error instanceof Error || (error && typeof error === "object" && "stack" in error && "message" in error)) {
    const e = error as Error;
    const ename = e.name || e.constructor?.name || "Error";
    const evalue = String(e.message ?? "");
    const frames = cellFrames(String(e.stack ?? ""));
    return {
      ename,
      evalue,
      traceback: [`${RED}${RULE}${RESET}`, `${RED}${ename}${RESET}${" ".repeat(Math.max(1, 42 - ename.length))}Traceback (most recent call last)`, ...frames, `${RED}${ename}${RESET}: ${evalue}`],
    };
  }
  const text = typeof error === "string" ? error : inspectPlain(error);
  return { ename: "Uncaught", evalue: text, traceback: [`${RED}Uncaught${RESET}: ${text}`] };
}

/** A syntax error at a cell position: `Cell In[2], line 3, column 7` with a caret. */
export function formatSyntaxError(label: string, message: string, line: number, column: number, lineText: string): ErrorContent {
  return {
    ename: "SyntaxError",
    evalue: `${message} (${label}, line ${line}, column ${column})`,
    traceback: [
      `${GREEN}${label}${RESET}, line ${line}, column ${column}`,
      `    ${lineText}`,
      `    ${" ".repeat(Math.max(0, column - 1))}^`,
      `${RED}SyntaxError${RESET}: ${message}`,
    ],
  };
}

export function interruptedError(): ErrorContent {
  return {
    ename: "KeyboardInterrupt",
    evalue: "execution interrupted",
    traceback: [`${RED}KeyboardInterrupt${RESET}: execution interrupted`],
  };
}
