// %% [markdown] id="lstm-title"
// # 12 · LSTM and GRU: recurrent networks that remember
//
// *"The keys I left on the kitchen table this morning, next to the bowl of fruit and yesterday's
// newspaper, … "* — whether the sentence goes on with *are* or *is* depends on a word many words
// back. Notebook 11 showed why a plain RNN struggles with
// such **long-term dependencies**: the gradient that would teach it to use the clue is multiplied
// by the recurrent matrix once per step and has vanished long before it gets there. In practice
// the most recent inputs dominate what a plain RNN outputs.
//
// The **long short-term memory** (LSTM, Hochreiter and Schmidhuber, 1997) was designed against
// exactly this. Its core is a second state vector, the **cell state** $c_t$, which is updated by
// *adding* new information and *scaling* old information, both controlled by learned **gates**.
// In this notebook we
//
// 1. write the gate equations and map them line by line onto code, checked against `nn.LSTM`;
// 2. see why the cell state lets gradients travel far;
// 3. do the same for the **GRU**, a lighter gated cell, checked against `nn.GRU`;
// 4. find a task a plain RNN cannot learn and an LSTM can, and look inside the trained gates; and
// 5. compare RNN, LSTM and GRU as character-level language models.

// %% id="lstm-imports"
import { tensor, zeros, randn, stack, cat, manualSeed, nn, optim, plot, noGrad, Tensor, Generator, displayBundle } from "gradnote";
const F = nn.functional;

// %% [markdown] id="lstm-gates-md"
// ## The gates
//
// A gate is a vector of numbers between 0 and 1 produced by a sigmoid, multiplied element by
// element ($\circ$) with another vector: where the gate is 0 nothing gets through, where it is 1
// everything does. Every gate looks at the current input $x_t$ and the previous hidden state
// $s_{t-1}$ (also written $h_{t-1}$) through its own weights. One LSTM step is
//
// $$\begin{aligned}
// i &= \sigma(x_t U^i + s_{t-1} W^i) && \text{input gate: which cells to write, and how much}\\
// f &= \sigma(x_t U^f + s_{t-1} W^f) && \text{forget gate: how much of each cell to keep}\\
// o &= \sigma(x_t U^o + s_{t-1} W^o) && \text{output gate: which cells to show}\\
// g &= \tanh(x_t U^g + s_{t-1} W^g) && \text{candidate values to write}\\
// c_t &= c_{t-1} \circ f + g \circ i && \text{new cell state}\\
// s_t &= \tanh(c_t) \circ o && \text{new hidden state}
// \end{aligned}$$
//
// (each gate also has a bias, left out above). Another common way to write the same step stacks
// $h_{t-1}$ and $x_t$ into one vector $[h_{t-1}, x_t]$ and gives each gate one matrix:
// $f_t = \sigma(W_f \cdot [h_{t-1}, x_t] + b_f)$, $i_t = \sigma(W_i \cdot [h_{t-1}, x_t] + b_i)$,
// $\tilde{C}_t = \tanh(W_C \cdot [h_{t-1}, x_t] + b_C)$, $C_t = f_t \circ C_{t-1} + i_t \circ
// \tilde{C}_t$, $o_t = \sigma(W_o \cdot [h_{t-1}, x_t] + b_o)$, $h_t = o_t \circ \tanh(C_t)$.
// $W_f$ is just $W^f$ and $U^f$ side by side.
//
// Read as a story: the forget gate erases what is no longer relevant (a new subject appears in a
// sentence, so the grammatical gender of the old one can go), the input gate decides which cells
// receive the candidate $g$, and the output gate decides which part of the memory the rest of the
// network sees now. The cell state is passed on to the next step together with $s_t$. In the
// drawing below the cell state runs straight along the top: on its way it is only multiplied by
// $f$ and added to, which is what will let gradients travel along it.
//
// A one-unit example with only biases (pre-activations $0, 2, 1$ and $1$ for $i, f, o, g$) and an
// old cell value $c_{t-1} = 0.5$: $i = 0.5$, $f = \sigma(2) = 0.880797$, $o = \sigma(1) = 0.731059$,
// $g = \tanh(1) = 0.761594$, so $c_t = 0.5 \cdot 0.880797 + 0.761594 \cdot 0.5 = 0.821196$ and
// $s_t = \tanh(0.821196) \cdot 0.731059 = 0.675720 \cdot 0.731059 = 0.493991$.

