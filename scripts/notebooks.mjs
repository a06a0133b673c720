// The course notebooks are edited as jupytext-style percent files (notebooks/NN-name.ts) and
// paired with the .ipynb Jupyter opens. `node scripts/notebooks.mjs` writes every .ipynb from its
// .ts; `--check` only reports pairs that differ (the tests run it); `--from-ipynb X.ipynb` prints
// X's percent source (to bring back edits made in JupyterLab: `> notebooks/X.ts`). Outputs are
// never stored in the sources.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = join(root, "notebooks");

const METADATA = {
  kernelspec: { name: "gradnote", display_name: "TypeScript (gradnote)", language: "typescript" },
  language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
};

/** `id="x" tags=["a","b"]` on a cell marker line → { id, metadata }. */
function markerAttributes(text, where) {
  const attrs = {};
  const re = /\s*([A-Za-z_][\w-]*)=("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\S+)/gy;
  let m;
  let last = 0;
  while ((m = re.exec(text))) {
    try {
      attrs[m[1]] = JSON.parse(m[2]);
    } catch {
      throw new Error(`${where}: cannot read ${m[1]}=${m[2]} (values are JSON: id="abc" tags=["x"])`);
    }
    last = re.lastIndex;
  }
  if (text.slice(last).trim()) throw new Error(`${where}: cannot read ${JSON.stringify(text.slice(last).trim())} on the cell marker`);
  const { id, ...metadata } = attrs;
  return { id, metadata };
}

const MARKER = /^\/\/ %%(?: \[(markdown|raw)\])?(.*)$/;

/** Parses a percent file into nbformat cells. */
export function parsePercent(text, file = "notebook") {
  const cells = [];
  let cell = null;
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const finish = () => {
    if (!cell) return;
    while (cell.lines.length && cell.lines[cell.lines.length - 1].trim() === "") cell.lines.pop();
    while (cell.lines.length && cell.lines[0].trim() === "") cell.lines.shift();
    const body = cell.type === "markdown" ? cell.lines.map((l, i) => {
      if (l === "//") return "";
      if (!l.startsWith("// ")) throw new Error(`${file}:${cell.line + i + 1}: a markdown cell's lines start with "// " (got ${JSON.stringify(l.slice(0, 40))})`);
      return l.slice(3);
    }) : cell.lines;
    const source = body.join("\n");
    const out = { id: cell.id, cell_type: cell.type, metadata: cell.metadata, source: source.split(/(?<=\n)/) };
    if (source === "") out.source = [];
    if (cell.type === "code") Object.assign(out, { execution_count: null, outputs: [] });
    cells.push(out);
  };
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m) {
      finish();
      const { id, metadata } = markerAttributes(m[2], `${file}:${i + 1}`);
      cell = { type: m[1] ?? "code", id: id ?? `cell-${cells.length + 1}`, metadata, lines: [], line: i + 1 };
    } else if (cell) cell.lines.push(line);
    else if (line.trim() !== "") throw new Error(`${file}:${i + 1}: text before the first "// %%" cell marker`);
  });
  finish();
  const ids = new Set();
  for (const c of cells) {
    if (ids.has(c.id)) throw new Error(`${file}: two cells with id ${JSON.stringify(c.id)}`);
    ids.add(c.id);
  }
  return { cells, metadata: METADATA, nbformat: 4, nbformat_minor: 5 };
}

/** Writes a notebook back as a percent file (the inverse of parsePercent for what it stores). */
export function toPercent(nb) {
  return nb.cells.map((c) => {
    const src = Array.isArray(c.source) ? c.source.join("") : c.source;
    const attrs = [`id=${JSON.stringify(c.id)}`, ...Object.entries(c.metadata ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].join(" ");
    const kind = c.cell_type === "code" ? "" : ` [${c.cell_type}]`;
    const body = c.cell_type === "markdown" ? src.split("\n").map((l) => (l ? `// ${l}` : "//")).join("\n") : src;
    return `// %%${kind} ${attrs}\n${body}\n`;
  }).join("\n");
}

export const serialize = (nb) => JSON.stringify(nb, null, 1) + "\n";

/** The percent files in notebooks/. */
export function percentFiles() {
  return readdirSync(dir).filter((f) => /^\d\d-.*\.ts$/.test(f)).sort().map((f) => join(dir, f));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args[0] === "--from-ipynb") {
    // Printed, not written next to the notebook: a stray NN-*.ts in notebooks/ would become a source.
    for (const f of args.slice(1)) process.stdout.write(toPercent(JSON.parse(readFileSync(f, "utf8"))));
  } else {
    const check = args.includes("--check");
    let stale = 0;
    for (const ts of percentFiles()) {
      const ipynb = ts.replace(/\.ts$/, ".ipynb");
      const want = serialize(parsePercent(readFileSync(ts, "utf8"), basename(ts)));
      const have = existsSync(ipynb) ? readFileSync(ipynb, "utf8") : "";
      if (want === have) continue;
      stale++;
      if (check) console.error(`${basename(ipynb)} differs from ${basename(ts)}: run node scripts/notebooks.mjs`);
      else {
        writeFileSync(ipynb, want);
        console.log(`Wrote ${basename(ipynb)}`);
      }
    }
    if (check && stale) process.exit(1);
  }
}
