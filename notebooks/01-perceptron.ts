// %% [markdown] id="title"
// # 1. From linear models to the perceptron
//
// Every network in this course, from the two-layer XOR solver of the next notebook to the LSTM at
// the end, is assembled from one small part: the **perceptron**. It takes a handful of numbers,
// weighs them, adds a constant, and passes the result through a fixed function. This notebook
// builds that part from scratch, computes the classic worked example by hand and with tensors,
// draws what a single perceptron can and cannot separate, and trains one with the oldest learning
// rule in the field.
//
// **You will learn**
// - how a perceptron turns a linear model's score into an output: $\hat y = g(w_0 + \mathbf w^\top \mathbf x)$;
// - why the bias matters, and why one perceptron always draws a straight line (a hyperplane);
// - how to realise AND, OR and NOT with weights chosen by hand, and how the perceptron rule finds such weights itself.
//
// The notebook runs top to bottom. Every number stated in the text is computed in a cell and
// checked with `expect(…)`: if a check fails, the cell fails.

// %% id="imports"
import { tensor, manualSeed, randn, nn, plot, displayBundle, type Tensor } from "gradnote";
const F = nn.functional;

// %% [markdown] id="tour"
// ## 0. Working in a gradnote notebook
//
// Cells hold TypeScript. Types help you while you write and are removed when the cell runs;
// values defined in one cell stay available in the next ones. The last expression of a cell is
// shown as its result, `console.log` prints while the cell is still running, and `display(…)`
// shows rich output (Markdown, figures, tensors) — even output that updates in place. Run a cell
// with Shift+Enter.

// %% id="tour-state"
interface GateTable { name: string; outputs: number[] }
const tables: GateTable[] = [
  { name: "AND", outputs: [0, 0, 0, 1] },
  { name: "OR", outputs: [0, 1, 1, 1] },
];
tables.map((t) => `${t.name}: ${t.outputs.join(" ")}`)

// %% id="tour-output"
// Printed lines appear while the loop runs; the display below is replaced in place.
for (let epoch = 1; epoch <= 3; epoch++) console.log(`epoch ${epoch}`);
displayBundle({ "text/markdown": "**Bold** and *italic* from TypeScript", "text/plain": "Bold and italic from TypeScript" });
const statusLine = display("starting…", { displayId: true });
for (let i = 1; i <= 5; i++) statusLine.update(`step ${i} of 5`);

// %% [markdown] id="linear-model"
// ## 1. From a linear model to a perceptron
//
// A linear model for classification gives each input $\mathbf x = (x_1, \dots, x_m)$ a
// **score**: a weighted sum of its features plus a constant,
//
// $$z = w_0 + \sum_{i=1}^{m} w_i x_i = w_0 + \mathbf w^\top \mathbf x .$$
//
// The weights $w_i$ say how much each feature pushes the score up or down; the constant $w_0$
// (the **bias**) shifts the score regardless of the input. Used as it is, the score is the
// prediction of linear regression, $y_\theta(\mathbf x) = \boldsymbol\theta^\top\mathbf x + b$ in
// another common notation; a classifier compares it with a threshold. A perceptron is exactly this score,
// followed by a fixed function $g$ called the **activation** (or non-linearity):
//
// $$\hat y = g\Big(w_0 + \sum_{i=1}^{m} w_i x_i\Big) = g\big(w_0 + \mathbf w^\top \mathbf x\big).$$
//
// Three steps, then: multiply each input by its weight, add them up with the bias, squash.
// A common trick folds the bias into the weights: prepend a constant input $x_0 = 1$, so that
// $z = \boldsymbol\theta^\top \tilde{\mathbf x}$ with $\tilde{\mathbf x} = (1, x_1, \dots, x_m)$ and
// $\boldsymbol\theta = (w_0, w_1, \dots, w_m)$. Without a bias the line the perceptron draws would
// be forced through the origin; changing the bias moves the threshold without turning it.
//
// Two activations matter in this notebook. The **step** (threshold) function of the original
// perceptron outputs 1 when $z \ge 0$ and 0 otherwise. The **sigmoid** squashes the score smoothly
// into $(0, 1)$, so the output can be read as a confidence:
//
// $$\sigma(z) = \frac{1}{1 + e^{-z}} .$$
//
// The step is handy for toy examples but has no useful derivative (it is flat everywhere except
// at 0), which is why trained networks use smooth activations; notebook 3 studies them in depth.

