// %% [markdown] id="intro"
// # Activation functions and their derivatives
//
// A neuron computes a weighted sum of its inputs plus a bias, $z = w_0 + \sum_i w_i x_i$, and then
// passes $z$ through an **activation function** $g$. This notebook is about $g$: what the common
// choices look like (step, sigmoid, tanh, ReLU, leaky ReLU, softplus and, for the output layer,
// softmax), what their derivatives are, and why the derivative matters as much as the function
// itself. Training moves each weight in proportion to a product of derivatives (notebook 05), so an
// activation whose slope is almost zero over most of its input range starves the network of learning
// signal. Every derivative formula below is checked against autograd at many points.

// %% id="imports"
import { tensor, linspace, randn, manualSeed, nn, optim, data, plot, gradientMonitor, noGrad } from "gradnote";
import type { Tensor } from "gradnote";
const F = nn.functional;
const v = (t: Tensor) => Array.from(t.dataSync());   // a tensor's elements as numbers

// %% [markdown] id="why-nonlinear-md"
// ## Why a non-linearity at all?
//
// Suppose we dropped $g$ and stacked three linear layers $V$, $U$, $W$. Their composition is
// $W(U(Vx)) = (WUV)x$: one matrix. However many layers we stack, the network can only draw straight
// decision boundaries (flat hyperplanes), exactly like a single perceptron. Inserting a non-linear
// $g$ between the layers breaks this collapse, and it is what lets a network bend its decision
// boundary around data that no line can separate. Below, three random linear layers and their
// product give the same outputs.

// %% id="why-nonlinear"
manualSeed(0);
const Vm = randn([5, 3]), Um = randn([4, 5]), Wm = randn([2, 4]);
const xs3 = randn([3, 10]);                           // ten inputs, one per column
const stacked = Wm.matmul(Um.matmul(Vm.matmul(xs3)));
const collapsed = Wm.matmul(Um).matmul(Vm).matmul(xs3);
expect(stacked).toBeCloseTo(collapsed, { atol: 1e-4 });
// With a ReLU in between the outputs are no longer the product's.
const bent = Wm.matmul(F.relu(Um.matmul(F.relu(Vm.matmul(xs3)))));
expect(bent.sub(collapsed).abs().max().item()).toBeGreaterThan(0.1);

// %% [markdown] id="step-md"
// ## The step function
//
// The oldest choice is the unit step (threshold): the neuron fires or it doesn't,
// $$g(z) = \begin{cases} 1, & z \ge 0 \\ 0, & z < 0 \end{cases}$$
// (gradnote's `F.step` puts the jump's value at $z = 0$ on 1). It is handy for building logic gates by
// hand, but it is a poor choice for learning. Its derivative is 0 everywhere except at the jump, where
// it does not exist, so gradient descent gets no hint at all about which way to move a weight. And its
// answer has no notion of confidence: a point far inside a class and a point right on the boundary
// both get exactly 1.

// %% id="step"
const zStep = tensor([-2, -0.5, 0, 0.5, 2], { requiresGrad: true });
const stepOut = F.step(zStep);
expect(v(stepOut)).toEqual([0, 0, 1, 1, 1]);
// No gradient flows through a step: its output is not even connected to the graph.
expect(stepOut.requiresGrad).toBe(false);
stepOut

// %% [markdown] id="sigmoid-md"
// ## The sigmoid (logistic) function
//
// $$g(z) = \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad g'(z) = g(z)\bigl(1 - g(z)\bigr).$$
// The sigmoid is a smoothed step: it runs from 0 to 1, equals $\tfrac12$ at $z = 0$, and its output can
// be read as a probability. (It is the general logistic curve $1/(1 + A e^{Bz})$ with $A = 1$ and
// $B = -1$.) The derivative formula is convenient: once the forward pass has computed $g(z)$, the slope
// costs one multiplication. Take the perceptron $\hat y = g(1 + 3x_1 - 2x_2)$ at $x = (-1, 2)$: the net
// input is $-6$ and the sigmoid answers $\sigma(-6) \approx 0.002$ — "almost certainly class 0", where the
// step would just say 0.

