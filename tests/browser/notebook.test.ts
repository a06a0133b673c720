// In a real browser: the Debian classic Notebook serves a test notebook, headless Chromium
// (playwright-core, Debian's /usr/bin/chromium) runs its cells with the gradnote kernel, and the
// test checks the Plotly chart is drawn, the filter image shown and the progress bar at 100%.
// Then the `gradnote run --html` report of the same notebook renders its plots offline.
// Screenshots go to test-artifacts/browser/ (git-ignored).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveCurve, plot } from "../../src/display/index.js";
import { tensor } from "../../src/index.js";
import { freePort } from "../free-port.js";

// Browser globals used inside page callbacks (the project compiles without the DOM lib).
interface PageElement { textContent: string | null; complete?: boolean; naturalWidth?: number; querySelector(s: string): PageElement | null }
declare const document: { querySelector(s: string): PageElement | null; querySelectorAll(s: string): ArrayLike<PageElement> & Iterable<PageElement> };
declare const window: {
  Jupyter?: { notebook?: { kernel?: { is_connected(): boolean; info_reply?: unknown }; execute_all_cells(): void } };
  Plotly: { validate(data: unknown, layout: unknown): unknown };
};

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(ROOT, "bin/gradnote.mjs");
const CHROMIUM = "/usr/bin/chromium";
const NOTEBOOK_APP = "/usr/bin/jupyter-notebook";
const ARTIFACTS = join(ROOT, "test-artifacts/browser");
const available = existsSync(CHROMIUM) && existsSync(NOTEBOOK_APP);

const CELLS = [
  `import { plot, progress, showFilters, randn, manualSeed } from "gradnote";\nmanualSeed(0);`,
  `plot.line({ train: [3, 2, 1.5, 1.2, 1.1], val: [3.2, 2.5, 2, 1.9, 1.9] }, { title: "browser test", xlabel: "step" })`,
  `showFilters(randn([6, 1, 3, 3]))`,
  `for (const i of progress(40, { desc: "bar" })) { const until = Date.now() + 5; while (Date.now() < until) {} }`,
  `plot.heatmap([[1, 2], [3, 4]], { showValues: true })`,
];

