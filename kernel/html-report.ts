/**
 * `gradnote run --html out.html`: turns an executed notebook into one self-contained HTML page.
 * Plots render offline: plotly.js is inlined once in the page head (only when a cell has a plot)
 * and every figure's own script finds `window.Plotly`. Running the notebook is runner.ts's job.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

type Output = Record<string, unknown>;
interface ReportCell { cell_type: string; source: string | string[]; outputs?: Output[]; execution_count?: number | null }
/** The part of an nbformat 4 notebook the report reads. */
export interface ReportNotebook { cells: ReportCell[]; metadata?: Record<string, unknown> }

const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const text = (s: unknown) => (Array.isArray(s) ? s.join("") : typeof s === "string" ? s : "");
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

/** Inline markdown: code, bold, italic, links. */
function inline(s: string): string {
  return esc(s)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/\*([^*]+)\*/g, "<em>$1</em>")
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2">$1</a>');
}

/** A small Markdown subset (headings, paragraphs, lists, code fences): enough for lecture notes. */
export function markdownToHtml(md: string): string {
  const out: string[] = [];
  const lines = md.split("\n");
  let para: string[] = [], list: string[] = [];
  const flush = () => {
    if (para.length) out.push(`<p>${inline(para.join(" "))}</p>`);
    if (list.length) out.push(`<ul>${list.map((l) => `<li>${inline(l)}</li>`).join("")}</ul>`);
    para = [];
    list = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("```")) {
      flush();
      const code: string[] = [];
      while (++i < lines.length && !lines[i].startsWith("```")) code.push(lines[i]);
      out.push(`<pre><code>${esc(code.join("\n"))}</code></pre>`);
    } else if (/^#{1,6} /.test(line)) {
      flush();
      const level = line.indexOf(" ");
      out.push(`<h${level}>${inline(line.slice(level + 1))}</h${level}>`);
    } else if (/^\s*[-*] /.test(line)) {
      if (para.length) flush();
      list.push(line.replace(/^\s*[-*] /, ""));
    } else if (line.trim() === "") flush();
    else para.push(line);
  }
  flush();
  return out.join("\n");
}

/** The HTML of one output, choosing the richest MIME type a static page can show. */
function outputHtml(o: Output): string {
  if (o.output_type === "stream") return `<pre class="stream ${esc(String(o.name))}">${esc(text(o.text))}</pre>`;
  if (o.output_type === "error") {
    const tb = (o.traceback as string[] | undefined)?.length ? (o.traceback as string[]).join("\n") : `${o.ename}: ${o.evalue}`;
    return `<pre class="error">${esc(stripAnsi(tb))}</pre>`;
  }
  const data = (o.data ?? {}) as Record<string, unknown>;
  if (data["text/html"] !== undefined) return `<div class="html">${text(data["text/html"])}</div>`;
  if (data["image/svg+xml"] !== undefined) return `<div class="svg">${text(data["image/svg+xml"])}</div>`;
  for (const t of ["image/png", "image/jpeg", "image/gif"]) {
    if (data[t] !== undefined) return `<img src="data:${t};base64,${text(data[t]).replace(/\s/g, "")}" style="image-rendering:pixelated"/>`;
  }
  if (data["text/markdown"] !== undefined) return `<div class="md">${markdownToHtml(text(data["text/markdown"]))}</div>`;
  if (data["application/json"] !== undefined) return `<pre>${esc(JSON.stringify(data["application/json"], null, 2))}</pre>`;
  return `<pre>${esc(text(data["text/plain"]))}</pre>`;
}

/** Whether any output is a Plotly figure (then plotly.js goes into the page, once). */
function hasPlots(nb: ReportNotebook): boolean {
  return nb.cells.some((c) => c.outputs?.some((o) => !!(o.data as Record<string, unknown> | undefined)?.[PLOTLY_MIME]));
}

/** plotly.js from dist/ (built by scripts/build.mjs), or the package's unminified bundle. */
function plotlySource(): string {
  for (const rel of ["./plotly.min.js", "../dist/plotly.min.js"]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return readFileSync(p, "utf8");
  }
  throw new Error("--html: dist/plotly.min.js is missing; run `node scripts/build.mjs` first");
}

const CSS = `body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:980px;margin:24px auto;padding:0 16px;color:#222}
.cell{margin:14px 0}.in{display:flex;gap:8px}.prompt{color:#303f9f;font:12px monospace;min-width:64px;text-align:right;padding-top:6px}
pre{background:#f7f7f7;padding:6px 8px;overflow-x:auto;font-size:12.5px;margin:4px 0}.in pre{flex:1;border:1px solid #e0e0e0}
.outputs{margin-left:72px}.error{background:#fdecea;color:#b71c1c}.stream.stderr{background:#fff4e5}`;

/** Builds the report page for an executed notebook. */
export function notebookToHtml(nb: ReportNotebook, title = "gradnote report"): string {
  const cells = nb.cells.map((c) => {
    if (c.cell_type === "markdown") return `<div class="cell md">${markdownToHtml(text(c.source))}</div>`;
    if (c.cell_type !== "code") return `<div class="cell raw"><pre>${esc(text(c.source))}</pre></div>`;
    const prompt = `In [${c.execution_count ?? " "}]:`;
    const outs = (c.outputs ?? []).map(outputHtml).join("\n");
    return `<div class="cell code"><div class="in"><div class="prompt">${prompt}</div><pre><code>${esc(text(c.source))}</code></pre></div><div class="outputs">${outs}</div></div>`;
  });
  const plotly = hasPlots(nb) ? `<script type="text/javascript">${plotlySource().replace(/<\/script/gi, "<\\/script")}</script>\n` : "";
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS}</style>\n${plotly}</head>\n<body>\n${cells.join("\n")}\n</body></html>\n`;
}

/** Writes the report for an executed notebook to `path`. */
export function writeHtmlReport(nb: ReportNotebook, path: string, title?: string): void {
  writeFileSync(path, notebookToHtml(nb, title));
}