// %% id="sigmoid-example"
const zPerceptron = 1 + 3 * -1 - 2 * 2;
expect(zPerceptron).toBe(-6);
const yPerceptron = F.sigmoid(tensor([zPerceptron])).item();
expect(yPerceptron).toBeCloseTo(0.002, { atol: 1e-3 });
expect(F.step(tensor([zPerceptron])).item()).toBe(0);
({ "net input": zPerceptron, "sigmoid": yPerceptron, "step": 0 })

// %% [markdown] id="tanh-md"
// ## Hyperbolic tangent
//
// $$g(z) = \tanh(z) = \frac{e^z - e^{-z}}{e^z + e^{-z}}, \qquad g'(z) = 1 - g(z)^2 .$$
// tanh has the sigmoid's S shape stretched to the range $(-1, 1)$; in fact $\tanh(z) = 2\sigma(2z) - 1$.
// Its outputs are centred on zero, which keeps the inputs of the next layer balanced around zero, and
// its slope at the origin is 1 instead of 0.25. It saturates just like the sigmoid, though.

// %% [markdown] id="relu-md"
// ## ReLU and its relatives
//
// The rectified linear unit is simply
// $$g(z) = \max(0, z), \qquad g'(z) = \begin{cases} 1, & z > 0 \\ 0, & \text{otherwise.} \end{cases}$$
// It is cheap, and for positive inputs its slope is exactly 1, so gradients pass through many ReLU
// layers without shrinking. This is why it became the default choice for hidden layers. Its weak
// spot is the other half: a unit whose net input is negative for every training example outputs 0 and
// has slope 0, so no gradient ever reaches its weights again — the unit has "died". Too large a
// learning rate can knock many units into that state. Two variants soften this:
//
// - **leaky ReLU**, $g(z) = \max(\alpha z, z)$ with a small $\alpha$ such as 0.01 or 0.1, keeps a slope
//   of $\alpha$ on the negative side;
// - **softplus**, $g(z) = \log(1 + e^z)$, is a smooth version of ReLU whose derivative is exactly the
//   sigmoid, $g'(z) = \sigma(z)$.
//
// ELU and GELU, two more smooth ReLU-like functions used in modern networks, are drawn as well.

// %% id="activation-plots"
const zs = linspace(-4, 4, 161);
const activations: Record<string, (z: Tensor) => Tensor> = {
  step: (z) => F.step(z),
  sigmoid: (z) => F.sigmoid(z),
  tanh: (z) => F.tanh(z),
  relu: (z) => F.relu(z),
  "leaky relu (α = 0.1)": (z) => F.leakyRelu(z, 0.1),
  softplus: (z) => F.softplus(z),
  elu: (z) => F.elu(z),
  gelu: (z) => F.gelu(z),
};
const values: Record<string, number[]> = {};
const slopes: Record<string, number[]> = {};
for (const [name, g] of Object.entries(activations)) {
  const z = zs.clone().requiresGrad_();
  const y = g(z);
  values[name] = v(y);
  if (y.requiresGrad) {
    y.sum().backward();               // d(sum of g(z_i))/dz_i = g'(z_i): every slope in one pass
    slopes[name] = v(z.grad!);
  } else slopes[name] = values[name].map(() => 0);   // step: no gradient flows through it
}
plot.line(values, { x: zs, title: "Activation functions", xlabel: "z", ylabel: "g(z)" })

// %% id="activation-derivatives"
// Sigmoid's slope is at most 0.25 and almost zero beyond |z| = 4; ReLU's is 1 for every z > 0.
plot.line(slopes, { x: zs, title: "Their derivatives (from autograd)", xlabel: "z", ylabel: "g'(z)" })

