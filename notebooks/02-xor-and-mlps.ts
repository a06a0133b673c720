// %% [markdown] id="title"
// # 2. XOR and multi-layer networks
//
// Notebook 1 ended with a failure: the perceptron rule learned AND, OR and NOT but never stopped
// making mistakes on XOR. This notebook explains why — XOR is not *linearly separable* — and
// shows the cure: put perceptrons in layers. Two hidden units with hand-picked weights already
// compute XOR; a small trained network finds its own solution; and a single hidden layer with
// enough units can approximate any reasonable function of one variable, which we watch happen.
// We close with what depth adds on top of width.
//
// **You will learn**
// - what linear separability is, and a short proof that no line separates XOR;
// - how layers are written: the multi-output perceptron, the hidden layer, the deep network;
// - the two-layer step network for XOR, and why the non-linearity between layers is essential;
// - to train an MLP on XOR and draw its decision regions;
// - the universal-approximation picture, and why deeper networks can be more economical than wide ones.

// %% id="imports"
import { tensor, manualSeed, randn, nn, optim, plot, cat, type Tensor } from "gradnote";
const F = nn.functional;

// %% [markdown] id="xor-table"
// ## 1. XOR and linear separability
//
// Exclusive or outputs 1 when exactly one of its inputs is 1:
//
// | $x_1$ | $x_2$ | $x_1 \oplus x_2$ |
// |---|---|---|
// | 0 | 0 | 0 |
// | 0 | 1 | 1 |
// | 1 | 0 | 1 |
// | 1 | 1 | 0 |
//
// A labelled data set is **linearly separable** when some hyperplane $w_0 + \mathbf w^\top\mathbf x = 0$
// has all points of class 1 on one side and all points of class 0 on the other. That is exactly
// the set of problems a single perceptron can solve (notebook 1, section 3). Plot the four XOR
// points and the difficulty is visible: the two 1s sit on one diagonal of the square and the two
// 0s on the other, so any line that puts both 1s on its positive side drags at least one 0 along.

// %% id="xor-points"
const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const yXor = tensor([0, 1, 1, 0]);
const xorPlot = plot.scatter([0, 0, 1, 1], [0, 1, 0, 1], { labels: [0, 1, 1, 0], title: "XOR: class 1 on one diagonal, class 0 on the other", xlabel: "x1", ylabel: "x2", size: 14, height: 340 });
xorPlot

// %% [markdown] id="xor-proof"
// ### Why no line works
//
// Suppose a step unit $\hat y = [\,w_0 + w_1 x_1 + w_2 x_2 \ge 0\,]$ computed XOR. The four rows of
// the table demand
//
// $$\begin{aligned}
// (0,0) \mapsto 0:&\quad w_0 < 0 \\
// (0,1) \mapsto 1:&\quad w_0 + w_2 \ge 0 \\
// (1,0) \mapsto 1:&\quad w_0 + w_1 \ge 0 \\
// (1,1) \mapsto 0:&\quad w_0 + w_1 + w_2 < 0 .
// \end{aligned}$$
//
// Add the middle two: $2w_0 + w_1 + w_2 \ge 0$, so $w_0 + w_1 + w_2 \ge -w_0 > 0$ by the first line —
// contradicting the last. No choice of weights satisfies all four, whatever the activation, since
// any increasing $g$ thresholds the same score. For AND and OR the corresponding four inequalities
// *do* have solutions. The cell below makes this concrete by trying every weight triple on a grid from −2 to 2
// in steps of 0.25 (4913 triples): many realise AND and OR, none realises XOR. (The algebra covers
// all real weights; the grid is only an illustration.)

// %% id="xor-grid-search"
function countRealisations(target: number[]): number {
  const grid = Array.from({ length: 17 }, (_, i) => -2 + i * 0.25);
  const rows = [[0, 0], [0, 1], [1, 0], [1, 1]];
  let count = 0;
  for (const w0 of grid) for (const w1 of grid) for (const w2 of grid)
    if (rows.every(([a, b], i) => (w0 + w1 * a + w2 * b >= 0 ? 1 : 0) === target[i])) count++;
  return count;
}
const realisations = { AND: countRealisations([0, 0, 0, 1]), OR: countRealisations([0, 1, 1, 1]), XOR: countRealisations([0, 1, 1, 0]) };
expect(realisations.AND).toBeGreaterThan(0);
expect(realisations.OR).toBeGreaterThan(0);
expect(realisations.XOR).toBe(0);
realisations

