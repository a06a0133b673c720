// `npm run bench:webgpu`: the webgpu backend beside the cpu backend in one run — matmul
// GFLOP/s, a Fashion-MNIST-shaped MLP epoch (784-128-10, Adam, batch 64, synthetic data) and
// a LeNet-5 forward+backward+Adam step at batch 64. Medians of repeats. On a software adapter
// (SwiftShader) sizes shrink so it finishes in a couple of minutes: those figures check
// correctness, not speed. Needs a WebGPU adapter (see .ci/run for the CPU one).
import { setBackend, webgpuInfo, webgpuSync, randn, randint, nn, optim, tidy, manualSeed, noGrad } from "../dist/gradnote.mjs";

const info = webgpuInfo();
if (!info.available) {
  console.error(`bench:webgpu: no WebGPU adapter: ${info.reason}`);
  process.exit(1);
}
const soft = /swiftshader|llvmpipe|lavapipe/i.test(info.adapter);
console.log(`adapter: ${info.adapter}${soft ? "  (software: figures are for correctness only)" : ""}`);

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sync = (backend) => { if (backend === "webgpu") webgpuSync(); };

function timeIt(backend, reps, fn) {
  fn(); sync(backend); // warm-up: pipelines compile, pools fill
  const ts = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    sync(backend);
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

function matmulGflops(backend, n, reps) {
  setBackend(backend);
  const a = randn([n, n]), b = randn([n, n]);
  const inner = soft ? 1 : 10;
  const ms = timeIt(backend, reps, () => { for (let i = 0; i < inner; i++) noGrad(() => a.matmul(b)).dispose(); });
  return (2 * n ** 3 * inner) / (ms * 1e6);
}

function mlpEpoch(backend, samples) {
  setBackend(backend);
  manualSeed(0);
  const X = randn([samples, 784]), y = randint(0, 10, [samples]);
  const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const batches = Math.floor(samples / 64);
  const xs = [], ys = [];
  for (let i = 0; i < batches; i++) { xs.push(X.slice(0, i * 64, (i + 1) * 64)); ys.push(y.slice(0, i * 64, (i + 1) * 64)); }
  const ms = timeIt(backend, 3, () => {
    for (let i = 0; i < batches; i++) tidy(() => { opt.zeroGrad(); lossFn(model.forward(xs[i]), ys[i]).backward(); opt.step(); });
  });
  return (ms * (60000 / 64)) / batches; // scaled to a 60,000-sample epoch
}

function lenetStep(backend) {
  setBackend(backend);
  manualSeed(0);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.Tanh(), new nn.AvgPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.Tanh(), new nn.AvgPool2d(2), new nn.Flatten(),
    new nn.Linear(400, 120), new nn.Tanh(), new nn.Linear(120, 84), new nn.Tanh(), new nn.Linear(84, 10),
  );
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = randn([64, 1, 28, 28]), y = randint(0, 10, [64]);
  return timeIt(backend, soft ? 3 : 20, () => tidy(() => { opt.zeroGrad(); lossFn(model.forward(x), y).backward(); opt.step(); }));
}

const sizes = soft ? [128, 256, 512] : [512, 1024, 2048, 4096];
const rows = [];
for (const n of sizes) {
  const g = matmulGflops("webgpu", n, soft ? 2 : 5);
  const c = n <= 1024 ? matmulGflops("cpu", n, 2) : NaN;
  rows.push([`matmul ${n}³ (GFLOP/s)`, g, c]);
}
const samples = soft ? 1280 : 60000;
rows.push([`MLP epoch 784-128-10 Adam b64 (s${soft ? `, from ${samples} samples` : ""})`, mlpEpoch("webgpu", samples) / 1000, mlpEpoch("cpu", Math.min(samples, 6400)) / 1000]);
rows.push(["LeNet-5 fwd+bwd+Adam b64 (ms)", lenetStep("webgpu"), lenetStep("cpu")]);

const fmt = (v) => (Number.isNaN(v) ? "—" : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${"".padEnd(w)}  ${"webgpu".padStart(10)}  ${"cpu".padStart(10)}`);
for (const [label, g, c] of rows) console.log(`${label.padEnd(w)}  ${fmt(g).padStart(10)}  ${fmt(c).padStart(10)}`);
const after = webgpuInfo();
console.log(`device pool: ${JSON.stringify(after.device)}; cpu fallbacks: ${JSON.stringify(after.fallbacks)}`);
