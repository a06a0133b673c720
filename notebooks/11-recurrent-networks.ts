// %% [markdown] id="rnn-title"
// # 11 · Recurrent neural networks
//
// Every network so far took an input of a fixed size and forgot it as soon as it had answered.
// Text, speech, sensor readings and prices are different: they arrive as **sequences**, their
// length varies, and the meaning of an element depends on what came before it ("bank" after "river"
// is not "bank" after "savings"). A feed-forward network would need one weight per position and
// could never read a sequence longer than the one it was built for.
//
// A **recurrent neural network** (RNN) solves both problems with one idea: apply *the same* small
// network at every time step, and give it, besides the current input, a vector it wrote itself at
// the previous step — its **state** or memory. In this notebook we
//
// 1. write the recurrence down, unroll it over time and check a hand-written step against `nn.RNN`;
// 2. train a tiny word-level **language model** and a character-level one;
// 3. see why training RNNs is hard — gradients that **vanish or explode** over time steps — as a
//    heatmap, with the reason checked numerically; and
// 4. tame exploding gradients with **gradient clipping**.

// %% id="rnn-imports"
import { tensor, zeros, randn, stack, manualSeed, nn, optim, plot, noGrad, Tensor, Generator, displayBundle } from "gradnote";
const F = nn.functional;

// %% [markdown] id="rnn-topologies"
// ## Sequences in, sequences out
//
// Recurrent networks come in several shapes, depending on where the sequences are:
//
// | shape | input → output | example |
// |---|---|---|
// | one to one | a vector → a vector | the feed-forward networks of the earlier notebooks |
// | one to many | one observation → a sequence | predicting future states from a single observation, writing a caption for an image |
// | many to one | a sequence → one label | sentiment of a review |
// | many to many (delayed) | read the whole input, then write | machine translation |
// | many to many (in step) | one output per input, as it arrives | simultaneous interpretation, tagging each word |
//
// All of them are built from the same cell; they differ only in which time steps receive an input
// and which outputs are used by the loss.

// %% [markdown] id="rnn-recurrence"
// ## The recurrence and unrolling
//
// Call the input at time $t$ $x_t$, the state $s_t$ (many texts write $h_t$, the *hidden* state)
// and the output $o_t$. One step of a plain (Elman) RNN is
//
// $$s_t = f(U x_t + W s_{t-1} + b), \qquad o_t = \mathrm{softmax}(V s_t + c),$$
//
// with $f = \tanh$ and $s_{-1} = 0$. There are only three weight matrices — $U$ (input to state),
// $W$ (state to state) and $V$ (state to output) — and they are **shared by all time steps**, so
// the number of parameters does not grow with the length of the sequence.
//
// To compute with it, or to differentiate it, we **unroll** the loop: write one copy of the cell
// per time step, each copy passing its state to the next. The unrolled network is an ordinary deep
// feed-forward network whose layers happen to share weights; backpropagation through it is called
// *backpropagation through time* (BPTT). The drawing below shows four steps: the same $U$, $W$
// and $V$ on every column.
//
// A one-number example makes the memory visible. Take $U = 1$, $W = 0.5$, $b = 0$ and the input
// sequence $1, 0, 0, 0, 0$: then $s_0 = \tanh(1) = 0.761594$, $s_1 = \tanh(0.5 \cdot 0.761594) =
// 0.363399$, $s_2 = 0.179726$, … — the single pulse echoes through the state, shrinking roughly by
// the factor $W = 0.5$ at each step.

// %% id="rnn-scalar-echo"
function scalarRnn(u: number, w: number, xs: number[]): number[] {
  let s = 0;
  return xs.map((x) => (s = Math.tanh(u * x + w * s)));
}
const echo = scalarRnn(1, 0.5, [1, 0, 0, 0, 0]);
expect(echo).toBeCloseTo([0.7615941559557649, 0.3633994843890525, 0.17972620712031911, 0.08962198954026261, 0.04478102497225266], { atol: 1e-12 });
echo

