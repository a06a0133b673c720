// End-to-end: the real kernel process over real ZeroMQ sockets, driven by the project's client.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningKernel } from "../../kernel/client.js";
import { outputs, plain, result, startKernel, stdout, types } from "./helpers.js";

let k: RunningKernel;
let nbDir: string;

beforeAll(async () => {
  // A notebook folder with its own npm package, as a student's project would have.
  nbDir = mkdtempSync(join(tmpdir(), "gradnote-nb-"));
  const pkg = join(nbDir, "node_modules", "leftpad-lite");
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "leftpad-lite", version: "1.0.0", main: "index.js" }));
  writeFileSync(join(pkg, "index.js"), "module.exports = { pad: (s, n) => String(s).padStart(n, '0') };");
  const esm = join(nbDir, "node_modules", "esm-only");
  mkdirSync(esm, { recursive: true });
  writeFileSync(join(esm, "package.json"), JSON.stringify({ name: "esm-only", type: "module", exports: { ".": { import: "./main.js" } } }));
  writeFileSync(join(esm, "main.js"), "export const answer = 42;");
  k = await startKernel({ cwd: nbDir });
});
afterAll(async () => {
  await k?.shutdown();
});

const run = (code: string, opts = {}) => k.client.execute(code, opts);

describe("kernel_info", () => {
  it("answers with language_info and is wrapped in busy/idle", async () => {
    const r = await k.client.request("kernel_info_request", {});
    expect(types(r)).toEqual(["status", "status"]);
    expect(r.iopub.map((m) => m.content.execution_state)).toEqual(["busy", "idle"]);
    const c = r.reply.content;
    expect(c.status).toBe("ok");
    expect(Number(String(c.protocol_version).split(".")[1])).toBeGreaterThanOrEqual(3);
    expect(c.implementation).toBe("gradnote");
    expect(c.language_info).toMatchObject({ name: "typescript", file_extension: ".ts", mimetype: "text/typescript", pygments_lexer: "typescript" });
    expect(Array.isArray(c.help_links)).toBe(true);
    expect(String(c.banner)).toContain("gradnote");
    expect(r.reply.header.version >= "5.3").toBe(true);
  });
});

describe("execute", () => {
  it("sends execute_input, the last expression as execute_result, then the reply", async () => {
    const r = await run("const a: number = 20; a + 22");
    expect(types(r)).toEqual(["status", "execute_input", "execute_result", "status"]);
    expect(result(r)).toBe("42");
    expect(r.reply.content.status).toBe("ok");
    expect(outputs(r, "execute_result")[0].content.execution_count).toBe(r.reply.content.execution_count);
  });

  it("re-running a cell that declares const, let, class and function keeps working", async () => {
    const cell = "const c1 = 1; let l1 = 2; class K1 { v = 3 } function f1() { return 4 }\nc1 + l1 + new K1().v + f1()";
    expect(result(await run(cell))).toBe("10");
    expect(result(await run(cell))).toBe("10");
    expect(result(await run("const c1 = 5; c1"))).toBe("5");
  });

  it("keeps variables, functions and classes across cells", async () => {
    await run("let counter = 0; function bump() { return ++counter; }");
    await run("bump(); bump();");
    expect(result(await run("counter"))).toBe("2");
  });

  it("supports top-level await", async () => {
    const r = await run("const v = await new Promise<number>((r) => setTimeout(() => r(7), 20)); v * 6");
    expect(result(r)).toBe("42");
  });

  it("handles TypeScript syntax: interfaces, enums, namespaces, generics, decorators", async () => {
    const code = [
      "interface Shape { area(): number }",
      "enum Color { Red, Green = 5, Blue }",
      "namespace Geo { export const unit = 2; }",
      "function first<T>(xs: T[]): T { return xs[0]; }",
      "function logged(target: any, key: string) { (globalThis as any).__decorated = key; }",
      "class Sq implements Shape { constructor(private s: number) {} @logged area() { return this.s ** 2; } }",
      "[Color.Blue, Geo.unit, first<string>(['x']), new Sq(3).area(), (globalThis as any).__decorated]",
    ].join("\n");
    expect(result(await run(code))).toBe("[ 6, 2, 'x', 9, 'area' ]");
  });

  it("shows a typed cell's constant last expression, which esbuild folds away", async () => {
    expect(result(await run("const k: number = 2;\n-3.5"))).toBe("-3.5");
    expect(result(await run("let s: string = 'a';\n'a' + 'b'; // folded"))).toBe("'ab'");
    expect(result(await run("type T = number;\nconst n: T = 1;\n!0"))).toBe("true");
    expect(result(await run("const m: number = 1;\n-(\n  3\n)"))).toBe("-3");
    // A cell ending in a declaration still shows nothing.
    expect(types(await run("const q: number = 1;\ninterface Shape {\n  area: number;\n}"))).toEqual(["status", "execute_input", "status"]);
    expect(types(await run("const q2: number = 1;\nfunction f(): number {\n  return -3;\n}"))).toEqual(["status", "execute_input", "status"]);
  });

  it("does not show a value for statements or assignments", async () => {
    expect(types(await run("let z = 1;\nz = 2"))).toEqual(["status", "execute_input", "status"]);
    expect(types(await run("if (true) { 5 }"))).toEqual(["status", "execute_input", "status"]);
  });

  it("renders values like util.inspect, without ANSI colours", async () => {
    expect(result(await run("({ a: 1, b: 'x', c: [1, 2] })"))).toBe("{ a: 1, b: 'x', c: [ 1, 2 ] }");
    expect(result(await run("'text'"))).toBe("'text'");
  });

  it("uses [Symbol.for('Jupyter.display')] for rich output", async () => {
    const r = await run("({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>rich</b>' }; } })");
    const data = outputs(r, "execute_result")[0].content.data as Record<string, string>;
    expect(data["text/html"]).toBe("<b>rich</b>");
    expect(data["text/plain"]).toBeDefined();
  });

  it("drops export keywords instead of failing", async () => {
    expect(result(await run("export const ex1 = 3;\nexport function exf() { return 4 }\nex1 + exf()"))).toBe("7");
  });
});

