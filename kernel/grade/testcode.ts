/**
 * Turns a test cell's TypeScript into a function the grading process runs: types stripped,
 * `import … from "gradnote"` made a lookup, the body an async function of
 * (student, expect, log). Tests are the teacher's code; they never reach the student's kernel.
 */
import type { Expectation } from "./expect.js";
import type { StudentApi } from "./student-api.js";

export type TestFunction = (student: StudentApi, expect: (actual: unknown) => Expectation, log: (...args: unknown[]) => void) => Promise<unknown>;

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

/** `{ a, b as c }` → `{ a, b: c }` (import clause to destructuring). */
const destructure = (names: string) => names.replace(/\b([\w$]+)\s+as\s+([\w$]+)/g, "$1: $2");

function rewriteImport(line: string, testName: string): string {
  const m = /^import\s+(.+?)\s+from\s+["']([^"']+)["'];?\s*$/.exec(line.trim()) ?? /^import\s+["']([^"']+)["'];?\s*$/.exec(line.trim());
  if (!m) throw new Error(`test ${testName}: cannot read the import ${JSON.stringify(line.trim())}; write import { a, b } from "gradnote"`);
  if (m.length === 2) return `await __import(${JSON.stringify(m[1])});`;
  const [, clause, spec] = m;
  const mod = `(await __import(${JSON.stringify(spec)}))`;
  const ns = /^\*\s+as\s+([\w$]+)$/.exec(clause);
  if (ns) return `const ${ns[1]} = ${mod};`;
  const parts = /^([\w$]+)?\s*,?\s*(\{[^}]*\})?$/.exec(clause);
  if (!parts) throw new Error(`test ${testName}: cannot read the import ${JSON.stringify(line.trim())}`);
  const out: string[] = [];
  if (parts[1]) out.push(`const ${parts[1]} = ${mod}.default;`);
  if (parts[2]) out.push(`const ${destructure(parts[2])} = ${mod};`);
  return out.join(" ");
}

/**
 * Compiles a test. `importer` resolves the test's imports in the grading process ("gradnote" is
 * the runtime bundled with the grader). Names the runtime exports (tensor, randn, nn, …) are in
 * scope without an import, as they are in a notebook whose first cell imports them; the test's
 * own declarations shadow them. A syntax error names the test.
 */
export async function compileTest(name: string, code: string, importer: (spec: string) => Promise<unknown>): Promise<TestFunction> {
  const { transform } = await import("esbuild");
  let js: string;
  try {
    js = (await transform(code, { loader: "ts", format: "esm", target: "es2022", supported: { "top-level-await": true }, logLevel: "silent" })).code;
  } catch (e) {
    const err = (e as { errors?: { text: string; location: { line: number } | null }[] }).errors?.[0];
    throw new Error(`test ${name}: ${err ? `${err.text} (line ${err.location?.line ?? "?"})` : (e as Error).message}`);
  }
  // esbuild prints each import on one line at the top; everything else is the body.
  const body = js.split("\n").map((line) => (/^import\s/.test(line) ? rewriteImport(line, name) : line)).join("\n");
  const runtime = Object.keys((await importer("gradnote")) as object);
  const words = new Set(body.match(/[A-Za-z_$][\w$]*/g) ?? []);
  const used = runtime.filter((n) => words.has(n) && /^[A-Za-z_$][\w$]*$/.test(n) && !["student", "expect", "log"].includes(n));
  const prelude = used.length ? `const { ${used.join(", ")} } = await __import("gradnote");\n` : "";
  const fn = new AsyncFunction("student", "expect", "log", "__import", `${prelude}{\n${body}\n}\n//# sourceURL=test:${name}`);
  return (student, expect, log) => fn(student, expect, log, importer);
}
