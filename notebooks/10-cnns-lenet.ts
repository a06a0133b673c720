// %% [markdown] id="lenet-title"
// # 10. Convolutional networks: LeNet-5 on Fashion-MNIST
//
// The previous notebook took convolution apart: a kernel is a small grid of weights, it slides
// over the image with some padding and stride, it spans all input channels, and pooling shrinks
// the resulting feature maps. Here we put the pieces together into a *convolutional neural
// network* (CNN) and train it. The network is LeNet-5, the design with which LeCun, Bottou,
// Bengio and Haffner recognised handwritten digits in 1998, and the ancestor of every image
// network since. We train it on Fashion-MNIST: $28 \times 28$ grey pictures of ten kinds of
// clothing, a little harder than digits.
//
// Along the way we check every shape and parameter count of the architecture against the real
// layers, measure how far one output pixel "sees" into the image (its receptive field), watch
// the loss fall live, and then look inside the trained network: its confusion matrix, the
// kernels it learned, the feature maps it computes, and the mistakes it still makes.

// %% id="lenet-imports"
import { Tensor, tensor, zeros, randint, stack, cat, datasets, transforms, manualSeed, noGrad, nn, optim, data, plot, liveCurve, progress, showImages, showFilters, showActivations, summary, gradientMonitor } from "gradnote";
manualSeed(0);
const F = nn.functional;
const classes: string[] = [...data.FASHION_MNIST_CLASSES];
// Pixels scaled to [0, 1], then standardised with the training set's mean (0.286) and std (0.353).
const train = data.fashionMNIST({ limit: 6000, normalize: true });
const test = data.fashionMNIST({ train: false, limit: 1000, normalize: true });
const [Xtrain, ytrain] = train.tensors;
const [Xtest, ytest] = test.tensors;
expect(Xtrain.shape).toEqual([6000, 1, 28, 28]);
expect(Xtest.shape).toEqual([1000, 1, 28, 28]);
showImages(Xtrain.slice(0, 0, 16), { labels: (ytrain.slice(0, 0, 16).toArray() as number[]).map((c) => classes[c]), nrow: 8 })

// %% [markdown] id="torchvision-style"
// `data.fashionMNIST` hands over the whole split as two tensors, which is the quickest way for a
// small set. PyTorch users will know the other way, which gradnote also offers: a dataset object
// whose items are `[image, label]` pairs, with a chain of `transforms` applied to each image as it
// is read (here: pixels to $[0, 1]$, then standardised), usually fed to a `DataLoader`. Both give
// the same numbers, which the cell checks on the first 16 images.

// %% id="torchvision-style-code"
const transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([data.FASHION_MNIST_MEAN], [data.FASHION_MNIST_STD])]);
const trainSet = new datasets.FashionMNIST({ train: true, transform });
const firstItems = Array.from({ length: 16 }, (_, i) => trainSet.get(i));
expect(firstItems[0][0].shape).toEqual([1, 28, 28]);
expect(stack(firstItems.map(([x]) => x))).toBeCloseTo(Xtrain.slice(0, 0, 16), { atol: 1e-5 });
expect(firstItems.map(([, y]) => y)).toEqual(ytrain.slice(0, 0, 16).toArray());

// %% [markdown] id="convnet-recipe"
// ## The recipe: convolution, nonlinearity, pooling, then a classifier
//
// A convolution layer with kernels $K_1, \dots, K_m$ turns its input volume $V$ into $m$ feature
// maps, one per kernel, each passed through a nonlinearity $f$:
//
// $$ z_j = f\left(V * K_j + b_j\right), \qquad j = 1, \dots, m, $$
//
// where $*$ is the sliding dot product of the previous notebook and $b_j$ a bias. The usual
// $f$ is the rectified linear unit $f(x) = \max(0, x)$, applied elementwise in a layer of its
// own. Without it, two convolutions in a row would collapse into a single convolution (a linear
// map of a linear map is linear); with it, the network can represent nonlinear decisions, and
// since ReLU acts on each value alone it does not change which pixels an output depends on.
// The hyperbolic tangent and the sigmoid are also used, and the original LeNet used a scaled
// tanh.
//
// A CNN alternates these blocks with pooling layers (*subsampling*), then flattens the last
// feature maps into a vector and finishes with ordinary fully connected layers and a softmax
// over the classes. Early convolutions see small neighbourhoods and detect local patterns such as
// edges; after each subsampling, the same $5 \times 5$ kernel covers a larger part of the
// original image, so later convolutions detect larger, more global patterns that are also more
// tolerant of small shifts and distortions.

