// %% [markdown] id="intro"
// # Gradient descent and backpropagation
//
// A network is a function $f(x; W)$ with many adjustable numbers $W$. Training means choosing those
// numbers so that the empirical risk $J(W)$ — the average loss over the training set, see notebook 04 —
// becomes small. This notebook answers the two questions that training raises:
//
// 1. **Which way should the weights move?** Against the gradient $\partial J / \partial W$: that is
//    *gradient descent*.
// 2. **How do we get that gradient for thousands of weights at once?** By the chain rule, applied
//    from the loss back towards the inputs while reusing every intermediate result: that is
//    *backpropagation*.
//
// The centre of the notebook is a complete worked example: a network with two inputs, two hidden
// sigmoid units and two sigmoid outputs, one training pair, and one step of gradient descent. We
// compute every intermediate number by hand with tensors, check each one against the lecture's value,
// then let autograd do the same work and put both results side by side.

// %% id="imports"
import { tensor, linspace, nn, plot, noGrad, displayBundle } from "gradnote";
import type { Tensor } from "gradnote";
const F = nn.functional;

/**
 * Draws a small computation graph as SVG: nodes at (x, y) with labels (lines split at "<br>"),
 * edges with labels at `labelAt` of the way along them. Shown with displayBundle, so it renders in any front end.
 */
function graphFigure(title: string, nodes: Record<string, [number, number, string]>, edges: [string, string, string][], labelAt = 0.3): void {
  const xsN = Object.values(nodes).map((n) => n[0]), ysN = Object.values(nodes).map((n) => n[1]);
  const [x0, x1, y0, y1] = [Math.min(...xsN), Math.max(...xsN), Math.min(...ysN), Math.max(...ysN)];
  const W = 720, H = 360, pad = 80;
  const px = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * pad);
  const py = (y: number) => 60 + ((y1 - y) / (y1 - y0 || 1)) * (H - 130);
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16">${esc(title)}</text>`];
  for (const [a, b, label] of edges) {
    const [ax, ay, bx, by] = [px(nodes[a][0]), py(nodes[a][1]), px(nodes[b][0]), py(nodes[b][1])];
    out.push(`<line x1="${ax}" y1="${ay}" x2="${bx}" y2="${by}" stroke="#999" stroke-width="1.5"/>`);
    if (label) out.push(`<text x="${ax + labelAt * (bx - ax)}" y="${ay + labelAt * (by - ay) - 8}" text-anchor="middle" fill="#b22">${esc(label)}</text>`);
  }
  for (const [x, y, label] of Object.values(nodes)) {
    out.push(`<circle cx="${px(x)}" cy="${py(y)}" r="11" fill="#9cf" stroke="#36c"/>`);
    label.split("<br>").forEach((line, k) => out.push(`<text x="${px(x)}" y="${py(y) + 28 + 15 * k}" text-anchor="middle">${esc(line)}</text>`));
  }
  out.push("</svg>");
  displayBundle({ "image/svg+xml": out.join("\n"), "text/plain": `${title} (a graph of ${Object.keys(nodes).length} nodes)` });
}

// %% [markdown] id="gd-idea"
// ## Gradient descent
//
// Think of $J(W)$ as a landscape over weight space. The gradient $\nabla J(W)$ points in the
// direction in which $J$ climbs fastest, so a small step the other way lowers it. Gradient descent
// repeats that step:
//
// 1. initialise the weights at random, e.g. $W \sim \mathcal{N}(0, \sigma^2)$;
// 2. until the loss stops improving: compute $\frac{\partial J(W)}{\partial W}$ and update
//    $$W \leftarrow W - \eta\,\frac{\partial J(W)}{\partial W};$$
// 3. return the weights.
//
// The *learning rate* $\eta$ (some texts write $\gamma \in [0, 1]$) sets the step length. For a
// tiny problem one could instead set every partial derivative to zero and solve the equations
// analytically, but for a network the equations are far too many and too tangled, so we walk
// downhill instead. Start with one weight: $J(w) = (w - 3)^2 + 1$, whose derivative is
// $J'(w) = 2(w - 3)$ and whose minimum is at $w^* = 3$.

// %% id="gd-1d"
const J1 = (w: number) => (w - 3) ** 2 + 1;
let w = -2;                      // a poor starting guess
const eta = 0.1;
const path1d: number[] = [w];
for (let step = 0; step < 40; step++) {
  const grad = 2 * (w - 3);      // J'(w)
  w = w - eta * grad;            // the update rule
  path1d.push(w);
}
// Each step multiplies the distance to the minimum by (1 - 2η) = 0.8, so after 40 steps it is 5 · 0.8^40.
expect(Math.abs(w - 3)).toBeCloseTo(5 * 0.8 ** 40, { atol: 1e-9 });
expect(J1(w)).toBeLessThan(1 + 1e-6);
plot.line({ "w after each step": path1d }, { title: "Gradient descent on J(w) = (w − 3)² + 1", xlabel: "step", ylabel: "w", markers: true })

