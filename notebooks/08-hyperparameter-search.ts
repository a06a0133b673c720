// %% [markdown] id="title"
// # Hyperparameter search
//
// Gradient descent learns the **parameters** of a network — its weights and biases. Everything
// else is decided *before* training starts and is not touched by the gradient: the
// **hyperparameters**. A typical list:
//
// - the architecture: how many hidden layers, how many units in each, which activation function;
// - the optimisation: the learning rate, the batch size, the number of epochs, the optimizer and
//   its own constants (momentum, $\beta_1$, $\beta_2$);
// - the regularization: the penalty $\lambda$, the dropout rate, the patience of early stopping.
//
// There is little theory that says how these choices affect the result, and they interact, so in
// practice they are found by *trying*: train with a setting, measure it on the validation set,
// try another. Finding a good setting is itself an optimisation problem, but a hard one: each
// evaluation costs a whole training run, there is no gradient, and the function is noisy and
// non-convex. This lecture compares the two basic strategies, **grid search** and **random
// search**, explains why random search usually wins, and runs a small real search.
//
// The one rule that all strategies share: hyperparameters are chosen on the **validation** set.
// The test set is used once, for the final chosen model (lecture 07).

// %% id="imports"
import { rand, manualSeed, nn, optim, data, plot, noGrad, linspace } from "gradnote";
import type { Tensor } from "gradnote";
const F = nn.functional;

// %% [markdown] id="grid-vs-random"
// ## Grid search against random search
//
// **Grid search** picks a few values for each hyperparameter and trains every combination:
// with 3 values of each of 2 hyperparameters, $3 \times 3 = 9$ runs. **Random search** spends the
// same 9 runs on settings drawn at random from the same ranges.
//
// The argument for random search: usually only a few hyperparameters really matter, and we do not
// know in advance which ones. Suppose the validation score depends strongly on hyperparameter $a$
// and hardly at all on $b$. The grid spends its 9 runs on only **3 distinct values of $a$** — each
// tried three times, with three values of $b$ that make no difference. Random search tries
// **9 distinct values of $a$**, so it explores the dimension that matters three times as finely
// for the same cost. With $k$ hyperparameters and $n$ values each, a grid costs $n^k$ runs and
// still tries only $n$ values of the important one, while $n^k$ random runs try $n^k$ values.
//
// Below, the score is $s(a, b) = e^{-((a - 0.37)/0.1)^2} + 0.03\,\sin(6b)$ on $[0, 1]^2$: a narrow
// peak in $a$, a tiny ripple in $b$.

// %% id="toy-score"
const score = (a: number, b: number) => Math.exp(-(((a - 0.37) / 0.1) ** 2)) + 0.03 * Math.sin(6 * b);
const levels = [1 / 6, 1 / 2, 5 / 6]; // three values per hyperparameter, in the middle of thirds
const gridTrials = levels.flatMap((a) => levels.map((b) => [a, b]));
manualSeed(0);
const randomTrials = (rand([9, 2]).toArray() as number[][]);
const axis = linspace(0, 1, 81);
const axisValues = Array.from(axis.dataSync());
const landscape = axisValues.map((b) => axisValues.map((a) => score(a, b)));
const searchFig = plot.heatmap(landscape, { x: axis, y: axis, title: "9 trials each: grid (squares) and random (circles)", xlabel: "a (important)", ylabel: "b (unimportant)", height: 520 });
searchFig.layout.yaxis = { title: { text: "b (unimportant)" } }; // b grows upwards, like a
searchFig.data.push(
  { type: "scatter", mode: "markers", name: "grid", x: gridTrials.map((t) => t[0]), y: gridTrials.map((t) => t[1]), marker: { symbol: "square", size: 12, color: "white", line: { width: 2, color: "black" } } },
  { type: "scatter", mode: "markers", name: "random", x: randomTrials.map((t) => t[0]), y: randomTrials.map((t) => t[1]), marker: { size: 11, color: "#e4572e", line: { width: 1, color: "black" } } },
);
searchFig