// %% [markdown] id="derivative-checks-md"
// ## Checking the derivative formulas against autograd
//
// The slopes in the second figure came from autograd, which knows nothing about the formulas above.
// So the formulas can be checked independently: evaluate $g(z)$, plug it into the formula, and
// compare with autograd at all 161 points. For ReLU and leaky ReLU we leave out $z = 0$, where the
// derivative is not defined (autograd uses the slope of the left side there, as PyTorch does).

// %% id="derivative-checks"
const zv = v(zs);
const sig = (z: number) => 1 / (1 + Math.exp(-z));
const formulas: Record<string, (z: number) => number> = {
  sigmoid: (z) => sig(z) * (1 - sig(z)),                 // g(1 − g)
  tanh: (z) => 1 - Math.tanh(z) ** 2,                    // 1 − g²
  relu: (z) => (z > 0 ? 1 : 0),
  "leaky relu (α = 0.1)": (z) => (z > 0 ? 1 : 0.1),
  softplus: (z) => sig(z),                               // σ(z)
};
for (const [name, dg] of Object.entries(formulas)) {
  const keep = zv.map((z, i) => i).filter((i) => Math.abs(zv[i]) > 1e-6);
  expect(keep.map((i) => slopes[name][i])).toBeCloseTo(keep.map((i) => dg(zv[i])), { atol: 1e-6 });
}
// tanh is a rescaled sigmoid.
expect(values.tanh).toBeCloseTo(zv.map((z) => 2 * sig(2 * z) - 1), { atol: 1e-6 });
// At the kink z = 0 autograd takes the left side's slope, as PyTorch does.
const zero = tensor([0], { requiresGrad: true });
F.relu(zero).sum().backward();
expect(zero.grad!.item()).toBe(0);
const zero2 = tensor([0], { requiresGrad: true });
F.leakyRelu(zero2, 0.1).sum().backward();
expect(zero2.grad!.item()).toBeCloseTo(0.1, { atol: 1e-7 });
console.log(`checked ${Object.keys(formulas).length} derivative formulas at ${zv.length} points each`);

// %% [markdown] id="activation-pairs-md"
// Each function with its derivative, one figure per function: the formula's slope (dotted markers
// every 0.4) lies on autograd's curve.

// %% id="activation-pairs"
const every8 = zv.filter((_, i) => i % 8 === 0);
for (const [name, dg] of Object.entries(formulas)) {
  const fig = plot.line({ "g(z)": values[name], "g'(z) by autograd": slopes[name] }, { x: zv, title: name, xlabel: "z", height: 280 });
  fig.data.push({ type: "scatter", mode: "markers", name: "g'(z) by the formula", x: every8, y: every8.map(dg), marker: { size: 5 } });
  display(fig);
}

// %% [markdown] id="saturation-md"
// ## Saturation: where the gradient vanishes
//
// Look at the sigmoid's slope away from the origin. Its maximum is $\sigma'(0) = 0.25$, and for large
// $|z|$ it decays like $e^{-|z|}$: at $z = 5$ it is about 0.0066, at $z = 10$ about $4.5 \times 10^{-5}$.
// A unit whose net input lands in these flat tails is **saturated**: its output hardly changes when its
// weights change, so its gradient is nearly zero and its weights barely move. This happens easily when
// weights are large, because large weights make large net inputs. tanh saturates the same way. ReLU
// saturates only on the negative side; on the positive side its slope never shrinks. The table lists
// the slopes, and the cell after it finds the ranges where each slope stays above 0.01.

// %% id="saturation"
const at = [0, 1, 2, 5, 10];
const slopeTable = at.map((z) => ({ z, "sigmoid'": formulas.sigmoid(z), "tanh'": formulas.tanh(z), "relu'": formulas.relu(z) }));
expect(formulas.sigmoid(0)).toBe(0.25);
expect(formulas.tanh(0)).toBe(1);
expect(zv.every((z) => formulas.sigmoid(z) <= 0.25)).toBe(true);
expect(formulas.sigmoid(10)).toBeLessThan(1e-4);
expect(formulas.relu(10)).toBe(1);
slopeTable

