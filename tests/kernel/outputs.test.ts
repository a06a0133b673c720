// CellOutputs (kernel/outputs.ts) fed synthetic iopub messages: the outputs a front end would
// show, the per-cell byte cap and its note, display ids across cells, clear_output, untrusted
// content, and the byte sizes `--max-output` accepts. Real-kernel runs are in runner-output.test.ts.
import { describe, expect, it } from "vitest";
import { CellOutputs, DisplayIds, formatBytes, parseByteSize, plainSummary, splitLines, type IopubMessage } from "../../kernel/outputs.js";

const msg = (msg_type: string, content: Record<string, unknown>): IopubMessage => ({ header: { msg_type }, content });
const out = (name: string, text: string) => msg("stream", { name, text });
const display = (text: string, id?: string) => msg("display_data", { data: { "text/plain": text }, metadata: {}, transient: id ? { display_id: id } : {} });
const update = (text: string, id: string) => msg("update_display_data", { data: { "text/plain": text }, metadata: {}, transient: { display_id: id } });
const error = (evalue: string, traceback: string[] = []) => msg("error", { ename: "Error", evalue, traceback });

function run(messages: IopubMessage[], opts: ConstructorParameters<typeof CellOutputs>[0] = {}) {
  const cell = new CellOutputs(opts);
  for (const m of messages) cell.apply(m);
  return cell;
}

const note = (cell: CellOutputs) => cell.finish().filter((o) => o.output_type === "stream" && o.text.join("").startsWith("[gradnote: output cut"));

