// %% [markdown] id="emb-title"
// # 13 · Word embeddings and window classification
//
// Networks compute with numbers, so before a network can read text every word must become a
// vector. How we choose those vectors decides what the network can learn from: whether it can
// tell that "Paris" and "Rome" play the same part in a sentence, or has to learn every word from
// scratch. In this notebook we
//
// 1. compare **one-hot** vectors with dense, learned **embeddings** and meet `nn.Embedding`;
// 2. build the **window classifier** for named entities — is the word in the middle of this
//    window a location? — with the score $s = U^\top f(Wx + b)$;
// 3. train it with the **max-margin objective** $J = \max(0, 1 - s + s_c)$, whose gradient we
//    derive by hand and check against autograd; and
// 4. look at what the embeddings learned: **nearest neighbours** and a **similarity heatmap**.

// %% id="emb-imports"
import { tensor, zeros, randn, manualSeed, nn, optim, plot, noGrad, Tensor, Generator } from "gradnote";
const F = nn.functional;

// %% [markdown] id="onehot-md"
// ## One-hot vectors and dense embeddings
//
// The simplest encoding numbers the words of a vocabulary of size $V$ and represents word $k$ by
// the **one-hot** vector $e_k \in \mathbb{R}^V$: all zeros except a 1 in position $k$. It is easy
// but poor. The vectors are as long as the vocabulary (tens of thousands of entries, all but one
// zero), and they carry no notion of similarity: any two different words are orthogonal,
// $e_j^\top e_k = 0$, so "hotel" is exactly as far from "motel" as from "banana".
//
// An **embedding** maps each word to a short dense vector instead, one row of a matrix
// $E \in \mathbb{R}^{V \times d}$ with $d$ in the tens or hundreds. Looking a word up is the same as
// multiplying its one-hot vector by the matrix, $E^\top e_k = E_{k,:}$, which is why an embedding
// layer is just a linear layer without bias whose input happens to be one-hot — implemented as a
// row lookup because that is much cheaper. The rows are parameters: trained with the rest of the
// network, words used in similar ways end up with similar vectors.

// %% id="onehot"
const toy = ["museums", "in", "paris", "are", "amazing", "rome"];
const oneHot = F.oneHot(tensor(toy.map((_, k) => k), { dtype: "int64" }), toy.length).float(); // [6, 6]
expect(oneHot.matmul(oneHot.t())).toBeCloseTo(tensor(toy.map((_, i) => toy.map((_, j) => (i === j ? 1 : 0))))); // only the word itself is similar
manualSeed(13);
const toyEmbedding = new nn.Embedding(toy.length, 4); // d = 4
const ids = tensor([2, 5, 2], { dtype: "int64" }); // paris, rome, paris
const looked = noGrad(() => toyEmbedding.forward(ids));
expect(looked).toBeCloseTo(noGrad(() => F.oneHot(ids, toy.length).float().matmul(toyEmbedding.weight))); // lookup = one-hot × E
expect(looked.select(0, 0)).toBeCloseTo(looked.select(0, 2)); // the same word, the same vector
display(plot.heatmap(oneHot.matmul(oneHot.t()), { x: toy, y: toy, title: "One-hot vectors: every word is similar only to itself", zmin: 0, zmax: 1 }));
looked

// %% [markdown] id="window-md"
// ## Window classification
//
// **Named-entity recognition** asks, for every word of a text, whether it names a location, a
// person, an organisation, …. A word alone is often not enough ("Paris Hilton", "Paris, Texas"),
// but its neighbours help. So we classify a word from a **window** around it: with window length
// 2 the word "Paris" in *… museums in Paris are amazing …* is described by the concatenation of
// five word vectors,
//
// $$x_{\text{window}} = [\,x_{\text{museums}}\;\; x_{\text{in}}\;\; x_{\text{Paris}}\;\;
// x_{\text{are}}\;\; x_{\text{amazing}}\,]^\top \in \mathbb{R}^{5d}.$$
//
// A one-hidden-layer network turns the window into a single **score**
//
// $$s = U^\top f(Wx + b), \qquad x \in \mathbb{R}^{20}, \; W \in \mathbb{R}^{8 \times 20}, \;
// b \in \mathbb{R}^{8}, \; U \in \mathbb{R}^{8},$$
//
// here with $d = 4$ (so $5d = 20$), 8 hidden units and the logistic function $f$. We want windows
// with a location in the middle to score high and all others to score low.

