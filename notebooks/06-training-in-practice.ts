// %% [markdown] id="title"
// # Training in practice: learning rates, mini-batches and adaptive optimizers
//
// Backpropagation tells us *which way* to move every weight. This lecture is about *how far* and
// *how often*: how large a step to take, how much data to look at before each step, and how the
// optimizers that practitioners actually use (momentum, Adagrad, Adadelta, RMSProp and Adam) adapt
// the step on their own. Every optimizer here is run on one small problem whose loss surface we can
// draw, so you can *see* each path; then each update rule is written as a formula and one step of
// it is recomputed by hand and compared with gradnote's `optim` classes.
//
// What you will be able to do at the end:
// - recognise a learning rate that is too small, about right, or too large from its loss curve;
// - explain why mini-batches are the usual compromise between full-batch and single-example steps;
// - write the update rule of each adaptive optimizer and predict what it does on a narrow valley.

// %% id="imports"
import { tensor, rand, randn, randint, randperm, manualSeed, linspace, nn, optim, data, plot, noGrad } from "gradnote";
import type { Tensor } from "gradnote";
const F = nn.functional;

// %% [markdown] id="gd-recap"
// ## The update rule and its one knob
//
// Training minimises the empirical loss $J(\theta) = \frac{1}{n}\sum_{i=1}^{n} \mathcal{L}(f(x^{(i)};\theta), y^{(i)})$
// by repeating one step:
//
// $$\theta \leftarrow \theta - \eta\,\frac{\partial J(\theta)}{\partial \theta}.$$
//
// The gradient gives a direction; the **learning rate** $\eta$ decides the length of the step. The
// gradient is only a *local* description of the surface, valid in a small neighbourhood, so the
// step length is a bet on how far that description can be trusted. Bet too little and training
// crawls (and settles in the first dip it finds); bet too much and every step lands on the far
// wall of the valley, higher than where it started, and the loss explodes.
//
// A one-dimensional function with two valleys shows all three behaviours:
// $f(x) = x^4 - 3x^2 + x$ has a shallow local minimum near $x \approx 1.13$ and a deeper global one
// near $x \approx -1.30$. We start gradient descent at $x_0 = 2$ with three learning rates.

// %% id="lr-1d"
const f1 = (x: number) => x ** 4 - 3 * x ** 2 + x;
const df1 = (x: number) => 4 * x ** 3 - 6 * x + 1;
function descend1d(eta: number, x0: number, steps: number): number[] {
  const xs = [x0];
  for (let s = 0; s < steps; s++) xs.push(xs[xs.length - 1] - eta * df1(xs[xs.length - 1]));
  return xs;
}
const small1d = descend1d(0.01, 2, 60), right1d = descend1d(0.1, 2, 60), bouncing1d = descend1d(0.15, 2, 60), large1d = descend1d(0.26, 2, 3);
const grid1d = linspace(-2, 2.2, 200);
const curve1d = plot.line({ "f(x)": Array.from(grid1d.dataSync(), f1) }, { x: grid1d, title: "Gradient descent on f(x) = x⁴ − 3x² + x from x₀ = 2", xlabel: "x", ylabel: "f(x)" });
curve1d.layout.yaxis = { ...(curve1d.layout.yaxis as object), range: [-4, 8] };
for (const [name, xs] of [["η = 0.01 (too small)", small1d], ["η = 0.1 (about right)", right1d], ["η = 0.15 (too large)", bouncing1d]] as const)
  curve1d.data.push({ type: "scatter", mode: "lines+markers", name, x: xs, y: xs.map(f1) });
curve1d

// %% id="lr-1d-check"
// The small rate settles in the shallow valley, the moderate one reaches the deep one; η = 0.15
// still jumps from one wall of the deep valley to the other after 60 steps, and η = 0.26 is thrown
// out altogether: after three steps |x| is in the tens of thousands.
const last = (xs: number[]) => xs[xs.length - 1];
expect(last(small1d)).toBeCloseTo(1.1309, { atol: 1e-3 });
expect(last(right1d)).toBeCloseTo(-1.3008, { atol: 1e-3 });
expect(f1(last(right1d))).toBeLessThan(f1(last(small1d)) - 2);
expect(Math.abs(last(bouncing1d) - bouncing1d[bouncing1d.length - 2])).toBeGreaterThan(0.2);
expect(Math.abs(last(large1d))).toBeGreaterThan(1e4);
({ "η = 0.01": last(small1d).toFixed(4), "η = 0.1": last(right1d).toFixed(4), "η = 0.15 (last two)": bouncing1d.slice(-2).map((v) => v.toFixed(4)), "η = 0.26": last(large1d).toExponential(2) })