// %% [markdown] id="lenet-architecture"
// ## LeNet-5, layer by layer
//
// The original network took $32 \times 32$ images. Our images are $28 \times 28$, so the first
// convolution pads by 2, which gives exactly the same feature-map sizes. We use ReLU and max
// pooling, the modern choices, where the original used a squashing nonlinearity and average
// subsampling. With the output size $(N - F + 2P)/S + 1$ and the parameter count
// $m \cdot (F \cdot F \cdot C_{\text{in}} + 1)$ of a convolution ($n_{\text{in}} \cdot n_{\text{out}} + n_{\text{out}}$
// for a fully connected layer):
//
// | layer | what it does | output shape | parameters |
// |---|---|---|---|
// | input | a grey image | $1 \times 28 \times 28$ | 0 |
// | C1 | six $5 \times 5$ kernels, padding 2, then ReLU | $6 \times 28 \times 28$ | $6 \cdot (25 + 1) = 156$ |
// | S2 | $2 \times 2$ max pooling, stride 2 | $6 \times 14 \times 14$ | 0 |
// | C3 | sixteen $5 \times 5 \times 6$ kernels, then ReLU | $16 \times 10 \times 10$ | $16 \cdot (150 + 1) = 2416$ |
// | S4 | $2 \times 2$ max pooling, stride 2 | $16 \times 5 \times 5$ | 0 |
// | flatten | the maps as one vector | $400$ | 0 |
// | F5 | fully connected, then ReLU | $120$ | $400 \cdot 120 + 120 = 48{,}120$ |
// | F6 | fully connected, then ReLU | $84$ | $120 \cdot 84 + 84 = 10{,}164$ |
// | output | fully connected: one score per class | $10$ | $84 \cdot 10 + 10 = 850$ |
//
// In total $61{,}706$ parameters, and more than three quarters of them sit in the first fully
// connected layer: the convolutions, which do the seeing, are cheap. The cell builds the model
// and checks every row of the table against the real layers' outputs and weights.

// %% id="lenet-model"
function makeLeNet(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(16 * 5 * 5, 120), new nn.ReLU(),
    new nn.Linear(120, 84), new nn.ReLU(),
    new nn.Linear(84, 10),
  );
}
const lenet = makeLeNet();
const nParams = (m: nn.Module) => m.parameters().reduce((s, p) => s + p.numel(), 0);
// Feed one batch through the layers one at a time and record each output shape.
const shapes: number[][] = [];
let h: Tensor = Xtrain.slice(0, 0, 2);
for (let i = 0; i < 12; i++) {
  h = noGrad(() => lenet.at(i).forward(h));
  shapes.push(h.shape.slice(1));
}
const table: [string, number, number[], number][] = [
  ["C1", 0, [6, 28, 28], 156], ["S2", 2, [6, 14, 14], 0], ["C3", 3, [16, 10, 10], 2416], ["S4", 5, [16, 5, 5], 0],
  ["flatten", 6, [400], 0], ["F5", 7, [120], 48120], ["F6", 9, [84], 10164], ["output", 11, [10], 850],
];
for (const [name, i, shape, params] of table) {
  expect(shapes[i]).toEqual(shape);
  expect(nParams(lenet.at(i))).toBe(params);
  console.log(`${name.padEnd(8)} ${JSON.stringify(shape).padEnd(12)} ${params}`);
}
expect(nParams(lenet)).toBe(61706);
expect(nParams(lenet.at(7)) / nParams(lenet)).toBeGreaterThan(0.75);
summary(lenet, Xtrain.slice(0, 0, 2))

