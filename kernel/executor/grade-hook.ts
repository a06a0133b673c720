/**
 * The kernel's side of grading. The grader asks for a value by running
 * `await globalThis[Symbol.for("gradnote.grade.value")](async () => (EXPR))`; the answer goes back
 * as a display_data of VALUE_MIME. Test cells kept in a student's notebook run here too, with a
 * local `student` and `expect`, so students can run the public tests in JupyterLab.
 */
import { esbuildTransform } from "./esbuild-service.js";
import { encodeValue, decodeValue, VALUE_MIME, type TensorData } from "../grade/value.js";
import { expect } from "../grade/expect.js";
import { parseTestHeader } from "../grade/format.js";
import { StudentApi } from "../grade/student-api.js";
import { emit } from "./context.js";
import { RUNTIME_URL } from "./modules.js";

// Taken at kernel start, before any cell runs: a cell that replaces JSON.stringify or
// Object.defineProperty later does not change how this hook answers.
const stringify = JSON.stringify;
const define = Object.defineProperty;

let runtime: Promise<{ fromArray(d: ArrayLike<number>, s: readonly number[], o: { dtype: string }): unknown }> | undefined;

/** Arguments the grader passes into student functions: tensors become gradnote tensors here. */
async function decodeArg(json: unknown): Promise<unknown> {
  const tensors: TensorData[] = [];
  decodeValue(json, (t) => tensors.push(t));
  if (tensors.length === 0) return decodeValue(json);
  const rt = await (runtime ??= import(RUNTIME_URL));
  return decodeValue(json, (t) => rt.fromArray(t.data, t.shape, { dtype: t.dtype }));
}

/** What a test cell run in this kernel calls `student`: the same API as the grader's, locally. */
class LocalStudent extends StudentApi {
  protected async evalValue(expression: string): Promise<unknown> {
    // An async arrow, as in grading: the expression may await (arguments are rebuilt with await).
    const js = (await esbuildTransform(`(async () => (${expression}\n))()`, { loader: "ts", format: "esm" })).code;
    const value = await (0, eval)(js.replace(/;\s*$/, ""));
    // The same trip as in grading, so a test behaves the same here and in the grader.
    return decodeArg(JSON.parse(stringify(encodeValue(value))));
  }

  protected async runCode(code: string): Promise<void> {
    const js = (await esbuildTransform(`(async () => {\n${code}\n})()`, { loader: "ts", format: "esm" })).code;
    await (0, eval)(js.replace(/;\s*$/, ""));
  }
}

/**
 * The line a test cell prints when it passes in this kernel ("✓ test sigmoid_values passed"), or
 * undefined for any other cell. A failing test shows its AssertionError as the cell's error.
 */
export function testCellPassed(code: string): string | undefined {
  let header;
  try {
    header = parseTestHeader(code);
  } catch {
    return undefined;
  }
  if (!header) return undefined;
  const points = `${header.points} point${header.points === 1 ? "" : "s"}`;
  // A hidden test only runs in a teacher's solution notebook; a public one also in the student's.
  if (header.visibility === "hidden") return `✓ hidden test ${header.name} passed (${points})\n`;
  return `✓ test ${header.name} passed (${points}; graded again, with hidden tests, when you hand in)\n`;
}

export function installGradeHook(): void {
  const g = globalThis as Record<string | symbol, unknown>;
  define(g, Symbol.for("gradnote.grade.value"), {
    value: async (thunk: () => unknown) => {
      const value = await thunk();
      emit({ kind: "display_data", data: { [VALUE_MIME]: encodeValue(value) as unknown as string, "text/plain": "(a value sent to the grader)" }, metadata: {} });
    },
    enumerable: false, writable: false, configurable: false,
  });
  define(g, Symbol.for("gradnote.grade.arg"), { value: decodeArg, enumerable: false, writable: false, configurable: false });
  // Plain globals a cell may shadow: only the student's own copy of a public test uses them.
  for (const [name, value] of [["student", new LocalStudent()], ["expect", expect]] as const) {
    define(g, name, { value, enumerable: false, writable: true, configurable: true });
  }
}
