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
    md("# Convolutional networks: LeNet-5\nConvolution with padding and stride, channels, max pooling, then dense layers — trained for one epoch on Fashion-MNIST, loaded as torchvision does: Debian's `dataset-fashion-mnist` when it is installed, else the 6,000 training and 1,000 test images bundled with gradnote (the notice line under the cell says which)."),
    code(`import { nn, optim, data, datasets, transforms, stack, manualSeed, noGrad, progress, liveCurve, showImages, showFilters, plot, summary } from "gradnote";
const F = nn.functional;
manualSeed(0);
// Pixels to [0, 1], then standardised with the training set's mean and standard deviation.
const transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.286], [0.353])]);
const train = new datasets.FashionMNIST({ train: true, transform });
const test = new datasets.FashionMNIST({ train: false, transform });
train`),
    code(`// train[i] is [image, label]: a [1, 28, 28] tensor and a class index.
const classes = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"];
const first = Array.from({ length: 16 }, (_, i) => train[i]);
const sample = stack(first.map(([x]) => x));
showImages(sample, { labels: first.map(([, y]) => classes[y]), nrow: 8 });`),
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
// The whole test set as one batch.
const [Xt, yt] = [...new data.DataLoader(test, { batchSize: test.length })][0];
const predicted = noGrad(() => lenet(Xt)).argmax(1);
const accuracy = predicted.eq(yt).float().mean().item();
console.log(\`test accuracy after one epoch: \${(100 * accuracy).toFixed(1)}%\`);
plot.confusionMatrix(yt, predicted, { labels: classes, title: "Test confusion matrix" })`),
    code(`// The six learned 5×5 filters of the first convolution.
showFilters(lenet.at(0).weight, { scale: 8 })`),
  ],
  "07-activations-losses-and-gradients.ipynb": [
    md("# Activations, losses and vanishing gradients\nThe functions a neuron applies and their slopes, three ways to score a classifier's margin, why deep sigmoid networks stop learning, and how L1 and L2 penalties shape the weights."),
    code(`import { linspace, tensor, randn, manualSeed, nn, optim, data, plot, gradientMonitor, noGrad } from "gradnote";
import type { Tensor } from "gradnote";
const F = nn.functional;
manualSeed(0);
const xs = linspace(-4, 4, 161);
// Each activation and its derivative, the derivative from autograd (step has no gradient).
const activations: Record<string, (x: Tensor) => Tensor> = {
  step: (x) => F.step(x), sigmoid: (x) => F.sigmoid(x), tanh: (x) => F.tanh(x), relu: (x) => F.relu(x),
  "leaky relu": (x) => F.leakyRelu(x, 0.1), elu: (x) => F.elu(x), gelu: (x) => F.gelu(x), softplus: (x) => F.softplus(x),
};
const values: Record<string, number[]> = {}, slopes: Record<string, number[]> = {};
for (const [name, f] of Object.entries(activations)) {
  const x = xs.clone().requiresGrad_();
  const y = f(x);
  values[name] = Array.from(y.dataSync());
  if (y.requiresGrad) {
    y.sum().backward();
    slopes[name] = Array.from(x.grad!.dataSync());
  } else slopes[name] = values[name].map(() => 0);
}
plot.line(values, { x: xs, title: "Activation functions", xlabel: "x", ylabel: "f(x)" })`),
    code(`// Sigmoid's slope is at most 0.25 and vanishes for |x| > 4; relu's is 1 for every x > 0.
plot.line(slopes, { x: xs, title: "Their derivatives (from autograd)", xlabel: "x", ylabel: "f'(x)" })`),
    code(`// softmax turns scores into probabilities; dividing by a temperature sharpens or flattens them.
const scores = tensor([[2.0, 1.0, 0.1]]);
({ "T = 1": F.softmax(scores, 1).toArray(), "T = 0.5": F.softmax(scores.div(0.5), 1).toArray(), "T = 5": F.softmax(scores.div(5), 1).toArray() })`),
    md("## Losses as functions of the margin\nFor a label y = ±1 and a score s, the margin is m = y·s. Squared error (s − y)² = (1 − m)² also punishes confident right answers; cross-entropy log(1 + e^(−m)) never reaches zero; the hinge max(0, 1 − m) is zero once the margin passes 1."),
    code(`const m = linspace(-2, 3, 101);
plot.line({
  "squared error": m.neg().add(1).square(),
  "cross-entropy (logistic)": F.softplus(m.neg()),
  "hinge (max-margin)": F.relu(m.neg().add(1)),
}, { x: m, title: "Loss against the margin y·s", xlabel: "margin y·s", ylabel: "loss" })`),
    code(`// A linear classifier trained with each loss on two overlapping blobs.
const [Xb, yb] = data.makeBlobs(200, { centers: [[-1, -1], [1.2, 1]], clusterStd: 0.9, seed: 2 });
const ypm = yb.float().mul(2).sub(1).unsqueeze(1); // labels as ±1
function trainLinear(loss: (s: Tensor) => Tensor) {
  manualSeed(3);
  const lin = new nn.Linear(2, 1);
  const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
  for (let i = 0; i < 300; i++) {
    opt.zeroGrad();
    loss(lin(Xb)).backward();
    opt.step();
  }
  const acc = noGrad(() => lin(Xb).gt(0).float().mul(2).sub(1).eq(ypm).float().mean().item());
  return { lin, acc };
}
const trained = {
  "squared error": trainLinear((s) => s.sub(ypm).square().mean()),
  "cross-entropy": trainLinear((s) => F.softplus(s.mul(ypm).neg()).mean()),
  hinge: trainLinear((s) => F.relu(s.mul(ypm).neg().add(1)).mean()),
};
Object.fromEntries(Object.entries(trained).map(([k, v]) => [k, \`\${(100 * v.acc).toFixed(1)}% correct\`]))`),
    code(`plot.decisionBoundary(trained.hinge.lin, Xb, yb, { title: "Hinge loss: a max-margin linear classifier" })`),
    md("## Vanishing gradients\nTen sigmoid layers against ten relu layers on the moons data. Each backward pass multiplies by every layer's slope: with sigmoid (slope ≤ 0.25) the first layers' gradients shrink by orders of magnitude. The heatmaps show log10 of each parameter's gradient norm over training."),
    code(`const [Pm, ym] = data.makeMoons(256, { noise: 0.1, seed: 4 });
const ymf = ym.float().unsqueeze(1);
function deepNet(act: () => nn.Module, heInit = false) {
  manualSeed(5);
  const layers: nn.Module[] = [new nn.Linear(2, 16), act()];
  for (let i = 0; i < 9; i++) layers.push(new nn.Linear(16, 16), act());
  layers.push(new nn.Linear(16, 1));
  const net = new nn.Sequential(...layers);
  // He (Kaiming) initialisation keeps the variance of relu activations constant through depth.
  if (heInit) for (const l of layers) if (l instanceof nn.Linear) nn.init.kaimingNormal(l.weight, { nonlinearity: "relu" });
  const monitor = gradientMonitor(net);
  const opt = new optim.SGD(net.parameters(), { lr: 0.05 });
  for (let step = 0; step < 200; step++) {
    opt.zeroGrad();
    F.bceWithLogits(net(Pm), ymf).backward();
    if (step % 10 === 0) monitor.record(step);
    opt.step();
  }
  return monitor;
}
const sigmoidGrads = deepNet(() => new nn.Sigmoid());
sigmoidGrads.figure()`),
    md("With relu the first layers still learn, though PyTorch's default initialisation (uniform in ±1/√fan-in) lets the gradients shrink layer by layer; He initialisation (weights with variance 2/fan-in) keeps them level."),
    code(`deepNet(() => new nn.ReLU()).figure()`),
    code(`deepNet(() => new nn.ReLU(), true).figure()`),
    md("## L1 against L2 regularization\nTwenty input features of which three matter. L2 (weight decay) shrinks every weight a little; L1 (the sum of |w| added to the loss) drives the useless ones to zero — it selects features."),
    code(`manualSeed(6);
const Xr = randn([300, 20]);
const trueW = tensor([3, -2, 1.5, ...new Array(17).fill(0)]).unsqueeze(1);
const yr = Xr.matmul(trueW).add(randn([300, 1]).mul(0.5));
function fitLinear(l1: number, l2: number) {
  manualSeed(7);
  const lin = new nn.Linear(20, 1);
  const opt = new optim.SGD(lin.parameters(), { lr: 0.02, weightDecay: l2 });
  for (let i = 0; i < 600; i++) {
    opt.zeroGrad();
    let loss = F.mseLoss(lin(Xr), yr);
    if (l1 > 0) loss = loss.add(lin.weight.abs().sum().mul(l1));
    loss.backward();
    opt.step();
  }
  return Array.from(lin.weight.dataSync());
}
const weights = { "no penalty": fitLinear(0, 0), "L2 (weight decay 0.5)": fitLinear(0, 0.5), "L1 (λ = 0.05)": fitLinear(0.05, 0) };
for (const [name, w] of Object.entries(weights)) console.log(\`\${name.padEnd(22)} weights below 0.02: \${w.filter((v) => Math.abs(v) < 0.02).length} of 20\`);
plot.line(weights, { markers: true, title: "Learned weights per feature", xlabel: "feature", ylabel: "weight" })`),
  ],
  "08-embeddings-and-hyperparameter-search.ipynb": [
    md("# Word embeddings, window classification and hyperparameter search\nA tagger that decides whether a word names a place from the words around it, learning a vector for every word on the way; then a grid search for a learning rate and a layer width."),
    code(`import { tensor, manualSeed, nn, optim, data, plot, noGrad } from "gradnote";
const F = nn.functional;
manualSeed(0);
// A tiny corpus from templates. Places fill the {P} and {Q} slots; everything else is ordinary words.
const places = ["paris", "rome", "tokyo", "lima", "cairo", "berlin", "madrid", "delhi", "sydney", "boston"];
const heldOut = ["oslo", "quito", "hanoi"]; // never seen in training
const templates = [
  "we flew to {P} last week", "she lives in {P} now", "the train from {P} was late", "i visited {P} in june",
  "they moved to {P} for work", "my friend from {P} called", "he drove to {P} yesterday", "our office in {P} is small",
  "{P} is a big city", "last june we went to {P}", "we flew from {P} to {Q}", "people in {P} like music",
  "we ate lunch in the park", "she reads a book every night", "the late train was full", "i called my friend today",
  "we flew home last week", "last june we went to the beach", "they moved to a new house", "the office is small",
];
function sentences(words: string[]) {
  return templates.flatMap((t) => (t.includes("{P}") ? words.map((p, i) => t.replace("{P}", p).replace("{Q}", words[(i + 1) % words.length])) : [t]));
}
const train = sentences(places), test = sentences(heldOut).filter((s) => heldOut.some((p) => s.includes(p)));
const vocab = ["<pad>", "<unk>", ...new Set(train.join(" ").split(" "))];
const id = (w: string) => Math.max(1, vocab.indexOf(w));
({ "training sentences": train.length, "test sentences": test.length, "vocabulary": vocab.length })`),
    md("## Windows\nEach word becomes one example: the ids of the two words on each side and itself (padded at the ends), labelled 1 if it is a place. Words never seen in training map to `<unk>`, so the test can only be passed from the context; to teach the model that, every training window of a place is also added once with the place itself hidden as `<unk>`."),
    code(`const W = 2;
function windows(sents: string[], hidePlaces = false) {
  const xs: number[][] = [], ys: number[] = [], words: string[] = [];
  for (const s of sents) {
    const ws = s.split(" ");
    ws.forEach((w, i) => {
      const win: number[] = [];
      for (let k = i - W; k <= i + W; k++) win.push(k < 0 || k >= ws.length ? 0 : id(ws[k]));
      const label = places.includes(w) || heldOut.includes(w) ? 1 : 0;
      xs.push(win);
      ys.push(label);
      words.push(w);
      if (hidePlaces && label === 1) {
        xs.push(win.map((v, k) => (k === W ? 1 : v)));
        ys.push(1);
        words.push("<unk>");
      }
    });
  }
  return { x: tensor(xs, { dtype: "int32" }), y: tensor(ys, { dtype: "int32" }), words };
}
const tr = windows(train, true), te = windows(test);
class WindowTagger extends nn.Module {
  emb = new nn.Embedding(vocab.length, 12);
  hidden = new nn.Linear((2 * W + 1) * 12, 24);
  out = new nn.Linear(24, 2);
  forward(x: typeof tr.x) {
    const e = this.emb(x).flatten(1); // [batch, window · dim]
    return this.out(F.tanh(this.hidden(e)));
  }
}
const tagger = new WindowTagger();
const opt = new optim.Adam(tagger.parameters(), { lr: 0.01 });
for (let epoch = 0; epoch <= 60; epoch++) {
  opt.zeroGrad();
  const loss = F.crossEntropy(tagger(tr.x), tr.y);
  loss.backward();
  opt.step();
  if (epoch % 20 === 0) console.log(\`epoch \${epoch}: loss \${loss.item().toFixed(3)}\`);
}
const accuracy = (set: typeof tr) => noGrad(() => tagger(set.x).argmax(1).eq(set.y).float().mean().item());
({ train: accuracy(tr), "test (unseen places)": accuracy(te) })`),
    code(`// The tagger on a new sentence: each word with its probability of being a place.
const sentence = "last june we flew to hanoi from lima";
const probe = windows([sentence]);
const p = noGrad(() => F.softmax(tagger(probe.x), 1)).select(1, 1).dataSync();
display.html(\`<table><tr>\${probe.words.map((w) => \`<th>\${w}</th>\`).join("")}</tr><tr>\${Array.from(p).map((v) => \`<td>\${v.toFixed(2)}</td>\`).join("")}</tr></table>\`);`),
    md("## What the embeddings learned\nCosine similarity between some learned word vectors: the places end up close to one another."),
    code(`const shown = ["paris", "tokyo", "lima", "to", "in", "from", "train", "friend", "book"];
const vecs = tagger.emb.weight.detach().indexSelect(0, tensor(shown.map(id), { dtype: "int32" }));
const unit = vecs.div(vecs.square().sum(1, true).sqrt());
plot.heatmap(unit.matmul(unit.t()), { x: shown, y: shown, title: "Cosine similarity of word vectors", zmin: -1, zmax: 1, colorscale: "rdbu" })`),
    md("## Hyperparameter search\nA grid over the learning rate and the hidden width of a small MLP on the moons data: each setting is trained on the training split and scored on a validation split; the best one is checked once on the test split."),
    code(`const [Xm, ym] = data.makeMoons(600, { noise: 0.25, seed: 8 });
const split = (a: number, b: number) => [Xm.slice(0, a, b), ym.slice(0, a, b).float().unsqueeze(1)] as const;
const [Xtr, ytr] = split(0, 400), [Xva, yva] = split(400, 500), [Xte, yte] = split(500, 600);
const lrs = [0.001, 0.003, 0.01, 0.03, 0.1], widths = [2, 4, 8, 16, 32];
function fit(lr: number, width: number) {
  manualSeed(9);
  const net = new nn.Sequential(new nn.Linear(2, width), new nn.ReLU(), new nn.Linear(width, 1));
  const o = new optim.Adam(net.parameters(), { lr });
  for (let i = 0; i < 250; i++) {
    o.zeroGrad();
    F.bceWithLogits(net(Xtr), ytr).backward();
    o.step();
  }
  return net;
}
const acc = (net: nn.Module, X: typeof Xva, y: typeof yva) => noGrad(() => net(X).gt(0).float().eq(y).float().mean().item());
const grid = widths.map((w) => lrs.map((lr) => acc(fit(lr, w), Xva, yva)));
plot.heatmap(grid, { x: lrs.map(String), y: widths.map(String), xlabel: "learning rate", ylabel: "hidden units", title: "Validation accuracy", showValues: true })`),
    code(`let best = { lr: 0, width: 0, val: -1 };
widths.forEach((w, i) => lrs.forEach((lr, j) => { if (grid[i][j] > best.val) best = { lr, width: w, val: grid[i][j] }; }));
const chosen = fit(best.lr, best.width);
({ ...best, test: acc(chosen, Xte, yte) })`),
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
