// A kernel whose cells make big tensors and drop them gives their memory back: the pool's worker
// threads, which see every split op's buffers, collect their handles (src/backend/pool/worker-gc.ts)
// instead of keeping dead tensors' SharedArrayBuffers alive until their heaps happen to fill.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchKernel, type RunningKernel } from "../../kernel/client.js";
import { KERNEL_PATH, outputs, result } from "./helpers.js";

let k: RunningKernel;

async function run(code: string): Promise<unknown> {
  const r = await k.client.execute(code);
  const err = outputs(r, "error")[0];
  if (err) throw new Error(`cell failed: ${err.content.ename}: ${err.content.evalue}\n${code}`);
  return result(r);
}

beforeAll(async () => {
  // Two workers beside the kernel's thread, whatever the machine's core count.
  k = await launchKernel({ kernelPath: KERNEL_PATH, env: { ...process.env, GRADNOTE_THREADS: "3", GRADNOTE_TYPECHECK: "off" } });
});

afterAll(async () => {
  await k?.shutdown();
});

describe("memory of dropped tensors", () => {
  it("falls back after cells that each make and drop 1024×1024 tensors split over the pool's workers", async () => {
    // The kernel starts with --expose-gc (kernel/v8-flags.ts): a cell can collect its own thread,
    // so what stays counted afterwards is what some thread still holds.
    // memory().jsBytes: Node's count of ArrayBuffers plus the pool's recycling allocator (whose
    // buffers Node does not see).
    await run(`import { randn, getNumThreads, memory } from "gradnote";
import { runInNewContext } from "node:vm";
const collectMain = runInNewContext("gc") as () => void;
// V8 frees collected buffers from a background thread: collect, give that a moment, then count.
const arrayBufferMiB = async () => { collectMain(); await new Promise((r) => setTimeout(r, 100)); collectMain(); await new Promise((r) => setTimeout(r, 100)); return memory().jsBytes / 2 ** 20; };
let x = randn([1024, 1024]);
let y = x.matmul(x).relu().add(1);`);
    expect(await run("getNumThreads()")).toBe("3");
    const before = Number(await run("await new Promise((r) => setTimeout(r, 300)); await arrayBufferMiB()"));
    // Each cell: 4 tensors of 4 MiB, the previous cell's dropped. 8 cells: 128 MiB made.
    for (let i = 0; i < 8; i++) await run("x = randn([1024, 1024]);\ny = x.matmul(x).relu().add(1);\ny.shape[0]");
    // Idle: the workers go to sleep, collecting first.
    // (The least of a few counts: on a loaded machine the freeing threads may lag a little.)
    let after = Infinity;
    for (let i = 0; i < 5 && !(after - before < 16); i++) after = Math.min(after, Number(await run("await new Promise((r) => setTimeout(r, 300)); await arrayBufferMiB()")));
    // Live: x and y (8 MiB) as before the loop; without the workers' collections, tens of MiB more.
    expect(after - before).toBeLessThan(16);
    expect(after).toBeGreaterThan(8); // x and y themselves are still counted
  });
});