// %% id="saturation-range"
const wide = v(linspace(-10, 10, 2001));
const liveRange = (dg: (z: number) => number) => {
  const live = wide.filter((z) => dg(z) > 0.01);
  return [live[0], live[live.length - 1]];
};
const sigmoidLive = liveRange(formulas.sigmoid), tanhLive = liveRange(formulas.tanh);
console.log({ "sigmoid' > 0.01 for z in": sigmoidLive, "tanh' > 0.01 for z in": tanhLive });
// σ'(z) = 0.01 near |z| = 4.6, tanh'(z) = 0.01 near |z| = 3.0: outside, the unit is saturated.
expect(sigmoidLive[1]).toBeCloseTo(4.59, { atol: 0.02 });
expect(tanhLive[1]).toBeCloseTo(2.99, { atol: 0.02 });

// %% [markdown] id="vanishing-md"
// ## Vanishing gradients in a deep network
//
// In a deep network the chain rule multiplies one activation slope per layer (notebook 05). With
// sigmoids each of those factors is at most 0.25, so ten layers alone shrink the gradient reaching the
// first layer by $0.25^{10} \approx 10^{-6}$ or more, and weights smaller than 1 shrink it further. The
// first layers then hardly learn: the *vanishing gradient* problem. We train three ten-layer networks on the
// two-moons data and record, every ten steps, $\log_{10}$ of each parameter's gradient norm; the
// heatmaps show one row per parameter (first layer at the top) and one column per recorded step.

// %% id="vanishing-sigmoid"
const [Pm, ym] = data.makeMoons(256, { noise: 0.1, seed: 4 });
const ymf = ym.float().unsqueeze(1);
function deepNet(act: () => nn.Module, heInit = false) {
  manualSeed(5);
  const layers: nn.Module[] = [new nn.Linear(2, 16), act()];
  for (let i = 0; i < 9; i++) layers.push(new nn.Linear(16, 16), act());
  layers.push(new nn.Linear(16, 1));
  const net = new nn.Sequential(...layers);
  // He (Kaiming) initialisation: weights with variance 2 / fan-in keep ReLU activations' scale level.
  if (heInit) for (const l of layers) if (l instanceof nn.Linear) nn.init.kaimingNormal(l.weight, { nonlinearity: "relu" });
  const monitor = gradientMonitor(net);
  const opt = new optim.SGD(net.parameters(), { lr: 0.05 });
  for (let step = 0; step < 200; step++) {
    opt.zeroGrad();
    F.bceWithLogits(net(Pm), ymf).backward();
    if (step % 10 === 0) monitor.record(step);
    opt.step();
  }
  return monitor;
}
/** log10 gradient norms of the first and last weight matrices at the first recorded step. */
function firstAndLast(monitor: ReturnType<typeof gradientMonitor>): [number, number] {
  const weights = [...monitor.norms.entries()].filter(([name]) => name.endsWith("weight"));
  return [weights[0][1][0]!, weights[weights.length - 1][1][0]!];
}
const sigmoidGrads = deepNet(() => new nn.Sigmoid());
const [sigFirst, sigLast] = firstAndLast(sigmoidGrads);
console.log(`sigmoid: first layer 10^${sigFirst.toFixed(1)}, last layer 10^${sigLast.toFixed(1)}`);
// More than four orders of magnitude between the last and the first layer.
expect(sigLast - sigFirst).toBeGreaterThan(4);
sigmoidGrads.figure()

// %% [markdown] id="vanishing-relu-md"
// With ReLU the first layers still receive a usable gradient. PyTorch's default initialisation
// (uniform in $\pm 1/\sqrt{\text{fan-in}}$) still lets it shrink a little from layer to layer, because it
// makes each layer's outputs somewhat smaller than its inputs. He initialisation — weights drawn with
// variance $2/\text{fan-in}$, which compensates for ReLU zeroing half of its inputs — keeps the gradient
// level across all ten layers, within one order of magnitude.

