// %% [markdown] id="intro"
// # Loss functions and empirical risk
//
// Before a network can learn we must say, with a single number, how wrong it is. A **loss function**
// $\mathcal{L}\bigl(f(x^{(i)}; W), y^{(i)}\bigr)$ compares the prediction for one example with the true
// answer; the **empirical risk** (also called the empirical loss, cost or objective) averages it over
// the $n$ training examples:
// $$J(W) = \frac{1}{n} \sum_{i=1}^{n} \mathcal{L}\bigl(f(x^{(i)}; W),\, y^{(i)}\bigr), \qquad W^* = \operatorname*{argmin}_W J(W).$$
// Training is the search for $W^*$ (notebook 05 does the searching). Which loss to use depends on the
// task: squared error for regression, cross-entropy when the output is a probability, the hinge
// (max-margin) loss when we only care that the right answer wins by a margin. This notebook computes
// each of them by hand and with gradnote's built-in losses, compares how they treat right and wrong
// answers, and draws the risk as a surface over two weights.

// %% id="imports"
import { tensor, linspace, randn, manualSeed, nn, optim, data, plot, noGrad } from "gradnote";
import type { Tensor } from "gradnote";
const F = nn.functional;
const v = (t: Tensor) => Array.from(t.dataSync());   // a tensor's elements as numbers

// %% [markdown] id="squared-loss-md"
// ## Squared loss and the mean squared error
//
// For a real-valued target the natural penalty is the squared difference between target and
// prediction. Averaged over the data set it is the **mean squared error**,
// $$J(W) = \frac{1}{n} \sum_{i=1}^{n} \bigl(y^{(i)} - f(x^{(i)}; W)\bigr)^2 .$$
// Regression texts often write the plain sum $\sum_i (y_\theta(x_i) - y_i)^2$ (the residual sum of
// squares); it has the same minimiser, only a different scale. The square root of the MSE (RMSE) is
// back in the units of $y$. Squaring makes large errors count much more than small ones: one error of
// 1.6 costs four times as much as one of 0.8.
//
// The lecture's small example has three inputs $x = (4, 5), (2, 1), (5, 8)$, a network that predicts
// $f(x) = 0.1, 0.8, 0.6$ for them, and targets $y = 1, 0, -1$.

// %% id="squared-loss"
const Xd = tensor([[4, 5], [2, 1], [5, 8]]);            // the inputs (the network that saw them is not needed)
const fx = tensor([0.1, 0.8, 0.6], { dtype: "float64" }); // its predictions
const yd = tensor([1, 0, -1], { dtype: "float64" });      // the targets
const perExample = yd.sub(fx).square();                  // (y − f(x))² for each row
const mse = perExample.mean().item();
console.log({ inputs: Xd.shape, perExample: v(perExample), sum: perExample.sum().item(), mse, rmse: Math.sqrt(mse) });
expect(v(perExample)).toBeCloseTo([0.81, 0.64, 2.56], { atol: 1e-12 });
expect(mse).toBeCloseTo(4.01 / 3, { atol: 1e-12 });
expect(F.mseLoss(fx, yd).item()).toBeCloseTo(mse, { atol: 1e-12 });
expect(F.mseLoss(fx, yd, { reduction: "sum" }).item()).toBeCloseTo(4.01, { atol: 1e-12 });
// The third example, off by 1.6, carries more than half of the total.
expect(v(perExample)[2] / perExample.sum().item()).toBeGreaterThan(0.5);

// %% [markdown] id="loss-surface-md"
// ## The risk as a surface over the weights
//
// For fixed data, $J$ is a function of the weights alone. With a linear model $y_\theta(x) = \theta x + b$
// there are only two, so we can evaluate $J(\theta, b)$ on a grid and look at it. Training then means
// finding the lowest point of this surface. For the squared loss and a linear model the surface is a
// bowl with a single bottom, which we can also compute exactly with the least-squares formulas
// $\theta^* = \operatorname{cov}(x, y)/\operatorname{var}(x)$ and $b^* = \bar y - \theta^* \bar x$; the grid's
// lowest point must agree with it. (A neural network's surface is far less friendly: many valleys and
// saddle points, see notebook 05.)

