// Plot builders: every figure goes out as Plotly JSON, HTML that loads plotly.js once per page
// (never inlined), a static SVG and text. Plotly's own schema check runs in the browser suite.
import { describe, expect, it } from "vitest";
import { plot, Figure, PLOTLY_MIME } from "../../../src/display/index.js";
import { niceTicks } from "../../../src/display/svg.js";
import { tensor } from "../../../src/index.js";

/** Structural checks of Plotly JSON (trace types, matching lengths, layout form). */
function checkFigure(fig: { data: Record<string, unknown>[]; layout: Record<string, unknown> }): void {
  expect(JSON.parse(JSON.stringify(fig))).toEqual(fig); // plain JSON, nothing lost
  for (const t of fig.data) {
    expect(["scatter", "bar", "histogram", "heatmap", "contour", "surface"]).toContain(t.type);
    if (t.type === "scatter" || t.type === "bar") expect((t.x as unknown[]).length).toBe((t.y as unknown[]).length);
    if (t.z) {
      const z = t.z as unknown[][];
      expect(z.every((r) => r.length === z[0].length)).toBe(true);
      if (t.x) expect((t.x as unknown[]).length).toBe(z[0].length);
      if (t.y) expect((t.y as unknown[]).length).toBe(z.length);
    }
  }
  if (fig.layout.title !== undefined) expect(fig.layout.title).toEqual({ text: expect.any(String) });
}

function bundleOf(f: Figure) {
  const b = f.bundle();
  expect(Object.keys(b).sort()).toEqual([PLOTLY_MIME, "image/svg+xml", "text/html", "text/plain"].sort());
  checkFigure(b[PLOTLY_MIME] as never);
  const html = b["text/html"] as string, svg = b["image/svg+xml"] as string;
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.endsWith("</svg>")).toBe(true);
  // The HTML carries the static SVG (for viewers without scripts) and a loader, not plotly.js.
  expect(html).toContain(`<img alt="plot" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}"/>`);
  expect(html).toContain("kernelspecs/gradnote/plotly.min.js");
  expect(html).toContain("window;if(w.Plotly)"); // reuses the page's plotly.js
  expect(html).not.toContain("Copyright 2012"); // plotly.js itself is not inlined
  expect(html.length).toBeLessThan(svg.length * 1.34 + JSON.stringify(b[PLOTLY_MIME]).length + 3000);
  return b;
}

describe("plot builders", () => {
  it("line: several named series from arrays and tensors", () => {
    const b = bundleOf(plot.line({ train: [3, 2, 1], val: tensor([3.5, 2.5, 2]) }, { title: "Loss", xlabel: "step", ylabel: "loss" }));
    const fig = b[PLOTLY_MIME] as { data: { name: string; x: number[]; y: number[] }[]; layout: Record<string, unknown> };
    expect(fig.data.map((t) => t.name)).toEqual(["train", "val"]);
    expect(fig.data[1].y).toEqual([3.5, 2.5, 2]);
    expect(fig.data[0].x).toEqual([0, 1, 2]);
    expect(fig.layout.xaxis).toEqual({ title: { text: "step" } });
    expect(b["image/svg+xml"]).toContain(">Loss</text>");
    expect((b["image/svg+xml"] as string).match(/<path /g)).toHaveLength(2);
    expect(b["text/plain"]).toBe('Figure(scatter "train", scatter "val"; title "Loss")');
  });

  it("scatter with labels gives one trace per class", () => {
    const b = bundleOf(plot.scatter([0, 1, 2, 3], [1, 0, 1, 0], { labels: [0, 1, 0, 1] }));
    const fig = b[PLOTLY_MIME] as { data: { name: string; x: number[] }[] };
    expect(fig.data.map((t) => [t.name, t.x])).toEqual([["class 0", [0, 2]], ["class 1", [1, 3]]]);
    expect((b["image/svg+xml"] as string).match(/<circle /g)).toHaveLength(4);
  });

  it("bar, histogram, heatmap, contour and surface all render", () => {
    bundleOf(plot.bar(["a", "b", "c"], [1, 3, 2]));
    const h = bundleOf(plot.histogram([0, 0.1, 0.2, 0.9, 1], { bins: 2 }));
    const svg = h["image/svg+xml"] as string;
    expect(svg.match(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="#636efa"/g)).toHaveLength(2);
    bundleOf(plot.heatmap([[1, 2], [3, 4]], { showValues: true, x: ["a", "b"], y: ["c", "d"] }));
    bundleOf(plot.contour(tensor([[1, 2], [3, 4]])));
    const s = bundleOf(plot.surface([[1, 2], [3, 4]], { zlabel: "loss" }));
    expect((s[PLOTLY_MIME] as { layout: { scene: unknown } }).layout.scene).toMatchObject({ zaxis: { title: { text: "loss" } } });
  });

  it("rounds values so saved figures stay small", () => {
    const f = plot.line([1 / 3, 2 / 3]);
    expect(f.data[0].y).toEqual([0.333333, 0.666667]);
  });

  it("names what is wrong with bad input", () => {
    expect(() => plot.line([1, 2], { x: [1] })).toThrow("plot.line: x has 1 values but y has 2");
    expect(() => plot.heatmap([[1, 2], [3]])).toThrow("plot.heatmap z: rows have different lengths (2, 1)");
    expect(() => plot.heatmap(tensor([1, 2]))).toThrow("plot.heatmap z: expected a 2-D tensor, got shape [2]");
    expect(() => plot.histogram([1], { bins: 0 })).toThrow("bins must be a positive integer, got 0");
    expect(() => new Figure([{ x: [1] } as never])).toThrow('Figure: trace 0 has no "type"');
  });

  it("figures display themselves through the Jupyter display symbol", () => {
    const f = plot.bar(["x"], [1]);
    const b = (f as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for("Jupyter.display")]();
    expect(Object.keys(b)).toContain(PLOTLY_MIME);
  });

  it("picks 1-2-5 ticks", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1].map((v) => expect.closeTo(v, 9)));
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
  });
});

