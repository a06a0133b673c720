// The gradnote side of each PyTorch parity case (fixtures/*.json, written by gen.py): one runner
// per `op` name, written as a PyTorch user would port the generator's torch call. A runner gets
// the case's inputs as tensors on the backend under test and returns the outputs (and, for
// modules, the parameters whose gradients are compared after the input's).
import * as G from "../../src/index.js";
import { nn, optim, Tensor, noGrad } from "../../src/index.js";

const F = G.functional;
/** The case's options as written by gen.py (camelCase keys, JSON values). */
export type Opts = Record<string, any>;
/** What a runner returns: the outputs, and extra leaves (module parameters) for gradients. */
export interface RunResult {
  out: Tensor[];
  leaves?: Tensor[];
}
/** Where the case runs: backend name and float dtype. */
export interface RunCtx {
  device: string;
  dtype: "float32" | "float64";
}
type Runner = (xs: Tensor[], o: Opts, ctx: RunCtx) => Tensor | Tensor[] | RunResult;

const num = (v: unknown): number => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : Number(v));
/** Flattens a module's nested outputs ([y, [h, c]]) into a list of tensors. */
const flatOut = (v: unknown): Tensor[] => (v instanceof Tensor ? [v] : (v as unknown[]).flatMap(flatOut));
/** `max(x, dim)` as PyTorch returns it: values and indices (older runtimes return values only). */
function valuesIndices(r: any, x: Tensor, dim: number, keepdim: boolean, arg: "argmax" | "argmin"): Tensor[] {
  if (r instanceof Tensor) return [r, G[arg](x, dim, keepdim)];
  return [r.values ?? r[0], r.indices ?? r[1]];
}

/** (values, indices) results as a list. */
const pair = (r: { values: Tensor; indices: Tensor }): Tensor[] => [r.values, r.indices];

const unaryNames = [
  "neg", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "sign",
  "floor", "ceil", "round", "reciprocal", "square", "erf", "isnan", "logicalNot",
] as const;
const binaryNames = [
  "add", "sub", "mul", "div", "pow", "maximum", "minimum", "remainder", "atan2", "eq", "ne", "lt", "le", "gt", "ge",
  "logicalAnd", "logicalOr", "logicalXor",
] as const;

