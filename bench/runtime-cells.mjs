// Memory part of `npm run bench:runtime`: a real gradnote kernel (dist/kernel.mjs, driven by the
// project's client, dist/client.mjs) runs 900 cells that each make a few 256×256 tensors, the way
// a student re-runs cells; a timer here samples the RSS of the kernel's process tree (the kernel,
// and whatever it started) every 20 ms. Prints one JSON object on its last line: peak and final
// RSS, RSS before the loop, and the cells' wall time. PyTorch's side: bench/runtime_cells.py.
// BENCH_TRACE=1: the RSS every 0.5 s, and each process of the tree at the end, on stderr.
import { commandOf, processTree, rssKiB, treeRssMiB } from "./proc.mjs";
import { waitForTypeChecker } from "./typecheck-ready.mjs";
import { fileURLToPath } from "node:url";
import { launchKernel } from "../dist/client.mjs";

const CELLS = Number(process.env.BENCH_CELLS ?? 900);
const SAMPLE_MS = 20;
const KERNEL = fileURLToPath(new URL("../dist/kernel.mjs", import.meta.url));
// Each cell: three 256×256 tensors (a, a·a, relu) plus the sum's scalar; names reassigned each time.
const CELL = "a = randn([256, 256]);\nb = a.matmul(a).relu().add(1);\nb.sum().item()";

const env = { ...process.env };
const k = await launchKernel({ kernelPath: KERNEL, env });
const out = { cells: CELLS, cell: CELL, typecheck: env.GRADNOTE_TYPECHECK ?? "warn (default)" };
try {
  const exec = async (code) => {
    const r = await k.client.execute(code);
    if (r.reply.content.status !== "ok") throw new Error(`cell failed: ${code}\n${r.reply.content.ename}: ${r.reply.content.evalue}`);
    return r;
  };
  const probe = async (expr) => {
    const r = await exec(expr);
    const t = (r.iopub.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"]);
    return /^[\d.]+$/.test(t) ? Number(t) : t;
  };
  await exec(`import { randn } from "gradnote";\nlet a = randn([256, 256]);\nlet b = a`);
  await exec(CELL); // warm: the pool's workers, the ops' code
  if ((env.GRADNOTE_TYPECHECK ?? "").trim().toLowerCase() !== "off") {
    // The language worker (a thread of the kernel) loads in the background: wait until it
    // answers, so that the RSS before the loop includes it, as in a student's kernel.
    await waitForTypeChecker(k.client);
  }
  await new Promise((r) => setTimeout(r, 500));
  out.startMiB = treeRssMiB(k.process.pid);
  let peak = out.startMiB;
  const timer = setInterval(() => {
    const now = treeRssMiB(k.process.pid);
    peak = Math.max(peak, now);
    if (process.env.BENCH_TRACE && ++ticks % 25 === 0) process.stderr.write(`${now.toFixed(0)} `);
  }, SAMPLE_MS);
  let ticks = 0;
  const t0 = performance.now();
  for (let i = 0; i < CELLS; i++) await exec(CELL);
  out.seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  out.endMiB = treeRssMiB(k.process.pid);
  peak = Math.max(peak, out.endMiB);
  out.peakMiB = peak;
  // "final": a second after the loop, as a notebook sits between cells.
  await new Promise((r) => setTimeout(r, 1000));
  out.finalMiB = treeRssMiB(k.process.pid);
  if (process.env.BENCH_TRACE) {
    for (const p of processTree(k.process.pid)) process.stderr.write(`\n${p} ${commandOf(p)}: ${rssKiB(p)} kB`);
    process.stderr.write(`\n${await probe("JSON.stringify(process.memoryUsage())")}\n`);
  }
  out.finalHeapMiB = (await probe("process.memoryUsage().heapUsed")) / 2 ** 20;
  out.finalArrayBuffersMiB = (await probe("process.memoryUsage().arrayBuffers")) / 2 ** 20;
} finally {
  await k.shutdown();
}
console.log(JSON.stringify(out));
