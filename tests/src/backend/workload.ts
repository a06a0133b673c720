// A small training workload that touches every fused path a backend may offer (Linear+ReLU and
// Linear+Tanh in Sequential, conv2d, LSTM and GRU cells, cross-entropy, BatchNorm, Adam, SGD
// with momentum), run on one backend; the capability suites compare its numbers across backends.
// No Adam-trained bias sits right before BatchNorm: its gradient is rounding noise, which Adam
// would turn into lr-sized steps of random sign.
import { cat, manualSeed, nn, optim, functional as F, randn, tensor, setBackend, type Tensor } from "../../../src/index.js";

/** Losses of each step and the final parameters, as plain numbers. */
export interface WorkloadResult {
  losses: number[];
  params: number[][];
}

/** Two optimizer steps of the workload on `backend` (same seed, so the same initial weights). */
export function runWorkload(backend: string, steps = 2): WorkloadResult {
  setBackend(backend);
  try {
    manualSeed(0);
    const mlp = new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Linear(8, 8), new nn.Tanh(), new nn.Linear(8, 3));
    const conv = new nn.Conv2d(2, 3, 3, { padding: 1 });
    const bn = new nn.BatchNorm1d(3);
    const lstm = new nn.LSTM(4, 5);
    const gru = new nn.GRU(4, 5);
    const head = new nn.Linear(10, 3);
    const img = randn([4, 2, 5, 5]);
    const seq = randn([3, 4, 4]);
    const target = tensor([0, 2, 1, 2], { dtype: "int32" });
    const adamParams = [...mlp.parameters(), ...conv.parameters(), ...bn.parameters()];
    const sgdParams = [...lstm.parameters(), ...gru.parameters(), ...head.parameters()];
    const adam = new optim.Adam(adamParams, { lr: 0.01 });
    const sgd = new optim.SGD(sgdParams, { lr: 0.05, momentum: 0.9 });
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      adam.zeroGrad();
      sgd.zeroGrad();
      const [lo] = lstm.forward(seq);
      const [go] = gru.forward(seq);
      const rec: Tensor = head.forward(cat([lo.select(0, 2), go.select(0, 2)], 1));
      const feat = conv.forward(img).mean([2, 3]);
      const x = cat([bn.forward(rec), feat], 1);
      const loss = F.crossEntropy(mlp.forward(x), target);
      loss.backward();
      adam.step();
      sgd.step();
      losses.push(loss.item());
    }
    return { losses, params: [...adamParams, ...sgdParams].map((p) => Array.from(p.dataSync(), Number)) };
  } finally {
    setBackend("cpu");
  }
}

/** Largest absolute difference between two workload results. */
export function maxDiff(a: WorkloadResult, b: WorkloadResult): number {
  let d = 0;
  a.losses.forEach((l, i) => (d = Math.max(d, Math.abs(l - b.losses[i]))));
  a.params.forEach((p, i) => p.forEach((v, j) => (d = Math.max(d, Math.abs(v - b.params[i][j])))));
  return d;
}
