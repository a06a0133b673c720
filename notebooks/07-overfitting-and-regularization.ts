// %% [markdown] id="title"
// # Overfitting and regularization
//
// A network with enough units can fit almost any function — including the noise in its training
// data. This lecture is about noticing when that happens and about the tools that prevent it:
// held-out data to *measure* generalisation, L1 and L2 penalties that prefer small weights,
// dropout that stops units from leaning on each other, early stopping that ends training at the
// right moment, and an initialisation that lets training start at all.
//
// The plan: each idea gets its formula, a small experiment run live, a figure, and a check that
// the claim made in the text is what the experiment shows.

// %% id="imports"
import { tensor, zeros, ones, empty, randn, manualSeed, linspace, nn, optim, data, plot, noGrad } from "gradnote";
import type { Tensor } from "gradnote";
const F = nn.functional;

// %% [markdown] id="held-out"
// ## Held-out data: training, validation and test sets
//
// The aim of learning is a model that does well on data it has **not** seen. The loss on the
// training set cannot tell us that, because training drives exactly that number down. So the data
// are split, before anything is trained, into three parts with different jobs:
//
// - the **training set** is what gradient descent sees;
// - the **validation set** is used to *choose*: the model size, the penalty $\lambda$, the dropout
//   rate, the epoch at which to stop. Every choice made with it leaks a little information, so it
//   slowly stops being an honest estimate;
// - the **test set** is looked at *once*, at the very end, to report how the chosen model
//   generalises. A test set that influenced any decision is a second validation set.
//
// Our first experiment is the classic one: fit polynomials of increasing degree to 15 noisy points
// of $y = \sin(\pi x)$ and watch the training and validation errors. The loss is
// $J(\theta) = \frac{1}{2m}\sum_{i=1}^{m}(\hat y^{(i)} - y^{(i)})^2$ over the $m$ training points.
// (We use Legendre polynomials as features — the same models as powers of $x$, but numerically
// better behaved — and solve for the best weights exactly.)

// %% id="poly-data"
manualSeed(0);
const truth = (x: Tensor) => x.mul(Math.PI).sin();
function noisySine(n: number): [Tensor, Tensor] {
  const x = empty([n]).uniform_(-1, 1);
  return [x, truth(x).add(randn([n]).mul(0.25))];
}
const [xTrain, yTrain] = noisySine(15), [xVal, yVal] = noisySine(200), [xTest, yTest] = noisySine(200);
/** Legendre features P_0(x) … P_degree(x) of each x, as plain rows. */
function features(x: Tensor, degree: number): number[][] {
  return Array.from(x.dataSync(), (v) => {
    const p = [1, v];
    for (let k = 1; k < degree; k++) p.push(((2 * k + 1) * v * p[k] - k * p[k - 1]) / (k + 1));
    return p.slice(0, degree + 1);
  });
}
/** Solves (AᵀA + λI) θ = Aᵀy by Gaussian elimination: the minimiser of ½·mean squared error + λ/(2m)·Σθ². */
function ridgeFit(A: number[][], y: number[], lambda: number): number[] {
  const d = A[0].length;
  const M = Array.from({ length: d }, (_, i) => [...Array.from({ length: d }, (_, j) => A.reduce((s, r) => s + r[i] * r[j], 0) + (i === j ? lambda : 0)), A.reduce((s, r, k) => s + r[i] * y[k], 0)]);
  for (let c = 0; c < d; c++) {
    const piv = M.slice(c).reduce((best, row, k) => (Math.abs(row[c]) > Math.abs(M[best][c]) ? c + k : best), c);
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = 0; r < d; r++) if (r !== c) { const q = M[r][c] / M[c][c]; for (let k = c; k <= d; k++) M[r][k] -= q * M[c][k]; }
  }
  return M.map((row, i) => row[d] / row[i]);
}
const predict = (theta: number[], x: Tensor) => features(x, theta.length - 1).map((r) => r.reduce((s, v, k) => s + v * theta[k], 0));
const halfMse = (theta: number[], x: Tensor, y: Tensor) => { const ys = y.dataSync(); return predict(theta, x).reduce((s, p, i) => s + (p - ys[i]) ** 2, 0) / (2 * ys.length); };
const degrees = Array.from({ length: 13 }, (_, d) => d);
const polyFits = degrees.map((d) => ridgeFit(features(xTrain, d), Array.from(yTrain.dataSync()), 0));
const trainErr = polyFits.map((th) => halfMse(th, xTrain, yTrain)), valErr = polyFits.map((th) => halfMse(th, xVal, yVal));
plot.line({ training: trainErr, validation: valErr }, { x: degrees, markers: true, logy: true, title: "Error against model capacity (polynomial degree)", xlabel: "degree", ylabel: "J (log scale)" })

