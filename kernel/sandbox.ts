/**
 * The sandbox `gradnote grade` runs each student's kernel in: bubblewrap as an unprivileged user,
 * no network, an allow-listed read-only view of the system and of gradnote, a private writable
 * copy of the submission, ZeroMQ over ipc sockets in a private folder, and limits on memory,
 * processes, CPU time and file size (the cgroups are made in sandbox-cgroup.ts). client.ts starts
 * the kernel through prepareSandbox; grading logic does not belong here.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, chmodSync, chownSync, constants, cpSync, existsSync, lchownSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { constants as osConstants, tmpdir } from "node:os";
import { basename, delimiter, dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConnectionInfo } from "./connection.js";
import { KERNEL_NODE_FLAGS } from "./node-flags.js";
import { cgroupBase, endProcessesOf, makeCgroup, oomKills, procsFile, removeCgroup, watchMemory, type SandboxCgroup } from "./sandbox-cgroup.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** What one sandboxed kernel may use. */
export interface SandboxLimits {
  /** Memory of the whole sandbox in bytes (default 2 GiB). */
  memoryBytes: number;
  /** Tasks (processes and threads: a pids cgroup and RLIMIT_NPROC count both) at once (default 64). */
  maxProcesses: number;
  /** CPU seconds per process (RLIMIT_CPU; SIGXCPU, then SIGKILL a second later). Unset: none. */
  cpuSeconds?: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { memoryBytes: 2 * GiB, maxProcesses: 64 };

/** How launchKernel runs a kernel in the sandbox. */
export interface SandboxOptions {
  limits: SandboxLimits;
  /** The private copy of the submission: bound read-write at the same path, the kernel's cwd and HOME. */
  writable: string;
  /** false: no cgroups, only rlimits and the memory watchdog (what holds where /sys/fs/cgroup is read-only). */
  cgroups?: boolean;
}

/** How a kernel process ended; `signal` also when the sandbox reported it as exit status 128+N. */
export interface KernelExit {
  code: number | null;
  signal: string | null;
  outOfMemory: boolean;
}

/** V8's and Node's fatal out-of-memory texts, as found in a kernel's log. */
export const OOM_LOG = /JavaScript heap out of memory|Array buffer allocation failed|Fatal (process|JavaScript) out of memory|Reached heap limit|Allocation failed - process out of memory/;

/** How a process that was not sandboxed ended (outOfMemory only from its log). */
export function plainExit(code: number | null, signal: string | null, log: string): KernelExit {
  return { code, signal, outOfMemory: (code !== 0 || signal !== null) && OOM_LOG.test(log) };
}

/** The folder holding dist/ and node_modules/: this file lives in kernel/ (sources) or dist/ (bundles). */
export const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

const isRoot = () => process.getuid?.() === 0;

function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
  for (const d of dirs) {
    const p = join(d || ".", name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

const fmt = (n: number) => (n % GiB === 0 ? `${n / GiB} GiB` : `${Math.round(n / MiB)} MiB`);
const inside = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);

// Root runs each sandbox under a uid of its own, so RLIMIT_NPROC (counted per uid across all
// user namespaces) caps each sandbox separately. The range lies above systemd's container uids;
// the pid part keeps two runners on one machine apart, the slot part sandboxes of one runner.
const UID_BASE = 0x70000000;
const uidsInUse = new Set<number>();
let nextSlot = 0;

function allocUid(): number {
  if (!isRoot()) return process.getuid?.() ?? 0;
  for (let i = 0; i < 64; i++) {
    const uid = UID_BASE + (process.pid & 0x3fffff) * 64 + (nextSlot++ % 64);
    if (!uidsInUse.has(uid)) {
      uidsInUse.add(uid);
      return uid;
    }
  }
  throw new Error("sandbox: more than 64 sandboxes at once in one runner");
}

/** Every folder above `dir` must be enterable by `uid` for bubblewrap (running as it) to bind `dir`. */
function checkReachable(dir: string, uid: number, what: string): void {
  for (let p = dirname(dir); ; p = dirname(p)) {
    const st = statSync(p);
    const bit = st.uid === uid ? 0o100 : st.gid === uid ? 0o010 : 0o001;
    if (!(st.mode & bit)) throw new Error(`sandbox: the sandbox's user (uid ${uid}) cannot enter ${p} (mode ${(st.mode & 0o777).toString(8)}), which holds ${what} ${dir}: put it under a folder others may enter (makePrivateCopy does)`);
    if (p === "/") return;
  }
}

/** Node modules the kernel loads at run time (kept out of the bundle) that may lie outside the package root. */
function moduleDirs(root: string): string[] {
  const out: string[] = [];
  const req = createRequire(join(root, "dist", "kernel.mjs"));
  for (const name of ["zeromq", "esbuild"]) {
    let p: string;
    try {
      p = realpathSync(req.resolve(name));
    } catch {
      continue;
    }
    if (inside(p, root)) continue;
    const i = p.lastIndexOf(`${sep}node_modules${sep}`);
    if (i >= 0) out.push(p.slice(0, i + "/node_modules".length));
  }
  return out;
}

let helpText: string | undefined;
/** Whether this bubblewrap knows an option (0.8 added --size and --disable-userns). */
const bwrapHas = (option: string) => (helpText ??= spawnSync(findTool("bwrap") ?? "bwrap", ["--help"], { encoding: "utf8" }).stdout ?? "").includes(option);

/** The read-only view: system folders, node, gradnote, data folders; a private /dev, /proc and /tmp. */
function viewArgs(kernelPath: string, env: NodeJS.ProcessEnv, tmpBytes: number): string[] {
  const args: string[] = [];
  for (const p of ["/usr", "/etc"]) if (existsSync(p)) args.push("--ro-bind", p, p);
  for (const p of ["/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"]) {
    try {
      const st = lstatSync(p);
      if (st.isSymbolicLink()) args.push("--symlink", readlinkSync(p), p);
      else if (st.isDirectory()) args.push("--ro-bind", p, p);
    } catch {
      // absent on this system
    }
  }
  args.push("--dev", "/dev", "--proc", "/proc", ...(bwrapHas("--size") ? ["--size", String(tmpBytes)] : []), "--tmpfs", "/tmp");
  // Of gradnote, only what the kernel runs on: a source checkout's other folders (tests,
  // notebooks, .git) stay out of view.
  const root = dirname(dirname(realpathSync(kernelPath)));
  const own = ["package.json", "dist", "node_modules", "datasets"].map((p) => join(root, p)).filter((p) => existsSync(p));
  const extra = [dirname(realpathSync(process.execPath)), ...own, ...moduleDirs(root)];
  for (const p of (env.GRADNOTE_DATA_PATHS ?? "").split(delimiter)) if (p.startsWith("/") && existsSync(p)) extra.push(realpathSync(p));
  const bound: string[] = ["/usr", "/etc"];
  for (const p of extra) {
    if (bound.some((b) => inside(p, b))) continue;
    bound.push(p);
    args.push("--ro-bind", p, p);
  }
  return args;
}

/** The environment inside: nothing of the runner's but its language and GRADNOTE_* settings. */
function envArgs(env: NodeJS.ProcessEnv, home: string): string[] {
  const nodeDir = dirname(realpathSync(process.execPath));
  const vars: Record<string, string> = {
    PATH: [...new Set([nodeDir, "/usr/local/bin", "/usr/bin", "/bin"])].join(":"),
    HOME: home,
    TMPDIR: "/tmp",
    LANG: env.LANG ?? "C.UTF-8",
  };
  for (const [k, v] of Object.entries(env)) if (k.startsWith("GRADNOTE_") && v !== undefined) vars[k] = v;
  return ["--clearenv", ...Object.entries(vars).flatMap(([k, v]) => ["--setenv", k, v])];
}

/** Gives the tree at `dir` to `uid` (links themselves, never what they point at). */
function chownTree(dir: string, uid: number): void {
  lchownSync(dir, uid, uid);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) chownTree(p, uid);
    else lchownSync(p, uid, uid);
  }
}

