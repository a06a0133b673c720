// %% [markdown] id="conv-title"
// # 9. Convolution: kernels, padding, stride, depth and pooling
//
// A fully connected layer treats an image as a bag of unrelated numbers: pixel 17 and pixel 18
// mean nothing special to it, even though they sit side by side. Images are not like that.
// Neighbouring pixels usually have similar values, an edge is an edge wherever it appears, and
// objects are built from small parts (edges make shapes, shapes make objects). Convolution is the
// operation that puts this knowledge into a network: a small grid of weights, the *kernel*,
// slides over the image and computes the same weighted sum at every position.
//
// This notebook builds convolution from the ground up. We first count how many weights a fully
// connected layer would need for a real photograph, then compute a single kernel response by
// hand, look at classic kernels (blur, sharpen, edge and line detectors) on real images, and
// work through the settings that shape a convolution layer: padding, stride, depth (channels)
// and pooling. Every number the lectures compute is recomputed here and checked by `expect`.
// The next notebook stacks these pieces into a full network, LeNet-5.

// %% id="conv-imports"
import { Tensor, tensor, zeros, randn, stack, cat, manualSeed, noGrad, nn, optim, data, plot, showImages, showFilters } from "gradnote";
manualSeed(0);
const F = nn.functional;

// %% [markdown] id="motivation-params"
// ## Why not a fully connected layer?
//
// A colour photograph of modest size has $200 \times 200$ pixels and three colour channels
// (red, green, blue), so it is a vector of $200 \cdot 200 \cdot 3 = 120{,}000$ numbers. A fully
// connected layer that maps this vector to a hidden layer of the same size has one weight per
// (input, output) pair:
//
// $$ (200 \cdot 200 \cdot 3)^2 = 120{,}000^2 = 14{,}400{,}000{,}000 \text{ weights.} $$
//
// Fourteen billion weights for a single layer is hopeless: it would not fit in memory, and even
// if it did, so many free parameters would fit noise in any realistic training set (in the
// language of the bias–variance trade-off, the variance would be far too high). A convolution
// layer makes two assumptions that cut this number down: **local connectivity** (an output pixel
// depends only on a small neighbourhood of input pixels) and **weight sharing** (the same
// weights are used at every position, because a pattern means the same thing wherever it
// appears). The cell below does the arithmetic, and compares it with a convolution layer of ten
// $5 \times 5$ kernels on the same image, whose cost does not depend on the image size at all.

// %% id="motivation-params-code"
const photoValues = 200 * 200 * 3;
const fcWeights = photoValues ** 2;
const convLayer = new nn.Conv2d(3, 10, 5, { padding: 2 });
const convParams = convLayer.parameters().reduce((s, p) => s + p.numel(), 0);
console.log(`values in a 200×200 RGB image: ${photoValues.toLocaleString("en")}`);
console.log(`weights of one fully connected layer 120,000 → 120,000: ${fcWeights.toLocaleString("en")}`);
console.log(`parameters of a conv layer with ten 5×5×3 kernels: ${convParams}`);
expect(photoValues).toBe(120_000);
expect(fcWeights).toBe(14_400_000_000);
expect(convParams).toBe(760);

// %% [markdown] id="kernel-definition"
// ## A kernel is a small grid of weights
//
// Place a $3 \times 3$ grid of weights $W$ over the image so that its centre sits on one pixel.
// Multiply each weight by the pixel underneath it and add the nine products. That sum is the
// output value at the centre pixel:
//
// $$ \text{out} = \sum_{p=1}^{P} W_p \cdot \text{pixel}_p , $$
//
// where $P = 9$ for a $3 \times 3$ kernel. Sliding the kernel to every position gives a new
// image, called a *feature map*. The lectures' example puts the kernel
//
// $$ W = \begin{pmatrix} -1 & 0 & 1 \\ -2 & 0 & 2 \\ -1 & 0 & 1 \end{pmatrix} $$
//
// over the patch $\begin{pmatrix} 3 & 2 & 1 \\ 1 & 2 & 3 \\ 1 & 1 & 1 \end{pmatrix}$:
//
// $$ (3 \cdot -1) + (2 \cdot 0) + (1 \cdot 1) + (1 \cdot -2) + (2 \cdot 0) + (3 \cdot 2) + (1 \cdot -1) + (1 \cdot 0) + (1 \cdot 1) = 2 . $$
//
// A kernel's grid size (its height and width) is how many pixels it sees at once. Odd sizes are
// the norm, so that there is a centre pixel to write the output to, but the grid does not have
// to be square: a $1 \times 3$ kernel looks at a pixel and its left and right neighbours only.
//
// The kernel has negative weights on the left and positive weights on the right, so it answers
// the question "is the right side brighter than the left side?" — here a little (2). We compute
// the sum twice: once as an elementwise product, once with `F.conv2d`, which expects a batch of
// images `[n, channels, h, w]` and a stack of kernels `[out, in, kh, kw]`.

