/**
 * The assignment format. A solution notebook marks solutions with `// BEGIN SOLUTION` …
 * `// END SOLUTION` (optional `// STUB: code` lines inside give the student's starting code) and
 * tests with a first line `// @test NAME POINTS points [hidden] [timeout SECONDS]`. This file
 * parses that, builds the student's release notebook and the autograder's test list.
 */

export interface Cell {
  id?: string;
  cell_type: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Record<string, unknown>[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** One test of the autograder bundle. */
export interface TestSpec {
  name: string;
  points: number;
  visibility: "visible" | "hidden";
  /** Seconds, or null for the grader's default. */
  timeout: number | null;
  /** Id of the code cell this test follows in the solution (null: before every code cell). */
  anchor: string | null;
  /** Id of the test's own cell. */
  cellId: string;
  code: string;
}

/** What `gradnote assign` writes to autograder/assignment.json. */
export interface AssignmentSpec {
  format: "gradnote-autograder/1";
  title: string;
  /** Ids of the release's non-test code cells, in order (for "structure changed"). */
  cells: string[];
  tests: TestSpec[];
  total: number;
}

export const sourceText = (s: string | string[]): string => (Array.isArray(s) ? s.join("") : s);
/** Splits text the way nbformat stores multi-line strings. */
export const sourceLines = (s: string): string[] => s.split(/(?<=\n)/);

const HEADER = /^\s*\/\/\s*@test\b(.*)$/;

/** Where an authoring mistake is: "cell 4 (id abc)". */
const where = (index: number, cell: Cell) => `cell ${index + 1}${cell.id ? ` (id ${cell.id})` : ""}`;

/**
 * The test header of a cell's source, or undefined when the cell is not a test. The header must
 * be the first non-blank line; a `// @test` line further down is an error, not a silent skip.
 */
export function parseTestHeader(source: string, at = "this cell"): Omit<TestSpec, "anchor" | "cellId" | "code"> | undefined {
  const lines = source.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  const later = lines.findIndex((l, i) => i > first && HEADER.test(l));
  if (later >= 0) throw new Error(`${at}: "// @test" must be the first line of a test cell (found on line ${later + 1})`);
  const m = first >= 0 ? HEADER.exec(lines[first]) : null;
  if (!m) return undefined;
  const usage = `write it as: // @test NAME POINTS points [hidden] [timeout SECONDS]`;
  const words = m[1].trim().split(/\s+/).filter(Boolean);
  const [name, pointsWord, ...rest] = words;
  if (!name || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`${at}: the test needs a name that starts with a letter and has letters, digits, _ . or - (got ${JSON.stringify(name ?? "")}); ${usage}`);
  const points = Number(pointsWord);
  if (pointsWord === undefined || !Number.isFinite(points) || points < 0) throw new Error(`${at}: test ${name} needs its points as a number ≥ 0 (got ${JSON.stringify(pointsWord ?? "")}); ${usage}`);
  let visibility: TestSpec["visibility"] = "visible";
  let timeout: number | null = null;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i].toLowerCase();
    if (w === "point" || w === "points" || w === "pts") continue;
    if (w === "hidden") visibility = "hidden";
    else if (w === "public" || w === "visible") visibility = "visible";
    else if (w === "timeout" || w.startsWith("timeout=")) {
      const v = w === "timeout" ? rest[++i] : w.slice("timeout=".length);
      const s = Number(String(v ?? "").replace(/s$/, ""));
      if (!(s > 0)) throw new Error(`${at}: test ${name}: timeout needs a positive number of seconds (got ${JSON.stringify(v ?? "")}); ${usage}`);
      timeout = s;
    } else throw new Error(`${at}: test ${name}: unknown word ${JSON.stringify(rest[i])} in the header; ${usage}`);
  }
  return { name, points, visibility, timeout };
}

const BEGIN = /^(\s*)(\/\/|<!--)\s*BEGIN SOLUTION\b/;
const END = /^\s*(\/\/|<!--)\s*END SOLUTION\b/;
const STUB = /^\s*\/\/\s*STUB:\s?(.*)$/;
export const DEFAULT_STUB = 'throw new Error("not implemented: write your solution here");';

/**
 * The release text of a cell: each solution region becomes its `// STUB:` lines (indented as the
 * BEGIN line), or a line that throws "not implemented"; markdown regions become a prompt.
 */