async function waitForServer(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 40_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`jupyter-notebook exited with ${server.exitCode}:\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`jupyter-notebook did not answer ${url} within 40 s:\n${log()}`);
}

describe.skipIf(!available)("plots in the classic Notebook and in the HTML report (Chromium)", () => {
  const work = mkdtempSync(join(tmpdir(), "gradnote-browser-"));
  const nbDir = join(work, "notebooks");
  const token = randomBytes(16).toString("hex");
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let port = 0;
  let serverLog = "";

  beforeAll(async () => {
    mkdirSync(nbDir, { recursive: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const nb = {
      cells: CELLS.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
      metadata: { kernelspec: { name: "gradnote", display_name: "TypeScript (gradnote)", language: "typescript" } },
      nbformat: 4, nbformat_minor: 5,
    };
    writeFileSync(join(nbDir, "plots.ipynb"), JSON.stringify(nb));
    const install = spawnSync(process.execPath, [CLI, "install", "--prefix", join(work, "prefix")], { encoding: "utf8" });
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(join(work, "prefix/share/jupyter/kernels/gradnote/plotly.min.js"))).toBe(true);
    port = await freePort();
    const env = {
      ...process.env,
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
      JUPYTER_PATH: join(work, "prefix/share/jupyter"),
      JUPYTER_DATA_DIR: join(work, "data"),
      JUPYTER_CONFIG_DIR: join(work, "config"),
      JUPYTER_RUNTIME_DIR: join(work, "runtime"),
      IPYTHONDIR: join(work, "ipython"),
    };
    server = spawn("/usr/bin/python3", [NOTEBOOK_APP, "--no-browser", "--allow-root", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
      `--NotebookApp.token=${token}`, `--notebook-dir=${nbDir}`, "--NotebookApp.disable_check_xsrf=False"], { env, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (d) => (serverLog += d));
    server.stderr!.on("data", (d) => (serverLog += d));
    await waitForServer(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`, server, () => serverLog);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (server?.pid && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
  });

  it("runs the cells with the gradnote kernel: chart drawn, filter image shown, progress at 100%", async () => {
    const page: Page = await browser!.newPage({ viewport: { width: 1100, height: 1800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/notebooks/plots.ipynb?token=${token}`);
    await page.waitForFunction(() => {
      const nb = window.Jupyter?.notebook;
      return nb?.kernel?.is_connected() && nb.kernel.info_reply;
    }, undefined, { timeout: 40_000 });
    await page.evaluate(() => window.Jupyter!.notebook!.execute_all_cells());

    // Plotly drew the chart (its SVG in the DOM) from the kernelspec's plotly.min.js.
    await page.waitForSelector('.gradnote-plot[data-gradnote-rendered="plotly"] svg.main-svg', { timeout: 40_000 });
    expect(await page.locator(".gradnote-plot .gtitle").first().textContent()).toBe("browser test");
    expect(await page.locator(".gradnote-plot .scatterlayer .trace").count()).toBeGreaterThanOrEqual(2);
    // The filter grid is an image/png output that loaded.
    const img = page.locator('.output_png img[src^="data:image/png"]').first();
    await img.waitFor({ timeout: 20_000 });
    expect(await img.evaluate((el: PageElement) => el.complete && el.naturalWidth! > 0)).toBe(true);
    // The progress bar, updated in place, ends at 100%: one bar, not one per update.
    await page.waitForFunction(() => document.querySelector(".gradnote-progress .gradnote-progress-pct")?.textContent === "100%", undefined, { timeout: 20_000 });
    expect(await page.locator(".gradnote-progress").count()).toBe(1);
    expect(await page.locator(".gradnote-progress").getAttribute("data-n")).toBe("40");
    // The last cell (a heatmap) is drawn too: two figures, both by Plotly.
    await page.waitForFunction(() => document.querySelectorAll('.gradnote-plot[data-gradnote-rendered="plotly"]').length === 2, undefined, { timeout: 20_000 });
    await page.screenshot({ path: join(ARTIFACTS, "notebook.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("`gradnote run --html` writes a report whose plots render offline, and Plotly accepts every figure", async () => {
    const out = join(work, "plots.out.ipynb"), html = join(work, "plots.html");
    const r = spawnSync(process.execPath, [CLI, "run", join(nbDir, "plots.ipynb"), "--output", out, "--html", html], { encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const page = await browser!.newPage({ viewport: { width: 1100, height: 1600 } });
    const requests: string[] = [];
    page.on("request", (req) => requests.push(req.url()));
    await page.goto(`file://${html}`);
    await page.waitForFunction(() => [...document.querySelectorAll('.gradnote-plot[data-gradnote-rendered="plotly"]')].filter((el) => el.querySelector("svg.main-svg")).length === 2, undefined, { timeout: 30_000 });
    expect(requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:"))).toEqual([]); // nothing fetched
    // Plotly's schema check of every figure the notebook holds.
    const figures = JSON.parse(readFileSync(out, "utf8")).cells.flatMap((c: { outputs: { data?: Record<string, unknown> }[] }) =>
      c.outputs.flatMap((o) => (o.data?.["application/vnd.plotly.v1+json"] ? [o.data["application/vnd.plotly.v1+json"]] : [])));
    expect(figures).toHaveLength(2);
    const problems = await page.evaluate((figs) => figs.map((f: { data: unknown; layout: unknown }) =>
      window.Plotly.validate(f.data, f.layout) ?? []), figures);
    expect(problems).toEqual([[], []]);
    // …and of one figure of every builder (built here in Node, checked by Plotly in the page).
    const X = tensor([[0, 0], [1, 1], [0, 1], [1, 0]]);
    const all = {
      line: plot.line({ a: [1, 2], b: [2, 1] }, { logy: true }), scatter: plot.scatter([1, 2], [3, 4], { labels: [0, 1] }),
      bar: plot.bar(["a", "b"], [1, 2]), histogram: plot.histogram([1, 2, 2, 3], { bins: 3 }),
      heatmap: plot.heatmap([[1, 2], [3, 4]], { showValues: true, x: ["a", "b"], y: ["c", "d"] }), contour: plot.contour([[1, 2], [3, 4]]),
      surface: plot.surface([[1, 2], [3, 4]]), decisionBoundary: plot.decisionBoundary((x) => x.sum(1, true), X, [0, 1, 1, 0], { resolution: 5 }),
      confusionMatrix: plot.confusionMatrix([0, 1], [1, 1]), lrComparison: plot.lrComparison({ "0.1": [1, 0.5] }),
      liveCurve: (() => { const c = liveCurve(); c.log({ train: 1, accuracy: 0.5 }); return c.figure(); })(),
    };
    const verdicts = await page.evaluate((figs) => Object.fromEntries(Object.entries(figs).map(([k, f]) =>
      [k, window.Plotly.validate((f as { data: unknown }).data, (f as { layout: unknown }).layout) ?? []])), JSON.parse(JSON.stringify(all)));
    expect(verdicts).toEqual(Object.fromEntries(Object.keys(all).map((k) => [k, []])));
    await page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
    await page.close();
  }, 90_000);

  it("an executed notebook opened untrusted (scripts stripped) still shows each plot's static image", async () => {
    const out = join(work, "plots.out.ipynb");
    writeFileSync(join(nbDir, "executed.ipynb"), readFileSync(out)); // written by the previous test
    const page = await browser!.newPage({ viewport: { width: 1100, height: 1600 } });
    await page.goto(`http://127.0.0.1:${port}/notebooks/executed.ipynb?token=${token}`);
    const statics = page.locator('.output_html img[src^="data:image/svg+xml"]');
    await statics.first().waitFor({ timeout: 30_000 });
    expect(await statics.count()).toBe(2);
    expect(await statics.evaluateAll((els) => els.every((el: PageElement) => el.naturalWidth === 640))).toBe(true);
    expect(await page.locator(".output_html svg.main-svg").count()).toBe(0); // untrusted: no scripts ran
    await page.screenshot({ path: join(ARTIFACTS, "untrusted.png"), fullPage: true });
    await page.close();
  }, 60_000);
});