// %% id="kernel-3x3-example"
const patch = tensor([[3, 2, 1], [1, 2, 3], [1, 1, 1]]).float();
const sobelX = tensor([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]).float();
const byHand = patch.mul(sobelX).sum().item();
const byConv = F.conv2d(patch.reshape([1, 1, 3, 3]), sobelX.reshape([1, 1, 3, 3])).item();
console.log(`sum of products: ${byHand}, F.conv2d: ${byConv}`);
expect(byHand).toBe(2);
expect(byConv).toBe(2);
// A 1×3 kernel (height 1, width 3) on a 5×5 image: each output is a sum over three pixels of one row.
const oneByThree = F.conv2d(zeros([1, 1, 5, 5]).add(1), tensor([[[[1, 1, 1]]]]).float());
expect(oneByThree.shape).toEqual([1, 1, 5, 3]);
expect(oneByThree.max().item()).toBe(3);

// %% [markdown] id="conv-vs-correlation"
// ### Convolution or correlation?
//
// Convolution comes from mathematics, where the convolution of two functions $f$ and $g$ is
// a third function that says how the shape of one is smeared by the other:
//
// $$ (f * g)(t) = \int_{-\infty}^{\infty} f(\tau)\, g(t - \tau)\, d\tau . $$
//
// For images the integral becomes a sum over pixel offsets. In signal processing, the
// convolution of a filter $f$ with an image $I$ flips the filter before sliding it:
//
// $$ (f * I)(x, y) = \sum_{i, j} f(i, j)\, I(x - i, y - j), $$
//
// while *correlation* slides it unflipped: $\sum_{i,j} f(i,j)\, I(x + i, y + j)$. What deep
// learning libraries call "convolution" (`F.conv2d` here, as in PyTorch) is correlation. For a
// symmetric kernel (a blur) the two agree; for the kernel above, flipping it in both directions
// negates it, so the true convolution of our patch gives $-2$. In a network the difference does
// not matter: the kernels are learned, and the network would simply learn the flipped kernel.
//
// The same definition exists in one dimension, where convolving a signal with a *box filter*
// (a run of equal weights that sum to one) replaces each value by the average of its
// neighbourhood and so blurs the signal. The plot shows a noisy step smoothed by a box of width 5.

// %% id="conv-vs-correlation-code"
// gradnote has no flip op yet: reverse the rows and the columns by hand.
const flip2d = (m: number[][]) => m.slice().reverse().map((r) => r.slice().reverse());
const flipped = tensor(flip2d(sobelX.toArray() as number[][]));
const trueConvolution = F.conv2d(patch.reshape([1, 1, 3, 3]), flipped.reshape([1, 1, 3, 3])).item();
expect(trueConvolution).toBe(-2);
// A symmetric kernel is its own flip, so convolution and correlation agree.
const gaussian = tensor([[1, 2, 1], [2, 4, 2], [1, 2, 1]]).float().div(16);
expect(flip2d(gaussian.toArray() as number[][])).toEqual(gaussian.toArray());
// 1-D: a noisy step, blurred by a box filter of width 5.
const steps = Array.from({ length: 60 }, (_, i) => (i < 30 ? 0 : 1));
const noisy = tensor(steps).float().add(randn([60]).mul(0.15));
const box = tensor([1, 1, 1, 1, 1]).float().div(5);
const smooth = F.conv1d(noisy.reshape([1, 1, 60]), box.reshape([1, 1, 5]), null, { padding: 2 }).reshape([60]);
// The smoothed signal wiggles less: its mean squared difference from the clean step is smaller away from the jump.
const err = (s: number[]) => s.reduce((a, v, i) => a + (Math.abs(i - 29.5) > 4 ? (v - steps[i]) ** 2 : 0), 0);
expect(err(smooth.toArray() as number[])).toBeLessThan(err(noisy.toArray() as number[]));
plot.line({ noisy: noisy, "box filter (width 5)": smooth }, { title: "1-D convolution with a box filter blurs", xlabel: "position" })

// %% [markdown] id="kernels-as-detectors"
// ## Kernels as feature detectors
//
// Because the output is a dot product between the kernel and the patch under it, a kernel
// responds most strongly where the patch *looks like the kernel*. That makes kernels local
// feature detectors. Long before neural networks, image processing used hand-designed kernels:
//
// * **blur** — all weights positive and summing to one (a box, or the Gaussian-like
//   $\tfrac{1}{16}\begin{pmatrix}1&2&1\\2&4&2\\1&2&1\end{pmatrix}$): each pixel becomes an average
//   of its neighbourhood;
// * **sharpen** — $\begin{pmatrix}0&-1&0\\-1&5&-1\\0&-1&0\end{pmatrix}$: the pixel minus the
//   average difference to its neighbours, which exaggerates local contrast;
// * **Sobel** — the kernel of the example above finds horizontal changes of brightness
//   (vertical edges); its transpose finds vertical changes (horizontal edges);
// * **line detectors** — a column of $+1$ between two columns of $-1$ fires on a thin vertical
//   line, and the same pattern turned on its side fires on a horizontal line;
// * **corner detector** — the lectures show one without its numbers; we use an "L" of $+1$
//   (centre, right arm, lower arm) among $-1$s, which fires on the top-left corner of an outline.
//
// First a test image we understand completely: the outline of a square, one pixel thick. The
// vertical line detector gives its largest value, 3, exactly on the two vertical sides; the
// corner detector gives its largest value, 3, exactly at the top-left corner.

