// Through the real kernel and `gradnote run`: a live curve over 250 training steps is one
// display plus throttled updates with the same display_id, the executed notebook holds the whole
// curve, `--html` writes a report with plotly.js inlined once, and 20 plots keep a notebook small.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningKernel } from "../../../kernel/client.js";
import { outputs, startKernel } from "../../kernel/helpers.js";

const CLI = fileURLToPath(new URL("../../../bin/gradnote.mjs", import.meta.url));
const PLOTLY = "application/vnd.plotly.v1+json";

const TRAIN_CELL = `import { liveCurve } from "gradnote";
const curve = liveCurve({ title: "loss" });
const t0 = Date.now();
for (let step = 0; step < 250; step++) {
  const until = Date.now() + 4;
  while (Date.now() < until) {} // a training step of ~4 ms: ~1 s in all
  curve.log({ train: 1 / (step + 1), ...(step % 50 === 49 ? { val: 1.5 / (step + 1) } : {}) });
}
curve.done();
Date.now() - t0`;

type Fig = { data: { name: string; y: number[] }[] };

function writeNotebook(cells: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "gradnote-display-"));
  const path = join(dir, "nb.ipynb");
  const nb = { cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })), metadata: {}, nbformat: 4, nbformat_minor: 5 };
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

describe("live curve in the real kernel", () => {
  let k: RunningKernel;
  beforeAll(async () => {
    k = await startKernel();
  });
  afterAll(async () => {
    await k?.shutdown();
  });

  it("sends one display and throttled updates with the same display_id; the last has every point", async () => {
    const r = await k.client.execute(TRAIN_CELL);
    expect(r.reply.content.status).toBe("ok");
    const elapsed = Number((outputs(r, "execute_result")[0].content.data as Record<string, string>)["text/plain"]);
    const shown = outputs(r, "display_data");
    const updates = outputs(r, "update_display_data");
    expect(shown).toHaveLength(1);
    const id = (shown[0].content.transient as { display_id: string }).display_id;
    expect(id).toBeTruthy();
    expect(updates.every((u) => (u.content.transient as { display_id: string }).display_id === id)).toBe(true);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2); // ≤ 10 a second, + the final
    const last = (updates[updates.length - 1].content.data as Record<string, unknown>)[PLOTLY] as Fig;
    expect(last.data.map((t) => [t.name, t.y.length])).toEqual([["train", 250], ["val", 5]]);
  });
});

describe("gradnote run with plots", () => {
  it("saves the whole curve in the executed notebook and writes an offline HTML report", () => {
    const path = writeNotebook([TRAIN_CELL, `import { plot } from "gradnote";\nplot.bar(["a", "b"], [1, 2])`]);
    const out = path.replace(".ipynb", ".out.ipynb"), html = path.replace(".ipynb", ".html");
    const r = spawnSync(process.execPath, [CLI, "run", path, "--output", out, "--html", html], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const nb = JSON.parse(readFileSync(out, "utf8"));
    const curveOutputs = nb.cells[0].outputs.filter((o: { output_type: string }) => o.output_type === "display_data");
    expect(curveOutputs).toHaveLength(1);
    expect((curveOutputs[0].data[PLOTLY] as Fig).data[0].y).toHaveLength(250);
    expect(curveOutputs[0].data["image/svg+xml"]).toContain("<path ");
    const page = readFileSync(html, "utf8");
    expect(page.match(/window\.Plotly\s*=/g)).toHaveLength(1); // plotly.js inlined once
    expect(page.match(/class="gradnote-plot"/g)).toHaveLength(2);
    expect(page).toContain("In [2]:");
  });

  it("keeps a notebook with 20 plots small: plotly.js is never stored in it", () => {
    const cells = [`import { plot } from "gradnote";`];
    for (let i = 0; i < 20; i++) cells.push(`plot.line({ train: Array.from({ length: 100 }, (_, s) => Math.exp(-s / ${10 + i})) }, { title: "plot ${i}" })`);
    const path = writeNotebook(cells);
    const out = path.replace(".ipynb", ".out.ipynb"), html = path.replace(".ipynb", ".html");
    const r = spawnSync(process.execPath, [CLI, "run", path, "--output", out, "--html", html], { encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(0);
    const size = statSync(out).size, htmlSize = statSync(html).size;
    console.log(`20 plots: notebook ${(size / 1024).toFixed(1)} KiB (${(size / 20 / 1024).toFixed(1)} KiB a plot); HTML report ${(htmlSize / 1024).toFixed(0)} KiB (plotly.js once)`);
    expect(readFileSync(out, "utf8")).not.toMatch(/window\.Plotly\s*=/);
    expect(size).toBeLessThan(20 * 25 * 1024);
    const plotly = statSync(fileURLToPath(new URL("../../../dist/plotly.min.js", import.meta.url))).size;
    expect(htmlSize).toBeLessThan(plotly + size * 2);
  });
});