describe("CellOutputs", () => {
  it("merges neighbouring stream messages of one name into nbformat's list of lines", () => {
    const outputs = run([out("stdout", "a\nb"), out("stdout", "c\n"), out("stderr", "warn\n"), out("stdout", "d")]).finish();
    expect(outputs).toEqual([
      { output_type: "stream", name: "stdout", text: ["a\n", "bc\n"] },
      { output_type: "stream", name: "stderr", text: ["warn\n"] },
      { output_type: "stream", name: "stdout", text: ["d"] },
    ]);
  });

  it("keeps execute_result with its count and ignores status and execute_input", () => {
    const outputs = run([
      msg("status", { execution_state: "busy" }),
      msg("execute_input", { code: "1", execution_count: 3 }),
      msg("execute_result", { execution_count: 3, data: { "text/plain": "1" }, metadata: {} }),
    ]).finish();
    expect(outputs).toEqual([{ output_type: "execute_result", execution_count: 3, data: { "text/plain": "1" }, metadata: {} }]);
  });

  it("applies 200,000 stream messages in linear time, every line kept in order", () => {
    const cell = new CellOutputs({ maxOutputBytes: 1e9 });
    for (let i = 0; i < 200_000; i++) cell.apply(out("stdout", `line ${i}\n`));
    const [stream] = cell.finish();
    expect(stream.output_type === "stream" && stream.text.length).toBe(200_000);
    expect(stream.output_type === "stream" && stream.text[199_999]).toBe("line 199999\n");
    expect(cell.droppedBytes).toBe(0);
  });

  it("cuts a stream exactly at the cap, drops and counts everything after, with one note", () => {
    const line = "0123456789abcdefghi\n"; // 20 bytes
    const cell = run([...Array.from({ length: 10 }, () => out("stdout", line)), display("dropped too"), out("stdout", line)], { maxOutputBytes: 110 });
    const outputs = cell.finish();
    expect(outputs[0]).toEqual({ output_type: "stream", name: "stdout", text: [...Array(5).fill(line), "0123456789"] });
    expect(cell.keptBytes).toBe(110);
    // The rest of the 6th line, 4 more lines, the display bundle (key + value), one more line.
    const dropped = 10 + 4 * 20 + ("text/plain".length + "dropped too".length) + 20;
    expect(cell.droppedBytes).toBe(dropped);
    expect(outputs).toHaveLength(2);
    expect(outputs[1]).toEqual({ output_type: "stream", name: "stderr", text: [`[gradnote: output cut after 110 bytes; ${dropped} more bytes were not kept (--max-output)]\n`] });
  });

  it("keeps a prefix of a line longer than the cap, never splitting a UTF-8 character", () => {
    expect(run([out("stdout", "x".repeat(250))], { maxOutputBytes: 100 }).finish()[0]).toEqual({ output_type: "stream", name: "stdout", text: ["x".repeat(100)] });
    const cell = run([out("stdout", "é".repeat(100))], { maxOutputBytes: 51 });
    expect(cell.finish()[0]).toEqual({ output_type: "stream", name: "stdout", text: ["é".repeat(25)] });
    expect(cell.droppedBytes).toBe(150);
  });

  it("formats the note with thousands separators and binary units", () => {
    const cell = new CellOutputs({ maxOutputBytes: 1024 * 1024 });
    for (let i = 0; i < 3; i++) cell.apply(out("stdout", "y".repeat(1024 * 1024)));
    expect(note(cell)[0]).toMatchObject({ text: ["[gradnote: output cut after 1.0 MiB; 2,097,152 more bytes were not kept (--max-output)]\n"] });
    expect(formatBytes(64 * 1024)).toBe("64.0 KiB");
  });

  it("starts the note on its own line after a cut stderr line", () => {
    const outputs = run([out("stderr", "abcdefghij")], { maxOutputBytes: 4 }).finish();
    expect(outputs.map((o) => o.output_type === "stream" && o.text.join(""))).toEqual(["abcd", "\n[gradnote: output cut after 4 bytes; 6 more bytes were not kept (--max-output)]\n"]);
  });

  it("updates a display shown in an earlier cell from a later one", () => {
    const displays = new DisplayIds();
    const first = run([display("v1", "d"), display("other")], { displays });
    const a = first.finish();
    const b = run([update("v2", "d")], { displays }).finish();
    expect(a.map((o) => o.output_type === "display_data" && o.data["text/plain"])).toEqual(["v2", "other"]);
    expect(b).toEqual([]);
  });

  it("drops an update that would take its cell past the cap, with the note in that cell", () => {
    const displays = new DisplayIds();
    const first = run([display("small", "d")], { displays, maxOutputBytes: 30 });
    const a = first.finish();
    run([update("x".repeat(100), "d")], { displays, maxOutputBytes: 1e6 }).finish();
    expect(a[0]).toMatchObject({ data: { "text/plain": "small" } });
    expect(first.droppedBytes).toBe("text/plain".length + 100);
    expect(note(first)).toHaveLength(1);
  });

  it("clear_output empties the cell now, or with wait at the next output, and frees the cap", () => {
    expect(run([out("stdout", "a\n"), msg("clear_output", { wait: false })]).finish()).toEqual([]);
    const waiting = run([out("stdout", "a\n"), msg("clear_output", { wait: true })]);
    expect(waiting.finish()).toEqual([{ output_type: "stream", name: "stdout", text: ["a\n"] }]);
    const cell = run([out("stdout", "x".repeat(50)), msg("clear_output", { wait: true }), out("stdout", "ok\n")], { maxOutputBytes: 10 });
    expect(cell.finish()).toEqual([{ output_type: "stream", name: "stdout", text: ["ok\n"] }]);
    expect(cell.droppedBytes).toBe(0);
  });

  it("a cleared display is no longer updated", () => {
    const displays = new DisplayIds();
    const cell = run([display("old", "d"), msg("clear_output", { wait: false }), display("new", "d"), update("newer", "d")], { displays });
    expect(cell.finish()).toEqual([{ output_type: "display_data", data: { "text/plain": "newer" }, metadata: {} }]);
  });

  it("keeps errors past the cap, shortened, and only the first few and the newest of a flood", () => {
    const cell = new CellOutputs({ maxOutputBytes: 10 });
    cell.apply(out("stdout", "z".repeat(20)));
    cell.apply(error("m".repeat(100_000), Array.from({ length: 10_000 }, (_, i) => `at frame ${i} ${"f".repeat(50)}`)));
    for (let i = 0; i < 1000; i++) cell.apply(error(`flood ${i}`));
    const errors = cell.finish().filter((o) => o.output_type === "error");
    expect(errors).toHaveLength(8);
    const big = errors[0];
    expect(big.output_type === "error" && big.evalue.length).toBeLessThan(17_000);
    expect(big.output_type === "error" && big.traceback.join("").length).toBeLessThan(50_000);
    expect(big.output_type === "error" && big.traceback.at(-1)).toMatch(/more traceback lines not kept/);
    expect(errors.at(-1)).toMatchObject({ evalue: "flood 999" });
    expect(note(cell)).toHaveLength(1);
  });

  it("counts the bytes a kernel reports it did not send (gradnote_not_sent) in the note", () => {
    const cell = run([out("stdout", "abcd"), msg("stream", { name: "stderr", text: "", gradnote_not_sent: 1_000_000 }), msg("stream", { name: "stdout", text: "", gradnote_not_sent: -5 })], { maxOutputBytes: 4 });
    const outputs = cell.finish();
    expect(outputs[0]).toEqual({ output_type: "stream", name: "stdout", text: ["abcd"] });
    expect(cell.droppedBytes).toBe(1_000_000);
    expect(note(cell)[0]).toMatchObject({ text: ["[gradnote: output cut after 4 bytes; 1,000,000 more bytes were not kept (--max-output)]\n"] });
  });

  it("survives malformed content from an untrusted kernel", () => {
    const outputs = run([
      msg("stream", { name: "evil", text: 42 }),
      msg("display_data", { data: null, metadata: "x", transient: 5 }),
      msg("execute_result", { data: [1, 2], execution_count: "3" }),
      msg("update_display_data", { data: {}, transient: { display_id: 7 } }),
      msg("error", { ename: null, traceback: "nope" }),
    ]).finish();
    expect(outputs).toEqual([
      { output_type: "stream", name: "stdout", text: ["42"] },
      { output_type: "display_data", data: {}, metadata: {} },
      { output_type: "execute_result", data: {}, metadata: {}, execution_count: null },
      { output_type: "error", ename: "Error", evalue: "", traceback: [] },
    ]);
  });

  it("refuses output after finish()", () => {
    const cell = new CellOutputs();
    cell.finish();
    expect(() => cell.apply(out("stdout", "late"))).toThrow(/finished/);
  });
});