describe("imports", () => {
  it("imports Node builtins statically and dynamically", async () => {
    expect(result(await run("import path from 'node:path';\nimport * as os from 'os';\npath.join('a', 'b') + typeof os.cpus"))).toBe("'a/bfunction'");
    expect(result(await run("const { sep } = await import('node:path'); sep"))).toBe("'/'");
  });

  it("imports npm packages installed next to the notebook, CommonJS and ESM-only", async () => {
    expect(result(await run("import { pad } from 'leftpad-lite';\npad(7, 3)"))).toBe("'007'");
    expect(result(await run("import { answer } from 'esm-only';\nanswer"))).toBe("42");
  });

  it("resolves 'gradnote' to the bundled runtime with no install step", async () => {
    expect(result(await run("import * as g from 'gradnote';\ntypeof g.version"))).toBe("'string'");
  });

  it("names a missing module and how to install it", async () => {
    const r = await run("import x from 'no-such-pkg-zz';", { stop_on_error: false });
    expect(r.reply.content.status).toBe("error");
    expect(String(r.reply.content.evalue)).toMatch(/no-such-pkg-zz.*npm install no-such-pkg-zz/);
  });
});

describe("training in a cell", () => {
  it("imports nn from gradnote and trains a model to fit XOR", async () => {
    const code = [
      "import { tensor, manualSeed, nn, optim } from 'gradnote';",
      "manualSeed(1);",
      "const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), Y = tensor([[0], [1], [1], [0]]);",
      "const net = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1));",
      "const sgd = new optim.SGD(net.parameters(), { lr: 0.2, momentum: 0.9 });",
      "let last = 0;",
      "for (let i = 0; i < 400; i++) { sgd.zeroGrad(); const l = nn.functional.mseLoss(net.forward(X), Y); l.backward(); sgd.step(); last = l.item(); }",
      "[last < 0.01, net.forward(X).gt(0.5).toArray().flat()]",
    ].join("\n");
    expect(result(await run(code))).toBe("[ true, [ false, true, true, false ] ]");
  });
});

