/**
 * Acceptance: the official jupyter_kernel_test suite (tests/interop/test_gradnote_kernel.py)
 * passes against the installed kernelspec, with every test run and none skipped.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installTempKernelspec, PYTHON, ROOT } from "./kernelspec-env.js";

describe("jupyter_kernel_test", () => {
  const spec = installTempKernelspec();
  afterAll(() => spec.cleanup());

  it("passes every KernelTests test with none skipped", () => {
    const r = spawnSync(PYTHON, ["-m", "unittest", "-v", "test_gradnote_kernel"], {
      cwd: join(ROOT, "tests", "interop"),
      env: spec.env,
      encoding: "utf8",
      timeout: 120_000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    const ran = /^Ran (\d+) tests? in/m.exec(out);
    expect(ran, out).not.toBeNull();
    // KernelTests has 12 tests in jupyter_kernel_test 0.4.5; all must run.
    expect(Number(ran![1]), out).toBeGreaterThanOrEqual(12);
    expect(out).toMatch(/^OK$/m);
    expect(out).not.toMatch(/skipped/i);
    expect(out).not.toMatch(/^(FAIL|ERROR):/m);
    expect(r.status, out).toBe(0);
  }, 150_000);
});
