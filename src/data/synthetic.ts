/**
 * Generated teaching sets: logic gates (AND/OR/XOR…), blobs, moons, circles and spirals,
 * following scikit-learn's make_* recipes. Each returns `[X, y]` tensors; nothing is read
 * from disk here (see datasets.ts for files).
 */
import type { Tensor } from "../tensor/tensor.js";
import { fromData } from "../nn/tensor-util.js";
import { checkOptions } from "../ops/options.js";
import { dataRng } from "./rng.js";
import { labelTensor } from "./labels.js";
import type { Generator } from "../random.js";

/** The two-input logic gates. */
export type Gate = "and" | "or" | "xor" | "nand" | "nor" | "xnor";

const GATES: Record<Gate, (a: number, b: number) => number> = {
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
  nand: (a, b) => 1 - (a & b),
  nor: (a, b) => 1 - (a | b),
  xnor: (a, b) => 1 - (a ^ b),
};

/**
 * The truth table of a two-input gate: `X` float32 [4, 2] (rows 00, 01, 10, 11) and `y`
 * float32 [4, 1] of 0/1 targets, ready for BCELoss or MSELoss.
 */
export function logicGate(gate: Gate): [Tensor, Tensor] {
  const f = GATES[gate];
  if (!f) throw new Error(`logicGate: unknown gate "${gate}"; expected one of ${Object.keys(GATES).join(", ")}`);
  const x = [0, 0, 0, 1, 1, 0, 1, 1];
  const y = [f(0, 0), f(0, 1), f(1, 0), f(1, 1)];
  return [fromData(x, [4, 2]), fromData(y, [4, 1])];
}

/** XOR's truth table: same as `logicGate("xor")`. */
export function xor(): [Tensor, Tensor] {
  return logicGate("xor");
}

/** Common options of the point-cloud generators. */
export interface GeneratorOptions {
  /** Standard deviation of Gaussian noise added to each coordinate. */
  noise?: number;
  /** Seed for reproducible data; without it the global generator (`manualSeed`) decides. */
  seed?: number;
  /** A generator to draw from instead of a seed. */
  generator?: Generator;
  /** Shuffle the samples [true]. */
  shuffle?: boolean;
}

function finish(x: Float32Array, y: Int32Array, d: number, rng: Generator, shuffle: boolean): [Tensor, Tensor] {
  const n = y.length;
  if (shuffle) {
    const p = rng.permutation(n);
    const x2 = new Float32Array(x.length);
    const y2 = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y2[i] = y[p[i]];
      for (let k = 0; k < d; k++) x2[i * d + k] = x[p[i] * d + k];
    }
    x = x2;
    y = y2;
  }
  return [fromData(x, [n, d]), labelTensor(y)];
}

const COMMON = ["noise", "seed", "generator", "shuffle"] as const;

