// Writes the lecture notebooks from the cell sources below (edit here, then run this script).
// Outputs are left empty: `gradnote run` or a Jupyter front end fills them.
import { writeFileSync } from "node:fs";

const md = (s) => ({ cell_type: "markdown", metadata: {}, source: s });
const code = (s) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: s });

const notebooks = {
  "01-welcome.ipynb": [
    md("# Welcome to gradnote\nTypeScript cells, state kept across cells, rich output. Run each cell with Shift+Enter."),
    code(`// Types are checked by your editor and stripped by the kernel; values persist between cells.
interface Student { name: string; scores: number[] }
const students: Student[] = [
  { name: "Ada", scores: [92, 88, 95] },
  { name: "Alan", scores: [78, 85, 80] },
];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
students.map((s) => \`\${s.name}: \${mean(s.scores).toFixed(1)}\`)`),
    code(`// Output streams while a cell runs, even inside a synchronous loop.
for (let epoch = 1; epoch <= 3; epoch++) console.log(\`epoch \${epoch}\`);`),
    code(`// Rich display: HTML, Markdown, and an output that updates in place.
display.markdown("**Bold** and *italic* from TypeScript");
const status = display("starting…", { displayId: true });
for (let i = 1; i <= 5; i++) status.update(\`step \${i} of 5\`);`),
    code(`// The runtime is importable as "gradnote", with no install step in this folder.
import { tensor } from "gradnote";
const a = tensor([[1, 2], [3, 4]]);
a.matmul(a).sum()`),
  ],
  "02-perceptron-and-xor.ipynb": [
    md("# Perceptrons and XOR\nA single perceptron learns AND but not XOR; a two-layer network learns both."),
    code(`import { tensor, manualSeed, nn, optim } from "gradnote";
const F = nn.functional;
manualSeed(0);
const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const AND = tensor([[0], [0], [0], [1]]);
const XOR = tensor([[0], [1], [1], [0]]);`),
    md("## A perceptron (step activation) trained with the perceptron rule"),
    code(`function trainPerceptron(target: typeof AND, epochs = 20) {
  let w = [0, 0], b = 0;
  const xs = X.toArray() as number[][], ys = (target.toArray() as number[][]).map((r) => r[0]);
  for (let e = 0; e < epochs; e++)
    xs.forEach((x, i) => {
      const out = w[0] * x[0] + w[1] * x[1] + b >= 0 ? 1 : 0;
      const err = ys[i] - out;
      w = [w[0] + 0.1 * err * x[0], w[1] + 0.1 * err * x[1]];
      b += 0.1 * err;
    });
  return xs.map((x) => (w[0] * x[0] + w[1] * x[1] + b >= 0 ? 1 : 0));
}
({ AND: trainPerceptron(AND), XOR: trainPerceptron(XOR) })`),
    md("## A two-layer MLP learns XOR"),
    code(`const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1), new nn.Sigmoid());
const opt = new optim.SGD(model.parameters(), { lr: 0.5, momentum: 0.9 });
for (let step = 0; step <= 500; step++) {
  opt.zeroGrad();
  const loss = F.mseLoss(model.forward(X), XOR);
  loss.backward();
  opt.step();
  if (step % 100 === 0) console.log(\`step \${step}: loss \${loss.item().toFixed(4)}\`);
}`),
    code(`const predictions = model.forward(X).gt(0.5).toArray();
predictions`),
  ],
};

for (const [name, cells] of Object.entries(notebooks)) {
  const nb = {
    cells: cells.map((c, i) => ({ id: `${name.slice(0, 2)}-${i}`, ...c })),
    metadata: {
      kernelspec: { name: "gradnote", display_name: "TypeScript (gradnote)", language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(new URL(`../notebooks/${name}`, import.meta.url), JSON.stringify(nb, null, 1) + "\n");
}