describe("teaching plots", () => {
  it("confusionMatrix counts (true, predicted) pairs and accepts scores", () => {
    const f = plot.confusionMatrix([0, 1, 2, 2], tensor([[9, 0, 0], [0, 0, 9], [0, 0, 9], [0, 0, 9]]), { labels: ["a", "b", "c"] });
    expect(f.data[0].z).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 2]]);
    expect(f.data[0].x).toEqual(["a", "b", "c"]);
    expect(f.toSvg()).toContain(">2</text>");
  });

  it("decisionBoundary shades the model's probability over a grid under the points", () => {
    const X = tensor([[0, 0], [1, 1], [0, 1], [1, 0]]);
    const f = plot.decisionBoundary((x) => x.select(1, 0).unsqueeze(1).sub(0.5).mul(10), X, [0, 1, 0, 1], { resolution: 10 });
    const [grid, c0, c1] = f.data;
    const z = grid.z as number[][];
    expect(z).toHaveLength(10);
    expect(z[0][0]).toBeLessThan(0.1); // left: class 0 (sigmoid of a logit)
    expect(z[0][9]).toBeGreaterThan(0.9);
    expect([c0.name, c1.name]).toEqual(["class 0", "class 1"]);
    expect(() => plot.decisionBoundary((x) => x, tensor([1, 2]), [0, 1])).toThrow("decisionBoundary: X must be [N, 2] points, got shape [2]");
  });

  it("lrComparison orders runs by learning rate on a log axis", () => {
    const f = plot.lrComparison({ "1": [1, 0.5], "0.01": [1, 0.9], "0.1": [1, 0.7] });
    expect(f.data.map((t) => t.name)).toEqual(["lr=0.01", "lr=0.1", "lr=1"]);
    expect(f.layout.yaxis).toMatchObject({ type: "log" });
  });
});

describe("plotly.js loader", () => {
  it("fetches plotly.js from the folder of the kernelspec the kernel was installed as", () => {
    const before = process.env.GRADNOTE_KERNEL_NAME;
    try {
      process.env.GRADNOTE_KERNEL_NAME = "ts-course";
      const html = plot.line([1, 2, 3]).bundle()["text/html"] as string;
      expect(html).toContain("kernelspecs/ts-course/plotly.min.js");
      process.env.GRADNOTE_KERNEL_NAME = "bad/../name";
      expect(plot.line([1]).bundle()["text/html"]).toContain("kernelspecs/gradnote/plotly.min.js");
    } finally {
      if (before === undefined) delete process.env.GRADNOTE_KERNEL_NAME;
      else process.env.GRADNOTE_KERNEL_NAME = before;
    }
  });
});

describe("plot.initNotebookMode", () => {
  it("puts plotly.js on the page once, in one output, for front ends without the kernelspec", async () => {
    const { fakeKernel } = await import("./helpers.js");
    const k = fakeKernel();
    try {
      plot.initNotebookMode();
    } finally {
      k.restore();
    }
    expect(k.messages).toHaveLength(1);
    const html = String(k.messages[0].data["text/html"]);
    expect(html.startsWith('<script type="text/javascript">')).toBe(true);
    expect(html.match(/window\.Plotly\s*=/g)).toHaveLength(1);
    expect(html.slice(0, -"</script>".length)).not.toMatch(/<\/script/i);
    expect(k.messages[0].data["text/plain"]).toBe("<plotly.js loaded>");
  });
});