// %% id="loss-surface"
manualSeed(1);
const xr = v(randn([40])), noise = v(randn([40]));
const yr = xr.map((x, i) => 2 * x - 1 + 0.3 * noise[i]);   // y ≈ 2x − 1 plus noise
const risk = (theta: number, b: number) => xr.reduce((s, x, i) => s + (theta * x + b - yr[i]) ** 2, 0) / xr.length;
const thetas = v(linspace(-1, 5, 61)), biases = v(linspace(-4, 2, 61));
const Z = biases.map((b) => thetas.map((t) => risk(t, b)));
// Least squares in closed form.
const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const mx = mean(xr), my = mean(yr);
const thetaStar = xr.reduce((s, x, i) => s + (x - mx) * (yr[i] - my), 0) / xr.reduce((s, x) => s + (x - mx) ** 2, 0);
const bStar = my - thetaStar * mx;
let best = [0, 0, Infinity];
Z.forEach((row, i) => row.forEach((z, j) => { if (z < best[2]) best = [thetas[j], biases[i], z]; }));
console.log({ thetaStar, bStar, gridMinimum: best });
expect(best[0]).toBeCloseTo(thetaStar, { atol: 0.1 });
expect(best[1]).toBeCloseTo(bStar, { atol: 0.1 });
expect(thetaStar).toBeCloseTo(2, { atol: 0.3 });
const surfaceFig = plot.contour(Z, { x: thetas, y: biases, title: "Mean squared error J(θ, b) of a linear model", xlabel: "θ (slope)", ylabel: "b (bias)" });
surfaceFig.data.push({ type: "scatter", mode: "markers", name: "least squares (θ*, b*)", x: [thetaStar], y: [bStar], marker: { color: "white", size: 10 } });
surfaceFig

// %% [markdown] id="cross-entropy-md"
// ## Binary cross-entropy
//
// When the output is a probability $p = f(x) \in (0, 1)$ of class 1 and the label is $y \in \{0, 1\}$,
// the loss of choice is the **cross-entropy**, the negative log-probability the model gave to the
// true label:
// $$\mathcal{L}(p, y) = -\bigl[\,y \log p + (1 - y) \log(1 - p)\,\bigr].$$
// Only one of the two terms is active for each example. A confident right answer ($p \to y$) costs
// almost nothing; a confident wrong answer costs without bound, since $-\log p \to \infty$ as $p \to 0$.
// With $\log_2$ the loss is measured in bits, with the natural log in nats; the two differ only by the
// constant factor $\ln 2$, so they have the same minimiser (libraries use the natural log). Note that the
// second term needs $\log(1 - p)$: writing $\log p$ in both terms is a common slip.
//
// The lecture's predictions 0.1, 0.8, 0.6 can serve as probabilities, but cross-entropy needs labels
// in $\{0, 1\}$, so we use the first two examples (labels 1 and 0): both are badly wrong, and the loss
// says so.

// %% id="cross-entropy"
const pBin = tensor([0.1, 0.8], { dtype: "float64" }), yBin = tensor([1, 0], { dtype: "float64" });
const ceByHand = -(Math.log(0.1) + Math.log(1 - 0.8)) / 2;
const ceBits = -(Math.log2(0.1) + Math.log2(1 - 0.8)) / 2;
console.log({ nats: ceByHand, bits: ceBits });
expect(F.bce(pBin, yBin).item()).toBeCloseTo(ceByHand, { atol: 1e-12 });
expect(ceByHand).toBeCloseTo(1.956012, { atol: 1e-6 });
expect(ceBits).toBeCloseTo(ceByHand / Math.LN2, { atol: 1e-12 });
// A confident right answer costs little, a confident wrong one a lot.
expect(F.bce(tensor([0.99]), tensor([1])).item()).toBeLessThan(0.011);
expect(F.bce(tensor([0.01]), tensor([1])).item()).toBeGreaterThan(4.6);

