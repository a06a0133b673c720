// Helpers for the JupyterLab 4 / Notebook 7 browser suites: start a front end from the test
// venv (.jupyter-venv, made by scripts/test-setup.sh) with the gradnote kernelspec in a temporary
// prefix, launch Debian's Chromium, and drive the notebook through `window.jupyterapp`
// (`--expose-app-in-browser`). No assertions here; the suites make them.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { freePort } from "../free-port.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CHROMIUM = "/usr/bin/chromium";
export const VENV = join(ROOT, ".jupyter-venv");
export const ARTIFACTS = join(ROOT, "test-artifacts/browser");

/** The front ends these suites cover, by the console script that starts them. */
export type FrontEnd = "lab" | "notebook";

/** Why a front end's suite cannot run here ("" when it can). */
export function missingFor(kind: FrontEnd): string {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found (apt-get install chromium)`;
  if (!existsSync(join(VENV, "bin", `jupyter-${kind}`))) return `${VENV}/bin/jupyter-${kind} not found (npm test's setup step makes the venv with pip)`;
  return "";
}

/** A running Jupyter server with the gradnote kernelspec, serving `notebooks`. */
export interface JupyterServer {
  url(path: string): string;
  log(): string;
  stop(): Promise<void>;
}

/** Starts `jupyter lab` or `jupyter notebook` from the venv on a free port. */
export async function startJupyter(kind: FrontEnd, notebooks: string): Promise<JupyterServer> {
  const work = mkdtempSync(join(tmpdir(), `gradnote-${kind}-`));
  const install = spawnSync(process.execPath, [join(ROOT, "bin/gradnote.mjs"), "install", "--prefix", join(work, "prefix")], { encoding: "utf8" });
  if (install.status !== 0) throw new Error(`gradnote install failed: ${install.stderr}`);
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const env = {
    ...process.env,
    JUPYTER_PATH: join(work, "prefix/share/jupyter"),
    JUPYTER_DATA_DIR: join(work, "data"),
    JUPYTER_CONFIG_DIR: join(work, "config"),
    JUPYTER_RUNTIME_DIR: join(work, "runtime"),
    JUPYTERLAB_SETTINGS_DIR: join(work, "settings"),
    JUPYTERLAB_WORKSPACES_DIR: join(work, "workspaces"),
    IPYTHONDIR: join(work, "ipython"),
  };
  const server: ChildProcess = spawn(join(VENV, "bin", `jupyter-${kind}`), [
    "--no-browser", "--allow-root", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${notebooks}`, "--expose-app-in-browser",
  ], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  server.stdout!.on("data", (d) => (log += d));
  server.stderr!.on("data", (d) => (log += d));
  const url = (path: string) => `http://127.0.0.1:${port}${path}${path.includes("?") ? "&" : "?"}token=${token}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`jupyter-${kind} exited with ${server.exitCode}:\n${log}`);
    try {
      if ((await fetch(url("/api/kernelspecs"))).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`jupyter-${kind} did not answer within 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    log: () => log,
    async stop() {
      if (server.exitCode === null) {
        server.kill("SIGTERM");
        await new Promise((r) => server.once("exit", r));
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// The slice of JupyterLab's application object the suites use (the project has no DOM lib).
interface OutputJson { output_type: string; text?: string; ename?: string; evalue?: string; data?: Record<string, unknown> }
interface CellWidget { model: { type: string; outputs?: { toJSON(): OutputJson[] }; executionCount?: number | null; sharedModel: { getSource(): string } }; node: PageNode; promptNode?: PageNode }
interface NotebookPanel {
  content: { widgets: CellWidget[]; activeCellIndex: number; mode: string };
  sessionContext: { session?: { kernel?: { status: string; connectionStatus: string } } };
}
interface PageNode { textContent: string | null; querySelectorAll(s: string): ArrayLike<PageNode> }
declare const window: {
  jupyterapp: { shell: { currentWidget: NotebookPanel | null }; commands: { execute(id: string, args?: object): Promise<unknown> } };
};

/** Opens a notebook (path relative to the server root) and waits for its kernel to be idle. */
export async function openNotebook(page: Page, kind: FrontEnd, server: JupyterServer, path: string): Promise<void> {
  // `?reset`: JupyterLab would otherwise restore the notebooks an earlier page had open.
  await page.goto(server.url(kind === "lab" ? `/lab/tree/${path}?reset` : `/notebooks/${path}`));
  await page.waitForFunction(() => !!window.jupyterapp?.shell.currentWidget?.content?.widgets?.length, undefined, { timeout: 60_000 });
  await waitIdle(page);
}

/** Waits until the kernel is connected and idle. */
export async function waitIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => {
    const k = window.jupyterapp.shell.currentWidget?.sessionContext.session?.kernel;
    return k?.connectionStatus === "connected" && k.status === "idle";
  }, undefined, { timeout });
}

/** Runs a JupyterLab command (e.g. "notebook:run-all-cells"). */
export async function command(page: Page, id: string): Promise<void> {
  await page.evaluate((c) => void window.jupyterapp.commands.execute(c), id);
}

/** Makes cell `i` the active one (command mode) and returns its DOM locator. */
export async function selectCell(page: Page, i: number) {
  await page.evaluate((n) => {
    const nb = window.jupyterapp.shell.currentWidget!.content;
    nb.mode = "command";
    nb.activeCellIndex = n;
  }, i);
  return page.locator(".jp-Notebook .jp-Cell").nth(i);
}

/** Starts cell `i` running (returns at once; wait with waitCellDone). */
export async function runCell(page: Page, i: number): Promise<void> {
  await selectCell(page, i);
  await command(page, "notebook:run-cell");
}

/** Waits until every code cell listed has an execution count and the kernel is idle. */
export async function waitCellsDone(page: Page, cells: number[] | "all", timeout = 120_000): Promise<void> {
  await page.waitForFunction((which) => {
    const panel = window.jupyterapp.shell.currentWidget!;
    const ws = panel.content.widgets;
    const idx = which === "all" ? ws.map((_, j) => j).filter((j) => ws[j].model.type === "code") : which;
    const done = idx.every((j) => typeof ws[j].model.executionCount === "number" && !/\*/.test(ws[j].node.querySelectorAll(".jp-InputPrompt")[0]?.textContent ?? ""));
    return done && panel.sessionContext.session?.kernel?.status === "idle";
  }, cells, { timeout });
}

/** The outputs of cell `i` as nbformat JSON. */
export function cellOutputs(page: Page, i: number): Promise<OutputJson[]> {
  return page.evaluate((n) => window.jupyterapp.shell.currentWidget!.content.widgets[n].model.outputs?.toJSON() ?? [], i);
}

/** The code cells' indices of the open notebook. */
export function codeCells(page: Page): Promise<number[]> {
  return page.evaluate(() => window.jupyterapp.shell.currentWidget!.content.widgets.flatMap((w, j) => (w.model.type === "code" ? [j] : [])));
}

/** An nbformat notebook for the gradnote kernel from cell sources. */
export function notebookJson(cells: string[]): object {
  return {
    cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: "gradnote", display_name: "TypeScript (gradnote)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
