/**
 * Keeps the grading docs honest: every `gradnote CMD --option` in docs/grading.md and in the
 * README's "Grading a class" section is in that command's usage as the real CLI prints it, and
 * the Kubernetes and Slurm recipes, run by bash with a stand-in `gradnote`, give each array task a
 * --shard that parseShard accepts (1..N once each), its own output folder, and one the merge reads;
 * a pod of the Kubernetes Job succeeds when gradnote grade exits 0 or 3 and fails when it exits 1.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseShard } from "../../kernel/grade/batch.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (p: string) => readFileSync(ROOT + p, "utf8");

const DOCS = read("docs/grading.md");
const README = read("README.md");
const README_GRADING = (() => {
  const start = README.indexOf("\n## Grading a class\n");
  if (start < 0) return "";
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
})();
const SOURCES: [string, string][] = [["docs/grading.md", DOCS], ["README.md (Grading a class)", README_GRADING]];

const usages = new Map<string, string>();
/** `gradnote CMD --help` as the built CLI prints it (exit status 0 is part of the check). */
function usage(cmd: string): string {
  if (!usages.has(cmd)) usages.set(cmd, execFileSync(process.execPath, [ROOT + "bin/gradnote.mjs", cmd, "--help"], { encoding: "utf8" }));
  return usages.get(cmd)!;
}
const hasCommand = (cmd: string) => usage(cmd).split("\n").some((l) => l.trim().startsWith(`gradnote ${cmd} `));
const hasOption = (cmd: string, opt: string) => new RegExp(`[\\s\\[]${opt}(?=[\\s\\]=]|$)`, "m").test(usage(cmd));

/** Fenced blocks of a markdown text: language and lines. */
function fences(md: string): { lang: string; body: string }[] {
  return [...md.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], body: m[2] }));
}

/** Command-like text: fenced lines (backslash continuations joined) and inline code spans. */
function codeTexts(md: string): { text: string; inline: boolean }[] {
  const out: { text: string; inline: boolean }[] = [];
  for (const f of fences(md)) for (const line of f.body.replace(/\\\n\s*/g, " ").split("\n")) out.push({ text: line, inline: false });
  const prose = md.replace(/^```\w*\n[\s\S]*?^```$/gm, "");
  for (const m of prose.matchAll(/``(.+?)``|`([^`\n]+)`/g)) out.push({ text: m[1] ?? m[2], inline: true });
  return out;
}

/** Every `gradnote CMD ...` in code, with the options written after it (up to a comment or `;`). */
function mentions(md: string): { cmd: string; options: string[]; text: string }[] {
  const out: { cmd: string; options: string[]; text: string }[] = [];
  for (const { text } of codeTexts(md)) {
    for (const m of text.matchAll(/\bgradnote ([a-z]+)\b([^#;|&]*)/g)) {
      out.push({ cmd: m[1], options: [...m[2].matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((o) => o[1]), text: m[0] });
    }
  }
  return out;
}

/** Runs a recipe's shell text with `gradnote` replaced by a function that prints its arguments. */
function gradnoteArgs(script: string, env: Record<string, string>): string[][] {
  const stub = 'gradnote() { printf "%s\\0" "$@"; printf "\\n"; }; cd() { :; }\n';
  const out = execFileSync("bash", ["-c", stub + script], { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } });
  return out.split("\n").filter(Boolean).map((l) => l.split("\0").filter((_, i, a) => i < a.length - 1));
}

const after = (args: string[], opt: string) => {
  const i = args.indexOf(opt);
  return i >= 0 ? args[i + 1] : undefined;
};

/** Globs of the merge commands in the docs, as regular expressions. */
const mergeGlobs = mentions(DOCS).filter((m) => m.cmd === "gradebook" && /gradebook merge/.test(m.text))
  .flatMap((m) => m.text.replace(/--output-dir\s+\S+/, "").split(/\s+/).filter((w) => w.includes("*")))
  .map((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`));