// %% id="detector-kernels"
const kernels: Record<string, number[][]> = {
  blur: [[1, 2, 1], [2, 4, 2], [1, 2, 1]].map((r) => r.map((v) => v / 16)),
  sharpen: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
  "Sobel x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
  "Sobel y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
  "vertical line": [[-1, 1, -1], [-1, 1, -1], [-1, 1, -1]],
  "horizontal line": [[-1, -1, -1], [1, 1, 1], [-1, -1, -1]],
  corner: [[-1, -1, -1], [-1, 1, 1], [-1, 1, -1]],
};
const names = Object.keys(kernels);
// All kernels as one weight tensor [7, 1, 3, 3]: one conv2d call applies all of them.
const bank = tensor(names.map((n) => [kernels[n]])).float();
const square = zeros([12, 12]);
const sq = square.toArray() as number[][];
for (let i = 2; i <= 9; i++) sq[2][i] = sq[9][i] = sq[i][2] = sq[i][9] = 1;
const squareImg = tensor(sq).float().reshape([1, 1, 12, 12]);
const squareMaps = F.conv2d(squareImg, bank, null, { padding: 1 })[0];
const vertical = squareMaps[names.indexOf("vertical line")].toArray() as number[][];
const corner = squareMaps[names.indexOf("corner")].toArray() as number[][];
const cellsWith = (m: number[][], v: number) => m.flatMap((row, i) => row.flatMap((x, j) => (x === v ? [[i, j]] : [])));
expect(Math.max(...vertical.flat())).toBe(3);
// Value 3 only on the vertical sides (columns 2 and 9), away from the corners.
expect(cellsWith(vertical, 3).every(([, j]) => j === 2 || j === 9)).toBe(true);
expect(Math.max(...corner.flat())).toBe(3);
expect(cellsWith(corner, 3)).toEqual([[2, 2]]);
showImages(cat([squareImg, squareMaps.unsqueeze(1)]), { labels: ["input", ...names], normalize: "each", nrow: 8, scale: 6 })

// %% [markdown] id="kernels-on-images"
// Now the same seven kernels on real images: three pieces of clothing from Fashion-MNIST
// ($28 \times 28$ grey images) and a handwritten digit from the $8 \times 8$ digits set. Each row
// is one image: first the input, then the seven feature maps. Look at how the blur softens the
// shapes, how sharpen brings out the texture of the fabric, and how the two Sobel kernels light
// up the left/right and top/bottom borders of each garment (bright on one side, dark on the
// other, because the sign tells which way the brightness changes). The line and corner kernels
// have weights that sum to a negative number, so on these filled shapes a large bright area
// comes out dark and only thin bright structures (stripes, seams, the logo on the T-shirt)
// stand out. Every map is scaled on its own, so compare shapes, not brightness, between maps.

// %% id="kernels-on-images-code"
const fashion = data.fashionMNIST({ limit: 100 });
const [fashionX, fashionY] = fashion.tensors;
const digits = data.digits8x8();
const [digitX] = digits.tensors;
function filterRows(images: Tensor) {
  const maps = F.conv2d(images, bank, null, { padding: 1 }); // [n, 7, h, w]
  const [n, k, h, w] = maps.shape;
  const rows = cat([images, maps], 1); // [n, 8, h, w]: input then its seven maps
  return { maps, grid: rows.reshape([n * (k + 1), 1, h, w]) };
}
const chosen = stack([fashionX[0], fashionX[1], fashionX[2]]);
const fashionRows = filterRows(chosen);
showImages(fashionRows.grid, { nrow: 8, normalize: "each", scale: 3, labels: Array.from({ length: 3 }, () => ["input", ...names]).flat() });
showImages(filterRows(digitX.slice(0, 0, 1)).grid, { nrow: 8, normalize: "each", scale: 8 });
// Checks of what the figure shows: blurring makes an image smoother (smaller differences between
// neighbours); a Sobel kernel's weights sum to 0, so it gives 0 on any flat region.
const roughness = (img: Tensor) => img.slice(-1, 1).sub(img.slice(-1, 0, -1)).square().mean().item();
expect(roughness(fashionRows.maps[0][0])).toBeLessThan(roughness(chosen[0][0]));
const flat = F.conv2d(zeros([1, 1, 6, 6]).add(0.7), bank);
expect(flat[0][names.indexOf("Sobel x")].abs().max().item()).toBeLessThan(1e-6);
expect(flat[0][names.indexOf("Sobel y")].abs().max().item()).toBeLessThan(1e-6);

// %% [markdown] id="edge-maps-two-layers"
// ### Stacking edge detectors
//
// The lectures show a feature map produced by a first convolution layer and what a second
// layer makes of it with the kernel $\begin{pmatrix}-1&-1&-1\\1&1&1\\0&0&0\end{pmatrix}$, which
// highlights horizontal edges (rows brighter than the row above them). The second map is the
// first one correlated with this kernel, with the window anchored at its top-left corner and
// zeros assumed beyond the right and bottom borders, so the output keeps the $8 \times 8$ size.
// In code that is `F.pad` with two zero columns on the right and two zero rows at the bottom,
// followed by an unpadded `F.conv2d`. All 64 numbers match the lecture's map.

