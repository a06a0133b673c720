/**
 * is_complete_request: asks esbuild's parser whether a cell is complete. An error at the very
 * end of the input means "incomplete" (more lines would fix it); any other error is "invalid".
 */

import { esbuildTransform } from "./esbuild-service.js";

export interface IsCompleteResult {
  status: "complete" | "incomplete" | "invalid";
  indent?: string;
}

function endPosition(code: string): { line: number; column: number } {
  const lines = code.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length };
}

/** The indent for the next line: one level deeper per unclosed bracket. */
function nextIndent(code: string): string {
  const last = code.split("\n").filter((l) => l.trim().length > 0).pop() ?? "";
  const base = /^\s*/.exec(last)?.[0] ?? "";
  return /[{[(]\s*$/.test(last) ? base + "  " : base;
}

export async function isComplete(code: string): Promise<IsCompleteResult> {
  if (code.trim().length === 0) return { status: "complete" };
  try {
    await esbuildTransform(code, { loader: "ts", format: "esm", logLevel: "silent", supported: { "top-level-await": true } });
    // A trailing backslash continuation or an open template literal both fail above; here all parsed.
    return { status: "complete" };
  } catch (e) {
    const errors = (e as { errors?: { text: string; location: { line: number; column: number; lineText: string } | null }[] }).errors ?? [];
    const end = endPosition(code.trimEnd());
    const atEnd = errors.some((err) => {
      if (!err.location) return false;
      if (/end of file/i.test(err.text)) return true;
      // An open template literal may continue on the next line; an open quote may not.
      if (/Unterminated/i.test(err.text)) return err.location.lineText.slice(0, err.location.column + 1).includes("`");
      return err.location.line > end.line || (err.location.line === end.line && err.location.column >= end.column);
    });
    return atEnd ? { status: "incomplete", indent: nextIndent(code) } : { status: "invalid" };
  }
}
