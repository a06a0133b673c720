/**
 * The closed wire: every reply of every request type gradnote answers (ok, error and aborted
 * forms, failed main-thread requests, malformed content) and every iopub message it sends are
 * checked against the Jupyter messaging spec 5.3 (wire-schema.ts), through the real kernel.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchKernel, type RequestResult, type RunningKernel } from "../../kernel/client.js";
import { KERNEL_PATH, sleep, types } from "./helpers.js";
import { IOPUB_SCHEMAS, REPLY_SCHEMAS, validateMessage, type Received } from "./wire-schema.js";

/** Fails with every problem of the reply and of each iopub message of a request. */
function expectValid(r: RequestResult, replyType: string): RequestResult {
  expect(r.reply.header.msg_type).toBe(replyType);
  expect(r.reply.parent_header.msg_type).toBe(replyType.replace(/_reply$/, "_request"));
  const problems = [
    ...validateMessage(r.reply, "reply").map((e) => `reply: ${e}`),
    ...r.iopub.flatMap((m, i) => validateMessage(m, "iopub").map((e) => `iopub[${i}] ${m.header.msg_type}: ${e}`)),
    ...r.iopub.filter((m) => m.parent_header.msg_id !== r.reply.parent_header.msg_id).map((m) => `iopub ${m.header.msg_type}: another request's parent`),
  ];
  expect(problems, JSON.stringify(r.reply.content)).toEqual([]);
  return r;
}

/** Every msg_type seen, so the suite can tell that each kind was validated at least once. */
const seen = new Set<string>();
const note = (r: RequestResult) => {
  seen.add(`${r.reply.header.msg_type}:${String(r.reply.content.status)}`);
  for (const m of r.iopub) seen.add(m.header.msg_type);
  return r;
};

describe("the validator itself", () => {
  const ok = (content: Record<string, unknown>, msg_type: string, channel: "reply" | "iopub" = "reply") => {
    const header = { msg_id: "a", session: "s", username: "u", date: new Date().toISOString(), msg_type, version: "5.3" };
    return validateMessage({ header, parent_header: {}, metadata: {}, content } satisfies Received, channel);
  };

  it("accepts spec-shaped contents and names what is wrong in others", () => {
    expect(ok({ status: "ok", matches: ["a"], cursor_start: 0, cursor_end: 1, metadata: {} }, "complete_reply")).toEqual([]);
    expect(ok({ status: "error", ename: "E", evalue: "v", traceback: [] }, "inspect_reply")).toEqual([]);
    // The camelCase fields that once reached complete/inspect replies from an execute-shaped error.
    expect(ok({ status: "error", ename: "E", evalue: "v", traceback: [], executionCount: 0, userExpressions: {} }, "complete_reply")).toEqual([
      "complete_reply.content.executionCount: unexpected field (camelCase)",
      "complete_reply.content.userExpressions: unexpected field (camelCase)",
    ]);
    expect(ok({ status: "error", ename: "E", evalue: "v", traceback: [] }, "execute_reply")).toContain("execute_reply.content.execution_count: missing");
    expect(ok({ status: "error", ename: "E", evalue: "v", traceback: [] }, "is_complete_reply").length).toBeGreaterThan(0);
    expect(ok({ status: "incomplete" }, "is_complete_reply")).toEqual(["is_complete_reply.content.indent: missing"]);
    expect(ok({ name: "stdout", text: 5 }, "stream", "iopub")).toEqual(["stream.content.text: expected a string, got number"]);
    expect(ok({ data: { notamime: 1 }, metadata: {} }, "display_data", "iopub")).toEqual(["display_data.content.data.notamime: not a MIME type"]);
    expect(ok({ execution_state: "busy" }, "frobnicate", "iopub")[0]).toMatch(/not a iopub message/);
  });
});