// %% [markdown] id="lr-1d-why"
// Why did $\eta = 0.1$ escape the shallow valley? Its very first step, $x_1 = 2 - 0.1 \cdot f'(2) = 2 - 2.1 = -0.1$,
// jumped straight over the bump between the valleys. That is the good side of a large step the
// lectures mention: a learning rate that is large but still stable does not get caught in every
// small dip. It is luck as much as design, though — the point to keep is the *shape* of the three
// failure modes, which you will recognise on any loss curve.
//
// ## The problem we keep for the rest of the lecture
//
// We fit a line $\hat y = w x + b$ to 64 noisy points of $y = 2x - 1$ with $x$ uniform in $[0, 4]$,
// using the mean squared error. There are only two parameters, $\theta = (w, b)$, so the loss surface
// $J(w, b)$ is a picture we can draw. Because every $x$ is positive, raising $w$ and lowering $b$
// nearly cancel out: the surface is a long, narrow, tilted valley, steep across and almost flat
// along — exactly the shape on which plain gradient descent struggles and the adaptive methods
// shine.

// %% id="line-data"
manualSeed(0);
const nPts = 64;
const xLine = rand([nPts]).mul(4);
const yLine = xLine.mul(2).sub(1).add(randn([nPts]).mul(0.5));
/** J(w, b) = mean((w·x + b − y)²) for θ = [w, b]. */
const lineLoss = (theta: Tensor, xs: Tensor = xLine, ys: Tensor = yLine) => theta.select(0, 0).mul(xs).add(theta.select(0, 1)).sub(ys).square().mean();
const theta0 = [-0.5, 3.5];
// The loss on a grid of (w, b), for the contour pictures.
const wAxis = linspace(-1, 3.5, 61), bAxis = linspace(-3, 4, 61);
const surface = noGrad(() => Array.from(bAxis.dataSync(), (b) => Array.from(wAxis.dataSync(), (w) => lineLoss(tensor([w, b])).item())));
plot.scatter(xLine, yLine, { title: "64 noisy points of y = 2x − 1", xlabel: "x", ylabel: "y" })

// %% [markdown] id="lr-curves-intro"
// Full-batch gradient descent on this loss with three learning rates. For a quadratic loss the
// largest stable step is $\eta < 2/\lambda_{\max}$, where $\lambda_{\max}$ is the largest curvature
// (eigenvalue of the Hessian); here that limit is about $0.15$ (computed below). We try $\eta = 0.01$, $0.1$ and $0.17$.

// %% id="lr-curves"
/** Runs `steps` steps of an optimizer built by `make` on the line loss; returns the path and the losses. */
function runOptimizer(make: (params: Tensor[]) => optim.Optimizer, steps = 100, start = theta0) {
  const theta = tensor(start, { requiresGrad: true });
  const opt = make([theta]);
  const path: number[][] = [Array.from(theta.detach().dataSync())];
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = lineLoss(theta);
    loss.backward();
    opt.step();
    losses.push(loss.item());
    path.push(Array.from(theta.detach().dataSync()));
  }
  return { path, losses };
}
const lrRuns = {
  "0.01": runOptimizer((p) => new optim.SGD(p, { lr: 0.01 }), 60),
  "0.1": runOptimizer((p) => new optim.SGD(p, { lr: 0.1 }), 60),
  "0.17": runOptimizer((p) => new optim.SGD(p, { lr: 0.17 }), 60),
};
plot.lrComparison(Object.fromEntries(Object.entries(lrRuns).map(([k, r]) => [k, r.losses])), { title: "Loss per step for three learning rates (log scale)" })

// %% id="lr-curves-check"
// Too small: still far from the best loss (≈ 0.211) after 60 steps. About right: close to it.
// Too large: the loss grows by orders of magnitude.
const finalLoss = (r: { losses: number[] }) => r.losses[r.losses.length - 1];
expect(finalLoss(lrRuns["0.01"])).toBeGreaterThan(2);
expect(finalLoss(lrRuns["0.1"])).toBeLessThan(0.3);
expect(finalLoss(lrRuns["0.17"])).toBeGreaterThan(1e3 * lrRuns["0.17"].losses[0]);
// The limit 2/λmax: the Hessian of the mean squared error is 2·[[mean x², mean x], [mean x, 1]].
const mx = xLine.mean().item(), mxx = xLine.square().mean().item();
const lambdaMax = (mxx + 1 + Math.sqrt((mxx - 1) ** 2 + 4 * mx * mx)); // 2 × the larger eigenvalue of [[mxx, mx], [mx, 1]]
expect(2 / lambdaMax).toBeGreaterThan(0.1);
expect(2 / lambdaMax).toBeLessThan(0.17);
({ "largest curvature λmax": lambdaMax.toFixed(3), "stable for η <": (2 / lambdaMax).toFixed(4) })