// %% [markdown] id="logits-md"
// ### Working with logits
//
// Networks usually output a raw score $z$ (a *logit*) and let the loss apply the sigmoid itself:
// $p = \sigma(z)$. Combined, the loss simplifies to
// $$\mathcal{L}(z, y) = \log(1 + e^{z}) - y z = \operatorname{softplus}(z) - y z ,$$
// which can be evaluated without ever forming $p$. That matters for large $|z|$: in single precision
// $\sigma(20)$ rounds to exactly 1, and $\log(1 - p)$ would be $-\infty$. `F.bceWithLogits` uses the stable
// form. Its derivative is strikingly simple, $\partial \mathcal{L} / \partial z = \sigma(z) - y = p - y$.

// %% id="logits"
const zl = tensor([-3, 0.5, 20], { dtype: "float64", requiresGrad: true }), yl = tensor([0, 1, 0], { dtype: "float64" });
const lossLogits = F.bceWithLogits(zl, yl, { reduction: "sum" });
lossLogits.backward();
const stable = v(F.softplus(zl.detach()).sub(yl.mul(zl.detach())));
expect(F.bceWithLogits(zl.detach(), yl, { reduction: "none" })).toBeCloseTo(stable, { atol: 1e-9 });
expect(zl.grad!).toBeCloseTo(v(zl.detach().sigmoid().sub(yl)), { atol: 1e-12 });   // p − y
// float32: σ(20) is exactly 1, so the probability route loses the loss; the logit route keeps it.
expect(tensor([20]).sigmoid().item()).toBe(1);
expect(F.bceWithLogits(tensor([20]), tensor([0])).item()).toBeCloseTo(20, { atol: 1e-4 });
({ "loss per example": stable, "dL/dz": v(zl.grad!) })

// %% [markdown] id="multiclass-md"
// ## Multi-class cross-entropy
//
// With $K$ classes the network has one output per class and predicts the class with the highest
// score. Softmax (notebook 03) turns the scores $z$ into probabilities, and the loss is again the
// negative log-probability of the true class $c$:
// $$\mathcal{L}(z, c) = -\log \frac{e^{z_c}}{\sum_j e^{z_j}} = \log \sum_j e^{z_j} - z_c .$$
// The gradient with respect to the scores is $\operatorname{softmax}(z) - \text{onehot}(c)$: push the
// true class's score up and every other score down, each in proportion to its probability. `F.crossEntropy`
// takes raw scores and integer class labels and averages over the batch.

// %% id="multiclass"
const logits = tensor([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], { dtype: "float64", requiresGrad: true });
const classes = tensor([0, 2]);                            // int64 class labels
const ce = F.crossEntropy(logits, classes);
ce.backward();
const rowsL = logits.detach().toArray() as number[][];
const byHandCE = rowsL.map((z, i) => Math.log(z.reduce((s, x) => s + Math.exp(x), 0)) - z[[0, 2][i]]);
console.log({ perExample: byHandCE, mean: ce.item() });
expect(ce.item()).toBeCloseTo((byHandCE[0] + byHandCE[1]) / 2, { atol: 1e-12 });
const probs = F.softmax(logits.detach(), 1);
const onehot = tensor([[1, 0, 0], [0, 0, 1]], { dtype: "float64" });
expect(logits.grad!).toBeCloseTo(probs.sub(onehot).div(2), { atol: 1e-12 });  // (p − onehot) / batch size
// The second example puts its largest score on class 1 but is labelled 2: it costs far more.
expect(byHandCE[1]).toBeGreaterThan(3 * byHandCE[0]);

