/**
 * Teaching plots: a 2-D classifier's decision boundary over its data (XOR, moons, spirals), a
 * confusion matrix, and a learning-rate comparison. Built on plot.ts's Figure builders.
 */
import { noGrad } from "../autograd/grad-mode.js";
import { fromArray } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { PALETTE, plotlyScale } from "./color.js";
import { Figure, type Trace } from "./figure.js";
import { baseLayout, plot, type PlotOptions } from "./plot.js";
import { finiteRange, readTensor, round, toNumbers, type Numbers } from "./values.js";

/** Options of decisionBoundary(). */
export interface DecisionBoundaryOptions extends PlotOptions {
  /** Grid points per axis (default 60). */
  resolution?: number;
  /** Margin around the data, as a fraction of its extent (default 0.15). */
  margin?: number;
}

/** Class indices of a labels tensor or array ([N], [N,1] or one-hot/logits [N,K]). */
function classesOf(y: Tensor | Numbers, what: string): number[] {
  if (y instanceof Tensor && y.ndim === 2 && y.shape[1] > 1) {
    const { shape, data } = readTensor(y);
    return Array.from({ length: shape[0] }, (_, i) => {
      let best = 0;
      for (let k = 1; k < shape[1]; k++) if (data[i * shape[1] + k] > data[i * shape[1] + best]) best = k;
      return best;
    });
  }
  const v = y instanceof Tensor ? Array.from(readTensor(y).data) : toNumbers(y, what);
  return v.map((c) => Math.round(c));
}

/**
 * The decision regions of a 2-D classifier (a model or `x => scores`) with the data points on top.
 * One output column: probabilities (or logits, squashed by a sigmoid); several: the argmax class.
 */
export function decisionBoundary(predict: ((x: Tensor) => Tensor) | { forward(x: Tensor): Tensor }, X: Tensor, y: Tensor | Numbers, opts: DecisionBoundaryOptions = {}): Figure {
  if (X.ndim !== 2 || X.shape[1] !== 2) throw new Error(`decisionBoundary: X must be [N, 2] points, got shape [${X.shape.join(", ")}]`);
  const { data } = readTensor(X);
  const labels = classesOf(y, "decisionBoundary y");
  if (labels.length !== X.shape[0]) throw new Error(`decisionBoundary: ${labels.length} labels for ${X.shape[0]} points`);
  const px = Array.from({ length: X.shape[0] }, (_, i) => data[2 * i]), py = Array.from({ length: X.shape[0] }, (_, i) => data[2 * i + 1]);
  const res = opts.resolution ?? 60;
  const axis = (v: number[]) => {
    const [lo, hi] = finiteRange(v);
    const pad = (hi - lo || 1) * (opts.margin ?? 0.15);
    return Array.from({ length: res }, (_, i) => round(lo - pad + ((hi - lo + 2 * pad) * i) / (res - 1)));
  };
  const gx = axis(px), gy = axis(py);
  const grid = new Float32Array(res * res * 2);
  for (let r = 0; r < res; r++) for (let c = 0; c < res; c++) grid.set([gx[c], gy[r]], 2 * (r * res + c));
  const call = typeof predict === "function" ? predict : (x: Tensor) => predict.forward(x);
  const out = noGrad(() => call(fromArray(grid, [res * res, 2], { dtype: X.dtype === "float64" ? "float64" : "float32" })));
  if (!(out instanceof Tensor) || out.shape[0] !== res * res) throw new Error(`decisionBoundary: the model must map [M, 2] to [M] or [M, K] scores`);
  const { shape, data: scores } = readTensor(out);
  const k = shape.length === 2 ? shape[1] : 1;
  let z: number[][], trace: Partial<Trace>;
  if (k === 1) {
    const [lo, hi] = finiteRange(scores);
    const squash = lo < 0 || hi > 1; // logits, not probabilities
    z = Array.from({ length: res }, (_, r) => Array.from({ length: res }, (_, c) => {
      const s = scores[r * res + c];
      return Math.round((squash ? 1 / (1 + Math.exp(-s)) : s) * 1000) / 1000; // 3 digits: enough for colour
    }));
    trace = { zmin: 0, zmax: 1, colorscale: plotlyScale("rdbu"), colorbar: { title: { text: "p(class 1)" }, len: 0.8, y: 0.4 } };
  } else {
    z = Array.from({ length: res }, (_, r) => Array.from({ length: res }, (_, c) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (scores[(r * res + c) * k + j] > scores[(r * res + c) * k + best]) best = j;
      return best;
    }));
    trace = { zmin: 0, zmax: k - 1, colorscale: plotlyScale("viridis"), showscale: false };
  }
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const points: Trace[] = classes.map((cl) => {
    const idx = labels.flatMap((l, i) => (l === cl ? [i] : []));
    return {
      type: "scatter", mode: "markers", name: `class ${cl}`, x: idx.map((i) => round(px[i])), y: idx.map((i) => round(py[i])),
      marker: { color: k === 1 ? (cl === 0 ? "#2166ac" : "#b2182b") : PALETTE[cl % PALETTE.length], size: 7, line: { color: "#fff", width: 1 } },
    };
  });
  return new Figure(
    [{ type: "heatmap", x: gx, y: gy, z, opacity: 0.55, hoverinfo: "skip", ...trace }, ...points],
    baseLayout({ title: "Decision boundary", xlabel: "x1", ylabel: "x2", ...opts }, { showlegend: true, legend: { x: 1.02, y: 1, yanchor: "top" } }),
  );
}