export function stripSolutions(source: string, kind: "code" | "markdown", at: string): { text: string; regions: number } {
  const out: string[] = [];
  let inside: { indent: string; stub: string[]; line: number } | null = null;
  let regions = 0;
  source.split("\n").forEach((line, i) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (inside) throw new Error(`${at}: BEGIN SOLUTION on line ${i + 1} inside the solution opened on line ${inside.line}; close it with END SOLUTION first`);
      inside = { indent: begin[1], stub: [], line: i + 1 };
      return;
    }
    if (END.test(line)) {
      if (!inside) throw new Error(`${at}: END SOLUTION on line ${i + 1} without a BEGIN SOLUTION before it`);
      const open: { indent: string; stub: string[] } = inside;
      if (kind === "markdown") out.push(open.indent + "_Write your answer here._");
      else if (open.stub.length) out.push(...open.stub.map((s) => open.indent + s));
      else out.push(open.indent + DEFAULT_STUB);
      inside = null;
      regions++;
      return;
    }
    if (inside) {
      const stub = STUB.exec(line);
      if (stub) (inside as { stub: string[] }).stub.push(stub[1]);
      return;
    }
    out.push(line);
  });
  if (inside) throw new Error(`${at}: BEGIN SOLUTION on line ${(inside as { line: number }).line} has no END SOLUTION`);
  return { text: out.join("\n"), regions };
}

/** A short random cell id, as nbformat 4.5 front ends make them. */
const newId = () => crypto.randomUUID().slice(0, 8);

/**
 * Splits a solution notebook into the student's release notebook and the autograder's spec.
 * Cells without ids get fresh ones (in the release and in the spec alike); outputs are cleared.
 */
export function buildAssignment(solution: Notebook, title: string): { release: Notebook; spec: AssignmentSpec; solution: Notebook } {
  if (!Array.isArray(solution.cells)) throw new Error(`${title}: not a notebook (no "cells" array)`);
  const ids = new Set<string>();
  const withIds: Cell[] = solution.cells.map((c) => {
    let id = typeof c.id === "string" && c.id && !ids.has(c.id) ? c.id : newId();
    while (ids.has(id)) id = newId();
    ids.add(id);
    return { ...c, id };
  });
  const tests: TestSpec[] = [];
  const releaseCells: Cell[] = [];
  const codeIds: string[] = [];
  let anchor: string | null = null;
  withIds.forEach((cell, i) => {
    const at = where(i, cell);
    const text = sourceText(cell.source);
    const header = cell.cell_type === "code" ? parseTestHeader(text, at) : undefined;
    if (header) {
      if (BEGIN.test(text) || text.split("\n").some((l) => BEGIN.test(l))) throw new Error(`${at}: test ${header.name} contains a solution region; tests are never given to students as solutions`);
      if (tests.some((t) => t.name === header.name)) throw new Error(`${at}: a second test named ${header.name}; test names must be unique (they are the gradebook's columns)`);
      tests.push({ ...header, anchor, cellId: cell.id!, code: text });
      if (header.visibility === "visible") releaseCells.push(clean(cell, text));
      return;
    }
    const { text: released } = cell.cell_type === "code" || cell.cell_type === "markdown" ? stripSolutions(text, cell.cell_type, at) : { text };
    releaseCells.push(clean(cell, released));
    if (cell.cell_type === "code") {
      anchor = cell.id!;
      codeIds.push(cell.id!);
    }
  });
  if (tests.length === 0) throw new Error(`${title}: no test cells; start a code cell with a line like  // @test sigmoid_values 2 points`);
  const base = { metadata: solution.metadata ?? {}, nbformat: 4, nbformat_minor: Math.max(5, solution.nbformat_minor ?? 5) };
  return {
    release: { ...base, cells: releaseCells },
    solution: { ...base, cells: withIds },
    spec: { format: "gradnote-autograder/1", title, cells: codeIds, tests, total: tests.reduce((s, t) => s + t.points, 0) },
  };
}

function clean(cell: Cell, text: string): Cell {
  const out: Cell = { id: cell.id, cell_type: cell.cell_type, metadata: cell.metadata ?? {}, source: sourceLines(text) };
  if (cell.cell_type === "code") {
    out.outputs = [];
    out.execution_count = null;
  }
  if (cell.attachments) out.attachments = cell.attachments;
  return out;
}

/** Reads and checks an autograder spec (what `gradnote grade --autograder DIR` loads). */
export function checkSpec(raw: unknown, from: string): AssignmentSpec {
  const s = raw as AssignmentSpec;
  if (!s || s.format !== "gradnote-autograder/1" || !Array.isArray(s.tests) || !Array.isArray(s.cells)) {
    throw new Error(`${from}: not a gradnote autograder (expected "format": "gradnote-autograder/1" with "tests" and "cells"); make one with gradnote assign`);
  }
  for (const t of s.tests) {
    if (typeof t.name !== "string" || typeof t.code !== "string" || typeof t.points !== "number") throw new Error(`${from}: a test lacks name, code or points`);
  }
  return s;
}
