/**
 * `student` in a test: asks the student's kernel for values. The grader's version sends each
 * request to the sandboxed kernel and decodes the answer as data; the kernel's own version (for
 * public tests run in JupyterLab) evaluates in place. Both build the same expressions.
 */
import { encodeValue } from "./value.js";

const NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const stringify = JSON.stringify;

function checkName(op: string, name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name)) throw new TypeError(`student.${op}: expected a name like "sigmoid" or "model.forward", got ${stringify(name)}`);
  return name;
}

/** The source of an argument: the student's kernel rebuilds it as data (tensors as tensors). */
export function argumentSource(value: unknown, index = 0): string {
  const json = stringify(encodeValue(value));
  // Only data crosses: a function or symbol would arrive as an inert placeholder, silently wrong.
  if (/"\$(function|symbol)":/.test(json)) throw new TypeError(`student.call: argument ${index + 1} holds a function or symbol; only data crosses to the student's kernel (numbers, strings, arrays, objects, tensors). To run code there, use student.eval("...") or student.run("...")`);
  return `(await globalThis[Symbol.for("gradnote.grade.arg")](${json}))`;
}

export abstract class StudentApi {
  protected abstract evalValue(expression: string): Promise<unknown>;
  protected abstract runCode(code: string): Promise<void>;

  /** The value of a TypeScript expression in the student's notebook (awaited), e.g. `"sigmoid(0)"`. */
  eval(expression: string): Promise<unknown> {
    if (typeof expression !== "string" || expression.trim() === "") throw new TypeError(`student.eval: expected the source of an expression, e.g. student.eval("sigmoid(0)"), got ${stringify(expression)}`);
    return this.evalValue(expression);
  }

  /**
   * Calls the student's function `name` with these arguments (numbers, arrays, objects, tensors;
   * they cross as data) and returns its result: `await student.call("sigmoid", 0)`.
   */
  call(name: string, ...args: unknown[]): Promise<unknown> {
    return this.evalValue(`${checkName("call", name)}(${args.map((a, i) => argumentSource(a, i)).join(", ")})`);
  }

  /** Whether the student's notebook defines `name` (a variable, function or class). */
  async has(name: string): Promise<boolean> {
    return (await this.evalValue(`typeof ${checkName("has", name)} !== "undefined"`)) === true;
  }

  /**
   * Runs statements in the student's kernel, as a block: their declarations are not kept. For a
   * setup the test needs (training a model on data the test chooses); returns nothing.
   */
  run(code: string): Promise<void> {
    if (typeof code !== "string") throw new TypeError(`student.run: expected source code, got ${stringify(code)}`);
    return this.runCode(code);
  }
}