// %% [markdown] id="chain-rule"
// ## The chain rule on a computation graph
//
// A network computes its loss through a chain of small operations. For a single sigmoid neuron with
// squared error the chain is
// $$z = w x + b, \qquad \hat y = \sigma(z), \qquad J = \tfrac12 (y - \hat y)^2 .$$
// Drawn as a graph, each node knows only its own *local* derivative: $\partial z/\partial w = x$,
// $\partial \hat y/\partial z = \sigma(z)(1 - \sigma(z))$ and $\partial J/\partial \hat y = -(y - \hat y)$.
// The chain rule multiplies the local derivatives along the path from the loss back to the weight:
// $$\frac{\partial J}{\partial w} = \frac{\partial J}{\partial \hat y}\cdot\frac{\partial \hat y}{\partial z}\cdot\frac{\partial z}{\partial w}.$$
// For a weight one layer further from the output the path is one factor longer. The forward pass
// stores every node's value; the backward pass walks the graph in reverse, and whatever has been
// multiplied so far (the "upstream" gradient) is shared by every weight further back. That sharing is
// what makes backpropagation cheap: one backward pass costs a small multiple (roughly two) of one
// forward pass, however many weights there are.
//
// Below, the three factors by hand, and autograd walking the same graph.

// %% id="chain-rule-code"
const xc = 1.5, yc = 1.0, wc = 0.8, bc = -0.2;
const zc = wc * xc + bc;
const yhat = 1 / (1 + Math.exp(-zc));
const dJ_dyhat = -(yc - yhat);
const dyhat_dz = yhat * (1 - yhat);
const dz_dw = xc;
const dJ_dw_hand = dJ_dyhat * dyhat_dz * dz_dw;

const wt = tensor(wc, { dtype: "float64", requiresGrad: true });
const Jc = tensor(yc, { dtype: "float64" }).sub(wt.mul(xc).add(bc).sigmoid()).square().mul(0.5);
Jc.backward();
console.log({ dJ_dyhat, dyhat_dz, dz_dw, byHand: dJ_dw_hand, autograd: wt.grad!.item() });
expect(wt.grad!.item()).toBeCloseTo(dJ_dw_hand, { atol: 1e-15 });

// %% id="chain-rule-graph"
// The graph of this computation: each node shows its value (forward) and ∂J/∂node (backward);
// each edge shows the local derivative that the backward pass multiplies in.
const fmt = (x: number) => x.toFixed(4);
graphFigure("z = w·x + b,  ŷ = σ(z),  J = ½(y − ŷ)²", {
  w: [0, 1, `w = ${wc}<br>∂J/∂w = ${fmt(dJ_dw_hand)}`],
  x: [0, 0, `x = ${xc}`],
  b: [0, -1, `b = ${bc}`],
  z: [1, 0, `z = ${fmt(zc)}<br>∂J/∂z = ${fmt(dJ_dyhat * dyhat_dz)}`],
  yhat: [2, 0, `ŷ = ${fmt(yhat)}<br>∂J/∂ŷ = ${fmt(dJ_dyhat)}`],
  J: [3, 0, `J = ${fmt(0.5 * (yc - yhat) ** 2)}`],
}, [["w", "z", `∂z/∂w = x = ${xc}`], ["x", "z", ""], ["b", "z", "∂z/∂b = 1"], ["z", "yhat", `σ'(z) = ${fmt(dyhat_dz)}`], ["yhat", "J", `−(y − ŷ) = ${fmt(dJ_dyhat)}`]], 0.5)

// %% [markdown] id="backprop-network"
// ## The worked example: one step of backpropagation by hand
//
// The network has inputs $i_1, i_2$, hidden units $h_1, h_2$ and outputs $o_1, o_2$, all hidden and
// output units using the logistic sigmoid $\sigma(z) = 1/(1 + e^{-z})$. Each unit first forms its
// *net input* (weighted sum plus bias) and then its *output* $\text{out} = \sigma(\text{net})$:
//
// | quantity | value |
// |---|---|
// | inputs $i_1, i_2$ | 0.05, 0.10 |
// | targets for $o_1, o_2$ | 0.01, 0.99 |
// | $w_1, w_2$ (into $h_1$), $w_3, w_4$ (into $h_2$) | 0.15, 0.20, 0.25, 0.30 |
// | $w_5, w_6$ (into $o_1$), $w_7, w_8$ (into $o_2$) | 0.40, 0.45, 0.50, 0.55 |
// | biases $b_1$ (hidden layer), $b_2$ (output layer) | 0.35, 0.60 |
// | learning rate $\eta$ | 0.5 |
//
// We store the weights of a layer as a matrix with one row per receiving unit, so
// $W^{(1)} = \begin{bmatrix} w_1 & w_2 \\ w_3 & w_4 \end{bmatrix}$ and
// $W^{(2)} = \begin{bmatrix} w_5 & w_6 \\ w_7 & w_8 \end{bmatrix}$. Everything is in `float64`
// so the numbers match the lecture's to nine digits. As in the lecture, the biases stay fixed
// during the update; only $w_1 \dots w_8$ learn (exercise 4 asks what changes if the biases learn too).

