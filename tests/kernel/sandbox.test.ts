// The grading sandbox with real bubblewrap and the real kernel over ZeroMQ ipc: what a student's
// kernel can reach (network, files, other submissions, the autograder) and the limits that end it
// (memory, processes, CPU). Memory is 512 MiB here so the machine never comes near its own.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchKernel, type RequestResult, type RunningKernel } from "../../kernel/client.js";
import { cgroupBase } from "../../kernel/sandbox-cgroup.js";
import { describeLimits, makePrivateCopy, PACKAGE_ROOT, sandboxSupport, type SandboxLimits } from "../../kernel/sandbox.js";
import { KERNEL_PATH, outputs, stdout } from "./helpers.js";

const LIMITS: SandboxLimits = { memoryBytes: 512 * 1024 * 1024, maxProcesses: 64 };

/** A class folder: alice's submission (copied for her kernel), bob's, and the autograder beside them. */
let classDir: string;
let copy: { path: string; remove: () => void };
/** An autograder folder under /root (the home of a runner that is not root), where a teacher's files would sit. */
let rootGrader: string;

async function sandboxed(limits: Partial<SandboxLimits> = {}, cgroups = true): Promise<RunningKernel> {
  return launchKernel({ kernelPath: KERNEL_PATH, sandbox: { limits: { ...LIMITS, ...limits }, writable: copy.path, cgroups } });
}

/** Host processes whose command line is exactly `argv` (a sandbox's leftovers). */
function processesRunning(argv: string[]): number {
  const want = argv.join("\0") + "\0";
  return readdirSync("/proc").filter((p) => {
    try {
      return /^\d+$/.test(p) && readFileSync(`/proc/${p}/cmdline`, "utf8") === want;
    } catch {
      return false;
    }
  }).length;
}

/** Runs `code`, which should end the kernel, and returns how long that took and how it ended. */
async function killedBy(k: RunningKernel, code: string) {
  const t0 = Date.now();
  const error = await k.client.execute(code, {}, 120_000).then(() => undefined, (e: Error) => e);
  return { error, seconds: (Date.now() - t0) / 1000, exit: k.exit() };
}

const FLOAT_HOG = "const hog: Float64Array[] = []; for (;;) hog.push(new Float64Array(1 << 20).fill(1));";
/**
 * The same hog with its loop compiled before it starts: under RLIMIT_DATA the failing allocation
 * must be the hog's ArrayBuffer (a RangeError the cell can see), not the code V8 would otherwise
 * compile for the loop just as the limit is reached (a fatal error), which a loaded machine
 * makes likely.
 */
const WARM_FLOAT_HOG = `
  function grow(hog: Float64Array[], n: number) { for (let i = 0; i < n; i++) hog.push(new Float64Array(1 << 20).fill(1)); }
  for (let i = 0; i < 20000; i++) grow([], i & 1);
  await new Promise((r) => setTimeout(r, 300));
  const hog: Float64Array[] = [];
  for (;;) grow(hog, 1);`;
const OBJECT_HOG = "const hog: object[] = []; for (let i = 0; ; i++) hog.push({ i, s: `item ${i}`, o: { i } });";
const FORK_BOMB = (seconds: number) => `
  import { spawn } from "node:child_process";
  let started = 0, refused = 0;
  const codes = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const c = spawn("sleep", ["${seconds}"]);
    c.on("spawn", () => started++);
    c.on("error", (e: NodeJS.ErrnoException) => { refused++; codes.add(e.code ?? "?"); });
  }
  await new Promise((r) => setTimeout(r, 2000));
  console.log(JSON.stringify({ started, refused, codes: [...codes] }));
`;

const errorText = (r: RequestResult) => outputs(r, "error").map((m) => `${m.content.ename}: ${m.content.evalue}`).join("\n");

beforeAll(() => {
  const s = sandboxSupport();
  if (!s.ok) throw new Error(s.reason);
  classDir = mkdtempSync(join(tmpdir(), "gradnote-class-"));
  mkdirSync(join(classDir, "alice"));
  writeFileSync(join(classDir, "alice", "data.txt"), "alice's data\n");
  copy = makePrivateCopy(join(classDir, "alice"));
  // Readable by anyone on the host, so only the sandbox's view keeps them out.
  for (const [dir, file, text] of [["bob", "answers.ts", "bob's answers"], ["autograder", "grader.ts", "hidden tests"]]) {
    for (const base of [classDir, dirname(copy.path)]) {
      mkdirSync(join(base, dir), { recursive: true, mode: 0o755 });
      writeFileSync(join(base, dir, file), text, { mode: 0o644 });
    }
  }
  rootGrader = mkdtempSync(join(process.getuid?.() === 0 ? "/root" : homedir(), "gradnote-grader-"));
  writeFileSync(join(rootGrader, "grader.ts"), "hidden tests");
});