// %% id="window-score"
const vocabD3 = ["museums", "in", "paris", "are", "amazing", "not", "all"];
manualSeed(3);
const E3 = randn([vocabD3.length, 4]).mul(0.5); // d = 4
const W3 = randn([8, 20]).mul(0.5), b3 = randn([8]).mul(0.5), U3 = randn([8]).mul(0.5);
const windowVector = (words: string[]) => E3.indexSelect(0, tensor(words.map((w) => vocabD3.indexOf(w)), { dtype: "int64" })).reshape([20]);
const xTrue = windowVector(["museums", "in", "paris", "are", "amazing"]);
const xCorrupt = windowVector(["not", "all", "museums", "in", "paris"]); // no location in the middle
const score = (x: Tensor) => U3.dot(W3.matmul(x).add(b3).sigmoid()).item();
const [sTrue, sCorrupt] = [score(xTrue), score(xCorrupt)];
expect(xTrue.shape).toEqual([20]);
({ s: sTrue, s_c: sCorrupt })

// %% [markdown] id="margin-md"
// ## The max-margin objective
//
// We never say what a score should *be*, only how scores should be **ordered**: the true window
// $s$ = score(museums in Paris are amazing) must beat a corrupted one, $s_c$ = score(Not all museums
// in Paris), whose middle word is not a location. Maximising $s - s_c$, i.e. minimising
//
// $$J = \max(s_c - s,\, 0),$$
//
// is a first attempt, but it is satisfied as soon as $s$ is a hair above $s_c$: there is no safety
// margin, and a tiny change in the input can flip the order. So we demand that the true window
// wins by at least $\Delta$ and pay whenever $s - s_c < \Delta$, not only when $s - s_c < 0$:
//
// $$J = \max(\Delta + s_c - s,\, 0), \qquad \text{and with } \Delta = 1: \quad J = \max(1 + s_c - s,\, 0).$$
//
// With $\Delta = 1$ every window with a location at its centre should score at least 1 more than
// any window without one. For example $s = 2.5$, $s_c = 2.0$ costs nothing under the first
// objective but $J = 0.5$ under the second: the order is right, the margin is not yet.

// %% id="margin"
const hingeNoMargin = (s: number, sc: number) => Math.max(sc - s, 0);
const hingeMargin = (s: number, sc: number, delta = 1) => Math.max(delta + sc - s, 0);
expect(hingeNoMargin(2.5, 2.0)).toBe(0);
expect(hingeMargin(2.5, 2.0)).toBeCloseTo(0.5, { atol: 1e-12 });
expect(hingeMargin(3.5, 2.0)).toBe(0); // margin reached: no loss, no gradient
const J3 = hingeMargin(sTrue, sCorrupt);
expect(J3).toBeGreaterThan(0); // untrained: the true window does not win by 1 yet
const gap = Array.from({ length: 61 }, (_, k) => -2 + k * 0.05); // s − s_c
display(plot.line({ "max(s_c − s, 0)": gap.map((g) => Math.max(-g, 0)), "max(1 + s_c − s, 0)": gap.map((g) => Math.max(1 - g, 0)) }, { x: gap, title: "Two ranking losses", xlabel: "s − s_c", ylabel: "J" }));
({ J: J3 })

// %% [markdown] id="margin-grad-md"
// ### The gradient by hand
//
// Assume $J > 0$ (otherwise every gradient is 0). Then $J = 1 + s_c - s$ and each derivative is
// that of $s_c$ minus that of $s$, so we only need the derivatives of one score. Write
// $z = Wx + b$ and $a = f(z)$, so $s = U^\top a$:
//
// * $\dfrac{\partial s}{\partial U} = a$;
// * for one weight, $\dfrac{\partial s}{\partial W_{ij}} = U_i f'(z_i)\, x_j = \delta_i x_j$ with
//   $\delta = U \circ f'(z)$ and, for the logistic $f$, $f'(z) = f(z)(1 - f(z))$;
// * all $i, j$ at once is an outer product: $\dfrac{\partial s}{\partial W} = \delta x^\top$;
// * $\dfrac{\partial s}{\partial b} = \delta$, and for the word vectors themselves
//   $\dfrac{\partial s}{\partial x} = W^\top \delta$ — the embeddings are trained too.
//
// We compute these with plain tensor algebra and compare them with autograd.