// %% id="backprop-setup"
const f64 = { dtype: "float64" as const };
const inputs = tensor([0.05, 0.10], f64);
const targets = tensor([0.01, 0.99], f64);
const W1 = tensor([[0.15, 0.20], [0.25, 0.30]], f64);
const W2 = tensor([[0.40, 0.45], [0.50, 0.55]], f64);
const b1 = 0.35, b2 = 0.60, lr = 0.5;
const v = (t: Tensor) => Array.from(t.dataSync());   // a tensor's elements as numbers
graphFigure("The 2–2–2 network of the worked example", {
  i1: [0, 1, "i₁ = 0.05"], i2: [0, -1, "i₂ = 0.10"], bias1: [1, -2, "b₁ = 0.35"],
  h1: [1.5, 1, "h₁"], h2: [1.5, -1, "h₂"], bias2: [2.5, -2, "b₂ = 0.60"],
  o1: [3, 1, "o₁ → 0.01"], o2: [3, -1, "o₂ → 0.99"],
}, [
  ["i1", "h1", "w₁ = 0.15"], ["i2", "h1", "w₂ = 0.20"], ["i1", "h2", "w₃ = 0.25"], ["i2", "h2", "w₄ = 0.30"],
  ["h1", "o1", "w₅ = 0.40"], ["h2", "o1", "w₆ = 0.45"], ["h1", "o2", "w₇ = 0.50"], ["h2", "o2", "w₈ = 0.55"],
  ["bias1", "h1", ""], ["bias1", "h2", ""], ["bias2", "o1", ""], ["bias2", "o2", ""],
])

// %% [markdown] id="backprop-forward-md"
// ### Forward pass
//
// $$\text{net}_{h_1} = w_1 i_1 + w_2 i_2 + b_1 = 0.15 \cdot 0.05 + 0.2 \cdot 0.1 + 0.35 = 0.3775,
// \qquad \text{out}_{h_1} = \sigma(0.3775) \approx 0.593 .$$
// The same for $h_2$, and then for the output layer, whose inputs are the hidden outputs:
// $\text{net}_{o_1} = w_5\,\text{out}_{h_1} + w_6\,\text{out}_{h_2} + b_2$. In matrix form the whole
// forward pass is two lines: $\text{net}_h = W^{(1)} i + b_1$, $\text{out}_h = \sigma(\text{net}_h)$,
// then $\text{net}_o = W^{(2)} \text{out}_h + b_2$, $\text{out}_o = \sigma(\text{net}_o)$.

// %% id="backprop-forward"
const netH = W1.matmul(inputs).add(b1);
const outH = netH.sigmoid();
const netO = W2.matmul(outH).add(b2);
const outO = netO.sigmoid();
const [netH1, netH2] = v(netH), [outH1, outH2] = v(outH);
const [netO1, netO2] = v(netO), [outO1, outO2] = v(outO);
console.log({ netH1, outH1, netH2, outH2, netO1, outO1, netO2, outO2 });
// The lecture's values, at the precision it prints them.
expect(netH1).toBeCloseTo(0.3775, { atol: 1e-12 });
expect(outH1).toBeCloseTo(0.593, { atol: 5e-4 });
expect(outH2).toBeCloseTo(0.597, { atol: 5e-4 });
expect(netO1).toBeCloseTo(1.106, { atol: 5e-4 });
expect(outO1).toBeCloseTo(0.751, { atol: 5e-4 });
expect(outO2).toBeCloseTo(0.773, { atol: 5e-4 });
// The two the lecture leaves to the reader: net_h2 = 0.25·0.05 + 0.30·0.10 + 0.35, net_o2 = w7·out_h1 + w8·out_h2 + b2.
expect(netH2).toBeCloseTo(0.3925, { atol: 1e-12 });
expect(netO2).toBeCloseTo(0.50 * outH1 + 0.55 * outH2 + 0.60, { atol: 1e-12 });

// %% [markdown] id="backprop-error-md"
// ### The error
//
// The loss is half the squared error summed over the two outputs,
// $$E_{\text{total}} = \sum_k \tfrac12(\text{target}_k - \text{out}_{o_k})^2 = E_{o_1} + E_{o_2}.$$
// The factor $\tfrac12$ is there only so that the derivative comes out without a 2. Output $o_1$
// should be 0.01 but is 0.751, so it contributes by far the larger part of the error.

// %% id="backprop-error"
const Eo = targets.sub(outO).square().mul(0.5);
const [Eo1, Eo2] = v(Eo);
const Etotal = Eo.sum().item();
console.log({ Eo1, Eo2, Etotal });
expect(Eo1).toBeCloseTo(0.275, { atol: 5e-4 });
expect(Eo2).toBeCloseTo(0.024, { atol: 5e-4 });
expect(Etotal).toBeCloseTo(0.298371109, { atol: 1e-9 });
expect(Eo1).toBeGreaterThan(10 * Eo2);   // o1 is the output that is badly wrong