// %% id="projection"
// What each search learns about a: its trials projected onto the important axis, over the score
// curve s(a) (at b = 0).
const projFig = plot.line({ "s(a, 0)": axisValues.map((a) => score(a, 0)) }, { x: axis, title: "The trials seen from the important axis", xlabel: "a", ylabel: "score" });
projFig.data.push(
  { type: "scatter", mode: "markers", name: "grid (3 distinct a)", x: gridTrials.map((t) => t[0]), y: gridTrials.map((t) => score(t[0], 0)), marker: { symbol: "square", size: 12 } },
  { type: "scatter", mode: "markers", name: "random (9 distinct a)", x: randomTrials.map((t) => t[0]), y: randomTrials.map((t) => score(t[0], 0)), marker: { size: 10 } },
);
projFig

// %% id="count-check"
const distinct = (trials: number[][], dim: number) => new Set(trials.map((t) => t[dim].toFixed(12))).size;
const bestOf = (trials: number[][]) => Math.max(...trials.map(([a, b]) => score(a, b)));
expect(distinct(gridTrials, 0)).toBe(3);
expect(distinct(randomTrials, 0)).toBe(9);
({ "distinct values of a": { grid: distinct(gridTrials, 0), random: distinct(randomTrials, 0) }, "best score found": { grid: bestOf(gridTrials).toFixed(3), random: bestOf(randomTrials).toFixed(3) } })

// %% [markdown] id="repeat-intro"
// One random search can be lucky or unlucky. Repeating the whole experiment 1000 times (the grid
// is always the same; the random trials are new each time) shows what to expect.

// %% id="repeat"
manualSeed(1);
const repeats = 1000;
const draws = rand([repeats, 9, 2]).toArray() as number[][][];
const randomBests = draws.map(bestOf);
const gridBest = bestOf(gridTrials);
const randomWins = randomBests.filter((v) => v > gridBest).length;
const meanRandomBest = randomBests.reduce((s, v) => s + v, 0) / repeats;
plot.histogram(randomBests, { bins: 25, title: `Best score of 9 random trials, 1000 repetitions (grid: ${gridBest.toFixed(3)})`, xlabel: "best score found", ylabel: "repetitions" })

// %% id="repeat-check"
// Random search beats this grid in most repetitions, and on average by a wide margin.
expect(randomWins / repeats).toBeGreaterThan(0.8);
expect(meanRandomBest).toBeGreaterThan(gridBest + 0.3);
({ "grid's best": gridBest.toFixed(3), "random's mean best": meanRandomBest.toFixed(3), "random better in": `${((100 * randomWins) / repeats).toFixed(1)}% of repetitions` })

// %% [markdown] id="advice"
// The grid here is not unlucky by construction: *any* 3 values of $a$ leave gaps of a third of the
// range, and a peak narrower than that is found only by chance. Random search has no such gaps
// in any single coordinate. It also has practical advantages: a run can be added or stopped at any
// time (a grid is only meaningful when complete), and a failed run does not leave a hole in a grid.
//
// Two more habits matter as much as the strategy:
//
// - **Search scale-type hyperparameters on a log scale.** Learning rates of $10^{-4}$ and $10^{-3}$ differ
//   as much as $10^{-2}$ and $10^{-1}$. Drawing $u$ uniformly in $[0, 1]$ and using
//   $\eta = \eta_{\min}\,(\eta_{\max}/\eta_{\min})^{u}$ gives each factor of ten the same share of trials.
// - **Make training a function of its hyperparameters**, so trying many settings costs compute time
//   rather than your time.
//
// Which strategy when, depending on how many evaluations the budget allows:
//
// | budget | strategy |
// |---|---|
// | very few evaluations | random search (and hope) |
// | few evaluations, each a long run | methods that stop poor settings early, from their partial learning curves (successive halving, Hyperband, freeze–thaw) |
// | a moderate number of evaluations | Bayesian optimisation: a model of the score guides where to try next |
// | many evaluations possible | random search — no need to overthink it |
//
// ## A real search
//
// Now a real problem: a one-hidden-layer network on the two-moons data, 600 points split into 400
// for training, 100 for validation and 100 for testing. Two hyperparameters: the learning rate of
// Adam and the number of hidden units. Each setting is trained for 250 full-batch steps from the
// same seed and scored by its validation accuracy. First a $5 \times 5$ grid.