describe("every reply and iopub message of the real kernel", () => {
  let k: RunningKernel;
  beforeAll(async () => {
    k = await launchKernel({ kernelPath: KERNEL_PATH });
  });
  afterAll(async () => {
    await k?.shutdown();
  });
  const req = (type: string, content: Record<string, unknown>, channel: "shell" | "control" = "shell") => k.client.request(type, content, channel);
  const run = (code: string, opts: Record<string, unknown> = {}) => k.client.execute(code, opts);

  it("kernel_info_reply, on shell and on control", async () => {
    note(expectValid(await req("kernel_info_request", {}), "kernel_info_reply"));
    note(expectValid(await req("kernel_info_request", {}, "control"), "kernel_info_reply"));
  });

  it("execute: ok with each kind of output, user expressions, the pager, and errors", async () => {
    const cells = [
      'console.log("out"); console.error("err"); 40 + 2',
      'display.html("<b>x</b>"); display({ a: 1 }); display.markdown("# t", { displayId: "d1" })',
      'const h = display("first", { displayId: true }); h.update("second"); clearOutput({ wait: true }); display.png("iVBORw0KGgo=")',
      'throw new TypeError("bad")',
      "const = 1",
      "Math.max?",
      "Math.max??",
      "nothingByThisName?",
      'help(Math.min); "shown"',
    ];
    for (const code of cells) note(expectValid(await run(code), "execute_reply"));
    const ue = note(expectValid(await run("1", { user_expressions: { good: "6 * 7", bad: "(() => { throw new Error('x') })()" } }), "execute_reply"));
    expect(Object.keys(ue.reply.content.user_expressions as object).sort()).toEqual(["bad", "good"]);
    const silent = note(expectValid(await run("99", { silent: true }), "execute_reply"));
    expect(types(silent)).toEqual(["status", "status"]);
  });

  it("execute: requests queued behind an error are aborted", async () => {
    const [r1, r2] = await Promise.all([run("throw new Error('first')"), run("2")]);
    note(expectValid(r1, "execute_reply"));
    note(expectValid(r2, "execute_reply"));
    expect(r2.reply.content.status).toBe("aborted");
  });

  it("complete, inspect, is_complete (each status), history (each access type), comm_info", async () => {
    note(expectValid(await req("complete_request", { code: "Math.ma", cursor_pos: 7 }), "complete_reply"));
    note(expectValid(await req("complete_request", { code: "", cursor_pos: 0 }), "complete_reply"));
    for (const detail_level of [0, 1]) note(expectValid(await req("inspect_request", { code: "Math.max", cursor_pos: 8, detail_level }), "inspect_reply"));
    note(expectValid(await req("inspect_request", { code: "nothingByThisName", cursor_pos: 5, detail_level: 0 }), "inspect_reply"));
    for (const code of ["1 + 1", "function f() {", "let 3x", "Math.max?"]) note(expectValid(await req("is_complete_request", { code }), "is_complete_reply"));
    for (const output of [false, true]) {
      note(expectValid(await req("history_request", { hist_access_type: "tail", n: 3, output, raw: true }), "history_reply"));
      note(expectValid(await req("history_request", { hist_access_type: "range", session: 0, start: 1, stop: 4, output, raw: true }), "history_reply"));
      note(expectValid(await req("history_request", { hist_access_type: "search", pattern: "*Math*", output, raw: true }), "history_reply"));
    }
    note(expectValid(await req("comm_info_request", {}), "comm_info_reply"));
    note(expectValid(await req("comm_info_request", { target_name: "x" }), "comm_info_reply"));
  });

  it("comm_open to an unknown target is closed with a valid comm_close", async () => {
    void k.client.request("comm_open", { comm_id: "wire-c1", target_name: "nope", data: {} }).catch(() => undefined);
    await sleep(300);
    const close = k.client.allIopub.find((m) => m.header.msg_type === "comm_close" && m.content.comm_id === "wire-c1");
    expect(close).toBeDefined();
    expect(validateMessage(close!, "iopub")).toEqual([]);
    seen.add("comm_close");
  });

  it("interrupt_reply, on control, while a cell runs", async () => {
    const running = run("while (true) {}");
    await sleep(300);
    note(expectValid(await req("interrupt_request", {}, "control"), "interrupt_reply"));
    const r = note(expectValid(await running, "execute_reply"));
    expect(r.reply.content.ename).toBe("KeyboardInterrupt");
  });

  it("malformed content gets that request's own error shape", async () => {
    const bad: [string, Record<string, unknown>, string][] = [
      ["execute_request", { code: 5 }, "error"],
      ["complete_request", { code: "x", cursor_pos: "end" }, "error"],
      ["inspect_request", { cursor_pos: 0 }, "error"],
      ["is_complete_request", { code: 7 }, "unknown"],
      ["history_request", { hist_access_type: "sideways", output: false, raw: true }, "error"],
      ["shutdown_request", { restart: "please" }, "error"],
    ];
    for (const [type, content, status] of bad) {
      const r = note(expectValid(await req(type, content, type === "shutdown_request" ? "control" : "shell"), type.replace(/_request$/, "_reply")));
      expect(r.reply.content.status, type).toBe(status);
      if (status === "error") expect(String(r.reply.content.evalue), type).toMatch(/content\.\w+ must be|hist_access_type/);
    }
    expect((await run('"still up"')).reply.content.status).toBe("ok");
  });

  it("an execute whose result cannot cross to the protocol thread is answered in execute's shape", async () => {
    // A user expression whose MIME bundle holds a function: posting main's result fails.
    await run("const fnBundle = { [Symbol.for('Jupyter.display')]() { return { 'text/plain': 'x', 'application/x-fn': () => 1 } } }");
    const r = note(expectValid(await run("1", { user_expressions: { f: "fnBundle" } }), "execute_reply"));
    expect(r.reply.content).toMatchObject({ status: "error", ename: "InternalError" });
    expect(types(r)).toContain("error");
    expect((await run("2 + 2")).reply.content.status).toBe("ok");
  });

  it("every iopub message the kernel sent in this suite is valid", () => {
    const problems = k.client.allIopub.flatMap((m) => validateMessage(m, "iopub").map((e) => `${m.header.msg_type}: ${e}`));
    expect(problems).toEqual([]);
    for (const t of Object.keys(IOPUB_SCHEMAS)) expect(seen.has(t) || k.client.allIopub.some((m) => m.header.msg_type === t), t).toBe(true);
  });

  it("shutdown_reply with restart true", async () => {
    const r = note(expectValid(await req("shutdown_request", { restart: true }, "control"), "shutdown_reply"));
    expect(r.reply.content.restart).toBe(true);
  });
});