// %% id="edge-maps-two-layers-code"
const layer1 = tensor([
  [0, 1, 2, 3, 2, 1, 0, 0], [0, 0, -1, -2, -2, -1, 0, 0], [0, 0, 1, 2, 2, 1, 0, 0], [0, -1, -2, -2, -1, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0, 0], [0, 1, 2, 2, 1, 0, 0, 0], [0, -1, -2, -3, -2, -1, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0],
]).float();
const edgeKernel = tensor([[-1, -1, -1], [1, 1, 1], [0, 0, 0]]).float();
const layer2Lecture = [
  [-4, -9, -12, -11, -6, -2, 0, 0], [2, 6, 10, 10, 6, 2, 0, 0], [-4, -8, -10, -8, -4, -1, 0, 0], [3, 5, 5, 3, 1, 0, 0, 0],
  [3, 5, 5, 3, 1, 0, 0, 0], [-6, -11, -12, -9, -4, -1, 0, 0], [3, 6, 7, 6, 3, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0],
];
// F.pad's amounts start from the last dim: [left, right, top, bottom].
const layer2 = F.conv2d(F.pad(layer1.reshape([1, 1, 8, 8]), [0, 2, 0, 2]), edgeKernel.reshape([1, 1, 3, 3])).reshape([8, 8]);
expect(layer2.toArray()).toEqual(layer2Lecture);
display(plot.heatmap(layer1, { title: "layer 1 feature map", showValues: true, colorscale: "rdbu", width: 420, height: 380 }));
plot.heatmap(layer2, { title: "layer 2: horizontal-edge kernel on layer 1", showValues: true, colorscale: "rdbu", width: 420, height: 380 })

// %% [markdown] id="padding"
// ## Padding
//
// A $3 \times 3$ kernel centred on a border pixel would hang over the edge of the image, so
// without special treatment the border pixels never become centre pixels and the output is
// smaller than the input. This *edge effect* costs $F - 1$ rows and columns for an $F \times F$
// kernel: the lectures' $5 \times 5$ input gives a $3 \times 3$ output. *Padding* adds a frame of
// extra pixels around the input, almost always zeros (*zero padding*); with one pixel of padding
// every original pixel becomes a centre once, and the output is $5 \times 5$ again. The first
// value of the padded output is the one the lectures compute: $-1$.

// %% id="padding-code"
const input5 = tensor([[1, 2, 0, 3, 1], [1, 0, 0, 2, 2], [2, 1, 2, 1, 1], [0, 0, 1, 0, 0], [1, 2, 1, 1, 1]]).float().reshape([1, 1, 5, 5]);
const kernel3 = tensor([[-1, 1, 2], [1, 1, 0], [-1, -2, 0]]).float().reshape([1, 1, 3, 3]);
const noPad = F.conv2d(input5, kernel3)[0][0];
const pad1 = F.conv2d(input5, kernel3, null, { padding: 1 })[0][0];
const padded = F.pad(input5, [1, 1, 1, 1])[0][0].toArray() as number[][];
console.log("the input with one pixel of zero padding:\n" + padded.map((r) => r.map((v) => String(v).padStart(3)).join("")).join("\n"));
expect(noPad.shape).toEqual([3, 3]);
expect(noPad.toArray()).toEqual([[-2, -1, 3], [2, 5, 8], [-2, 0, -1]]);
expect(pad1.shape).toEqual([5, 5]);
expect(pad1.toArray()).toEqual([[-1, 2, 2, -1, -2], [2, -2, -1, 3, -1], [3, 2, 5, 8, 2], [2, -2, 0, -1, -3], [1, 5, 4, 1, 2]]);
expect(pad1[0][0].item()).toBe(-1);
// Without padding we get exactly the interior of the padded output.
expect(pad1.slice(0, 1, 4).slice(1, 1, 4).toArray()).toEqual(noPad.toArray());
display(plot.heatmap(noPad, { title: "no padding: 3×3 output", showValues: true, colorscale: "rdbu", width: 360, height: 320 }));
plot.heatmap(pad1, { title: "padding 1: 5×5 output", showValues: true, colorscale: "rdbu", width: 420, height: 380 })

// %% [markdown] id="stride"
// ## Stride
//
// The *stride* is the step the kernel takes between two positions. With stride 1 it visits
// every position; with stride 2 it skips every other row and column, so the output shrinks
// roughly by half in each direction. (Strides can differ vertically and horizontally, but are
// usually equal.) On the same $5 \times 5$ input, stride 2 without padding visits only the
// positions whose top-left corner is at row and column 0 or 2, giving a $2 \times 2$ map;
// with padding 1 it gives a $3 \times 3$ map. A strided output is simply the stride-1 output
// with rows and columns skipped, which the cell checks.

// %% id="stride-code"
const stride2 = F.conv2d(input5, kernel3, null, { stride: 2 })[0][0];
const stride2pad1 = F.conv2d(input5, kernel3, null, { stride: 2, padding: 1 })[0][0];
expect(stride2.toArray()).toEqual([[-2, 3], [-2, -1]]);
expect(stride2pad1.toArray()).toEqual([[-1, 2, -2], [3, 5, 2], [1, 4, 2]]);
const every2 = (m: number[][]) => m.filter((_, i) => i % 2 === 0).map((r) => r.filter((_, j) => j % 2 === 0));
expect(stride2.toArray()).toEqual(every2(noPad.toArray() as number[][]));
expect(stride2pad1.toArray()).toEqual(every2(pad1.toArray() as number[][]));
display(plot.heatmap(stride2, { title: "stride 2, no padding: 2×2", showValues: true, colorscale: "rdbu", width: 320, height: 280 }));
plot.heatmap(stride2pad1, { title: "stride 2, padding 1: 3×3", showValues: true, colorscale: "rdbu", width: 360, height: 320 })

