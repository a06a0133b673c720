/**
 * IPython-style help through the real kernel: `x?`, `x??`, `?x`, a help line after code, and
 * the help(x) global all answer with a pager payload in execute_reply; the help line itself is
 * never run as code, and a name nothing is known about is reported as IPython does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestResult, RunningKernel } from "../../kernel/client.js";
import { result, startKernel, stdout, types } from "./helpers.js";

let k: RunningKernel;
beforeAll(async () => {
  k = await startKernel();
});
afterAll(async () => {
  await k?.shutdown();
});

const run = (code: string) => k.client.execute(code);

/** The pager payloads of an execute_reply. */
function pages(r: RequestResult): { source: string; data: Record<string, unknown>; start: number }[] {
  expect(r.reply.content.status, JSON.stringify(r.reply.content)).toBe("ok");
  return r.reply.content.payload as never;
}
const pageText = (r: RequestResult) => pages(r).map((p) => String(p.data["text/plain"])).join("\n");

describe("x? and x??", () => {
  it("x? pages the help of x with nothing run and nothing shown below the cell", async () => {
    const r = await run("Math.max?");
    expect(pages(r)).toHaveLength(1);
    expect(pages(r)[0]).toMatchObject({ source: "page", start: 0 });
    expect(pageText(r)).toMatch(/max/);
    expect(types(r)).toEqual(["status", "execute_input", "status"]);
  });

  it("x?, ?x, x?? and ??x all page; the double forms ask for detail level 1 (the full value)", async () => {
    await run("function helpDemo(a: number, b: number) { return a * b; }");
    for (const code of ["helpDemo?", "?helpDemo", "helpDemo??", "??helpDemo"]) expect(pageText(await run(code)), code).toMatch(/helpDemo/);
    // Detail 0 cuts a long value's summary at 1000 characters; detail 1 shows all of it.
    await run('const bigHelp = "y".repeat(3000)');
    for (const code of ["bigHelp?", "?bigHelp"]) expect(pageText(await run(code)), code).not.toContain("y".repeat(3000));
    for (const code of ["bigHelp??", "??bigHelp"]) expect(pageText(await run(code)), code).toContain("y".repeat(3000));
  });

  it("a help line after code runs the code first, shows no value, then pages the help", async () => {
    const r = await run("const helpTarget = [1, 2, 3];\nhelpTarget.length\nhelpTarget?");
    expect(result(r)).toBeUndefined();
    expect(pageText(r)).toMatch(/1, 2, 3|Array/);
    expect(result(await run("helpTarget.length"))).toBe("3");
  });

  it("dotted names, spaces and a trailing semicolon are accepted", async () => {
    expect(pageText(await run("  JSON . stringify ?  "))).toMatch(/stringify/);
    expect(pageText(await run("Math.min?;"))).toMatch(/min/);
  });

  it("an unknown name prints IPython's note and pages nothing", async () => {
    const r = await run("noSuchNameAnywhere?");
    expect(pages(r)).toEqual([]);
    expect(stdout(r)).toBe("Object `noSuchNameAnywhere` not found.\n");
  });

  it("an error before the help line fails the cell as usual, without help", async () => {
    const r = await run('throw new Error("before help")\nMath.max?');
    expect(r.reply.content.status).toBe("error");
    expect(r.reply.content.evalue).toBe("before help");
  });

  it("`a\\n??b` that is valid TypeScript (nullish coalescing) runs as code", async () => {
    const r = await run("const maybeNull: number | null = null;\nmaybeNull\n??41");
    expect(result(r)).toBe("41");
    expect(pages(r)).toEqual([]);
  });

  it("is_complete: a help line is complete, and incomplete code before it stays incomplete", async () => {
    const ask = async (code: string) => (await k.client.request("is_complete_request", { code })).reply.content.status;
    expect(await ask("Math.max?")).toBe("complete");
    expect(await ask("x??")).toBe("complete");
    expect(await ask("function f() {\nMath.max?")).toBe("incomplete");
  });
});

describe("help(x)", () => {
  it("help(name) pages the same help as name?", async () => {
    const r = await run("help(Math.max)");
    expect(pageText(r)).toMatch(/max/);
    expect(types(r)).toEqual(["status", "execute_input", "status"]);
    const big = pageText(await run("help(bigHelp)"));
    expect(big).toMatch(/yyy/);
    expect(big).not.toContain("y".repeat(3000));
  });

  it("help(value) pages the value's help even when it is not a plain name", async () => {
    const r = await run("help([10, 20, 30].map((x) => x + 1))");
    expect(pageText(r)).toMatch(/11, 21, 31|Array/);
  });

  it("help() explains how to get help; help is a kernel global", async () => {
    expect(pageText(await run("help()"))).toMatch(/name\?/);
    expect(result(await run("typeof help"))).toBe("'function'");
  });

  it("several help calls in one cell page in order", async () => {
    const p = pages(await run("help(Math.max); help(JSON.parse)"));
    expect(p).toHaveLength(2);
  });
});