// %% id="poly-check"
// Training error can only go down as the model grows; validation error falls, bottoms out, and
// rises again. The best degree by validation is a middle one.
const bestDegree = valErr.indexOf(Math.min(...valErr));
for (let d = 1; d < degrees.length; d++) expect(trainErr[d]).toBeLessThanOrEqual(trainErr[d - 1] + 1e-9);
expect(bestDegree).toBeGreaterThanOrEqual(3);
expect(bestDegree).toBeLessThanOrEqual(8);
expect(valErr[12]).toBeGreaterThan(3 * valErr[bestDegree]);
expect(valErr[1]).toBeGreaterThan(3 * valErr[bestDegree]);
({ "best degree (validation)": bestDegree, "its test error": halfMse(polyFits[bestDegree], xTest, yTest).toFixed(4), "degree 12: training": trainErr[12].toExponential(2), "degree 12: validation": valErr[12].toFixed(3) })

// %% id="poly-fits"
const xPlot = linspace(-1, 1, 200);
const fitsFig = plot.scatter(xTrain, yTrain, { name: "training points", title: "Underfitting, a good fit and overfitting", xlabel: "x", ylabel: "y" });
fitsFig.layout.yaxis = { ...(fitsFig.layout.yaxis as object), range: [-2, 2] };
for (const [name, d] of [["degree 1: underfits", 1], [`degree ${bestDegree}: about right`, bestDegree], ["degree 12: overfits", 12]] as const)
  fitsFig.data.push({ type: "scatter", mode: "lines", name, x: Array.from(xPlot.dataSync()), y: predict(polyFits[d], xPlot) });
fitsFig

// %% [markdown] id="under-over"
// The three curves are the three regimes. A straight line **underfits**: it lacks the capacity to
// follow the data, so both errors are high. The degree-12 polynomial **overfits**: with 13 weights
// for 15 points it threads nearly every noisy point (its training error is tiny) and swings wildly
// between them, so its validation error is large. In between, the model is flexible enough for the
// signal but not for the noise. Deep networks have a very large capacity, so they sit on the
// overfitting side unless something holds them back. The remedies, in the order the lectures give
// them: more data, a smaller or better-designed network, regularization (penalties and dropout),
// and early stopping.

// %% [markdown] id="l1-l2-formulas"
// ## L2 and L1 regularization
//
// Regularization adds to the loss a term that grows with the size of the weights, so that the
// optimizer trades a little training error for a simpler model. With $m$ training examples,
//
// $$\text{L2 (ridge):}\quad \text{Cost} = J(\theta) + \frac{\lambda}{2m}\sum_j \theta_j^2, \qquad \text{L1 (lasso):}\quad \text{Cost} = J(\theta) + \frac{\lambda}{2m}\sum_j |\theta_j| .$$
//
// (You will also see them written $J + \lambda\sum_j \theta_j^2$ and $J + \lambda\sum_j|\theta_j|$: the same
// thing with the constant folded into $\lambda$.) The bias is usually left out of the penalty.
// $\lambda$ is a hyperparameter: $\lambda = 0$ is no regularization, a huge $\lambda$ forces all weights to 0.
//
// Their gradients explain their different effects. The L2 term adds $\frac{\lambda}{m}\theta_j$ to each
// weight's gradient: a pull toward zero *proportional to the weight*, so large weights shrink fast
// and small ones hardly move — every weight ends up smaller, few exactly zero. This is why L2 is
// also called **weight decay**: a gradient step becomes
// $\theta \leftarrow (1 - \eta\lambda/m)\,\theta - \eta\,\partial J/\partial\theta$. The L1 term adds
// $\frac{\lambda}{2m}\operatorname{sign}(\theta_j)$: a pull of *constant* size, which drives weights that
// the data do not defend all the way to zero — L1 selects features.
//
// First L2 on the degree-12 polynomial: the same 15 points, increasing $\lambda$.