const ops: Record<string, Runner> = {
  powScalar: ([x], o) => G.pow(x, o.p),
  where: ([c, a, b]) => G.where(c, a, b),
  whereScalar: ([c, x]) => G.where(c, x, 0),
  whereExpBranch: ([x]) => G.where(G.gt(x, 0), x, G.exp(G.mul(x, 1000))),
  clamp: ([x], o) => G.clamp(x, o.min ?? null, o.max ?? null),
  clampT: ([x, lo, hi]) => G.clamp(x, lo, hi),
  sum: ([x], o) => G.sum(x, o.dims, o.keepdim ?? false),
  mean: ([x], o) => G.mean(x, o.dims, o.keepdim ?? false),
  prod: ([x], o) => G.prod(x, o.dims, o.keepdim ?? false),
  maxAll: ([x]) => G.max(x),
  minAll: ([x]) => G.min(x),
  maxDim: ([x], o) => valuesIndices(G.max(x, o.dim, o.keepdim ?? false), x, o.dim, o.keepdim ?? false, "argmax"),
  minDim: ([x], o) => valuesIndices(G.min(x, o.dim, o.keepdim ?? false), x, o.dim, o.keepdim ?? false, "argmin"),
  amax: ([x], o) => ((G as any).amax ?? G.max)(x, o.dims, o.keepdim ?? false),
  amin: ([x], o) => ((G as any).amin ?? G.min)(x, o.dims, o.keepdim ?? false),
  argmax: ([x], o) => G.argmax(x, o.dim, o.keepdim ?? false),
  argmin: ([x], o) => G.argmin(x, o.dim, o.keepdim ?? false),
  var: ([x], o) => G.var(x, o.dims, o.keepdim ?? false, { correction: o.correction, unbiased: o.unbiased }),
  std: ([x], o) => G.std(x, o.dims, o.keepdim ?? false, { correction: o.correction, unbiased: o.unbiased }),
  logsumexp: ([x], o) => G.logsumexp(x, o.dims, o.keepdim ?? false),
  all: ([x], o) => G.all(x, o.dims, o.keepdim ?? false),
  any: ([x], o) => G.any(x, o.dims, o.keepdim ?? false),
  matmul: ([a, b]) => G.matmul(a, b),
  mm: ([a, b]) => G.mm(a, b),
  dot: ([a, b]) => G.dot(a, b),
  bmm: ([a, b]) => G.bmm(a, b),
  reshape: ([x], o) => G.reshape(x, o.shape),
  flatten: ([x], o) => G.flatten(x, o.start, o.end ?? -1),
  squeeze: ([x], o) => G.squeeze(x, o.dim),
  unsqueeze: ([x], o) => G.unsqueeze(x, o.dim),
  permute: ([x], o) => G.permute(x, o.dims),
  transpose: ([x], o) => G.transpose(x, o.d0, o.d1),
  expand: ([x], o) => G.expand(x, o.shape),
  narrow: ([x], o) => G.narrow(x, o.dim, o.start, o.length),
  select: ([x], o) => G.select(x, o.dim, o.index),
  repeat: ([x], o) => G.repeat(x, o.sizes),
  clone: ([x]) => G.clone(x),
  cat: (xs, o) => G.cat(xs, o.dim),
  stack: (xs, o) => G.stack(xs, o.dim),
  split: ([x], o) => G.split(x, o.sizes, o.dim),
  chunk: ([x], o) => G.chunk(x, o.chunks, o.dim),
  unbind: ([x], o) => G.unbind(x, o.dim),
  gather: ([x, i], o) => G.gather(x, o.dim, i),
  scatterAdd: ([x, i, s], o) => G.scatterAdd(x, o.dim, i, s),
  indexSelect: ([x, i], o) => G.indexSelect(x, o.dim, i),
  indexAdd: ([x, i, s], o) => G.indexAdd(x, o.dim, i, s),
  maskedFill: ([x, m], o) => G.maskedFill(x, m, num(o.value)),
  maskedSelect: ([x, m]) => G.maskedSelect(x, m),
};
for (const n of unaryNames) ops[n] = ([x]) => (G[n] as (x: Tensor) => Tensor)(x);
for (const n of binaryNames) ops[n] = ([a, b]) => (G[n] as (a: Tensor, b: Tensor) => Tensor)(a, b);

const functional: Record<string, Runner> = {
  relu: ([x]) => F.relu(x),
  relu6: ([x]) => F.relu6(x),
  leakyRelu: ([x], o) => F.leakyRelu(x, o.negativeSlope ?? 0.01),
  elu: ([x], o) => F.elu(x, o.alpha ?? 1),
  selu: ([x]) => F.selu(x),
  hardtanh: ([x], o) => F.hardtanh(x, o.minVal ?? -1, o.maxVal ?? 1),
  silu: ([x]) => F.silu(x),
  softsign: ([x]) => F.softsign(x),
  gelu: ([x], o) => F.gelu(x, o.approximate ?? "none"),
  softplus: ([x], o) => F.softplus(x, o.beta ?? 1, o.threshold ?? 20),
  logSigmoid: ([x]) => (F as any).logSigmoid(x),
  sigmoid: ([x]) => F.sigmoid(x),
  tanh: ([x]) => F.tanh(x),
  softmax: ([x], o) => F.softmax(x, o.dim),
  logSoftmax: ([x], o) => F.logSoftmax(x, o.dim),
  softmin: ([x], o) => F.softmin(x, o.dim),
};

