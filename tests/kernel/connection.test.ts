// Connection-file handling: ipc transport, heartbeat echo while a cell runs, bad files named.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import { describe, expect, it } from "vitest";
import { KernelClient } from "../../kernel/client.js";
import { endpoint, readConnectionFile, type ConnectionInfo } from "../../kernel/connection.js";
import { KERNEL_PATH, result, startKernel } from "./helpers.js";

describe("connection file", () => {
  it("serves over the ipc transport", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradnote-ipc-"));
    const info: ConnectionInfo = {
      transport: "ipc", ip: join(dir, "k"), key: "k3y", signature_scheme: "hmac-sha256",
      shell_port: 1, iopub_port: 2, stdin_port: 3, control_port: 4, hb_port: 5,
    };
    const file = join(dir, "conn.json");
    writeFileSync(file, JSON.stringify(info));
    const child = spawn(process.execPath, [KERNEL_PATH, "--connection-file", file], { stdio: "ignore" });
    const client = new KernelClient(info);
    await client.connect();
    try {
      await client.waitReady();
      expect(endpoint(info, "shell")).toBe(`ipc://${join(dir, "k")}-1`);
      expect(result(await client.execute("'over ipc'"))).toBe("'over ipc'");
      await client.request("shutdown_request", {}, "control");
      await new Promise((r) => child.once("exit", r));
    } finally {
      client.close();
      child.kill("SIGKILL");
    }
  });

  it("echoes heartbeats while a cell is busy", async () => {
    const k = await startKernel();
    const hb = new zmq.Request({ linger: 0, receiveTimeout: 1000 });
    hb.connect(endpoint(k.client.info, "hb"));
    try {
      const busy = k.client.execute("const end = Date.now() + 1200; while (Date.now() < end) {}");
      await new Promise((r) => setTimeout(r, 200));
      await hb.send("ping-1");
      const [echo] = await hb.receive();
      expect(echo.toString()).toBe("ping-1");
      expect((await busy).reply.content.status).toBe("ok");
    } finally {
      hb.close();
      await k.shutdown();
    }
  });

  it("names the field that is wrong in a bad connection file", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradnote-bad-"));
    const file = join(dir, "c.json");
    writeFileSync(file, JSON.stringify({ transport: "tcp", ip: "127.0.0.1", key: "", shell_port: "x" }));
    expect(() => readConnectionFile(file)).toThrow(/shell_port must be a non-negative integer/);
    writeFileSync(file, JSON.stringify({ transport: "udp" }));
    expect(() => readConnectionFile(file)).toThrow(/unsupported transport "udp"/);
  });
});
