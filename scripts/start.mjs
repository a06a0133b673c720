// `npm start`: the main job. Registers the gradnote kernel with Jupyter, runs the lecture
// notebooks headless (printing their results; executed copies go to notebooks/executed/), and,
// when a Jupyter front end is installed and this is an interactive terminal, opens it.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "bin", "gradnote.mjs");
const node = process.execPath;

function run(args) {
  const r = spawnSync(node, [cli, ...args], { stdio: "inherit", cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(["install", "--user"]);
const outDir = join(root, "notebooks", "executed");
mkdirSync(outDir, { recursive: true });
for (const nb of readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort()) {
  console.log(`\n=== ${nb} ===`);
  run(["run", join("notebooks", nb), "--output", join(outDir, nb), "--timeout", "600"]);
}

const frontEnd = ["jupyter-lab", "jupyter-notebook"].find((cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0);
if (frontEnd && process.stdin.isTTY && !process.env.CI && !process.argv.includes("--headless")) {
  console.log(`\nOpening the notebooks in ${frontEnd} (Ctrl-C to stop)…`);
  const extra = process.getuid?.() === 0 ? ["--allow-root"] : [];
  spawn(frontEnd, [join(root, "notebooks"), ...extra], { stdio: "inherit" }).on("exit", (c) => process.exit(c ?? 0));
} else {
  console.log(`\nAll notebooks ran. Executed copies: ${outDir}`);
  console.log(frontEnd ? `Open them with: ${frontEnd} notebooks/  (kernel "TypeScript (gradnote)")` : "Install JupyterLab or Notebook to open them interactively.");
}
