// The README's main job on a fresh machine: clone this repository into a temporary folder and run
// `npm ci && npm start` inside a bubblewrap sandbox that hides clang/lld, the Debian data sets and
// Python's Jupyter packages (tmpfs over their folders). It must exit 0, run every lecture notebook
// without an error output, and leave a runtime whose cpu backend uses the WASM SIMD kernels.
// The sandbox's output goes to test-artifacts/fresh-install.log.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BWRAP = "/usr/bin/bwrap";
const which = (cmd: string): string | null => {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
};

/** Folders the sandbox covers with an empty tmpfs: the toolchain, the data, Python's Jupyter. */
function hiddenFolders(): string[] {
  const dirs = new Set<string>();
  // clang and wasm-ld are symlinks into their LLVM folder (/usr/lib/llvm-14/bin): hide that folder.
  for (const exe of ["clang", "clang-14", "clang-15", "clang-16", "wasm-ld", "lld"]) {
    const p = which(exe);
    if (p) dirs.add(dirname(dirname(realpathSync(p))));
  }
  dirs.add("/usr/share/datasets");
  const py = "/usr/lib/python3/dist-packages";
  for (const pkg of ["sklearn", "jupyter_core", "jupyter_client", "jupyter_server", "jupyterlab", "notebook", "nbclassic", "jupyterhub", "ipykernel", "nbformat", "nbconvert", "nbclient", "jupyter_kernel_test"]) {
    dirs.add(join(py, pkg));
  }
  for (const d of ["/usr/share/jupyter", "/usr/local/share/jupyter", "/opt/webgpu-cpu"]) dirs.add(d);
  return [...dirs].filter((d) => existsSync(d) && d !== "/usr" && d !== "/");
}

const missing = !existsSync(BWRAP) ? `${BWRAP} not found (apt-get install bubblewrap)` : !which("git") ? "git not found" : "";
// In CI (CI=1) npm test's setup installs bubblewrap: a missing piece fails there.
describe.skipIf(missing !== "" && !process.env.CI)(`fresh clone: npm ci && npm start in a sandbox${missing ? ` (${missing})` : ""}`, () => {
  const work = mkdtempSync(join(tmpdir(), "gradnote-fresh-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("exits 0, runs every lecture notebook, and the cpu backend uses SIMD kernels, with no clang, data sets or Jupyter", () => {
    if (missing) throw new Error(missing);
    const clone = join(work, "gradnote"), home = join(work, "home");
    mkdirSync(home);
    execFileSync("git", ["clone", "--quiet", "--no-hardlinks", ROOT, clone], { stdio: "pipe" });
    // npm's cache is shared (read and write) so that npm ci need not download what CI just fetched.
    const cache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
    mkdirSync(cache, { recursive: true });
    const hidden = hiddenFolders();
    const script = [
      "set -e",
      // The sandbox really lacks them (a probe that fails loudly if the hiding breaks).
      `if command -v clang >/dev/null && clang --version >/dev/null 2>&1; then echo "SANDBOX LEAK: clang runs"; exit 90; fi`,
      // (An empty folder still imports as a namespace package, so probe a module inside it.)
      `if python3 -c "import jupyter_core.paths" 2>/dev/null; then echo "SANDBOX LEAK: jupyter_core imports"; exit 91; fi`,
      `if python3 -c "import sklearn.datasets" 2>/dev/null || [ -e /usr/share/datasets/fashion-mnist ]; then echo "SANDBOX LEAK: data sets"; exit 92; fi`,
      `npm ci --no-audit --no-fund && npm start`,
      `node --input-type=module -e 'const m = await import("./dist/gradnote.mjs"); console.log("cpu kernels: " + m.cpuInfo().kernels + ", native: " + (m.cpuInfo().native || "none")); process.exit(0)'`,
    ].join("\n");
    const args = [
      "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
      ...hidden.flatMap((d) => ["--tmpfs", d]),
      "--bind", work, work, "--bind", cache, cache,
      "--unshare-pid", "--die-with-parent", "--chdir", clone,
      "--clearenv", "--setenv", "PATH", `${dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, "--setenv", "HOME", home,
      "--setenv", "npm_config_cache", cache, "--setenv", "CI", "1", "--setenv", "NO_COLOR", "1",
      "bash", "-c", script,
    ];
    const t0 = Date.now();
    const r = spawnSync(BWRAP, args, { encoding: "utf8", timeout: 540_000, maxBuffer: 64 << 20 });
    const log = `${r.stdout}\n${r.stderr}`;
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    writeFileSync(join(ROOT, "test-artifacts/fresh-install.log"), log);
    const seconds = ((Date.now() - t0) / 1000).toFixed(0);
    expect(r.status, `sandboxed npm ci && npm start failed after ${seconds} s (hidden: ${hidden.join(", ")}):\n${log.slice(-6000)}`).toBe(0);
    // Every lecture ran, and its executed copy holds no error output.
    const lectures = readdirSync(join(clone, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
    expect(lectures.length).toBeGreaterThanOrEqual(8);
    for (const nb of lectures) {
      expect(log).toContain(`=== ${nb} ===`);
      const executed = JSON.parse(readFileSync(join(clone, "notebooks/executed", nb), "utf8")) as { cells: { cell_type: string; execution_count?: number | null; outputs?: { output_type: string; ename?: string; evalue?: string }[] }[] };
      const code = executed.cells.filter((c) => c.cell_type === "code");
      expect(code.every((c) => typeof c.execution_count === "number"), `${nb}: a cell did not run`).toBe(true);
      const errors = code.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "error");
      expect(errors.map((e) => `${e.ename}: ${e.evalue}`), nb).toEqual([]);
    }
    expect(log).toContain("All notebooks ran.");
    // The machine's gcc (not hidden: a fresh machine has it) built the native AVX2 kernels.
    expect(log).toMatch(process.arch === "x64" ? /cpu kernels: relaxed, native: avx(2|512)/ : /cpu kernels: relaxed/);
    // No WASM compile was attempted and no JS-kernel fallback announced.
    expect(log).not.toMatch(/JS kernels|clang not found/);
  }, 600_000);
});