afterAll(() => {
  copy?.remove();
  if (rootGrader) rmSync(rootGrader, { recursive: true, force: true });
  if (classDir) rmSync(classDir, { recursive: true, force: true });
});

describe("sandboxed kernel", () => {
  it("runs a cell and prints, in its private copy, as a user that is not root", async () => {
    const k = await sandboxed();
    try {
      const r = await k.client.execute(`import { readFileSync } from "node:fs"; console.log(process.cwd(), process.getuid(), readFileSync("data.txt", "utf8").trim())`);
      expect(errorText(r)).toBe("");
      const [cwd, uid, data] = stdout(r).trim().split(" ");
      expect(cwd).toBe(copy.path);
      expect(Number(uid)).not.toBe(0);
      expect(data).toBe("alice's");
    } finally {
      await k.shutdown();
    }
    expect(k.exit()).toMatchObject({ outOfMemory: false });
  }, 60_000);

  it("has no network: a public address and a port open on the host's 127.0.0.1 both fail", async () => {
    const server: Server = createServer((sock) => {
      accepted++;
      sock.destroy();
    });
    let accepted = 0;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const k = await sandboxed();
    try {
      const r = await k.client.execute(`
        import net from "node:net";
        const tryConnect = (host: string, port: number) => new Promise<string>((resolve) => {
          const s = net.connect({ host, port, timeout: 3000 });
          s.on("connect", () => { s.destroy(); resolve("connected"); });
          s.on("timeout", () => { s.destroy(); resolve("timeout"); });
          s.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
        });
        let f: string;
        try { await fetch("http://1.1.1.1", { signal: AbortSignal.timeout(5000) }); f = "fetched"; } catch (e) { f = "failed"; }
        console.log(f, await tryConnect("1.1.1.1", 80), await tryConnect("127.0.0.1", ${port}));
      `);
      expect(errorText(r)).toBe("");
      const [fetched, pub, local] = stdout(r).trim().split(" ");
      expect(fetched).toBe("failed");
      expect(pub).not.toBe("connected");
      expect(local).not.toBe("connected");
      expect(accepted).toBe(0);
    } finally {
      await k.shutdown();
      server.close();
    }
  }, 60_000);

  it("cannot write outside its copy, nor read another submission or the autograder", async () => {
    const id = Math.random().toString(36).slice(2);
    const targets = [join(dirname(copy.path), `escape-${id}.txt`), join(classDir, `escape-${id}.txt`), join(PACKAGE_ROOT, `escape-${id}.txt`), `/root/escape-${id}.txt`, `/etc/escape-${id}.txt`];
    const secrets = [join(classDir, "bob", "answers.ts"), join(classDir, "autograder", "grader.ts"), join(dirname(copy.path), "bob", "answers.ts"), join(dirname(copy.path), "autograder", "grader.ts"), join(rootGrader, "grader.ts")];
    const k = await sandboxed();
    try {
      const r = await k.client.execute(`
        import { readFileSync, writeFileSync, readdirSync } from "node:fs";
        const attempt = (f: () => unknown) => { try { f(); return "ok"; } catch (e) { return (e as NodeJS.ErrnoException).code; } };
        writeFileSync("mine.txt", "my own file");
        console.log(JSON.stringify({
          writes: ${JSON.stringify(targets)}.map((p) => attempt(() => writeFileSync(p, "escaped"))),
          reads: ${JSON.stringify(secrets)}.map((p) => attempt(() => readFileSync(p, "utf8"))),
          listRoot: attempt(() => readdirSync("/root")),
          listClass: attempt(() => readdirSync(${JSON.stringify(classDir)})),
        }));
      `);
      expect(errorText(r)).toBe("");
      const seen = JSON.parse(stdout(r)) as { writes: string[]; reads: string[]; listRoot: string; listClass: string };
      // Nothing written lands on the host. Under /tmp a write may succeed inside the sandbox (its
      // /tmp is a private tmpfs; the copy's parent, or a package checked out under /tmp, is
      // recreated there to hold mount points) but stays inside; anywhere else it must fail.
      for (const [i, target] of targets.entries()) {
        expect({ target, onHost: existsSync(target) }).toEqual({ target, onHost: false });
        if (i > 0 && !target.startsWith(tmpdir() + "/")) expect({ target, write: seen.writes[i] }).not.toEqual({ target, write: "ok" });
      }
      expect(seen.reads).toEqual(secrets.map(() => "ENOENT"));
      expect(seen.listRoot).toBe("ENOENT");
      expect(seen.listClass).toBe("ENOENT");
    } finally {
      await k.shutdown();
    }
    for (const t of targets) expect(existsSync(t), t).toBe(false);
    expect(readdirSync(copy.path)).toContain("mine.txt");
  }, 60_000);

  it("runs no process as root: id -u in a child process is not 0", async () => {
    const k = await sandboxed();
    try {
      const r = await k.client.execute(`import { execFileSync } from "node:child_process"; console.log(execFileSync("id", ["-u"], { encoding: "utf8" }).trim())`);
      expect(errorText(r)).toBe("");
      expect(stdout(r).trim()).toMatch(/^[1-9]\d*$/);
    } finally {
      await k.shutdown();
    }
  }, 60_000);

  it("gives two sandboxes at once a uid each, and neither sees the other's processes", async () => {
    const other = makePrivateCopy(join(classDir, "alice"));
    const [k1, k2] = await Promise.all([sandboxed(), launchKernel({ kernelPath: KERNEL_PATH, sandbox: { limits: LIMITS, writable: other.path } })]);
    try {
      // The uids of every process each kernel can see: its own only (a fresh PID namespace each).
      const code = `import { readdirSync, readFileSync } from "node:fs";
        const uids = readdirSync("/proc").filter((p) => /^\\d+$/.test(p)).map((p) => /Uid:\\s+(\\d+)/.exec(readFileSync(\`/proc/\${p}/status\`, "utf8"))![1]);
        console.log(JSON.stringify({ me: String(process.getuid()), seen: [...new Set(uids)] }));`;
      const [a, b] = (await Promise.all([k1.client.execute(code), k2.client.execute(code)])).map((r) => JSON.parse(stdout(r)) as { me: string; seen: string[] });
      expect(a.me).not.toBe(b.me);
      expect(a.seen).toEqual([a.me]);
      expect(b.seen).toEqual([b.me]);
    } finally {
      await Promise.all([k1.shutdown(), k2.shutdown()]);
      other.remove();
    }
  }, 60_000);

  it("process.exit(3) gives code 3, not out of memory", async () => {
    const k = await sandboxed();
    try {
      await expect(k.client.execute("process.exit(3)")).rejects.toThrow(/the kernel exited \(code 3\)/);
      expect(k.exit()).toEqual({ code: 3, signal: null, outOfMemory: false });
    } finally {
      await k.shutdown();
    }
  }, 60_000);

  it("runs the gradnote runtime (worker pool and WASM) under the memory limit", async () => {
    const k = await sandboxed();
    try {
      const r = await k.client.execute(`
        import { randn, ones, getNumThreads } from "gradnote";
        const a = randn(384, 384), b = ones(384, 384);
        const c = a.matmul(b);
        // WebAssembly memory grows under the limit (RLIMIT_AS would refuse its reservation).
        const wasm = new WebAssembly.Memory({ initial: 1, maximum: 8192 });
        wasm.grow(4095);
        console.log(JSON.stringify(c.shape), getNumThreads() >= 1, Math.abs(c.sum().item() - a.sum().item() * 384) < 1, wasm.buffer.byteLength / 2 ** 20);
      `, {}, 60_000);
      expect(errorText(r)).toBe("");
      expect(stdout(r).trim()).toBe("[384,384] true true 256");
    } finally {
      await k.shutdown();
    }
  }, 90_000);
});