/**
 * Copies the submission folder `src` into a fresh folder that a sandbox can bind (its parent is
 * mode 0711: others may enter, not list). Returns the copy's path and a function removing it.
 */
export function makePrivateCopy(src: string): { path: string; remove: () => void } {
  const parent = mkdtempSync(join(tmpdir(), "gradnote-work-"));
  chmodSync(parent, 0o711);
  const path = join(parent, basename(src));
  cpSync(src, path, { recursive: true });
  return { path, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/** Which limits hold with these settings on this machine, and what enforces each, in one line. */
export function describeLimits(limits: SandboxLimits = DEFAULT_LIMITS, cgroups = true): string {
  const mem = cgroups ? cgroupBase("memory") : null;
  const pids = cgroups ? cgroupBase("pids") : null;
  const heap = heapMiB(limits.memoryBytes);
  const memory = mem
    ? `memory ${fmt(limits.memoryBytes)}: cgroup v${mem.version} ${mem.version === 2 ? "memory.max" : "memory.limit_in_bytes"} (the OOM killer ends the kernel), V8 heap ${heap} MiB, RLIMIT_DATA ${fmt(dataLimit(limits, true))} per process`
    : `memory ${fmt(limits.memoryBytes)}: RLIMIT_DATA per process (allocations past it fail), V8 heap ${heap} MiB, a watchdog on the sandbox's resident memory (no writable memory cgroup)`;
  const nproc = isRoot() ? "RLIMIT_NPROC on the sandbox's own uid" : "";
  const procs = pids
    ? `${limits.maxProcesses} processes and threads: cgroup v${pids.version} pids.max${nproc ? ` and ${nproc}` : ""}`
    : nproc ? `${limits.maxProcesses} processes and threads: ${nproc} (no writable pids cgroup)` : "processes: not limited (no writable pids cgroup, and not root)";
  const cpu = limits.cpuSeconds ? `CPU time ${limits.cpuSeconds} s per process: RLIMIT_CPU` : "CPU time: not limited (wall time is the runner's)";
  return `no network; ${memory}; ${procs}; ${cpu}; files up to ${fmt(limits.memoryBytes)} each (RLIMIT_FSIZE), /tmp a private tmpfs${bwrapHas("--size") ? ` of ${fmt(limits.memoryBytes)}` : " (this bubblewrap cannot size it)"}`;
}

const heapMiB = (memoryBytes: number) => Math.max(32, Math.floor((memoryBytes * 0.75) / MiB));
// With a memory cgroup, RLIMIT_DATA only stops address space that is never touched (thread stacks
// and reservations count in it): touched memory meets the cgroup first, which kills cleanly.
const dataLimit = (l: SandboxLimits, cgroup: boolean) => (cgroup ? 2 * l.memoryBytes : l.memoryBytes);

let support: ReturnType<typeof sandboxSupport> | undefined;

/**
 * Whether kernels can be sandboxed here, checked once by starting node in the real sandbox
 * view: `how` names the mechanism and the limits that hold, `reason` what is missing.
 */
export function sandboxSupport(): { ok: true; how: string } | { ok: false; reason: string } {
  if (support) return support;
  const orSkip = "or pass --no-sandbox to grade without isolation";
  const fail = (reason: string) => (support = { ok: false, reason: `${reason}, ${orSkip}` });
  if (process.platform !== "linux") return fail(`the sandbox needs Linux (bubblewrap); this is ${process.platform}`);
  const bwrap = findTool("bwrap");
  if (!bwrap) return fail("bubblewrap (bwrap) not found: install the Debian package bubblewrap");
  if (!findTool("prlimit") || (isRoot() && !findTool("setpriv"))) return fail("prlimit or setpriv not found: install the Debian package util-linux");
  const kernelPath = join(PACKAGE_ROOT, "dist", "kernel.mjs");
  const uid = allocUid();
  try {
    if (isRoot()) checkReachable(kernelPath, uid, "the gradnote kernel");
    const args = ["--unshare-all", "--die-with-parent", "--new-session", ...viewArgs(kernelPath, process.env, 16 * MiB), "--clearenv", "--",
      realpathSync(process.execPath), "-e", "process.exit(require('fs').existsSync(process.argv[1]) ? 0 : 7)", kernelPath];
    const r = spawnSync(isRoot() ? findTool("setpriv")! : bwrap, isRoot() ? [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", bwrap, ...args] : args, { encoding: "utf8", timeout: 20_000 });
    if (r.status === 7) return fail(`the sandbox cannot see ${kernelPath} (run \`node scripts/build.mjs\`, or install gradnote where others may read it)`);
    if (r.status !== 0) {
      const why = (r.stderr || r.error?.message || `exit status ${r.status}`).trim().split("\n")[0];
      const unreachable = /Can't find source path (\S+)/.exec(why);
      if (unreachable) return fail(`the sandbox's user cannot reach ${unreachable[1].replace(/:$/, "")} (${why}): install node and gradnote where others may read them, not under /root or a private home`);
      return fail(`bubblewrap cannot start a sandbox here (${why}); unprivileged user namespaces may be disabled (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone, AppArmor), or a container's seccomp profile forbids them`);
    }
  } catch (e) {
    return fail((e as Error).message);
  } finally {
    uidsInUse.delete(uid);
  }
  const version = spawnSync(bwrap, ["--version"], { encoding: "utf8" }).stdout?.trim() || "bubblewrap";
  return (support = { ok: true, how: `${version}, as ${isRoot() ? "a uid of its own" : "this user"} in a user namespace; ${describeLimits()}` });
}

/** A kernel ready to be started in the sandbox: its connection file lies in a folder bound into it. */
export interface PreparedSandbox {
  info: ConnectionInfo;
  connectionFile: string;
  /** Starts the kernel (once). */
  spawn(): ChildProcess;
  /** How the kernel ended, read when its process exits (before cleanup removes the cgroups). */
  exit(code: number | null, signal: string | null, log: string): KernelExit;
  /** Why it ended, for KernelDiedError. */
  message(exit: KernelExit): string;
  /** Removes the connection folder and the cgroups (the copy is the caller's). */
  cleanup(): Promise<void>;
}

/** Sets up the private connection folder, the copy's owner and the command line of one sandboxed kernel. */
export function prepareSandbox(opts: SandboxOptions & { kernelPath: string; key?: string; env: NodeJS.ProcessEnv }): PreparedSandbox {
  const s = sandboxSupport();
  if (!s.ok) throw new Error(`sandbox: ${s.reason}`);
  const { limits, env } = opts;
  const writable = realpathSync(opts.writable);
  const kernelPath = realpathSync(opts.kernelPath);
  const uid = allocUid();
  const dir = mkdtempSync(join(tmpdir(), "gradnote-sbx-"));
  let memCg: SandboxCgroup | null = null;
  let pidsCg: SandboxCgroup | null = null;
  let stopWatch = () => {};
  let watchdogFired = false;
  let oomAtExit: number | undefined;
  const ooms = () => oomAtExit ?? (memCg ? oomKills(memCg) : 0);
  const removeCgroups = () => Promise.all([memCg, pidsCg].map((c) => (c ? removeCgroup(c) : undefined)));
  let child: ChildProcess | undefined;
  try {
    if (isRoot()) {
      checkReachable(writable, uid, "the private copy");
      checkReachable(dir, uid, "the connection folder");
      chownTree(writable, uid);
      chownSync(dir, uid, uid);
    }
    const info: ConnectionInfo = {
      transport: "ipc", ip: join(dir, "k"), key: opts.key ?? crypto.randomUUID(), signature_scheme: "hmac-sha256",
      shell_port: 1, iopub_port: 2, stdin_port: 3, control_port: 4, hb_port: 5, kernel_name: "gradnote",
    };
    const connectionFile = join(dir, "kernel.json");
    writeFileSync(connectionFile, JSON.stringify(info), { mode: 0o600 });
    if (isRoot()) chownSync(connectionFile, uid, uid);
    const useCgroups = opts.cgroups !== false;

    const start = (): ChildProcess => {
      if (child) throw new Error("sandbox: the kernel was already started");
      try {
        memCg = useCgroups ? makeCgroup("memory", limits.memoryBytes) : null;
        pidsCg = useCgroups ? makeCgroup("pids", limits.maxProcesses) : null;
      } catch (e) {
        void removeCgroups();
        throw e;
      }
      const bwrap = ["--unshare-all", "--unshare-user", ...(bwrapHas("--disable-userns") ? ["--disable-userns"] : []), "--die-with-parent", "--new-session", "--hostname", "gradnote",
        ...viewArgs(kernelPath, env, limits.memoryBytes), "--bind", dir, dir, "--bind", writable, writable, "--chdir", writable, ...envArgs(env, writable),
        // The root bubblewrap builds is a tmpfs: read-only, so only /tmp (sized) and the copy take writes.
        "--remount-ro", "/"];
      const limitsArgs = [`--data=${dataLimit(limits, memCg !== null)}`, "--core=0", `--fsize=${limits.memoryBytes}`,
        ...(isRoot() ? [`--nproc=${limits.maxProcesses}`] : []), ...(limits.cpuSeconds ? [`--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`] : [])];
      const node = [realpathSync(process.execPath), `--max-old-space-size=${heapMiB(limits.memoryBytes)}`, ...KERNEL_NODE_FLAGS, kernelPath, "--connection-file", connectionFile];
      const cmd = [findTool("prlimit")!, ...limitsArgs, "--",
        ...(isRoot() ? [findTool("setpriv")!, `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--"] : []), findTool("bwrap")!, ...bwrap, "--", ...node];
      // A shell joins the cgroups before anything runs, then becomes the command (cgroups are inherited).
      const cgs = [memCg, pidsCg].filter((c): c is SandboxCgroup => c !== null);
      const argv = cgs.length ? ["/bin/sh", "-c", 'while [ "$1" != -- ]; do echo $$ > "$1"; shift; done; shift; exec "$@"', "sh", ...cgs.map(procsFile), "--", ...cmd] : cmd;
      child = spawn(argv[0], argv.slice(1), { cwd: writable, env: {}, stdio: ["ignore", "pipe", "pipe"] });
      if (!memCg && child.pid) stopWatch = watchMemory(child.pid, limits.memoryBytes, () => {
        watchdogFired = true;
        child!.kill("SIGKILL");
      });
      // Read the OOM count before the cgroups go: they are removed as soon as the sandbox ends.
      child.once("exit", () => {
        stopWatch();
        oomAtExit = ooms();
        void removeCgroups();
      });
      return child;
    };

    return {
      info, connectionFile, spawn: start,
      exit(code, signal, log) {
        let sig = signal;
        let status = code;
        // bubblewrap reports a child killed by signal N as exit status 128 + N.
        if (!sig && code !== null && code > 128) {
          const name = Object.entries(osConstants.signals).find(([, n]) => n === code - 128)?.[0];
          if (name) [sig, status] = [name, null];
        }
        const oom = ooms() > 0 || watchdogFired || ((status !== 0 || sig !== null) && OOM_LOG.test(log));
        return { code: status, signal: sig, outOfMemory: oom };
      },
      message(exit) {
        const status = `the kernel exited (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`})`;
        if (exit.signal === "SIGXCPU" && limits.cpuSeconds) return `${status}: it used up its ${limits.cpuSeconds} s of CPU time`;
        if (exit.signal === "SIGXFSZ") return `${status}: it wrote a file past the ${fmt(limits.memoryBytes)} size limit`;
        if (!exit.outOfMemory) return status;
        const by = watchdogFired ? "the memory watchdog ended it" : ooms() > 0 ? "the OOM killer of its memory cgroup ended it" : `V8 ran out of memory, its heap being capped at ${heapMiB(limits.memoryBytes)} MiB`;
        return `the kernel ran out of memory (limit ${fmt(limits.memoryBytes)}: ${by})`;
      },
      async cleanup() {
        stopWatch();
        // A uid of its own (root runners) also finds processes the PID namespace has not ended yet.
        if (isRoot() && child) await endProcessesOf(uid);
        uidsInUse.delete(uid);
        rmSync(dir, { recursive: true, force: true });
        await removeCgroups();
      },
    };
  } catch (e) {
    uidsInUse.delete(uid);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
