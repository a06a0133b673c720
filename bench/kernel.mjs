// Kernel benchmark (`npm run bench:kernel`): startup to the first kernel_info_reply, execute round
// trip of `1+1` (p50/p90), the round trip of each cell of a 20-cell notebook run several times
// (bench/kernel-notebooks.mjs) and idle RSS, for gradnote with type checking on (warn) and off,
// ipykernel and tslab (installed from npm into a cache folder on first use), all in the same run
// and driven by the project's own Jupyter client (dist/client.mjs). Runtime speed: bench/runtime.mjs.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KERNEL_NODE_FLAGS, KernelClient, newConnectionInfo } from "../dist/client.mjs";
import { NOTEBOOKS } from "./kernel-notebooks.mjs";
import { commandOf, processTree, rssKiB } from "./proc.mjs";
import { waitForTypeChecker } from "./typecheck-ready.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PYTHON = "/usr/bin/python3";
const STARTUPS = Number(process.env.BENCH_STARTUPS ?? 7);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 300);
const WARMUP = 30;
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 12);
const NOTEBOOK_RUNS = Number(process.env.BENCH_NOTEBOOK_RUNS ?? 5);
const TSLAB_VERSION = "1.0.22";

const scratch = mkdtempSync(join(tmpdir(), "gradnote-bench-"));

/**
 * tslab from npm, installed once into node_modules/.cache (never into the project's own
 * node_modules). Returns its launcher, or the reason it is not available.
 */
function findTslab() {
  const dir = process.env.BENCH_TSLAB_DIR ?? join(ROOT, "node_modules", ".cache", "gradnote-bench-tslab");
  const bin = join(dir, "node_modules", "tslab", "bin", "tslab");
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    console.log(`installing tslab@${TSLAB_VERSION} from npm into ${dir} …`);
    const r = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, `tslab@${TSLAB_VERSION}`], { encoding: "utf8", timeout: 300_000 });
    if (r.status !== 0 || !existsSync(bin)) {
      const why = (r.error?.message ?? `${r.stderr ?? ""}${r.stdout ?? ""}`).trim().split("\n").slice(-6).join("\n    ");
      return { error: `npm install tslab@${TSLAB_VERSION} failed (exit ${r.status}):\n    ${why}` };
    }
  }
  return { bin };
}

const tslab = process.env.BENCH_NO_TSLAB ? { error: "skipped (BENCH_NO_TSLAB set)" } : findTslab();

// With Node's options as the kernelspec starts it (kernel/node-flags.ts).
const gradnoteKernel = (conn) => [process.execPath, [...KERNEL_NODE_FLAGS, join(ROOT, "dist", "kernel.mjs"), "--connection-file", conn]];
/** Each kernel: how to start it, its environment, its 20-cell notebook and its warm-up cell. */
const KERNELS = {
  "gradnote": { cmd: gradnoteKernel, env: { GRADNOTE_TYPECHECK: "warn" }, notebook: NOTEBOOKS.gradnote, label: "gradnote (types on)" },
  "gradnote-off": { cmd: gradnoteKernel, env: { GRADNOTE_TYPECHECK: "off" }, notebook: NOTEBOOKS.gradnote, label: "gradnote (types off)" },
  "ipykernel": { cmd: (conn) => [PYTHON, ["-m", "ipykernel_launcher", "-f", conn]], env: {}, notebook: NOTEBOOKS.python, label: "ipykernel" },
  ...(tslab.bin ? { "tslab": { cmd: (conn) => [process.execPath, [tslab.bin, "kernel", "--config-path", conn]], env: {}, notebook: NOTEBOOKS.typescript, label: "tslab" } } : {}),
};
// One typed cell first, so gradnote's RSS includes esbuild's service (plain JS cells skip it).
const WARM_CELL = { "gradnote": "const warm: number = 1; warm", "gradnote-off": "const warm: number = 1; warm", ipykernel: "warm: int = 1; warm", tslab: "const warm: number = 1; warm" };

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Starts a kernel; resolves with the time from spawn to its first kernel_info_reply. */
async function start(name) {
  const info = await newConnectionInfo();
  const conn = join(scratch, `${name}-${info.shell_port}.json`);
  writeFileSync(conn, JSON.stringify(info));
  const client = new KernelClient(info);
  await client.connect();
  const [cmd, args] = KERNELS[name].cmd(conn);
  const env = { ...process.env, ...KERNELS[name].env, PYDEVD_DISABLE_FILE_VALIDATION: "1", IPYTHONDIR: join(scratch, "ipython"), JUPYTER_RUNTIME_DIR: scratch };
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, args, { cwd: scratch, env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  // ZeroMQ queues the request until the kernel binds, so the first reply is the startup time.
  await client.request("kernel_info_request", {}, "shell", 30_000, { waitIdle: false }).catch((e) => {
    throw new Error(`${name} did not start: ${e.message}\n${log}`);
  });
  const startup = Number(process.hrtime.bigint() - t0) / 1e6;
  await client.waitReady(); // iopub subscribed too
  return { client, child, startup };
}

async function stop({ client, child }) {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    await client.request("shutdown_request", { restart: false }, "control", 5000).catch(() => undefined);
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(t);
  }
  client.close();
}

