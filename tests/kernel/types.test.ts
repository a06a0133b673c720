// The kernel's TypeScript language service end to end: completion, diagnostics and inspection
// from types through the real kernel process (dist/kernel.mjs, dist/lang-worker.mjs and
// dist/types), driven over ZeroMQ by the project's client.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestResult, RunningKernel } from "../../kernel/client.js";
import { launchKernel } from "../../kernel/client.js";
import { KERNEL_PATH, outputs, plain, stdout } from "./helpers.js";

let k: RunningKernel;

const run = (code: string) => k.client.execute(code);
const stderr = (r: RequestResult) => outputs(r, "stream").filter((m) => m.content.name === "stderr").map((m) => String(m.content.text)).join("");
const matches = async (code: string, pos = code.length) => {
  const r = await k.client.request("complete_request", { code, cursor_pos: pos });
  expect(r.reply.content.status).toBe("ok");
  return r.reply.content as { matches: string[]; cursor_start: number; cursor_end: number; metadata: Record<string, unknown> };
};
const inspect = async (code: string, detail: 0 | 1 = 0, pos = code.length) => {
  const r = await k.client.request("inspect_request", { code, cursor_pos: pos, detail_level: detail });
  expect(r.reply.content.status).toBe("ok");
  return String((r.reply.content.data as Record<string, unknown>)?.["text/plain"] ?? "");
};

beforeAll(async () => {
  // Typed completion may wait longer here than the 600 ms a front end gets, so that a loaded
  // machine cannot turn a typed answer into the runtime fallback.
  k = await launchKernel({ cwd: mkdtempSync(join(tmpdir(), "gradnote-types-")), kernelPath: KERNEL_PATH, env: { ...process.env, GRADNOTE_COMPLETE_WAIT_MS: "20000" } });
  await run(`import { nn, optim, randn, zeros, typecheck } from "gradnote";`);
  // The language worker loads lib and gradnote's declarations in the background: wait until a
  // cell's type error is reported (the first cells may finish before it is ready).
  let checked = false;
  for (let i = 0; i < 400 && !checked; i++) {
    checked = stderr(await run(`const probe${i}: number = "not a number";`)).includes("⚠ type");
    if (!checked) await new Promise((r) => setTimeout(r, 250));
  }
  expect(checked).toBe(true);
}, 180_000);
afterAll(async () => {
  await k?.shutdown();
});

describe("completion from types", () => {
  it("completes nested namespaces (nn.functional.)", async () => {
    const r = await matches("nn.functional.re");
    expect(r.matches).toEqual(expect.arrayContaining(["relu", "relu6"]));
    expect(r.matches.every((m) => m.toLowerCase().startsWith("re"))).toBe(true);
    expect(r.cursor_start).toBe("nn.functional.".length);
  });

  it("completes an options object's keys from its type", async () => {
    await run("const model = new nn.Linear(3, 2);");
    const r = await matches("new optim.Adam(model.parameters(), { l");
    expect(r.matches).toEqual(["lr"]);
    const all = await matches("new optim.Adam(model.parameters(), { ");
    expect(all.matches).toEqual(expect.arrayContaining(["lr", "betas", "eps", "weightDecay", "amsgrad"]));
  });

  it("completes a string-literal union (dtype names) inside the string", async () => {
    const code = `zeros([2], { dtype: "fl`;
    const r = await matches(code);
    expect(r.matches).toEqual(["float32", "float64"]);
    expect(r.cursor_start).toBe(code.length - 2);
  });

  it("lists a tensor's public members only, ranked with the exact prefix first", async () => {
    await run("const t = randn([2, 2]);");
    const all = (await matches("t.")).matches;
    expect(all).toEqual(expect.arrayContaining(["requiresGrad", "grad", "backward", "shape", "matmul"]));
    for (const internal of ["buf", "storage", "_requiresGrad", "setGradFn", "hooks"]) expect(all).not.toContain(internal);
    expect(all.filter((m) => m.startsWith("_"))).toEqual([]);
    const r = await matches("t.re");
    expect(r.matches.slice(0, 3).every((m) => m.startsWith("re"))).toBe(true);
    const types = r.metadata._jupyter_types_experimental as { text: string; type: string }[];
    expect(types.find((e) => e.text === "reshape")?.type).toBe("method");
  });

  it("falls back to runtime values where the type is any", async () => {
    await run("const loose: any = { hello: 1, help: 2 };");
    expect((await matches("loose.hel")).matches).toEqual(["hello", "help"]);
  });

  it("completes names declared by earlier cells, and globals only the runtime knows", async () => {
    await run("const learningRate = 0.1;");
    expect((await matches("learningR")).matches).toContain("learningRate");
    await run("(globalThis as any).zzRuntimeOnly = 1;");
    expect((await matches("zzRuntimeO")).matches).toEqual(["zzRuntimeOnly"]);
    // Typed names first, runtime-only ones after them.
    await run("const zzTyped = 2;");
    expect((await matches("zz")).matches).toEqual(["zzTyped", "zzRuntimeOnly"]);
  });
});

