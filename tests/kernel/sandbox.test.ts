// The grading sandbox with real bubblewrap and the real kernel over ZeroMQ ipc: what a student's
// kernel can reach (network, files, other submissions, the autograder) and the limits that end it
// (memory, processes, CPU). Memory is 512 MiB here so the machine never comes near its own.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchKernel, type RequestResult, type RunningKernel } from "../../kernel/client.js";
import { makePrivateCopy, sandboxSupport, type SandboxLimits } from "../../kernel/sandbox.js";
import { KERNEL_PATH, outputs, stdout } from "./helpers.js";

const LIMITS: SandboxLimits = { memoryBytes: 512 * 1024 * 1024, maxProcesses: 64 };

/** A class folder: alice's submission (copied for her kernel), bob's, and the autograder beside them. */
let classDir: string;
let copy: { path: string; remove: () => void };

async function sandboxed(limits: Partial<SandboxLimits> = {}, cgroups = true): Promise<RunningKernel> {
  return launchKernel({ kernelPath: KERNEL_PATH, sandbox: { limits: { ...LIMITS, ...limits }, writable: copy.path, cgroups } });
}

const errorText = (r: RequestResult) => outputs(r, "error").map((m) => `${m.content.ename}: ${m.content.evalue}`).join("\n");

beforeAll(() => {
  const s = sandboxSupport();
  if (!s.ok) throw new Error(s.reason);
  classDir = mkdtempSync(join(tmpdir(), "gradnote-class-"));
  mkdirSync(join(classDir, "alice"));
  writeFileSync(join(classDir, "alice", "data.txt"), "alice's data\n");
  copy = makePrivateCopy(join(classDir, "alice"));
});

afterAll(() => {
  copy?.remove();
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
});