// %% id="ridge"
const lambdas = [0, 1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1, 10];
const ridgeFits = lambdas.map((l) => ridgeFit(features(xTrain, 12), Array.from(yTrain.dataSync()), l));
const ridgeVal = ridgeFits.map((th) => halfMse(th, xVal, yVal));
const weightNorm = (th: number[]) => Math.sqrt(th.slice(1).reduce((s, v) => s + v * v, 0));
const ridgeFig = plot.scatter(xTrain, yTrain, { name: "training points", title: "Degree 12 with an L2 penalty", xlabel: "x", ylabel: "y" });
ridgeFig.layout.yaxis = { ...(ridgeFig.layout.yaxis as object), range: [-2, 2] };
for (const l of [0, 0.1, 10]) ridgeFig.data.push({ type: "scatter", mode: "lines", name: `λ = ${l}`, x: Array.from(xPlot.dataSync()), y: predict(ridgeFits[lambdas.indexOf(l)], xPlot) });
ridgeFig

// %% id="ridge-check"
// The weights shrink as λ grows, and a moderate λ generalises better than none — the degree-12
// model becomes about as good as the best small one.
for (let k = 1; k < lambdas.length; k++) expect(weightNorm(ridgeFits[k])).toBeLessThan(weightNorm(ridgeFits[k - 1]));
const bestLambda = ridgeVal.indexOf(Math.min(...ridgeVal));
expect(ridgeVal[bestLambda]).toBeLessThan(ridgeVal[0] / 3);
expect(ridgeVal[lambdas.length - 1]).toBeGreaterThan(ridgeVal[bestLambda]);
expect(ridgeVal[bestLambda]).toBeLessThan(1.5 * valErr[bestDegree]);
lambdas.map((l, k) => ({ λ: l, "‖θ‖": weightNorm(ridgeFits[k]).toFixed(2), validation: ridgeVal[k].toFixed(4) }))

// %% [markdown] id="weight-decay-intro"
// In a network we do not solve for the weights; we add the penalty to the loss and let autograd
// differentiate it — or we use the optimizer's `weightDecay` option, which adds $\text{wd}\cdot\theta$
// to every gradient, i.e. the gradient of $\frac{\text{wd}}{2}\sum\theta^2$. With the lectures' scaling,
// $\text{wd} = \lambda/m$. One step of each, compared:

// %% id="weight-decay-check"
{
  manualSeed(1);
  const X = randn([32, 5]), y = randn([32, 1]);
  const lam = 3.2, m = 32;
  const a = new nn.Linear(5, 1), b = new nn.Linear(5, 1);
  b.loadStateDict(a.stateDict());
  // (a) the penalty written into the cost (weights only, as in the formula)
  const optA = new optim.SGD([a.weight], { lr: 0.1 });
  F.mseLoss(a(X), y).div(2).add(a.weight.square().sum().mul(lam / (2 * m))).backward();
  optA.step();
  // (b) the optimizer's weight decay with wd = λ/m
  const optB = new optim.SGD([b.weight], { lr: 0.1, weightDecay: lam / m });
  F.mseLoss(b(X), y).div(2).backward();
  optB.step();
  expect(a.weight).toBeCloseTo(b.weight, { atol: 1e-6 });
  console.log("one step with the L2 term in the cost == one step with weightDecay = λ/m:", a.weight.toArray());
}

// %% [markdown] id="l1-vs-l2-intro"
// Now L1 against L2 on a problem where it matters: a linear model with 20 input features of which
// only 3 influence the target ($y = 3x_1 - 2x_2 + 1.5x_3 + \text{noise}$). L2 is applied as weight
// decay 0.5; L1 as the term $0.05\sum_j|w_j|$ added to the loss. We count the weights that end up
// near zero (below 0.02 in size).

// %% id="l1-vs-l2"
manualSeed(6);
const Xr = randn([300, 20]);
const trueW = tensor([3, -2, 1.5, ...new Array(17).fill(0)]).unsqueeze(1);
const yr = Xr.matmul(trueW).add(randn([300, 1]).mul(0.5));
function fitLinear(l1: number, l2: number): number[] {
  manualSeed(7);
  const lin = new nn.Linear(20, 1);
  const opt = new optim.SGD(lin.parameters(), { lr: 0.02, weightDecay: l2 });
  for (let i = 0; i < 600; i++) {
    opt.zeroGrad();
    let loss = F.mseLoss(lin(Xr), yr);
    if (l1 > 0) loss = loss.add(lin.weight.abs().sum().mul(l1));
    loss.backward();
    opt.step();
  }
  return Array.from(lin.weight.dataSync());
}
const learned = { "no penalty": fitLinear(0, 0), "L2 (weight decay 0.5)": fitLinear(0, 0.5), "L1 (λ = 0.05)": fitLinear(0.05, 0) };
const nearZero = (w: number[]) => w.filter((v) => Math.abs(v) < 0.02).length;
for (const [name, w] of Object.entries(learned)) console.log(`${name.padEnd(22)} weights below 0.02: ${nearZero(w)} of 20`);
plot.line(learned, { markers: true, title: "Learned weight of each feature", xlabel: "feature", ylabel: "weight" })