// %% [markdown] id="output-size"
// ## The output size formula
//
// For an $N \times N$ input, an $F \times F$ kernel, padding $P$ and stride $S$, the kernel's
// left edge can start at positions $0, S, 2S, \dots$ as long as the kernel stays inside the
// padded input of width $N + 2P$. Counting those positions gives
//
// $$ \text{output size} = \frac{N - F + 2P}{S} + 1 . $$
//
// The lectures' cases, for a $7 \times 7$ input and a $3 \times 3$ kernel without padding:
//
// * stride 1: $(7 - 3)/1 + 1 = 5$;
// * stride 2: $(7 - 3)/2 + 1 = 3$;
// * stride 3: $(7 - 3)/3 + 1 = 2.33\ldots$ — not an integer, so the kernel **does not fit**: it
//   starts at columns 0 and 3, and the next start, column 6, would need columns 6, 7 and 8 of an
//   image that ends at column 6. PyTorch (and gradnote) silently round down and ignore the last
//   column, which is why a careful designer picks sizes for which the formula is an integer.
//
// With stride 1, padding $P = (F - 1)/2$ keeps the size: $F = 3$ needs $P = 1$, $F = 5$ needs
// $P = 2$, $F = 7$ needs $P = 3$. A $7 \times 7$ input padded by 1 and convolved with a
// $3 \times 3$ kernel is $7 \times 7$ again.

// %% id="output-size-code"
const outSize = (n: number, f: number, p: number, s: number) => (n - f + 2 * p) / s + 1;
const seven = zeros([1, 1, 7, 7]);
const three = zeros([1, 1, 3, 3]);
expect(outSize(7, 3, 0, 1)).toBe(5);
expect(outSize(7, 3, 0, 2)).toBe(3);
expect(outSize(7, 3, 0, 3)).toBeCloseTo(2.3333333, { atol: 1e-6 });
expect(Number.isInteger(outSize(7, 3, 0, 3))).toBe(false);
expect(F.conv2d(seven, three, null, { stride: 1 }).shape).toEqual([1, 1, 5, 5]);
expect(F.conv2d(seven, three, null, { stride: 2 }).shape).toEqual([1, 1, 3, 3]);
// Stride 3: the window starts at 0 and 3; a start at 6 would need columns 6..8 of a 7-wide image.
const starts = [0, 3, 6];
expect(starts.map((c) => c + 3 <= 7)).toEqual([true, true, false]);
expect(F.conv2d(seven, three, null, { stride: 3 }).shape).toEqual([1, 1, 2, 2]); // rounded down
// "Same" padding (F - 1) / 2 keeps the 7×7 size for F = 3, 5, 7.
for (const f of [3, 5, 7]) {
  const p = (f - 1) / 2;
  expect(outSize(7, f, p, 1)).toBe(7);
  expect(F.conv2d(seven, zeros([1, 1, f, f]), null, { padding: p }).shape).toEqual([1, 1, 7, 7]);
}
console.log("7×7 input, 3×3 kernel: stride 1 →", outSize(7, 3, 0, 1), ", stride 2 →", outSize(7, 3, 0, 2), ", stride 3 →", outSize(7, 3, 0, 3).toFixed(2), "(does not fit)");

// %% [markdown] id="depth-channels"
// ## Depth: channels in, kernels out
//
// A grey image has one number per pixel; a colour image has three (red, green, blue), and a
// CMYK image four. These numbers are the image's *channels*, and their count is its *depth*. A
// kernel always spans the full depth of its input: on an RGB image, a $5 \times 5$ kernel is
// really a $5 \times 5 \times 3$ block of $75$ weights, and its output at one position is the sum
// of all 75 products (plus a bias). So one kernel produces one number per position, that is one
// feature map of depth 1, whatever the input depth.
//
// A layer learns many kernels, and each contributes one feature map; the maps are stacked into
// an output whose depth is the number of kernels. Ten kernels give an output of depth 10. The
// lectures' example: a $32 \times 32 \times 3$ input, ten $5 \times 5$ kernels with stride 1
// and padding 2. Spatially $(32 + 2 \cdot 2 - 5)/1 + 1 = 32$, so the output is
// $32 \times 32 \times 10$. Each kernel has $5 \cdot 5 \cdot 3 = 75$ weights and one bias, so the
// layer has $10 \cdot (75 + 1) = 760$ parameters. With six $5 \times 5$ kernels and no padding
// the same input gives $(32 - 5)/1 + 1 = 28$, a $28 \times 28 \times 6$ output. PyTorch orders
// the dimensions as `[batch, channels, height, width]`, so we expect `[1, 10, 32, 32]`.