// %% id="rnn-unrolled-diagram"
/** An SVG drawing of the RNN unrolled over `steps` time steps: inputs at the bottom, states in the middle, outputs on top. */
function unrolledDiagram(steps: number): string {
  const col = (t: number) => 160 + t * 150;
  const box = (x: number, y: number, label: string, fill: string) =>
    `<rect x="${x - 32}" y="${y - 18}" width="64" height="36" rx="8" fill="${fill}" stroke="#333"/><text x="${x}" y="${y + 6}" text-anchor="middle" font-size="16">${label}</text>`;
  const arrow = (x1: number, y1: number, x2: number, y2: number, label: string, dx: number, dy: number) =>
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#333" stroke-width="1.5" marker-end="url(#head)"/><text x="${(x1 + x2) / 2 + dx}" y="${(y1 + y2) / 2 + dy}" font-size="14" fill="#b22">${label}</text>`;
  const parts: string[] = [];
  parts.push(box(40, 130, "s₋₁=0", "#eee"), arrow(72, 130, col(0) - 34, 130, "W", -6, -8));
  for (let t = 0; t < steps; t++) {
    const x = col(t);
    parts.push(box(x, 220, `x${"₀₁₂₃₄₅"[t]}`, "#dbe9f6"), box(x, 130, `s${"₀₁₂₃₄₅"[t]}`, "#fde9c8"), box(x, 40, `o${"₀₁₂₃₄₅"[t]}`, "#dcefd9"));
    parts.push(arrow(x, 202, x, 150, "U", 6, 4), arrow(x, 112, x, 60, "V", 6, 4));
    if (t < steps - 1) parts.push(arrow(x + 32, 130, col(t + 1) - 34, 130, "W", -6, -8));
  }
  parts.push(`<text x="${col(steps - 1) + 50}" y="135" font-size="18">…</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${col(steps - 1) + 80}" height="250" font-family="sans-serif"><defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker></defs>${parts.join("")}</svg>`;
}
displayBundle({ "image/svg+xml": unrolledDiagram(4), "text/plain": "the RNN unrolled over 4 time steps: x_t -U-> s_t -V-> o_t, s_{t-1} -W-> s_t" });

// %% [markdown] id="rnn-by-hand-md"
// ### One step by hand, checked against `nn.RNN`
//
// gradnote's `nn.RNN` follows PyTorch: its parameters are called `weight_ih_l0` (our $U$),
// `weight_hh_l0` (our $W$) and two biases `bias_ih_l0`, `bias_hh_l0` whose sum is our $b$. It
// expects the input as `[time, batch, features]` and returns the states of every step together
// with the last one. Below we take the weights out of a freshly initialised layer, unroll the
// recurrence with our own loop, and compare every state.

// %% id="rnn-by-hand"
manualSeed(11);
const rnn = new nn.RNN(3, 4); // 3 input features, 4 state units
const sd = rnn.stateDict();
const U = sd["weight_ih_l0"], W = sd["weight_hh_l0"], b = sd["bias_ih_l0"].add(sd["bias_hh_l0"]);
const xs = randn([6, 1, 3]); // 6 time steps, a batch of 1
let s = zeros([1, 4]);
const states: Tensor[] = [];
for (let t = 0; t < 6; t++) {
  s = xs.select(0, t).matmul(U.t()).add(s.matmul(W.t())).add(b).tanh(); // s_t = tanh(U x_t + W s_{t−1} + b)
  states.push(s);
}
const [rnnOut, rnnLast] = noGrad(() => rnn.forward(xs));
expect(stack(states)).toBeCloseTo(rnnOut, { atol: 1e-6 });
expect(states[5]).toBeCloseTo(rnnLast.select(0, 0), { atol: 1e-6 });
expect(rnn.numParameters()).toBe(4 * 3 + 4 * 4 + 4 + 4); // independent of the sequence length
plot.heatmap(stack(states).squeeze(1).t(), { x: [0, 1, 2, 3, 4, 5].map((t) => `t=${t}`), y: ["s[0]", "s[1]", "s[2]", "s[3]"], title: "The state of the unrolled RNN, one column per time step", colorscale: "rdbu", zmin: -1, zmax: 1 })

// %% [markdown] id="lm-md"
// ## A language model
//
// A **language model** assigns a probability to a sentence. By the chain rule of probability,
//
// $$p(w_1, \dots, w_n) = \prod_{t=1}^{n} p(w_t \mid w_1, \dots, w_{t-1}),$$
//
// so it is enough to predict the *next* word from the words before it — exactly what an RNN does
// when its output $o_t$ is a softmax over the vocabulary and its input at step $t+1$ is the word
// it should have predicted. Such a model is useful wherever sentences must be ranked: it should
// prefer a well-ordered sentence, $p(\text{the cat is small}) > p(\text{small the cat is})$, and a
// plausible word choice, $p(\text{walking home after school}) > p(\text{walking house after
// school})$. Its memory grows only linearly with the size of the vocabulary (one embedding per
// word), not with the length of the context.
//
// We train one on a dozen four-word sentences. Words become vectors with `nn.Embedding` (notebook
// 13 is about those), `<s>` marks the start and `</s>` the end of a sentence, and the loss is the
// cross-entropy of the next word at every position.

// %% id="lm-data"
const corpus = [
  "the cat is small", "the dog is small", "the cat is big", "the dog is big", "the house is big",
  "the house is old", "walking home after school", "running home after work", "walking home after work",
  "driving home after school", "a cat is small", "a house is old",
];
const lmVocab = ["<s>", "</s>", ...new Set(corpus.join(" ").split(" "))];
const wordId = (w: string) => lmVocab.indexOf(w);
const encodeSentence = (sentence: string) => ["<s>", ...sentence.split(" "), "</s>"].map(wordId);
const lmBatch = tensor(corpus.map(encodeSentence), { dtype: "int32" }); // [12 sentences, 6 tokens]
({ sentences: corpus.length, vocabulary: lmVocab.length })

// %% id="lm-train"
class WordLM extends nn.Module {
  embed = new nn.Embedding(lmVocab.length, 16);
  rnn = new nn.RNN(16, 32, { batchFirst: true });
  head = new nn.Linear(32, lmVocab.length);
  override forward(ids: Tensor): Tensor {
    const [out] = this.rnn.forward(this.embed.forward(ids));
    return this.head.forward(out); // [batch, time, vocabulary] next-word scores
  }
}
manualSeed(0);
const lm = new WordLM();
const lmOpt = new optim.Adam(lm.parameters(), { lr: 0.02 });
const lmLosses: number[] = [];
for (let step = 0; step < 150; step++) {
  lmOpt.zeroGrad();
  const logits = lm.forward(lmBatch.narrow(1, 0, 5)); // read <s> w1 … w4
  const loss = F.crossEntropy(logits.reshape([-1, lmVocab.length]), lmBatch.narrow(1, 1, 5).reshape([-1])); // predict w1 … </s>
  loss.backward();
  lmOpt.step();
  lmLosses.push(loss.item());
}
plot.line(lmLosses, { title: "Word-level language model", xlabel: "step", ylabel: "cross-entropy per word" })

// %% [markdown] id="lm-score-md"
// To score a sentence we feed it in and add up the log-probabilities the model gave to each word
// that actually came next. A sum of logs is safer than a product of probabilities, which would
// underflow for long sentences.

// %% id="lm-score"
function logProbability(sentence: string): number {
  const ids = encodeSentence(sentence);
  const logp = noGrad(() => F.logSoftmax(lm.forward(tensor([ids.slice(0, -1)], { dtype: "int32" })), 2));
  return ids.slice(1).reduce((sum, id, t) => sum + logp.toArray()[0][t][id], 0);
}
const scores = Object.fromEntries(["the cat is small", "small the cat is", "walking home after school", "walking house after school"].map((x) => [x, logProbability(x)]));
expect(scores["the cat is small"]).toBeGreaterThan(scores["small the cat is"]); // word order
expect(scores["walking home after school"]).toBeGreaterThan(scores["walking house after school"]); // word choice
plot.bar(Object.keys(scores), Object.values(scores), { title: "log p(sentence) under the trained model", ylabel: "log-probability" })

// %% [markdown] id="charlm-md"
// ### A character-level model that writes
//
// The same machinery works one character at a time. Below an RNN reads random 24-character slices
// of a repeated pangram and learns to predict each next character; then we let it continue a
// prompt by repeatedly appending its most likely next character (greedy decoding). A model that has
// learned the text reproduces it.

// %% id="charlm"
const text = "the quick brown fox jumps over the lazy dog. ".repeat(8);
const chars = [...new Set(text)].sort();
const encodedText = [...text].map((c) => chars.indexOf(c));
const seqLen = 24;
const charGen = new Generator().manualSeed(5);
function charBatch(size = 16): [Tensor, Tensor] {
  const starts = Array.from({ length: size }, () => charGen.int(0, encodedText.length - seqLen - 1));
  return [
    tensor(starts.map((i) => encodedText.slice(i, i + seqLen)), { dtype: "int32" }),
    tensor(starts.map((i) => encodedText.slice(i + 1, i + seqLen + 1)), { dtype: "int32" }),
  ];
}
class CharRNN extends nn.Module {
  embed = new nn.Embedding(chars.length, 16);
  rnn = new nn.RNN(16, 48, { batchFirst: true });
  head = new nn.Linear(48, chars.length);
  override forward(ids: Tensor): Tensor {
    return this.head.forward(this.rnn.forward(this.embed.forward(ids))[0]);
  }
}
manualSeed(1);
const charModel = new CharRNN();
const charOpt = new optim.Adam(charModel.parameters(), { lr: 0.01 });
for (let step = 0; step < 150; step++) {
  const [xb, yb] = charBatch();
  charOpt.zeroGrad();
  F.crossEntropy(charModel.forward(xb).reshape([-1, chars.length]), yb.reshape([-1])).backward();
  charOpt.step();
}
function continueText(prompt: string, n: number): string {
  const ids = [...prompt].map((c) => chars.indexOf(c));
  for (let i = 0; i < n; i++) {
    const logits = noGrad(() => charModel.forward(tensor([ids.slice(-seqLen)], { dtype: "int32" })));
    ids.push(logits.select(1, -1).argmax(1).item());
  }
  return ids.map((i) => chars[i]).join("");
}
const written = continueText("the quick", 40);
expect(written.startsWith("the quick brown fox jumps over the lazy dog.")).toBe(true);
written

// %% [markdown] id="vanish-md"
// ## Vanishing and exploding gradients
//
// Training an RNN means backpropagating through the unrolled network. Say the loss $\mathcal{L}$
// is read at the last step $m$. The gradient with respect to an earlier state $s_t$ is a product
// of one Jacobian per step between them:
//
// $$\frac{\partial \mathcal{L}}{\partial s_t} = \frac{\partial \mathcal{L}}{\partial s_m}\,
// \frac{\partial s_m}{\partial s_{m-1}} \frac{\partial s_{m-1}}{\partial s_{m-2}} \cdots
// \frac{\partial s_{t+1}}{\partial s_t}, \qquad \frac{\partial s_{k+1}}{\partial s_k} =
// \mathrm{diag}\big(f'(z_{k+1})\big)\, W .$$
//
// The same matrix $W$ appears in every factor. Ignore $f'$ for a moment (a linear RNN): then the
// gradient $m - t$ steps back is $(W^\top)^{m-t}$ applied to the last one. If every direction is
// stretched by more than 1 — the size of the largest eigenvalue of $W$ above 1 — the product
// **explodes** exponentially in the distance; if everything is shrunk, it **vanishes**
// exponentially. The gradient of a weight, $\partial \mathcal{L}/\partial W = \sum_k
// \frac{\partial \mathcal{L}}{\partial s_k} \frac{\partial s_k}{\partial W}$, sums contributions of
// all steps $k$; when the far ones have vanished, the network simply cannot learn from what
// happened many steps ago — in practice a plain RNN looks back only a few steps. The activation
// makes vanishing worse: $|\tanh'| \le 1$, and it is near 0 whenever a unit saturates.
//
// We measure it. $W$ is a rotation multiplied by a scale $\gamma$, so every direction is stretched
// by exactly $\gamma$; we run 30 steps, put the loss on the last state, and record
// $\lVert \partial \mathcal{L} / \partial s_t \rVert$ at every step with `retainGrad`.

// %% id="vanish-measure"
function scaledRotation(scale: number): Tensor {
  const [c1, s1, c2, s2] = [Math.cos(0.3), Math.sin(0.3), Math.cos(1.1), Math.sin(1.1)];
  return tensor([[c1, -s1, 0, 0], [s1, c1, 0, 0], [0, 0, c2, -s2], [0, 0, s2, c2]]).mul(scale);
}
/** log10 of ‖∂L/∂s_t‖ for t = 0 … steps−1, with L = sum of the last state. */
function stateGradientNorms(Wrec: Tensor, steps: number, activation: "linear" | "tanh"): number[] {
  manualSeed(3);
  const inputs = randn([steps, 4], { requiresGrad: true });
  let st = zeros([4]);
  const kept: Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    const z = Wrec.matmul(st).add(inputs.select(0, t));
    st = activation === "tanh" ? z.tanh() : z;
    st.retainGrad();
    kept.push(st);
  }
  st.sum().backward();
  return kept.map((k) => Math.log10(k.grad!.norm().item()));
}
const scales = [0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5];
const T = 30;
const linearNorms = scales.map((g) => stateGradientNorms(scaledRotation(g), T, "linear"));
const tanhNorms = scales.map((g) => stateGradientNorms(scaledRotation(g), T, "tanh"));
// Linear RNN: each step back multiplies the gradient's norm by exactly γ.
scales.forEach((g, i) => {
  for (let t = 0; t < T; t++) expect(linearNorms[i][t] - linearNorms[i][T - 1]).toBeCloseTo((T - 1 - t) * Math.log10(g), { atol: 1e-3 });
});
// tanh can only shrink it further (|tanh'| ≤ 1).
scales.forEach((_, i) => tanhNorms[i].forEach((v, t) => expect(v).toBeLessThanOrEqual(linearNorms[i][t] + 1e-4)));
expect(linearNorms[0][0] - linearNorms[0][T - 1]).toBeLessThan(-8); // γ = 0.5: 30 steps back, below 1e-8 of the last step
expect(linearNorms[6][0] - linearNorms[6][T - 1]).toBeGreaterThan(5); // γ = 1.5: more than 1e5 times larger
const rows = scales.map((g) => `γ = ${g}`);
const steps = Array.from({ length: T }, (_, t) => t);
plot.heatmap(linearNorms, { x: steps, y: rows, title: "Gradient norm per time step (linear RNN), log10 ‖∂L/∂s_t‖", xlabel: "time step t (the loss is read at t = 29)", colorscale: "rdbu", zmin: -15, zmax: 15 })