// %% [markdown] id="backprop-w5-md"
// ### Backward pass: one output weight, $w_5$
//
// $w_5$ reaches the error only through $\text{net}_{o_1}$ and then $\text{out}_{o_1}$, so
// $$\frac{\partial E_{\text{total}}}{\partial w_5} = \frac{\partial E_{\text{total}}}{\partial \text{out}_{o_1}}\cdot\frac{\partial \text{out}_{o_1}}{\partial \text{net}_{o_1}}\cdot\frac{\partial \text{net}_{o_1}}{\partial w_5}.$$
// The three factors are: $-(\text{target}_1 - \text{out}_{o_1}) = 0.741$ (only $E_{o_1}$ depends on
// $\text{out}_{o_1}$); the sigmoid's slope $\text{out}_{o_1}(1 - \text{out}_{o_1}) = 0.187$; and
// $\text{out}_{h_1} = 0.593$, because $\text{net}_{o_1}$ is linear in $w_5$ with that coefficient.

// %% id="backprop-w5"
const dE_dOutO1 = -(0.01 - outO1);
const dOutO1_dNetO1 = outO1 * (1 - outO1);
const dNetO1_dW5 = outH1;
const dE_dW5 = dE_dOutO1 * dOutO1_dNetO1 * dNetO1_dW5;
console.log({ dE_dOutO1, dOutO1_dNetO1, dNetO1_dW5, dE_dW5 });
expect(dE_dOutO1).toBeCloseTo(0.741, { atol: 5e-4 });
expect(dOutO1_dNetO1).toBeCloseTo(0.187, { atol: 5e-4 });
expect(dE_dW5).toBeCloseTo(0.082167041, { atol: 1e-9 });
const w5new = 0.40 - lr * dE_dW5;
expect(w5new).toBeCloseTo(0.359, { atol: 5e-4 });

// %% [markdown] id="backprop-output-layer-md"
// ### All four output weights at once
//
// The product of the first two factors is worth a name: the **error signal** (or *delta*) of an
// output unit, $\delta_{o_k} = (\text{out}_{o_k} - \text{target}_k)\,\text{out}_{o_k}(1 - \text{out}_{o_k})$.
// The weight from hidden unit $j$ into output $k$ then has gradient $\delta_{o_k}\,\text{out}_{h_j}$.
// For the whole matrix that is an outer product,
// $$\frac{\partial E}{\partial W^{(2)}} = \delta_o\, \text{out}_h^{\top},$$
// the same $\frac{\partial J}{\partial W} = \delta x^{\top}$ pattern that appears for any linear
// layer: the error at the layer's output times the input the layer saw.

// %% id="backprop-output-layer"
const deltaO = outO.sub(targets).mul(outO).mul(outO.neg().add(1));   // δ_o, shape [2]
const gradW2 = deltaO.unsqueeze(1).matmul(outH.unsqueeze(0));       // outer product, [2, 2]
const W2new = W2.sub(gradW2.mul(lr));
const [w5p, w6p, w7p, w8p] = v(W2new);
console.log({ gradW2: v(gradW2), w5p, w6p, w7p, w8p });
expect(v(gradW2)[0]).toBeCloseTo(dE_dW5, { atol: 1e-15 });
expect([w5p, w6p, w7p, w8p]).toBeCloseTo([0.359, 0.409, 0.511, 0.561], { atol: 5e-4 });

// %% [markdown] id="backprop-hidden-layer-md"
// ### Backward pass into the hidden layer
//
// A hidden output feeds *both* output units, so its effect on the error arrives along two paths,
// and the chain rule **adds** the contributions of the paths:
// $$\frac{\partial E_{\text{total}}}{\partial \text{out}_{h_1}} = \frac{\partial E_{o_1}}{\partial \text{out}_{h_1}} + \frac{\partial E_{o_2}}{\partial \text{out}_{h_1}} = \delta_{o_1} w_5 + \delta_{o_2} w_7 .$$
// In matrix form the hidden deltas are $\delta_h = (W^{(2)\top}\delta_o) \odot \text{out}_h \odot (1 - \text{out}_h)$,
// and $\partial E/\partial W^{(1)} = \delta_h\, i^{\top}$. Note that $W^{(2)}$ here is the **old**
// matrix: all gradients are computed at the current weights first, and only then are the weights
// changed. For $w_1$ the result is $\partial E/\partial w_1 \approx 0.00044$ — tiny compared with
// $w_5$'s 0.082, because it is scaled by the small input $i_1 = 0.05$ and by two sigmoid slopes.