async function measure(name) {
  const startups = [];
  for (let i = 0; i < STARTUPS; i++) {
    const k = await start(name);
    startups.push(k.startup);
    await stop(k);
  }
  const k = await start(name);
  try {
    const rtt = [];
    const warm = await k.client.execute(WARM_CELL[name]);
    if (warm.reply.content.status !== "ok") throw new Error(`${name}: warm-up cell failed`);
    if (name === "gradnote") {
      // The language worker loads its declarations in the background: wait until it answers.
      await waitForTypeChecker(k.client, "gradnote: the language worker");
    }
    for (let i = 0; i < WARMUP + ROUND_TRIPS; i++) {
      const t0 = process.hrtime.bigint();
      const r = await k.client.execute("1+1");
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const result = r.iopub.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"]
        // tslab prints a cell's value on stdout instead of sending an execute_result.
        ?? r.iopub.find((m) => m.header.msg_type === "stream" && m.content.name === "stdout")?.content.text.trim();
      if (r.reply.content.status !== "ok" || result !== "2") throw new Error(`${name}: 1+1 did not give 2`);
      if (i >= WARMUP) rtt.push(ms);
    }
    // The 20-cell notebook, run NOTEBOOK_RUNS times: every cell's round trip counts.
    const cells = [];
    let warnings = 0;
    for (let run = 0; run < NOTEBOOK_RUNS; run++) {
      for (const code of KERNELS[name].notebook) {
        const t0 = process.hrtime.bigint();
        const r = await k.client.execute(code);
        cells.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.reply.content.status !== "ok") throw new Error(`${name}: notebook cell failed: ${code}\n${r.reply.content.ename}: ${r.reply.content.evalue}`);
        warnings += r.iopub.filter((m) => m.header.msg_type === "stream" && m.content.name === "stderr").length;
      }
    }
    const rss = () => processTree(k.child.pid).map((pid) => ({ pid, cmd: commandOf(pid), kib: rssKiB(pid) }));
    const sum = (ps) => ps.reduce((a, p) => a + p.kib, 0) / 1024;
    await new Promise((r) => setTimeout(r, 1500));
    const busyRss = sum(rss());
    // Idle as in a notebook between cells: V8's memory reducer shrinks the heaps after ~10 s.
    await new Promise((r) => setTimeout(r, IDLE_S * 1000 - 1500));
    const perProcess = rss();
    return {
      busyRssMiB: busyRss,
      name,
      startupMs: quantile(startups, 0.5),
      startupMin: Math.min(...startups),
      p50: quantile(rtt, 0.5),
      p90: quantile(rtt, 0.9),
      nbP50: quantile(cells, 0.5),
      nbP90: quantile(cells, 0.9),
      nbCells: cells.length,
      warnings,
      rssMiB: sum(perProcess),
      perProcess,
    };
  } finally {
    await stop(k);
  }
}

function table(results) {
  const fmt = {
    s: (v) => `${(v / 1000).toFixed(3)} s`,
    ms: (v) => `${v.toFixed(2)} ms`,
    mib: (v) => `${v.toFixed(1)} MiB`,
  };
  const nb = results[0].nbCells;
  const rows = [
    ["startup to kernel_info_reply (median)", "startupMs", fmt.s],
    [`execute 1+1 round trip p50 (n=${ROUND_TRIPS})`, "p50", fmt.ms],
    [`execute 1+1 round trip p90 (n=${ROUND_TRIPS})`, "p90", fmt.ms],
    [`20-cell notebook, round trip per cell p50 (n=${nb})`, "nbP50", fmt.ms],
    [`20-cell notebook, round trip per cell p90 (n=${nb})`, "nbP90", fmt.ms],
    ["RSS 1.5 s after the round trips", "busyRssMiB", fmt.mib],
    [`idle RSS (${IDLE_S} s without requests)`, "rssMiB", fmt.mib],
  ];
  const head = ["metric", ...results.map((r) => KERNELS[r.name].label)];
  const cells = rows.map(([m, key, f]) => [m, ...results.map((r) => f(r[key]))]);
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join("  ");
  console.log(line(head));
  console.log(w.map((n) => "-".repeat(n)).join("  "));
  for (const c of cells) console.log(line(c));
}