// %% id="vanishing-relu"
const reluGrads = deepNet(() => new nn.ReLU());
const [reluFirst, reluLast] = firstAndLast(reluGrads);
console.log(`relu: first layer 10^${reluFirst.toFixed(1)}, last layer 10^${reluLast.toFixed(1)}`);
expect(reluLast - reluFirst).toBeLessThan(sigLast - sigFirst);
reluGrads.figure()

// %% id="vanishing-he"
const heGrads = deepNet(() => new nn.ReLU(), true);
const [heFirst, heLast] = firstAndLast(heGrads);
console.log(`relu + He init: first layer 10^${heFirst.toFixed(1)}, last layer 10^${heLast.toFixed(1)}`);
expect(Math.abs(heLast - heFirst)).toBeLessThan(1);
heGrads.figure()

// %% [markdown] id="dead-relu-md"
// ## A dead ReLU unit
//
// Here is the failure mode of ReLU in miniature: one unit with a strongly negative bias. For every
// input in the batch its net input is negative, so its output and its gradient are exactly zero, and
// gradient descent can never revive it. The same unit with a leaky ReLU still gets a (small) gradient.

// %% id="dead-relu"
const batch = randn([64, 3]);
const wDead = tensor([[0.5], [-0.3], [0.2]], { requiresGrad: true });
const bDead = tensor([-10], { requiresGrad: true });
F.relu(batch.matmul(wDead).add(bDead)).sum().backward();
expect(v(wDead.grad!).every((g) => g === 0)).toBe(true);
expect(bDead.grad!.item()).toBe(0);
const wLeaky = tensor([[0.5], [-0.3], [0.2]], { requiresGrad: true });
F.leakyRelu(batch.matmul(wLeaky).add(bDead.detach()), 0.01).sum().backward();
expect(wLeaky.grad!.abs().sum().item()).toBeGreaterThan(0);
({ "relu: gradient of w": v(wDead.grad!), "leaky relu: gradient of w": v(wLeaky.grad!) })

// %% [markdown] id="softmax-md"
// ## Softmax: an activation for the output layer
//
// For classification with $K$ classes the output layer has one unit per class; the predicted class is
// the one with the highest score. To read the scores $z_1, \dots, z_K$ as probabilities, softmax
// exponentiates and normalises them:
// $$\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}} .$$
// Its properties, each checked below:
//
// - every output is positive and they **sum to 1**;
// - it keeps the order of the scores, so the arg-max class is unchanged;
// - it is **shift invariant**: $\operatorname{softmax}(z + c) = \operatorname{softmax}(z)$ for any constant
//   $c$, because $e^{c}$ cancels between numerator and denominator. Implementations use this to subtract
//   $\max_j z_j$ first, so that $e^{z}$ never overflows even for scores like 1000;
// - with two classes it is the sigmoid of the score difference:
//   $\operatorname{softmax}(z_1, z_2)_1 = \sigma(z_1 - z_2)$;
// - its derivative is $\partial p_i / \partial z_j = p_i(\delta_{ij} - p_j)$, the many-output cousin of
//   $\sigma(1 - \sigma)$.
//
// Dividing the scores by a *temperature* $T$ before the softmax makes the distribution sharper
// ($T < 1$) or flatter ($T > 1$).

// %% id="softmax"
const scores = tensor([[2.0, 1.0, 0.1]]);
const p = F.softmax(scores, 1);
expect(p.sum().item()).toBeCloseTo(1, { atol: 1e-6 });
expect(v(p).every((q) => q > 0)).toBe(true);
expect(p.argmax(1).item()).toBe(0);
expect(F.softmax(scores.add(100), 1)).toBeCloseTo(p, { atol: 1e-6 });          // shift invariance
const huge = F.softmax(tensor([[1000, 1001, 1002]]), 1);                       // no overflow
expect(huge).toBeCloseTo(F.softmax(tensor([[0, 1, 2]]), 1), { atol: 1e-6 });
expect(F.softmax(tensor([[1.5, -0.5]]), 1).select(1, 0).item()).toBeCloseTo(sig(2), { atol: 1e-6 });
const temps = { "T = 0.5": v(F.softmax(scores.div(0.5), 1)), "T = 1": v(p), "T = 5": v(F.softmax(scores.div(5), 1)) };
expect(temps["T = 0.5"][0]).toBeGreaterThan(temps["T = 1"][0]);
expect(temps["T = 5"][0]).toBeLessThan(temps["T = 1"][0]);
temps