// %% [markdown] id="history"
// ### A historical side note
//
// This small table had a large effect. Rosenblatt's perceptron (1957) raised high hopes, and in 1969
// Minsky and Papert's book *Perceptrons* analysed precisely what single-layer perceptrons can and
// cannot compute, XOR among the impossible cases. They knew that networks with more layers escape
// the limitation; what nobody had was a practical way to *train* the hidden layers. The result was
// read more broadly than it was written, and funding and interest in neural networks dropped for
// more than a decade. Interest returned in the 1980s, when backpropagation (popularised by
// Rumelhart, Hinton and Williams in 1986) made multi-layer networks trainable — the subject of
// notebook 5. A second quiet period followed in the 1990s, when simpler models such as support
// vector machines often did as well; the current resurgence rests on large data sets, GPUs and
// better training techniques.

// %% [markdown] id="layers"
// ## 2. From one perceptron to layers
//
// **Several outputs.** Put $d$ perceptrons side by side, all reading the same inputs. Unit $i$ has
// its own bias $w_{0,i}$ and weights $w_{j,i}$ (from input $j$ to unit $i$):
//
// $$z_i = w_{0,i} + \sum_{j=1}^{m} x_j\, w_{j,i}, \qquad i = 1, \dots, d .$$
//
// Collect the weights in a matrix $W \in \mathbb R^{m\times d}$ and the biases in $\mathbf b \in \mathbb R^d$:
// then $\mathbf z = W^\top\mathbf x + \mathbf b$, or $Z = XW + \mathbf b$ for a batch. That is a
// **fully connected (dense) layer**; gradnote's `nn.Linear(m, d)` stores the transpose, a weight of
// shape `[d, m]`, as PyTorch does.
//
// **A hidden layer.** Feed those $d_1$ scores, after an activation $g$, into another layer. With
// superscripts numbering the layers,
//
// $$z_i = w^{(1)}_{0,i} + \sum_{j=1}^{m} w^{(1)}_{j,i}\, x_j, \qquad
// \hat y_i = g\Big(w^{(2)}_{0,i} + \sum_{j=1}^{d_1} w^{(2)}_{j,i}\, g(z_j)\Big).$$
//
// The middle layer is *hidden*: its values are neither inputs nor outputs, and the training data
// never says what they should be. For one output this is the one-hidden-layer network
// $\text{out}(\mathbf x) = g\big(w_0 + \sum_k w_k\, g(w^{(k)}_0 + \sum_j w^{(k)}_j x_j)\big)$.
//
// **A deep network** stacks more such layers; layer $k$ computes from the activations of layer $k-1$:
//
// $$z_{k,i} = w^{(k)}_{0,i} + \sum_{j=1}^{d_{k-1}} g(z_{k-1,j})\, w^{(k)}_{j,i} .$$
//
// Read as functions, a network is a composition $f(\mathbf x) = f_L(\cdots f_2(f_1(\mathbf x)))$: each
// layer transforms the representation made by the one before. A tiny example with two inputs, two
// hidden units (3 and 4) and one output (5) writes out as
// $a_5 = g\big(W_{3,5}\, g(W_{1,3}a_1 + W_{2,3}a_2) + W_{4,5}\, g(W_{1,4}a_1 + W_{2,4}a_2)\big)$: changing
// any weight changes the function, and learning means choosing the weights.

// %% id="dense-layer-check"
// A dense layer is d perceptrons at once: row i of nn.Linear's weight is unit i's weight vector.
manualSeed(0);
const dense = new nn.Linear(3, 2);
const xs3 = randn([5, 3]);
const byLayer = dense.forward(xs3);
const byUnits = cat([0, 1].map((i) => xs3.matmul(dense.weight.data.select(0, i)).add(dense.bias!.data.select(0, i)).unsqueeze(1)), 1);
expect(byLayer.toArray()).toBeCloseTo(byUnits.toArray(), { atol: 1e-6 });
expect(dense.weight.shape).toEqual([2, 3]);
"nn.Linear(3, 2) = two perceptrons reading the same three inputs"