// %% [markdown] id="lr-advice"
// Read the three curves the way you will read every training run: a curve that falls steadily but
// slowly asks for a larger $\eta$; a curve that falls fast and flattens is about right; a curve that
// rises, oscillates wildly or turns into `NaN` asks for a smaller $\eta$. A practical recipe is to
// try rates a factor of about 3 apart on a small sample of the training set and keep the largest
// one that still falls smoothly. The rest of this lecture is about methods that change the step
// during training: by the size of the gradient, by how fast learning is going, and per weight.
//
// ## Batch, stochastic and mini-batch gradient descent
//
// The gradient of the empirical loss is an average over all $n$ examples,
// $\frac{\partial J}{\partial \theta} = \frac{1}{n}\sum_i \frac{\partial J_i}{\partial \theta}$. Three ways to use it:
//
// | variant | examples per step | steps per epoch | gradient |
// |---|---|---|---|
// | batch gradient descent | all $n$ | 1 | exact, but every step costs a full pass |
// | stochastic gradient descent (SGD) | 1 picked at random | $n$ | $\frac{\partial J_i}{\partial \theta}$: cheap but very noisy |
// | mini-batch | $B$ picked at random | $n/B$ | $\frac{1}{B}\sum_{k=1}^{B}\frac{\partial J_k}{\partial \theta}$ |
//
// An **epoch** is one pass over the training data. The data are shuffled before every epoch so that
// the batches differ from one pass to the next.
//
// First, the mini-batch formula is exactly what autograd computes for the mean loss of a batch:
// below, the average of four per-example gradients against the gradient of the batch's mean
// squared error.

// %% id="batch-gradient-check"
{
  const batchIdx = [3, 17, 42, 60];
  const perExampleGrads = batchIdx.map((k) => {
    const th = tensor(theta0, { requiresGrad: true });
    lineLoss(th, xLine.slice(0, k, k + 1), yLine.slice(0, k, k + 1)).backward();
    return Array.from(th.grad!.dataSync());
  });
  const averaged = [0, 1].map((j) => perExampleGrads.reduce((s, g) => s + g[j], 0) / batchIdx.length);
  const thB = tensor(theta0, { requiresGrad: true });
  const sel = tensor(batchIdx, { dtype: "int32" });
  lineLoss(thB, xLine.indexSelect(0, sel), yLine.indexSelect(0, sel)).backward();
  expect(Array.from(thB.grad!.dataSync())).toBeCloseTo(averaged, { atol: 1e-4 });
  console.log("(1/B) Σ ∂J_k/∂θ =", averaged.map((v) => v.toFixed(4)), " autograd on the batch:", Array.from(thB.grad!.dataSync(), (v) => v.toFixed(4)));
}

// %% [markdown] id="batch-vs-sgd-intro"
// Now the three variants get the same 15 epochs and the same learning rate; we record the full
// training loss after every step.

// %% id="batch-vs-sgd"
function trainBatches(batch: number, epochs: number, eta: number) {
  manualSeed(1);
  const theta = tensor(theta0, { requiresGrad: true });
  const opt = new optim.SGD([theta], { lr: eta });
  const epochAxis: number[] = [], losses: number[] = [];
  const perEpoch = Math.ceil(nPts / batch);
  for (let e = 0; e < epochs; e++) {
    const order = randperm(nPts);
    for (let k = 0; k < perEpoch; k++) {
      const idx = order.slice(0, k * batch, Math.min(nPts, (k + 1) * batch));
      opt.zeroGrad();
      lineLoss(theta, xLine.indexSelect(0, idx), yLine.indexSelect(0, idx)).backward();
      opt.step();
      epochAxis.push(e + (k + 1) / perEpoch);
      losses.push(noGrad(() => lineLoss(theta).item()));
    }
  }
  return { epochAxis, losses };
}
const variants = { "batch (B = 64)": trainBatches(64, 15, 0.02), "mini-batch (B = 8)": trainBatches(8, 15, 0.02), "stochastic (B = 1)": trainBatches(1, 15, 0.02) };
const batchFig = plot.line({}, { title: "Training loss against epochs (η = 0.02)", xlabel: "epoch", ylabel: "full training loss", logy: true });
for (const [name, r] of Object.entries(variants)) batchFig.data.push({ type: "scatter", mode: "lines", name, x: r.epochAxis, y: r.losses });
batchFig

// %% id="batch-vs-sgd-check"
// Per epoch, the variants that step more often get further; the single-example path is jagged:
// its loss goes up on many steps, the full-batch loss never does.
const ups = (xs: number[]) => xs.slice(1).filter((v, i) => v > xs[i]).length;
expect(finalLoss(variants["mini-batch (B = 8)"])).toBeLessThan(finalLoss(variants["batch (B = 64)"]));
expect(ups(variants["batch (B = 64)"].losses)).toBe(0);
expect(ups(variants["stochastic (B = 1)"].losses)).toBeGreaterThan(100);
({ "steps taken": Object.fromEntries(Object.entries(variants).map(([k, r]) => [k, r.losses.length])), "steps where the loss went up": Object.fromEntries(Object.entries(variants).map(([k, r]) => [k, ups(r.losses)])) })

// %% [markdown] id="gradient-noise"
// Per epoch, single-example SGD is far ahead: it made 64 updates while batch gradient descent made
// one. But look at its end: the loss no longer falls, it jumps up and down. With a fixed learning
// rate each noisy step kicks the parameters around the minimum, so SGD reaches a *noise floor*
// instead of the minimum; this is why SGD is usually run with a learning rate that decays during
// training. Mini-batches sit in between: several updates per epoch and a much quieter path.
//
// ### How noisy is a mini-batch gradient?
//
// A mini-batch gradient is an average of $B$ per-example gradients drawn at random. Its expected
// value is the true gradient, and if the draws are independent its standard deviation shrinks like
// $\sigma / \sqrt{B}$, where $\sigma$ is the spread of a single example's gradient. Doubling the batch
// buys only a factor $\sqrt 2$ less noise — which is why moderate batches (32 to 256 in practice) are
// the usual choice: they already give a good estimate, they allow a larger learning rate than
// single examples, and a GPU computes the $B$ examples of a batch in parallel for nearly the price
// of one. We measure the spread of the $\partial J/\partial w$ estimate at the starting point.

