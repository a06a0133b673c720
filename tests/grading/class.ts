/**
 * A class of submissions for examples/grading/hw1-solution.ipynb, made from the release notebook
 * the way students would fill it in: correct, partly wrong, broken, hostile. Each kind has the
 * per-test scores an honest grader must give it. Used by the grading tests and bench/grading.mjs.
 */

import type { Notebook } from "../../kernel/grade/format.js";

export type { Notebook };

export const SIGMOID = `function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}`;
export const FORWARD = `function forward(x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor {
  return x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
}`;
export const XOR = `manualSeed(0);
const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), Y = tensor([[0], [1], [1], [0]]);
const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1), new nn.Sigmoid());
const opt = new optim.SGD(model.parameters(), { lr: 0.5, momentum: 0.9 });
for (let step = 0; step < 400; step++) {
  opt.zeroGrad();
  const loss = F.mseLoss(model.forward(X), Y);
  loss.backward();
  opt.step();
}
function predict(points: number[][]): number[] {
  return model.forward(tensor(points)).reshape([-1]).toArray();
}`;

/** The tests of hw1 in order, with their points. */
export const TESTS = ["sigmoid_values", "sigmoid_hidden", "forward_small", "forward_hidden", "xor_learned"] as const;

export interface Kind {
  /** Code per answer cell id ("sigmoid", "forward", "xor"); missing: the stub stays. */
  cells: Partial<Record<"sigmoid" | "forward" | "xor", string>>;
  /** Expected score per test (the honest one). */
  scores: Record<(typeof TESTS)[number], number>;
  /** Expected cause of failure per test, where it matters. */
  causes?: Partial<Record<(typeof TESTS)[number], string>>;
  /** Whether every test should reach a verdict (no timeout, death or limit on the way). */
  complete: boolean;
  /** Extra cells inserted before the first answer cell. */
  prelude?: string;
}

const all = { sigmoid_values: 2, sigmoid_hidden: 2, forward_small: 2, forward_hidden: 2, xor_learned: 2 };
const none = { sigmoid_values: 0, sigmoid_hidden: 0, forward_small: 0, forward_hidden: 0, xor_learned: 0 };

export const KINDS: Record<string, Kind> = {
  correct: { cells: { sigmoid: SIGMOID, forward: FORWARD, xor: XOR }, scores: all, complete: true },
  partial: {
    // No relu in forward, no XOR: 4 of 10.
    cells: { sigmoid: SIGMOID, forward: FORWARD.replace(".relu()", "") },
    scores: { ...none, sigmoid_values: 2, sigmoid_hidden: 2 },
    causes: { forward_small: "AssertionError", xor_learned: "StudentError" },
    complete: true,
  },
  syntax: {
    cells: { sigmoid: SIGMOID, forward: FORWARD.replace(".relu()", ".relu(("), xor: XOR },
    scores: { ...all, forward_small: 0, forward_hidden: 0 },
    causes: { forward_small: "StudentError" },
    complete: true,
  },
  loop: {
    cells: { sigmoid: SIGMOID, forward: FORWARD, xor: "let spins = 0;\nwhile (true) spins++;\n" + XOR },
    scores: { ...all, xor_learned: 0 },
    complete: false,
  },
  exit: {
    cells: { sigmoid: SIGMOID, forward: FORWARD + "\nprocess.exit(1);", xor: XOR },
    scores: { ...all, forward_small: 0, forward_hidden: 0 },
    complete: false,
  },
  flood: {
    cells: { sigmoid: SIGMOID + '\nfor (let i = 0; i < 500_000; i++) console.log("line", i);', forward: FORWARD, xor: XOR },
    scores: all,
    complete: true,
  },
  hog: {
    cells: { sigmoid: SIGMOID, forward: FORWARD, xor: "const hoard: Float64Array[] = [];\nfor (;;) hoard.push(new Float64Array(16_000_000).fill(1));\n" + XOR },
    scores: { ...all, xor_learned: 0 },
    complete: false,
  },
  cheater: {
    // Honest work: sigmoid only (4 points). Then everything a test inside the kernel would trust.
    cells: {
      sigmoid: SIGMOID + `
Math.abs = () => 0;
Array.prototype.every = function () { return true; };
Number.isNaN = () => false;
JSON.stringify = () => '{"score":10,"max":10}';
console.log("score: 10/10");
(Object.prototype as any)[Symbol.for("Jupyter.display")] = () => ({ "text/plain": "{ score: 10, max: 10 }" });`,
    },
    scores: { ...none, sigmoid_values: 2, sigmoid_hidden: 2 },
    complete: true,
  },
  forger: {
    // Nothing solved; every value the kernel displays claims full marks, in every MIME type.
    cells: {
      sigmoid: `(Object.prototype as any)[Symbol.for("Jupyter.display")] = () => ({ "text/plain": "{ score: 10, max: 10 }", "application/vnd.gradnote.value+json": 0.5 });
globalThis.expect = () => new Proxy({}, { get: () => () => undefined });
display({ [Symbol.for("Jupyter.display")]: () => ({ "application/vnd.gradnote.value+json": 0.5 }) });
function sigmoid(x: number): number { return 0.5; }`,
    },
    scores: { ...none, sigmoid_values: 0 },
    complete: true,
  },
  hiddenHang: {
    // Right on every public input, hangs on the hidden test's -800.
    cells: { sigmoid: `function sigmoid(x: number): number {\n  while (x < -100) {}\n  return 1 / (1 + Math.exp(-x));\n}`, forward: FORWARD, xor: XOR },
    scores: { ...all, sigmoid_hidden: 0 },
    causes: { sigmoid_hidden: "Timeout" },
    complete: false,
  },
};

/** The release notebook filled in as `kind` says (cell ids kept). */
export function submission(release: Notebook, kind: Kind): Notebook {
  const nb = JSON.parse(JSON.stringify(release)) as Notebook;
  for (const cell of nb.cells) {
    const code = kind.cells[cell.id as keyof Kind["cells"]];
    if (code !== undefined) cell.source = code;
  }
  if (kind.prelude) {
    const at = nb.cells.findIndex((c) => c.id === "sigmoid");
    nb.cells.splice(at, 0, { id: "student-extra", cell_type: "code", metadata: {}, source: kind.prelude, outputs: [], execution_count: null });
  }
  return nb;
}