// %% id="l1-vs-l2-check"
// L1 zeroes most of the 17 useless weights; L2 shrinks everything (the 3 real weights too) but
// leaves fewer exactly at zero.
expect(nearZero(learned["L1 (λ = 0.05)"])).toBeGreaterThanOrEqual(12);
expect(nearZero(learned["L2 (weight decay 0.5)"])).toBeLessThan(nearZero(learned["L1 (λ = 0.05)"]));
expect(Math.abs(learned["L2 (weight decay 0.5)"][0])).toBeLessThan(Math.abs(learned["no penalty"][0]));

// %% [markdown] id="overfit-net-intro"
// ## Overfitting a network, and dropout
//
// The same story with a real network: a wide two-hidden-layer MLP (128 units each) on only 120 noisy
// points of the two-moons data, with 400 held-out points for validation. We train three versions
// with Adam for 300 full-batch epochs and record the validation loss after every epoch: no
// regularization, L2 weight decay $10^{-2}$, and dropout with $p = 0.5$ after the first hidden layer.
//
// **Dropout.** During training, every forward pass sets each activation of the layer to 0 with
// probability $p$ (independently, a fresh random mask each time) and multiplies the survivors by
// $\frac{1}{1-p}$. With $p = 0.5$, half the units are silenced on each step. A unit can no longer
// count on any particular partner being present, so the network has to spread what it knows over
// many units — it behaves like an average of many thinned networks. At evaluation time nothing is
// dropped; the $\frac{1}{1-p}$ scaling during training (called *inverted* dropout) is what keeps the
// expected activation the same in both modes:
// $\mathbb{E}[\text{out}] = (1-p)\cdot\frac{x}{1-p} + p\cdot 0 = x$.

// %% id="dropout-demo"
manualSeed(3);
const acts = ones([8, 16]);
const dropped = F.dropout(acts, 0.5, true);
const survivors = Array.from(dropped.dataSync()).filter((v) => v !== 0);
plot.heatmap(dropped, { title: "Dropout (p = 0.5) on a batch of 8 × 16 activations equal to 1", xlabel: "unit", ylabel: "example", showValues: true, zmin: 0, zmax: 2 })

// %% id="dropout-check"
{
  // Training mode: every survivor is scaled by 1/(1 − p); about p of the values are zero; the mean is kept.
  expect(survivors.every((v) => v === 2)).toBe(true);
  const big = F.dropout(ones([200_000]), 0.3, true);
  expect(big.eq(0).float().mean().item()).toBeCloseTo(0.3, { atol: 0.01 });
  expect(big.max().item()).toBeCloseTo(1 / 0.7, { atol: 1e-6 });
  expect(big.mean().item()).toBeCloseTo(1, { atol: 0.01 });
  // Evaluation mode: the identity. nn.Dropout follows the module's train()/eval() switch.
  const layer = new nn.Dropout(0.3);
  const x = randn([4, 6]);
  layer.eval();
  expect(layer(x)).toBeCloseTo(x, { atol: 0 });
  layer.train();
  expect(layer(x).eq(0).float().sum().item()).toBeGreaterThan(0);
  console.log(`training: ${survivors.length} of 128 kept, each = ${survivors[0]}; eval: unchanged`);
}