/** Checks the shard of every task: parseShard accepts it, 1..N once each, own folders the merge reads. */
function checkShards(runs: { args: string[] }[], n: number): void {
  expect(runs).toHaveLength(n);
  const shards = runs.map(({ args }) => {
    const text = after(args, "--shard");
    expect(text, `--shard in ${args.join(" ")}`).toBeDefined();
    return parseShard(text!);
  });
  expect(shards.map((s) => s.count)).toEqual(Array(n).fill(n));
  expect(shards.map((s) => s.index).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  const dirs = runs.map(({ args }) => after(args, "--output-dir")!);
  expect(new Set(dirs).size, `output folders ${dirs.join(", ")}`).toBe(n);
  expect(mergeGlobs.length, "a `gradnote gradebook merge out/shard-* ...` command in the docs").toBeGreaterThan(0);
  for (const d of dirs) expect(mergeGlobs.some((g) => g.test(d)), `${d} is read by a merge command`).toBe(true);
}

describe("the grading docs", () => {
  it("exist, and the README's grading section points to them", () => {
    expect(README_GRADING).toContain("docs/grading.md");
    expect(README_GRADING).not.toMatch(/--append/);
    expect(DOCS.length).toBeGreaterThan(10_000);
  });

  it("close every inline code span on its own line (the checks below read spans line by line)", () => {
    for (const [where, md] of SOURCES) {
      md.replace(/^```\w*\n[\s\S]*?^```$/gm, "").split("\n").forEach((line, i) => {
        expect(line.split("`").length % 2, `${where}: line ${i + 1} of the prose opens a code span it does not close: ${line}`).toBe(1);
      });
    }
  });

  it("name only commands and options the CLI has (each command's --help exits 0 with its usage)", () => {
    let checked = 0;
    for (const [where, md] of SOURCES) {
      for (const m of mentions(md)) {
        expect(hasCommand(m.cmd), `${where}: \`${m.text.trim()}\`: no command gradnote ${m.cmd}`).toBe(true);
        for (const opt of m.options) {
          if (opt === "--help") continue;
          expect(hasOption(m.cmd, opt), `${where}: \`${m.text.trim()}\`: gradnote ${m.cmd} has no option ${opt}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it("write options standing alone (`--jobs N`) only as options of assign, grade, gradebook or run", () => {
    const all = ["assign", "grade", "gradebook", "run"];
    for (const [where, md] of SOURCES) {
      for (const { text, inline } of codeTexts(md)) {
        const m = inline ? /^(--[a-z][a-z-]*)/.exec(text) : null;
        if (!m || m[1] === "--help") continue;
        expect(all.some((c) => hasOption(c, m[1])), `${where}: \`${text}\` is no gradnote option`).toBe(true);
      }
    }
  });

  it("document every option of gradnote grade, assign and gradebook merge", () => {
    for (const cmd of ["grade", "assign", "gradebook"]) {
      for (const [, opt] of usage(cmd).matchAll(/(--[a-z][a-z-]*)/g)) expect(DOCS, `docs/grading.md never mentions ${opt}`).toContain(opt);
    }
  });

  it("give --shard as K/N that parseShard accepts wherever it is written out", () => {
    const literal = [...DOCS.matchAll(/--shard (\d+\/\d+)/g)].map((m) => m[1]);
    expect(literal.length).toBeGreaterThan(1);
    for (const k of literal) expect(() => parseShard(k), k).not.toThrow();
    expect(() => parseShard("3/2")).toThrow(/K\/N/);
  });

  it("have a Kubernetes Indexed Job whose pods grade shards 1..N of N into folders the merge reads", () => {
    const yaml = fences(DOCS).find((f) => f.lang === "yaml" && /completionMode: Indexed/.test(f.body));
    expect(yaml, "a yaml block with completionMode: Indexed").toBeDefined();
    const n = Number(/^\s*completions: (\d+)/m.exec(yaml!.body)?.[1]);
    expect(n).toBeGreaterThan(1);
    expect(Number(/^\s*parallelism: (\d+)/m.exec(yaml!.body)?.[1])).toBeGreaterThan(0);
    // The container's script: the block scalar after `args:`, dedented.
    const lines = yaml!.body.split("\n");
    const at = lines.findIndex((l) => /^\s*- \|\s*$/.test(l));
    expect(at, "args given as a `- |` block").toBeGreaterThan(0);
    const indent = /^\s*/.exec(lines[at + 1])![0].length;
    const script = lines.slice(at + 1).filter((_, i, a) => a.slice(0, i + 1).every((l) => /^\s*$/.test(l) || /^\s*/.exec(l)![0].length >= indent)).map((l) => l.slice(indent)).join("\n");
    expect(script).toMatch(/gradnote grade/);
    const runs = Array.from({ length: n }, (_, i) => ({ args: gradnoteArgs(script, { JOB_COMPLETION_INDEX: String(i) })[0] }));
    for (const r of runs) expect(r.args[0]).toBe("grade");
    checkShards(runs, n);
    // The pod succeeds when gradnote grade exits 0 or 3 (graded, some incomplete), fails on 1.
    const status = (rc: number) => spawnSync("sh", ["-c", `gradnote() { return ${rc}; }; cd() { :; }\n${script}`], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", JOB_COMPLETION_INDEX: "0" } }).status;
    expect([0, 3, 1].map(status)).toEqual([0, 0, 1]);
  });

  it("have a Slurm array job whose tasks grade shards 1..N of N into folders the merge reads", () => {
    const sh = fences(DOCS).find((f) => /#SBATCH --array=/.test(f.body));
    expect(sh, "a script with #SBATCH --array=").toBeDefined();
    const [, first, last] = /#SBATCH --array=(\d+)-(\d+)/.exec(sh!.body)!.map(Number);
    expect(first).toBe(1);
    const runs = Array.from({ length: last }, (_, i) => ({ args: gradnoteArgs(sh!.body, { SLURM_ARRAY_TASK_ID: String(i + 1), SLURM_CPUS_PER_TASK: "4" })[0] }));
    for (const r of runs) {
      expect(r.args[0]).toBe("grade");
      expect(Number(after(r.args, "--jobs"))).toBe(4);
    }
    checkShards(runs, last);
  });
});