// %% id="activations-plot"
const zs = Array.from({ length: 121 }, (_, i) => -6 + i * 0.1);
const zGrid = tensor(zs);
plot.line(
  { "step g(z)": F.step(zGrid), "sigmoid σ(z)": F.sigmoid(zGrid) },
  { x: zs, xlabel: "z = w0 + wᵀx", ylabel: "g(z)", title: "Two activations of a perceptron", height: 320 },
)

// %% [markdown] id="history"
// ### Where the idea comes from
//
// The perceptron started as a cartoon of a nerve cell. A biological neuron collects signals from
// many others through its dendrites; some connections excite it and some inhibit it, and when the
// combined input crosses a threshold, the cell fires a pulse down its axon. In 1943 McCulloch and
// Pitts modelled this as a unit that adds weighted binary inputs and compares the sum with a
// threshold. Rosenblatt's perceptron (1957) added the missing ingredient: a rule that *learns*
// the weights from labelled examples (section 5). The model is a drastic simplification of a
// real neuron — no timing, no chemistry, one number out — and it is useful not as biology but
// as a building block whose networks we can analyse and train.

// %% [markdown] id="forward-code"
// ## 2. The forward pass in code
//
// With tensors, the whole computation is one matrix product. Stack $N$ inputs as the rows of a
// matrix $X \in \mathbb R^{N \times m}$; then $X\mathbf w + w_0$ gives all $N$ scores at once and the
// activation is applied element by element. That is the matrix form
// $\hat{\mathbf y} = g(w_0 + X \mathbf w)$, the same formula as above written for a batch.

// %% id="perceptron-fn"
/** ŷ = g(w0 + X w) for a batch X [N, m], weights w [m], bias w0. */
function perceptron(X: Tensor, w: Tensor, w0: number, g: (z: Tensor) => Tensor = F.sigmoid): Tensor {
  return g(X.matmul(w).add(w0));
}
// A weighted sum is a dot product: (1, 2)·(3, 4) = 11.
const dot = tensor([1, 2]).dot(tensor([3, 4])).item();
expect(dot).toBe(11);
dot

// %% [markdown] id="worked-example"
// ### The worked example: $g(1 + 3x_1 - 2x_2)$ at $\mathbf x = (-1, 2)$
//
// Take two inputs, bias $w_0 = 1$ and weights $\mathbf w = (3, -2)$:
//
// $$\hat y = g\left(1 + \begin{bmatrix} 3 \\ -2 \end{bmatrix}^\top \begin{bmatrix} x_1 \\ x_2 \end{bmatrix}\right) = g(1 + 3x_1 - 2x_2).$$
//
// For the input $\mathbf x = (-1, 2)$ the score is $1 + 3\cdot(-1) - 2\cdot 2 = 1 - 3 - 4 = -6$, and
// with the sigmoid as $g$,
//
// $$\hat y = \sigma(-6) = \frac{1}{1 + e^{6}} \approx 0.00247 \approx 0.002 .$$
//
// The score is far on the negative side, so the perceptron is very confident that this point
// belongs to class 0. The cell computes it three ways — by hand, with the `perceptron` function
// (in float64, to compare to twelve digits) and with gradnote's `nn.Linear` layer loaded with the
// same weights — and checks that they agree.

// %% id="worked-example-check"
const wEx = tensor([3, -2], { dtype: "float64" });
const xEx = tensor([[-1, 2]], { dtype: "float64" });
const zEx = 1 + 3 * -1 - 2 * 2;
const yHand = 1 / (1 + Math.exp(-zEx));
const yTensor = perceptron(xEx, wEx, 1).item();
expect(zEx).toBe(-6);
expect(yTensor).toBeCloseTo(1 / (1 + Math.exp(6)), { atol: 1e-15, rtol: 0 });
expect(yTensor).toBeCloseTo(0.0024726231566347743, { atol: 1e-15, rtol: 0 });
expect(yTensor).toBeCloseTo(0.002, { atol: 5e-4, rtol: 0 }); // the rounded value "≈ 0.002"
// The same perceptron as a layer: nn.Linear stores weight [out, in] and bias [out].
const layer = new nn.Linear(2, 1);
layer.weight.data.copy_(tensor([[3, -2]]));
layer.bias!.data.copy_(tensor([1]));
const yLayer = F.sigmoid(layer.forward(tensor([[-1, 2]]))).item();
expect(yLayer).toBeCloseTo(yHand, { atol: 1e-7, rtol: 0 });
({ z: zEx, byHand: yHand, tensors: yTensor, nnLinear: yLayer })