// %% [markdown] id="why-ce-md"
// ### Why not squared error for classification?
//
// One could train a sigmoid output with squared error instead. The trouble is saturation (notebook 03).
// With $p = \sigma(z)$, squared error has gradient $\partial/\partial z\, \tfrac12 (p - y)^2 = (p - y)\,p(1 - p)$:
// when the model is confidently **wrong** ($z = -8$ for a positive example), $p(1 - p)$ is tiny and so is
// the gradient — the model hardly corrects its worst mistakes. Cross-entropy's gradient $p - y$ has no
// such factor: it is close to $-1$ exactly when the model is most wrong.

// %% id="why-ce"
const zWrong = tensor([-8], { dtype: "float64", requiresGrad: true });
F.bceWithLogits(zWrong, tensor([1], { dtype: "float64" })).backward();
const gradCE = zWrong.grad!.item();
const zWrong2 = tensor([-8], { dtype: "float64", requiresGrad: true });
zWrong2.sigmoid().sub(1).square().mul(0.5).sum().backward();
const gradSq = zWrong2.grad!.item();
console.log({ "cross-entropy dL/dz": gradCE, "squared error dL/dz": gradSq });
expect(gradCE).toBeCloseTo(-1, { atol: 1e-3 });
expect(Math.abs(gradSq)).toBeLessThan(1e-3);

// %% [markdown] id="hinge-md"
// ## Hinge loss and the max-margin objective
//
// Take labels $y \in \{-1, +1\}$ and a real score $s$; the prediction is the sign of $s$. The product
// $m = y s$, the **margin**, is positive when the prediction is right and large when it is right with
// room to spare. The three losses can all be written as functions of the margin:
//
// - squared error $(s - y)^2 = (1 - m)^2$ — it also punishes answers that are *too* right ($m > 1$);
// - cross-entropy (logistic loss) $\log(1 + e^{-m})$ — decreasing, but never exactly zero;
// - **hinge** $\max(0, 1 - m)$ — zero as soon as the margin exceeds 1, linear below.
//
// The hinge loss ignores examples that are already classified with a margin and concentrates on the
// rest; this is the loss of the support vector machine. The same idea compares *two* scores: a true
// example should score higher than a corrupted one by at least a margin $\Delta$. For a window of text
// with a location at its centre (score $s$) and a corrupted window (score $s_c$), the max-margin objective
// is $J = \max(0, \Delta - s + s_c)$, usually with $\Delta = 1$. Without the margin, $\max(0, s_c - s)$ would
// already be satisfied by $s = s_c + \varepsilon$, with no safety gap. Notebook 13 trains word vectors with it.

// %% id="hinge"
const m = linspace(-2, 3, 101);
const lossCurves = {
  "squared error": m.neg().add(1).square(),
  "cross-entropy (logistic)": F.softplus(m.neg()),
  "hinge (max-margin)": F.relu(m.neg().add(1)),
};
const at3 = (t: Tensor) => v(t)[100];                     // the value at margin m = 3
expect(at3(lossCurves["squared error"])).toBeCloseTo(4, { atol: 1e-5 });        // punished for being too right
expect(at3(lossCurves["cross-entropy (logistic)"])).toBeGreaterThan(0);        // never exactly zero
expect(v(lossCurves["hinge (max-margin)"]).slice(61).every((x) => x === 0)).toBe(true);  // zero for m ≥ 1
// The window objective with Δ = 1, by hand and with F.marginRankingLoss.
const windowJ = (s: number, sc: number) => Math.max(0, 1 - s + sc);
expect(windowJ(2.3, 1.8)).toBeCloseTo(0.5, { atol: 1e-12 });                   // right, but not by 1
expect(windowJ(3.0, 1.0)).toBe(0);                                              // right by a margin
expect(F.marginRankingLoss(tensor([2.3, 3.0]), tensor([1.8, 1.0]), tensor([1, 1]), { margin: 1, reduction: "none" })).toBeCloseTo([0.5, 0], { atol: 1e-6 });
plot.line(lossCurves, { x: m, title: "Loss against the margin y·s", xlabel: "margin y·s", ylabel: "loss" })

