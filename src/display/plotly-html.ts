/**
 * The `text/html` form of a Plotly figure that works with no front-end extension: a div holding
 * the static SVG, and a script that swaps in the interactive chart once plotly.js is on the page.
 * plotly.js is loaded once per page (never inlined per output): from `window.Plotly` when a page
 * already has it (the `gradnote run --html` report, `plot.initNotebookMode()`), else from the
 * kernelspec's folder, which Jupyter servers serve at `<base>/kernelspecs/<name>/` (the name
 * comes from GRADNOTE_KERNEL_NAME, set by the kernel.json that `gradnote install` writes).
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** What the page's script needs of a figure. */
export interface FigureJson {
  data: unknown[];
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** File name of the minified plotly.js (in dist/ and in the installed kernelspec folder). */
export const PLOTLY_FILE = "plotly.min.js";

/** JSON that is safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** The kernelspec name plots load plotly.js under ("gradnote" unless installed with --name). */
export function kernelspecName(): string {
  const name = typeof process !== "undefined" ? process.env.GRADNOTE_KERNEL_NAME : undefined;
  return name && /^[a-zA-Z0-9._-]+$/.test(name) ? name : "gradnote";
}

// One promise per page: every figure waits on the same load, and a failed load is not retried
// by each of twenty figures (they keep their static images instead).
const loader = (kernel: string): string => `function gnPlotly(){var w=window;if(w.Plotly)return Promise.resolve(w.Plotly);
if(!w.__gradnotePlotly)w.__gradnotePlotly=new Promise(function(ok,fail){
if(!/^https?:$/.test(location.protocol))return fail(new Error("plotly.js: no server"));
var base="/";try{var c=document.getElementById("jupyter-config-data");
if(c)base=JSON.parse(c.textContent).baseUrl||base;else if(document.body.getAttribute("data-base-url"))base=document.body.getAttribute("data-base-url");}catch(e){}
var s=document.createElement("script");s.src=base.replace(/\\/?$/,"/")+"kernelspecs/${kernel}/${PLOTLY_FILE}";
s.onload=function(){w.Plotly?ok(w.Plotly):fail(new Error("plotly.js did not define Plotly"));};
s.onerror=function(){fail(new Error("plotly.js: could not load "+s.src));};document.head.appendChild(s);});
return w.__gradnotePlotly;}`;

/**
 * The figure as HTML: the static SVG first (what viewers that run no scripts keep), replaced by the
 * interactive chart when plotly.js is available.
 */
export function plotlyHtml(fig: FigureJson, staticSvg: string): string {
  const id = `gn-plot-${randomUUID()}`;
  const height = typeof fig.layout.height === "number" ? fig.layout.height : 420;
  // The static picture is an <img> of the SVG, not inline SVG: HTML sanitizers (the classic
  // Notebook's, for untrusted notebooks) keep <img> with a data: URI but strip <svg> elements.
  const fallback = `<img alt="plot" src="data:image/svg+xml;base64,${Buffer.from(staticSvg).toString("base64")}"/>`;
  return (
    `<div id="${id}" class="gradnote-plot" style="width:100%;min-height:${height}px">${fallback}</div>\n` +
    `<script type="text/javascript">(function(){${loader(kernelspecName())}\n` +
    `var el=document.getElementById(${JSON.stringify(id)});if(!el)return;var fig=${scriptJson(fig)};\n` +
    `gnPlotly().then(function(P){el.innerHTML="";return P.newPlot(el,fig.data,fig.layout,Object.assign({responsive:true},fig.config||{}));})` +
    `.then(function(){el.setAttribute("data-gradnote-rendered","plotly");},function(e){el.setAttribute("data-gradnote-rendered","static");});})();</script>`
  );
}

/** Path of the minified plotly.js shipped with gradnote (dist/plotly.min.js), or the unminified one. */
export function plotlyJsPath(): string {
  const here = import.meta.url;
  for (const rel of [`./${PLOTLY_FILE}`, `../../dist/${PLOTLY_FILE}`, `../dist/${PLOTLY_FILE}`]) {
    const p = fileURLToPath(new URL(rel, here));
    if (existsSync(p)) return p;
  }
  try {
    return createRequire(here).resolve("plotly.js-dist");
  } catch {
    throw new Error(`plotly.js not found: run "node scripts/build.mjs" (writes dist/${PLOTLY_FILE}) or install plotly.js-dist`);
  }
}

/** The plotly.js source, for pages that inline it once (reports, `initNotebookMode`). */
export function plotlyJsSource(): string {
  return readFileSync(plotlyJsPath(), "utf8");
}