/** Options of confusionMatrix(). */
export interface ConfusionMatrixOptions extends PlotOptions {
  /** Class names (default 0..K-1). */
  labels?: string[];
  /** Number of classes (default: the largest index seen + 1, or labels.length). */
  numClasses?: number;
}

/** Counts of (true class, predicted class); `yPred` may be class indices or scores [N, K]. */
export function confusionCounts(yTrue: Tensor | Numbers, yPred: Tensor | Numbers, numClasses?: number): number[][] {
  const t = classesOf(yTrue, "confusionMatrix yTrue"), p = classesOf(yPred, "confusionMatrix yPred");
  if (t.length !== p.length) throw new Error(`confusionMatrix: ${t.length} true labels but ${p.length} predictions`);
  const k = numClasses ?? Math.max(...t, ...p) + 1;
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  t.forEach((c, i) => {
    if (c < 0 || c >= k || p[i] < 0 || p[i] >= k) throw new Error(`confusionMatrix: class ${c < 0 || c >= k ? c : p[i]} outside 0..${k - 1}`);
    m[c][p[i]]++;
  });
  return m;
}

/** A confusion matrix heatmap (rows: true class, columns: predicted) with counts in the cells. */
export function confusionMatrix(yTrue: Tensor | Numbers, yPred: Tensor | Numbers, opts: ConfusionMatrixOptions = {}): Figure {
  const counts = confusionCounts(yTrue, yPred, opts.numClasses ?? opts.labels?.length);
  const names = opts.labels ?? counts.map((_, i) => String(i));
  if (names.length !== counts.length) throw new Error(`confusionMatrix: ${names.length} labels for ${counts.length} classes`);
  return plot.heatmap(counts, { title: "Confusion matrix", xlabel: "predicted", ylabel: "true", ...opts, x: names, y: names, showValues: true });
}

/** Loss curves of runs with different learning rates, on a log axis: `lrComparison({ "0.1": losses, "1": … })`. */
export function lrComparison(runs: Record<string, Numbers> | Map<string | number, Numbers>, opts: PlotOptions = {}): Figure {
  const entries = runs instanceof Map ? [...runs].map(([k, v]) => [String(k), v] as const) : Object.entries(runs);
  // Object keys like "1" come before "0.1" in JS: order numeric learning rates by value.
  if (entries.every(([k]) => Number.isFinite(Number(k)))) entries.sort((a, b) => Number(a[0]) - Number(b[0]));
  const named = Object.fromEntries(entries.map(([k, v]) => [k.startsWith("lr") ? k : `lr=${k}`, v]));
  if (Object.keys(named).length === 0) throw new Error("lrComparison: no runs given");
  return plot.line(named, { title: "Learning-rate comparison", xlabel: "step", ylabel: "loss", logy: true, ...opts });
}
