// Every lecture notebook runs end to end through the real kernel (`gradnote run`), as a student
// or a grader would run it, with no failing cell.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const notebooks = readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
const out = mkdtempSync(join(tmpdir(), "gradnote-lectures-"));

describe("lecture notebooks", () => {
  it("there are lecture notebooks", () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(5);
  });

  for (const nb of notebooks) {
    it(`${nb} runs with every code cell ok`, () => {
      const target = join(out, nb);
      const r = spawnSync(process.execPath, [join(root, "bin", "gradnote.mjs"), "run", join(root, "notebooks", nb), "--output", target, "--timeout", "300"], { encoding: "utf8", timeout: 400_000 });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const executed = JSON.parse(readFileSync(target, "utf8"));
      const code = executed.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
      expect(code.every((c: { execution_count: number | null }) => typeof c.execution_count === "number")).toBe(true);
      const errors = code.flatMap((c: { outputs: { output_type: string }[] }) => c.outputs.filter((o) => o.output_type === "error"));
      expect(errors).toEqual([]);
      lessons[nb]?.(executed.cells.flatMap((c: { outputs?: Output[] }) => c.outputs ?? []));
    }, 420_000);
  }
});

interface Output {
  output_type: string;
  text?: string[] | string;
  data?: Record<string, unknown>;
}

const textOf = (outs: Output[]): string => outs.map((o) => [o.text, o.data?.["text/plain"], o.data?.["text/html"]].flat().filter(Boolean).join("")).join("\n");

/** First-layer and last-layer log10 gradient norms (first step) of each gradient heatmap. */
function gradientHeatmaps(outs: Output[]): [number, number][] {
  return outs.flatMap((o) => {
    const fig = o.data?.["application/vnd.plotly.v1+json"] as { data: { type: string; y: string[]; z: number[][] }[]; layout: { title?: { text?: string } } } | undefined;
    if (!fig || fig.layout.title?.text !== "Gradient norm per layer") return [];
    const rows = fig.data[0].y.map((n, i) => [n, fig.data[0].z[i][0]] as const).filter(([n]) => n.endsWith("weight"));
    return [[rows[0][1], rows[rows.length - 1][1]] as [number, number]];
  });
}

/** What each lecture claims, checked on its executed outputs (not only that its cells ran). */
const lessons: Record<string, (outs: Output[]) => void> = {
  "07-activations-losses-and-gradients.ipynb": (outs) => {
    const [sigmoid, relu, he] = gradientHeatmaps(outs);
    // Ten sigmoid layers: the first layer's gradient is orders of magnitude below the last's;
    // with relu and He initialisation it stays within one order.
    expect(sigmoid[1] - sigmoid[0]).toBeGreaterThan(4);
    expect(relu[1] - relu[0]).toBeLessThan(sigmoid[1] - sigmoid[0]);
    expect(Math.abs(he[1] - he[0])).toBeLessThan(1);
    const zeros = (name: string) => Number(new RegExp(`${name}\\s+weights below 0.02: (\\d+) of 20`).exec(textOf(outs))![1]);
    expect(zeros("L1 \\(λ = 0.05\\)")).toBeGreaterThanOrEqual(12);
    expect(zeros("L2 \\(weight decay 0.5\\)")).toBeLessThan(zeros("L1 \\(λ = 0.05\\)"));
  },
  "08-embeddings-and-hyperparameter-search.ipynb": (outs) => {
    const text = textOf(outs);
    // Places never seen in training are found from their context.
    expect(Number(/'test \(unseen places\)': ([\d.]+)/.exec(text)![1])).toBeGreaterThanOrEqual(0.9);
    const cells = [...text.matchAll(/<td>([\d.]+)<\/td>/g)].map((m) => Number(m[1]));
    const words = [...text.matchAll(/<th>(\w+)<\/th>/g)].map((m) => m[1]);
    expect(cells[words.indexOf("hanoi")]).toBeGreaterThan(0.5);
    expect(cells[words.indexOf("flew")]).toBeLessThan(0.5);
  },
};