// %% id="softmax-jacobian"
// The Jacobian by autograd, one row per output p_i, against p_i (δ_ij − p_j).
const zj = tensor([2.0, 1.0, 0.1], { dtype: "float64" });
const pj = v(F.softmax(zj, 0));
const jac: number[][] = [];
for (let i = 0; i < 3; i++) {
  const zz = zj.clone().requiresGrad_();
  F.softmax(zz, 0).select(0, i).backward();
  jac.push(v(zz.grad!));
}
expect(jac).toBeCloseTo(pj.map((pi, i) => pj.map((pk, k) => pi * ((i === k ? 1 : 0) - pk))), { atol: 1e-12 });
plot.heatmap(jac, { x: ["z1", "z2", "z3"], y: ["p1", "p2", "p3"], showValues: true, title: "Softmax Jacobian ∂pᵢ/∂zⱼ", colorscale: "rdbu" })

// %% [markdown] id="summary"
// ## Summary: which activation where?
//
// | function | range | slope | notes |
// |---|---|---|---|
// | step | {0, 1} | 0 (undefined at 0) | no gradient, no confidence; for hand-built gates only |
// | sigmoid | (0, 1) | $g(1-g) \le 0.25$ | saturates, not zero-centred; good for a probability output |
// | tanh | (−1, 1) | $1 - g^2 \le 1$ | zero-centred, still saturates |
// | ReLU | [0, ∞) | 0 or 1 | default for hidden layers; units can die |
// | leaky ReLU | ℝ | α or 1 | never fully dead |
// | softplus | (0, ∞) | $\sigma(z)$ | smooth ReLU |
// | softmax | probabilities | $p_i(\delta_{ij} - p_j)$ | output layer of a classifier |
//
// Sigmoids were the historical favourite but have largely given way to ReLU in hidden layers, for the
// gradient reasons shown above. All of them are non-linear, which is the whole point.

// %% [markdown] id="exercises"
// ## Exercises
//
// **Exercise 1.** Write `sigmoidPrime(z)`, the derivative of the sigmoid, using the formula
// $g'(z) = g(z)(1 - g(z))$.

// %% id="ex-sigmoid-prime"
function sigmoidPrime(z: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code here
  const s = 1 / (1 + Math.exp(-z));
  return s * (1 - s);
  // END SOLUTION
}

// %% id="test-sigmoid-prime"
// @test sigmoid_prime_public 1 point
expect(await student.call("sigmoidPrime", 0)).toBeCloseTo(0.25, { atol: 1e-9 });

// %% id="test-sigmoid-prime-hidden"
// @test sigmoid_prime_hidden 2 points hidden
for (const z of [-6, -1.5, 0.3, 2, 7]) {
  const s = 1 / (1 + Math.exp(-z));
  expect(await student.call("sigmoidPrime", z)).toBeCloseTo(s * (1 - s), { atol: 1e-9 });
}

// %% [markdown] id="ex-tanh-prime-md"
// **Exercise 2.** Write `tanhPrime(z)`, the derivative of tanh, and `leakyReluPrime(z, alpha)`, the
// derivative of the leaky ReLU (use $\alpha$ for $z \le 0$).

// %% id="ex-tanh-prime"
function tanhPrime(z: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code here
  return 1 - Math.tanh(z) ** 2;
  // END SOLUTION
}
function leakyReluPrime(z: number, alpha: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code here
  return z > 0 ? 1 : alpha;
  // END SOLUTION
}