// %% id="margin-grad"
function scoreGrads(x: Tensor) {
  const a = W3.matmul(x).add(b3).sigmoid();
  const delta = U3.mul(a).mul(a.neg().add(1)); // δ = U ∘ f(z)(1 − f(z))
  return { U: a, W: delta.unsqueeze(1).matmul(x.unsqueeze(0)), b: delta, x: W3.t().matmul(delta) };
}
const gTrue = scoreGrads(xTrue), gCorrupt = scoreGrads(xCorrupt);
const byHand = { U: gCorrupt.U.sub(gTrue.U), W: gCorrupt.W.sub(gTrue.W), b: gCorrupt.b.sub(gTrue.b) }; // ∂J = ∂s_c − ∂s
// Autograd on the same numbers.
const [Ua, Wa, ba] = [U3.clone().requiresGrad_(), W3.clone().requiresGrad_(), b3.clone().requiresGrad_()];
const scoreA = (x: Tensor) => Ua.dot(Wa.matmul(x).add(ba).sigmoid());
const Jauto = scoreA(xCorrupt).sub(scoreA(xTrue)).add(1).clamp(0);
Jauto.backward();
expect(Jauto.item()).toBeCloseTo(J3, { atol: 1e-6 });
expect(byHand.U).toBeCloseTo(Ua.grad!, { atol: 1e-6 });
expect(byHand.W).toBeCloseTo(Wa.grad!, { atol: 1e-6 });
expect(byHand.b).toBeCloseTo(ba.grad!, { atol: 1e-6 });
// One entry, the scalar formula: ∂s/∂W_ij = δ_i x_j.
expect(gTrue.W.toArray()[3][7]).toBeCloseTo(gTrue.b.toArray()[3] * xTrue.toArray()[7], { atol: 1e-7 });
// The word vectors get W^T δ: check the true window's against autograd too.
const xVar = xTrue.clone().requiresGrad_();
U3.dot(W3.matmul(xVar).add(b3).sigmoid()).backward();
expect(gTrue.x).toBeCloseTo(xVar.grad!, { atol: 1e-6 });
plot.heatmap(byHand.W, { title: "∂J/∂W = δ_c x_cᵀ − δ xᵀ (8 hidden units × 20 window inputs)", xlabel: "input j (5 words × 4 dimensions)", ylabel: "hidden unit i", colorscale: "rdbu" })

// %% [markdown] id="margin-step-md"
// One gradient-descent step with these hand-made gradients (learning rate 0.5) should lower $J$,
// that is, widen the gap $s - s_c$. (Both scores may move the same way — the step changes the
// shared $U$, $W$ and $b$ — what matters is their difference.)

// %% id="margin-step"
const lr = 0.5;
const [U4, W4, b4] = [U3.sub(byHand.U.mul(lr)), W3.sub(byHand.W.mul(lr)), b3.sub(byHand.b.mul(lr))];
const scoreAfter = (x: Tensor) => U4.dot(W4.matmul(x).add(b4).sigmoid()).item();
const afterStep = { s: scoreAfter(xTrue), s_c: scoreAfter(xCorrupt), J: hingeMargin(scoreAfter(xTrue), scoreAfter(xCorrupt)) };
expect(afterStep.s - afterStep.s_c).toBeGreaterThan(sTrue - sCorrupt); // the gap grows
expect(afterStep.J).toBeLessThan(J3);
({ before: { s: sTrue, s_c: sCorrupt, J: J3 }, after: afterStep })

// %% [markdown] id="tagger-md"
// ## Training a location tagger with the max-margin objective
//
// Now the real thing, on a tiny corpus built from sentence templates: ten city names fill the
// slots of sentences like "we flew to {P} last week", mixed with sentences that contain no place
// at all. Three more cities — oslo, quito, hanoi — are kept out of training entirely: the test asks
// whether the tagger finds them from their **context** alone. Every word gets a learned
// 8-dimensional embedding; a word that was never seen in training is mapped to `<unk>`. To teach
// the network that the context matters, each training window with a place in the middle is also
// shown once more with that place replaced by `<unk>`.
//
// Each training step pairs every true window (a place in the middle) with a randomly drawn
// corrupted window (no place in the middle) and minimises the average of $J = \max(0, 1 - s +
// s_c)$. The embeddings, $W$, $b$ and $U$ are all trained by the gradient we derived above.