// %% [markdown] id="three-losses-md"
// ## One classifier, three losses
//
// The choice of loss changes what "best" means. We train the same linear classifier on two overlapping
// clouds of points three times, minimising the empirical risk under each loss with gradient descent.
// All three find a reasonable separating line; the hinge-trained one is drawn below.

// %% id="three-losses"
const [Xb, yb] = data.makeBlobs(200, { centers: [[-1, -1], [1.2, 1]], clusterStd: 0.9, seed: 2 });
const ypm = yb.float().mul(2).sub(1).unsqueeze(1);          // labels as ±1
function trainLinear(loss: (s: Tensor) => Tensor) {
  manualSeed(3);
  const lin = new nn.Linear(2, 1);
  const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
  for (let i = 0; i < 300; i++) {
    opt.zeroGrad();
    loss(lin(Xb)).backward();
    opt.step();
  }
  const acc = noGrad(() => lin(Xb).gt(0).float().mul(2).sub(1).eq(ypm).float().mean().item());
  return { lin, acc };
}
const trained = {
  "squared error": trainLinear((s) => s.sub(ypm).square().mean()),
  "cross-entropy": trainLinear((s) => F.softplus(s.mul(ypm).neg()).mean()),
  hinge: trainLinear((s) => F.relu(s.mul(ypm).neg().add(1)).mean()),
};
for (const { acc } of Object.values(trained)) expect(acc).toBeGreaterThan(0.85);
Object.fromEntries(Object.entries(trained).map(([k, t]) => [k, `${(100 * t.acc).toFixed(1)}% correct`]))

// %% id="three-losses-boundary"
plot.decisionBoundary(trained.hinge.lin, Xb, yb, { title: "Hinge loss: a max-margin linear classifier" })

// %% [markdown] id="risk-average-md"
// ## The empirical risk is an average
//
// Every built-in loss computes the per-example losses and then reduces them: `reduction: "none"`
// returns the vector, `"sum"` adds it up, and the default `"mean"` divides by $n$ — the empirical risk
// $J(W)$. Averaging (rather than summing) keeps the scale of $J$, and of its gradient, independent of the
// data-set size, so a learning rate that suits 100 examples tends to suit 10 000 as well. The check below
// does the reduction by hand for the cross-entropy-trained classifier.

// %% id="risk-average"
const lin = trained["cross-entropy"].lin;
const scoresB = noGrad(() => lin(Xb));
const perEx = F.bceWithLogits(scoresB, yb.float().unsqueeze(1), { reduction: "none" });
const J = F.bceWithLogits(scoresB, yb.float().unsqueeze(1)).item();
expect(perEx).toHaveShape([200, 1]);
expect(J).toBeCloseTo(perEx.sum().item() / 200, { atol: 1e-6 });
expect(J).toBeCloseTo(perEx.mean().item(), { atol: 1e-6 });
console.log(`J(W) = ${J.toFixed(4)}: the mean of 200 losses between ${perEx.min().item().toFixed(4)} and ${perEx.max().item().toFixed(4)}`);

// %% [markdown] id="regularized-risk-md"
// ## Adding a penalty: L1 against L2
//
// The quantity we minimise can include more than the data's loss. A penalty on the weights' size
// steers the optimiser towards simpler models:
// $$\text{cost} = J(W) + \lambda \sum_j |w_j| \;\;(\text{L1}) \qquad\text{or}\qquad \text{cost} = J(W) + \lambda \sum_j w_j^2 \;\;(\text{L2, weight decay}).$$
// They behave differently. Here are twenty input features of which only three matter. L2 shrinks every
// weight a little; L1 pushes the useless ones all the way to (nearly) zero — it selects features.
// (Notebook 07 treats regularization and overfitting in depth.)

