/**
 * Messages between the kernel's main thread (client.ts) and the language worker (worker.ts).
 * Structured-clone data only; results are typed per operation in LangResults.
 */
import type { CellDiagnostic, Completions } from "./service.js";

export type LangRequest =
  | { id: number; op: "commit"; code: string }
  | { id: number; op: "diagnostics"; code: string }
  | { id: number; op: "complete"; code: string; index: number }
  | { id: number; op: "inspect"; code: string; index: number; detail: number };

export interface LangResults {
  commit: void;
  diagnostics: CellDiagnostic[];
  complete: Completions | undefined;
  inspect: string | undefined;
}

/** id 0 is the worker's "ready" once its service is warm. */
export type LangResponse = { id: number; result: unknown } | { id: number; error: string };

export type LangOp = LangRequest["op"];
export type LangArgs<K extends LangOp> = Omit<Extract<LangRequest, { op: K }>, "id" | "op">;