// %% id="lstm-one-unit"
const sig = (z: number) => 1 / (1 + Math.exp(-z));
const [gi, gf, go, gg] = [sig(0), sig(2), sig(1), Math.tanh(1)];
const cOne = 0.5 * gf + gg * gi;
const sOne = Math.tanh(cOne) * go;
expect([gi, gf, go, gg]).toBeCloseTo([0.5, 0.880797, 0.731059, 0.761594], { atol: 1e-6 });
expect(cOne).toBeCloseTo(0.821196, { atol: 1e-6 });
expect(sOne).toBeCloseTo(0.493991, { atol: 1e-6 });
({ i: gi, f: gf, o: go, g: gg, c: cOne, s: sOne })

// %% id="lstm-diagram"
/** An SVG drawing of one LSTM step: the cell state runs along the top, the gates sit below it. */
function lstmDiagram(): string {
  const line = (pts: [number, number][], head = false) =>
    `<polyline points="${pts.map((p) => p.join(",")).join(" ")}" fill="none" stroke="#333" stroke-width="1.5"${head ? ' marker-end="url(#arrow)"' : ""}/>`;
  const gate = (x: number, y: number, label: string, name: string) =>
    `<rect x="${x - 26}" y="${y - 16}" width="52" height="32" rx="6" fill="#fde9c8" stroke="#333"/><text x="${x}" y="${y + 5}" text-anchor="middle" font-size="14">${label}</text><text x="${x}" y="292" text-anchor="middle" font-size="11" fill="#555">${name}</text>`;
  const op = (x: number, y: number, sym: string) =>
    `<circle cx="${x}" cy="${y}" r="13" fill="#fff" stroke="#333"/><text x="${x}" y="${y + 5}" text-anchor="middle" font-size="16">${sym}</text>`;
  const text = (x: number, y: number, t: string, anchor = "middle") => `<text x="${x}" y="${y}" text-anchor="${anchor}" font-size="15">${t}</text>`;
  const parts = [
    // the cell state c: multiplied by f, then g ∘ i added
    line([[60, 50], [167, 50]], true), line([[193, 50], [287, 50]], true), line([[313, 50], [600, 50]], true),
    text(55, 55, "c<tspan font-size=\"11\" dy=\"4\">t−1</tspan>", "end"), text(605, 55, "c<tspan font-size=\"11\" dy=\"4\">t</tspan>", "start"),
    // h_{t−1} and x_t feed every gate
    line([[60, 270], [470, 270]]), line([[110, 312], [110, 272]], true),
    text(55, 275, "h<tspan font-size=\"11\" dy=\"4\">t−1</tspan>", "end"), text(110, 330, "x<tspan font-size=\"11\" dy=\"4\">t</tspan>"),
    ...[180, 260, 340, 470].map((x) => line([[x, 270], [x, 208]], true)),
    gate(180, 190, "σ", "forget f"), gate(260, 190, "σ", "input i"), gate(340, 190, "tanh", "candidate g"), gate(470, 190, "σ", "output o"),
    line([[180, 174], [180, 65]], true), op(180, 50, "×"),
    line([[260, 174], [260, 125], [287, 125]], true), line([[340, 174], [340, 125], [313, 125]], true), op(300, 125, "×"),
    line([[300, 112], [300, 65]], true), op(300, 50, "+"),
    // the output: tanh(c_t) gated by o
    line([[540, 50], [540, 92]], true), `<ellipse cx="540" cy="110" rx="26" ry="16" fill="#dcefd9" stroke="#333"/>`, text(540, 115, "tanh"),
    line([[540, 126], [540, 177]], true), line([[496, 190], [527, 190]], true), op(540, 190, "×"),
    line([[540, 203], [540, 300], [600, 300]], true), text(605, 305, "h<tspan font-size=\"11\" dy=\"4\">t</tspan> = s<tspan font-size=\"11\" dy=\"4\">t</tspan>", "start"),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="680" height="340" font-family="sans-serif"><defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker></defs>${parts.join("")}</svg>`;
}
displayBundle({ "image/svg+xml": lstmDiagram(), "text/plain": "one LSTM step: c_t = c_{t-1}·f + g·i, h_t = tanh(c_t)·o; the gates f, i, g, o read h_{t-1} and x_t" });

// %% [markdown] id="lstm-code-md"
// ### Line by line against `nn.LSTM`
//
// gradnote's `nn.LSTM` stores the four input matrices $U^i, U^f, U^g, U^o$ stacked as rows of one
// matrix `weight_ih_l0` of shape `[4·hidden, input]` — in the order **i, f, g, o** — and the four
// recurrent matrices the same way in `weight_hh_l0`; each gate has two biases (`bias_ih_l0`,
// `bias_hh_l0`) that are simply added. It multiplies from the left ($U x_t$ with $U$ of shape
// `[hidden, input]`), which is the transpose of the deck-style $x_t U$; the numbers are the same.
// We cut the matrices into the gates and write one line per equation.

// %% id="lstm-by-hand"
interface LstmWeights { wih: Tensor; whh: Tensor; bih: Tensor; bhh: Tensor }
function lstmWeights(layer: nn.Module): LstmWeights {
  const p = layer.stateDict();
  return { wih: p["weight_ih_l0"], whh: p["weight_hh_l0"], bih: p["bias_ih_l0"], bhh: p["bias_hh_l0"] };
}
/** Rows k·H … (k+1)·H of a stacked matrix or bias: gate k in the order i, f, g, o. */
const gateRows = (m: Tensor, k: number, H: number) => m.narrow(0, k * H, H);
function lstmStepByHand(x: Tensor, sPrev: Tensor, cPrev: Tensor, p: LstmWeights) {
  const H = sPrev.shape[1];
  const pre = (k: number) => x.matmul(gateRows(p.wih, k, H).t()).add(sPrev.matmul(gateRows(p.whh, k, H).t())).add(gateRows(p.bih, k, H)).add(gateRows(p.bhh, k, H));
  const i = pre(0).sigmoid(); // input gate
  const f = pre(1).sigmoid(); // forget gate
  const g = pre(2).tanh(); // candidate
  const o = pre(3).sigmoid(); // output gate
  const c = cPrev.mul(f).add(g.mul(i)); // c_t = c_{t−1} ∘ f + g ∘ i
  const s = c.tanh().mul(o); // s_t = tanh(c_t) ∘ o
  return { s, c, i, f, g, o };
}
manualSeed(12);
const lstm = new nn.LSTM(3, 5); // input 3, hidden 5
const lw = lstmWeights(lstm);
const seq = randn([7, 2, 3]); // 7 steps, a batch of 2
let sH = zeros([2, 5]), cH = zeros([2, 5]);
const sAll: Tensor[] = [];
for (let t = 0; t < 7; t++) {
  ({ s: sH, c: cH } = lstmStepByHand(seq.select(0, t), sH, cH, lw));
  sAll.push(sH);
}
const [lstmOut, [lstmH, lstmC]] = noGrad(() => lstm.forward(seq));
expect(stack(sAll)).toBeCloseTo(lstmOut, { atol: 1e-6 });
expect(sH).toBeCloseTo(lstmH.select(0, 0), { atol: 1e-6 });
expect(cH).toBeCloseTo(lstmC.select(0, 0), { atol: 1e-6 }); // the cell state too
// The stacked form: W_f = [W^f | U^f] applied to [h_{t−1}, x_t] gives the same forget gate.
const x0 = seq.select(0, 0), h0 = randn([2, 5]);
const Wf = cat([gateRows(lw.whh, 1, 5), gateRows(lw.wih, 1, 5)], 1); // [5, 5 + 3]
const fStacked = cat([h0, x0], 1).matmul(Wf.t()).add(gateRows(lw.bih, 1, 5)).add(gateRows(lw.bhh, 1, 5)).sigmoid();
expect(fStacked).toBeCloseTo(lstmStepByHand(x0, h0, zeros([2, 5]), lw).f, { atol: 1e-6 });
"all 7 hidden states, the last cell state and the stacked form agree with nn.LSTM"

// %% [markdown] id="lstm-gradient-md"
// ## Why the cell state carries gradients
//
// Look at the cell update, $c_t = c_{t-1} \circ f + g \circ i$. Along the cell state, one step back
// costs
//
// $$\frac{\partial c_t}{\partial c_{t-1}} = \mathrm{diag}(f)$$
//
// (plus the smaller paths through the gates): no multiplication by a full weight matrix and no
// squashing derivative. When the forget gate is near 1 the gradient travels back almost unchanged,
// however many steps there are; the network can *learn* to close it where forgetting is right.
// This only helps if the gate starts open: with the default random biases $f \approx \sigma(0) =
// 0.5$, and $0.5^{50}$ is as bad as any RNN. Hence the common practice of initialising the
// forget gate's bias to a positive number (1 to 3).
//
// We measure how strongly the last output of a 50-step sequence depends on each input,
// $\lVert \partial s_{49} / \partial x_t \rVert$, at initialisation.

// %% id="lstm-gradient"
/** Sets the forget-gate biases of a one-layer nn.LSTM (rows H … 2H of bias_ih_l0; bias_hh_l0 keeps its own). */
function openForgetGate(layer: nn.LSTM, bias: number): void {
  noGrad(() => gateRows(layer.stateDict()["bias_ih_l0"], 1, layer.hiddenSize).fill_(bias));
}
function inputGradients(layer: nn.Module): number[] {
  manualSeed(2);
  const x = randn([50, 1, 4], { requiresGrad: true });
  const [out] = layer.forward(x) as [Tensor, unknown];
  out.select(0, 49).sum().backward();
  return Array.from({ length: 50 }, (_, t) => x.grad!.select(0, t).norm().item());
}
manualSeed(2);
const rnnInit = new nn.RNN(4, 16);
const lstmDefault = new nn.LSTM(4, 16);
const lstmOpen = new nn.LSTM(4, 16);
openForgetGate(lstmOpen, 3);
const influence = { RNN: inputGradients(rnnInit), "LSTM, default biases": inputGradients(lstmDefault), "LSTM, forget bias 3": inputGradients(lstmOpen) };
expect(influence.RNN[0]).toBeLessThan(1e-10); // 49 steps back: vanished
expect(influence["LSTM, forget bias 3"][0]).toBeGreaterThan(1e-2); // still there
expect(influence["LSTM, forget bias 3"][0]).toBeGreaterThan(1e8 * influence.RNN[0]);
plot.line(influence, { title: "How much the last output depends on the input at step t", xlabel: "time step t", ylabel: "‖∂s_49 / ∂x_t‖", logy: true })

// %% [markdown] id="gru-md"
// ## The GRU
//
// The **gated recurrent unit** (Cho et al., 2014) merges the cell and the hidden state and uses
// two gates instead of three. In the form gradnote (like PyTorch) implements, with $r$ the
// **reset** gate, $z$ the **update** gate and $n$ the candidate:
//
// $$\begin{aligned}
// r &= \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})\\
// z &= \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})\\
// n &= \tanh\big(W_{in} x_t + b_{in} + r \circ (W_{hn} h_{t-1} + b_{hn})\big)\\
// h_t &= (1 - z) \circ n + z \circ h_{t-1}
// \end{aligned}$$
//
// The last line is a gated average: where $z \approx 1$ the old state is copied forward untouched,
// which plays the role of the LSTM's open forget gate. The reset gate lets the candidate ignore the
// past. The stacked weights are in the order **r, z, n**.

// %% id="gru-by-hand"
function gruStepByHand(x: Tensor, hPrev: Tensor, p: LstmWeights) {
  const H = hPrev.shape[1];
  const inPart = (k: number) => x.matmul(gateRows(p.wih, k, H).t()).add(gateRows(p.bih, k, H));
  const hidPart = (k: number) => hPrev.matmul(gateRows(p.whh, k, H).t()).add(gateRows(p.bhh, k, H));
  const r = inPart(0).add(hidPart(0)).sigmoid(); // reset gate
  const z = inPart(1).add(hidPart(1)).sigmoid(); // update gate
  const n = inPart(2).add(r.mul(hidPart(2))).tanh(); // candidate
  return z.neg().add(1).mul(n).add(z.mul(hPrev)); // h_t = (1 − z) ∘ n + z ∘ h_{t−1}
}
manualSeed(13);
const gru = new nn.GRU(3, 5);
const gw = lstmWeights(gru); // same parameter names
let hG = zeros([2, 5]);
const hAll: Tensor[] = [];
for (let t = 0; t < 7; t++) hAll.push((hG = gruStepByHand(seq.select(0, t), hG, gw)));
const [gruOut, gruLast] = noGrad(() => gru.forward(seq));
expect(stack(hAll)).toBeCloseTo(gruOut, { atol: 1e-6 });
expect(hG).toBeCloseTo(gruLast.select(0, 0), { atol: 1e-6 });
// Parameters: one matrix pair per gate → RNN ×1, GRU ×3, LSTM ×4.
const perGate = (inp: number, hid: number) => hid * inp + hid * hid + 2 * hid;
const counts = { RNN: new nn.RNN(10, 20).numParameters(), GRU: new nn.GRU(10, 20).numParameters(), LSTM: new nn.LSTM(10, 20).numParameters() };
expect(counts).toEqual({ RNN: perGate(10, 20), GRU: 3 * perGate(10, 20), LSTM: 4 * perGate(10, 20) });
counts

// %% [markdown] id="memory-task-md"
// ## A task a plain RNN fails and an LSTM learns
//
// Each sequence has 30 steps of two numbers. At one step, somewhere among the first ten, the
// first number is $+1$ or $-1$ and the second is a flag set to 1; at every other step the first
// number is random noise from $\mathcal{N}(0, 1)$ and the flag is 0. The label, read only after the
// last step, is the sign seen at the flagged step. Chance is 50%.
//
// The sign is 20 to 30 steps before the loss, and the noise keeps arriving through the same input
// weights. A plain RNN has two problems here. The gradient from the loss back to the flagged step
// has to cross 20 or more Jacobians, and, worse, its update $s_t = \tanh(U x_t + W s_{t-1} + b)$ is
// the same additive rule at every step: it cannot *ignore* the noise before the flag and *hold*
// the value after it. The LSTM can: it learns to open its input gate when the flag is set, keep
// it nearly shut otherwise, and keep its forget gate near 1. Both models get the same budget: 100
// Adam steps on 128 training sequences, scored on 256 fresh ones.
//
// %% id="memory-task"
const SEQ = 30;
function memoryData(n: number, seed: number): { x: Tensor; y: Tensor; flagAt: number[] } {
  const g = new Generator(seed);
  const labels = Array.from({ length: n }, () => g.int(0, 2));
  const flagAt = labels.map(() => g.int(0, 10));
  const xsData = labels.map((lab, k) => Array.from({ length: SEQ }, (_, t) => (t === flagAt[k] ? [2 * lab - 1, 1] : [g.normal(), 0])));
  return { x: tensor(xsData), y: tensor(labels, { dtype: "int32" }), flagAt };
}
const memTrain = memoryData(128, 1), memTest = memoryData(256, 2);
class Remember extends nn.Module {
  cell: nn.RNN | nn.LSTM;
  head = new nn.Linear(8, 2);
  constructor(kind: "RNN" | "LSTM") {
    super();
    this.cell = kind === "LSTM" ? new nn.LSTM(2, 8, { batchFirst: true }) : new nn.RNN(2, 8, { batchFirst: true });
    if (this.cell instanceof nn.LSTM) openForgetGate(this.cell, 3);
  }
  override forward(x: Tensor): Tensor {
    const [out] = this.cell.forward(x) as [Tensor, unknown];
    return this.head.forward(out.select(1, -1)); // read the state after the last step
  }
}
function trainRemember(kind: "RNN" | "LSTM") {
  manualSeed(0);
  const model = new Remember(kind);
  const opt = new optim.Adam(model.parameters(), { lr: 0.03 });
  const losses: number[] = [];
  for (let step = 0; step < 100; step++) {
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(memTrain.x), memTrain.y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  const accuracy = noGrad(() => model.forward(memTest.x).argmax(1).eq(memTest.y).float().mean().item());
  return { model, losses, accuracy };
}
const rememberRnn = trainRemember("RNN"), rememberLstm = trainRemember("LSTM");
const memAccuracy = { RNN: rememberRnn.accuracy, LSTM: rememberLstm.accuracy };
expect(memAccuracy.RNN).toBeLessThan(0.6); // near chance (0.5)
expect(memAccuracy.LSTM).toBeGreaterThan(0.95);
display(plot.line({ RNN: rememberRnn.losses, LSTM: rememberLstm.losses }, { title: "Remember the flagged sign for 20 to 30 steps", xlabel: "step", ylabel: "training cross-entropy" }));
memAccuracy

// %% [markdown] id="memory-gates-md"
// ### Inside the trained LSTM
//
// Because our hand-written step uses the same weights, we can run it on one test sequence and
// record the gates at every step. Each row of the heatmap is one of the 8 units; the first block
// shows the input gate $i$, the second the forget gate $f$. On the flagged step some input gates
// open much wider than anywhere else, and after it the forget gates stay close to 1: the network
// has found the write-once-then-hold strategy by itself.

// %% id="memory-gates"
const trained = lstmWeights(rememberLstm.model.cell);
const probe = memTest.x.narrow(0, 0, 1).squeeze(0); // [50, 2]
let sP = zeros([1, 8]), cP = zeros([1, 8]);
const inputGate: number[][] = [], forgetGate: number[][] = [];
for (let t = 0; t < SEQ; t++) {
  const step = lstmStepByHand(probe.narrow(0, t, 1), sP, cP, trained);
  ({ s: sP, c: cP } = step);
  inputGate.push(Array.from(step.i.dataSync()));
  forgetGate.push(Array.from(step.f.dataSync()));
}
const gateRowsT = (m: number[][]) => m[0].map((_, u) => m.map((row) => row[u])); // [unit][time]
const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const flag = memTest.flagAt[0];
const gateStats = {
  "flagged step": flag,
  "input gate at the flag (max over units)": Math.max(...inputGate[flag]),
  "input gate elsewhere (mean)": meanOf(inputGate.filter((_, t) => t !== flag).flat()),
  "forget gate after the flag (mean)": meanOf(forgetGate.slice(flag + 1).flat()),
};
expect(gateStats["input gate at the flag (max over units)"]).toBeGreaterThan(gateStats["input gate elsewhere (mean)"] + 0.2); // opens on the flag
expect(gateStats["forget gate after the flag (mean)"]).toBeGreaterThan(0.8); // and keeps what it wrote
display(gateStats);
plot.heatmap([...gateRowsT(inputGate), ...gateRowsT(forgetGate)], {
  x: Array.from({ length: SEQ }, (_, t) => t), xlabel: "time step t",
  y: [...Array.from({ length: 8 }, (_, u) => `i[${u}]`), ...Array.from({ length: 8 }, (_, u) => `f[${u}]`)],
  title: "Input gates (top) and forget gates (bottom) of the trained LSTM on one sequence", zmin: 0, zmax: 1,
})

// %% [markdown] id="char-compare-md"
// ## RNN, LSTM and GRU as language models
//
// On a short repeating text the gap is smaller: every character is predictable from the last few,
// so a plain RNN needs no long memory. We train the three cells side by side as character-level
// language models (same embedding, same hidden size, same batches) and let the LSTM and the GRU
// continue a prompt.

// %% id="char-compare"
const text = "the quick brown fox jumps over the lazy dog. ".repeat(8);
const chars = [...new Set(text)].sort();
const encodedText = [...text].map((c) => chars.indexOf(c));
const CTX = 24;
function charBatches(count: number, size: number, seed: number): [Tensor, Tensor][] {
  const g = new Generator(seed);
  return Array.from({ length: count }, () => {
    const starts = Array.from({ length: size }, () => g.int(0, encodedText.length - CTX - 1));
    return [
      tensor(starts.map((i) => encodedText.slice(i, i + CTX)), { dtype: "int32" }),
      tensor(starts.map((i) => encodedText.slice(i + 1, i + CTX + 1)), { dtype: "int32" }),
    ] as [Tensor, Tensor];
  });
}
const charData = charBatches(120, 16, 5);
class CharModel extends nn.Module {
  embed = new nn.Embedding(chars.length, 16);
  cell: nn.RNN | nn.LSTM | nn.GRU;
  head = new nn.Linear(32, chars.length);
  constructor(kind: "RNN" | "LSTM" | "GRU") {
    super();
    this.cell = kind === "LSTM" ? new nn.LSTM(16, 32, { batchFirst: true }) : kind === "GRU" ? new nn.GRU(16, 32, { batchFirst: true }) : new nn.RNN(16, 32, { batchFirst: true });
  }
  override forward(ids: Tensor): Tensor {
    const [out] = this.cell.forward(this.embed.forward(ids)) as [Tensor, unknown];
    return this.head.forward(out);
  }
}
const charModels = { RNN: new CharModel("RNN"), LSTM: new CharModel("LSTM"), GRU: new CharModel("GRU") };
const charCurves: Record<string, number[]> = {};
for (const [name, model] of Object.entries(charModels)) {
  manualSeed(0);
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  charCurves[name] = charData.map(([xb, yb]) => {
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(xb).reshape([-1, chars.length]), yb.reshape([-1]));
    loss.backward();
    opt.step();
    return loss.item();
  });
}
function writeOn(model: CharModel, prompt: string, n: number): string {
  const ids = [...prompt].map((c) => chars.indexOf(c));
  for (let i = 0; i < n; i++) ids.push(noGrad(() => model.forward(tensor([ids.slice(-CTX)], { dtype: "int32" }))).select(1, -1).argmax(1).item());
  return ids.map((i) => chars[i]).join("");
}
const continuations = { LSTM: writeOn(charModels.LSTM, "the quick", 36), GRU: writeOn(charModels.GRU, "the quick", 36) };
for (const w of Object.values(continuations)) expect(w.startsWith("the quick brown fox jumps over the lazy")).toBe(true);
display(plot.line(charCurves, { title: "Next-character loss", xlabel: "step", ylabel: "cross-entropy" }));
continuations

// %% [markdown] id="lstm-summary"
// ## Summary
//
// * An LSTM keeps a cell state $c_t$ beside its hidden state and changes it only through gates:
//   $c_t = c_{t-1} \circ f + g \circ i$, $s_t = \tanh(c_t) \circ o$. In gradnote (as in PyTorch)
//   the gate matrices are stacked in the order i, f, g, o; a GRU's in the order r, z, n.
// * Along the cell state a step back multiplies the gradient by the forget gate only, so with the
//   forget gate open the gradient survives dozens of steps where a plain RNN's is $10^{-16}$.
// * Gates are multiplicative switches: they let a network write at the right moment and hold the
//   value afterwards — a task a plain RNN does not learn at all.
// * The GRU gets a similar effect with two gates and three quarters of the LSTM's parameters.
//
// ## Exercises
//
// **Exercise 1 — one LSTM step.** Write `lstmStep(x, h, c, wih, whh, bih, bhh)` for a batch:
// `x` is `[N, input]`, `h` and `c` are `[N, H]`, the weights and biases are stacked in gradnote's
// order (i, f, g, o) as in `nn.LSTMCell` (`weight_ih` is `[4H, input]`). Return `[hNew, cNew]`.

// %% id="ex-lstm-step"
function lstmStep(x: Tensor, h: Tensor, c: Tensor, wih: Tensor, whh: Tensor, bih: Tensor, bhh: Tensor): [Tensor, Tensor] {
  // BEGIN SOLUTION
  // STUB: return [h, c]; // your code
  const [zi, zf, zg, zo] = x.matmul(wih.t()).add(bih).add(h.matmul(whh.t())).add(bhh).chunk(4, 1);
  const cNew = zf.sigmoid().mul(c).add(zi.sigmoid().mul(zg.tanh()));
  return [zo.sigmoid().mul(cNew.tanh()), cNew];
  // END SOLUTION
}

// %% id="test-lstm-step"
// @test lstm_step_zero_weights 1 point
{
  // All weights 0: every gate is σ(0) = 0.5 and the candidate tanh(0) = 0, so c halves and h = 0.5·tanh(c/2).
  const z4 = zeros([4, 2]), c0 = tensor([[1, -2]]);
  const [h1, c1] = (await student.call("lstmStep", tensor([[0.3, 0.7]]), zeros([1, 2]), c0, z4, zeros([4, 2]), zeros([4]), zeros([4]))) as [Tensor, Tensor];
  expect(c1).toBeCloseTo([[0.5, -1]]);
  expect(h1).toBeCloseTo([[0.5 * Math.tanh(0.5), 0.5 * Math.tanh(-1)]]);
}

// %% id="test-lstm-step-hidden"
// @test lstm_step_matches_lstmcell 3 points hidden
{
  manualSeed(21);
  const cell = new nn.LSTMCell(3, 4);
  const [xt, ht, ct] = [randn([5, 3]), randn([5, 4]), randn([5, 4])];
  const [hWant, cWant] = noGrad(() => cell.forward(xt, [ht, ct]));
  const [hGot, cGot] = (await student.call("lstmStep", xt, ht, ct, cell.weight_ih.detach(), cell.weight_hh.detach(), cell.bias_ih!.detach(), cell.bias_hh!.detach())) as [Tensor, Tensor];
  expect(hGot).toBeCloseTo(hWant, { atol: 1e-5 });
  expect(cGot).toBeCloseTo(cWant, { atol: 1e-5 });
}

// %% [markdown] id="ex-gru-md"
// **Exercise 2 — one GRU step.** Write `gruStep(x, h, wih, whh, bih, bhh)` with the GRU equations
// above; the weights are stacked in the order r, z, n as in `nn.GRUCell` (`weight_ih` is
// `[3H, input]`). Careful: the reset gate multiplies $W_{hn} h + b_{hn}$, bias included. Return the
// new `h`.

// %% id="ex-gru-step"
function gruStep(x: Tensor, h: Tensor, wih: Tensor, whh: Tensor, bih: Tensor, bhh: Tensor): Tensor {
  // BEGIN SOLUTION
  // STUB: return h; // your code
  const [ir, iz, inn] = x.matmul(wih.t()).add(bih).chunk(3, 1);
  const [hr, hz, hn] = h.matmul(whh.t()).add(bhh).chunk(3, 1);
  const r = ir.add(hr).sigmoid(), z = iz.add(hz).sigmoid();
  const n = inn.add(r.mul(hn)).tanh();
  return n.sub(n.mul(z)).add(z.mul(h));
  // END SOLUTION
}

// %% id="test-gru-step"
// @test gru_step_zero_weights 1 point
{
  // All weights 0: z = 0.5 and n = tanh(0) = 0, so the state halves.
  const hNew = await student.call("gruStep", tensor([[1, 2]]), tensor([[0.8, -0.4]]), zeros([3, 2]), zeros([3, 2]), zeros([3]), zeros([3]));
  expect(hNew).toBeCloseTo([[0.4, -0.2]]);
}

// %% id="test-gru-step-hidden"
// @test gru_step_matches_grucell 3 points hidden
{
  manualSeed(22);
  const cell = new nn.GRUCell(3, 4);
  const [xt, ht] = [randn([5, 3]), randn([5, 4])];
  const want = noGrad(() => cell.forward(xt, ht));
  const got = await student.call("gruStep", xt, ht, cell.weight_ih.detach(), cell.weight_hh.detach(), cell.bias_ih!.detach(), cell.bias_hh!.detach());
  expect(got).toBeCloseTo(want, { atol: 1e-5 });
}

// %% [markdown] id="ex-count-md"
// **Exercise 3 — count the parameters.** Write `recurrentParams(kind, inputSize, hiddenSize,
// numLayers)` returning the number of parameters of a `kind` (`"RNN"`, `"GRU"` or `"LSTM"`) layer
// with both biases. Remember that layers after the first take the previous layer's hidden state
// as their input.

// %% id="ex-count"
function recurrentParams(kind: "RNN" | "GRU" | "LSTM", inputSize: number, hiddenSize: number, numLayers: number): number {
  // BEGIN SOLUTION
  // STUB: return 0; // your code
  const gates = { RNN: 1, GRU: 3, LSTM: 4 }[kind];
  let total = 0;
  for (let l = 0; l < numLayers; l++) total += gates * (hiddenSize * (l === 0 ? inputSize : hiddenSize) + hiddenSize * hiddenSize + 2 * hiddenSize);
  return total;
  // END SOLUTION
}

// %% id="test-count"
// @test params_one_layer 1 point
expect(await student.call("recurrentParams", "LSTM", 10, 20, 1)).toBe(2560);

// %% id="test-count-hidden"
// @test params_match_layers 2 points hidden
for (const [inp, hid, layers] of [[3, 7, 1], [16, 32, 2], [5, 4, 3]]) {
  expect(await student.call("recurrentParams", "RNN", inp, hid, layers)).toBe(new nn.RNN(inp, hid, layers).numParameters());
  expect(await student.call("recurrentParams", "GRU", inp, hid, layers)).toBe(new nn.GRU(inp, hid, layers).numParameters());
  expect(await student.call("recurrentParams", "LSTM", inp, hid, layers)).toBe(new nn.LSTM(inp, hid, layers).numParameters());
}