function checkCount(op: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${op}: nSamples must be a positive integer, got ${n}`);
}

/**
 * Two interleaving half circles (sklearn's make_moons): `X` float32 [n, 2], `y` class indices [n]
 * with class 0 the upper moon and 1 the lower.
 */
export function makeMoons(nSamples = 100, options?: GeneratorOptions): [Tensor, Tensor] {
  checkCount("makeMoons", nSamples);
  const opts = checkOptions("makeMoons", options, [...COMMON]);
  const rng = dataRng(opts.seed, opts.generator);
  const noise = opts.noise ?? 0;
  const nOut = Math.floor(nSamples / 2);
  const nIn = nSamples - nOut;
  const x = new Float32Array(nSamples * 2);
  const y = new Int32Array(nSamples);
  const lin = (i: number, m: number) => (m === 1 ? 0 : (Math.PI * i) / (m - 1));
  for (let i = 0; i < nOut; i++) {
    x[2 * i] = Math.cos(lin(i, nOut));
    x[2 * i + 1] = Math.sin(lin(i, nOut));
  }
  for (let i = 0; i < nIn; i++) {
    const j = nOut + i;
    x[2 * j] = 1 - Math.cos(lin(i, nIn));
    x[2 * j + 1] = 1 - Math.sin(lin(i, nIn)) - 0.5;
    y[j] = 1;
  }
  if (noise > 0) for (let i = 0; i < x.length; i++) x[i] += noise * rng.normal();
  return finish(x, y, 2, rng, opts.shuffle ?? true);
}

/**
 * A large circle containing a smaller one (sklearn's make_circles): class 0 outer, 1 inner,
 * the inner radius being `factor` (0.8) times the outer.
 */
export function makeCircles(nSamples = 100, options?: GeneratorOptions & { factor?: number }): [Tensor, Tensor] {
  checkCount("makeCircles", nSamples);
  const opts = checkOptions("makeCircles", options, [...COMMON, "factor"]);
  const factor = opts.factor ?? 0.8;
  if (!(factor >= 0 && factor < 1)) throw new Error(`makeCircles: factor must be in [0, 1), got ${factor}`);
  const rng = dataRng(opts.seed, opts.generator);
  const noise = opts.noise ?? 0;
  const nOut = Math.floor(nSamples / 2);
  const nIn = nSamples - nOut;
  const x = new Float32Array(nSamples * 2);
  const y = new Int32Array(nSamples);
  for (let i = 0; i < nOut; i++) {
    const t = (2 * Math.PI * i) / nOut;
    x[2 * i] = Math.cos(t);
    x[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = (2 * Math.PI * i) / nIn;
    const j = nOut + i;
    x[2 * j] = factor * Math.cos(t);
    x[2 * j + 1] = factor * Math.sin(t);
    y[j] = 1;
  }
  if (noise > 0) for (let i = 0; i < x.length; i++) x[i] += noise * rng.normal();
  return finish(x, y, 2, rng, opts.shuffle ?? true);
}

/** Options of makeBlobs. */
export interface BlobOptions extends GeneratorOptions {
  /** Number of clusters [3], or the cluster centres themselves ([k][nFeatures]). */
  centers?: number | number[][];
  /** Dimensions of each point [2]. */
  nFeatures?: number;
  /** Standard deviation of each cluster [1.0]. */
  clusterStd?: number;
  /** Range of the random cluster centres [-10, 10]. */
  centerBox?: [number, number];
}

/** Isotropic Gaussian clusters (sklearn's make_blobs): `X` float32 [n, nFeatures], `y` class indices [n]. */
export function makeBlobs(nSamples = 100, options?: BlobOptions): [Tensor, Tensor] {
  checkCount("makeBlobs", nSamples);
  const opts = checkOptions("makeBlobs", options, [...COMMON, "centers", "nFeatures", "clusterStd", "centerBox"]);
  const rng = dataRng(opts.seed, opts.generator);
  const given = Array.isArray(opts.centers) ? opts.centers : null;
  const k = given ? given.length : (opts.centers as number | undefined) ?? 3;
  const d = given ? given[0].length : opts.nFeatures ?? 2;
  const std = opts.clusterStd ?? 1.0;
  const [lo, hi] = opts.centerBox ?? [-10, 10];
  if (given && given.some((c) => c.length !== d)) throw new Error(`makeBlobs: every centre needs ${d} coordinates`);
  const centres = given ? given.flat() : Array.from({ length: k * d }, () => lo + (hi - lo) * rng.random());
  const x = new Float32Array(nSamples * d);
  const y = new Int32Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    // Cluster sizes differ by at most one, as in sklearn.
    const c = Math.min(k - 1, Math.floor((i * k) / nSamples));
    y[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = centres[c * d + j] + std * rng.normal();
  }
  return finish(x, y, d, rng, opts.shuffle ?? true);
}

/**
 * Interleaved spiral arms (the CS231n spiral set): `classes` arms of `nSamples / classes`
 * points each, radius growing from 0 to 1 while the angle turns 4 radians plus noise (0.2).
 */
export function makeSpirals(nSamples = 300, options?: GeneratorOptions & { classes?: number }): [Tensor, Tensor] {
  checkCount("makeSpirals", nSamples);
  const opts = checkOptions("makeSpirals", options, [...COMMON, "classes"]);
  const rng = dataRng(opts.seed, opts.generator);
  const k = opts.classes ?? 3;
  const noise = opts.noise ?? 0.2;
  const x = new Float32Array(nSamples * 2);
  const y = new Int32Array(nSamples);
  let i = 0;
  for (let c = 0; c < k; c++) {
    const m = Math.floor(nSamples / k) + (c < nSamples % k ? 1 : 0);
    for (let j = 0; j < m; j++, i++) {
      const r = m === 1 ? 0 : j / (m - 1);
      const t = c * 4 + (m === 1 ? 0 : (4 * j) / (m - 1)) + noise * rng.normal();
      x[2 * i] = r * Math.sin(t);
      x[2 * i + 1] = r * Math.cos(t);
      y[i] = c;
    }
  }
  return finish(x, y, 2, rng, opts.shuffle ?? true);
}
