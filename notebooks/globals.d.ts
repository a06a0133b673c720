// What a cell of a gradnote notebook sees besides its imports: the kernel's display globals and,
// for exercises, `student` and `expect` (the grading API; see docs/grading.md). Lets `tsc -p
// notebooks` type-check every cell of the course as one program per notebook.
import type { Expectation } from "../kernel/grade/expect.js";
import type { StudentApi } from "../kernel/grade/student-api.js";

declare global {
  /** Shows a value (or a MIME bundle) below the cell. */
  function display(value: unknown, opts?: { displayId?: string | true; metadata?: Record<string, unknown> }): { update(value: unknown): void };
  function clearOutput(wait?: boolean): void;
  function input(prompt?: string): Promise<string>;
  /** The student's notebook, seen from a test cell. */
  const student: StudentApi;
  /** Assertions for checks and test cells. */
  function expect(actual: unknown): Expectation;
}
export {};