// %% id="gradient-noise-measure"
// Per-example gradients at θ0: ∂J_i/∂w = 2(w x_i + b − y_i) x_i.
const xs0 = Array.from(xLine.dataSync()), ys0 = Array.from(yLine.dataSync());
const perExample = xs0.map((x, i) => 2 * (theta0[0] * x + theta0[1] - ys0[i]) * x);
const batchSizes = [1, 2, 4, 8, 16, 32, 64];
/** Standard deviation of the mean of `bsz` per-example gradients drawn at random, over many draws. */
function spreadOfEstimate(bsz: number, draws = 4000): number {
  const idx = randint(0, nPts, [draws * bsz]);
  return tensor(perExample).indexSelect(0, idx).reshape([draws, bsz]).mean(1).std().item();
}
const spreads = batchSizes.map((bsz) => spreadOfEstimate(bsz));
plot.line({ measured: spreads, "σ / √B": batchSizes.map((bsz) => spreads[0] / Math.sqrt(bsz)) }, { x: batchSizes, markers: true, logx: true, logy: true, title: "Spread of the mini-batch gradient ∂J/∂w", xlabel: "batch size B", ylabel: "standard deviation" })

// %% id="gradient-noise-check"
// 64 times more examples per step: 8 times less noise (within sampling error).
expect(spreads[0] / spreads[6]).toBeCloseTo(8, { atol: 1 });
expect(spreads[0] / spreads[2]).toBeCloseTo(2, { atol: 0.25 });

// %% [markdown] id="optimizers-rules"
// ## Adaptive optimizers: the update rules
//
// Write $g_t = \frac{\partial J}{\partial \theta}(\theta_{t-1})$ for the gradient at step $t$; every
// operation below is taken coordinate by coordinate (each weight has its own accumulators), and the
// accumulators start at zero. The formulas are the ones gradnote implements, which follow PyTorch.
//
// **Momentum.** Keep a running velocity and step along it:
// $$b_t = \mu\, b_{t-1} + g_t \quad (b_1 = g_1), \qquad \theta_t = \theta_{t-1} - \eta\, b_t .$$
// Along a direction where the gradients keep their sign the velocity builds up to about
// $g/(1-\mu)$ — ten times the gradient for $\mu = 0.9$; across a valley the gradients flip sign and
// cancel. Momentum speeds up the flat direction and damps the zig-zag.
//
// **Adagrad.** Divide each coordinate's step by the root of *all* its past squared gradients:
// $$G_t = G_{t-1} + g_t^2, \qquad \theta_t = \theta_{t-1} - \frac{\eta}{\sqrt{G_t} + \epsilon}\, g_t .$$
// Weights with large or frequent gradients get small steps, rare ones large steps. Because $G_t$ only
// grows, the effective learning rate keeps shrinking — good for convex problems and sparse
// features, sometimes too early a stop for deep networks.
//
// **RMSProp.** Replace Adagrad's sum by an exponential moving average, so old gradients are forgotten:
// $$v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2, \qquad \theta_t = \theta_{t-1} - \frac{\eta}{\sqrt{v_t} + \epsilon}\, g_t .$$
//
// **Adadelta.** Also a moving average of $g^2$, and in addition a moving average of the squared
// *updates* $u$, whose root replaces the learning rate so that the step has the units of $\theta$:
// $$v_t = \rho\, v_{t-1} + (1-\rho)\, g_t^2,\quad \Delta_t = \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t,\quad u_t = \rho\, u_{t-1} + (1-\rho)\, \Delta_t^2,\quad \theta_t = \theta_{t-1} - \eta\,\Delta_t$$
// with $\eta = 1$ by default: Adadelta has no learning rate to tune, but its first steps are about
// $\sqrt{\epsilon}$ long, so $\epsilon$ plays that role.
//
// **Adam.** Momentum on the gradient *and* RMSProp's scaling, with a correction for the zero start:
// $$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\quad \hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t},\quad \theta_t = \theta_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}$$
// with $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$ by default. The bias correction matters at
// the start: $m_1 = 0.1\,g_1$ would be a tenth of the gradient, $\hat m_1 = g_1$ is the gradient.
//
// ## Their paths on the loss surface
//
// Every optimizer starts at $(w, b) = (-0.5, 3.5)$ and takes 100 full-batch steps: gradient descent
// (GD) with $\eta = 0.05$, momentum with $\eta = 0.05$ and $\mu = 0.9$, Adagrad with $\eta = 0.5$,
// Adadelta with $\rho = 0.95$ and $\epsilon = 10^{-3}$, RMSProp with $\eta = 0.05$ and Adam with
// $\eta = 0.1$. The colours are $\log_{10} J(w, b)$ on the grid computed above (dark is low); the
// minimum is near $(2, -1)$.

