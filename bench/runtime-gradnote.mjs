// gradnote side of `npm run bench:runtime`: the same workloads as bench/runtime_torch.py,
// run on ../dist/gradnote.mjs (or the build named by GRADNOTE_DIST: bench:runtime's "before"
// column). Slow paths are measured on a subset and scaled (see "notes").
// Prints one JSON object on its last line.
const lib = await import(process.env.GRADNOTE_DIST ?? new URL("../dist/gradnote.mjs", import.meta.url).href);
const { nn, optim, randn, randint, fromArray, noGrad, getBackend, manualSeed, cpuInfo } = lib;
import { fashionTrain, medianTime, permutation } from "./bench-data.mjs";

manualSeed(0);
const out = { backend: getBackend(), notes: [] };
// Every timed workload below first runs for at least this long, here and in runtime_torch.py
// (steady state on both sides: V8 has optimized the runtime's code by then).
const WARM_MS = 500;

for (const n of [256, 512, 1024]) {
  const a = randn([n, n]);
  const b = randn([n, n]);
  const once = performance.now();
  a.matmul(b).dataSync();
  const first = (performance.now() - once) / 1000;
  const reps = first > 2 ? 1 : first > 0.3 ? 3 : 7;
  // As runtime_torch.py: a warm-up call, and enough products per timed call (≥ 2e8 flop) to
  // stay well above timer resolution. The cpu backend computes synchronously, like torch.mm.
  const inner = first > 0.3 ? 1 : Math.max(1, Math.floor(2e8 / (2 * n ** 3)));
  // Steady state, as runtime_torch.py: products for 0.5 s before timing (the pool's workers start,
  // V8 optimizes the JS around the kernels; the first ~100 small products run at half speed).
  for (const t0 = performance.now(); performance.now() - t0 < 500; ) a.matmul(b);
  const t = (await medianTime(() => { for (let i = 0; i < inner; i++) a.matmul(b); }, reps, 1)) / inner;
  out[`matmul${n}`] = (2 * n ** 3) / t / 1e9;
}

// One epoch of the Fashion-MNIST MLP (784-128-10, Adam 1e-3, batch 64), as runtime_torch.py:
// the median of 3 epochs, each with a fresh model, optimizer and permutation, no warm-up (the
// first epoch includes V8 optimizing the runtime's code, as PyTorch's includes its own start-up).
// If a batch is slow (no WASM, say), a subset of each epoch is timed and scaled to 938 batches.
const data = fashionTrain();
out.data = data.source;
{
  const batches = Math.ceil(data.n / 64);
  const epochs = [];
  for (let e = 0; e < 3; e++) {
    const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const lossFn = new nn.CrossEntropyLoss();
    const perm = permutation(data.n);
    const batch = (b) => {
      const idx = perm.subarray(b * 64, Math.min(data.n, b * 64 + 64));
      const xs = new Float32Array(idx.length * 784);
      const ys = new Int32Array(idx.length);
      idx.forEach((k, r) => { xs.set(data.x.subarray(k * 784, k * 784 + 784), r * 784); ys[r] = data.y[k]; });
      opt.zeroGrad();
      lossFn(model(fromArray(xs, [idx.length, 784])), fromArray(ys, [idx.length], { dtype: "int32" })).backward();
      opt.step();
    };
    const t0 = performance.now();
    for (let b = 0; b < 20; b++) batch(b);
    const per = (performance.now() - t0) / 1000 / 20;
    if (per * batches < 60) {
      for (let b = 20; b < batches; b++) batch(b);
      epochs.push((performance.now() - t0) / 1000);
    } else {
      const sub = 200;
      const t1 = performance.now();
      for (let b = 20; b < 20 + sub; b++) batch(b);
      epochs.push(((performance.now() - t1) / 1000 / sub) * batches);
      if (e === 0) out.notes.push(`MLP epoch estimated from ${sub} of ${batches} batches`);
      break;
    }
  }
  out.mlpEpoch = epochs.sort((a, b) => a - b)[epochs.length >> 1];
  out.mlpEpochs = epochs;
}