// %% [markdown] id="line-in-2d"
// ### This is just a line in 2-D
//
// Where does the output cross one half? The sigmoid equals $\tfrac12$ exactly when its argument is
// 0, so the perceptron's verdict flips on the set
//
// $$1 + 3x_1 - 2x_2 = 0 \quad\Longleftrightarrow\quad x_2 = \tfrac12 + \tfrac32 x_1 ,$$
//
// a straight line. On one side the score is positive and $\hat y > 0.5$; on the other it is
// negative and $\hat y < 0.5$. The farther a point is from the line, the larger $|z|$ and the more
// extreme the output. The figure colours the plane by $\hat y$, draws the line $z = 0$, and marks
// the example point $(-1, 2)$, which lies well inside the blue ($\hat y \approx 0$) side.

// %% id="line-figure"
manualSeed(1);
const cloud = randn([30, 2]).mul(2);
const cloudScores = perceptron(cloud, tensor([3, -2]), 1);
const examplePts = tensor([[-1, 2]]);
const exampleFig = plot.decisionBoundary(
  (x: Tensor) => perceptron(x, tensor([3, -2]), 1).unsqueeze(1),
  cloud, cloudScores.gt(0.5).float(),
  { title: "ŷ = σ(1 + 3x₁ − 2x₂) and its line z = 0", height: 420 },
);
const lineX = [-3.9, 3.3]; // inside the plotted square
exampleFig.data.push({ type: "scatter", mode: "lines", name: "1 + 3x₁ − 2x₂ = 0", x: lineX, y: lineX.map((a) => 0.5 + 1.5 * a), line: { color: "black", width: 2 } });
exampleFig.data.push({ type: "scatter", mode: "markers", name: "x = (−1, 2)", x: [-1], y: [2], marker: { color: "gold", size: 14, symbol: "star", line: { color: "black", width: 1 } } });
// Points on the line score exactly 1/2; the sign of z decides the side.
expect(perceptron(tensor([[0, 0.5], [2, 3.5]], { dtype: "float64" }), wEx, 1).toArray()).toBeCloseTo([0.5, 0.5], { atol: 1e-12 });
expect(perceptron(examplePts, tensor([3, -2]), 1).item()).toBeLessThan(0.5);
exampleFig

// %% [markdown] id="linear-classifier"
// ## 3. Why a single perceptron is a linear classifier
//
// The argument of the last section did not depend on the numbers 1, 3 and −2. For any weights,
// the step and the sigmoid are both *increasing* functions of the score, so "output above the
// threshold" is the same statement as "score above zero":
//
// $$\hat y \text{ says class 1} \iff w_0 + \mathbf w^\top \mathbf x > 0 .$$
//
// The points where $w_0 + \mathbf w^\top \mathbf x = 0$ form a line in two dimensions, a plane in
// three and a **hyperplane** in general. The weight vector $\mathbf w$ is perpendicular to it and
// points towards class 1; the bias slides it along $\mathbf w$. So whatever activation we choose, a
// single perceptron can only cut the input space into two half-spaces. The activation changes how
// confident the output is, never the shape of the boundary. The next cell checks this on 200 random
// points and random weights: thresholding the sigmoid output at 0.5 and the step output give the
// same classes as the sign of the score.

// %% id="linear-classifier-check"
manualSeed(2);
const pts = randn([200, 3]);
const wRand = randn([3]), b0 = 0.3;
const bySign = pts.matmul(wRand).add(b0).gt(0).toArray();
const bySigmoid = perceptron(pts, wRand, b0).gt(0.5).toArray();
const byStep = perceptron(pts, wRand, b0, (z) => F.step(z)).gt(0.5).toArray();
expect(bySigmoid).toEqual(bySign);
expect(byStep).toEqual(bySign);
"sigmoid, step and sign(z) agree on all 200 points"