// %% id="backprop-hidden-layer"
const deltaH = W2.t().matmul(deltaO).mul(outH).mul(outH.neg().add(1));  // δ_h, uses the old W2
const gradW1 = deltaH.unsqueeze(1).matmul(inputs.unsqueeze(0));        // δ_h i^T
const W1new = W1.sub(gradW1.mul(lr));
const [w1p, w2p, w3p, w4p] = v(W1new);
const dE_dW1 = v(gradW1)[0];
console.log({ dE_dW1, w1p, w2p, w3p, w4p });
expect(dE_dW1).toBeCloseTo(0.00044, { atol: 5e-6 });
// The lecture prints these to four decimals (and cuts 0.14978 to 0.1497): they agree to 1e-4.
expect([w1p, w2p, w3p, w4p]).toBeCloseTo([0.1497, 0.1996, 0.2498, 0.2995], { atol: 1e-4 });
expect(Math.abs(dE_dW1)).toBeLessThan(Math.abs(dE_dW5) / 100);

// %% [markdown] id="backprop-after-step-md"
// ### After the step
//
// With all eight weights updated, the forward pass is run again. The error drops from 0.298 to
// 0.291: a small improvement, as expected from a single step, but in the right direction.

// %% id="backprop-after-step"
const forward = (A: Tensor, B: Tensor) => B.matmul(A.matmul(inputs).add(b1).sigmoid()).add(b2).sigmoid();
const errorOf = (A: Tensor, B: Tensor) => targets.sub(forward(A, B)).square().mul(0.5).sum().item();
const EtotalAfter = errorOf(W1new, W2new);
console.log({ before: Etotal, after: EtotalAfter });
expect(EtotalAfter).toBeCloseTo(0.291, { atol: 5e-4 });
expect(EtotalAfter).toBeLessThan(Etotal);

// %% [markdown] id="backprop-autograd-md"
// ## The same step by autograd
//
// Now we write only the forward pass, mark $W^{(1)}$ and $W^{(2)}$ as needing gradients and call
// `backward()`. Autograd records the same computation graph we walked by hand and multiplies the
// same local derivatives in the same order, so the gradients agree with ours to the last bits of a
// `float64`. The table lists every quantity twice.

// %% id="backprop-autograd"
const A1 = W1.clone().requiresGrad_(), A2 = W2.clone().requiresGrad_();
const outAuto = A2.matmul(A1.matmul(inputs).add(b1).sigmoid()).add(b2).sigmoid();
const Eauto = targets.sub(outAuto).square().mul(0.5).sum();
Eauto.backward();
const W1auto = noGrad(() => A1.sub(A1.grad!.mul(lr)));
const W2auto = noGrad(() => A2.sub(A2.grad!.mul(lr)));
const rows: [string, number, number][] = [
  ["E_total", Etotal, Eauto.item()],
  ...["w1", "w2", "w3", "w4"].map((n, i): [string, number, number] => [`∂E/∂${n}`, v(gradW1)[i], v(A1.grad!)[i]]),
  ...["w5", "w6", "w7", "w8"].map((n, i): [string, number, number] => [`∂E/∂${n}`, v(gradW2)[i], v(A2.grad!)[i]]),
  ...["w1", "w2", "w3", "w4"].map((n, i): [string, number, number] => [`new ${n}`, v(W1new)[i], v(W1auto)[i]]),
  ...["w5", "w6", "w7", "w8"].map((n, i): [string, number, number] => [`new ${n}`, v(W2new)[i], v(W2auto)[i]]),
  ["E_total after the step", EtotalAfter, errorOf(W1auto, W2auto)],
];
for (const [name, hand, auto] of rows) expect(auto).toBeCloseTo(hand, { atol: 1e-15 });
displayBundle({
  "text/markdown": ["| quantity | by hand | by autograd |", "|---|---|---|", ...rows.map(([n, h, a]) => `| ${n} | ${h.toFixed(9)} | ${a.toFixed(9)} |`)].join("\n"),
  "text/plain": rows.map(([n, h, a]) => `${n.padEnd(24)} ${h.toFixed(9)}  ${a.toFixed(9)}`).join("\n"),
});

// %% [markdown] id="backprop-many-steps-md"
// ## Repeating the step
//
// One step lowered the error by about 2%. Repeating the same update ten thousand times on this single
// training pair drives the error down to about $3.5 \times 10^{-5}$, with outputs close to the targets
// 0.01 and 0.99. The curve is drawn on a logarithmic axis: after a fast start the error keeps
// shrinking steadily.

// %% id="backprop-many-steps"
let P1 = W1.clone(), P2 = W2.clone();
const history: number[] = [];
for (let step = 0; step < 10000; step++) {
  const a = P1.requiresGrad_(), b = P2.requiresGrad_();
  const E = targets.sub(b.matmul(a.matmul(inputs).add(b1).sigmoid()).add(b2).sigmoid()).square().mul(0.5).sum();
  E.backward();
  if (step % 50 === 0 || step === 9999) history.push(E.item());
  P1 = noGrad(() => a.sub(a.grad!.mul(lr)));
  P2 = noGrad(() => b.sub(b.grad!.mul(lr)));
}
const errorAtStep10000 = history[history.length - 1];   // the error seen by the 10 000th update
console.log({ errorAtStep10000, outputs: v(noGrad(() => forward(P1, P2))) });
expect(errorAtStep10000).toBeCloseTo(0.0000351085, { atol: 5e-11 });
plot.line({ "E_total": history }, { x: history.map((_, i) => Math.min(i * 50, 9999)), logy: true, title: "Error of the worked example over 10 000 steps", xlabel: "step", ylabel: "E_total" })