// %% id="vanish-tanh-heatmap"
plot.heatmap(tanhNorms, { x: steps, y: rows, title: "Gradient norm per time step (tanh RNN), log10 ‖∂L/∂s_t‖", xlabel: "time step t", colorscale: "rdbu", zmin: -15, zmax: 15 })

// %% [markdown] id="vanish-read"
// Read the heatmaps from right to left, that is backwards in time. In the linear network each row
// is a straight ramp whose slope is $\log_{10}\gamma$: with $\gamma = 0.5$ the gradient 30 steps
// back is $0.5^{29} \approx 2 \cdot 10^{-9}$ of the last one, with $\gamma = 1.5$ it is $1.5^{29}
// \approx 1.3 \cdot 10^{5}$ times larger; only $\gamma = 1$ keeps it constant. With $\tanh$ the
// exploding rows are tamed by saturation, but the price is that *all* rows now fade: the factor
// $f'$ pulls every step below the linear case.
//
// For a $W$ that is not a scaled rotation, the long-run rate is set by the **spectral radius**, the
// largest $|\lambda|$ among its eigenvalues, while the matrix norm $\lVert W \rVert$ bounds a single
// step. A triangular matrix shows its eigenvalues on the diagonal, so we can check: the ratio
// $\lVert W^{k+1} v\rVert / \lVert W^{k} v\rVert$ tends to the largest $|\lambda|$.