// %% id="optimizer-paths"
const optimizerRuns = {
  "GD": runOptimizer((p) => new optim.SGD(p, { lr: 0.05 })),
  momentum: runOptimizer((p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 })),
  Adagrad: runOptimizer((p) => new optim.Adagrad(p, { lr: 0.5 })),
  Adadelta: runOptimizer((p) => new optim.Adadelta(p, { rho: 0.95, eps: 1e-3 })),
  RMSProp: runOptimizer((p) => new optim.RMSprop(p, { lr: 0.05 })),
  Adam: runOptimizer((p) => new optim.Adam(p, { lr: 0.1 })),
};
const pathsFig = plot.contour(surface.map((row) => row.map((v) => Math.log10(v))), { x: wAxis, y: bAxis, title: "Six optimizers on the loss surface log₁₀ J(w, b)", xlabel: "w", ylabel: "b", height: 560 });
for (const [name, r] of Object.entries(optimizerRuns))
  pathsFig.data.push({ type: "scatter", mode: "lines+markers", name, x: r.path.map((p) => p[0]), y: r.path.map((p) => p[1]), marker: { size: 3 } });
pathsFig

// %% id="optimizer-curves"
plot.line(Object.fromEntries(Object.entries(optimizerRuns).map(([k, r]) => [k, r.losses])), { title: "Loss per step", xlabel: "step", ylabel: "J(w, b)", logy: true })

// %% id="optimizer-paths-check"
// Plain gradient descent is still creeping along the valley floor after 100 steps; momentum and
// the adaptive methods have reached the bottom (best loss ≈ 0.2111).
const bestLine = Math.min(...Object.values(optimizerRuns).map(finalLoss));
expect(bestLine).toBeCloseTo(0.2111, { atol: 1e-3 });
expect(finalLoss(optimizerRuns.GD)).toBeGreaterThan(bestLine + 0.03);
for (const name of ["momentum", "Adagrad", "Adadelta", "RMSProp", "Adam"] as const)
  expect(finalLoss(optimizerRuns[name])).toBeLessThan(bestLine + 0.01);
// Adadelta with its default ε = 1e-6 takes steps of about √ε at first: 100 steps barely move it.
const adadeltaDefault = runOptimizer((p) => new optim.Adadelta(p));
expect(finalLoss(adadeltaDefault)).toBeGreaterThan(5);
Object.fromEntries(Object.entries({ ...optimizerRuns, "Adadelta (defaults)": adadeltaDefault }).map(([k, r]) => [k, finalLoss(r).toFixed(4)]))

// %% [markdown] id="by-hand-intro"
// Read the picture: gradient descent first falls straight down the steep wall, then inches along the
// floor. Momentum overshoots, swings, and then runs along the floor much faster. Adagrad, RMSProp
// and Adam divide each coordinate by its own gradient scale, so their first steps have about the same
// length in $w$ and in $b$ — a diagonal move — whatever the slopes. Adadelta's step grows from tiny
// as its average of past updates fills up.
//
// ## Two steps of each rule, by hand
//
// The formulas above are the whole algorithm. To make sure, we recompute two steps of each with
// plain numbers — the gradient of the line loss is $\partial J/\partial w = \frac{2}{n}\sum_i (w x_i + b - y_i)\,x_i$
// and $\partial J/\partial b = \frac{2}{n}\sum_i (w x_i + b - y_i)$ — and compare with gradnote's optimizers.