// %% [markdown] id="gradcheck-md"
// ## Checking gradients with finite differences
//
// Backpropagation code is easy to get subtly wrong, and a wrong gradient often still lowers the loss
// a little, so the bug hides. A standard safeguard is to compare with a *central difference*:
// $$\frac{\partial E}{\partial w} \approx \frac{E(w + \varepsilon) - E(w - \varepsilon)}{2\varepsilon},$$
// whose error shrinks like $\varepsilon^2$. It needs two forward passes per weight — hopeless for a
// real network, fine for checking eight weights.

// %% id="gradcheck"
const eps = 1e-6;
const numeric: number[] = [];
for (const [layer, M] of [[1, W1], [2, W2]] as const) {
  for (let k = 0; k < 4; k++) {
    const bump = (d: number) => {
      const flat = v(M);
      flat[k] += d;
      const Mb = tensor([flat.slice(0, 2), flat.slice(2)], f64);
      return layer === 1 ? errorOf(Mb, W2) : errorOf(W1, Mb);
    };
    numeric.push((bump(eps) - bump(-eps)) / (2 * eps));
  }
}
const analytic = [...v(gradW1), ...v(gradW2)];
console.log({ numeric, analytic });
expect(numeric).toBeCloseTo(analytic, { atol: 1e-9 });

// %% [markdown] id="deep-formulas"
// ## Backpropagation in general
//
// For a network with layers $a^{(1)} = x$, $z^{(l+1)} = W^{(l)} a^{(l)}$, $a^{(l+1)} = \sigma(z^{(l+1)})$
// and an output $\hat y$ whose error signal is $(\hat y - y)$, the gradients repeat one pattern,
// each one a factor longer than the one after it:
// $$\frac{\partial J}{\partial W^{(3)}} = (\hat y - y)\, a^{(3)}, \quad
// \frac{\partial J}{\partial W^{(2)}} = (\hat y - y)\, W^{(3)} \sigma'(z^{(3)})\, a^{(2)}, \quad
// \frac{\partial J}{\partial W^{(1)}} = (\hat y - y)\, W^{(3)} \sigma'(z^{(3)})\, W^{(2)} \sigma'(z^{(2)})\, x .$$
// Backpropagation computes them from right to left, so each product is formed once and reused.
// Two consequences are worth keeping in mind. First, every layer multiplies in a factor
// $\sigma'(z) \le 0.25$, which is why gradients in the first layers of deep sigmoid networks can
// become vanishingly small (notebook 03 shows it). Second, the method is just the chain rule plus
// bookkeeping: it was popularised for neural networks in 1986 and is exactly what `backward()` does.
// The three steps of every training iteration are always the same: a **forward pass** to get
// predictions, a **comparison** with the targets (the loss), and a **backward pass** to get gradients,
// followed by the update. One pass over all training data is called an **epoch**.

// %% [markdown] id="gd-path-md"
// ## Watching gradient descent walk on a loss surface
//
// With two weights we can see the whole landscape. Take
// $J(\theta_0, \theta_1) = (\theta_0 - 1)^2 + 5(\theta_1 + 0.5)^2$, a bowl that is five times steeper
// in $\theta_1$ than in $\theta_0$. We pick a starting point, compute the gradient with autograd, take
// a step against it, and repeat, recording where we have been. The path first drops quickly across
// the steep direction and then creeps along the flat valley floor towards the minimum at $(1, -0.5)$.

// %% id="gd-path"
const bowl = (t: Tensor) => t.select(0, 0).sub(1).square().add(t.select(0, 1).add(0.5).square().mul(5));
let theta = tensor([-1.6, 1.2], { requiresGrad: true });
const trail: number[][] = [v(theta)];
for (let step = 0; step < 30; step++) {
  const loss = bowl(theta);
  loss.backward();
  theta = noGrad(() => theta.sub(theta.grad!.mul(0.08))).requiresGrad_();
  trail.push(v(theta));
}
const grid0 = v(linspace(-2, 2, 41)), grid1 = v(linspace(-1.5, 1.5, 31));
const surfaceZ = grid1.map((t1) => grid0.map((t0) => (t0 - 1) ** 2 + 5 * (t1 + 0.5) ** 2));
const pathFigure = plot.contour(surfaceZ, { x: grid0, y: grid1, title: "Gradient descent on J(θ₀, θ₁)", xlabel: "θ₀", ylabel: "θ₁" });
pathFigure.data.push({ type: "scatter", mode: "lines+markers", name: "path", x: trail.map((p) => p[0]), y: trail.map((p) => p[1]), line: { color: "white" } });
const [end0, end1] = trail[trail.length - 1];
expect([end0, end1]).toBeCloseTo([1, -0.5], { atol: 0.05 });
expect(bowl(tensor(trail[trail.length - 1])).item()).toBeLessThan(bowl(tensor(trail[0])).item() / 100);
pathFigure