// %% id="tagger-data"
const places = ["paris", "rome", "tokyo", "lima", "cairo", "berlin", "madrid", "delhi", "sydney", "boston"];
const heldOut = ["oslo", "quito", "hanoi"]; // never seen in training
const templates = [
  "we flew to {P} last week", "she lives in {P} now", "the train from {P} was late", "i visited {P} in june",
  "they moved to {P} for work", "my friend from {P} called", "he drove to {P} yesterday", "our office in {P} is small",
  "{P} is a big city", "last june we went to {P}", "we flew from {P} to {Q}", "people in {P} like music",
  "we ate lunch in the park", "she reads a book every night", "the late train was full", "i called my friend today",
  "we flew home last week", "last june we went to the beach", "they moved to a new house", "the office is small",
];
function fillTemplates(names: string[]): string[] {
  return templates.flatMap((t) => (t.includes("{P}") ? names.map((p, i) => t.replace("{P}", p).replace("{Q}", names[(i + 1) % names.length])) : [t]));
}
const trainSentences = fillTemplates(places);
const testSentences = fillTemplates(heldOut).filter((s) => heldOut.some((p) => s.includes(p)));
const vocab = ["<pad>", "<unk>", ...new Set(trainSentences.join(" ").split(" "))];
const wordIndex = (w: string) => Math.max(1, vocab.indexOf(w)); // unknown words → <unk>
const isPlace = (w: string) => places.includes(w) || heldOut.includes(w);
const HALF = 2; // window length 2 on each side
function windowsOf(sentences: string[], hidePlaces = false) {
  const rows: number[][] = [], labels: number[] = [], words: string[] = [];
  for (const sentence of sentences) {
    const ws = sentence.split(" ");
    ws.forEach((w, i) => {
      const win = Array.from({ length: 2 * HALF + 1 }, (_, k) => i - HALF + k).map((j) => (j < 0 || j >= ws.length ? 0 : wordIndex(ws[j])));
      rows.push(win);
      labels.push(isPlace(w) ? 1 : 0);
      words.push(w);
      if (hidePlaces && isPlace(w)) {
        rows.push(win.map((v, k) => (k === HALF ? 1 : v)));
        labels.push(1);
        words.push("<unk>");
      }
    });
  }
  return { x: tensor(rows, { dtype: "int64" }), y: labels, words };
}
const trainWin = windowsOf(trainSentences, true), testWin = windowsOf(testSentences);
({ "training sentences": trainSentences.length, "training windows": trainWin.y.length, "test sentences": testSentences.length, vocabulary: vocab.length })

// %% id="tagger-train"
class WindowScorer extends nn.Module {
  emb = new nn.Embedding(vocab.length, 8);
  hidden = new nn.Linear((2 * HALF + 1) * 8, 16); // W, b
  u = new nn.Linear(16, 1, { bias: false }); // U
  override forward(windows: Tensor): Tensor {
    const x = this.emb.forward(windows).flatten(1); // [batch, 5·8] concatenated word vectors
    return this.u.forward(this.hidden.forward(x).sigmoid()).squeeze(1); // s = Uᵀ f(Wx + b)
  }
}
const positives = trainWin.y.flatMap((l, i) => (l === 1 ? [i] : []));
const negatives = trainWin.y.flatMap((l, i) => (l === 0 ? [i] : []));
const rowsOf = (idx: number[]) => trainWin.x.indexSelect(0, tensor(idx, { dtype: "int64" }));
const truePart = rowsOf(positives);
manualSeed(0);
const scorer = new WindowScorer();
nn.init.normal_(scorer.emb.weight, 0, 0.1); // start the word vectors small: what they learn will dominate them
const scorerOpt = new optim.Adam(scorer.parameters(), { lr: 0.01 });
const pairGen = new Generator(1);
const marginLosses: number[] = [];
for (let step = 0; step < 150; step++) {
  const corrupt = rowsOf(positives.map(() => negatives[pairGen.int(0, negatives.length)]));
  scorerOpt.zeroGrad();
  const J = scorer.forward(corrupt).sub(scorer.forward(truePart)).add(1).clamp(0).mean(); // mean of max(0, 1 − s + s_c)
  J.backward();
  scorerOpt.step();
  marginLosses.push(J.item());
}
expect(marginLosses[149]).toBeLessThan(0.1 * marginLosses[0]);
plot.line(marginLosses, { title: "Max-margin objective during training", xlabel: "step", ylabel: "mean J" })