// %% id="vanish-eigen"
function growthRate(a: number, d: number, k: number): number {
  const Wt = tensor([[a, 1], [0, d]], { dtype: "float64" }); // eigenvalues a and d
  let v = tensor([1, 1], { dtype: "float64" });
  let last = 0;
  for (let i = 0; i <= k; i++) {
    const n = v.norm().item();
    if (i === k) return n / last;
    last = n;
    v = Wt.matmul(v);
  }
  return NaN;
}
const rates = { "λ = 1.1 and 0.5": growthRate(1.1, 0.5, 80), "λ = 0.9 and 0.5": growthRate(0.9, 0.5, 80) };
expect(rates["λ = 1.1 and 0.5"]).toBeCloseTo(1.1, { atol: 1e-6 }); // explodes at rate 1.1 per step
expect(rates["λ = 0.9 and 0.5"]).toBeCloseTo(0.9, { atol: 1e-6 }); // vanishes at rate 0.9 per step
rates

// %% [markdown] id="clip-md"
// ## Gradient clipping
//
// Exploding gradients have a cheap cure. Before each update compute the norm of the whole gradient,
// $\lVert g \rVert$, and if it exceeds a threshold $\tau$, rescale it:
//
// $$g \leftarrow g \cdot \min\!\left(1, \frac{\tau}{\lVert g \rVert}\right).$$
//
// The direction is kept; only the length of the step is capped. gradnote spells it like PyTorch,
// `nn.utils.clipGradNorm_(parameters, maxNorm)`, which returns the norm *before* clipping. Below,
// a linear RNN starts with $\gamma = 1.1$ and is trained by plain SGD to bring its last state to a
// target. Without clipping the first gradient is in the thousands, the step overshoots to a $W$
// whose powers overflow, and the loss becomes infinite, then NaN. With $\tau = 1$ it trains.
// (Vanishing gradients have no such quick fix; the next notebook's LSTM is the cure.)