// %% id="moons-overfit"
const [P, labels] = data.makeMoons(120, { noise: 0.35, seed: 1 });
const [V, vlabels] = data.makeMoons(400, { noise: 0.35, seed: 2 });
function fitMoons(opts: { weightDecay?: number; dropout?: number }, epochs = 300) {
  manualSeed(2);
  const net = new nn.Sequential(new nn.Linear(2, 128), new nn.ReLU(), new nn.Dropout(opts.dropout ?? 0), new nn.Linear(128, 128), new nn.ReLU(), new nn.Linear(128, 1));
  const opt = new optim.Adam(net.parameters(), { lr: 0.01, weightDecay: opts.weightDecay ?? 0 });
  const train: number[] = [], val: number[] = [];
  for (let e = 0; e < epochs; e++) {
    net.train();
    opt.zeroGrad();
    const loss = F.binaryCrossEntropyWithLogits(net(P).squeeze(1), labels.float());
    loss.backward();
    opt.step();
    net.eval();
    train.push(noGrad(() => F.binaryCrossEntropyWithLogits(net(P).squeeze(1), labels.float()).item()));
    val.push(noGrad(() => F.binaryCrossEntropyWithLogits(net(V).squeeze(1), vlabels.float()).item()));
  }
  return { net, train, val };
}
const plain = fitMoons({}), withL2 = fitMoons({ weightDecay: 1e-2 }), withDropout = fitMoons({ dropout: 0.5 });
plot.line({ "training (no regularization)": plain.train, "validation (no regularization)": plain.val, "validation (L2 1e-2)": withL2.val, "validation (dropout 0.5)": withDropout.val }, { title: "Training and validation loss of a wide MLP on 120 points", xlabel: "epoch", ylabel: "binary cross-entropy" })

// %% id="moons-overfit-check"
// Without regularization the training loss keeps falling while the validation loss turns around
// and climbs; both regularized networks end with a lower validation loss.
const lastOf = (xs: number[]) => xs[xs.length - 1];
const minOf = (xs: number[]) => Math.min(...xs);
expect(lastOf(plain.train)).toBeLessThan(plain.train[100]);
expect(lastOf(plain.val)).toBeGreaterThan(minOf(plain.val) * 1.3);
expect(lastOf(withL2.val)).toBeLessThan(lastOf(plain.val));
expect(lastOf(withDropout.val)).toBeLessThan(lastOf(plain.val));
({ "final validation loss": { none: lastOf(plain.val).toFixed(3), L2: lastOf(withL2.val).toFixed(3), dropout: lastOf(withDropout.val).toFixed(3) } })

// %% id="moons-boundaries"
// The two boundaries on the 120 training points: without a penalty the network carves out islands
// around single noisy points; with weight decay the boundary stays smooth.
display(plot.decisionBoundary(plain.net, P, labels, { title: "No regularization: islands around single training points" }));
plot.decisionBoundary(withL2.net, P, labels, { title: "L2 weight decay 1e-2: a smooth boundary" })

// %% [markdown] id="early-stopping"
// ## Early stopping
//
// The unregularized validation curve above has a minimum early on and rises afterwards: from that
// epoch on, training improves the fit to the noise, not to the signal. **Early stopping** keeps the
// weights of the epoch with the lowest validation loss and stops once the validation loss has not
// improved for a number of epochs (the *patience*). It gives up some training accuracy for better
// test performance, costs nothing but a validation set, and is nearly always worth using. It is
// also a regularizer in disguise: fewer steps from a small initialisation leave the weights small.

// %% id="early-stopping-curve"
const bestEpoch = plain.val.indexOf(minOf(plain.val));
/** The epoch at which training stops: the first time `patience` epochs pass without a new best. */
function stopEpoch(val: number[], patience: number): number {
  let best = Infinity, since = 0;
  for (let e = 0; e < val.length; e++) {
    if (val[e] < best) { best = val[e]; since = 0; } else if (++since >= patience) return e;
  }
  return val.length - 1;
}
const stoppedAt = stopEpoch(plain.val, 30);
const esFig = plot.line({ training: plain.train, validation: plain.val }, { title: `Early stopping: keep epoch ${bestEpoch}, stop at epoch ${stoppedAt} (patience 30)`, xlabel: "epoch", ylabel: "binary cross-entropy" });
esFig.data.push({ type: "scatter", mode: "markers", name: "kept", x: [bestEpoch], y: [plain.val[bestEpoch]], marker: { size: 12 } });
esFig

// %% id="early-stopping-check"
expect(bestEpoch).toBeLessThan(150);
expect(stoppedAt).toBeGreaterThan(bestEpoch);
expect(stoppedAt).toBeLessThan(plain.val.length - 1);
expect(plain.val[bestEpoch]).toBeLessThan(lastOf(plain.val));
({ "kept epoch": bestEpoch, "its validation loss": plain.val[bestEpoch].toFixed(3), "stopped at": stoppedAt, "validation loss after 300 epochs": lastOf(plain.val).toFixed(3) })