// %% [markdown] id="xor-network"
// ## 3. XOR with two layers of step units
//
// XOR can be spelled with the gates a perceptron *can* compute:
//
// $$x_1 \oplus x_2 = (x_1 \wedge \neg x_2) \vee (\neg x_1 \wedge x_2).$$
//
// Each bracket is a single linearly separable gate, and so is the final OR. With the step function
// $g$, three perceptrons do it:
//
// $$\begin{aligned}
// v_1 &= x_1 \wedge \neg x_2 = g(-0.5 + x_1 - x_2),\\
// v_2 &= \neg x_1 \wedge x_2 = g(-0.5 - x_1 + x_2),\\
// y &= v_1 \vee v_2 = g(-0.5 + v_1 + v_2).
// \end{aligned}$$
//
// $v_1$ fires only when $x_1 = 1, x_2 = 0$ (score $0.5$; the other rows score $-0.5$ or $-1.5$), $v_2$
// only for $x_1 = 0, x_2 = 1$, and the output fires when either does. In matrix form the hidden layer
// has $W^{(1)} = \begin{bmatrix} 1 & -1 \\ -1 & 1\end{bmatrix}$ (column $i$ feeds $v_i$) and biases
// $(-0.5, -0.5)$; the output layer has weights $(1, 1)$ and bias $-0.5$.

// %% id="xor-network-check"
const W1 = tensor([[1, -1], [-1, 1]]), b1 = tensor([-0.5, -0.5]);
const W2 = tensor([[1], [1]]), b2 = tensor([-0.5]);
const step = (z: Tensor) => F.step(z);
const hiddenV = step(X.matmul(W1).add(b1));
const xorOut = step(hiddenV.matmul(W2).add(b2));
expect(hiddenV.toArray()).toEqual([[0, 0], [0, 1], [1, 0], [0, 0]]);
expect(xorOut.squeeze(1).toArray()).toEqual(yXor.toArray());
({ hidden: hiddenV.toArray(), y: xorOut.squeeze(1).toArray() })

// %% [markdown] id="xor-network-figure-intro"
// Two pictures explain what happened. In the **input space** (first figure), each hidden unit draws
// one line: $v_1$ fires below the line $x_1 - x_2 = 0.5$ and $v_2$ fires above the line
// $x_2 - x_1 = 0.5$. The output fires when either does, so class 1 is the union of two half-planes
// and class 0 is the diagonal band between the two lines — a region no single line could carve
// out. In the **hidden space** (second figure), each input is redrawn at its coordinates
// $(v_1, v_2)$. The points $(0,0)$ and $(1,1)$ both land on $(0,0)$, while the two class-1 points
// land on $(1,0)$ and $(0,1)$: now the line $v_1 + v_2 = 0.5$ separates them. The hidden layer has
// *transformed the problem into a linearly separable one*, and the output unit only has to do what
// a single perceptron can.

// %% id="xor-network-figure"
const xorNet = (x: Tensor) => step(step(x.matmul(W1).add(b1)).matmul(W2).add(b2));
const inputFig = plot.decisionBoundary(xorNet, X, yXor, { title: "Input space: output of the step network", height: 380, margin: 0.5, resolution: 81 });
inputFig.data.push({ type: "scatter", mode: "lines", name: "v1: x1 − x2 = 0.5", x: [0, 1.5], y: [-0.5, 1], line: { color: "black", dash: "dash" } });
inputFig.data.push({ type: "scatter", mode: "lines", name: "v2: x2 − x1 = 0.5", x: [-0.5, 1], y: [0, 1.5], line: { color: "black", dash: "dot" } });
display(inputFig);
const hv = hiddenV.toArray() as number[][];
const hiddenFig = plot.scatter(hv.map((r) => r[0]), hv.map((r) => r[1]), { labels: [0, 1, 1, 0], title: "Hidden space (v1, v2): now a line separates the classes", xlabel: "v1", ylabel: "v2", size: 14, height: 380 });
hiddenFig.data.push({ type: "scatter", mode: "lines", name: "v1 + v2 = 0.5", x: [-0.25, 0.75], y: [0.75, -0.25], line: { color: "black" } });
// Fixed axis ranges, so the points on the corners are not cut off.
Object.assign(hiddenFig.layout.xaxis as object, { range: [-0.3, 1.3] });
Object.assign(hiddenFig.layout.yaxis as object, { range: [-0.3, 1.3] });
display(hiddenFig);

// %% [markdown] id="why-nonlinear"
// ## 4. Why the activation between layers is essential
//
// Remove the step functions and the construction collapses. A composition of linear maps is a
// linear map: $W(U(V\mathbf x)) = (WUV)\mathbf x$, and with biases a composition of affine maps is
// affine. So a network whose activations are all linear (or absent) is, no matter how many layers
// and units it has, just one perceptron in disguise, and draws one straight line. The check below
// confirms the identity numerically, then *trains* a linear two-layer network (8 hidden units, no
// activation) on XOR with the squared loss. The best any affine function can do on XOR is to output
// $\tfrac12$ everywhere: the least-squares fit has zero slope by symmetry, and its mean squared error
// is $\tfrac14$. Training cannot get below that bound.