// %% [markdown] id="tagger-eval-md"
// The objective only ranks windows; to *tag* a word we still need a threshold $\theta$. We pick it
// on the training windows — the value that makes the fewest training mistakes — call a word a
// location when $s > \theta$, and squash $s - \theta$ with a sigmoid to print a number between 0
// and 1 (above 0.5 means "location"). The test sentences contain only places the model has never
// seen, so they are found from the words around them.

// %% id="tagger-eval"
const trainScores = noGrad(() => scorer.forward(trainWin.x)).toArray() as number[];
const meanWhere = (scoresArr: number[], want: number) => {
  const picked = scoresArr.filter((_, i) => trainWin.y[i] === want);
  return picked.reduce((a, b) => a + b, 0) / picked.length;
};
const trainAccuracyAt = (th: number) => trainScores.filter((v, i) => (v > th ? 1 : 0) === trainWin.y[i]).length / trainScores.length;
// Candidates: midpoints between consecutive sorted training scores; keep the one with fewest training mistakes.
const sortedScores = [...trainScores].sort((a, b) => a - b);
const theta = sortedScores.slice(1).map((v, i) => (v + sortedScores[i]) / 2).reduce((best, th) => (trainAccuracyAt(th) > trainAccuracyAt(best) ? th : best), (meanWhere(trainScores, 1) + meanWhere(trainScores, 0)) / 2);
const accuracyOn = (set: { x: Tensor; y: number[] }) => {
  const sc = noGrad(() => scorer.forward(set.x)).toArray() as number[];
  return sc.filter((v, i) => (v > theta ? 1 : 0) === set.y[i]).length / sc.length;
};
const taggerAccuracy = { train: accuracyOn(trainWin), "test (unseen places)": accuracyOn(testWin) };
expect(taggerAccuracy["test (unseen places)"]).toBeGreaterThanOrEqual(0.9);
taggerAccuracy

// %% id="tagger-sentence"
// A new sentence: each word with σ(s − θ), its tag strength (> 0.5: a location).
const newSentence = "last june we flew to hanoi from lima";
const probeWin = windowsOf([newSentence]);
const strength = (noGrad(() => scorer.forward(probeWin.x)).toArray() as number[]).map((v) => 1 / (1 + Math.exp(-(v - theta))));
const strengthOf = (w: string) => strength[probeWin.words.indexOf(w)];
expect(strengthOf("hanoi")).toBeGreaterThan(0.5); // never seen: found from its context
expect(strengthOf("lima")).toBeGreaterThan(0.5);
expect(strengthOf("flew")).toBeLessThan(0.5);
display.html(`<table><tr>${probeWin.words.map((w) => `<th>${w}</th>`).join("")}</tr><tr>${strength.map((v) => `<td>${v.toFixed(2)}</td>`).join("")}</tr></table>`);

// %% [markdown] id="neighbours-md"
// ## What the embeddings learned
//
// The tagger never saw a definition of "city", yet the only way to score the place windows high is
// to give the place names vectors that push the hidden layer the same way. So after training they
// should be close to each other. Closeness of embeddings is usually measured by the **cosine
// similarity**, the cosine of the angle between two vectors, which ignores their lengths:
//
// $$\cos(u, v) = \frac{u^\top v}{\lVert u \rVert\, \lVert v \rVert} \in [-1, 1].$$
//
// The **nearest neighbours** of a word are the words with the highest cosine similarity to it.
// Below: the nine nearest neighbours of "paris" — the nine other cities of the training data — and
// the similarity matrix of a few words as a heatmap, where the cities form a bright block. (We
// started the embeddings small; from a large random start, the max-margin loss, which stops
// pushing once every pair is 1 apart, would leave much of the random start in place.)

// %% id="neighbours"
const trainedE = scorer.emb.weight.detach();
const unitE = trainedE.div(trainedE.square().sum(1, true).sqrt()); // every row scaled to length 1
function neighbours(word: string, k: number): [string, number][] {
  const sims = unitE.matmul(unitE.select(0, wordIndex(word))).toArray() as number[];
  return vocab.map((w, i) => [w, sims[i]] as [string, number]).filter(([w]) => w !== word && !w.startsWith("<")).sort((a, b) => b[1] - a[1]).slice(0, k);
}
const parisNeighbours = neighbours("paris", 9);
expect(parisNeighbours.map(([w]) => w).sort()).toEqual(places.filter((p) => p !== "paris").sort()); // the 9 nearest words are the 9 other cities
parisNeighbours