describe("parseByteSize", () => {
  it("reads plain, binary and decimal sizes", () => {
    expect(parseByteSize("65536")).toBe(65536);
    expect(parseByteSize("64k")).toBe(65536);
    expect(parseByteSize("64KiB")).toBe(65536);
    expect(parseByteSize("1M")).toBe(1048576);
    expect(parseByteSize("2MiB")).toBe(2 * 1048576);
    expect(parseByteSize("10MB")).toBe(10_000_000);
    expect(parseByteSize("1.5k")).toBe(1536);
    expect(parseByteSize("0")).toBe(0);
  });

  it("names the option when the value is not a size", () => {
    for (const bad of ["abc", "-1", "1X", "", "1e6"]) expect(() => parseByteSize(bad, "--max-output")).toThrow(/^--max-output: expected a number of bytes/);
  });
});

describe("plainSummary and splitLines", () => {
  it("prints streams, errors and rich outputs as text", () => {
    const outputs = run([out("stdout", "hi\n"), msg("display_data", { data: { "text/plain": "Fig", "text/html": "<b/>" }, metadata: {} }), error("bad")]).finish();
    expect(plainSummary(outputs)).toBe("hi\nFig [text/html]\nError: bad\n");
    expect(plainSummary(run([out("stdout", "abcdef")], { maxOutputBytes: 3 }).finish())).toBe("abc\n[gradnote: output cut after 3 bytes; 3 more bytes were not kept (--max-output)]\n");
  });

  it("splits like nbformat: each line keeps its newline, a last partial line stays", () => {
    expect(splitLines("a\n\nb")).toEqual(["a\n", "\n", "b"]);
    expect(splitLines("")).toEqual([]);
  });
});