// %% id="depth-channels-code"
const rgb = randn([1, 3, 32, 32]);
const tenKernels = new nn.Conv2d(3, 10, 5, { stride: 1, padding: 2 });
const sixKernels = new nn.Conv2d(3, 6, 5);
const out10 = tenKernels(rgb);
expect(outSize(32, 5, 2, 1)).toBe(32);
expect(out10.shape).toEqual([1, 10, 32, 32]);
expect(tenKernels.weight.shape).toEqual([10, 3, 5, 5]);
expect(tenKernels.weight[0].numel()).toBe(75);
const tenParams = tenKernels.parameters().reduce((s, p) => s + p.numel(), 0);
expect(tenParams).toBe(10 * (5 * 5 * 3 + 1));
expect(tenParams).toBe(760);
expect(sixKernels(rgb).shape).toEqual([1, 6, 28, 28]);
// One output map is the sum over the three input channels of a 2-D correlation, plus the bias.
const perChannel = [0, 1, 2].map((c) => F.conv2d(rgb.slice(1, c, c + 1), tenKernels.weight.slice(0, 0, 1).slice(1, c, c + 1), null, { padding: 2 }));
const summed = perChannel[0].add(perChannel[1]).add(perChannel[2]).add(tenKernels.bias!.slice(0, 0, 1).reshape([1, 1, 1, 1]));
expect(summed).toBeCloseTo(out10.slice(1, 0, 1), { atol: 1e-4 });
console.log(`input ${rgb.shape} → ten 5×5 kernels, pad 2 → ${out10.shape} (${tenParams} parameters)`);
showFilters(tenKernels.weight, { scale: 10 })

// %% [markdown] id="params-fc-vs-conv"
// ### Parameters: fully connected versus convolution
//
// Back to the motivating example. For the $200 \times 200 \times 3$ photograph, a fully
// connected layer to an output of the same size needs $14.4$ billion weights. A convolution
// layer producing ten feature maps of the same $200 \times 200$ size needs $760$ parameters — the
// same as on the $32 \times 32$ image, because the kernels are shared by every position. Even an
// output of depth 3 (the same number of values as the input) costs only $3 \cdot (75 + 1) = 228$
// parameters. The cell runs such a layer on a real $200 \times 200 \times 3$ tensor to confirm
// the shapes, and computes the ratio.

// %% id="params-fc-vs-conv-code"
const photo = randn([1, 3, 200, 200]);
const photoOut = noGrad(() => tenKernels(photo));
expect(photoOut.shape).toEqual([1, 10, 200, 200]);
const sameDepth = new nn.Conv2d(3, 3, 5, { padding: 2 });
const sameDepthParams = sameDepth.parameters().reduce((s, p) => s + p.numel(), 0);
expect(noGrad(() => sameDepth(photo)).numel()).toBe(photoValues);
expect(sameDepthParams).toBe(228);
const ratio = fcWeights / sameDepthParams;
console.log(`fully connected: ${fcWeights.toLocaleString("en")} weights; convolution with the same output size: ${sameDepthParams}; ratio ≈ ${ratio.toExponential(2)}`);
expect(ratio).toBeGreaterThan(6e7);
plot.bar(["fully connected", "conv, 10 kernels", "conv, 3 kernels"], [fcWeights, tenParams, sameDepthParams], { title: "Parameters for a 200×200×3 input (log scale)", logy: true })

// %% [markdown] id="pooling"
// ## Pooling
//
// Pooling shrinks a feature map by replacing each patch of pixels with one number. *Max pooling*
// keeps the largest value of each patch; *average pooling* keeps the mean. With $2 \times 2$
// patches and stride 2 (the usual choice) the patches do not overlap and each side of the map is
// halved. Pooling works on every channel separately, so the depth stays the same, and it has no
// parameters at all: there is nothing to learn.
//
// Why throw information away? A smaller map is cheaper for the layers that follow, and a max
// over a patch does not change when the pattern moves by a pixel inside the patch, which makes
// the network less sensitive to small shifts and distortions. The lectures' $4 \times 4$ example
// gives the $2 \times 2$ max-pooled result $\begin{pmatrix}6 & 8\\3 & 4\end{pmatrix}$; the
// average-pooled result of the same input is $\begin{pmatrix}3.25 & 5.25\\2 & 2\end{pmatrix}$.
// The lectures also max-pool the $8 \times 8$ edge map from above with a window of 2 and a
// stride of 2, and the last figure halves a Fashion-MNIST image twice with each kind of pooling.
// Taken to the extreme, *global average pooling* averages each whole feature map into a single
// number, turning a $C \times H \times W$ volume into $C$ values whatever $H$ and $W$ are; many
// modern networks use it instead of flattening before the classifier.

// %% id="pooling-code"
const grid4 = tensor([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]).float().reshape([1, 1, 4, 4]);
const maxPooled = F.maxPool2d(grid4, 2)[0][0];
const avgPooled = F.avgPool2d(grid4, 2)[0][0];
expect(maxPooled.toArray()).toEqual([[6, 8], [3, 4]]);
expect(avgPooled.toArray()).toEqual([[3.25, 5.25], [2, 2]]);
expect(new nn.MaxPool2d(2).parameters().length).toBe(0);
expect(new nn.AvgPool2d(2).parameters().length).toBe(0);
// Pooling acts on each channel separately: depth stays, each side halves.
expect(F.maxPool2d(out10, 2).shape).toEqual([1, 10, 16, 16]);
// Global average pooling: one number per channel, the mean of its map.
const gap = F.adaptiveAvgPool2d(out10, 1);
expect(gap.shape).toEqual([1, 10, 1, 1]);
expect(gap.reshape([10])).toBeCloseTo(out10.mean([2, 3]).reshape([10]), { atol: 1e-5 });
const pooledEdges = F.maxPool2d(layer1.reshape([1, 1, 8, 8]), 2, { stride: 2 })[0][0];
expect(pooledEdges.toArray()).toEqual([[1, 3, 2, 0], [0, 2, 2, 0], [1, 2, 1, 0], [0, 0, 0, 0]]);
display(plot.heatmap(maxPooled, { title: "2×2 max pool", showValues: true, width: 300, height: 280 }));
display(plot.heatmap(avgPooled, { title: "2×2 average pool", showValues: true, width: 300, height: 280 }));
const garment = fashionX.slice(0, 0, 1);
const halves = [F.maxPool2d(garment, 2), F.maxPool2d(garment, 4), F.avgPool2d(garment, 2), F.avgPool2d(garment, 4)];
showImages(garment, { scale: 4, labels: ["28×28 input"] });
showImages(cat(halves.map((h) => F.interpolate(h, { size: [28, 28], mode: "nearest" }))), { scale: 4, nrow: 4, labels: ["max 2×2 → 14×14", "max 4×4 → 7×7", "avg 2×2 → 14×14", "avg 4×4 → 7×7"] });
plot.heatmap(pooledEdges, { title: "edge map, max pool 2 / stride 2", showValues: true, width: 360, height: 320 })