describe("streams", () => {
  it("streams console output in order, stdout and stderr", async () => {
    const r = await run("console.log('one'); console.error('two'); process.stdout.write('three\\n'); console.log({ n: 1 })");
    const streams = outputs(r, "stream").map((m) => [m.content.name, m.content.text]);
    expect(streams.map((s) => s[0])).toContain("stderr");
    expect(stdout(r)).toBe("one\nthree\n{ n: 1 }\n");
    expect(types(r)[types(r).length - 1]).toBe("status");
  });

  it("streams from inside a synchronous loop, before the loop ends", async () => {
    const code = "for (let i = 0; i < 3; i++) { console.log('tick ' + i); const t = Date.now(); while (Date.now() - t < 150) {} }";
    const r = await run(code);
    const ticks = outputs(r, "stream");
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    const times = ticks.map((m) => Date.parse(m.header.date));
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(100);
  });

  it("flushes all output of a cell before its idle", async () => {
    const r = await run("for (let i = 0; i < 200; i++) console.log(i)");
    expect(stdout(r).trim().split("\n").length).toBe(200);
    expect(types(r)[types(r).length - 1]).toBe("status");
  });
});

describe("errors", () => {
  it("reports ename, evalue and a traceback pointing at the cell line; the error is the only output", async () => {
    // `as any`: no type warning (types.test.ts) beside the runtime error.
    const r = await run("const ok = 1;\n\n(null as any).boom;", { stop_on_error: false });
    expect(r.reply.content.status).toBe("error");
    expect(r.reply.content.ename).toBe("TypeError");
    expect(types(r)).toEqual(["status", "execute_input", "error", "status"]);
    const tb = plain((outputs(r, "error")[0].content.traceback as string[]).join("\n"));
    expect(tb).toMatch(/Cell In\[\d+\], line 3/);
  });

  it("maps errors thrown inside functions defined in earlier cells to their own cell and line", async () => {
    const def = await run("// helper\nfunction explode(): never {\n  throw new RangeError('deep');\n}");
    const defCount = def.reply.content.execution_count;
    const r = await run("const before = 1;\nexplode();", { stop_on_error: false });
    const tb = plain((r.reply.content.traceback as string[]).join("\n"));
    expect(r.reply.content.ename).toBe("RangeError");
    expect(tb).toContain(`Cell In[${defCount}], line 3, in explode()`);
    expect(tb).toMatch(new RegExp(`Cell In\\[${r.reply.content.execution_count}\\], line 2`));
  });

  it("reports syntax errors with the cell's line and column", async () => {
    const r = await run("const fine = 1;\nlet x = );", { stop_on_error: false });
    expect(r.reply.content.ename).toBe("SyntaxError");
    expect(String(r.reply.content.evalue)).toMatch(/line 2, column 9/);
  });

  it("reports errors from timers and unhandled rejections into the cell and stays alive", async () => {
    const r = await run("setTimeout(() => { throw new Error('from timer') }, 0);\nPromise.reject(new Error('rejected'));\nawait new Promise((r) => setTimeout(r, 50));", { stop_on_error: false });
    const errs = outputs(r, "error").map((m) => m.content.evalue);
    expect(errs).toEqual(expect.arrayContaining(["from timer", "rejected"]));
    expect(result(await run("1 + 1"))).toBe("2");
  });

  it("aborts queued cells after an error when stop_on_error is set", async () => {
    const [r1, r2, r3] = await Promise.all([run("throw new Error('first')"), run("'second'"), run("'third'")]);
    expect(r1.reply.content.status).toBe("error");
    expect(r2.reply.content.status).toBe("aborted");
    expect(r3.reply.content.status).toBe("aborted");
    expect(result(await run("'after'"))).toBe("'after'");
  });

  it("keeps running queued cells when stop_on_error is false", async () => {
    const [r1, r2] = await Promise.all([run("throw new Error('x')", { stop_on_error: false }), run("'runs'")]);
    expect(r1.reply.content.status).toBe("error");
    expect(result(r2)).toBe("'runs'");
  });
});