// LeNet-5 forward + backward at batch 64 (28×28 input, padding 2 on the first conv).
{
  const lenet = new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
    new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
  );
  const lossFn = new nn.CrossEntropyLoss();
  const xb = randn([64, 1, 28, 28]);
  const yb = randint(0, 10, [64]);
  out.lenetStep = await medianTime(() => {
    lenet.zeroGrad();
    lossFn(lenet(xb), yb).backward();
  }, 50, 10, WARM_MS);
}

// One LSTM time step (batch 32, input 64, hidden 128): forward only, and forward + backward.
{
  const lstm = new nn.LSTM(64, 128, { batchFirst: true });
  const xs = randn([32, 1, 64]);
  out.lstmFwd = await medianTime(() => noGrad(() => lstm(xs)[0].dataSync()), 200, 10, WARM_MS);
  out.lstmStep = await medianTime(() => {
    lstm.zeroGrad();
    lstm(xs)[0].sum().backward();
  }, 200, 10, WARM_MS);
  // The same layer over a 35-step sequence (backpropagation through time), as a language model trains.
  const xs35 = randn([32, 35, 64]);
  out.lstmSeq = await medianTime(() => {
    lstm.zeroGrad();
    lstm(xs35)[0].sum().backward();
  }, 30, 3, WARM_MS);
}

// Per-op overhead on tiny tensors: an add on 16 floats, and a 2-8-1 MLP forward+backward on
// batch 4 (where per-op bookkeeping — version counters, the indexing Proxy — would show).
{
  const a = randn([16]);
  const b = randn([16]);
  out.tinyAdd = (await medianTime(() => { for (let i = 0; i < 2000; i++) a.add(b); }, 15, 2, WARM_MS)) / 2000;
  const tiny = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1));
  const x = randn([4, 2]);
  out.tinyStep = await medianTime(() => { tiny.zeroGrad(); tiny(x).sum().backward(); }, 200, 20, WARM_MS);
  // t[i] (Proxy in the prototype chain) beside the select() it stands for; absent before indexing existed.
  const t = randn([64, 16]);
  out.selectOp = (await medianTime(() => { for (let i = 0; i < 2000; i++) t.select(0, i & 63); }, 15, 2)) / 2000;
  if (t[0] !== undefined) out.indexOp = (await medianTime(() => { for (let i = 0; i < 2000; i++) t[i & 63]; }, 15, 2)) / 2000;
}

// RSS growth over 10,000 MLP training steps (synchronous loop, as a notebook cell runs it).
{
  const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const bs = 64;
  const xb = fromArray(data.x.subarray(0, bs * 784), [bs, 784]);
  const yb = fromArray(data.y.subarray(0, bs), [bs], { dtype: "int32" });
  const step = () => { opt.zeroGrad(); lossFn(model(xb), yb).backward(); opt.step(); };
  for (let i = 0; i < 200; i++) step();
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  let steps = 0;
  while (steps < 10_000 && (performance.now() - t0) / 1000 < 120) { step(); steps++; }
  out.rssSteps = steps;
  out.rssGrowthMB = (process.memoryUsage().rss - before) / 2 ** 20;
  if (steps < 10_000) out.notes.push(`RSS growth measured over ${steps} steps (120 s cap), not 10,000`);
}
// The pool's configuration on this machine (threads, WASM flavour, parts run by workers).
const info = cpuInfo();
if (out.backend === "cpu") out.backend = `cpu pool: ${info.threads} threads, ${info.kernels} kernels`;
if (info.notice) out.notes.push(info.notice);
out.notes.push(`pool parts run by workers: ${info.stats.byWorkers} of ${info.stats.parts}`);
console.log(JSON.stringify(out));
