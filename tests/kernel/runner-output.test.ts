// Printed floods against the real kernel: `gradnote run --max-output` keeps a cell's output small
// and says how much it dropped, later cells still run, and the client streams a request's iopub
// messages to a callback instead of keeping them. Synthetic cases are in outputs.test.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launchKernel, type ReceivedMessage } from "../../kernel/client.js";
import { KERNEL_PATH } from "./helpers.js";

const CLI = fileURLToPath(new URL("../../bin/gradnote.mjs", import.meta.url));

function notebook(cells: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "gradnote-flood-"));
  const path = join(dir, "flood.ipynb");
  const nb = {
    cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: {}, nbformat: 4, nbformat_minor: 5,
  };
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

const joined = (o: { text?: string[] }) => (o.text ?? []).join("");

describe("gradnote run --max-output", () => {
  it("cuts a cell printing 1,000,000 lines at 64 KiB, notes the bytes dropped, and runs the later cells", () => {
    const path = notebook(["for (let i = 0; i < 1_000_000; i++) console.log(`line ${i}`);", "const h = display('v1', { displayId: true });\n'after'", "h.update('v2');"]);
    const out = path.replace(".ipynb", ".out.ipynb");
    const r = spawnSync(process.execPath, [CLI, "run", path, "--output", out, "--max-output", "64k", "--timeout", "50"], { encoding: "utf8", timeout: 55_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(out).size).toBeLessThan(200_000);
    const nb = JSON.parse(readFileSync(out, "utf8"));
    const [stream, note] = nb.cells[0].outputs;
    expect(stream.name).toBe("stdout");
    const kept = Buffer.byteLength(joined(stream));
    expect(kept).toBe(64 * 1024);
    expect(joined(stream).startsWith("line 0\nline 1\n")).toBe(true);
    let total = 0;
    for (let i = 0; i < 1_000_000; i++) total += `line ${i}\n`.length;
    expect(note).toEqual({ output_type: "stream", name: "stderr", text: [`[gradnote: output cut after 64.0 KiB; ${(total - kept).toLocaleString("en-US")} more bytes were not kept (--max-output)]\n`] });
    expect(nb.cells[0].outputs).toHaveLength(2);
    // The next cells ran, and a display id still reaches across cells.
    expect(nb.cells[1].outputs.map((o: { data: Record<string, string> }) => o.data["text/plain"])).toEqual(["'v2'", "'after'"]);
    // The terminal summary is cut the same way.
    expect(r.stdout).toContain("more bytes were not kept (--max-output)]");
    expect(r.stdout.length).toBeLessThan(100_000);
  });

  it("bounds a cell that prints forever by --timeout, keeping 64 KiB and the note", () => {
    const path = notebook(["while (true) process.stdout.write('y'.repeat(99) + '\\n');", "'never'"]);
    const out = path.replace(".ipynb", ".out.ipynb");
    const r = spawnSync(process.execPath, [CLI, "run", path, "--output", out, "--max-output", "64k", "--timeout", "3"], { encoding: "utf8", timeout: 40_000 });
    expect(r.status).toBe(1);
    expect(statSync(out).size).toBeLessThan(200_000);
    const outputs = JSON.parse(readFileSync(out, "utf8")).cells[0].outputs;
    expect(outputs.map((o: { output_type: string }) => o.output_type)).toEqual(["stream", "stream", "error"]);
    expect(Buffer.byteLength(joined(outputs[0]))).toBe(64 * 1024);
    expect(joined(outputs[1])).toMatch(/^\[gradnote: output cut after 64\.0 KiB; [\d,]+ more bytes were not kept \(--max-output\)\]\n$/);
    expect(outputs[2]).toMatchObject({ ename: "TimeoutError", evalue: "cell 1 timed out after 3 s" });
  });

  it("names the option when its value is not a size", () => {
    const r = spawnSync(process.execPath, [CLI, "run", notebook(["1"]), "--max-output", "lots"], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--max-output: expected a number of bytes such as 65536, 64k, 1M or 2MiB, got "lots"');
  });
});

describe("KernelClient onIopub", () => {
  it("hands a request's iopub messages to the callback in order and keeps none of them", async () => {
    const kernel = await launchKernel({ kernelPath: KERNEL_PATH, keepAllIopub: false });
    try {
      const seen: ReceivedMessage[] = [];
      const r = await kernel.client.execute("console.log('a'); display('d'); console.log('b'); 7", {}, 20_000, { onIopub: (m) => seen.push(m) });
      expect(r.reply.content.status).toBe("ok");
      expect(r.iopub).toEqual([]);
      expect(kernel.client.allIopub).toEqual([]);
      const types = seen.map((m) => m.header.msg_type);
      expect(types[0]).toBe("status");
      expect(types.at(-1)).toBe("status");
      // Stream text batched in the kernel still lands in order around other output.
      const shown = seen.filter((m) => m.header.msg_type !== "status" && m.header.msg_type !== "execute_input");
      expect(shown.map((m) => (m.header.msg_type === "stream" ? m.content.text : m.header.msg_type))).toEqual(["a\n", "display_data", "b\n", "execute_result"]);

      // A callback that throws fails its own request only; the client keeps working.
      await expect(kernel.client.execute("1", {}, 20_000, { onIopub: () => { throw new Error("handler broke"); } })).rejects.toThrow("handler broke");
      const again = await kernel.client.execute("console.log('still here')", {}, 20_000);
      expect(again.iopub.some((m) => m.header.msg_type === "stream" && m.content.text === "still here\n")).toBe(true);
    } finally {
      await kernel.shutdown();
    }
  });
});