describe("diagnostics", () => {
  it("shows a cell's type errors as a warning on stderr and still runs the cell", async () => {
    const r = await run(`const label: string = 42;\nconsole.log("ran", label);`);
    expect(r.reply.content.status).toBe("ok");
    expect(stdout(r)).toBe("ran 42\n");
    const n = r.reply.content.execution_count;
    expect(stderr(r)).toBe(`⚠ type: Cell In[${n}], line 1: Type 'number' is not assignable to type 'string'.\n`);
    // The warning is the cell's own output, sent before its reply.
    expect(outputs(r, "stream").every((m) => m.parent_header.msg_id === r.reply.parent_header.msg_id)).toBe(true);
  });

  it("warns before a runtime error the type error explains", async () => {
    const r = await run(`const w = randn([2]);\nw.requires_grad`);
    const n = r.reply.content.execution_count;
    expect(r.reply.content.status).toBe("error");
    expect(stderr(r)).toContain(`⚠ type: Cell In[${n}], line 2: Property 'requires_grad' does not exist on type 'Tensor'. Did you mean 'requiresGrad'?`);
    const kinds = r.iopub.map((m) => m.header.msg_type).filter((t) => t === "stream" || t === "error");
    expect(kinds).toEqual(["stream", "error"]);
  });

  it("has no false 'cannot redeclare' when a cell runs again or a name changes type", async () => {
    const cell = `const again = 1;\nlet counter = 0;\nfunction twice(x: number) { return 2 * x; }`;
    expect(stderr(await run(cell))).toBe("");
    expect(stderr(await run(cell))).toBe("");
    expect(stderr(await run(`const again = "now a string";\nagain.toUpperCase()`))).toBe("");
    expect(stderr(await run(`counter = counter + 1;\ntwice(again.length)`))).toBe("");
    expect(stderr(await run(`twice(again)`))).toContain("Argument of type 'string' is not assignable to parameter of type 'number'");
  });

  it('in "error" mode a cell with type errors does not run; "off" is silent', async () => {
    expect(result(await run(`typecheck("error")`))).toBe("'warn'");
    const blocked = await run(`const s1: string = 42;\nconsole.log("ran")`);
    expect(blocked.reply.content.status).toBe("error");
    expect(blocked.reply.content.ename).toBe("TypeCheckError");
    expect(String(blocked.reply.content.evalue)).toContain("line 1: Type 'number' is not assignable to type 'string'");
    expect(stdout(blocked)).toBe("");
    expect(plain((outputs(blocked, "error")[0].content.traceback as string[]).join("\n"))).toContain("did not run");
    // A correct cell runs as usual in error mode.
    expect(stdout(await run(`console.log("fine")`))).toBe("fine\n");

    expect(result(await run(`typecheck("off")`))).toBe("'error'");
    const quiet = await run(`const s2: string = 42;\nconsole.log("ran")`);
    expect(quiet.reply.content.status).toBe("ok");
    expect(stdout(quiet)).toBe("ran\n");
    expect(stderr(quiet)).toBe("");
    await run(`typecheck("warn")`);
  });

  it("takes its mode from GRADNOTE_TYPECHECK; off starts no worker until completion needs one", async () => {
    const off = await launchKernel({ kernelPath: KERNEL_PATH, env: { ...process.env, GRADNOTE_TYPECHECK: "off" } });
    try {
      const r = await off.client.execute(`import { typecheck } from "gradnote";\nconst zzOffMode: number = "no warning";\ntypecheck()`);
      expect(result(r)).toBe("'off'");
      expect(stderr(r)).toBe("");
      // No worker runs while checking is off; completion starts one, which catches up on the cells.
      // (The first requests may be answered from runtime values while the worker loads.)
      let typed = false;
      for (let i = 0; i < 30 && !typed; i++) {
        const c = await off.client.request("complete_request", { code: "zzOff", cursor_pos: 5 });
        expect(c.reply.content.matches).toEqual(["zzOffMode"]);
        typed = "_jupyter_types_experimental" in (c.reply.content.metadata as object);
      }
      expect(typed).toBe(true);
    } finally {
      await off.shutdown();
    }
  }, 150_000);
});

describe("inspect from types", () => {
  it("expands optim.Adam's options with their defaults", async () => {
    const text = await inspect("optim.Adam");
    expect(text).toContain("Signature: new optim.Adam(params: ParamsInput, options?:");
    expect(text).toContain("AdamOptions:");
    expect(text).toMatch(/lr\?: number \(default 0\.001\) — Learning rate/);
    expect(text).toMatch(/betas\?: \[number, number\] \(default \[0\.9, 0\.999\]\)/);
    for (const f of ["eps?: number (default 1e-8)", "weightDecay?: number (default 0)", "amsgrad?: boolean (default false)"]) expect(text).toContain(f);
    expect(text).toContain("Docstring:");
    // With the cursor inside the call's parentheses, the callee is inspected.
    expect(await inspect("new optim.Adam(")).toContain("AdamOptions:");
  });

  it("shows declarations, not compiled JavaScript, at detail level 1", async () => {
    const lib = await inspect("optim.Adam", 1);
    expect(lib).toContain("Declaration:");
    expect(lib).toContain("constructor(params: ParamsInput, options?: AdamOptions | number);");
    expect(lib).not.toMatch(/super\(|this\.\w+ =/);
    await run(`/** Area of a circle. */\nfunction area(r: number): number {\n  return Math.PI * r * r;\n}`);
    const own = await inspect("area", 1);
    expect(own).toContain("Signature: area(r: number): number");
    expect(own).toContain("Area of a circle.");
    expect(own).toContain("function area(r: number): number {");
  });

  it("adds the live value to a variable's type", async () => {
    await run("const small = zeros([2]);");
    const text = await inspect("small");
    expect(text).toContain("Type: Tensor");
    expect(text).toContain("Value: tensor([0., 0.])");
  });
});

function result(r: RequestResult): unknown {
  const m = outputs(r, "execute_result")[0];
  return m ? (m.content.data as Record<string, unknown>)["text/plain"] : undefined;
}
