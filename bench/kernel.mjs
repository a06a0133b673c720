// Kernel benchmark (`npm run bench:kernel`): startup to the first kernel_info_reply, execute round
// trip of `1+1` (p50/p90) and idle RSS, for gradnote and for ipykernel measured in the same run,
// both driven by the project's own Jupyter client (dist/client.mjs). Runtime speed is in bench/runtime.mjs.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelClient, newConnectionInfo } from "../dist/client.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PYTHON = "/usr/bin/python3";
const STARTUPS = Number(process.env.BENCH_STARTUPS ?? 7);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 300);
const WARMUP = 30;
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 12);

const scratch = mkdtempSync(join(tmpdir(), "gradnote-bench-"));

const KERNELS = {
  gradnote: (conn) => [process.execPath, [join(ROOT, "dist", "kernel.mjs"), "--connection-file", conn]],
  ipykernel: (conn) => [PYTHON, ["-m", "ipykernel_launcher", "-f", conn]],
};
// One typed cell first, so gradnote's RSS includes esbuild's service (plain JS cells skip it).
const WARM_CELL = { gradnote: "const warm: number = 1; warm", ipykernel: "warm: int = 1; warm" };

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** The kernel process and everything it started (esbuild's service, for instance). */
function processTree(pid) {
  const out = [pid];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let kids = "";
    try {
      kids = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
    } catch {
      continue;
    }
    for (const k of kids.split(/\s+/).filter(Boolean)) out.push(...processTree(Number(k)));
  }
  return out;
}

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

function commandOf(pid) {
  return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).map((a) => a.split("/").pop()).slice(0, 2).join(" ");
}

/** Starts a kernel; resolves with the time from spawn to its first kernel_info_reply. */
async function start(name) {
  const info = await newConnectionInfo();
  const conn = join(scratch, `${name}-${info.shell_port}.json`);
  writeFileSync(conn, JSON.stringify(info));
  const client = new KernelClient(info);
  await client.connect();
  const [cmd, args] = KERNELS[name](conn);
  const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1", IPYTHONDIR: join(scratch, "ipython"), JUPYTER_RUNTIME_DIR: scratch };
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
    for (let i = 0; i < WARMUP + ROUND_TRIPS; i++) {
      const t0 = process.hrtime.bigint();
      const r = await k.client.execute("1+1");
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const result = r.iopub.find((m) => m.header.msg_type === "execute_result");
      if (r.reply.content.status !== "ok" || result?.content.data["text/plain"] !== "2") throw new Error(`${name}: 1+1 did not give 2`);
      if (i >= WARMUP) rtt.push(ms);
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
      rssMiB: sum(perProcess),
      perProcess,
    };
  } finally {
    await stop(k);
  }
}

function table(g, py) {
  const rows = [
    ["startup to kernel_info_reply (median)", `${(g.startupMs / 1000).toFixed(3)} s`, `${(py.startupMs / 1000).toFixed(3)} s`, g.startupMs / py.startupMs, "≤ 0.4 s", g.startupMs <= 400],
    [`execute 1+1 round trip p50 (n=${ROUND_TRIPS})`, `${g.p50.toFixed(2)} ms`, `${py.p50.toFixed(2)} ms`, g.p50 / py.p50, "≤ 2 ms", g.p50 <= 2],
    [`execute 1+1 round trip p90 (n=${ROUND_TRIPS})`, `${g.p90.toFixed(2)} ms`, `${py.p90.toFixed(2)} ms`, g.p90 / py.p90, "", undefined],
    ["RSS 1.5 s after the round trips", `${g.busyRssMiB.toFixed(1)} MiB`, `${py.busyRssMiB.toFixed(1)} MiB`, g.busyRssMiB / py.busyRssMiB, "", undefined],
    [`idle RSS (${IDLE_S} s without requests)`, `${g.rssMiB.toFixed(1)} MiB`, `${py.rssMiB.toFixed(1)} MiB`, g.rssMiB / py.rssMiB, "≤ 100 MB", g.rssMiB * 1.048576 <= 100],
  ];
  const head = ["metric", "gradnote", "ipykernel", "gradnote/ipykernel", "goal", "met"];
  const cells = rows.map(([m, a, b, r, goal, ok]) => [m, a, b, `${r.toFixed(2)}x`, goal, ok === undefined ? "" : ok ? "yes" : "NO"]);
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join("  ");
  console.log(line(head));
  console.log(w.map((n) => "-".repeat(n)).join("  "));
  for (const c of cells) console.log(line(c));
}

try {
  if (!existsSync(join(ROOT, "dist", "kernel.mjs"))) throw new Error("dist/kernel.mjs missing: run node scripts/build.mjs");
  console.log(`kernel benchmark: ${STARTUPS} cold starts each, ${ROUND_TRIPS} round trips after ${WARMUP} warm-up, Node ${process.version}\n`);
  const g = await measure("gradnote");
  const py = await measure("ipykernel");
  table(g, py);
  console.log("\nRSS = VmRSS from /proc/PID/status summed over the kernel process and its descendants;");
  console.log("gradnote's includes esbuild's service process (started by the first typed cell). Idle, by process:");
  for (const r of [g, py]) for (const p of r.perProcess) console.log(`  ${r.name.padEnd(9)}  pid ${String(p.pid).padEnd(7)} ${(p.kib / 1024).toFixed(1).padStart(6)} MiB  ${p.cmd}`);
  console.log(`\nstartup, fastest of ${STARTUPS}: gradnote ${(g.startupMin / 1000).toFixed(3)} s, ipykernel ${(py.startupMin / 1000).toFixed(3)} s`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
