// `gradnote doctor`: what it finds (SIMD kernels, kernelspecs in Jupyter's data dirs, front ends
// on PATH and the kernelspecs of their Pythons) and that every missing piece comes with its fix.
// Runs the built CLI with PATH, HOME and JUPYTER_DATA_DIR pointed at a temporary folder.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { DoctorItem } from "../../kernel/doctor.js";

const CLI = fileURLToPath(new URL("../../bin/gradnote.mjs", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "gradnote-doctor-"));
const bin = join(tmp, "bin");
mkdirSync(bin);
const env = { ...process.env, HOME: tmp, JUPYTER_DATA_DIR: join(tmp, "data"), JUPYTER_PATH: "", PATH: `${bin}:${dirname(process.execPath)}:/bin` };
const gradnote = (args: string[]): string => execFileSync(process.execPath, [CLI, ...args], { encoding: "utf8", env, timeout: 90_000 });
const doctor = (): DoctorItem[] => JSON.parse(gradnote(["doctor", "--json"])) as DoctorItem[];
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("gradnote doctor", () => {
  it("reports the shipped WASM SIMD kernels and thread count, WebGPU and the course data sets", () => {
    const items = doctor();
    const cpu = items.find((i) => i.area === "cpu")!;
    expect(cpu).toMatchObject({ ok: true });
    expect(cpu.text).toMatch(/^WASM SIMD kernels with fused multiply-add, \d+ threads? of \d+ cores/);
    const gpu = items.find((i) => i.area === "webgpu")!;
    expect(gpu.ok ? gpu.text : gpu.fix).toMatch(gpu.ok ? /^adapter: / : /Vulkan|VK_ICD_FILENAMES/);
    const data = items.filter((i) => i.area === "data");
    expect(data.map((d) => d.text.split(":")[0])).toEqual(["Fashion-MNIST", "MNIST", "8×8 digits"]);
    for (const d of data) if (!d.ok) expect(d.fix, d.text).toBeTruthy();
  });

  it("says how to install the kernelspec when Jupyter has none, and where it is once installed", () => {
    const before = doctor().filter((i) => i.area === "kernelspec");
    expect(before.some((i) => i.text.includes(tmp))).toBe(false);
    if (!before.some((i) => i.ok)) expect(before.find((i) => !i.ok)?.fix).toContain("gradnote install");
    gradnote(["install"]);
    const after = doctor().filter((i) => i.area === "kernelspec");
    expect(after).toContainEqual({ area: "kernelspec", ok: true, text: `gradnote in ${join(tmp, "data", "kernels", "gradnote")}` });
  });

  it("flags a kernelspec whose kernel file is gone, with the command that rewrites it", () => {
    const dir = join(tmp, "data", "kernels", "gradnote-old");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "kernel.json"), JSON.stringify({ argv: [process.execPath, "/gone/dist/kernel.mjs", "--connection-file", "{connection_file}"] }));
    const stale = doctor().find((i) => i.text.startsWith("gradnote-old"))!;
    expect(stale).toMatchObject({ area: "kernelspec", ok: false, fix: "gradnote install --name gradnote-old" });
    expect(stale.text).toContain("/gone/dist/kernel.mjs");
  });

  it("finds JupyterLab on PATH with its version, and kernelspecs in that Python's prefix", () => {
    // A stand-in venv: jupyter-lab's #! names a "python" that answers the doctor's probe.
    const venv = join(tmp, "venv");
    mkdirSync(join(venv, "share/jupyter/kernels/gradnote-venv"), { recursive: true });
    writeFileSync(join(venv, "share/jupyter/kernels/gradnote-venv/kernel.json"), JSON.stringify({ argv: [process.execPath, fileURLToPath(new URL("../../dist/kernel.mjs", import.meta.url)), "-f", "{connection_file}"] }));
    const python = join(bin, "python3");
    writeFileSync(python, `#!/bin/sh\necho '{"prefix": "${venv}", "found": {"jupyterlab": "4.6.1", "notebook": "7.6.0"}}'\n`);
    writeFileSync(join(bin, "jupyter-lab"), `#!${python}\n`);
    writeFileSync(join(bin, "jupyter-notebook"), `#!${python}\n`);
    for (const f of ["python3", "jupyter-lab", "jupyter-notebook"]) chmodSync(join(bin, f), 0o755);
    const items = doctor();
    const fe = items.filter((i) => i.area === "frontend").map((i) => i.text);
    expect(fe).toContain(`JupyterLab 4.6.1: jupyter lab (${join(bin, "jupyter-lab")})`);
    expect(fe.find((t) => t.startsWith("Notebook 7.6.0: jupyter notebook"))).toBeDefined();
    expect(items.some((i) => i.area === "frontend" && !i.ok)).toBe(false);
    expect(items).toContainEqual({ area: "kernelspec", ok: true, text: `gradnote-venv in ${join(venv, "share/jupyter/kernels/gradnote-venv")}` });
  });

  it("prints one screen: a mark per line, and a fix under every missing piece", () => {
    rmSync(join(bin, "jupyter-lab"));
    rmSync(join(bin, "jupyter-notebook"));
    const screen = gradnote(["doctor"]).trimEnd().split("\n");
    expect(screen.length).toBeLessThanOrEqual(30);
    expect(screen[0]).toBe("gradnote doctor — what this machine gives you");
    screen.forEach((line, i) => {
      if (line.startsWith("✗")) expect(screen[i + 1]).toMatch(/^ +fix: \S/);
    });
    expect(screen.some((l) => l.startsWith("✓ cpu backend  WASM SIMD kernels"))).toBe(true);
    expect(screen.at(-1)).toMatch(/missing; each ✗ says how to get it\.$|^Everything is in place\.$/);
  });
});
