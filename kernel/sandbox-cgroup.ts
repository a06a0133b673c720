/**
 * The kernel-enforced limits behind the sandbox (sandbox.ts): a memory and a pids cgroup made
 * for one sandboxed kernel (cgroup v2 under the nearest cgroup that hands the controller down,
 * else a child of the runner's own v1 cgroup), and the watchdog that stands in for a memory cgroup when none is
 * writable, and the sweep that ends a sandbox's leftover processes. Building the bubblewrap
 * command line does not belong here.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** A cgroup hierarchy we may make children in, for one controller. */
interface Base {
  version: 1 | 2;
  /** The runner's own cgroup folder in that hierarchy; children are made inside it. */
  dir: string;
}

/** One cgroup made for one sandbox. */
export interface SandboxCgroup {
  controller: "memory" | "pids";
  version: 1 | 2;
  path: string;
}

/** The mount point of each mounted cgroup hierarchy, with its root, from /proc/self/mountinfo. */
function cgroupMounts(): { point: string; root: string; fstype: string; options: string[] }[] {
  const out = [];
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const [left, right] = line.split(" - ");
    if (!right) continue;
    const f = left.split(" ");
    const [fstype, , superOptions] = right.split(" ");
    if (fstype === "cgroup" || fstype === "cgroup2") out.push({ point: f[4], root: f[3], fstype, options: (superOptions ?? "").split(",") });
  }
  return out;
}

/** Joins a mount point and a cgroup path that lies under the mount's root, or undefined. */
function under(mount: { point: string; root: string }, path: string): string | undefined {
  const root = mount.root === "/" ? "" : mount.root;
  if (root && path !== root && !path.startsWith(`${root}/`)) return undefined;
  return join(mount.point, path.slice(root.length));
}

/** Whether a child can be made in `dir` with `controller` available in it. */
function usable(dir: string, version: 1 | 2, controller: string): boolean {
  const probe = join(dir, `gradnote-probe-${process.pid}-${controller}`);
  try {
    mkdirSync(probe);
  } catch {
    return false;
  }
  try {
    if (version === 1) return true;
    return readFileSync(join(probe, "cgroup.controllers"), "utf8").split(/\s+/).includes(controller);
  } catch {
    return false;
  } finally {
    try {
      rmdirSync(probe);
    } catch {
      // A probe we cannot remove is empty and harmless.
    }
  }
}

/**
 * In v2 a cgroup holding processes (ours) cannot hand controllers to its children, so the
 * sandbox's cgroup goes under the nearest ancestor that does (a systemd slice, the root).
 * Untested on the machine this was written on (its v2 hierarchy has no controllers).
 */
function v2Parent(mount: { point: string; root: string }, path: string, controller: string): string | undefined {
  for (let dir = under(mount, path); dir; dir = dirname(dir)) {
    if (usable(dir, 2, controller)) return dir;
    if (dir === mount.point || dir === "/") return undefined;
  }
  return undefined;
}

const bases = new Map<string, Base | null>();

/**
 * Where this process can make a child cgroup with `controller`: in v2, its own cgroup or the
 * nearest ancestor whose children get the controller; else its own cgroup in the v1 hierarchy
 * that carries the controller. null when neither is writable (a container with a read-only /sys/fs/cgroup).
 */
export function cgroupBase(controller: "memory" | "pids"): Base | null {
  if (bases.has(controller)) return bases.get(controller)!;
  let found: Base | null = null;
  try {
    const mounts = cgroupMounts();
    for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
      const m = /^(\d+):([^:]*):(.*)$/.exec(line);
      if (!m) continue;
      const v2 = m[1] === "0" && m[2] === "";
      if (!v2 && !m[2].split(",").includes(controller)) continue;
      const mount = mounts.find((x) => (v2 ? x.fstype === "cgroup2" : x.fstype === "cgroup" && x.options.includes(controller)));
      if (!mount) continue;
      const dir = v2 ? v2Parent(mount, m[3], controller) : under(mount, m[3]);
      if (dir && existsSync(dir) && usable(dir, v2 ? 2 : 1, controller)) {
        found = { version: v2 ? 2 : 1, dir };
        if (v2) break;
      }
    }
  } catch {
    found = null;
  }
  bases.set(controller, found);
  return found;
}

let made = 0;
const swept = new Set<string>();