const loss: Record<string, Runner> = {
  mseLoss: ([x, t], o) => F.mseLoss(x, t, o),
  l1Loss: ([x, t], o) => F.l1Loss(x, t, o),
  huberLoss: ([x, t], o) => F.huberLoss(x, t, o),
  smoothL1Loss: ([x, t], o) => F.smoothL1Loss(x, t, o),
  crossEntropy: ([x, t], o) => F.crossEntropy(x, t, o),
  crossEntropyW: ([x, t, w], o) => F.crossEntropy(x, t, { ...o, weight: w }),
  nllLoss: ([x, t], o) => F.nllLoss(x, t, o),
  nllLossW: ([x, t, w], o) => F.nllLoss(x, t, { ...o, weight: w }),
  bce: ([x, t], o) => F.bce(x, t, o),
  bceW: ([x, t, w], o) => F.bce(x, t, { ...o, weight: w }),
  bceWithLogits: ([x, t], o) => F.bceWithLogits(x, t, o),
  bceWithLogitsPW: ([x, t, pw], o) => F.bceWithLogits(x, t, { ...o, posWeight: pw }),
  hingeEmbeddingLoss: ([x, t], o) => F.hingeEmbeddingLoss(x, t, o),
  marginRankingLoss: ([a, b, t], o) => F.marginRankingLoss(a, b, t, o),
  multiMarginLoss: ([x, t], o) => F.multiMarginLoss(x, t, o),
};

const conv: Record<string, Runner> = {
  conv2d: ([x, w, b], o) => F.conv2d(x, w, b ?? null, o),
  conv1d: ([x, w, b], o) => F.conv1d(x, w, b ?? null, o),
  unfold: ([x], o) => F.unfold(x, o.kernelSize, { stride: o.stride, padding: o.padding }),
  maxPool2d: ([x], { kernelSize, ...o }) => F.maxPool2d(x, kernelSize, o),
  avgPool2d: ([x], { kernelSize, ...o }) => F.avgPool2d(x, kernelSize, o),
  maxPool1d: ([x], { kernelSize, ...o }) => F.maxPool1d(x, kernelSize, o),
  avgPool1d: ([x], { kernelSize, ...o }) => F.avgPool1d(x, kernelSize, o),
  adaptiveAvgPool2d: ([x], o) => F.adaptiveAvgPool2d(x, o.outputSize),
  adaptiveAvgPool1d: ([x], o) => F.adaptiveAvgPool1d(x, o.outputSize),
  pad: ([x], o) => F.pad(x, o.padding, o.value ?? 0),
  linear: ([x, w, b]) => F.linear(x, w, b ?? null),
};

const misc: Record<string, Runner> = {
  layerNorm: ([x, w, b], o) => F.layerNorm(x, o.shape, w ?? null, b ?? null, o.eps ?? 1e-5),
  batchNorm: ([x, w, b], o) => F.batchNorm(x, null, null, { weight: w ?? null, bias: b ?? null, training: o.training, eps: o.eps }),
  batchNormRunning: ([x, rm, rv], o) => F.batchNorm(x, rm, rv, { training: o.training }),
  normalize: ([x], o) => F.normalize(x, num(o.p ?? 2), o.dim ?? 1),
  cosineSimilarity: ([a, b]) => F.cosineSimilarity(a, b),
  pairwiseDistance: ([a, b], o) => F.pairwiseDistance(a, b, num(o.p ?? 2)),
  embedding: ([i, w]) => F.embedding(i, w),
  oneHot: ([i], o) => F.oneHot(i, o.numClasses),
  dropoutEval: ([x]) => F.dropout(x, 0.5, false),
  dropoutP0: ([x]) => F.dropout(x, 0, true),
};

/** Fills the module's parameters like gen.py (0.5·sin(1.3·i + k + 1)) and runs forward. */
function runModule(m: nn.Module, x: Tensor, ctx: RunCtx, train = true): RunResult {
  m.to(ctx.dtype).to(ctx.device);
  m.train(train);
  const ps = m.parameters();
  noGrad(() => ps.forEach((p, k) => p.copy_(fillLike(p, k + 1))));
  return { out: flatOut(m.forward(x)), leaves: ps };
}