// %% [markdown] id="gd-nonconvex-md"
// ## Non-convex losses: where you start matters
//
// The bowl above has a single minimum, so every start leads to it. The loss of a neural network is
// not convex: it has many valleys (and saddle points), and gradient descent only promises to reach
// the bottom of the valley it starts in. That is why initialisation matters. A one-dimensional
// example, $J(w) = w^4 - 3w^2 + w$, has two valleys; two starting points end in different ones,
// and only one of them is the global minimum.

// %% id="gd-nonconvex"
const J4 = (x: number) => x ** 4 - 3 * x ** 2 + x;
const descend = (x0: number) => {
  let x = x0;
  for (let i = 0; i < 200; i++) x -= 0.01 * (4 * x ** 3 - 6 * x + 1);
  return x;
};
const fromLeft = descend(-2), fromRight = descend(2);
console.log({ fromLeft, J: J4(fromLeft), fromRight, J_: J4(fromRight) });
expect(fromLeft).toBeLessThan(0);
expect(fromRight).toBeGreaterThan(0);
expect(J4(fromLeft)).toBeLessThan(J4(fromRight));   // the right start is stuck in a worse valley
const ws = v(linspace(-2, 2, 81));
plot.line({ "J(w)": ws.map(J4) }, { x: ws, title: "Two valleys: w⁴ − 3w² + w", xlabel: "w", ylabel: "J(w)" })

// %% [markdown] id="summary"
// ## Summary
//
// - Gradient descent: $W \leftarrow W - \eta\, \partial J/\partial W$, repeated until the loss stops
//   improving; it finds the bottom of the valley it starts in.
// - Backpropagation is the chain rule on the computation graph, run from the loss backwards. Local
//   derivatives multiply along a path; contributions of different paths add.
// - An output unit's error signal is $\delta = (\text{out} - \text{target})\,\sigma'(\text{net})$; a
//   layer's weight gradient is $\delta\,\text{input}^{\top}$; hidden deltas are $W^{\top}\delta$ times the
//   hidden unit's own slope.
// - The worked example: $E_{\text{total}} = 0.298371109$ before and $0.291$ after one step,
//   $\partial E/\partial w_5 = 0.082167041$; autograd reproduces every number, and finite differences
//   confirm them.

// %% [markdown] id="exercises"
// ## Exercises
//
// **Exercise 1.** Write `sigmoidBackward(out, upstream)`: given a sigmoid unit's output
// $\text{out} = \sigma(\text{net})$ and the gradient $\partial E/\partial \text{out}$ arriving from above,
// return $\partial E/\partial \text{net}$.

// %% id="ex-sigmoid-backward"
function sigmoidBackward(out: number, upstream: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code here
  return upstream * out * (1 - out);
  // END SOLUTION
}

// %% id="test-sigmoid-backward"
// @test sigmoid_backward_public 1 point
expect(await student.call("sigmoidBackward", 0.5, 1)).toBeCloseTo(0.25, { atol: 1e-12 });

// %% id="test-sigmoid-backward-hidden"
// @test sigmoid_backward_hidden 2 points hidden
for (const [o, g] of [[0.75136507, 0.74136507], [0.1, -2], [0.9, 3.5]]) {
  expect(await student.call("sigmoidBackward", o, g)).toBeCloseTo(g * o * (1 - o), { atol: 1e-12 });
}

// %% [markdown] id="ex-gd-md"
// **Exercise 2.** Write `minimizeQuadratic(a, c, w0, lr, steps)`: run `steps` steps of gradient
// descent on $J(w) = a(w - c)^2$ from $w_0$ with learning rate `lr`, and return the final $w$.
// (Work out $J'(w)$ yourself.)

// %% id="ex-gd"
function minimizeQuadratic(a: number, c: number, w0: number, lr: number, steps: number): number {
  // BEGIN SOLUTION
  // STUB: return w0; // your code here
  let wq = w0;
  for (let i = 0; i < steps; i++) wq -= lr * 2 * a * (wq - c);
  return wq;
  // END SOLUTION
}

// %% id="test-gd"
// @test gd_public 1 point
expect(await student.call("minimizeQuadratic", 1, 3, -2, 0.1, 200)).toBeCloseTo(3, { atol: 1e-6 });

// %% id="test-gd-hidden"
// @test gd_hidden 2 points hidden
// One step from 0 with a = 2, c = 1, lr = 0.1: w = 0 - 0.1 * 2 * 2 * (0 - 1) = 0.4.
expect(await student.call("minimizeQuadratic", 2, 1, 0, 0.1, 1)).toBeCloseTo(0.4, { atol: 1e-12 });
// Too large a step (lr * 2a > 2) makes gradient descent diverge.
expect(Math.abs(await student.call("minimizeQuadratic", 1, 0, 1, 1.5, 20) as number)).toBeGreaterThan(1000);
expect(await student.call("minimizeQuadratic", 0.5, -4, 10, 0.3, 100)).toBeCloseTo(-4, { atol: 1e-6 });