/** Removes cgroups left by gradnote runners that died before removing their own. */
function sweepStale(dir: string): void {
  for (const name of readdirSync(dir)) {
    const m = /^gradnote-(\d+)-\d+$/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ESRCH") continue;
      try {
        rmdirSync(join(dir, name));
      } catch {
        // Still holds tasks: left for its owner's namespace to end.
      }
    }
  }
}

/**
 * Makes a cgroup holding `limit` (bytes for memory, tasks for pids) and returns it, or null
 * when the controller is not writable here. Memory v2 also gets memory.oom.group, so an
 * out-of-memory kill ends the whole sandbox rather than one process in it, and no swap.
 */
export function makeCgroup(controller: "memory" | "pids", limit: number): SandboxCgroup | null {
  const base = cgroupBase(controller);
  if (!base) return null;
  if (!swept.has(base.dir)) {
    swept.add(base.dir);
    sweepStale(base.dir);
  }
  const path = join(base.dir, `gradnote-${process.pid}-${++made}`);
  mkdirSync(path);
  const set = (file: string, value: string | number, optional = false) => {
    if (optional && !existsSync(join(path, file))) return;
    writeFileSync(join(path, file), String(value));
  };
  try {
    if (controller === "pids") set("pids.max", limit);
    else if (base.version === 2) {
      set("memory.max", limit);
      set("memory.swap.max", 0, true);
      set("memory.oom.group", 1, true);
    } else {
      set("memory.limit_in_bytes", limit);
      // memsw (memory + swap) must be written after the plain limit: it may not be below it.
      set("memory.memsw.limit_in_bytes", limit, true);
    }
  } catch (e) {
    rmdirSync(path);
    throw e;
  }
  return { controller, version: base.version, path };
}

/** The file a process id is written to, to move that process into the cgroup. */
export const procsFile = (cg: SandboxCgroup) => join(cg.path, "cgroup.procs");

/** How many times the kernel's OOM killer killed a process in this memory cgroup. */
export function oomKills(cg: SandboxCgroup): number {
  try {
    const text = readFileSync(join(cg.path, cg.version === 2 ? "memory.events" : "memory.oom_control"), "utf8");
    return Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Removes the cgroup once its last task is gone: processes of an ended PID namespace may take
 * a moment to be reaped, so this retries for a few seconds before giving up.
 */
export async function removeCgroup(cg: SandboxCgroup): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      rmdirSync(cg.path);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Each process's parent, from /proc/<pid>/stat (the field after the parenthesised name). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      out.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Resident bytes of each watched process tree, from one pass over /proc. */
function treeRss(roots: number[]): number[] {
  const byParent = new Map<number, number[]>();
  for (const [child, parent] of parents()) byParent.set(parent, [...(byParent.get(parent) ?? []), child]);
  return roots.map((root) => {
    let total = 0;
    for (const stack = [root]; stack.length; ) {
      const p = stack.pop()!;
      try {
        total += Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) * 1024;
      } catch {
        continue;
      }
      stack.push(...(byParent.get(p) ?? []));
    }
    return total;
  });
}

const watched = new Map<number, { limit: number; onExceeded: () => void }>();
let poller: NodeJS.Timeout | undefined;

/**
 * Polls the resident memory of the process tree under `pid` and calls `onExceeded` once when it
 * passes `limit` bytes: the last resort when no memory cgroup is writable. RLIMIT_DATA caps each
 * process on its own; this catches many processes that are each under it. One timer serves every
 * watched sandbox. Returns a function that stops watching.
 */
export function watchMemory(pid: number, limit: number, onExceeded: () => void, everyMs = 200): () => void {
  watched.set(pid, { limit, onExceeded });
  poller ??= setInterval(() => {
    const pids = [...watched.keys()];
    treeRss(pids).forEach((rss, i) => {
      const w = watched.get(pids[i]);
      if (w && rss > w.limit) {
        watched.delete(pids[i]);
        w.onExceeded();
      }
    });
    if (watched.size === 0) {
      clearInterval(poller);
      poller = undefined;
    }
  }, everyMs);
  poller.unref();
  return () => void watched.delete(pid);
}

/** Live (not zombie) processes whose real uid is `uid`. */
function processesOf(uid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, "utf8");
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === uid && !/^State:\s+Z/m.test(status)) out.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/**
 * Ends every process still running as `uid` (a sandbox's own uid, once its kernel has exited)
 * and waits until none is left: bubblewrap may report the exit before its PID namespace has
 * finished dying.
 */
export async function endProcessesOf(uid: number, timeoutMs = 5000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const pids = processesOf(uid);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