// %% id="clip-train"
function trainLinearRnn(clip: boolean): { loss: number[]; gradNorm: number[] } {
  manualSeed(4);
  const Wp = scaledRotation(1.1).requiresGrad_();
  const inputs = randn([20, 8, 4]);
  const target = randn([8, 4]).mul(0.5);
  const opt = new optim.SGD([Wp], { lr: 0.01 });
  const log = { loss: [] as number[], gradNorm: [] as number[] };
  for (let step = 0; step < 30; step++) {
    opt.zeroGrad();
    let st = zeros([8, 4]);
    for (let t = 0; t < 20; t++) st = st.matmul(Wp.t()).add(inputs.select(0, t));
    const loss = F.mseLoss(st, target);
    loss.backward();
    log.gradNorm.push(clip ? nn.utils.clipGradNorm_([Wp], 1).item() : Wp.grad!.norm().item());
    if (clip) expect(Wp.grad!.norm().item()).toBeCloseTo(1, { atol: 1e-4 }); // clipped to τ = 1
    opt.step();
    log.loss.push(loss.item());
  }
  return log;
}
const unclipped = trainLinearRnn(false), clipped = trainLinearRnn(true);
expect(unclipped.gradNorm[0]).toBeGreaterThan(1000);
expect(Number.isFinite(unclipped.loss[5])).toBe(false); // diverged
expect(clipped.loss.every(Number.isFinite)).toBe(true);
expect(clipped.loss[29]).toBeLessThan(clipped.loss[0] / 10); // and learned
plot.line({ "no clipping": unclipped.loss.map((v) => (Number.isFinite(v) ? v : NaN)), "clipGradNorm_ to 1": clipped.loss }, { title: "SGD on an exploding linear RNN", xlabel: "step", ylabel: "loss", logy: true })