// %% id="why-nonlinear-check"
manualSeed(1);
const V = randn([4, 3]), U = randn([5, 4]), Wm = randn([2, 5]), xv = randn([3, 1]);
expect(Wm.matmul(U.matmul(V.matmul(xv))).toArray()).toBeCloseTo(Wm.matmul(U).matmul(V).matmul(xv).toArray(), { atol: 1e-4 });
const linearNet = new nn.Sequential(new nn.Linear(2, 8), new nn.Linear(8, 1));
const linOpt = new optim.Adam(linearNet.parameters(), { lr: 0.05 });
const yCol = yXor.unsqueeze(1);
let linLoss = 0;
for (let it = 0; it < 400; it++) {
  linOpt.zeroGrad();
  const loss = F.mseLoss(linearNet.forward(X), yCol);
  loss.backward();
  linOpt.step();
  linLoss = loss.item();
}
expect(linLoss).toBeGreaterThanOrEqual(0.25 - 1e-4);
expect(linLoss).toBeLessThan(0.26); // it does find the best affine fit…
const linPred = linearNet.forward(X).squeeze(1).toArray() as number[];
for (const p of linPred) expect(p).toBeCloseTo(0.5, { atol: 0.05 }); // …which is 1/2 everywhere
({ finalMSE: +linLoss.toFixed(5), predictions: linPred.map((p) => +p.toFixed(3)) })

// %% [markdown] id="train-mlp"
// ## 5. Training an MLP on XOR
//
// Hand-picked weights do not scale, and the step function cannot be trained by gradient descent
// (its derivative is zero almost everywhere). So we swap in smooth parts: a hidden layer of four
// $\tanh$ units and one output score $s$, read as a probability through the sigmoid,
// $\hat p = \sigma(s)$. The loss is the binary cross-entropy
// $-\big[y\log\hat p + (1-y)\log(1-\hat p)\big]$ averaged over the data, and the Adam optimiser
// adjusts all 17 weights along the gradient that autograd computes (notebooks 4–6 explain all three
// in detail). To make the picture richer than four points, each XOR corner becomes a small cloud
// of 25 noisy samples; the labels follow the corner.
//
// The seed fixes the random start, so each run is the same every time. The loss of a network is
// not convex, so where training ends depends on where it starts: we train from two starts. Seed 1
// fits every point; seed 0 stalls in a poor local minimum where some of the points stay
// misclassified. Restarting from another random initialisation is the simple cure.

// %% id="train-mlp-run"
manualSeed(0);
const corners = X.repeat([25, 1]);
const cornerLabels = yXor.repeat([25]);
const Xnoisy = corners.add(randn([100, 2]).mul(0.15));
/** Trains a 2-4-1 tanh MLP on the noisy XOR clouds from the start that `seed` draws. */
function trainXorMlp(seed: number, steps = 300) {
  manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1));
  const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
  const losses: number[] = [];
  for (let it = 0; it < steps; it++) {
    opt.zeroGrad();
    const loss = F.binaryCrossEntropyWithLogits(model.forward(Xnoisy).squeeze(1), cornerLabels);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return { model, losses };
}
const good = trainXorMlp(1);
const stuck = trainXorMlp(0);
const mlp = good.model;
const trainAcc = mlp.forward(Xnoisy).squeeze(1).gt(0).float().eq(cornerLabels).float().mean().item();
expect(mlp.forward(X).squeeze(1).gt(0).float().toArray()).toEqual([0, 1, 1, 0]);
expect(trainAcc).toBe(1);
expect(good.losses[good.losses.length - 1]).toBeLessThan(0.02);
// The unlucky start stalls in a poor local minimum: it still gets some corners wrong.
expect(stuck.losses[stuck.losses.length - 1]).toBeGreaterThan(0.3);
expect(stuck.model.forward(Xnoisy).squeeze(1).gt(0).float().eq(cornerLabels).float().mean().item()).toBeLessThan(0.9);
const paramCount = mlp.parameters().reduce((n, p) => n + p.numel(), 0);
expect(paramCount).toBe(17);
console.log(`seed 1: final loss ${good.losses[good.losses.length - 1].toFixed(4)}, training accuracy ${(100 * trainAcc).toFixed(0)}%, ${paramCount} parameters`);
console.log(`seed 0: final loss ${stuck.losses[stuck.losses.length - 1].toFixed(4)} (stuck)`);
plot.line({ "seed 1": good.losses, "seed 0 (stuck)": stuck.losses }, { xlabel: "step", ylabel: "binary cross-entropy", title: "Training the 2-4-1 MLP on noisy XOR from two random starts", height: 300, logy: true })