function goals(by) {
  const on = by.gradnote;
  const off = by["gradnote-off"];
  const rows = [
    ["startup ≤ 0.4 s (types off)", off.startupMs <= 400, fmt3(off.startupMs / 1000, "s")],
    ["execute 1+1 p50 ≤ 2 ms (types off)", off.p50 <= 2, fmt3(off.p50, "ms")],
    ["idle RSS ≤ 100 MB (types off)", off.rssMiB * 1.048576 <= 100, fmt3(off.rssMiB, "MiB")],
    ["type checking adds ≤ 30 ms to the notebook's p50 round trip", on.nbP50 - off.nbP50 <= 30, `+${fmt3(on.nbP50 - off.nbP50, "ms")} (${on.nbP50.toFixed(2)} vs ${off.nbP50.toFixed(2)} ms)`],
    ["type checking adds ≤ 100 MB idle RSS", (on.rssMiB - off.rssMiB) * 1.048576 <= 100, `+${fmt3(on.rssMiB - off.rssMiB, "MiB")} (${on.rssMiB.toFixed(1)} vs ${off.rssMiB.toFixed(1)} MiB)`],
  ];
  console.log("\ngoals:");
  for (const [what, ok, value] of rows) console.log(`  ${ok ? "met " : "NOT "} ${what}: ${value}`);
  console.log(`  type warnings in gradnote's notebook runs (none expected): ${on.warnings}`);
}

function fmt3(v, unit) {
  return `${v.toFixed(2)} ${unit}`;
}

try {
  if (!existsSync(join(ROOT, "dist", "kernel.mjs"))) throw new Error("dist/kernel.mjs missing: run node scripts/build.mjs");
  console.log(`kernel benchmark: ${STARTUPS} cold starts each, ${ROUND_TRIPS} round trips after ${WARMUP} warm-up, the 20-cell notebook ${NOTEBOOK_RUNS} times, Node ${process.version}`);
  console.log("timings on a shared machine are noisy: compare kernels within one run, not across runs\n");
  const results = [];
  const failed = [];
  const only = process.env.BENCH_ONLY?.split(",");
  for (const name of Object.keys(KERNELS).filter((n) => !only || only.includes(n))) {
    try {
      results.push(await measure(name));
    } catch (e) {
      // A baseline that fails is reported, not fatal; gradnote's own failures are.
      if (name.startsWith("gradnote")) throw new Error(`${name}: ${e.message}`);
      failed.push(`${name} not measured: ${e.message}`);
    }
  }
  const by = Object.fromEntries(results.map((r) => [r.name, r]));
  table(results);
  if (by.gradnote && by["gradnote-off"]) goals(by);
  if (tslab.error) console.log(`\ntslab not measured: ${tslab.error}`);
  for (const f of failed) console.log(`\n${f}`);
  console.log("\nRSS = VmRSS from /proc/PID/status summed over the kernel process and its descendants;");
  console.log("gradnote's includes esbuild's service process (started by the first typed cell, stopped after 10 s idle) and, with types on,");
  console.log("the language worker thread (TypeScript's language service). Idle, by process:");
  for (const r of results) for (const p of r.perProcess) console.log(`  ${r.name.padEnd(12)}  pid ${String(p.pid).padEnd(7)} ${(p.kib / 1024).toFixed(1).padStart(6)} MiB  ${p.cmd}`);
  console.log(`\nstartup, fastest of ${STARTUPS}: ${results.map((r) => `${r.name} ${(r.startupMin / 1000).toFixed(3)} s`).join(", ")}`);
  console.log("notebooks: gradnote's runs bench/kernel-notebooks.mjs `gradnote` (tensors, nn, optim); tslab the plain");
  console.log("TypeScript one; ipykernel its Python translation — compare gradnote on vs off for the cost of types.");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