describe("execute options", () => {
  it("silent runs without broadcasting output or counting", async () => {
    const before = (await run("1")).reply.content.execution_count as number;
    const r = await run("console.log('hidden'); 5", { silent: true });
    expect(types(r)).toEqual(["status", "status"]);
    const after = (await run("1")).reply.content.execution_count as number;
    expect(after).toBe(before + 1);
  });

  it("evaluates user_expressions", async () => {
    await run("const ue = 21;");
    const r = await run("", { user_expressions: { doubled: "ue * 2", bad: "nope.nope" } });
    const ue = r.reply.content.user_expressions as Record<string, { status: string; data?: Record<string, string> }>;
    expect(ue.doubled.status).toBe("ok");
    expect(ue.doubled.data!["text/plain"]).toBe("42");
    expect(ue.bad.status).toBe("error");
  });

  it("asks for input on stdin, plain and password", async () => {
    const prompts: [string, boolean][] = [];
    k.client.onInput = (prompt, password) => {
      prompts.push([prompt, password]);
      return password ? "secret" : "Ada";
    };
    const r = await run("const nm = await input('Name: ');\nconst pw = await input('Pw: ', { password: true });\nnm + ':' + pw");
    expect(result(r)).toBe("'Ada:secret'");
    expect(prompts).toEqual([["Name: ", false], ["Pw: ", true]]);
  });

  it("refuses input when the front end does not allow stdin", async () => {
    const r = await run("await input('x')", { allow_stdin: false, stop_on_error: false });
    expect(r.reply.content.ename).toBe("StdinNotImplementedError");
  });
});

describe("display", () => {
  it("sends display_data, update_display_data with the same display_id, and clear_output", async () => {
    const r = await run("const h = display('v0', { displayId: 'd1' });\nh.update('v1');\ndisplay.markdown('**m**');\nclearOutput({ wait: true });");
    const d = outputs(r, "display_data");
    expect(d[0].content.transient).toEqual({ display_id: "d1" });
    const u = outputs(r, "update_display_data")[0];
    expect(u.content.transient).toEqual({ display_id: "d1" });
    expect((u.content.data as Record<string, string>)["text/plain"]).toBe("'v1'");
    expect((d[1].content.data as Record<string, string>)["text/markdown"]).toBe("**m**");
    expect(d[1].content.transient).toEqual({});
    expect(outputs(r, "clear_output")[0].content.wait).toBe(true);
  });

  it("display, clearOutput and input imported from gradnote are the kernel's", async () => {
    const r = await run("import { display as d2, clearOutput as c2 } from 'gradnote';\nd2.name; const hh = d2('imported', { displayId: 'imp' }); hh.update('again'); c2();");
    expect((outputs(r, "display_data")[0].content.data as Record<string, string>)["text/plain"]).toBe("'imported'");
    expect(outputs(r, "update_display_data")[0].content.transient).toEqual({ display_id: "imp" });
    expect(outputs(r, "clear_output").length).toBe(1);
  });

  it("offers html, svg, png, json and latex shorthands", async () => {
    const r = await run("display.html('<i>h</i>'); display.svg('<svg/>'); display.png(new Uint8Array([1,2,3])); display.json({ a: 1 }); display.latex('$x$')");
    const keys = outputs(r, "display_data").map((m) => Object.keys(m.content.data as object).find((x) => x !== "text/plain"));
    expect(keys).toEqual(["text/html", "image/svg+xml", "image/png", "application/json", "text/latex"]);
    expect((outputs(r, "display_data")[2].content.data as Record<string, string>)["image/png"]).toBe("AQID");
  });
});