// %% [markdown] id="mlp-regions-intro"
// The learned decision regions: the trained network's probability of class 1 over the plane.
// Unlike the step network, its boundary is curved, and the colour fades near it, where the network
// is unsure. It found its own solution — typically two soft bands much like the two lines of
// section 3, though not the same weights.

// %% id="mlp-regions"
plot.decisionBoundary(mlp, Xnoisy, cornerLabels, { title: "Decision regions of the trained MLP", height: 420 })

// %% [markdown] id="universal"
// ## 6. Enough hidden units fit any function
//
// A striking fact about one-hidden-layer networks: with enough hidden units they can approximate
// any continuous function on a bounded region as closely as we like (the **universal approximation
// theorem**). For one input there is a picture that makes it believable. A sigmoid with a large
// weight $s$, $\sigma(s(x - a))$, is nearly a step up at $x = a$. The difference of two of them,
//
// $$h\,\big[\sigma(s(x-a)) - \sigma(s(x-b))\big],$$
//
// is a **bump** of height $h$ on the interval $[a, b]$. Lay $N$ narrow bumps side by side with
// heights equal to the target function at their centres and you get a staircase that follows the
// curve; more units give narrower steps and a closer fit. A closely related construction is easier
// to write down: with knots $a_0 < a_1 < \dots < a_N$, climb from $f(a_0)$ by one soft step per interval,
//
// $$f(x) \approx f(a_0) + \sum_{k=1}^{N} \big(f(a_k) - f(a_{k-1})\big)\, \sigma\big(s\,(x - m_k)\big),$$
//
// where $m_k$ is the midpoint of $[a_{k-1}, a_k]$. That is a network with one input, $N$ sigmoid
// hidden units (weight $s$, bias $-s\,m_k$) and a linear output (weights $f(a_k) - f(a_{k-1})$, bias
// $f(a_0)$); the steepness grows with $N$ ($s = 8N/(b-a)$ on $[a, b]$) so that each step stays sharp
// compared with its width. The cell builds it from `nn.Linear` layers for the target
// $f(x) = \sin(2x) + 0.3x$ on $[-3, 3]$ and measures the largest error for $N = 5, 20, 100$.

// %% id="universal-construct"
const target = (x: number) => Math.sin(2 * x) + 0.3 * x;
const xsGrid = Array.from({ length: 241 }, (_, i) => -3 + i * 0.025);
const xsCol = tensor(xsGrid.map((x) => [x]));
const ysTarget = xsGrid.map(target);
/** A 1-N-1 sigmoid network whose weights are set by hand to the staircase of `f` with N steps on [lo, hi]. */
function staircaseNet(f: (x: number) => number, n: number, lo: number, hi: number) {
  const knots = Array.from({ length: n + 1 }, (_, k) => lo + ((hi - lo) * k) / n);
  const s = (8 * n) / (hi - lo); // steepness grows with N: each step stays sharp relative to its width
  const net = new nn.Sequential(new nn.Linear(1, n), new nn.Sigmoid(), new nn.Linear(n, 1));
  const mids = knots.slice(1).map((a, k) => (a + knots[k]) / 2);
  net[0].weight.data.copy_(tensor(mids.map(() => [s])));
  net[0].bias.data.copy_(tensor(mids.map((m) => -s * m)));
  net[2].weight.data.copy_(tensor([knots.slice(1).map((a, k) => f(a) - f(knots[k]))]));
  net[2].bias.data.copy_(tensor([f(lo)]));
  return net;
}
const staircase: Record<string, number[]> = {};
const maxErr: Record<number, number> = {};
for (const n of [5, 20, 100]) {
  const out = staircaseNet(target, n, -3, 3).forward(xsCol).squeeze(1).toArray() as number[];
  staircase[`N = ${n} hidden units`] = out;
  maxErr[n] = Math.max(...out.map((v, i) => Math.abs(v - ysTarget[i])));
}
expect(maxErr[20]).toBeLessThan(maxErr[5]);
expect(maxErr[100]).toBeLessThan(maxErr[20]);
expect(maxErr[100]).toBeLessThan(0.1);
console.log("largest error:", Object.entries(maxErr).map(([n, e]) => `N=${n}: ${e.toFixed(3)}`).join(", "));
plot.line({ target: ysTarget, ...staircase }, { x: xsGrid, xlabel: "x", ylabel: "f(x)", title: "Hand-built sigmoid networks approximating sin(2x) + 0.3x", height: 380 })