// %% [markdown] id="init-intro"
// ## Initialisation
//
// Gradient descent starts from weights drawn at random, $\theta \sim \mathcal{N}(0, \sigma^2)$. Why not
// simply start from zero? Because of **symmetry**. If two hidden units start with the same incoming
// and outgoing weights, they compute the same activation, receive the same gradient, take the same
// step — and stay identical forever. The layer then behaves like a single unit, whatever its width.
// Starting from all zeros is the extreme case: with $\tanh$ units every hidden activation is 0, so
// every first-layer gradient is 0 as well and those weights never move at all. Below, a 2–8–1
// network learns XOR from three starts: all zeros, all $0.5$, and random.

// %% id="symmetry"
const [Xx, yx] = data.xor();
function trainXor(init: (w: Tensor) => void) {
  manualSeed(4);
  const net = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1));
  noGrad(() => { for (const p of net.parameters()) init(p); });
  const opt = new optim.SGD(net.parameters(), { lr: 0.5 });
  for (let s = 0; s < 500; s++) {
    opt.zeroGrad();
    F.binaryCrossEntropyWithLogits(net(Xx), yx).backward();
    opt.step();
  }
  const hidden = (net.at(0) as nn.Linear).weight.detach();
  const accuracy = noGrad(() => net(Xx).gt(0).float().eq(yx).float().mean().item());
  return { hidden, accuracy };
}
const symmetryRuns = {
  zeros: trainXor((p) => p.zero_()),
  "constant 0.5": trainXor((p) => p.fill_(0.5)),
  random: trainXor((p) => { if (p.ndim === 2) nn.init.xavierNormal_(p); else p.zero_(); }),
};
plot.heatmap(symmetryRuns["constant 0.5"].hidden, { title: "First-layer weights after training from constant 0.5: all 8 rows equal", xlabel: "input", ylabel: "hidden unit", showValues: true })

// %% id="symmetry-check"
{
  const rowsSpread = (w: Tensor) => w.sub(w.select(0, 0).unsqueeze(0)).abs().max().item();
  expect(symmetryRuns.zeros.hidden.abs().max().item()).toBe(0); // never moved
  expect(rowsSpread(symmetryRuns["constant 0.5"].hidden)).toBeLessThan(1e-4); // moved, but in lockstep
  expect(rowsSpread(symmetryRuns.random.hidden)).toBeGreaterThan(0.5); // units became different
  expect(symmetryRuns.random.accuracy).toBe(1);
  expect(symmetryRuns.zeros.accuracy).toBeLessThan(1);
  expect(symmetryRuns["constant 0.5"].accuracy).toBeLessThan(1);
}
Object.fromEntries(Object.entries(symmetryRuns).map(([k, r]) => [k, `XOR accuracy ${r.accuracy}`]))

// %% [markdown] id="init-scale"
// Random is necessary but not sufficient: the *scale* matters too. A layer computes
// $z_i = \sum_{j=1}^{n_{\text{in}}} w_{ij} a_j$; with independent zero-mean weights of variance $\sigma^2$,
// $\operatorname{Var}(z_i) = n_{\text{in}}\,\sigma^2\,\mathbb{E}[a_j^2]$. If $n_{\text{in}}\sigma^2$ is below 1
// the signal shrinks at every layer, if it is above 1 it grows — exponentially in the depth, in
// the forward pass and in the backward pass alike. Two standard choices keep it level:
//
// - **Xavier (Glorot)**, for $\tanh$/sigmoid layers: $\sigma^2 = \frac{2}{n_{\text{in}} + n_{\text{out}}}$
//   (normal), or uniform on $\pm\sqrt{6/(n_{\text{in}} + n_{\text{out}})}$ — a compromise between keeping
//   the forward and the backward variance.
// - **He (Kaiming)**, for ReLU layers: $\sigma^2 = \frac{2}{n_{\text{in}}}$ — the factor 2 makes up for ReLU
//   zeroing half of its inputs.
//
// Before these rules (and ReLU) were known, deep networks trained from random weights all at once
// rarely worked, and they were *pre-trained* one layer at a time on unlabelled data, then fine-tuned
// together. A well-scaled initialisation is much of what made plain end-to-end training possible.