// %% [markdown] id="learned-kernels"
// ## Letting the network choose the kernels
//
// The central idea of a convolutional network is not to design kernels by hand but to *learn*
// them: the kernel weights are parameters like any other, and gradient descent adjusts them so
// that the feature maps help with the task. Because one kernel is shared across the whole image,
// the network detects a pattern anywhere (translation invariance) with very few parameters,
// which also lowers the variance of the model.
//
// A small demonstration: we ask a single $3 \times 3$ convolution, started from random weights,
// to reproduce the Sobel-x feature maps of a few Fashion-MNIST images. Only the images and the
// target maps are given; after a few hundred steps of gradient descent the kernel it has learned
// *is* the Sobel kernel, up to rounding.

// %% id="learned-kernels-code"
manualSeed(1);
const learner = new nn.Conv2d(1, 1, 3, { padding: 1, bias: false });
const trainImgs = fashionX.slice(0, 0, 16);
const targetMaps = F.conv2d(trainImgs, sobelX.reshape([1, 1, 3, 3]), null, { padding: 1 });
const kernelOpt = new optim.Adam(learner.parameters(), { lr: 0.05 });
const fitLosses: number[] = [];
for (let step = 0; step < 300; step++) {
  kernelOpt.zeroGrad();
  const loss = F.mseLoss(learner(trainImgs), targetMaps);
  loss.backward();
  kernelOpt.step();
  fitLosses.push(loss.item());
}
const learned = learner.weight.reshape([3, 3]);
console.log("learned kernel:", (learned.toArray() as number[][]).map((r) => r.map((v) => v.toFixed(3)).join("  ")).join("\n                "));
expect(learned).toBeCloseTo(sobelX, { atol: 0.02 });
expect(fitLosses[fitLosses.length - 1]).toBeLessThan(1e-3 * fitLosses[0]);
plot.line(fitLosses, { title: "Learning the Sobel kernel from examples", xlabel: "step", ylabel: "MSE", logy: true })

// %% [markdown] id="exercises"
// ## Exercises
//
// Each exercise is a function; the tests call it with their own inputs. Plain arrays of numbers
// go in and come out (images and kernels are `number[][]`, rows first).
//
// **Exercise 1 — output size.** Write `convOutputSize(n, f, p, s)`: the output side length of a
// convolution of an $n \times n$ input with an $f \times f$ kernel, padding $p$ and stride $s$.
// When the kernel does not fit (the formula does not give a whole number), return `null`.

// %% id="ex-output-size"
function convOutputSize(n: number, f: number, p: number, s: number): number | null {
  // BEGIN SOLUTION
  // STUB: return 0; // replace with your code
  const size = (n - f + 2 * p) / s + 1;
  return Number.isInteger(size) ? size : null;
  // END SOLUTION
}

// %% id="test-output-size"
// @test output_size_public 1 point
expect(await student.call("convOutputSize", 7, 3, 0, 1)).toBe(5);

// %% id="test-output-size-hidden"
// @test output_size_hidden 2 points hidden
expect(await student.call("convOutputSize", 7, 3, 0, 2)).toBe(3);
expect(await student.call("convOutputSize", 7, 3, 0, 3)).toBe(null);
expect(await student.call("convOutputSize", 32, 5, 2, 1)).toBe(32);
for (const [n, f, p, s] of [[28, 5, 2, 1], [14, 5, 0, 1], [9, 3, 1, 2], [227, 11, 0, 4]]) {
  const out = nn.functional.conv2d(zeros([1, 1, n, n]), zeros([1, 1, f, f]), null, { padding: p, stride: s });
  expect(await student.call("convOutputSize", n, f, p, s)).toBe(out.shape[2]);
}

// %% [markdown] id="ex-conv-loops-prompt"
// **Exercise 2 — convolution with loops.** Write `conv2dLoops(image, kernel, stride, padding)`:
// the correlation of a 2-D `image` with a 2-D `kernel` (any sizes, not necessarily square),
// with zero padding of `padding` pixels on every side and the same `stride` in both
// directions — exactly what `F.conv2d` computes for one channel, but with your own loops.