// %% [markdown] id="universal-trained-intro"
// The construction is a proof idea, not how networks are built in practice: gradient descent finds
// its own, usually far more economical, arrangement of units. The next cell *trains* networks with
// 1, 4 and 32 $\tanh$ hidden units on 61 samples of the same target, with the squared loss and Adam.
// One unit can only make a single S-shaped curve; four can follow some of the waves; 32 fit the
// curve closely. (The theorem promises that a good approximation *exists*; it says nothing about
// how many units are needed or whether training will find it.)

// %% id="universal-trained"
const trainXs = Array.from({ length: 61 }, (_, i) => -3 + i * 0.1);
const trainX = tensor(trainXs.map((x) => [x]));
const trainY = tensor(trainXs.map((x) => [target(x)]));
const fitted: Record<string, number[]> = {};
const fitMse: Record<number, number> = {};
for (const hidden of [1, 4, 32]) {
  manualSeed(hidden);
  const net = new nn.Sequential(new nn.Linear(1, hidden), new nn.Tanh(), new nn.Linear(hidden, 1));
  const opt = new optim.Adam(net.parameters(), { lr: 0.03 });
  for (let it = 0; it < 1500; it++) {
    opt.zeroGrad();
    const loss = F.mseLoss(net.forward(trainX), trainY);
    loss.backward();
    opt.step();
  }
  fitMse[hidden] = F.mseLoss(net.forward(trainX), trainY).item();
  fitted[`${hidden} hidden unit${hidden > 1 ? "s" : ""}`] = net.forward(xsCol).squeeze(1).toArray() as number[];
}
expect(fitMse[4]).toBeLessThan(fitMse[1]);
expect(fitMse[32]).toBeLessThan(fitMse[4]);
expect(fitMse[32]).toBeLessThan(0.01);
console.log("training MSE:", Object.entries(fitMse).map(([n, e]) => `${n} units: ${e.toFixed(4)}`).join(", "));
plot.line({ target: ysTarget, ...fitted }, { x: xsGrid, xlabel: "x", ylabel: "f(x)", title: "Trained one-hidden-layer tanh networks", height: 380 })

// %% [markdown] id="deep-vs-shallow"
// ## 7. Deep versus shallow
//
// If one hidden layer suffices in principle, why stack more? Because *sufficient* is not
// *efficient*: some functions that a deep network writes with a few units per layer need
// exponentially many units in a single layer. A clean example uses ReLU units,
// $\text{relu}(z) = \max(0, z)$. The "tent" map
//
// $$t(x) = 2\,\text{relu}(x) - 4\,\text{relu}(x - \tfrac12)$$
//
// rises from 0 to 1 on $[0, \tfrac12]$ and falls back on $[\tfrac12, 1]$: one layer of two units.
// Composing it with itself, $t(t(x))$, folds the interval twice and makes two teeth; $k$ layers of
// two units each give $2^{k-1}$ teeth, that is $2^k$ straight pieces. A one-hidden-layer ReLU network
// of one input is piecewise linear with at most one bend per unit, so producing those $2^k$ pieces
// needs at least $2^k - 1$ units, against $2k$ in the deep version. The cell composes the tent four
// times and counts the teeth.
//
// Some practical remarks from the lectures, to keep in perspective:
// - One hidden layer is a universal approximator, but not every function is represented
//   *efficiently* that way — the reason deep networks are still needed.
// - For ordinary fully connected networks, a common rule of thumb is that two hidden layers often
//   beat one, while going much deeper rarely helps; convolutional networks (notebooks 9–10) are
//   a different story.
// - Deep networks were long hard to train from a random start. One historical workaround was
//   *greedy layer-wise pre-training* on unlabelled data: train the first hidden layer, freeze it,
//   train the second on its outputs, and so on, then fine-tune everything on labelled data. Better
//   activations, initialisation and optimisers (notebooks 3, 6 and 7) have made it largely
//   unnecessary.
// - A deep network can be seen as many logistic regressions chained together, yet with many units
//   it behaves qualitatively differently from its parts, and why it generalises as well as it does
//   is still only partly understood. What is clear in practice is that successive layers compute
//   increasingly abstract features of the input — edges, then shapes, then objects, in the image
//   networks of notebook 10.
// - That is the sense of "deep learning" as *layered representation learning*: classical machine
//   learning needs a person to design the features (feature engineering) before a classifier is
//   trained; a deep network learns the features and the classifier together, end to end. The price
//   is interpretability: thousands of learned weights rarely explain *why* a prediction was made,
//   where a small decision tree can be read by a person.

