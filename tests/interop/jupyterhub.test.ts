/**
 * JupyterHub (Debian `jupyterhub` 3, npm `configurable-http-proxy`, dummy authenticator, local
 * process spawner) starts a server for each of two system users (made by npm test's setup); each
 * starts the gradnote kernel through the Hub's proxy and runs a cell, and the kernel runs as that
 * user (its uid and home). The kernelspec comes from one `gradnote install --prefix` for all users.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from "@jupyterlab/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../free-port.js";

// Node 20 has no global WebSocket: the `ws` package (a dependency of @jupyterlab/services).
const WebSocket = createRequire(import.meta.url)("ws") as typeof globalThis.WebSocket;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const USERS = ["gradnote-hub-a", "gradnote-hub-b"];
// npm's configurable-http-proxy (npm test's setup puts it here): Debian's needs Debian's nodejs.
const CHP = "/opt/configurable-http-proxy/node_modules/.bin/configurable-http-proxy";

function uidOf(user: string): number | null {
  const r = spawnSync("id", ["-u", user], { encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

/** Why this suite cannot run here ("" when it can). */
function missing(): string {
  if (process.getuid?.() !== 0) return "needs root (the local spawner starts each user's server as that user)";
  for (const exe of ["/usr/bin/jupyterhub", "/usr/bin/jupyterhub-singleuser"]) {
    if (!existsSync(exe)) return `${exe} not found (apt-get install jupyterhub)`;
  }
  if (!existsSync(CHP)) return `${CHP} not found (npm install --prefix /opt/configurable-http-proxy configurable-http-proxy@5)`;
  const absent = USERS.filter((u) => uidOf(u) === null);
  return absent.length ? `system users ${absent.join(", ")} missing (npm test's setup creates them as root)` : "";
}

/**
 * The gradnote install the users' kernels run: this checkout when the test users can read it,
 * else a copy in a world-readable folder (a checkout under /root is not reachable by them).
 */
function installForUsers(work: string): string {
  const readable = spawnSync("runuser", ["-u", USERS[0], "--", "test", "-r", join(ROOT, "dist", "kernel.mjs")]).status === 0;
  if (readable && !process.env.GRADNOTE_HUB_COPY) return ROOT;
  const copy = join(work, "gradnote");
  mkdirSync(copy);
  for (const part of ["bin", "dist", "kernelspec", "node_modules", "package.json"]) {
    // Hard links when /tmp shares the checkout's file system (instant), a copy otherwise.
    if (spawnSync("cp", ["-al", join(ROOT, part), copy]).status !== 0) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
  }
  return copy;
}