function fillLike(p: Tensor, seed: number): Tensor {
  const data = Array.from({ length: p.numel() }, (_, i) => 0.5 * Math.sin(1.3 * i + seed));
  return G.fromArray(data, p.shape, { dtype: p.dtype as "float32" | "float64", device: p.device });
}

const rnnOpts = (o: Opts) => ({
  numLayers: o.numLayers, batchFirst: o.batchFirst, bidirectional: o.bidirectional, bias: o.bias, ...(o.nonlinearity ? { nonlinearity: o.nonlinearity } : {}),
});

const modules: Record<string, Runner> = {
  Linear: ([x], o, ctx) => runModule(new nn.Linear(o.args[0], o.args[1], { bias: o.bias ?? true }), x, ctx),
  Conv2d: ([x], { args, ...o }, ctx) => runModule(new nn.Conv2d(args[0], args[1], args[2], o), x, ctx),
  Conv1d: ([x], { args, ...o }, ctx) => runModule(new nn.Conv1d(args[0], args[1], args[2], o), x, ctx),
  BatchNorm1d: ([x], o, ctx) => runModule(new nn.BatchNorm1d(o.args[0], { eps: o.eps, momentum: o.momentum }), x, ctx),
  BatchNorm2d: ([x], o, ctx) => runModule(new nn.BatchNorm2d(o.args[0]), x, ctx, o.train ?? true),
  LayerNorm: ([x], o, ctx) => runModule(new nn.LayerNorm(o.args[0], { eps: o.eps, elementwiseAffine: o.elementwiseAffine, bias: o.bias }), x, ctx),
  RNN: ([x], o, ctx) => runModule(new nn.RNN(o.args[0], o.args[1], rnnOpts(o)), x, ctx),
  LSTM: ([x], o, ctx) => runModule(new nn.LSTM(o.args[0], o.args[1], rnnOpts(o)), x, ctx),
  GRU: ([x], o, ctx) => runModule(new nn.GRU(o.args[0], o.args[1], rnnOpts(o)), x, ctx),
  RNNCell: ([x], o, ctx) => runModule(new nn.RNNCell(o.args[0], o.args[1]), x, ctx),
  LSTMCell: ([x], o, ctx) => runModule(new nn.LSTMCell(o.args[0], o.args[1]), x, ctx),
  GRUCell: ([x], o, ctx) => runModule(new nn.GRUCell(o.args[0], o.args[1]), x, ctx),
  SequentialMlp: ([x], _o, ctx) => runModule(new nn.Sequential(
    new nn.Linear(4, 5), new nn.ReLU(), new nn.Linear(5, 3), new nn.Tanh(), new nn.Linear(3, 2), new nn.Sigmoid()), x, ctx),
  SequentialCnn: ([x], _o, ctx) => runModule(new nn.Sequential(
    new nn.Conv2d(1, 2, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(8, 3)), x, ctx),
  EmbeddingMod: ([i], o, ctx) => runModule(new nn.Embedding(o.args[0], o.args[1], { paddingIdx: o.paddingIdx ?? null }), i, ctx),
};

/** The ops issue 9 added: sort, topk, scans, norm, einsum, transposed conv, pad modes, …. */
const extra: Record<string, Runner> = {
  sort: ([x], o) => pair(G.sort(x, { dim: o.dim, descending: o.descending ?? false })),
  argsort: ([x], o) => G.argsort(x, { dim: o.dim, descending: o.descending ?? false }),
  topk: ([x], o) => pair(G.topk(x, o.k, { dim: o.dim, largest: o.largest ?? true })),
  cumsum: ([x], o) => G.cumsum(x, o.dim),
  cumprod: ([x], o) => G.cumprod(x, o.dim),
  norm: ([x], o) => G.norm(x, { ...(o.p === undefined ? {} : { p: num(o.p) }), dim: o.dim, keepdim: o.keepdim ?? false }),
  einsum: (xs, o) => G.einsum(o.eq, ...xs),
  convTranspose2d: ([x, w, b], o) => F.convTranspose2d(x, w, b ?? null, o),
  convTranspose1d: ([x, w, b], o) => F.convTranspose1d(x, w, b ?? null, o),
  fold: ([x], o) => F.fold(x, o.outputSize, o.kernelSize),
  foldOpts: ([x], { outputSize, kernelSize, ...o }) => F.fold(x, outputSize, kernelSize, o),
  klDiv: ([x, t], o) => F.klDiv(x, t, o),
  padMode: ([x], o) => F.pad(x, o.padding, o.mode),
  interpolate: ([x], o) => F.interpolate(x, o),
  clipGradNorm: ([p1, p2, g1, g2], o) => {
    G.add(G.sum(G.mul(p1, g1)), G.sum(G.mul(p2, g2))).backward();
    const total = nn.utils.clipGradNorm_([p1, p2], o.maxNorm, num(o.normType));
    return [total, p1.grad!.clone(), p2.grad!.clone()];
  },
  clipGradValue: ([p, g], o) => {
    G.sum(G.mul(p, g)).backward();
    nn.utils.clipGradValue_([p], o.clipValue);
    return p.grad!.clone();
  },
  ConvTranspose2d: ([x], { args, ...o }, ctx) => runModule(new nn.ConvTranspose2d(args[0], args[1], args[2], o), x, ctx),
  Upsample: ([x], o, ctx) => runModule(new nn.Upsample({ size: o.size, scaleFactor: o.scaleFactor, mode: o.mode }), x, ctx),
  ConvTranspose1d: ([x], { args, ...o }, ctx) => runModule(new nn.ConvTranspose1d(args[0], args[1], args[2], o), x, ctx),
  view: ([x], o) => G.view(x, o.shape),
  contiguousT: ([x]) => G.contiguous(G.transpose(x, 0, 1)),
  detachMul: ([x]) => G.mul(G.detach(x), x),
  // Booleans as PyTorch's torch.tensor(bool) would hold them.
  equal: ([a, b]) => G.tensor(G.equal(a, b)),
  allclose: ([a, b], o) => G.tensor(G.allclose(a, b, { rtol: o.rtol, atol: o.atol, equalNan: o.equalNan })),
  step: ([x], o) => F.step(x, o.valueAtZero ?? 1),
};

/** Parameterless modules and loss modules, built from the class name and constructor arguments. */
const moduleClass = (name: string) => (nn as unknown as Record<string, new (...a: unknown[]) => nn.Module>)[name];
const nnMore: Record<string, Runner> = {
  SimpleModule: ([x], o, ctx) => runModule(new (moduleClass(o.name))(...(o.args ?? [])), x, ctx, o.train ?? true),
  LossModule: (xs, o) => new (moduleClass(o.name))(o.opts ?? {}).forward(...xs),
  SequentialLinearReLU: ([x, w, b], _o, ctx) => {
    const m = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
    m.to(ctx.dtype).to(ctx.device);
    const [weight, bias] = m.parameters();
    noGrad(() => {
      weight.copy_(w);
      bias.copy_(b);
    });
    return { out: [m.forward(x)], leaves: [weight, bias] };
  },
  batchNormUpdate: ([x, rm, rv], o) => {
    const y = F.batchNorm(x, rm, rv, { training: true, momentum: o.momentum });
    return [y, rm.clone(), rv.clone()];
  },
};

/** LambdaLR's functions, by the name gen.py gives them. */
const LAMBDAS: Record<string, (epoch: number) => number> = { "pow0.9": (e) => 0.9 ** e };

/** A few optimizer steps on gen.py's quadratic; the parameters after every step. */
function runOptim([p1, p2, w1, v1, w2, v2]: Tensor[], o: Opts): Tensor[] {
  const Ctor = (optim as any)[o.name] as new (ps: Tensor[], opts: Opts) => optim.Optimizer;
  const opt = new Ctor([p1, p2], o.opts);
  const outs: Tensor[] = [];
  for (let s = 0; s < o.steps; s++) {
    opt.zeroGrad();
    const q = (p: Tensor, w: Tensor, v: Tensor) => G.add(G.mul(G.sum(G.mul(G.mul(w, p), p)), 0.5), G.sum(G.mul(v, p)));
    G.add(q(p1, w1, v1), q(p2, w2, v2)).backward();
    opt.step();
    outs.push(p1.detach().clone(), p2.detach().clone());
  }
  return outs;
}

/** One parameter, a few optimizer steps on Σ w·p²/2 + v·p (sized for the backends' fused paths). */
function runOptimBig([p, w, v]: Tensor[], o: Opts): Tensor[] {
  const Ctor = (optim as any)[o.name] as new (ps: Tensor[], opts: Opts) => optim.Optimizer;
  const opt = new Ctor([p], o.opts);
  const outs: Tensor[] = [];
  for (let s = 0; s < o.steps; s++) {
    opt.zeroGrad();
    G.add(G.mul(G.sum(G.mul(G.mul(w, p), p)), 0.5), G.sum(G.mul(v, p))).backward();
    opt.step();
    outs.push(p.detach().clone());
  }
  return outs;
}

/** The lr of every epoch under a scheduler (SGD lr 0.1), as a float64 tensor. */
function runSched(o: Opts, ctx: RunCtx): Tensor {
  const p = G.zeros([1], { device: ctx.device }).requiresGrad_();
  const opt = new optim.SGD([p], { lr: 0.1 });
  const S = (optim.lrScheduler as any)[o.name];
  const s = o.lambda ? new S(opt, LAMBDAS[o.lambda]) : o.opts ? new S(opt, o.opts) : new S(opt, ...(o.args ?? []));
  const lrs = [opt.paramGroups[0].lr];
  for (let e = 0; e < o.epochs; e++) {
    opt.step();
    if (o.metrics) s.step(o.metrics[e]);
    else s.step();
    lrs.push(opt.paramGroups[0].lr);
  }
  return G.fromArray(lrs, [lrs.length], { dtype: "float64" });
}

/** Every runner, by the `op` name gen.py writes. */
export const RUNNERS: Record<string, Runner> = {
  ...ops, ...functional, ...loss, ...conv, ...misc, ...modules, ...extra, ...nnMore,
  optim: (xs, o) => runOptim(xs, o),
  optimBig: (xs, o) => runOptimBig(xs, o),
  // Large parameters: the sum after each step, then the final values.
  optimBigSummed: (xs, o) => {
    const outs = runOptimBig(xs, o);
    return [...outs.map((t) => G.sum(t)), outs[outs.length - 1]];
  },
  sched: (_xs, o, ctx) => runSched(o, ctx),
};

/** First-order input gradients of Σ inner(x)·u (u = fill(30)) with createGraph, as outputs. */
RUNNERS.grad2 = (xs, o, ctx) => {
  const first = runCase(o.inner, xs, o.innerOptions, ctx).out[0];
  // f(x)² makes the gradient entering f's backward depend on x: that backward must be differentiable in it.
  const out = o.square ? G.mul(first, first) : first;
  const leaves = xs.filter((x) => x.requiresGrad);
  const gs = G.grad(G.sum(G.mul(out, fillLike(out, 30))), leaves, { createGraph: true });
  return gs.map((g, k) => g ?? G.zerosLike(leaves[k]));
};

/** Σ inner(x)·w with w = fill(40): large cases keep one number out and full-size gradients. */
RUNNERS.weighted = (xs, o, ctx) => {
  const out = runCase(o.inner, xs, o.innerOptions ?? {}, ctx).out[0];
  return G.sum(G.mul(out, fillLike(out, 40)));
};

/** Normalises a runner's result. */
export function runCase(op: string, xs: Tensor[], o: Opts, ctx: RunCtx): RunResult {
  const run = RUNNERS[op];
  if (!run) throw new Error(`parity: no runner for op "${op}"`);
  const r = run(xs, o, ctx);
  if (r instanceof Tensor) return { out: [r] };
  if (Array.isArray(r)) return { out: r };
  return r;
}