// %% id="deep-sawtooth"
const tentW1 = tensor([[1, 1]]), tentB1 = tensor([0, -0.5]), tentW2 = tensor([[2], [-4]]);
/** One layer of the deep net: two ReLU units and a linear read-out, t(x) = 2 relu(x) − 4 relu(x − ½). */
const tent = (x: Tensor) => F.relu(x.matmul(tentW1).add(tentB1)).matmul(tentW2);
const sawX = Array.from({ length: 2001 }, (_, i) => i / 2000);
let sawH = tensor(sawX.map((x) => [x]));
const teeth: number[] = [];
const sawCurves: Record<string, number[]> = {};
for (let k = 1; k <= 4; k++) {
  sawH = tent(sawH);
  const v = sawH.squeeze(1).toArray() as number[];
  sawCurves[`depth ${k} (${2 * k} ReLUs)`] = v;
  teeth.push(v.filter((y, i) => i > 0 && i < v.length - 1 && y > v[i - 1] && y >= v[i + 1]).length);
}
expect(teeth).toEqual([1, 2, 4, 8]);
console.log(`teeth at depth 1..4: ${teeth.join(", ")}; a one-hidden-layer ReLU net needs ≥ ${2 ** 4 - 1} units for depth 4's ${2 ** 4} pieces`);
plot.line(sawCurves, { x: sawX, xlabel: "x", ylabel: "t(t(…t(x)))", title: "Composing the tent map: teeth double with each layer", height: 360 })

// %% [markdown] id="summary"
// ## Summary
//
// - XOR is not linearly separable: the four inequalities a single unit would need contradict each
//   other, and a grid search over 4913 weight triples finds no solution (it finds many for AND and OR).
// - A hidden layer re-represents the inputs. With $v_1 = g(-0.5 + x_1 - x_2)$,
//   $v_2 = g(-0.5 - x_1 + x_2)$ and $y = g(-0.5 + v_1 + v_2)$, XOR becomes a separable problem in
//   $(v_1, v_2)$.
// - Without non-linear activations, layers collapse into one linear map; a linear network cannot
//   beat a mean squared error of $\tfrac14$ on XOR.
// - A 2-4-1 tanh network trained with Adam learns XOR; with enough hidden units a single hidden
//   layer fits a 1-D function closely, while depth can buy the same expressiveness with far fewer units.

// %% [markdown] id="exercises"
// ## Exercises
//
// **Exercise 1 — XNOR with two layers.** XNOR (equivalence) outputs 1 when both inputs are equal.
// Return the weights of a two-layer step network computing it, as
// `{ W1, b1, W2, b2 }` with `W1` a 2×2 array (`W1[j][i]` is the weight from input $j$ to hidden unit
// $i$), `b1` two hidden biases, `W2` two output weights and `b2` the output bias. Each unit outputs 1
// when its score is $\ge 0$. *Hint:* XNOR = (x₁ AND x₂) OR (NOT x₁ AND NOT x₂).

// %% id="ex-xnor"
function xnorWeights(): { W1: number[][]; b1: number[]; W2: number[]; b2: number } {
  // BEGIN SOLUTION
  // STUB: return { W1: [[0, 0], [0, 0]], b1: [0, 0], W2: [0, 0], b2: 0 }; // replace with your weights
  return { W1: [[1, -1], [1, -1]], b1: [-1.5, 0.5], W2: [1, 1], b2: -0.5 };
  // END SOLUTION
}

// %% id="test-xnor"
// @test xnor_row_01 1 point
const wx = (await student.call("xnorWeights")) as { W1: number[][]; b1: number[]; W2: number[]; b2: number };
const unitStep = (z: number) => (z >= 0 ? 1 : 0);
const hid01 = [0, 1].map((i) => unitStep(wx.b1[i] + 0 * wx.W1[0][i] + 1 * wx.W1[1][i]));
expect(unitStep(wx.b2 + hid01[0] * wx.W2[0] + hid01[1] * wx.W2[1])).toBe(0);

// %% id="test-xnor-hidden"
// @test xnor_table_hidden 2 points hidden
const wh = (await student.call("xnorWeights")) as { W1: number[][]; b1: number[]; W2: number[]; b2: number };
const stepH = (z: number) => (z >= 0 ? 1 : 0);
for (const [a, b] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
  const h = [0, 1].map((i) => stepH(wh.b1[i] + a * wh.W1[0][i] + b * wh.W1[1][i]));
  expect(stepH(wh.b2 + h[0] * wh.W2[0] + h[1] * wh.W2[1])).toBe(a === b ? 1 : 0);
}