// %% id="by-hand"
function lineGrad(th: number[]): number[] {
  let gw = 0, gb = 0;
  xs0.forEach((x, i) => { const r = th[0] * x + th[1] - ys0[i]; gw += (2 * r * x) / nPts; gb += (2 * r) / nPts; });
  return [gw, gb];
}
type Rule = (th: number[], g: number[], st: Record<string, number[]>, t: number) => number[];
const zeros2 = () => [0, 0];
const byHand: Record<string, Rule> = {
  "gradient descent": (th, g) => th.map((v, i) => v - 0.05 * g[i]),
  momentum: (th, g, st, t) => { st.b = t === 1 ? [...g] : st.b.map((b, i) => 0.9 * b + g[i]); return th.map((v, i) => v - 0.05 * st.b[i]); },
  adagrad: (th, g, st) => { st.G = (st.G ?? zeros2()).map((s, i) => s + g[i] ** 2); return th.map((v, i) => v - (0.5 * g[i]) / (Math.sqrt(st.G[i]) + 1e-10)); },
  rmsprop: (th, g, st) => { st.v = (st.v ?? zeros2()).map((s, i) => 0.99 * s + 0.01 * g[i] ** 2); return th.map((v, i) => v - (0.05 * g[i]) / (Math.sqrt(st.v[i]) + 1e-8)); },
  adadelta: (th, g, st) => {
    st.v = (st.v ?? zeros2()).map((s, i) => 0.95 * s + 0.05 * g[i] ** 2);
    const delta = g.map((gi, i) => (Math.sqrt((st.u ?? zeros2())[i] + 1e-3) / Math.sqrt(st.v[i] + 1e-3)) * gi);
    st.u = (st.u ?? zeros2()).map((s, i) => 0.95 * s + 0.05 * delta[i] ** 2);
    return th.map((v, i) => v - delta[i]);
  },
  adam: (th, g, st, t) => {
    st.m = (st.m ?? zeros2()).map((s, i) => 0.9 * s + 0.1 * g[i]);
    st.v = (st.v ?? zeros2()).map((s, i) => 0.999 * s + 0.001 * g[i] ** 2);
    return th.map((v, i) => v - (0.1 * (st.m[i] / (1 - 0.9 ** t))) / (Math.sqrt(st.v[i] / (1 - 0.999 ** t)) + 1e-8));
  },
};
const byLibrary: Record<string, (p: Tensor[]) => optim.Optimizer> = {
  "gradient descent": (p) => new optim.SGD(p, { lr: 0.05 }),
  momentum: (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 }),
  adagrad: (p) => new optim.Adagrad(p, { lr: 0.5 }),
  rmsprop: (p) => new optim.RMSprop(p, { lr: 0.05 }),
  adadelta: (p) => new optim.Adadelta(p, { rho: 0.95, eps: 1e-3 }),
  adam: (p) => new optim.Adam(p, { lr: 0.1 }),
};
const comparison: Record<string, { byHand: number[]; gradnote: number[] }> = {};
for (const name of Object.keys(byHand)) {
  let th = [...theta0];
  const st: Record<string, number[]> = {};
  for (let t = 1; t <= 2; t++) th = byHand[name](th, lineGrad(th), st, t);
  const lib = runOptimizer(byLibrary[name], 2).path[2];
  expect(lib).toBeCloseTo(th, { atol: 1e-4 });
  comparison[name] = { byHand: th.map((v) => +v.toFixed(5)), gradnote: lib.map((v) => +v.toFixed(5)) };
}
comparison

// %% id="by-hand-first-step"
// Two facts visible in the numbers: Adagrad's and Adam's first step moves every coordinate by
// exactly η (the gradient divided by its own size), whatever the gradient's size.
const g1 = lineGrad(theta0);
const adagradFirst = runOptimizer(byLibrary.adagrad, 1).path[1], adamFirst = runOptimizer(byLibrary.adam, 1).path[1];
expect(adagradFirst.map((v, i) => theta0[i] - v)).toBeCloseTo(g1.map((g) => 0.5 * Math.sign(g)), { atol: 1e-5 });
expect(adamFirst.map((v, i) => theta0[i] - v)).toBeCloseTo(g1.map((g) => 0.1 * Math.sign(g)), { atol: 1e-5 });
({ "gradient at θ0": g1.map((v) => +v.toFixed(4)), "Adagrad's first move": adagradFirst.map((v, i) => +(v - theta0[i]).toFixed(4)), "Adam's first move": adamFirst.map((v, i) => +(v - theta0[i]).toFixed(4)) })

// %% [markdown] id="saddle-intro"
// ## Saddle points
//
// Real loss surfaces have, besides local minima, many **saddle points**: places where the gradient
// is zero but the surface goes down in some direction. Take $f(x, y) = x^2 - y^2 + \frac{y^4}{4}$: at the
// origin the gradient vanishes, the surface curves up along $x$ and down along $y$, and the minima
// are at $(0, \pm\sqrt 2)$ with $f = -1$. Start at $(1, 10^{-3})$, almost exactly on the ridge line. Plain gradient
// descent first slides down to the saddle, where the tiny slope along $y$ only grows by a factor
// $1 + 2\eta$ per step; momentum builds up speed along $y$; Adam divides the small gradient by its
// own small size and moves at full speed from the start.

// %% id="saddle"
const saddle = (t: Tensor) => t.select(0, 0).square().sub(t.select(0, 1).square()).add(t.select(0, 1).pow(4).div(4));
function runOnSaddle(make: (params: Tensor[]) => optim.Optimizer, steps = 120) {
  const t = tensor([1, 1e-3], { requiresGrad: true });
  const opt = make([t]);
  const path: number[][] = [Array.from(t.detach().dataSync())];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    saddle(t).backward();
    opt.step();
    path.push(Array.from(t.detach().dataSync()));
  }
  return path;
}
const saddleRuns = {
  GD: runOnSaddle((p) => new optim.SGD(p, { lr: 0.05 })),
  momentum: runOnSaddle((p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 })),
  Adam: runOnSaddle((p) => new optim.Adam(p, { lr: 0.05 })),
};
const sAxis = linspace(-1.5, 1.5, 61), sAxisY = linspace(-2, 2, 81);
const saddleGrid = Array.from(sAxisY.dataSync(), (y) => Array.from(sAxis.dataSync(), (x) => x * x - y * y + y ** 4 / 4));
const saddleFig = plot.contour(saddleGrid, { x: sAxis, y: sAxisY, title: "Escaping the saddle of f(x, y) = x² − y² + y⁴/4", xlabel: "x", ylabel: "y", height: 520 });
for (const [name, path] of Object.entries(saddleRuns)) saddleFig.data.push({ type: "scatter", mode: "lines+markers", name, x: path.map((p) => p[0]), y: path.map((p) => p[1]), marker: { size: 3 } });
saddleFig