const reason = missing();
// In CI (CI=1) npm test's setup installs the Hub and the users: a missing piece fails there.
describe.skipIf(reason !== "" && !process.env.CI)(`JupyterHub with two users${reason ? ` (${reason})` : ""}`, () => {
  const token = randomBytes(24).toString("hex");
  let work = "";
  let hub: ChildProcess | undefined;
  let hubLog = "";
  let base = "";
  const kernels: Kernel.IKernelConnection[] = [];
  const managers: KernelManager[] = [];

  const api = async (method: string, path: string): Promise<Response> =>
    fetch(`${base}hub/api${path}`, { method, headers: { Authorization: `token ${token}` } });

  beforeAll(async () => {
    if (reason) throw new Error(reason);
    work = mkdtempSync(join(tmpdir(), "gradnote-hub-"));
    chmodSync(work, 0o755);
    const install = installForUsers(work);
    // One install for all users: the kernelspec in a shared prefix (a course would use /usr/local).
    const prefix = join(work, "prefix");
    execFileSync(process.execPath, [join(install, "bin/gradnote.mjs"), "install", "--prefix", prefix], { stdio: "pipe" });
    const [port, hubPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}/`;
    writeFileSync(join(work, "jupyterhub_config.py"), [
      `c.JupyterHub.ip = "127.0.0.1"`,
      `c.JupyterHub.port = ${port}`,
      `c.JupyterHub.hub_ip = "127.0.0.1"`,
      `c.JupyterHub.hub_port = ${hubPort}`,
      `c.ConfigurableHTTPProxy.command = ["${CHP}"]`,
      `c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:${apiPort}"`,
      `c.ConfigurableHTTPProxy.pid_file = "${work}/proxy.pid"`,
      `c.JupyterHub.db_url = "sqlite:///${work}/hub.sqlite"`,
      `c.JupyterHub.cookie_secret_file = "${work}/cookie_secret"`,
      `c.JupyterHub.pid_file = "${work}/hub.pid"`,
      `c.JupyterHub.authenticator_class = "dummy"`,
      `c.Authenticator.allowed_users = set(${JSON.stringify(USERS)})`,
      `c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"`,
      `c.Spawner.environment = {"JUPYTER_PATH": "${prefix}/share/jupyter"}`,
      `c.Spawner.start_timeout = 90`,
      `c.Spawner.http_timeout = 90`,
      `c.JupyterHub.services = [{"name": "gradnote-test", "api_token": "${token}"}]`,
      `c.JupyterHub.load_roles = [{"name": "gradnote-test", "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"], "services": ["gradnote-test"]}]`,
    ].join("\n") + "\n");
    hub = spawn("/usr/bin/jupyterhub", ["-f", join(work, "jupyterhub_config.py")], { cwd: work, stdio: ["ignore", "pipe", "pipe"], detached: true });
    hub.stdout!.on("data", (d) => (hubLog += d));
    hub.stderr!.on("data", (d) => (hubLog += d));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (hub.exitCode !== null) throw new Error(`jupyterhub exited with ${hub.exitCode}:\n${hubLog}`);
      try {
        if ((await api("GET", "/users")).ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`jupyterhub did not answer within 60 s:\n${hubLog}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }, 120_000);

  afterAll(async () => {
    for (const k of kernels) await k.shutdown().catch(() => undefined);
    for (const m of managers) m.dispose();
    for (const u of USERS) await api("DELETE", `/users/${u}/server`).catch(() => undefined);
    if (hub?.pid && hub.exitCode === null) {
      const exited = new Promise((r) => hub!.once("exit", r));
      hub.kill("SIGTERM");
      const t = setTimeout(() => process.kill(-hub!.pid!, "SIGKILL"), 15_000);
      await exited;
      clearTimeout(t);
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  async function startServer(user: string): Promise<void> {
    expect([201, 409]).toContain((await api("POST", `/users/${user}`)).status); // 409: already there
    const r = await api("POST", `/users/${user}/server`);
    expect([201, 202], `start ${user}: ${r.status} ${await r.clone().text()}`).toContain(r.status);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const u = (await (await api("GET", `/users/${user}`)).json()) as { servers?: Record<string, { ready: boolean }> };
      if (u.servers?.[""]?.ready) return;
      if (Date.now() > deadline) throw new Error(`${user}'s server did not become ready:\n${hubLog.slice(-4000)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  }

  async function execute(kernel: Kernel.IKernelConnection, code: string): Promise<{ status: string; result: string; errors: string[] }> {
    let result = "";
    const errors: string[] = [];
    const future = kernel.requestExecute({ code });
    future.onIOPub = (msg) => {
      if (msg.header.msg_type === "execute_result") result = String((msg.content as KernelMessage.IExecuteResultMsg["content"]).data["text/plain"]);
      if (msg.header.msg_type === "error") errors.push((msg.content as KernelMessage.IErrorMsg["content"]).evalue);
    };
    return { status: (await future.done).content.status, result, errors };
  }

  it("each user gets a server and a gradnote kernel that runs as that user", async () => {
    await Promise.all(USERS.map(startServer));
    for (const user of USERS) {
      const serverSettings = ServerConnection.makeSettings({
        baseUrl: `${base}user/${user}/`,
        wsUrl: `${base.replace("http", "ws")}user/${user}/`,
        token,
        WebSocket,
      });
      const manager = new KernelManager({ serverSettings });
      managers.push(manager);
      await manager.ready;
      const kernel = await manager.startNew({ name: "gradnote" });
      kernels.push(kernel);
      const r = await execute(kernel, 'import { tensor } from "gradnote";\nconst os = await import("node:os");\n`${process.getuid()} ${os.userInfo().username} ${os.homedir()} ${tensor([1, 2, 3]).sum().item()}`');
      expect(r.errors).toEqual([]);
      expect(r.result).toBe(`'${uidOf(user)} ${user} /home/${user} 6'`);
    }
  }, 240_000);

  it("the kernels are isolated as their users: one cannot read a file private to the other", async () => {
    const [a, b] = USERS;
    const secret = `/home/${b}/gradnote-secret.txt`;
    writeFileSync(secret, "for b only\n", { mode: 0o600 });
    execFileSync("chown", [`${b}:${b}`, secret]);
    const read = `(await import("node:fs")).readFileSync(${JSON.stringify(secret)}, "utf8").trim()`;
    const byA = await execute(kernels[USERS.indexOf(a)], read);
    expect(byA.errors.join("\n")).toMatch(/EACCES/);
    const byB = await execute(kernels[USERS.indexOf(b)], read);
    expect(byB.result).toBe("'for b only'");
    rmSync(secret);
  }, 60_000);
});
