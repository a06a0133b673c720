// JupyterLab 4 and Notebook 7 (pip, in the venv npm test's setup makes) in headless Chromium,
// each as its own front end: lecture 03 runs with Run All (interactive Plotly charts, one live
// curve, progress bar, images), a live curve updates in place while its cell runs, the stop
// button interrupts training and the next cell sees the earlier variables, input() is answered,
// completion lists runtime names, and restart gives a fresh kernel. Screenshots: test-artifacts/browser/.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARTIFACTS, ROOT, cellOutputs, codeCells, command, launchChromium, missingFor, notebookJson, openNotebook, runCell,
  selectCell, sleep, startJupyter, waitCellsDone, waitIdle, type FrontEnd, type JupyterServer,
} from "./jupyter-app.js";

// Browser globals used inside page callbacks (the project compiles without the DOM lib).
interface El { id: string; textContent: string | null; complete?: boolean; naturalWidth?: number; data?: { x?: unknown[] }[]; querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> & Iterable<El>; getBoundingClientRect(): { left: number; top: number } }
interface Axis { range: number[]; l2p(v: number): number; d2l(v: unknown): number }
interface Graph extends El { _fullLayout: { xaxis: Axis; yaxis: Axis; _size: { l: number; t: number } }; _fullData: { x: unknown[]; y: unknown[] }[] }
declare const document: { querySelectorAll(s: string): ArrayLike<El> & Iterable<El> };

const LECTURE = "10-cnns-lenet.ipynb";
const CELLS = [
  `import { nn, optim, randn, liveCurve } from "gradnote";`,
  // 1: a live curve, 60 points over ~6 s
  `const live = liveCurve({ title: "live test" });\nfor (let s = 0; s < 60; s++) { live.log({ train: 1 / (s + 1) }, s); const until = Date.now() + 100; while (Date.now() < until) {} }\nlive.done();`,
  // 2-4: training interrupted by the stop button, then the variables are still there
  `const net = new nn.Linear(4, 1);\nconst opt = new optim.SGD(net.parameters(), { lr: 0.001 });\nconst x = randn([64, 4]);\nlet steps = 0;`,
  `while (true) { opt.zeroGrad(); net(x).pow(2).mean().backward(); opt.step(); steps++; }`,
  "`${steps > 0} ${net.weight.shape.join(\"x\")}`",
  // 5: input()
  "const who = await input(\"Your name: \");\nconsole.log(`hello ${who}`);",
  // 6: completion (never run)
  `optim.`,
  // 7: after restart
  `typeof steps`,
];
// Page errors that are the front ends' own: Lab's debugger extension rejects a promise for
// kernels without a debugger, and Notebook 7's shortcuts plugin reads a settings schema it has
// not loaded ("reading 'schema'", on every page load, with any kernel).
const benign = (m: string) => /No active debugger session|reading 'schema'/.test(m);

const FRONT_ENDS: { kind: FrontEnd; name: string }[] = [{ kind: "lab", name: "JupyterLab 4" }, { kind: "notebook", name: "Notebook 7" }];