// %% id="saddle-check"
// Steps until |y| > 1, i.e. until the optimizer has clearly left the saddle.
const escapeStep = (path: number[][]) => path.findIndex((p) => Math.abs(p[1]) > 1);
const escapes = Object.fromEntries(Object.entries(saddleRuns).map(([k, path]) => [k, escapeStep(path)]));
expect(escapes.GD).toBeGreaterThan(50);
expect(escapes.momentum).toBeGreaterThan(0);
expect(escapes.momentum).toBeLessThan(escapes.GD);
expect(escapes.Adam).toBeGreaterThan(0);
expect(escapes.Adam).toBeLessThan(escapes.GD);
escapes

// %% [markdown] id="spirals-intro"
// ## The same optimizers on a real network
//
// A two-dimensional problem is a picture, not a benchmark. Here the six optimizers train the same
// small network (2 inputs, 32 ReLU units, 3 outputs) on three interleaved spirals, from the same
// initial weights, with cross-entropy loss. Each keeps the learning rate that is its usual
// starting point: plain SGD and momentum 0.1, Adagrad 0.1, Adadelta its default 1.0, RMSProp and
// Adam 0.01.

// %% id="spirals"
const [Xsp, ysp] = data.makeSpirals(300, { classes: 3, noise: 0.1 });
function trainSpirals(makeOpt: (p: Tensor[]) => optim.Optimizer, steps = 200) {
  manualSeed(0);
  const net = new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 3));
  const opt = makeOpt(net.parameters());
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = F.crossEntropy(net(Xsp), ysp);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}
const spiralCurves = {
  "SGD 0.1": trainSpirals((p) => new optim.SGD(p, { lr: 0.1 })),
  "SGD + momentum 0.9": trainSpirals((p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 })),
  Adagrad: trainSpirals((p) => new optim.Adagrad(p, { lr: 0.1 })),
  Adadelta: trainSpirals((p) => new optim.Adadelta(p)),
  RMSprop: trainSpirals((p) => new optim.RMSprop(p, { lr: 0.01 })),
  Adam: trainSpirals((p) => new optim.Adam(p, { lr: 0.01 })),
};
plot.line(spiralCurves, { title: "Training loss by optimizer on three spirals", xlabel: "step", ylabel: "cross-entropy" })

// %% id="spirals-check"
// Momentum and Adam end well below plain SGD with the same budget.
const endOf = (xs: number[]) => xs[xs.length - 1];
expect(endOf(spiralCurves["SGD + momentum 0.9"])).toBeLessThan(endOf(spiralCurves["SGD 0.1"]));
expect(endOf(spiralCurves.Adam)).toBeLessThan(endOf(spiralCurves["SGD 0.1"]));
Object.fromEntries(Object.entries(spiralCurves).map(([k, v]) => [k, endOf(v).toFixed(3)]))

// %% [markdown] id="summary"
// ## Summary
//
// - The learning rate is the first thing to tune. Too small: slow, and stuck in the first dip.
//   Too large: the loss grows. A quadratic valley with largest curvature $\lambda_{\max}$ is stable
//   only for $\eta < 2/\lambda_{\max}$.
// - Mini-batches of $B$ examples estimate the gradient with a spread $\sigma/\sqrt{B}$: much less
//   noisy than single examples, much cheaper per step than the full data, and parallel on a GPU.
//   Shuffle the data every epoch.
// - Momentum accumulates a velocity; Adagrad, RMSProp and Adadelta divide each weight's step by a
//   running size of its gradients; Adam combines momentum with RMSProp's scaling and corrects the
//   zero start. On narrow valleys they all beat plain gradient descent, and Adam with
//   $\eta \approx 10^{-3}$ to $10^{-2}$ is the usual first choice for a new network.

// %% [markdown] id="exercises"
// ## Exercises
//
// **Exercise 1 — momentum by hand.** Write `momentumStep(theta, grad, velocity, lr, mu)` for one
// step of SGD with momentum as gradnote and PyTorch define it: the new velocity is
// $b = \mu\, b_{\text{old}} + g$, except on the first step where it is $g$ itself (pass
// `velocity = null` for the first step), and the new parameters are $\theta - \eta\, b$. All
// vectors are arrays of numbers. Return `{ theta, velocity }`.

// %% id="ex-momentum"
function momentumStep(theta: number[], grad: number[], velocity: number[] | null, lr: number, mu: number): { theta: number[]; velocity: number[] } {
  // BEGIN SOLUTION
  // STUB: return { theta, velocity: velocity ?? grad }; // replace with your code
  const v = velocity === null ? [...grad] : velocity.map((b, i) => mu * b + grad[i]);
  return { theta: theta.map((t, i) => t - lr * v[i]), velocity: v };
  // END SOLUTION
}

// %% id="test-momentum"
// @test momentum_first_step 1 point
{
  const r = (await student.call("momentumStep", [1, 2], [0.5, -1], null, 0.1, 0.9)) as { theta: number[]; velocity: number[] };
  expect(r.theta).toBeCloseTo([0.95, 2.1], { atol: 1e-9 });
}