// %% [markdown] id="receptive-field"
// ## Receptive fields: convolution, subsampling, convolution
//
// The *receptive field* of a unit is the set of input pixels its value depends on. A pixel of
// C1 depends on a $5 \times 5$ patch. Pooling with stride 2 means that neighbouring pixels of S2
// are two input pixels apart, so a $5 \times 5$ kernel of C3 spans a much wider area of the
// original image than the same kernel in C1. If $r$ is the receptive field and $j$ the distance
// in input pixels between neighbouring units (the "jump"), a layer with kernel $k$ and stride $s$
// updates them as
//
// $$ r \leftarrow r + (k - 1)\, j, \qquad j \leftarrow j \cdot s, $$
//
// starting from $r = j = 1$. For LeNet: C1 gives $r = 5$; S2 gives $r = 6$, $j = 2$; C3 gives
// $r = 6 + 4 \cdot 2 = 14$; S4 gives $r = 16$, $j = 4$. So each of the 400 numbers fed to the
// classifier summarises a $16 \times 16$ window of the $28 \times 28$ image.
//
// We can measure this instead of trusting the formula: the gradient of one output unit with
// respect to the input is non-zero exactly on the pixels that unit depends on. To avoid ReLUs
// and max pooling hiding some paths (a zero gradient where a unit is inactive), the probe uses
// the same layer sizes with all-ones kernels and average pooling. The heatmap shows the gradient
// of one C3 unit: a $14 \times 14$ square, heaviest in the middle, where the most paths meet.

// %% id="receptive-field-code"
function receptiveFieldByGradient(layers: nn.Module[]): { size: number; grad: Tensor } {
  const probe = new nn.Sequential(...layers);
  for (const p of probe.parameters()) noGrad(() => p.fill_(1));
  const x = zeros([1, 1, 28, 28], { requiresGrad: true });
  const out = probe(x);
  const c = Math.floor(out.shape[2] / 2);
  out.select(2, c).select(2, c).sum().backward();
  const g = x.grad![0][0];
  const rows = g.abs().sum(1).gt(0).sum().item(), cols = g.abs().sum(0).gt(0).sum().item();
  expect(rows).toBe(cols);
  return { size: rows, grad: g };
}
const ones = (k: number) => new nn.Conv2d(1, 1, k, { bias: false });
const rfC1 = receptiveFieldByGradient([ones(5)]);
const rfC3 = receptiveFieldByGradient([ones(5), new nn.AvgPool2d(2), ones(5)]);
const rfS4 = receptiveFieldByGradient([ones(5), new nn.AvgPool2d(2), ones(5), new nn.AvgPool2d(2)]);
console.log(`receptive fields measured by gradients: C1 ${rfC1.size}, C3 ${rfC3.size}, S4 ${rfS4.size}`);
expect([rfC1.size, rfC3.size, rfS4.size]).toEqual([5, 14, 16]);
plot.heatmap(rfC3.grad, { title: "∂(one C3 unit)/∂(input pixels): its 14×14 receptive field", width: 480, height: 440 })

// %% [markdown] id="training"
// ## Training
//
// Training is the loop of the earlier notebooks: mini-batches of 64 images, the cross-entropy
// loss between the ten scores and the true class, gradients by backpropagation through the
// convolutions and pooling layers, and the Adam optimiser. A `DataLoader` reshuffles the 6,000
// training images at the start of each of four epochs. The chart updates while the loop runs
// (the training loss every few batches, the test accuracy after each epoch on its own axis),
// and a progress bar counts the batches. A gradient monitor records the size of each layer's
// gradient every 25 steps; its heatmap after training shows whether every layer kept learning.
// The whole run takes a few seconds.

// %% id="lenet-train"
const loader = new data.DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 });
const opt = new optim.Adam(lenet.parameters(), { lr: 2e-3 });
const epochs = 4;
const curve = liveCurve({ title: "LeNet-5 on Fashion-MNIST", xlabel: "batch", ylabel: "loss" });
const grads = gradientMonitor(lenet);
const accuracyOf = (model: nn.Module, X: Tensor, y: Tensor) => noGrad(() => model.forward(X)).argmax(1).eq(y).float().mean().item();
const bar = progress(epochs * loader.length, { desc: "training" });
const trainLosses: number[] = [];
let step = 0;
for (let epoch = 0; epoch < epochs; epoch++) {
  lenet.train();
  for (const [xb, yb] of loader) {
    opt.zeroGrad();
    const loss = F.crossEntropy(lenet(xb), yb);
    loss.backward();
    if (step % 25 === 0) grads.record(step);
    opt.step();
    trainLosses.push(loss.item());
    if (step % 10 === 0) curve.log({ train: trainLosses[step] }, step);
    bar.update(1);
    step++;
  }
  lenet.eval();
  const acc = accuracyOf(lenet, Xtest, ytest);
  curve.log({ "test accuracy": acc }, step);
  bar.setPostfix({ epoch: epoch + 1, accuracy: acc });
}
bar.close();
curve.done();
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
// The loss of the last 50 batches is well under that of the first 50.
expect(mean(trainLosses.slice(-50))).toBeLessThan(0.5 * mean(trainLosses.slice(0, 50)));