// %% [markdown] id="gates-by-hand"
// ## 4. Logic gates by hand
//
// Boolean functions are the smallest classification problems there are: the inputs are 0 or 1
// and so is the answer. A perceptron with the step activation can compute several of them if we
// pick the weights well. Write the weights as a triple $(w_0, w_1, w_2)$.
//
// - **AND** must output 1 only for $(1,1)$. Give both inputs weight 1 and put the threshold
//   between 1 and 2: $(w_0, w_1, w_2) = (-1.5, 1, 1)$. The score is $-1.5, -0.5, -0.5, 0.5$ on the
//   four rows, so only the last one is non-negative.
// - **OR** must output 1 as soon as one input is 1. Keep the weights, move the threshold between
//   0 and 1: $(-0.5, 1, 1)$.
// - **NOT** has one input and flips it: a negative weight and a positive bias, $(w_0, w_1) = (0.5, -1)$.
//
// The only difference between AND and OR is the bias: it sets how many inputs must be on before
// the unit fires. The cell checks all three truth tables.

// %% id="gates-by-hand-check"
const X2 = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const X1 = tensor([[0], [1]]);
/** A step perceptron with weights [w0, w1, …, wm] applied to the rows of X. */
function stepUnit(X: Tensor, weights: number[]): Tensor {
  return perceptron(X, tensor(weights.slice(1)), weights[0], (z) => F.step(z));
}
const gateWeights: Record<string, number[]> = { AND: [-1.5, 1, 1], OR: [-0.5, 1, 1], NOT: [0.5, -1] };
const gateOut = {
  AND: stepUnit(X2, gateWeights.AND).toArray(),
  OR: stepUnit(X2, gateWeights.OR).toArray(),
  NOT: stepUnit(X1, gateWeights.NOT).toArray(),
};
expect(gateOut.AND).toEqual([0, 0, 0, 1]);
expect(gateOut.OR).toEqual([0, 1, 1, 1]);
expect(gateOut.NOT).toEqual([1, 0]);
gateOut

// %% [markdown] id="gates-figure-intro"
// Each gate is a line in the unit square. For AND the line $x_1 + x_2 = 1.5$ cuts off the corner
// $(1,1)$; for OR the line $x_1 + x_2 = 0.5$ cuts off the corner $(0,0)$. The regions below are
// coloured by the perceptron's output (red = 1, blue = 0).

// %% id="gates-figure"
const andFig = plot.decisionBoundary((x: Tensor) => stepUnit(x, gateWeights.AND).unsqueeze(1), X2, tensor([0, 0, 0, 1]), { title: "AND: (w0, w1, w2) = (−1.5, 1, 1)", height: 340, margin: 0.4 });
const orFig = plot.decisionBoundary((x: Tensor) => stepUnit(x, gateWeights.OR).unsqueeze(1), X2, tensor([0, 1, 1, 1]), { title: "OR: (w0, w1, w2) = (−0.5, 1, 1)", height: 340, margin: 0.4 });
display(andFig);
display(orFig);

// %% [markdown] id="perceptron-rule"
// ## 5. Learning the weights: the perceptron rule
//
// Choosing weights by hand does not scale past toy problems. Rosenblatt's rule finds them from
// examples. Go through the training pairs $(\mathbf x, y)$ one at a time, predict
// $\hat y = \text{step}(w_0 + \mathbf w^\top\mathbf x)$, and correct the weights by the error:
//
// $$\mathbf w \leftarrow \mathbf w + \eta\,(y - \hat y)\,\mathbf x, \qquad w_0 \leftarrow w_0 + \eta\,(y - \hat y).$$
//
// When the prediction is right, $y - \hat y = 0$ and nothing changes. When the unit said 0 but
// should have said 1, the weights move *towards* $\mathbf x$, which raises the score of this input
// next time; in the opposite case they move away from it. The learning rate $\eta$ sets the step
// size. One pass over the data is an **epoch**.
//
// The **perceptron convergence theorem** guarantees that if some line separates the two classes
// perfectly, this rule makes only finitely many mistakes and then stops changing: it finds a
// separating line. If no such line exists, the weights keep cycling forever — a point we return to
// with XOR.