// %% [markdown] id="rnn-summary"
// ## Summary
//
// * An RNN applies one cell at every time step, $s_t = f(U x_t + W s_{t-1} + b)$; unrolled, it is
//   a deep network with shared weights, trained by backpropagation through time.
// * A language model predicts the next token; the product of its predictions scores whole
//   sentences, preferring a good word order and a good word choice.
// * The gradient reaching $t$ steps back is multiplied by $W$ (and $f'$) $t$ times: it explodes
//   when $W$ stretches (largest $|\lambda| > 1$) and vanishes when it shrinks.
// * Clipping the gradient's norm stops explosions; vanishing needs a different cell (notebook 12).
//
// ## Exercises
//
// **Exercise 1 — unroll an RNN.** Write `rnnStates(U, W, b, xs)` that returns the list of states
// $s_0, s_1, \dots$ of the recurrence $s_t = \tanh(U x_t + W s_{t-1} + b)$ with $s_{-1} = 0$. All
// arguments are plain arrays: `U` is `[hidden][inputs]`, `W` is `[hidden][hidden]`, `b` is
// `[hidden]`, `xs` is `[time][inputs]`; return `[time][hidden]`.

// %% id="ex-rnn-states"
function rnnStates(U: number[][], W: number[][], b: number[], xs: number[][]): number[][] {
  // BEGIN SOLUTION
  // STUB: return []; // your code
  let prev = b.map(() => 0);
  return xs.map((x) => {
    prev = b.map((bi, i) => Math.tanh(bi + U[i].reduce((acc, u, j) => acc + u * x[j], 0) + W[i].reduce((acc, w, j) => acc + w * prev[j], 0)));
    return prev;
  });
  // END SOLUTION
}