// %% id="ex-conv-loops"
function conv2dLoops(image: number[][], kernel: number[][], stride: number, padding: number): number[][] {
  // BEGIN SOLUTION
  // STUB: return [[0]]; // replace with your code
  const h = image.length, w = image[0].length, kh = kernel.length, kw = kernel[0].length;
  const at = (i: number, j: number) => (i < 0 || j < 0 || i >= h || j >= w ? 0 : image[i][j]);
  const oh = Math.floor((h + 2 * padding - kh) / stride) + 1, ow = Math.floor((w + 2 * padding - kw) / stride) + 1;
  const out: number[][] = [];
  for (let r = 0; r < oh; r++) {
    const row: number[] = [];
    for (let c = 0; c < ow; c++) {
      let s = 0;
      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) s += kernel[a][b] * at(r * stride - padding + a, c * stride - padding + b);
      row.push(s);
    }
    out.push(row);
  }
  return out;
  // END SOLUTION
}

// %% id="test-conv-loops"
// @test conv_loops_public 1 point
const deckInput = [[1, 2, 0, 3, 1], [1, 0, 0, 2, 2], [2, 1, 2, 1, 1], [0, 0, 1, 0, 0], [1, 2, 1, 1, 1]];
const deckKernel = [[-1, 1, 2], [1, 1, 0], [-1, -2, 0]];
expect(await student.call("conv2dLoops", deckInput, deckKernel, 1, 0)).toEqual([[-2, -1, 3], [2, 5, 8], [-2, 0, -1]]);

// %% id="test-conv-loops-hidden"
// @test conv_loops_hidden 3 points hidden
manualSeed(7);
for (const [h, w, kh, kw, stride, padding] of [[6, 7, 3, 3, 1, 0], [6, 7, 3, 3, 2, 1], [8, 5, 2, 3, 1, 2], [9, 9, 5, 5, 3, 2]]) {
  const img = randn([h, w]), ker = randn([kh, kw]);
  const want = nn.functional.conv2d(img.reshape([1, 1, h, w]), ker.reshape([1, 1, kh, kw]), null, { stride, padding }).reshape([-1]);
  const got = await student.call("conv2dLoops", img.toArray(), ker.toArray(), stride, padding);
  expect(tensor(got as number[][]).reshape([-1])).toBeCloseTo(want, { atol: 1e-4 });
}

// %% [markdown] id="ex-pool-prompt"
// **Exercise 3 — pooling.** Write `pool2d(image, size, kind)`: non-overlapping pooling of a 2-D
// `image` with `size × size` windows and stride `size`, where `kind` is `"max"` or `"avg"`.
// Rows or columns left over at the bottom or right edge (when the side is not a multiple of
// `size`) are dropped, as `F.maxPool2d` does.

// %% id="ex-pool"
function pool2d(image: number[][], size: number, kind: "max" | "avg"): number[][] {
  // BEGIN SOLUTION
  // STUB: return image; // replace with your code
  const oh = Math.floor(image.length / size), ow = Math.floor(image[0].length / size);
  return Array.from({ length: oh }, (_, r) => Array.from({ length: ow }, (_, c) => {
    const vals: number[] = [];
    for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) vals.push(image[r * size + a][c * size + b]);
    return kind === "max" ? Math.max(...vals) : vals.reduce((s, v) => s + v, 0) / vals.length;
  }));
  // END SOLUTION
}

// %% id="test-pool"
// @test pool_public 1 point
expect(await student.call("pool2d", [[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], 2, "max")).toEqual([[6, 8], [3, 4]]);

// %% id="test-pool-hidden"
// @test pool_hidden 2 points hidden
manualSeed(11);
for (const [h, w, size] of [[4, 4, 2], [6, 8, 2], [7, 9, 3], [5, 5, 2]]) {
  const img = randn([1, 1, h, w]);
  const got = await student.call("pool2d", img[0][0].toArray(), size, "max");
  expect(tensor(got as number[][])).toBeCloseTo(nn.functional.maxPool2d(img, size)[0][0], { atol: 1e-6 });
  const avg = await student.call("pool2d", img[0][0].toArray(), size, "avg");
  expect(tensor(avg as number[][])).toBeCloseTo(nn.functional.avgPool2d(img, size)[0][0], { atol: 1e-5 });
}

// %% [markdown] id="ex-params-prompt"
// **Exercise 4 — counting parameters.** Write `convParameters(inChannels, outChannels, k)`, the
// number of learnable parameters (weights and biases) of a convolution layer with `outChannels`
// kernels of size `k × k` over an input with `inChannels` channels, and
// `linearParameters(inFeatures, outFeatures)` for a fully connected layer with biases.

// %% id="ex-params"
function convParameters(inChannels: number, outChannels: number, k: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // replace with your code
  return outChannels * (k * k * inChannels + 1);
  // END SOLUTION
}
function linearParameters(inFeatures: number, outFeatures: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // replace with your code
  return outFeatures * (inFeatures + 1);
  // END SOLUTION
}

// %% id="test-params"
// @test params_public 1 point
expect(await student.call("convParameters", 3, 10, 5)).toBe(760);

// %% id="test-params-hidden"
// @test params_hidden 2 points hidden
const count = (m: { parameters(): { numel(): number }[] }) => m.parameters().reduce((s, p) => s + p.numel(), 0);
for (const [i, o, k] of [[1, 6, 5], [6, 16, 5], [3, 64, 3], [16, 1, 1]]) {
  expect(await student.call("convParameters", i, o, k)).toBe(count(new nn.Conv2d(i, o, k)));
}
for (const [i, o] of [[400, 120], [120, 84], [84, 10]]) expect(await student.call("linearParameters", i, o)).toBe(count(new nn.Linear(i, o)));
