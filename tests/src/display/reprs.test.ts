// Rich reprs: HTML tables for small tensors, module summaries (with output shapes given an
// input), optimizer groups; activations and gradient-norm heatmaps.
import { describe, expect, it } from "vitest";
import { activationsBundle, collectActivations, gradientMonitor, summary, PLOTLY_MIME } from "../../../src/display/index.js";
import { nn, optim, randn, tensor, zeros } from "../../../src/index.js";

const bundle = (v: unknown) => (v as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();

describe("rich reprs", () => {
  it("a small 2-D tensor keeps its PyTorch text and gains an HTML table", () => {
    const b = bundle(tensor([[1, 2.5], [3, 4]], { requiresGrad: true }));
    expect(b["text/plain"]).toBe("tensor([[1.0000, 2.5000],\n        [3.0000, 4.0000]], requires_grad=True)");
    expect(b["text/html"]).toContain("shape [2, 2] · float32 · requires_grad");
    expect(b["text/html"].match(/<tr>/g)).toHaveLength(2);
    expect(b["text/html"]).toContain(">2.5000</td>");
  });

  it("large tensors stay text only", () => {
    expect(Object.keys(bundle(zeros([30, 30])))).toEqual(["text/plain"]);
    expect(Object.keys(bundle(zeros([2, 2, 2])))).toEqual(["text/plain"]);
  });

  it("a module shows a layer table; summary(model, input) adds output shapes", () => {
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
    const b = bundle(model);
    expect(b["text/plain"]).toContain("Parameters: 58");
    expect(b["text/html"]).toContain("<td>Linear</td>");
    const s = summary(model, randn([3, 4]));
    expect(s.rows).toEqual([
      { name: "0", type: "Linear", params: 40, outputShape: [3, 8] },
      { name: "1", type: "ReLU", params: 0, outputShape: [3, 8] },
      { name: "2", type: "Linear", params: 18, outputShape: [3, 2] },
    ]);
    expect(s.toString()).toContain("Total params: 58");
    expect(bundle(s)["text/html"]).toContain("<th style=\"text-align:left\">Output shape</th>");
  });

  it("an optimizer lists its parameter groups", () => {
    const model = new nn.Linear(2, 1);
    const b = bundle(new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }));
    expect(b["text/plain"]).toMatch(/^SGD \(\nParameter Group 0\n    lr: 0.1\n    momentum: 0.9\n/);
    expect(b["text/html"]).toContain("<td>3</td>"); // 3 parameters in group 0
  });
});

describe("activations", () => {
  const model = new nn.Sequential(new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(3 * 4 * 4, 5));

  it("collects every leaf layer's output with forward hooks and removes the hooks", () => {
    const acts = collectActivations(model, randn([2, 1, 4, 4]));
    expect(acts.map((a) => [a.name, a.type, a.shape])).toEqual([
      ["0", "Conv2d", [2, 3, 4, 4]], ["1", "ReLU", [2, 3, 4, 4]], ["2", "Flatten", [2, 48]], ["3", "Linear", [2, 5]],
    ]);
    expect(collectActivations(model, randn([1, 1, 4, 4]))).toHaveLength(4); // no hooks left behind
  });

  it("shows feature maps and dense heatmaps as images, one per layer", () => {
    const b = activationsBundle(model, randn([2, 1, 4, 4]));
    expect(String(b["text/html"]).match(/<img src="data:image\/png;base64,/g)).toHaveLength(4);
    expect(b["text/html"]).toContain("0 · Conv2d → [2, 3, 4, 4]");
    expect(b["text/html"]).toContain("2 samples x 5 features");
  });

  it("gradientMonitor records a log10 norm per parameter and step", () => {
    const net = new nn.Linear(2, 1);
    const gm = gradientMonitor(net);
    for (let s = 0; s < 3; s++) {
      net.zeroGrad();
      net.forward(tensor([[1, 2]])).sum().mul(10 ** s).backward();
      gm.record();
    }
    expect(gm.steps).toEqual([0, 1, 2]);
    const bias = gm.norms.get("bias")!;
    expect(bias.map((v) => Math.round(v!))).toEqual([0, 1, 2]); // |grad| = 1, 10, 100
    const fig = bundle(gm)[PLOTLY_MIME] as unknown as { data: { y: string[]; z: number[][] }[] };
    expect(fig.data[0].y).toEqual(["weight", "bias"]);
    expect(() => gradientMonitor(net).figure()).toThrow("gradientMonitor: nothing recorded yet");
  });
});