describe("introspection", () => {
  it("completes global names, including earlier let/const", async () => {
    await run("const learningRate = 0.1;");
    const r = await k.client.request("complete_request", { code: "learn", cursor_pos: 5 });
    expect(r.reply.content.matches).toContain("learningRate");
    expect(r.reply.content.cursor_start).toBe(0);
    expect(r.reply.content.cursor_end).toBe(5);
  });

  it("completes members after a dot", async () => {
    await run("const obj = { alpha: 1, beta: 2 };");
    const r = await k.client.request("complete_request", { code: "obj.al", cursor_pos: 6 });
    expect(r.reply.content.matches).toEqual(["alpha"]);
    expect(r.reply.content.cursor_start).toBe(4);
  });

  it("completes module names inside import strings", async () => {
    const code = "import { x } from 'node:fs/pro";
    const r = await k.client.request("complete_request", { code, cursor_pos: code.length });
    expect(r.reply.content.matches).toContain("node:fs/promises");
    const g = await k.client.request("complete_request", { code: "import * as g from 'gradn", cursor_pos: 25 });
    expect(g.reply.content.matches).toContain("gradnote");
  });

  it("counts cursor_pos in Unicode code points", async () => {
    const code = "const s = '😀😀'; obj.be";
    const cp = Array.from(code).length;
    const r = await k.client.request("complete_request", { code, cursor_pos: cp });
    expect(r.reply.content.matches).toEqual(["beta"]);
    expect(r.reply.content.cursor_start).toBe(cp - 2);
    expect(r.reply.content.cursor_end).toBe(cp);
  });

  it("inspects values and functions", async () => {
    await run("function area(w: number, h: number) { return w * h }");
    const f = await k.client.request("inspect_request", { code: "area(", cursor_pos: 5, detail_level: 0 });
    expect(f.reply.content.found).toBe(true);
    expect((f.reply.content.data as Record<string, string>)["text/plain"]).toContain("area(w: number, h: number): number");
    const v = await k.client.request("inspect_request", { code: "obj", cursor_pos: 3, detail_level: 0 });
    expect((v.reply.content.data as Record<string, string>)["text/plain"]).toMatch(/Type: \{ alpha: number[\s\S]*Value: \{ alpha: 1/);
    const none = await k.client.request("inspect_request", { code: "nothingHere", cursor_pos: 5 });
    expect(none.reply.content.found).toBe(false);
  });

  it("shows the signature and TSDoc of runtime API functions", async () => {
    await run("import { nn, matmul } from 'gradnote';");
    const cls = await k.client.request("inspect_request", { code: "new nn.Linear(", cursor_pos: 13, detail_level: 0 });
    const text = (cls.reply.content.data as Record<string, string>)["text/plain"];
    expect(text).toContain("new nn.Linear(inFeatures: number, outFeatures: number");
    expect(text).toMatch(/Docstring:[\s\S]*PyTorch/);
    const fn = await k.client.request("inspect_request", { code: "matmul", cursor_pos: 3, detail_level: 0 });
    expect((fn.reply.content.data as Record<string, string>)["text/plain"]).toContain("matmul(a: Tensor, b: Tensor)");
  });

  it("tells complete, incomplete (with indent) and invalid code apart", async () => {
    const ask = async (code: string) => (await k.client.request("is_complete_request", { code })).reply.content;
    expect((await ask("const x = 1")).status).toBe("complete");
    expect(await ask("for (let i = 0; i < 3; i++) {")).toEqual({ status: "incomplete", indent: "  " });
    expect((await ask("f(1,")).status).toBe("incomplete");
    expect((await ask("let = = 2;")).status).toBe("invalid");
  });

  it("answers history requests: tail, range and search", async () => {
    await run("const historyMarker = 'hm';");
    const tail = (await k.client.request("history_request", { hist_access_type: "tail", n: 3, output: false, raw: true })).reply.content;
    const entries = tail.history as [number, number, string][];
    expect(entries.length).toBe(3);
    expect(entries[entries.length - 1][2]).toBe("const historyMarker = 'hm';");
    const search = (await k.client.request("history_request", { hist_access_type: "search", pattern: "*historyMarker*", output: false, raw: true })).reply.content;
    expect((search.history as unknown[]).length).toBe(1);
    const range = (await k.client.request("history_request", { hist_access_type: "range", session: 0, start: 1, stop: 3, output: false, raw: true })).reply.content;
    expect((range.history as [number, number, string][]).map((e) => e[1])).toEqual([1, 2]);
  });
});

describe("comms and bad requests", () => {
  it("answers comm_info and closes comms to unknown targets", async () => {
    const info = await k.client.request("comm_info_request", {});
    expect(info.reply.content).toEqual({ status: "ok", comms: {} });
    const p = k.client.request("comm_open", { comm_id: "c-1", target_name: "nope", data: {} });
    await new Promise((r) => setTimeout(r, 300));
    const close = k.client.allIopub.find((m) => m.header.msg_type === "comm_close" && m.content.comm_id === "c-1");
    expect(close).toBeDefined();
    void p.catch(() => undefined);
  });

  it("answers unknown message types and malformed content with an error reply naming the problem", async () => {
    const u = await k.client.request("frobnicate_request", {});
    expect(u.reply.header.msg_type).toBe("frobnicate_reply");
    expect(u.reply.content.status).toBe("error");
    const bad = await k.client.request("execute_request", { code: 5 });
    expect(bad.reply.content.status).toBe("error");
    expect(String(bad.reply.content.evalue)).toContain("content.code must be a string");
    expect(result(await run("'still alive'"))).toBe("'still alive'");
  });
});