// %% id="init-scale-check"
{
  manualSeed(5);
  const fanIn = 512, fanOut = 256;
  const w = empty([fanOut, fanIn]); // PyTorch's layout: [out, in]
  nn.init.xavierNormal_(w);
  expect(w.std().item()).toBeCloseTo(Math.sqrt(2 / (fanIn + fanOut)), { rtol: 0.02 });
  nn.init.xavierUniform_(w);
  expect(w.abs().max().item()).toBeLessThanOrEqual(Math.sqrt(6 / (fanIn + fanOut)));
  expect(w.abs().max().item()).toBeGreaterThan(0.99 * Math.sqrt(6 / (fanIn + fanOut)));
  nn.init.kaimingNormal_(w, { nonlinearity: "relu" });
  expect(w.std().item()).toBeCloseTo(Math.sqrt(2 / fanIn), { rtol: 0.02 });
  console.log(`Xavier std √(2/(512+256)) = ${Math.sqrt(2 / 768).toFixed(4)}, bound √(6/768) = ${Math.sqrt(6 / 768).toFixed(4)}; He std √(2/512) = ${Math.sqrt(2 / 512).toFixed(4)}`);
}

// %% id="init-depth"
// The spread of the activations through ten ReLU layers of width 256, for three initialisations.
function activationStds(init: (w: Tensor) => void): number[] {
  manualSeed(6);
  let a = randn([512, 256]);
  const stds: number[] = [];
  for (let layer = 0; layer < 10; layer++) {
    const w = empty([256, 256]);
    init(w);
    a = F.relu(a.matmul(w.t()));
    stds.push(a.std().item());
  }
  return stds;
}
const depthStds = {
  "N(0, 0.01²)": activationStds((w) => nn.init.normal_(w, 0, 0.01)),
  Xavier: activationStds((w) => nn.init.xavierNormal_(w)),
  "He (Kaiming)": activationStds((w) => nn.init.kaimingNormal_(w, { nonlinearity: "relu" })),
};
plot.line(depthStds, { x: Array.from({ length: 10 }, (_, i) => i + 1), markers: true, logy: true, title: "Standard deviation of the activations, layer by layer (ReLU)", xlabel: "layer", ylabel: "std (log scale)" })

// %% id="init-depth-check"
// Too small a scale kills the signal (a factor ≈ 0.11 per layer); Xavier loses √2 per ReLU layer;
// He keeps it level.
expect(depthStds["N(0, 0.01²)"][9]).toBeLessThan(1e-8);
expect(depthStds.Xavier[9] / depthStds.Xavier[0]).toBeLessThan(0.1);
expect(depthStds["He (Kaiming)"][9] / depthStds["He (Kaiming)"][0]).toBeGreaterThan(0.5);
expect(depthStds["He (Kaiming)"][9] / depthStds["He (Kaiming)"][0]).toBeLessThan(2);

// %% [markdown] id="summary"
// ## Summary
//
// - Measure generalisation on data the model never trained on: choose with the validation set,
//   report once with the test set.
// - Too little capacity underfits (both errors high); too much overfits (training error low,
//   validation error high). Deep networks usually err on the second side.
// - L2 adds $\frac{\lambda}{2m}\sum\theta^2$: every weight shrinks (weight decay, $\text{wd} = \lambda/m$).
//   L1 adds $\frac{\lambda}{2m}\sum|\theta|$: useless weights go to exactly zero.
// - Dropout silences each unit with probability $p$ during training and scales survivors by
//   $1/(1-p)$; at evaluation time it does nothing.
// - Early stopping keeps the epoch with the best validation loss.
// - Initialise randomly (zeros or constants keep the units identical), at a scale that keeps
//   activations level: Xavier for tanh/sigmoid, He for ReLU.

// %% [markdown] id="exercises"
// ## Exercises
//
// **Exercise 1 — the regularized cost.** Write `regularizedCost(loss, weights, lambda, m, kind)`
// returning the lectures' cost: `loss` plus $\frac{\lambda}{2m}\sum_j|\theta_j|$ when `kind` is `"l1"`,
// or plus $\frac{\lambda}{2m}\sum_j\theta_j^2$ when it is `"l2"`. `weights` is an array of numbers.

// %% id="ex-cost"
function regularizedCost(loss: number, weights: number[], lambda: number, m: number, kind: "l1" | "l2"): number {
  // BEGIN SOLUTION
  // STUB: return loss; // replace with your code
  const penalty = weights.reduce((s, w) => s + (kind === "l1" ? Math.abs(w) : w * w), 0);
  return loss + (lambda / (2 * m)) * penalty;
  // END SOLUTION
}