// %% id="moons-data"
const [Xm, ym] = data.makeMoons(600, { noise: 0.25, seed: 8 });
const split = (a: number, b: number) => [Xm.slice(0, a, b), ym.slice(0, a, b).float().unsqueeze(1)] as const;
const [Xtr, ytr] = split(0, 400), [Xva, yva] = split(400, 500), [Xte, yte] = split(500, 600);
/** Trains the network for one setting; returns it. */
function fit(lr: number, width: number, steps = 250) {
  manualSeed(9);
  const net = new nn.Sequential(new nn.Linear(2, width), new nn.ReLU(), new nn.Linear(width, 1));
  const opt = new optim.Adam(net.parameters(), { lr });
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    F.bceWithLogits(net(Xtr), ytr).backward();
    opt.step();
  }
  return net;
}
const accuracy = (net: nn.Module, X: Tensor, y: Tensor) => noGrad(() => net(X).gt(0).float().eq(y).float().mean().item());
const lrs = [0.001, 0.003, 0.01, 0.03, 0.1], widths = [2, 4, 8, 16, 32];
const grid = widths.map((w) => lrs.map((lr) => accuracy(fit(lr, w), Xva, yva)));
plot.heatmap(grid, { x: lrs.map(String), y: widths.map(String), xlabel: "learning rate", ylabel: "hidden units", title: "Grid search: validation accuracy", showValues: true })

// %% [markdown] id="random-real-intro"
// Then random search with the same budget of 25 runs: the learning rate log-uniform in
// $[10^{-3}, 10^{-1}]$, the width log-uniform in $[2, 32]$ rounded to an integer.

// %% id="random-real"
manualSeed(10);
const u = rand([25, 2]).toArray() as number[][];
const randomSettings = u.map(([a, b]) => ({ lr: 0.001 * 100 ** a, width: Math.round(2 * 16 ** b) }));
const randomResults = randomSettings.map((s) => ({ ...s, val: accuracy(fit(s.lr, s.width), Xva, yva) }));
const bands = [["≥ 0.9", 0.9, 1.01], ["0.8 to 0.9", 0.8, 0.9], ["below 0.8", 0, 0.8]] as const;
plot.figure(
  bands.map(([name, lo, hi]) => {
    const inBand = randomResults.filter((r) => r.val >= lo && r.val < hi);
    return { type: "scatter", mode: "markers", name, x: inBand.map((r) => r.lr), y: inBand.map((r) => r.width), marker: { size: 12 } };
  }),
  { title: { text: "Random search: 25 settings, coloured by validation accuracy" }, xaxis: { type: "log", title: { text: "learning rate" } }, yaxis: { type: "log", title: { text: "hidden units" } }, height: 420 },
)

// %% id="search-results"
let gridChoice = { lr: 0, width: 0, val: -1 };
widths.forEach((w, i) => lrs.forEach((lr, j) => { if (grid[i][j] > gridChoice.val) gridChoice = { lr, width: w, val: grid[i][j] }; }));
const randomChoice = randomResults.reduce((best, r) => (r.val > best.val ? r : best));
// The test set, once, for the model we finally pick (the better validation score of the two searches).
const chosen = randomChoice.val > gridChoice.val ? randomChoice : gridChoice;
const testAccuracy = accuracy(fit(chosen.lr, chosen.width), Xte, yte);
({
  "grid: distinct learning rates": new Set(lrs).size,
  "random: distinct learning rates": new Set(randomResults.map((r) => r.lr)).size,
  "grid's best": { lr: gridChoice.lr, width: gridChoice.width, val: gridChoice.val },
  "random's best": { lr: +randomChoice.lr.toPrecision(3), width: randomChoice.width, val: randomChoice.val },
  "test accuracy of the chosen setting": testAccuracy,
})

// %% id="search-check"
// Both searches find a setting that solves the task well; the random one tried five times as many
// learning rates; the chosen model does about as well on the untouched test set as on validation.
expect(new Set(randomResults.map((r) => r.lr)).size).toBe(25);
expect(gridChoice.val).toBeGreaterThanOrEqual(0.9);
expect(randomChoice.val).toBeGreaterThanOrEqual(0.9);
expect(Math.abs(testAccuracy - chosen.val)).toBeLessThan(0.08);
// The smallest learning rate with the narrowest network is far worse: the choice matters.
expect(grid[0][0]).toBeLessThan(gridChoice.val - 0.1);