// %% [markdown] id="accuracy"
// ## How good is it?
//
// On the 1,000 test images, which the network never trained on, LeNet-5 reaches about 82%
// after four short epochs on 6,000 images; the cell checks it is above 78%, a margin below what
// we measured. For comparison the cell also trains the simplest possible classifier, a single
// linear layer on the 784 raw pixels (softmax regression, 7,850 parameters), with the same
// data, optimiser and epochs. A surprise: on these centred images, with so little training, the
// linear model is about as accurate (around 83%). Fashion-MNIST's garments are carefully
// centred and scaled, so a template per class goes a long way.
//
// The difference shows as soon as the images move. Shift every test image two pixels to the
// right (filling with the background value) and ask both models again: the linear model, whose
// weights are tied to fixed pixel positions, loses far more accuracy than LeNet, whose kernels
// slide with the content and whose pooling absorbs small displacements. This tolerance to
// shifts and distortions is what convolution and subsampling were designed to provide. The
// plot shows both accuracies for shifts of 0 to 4 pixels.

// %% id="accuracy-code"
const testAccuracy = accuracyOf(lenet, Xtest, ytest);
console.log(`LeNet-5 test accuracy: ${(100 * testAccuracy).toFixed(1)}%`);
expect(testAccuracy).toBeGreaterThan(0.78);
manualSeed(0);
const linear = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10));
const linearOpt = new optim.Adam(linear.parameters(), { lr: 2e-3 });
for (let epoch = 0; epoch < epochs; epoch++) {
  for (const [xb, yb] of loader) {
    linearOpt.zeroGrad();
    F.crossEntropy(linear(xb), yb).backward();
    linearOpt.step();
  }
}
const linearAccuracy = accuracyOf(linear, Xtest, ytest);
console.log(`softmax regression (${nParams(linear)} parameters): ${(100 * linearAccuracy).toFixed(1)}%`);
expect(nParams(linear)).toBe(7850);
expect(Math.abs(testAccuracy - linearAccuracy)).toBeLessThan(0.04);
// Shift the content right by d pixels: pad d background columns on the left, crop d on the right.
const background = -data.FASHION_MNIST_MEAN / data.FASHION_MNIST_STD;
const shiftRight = (X: Tensor, d: number) => F.pad(X, [d, 0, 0, 0], background).slice(3, 0, 28).contiguous();
const shifts = [0, 1, 2, 3, 4];
const lenetShifted = shifts.map((d) => accuracyOf(lenet, shiftRight(Xtest, d), ytest));
const linearShifted = shifts.map((d) => accuracyOf(linear, shiftRight(Xtest, d), ytest));
console.log(`shifted 2 pixels: LeNet ${(100 * lenetShifted[2]).toFixed(1)}%, linear ${(100 * linearShifted[2]).toFixed(1)}%`);
expect(lenetShifted[0]).toBeCloseTo(testAccuracy, { atol: 1e-6 });
// The linear model loses clearly more than LeNet when the garments move by 1 or 2 pixels.
for (const d of [1, 2]) expect(linearAccuracy - linearShifted[d]).toBeGreaterThan(testAccuracy - lenetShifted[d] + 0.03);
plot.line({ "LeNet-5": lenetShifted, "linear (softmax regression)": linearShifted }, { x: shifts, title: "Test accuracy when the images are shifted right", xlabel: "shift (pixels)", ylabel: "accuracy", markers: true })

// %% [markdown] id="confusion"
// ## The confusion matrix
//
// Accuracy is one number; the *confusion matrix* says which mistakes make it up. Entry $(i, j)$
// counts the test images of true class $i$ that the network labelled $j$. A perfect classifier
// has all counts on the diagonal; the sum of the diagonal divided by the number of images is the
// accuracy, and each row sums to the number of test images of that class. We count it with
// plain loops (the exercises ask you to do the same) and check both facts.
//
// The picture matches intuition about clothing: trousers, bags, sandals and sneakers have shapes
// of their own and are rarely confused, while the upper-body garments — T-shirt/top, pullover,
// coat and above all *shirt* — share a silhouette at $28 \times 28$ pixels and absorb most of
// the errors. The per-class accuracy (the diagonal divided by the row sum, also called the
// *recall* of the class) makes that explicit: shirt is the hardest class.