// %% id="train-perceptron"
/** Trains a step perceptron with the perceptron rule; returns its weights [w0, w1, …] and the mistakes made in each epoch. */
function trainPerceptron(X: number[][], y: number[], opts: { lr?: number; epochs?: number } = {}) {
  const lr = opts.lr ?? 0.1, epochs = opts.epochs ?? 20;
  const w = new Array<number>(X[0].length).fill(0);
  let w0 = 0;
  const mistakes: number[] = [];
  for (let e = 0; e < epochs; e++) {
    let wrong = 0;
    X.forEach((x, i) => {
      const yHat = w0 + x.reduce((s, xi, j) => s + w[j] * xi, 0) >= 0 ? 1 : 0;
      const err = y[i] - yHat;
      if (err !== 0) wrong++;
      x.forEach((xi, j) => (w[j] += lr * err * xi));
      w0 += lr * err;
    });
    mistakes.push(wrong);
  }
  return { weights: [w0, ...w], mistakes };
}
const rows2 = X2.toArray() as number[][];
// η = 0.5: every weight stays a multiple of 0.5, exact in binary floating point (see the note below).
const learned = {
  AND: trainPerceptron(rows2, [0, 0, 0, 1], { lr: 0.5 }),
  OR: trainPerceptron(rows2, [0, 1, 1, 1], { lr: 0.5 }),
  NOT: trainPerceptron([[0], [1]], [1, 0], { lr: 0.5 }),
};
// The learned weights reproduce each truth table, and the last epoch makes no mistake.
expect(stepUnit(X2, learned.AND.weights).toArray()).toEqual([0, 0, 0, 1]);
expect(stepUnit(X2, learned.OR.weights).toArray()).toEqual([0, 1, 1, 1]);
expect(stepUnit(X1, learned.NOT.weights).toArray()).toEqual([1, 0]);
for (const g of Object.values(learned)) expect(g.mistakes[g.mistakes.length - 1]).toBe(0);
Object.fromEntries(Object.entries(learned).map(([k, v]) => [k, v.weights.map((x) => +x.toFixed(2))]))

// %% [markdown] id="rule-mistakes-intro"
// The learned weights differ from ours — any line in the right gap works, and the rule stops at
// the first one it finds. Notice that this rule stops as soon as no point is on the *wrong* side,
// so some points may end exactly *on* the line (score 0, which the step counts as 1). With
// $\eta = 0.1$ such a score would be a rounding error like $-5.6\cdot10^{-17}$, and float32 and
// float64 arithmetic could disagree on its sign; $\eta = 0.5$ keeps every weight exact.
//
// The mistake counts per epoch show the rule settling. XOR (output 1 when
// exactly one input is 1) is included for contrast: no epoch is ever free of mistakes, because no
// line separates its 1s from its 0s. Notebook 2 proves this and fixes it with a hidden layer.

// %% id="rule-mistakes"
const xorRun = trainPerceptron(rows2, [0, 1, 1, 0], { lr: 0.5 });
expect(Math.min(...xorRun.mistakes)).toBeGreaterThan(0);
plot.line(
  { AND: learned.AND.mistakes, OR: learned.OR.mistakes, NOT: learned.NOT.mistakes, XOR: xorRun.mistakes },
  { x: learned.AND.mistakes.map((_, i) => i + 1), xlabel: "epoch", ylabel: "mistakes in the epoch", title: "Perceptron rule: mistakes per epoch", markers: true, height: 320 },
)

// %% [markdown] id="cloud-intro"
// ### A larger, separable problem
//
// The same rule works on real-valued inputs. Below, 60 random points are labelled by which side of
// the line $0.5 + x_1 - 2x_2 = 0$ they fall on (points too close to the line are dropped, so the
// classes have a gap between them). The rule never sees that line; it finds its own separating
// line from the examples, and the figure shows the region it learned.