// %% [markdown] id="search-reading"
// Read the grid row by row and column by column: changing the learning rate moves the accuracy by
// up to 0.15, while beyond 4 hidden units the width changes it much less. On this problem the
// learning rate is the important hyperparameter and the width the unimportant one — the situation
// of the toy example — and the random search, which tried 25 different learning rates instead of 5,
// reached the same best accuracy without depending on where the grid's 5 values happened to fall.

// %% id="importance-check"
{
  // Spread of the validation accuracy along each axis, for widths of 4 and more.
  const rows = grid.slice(1);
  const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
  const alongLr = rows.map(spread), alongWidth = lrs.map((_, j) => spread(rows.map((r) => r[j])));
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  expect(Math.max(...grid.map(spread))).toBeGreaterThanOrEqual(0.1);
  expect(mean(alongLr)).toBeGreaterThan(1.5 * mean(alongWidth));
  console.log(`mean spread along the learning rate: ${mean(alongLr).toFixed(3)}; along the width: ${mean(alongWidth).toFixed(3)}`);
}

// %% [markdown] id="halving-intro"
// ## Stopping poor settings early: successive halving
//
// When each run is long, most of the budget of a plain search goes into finishing settings that were
// obviously bad after a few epochs. **Successive halving** — the core of Hyperband — starts many
// settings with a small budget, keeps the best third (or half), gives the survivors three times more
// steps, and repeats. Here: 27 random settings get 25 steps, the best 9 continue to 75, the best 3
// to 225. Each run resumes where it stopped, so a survivor is never retrained from scratch.

// %% id="halving"
manualSeed(11);
const halvingSettings = (rand([27, 2]).toArray() as number[][]).map(([a, b]) => ({ lr: 0.001 * 100 ** a, width: Math.round(2 * 16 ** b) }));
type Run = { lr: number; width: number; net: nn.Module; opt: optim.Optimizer; steps: number; val: number };
let alive: Run[] = halvingSettings.map((s) => {
  manualSeed(9);
  const net = new nn.Sequential(new nn.Linear(2, s.width), new nn.ReLU(), new nn.Linear(s.width, 1));
  return { ...s, net, opt: new optim.Adam(net.parameters(), { lr: s.lr }), steps: 0, val: 0 };
});
let stepsSpent = 0;
const rounds: { budget: number; runs: number; bestVal: number }[] = [];
for (const budget of [25, 75, 225]) {
  for (const r of alive) {
    for (; r.steps < budget; r.steps++, stepsSpent++) {
      r.opt.zeroGrad();
      F.bceWithLogits(r.net(Xtr), ytr).backward();
      r.opt.step();
    }
    r.val = accuracy(r.net, Xva, yva);
  }
  alive.sort((p, q) => q.val - p.val);
  rounds.push({ budget, runs: alive.length, bestVal: alive[0].val });
  if (budget < 225) alive = alive.slice(0, alive.length / 3);
}
const winner = alive[0];
const fullCost = 27 * 225;
plot.bar(rounds.map((r) => `${r.runs} runs × ${r.budget} steps`), rounds.map((r) => r.bestVal), { title: `Successive halving: best validation accuracy per round (${stepsSpent} of ${fullCost} steps)`, ylabel: "best validation accuracy" })

// %% id="halving-check"
// A quarter of the compute of training all 27 settings fully, and the survivor is a good model.
expect(stepsSpent).toBe(27 * 25 + 9 * 50 + 3 * 150);
expect(stepsSpent / fullCost).toBeLessThan(0.3);
expect(winner.val).toBeGreaterThanOrEqual(0.9);
({ "steps spent": stepsSpent, "steps to train all 27 fully": fullCost, winner: { lr: +winner.lr.toPrecision(3), width: winner.width, val: winner.val } })

// %% [markdown] id="summary"
// ## Summary
//
// - Hyperparameters (layers, units, activation, learning rate, batch size, epochs, penalties) are
//   chosen by trying settings and scoring them on the validation set; the test set is used once.
// - With the same budget, a grid tries only a few distinct values of each hyperparameter; random
//   search tries a new value of every hyperparameter in every run, which pays off because only a
//   few of them usually matter.
// - Sample learning rates and other scale parameters log-uniformly.
// - Very few or very many evaluations: random search. Long runs: stop poor settings early
//   (successive halving, Hyperband). A moderate budget: Bayesian optimisation.

