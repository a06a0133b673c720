// `npm run bench:runtime`: gradnote beside PyTorch (Debian python3-torch, 1 and 2 threads)
// and TF.js (cpu and wasm backends), measured in one run, each in its own process so that
// one runtime's threads and heap do not disturb another's. Prints one table with ratios.
// Parts: bench/runtime-gradnote.mjs, bench/runtime_torch.py, bench/runtime-tfjs.mjs; the 900-cell
// memory figure: bench/runtime-cells.mjs (a real kernel) beside bench/runtime_cells.py (PyTorch).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const PY = "/usr/bin/python3";

function part(label, cmd, args, env = {}) {
  const t0 = performance.now();
  process.stderr.write(`running ${label} … `);
  try {
    const text = execFileSync(cmd, args, {
      encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 24, timeout: 240_000,
    });
    const lines = text.trim().split("\n");
    process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    return JSON.parse(lines[lines.length - 1]);
  } catch (e) {
    process.stderr.write("failed\n");
    return { error: String(e.stderr || e.message).trim().split("\n").slice(-1)[0] };
  }
}

const results = {};
const notes = [];
results.gradnote = part("gradnote", process.execPath, [join(here, "runtime-gradnote.mjs")]);
// GRADNOTE_BASELINE_DIST=/path/to/older/dist/gradnote.mjs adds a "before" column (same run, same machine).
const baseline = process.env.GRADNOTE_BASELINE_DIST;
if (baseline) results.before = part("gradnote before", process.execPath, [join(here, "runtime-gradnote.mjs")], { GRADNOTE_DIST: baseline });
let torchOk = false;
if (existsSync(PY)) {
  try {
    execFileSync(PY, ["-c", "import torch"], { stdio: "ignore" });
    torchOk = true;
  } catch {
    notes.push("PyTorch skipped: /usr/bin/python3 has no torch (apt-get install python3-torch)");
  }
} else notes.push("PyTorch skipped: /usr/bin/python3 not found");
if (torchOk) {
  const py = join(here, "runtime_torch.py");
  results.torch1 = part("PyTorch, 1 thread", PY, [py, "--threads", "1"], { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" });
  results.torch2 = part("PyTorch, 2 threads", PY, [py, "--threads", "2"], { OPENBLAS_NUM_THREADS: "2", OMP_NUM_THREADS: "2" });
}
// The 900-cell memory figure: a kernel with type checking on (the default) and off, then PyTorch.
results.cellsWarn = part("gradnote kernel, 900 cells (types on)", process.execPath, [join(here, "runtime-cells.mjs")], { GRADNOTE_TYPECHECK: "warn" });
results.cellsOff = part("gradnote kernel, 900 cells (types off)", process.execPath, [join(here, "runtime-cells.mjs")], { GRADNOTE_TYPECHECK: "off" });
if (torchOk) results.torchCells = part("PyTorch, 900 cells", PY, [join(here, "runtime_cells.py")], { OPENBLAS_NUM_THREADS: "2", OMP_NUM_THREADS: "2" });
results.tfcpu = part("TF.js cpu", process.execPath, [join(here, "runtime-tfjs.mjs"), "cpu"]);
results.tfwasm = part("TF.js wasm", process.execPath, [join(here, "runtime-tfjs.mjs"), "wasm"]);

const peers = [
  ["before", "gradnote before"], ["torch1", "PyTorch 1t"], ["torch2", "PyTorch 2t"], ["tfcpu", "TF.js cpu"], ["tfwasm", "TF.js wasm"],
].filter(([k]) => results[k]);
const rows = [
  ["matmul256", "fp32 matmul 256³ (GFLOP/s)", "rate"],
  ["matmul512", "fp32 matmul 512³ (GFLOP/s)", "rate"],
  ["matmul1024", "fp32 matmul 1024³ (GFLOP/s)", "rate"],
  ["mlpEpoch", "Fashion-MNIST MLP epoch (s)", "time"],
  ["lenetStep", "LeNet-5 fwd+bwd, batch 64 (ms)", "time"],
  ["lstmFwd", "LSTM step fwd, b32 h128 i64 (ms)", "time"],
  ["lstmStep", "LSTM step fwd+bwd (ms)", "time"],
  ["lstmSeq", "LSTM 35 steps fwd+bwd (ms)", "time"],
  ["tinyAdd", "tiny add, 16 elements (µs/op)", "us"],
  ["tinyStep", "tiny MLP 2-8-1 fwd+bwd, batch 4 (µs)", "us"],
  ["selectOp", "t.select(0, i) on [64,16] (µs/op)", "us"],
  ["indexOp", "t[i] on [64,16] (µs/op)", "us"],
];
const fmt = (v, kind, key) => {
  if (v === null || v === undefined) return "n/a";
  const x = kind === "us" ? v * 1e6 : kind === "time" && key !== "mlpEpoch" ? v * 1000 : v;
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
};
// Ratio = how many times slower gradnote is (time ÷ time, or peer rate ÷ gradnote rate).
const ratio = (g, p, kind) => {
  if (!g || !p) return "";
  const r = kind === "rate" ? p / g : g / p;
  const f = (v) => v.toFixed(v >= 10 ? 0 : v >= 2 ? 1 : 2);
  return r >= 1 ? `${f(r)}x slower` : `${f(1 / r)}x faster`;
};
const header = ["workload", "gradnote (pool)", ...peers.map(([, n]) => n), ...peers.map(([, n]) => `gradnote vs ${n}`)];
const table = rows.map(([key, label, kind]) => [
  label,
  fmt(results.gradnote[key], kind, key),
  ...peers.map(([k]) => fmt(results[k][key], kind, key)),
  ...peers.map(([k]) => ratio(results.gradnote[key], results[k][key], kind)),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
console.log(`\ngradnote runtime benchmark (gradnote backend: ${results.gradnote.backend ?? "?"}; data: ${results.gradnote.data ?? "?"})`);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of table) console.log(line(r));
const g = results.gradnote;
if (g.rssGrowthMB !== undefined) {
  console.log(`\nRSS growth over ${g.rssSteps} MLP training steps (784-128-10, batch 64, synchronous loop): ${g.rssGrowthMB.toFixed(1)} MB`);
}
/** The issue's goal, 250 MB, in the MiB the table shows (250 × 10⁶ / 2²⁰ = 238.4). */
const CELL_GOAL_MB = 250;
const CELL_GOAL_MIB = (CELL_GOAL_MB * 1e6) / 2 ** 20;
const cellRows = [["cellsWarn", "gradnote kernel, types on (default)"], ["cellsOff", "gradnote kernel, types off"], ["torchCells", "PyTorch, one python3 process"]]
  .filter(([k]) => results[k] && !results[k].error);
if (cellRows.length) {
  const c = results[cellRows[0][0]];
  const tp = results.torchCells && !results.torchCells.error ? results.torchCells : undefined;
  console.log(`\nMemory: ${c?.cells ?? 900} cells, each \`${(c?.cell ?? "").replace(/\n/g, " ")}\` (RSS of the process tree in MiB, sampled every 20 ms; goal: gradnote's peak ≤ ${CELL_GOAL_MB} MB = ${CELL_GOAL_MIB.toFixed(1)} MiB)`);
  const mh = ["run", "before loop", "peak", "final", "cells (s)", "peak vs PyTorch", "goal"];
  const mt = cellRows.map(([k, label]) => {
    const r = results[k];
    const isTorch = k === "torchCells";
    return [
      label, r.startMiB.toFixed(0), r.peakMiB.toFixed(0), r.finalMiB.toFixed(0), r.seconds.toFixed(1),
      !isTorch && tp ? `${(r.peakMiB / tp.peakMiB).toFixed(2)}x` : "",
      isTorch ? "" : r.peakMiB <= CELL_GOAL_MIB ? "met" : "missed",
    ];
  });
  const mw = mh.map((h, i) => Math.max(h.length, ...mt.map((r) => r[i].length)));
  const ml = (r) => r.map((c, i) => (i === 0 ? c.padEnd(mw[i]) : c.padStart(mw[i]))).join("  ");
  console.log(ml(mh));
  console.log(mw.map((w) => "-".repeat(w)).join("  "));
  for (const r of mt) console.log(ml(r));
  console.log("  (final: 1 s after the last cell; PyTorch's peak is its VmHWM, before loop is after `import torch`)");
}
for (const [k, r] of Object.entries(results)) {
  if (r.error) notes.push(`${k} failed: ${r.error}`);
  for (const n of r.notes ?? []) notes.push(`${k}: ${n}`);
  if (r.version) notes.push(`${k}: version ${r.version}${r.threads ? `, ${r.threads} thread(s)` : ""}`);
}
notes.push("medians over repeats; ratios say how many times slower (or faster) gradnote is than the peer");
console.log(`\nnotes:\n${notes.map((n) => `  - ${n}`).join("\n")}`);
