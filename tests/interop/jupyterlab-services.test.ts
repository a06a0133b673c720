/**
 * Acceptance: a real jupyter_server, driven from Node by @jupyterlab/services (what JupyterLab
 * itself uses), starts the gradnote kernel, runs cells, interrupts a busy loop without losing
 * state, restarts it, and shuts it down. No server or kernel process is left behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from "@jupyterlab/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installTempKernelspec, PYTHON } from "./kernelspec-env.js";

// Node 20 has no global WebSocket: pass the `ws` package (a dependency of @jupyterlab/services,
// which ships no types) to ServerConnection.
const WebSocket = createRequire(import.meta.url)("ws") as typeof globalThis.WebSocket;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Children of a pid (from /proc), to check no kernel outlives the server. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface CellOutput {
  reply: KernelMessage.IExecuteReplyMsg["content"];
  stdout: string;
  results: string[];
  errors: string[];
}

async function run(kernel: Kernel.IKernelConnection, code: string): Promise<CellOutput> {
  const out: CellOutput = { reply: undefined as never, stdout: "", results: [], errors: [] };
  const future = kernel.requestExecute({ code });
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === "stream") out.stdout += (msg.content as KernelMessage.IStreamMsg["content"]).text;
    if (msg.header.msg_type === "execute_result") out.results.push(String((msg.content as KernelMessage.IExecuteResultMsg["content"]).data["text/plain"]));
    if (msg.header.msg_type === "error") out.errors.push((msg.content as KernelMessage.IErrorMsg["content"]).ename);
  };
  out.reply = (await future.done).content;
  return out;
}

describe("@jupyterlab/services against jupyter_server", () => {
  const spec = installTempKernelspec();
  const token = randomBytes(16).toString("hex");
  let server: ChildProcess;
  let serverLog = "";
  let manager: KernelManager;
  let kernel: Kernel.IKernelConnection;
  const kernelPids = new Set<number>();

  beforeAll(async () => {
    const port = await freePort();
    server = spawn(
      PYTHON,
      ["-m", "jupyter_server", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0", `--ServerApp.token=${token}`, "--allow-root", "--ServerApp.open_browser=False", `--ServerApp.root_dir=${spec.dir}`],
      { env: spec.env, stdio: ["ignore", "pipe", "pipe"] },
    );
    server.stdout!.on("data", (d: Buffer) => (serverLog += d.toString()));
    server.stderr!.on("data", (d: Buffer) => (serverLog += d.toString()));
    const baseUrl = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const r = await fetch(`${baseUrl}api/status?token=${token}`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`jupyter_server did not start:\n${serverLog}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const serverSettings = ServerConnection.makeSettings({
      baseUrl,
      wsUrl: `ws://127.0.0.1:${port}/`,
      token,
      WebSocket,
    });
    manager = new KernelManager({ serverSettings });
    await manager.ready;
  }, 60_000);

  afterAll(async () => {
    try {
      kernel?.dispose();
      manager?.dispose();
    } finally {
      if (server && server.exitCode === null) {
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGTERM");
        const t = setTimeout(() => server.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(t);
      }
      // A kernel the server failed to stop is ended here, and the test below reports it.
      for (const pid of kernelPids) if (alive(pid)) process.kill(pid, "SIGKILL");
      spec.cleanup();
    }
  }, 30_000);

  it("starts the gradnote kernel by name", async () => {
    kernel = await manager.startNew({ name: "gradnote" });
    expect(kernel.name).toBe("gradnote");
    const info = await kernel.info;
    expect(info.language_info.name).toBe("typescript");
    for (const pid of childPids(server.pid!)) kernelPids.add(pid);
    expect(kernelPids.size).toBeGreaterThanOrEqual(1);
  });

  it("runs cells: a value, a stream, state across cells", async () => {
    const a = await run(kernel, "const base: number = 40;\nbase + 2");
    expect(a.reply.status).toBe("ok");
    expect(a.results).toEqual(["42"]);
    const b = await run(kernel, 'console.log("from gradnote", base)');
    expect(b.stdout).toBe("from gradnote 40\n");
    expect(b.results).toEqual([]);
    const c = await run(kernel, "let counter = base; counter += 1; counter");
    expect(c.results).toEqual(["41"]);
  });

  it("interrupts `while (true) {}` and keeps earlier variables", async () => {
    const busy = kernel.requestExecute({ code: "while (true) {}" });
    let ename = "";
    busy.onIOPub = (msg) => {
      if (msg.header.msg_type === "error") ename = (msg.content as KernelMessage.IErrorMsg["content"]).ename;
    };
    // Wait until the loop is really running (the kernel reports busy for this request).
    await new Promise((r) => setTimeout(r, 500));
    await kernel.interrupt();
    const reply = await busy.done.catch((e: { content?: KernelMessage.IExecuteReplyMsg["content"] }) => e);
    expect((reply as { content: { status: string } }).content.status).toBe("error");
    expect(ename).toBe("KeyboardInterrupt");
    const after = await run(kernel, "counter + base");
    expect(after.results).toEqual(["81"]);
  }, 30_000);

  it("restarts through the client and the state is reset", async () => {
    await kernel.restart();
    await kernel.info;
    const r = await run(kernel, "typeof counter");
    expect(r.results).toEqual(["'undefined'"]);
    const s = await run(kernel, "const again = 7; again * 6");
    expect(s.results).toEqual(["42"]);
    for (const pid of childPids(server.pid!)) kernelPids.add(pid);
  }, 30_000);

  it("shuts the kernel down and no kernel process is left", async () => {
    await kernel.shutdown();
    const deadline = Date.now() + 10_000;
    while ([...kernelPids].some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect([...kernelPids].filter(alive)).toEqual([]);
    expect(childPids(server.pid!)).toEqual([]);
  }, 30_000);
});