describe("sandbox limits", () => {
  const memoryCgroup = cgroupBase("memory") !== null;

  it("says which limits hold on this machine", () => {
    const s = sandboxSupport();
    expect(s.ok && s.how).toMatch(/^bubblewrap .*no network; memory 2 GiB: .*64 processes and threads/);
    expect(describeLimits(LIMITS, false)).toMatch(/memory 512 MiB: RLIMIT_DATA per process .* a watchdog/);
  });

  it("ends a Float64Array memory hog as out of memory within seconds, the runner unaffected", async () => {
    const k = await sandboxed();
    try {
      if (!memoryCgroup) {
        // Without a memory cgroup RLIMIT_DATA holds: the allocation fails and the kernel lives on.
        const r = await k.client.execute(WARM_FLOAT_HOG, {}, 120_000);
        expect(errorText(r)).toBe("RangeError: Array buffer allocation failed");
        return;
      }
      const { error, seconds, exit } = await killedBy(k, FLOAT_HOG);
      expect(error?.name).toBe("KernelDied");
      expect(error?.message).toMatch(/^the kernel ran out of memory \(limit 512 MiB: the OOM killer of its memory cgroup ended it\)/);
      expect(exit).toEqual({ code: null, signal: "SIGKILL", outOfMemory: true });
      expect(seconds).toBeLessThan(30);
      expect(process.memoryUsage().rss).toBeLessThan(1024 ** 3);
    } finally {
      await k.shutdown();
    }
  }, 120_000);

  it("ends a hog of JavaScript objects as out of memory (V8's heap cap, below the sandbox's)", async () => {
    const k = await sandboxed();
    try {
      const { error, seconds, exit } = await killedBy(k, OBJECT_HOG);
      expect(error?.message).toMatch(/^the kernel ran out of memory \(limit 512 MiB: /);
      expect(exit?.outOfMemory).toBe(true);
      expect(exit?.code).toBeNull();
      expect(seconds).toBeLessThan(60);
    } finally {
      await k.shutdown();
    }
  }, 120_000);

  it("caps a fork bomb, keeps the kernel alive, and leaves no process behind", async () => {
    const seconds = 1000 + Math.floor(Math.random() * 1000);
    const k = await sandboxed();
    try {
      const r = await k.client.execute(FORK_BOMB(seconds), {}, 60_000);
      expect(errorText(r)).toBe("");
      const { started, refused, codes } = JSON.parse(stdout(r)) as { started: number; refused: number; codes: string[] };
      expect(started).toBeGreaterThan(0);
      expect(started).toBeLessThan(LIMITS.maxProcesses);
      expect(refused).toBe(200 - started);
      expect(codes).toEqual(["EAGAIN"]);
      expect(processesRunning(["sleep", String(seconds)])).toBe(started);
      expect(stdout(await k.client.execute("console.log(6 * 7)"))).toBe("42\n");
    } finally {
      await k.shutdown();
    }
    expect(processesRunning(["sleep", String(seconds)])).toBe(0);
  }, 90_000);

  it("ends a kernel that uses up its CPU seconds with SIGXCPU", async () => {
    const k = await sandboxed({ cpuSeconds: 3 });
    try {
      const { error, exit } = await killedBy(k, "for (;;) {}");
      expect(error?.message).toMatch(/^the kernel exited \(signal SIGXCPU\): it used up its 3 s of CPU time/);
      expect(exit).toEqual({ code: null, signal: "SIGXCPU", outOfMemory: false });
    } finally {
      await k.shutdown();
    }
  }, 90_000);

  it("removes the cgroups it made once the kernel ends", async () => {
    const k = await sandboxed();
    await k.shutdown();
    for (const c of ["memory", "pids"] as const) {
      const base = cgroupBase(c);
      if (base) expect(readdirSync(base.dir).filter((n) => n.startsWith(`gradnote-${process.pid}-`))).toEqual([]);
    }
  }, 60_000);
});

describe("sandbox limits without cgroups (a read-only /sys/fs/cgroup)", () => {
  // Retried: under a loaded machine V8 can hit the limit first while committing young-generation
  // space during a collection (a fatal error, reported as out of memory) instead of in the
  // ArrayBuffer allocation; which comes first depends on when the collection runs.
  it("fails an oversized allocation with RLIMIT_DATA and the kernel lives on", { retry: 2, timeout: 90_000 }, async () => {
    const k = await sandboxed({}, false);
    try {
      const r = await k.client.execute(WARM_FLOAT_HOG, {}, 120_000);
      expect(errorText(r)).toBe("RangeError: Array buffer allocation failed");
      expect(stdout(await k.client.execute("console.log(6 * 7)"))).toBe("42\n");
    } finally {
      await k.shutdown();
    }
  });

  it("ends processes that together pass the limit with the memory watchdog", async () => {
    const k = await sandboxed({}, false);
    try {
      // Each child holds 320 MiB, under its own RLIMIT_DATA; three together pass 512 MiB.
      const { error, exit } = await killedBy(k, `
        import { spawn } from "node:child_process";
        for (let i = 0; i < 3; i++) spawn(process.execPath, ["-e", "const a = []; for (let i = 0; i < 40; i++) a.push(new Float64Array(1 << 20).fill(1)); setTimeout(() => {}, 1e6)"]);
        await new Promise((r) => setTimeout(r, 60_000));
      `);
      expect(error?.message).toMatch(/^the kernel ran out of memory \(limit 512 MiB: the memory watchdog ended it\)/);
      expect(exit).toEqual({ code: null, signal: "SIGKILL", outOfMemory: true });
    } finally {
      await k.shutdown();
    }
  }, 120_000);

  it("caps a fork bomb with RLIMIT_NPROC on the sandbox's own uid", async () => {
    const seconds = 1000 + Math.floor(Math.random() * 1000);
    const k = await sandboxed({}, false);
    try {
      const r = await k.client.execute(FORK_BOMB(seconds), {}, 60_000);
      const { started, codes } = JSON.parse(stdout(r)) as { started: number; codes: string[] };
      expect(started).toBeGreaterThan(0);
      expect(started).toBeLessThan(LIMITS.maxProcesses);
      expect(codes).toEqual(["EAGAIN"]);
    } finally {
      await k.shutdown();
    }
    expect(processesRunning(["sleep", String(seconds)])).toBe(0);
  }, 90_000);
});