// %% id="regularized-risk"
manualSeed(6);
const Xr = randn([300, 20]);
const trueW = tensor([3, -2, 1.5, ...new Array(17).fill(0)]).unsqueeze(1);
const Yr = Xr.matmul(trueW).add(randn([300, 1]).mul(0.5));
function fitLinear(l1: number, l2: number) {
  manualSeed(7);
  const model = new nn.Linear(20, 1);
  const opt = new optim.SGD(model.parameters(), { lr: 0.02, weightDecay: l2 });
  for (let i = 0; i < 600; i++) {
    opt.zeroGrad();
    let loss = F.mseLoss(model(Xr), Yr);
    if (l1 > 0) loss = loss.add(model.weight.abs().sum().mul(l1));
    loss.backward();
    opt.step();
  }
  return v(model.weight);
}
const weights = { "no penalty": fitLinear(0, 0), "L2 (weight decay 0.5)": fitLinear(0, 0.5), "L1 (λ = 0.05)": fitLinear(0.05, 0) };
const nearZero = (w: number[]) => w.filter((x) => Math.abs(x) < 0.02).length;
for (const [name, w] of Object.entries(weights)) console.log(`${name.padEnd(22)} weights below 0.02: ${nearZero(w)} of 20`);
expect(nearZero(weights["L1 (λ = 0.05)"])).toBeGreaterThanOrEqual(12);
expect(nearZero(weights["L2 (weight decay 0.5)"])).toBeLessThan(nearZero(weights["L1 (λ = 0.05)"]));
plot.line(weights, { markers: true, title: "Learned weights per feature", xlabel: "feature", ylabel: "weight" })

// %% [markdown] id="summary"
// ## Summary
//
// | loss | task | formula | notes |
// |---|---|---|---|
// | squared error / MSE | regression | $(y - f(x))^2$ | big errors dominate; the lecture's example gives $J = 4.01/3 \approx 1.337$ |
// | binary cross-entropy | two classes, $p \in (0,1)$ | $-[y\log p + (1-y)\log(1-p)]$ | use logits for stability; gradient $p - y$ |
// | multi-class cross-entropy | $K$ classes | $\log\sum_j e^{z_j} - z_c$ | gradient $\operatorname{softmax}(z) - \text{onehot}(c)$ |
// | hinge / max-margin | labels $\pm 1$, or pairs of scores | $\max(0, 1 - ys)$, $\max(0, 1 - s + s_c)$ | zero once the margin is met |
//
// The empirical risk is the average of the per-example losses; with a penalty on the weights added it
// becomes a regularized cost.

// %% [markdown] id="exercises"
// ## Exercises
//
// **Exercise 1.** Write `meanSquaredError(pred, target)` for two arrays of numbers.

// %% id="ex-mse"
function meanSquaredError(pred: number[], target: number[]): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code here
  return pred.reduce((s, p, i) => s + (target[i] - p) ** 2, 0) / pred.length;
  // END SOLUTION
}

// %% id="test-mse"
// @test mse_public 1 point
expect(await student.call("meanSquaredError", [1, 2], [1, 4])).toBeCloseTo(2, { atol: 1e-12 });

// %% id="test-mse-hidden"
// @test mse_hidden 2 points hidden
expect(await student.call("meanSquaredError", [0.1, 0.8, 0.6], [1, 0, -1])).toBeCloseTo(4.01 / 3, { atol: 1e-9 });
expect(await student.call("meanSquaredError", [3], [-1])).toBeCloseTo(16, { atol: 1e-12 });

// %% [markdown] id="ex-bce-md"
// **Exercise 2.** Write `binaryCrossEntropy(p, y)`: the mean binary cross-entropy (natural log) of
// probabilities `p` against labels `y` in $\{0, 1\}$.