// %% id="test-tanh-prime"
// @test tanh_prime_public 1 point
expect(await student.call("tanhPrime", 0)).toBeCloseTo(1, { atol: 1e-9 });

// %% id="test-tanh-prime-hidden"
// @test tanh_prime_hidden 2 points hidden
// Reference slopes from autograd, not from the formula.
const zt = tensor([-3, -0.7, 0.4, 1.2, 2.5], { dtype: "float64", requiresGrad: true });
zt.tanh().sum().backward();
const want = Array.from(zt.grad!.dataSync());
const got: number[] = [];
for (const z of [-3, -0.7, 0.4, 1.2, 2.5]) got.push(await student.call("tanhPrime", z) as number);
expect(got).toBeCloseTo(want, { atol: 1e-9 });
expect(await student.call("leakyReluPrime", 3, 0.1)).toBe(1);
expect(await student.call("leakyReluPrime", -2, 0.1)).toBeCloseTo(0.1, { atol: 1e-12 });
expect(await student.call("leakyReluPrime", -2, 0.02)).toBeCloseTo(0.02, { atol: 1e-12 });

// %% [markdown] id="ex-softmax-md"
// **Exercise 3.** Write `softmax(scores)` for an array of numbers. It must work for scores as large as
// 1000 (use shift invariance).

// %% id="ex-softmax"
function softmax(scoresIn: number[]): number[] {
  // BEGIN SOLUTION
  // STUB: return scoresIn.map(() => 0); // your code here
  const m = Math.max(...scoresIn);
  const e = scoresIn.map((s) => Math.exp(s - m));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
  // END SOLUTION
}

// %% id="test-softmax"
// @test softmax_public 1 point
expect(await student.call("softmax", [0, 0])).toBeCloseTo([0.5, 0.5], { atol: 1e-9 });

// %% id="test-softmax-hidden"
// @test softmax_hidden 3 points hidden
const ref = (s: number[]) => { const e = s.map((x) => Math.exp(x - Math.max(...s))); const t = e.reduce((a, b) => a + b, 0); return e.map((x) => x / t); };
expect(await student.call("softmax", [2, 1, 0.1])).toBeCloseTo(ref([2, 1, 0.1]), { atol: 1e-9 });
expect(await student.call("softmax", [1000, 1001, 1002])).toBeCloseTo(ref([0, 1, 2]), { atol: 1e-9 });
expect(await student.call("softmax", [-5, 3, 3, 0])).toBeCloseTo(ref([-5, 3, 3, 0]), { atol: 1e-9 });

// %% [markdown] id="ex-saturation-md"
// **Exercise 4.** A sigmoid unit receives the net input $z = w x$ for a fixed input $x = 1$. Write
// `saturationWeight(threshold)`: the smallest $w \ge 0$ at which the unit's slope $\sigma'(w)$ falls to
// `threshold` (a number below 0.25). Solve $\sigma(w)(1 - \sigma(w)) = t$ exactly (it is a quadratic in
// $\sigma(w)$), or search numerically to within $10^{-6}$.

// %% id="ex-saturation"
function saturationWeight(threshold: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code here
  const s = (1 + Math.sqrt(1 - 4 * threshold)) / 2;    // the root of s(1 − s) = t above 1/2
  return Math.log(s / (1 - s));
  // END SOLUTION
}

// %% id="test-saturation"
// @test saturation_public 1 point
expect(await student.call("saturationWeight", 0.01)).toBeCloseTo(4.5849, { atol: 1e-3 });

// %% id="test-saturation-hidden"
// @test saturation_hidden 2 points hidden
for (const t of [0.2, 0.1, 1e-3, 1e-5]) {
  const wSat = await student.call("saturationWeight", t) as number;
  const s = 1 / (1 + Math.exp(-wSat));
  expect(wSat).toBeGreaterThan(0);
  expect(s * (1 - s)).toBeCloseTo(t, { atol: 1e-7, rtol: 1e-5 });
}