// %% id="confusion-code"
const predicted = noGrad(() => lenet(Xtest)).argmax(1);
const yTrue = ytest.toArray() as number[], yPred = predicted.toArray() as number[];
const counts = classes.map(() => classes.map(() => 0));
yTrue.forEach((t, i) => counts[t][yPred[i]]++);
const diagonal = counts.reduce((s, row, i) => s + row[i], 0);
expect(diagonal / yTrue.length).toBeCloseTo(testAccuracy, { atol: 1e-6 });
counts.forEach((row, c) => expect(row.reduce((a, b) => a + b, 0)).toBe(yTrue.filter((t) => t === c).length));
const recall = counts.map((row, c) => row[c] / row.reduce((a, b) => a + b, 0));
const hardest = recall.indexOf(Math.min(...recall));
console.log("per-class accuracy:", classes.map((c, i) => `${c} ${(100 * recall[i]).toFixed(0)}%`).join(", "));
expect(classes[hardest]).toBe("Shirt");
for (const easy of ["Trouser", "Bag", "Sandal", "Sneaker"]) expect(recall[classes.indexOf(easy)]).toBeGreaterThan(0.8);
display(plot.confusionMatrix(ytest, predicted, { labels: classes, title: "LeNet-5: test confusion matrix" }));
plot.bar(classes, recall, { title: "Per-class accuracy (recall)", ylabel: "fraction correct" })

// %% [markdown] id="learned-filters"
// ## What the network learned
//
// The six $5 \times 5$ kernels of C1 are the network's first feature detectors. Nobody designed
// them: they started random and were shaped by the gradient. Many look like the hand-made
// kernels of the previous notebook only loosely: after four short epochs on 6,000 images they
// are still rough, and a $5 \times 5$ grid of weights is hard to read by eye. (Networks trained
// longer on more data grow smoother kernels, often edge detectors at various angles.) Each
// kernel below is scaled on its own, white for its largest weight and black for its smallest;
// what the kernels *do* is easier to see in the feature maps they produce, shown next.

// %% id="learned-filters-code"
const c1 = lenet.at(0) as nn.Conv2d;
expect(c1.weight.shape).toEqual([6, 1, 5, 5]);
showFilters(c1.weight, { scale: 12 })

// %% [markdown] id="feature-maps"
// Passing one image through the network shows what each layer computes. The first grid shows,
// for an ankle boot, its six C1 feature maps after ReLU: each is the image seen through one
// kernel, bright where the kernel's pattern occurs. Some maps light up the body of the boot,
// some its outline on one side, and some the background around it (an inverted silhouette),
// which is just as informative about the shape. The second grid shows the sixteen $10 \times 10$ maps of C3, which
// combine all six C1 maps and respond to larger, more abstract parts. `showActivations` then
// walks through every layer at once, from the feature maps down to the ten class scores.

// %% id="feature-maps-code"
const boot = Xtest.slice(0, 0, 1);
expect(classes[ytest[0].item()]).toBe("Ankle boot");
const c1Maps = noGrad(() => lenet.at(1).forward(lenet.at(0).forward(boot)));
const c3Maps = noGrad(() => lenet.at(4).forward(lenet.at(3).forward(lenet.at(2).forward(c1Maps))));
expect(c1Maps.shape).toEqual([1, 6, 28, 28]);
expect(c3Maps.shape).toEqual([1, 16, 10, 10]);
// After ReLU no value is negative.
expect(c1Maps.min().item()).toBeGreaterThanOrEqual(0);
showImages(cat([boot, c1Maps.reshape([6, 1, 28, 28])]), { normalize: "each", nrow: 7, scale: 3, labels: ["input", ...[1, 2, 3, 4, 5, 6].map((k) => `C1 map ${k}`)] });
showImages(c3Maps.reshape([16, 1, 10, 10]), { normalize: "each", nrow: 8, scale: 6 });
showActivations(lenet, Xtest.slice(0, 0, 4))

