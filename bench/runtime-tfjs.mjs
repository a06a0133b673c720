// TF.js side of `npm run bench:runtime` (argument: cpu | wasm): the same workloads as
// bench/runtime_torch.py. Slow paths are measured on a subset and scaled (reported in "notes").
// Prints one JSON object on its last line.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { fashionTrain, medianTime, permutation } from "./bench-data.mjs";

const backend = process.argv[2] ?? "cpu";
await tf.setBackend(backend);
await tf.ready();
const out = { version: tf.version.tfjs, backend: tf.getBackend(), notes: [] };

for (const n of [256, 512, 1024]) {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const reps = n === 1024 ? 1 : 3;
  const t = await medianTime(() => tf.tidy(() => tf.matMul(a, b)).dataSync(), reps);
  out[`matmul${n}`] = (2 * n ** 3) / t / 1e9;
  a.dispose(); b.dispose();
}

// MLP epoch: time a subset of batches and scale to 938 batches (60,000 / 64).
const data = fashionTrain();
out.data = data.source;
const dense = (i, o) => [
  tf.variable(tf.randomUniform([i, o], -1 / Math.sqrt(i), 1 / Math.sqrt(i))),
  tf.variable(tf.randomUniform([o], -1 / Math.sqrt(i), 1 / Math.sqrt(i))),
];
const [w1, b1] = dense(784, 128);
const [w2, b2] = dense(128, 10);
const opt = tf.train.adam(1e-3);
const perm = permutation(data.n);
const batches = 938;
const subset = 60;
let bi = 0;
function mlpBatch() {
  const idx = perm.subarray((bi * 64) % data.n, ((bi * 64) % data.n) + 64);
  bi++;
  const xs = new Float32Array(idx.length * 784);
  const ys = new Int32Array(idx.length);
  idx.forEach((k, r) => { xs.set(data.x.subarray(k * 784, k * 784 + 784), r * 784); ys[r] = data.y[k]; });
  tf.tidy(() => {
    const x = tf.tensor2d(xs, [idx.length, 784]);
    const y = tf.oneHot(tf.tensor1d(ys, "int32"), 10);
    opt.minimize(() => tf.losses.softmaxCrossEntropy(y, x.matMul(w1).add(b1).relu().matMul(w2).add(b2)));
  });
}
for (let i = 0; i < 5; i++) mlpBatch();
const t0 = performance.now();
for (let i = 0; i < subset; i++) mlpBatch();
out.mlpEpoch = ((performance.now() - t0) / 1000 / subset) * batches;
out.notes.push(`MLP epoch estimated from ${subset} of ${batches} batches`);

// LeNet-5 forward+backward at batch 64.
try {
  const conv = (k, i, o) => tf.variable(tf.randomUniform([k, k, i, o], -0.2, 0.2));
  const vars = {
    c1: conv(5, 1, 6), c1b: tf.variable(tf.zeros([6])),
    c2: conv(5, 6, 16), c2b: tf.variable(tf.zeros([16])),
  };
  const [f1, f1b] = dense(400, 120);
  const [f2, f2b] = dense(120, 84);
  const [f3, f3b] = dense(84, 10);
  const xb = tf.randomNormal([64, 28, 28, 1]);
  const yb = tf.oneHot(tf.randomUniform([64], 0, 10, "int32"), 10);
  const all = [vars.c1, vars.c1b, vars.c2, vars.c2b, f1, f1b, f2, f2b, f3, f3b];
  const step = () => {
    const { value, grads } = tf.variableGrads(() => {
      let h = tf.conv2d(xb, vars.c1, 1, "same").add(vars.c1b).relu().maxPool(2, 2, "valid");
      h = tf.conv2d(h, vars.c2, 1, "valid").add(vars.c2b).relu().maxPool(2, 2, "valid");
      h = h.reshape([64, 400]).matMul(f1).add(f1b).relu().matMul(f2).add(f2b).relu().matMul(f3).add(f3b);
      return tf.losses.softmaxCrossEntropy(yb, h);
    }, all);
    value.dataSync();
    value.dispose();
    Object.values(grads).forEach((g) => g.dispose());
  };
  out.lenetStep = await medianTime(step, backend === "cpu" ? 3 : 5);
} catch (e) {
  out.lenetStep = null;
  out.notes.push(`LeNet-5 failed on ${backend}: ${String(e.message ?? e).split("\n")[0]}`);
}

// One LSTM time step (batch 32, input 64, hidden 128): gates = [x,h] W + b, PyTorch's gate order.
{
  const k = 1 / Math.sqrt(128);
  const W = tf.variable(tf.randomUniform([64 + 128, 512], -k, k));
  const B = tf.variable(tf.randomUniform([512], -k, k));
  const x = tf.randomNormal([32, 64]);
  const h0 = tf.zeros([32, 128]);
  const c0 = tf.zeros([32, 128]);
  const cell = () => {
    const g = tf.concat([x, h0], 1).matMul(W).add(B);
    const [i, f, gg, o] = tf.split(g, 4, 1);
    const c = f.sigmoid().mul(c0).add(i.sigmoid().mul(gg.tanh()));
    return o.sigmoid().mul(c.tanh());
  };
  out.lstmFwd = await medianTime(() => tf.tidy(() => cell().dataSync()), 100, 5);
  out.lstmStep = await medianTime(() => {
    const { value, grads } = tf.variableGrads(() => cell().sum(), [W, B]);
    value.dataSync();
    value.dispose();
    Object.values(grads).forEach((g) => g.dispose());
  }, 100, 5);
}
console.log(JSON.stringify(out));