// %% id="test-rnn-states"
// @test rnn_states_echo 1 point
expect(await student.call("rnnStates", [[1]], [[0.5]], [0], [[1], [0], [0]])).toBeCloseTo([[0.7615941559557649], [0.3633994843890525], [0.17972620712031911]], { atol: 1e-9 });

// %% id="test-rnn-states-hidden"
// @test rnn_states_random 2 points hidden
{
  const g = new Generator(7);
  const mat = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => g.normal() * 0.7));
  const [Ur, Wr, br, xr] = [mat(3, 2), mat(3, 3), mat(1, 3)[0], mat(5, 2)];
  let h = [0, 0, 0];
  const want = xr.map((x) => (h = h.map((_, i) => Math.tanh(br[i] + Ur[i][0] * x[0] + Ur[i][1] * x[1] + Wr[i][0] * h[0] + Wr[i][1] * h[1] + Wr[i][2] * h[2]))));
  expect(await student.call("rnnStates", Ur, Wr, br, xr)).toBeCloseTo(want, { atol: 1e-9 });
}

// %% [markdown] id="ex-clip-md"
// **Exercise 2 — clip a gradient.** Write `clipByNorm(grad, maxNorm)`: if the Euclidean norm of
// the vector `grad` is larger than `maxNorm`, return it rescaled to norm `maxNorm` (same
// direction); otherwise return it unchanged.

// %% id="ex-clip"
function clipByNorm(grad: number[], maxNorm: number): number[] {
  // BEGIN SOLUTION
  // STUB: return grad; // your code
  const norm = Math.sqrt(grad.reduce((acc, g) => acc + g * g, 0));
  return norm > maxNorm ? grad.map((g) => (g * maxNorm) / norm) : grad;
  // END SOLUTION
}

// %% id="test-clip"
// @test clip_small_unchanged 1 point
expect(await student.call("clipByNorm", [0.3, -0.4], 1)).toBeCloseTo([0.3, -0.4]);

// %% id="test-clip-hidden"
// @test clip_large_rescaled 2 points hidden
expect(await student.call("clipByNorm", [30, -40], 1)).toBeCloseTo([0.6, -0.8], { atol: 1e-9 });
{
  const g = new Generator(3);
  const v = Array.from({ length: 50 }, () => g.normal() * 100);
  const got = (await student.call("clipByNorm", v, 5)) as number[];
  expect(Math.hypot(...got)).toBeCloseTo(5, { atol: 1e-9 });
  expect(got[7] / got[3]).toBeCloseTo(v[7] / v[3], { atol: 1e-9 });
}

// %% [markdown] id="ex-logprob-md"
// **Exercise 3 — score a sentence.** A language model gave, at every step $t$, a row of scores
// `logits[t]` over the vocabulary (before the softmax); the word that actually came next has index
// `targets[t]`. Write `sentenceLogProb(logits, targets)` $= \sum_t \log \mathrm{softmax}(\text{logits}_t)
// [\text{targets}_t]$. Make it stable for large scores (subtract each row's maximum before
// exponentiating).

// %% id="ex-logprob"
function sentenceLogProb(logits: number[][], targets: number[]): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code
  return logits.reduce((sum, row, t) => {
    const m = Math.max(...row);
    const logZ = m + Math.log(row.reduce((acc, v) => acc + Math.exp(v - m), 0));
    return sum + row[targets[t]] - logZ;
  }, 0);
  // END SOLUTION
}

// %% id="test-logprob"
// @test logprob_uniform 1 point
expect(await student.call("sentenceLogProb", [[0, 0, 0, 0], [1, 1, 1, 1]], [2, 0])).toBeCloseTo(2 * Math.log(0.25), { atol: 1e-9 });

// %% id="test-logprob-hidden"
// @test logprob_random_and_large 2 points hidden
{
  const g = new Generator(9);
  const lg = Array.from({ length: 6 }, () => Array.from({ length: 5 }, () => g.normal() * 3));
  const tg = [4, 0, 2, 2, 1, 3];
  const logp = nn.functional.logSoftmax(tensor(lg, { dtype: "float64" }), 1).toArray() as number[][];
  expect(await student.call("sentenceLogProb", lg, tg)).toBeCloseTo(tg.reduce((s, w, t) => s + logp[t][w], 0), { atol: 1e-9 });
  expect(await student.call("sentenceLogProb", [[1000, 0], [0, 1000]], [0, 0])).toBeCloseTo(-1000, { atol: 1e-6 });
}