// %% [markdown] id="ex-output-delta-md"
// **Exercise 3.** Write `outputGradients(outH, outO, target)` for a sigmoid output layer with the
// squared error $E = \sum_k \frac12(\text{target}_k - \text{out}_{o_k})^2$: return the matrix
// $\partial E/\partial W^{(2)}$ as an array of rows (row $k$ = output unit $k$, column $j$ = hidden
// unit $j$). Use plain numbers or tensors, as you like.

// %% id="ex-output-delta"
function outputGradients(outH: number[], outO: number[], target: number[]): number[][] {
  // BEGIN SOLUTION
  // STUB: return []; // your code here
  return outO.map((o, k) => outH.map((h) => (o - target[k]) * o * (1 - o) * h));
  // END SOLUTION
}

// %% id="test-output-delta"
// @test output_gradients_public 1 point
expect(await student.call("outputGradients", [1, 0], [0.5], [0])).toBeCloseTo([[0.125, 0]], { atol: 1e-12 });

// %% id="test-output-delta-hidden"
// @test output_gradients_hidden 3 points hidden
// The worked example's output layer: ∂E/∂w5 = 0.082167041.
const gOut = await student.call("outputGradients", [0.593269992, 0.596884378], [0.75136507, 0.772928465], [0.01, 0.99]);
expect((gOut as number[][])[0][0]).toBeCloseTo(0.082167041, { atol: 1e-8 });
expect(gOut).toBeCloseTo([[0.082167041, 0.082667628], [-0.022602540, -0.022740242]], { atol: 1e-8 });
// Three hidden units, one output.
expect(await student.call("outputGradients", [0.2, 0.4, 1], [0.3], [1])).toBeCloseTo([[-0.0294, -0.0588, -0.147]], { atol: 1e-12 });

// %% [markdown] id="ex-backprop-step-md"
// **Exercise 4.** Write `backpropStep(w, x, target, lr)` for the 2–2–2 sigmoid network of the worked
// example with fixed biases $b_1 = 0.35$, $b_2 = 0.6$: `w` is $[w_1, \dots, w_8]$ in the lecture's
// order, `x` the two inputs, `target` the two targets. Return the eight weights after one step of
// gradient descent on $E_{\text{total}}$. (Check yourself: the worked example must give
// $w_5^+ \approx 0.359$. Then think about it: how would the result change if the biases learned too?)

// %% id="ex-backprop-step"
function backpropStep(wts: number[], x: number[], target: number[], rate: number): number[] {
  // BEGIN SOLUTION
  // STUB: return wts; // your code here
  const A = tensor([wts.slice(0, 2), wts.slice(2, 4)], f64).requiresGrad_();
  const B = tensor([wts.slice(4, 6), wts.slice(6, 8)], f64).requiresGrad_();
  const out = B.matmul(A.matmul(tensor(x, f64)).add(0.35).sigmoid()).add(0.6).sigmoid();
  tensor(target, f64).sub(out).square().mul(0.5).sum().backward();
  return [...v(noGrad(() => A.sub(A.grad!.mul(rate)))), ...v(noGrad(() => B.sub(B.grad!.mul(rate))))];
  // END SOLUTION
}

// %% id="test-backprop-step"
// @test backprop_step_public 1 point
const stepped = await student.call("backpropStep", [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55], [0.05, 0.1], [0.01, 0.99], 0.5);
expect((stepped as number[])[4]).toBeCloseTo(0.35891648, { atol: 1e-6 });

// %% id="test-backprop-step-hidden"
// @test backprop_step_hidden 3 points hidden
const mine = await student.call("backpropStep", [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55], [0.05, 0.1], [0.01, 0.99], 0.5);
expect(mine).toBeCloseTo([0.149780716, 0.19956143, 0.24975114, 0.29950229, 0.35891648, 0.408666186, 0.511301270, 0.561370121], { atol: 1e-6 });
// Another network and input: the reference is computed here with autograd.
const wr = [0.3, -0.1, 0.8, 0.2, -0.5, 0.7, 0.1, -0.9], xr = [1.0, -2.0], tr = [0.9, 0.2];
const Ar = tensor([wr.slice(0, 2), wr.slice(2, 4)], { dtype: "float64", requiresGrad: true });
const Br = tensor([wr.slice(4, 6), wr.slice(6, 8)], { dtype: "float64", requiresGrad: true });
tensor(tr, { dtype: "float64" }).sub(Br.matmul(Ar.matmul(tensor(xr, { dtype: "float64" })).add(0.35).sigmoid()).add(0.6).sigmoid()).square().mul(0.5).sum().backward();
const want = [...Array.from(Ar.grad!.dataSync()), ...Array.from(Br.grad!.dataSync())].map((g, i) => wr[i] - 0.1 * g);
expect(await student.call("backpropStep", wr, xr, tr, 0.1)).toBeCloseTo(want, { atol: 1e-9 });