// %% [markdown] id="exercises"
// ## Exercises
//
// **Exercise 1 — a grid.** Write `gridPoints(as, bs)` returning every pair `[a, b]` with `a` from
// the array `as` and `b` from `bs`, ordered by `a` first (all pairs with `as[0]`, then `as[1]`, …),
// and within one `a` in the order of `bs`.

// %% id="ex-grid"
function gridPoints(as: number[], bs: number[]): number[][] {
  // BEGIN SOLUTION
  // STUB: return []; // replace with your code
  return as.flatMap((a) => bs.map((b) => [a, b]));
  // END SOLUTION
}

// %% id="test-grid"
// @test grid_small 1 point
expect(await student.call("gridPoints", [1, 2], [10, 20])).toEqual([[1, 10], [1, 20], [2, 10], [2, 20]]);

// %% id="test-grid-hidden"
// @test grid_sizes 2 points hidden
{
  const g = (await student.call("gridPoints", [0.1, 0.01, 0.001], [8, 16, 32, 64])) as number[][];
  expect(g.length).toBe(12);
  expect(g[5]).toEqual([0.01, 16]);
  expect(g[11]).toEqual([0.001, 64]);
  expect(await student.call("gridPoints", [5], [])).toEqual([]);
}

// %% [markdown] id="ex-log-prompt"
// **Exercise 2 — log-uniform sampling.** Write `logUniform(u, lo, hi)` that maps a number `u`
// drawn uniformly from $[0, 1]$ to a value between `lo` and `hi` such that every factor of ten gets the
// same share: $\text{lo}\cdot(\text{hi}/\text{lo})^{u}$. (So `u = 0.5` with `lo = 1e-4`, `hi = 1e-2` gives `1e-3`.)

// %% id="ex-log"
function logUniform(u: number, lo: number, hi: number): number {
  // BEGIN SOLUTION
  // STUB: return lo + u * (hi - lo); // replace with your code
  return lo * (hi / lo) ** u;
  // END SOLUTION
}

// %% id="test-log"
// @test log_midpoint 1 point
expect(await student.call("logUniform", 0.5, 1e-4, 1e-2)).toBeCloseTo(1e-3, { rtol: 1e-9 });

// %% id="test-log-hidden"
// @test log_values 2 points hidden
{
  expect(await student.call("logUniform", 0, 3e-5, 0.3)).toBeCloseTo(3e-5, { rtol: 1e-9 });
  expect(await student.call("logUniform", 1, 3e-5, 0.3)).toBeCloseTo(0.3, { rtol: 1e-9 });
  expect(await student.call("logUniform", 0.25, 1e-4, 1)).toBeCloseTo(1e-3, { rtol: 1e-9 });
  expect(await student.call("logUniform", 0.9, 2, 32)).toBeCloseTo(2 * 16 ** 0.9, { rtol: 1e-9 });
}

// %% [markdown] id="ex-distinct-prompt"
// **Exercise 3 — counting what a search explored.** Write `distinctValues(trials, dim)`: `trials` is an
// array of settings (each an array of numbers); return how many *different* values coordinate `dim`
// takes across the trials. For a 4 × 4 grid over two hyperparameters the answer is 4 for either
// coordinate; for 16 random settings it is 16.

// %% id="ex-distinct"
function distinctValues(trials: number[][], dim: number): number {
  // BEGIN SOLUTION
  // STUB: return trials.length; // replace with your code
  return new Set(trials.map((t) => t[dim])).size;
  // END SOLUTION
}

// %% id="test-distinct"
// @test distinct_grid 1 point
expect(await student.call("distinctValues", [[1, 5], [1, 6], [2, 5], [2, 6]], 0)).toBe(2);

// %% id="test-distinct-hidden"
// @test distinct_cases 2 points hidden
{
  const g: number[][] = [];
  for (const a of [0.1, 0.2, 0.3]) for (const b of [1, 2, 3, 4, 5]) g.push([a, b, 7]);
  expect(await student.call("distinctValues", g, 0)).toBe(3);
  expect(await student.call("distinctValues", g, 1)).toBe(5);
  expect(await student.call("distinctValues", g, 2)).toBe(1);
  expect(await student.call("distinctValues", [[0.5], [0.25], [0.125]], 0)).toBe(3);
}