// %% id="similarity-heatmap"
const shown = ["paris", "tokyo", "lima", "berlin", "to", "in", "from", "train", "friend", "book"];
const shownE = unitE.indexSelect(0, tensor(shown.map(wordIndex), { dtype: "int64" }));
const simMatrix = shownE.matmul(shownE.t()).toArray() as number[][];
const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const placeIdx = [0, 1, 2, 3], otherIdx = [4, 5, 6, 7, 8, 9];
const placePlace = avg(placeIdx.flatMap((i) => placeIdx.filter((j) => j !== i).map((j) => simMatrix[i][j])));
const placeOther = avg(placeIdx.flatMap((i) => otherIdx.map((j) => simMatrix[i][j])));
expect(placePlace).toBeGreaterThan(placeOther + 0.5); // places are close to places
display({ "mean cosine, place–place": placePlace, "mean cosine, place–other word": placeOther });
plot.heatmap(simMatrix, { x: shown, y: shown, title: "Cosine similarity of learned word vectors", zmin: -1, zmax: 1, colorscale: "rdbu" })

// %% [markdown] id="emb-summary"
// ## Summary
//
// * One-hot vectors are long, sparse and all equally far apart; an embedding gives each word a
//   short dense vector, a row of a trained matrix ($E^\top e_k$, done as a lookup by `nn.Embedding`).
// * A window classifier scores the word in the middle of a window from the concatenated vectors of
//   the window, $s = U^\top f(Wx + b)$.
// * The max-margin objective $J = \max(0, \Delta + s_c - s)$ asks a true window to beat a
//   corrupted one by a margin $\Delta = 1$; when $J > 0$ its gradient is $\partial s_c - \partial s$,
//   with $\partial s / \partial U = a$, $\partial s / \partial W = \delta x^\top$,
//   $\partial s / \partial b = \delta$, $\partial s / \partial x = W^\top \delta$, $\delta = U
//   \circ f'(z)$.
// * Trained this way, words that play the same part get similar vectors: the cities are each
//   other's nearest neighbours, and unseen cities are found from their context.
//
// ## Exercises
//
// **Exercise 1 — the max-margin loss.** Write `maxMarginLoss(s, sc, delta)` $= \max(0,
// \Delta + s_c - s)$.

// %% id="ex-margin"
function maxMarginLoss(s: number, sc: number, delta: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code
  return Math.max(0, delta + sc - s);
  // END SOLUTION
}

// %% id="test-margin"
// @test margin_example 1 point
expect(await student.call("maxMarginLoss", 2.5, 2.0, 1)).toBeCloseTo(0.5, { atol: 1e-12 });

// %% id="test-margin-hidden"
// @test margin_cases 1 point hidden
expect(await student.call("maxMarginLoss", 3.5, 2.0, 1)).toBe(0);
expect(await student.call("maxMarginLoss", -1, 0.5, 1)).toBeCloseTo(2.5, { atol: 1e-12 });
expect(await student.call("maxMarginLoss", 1, 1, 0.25)).toBeCloseTo(0.25, { atol: 1e-12 });

// %% [markdown] id="ex-score-md"
// **Exercise 2 — the window score.** Write `windowScore(x, W, b, U)` $= U^\top f(Wx + b)$ with the
// logistic $f$, on plain arrays: `x` has length $n$, `W` is `[m][n]`, `b` and `U` have length $m$.

// %% id="ex-score"
function windowScore(x: number[], W: number[][], b: number[], U: number[]): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code
  return W.reduce((s, row, i) => s + U[i] / (1 + Math.exp(-(b[i] + row.reduce((acc, w, j) => acc + w * x[j], 0)))), 0);
  // END SOLUTION
}

// %% id="test-score"
// @test score_zero_weights 1 point
// W = 0 and b = 0: every hidden unit is f(0) = 0.5, so s = 0.5 · ΣU.
expect(await student.call("windowScore", [1, 2, 3], [[0, 0, 0], [0, 0, 0]], [0, 0], [1, 3])).toBeCloseTo(2, { atol: 1e-12 });