for (const { kind, name } of FRONT_ENDS) {
  const missing = missingFor(kind);
  // In CI (CI=1) npm test's setup installs the venv and Chromium: a missing piece is a failure there.
  const skip = missing !== "" && !process.env.CI;
  describe.skipIf(skip)(`${name} in Chromium${missing ? ` (${missing})` : ""}`, () => {
    let server: JupyterServer;
    let browser: Browser;
    let page: Page;
    const errors: string[] = [];
    let dir = "";

    beforeAll(async () => {
      if (missing) throw new Error(missing);
      dir = mkdtempSync(join(tmpdir(), `gradnote-${kind}-nb-`));
      copyFileSync(join(ROOT, "notebooks", LECTURE), join(dir, LECTURE));
      writeFileSync(join(dir, "interactive.ipynb"), JSON.stringify(notebookJson(CELLS)));
      server = await startJupyter(kind, dir);
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it(`runs lecture 10 (LeNet-5) with Run All: no errors, interactive Plotly charts, one live curve, progress at 100%, images`, async () => {
      const p = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
      p.on("pageerror", (e) => benign(e.message) || errors.push(e.message));
      await openNotebook(p, kind, server, LECTURE);
      await command(p, "notebook:run-all-cells");
      await waitCellsDone(p, "all", 180_000);
      const code = await codeCells(p);
      for (const i of code) {
        const bad = (await cellOutputs(p, i)).filter((o) => o.output_type === "error");
        expect(bad, `cell ${i}: ${bad.map((o) => `${o.ename}: ${o.evalue}`).join("; ")}`).toEqual([]);
      }
      // Every chart is Plotly's interactive one (modebar, drag layer), drawn from our text/html.
      await p.waitForFunction(() => {
        const plots = [...document.querySelectorAll(".gradnote-plot")];
        return plots.length >= 4 && plots.every((el) => el.querySelector("svg.main-svg") && el.querySelector(".modebar"));
      }, undefined, { timeout: 60_000 });
      // A chart answers the mouse: hovering a point shows its value, dragging zooms in.
      const curve = p.locator(".gradnote-plot").filter({ hasText: "Test accuracy when the images are shifted right" }).first();
      // Centred, so the whole chart (not just its top edge) is inside the viewport.
      await curve.evaluate((el: El) => {
        // The notebook scrolls inside its own panel (windowed in JupyterLab 4): move that panel.
        type Box = { parentElement: Box | null; scrollTop: number; scrollHeight: number; clientHeight: number; getBoundingClientRect(): { top: number } };
        const node = el as unknown as Box;
        let box = node.parentElement;
        while (box && !(box.scrollHeight > box.clientHeight + 10 && /(auto|scroll)/.test((globalThis as unknown as { getComputedStyle(b: Box): { overflowY: string } }).getComputedStyle(box).overflowY))) box = box.parentElement;
        if (box) box.scrollTop += node.getBoundingClientRect().top - box.getBoundingClientRect().top - 40;
      });
      await p.waitForTimeout(500);
      const pt = await curve.evaluate((gd: Graph) => {
        const fl = gd._fullLayout, xa = fl.xaxis, ya = fl.yaxis, t = gd._fullData[0], k = Math.floor(t.x.length / 2);
        const r = gd.querySelector(".main-svg")!.getBoundingClientRect();
        return { x: r.left + fl._size.l + xa.l2p(xa.d2l(t.x[k])), y: r.top + fl._size.t + ya.l2p(ya.d2l(t.y[k])), k, xv: t.x[k], range: [...xa.range] };
      });
      await p.mouse.move(pt.x - 30, pt.y);
      await p.mouse.move(pt.x, pt.y, { steps: 5 });
      await expect.poll(() => curve.locator(".hoverlayer").textContent(), { timeout: 10_000 }).toContain(`(${pt.xv}, `);
      const drag = (await curve.locator(".nsewdrag").first().boundingBox())!;
      await p.mouse.move(drag.x + drag.width * 0.2, drag.y + drag.height * 0.5);
      await p.mouse.down();
      await p.mouse.move(drag.x + drag.width * 0.6, drag.y + drag.height * 0.6, { steps: 8 });
      await p.mouse.up();
      await expect.poll(() => curve.evaluate((gd: Graph) => gd._fullLayout.xaxis.range[1] - gd._fullLayout.xaxis.range[0])).toBeLessThan((pt.range[1] - pt.range[0]) * 0.6);
      // The training cell: one live curve and one progress bar at 100%, updated in place.
      const trainCell = p.locator(".jp-Notebook .jp-Cell").filter({ hasText: "liveCurve({ title" });
      expect(await trainCell.locator(".gradnote-plot").count()).toBe(1);
      expect(await trainCell.locator(".gradnote-progress").count()).toBe(1);
      expect(await trainCell.locator(".gradnote-progress-pct").textContent()).toBe("100%");
      // Images (samples, filters, activations) are PNGs that loaded.
      const imgs = p.locator('.jp-OutputArea-output img[src^="data:image/png"]');
      expect(await imgs.count()).toBeGreaterThanOrEqual(3);
      expect(await imgs.evaluateAll((els) => els.every((el: El) => el.complete && el.naturalWidth! > 0))).toBe(true);
      await p.screenshot({ path: join(ARTIFACTS, `${kind}-lecture10.png`), fullPage: true });
      await p.close();
      expect(errors).toEqual([]);
    }, 300_000);

    describe("interactive notebook", () => {
      beforeAll(async () => {
        page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
        page.on("pageerror", (e) => benign(e.message) || errors.push(e.message));
        await openNotebook(page, kind, server, "interactive.ipynb");
        await runCell(page, 0);
        await waitCellsDone(page, [0]);
      }, 120_000);

      it("a live curve updates in place while its cell runs", async () => {
        await runCell(page, 1);
        const cell = page.locator(".jp-Notebook .jp-Cell").nth(1);
        // Sample while the cell runs: the front end's output model holds one figure whose points
        // grow, and the page shows one chart at a time, re-rendered (a new element) per update.
        const points = new Set<number>(), charts = new Set<string>();
        let most = 0;
        for (const deadline = Date.now() + 40_000; Date.now() < deadline; await sleep(100)) {
          const s = await cell.evaluate((el: El) => ({
            running: /\*/.test(el.querySelector(".jp-InputPrompt")?.textContent ?? ""),
            ids: [...el.querySelectorAll(".gradnote-plot")].map((d) => d.id),
          }));
          if (!s.running) break;
          const outs = await cellOutputs(page, 1);
          const fig = outs.find((o) => o.data?.["application/vnd.plotly.v1+json"])?.data?.["application/vnd.plotly.v1+json"] as { data: { x: unknown[] }[] } | undefined;
          if (fig) points.add(fig.data[0].x.length);
          most = Math.max(most, s.ids.length);
          s.ids.forEach((id) => charts.add(id));
        }
        await waitCellsDone(page, [1]);
        expect(most).toBe(1); // never a stack of charts
        // At least two states before the end (a loaded machine samples slowly; the page redraws each).
        expect(points.size, `point counts seen while running: ${[...points].join(", ")}`).toBeGreaterThanOrEqual(2);
        expect(Math.min(...points)).toBeLessThan(60);
        expect(charts.size).toBeGreaterThanOrEqual(2);
        expect((await cellOutputs(page, 1)).length).toBe(1);
        await page.waitForFunction(() => [...document.querySelectorAll(".jp-Notebook .jp-Cell")][1]?.querySelector(".gradnote-plot")?.data?.[0]?.x?.length === 60, undefined, { timeout: 20_000 });
      }, 90_000);

      it("the stop button interrupts a training loop; the next cell sees the earlier variables", async () => {
        await runCell(page, 2);
        await waitCellsDone(page, [2]);
        await runCell(page, 3);
        await page.waitForFunction(() => /\*/.test([...document.querySelectorAll(".jp-Notebook .jp-Cell")][3]?.querySelector(".jp-InputPrompt")?.textContent ?? ""));
        await sleep(1500);
        await page.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="interrupt"] jp-button, .jp-NotebookPanel-toolbar [data-jp-item-name="interrupt"] button').first().click();
        await waitCellsDone(page, [3], 30_000);
        const err = (await cellOutputs(page, 3)).find((o) => o.output_type === "error");
        expect(err?.ename).toBe("KeyboardInterrupt");
        await runCell(page, 4);
        await waitCellsDone(page, [4]);
        expect((await cellOutputs(page, 4)).find((o) => o.output_type === "execute_result")?.data?.["text/plain"]).toBe("'true 1x4'");
      }, 90_000);

      it("an input() box appears and its answer reaches the cell", async () => {
        await runCell(page, 5);
        const box = page.locator(".jp-Stdin-input");
        await box.waitFor({ timeout: 30_000 });
        expect(await page.locator(".jp-Stdin-prompt").first().textContent()).toContain("Your name:");
        await box.fill("Ada");
        await box.press("Enter");
        await waitCellsDone(page, [5]);
        const text = (await cellOutputs(page, 5)).filter((o) => o.output_type === "stream").map((o) => o.text).join("");
        expect(text).toContain("hello Ada");
      }, 60_000);

      it("Tab after `optim.` opens the completer with the runtime's optimizers", async () => {
        const cell = await selectCell(page, 6);
        await cell.locator(".cm-content").click();
        await page.keyboard.press("Control+End");
        const completer = page.locator(".jp-Completer");
        // As a user would on a loaded machine, Tab again if the first reply came too late for the
        // completer (JupyterLab drops a reply that arrives after its request was superseded).
        for (let attempt = 1; ; attempt++) {
          await page.keyboard.press("Tab");
          try {
            await completer.waitFor({ state: "visible", timeout: 10_000 });
            break;
          } catch (e) {
            if (attempt === 3) throw e;
          }
        }
        const items = await completer.locator(".jp-Completer-item .jp-Completer-match").allTextContents();
        expect(items.join(" ")).toMatch(/\bAdam\b/);
        expect(items.join(" ")).toMatch(/\bSGD\b/);
        await page.keyboard.press("Escape");
        await page.keyboard.press("Escape");
      }, 60_000);

      it("restart gives a fresh kernel that runs cells", async () => {
        await page.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="restart"] jp-button, .jp-NotebookPanel-toolbar [data-jp-item-name="restart"] button').first().click();
        await page.locator(".jp-Dialog .jp-mod-accept").click({ timeout: 20_000 });
        await sleep(500);
        await waitIdle(page);
        await runCell(page, 7);
        await waitCellsDone(page, [7]);
        expect((await cellOutputs(page, 7)).find((o) => o.output_type === "execute_result")?.data?.["text/plain"]).toBe("'undefined'");
        await page.screenshot({ path: join(ARTIFACTS, `${kind}-interactive.png`), fullPage: true });
        expect(errors).toEqual([]);
      }, 60_000);
    });
  });
}
