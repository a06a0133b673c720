// Process-tree memory from /proc, for bench/kernel.mjs and bench/runtime-cells.mjs.
import { readdirSync, readFileSync } from "node:fs";

/** The process and everything it started (esbuild's service, for instance); [] once it is gone. */
export function processTree(pid) {
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out = [pid];
  for (const tid of tasks) {
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

/** VmRSS of one process in KiB (0 when it has gone). */
export function rssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The first two words of a process's command line, without their folders. */
export function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).map((a) => a.split("/").pop()).slice(0, 2).join(" ");
  } catch {
    return "";
  }
}

/** RSS of a process and its descendants, in MiB. */
export function treeRssMiB(pid) {
  let kib = 0;
  for (const p of processTree(pid)) kib += rssKiB(p);
  return kib / 1024;
}