// %% [markdown] id="gradients-mistakes"
// Two last looks. The gradient monitor's heatmap shows the (log) size of each parameter's
// gradient over training: every layer, from C1 to the output, keeps receiving gradients of a
// usable size, so every layer learns. (The recurrent networks of the next notebooks will show
// what it looks like when that fails.) Then a few test images the network gets wrong, each
// captioned "true → predicted": most are understandable — a shirt called a T-shirt, a pullover
// called a coat.

// %% id="gradients-mistakes-code"
display(grads.figure());
// After training, one batch's gradient still reaches every parameter with a usable size.
opt.zeroGrad();
F.crossEntropy(lenet(Xtrain.slice(0, 0, 64)), ytrain.slice(0, 0, 64)).backward();
for (const p of lenet.parameters()) expect(p.grad!.norm().item()).toBeGreaterThan(1e-3);
opt.zeroGrad();
const wrong = yTrue.flatMap((t, i) => (t !== yPred[i] ? [i] : [])).slice(0, 16);
expect(wrong.length).toBeGreaterThan(0);
showImages(stack(wrong.map((i) => Xtest[i])), { labels: wrong.map((i) => `${classes[yTrue[i]]} → ${classes[yPred[i]]}`), nrow: 8 })

// %% [markdown] id="beyond-classification"
// ## Beyond classifying whole images
//
// LeNet answers one question per image: which class? The same building blocks answer richer
// questions. *Localisation* adds a few outputs that regress the corners of a box around the
// object; *detection* finds several objects and a box for each; *segmentation* labels every
// pixel, which a network can do by keeping its feature maps image-shaped all the way to the end
// (no flatten, no fully connected layers) and scaling them back up to the input size. And the
// depth grew: modern image networks stack dozens or hundreds of convolution layers, but each one
// is the operation of the previous notebook, and their first layers learn edge and colour
// detectors much like the kernels we drew by hand.

// %% [markdown] id="exercises"
// ## Exercises
//
// **Exercise 1 — shapes through LeNet.** Write `lenetShapes(n)`: for an $n \times n$ grey input,
// the shapes `[channels, height, width]` after C1 (six $5 \times 5$ kernels, padding 2), S2
// ($2 \times 2$ max pooling), C3 (sixteen $5 \times 5$ kernels, no padding) and S4 ($2 \times 2$
// max pooling), as a list of four shapes. Pooling rounds down when a side is odd.

// %% id="ex-lenet-shapes"
function lenetShapes(n: number): number[][] {
  // BEGIN SOLUTION
  // STUB: return []; // replace with your code
  const c1 = n + 2 * 2 - 5 + 1;
  const s2 = Math.floor(c1 / 2);
  const c3 = s2 - 5 + 1;
  const s4 = Math.floor(c3 / 2);
  return [[6, c1, c1], [6, s2, s2], [16, c3, c3], [16, s4, s4]];
  // END SOLUTION
}

// %% id="test-lenet-shapes"
// @test lenet_shapes_public 1 point
expect(await student.call("lenetShapes", 28)).toEqual([[6, 28, 28], [6, 14, 14], [16, 10, 10], [16, 5, 5]]);

// %% id="test-lenet-shapes-hidden"
// @test lenet_shapes_hidden 2 points hidden
const convStack = new nn.Sequential(new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2));
for (const n of [32, 36, 29, 45]) {
  let x = zeros([1, 1, n, n]);
  const seen: number[][] = [];
  for (let i = 0; i < 6; i++) {
    x = convStack.at(i).forward(x);
    if (i !== 1 && i !== 4) seen.push(x.shape.slice(1)); // after C1, S2, C3, S4 (not the ReLUs)
  }
  expect(await student.call("lenetShapes", n)).toEqual(seen);
}

// %% [markdown] id="ex-build-prompt"
// **Exercise 2 — build LeNet-5.** Write `buildLeNet(numClasses)`, returning an `nn.Sequential`
// with the architecture of the table above (C1, S2, C3, S4, flatten, F5 with 120 units, F6 with
// 84, and an output layer with `numClasses` scores; ReLU after each convolution and after F5
// and F6) for $28 \times 28$ grey images. The tests run a batch through your model and count
// its parameters.

// %% id="ex-build"
function buildLeNet(numClasses: number): nn.Sequential {
  // BEGIN SOLUTION
  // STUB: return new nn.Sequential(); // replace with your code
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, numClasses),
  );
  // END SOLUTION
}