// %% id="cloud-train"
manualSeed(3);
const raw = randn([90, 2]).toArray() as number[][];
const kept = raw.filter(([a, b]) => Math.abs(0.5 + a - 2 * b) > 0.4).slice(0, 60);
const cloudLabels = kept.map(([a, b]) => (0.5 + a - 2 * b > 0 ? 1 : 0));
const cloudRun = trainPerceptron(kept, cloudLabels, { lr: 0.1, epochs: 100 });
const epochsToFit = cloudRun.mistakes.indexOf(0) + 1;
expect(epochsToFit).toBeGreaterThan(0); // an epoch with no mistake was reached
const cloudX = tensor(kept);
expect(stepUnit(cloudX, cloudRun.weights).toArray()).toEqual(cloudLabels);
console.log(`${kept.length} points; first epoch without a mistake: ${epochsToFit}; learned (w0, w1, w2) = (${cloudRun.weights.map((v) => v.toFixed(2)).join(", ")})`);
plot.decisionBoundary((x: Tensor) => stepUnit(x, cloudRun.weights).unsqueeze(1), cloudX, tensor(cloudLabels), { title: "The region learned by the perceptron rule", height: 400 })

// %% [markdown] id="summary"
// ## Summary
//
// - A perceptron is a linear model's score $w_0 + \mathbf w^\top\mathbf x$ passed through an
//   activation $g$. The bias shifts the threshold; the weights orient it.
// - For the worked example, $\sigma(1 + 3\cdot(-1) - 2\cdot 2) = \sigma(-6) = 0.00247\ldots$
// - Because the activation is monotone, the decision boundary is the hyperplane
//   $w_0 + \mathbf w^\top\mathbf x = 0$: a perceptron is a linear classifier.
// - AND, OR and NOT are linearly separable, so weights exist and the perceptron rule finds them.
//   XOR is not, and the rule never settles — the starting point of the next notebook.

// %% [markdown] id="exercises"
// ## Exercises
//
// Fill in the code between the markers, run the cell, then run the public test below it. Hidden
// tests check more inputs when your notebook is graded.
//
// **Exercise 1 — a sigmoid perceptron.** Write `sigmoidUnit(x, w, w0)` returning
// $\sigma(w_0 + \sum_i w_i x_i)$ for plain number arrays `x` and `w` of the same length.

// %% id="ex-sigmoid-unit"
function sigmoidUnit(x: number[], w: number[], w0: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // replace with your code
  const z = w0 + x.reduce((s, xi, i) => s + xi * w[i], 0);
  return 1 / (1 + Math.exp(-z));
  // END SOLUTION
}

// %% id="test-sigmoid-unit"
// @test sigmoid_unit_example 1 point
expect(await student.call("sigmoidUnit", [-1, 2], [3, -2], 1)).toBeCloseTo(0.0024726231566347743, { atol: 1e-12 });

// %% id="test-sigmoid-unit-hidden"
// @test sigmoid_unit_hidden 2 points hidden
const cases: [number[], number[], number][] = [[[0, 0], [5, 5], 0], [[1, 2, 3], [0.5, -1, 0.25], 0.1], [[2], [-1.5], 4], [[-3, 1, 0.5, 2], [1, 1, -2, 0.5], -0.7]];
for (const [x, w, w0] of cases) {
  const z = w0 + x.reduce((s, xi, i) => s + xi * w[i], 0);
  expect(await student.call("sigmoidUnit", x, w, w0)).toBeCloseTo(1 / (1 + Math.exp(-z)), { atol: 1e-9 });
}

// %% [markdown] id="ex-gates-prompt"
// **Exercise 2 — more gates by hand.** Return step-perceptron weights for two more functions:
// `nandWeights()` → $(w_0, w_1, w_2)$ for NAND (0 only when both inputs are 1), and
// `majorityWeights()` → $(w_0, w_1, w_2, w_3)$ for the three-input majority (1 when at least two of
// the three inputs are 1). The unit outputs 1 when $w_0 + \sum_i w_i x_i \ge 0$. *Hint:* NAND is
// NOT of AND; for majority, count the inputs that are on and pick the threshold.

// %% id="ex-gates"
function nandWeights(): number[] {
  // BEGIN SOLUTION
  // STUB: return [0, 0, 0]; // replace with your weights
  return [1.5, -1, -1];
  // END SOLUTION
}
function majorityWeights(): number[] {
  // BEGIN SOLUTION
  // STUB: return [0, 0, 0, 0]; // replace with your weights
  return [-1.5, 1, 1, 1];
  // END SOLUTION
}

// %% id="test-gates"
// @test nand_weights 1 point
const wn = (await student.call("nandWeights")) as number[];
const nandRows = [[0, 0], [0, 1], [1, 0], [1, 1]];
expect(nandRows.map(([a, b]) => (wn[0] + wn[1] * a + wn[2] * b >= 0 ? 1 : 0))).toEqual([1, 1, 1, 0]);