// %% id="test-score-hidden"
// @test score_random 2 points hidden
{
  const g = new Generator(31);
  const vec = (n: number) => Array.from({ length: n }, () => g.normal());
  const [x, W, b, U] = [vec(20), Array.from({ length: 8 }, () => vec(20)), vec(8), vec(8)];
  const want = tensor(U, { dtype: "float64" }).dot(tensor(W, { dtype: "float64" }).matmul(tensor(x, { dtype: "float64" })).add(tensor(b, { dtype: "float64" })).sigmoid()).item();
  expect(await student.call("windowScore", x, W, b, U)).toBeCloseTo(want, { atol: 1e-9 });
}

// %% [markdown] id="ex-grad-md"
// **Exercise 3 — the gradient of the score.** Write `scoreGradW(x, W, b, U)` returning
// $\partial s / \partial W = \delta x^\top$ (an `[m][n]` array) with $\delta = U \circ f(z)(1 - f(z))$,
// $z = Wx + b$.

// %% id="ex-grad"
function scoreGradW(x: number[], W: number[][], b: number[], U: number[]): number[][] {
  // BEGIN SOLUTION
  // STUB: return W.map((row) => row.map(() => 0)); // your code
  return W.map((row, i) => {
    const a = 1 / (1 + Math.exp(-(b[i] + row.reduce((acc, w, j) => acc + w * x[j], 0))));
    const delta = U[i] * a * (1 - a);
    return x.map((xj) => delta * xj);
  });
  // END SOLUTION
}

// %% id="test-grad"
// @test grad_shape 1 point
{
  const got = (await student.call("scoreGradW", [1, -1], [[0, 0], [0, 0], [0, 0]], [0, 0, 0], [4, 0, -4])) as number[][];
  expect(got).toBeCloseTo([[1, -1], [0, 0], [-1, 1]], { atol: 1e-12 }); // δ = U · 0.25
}

// %% id="test-grad-hidden"
// @test grad_matches_autograd 3 points hidden
{
  const g = new Generator(41);
  const vec = (n: number) => Array.from({ length: n }, () => g.normal());
  const [x, W, b, U] = [vec(20), Array.from({ length: 8 }, () => vec(20)), vec(8), vec(8)];
  const Wt = tensor(W, { dtype: "float64", requiresGrad: true });
  tensor(U, { dtype: "float64" }).dot(Wt.matmul(tensor(x, { dtype: "float64" })).add(tensor(b, { dtype: "float64" })).sigmoid()).backward();
  expect(await student.call("scoreGradW", x, W, b, U)).toBeCloseTo(Wt.grad!, { atol: 1e-9 });
}

// %% [markdown] id="ex-nn-md"
// **Exercise 4 — nearest neighbours.** Write `nearestWords(E, words, query, k)`: `E[i]` is the
// vector of `words[i]`; return the `k` other words with the highest cosine similarity to `query`,
// most similar first.

// %% id="ex-nn"
function nearestWords(E: number[][], words: string[], query: string, k: number): string[] {
  // BEGIN SOLUTION
  // STUB: return words.slice(0, k); // your code
  const q = E[words.indexOf(query)];
  const cos = (v: number[]) => v.reduce((s, vi, j) => s + vi * q[j], 0) / (Math.hypot(...v) * Math.hypot(...q));
  return words.map((w, i) => ({ w, c: cos(E[i]) })).filter(({ w }) => w !== query).sort((a, b) => b.c - a.c).slice(0, k).map(({ w }) => w);
  // END SOLUTION
}

// %% id="test-nn"
// @test nn_small 1 point
expect(await student.call("nearestWords", [[1, 0], [0.9, 0.1], [0, 1], [-1, 0]], ["a", "b", "c", "d"], "a", 2)).toEqual(["b", "c"]);

// %% id="test-nn-hidden"
// @test nn_cosine_not_distance 2 points hidden
{
  // "far" points the same way as the query but is long: cosine, not Euclidean distance, must pick it.
  const E = [[1, 1], [10, 10.5], [0.2, -0.1], [-1, 1], [0.5, 0.3]];
  expect(await student.call("nearestWords", E, ["q", "far", "near", "side", "mid"], "q", 3)).toEqual(["far", "mid", "near"]);
}