describe("main-thread requests that fail", () => {
  let k: RunningKernel;
  beforeAll(async () => {
    k = await launchKernel({ kernelPath: KERNEL_PATH, env: { ...process.env, GRADNOTE_TEST_FAIL: "execute,complete,inspect,is_complete" } });
  });
  afterAll(async () => {
    await k?.shutdown();
  });

  it("answer each in its own reply's shape, with no execute fields in the others", async () => {
    const ex = note(expectValid(await k.client.execute("1 + 1"), "execute_reply"));
    expect(ex.reply.content).toMatchObject({ status: "error", ename: "InternalError", execution_count: 1 });
    expect(types(ex)).toEqual(["status", "execute_input", "error", "status"]);
    const c = note(expectValid(await k.client.request("complete_request", { code: "Math.m", cursor_pos: 6 }), "complete_reply"));
    expect(Object.keys(c.reply.content).sort()).toEqual(["ename", "evalue", "status", "traceback"]);
    const i = note(expectValid(await k.client.request("inspect_request", { code: "Math", cursor_pos: 4, detail_level: 0 }), "inspect_reply"));
    expect(Object.keys(i.reply.content).sort()).toEqual(["ename", "evalue", "status", "traceback"]);
    const ic = note(expectValid(await k.client.request("is_complete_request", { code: "1" }), "is_complete_reply"));
    expect(ic.reply.content).toEqual({ status: "unknown" });
  });

  it("shutdown_reply with restart false", async () => {
    const r = note(expectValid(await k.client.request("shutdown_request", { restart: false }, "control"), "shutdown_reply"));
    expect(r.reply.content.restart).toBe(false);
  });

  it("covered every reply type, in its ok and error forms where it has them", () => {
    for (const t of Object.keys(REPLY_SCHEMAS)) expect([...seen].some((s) => s.startsWith(`${t}:`)), t).toBe(true);
    for (const s of ["execute_reply:ok", "execute_reply:error", "execute_reply:aborted", "complete_reply:error", "inspect_reply:error", "history_reply:error", "shutdown_reply:error", "is_complete_reply:unknown"]) {
      expect(seen.has(s), s).toBe(true);
    }
  });
});