// %% id="test-gates-hidden"
// @test majority_weights_hidden 2 points hidden
const wm = (await student.call("majorityWeights")) as number[];
expect(wm.length).toBe(4);
for (let r = 0; r < 8; r++) {
  const x = [(r >> 2) & 1, (r >> 1) & 1, r & 1];
  const out = wm[0] + wm[1] * x[0] + wm[2] * x[1] + wm[3] * x[2] >= 0 ? 1 : 0;
  expect(out).toBe(x[0] + x[1] + x[2] >= 2 ? 1 : 0);
}

// %% [markdown] id="ex-epoch-prompt"
// **Exercise 3 — one epoch with ±1 labels.** Many texts write the perceptron with labels
// $y \in \{-1, +1\}$ and the *sign* activation. Then a point is misclassified exactly when
// $y\,(w_0 + \mathbf w^\top \mathbf x) \le 0$, and the update for such a point is
// $\mathbf w \leftarrow \mathbf w + \eta\, y\, \mathbf x$, $w_0 \leftarrow w_0 + \eta\, y$ (correct points change nothing).
// Write `perceptronEpoch(X, y, w, w0, lr)`: one pass over the rows of `X` in order, returning
// `{ w, w0, mistakes }` (the updated weights, bias and the number of misclassified points met during
// the pass). Don't modify the arrays you are given.

// %% id="ex-epoch"
function perceptronEpoch(X: number[][], y: number[], w: number[], w0: number, lr: number): { w: number[]; w0: number; mistakes: number } {
  // BEGIN SOLUTION
  // STUB: return { w, w0, mistakes: 0 }; // replace with your code
  const wNew = [...w];
  let bNew = w0, mistakes = 0;
  X.forEach((x, i) => {
    const z = bNew + x.reduce((s, xi, j) => s + wNew[j] * xi, 0);
    if (y[i] * z <= 0) {
      mistakes++;
      x.forEach((xi, j) => (wNew[j] += lr * y[i] * xi));
      bNew += lr * y[i];
    }
  });
  return { w: wNew, w0: bNew, mistakes };
  // END SOLUTION
}

// %% id="test-epoch"
// @test epoch_public 1 point
const r1 = (await student.call("perceptronEpoch", [[1, 1], [-1, -1]], [1, -1], [0, 0], 0, 1)) as { w: number[]; w0: number; mistakes: number };
// Row 1: z = 0 → mistake, w = (1, 1), w0 = 1. Row 2: z = 1 − 2 = −1, y = −1 → correct.
expect(r1.w).toBeCloseTo([1, 1]);
expect(r1.w0).toBeCloseTo(1);
expect(r1.mistakes).toBe(1);

// %% id="test-epoch-hidden"
// @test epoch_hidden 3 points hidden
function refEpoch(X: number[][], y: number[], w: number[], w0: number, lr: number) {
  const wNew = [...w];
  let b = w0, mistakes = 0;
  X.forEach((x, i) => {
    const z = b + x.reduce((s, xi, j) => s + wNew[j] * xi, 0);
    if (y[i] * z <= 0) { mistakes++; x.forEach((xi, j) => (wNew[j] += lr * y[i] * xi)); b += lr * y[i]; }
  });
  return { w: wNew, w0: b, mistakes };
}
const Xh = [[0.5, -1.2, 2], [1.5, 0.3, -0.7], [-2, 1, 0.1], [0.2, 0.2, 0.2], [-0.4, -1.5, 1.1]];
const yh = [1, -1, 1, -1, 1];
for (const [w, w0, lr] of [[[0, 0, 0], 0, 0.5], [[0.3, -0.2, 0.1], -0.1, 0.1], [[-1, 1, 0.5], 0.4, 1]] as [number[], number, number][]) {
  const got = (await student.call("perceptronEpoch", Xh, yh, w, w0, lr)) as { w: number[]; w0: number; mistakes: number };
  const want = refEpoch(Xh, yh, w, w0, lr);
  expect(got.w).toBeCloseTo(want.w, { atol: 1e-9 });
  expect(got.w0).toBeCloseTo(want.w0, { atol: 1e-9 });
  expect(got.mistakes).toBe(want.mistakes);
}