// %% id="test-cost"
// @test cost_l2_small 1 point
// 1 + 2/(2·4)·(1 + 4) = 2.25
expect(await student.call("regularizedCost", 1, [1, -2], 2, 4, "l2")).toBeCloseTo(2.25, { atol: 1e-12 });

// %% id="test-cost-hidden"
// @test cost_both_kinds 2 points hidden
{
  const w = [0.5, -1.5, 3, 0, -0.25];
  expect(await student.call("regularizedCost", 0.7, w, 0.3, 10, "l1")).toBeCloseTo(0.7 + (0.3 / 20) * 5.25, { atol: 1e-12 });
  expect(await student.call("regularizedCost", 0.7, w, 0.3, 10, "l2")).toBeCloseTo(0.7 + (0.3 / 20) * 11.5625, { atol: 1e-12 });
  expect(await student.call("regularizedCost", 2, w, 0, 10, "l1")).toBeCloseTo(2, { atol: 1e-12 });
}

// %% [markdown] id="ex-dropout-prompt"
// **Exercise 2 — inverted dropout.** Write `dropoutForward(x, keep, p, training)`: `x` is an array of
// activations and `keep` an array of the same length holding 1 for a unit that survives and 0 for
// a dropped one (the random draw is done for you). In training mode return the activations with the
// dropped ones set to 0 and the survivors divided by $1 - p$; in evaluation mode return `x` unchanged.

// %% id="ex-dropout"
function dropoutForward(x: number[], keep: number[], p: number, training: boolean): number[] {
  // BEGIN SOLUTION
  // STUB: return x; // replace with your code
  if (!training) return [...x];
  return x.map((v, i) => (keep[i] ? v / (1 - p) : 0));
  // END SOLUTION
}

// %% id="test-dropout"
// @test dropout_train 1 point
expect(await student.call("dropoutForward", [1, 2, 3, 4], [1, 0, 1, 0], 0.5, true)).toEqual([2, 0, 6, 0]);

// %% id="test-dropout-hidden"
// @test dropout_modes 2 points hidden
{
  const x = [0.3, -1.2, 5, 0.75, -0.1, 2];
  const keep = [0, 1, 1, 0, 1, 1];
  expect(await student.call("dropoutForward", x, keep, 0.2, true)).toBeCloseTo(x.map((v, i) => (keep[i] ? v / 0.8 : 0)), { atol: 1e-12 });
  expect(await student.call("dropoutForward", x, keep, 0.2, false)).toBeCloseTo(x, { atol: 0 });
}

// %% [markdown] id="ex-early-prompt"
// **Exercise 3 — early stopping with patience.** Write `earlyStopping(val, patience)` for an array of
// validation losses, one per epoch. Training stops at the first epoch at which `patience` epochs in a
// row have passed without a new lowest loss (or at the last epoch if that never happens). Return
// `{ best, stop }`: the epoch whose weights are kept (the lowest loss seen up to and including
// `stop`; the earliest one on a tie) and the epoch at which training stopped.

// %% id="ex-early"
function earlyStopping(val: number[], patience: number): { best: number; stop: number } {
  // BEGIN SOLUTION
  // STUB: return { best: 0, stop: val.length - 1 }; // replace with your code
  let best = 0, since = 0;
  for (let e = 1; e < val.length; e++) {
    if (val[e] < val[best]) { best = e; since = 0; } else if (++since >= patience) return { best, stop: e };
  }
  return { best, stop: val.length - 1 };
  // END SOLUTION
}

// %% id="test-early"
// @test early_simple 1 point
expect(await student.call("earlyStopping", [5, 4, 3, 3.5, 3.6, 3.7, 2], 3)).toEqual({ best: 2, stop: 5 });

// %% id="test-early-hidden"
// @test early_cases 2 points hidden
{
  expect(await student.call("earlyStopping", [3, 2, 1, 0.5], 2)).toEqual({ best: 3, stop: 3 });
  expect(await student.call("earlyStopping", [1, 2, 2, 2, 0.1], 3)).toEqual({ best: 0, stop: 3 });
  expect(await student.call("earlyStopping", [2, 1, 1, 1.5, 0.9, 1, 1, 1, 1], 3)).toEqual({ best: 4, stop: 7 });
}
