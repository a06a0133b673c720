// What a cell of a gradnote notebook sees besides its imports: the kernel's display globals and,
// for exercises, `student` and `expect` (the grading API; see docs/grading.md). Lets `tsc -p
// notebooks` type-check every cell of the course as one program per notebook.
import type { Expectation } from "../kernel/grade/expect.js";
import type { StudentApi } from "../kernel/grade/student-api.js";

declare global {
  interface DisplayOptions {
    displayId?: string | true;
    metadata?: Record<string, unknown>;
  }
  interface DisplayHandle {
    readonly displayId: string;
    update(value: unknown, metadata?: Record<string, unknown>): void;
  }
  /** Shows a value below the cell; `display.markdown(text)` and friends show one MIME type. */
  const display: {
    (value: unknown, opts?: DisplayOptions): DisplayHandle;
    html(text: string, opts?: DisplayOptions): DisplayHandle;
    markdown(text: string, opts?: DisplayOptions): DisplayHandle;
    svg(text: string, opts?: DisplayOptions): DisplayHandle;
    latex(text: string, opts?: DisplayOptions): DisplayHandle;
    json(value: unknown, opts?: DisplayOptions): DisplayHandle;
    png(data: Uint8Array | string, opts?: DisplayOptions): DisplayHandle;
  };
  function clearOutput(wait?: boolean): void;
  function input(prompt?: string): Promise<string>;
  /** Shows the help of a value in the pager, as `x?` does; help() says how to get help. */
  function help(value?: unknown): void;
  /** The student's notebook, seen from a test cell. */
  const student: StudentApi;
  /** Assertions for checks and test cells. */
  function expect(actual: unknown): Expectation;
}
export {};