// %% id="ex-bce"
function binaryCrossEntropy(p: number[], y: number[]): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code here
  return -p.reduce((s, q, i) => s + y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q), 0) / p.length;
  // END SOLUTION
}

// %% id="test-bce"
// @test bce_public 1 point
expect(await student.call("binaryCrossEntropy", [0.5], [1])).toBeCloseTo(Math.LN2, { atol: 1e-12 });

// %% id="test-bce-hidden"
// @test bce_hidden 2 points hidden
expect(await student.call("binaryCrossEntropy", [0.1, 0.8], [1, 0])).toBeCloseTo(1.956012, { atol: 1e-6 });
const pT = [0.9, 0.3, 0.65, 0.02], yT = [1, 0, 0, 0];
const refBce = nn.functional.bce(tensor(pT, { dtype: "float64" }), tensor(yT, { dtype: "float64" })).item();
expect(await student.call("binaryCrossEntropy", pT, yT)).toBeCloseTo(refBce, { atol: 1e-9 });

// %% [markdown] id="ex-ce-logits-md"
// **Exercise 3.** Write `crossEntropyFromLogits(scores, label)`: the multi-class cross-entropy of one
// example given its raw scores and the index of the true class. It must stay finite for scores like
// 1000 (use $\log\sum_j e^{z_j} = \max_k z_k + \log \sum_j e^{z_j - \max_k z_k}$).

// %% id="ex-ce-logits"
function crossEntropyFromLogits(scoresIn: number[], label: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code here
  const top = Math.max(...scoresIn);
  const lse = top + Math.log(scoresIn.reduce((s, z) => s + Math.exp(z - top), 0));
  return lse - scoresIn[label];
  // END SOLUTION
}

// %% id="test-ce-logits"
// @test ce_logits_public 1 point
expect(await student.call("crossEntropyFromLogits", [0, 0], 1)).toBeCloseTo(Math.LN2, { atol: 1e-12 });

// %% id="test-ce-logits-hidden"
// @test ce_logits_hidden 3 points hidden
const refCE = (z: number[], c: number) => nn.functional.crossEntropy(tensor([z], { dtype: "float64" }), tensor([c])).item();
expect(await student.call("crossEntropyFromLogits", [2, 1, 0.1], 0)).toBeCloseTo(refCE([2, 1, 0.1], 0), { atol: 1e-9 });
expect(await student.call("crossEntropyFromLogits", [0.5, 2.5, -1], 2)).toBeCloseTo(refCE([0.5, 2.5, -1], 2), { atol: 1e-9 });
expect(await student.call("crossEntropyFromLogits", [1000, 1001, 1002], 0)).toBeCloseTo(refCE([0, 1, 2], 0), { atol: 1e-9 });

// %% [markdown] id="ex-hinge-md"
// **Exercise 4.** Write `hingeRisk(scores, labels)`: the empirical risk under the hinge loss, i.e. the
// mean of $\max(0, 1 - y_i s_i)$, for labels in $\{-1, +1\}$.

// %% id="ex-hinge"
function hingeRisk(scoresIn: number[], labels: number[]): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code here
  return scoresIn.reduce((s, x, i) => s + Math.max(0, 1 - labels[i] * x), 0) / scoresIn.length;
  // END SOLUTION
}

// %% id="test-hinge"
// @test hinge_public 1 point
expect(await student.call("hingeRisk", [2, -3], [1, -1])).toBeCloseTo(0, { atol: 1e-12 });

// %% id="test-hinge-hidden"
// @test hinge_hidden 2 points hidden
expect(await student.call("hingeRisk", [0.5, -0.2, 2], [1, 1, -1])).toBeCloseTo((0.5 + 1.2 + 3) / 3, { atol: 1e-12 });
expect(await student.call("hingeRisk", [1, 1.5], [1, 1])).toBeCloseTo(0, { atol: 1e-12 });
expect(await student.call("hingeRisk", [-4], [1])).toBeCloseTo(5, { atol: 1e-12 });