// %% id="test-build"
// @test build_public 1 point
expect(await student.eval("buildLeNet(10).forward(zeros([2, 1, 28, 28])).shape")).toEqual([2, 10]);

// %% id="test-build-hidden"
// @test build_hidden 2 points hidden
expect(await student.eval("buildLeNet(10).parameters().reduce((s, p) => s + p.numel(), 0)")).toBe(61706);
expect(await student.eval("buildLeNet(3).forward(zeros([5, 1, 28, 28])).shape")).toEqual([5, 3]);
expect(await student.eval("buildLeNet(3).parameters().reduce((s, p) => s + p.numel(), 0)")).toBe(61706 - 850 + 84 * 3 + 3);
expect(await student.eval("buildLeNet(10).parameters().map((p) => p.shape)")).toEqual(
  [[6, 1, 5, 5], [6], [16, 6, 5, 5], [16], [120, 400], [120], [84, 120], [84], [10, 84], [10]],
);

// %% [markdown] id="ex-confusion-prompt"
// **Exercise 3 — confusion matrix and per-class accuracy.** Write `confusion(yTrue, yPred, k)`,
// the $k \times k$ matrix whose entry `[i][j]` counts the samples of true class `i` predicted as
// class `j`, and `perClassAccuracy(matrix)`, the fraction of each true class predicted
// correctly (diagonal over row sum; `0` for a class with no samples).

// %% id="ex-confusion"
function confusion(yTrue: number[], yPred: number[], k: number): number[][] {
  // BEGIN SOLUTION
  // STUB: return []; // replace with your code
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  yTrue.forEach((t, i) => m[t][yPred[i]]++);
  return m;
  // END SOLUTION
}
function perClassAccuracy(matrix: number[][]): number[] {
  // BEGIN SOLUTION
  // STUB: return []; // replace with your code
  return matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : row[i] / total;
  });
  // END SOLUTION
}

// %% id="test-confusion"
// @test confusion_public 1 point
expect(await student.call("confusion", [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)).toEqual([[1, 1, 0], [0, 1, 0], [1, 0, 2]]);

// %% id="test-confusion-hidden"
// @test confusion_hidden 3 points hidden
manualSeed(5);
for (const [n, k] of [[50, 4], [200, 10], [7, 3]]) {
  const t = randint(k, [n]).toArray() as number[], p = randint(k, [n]).toArray() as number[];
  const want = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => t.filter((ti, s) => ti === i && p[s] === j).length));
  expect(await student.call("confusion", t, p, k)).toEqual(want);
  const acc = want.map((row, i) => (row.reduce((a, b) => a + b, 0) ? row[i] / row.reduce((a, b) => a + b, 0) : 0));
  expect(await student.call("perClassAccuracy", want)).toBeCloseTo(acc, { atol: 1e-9 });
}
expect(await student.call("perClassAccuracy", [[2, 0], [0, 0]])).toEqual([1, 0]);

// %% [markdown] id="ex-rf-prompt"
// **Exercise 4 — receptive field.** Write `receptiveField(layers)`, where `layers` is a list of
// `[kernelSize, stride]` pairs (convolutions and poolings alike, in order), returning the side
// of the receptive field of one unit of the last layer, using the rule
// $r \leftarrow r + (k - 1) j$, $j \leftarrow j s$ from $r = j = 1$.

// %% id="ex-rf"
function receptiveField(layers: number[][]): number {
  // BEGIN SOLUTION
  // STUB: return 0; // replace with your code
  let r = 1, j = 1;
  for (const [k, s] of layers) {
    r += (k - 1) * j;
    j *= s;
  }
  return r;
  // END SOLUTION
}

// %% id="test-rf"
// @test rf_public 1 point
expect(await student.call("receptiveField", [[5, 1]])).toBe(5);

// %% id="test-rf-hidden"
// @test rf_hidden 2 points hidden
expect(await student.call("receptiveField", [[5, 1], [2, 2], [5, 1], [2, 2]])).toBe(16);
expect(await student.call("receptiveField", [[3, 1], [3, 1], [3, 1]])).toBe(7);
expect(await student.call("receptiveField", [[3, 1], [2, 2], [3, 1], [2, 2], [3, 1]])).toBe(18);
expect(await student.call("receptiveField", [[7, 2], [3, 2], [3, 1]])).toBe(19);