// %% id="test-momentum-hidden"
// @test momentum_matches_sgd 2 points hidden
{
  // Three steps against gradnote's SGD with momentum on a random quadratic.
  manualSeed(7);
  const p = randn([4]).requiresGrad_();
  const A = randn([4]).abs().add(0.5);
  const opt = new optim.SGD([p], { lr: 0.05, momentum: 0.8 });
  let theta = Array.from(p.detach().dataSync()) as number[];
  let velocity: number[] | null = null;
  for (let t = 0; t < 3; t++) {
    const grad = Array.from(p.detach().mul(A).dataSync()) as number[];
    const r = (await student.call("momentumStep", theta, grad, velocity, 0.05, 0.8)) as { theta: number[]; velocity: number[] };
    opt.zeroGrad();
    p.square().mul(A).sum().mul(0.5).backward();
    opt.step();
    expect(r.theta).toBeCloseTo(Array.from(p.detach().dataSync()), { atol: 1e-5 });
    theta = r.theta;
    velocity = r.velocity;
  }
}

// %% [markdown] id="ex-adam-prompt"
// **Exercise 2 — Adam on one weight.** Write `adamPath(theta0, grads, lr, beta1, beta2, eps)`: start
// from the number `theta0`, apply Adam's update (with bias correction, as in the formula above) once
// for each gradient in the array `grads` (the gradients are given, not computed), and return the
// array of parameter values after each step.

// %% id="ex-adam"
function adamPath(theta0: number, grads: number[], lr: number, beta1: number, beta2: number, eps: number): number[] {
  // BEGIN SOLUTION
  // STUB: return grads.map(() => theta0); // replace with your code
  let m = 0, v = 0, theta = theta0;
  return grads.map((g, k) => {
    const t = k + 1;
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
    theta -= (lr * (m / (1 - beta1 ** t))) / (Math.sqrt(v / (1 - beta2 ** t)) + eps);
    return theta;
  });
  // END SOLUTION
}

// %% id="test-adam"
// @test adam_first_step 1 point
// The first step of Adam moves by lr against the gradient's sign.
expect(await student.call("adamPath", 1, [4], 0.1, 0.9, 0.999, 1e-8)).toBeCloseTo([0.9], { atol: 1e-6 });

// %% id="test-adam-hidden"
// @test adam_matches_optim 2 points hidden
{
  const grads = [0.3, -1.2, 2.5, 0.01, -0.4, 0.8];
  const p = tensor([0.7], { dtype: "float64", requiresGrad: true });
  const opt = new optim.Adam([p], { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6 });
  const expected: number[] = [];
  for (const g of grads) {
    p.grad = tensor([g], { dtype: "float64" });
    opt.step();
    expected.push(p.detach().item());
  }
  expect(await student.call("adamPath", 0.7, grads, 0.05, 0.8, 0.99, 1e-6)).toBeCloseTo(expected, { atol: 1e-9 });
}

// %% [markdown] id="ex-minibatch-prompt"
// **Exercise 3 — a mini-batch gradient.** For the line model $\hat y = w x + b$ with the squared
// loss, write `batchGradient(theta, xs, ys, idx)` returning $[\partial J_B/\partial w, \partial J_B/\partial b]$
// for the mini-batch $B$ of the examples whose indices are in `idx`:
// $J_B = \frac{1}{|B|}\sum_{k \in B} (w x_k + b - y_k)^2$. `theta` is `[w, b]`; `xs`, `ys` are arrays.

// %% id="ex-minibatch"
function batchGradient(theta: number[], xs: number[], ys: number[], idx: number[]): number[] {
  // BEGIN SOLUTION
  // STUB: return [0, 0]; // replace with your code
  let gw = 0, gb = 0;
  for (const k of idx) {
    const r = theta[0] * xs[k] + theta[1] - ys[k];
    gw += 2 * r * xs[k];
    gb += 2 * r;
  }
  return [gw / idx.length, gb / idx.length];
  // END SOLUTION
}

// %% id="test-minibatch"
// @test minibatch_single 1 point
// One example (x = 1, y = 3) at w = 1, b = 0: the residual is −2, so the gradient is [−4, −4].
expect(await student.call("batchGradient", [1, 0], [5, 1], [0, 3], [1])).toBeCloseTo([-4, -4], { atol: 1e-9 });

// %% id="test-minibatch-hidden"
// @test minibatch_matches_autograd 2 points hidden
{
  manualSeed(3);
  const xsT = randn([20], { dtype: "float64" }), ysT = randn([20], { dtype: "float64" });
  const idx = [3, 7, 7, 12, 19, 0];
  const th = tensor([0.4, -1.3], { dtype: "float64", requiresGrad: true });
  const sel = tensor(idx, { dtype: "int32" });
  th.select(0, 0).mul(xsT.indexSelect(0, sel)).add(th.select(0, 1)).sub(ysT.indexSelect(0, sel)).square().mean().backward();
  const got = await student.call("batchGradient", [0.4, -1.3], Array.from(xsT.dataSync()), Array.from(ysT.dataSync()), idx);
  expect(got).toBeCloseTo(Array.from(th.grad!.dataSync()), { atol: 1e-9 });
}