// %% [markdown] id="ex-forward-prompt"
// **Exercise 2 — the forward pass of an MLP.** Write `mlpForward(X, W1, b1, W2, b2)` for a batch
// `X` of shape `[N, m]`, hidden weights `W1` `[m, d]`, biases `b1` `[d]`, output weights `W2` `[d, k]`
// and biases `b2` `[k]`: a $\tanh$ hidden layer followed by a sigmoid output layer,
// $\sigma\big(\tanh(XW_1 + \mathbf b_1)\,W_2 + \mathbf b_2\big)$, returning a tensor of shape `[N, k]`.

// %% id="ex-forward"
function mlpForward(X: Tensor, W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor): Tensor {
  // BEGIN SOLUTION
  // STUB: return X; // replace with your code
  return X.matmul(W1).add(b1).tanh().matmul(W2).add(b2).sigmoid();
  // END SOLUTION
}

// %% id="test-forward"
// @test forward_public 1 point
const fOut = (await student.call("mlpForward", tensor([[1, 0]]), tensor([[1, 0], [0, 1]]), tensor([0, 0]), tensor([[1], [-1]]), tensor([0]))) as Tensor;
expect(fOut).toHaveShape([1, 1]);
expect(fOut).toBeCloseTo([[1 / (1 + Math.exp(-Math.tanh(1)))]], { atol: 1e-5 });

// %% id="test-forward-hidden"
// @test forward_hidden 2 points hidden
manualSeed(42);
const Xf = randn([6, 3]), W1f = randn([3, 5]), b1f = randn([5]), W2f = randn([5, 2]), b2f = randn([2]);
const want = Xf.matmul(W1f).add(b1f).tanh().matmul(W2f).add(b2f).sigmoid();
const got = (await student.call("mlpForward", Xf, W1f, b1f, W2f, b2f)) as Tensor;
expect(got).toHaveShape([6, 2]);
expect(got).toBeCloseTo(want, { atol: 1e-5 });

// %% [markdown] id="ex-params-prompt"
// **Exercise 3 — counting parameters.** A fully connected network with layer sizes
// `[m, d1, …, k]` (inputs first, outputs last) has a weight matrix and a bias vector between each
// pair of consecutive layers. Write `countParameters(sizes)` returning the total number of weights
// and biases. The XOR network of section 3, `[2, 2, 1]`, has $2\cdot2 + 2 + 2\cdot1 + 1 = 9$.

// %% id="ex-params"
function countParameters(sizes: number[]): number {
  // BEGIN SOLUTION
  // STUB: return 0; // replace with your code
  let total = 0;
  for (let i = 1; i < sizes.length; i++) total += sizes[i - 1] * sizes[i] + sizes[i];
  return total;
  // END SOLUTION
}

// %% id="test-params"
// @test params_public 1 point
expect(await student.call("countParameters", [2, 2, 1])).toBe(9);

// %% id="test-params-hidden"
// @test params_hidden 2 points hidden
expect(await student.call("countParameters", [2, 4, 1])).toBe(17);
expect(await student.call("countParameters", [784, 128, 10])).toBe(101770);
expect(await student.call("countParameters", [3, 5, 5, 2])).toBe(3 * 5 + 5 + 5 * 5 + 5 + 5 * 2 + 2);
expect(await student.call("countParameters", [10, 1])).toBe(11);

// %% [markdown] id="ex-bump-prompt"
// **Exercise 4 — a bump from two sigmoids.** Write `bump(x, a, b, h, s)` returning
// $h\,[\sigma(s(x-a)) - \sigma(s(x-b))]$, the building block of section 6. With a large `s` it is close
// to `h` inside $(a, b)$ and close to 0 outside. Make it work for large $|s(x - a)|$ too (no `NaN`).

// %% id="ex-bump"
function bump(x: number, a: number, b: number, h: number, s: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // replace with your code
  const sig = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
  return h * (sig(s * (x - a)) - sig(s * (x - b)));
  // END SOLUTION
}

// %% id="test-bump"
// @test bump_public 1 point
expect(await student.call("bump", 0, -1, 1, 2, 50)).toBeCloseTo(2, { atol: 1e-6 });

// %% id="test-bump-hidden"
// @test bump_hidden 2 points hidden
const sigRef = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
for (const [x, a, b, h, s] of [[0.3, 0, 1, 1.5, 3], [2, 0, 1, 1, 10], [-0.5, -1, 0, -2, 4], [0.999, 0, 1, 1, 1000], [5, 0, 1, 1, 500]]) {
  const v = await student.call("bump", x, a, b, h, s);
  expect(v).toBeFinite();
  expect(v).toBeCloseTo(h * (sigRef(s * (x - a)) - sigRef(s * (x - b))), { atol: 1e-9 });
}
